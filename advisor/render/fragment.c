#include "fragment.h"

#include "../base/sysval.h"
#include "../base/bytefmt.h"

#include "../base/fnv.h"
#include "../base/kver.h"
#include "../base/numparse.h"
#include "../base/xalloc.h"
#include "../collect/parse.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const fragment_header_holes[] = {
	"version",     "when",       "ram",        "ram_kb",        "kernel",  "page_size",
	"zones",       "zone_count", "numa_nodes", "ruleset_digest", "profile", "count",
	"conventional_path", NULL,
};

const char *const fragment_entry_holes[] = {
	"sysctl", "value",  "old",        "kernel_default", "rule", "rule_file", "rule_line",
	"reason", "severity", "confidence", "ref",            "evidence", NULL,
};

const char *rec_confidence_name(enum confidence c)
{
	return confidence_name(c);
}

int fragment_templates_parse(const char *header, size_t hlen, const char *horigin, const char *entry,
			     size_t elen, const char *eorigin, struct fragment_templates *out,
			     struct diag_list *d)
{
	struct tmpl *h = NULL, *e = NULL;
	int rh = tmpl_parse(header, hlen, horigin, fragment_header_holes, &h, d);
	int re = tmpl_parse(entry, elen, eorigin, fragment_entry_holes, &e, d);
	if (rh || re) {
		tmpl_free(h);
		tmpl_free(e);
		return -EINVAL;
	}
	out->header = h;
	out->entry = e;
	return 0;
}

void fragment_templates_free(struct fragment_templates *t)
{
	if (!t)
		return;
	tmpl_free(t->header);
	tmpl_free(t->entry);
	t->header = t->entry = NULL;
}

