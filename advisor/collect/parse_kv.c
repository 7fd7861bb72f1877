/* parse_kv: proc/vmstat and proc/meminfo into a kvlist, plus the line
 * helpers every parser shares (parse_line_next, parse_check_text).
 *
 * Both files are "one key, one number" per line.  vmstat prints
 * "%s %lu" (mm/vmstat.c vmstat_show), so a sign is an error and a value
 * above INT64_MAX (only possible from a garbled file: no counter gets there
 * in practice) is -ERANGE rather than a silently wrapped int64.  meminfo
 * prints "%-16s%8lu kB" or, for the HugePages_* counts, no unit
 * (fs/proc/meminfo.c); any other unit means the file is not what we think
 * it is, so it is an error (text after an intact "N kB" is only a warning).  Values are kept in the file's unit (kB or a
 * count): the caller knows which key is which.
 */
#include "parse.h"

#include "../base/numparse.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

bool parse_line_next(const char *buf, size_t len, size_t *pos, struct parse_line *l)
{
	if (*pos >= len)
		return false;
	const char *s = buf + *pos;
	const char *nl = memchr(s, '\n', len - *pos);
	size_t n = nl ? (size_t)(nl - s) : len - *pos;
	l->s = s;
	/* A capture copied through Windows ends lines with "\r\n": the '\r'
	 * is part of the line ending, not of the last word ("kB\r"). */
	l->len = n && s[n - 1] == '\r' ? n - 1 : n;
	l->no++;
	*pos += n + (nl ? 1 : 0);
	return true;
}

int parse_check_text(const char *buf, size_t len, const char *origin, struct diag_list *d)
{
	const char *nul = memchr(buf, '\0', len);
	if (!nul)
		return 0;
	unsigned line = 1;
	for (const char *p = buf; p < nul; p++)
		line += *p == '\n';
	diag_add(d, DIAG_ERROR, origin, line, 0,
		 "binary content: NUL byte at offset %zu; not a text file", (size_t)(nul - buf));
	return -EINVAL;
}

/* Errors carry the offending line (capped: a garbled file can have a
 * megabyte-long line and the message only needs the start of it). */
#define SRC_CAP 200

void parse_line_error(struct diag_list *d, const char *origin, const struct parse_line *l,
		       const char *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	unsigned col = at ? (unsigned)(at - l->s) + 1 : 0;
	size_t n = l->len < SRC_CAP ? l->len : SRC_CAP;
	/* The caret printer walks the source up to col: past the cap there
	 * is no source to show, only the position. */
	if (col > n)
		diag_add(d, DIAG_ERROR, origin, l->no, col, "%s", msg);
	else
		diag_add_src(d, DIAG_ERROR, origin, l->no, col, at ? 1 : 0, l->s, n, "%s", msg);
	free(msg);
}

static void kv_push(struct kvlist *l, size_t *cap, const char *key, size_t klen, int64_t v)
{
	if (l->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		l->v = xreallocarray(l->v, *cap, sizeof(*l->v));
	}
	l->v[l->n].key = xstrndup(key, klen);
	l->v[l->n].value = v;
	l->n++;
}

/* Parse an unsigned decimal at p (no leading blanks consumed here) that
 * must fit int64.  Reports the error itself. */
static int value_at(struct diag_list *d, const char *origin, const struct parse_line *l,
		    const char *p, const char *key, int klen, int64_t max, const char **end, int64_t *out)
{
	uint64_t u;
	int rc = parse_u64(p, end, &u);
	if (rc == -EINVAL) {
		parse_line_error(d, origin, l, p, "'%.*s': expected an unsigned number", klen, key);
		return -EINVAL;
	}
	if (rc == -ERANGE || u > (uint64_t)INT64_MAX) {
		parse_line_error(d, origin, l, p, "'%.*s': value does not fit in 64 bits (signed)",
				 klen, key);
		return -ERANGE;
	}
	if (u > (uint64_t)max) {
		parse_line_error(d, origin, l, p, "'%.*s': impossible value %llu (above %lld, the largest "
				 "any machine can have)", klen, key, (unsigned long long)u, (long long)max);
		return -ERANGE;
	}
	*out = (int64_t)u;
	return 0;
}

static int kv_key_ok(const char *k, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return 0;
	}
	return n > 0;
}

