/* parse_misc: the small /proc files (swaps, pressure/memory, uptime, a
 * one-value sysctl) and sysctl dumps (`sysctl -a`, sysctl.d files).
 *
 * Formats, from the kernel's printers:
 * - proc/swaps (mm/swapfile.c swap_show): a header "Filename Type Size Used
 *   Priority", then "%s\t%s\t%lu\t%lu\t%d" per area, the name escaped with
 *   seq_file_path (" \t\n\\" become "\040" etc.), sizes in kB.
 * - proc/pressure/memory (kernel/sched/psi.c psi_show): "some avg10=%lu.%02lu
 *   avg60=... avg300=... total=%llu" and the same for "full" (absent before
 *   5.x for cpu, always present for memory, but we do not insist).
 * - proc/uptime (fs/proc/uptime.c): "%lu.%02lu %lu.%02lu".
 * - sysctl -a (procps) prints "key = value"; sysctl.d(5) also allows
 *   "key=value", '/' separators and a leading '-' (ignore write errors).
 */
#include "parse.h"
#include "host.h"

#include "../base/numparse.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- proc/swaps ---------------------------------------------------------- */

void swaps_free(struct swaps *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* One unsigned kB column; with *total (the column's sum so far, updated)
 * at most HOST_MAX_KB, as meminfo's values: the collector sums the areas
 * in bytes, which then fits int64 (a garbled Size of 2^63 kB once made
 * swap.total_bytes -1024). */
static int swap_num(struct diag_list *d, const char *origin, const struct parse_line *l,
		    const char **p, const char *e, const char *what, int64_t *total, int64_t *out)
{
	const char *s = parse_skip_blank(*p, e), *end;
	uint64_t u;
	int rc = s < e ? parse_u64(s, &end, &u) : -EINVAL;
	if (rc == 0 && end < e && !parse_is_blank(*end))
		rc = -EINVAL;
	if (rc == 0 && u > (uint64_t)(HOST_MAX_KB - *total)) {
		parse_line_error(d, origin, l, s, "%s: impossible value %llu kB (all areas together above %lld kB, "
				 "the most any machine can have)", what, (unsigned long long)u, (long long)HOST_MAX_KB);
		return -ERANGE;
	}
	if (rc) {
		parse_line_error(d, origin, l, s < e ? s : NULL, "%s: %s", what,
				 rc == -ERANGE ? "value does not fit in 64 bits"
					       : "expected an unsigned number");
		return rc;
	}
	*p = end;
	*out = (int64_t)u;
	*total += (int64_t)u;
	return 0;
}

int swaps_parse(const char *buf, size_t len, const char *origin, struct swaps *out,
		struct diag_list *d)
{
	int rc = parse_check_text(buf, len, origin, d);
	if (rc)
		return rc;
	struct swaps tmp = {0};
	size_t cap = 0, pos = 0;
	struct parse_line l = {0};
	bool header = false;
	int64_t size_total = 0, used_total = 0;
	while (parse_line_next(buf, len, &pos, &l)) {
		const char *p = parse_skip_blank(l.s, l.s + l.len), *e = l.s + l.len;
		if (p == e)
			continue;
		if (!header) {
			/* swap_show prints the header even with no swap; a
			 * file without it is something else. */
			if (!parse_word_is(p, parse_word_end(p, e), "Filename")) {
				parse_line_error(d, origin, &l, p,
						 "expected the header 'Filename Type Size Used "
						 "Priority'");
				rc = -EINVAL;
				goto fail;
			}
			header = true;
			continue;
		}
		const char *ne = parse_word_end(p, e);
		const char *t = parse_skip_blank(ne, e), *te = parse_word_end(t, e);
		if (t == e) {
			parse_line_error(d, origin, &l, NULL,
					 "expected 'Filename Type Size Used Priority'");
			rc = -EINVAL;
			goto fail;
		}
		struct swap_area a = {0};
		const char *q = te;
		if ((rc = swap_num(d, origin, &l, &q, e, "Size", &size_total, &a.size_kb)) ||
		    (rc = swap_num(d, origin, &l, &q, e, "Used", &used_total, &a.used_kb)))
			goto fail;
		const char *pr = parse_skip_blank(q, e), *pe;
		int64_t prio;
		rc = pr < e ? parse_i64(pr, &pe, &prio) : -EINVAL;
		if (rc == 0 && (prio < INT_MIN || prio > INT_MAX))
			rc = -ERANGE;
		if (rc) {
			parse_line_error(d, origin, &l, pr < e ? pr : NULL,
					 "Priority: expected an int");
			goto fail;
		}
		if (parse_skip_blank(pe, e) != e) {
			parse_line_error(d, origin, &l, parse_skip_blank(pe, e),
					 "unexpected text after Priority");
			rc = -EINVAL;
			goto fail;
		}
		a.priority = (int)prio;
		a.name = xstrndup(p, (size_t)(ne - p));
		if (!strncmp(a.name, "/dev/zram", 9))
			a.kind = SWAP_ZRAM;
		else if (parse_word_is(t, te, "partition"))
			a.kind = SWAP_PARTITION;
		else if (parse_word_is(t, te, "file"))
			a.kind = SWAP_FILE;
		else
			a.kind = SWAP_OTHER;
		if (tmp.n == cap) {
			cap = cap ? cap * 2 : 4;
			tmp.v = xreallocarray(tmp.v, cap, sizeof(*tmp.v));
		}
		tmp.v[tmp.n++] = a;
	}
	*out = tmp;
	return 0;
fail:
	swaps_free(&tmp);
	return rc;
}

/* ---- proc/pressure/memory -------------------------------------------------- */

/* A percentage printed "%lu.%02lu": digits, optional fraction, no sign. */
static int psi_avg(const char *s, const char *e, double *out)
{
	if (s == e || *s < '0' || *s > '9')
		return -EINVAL;
	const char *end;
	int rc = parse_decimal(s, &end, out);
	if (rc)
		return rc;
	return end == e ? 0 : -EINVAL;
}

int psi_parse(const char *buf, size_t len, const char *origin, struct psi *out,
	      struct diag_list *d)
{
	int rc = parse_check_text(buf, len, origin, d);
	if (rc)
		return rc;
	struct psi tmp = {0};
	size_t pos = 0;
	struct parse_line l = {0};
	while (parse_line_next(buf, len, &pos, &l)) {
		const char *p = parse_skip_blank(l.s, l.s + l.len), *e = l.s + l.len;
		if (p == e)
			continue;
		const char *we = parse_word_end(p, e);
		struct psi_line *pl;
		if (parse_word_is(p, we, "some"))
			pl = &tmp.some;
		else if (parse_word_is(p, we, "full"))
			pl = &tmp.full;
		else
			continue; /* unknown lines are ignored, like unknown keys */
		struct psi_line v = {.present = true};
		unsigned seen = 0;
		for (p = parse_skip_blank(we, e); p < e; p = parse_skip_blank(we, e)) {
			we = parse_word_end(p, e);
			const char *eq = memchr(p, '=', (size_t)(we - p));
			if (!eq) {
				parse_line_error(d, origin, &l, p, "expected key=value");
				return -EINVAL;
			}
			const char *val = eq + 1;
			int frc = 0;
			if (parse_word_is(p, eq, "avg10"))
				frc = psi_avg(val, we, &v.avg10), seen |= 1;
			else if (parse_word_is(p, eq, "avg60"))
				frc = psi_avg(val, we, &v.avg60), seen |= 2;
			else if (parse_word_is(p, eq, "avg300"))
				frc = psi_avg(val, we, &v.avg300), seen |= 4;
			else if (parse_word_is(p, eq, "total")) {
				const char *end;
				seen |= 8;
				frc = val < we ? parse_u64(val, &end, &v.total) : -EINVAL;
				if (!frc && end != we)
					frc = -EINVAL;
			}
			if (frc) {
				parse_line_error(d, origin, &l, val, "'%.*s': %s", (int)(eq - p), p,
						 frc == -ERANGE ? "value out of range"
								: "expected an unsigned number");
				return frc;
			}
		}
		if (seen != 15) {
			parse_line_error(d, origin, &l, NULL,
					 "expected avg10=, avg60=, avg300= and total=");
			return -EINVAL;
		}
		*pl = v;
	}
	*out = tmp;
	return 0;
}

/* ---- proc/uptime, one-value sysctl files --------------------------------- */

/* The first line must hold `n` blank-separated tokens exactly; any later
 * line must be blank.  Returns the first line via *first. */
static int single_line(const char *buf, size_t len, const char *origin, struct diag_list *d,
		       struct parse_line *first)
{
	int rc = parse_check_text(buf, len, origin, d);
	if (rc)
		return rc;
	size_t pos = 0;
	struct parse_line l = {0};
	bool have = false;
	while (parse_line_next(buf, len, &pos, &l)) {
		bool blank = parse_skip_blank(l.s, l.s + l.len) == l.s + l.len;
		if (blank)
			continue;
		if (have) {
			parse_line_error(d, origin, &l, NULL, "expected a single line");
			return -EINVAL;
		}
		*first = l;
		have = true;
	}
	if (!have) {
		diag_add(d, DIAG_ERROR, origin, 1, 0, "empty file, expected a value");
		return -EINVAL;
	}
	return 0;
}

int uptime_parse(const char *buf, size_t len, const char *origin, double *out,
		 struct diag_list *d)
{
	struct parse_line l;
	int rc = single_line(buf, len, origin, d, &l);
	if (rc)
		return rc;
	const char *e = l.s + l.len, *p = parse_skip_blank(l.s, e), *end;
	double up, idle;
	rc = (p < e && *p >= '0' && *p <= '9') ? parse_decimal(p, &end, &up) : -EINVAL;
	if (rc || (end < e && !parse_is_blank(*end))) {
		parse_line_error(d, origin, &l, p < e ? p : NULL,
				 "expected 'uptime idle' in seconds");
		return -EINVAL;
	}
	/* The idle column is checked for shape only: it is the sum over CPUs
	 * and says nothing the advisor uses. */
	const char *q = parse_skip_blank(end, e);
	if (q < e) {
		rc = (*q >= '0' && *q <= '9') ? parse_decimal(q, &end, &idle) : -EINVAL;
		if (rc || parse_skip_blank(end, e) != e) {
			parse_line_error(d, origin, &l, q, "expected 'uptime idle' in seconds");
			return -EINVAL;
		}
	}
	*out = up;
	return 0;
}

int sysctl_int_parse(const char *buf, size_t len, const char *origin, int64_t *out,
		     struct diag_list *d)
{
	struct parse_line l;
	int rc = single_line(buf, len, origin, d, &l);
	if (rc)
		return rc;
	const char *e = l.s + l.len, *p = parse_skip_blank(l.s, e), *end;
	int64_t v;
	rc = parse_i64(p, &end, &v);
	if (rc) {
		parse_line_error(d, origin, &l, p,
				 rc == -ERANGE ? "value does not fit in 64 bits"
					       : "expected an integer");
		return rc;
	}
	if (parse_skip_blank(end, e) != e) {
		parse_line_error(d, origin, &l, parse_skip_blank(end, e),
				 "expected one integer, got more text");
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* ---- sysctl -a / sysctl.d -------------------------------------------------- */

void strkvlist_free(struct strkvlist *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const char *strkvlist_get(const struct strkvlist *l, const char *key)
{
	/* Later lines win (sysctl.d semantics), so search from the end. */
	for (size_t i = l ? l->n : 0; i > 0; i--)
		if (!strcmp(l->v[i - 1].key, key))
			return l->v[i - 1].value;
	return NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* sysctl.d(5) / systemd's sysctl_normalize(): when the first separator is
 * '/', the key is in path form and '/' and '.' swap roles, so
 * "net/ipv4/conf/eth0.100/rp_filter" becomes
 * "net.ipv4.conf.eth0/100.rp_filter" (the dot belongs to the interface). */
static void key_normalise(char *k)
{
	char *sep = strpbrk(k, "./");
	if (!sep || *sep == '.')
		return;
	for (char *p = sep; *p; p++) {
		if (*p == '/')
			*p = '.';
		else if (*p == '.')
			*p = '/';
	}
}

int sysctl_dump_parse(const char *buf, size_t len, const char *origin, bool strict,
		      struct strkvlist *out, struct diag_list *d)
{
	int rc = parse_check_text(buf, len, origin, d);
	if (rc)
		return rc;
	struct strkvlist tmp = {0};
	size_t cap = 0, pos = 0;
	struct parse_line l = {0};
	while (parse_line_next(buf, len, &pos, &l)) {
		const char *p = l.s, *e = l.s + l.len;
		while (p < e && is_space(*p))
			p++;
		while (e > p && is_space(e[-1]))
			e--;
		if (p == e || *p == '#' || *p == ';')
			continue;
		const char *eq = memchr(p, '=', (size_t)(e - p));
		if (!eq) {
			/* sysctl -a on a sosreport mixes in "sysctl: permission
			 * denied on key ..." lines: noise unless strict. */
			if (strict) {
				parse_line_error(d, origin, &l, NULL,
						 "expected 'key = value' (no '=' on the line)");
				rc = -EINVAL;
				goto fail;
			}
			continue;
		}
		const char *ks = p, *ke = eq;
		if (ks < ke && *ks == '-')
			ks++; /* sysctl.d: "-key = v" means ignore write errors */
		while (ks < ke && is_space(*ks))
			ks++;
		while (ke > ks && is_space(ke[-1]))
			ke--;
		const char *bad = NULL;
		for (const char *c = ks; c < ke; c++)
			if (is_space(*c)) {
				bad = c;
				break;
			}
		if (ks == ke || bad) {
			if (strict) {
				parse_line_error(d, origin, &l, bad ? bad : eq,
						 ks == ke ? "empty key before '='"
							  : "blank inside the key");
				rc = -EINVAL;
				goto fail;
			}
			diag_add(d, DIAG_WARNING, origin, l.no, 0,
				 "line ignored: %s", ks == ke ? "empty key before '='"
							      : "blank inside the key");
			continue;
		}
		const char *vs = eq + 1;
		while (vs < e && is_space(*vs))
			vs++;
		if (tmp.n == cap) {
			cap = cap ? cap * 2 : 256;
			tmp.v = xreallocarray(tmp.v, cap, sizeof(*tmp.v));
		}
		struct strkv *kv = &tmp.v[tmp.n++];
		kv->key = xstrndup(ks, (size_t)(ke - ks));
		key_normalise(kv->key);
		kv->value = xstrndup(vs, (size_t)(e - vs));
		kv->line = l.no;
	}
	*out = tmp;
	return 0;
fail:
	strkvlist_free(&tmp);
	return rc;
}