/* Hole values are single lines: fold CR/LF (and other controls) to blanks. */
static void set1(struct tmpl_vars *m, const char *k, const char *v)
{
	char *s = xstrdup(v ? v : "");
	for (char *c = s; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			*c = ' ';
	tmpl_vars_set(m, k, s);
	free(s);
}

static void header_vars(const struct rec_input *in, size_t count, struct tmpl_vars *m)
{
	const struct facts *f = in->host->facts;
	struct buf b = {0};
	int64_t v;

	set1(m, "version", in->version);
	if (in->timestamp)
		tmpl_vars_setf(m, "when", " on %s", in->timestamp);
	else
		set1(m, "when", "");
	if (f && !facts_get_int(f, F_MEMINFO_MEMTOTAL, &v)) {
		bytefmt_put(&b, (double)(v * 1024), BYTEFMT_COLUMN);
		tmpl_vars_setf(m, "ram_kb", "%" PRId64, v);
	} else if (f && !facts_get_int(f, F_MEM_TOTAL_MANAGED_BYTES, &v)) {
		bytefmt_put(&b, (double)v, BYTEFMT_COLUMN);
		buf_puts(&b, " managed");
		tmpl_vars_setf(m, "ram_kb", "%" PRId64, v / 1024);
	} else {
		buf_puts(&b, "unknown");
		set1(m, "ram_kb", "unknown");
	}
	set1(m, "ram", buf_str(&b));
	buf_reset(&b);

	const char *rel = f ? facts_get_str(f, F_KERNEL_OSRELEASE) : NULL;
	if (rel)
		set1(m, "kernel", rel);
	else if (f && !facts_get_int(f, F_HOST_KERNEL_VERSION, &v)) {
		char kb[32];
		set1(m, "kernel", kver_format(v, kb, sizeof(kb)));
	}
	else
		set1(m, "kernel", "unknown");
	if (f && !facts_get_int(f, F_HOST_PAGE_SIZE, &v))
		tmpl_vars_setf(m, "page_size", "%" PRId64, v);
	else
		set1(m, "page_size", "unknown");

	/* Zone names once each, in file order (node 0's order). */
	const struct zoneinfo *zi = &in->host->zi;
	size_t named = 0;
	for (size_t i = 0; i < zi->nzones; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(zi->zones[j].name, zi->zones[i].name);
		if (seen)
			continue;
		buf_printf(&b, "%s%s", named++ ? ", " : "", zi->zones[i].name);
	}
	set1(m, "zones", zi->nzones ? buf_str(&b) : "unknown (no zoneinfo)");
	tmpl_vars_setf(m, "zone_count", "%zu", zi->nzones);
	if (f && !facts_get_int(f, F_HOST_NUMA_NODES, &v))
		tmpl_vars_setf(m, "numa_nodes", "%" PRId64, v);
	else
		set1(m, "numa_nodes", "unknown");
	set1(m, "ruleset_digest", in->plan->ruleset_digest ? in->plan->ruleset_digest : "unknown");
	set1(m, "profile", in->plan->profile ? in->plan->profile : "default");
	tmpl_vars_setf(m, "count", "%zu", count);
	set1(m, "conventional_path", FRAGMENT_DEFAULT_PATH);
	buf_free(&b);
}

static void evidence_text(const struct evidence *ev, size_t nev, struct buf *b)
{
	for (size_t i = 0; i < nev; i++) {
		buf_printf(b, "%s%s=", i ? ", " : "", ev[i].fact);
		if (!ev[i].present) {
			buf_puts(b, "absent");
			continue;
		}
		char *t = value_sysctl_text(&ev[i].v);
		const char *u = fact_unit_name(ev[i].unit);
		buf_printf(b, "%s%s%s", t, u && *u ? " " : "", u ? u : "");
		free(t);
	}
}

static void entry_vars(const struct decision *x, struct tmpl_vars *m)
{
	char *s;
	set1(m, "sysctl", x->sysctl);
	s = value_sysctl_text(&x->recommended);
	set1(m, "value", s);
	free(s);
	s = x->has_current ? value_sysctl_text(&x->current) : xstrdup("unknown");
	set1(m, "old", s);
	free(s);
	s = x->has_default ? value_sysctl_text(&x->kernel_default) : xstrdup("unknown");
	set1(m, "kernel_default", s);
	free(s);
	set1(m, "rule", x->rule);
	set1(m, "rule_file", x->rule_file ? x->rule_file : "");
	tmpl_vars_setf(m, "rule_line", "%u", x->rule_line);
	set1(m, "reason", x->reason);
	set1(m, "severity", severity_name(x->severity));
	set1(m, "confidence", rec_confidence_name(x->confidence));
	set1(m, "ref", x->ref ? x->ref : "");
	struct buf b = {0};
	evidence_text(x->ev, x->nev, &b);
	set1(m, "evidence", buf_str(&b));
	buf_free(&b);
}

static int assignments_of(const char *text, size_t len, struct strkvlist *out);
static uint64_t assignments_hash(const struct strkvlist *l);

static int base_cmp(const void *x, const void *y)
{
	const struct fragment_base *a = *(const struct fragment_base *const *)x, *b = *(const struct fragment_base *const *)y;
	return strcmp(a->key, b->key);
}

/* The base lines (fragment.h), sorted by key: the same inputs give the
 * same bytes. */
static void base_lines(struct buf *b, const struct fragment_base *v, size_t n)
{
	const struct fragment_base **s = xcalloc(n + 1, sizeof(*s));
	for (size_t i = 0; i < n; i++)
		s[i] = &v[i];
	qsort(s, n, sizeof(*s), base_cmp);
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, FRAGMENT_BASE_PREFIX "%s=%" PRId64, s[i]->key, s[i]->base);
		if (s[i]->has_ours)
			buf_printf(b, " ours=%" PRId64 " profile=%s", s[i]->ours, s[i]->profile);
		buf_putc(b, '\n');
	}
	free(s);
}

/* Insert the state line (fragment.h) after the header, which ends at
 * hlen: it is computed from the entries as rendered, so it describes the
 * file exactly. */
static int state_line(struct buf *out, size_t start, size_t hlen, const struct plan *p)
{
	struct strkvlist l = {0};
	if (assignments_of(out->p + start, out->len - start, &l))
		return -EINVAL;
	char *line = xasprintf(FRAGMENT_STATE_PREFIX "assignments=%016" PRIx64 " ruleset=%s profile=%s\n",
			       assignments_hash(&l), p->ruleset_digest ? p->ruleset_digest : "unknown",
			       p->profile ? p->profile : "general");
	strkvlist_free(&l);
	struct buf b = {0};
	size_t at = start + hlen;
	buf_add(&b, out->p, at);
	if (at && out->p[at - 1] != '\n')
		buf_putc(&b, '\n');
	buf_puts(&b, line);
	buf_add(&b, out->p + at, out->len - at);
	buf_reset(out);
	buf_add(out, b.p, b.len);
	buf_free(&b);
	free(line);
	return 0;
}