int vmstat_parse(const char *buf, size_t len, const char *origin, struct kvlist *out,
		 struct diag_list *d)
{
	int rc = parse_check_text(buf, len, origin, d);
	if (rc)
		return rc;
	struct kvlist tmp = {0};
	size_t cap = 0, pos = 0;
	struct parse_line l = {0};
	while (parse_line_next(buf, len, &pos, &l)) {
		const char *p = l.s, *e = l.s + l.len;
		p = parse_skip_blank(p, e);
		if (p == e)
			continue;
		const char *k = p;
		while (p < e && !parse_is_blank(*p))
			p++;
		int klen = (int)(p - k > 64 ? 64 : p - k);
		if (!kv_key_ok(k, (size_t)(p - k))) {
			parse_line_error(d, origin, &l, k,
					 "expected 'name value', got a name with characters "
					 "outside [A-Za-z0-9_]");
			rc = -EINVAL;
			goto fail;
		}
		const char *v = parse_skip_blank(p, e);
		if (v == e) {
			parse_line_error(d, origin, &l, v, "'%.*s' has no value", klen, k);
			rc = -EINVAL;
			goto fail;
		}
		int64_t val;
		const char *end;
		rc = value_at(d, origin, &l, v, k, klen, HOST_MAX_COUNTER, &end, &val);
		if (rc)
			goto fail;
		end = parse_skip_blank(end, e);
		if (end != e) {
			parse_line_error(d, origin, &l, end,
					 "'%.*s': unexpected text after the value", klen, k);
			rc = -EINVAL;
			goto fail;
		}
		kv_push(&tmp, &cap, k, (size_t)(p - k), val);
	}
	*out = tmp;
	return 0;
fail:
	kvlist_free(&tmp);
	return rc;
}

int meminfo_parse(const char *buf, size_t len, const char *origin, struct kvlist *out,
		  struct diag_list *d)
{
	int rc = parse_check_text(buf, len, origin, d);
	if (rc)
		return rc;
	struct kvlist tmp = {0};
	size_t cap = 0, pos = 0;
	struct parse_line l = {0};
	while (parse_line_next(buf, len, &pos, &l)) {
		const char *p = l.s, *e = l.s + l.len;
		p = parse_skip_blank(p, e);
		if (p == e)
			continue;
		/* Keys are kept verbatim up to the colon: "Active(file)",
		 * "DirectMap4k", "Hugetlb".  A key holding a blank means the
		 * line is not "Key: value". */
		const char *k = p;
		while (p < e && *p != ':' && !parse_is_blank(*p))
			p++;
		int klen = (int)(p - k > 64 ? 64 : p - k);
		if (p == e || *p != ':' || p == k) {
			parse_line_error(d, origin, &l, p < e ? p : NULL,
					 "expected 'Key: value [kB]'");
			rc = -EINVAL;
			goto fail;
		}
		size_t keylen = (size_t)(p - k);
		const char *v = parse_skip_blank(p + 1, e);
		if (v == e) {
			parse_line_error(d, origin, &l, NULL, "'%.*s' has no value", klen, k);
			rc = -EINVAL;
			goto fail;
		}
		int64_t val;
		const char *end;
		rc = value_at(d, origin, &l, v, k, klen, HOST_MAX_KB, &end, &val);
		if (rc)
			goto fail;
		const char *u = parse_skip_blank(end, e);
		if (u != e) {
			const char *ue = u;
			while (ue < e && !parse_is_blank(*ue))
				ue++;
			if (u == end || ue - u != 2 || memcmp(u, "kB", 2) ||
			    (ue < e && !parse_is_blank(*ue))) {
				parse_line_error(d, origin, &l, u,
						 "'%.*s': unit must be kB or nothing, got '%.*s'",
						 klen, k, (int)(ue - u > 32 ? 32 : ue - u), u);
				rc = -EINVAL;
				goto fail;
			}
			/* Text after "N kB" is no kernel's, but the value and unit
			 * are intact: mailing-list captures carry a person's notes
			 * there ("MemTotal: 1014600 kB << 1GB Ram").  Keep the
			 * value and say so, rather than lose the whole file. */
			const char *t = parse_skip_blank(ue, e);
			if (t != e)
				diag_add(d, DIAG_WARNING, origin, l.no, (unsigned)(t - l.s) + 1,
					 "'%.*s': text after the unit ignored", klen, k);
		}
		kv_push(&tmp, &cap, k, keylen, val);
	}
	*out = tmp;
	return 0;
fail:
	kvlist_free(&tmp);
	return rc;
}

int kvlist_get(const struct kvlist *l, const char *key, int64_t *out)
{
	/* Linear: vmstat has ~200 keys and callers look up a few dozen once. */
	for (size_t i = 0; l && i < l->n; i++)
		if (!strcmp(l->v[i].key, key)) {
			*out = l->v[i].value;
			return 0;
		}
	return -ENODATA;
}

void kvlist_free(struct kvlist *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].key);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