int fragment_render(const struct fragment_templates *t, const struct rec_input *in, struct buf *out,
		    struct diag_list *d)
{
	const struct plan *p = in->plan;
	size_t count = 0;
	for (size_t i = 0; i < p->nd; i++)
		count += in->selected && in->selected[i];

	struct tmpl_vars m = {0};
	struct buf h = {0};
	int rc = 0;
	header_vars(in, count, &m);
	rc = tmpl_render(t->header, &m, &h);
	tmpl_vars_free(&m);
	if (rc) {
		diag_add(d, DIAG_ERROR, tmpl_origin(t->header), 0, 0, "internal: a header hole has no value");
		goto out;
	}
	if (!fragment_is_ours(h.p ? h.p : "", h.len)) {
		diag_add(d, DIAG_ERROR, tmpl_origin(t->header), 0, 0,
			 "the header must contain a comment line with \"%s\" within its first %d lines "
			 "(the next run recognises its own file by it)",
			 FRAGMENT_MARKER, FRAGMENT_MARKER_LINES);
		rc = -EINVAL;
		goto out;
	}
	size_t start = out->len;
	buf_add(out, h.p ? h.p : "", h.len);
	for (size_t i = 0; i < p->nd; i++) {
		if (!in->selected || !in->selected[i])
			continue;
		entry_vars(&p->d[i], &m);
		rc = tmpl_render(t->entry, &m, out);
		tmpl_vars_free(&m);
		if (rc) {
			diag_add(d, DIAG_ERROR, tmpl_origin(t->entry), 0, 0,
				 "internal: an entry hole has no value");
			goto out;
		}
	}
	/* sysctl.d files end with a newline; a template without one would
	 * glue the next entry's comment onto the value. */
	if (out->len && out->p[out->len - 1] != '\n')
		buf_putc(out, '\n');
	/* the base lines last: the entries keep their line numbers (audit
	 * and precedence cite them) */
	if (in->base && in->nbase) {
		buf_putc(out, '\n');
		base_lines(out, in->base, in->nbase);
	}
	rc = state_line(out, start, h.len, p);
out:
	buf_free(&h);
	return rc;
}

bool fragment_is_ours(const char *text, size_t len)
{
	size_t i = 0;
	size_t mlen = strlen(FRAGMENT_MARKER);
	for (int line = 0; line < FRAGMENT_MARKER_LINES && i < len; line++) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		size_t s = i;
		while (s < e && (text[s] == ' ' || text[s] == '\t'))
			s++;
		if (s < e && (text[s] == '#' || text[s] == ';'))
			for (size_t k = s; k + mlen <= e; k++)
				if (!memcmp(text + k, FRAGMENT_MARKER, mlen))
					return true;
		i = e + 1;
	}
	return false;
}

/* ---- up to date ---------------------------------------------------------- */

/* The assignments of a sysctl.d text; -EINVAL when it does not parse. */
static int assignments_of(const char *text, size_t len, struct strkvlist *out)
{
	/* The parsers want buf[len] == 0; a caller's buffer need not have it. */
	char *copy = xstrndup(text, len);
	struct diag_list d = {0};
	int rc = len == strlen(copy) ? sysctl_dump_parse(copy, len, "fragment", false, out, &d) : -EINVAL;
	diag_list_clear(&d);
	free(copy);
	return rc;
}

static int kv_cmp(const void *x, const void *y)
{
	const struct strkv *a = *(const struct strkv *const *)x, *b = *(const struct strkv *const *)y;
	int c = strcmp(a->key, b->key);
	return c ? c : (a->line > b->line) - (a->line < b->line);
}

/* The effective assignments of l: one per key, its last value, sorted by
 * key (n log n: an old file may be anything up to the read cap).  Returns
 * how many; *out (caller frees) borrows from l. */
static size_t effective(const struct strkvlist *l, const struct strkv ***out)
{
	const struct strkv **v = xcalloc(l->n + 1, sizeof(*v));
	for (size_t i = 0; i < l->n; i++)
		v[i] = &l->v[i];
	qsort(v, l->n, sizeof(*v), kv_cmp);
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (n && !strcmp(v[n - 1]->key, v[i]->key))
			n--; /* a later line of the same key wins */
		v[n++] = v[i];
	}
	*out = v;
	return n;
}

/* FNV-1a 64 of the effective assignments, "key=value\n" each, values in
 * their normal form (base/sysval.h). */
static uint64_t assignments_hash(const struct strkvlist *l)
{
	const struct strkv **v;
	size_t n = effective(l, &v);
	uint64_t h = FNV1A64_INIT;
	for (size_t i = 0; i < n; i++) {
		h = fnv1a64(h, v[i]->key, strlen(v[i]->key));
		h = fnv1a64(h, "=", 1);
		char *value = sysval_normalize(v[i]->value, strlen(v[i]->value));
		h = fnv1a64(h, value, strlen(value));
		free(value);
		h = fnv1a64(h, "\n", 1);
	}
	free(v);
	return h;
}

int fragment_assignments_digest(const char *text, size_t len, char out[17])
{
	struct strkvlist l = {0};
	if (assignments_of(text, len, &l))
		return -EINVAL;
	snprintf(out, 17, "%016" PRIx64, assignments_hash(&l));
	strkvlist_free(&l);
	return 0;
}

static bool is_hex16(const char *s, size_t n)
{
	if (n != 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* "name=" followed by a word up to a blank or the end of the line: copy it
 * into dst (cap bytes with the NUL).  0, or -EINVAL. */
static int state_field(const char *line, const char *end, const char *name, char *dst, size_t cap)
{
	size_t nl = strlen(name);
	for (const char *p = line; p + nl < end; p++) {
		if ((p == line || p[-1] == ' ') && !strncmp(p, name, nl) && p[nl] == '=') {
			const char *v = p + nl + 1, *e = v;
			while (e < end && *e != ' ' && *e != '\t' && *e != '\r')
				e++;
			if (e == v || (size_t)(e - v) >= cap)
				return -EINVAL;
			memcpy(dst, v, (size_t)(e - v));
			dst[e - v] = 0;
			return 0;
		}
	}
	return -EINVAL;
}

int fragment_state_read(const char *text, size_t len, struct fragment_state *out)
{
	size_t pl = strlen(FRAGMENT_STATE_PREFIX);
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		if (e - i >= pl && !memcmp(text + i, FRAGMENT_STATE_PREFIX, pl)) {
			struct fragment_state s = {0};
			const char *b = text + i + pl, *end = text + e;
			if (state_field(b, end, "assignments", s.assignments, sizeof(s.assignments)) ||
			    state_field(b, end, "ruleset", s.ruleset, sizeof(s.ruleset)) ||
			    state_field(b, end, "profile", s.profile, sizeof(s.profile)) ||
			    !is_hex16(s.assignments, strlen(s.assignments)))
				return -EINVAL;
			*out = s;
			return 0;
		}
		i = e + 1;
	}
	return -ENOENT;
}

bool fragment_up_to_date(const char *old, size_t oldlen, const char *fresh, size_t freshlen)
{
	if (oldlen == freshlen && !memcmp(old, fresh, oldlen))
		return true;
	if (!fragment_is_ours(old, oldlen))
		return false;
	struct fragment_state a, b;
	char digest[17];
	if (fragment_state_read(old, oldlen, &a) || fragment_state_read(fresh, freshlen, &b))
		return false;
	if (strcmp(a.assignments, b.assignments) || strcmp(a.ruleset, b.ruleset) || strcmp(a.profile, b.profile))
		return false;
	/* The recorded digest must still describe the file: a hand edit of a
	 * value makes the file stale even though its state line is not. */
	return fragment_assignments_digest(old, oldlen, digest) == 0 && !strcmp(digest, a.assignments);
}

/* ---- the value without ours ------------------------------------------------ */

/* A key as the renderer writes one: sysctl(8) spelling, no blanks. */
static bool base_key(const char *s, size_t n)
{
	if (!n || n > 127)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.' ||
		      s[i] == '-'))
			return false;
	return true;
}

/* One base line without its prefix, [p, end): 0 and *out (strings
 * allocated), or -EINVAL. */
static int base_line(const char *p, const char *end, struct fragment_base *out)
{
	const char *eq = memchr(p, '=', (size_t)(end - p));
	if (!eq || !base_key(p, (size_t)(eq - p)))
		return -EINVAL;
	/* the numbers are parsed from a NUL-terminated copy: the text need
	 * not end in one */
	char *line = xstrndup(eq + 1, (size_t)(end - eq - 1));
	char prof[64] = "";
	const char *e;
	int64_t base, ours = 0;
	bool has_ours = false;
	int rc = parse_i64(line, &e, &base) ? -EINVAL : 0;
	if (!rc && *e == ' ' && !strncmp(e, " ours=", 6)) {
		has_ours = true;
		rc = parse_i64(e + 6, &e, &ours) || strncmp(e, " profile=", 9) ? -EINVAL : 0;
		if (!rc) {
			const char *v = e + 9;
			size_t n = strcspn(v, " \t\r");
			rc = !n || n >= sizeof(prof) ? -EINVAL : 0;
			if (!rc) {
				memcpy(prof, v, n);
				prof[n] = 0;
				e = v + n;
			}
		}
	}
	if (!rc && *e && *e != '\r')
		rc = -EINVAL;
	free(line);
	if (rc)
		return rc;
	*out = (struct fragment_base){.key = xstrndup(p, (size_t)(eq - p)), .base = base, .has_ours = has_ours,
				      .ours = ours, .profile = has_ours ? xstrdup(prof) : NULL};
	return 0;
}

size_t fragment_base_read(const char *text, size_t len, struct fragment_base_list *out)
{
	fragment_base_list_free(out);
	size_t pl = strlen(FRAGMENT_BASE_PREFIX);
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		struct fragment_base b;
		if (e - i >= pl && !memcmp(text + i, FRAGMENT_BASE_PREFIX, pl) &&
		    !memchr(text + i, 0, e - i) && !base_line(text + i + pl, text + e, &b)) {
			fragment_base_add(out, b.key, b.base, b.has_ours, b.ours, b.profile);
			free(b.key);
			free(b.profile);
		}
		i = e + 1;
	}
	return out->n;
}

const struct fragment_base *fragment_base_get(const struct fragment_base_list *l, const char *key)
{
	for (size_t i = l->n; i-- > 0;)
		if (!strcmp(l->v[i].key, key))
			return &l->v[i];
	return NULL;
}

void fragment_base_add(struct fragment_base_list *l, const char *key, int64_t base, bool has_ours, int64_t ours,
		       const char *profile)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = (struct fragment_base){.key = xstrdup(key), .base = base, .has_ours = has_ours,
					      .ours = has_ours ? ours : 0,
					      .profile = has_ours ? xstrdup(profile ? profile : "unknown") : NULL};
}

void fragment_base_list_free(struct fragment_base_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].profile);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- unified diff ------------------------------------------------------
 * Fragments are tens of lines, so the textbook O(n*m) LCS table is fine;
 * beyond DIFF_MAX_CELLS the diff degrades to "replace everything", which
 * is still a correct unified diff. */

#define DIFF_MAX_CELLS (4u << 20)
#define DIFF_CONTEXT 3

struct lines {
	const char **s;
	size_t *len;
	size_t n;
	bool no_eol; /* last line lacks '\n' */
};

static void split_lines(const char *t, size_t len, struct lines *l)
{
	size_t cap = 16;
	l->s = xmalloc(cap * sizeof(*l->s));
	l->len = xmalloc(cap * sizeof(*l->len));
	l->n = 0;
	l->no_eol = len && t[len - 1] != '\n';
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && t[e] != '\n')
			e++;
		if (l->n == cap) {
			cap *= 2;
			l->s = xreallocarray(l->s, cap, sizeof(*l->s));
			l->len = xreallocarray(l->len, cap, sizeof(*l->len));
		}
		l->s[l->n] = t + i;
		l->len[l->n++] = e - i;
		i = e + 1;
	}
}

static bool line_eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	/* A last line without '\n' differs from the same text with one. */
	bool ea = i + 1 == a->n && a->no_eol, eb = j + 1 == b->n && b->no_eol;
	return ea == eb && a->len[i] == b->len[j] && !memcmp(a->s[i], b->s[j], a->len[i]);
}

/* ops: '=' keep, '-' delete from a, '+' insert from b; returns count. */
static size_t diff_ops(const struct lines *a, const struct lines *b, char *ops)
{
	size_t n = a->n, m = b->n, k = 0;
	if ((n + 1) * (m + 1) > DIFF_MAX_CELLS) {
		for (size_t i = 0; i < n; i++)
			ops[k++] = '-';
		for (size_t j = 0; j < m; j++)
			ops[k++] = '+';
		return k;
	}
	/* L[i][j] = LCS length of a[i..] and b[j..]. */
	unsigned *L = xcalloc((n + 1) * (m + 1), sizeof(*L));
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			L[i * (m + 1) + j] = line_eq(a, i, b, j) ? L[(i + 1) * (m + 1) + j + 1] + 1
				: (L[(i + 1) * (m + 1) + j] >= L[i * (m + 1) + j + 1] ? L[(i + 1) * (m + 1) + j]
										 : L[i * (m + 1) + j + 1]);
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && line_eq(a, i, b, j))
			ops[k++] = '=', i++, j++;
		else if (i < n && (j == m || L[(i + 1) * (m + 1) + j] >= L[i * (m + 1) + j + 1]))
			ops[k++] = '-', i++; /* deletions first, as diff -u prints them */
		else
			ops[k++] = '+', j++;
	}
	free(L);
	return k;
}

static void emit_line(struct buf *out, char tag, const struct lines *l, size_t i)
{
	buf_putc(out, tag);
	buf_add(out, l->s[i], l->len[i]);
	buf_putc(out, '\n');
	if (i + 1 == l->n && l->no_eol)
		buf_puts(out, "\\ No newline at end of file\n");
}

void fragment_diff(const char *a, size_t alen, const char *b, size_t blen, const char *alabel,
		   const char *blabel, struct buf *out)
{
	struct lines la, lb;
	split_lines(a, alen, &la);
	split_lines(b, blen, &lb);
	char *ops = xmalloc(la.n + lb.n + 1);
	size_t nops = diff_ops(&la, &lb, ops);
	bool any = false;
	for (size_t k = 0; k < nops && !any; k++)
		any = ops[k] != '=';
	if (!any)
		goto out;
	buf_printf(out, "--- %s\n+++ %s\n", alabel, blabel);
	/* ai[k], bi[k]: line positions before op k. */
	size_t *ai = xmalloc((nops + 1) * sizeof(*ai)), *bi = xmalloc((nops + 1) * sizeof(*bi));
	ai[0] = bi[0] = 0;
	for (size_t k = 0; k < nops; k++) {
		ai[k + 1] = ai[k] + (ops[k] != '+');
		bi[k + 1] = bi[k] + (ops[k] != '-');
	}
	size_t k = 0;
	while (k < nops) {
		while (k < nops && ops[k] == '=')
			k++;
		if (k == nops)
			break;
		size_t start = k >= DIFF_CONTEXT ? k - DIFF_CONTEXT : 0, end = k;
		/* Extend the hunk while the next change is within 2*context. */
		for (;;) {
			while (end < nops && ops[end] != '=')
				end++;
			size_t e = end;
			while (e < nops && ops[e] == '=' && e - end < 2 * DIFF_CONTEXT)
				e++;
			if (e < nops && ops[e] != '=' && e - end <= 2 * DIFF_CONTEXT)
				end = e;
			else {
				end = end + DIFF_CONTEXT < nops ? end + DIFF_CONTEXT : nops;
				break;
			}
		}
		size_t an = ai[end] - ai[start], bn = bi[end] - bi[start];
		buf_printf(out, "@@ -%zu", an ? ai[start] + 1 : ai[start]);
		if (an != 1)
			buf_printf(out, ",%zu", an);
		buf_printf(out, " +%zu", bn ? bi[start] + 1 : bi[start]);
		if (bn != 1)
			buf_printf(out, ",%zu", bn);
		buf_puts(out, " @@\n");
		for (size_t q = start; q < end; q++) {
			if (ops[q] == '=')
				emit_line(out, ' ', &la, ai[q]);
			else if (ops[q] == '-')
				emit_line(out, '-', &la, ai[q]);
			else
				emit_line(out, '+', &lb, bi[q]);
		}
		k = end;
	}
	free(ai);
	free(bi);
out:
	free(ops);
	free(la.s);
	free(la.len);
	free(lb.s);
	free(lb.len);
}
