/* iniread: the INI reader of rule and profile files, one pass over the
 * physical lines.  See iniread.h for the format and why it is ours. */
#include "iniread.h"

#include "../base/buf.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* L_IGNORED: a line (or the continuation of one) that belongs to a line
 * already reported, so one mistake gives one error. */
enum line_kind { L_NONE, L_BLANK, L_COMMENT, L_SECTION, L_KEY, L_CONT, L_BAD, L_IGNORED };

struct reader {
	const char *buf;
	size_t len, pos;
	unsigned lineno;        /* physical line being read (1-based) */
	const char *raw;        /* that line, without newline (and without a BOM) */
	size_t rawlen;
	enum line_kind kind, prev;
	bool bad_section;       /* keys up to the next good [section] are ignored */
	struct ini_doc *doc;
	struct diag_list *d;
	unsigned errors;
};

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

__attribute__((format(printf, 4, 5))) static void rd_error(struct reader *r, unsigned col, unsigned span,
								const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add_src(r->d, DIAG_ERROR, r->doc->origin, r->lineno, col, span, r->raw, r->rawlen, "%s", msg);
	free(msg);
	r->errors++;
}

static struct ini_section *cur_section(struct reader *r)
{
	return r->doc->nsec ? &r->doc->sec[r->doc->nsec - 1] : NULL;
}

/* A [section] line: record it, or report what is wrong with it. */
static void section_line(struct reader *r, size_t start)
{
	const char *s = r->raw + start, *end = r->raw + r->rawlen;
	const char *close = memchr(s, ']', (size_t)(end - s));
	if (!close) {
		rd_error(r, (unsigned)start + 1, 1, "section header without ']'");
		return;
	}
	for (const char *p = close + 1; p < end; p++)
		if (!blank(*p)) {
			rd_error(r, (unsigned)(p - r->raw) + 1, 1, "text after the section header");
			return;
		}
	const char *a = s + 1, *b = close;
	while (a < b && blank(*a))
		a++;
	while (b > a && blank(b[-1]))
		b--;
	if (a == b) {
		rd_error(r, (unsigned)start + 1, 2, "empty section name");
		return;
	}
	char *name = xstrndup(a, (size_t)(b - a));
	for (size_t i = 0; i < r->doc->nsec; i++)
		if (!strcmp(r->doc->sec[i].name, name)) {
			rd_error(r, (unsigned)(a - r->raw) + 1, (unsigned)(b - a),
				 "section [%s] appears twice in this file (first at line %u)", name,
				 r->doc->sec[i].line);
			free(name);
			return;
		}
	r->doc->sec = xreallocarray(r->doc->sec, r->doc->nsec + 1, sizeof(*r->doc->sec));
	r->doc->sec[r->doc->nsec++] = (struct ini_section){.name = name, .line = r->lineno};
	r->kind = L_SECTION;
	r->bad_section = false;
}

/* A key line: record the key and its value (blanks around both stripped),
 * or report a key that is there already. */
static void key_line(struct reader *r, size_t s, size_t eq)
{
	struct ini_section *sec = cur_section(r);
	const char *p = r->raw;
	size_t n = r->rawlen, ke = eq, v = eq + 1;
	while (ke > s && blank(p[ke - 1]))
		ke--;
	while (v < n && blank(p[v]))
		v++;
	while (n > v && blank(p[n - 1]))
		n--;
	char *key = xstrndup(p + s, ke - s);
	for (size_t i = 0; i < sec->nkv; i++)
		if (!strcmp(sec->kv[i].key, key)) {
			rd_error(r, (unsigned)s + 1, (unsigned)(ke - s), "duplicate key '%s' in [%s] (first at line %u)",
				 key, sec->name, sec->kv[i].line);
			free(key);
			r->kind = L_IGNORED; /* and so are its continuation lines */
			return;
		}
	sec->kv = xreallocarray(sec->kv, sec->nkv + 1, sizeof(*sec->kv));
	sec->kv[sec->nkv++] = (struct ini_kv){
		.key = key,
		.value = xstrndup(p + v, n > v ? n - v : 0),
		.line = r->lineno,
		.col = (unsigned)v + 1,
		.key_col = (unsigned)s + 1,
		.nlines = 1,
	};
	r->kind = L_KEY;
}

/* A continuation: the physical line (indentation kept, trailing blanks
 * dropped) joins the last key's value after a '\n'. */
static void continuation_line(struct reader *r)
{
	struct ini_kv *kv = &cur_section(r)->kv[cur_section(r)->nkv - 1];
	size_t n = r->rawlen;
	while (n && blank(r->raw[n - 1]))
		n--;
	char *joined = xasprintf("%s\n%.*s", kv->value, (int)n, r->raw);
	free(kv->value);
	kv->value = joined;
	kv->nlines++;
	r->kind = L_CONT;
}

/* Read the next physical line into r->raw and act on it.  Returns false at
 * the end of the buffer. */
static bool next_line(struct reader *r)
{
	if (r->pos >= r->len)
		return false;
	const char *p = r->buf + r->pos;
	const char *nl = memchr(p, '\n', r->len - r->pos);
	size_t n = nl ? (size_t)(nl - p) : r->len - r->pos;
	r->pos += n + (nl ? 1 : 0);
	r->lineno++;
	if (n && p[n - 1] == '\r')
		n--;
	if (r->lineno == 1 && n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
		p += 3;
		n -= 3;
	}
	r->raw = p;
	r->rawlen = n;
	r->prev = r->kind;
	r->kind = L_BAD;

	if (memchr(p, '\0', n)) {
		r->rawlen = strnlen(p, n);
		rd_error(r, (unsigned)r->rawlen + 1, 1, "NUL byte in the line");
		return true;
	}
	size_t s = 0;
	while (s < n && blank(p[s]))
		s++;
	if (s == n) {
		r->kind = L_BLANK;
		return true;
	}
	if (p[s] == '#' || p[s] == ';') {
		r->kind = L_COMMENT;
		return true;
	}
	if (p[s] == '[') {
		r->bad_section = true; /* until section_line accepts it */
		section_line(r, s);
		return true;
	}
	if (s > 0 && (r->prev == L_IGNORED || r->prev == L_BAD)) {
		r->kind = L_IGNORED; /* continues a line already reported */
		return true;
	}
	if (r->bad_section) {
		r->kind = L_IGNORED; /* belongs to the section header reported above */
		return true;
	}
	if (s > 0 && (r->prev == L_KEY || r->prev == L_CONT)) {
		continuation_line(r);
		return true;
	}
	if (!cur_section(r)) {
		rd_error(r, (unsigned)s + 1, 1, "key outside any [section]");
		return true;
	}
	size_t eq = s;
	while (eq < n && p[eq] != '=' && p[eq] != ':')
		eq++;
	if (eq == n) {
		rd_error(r, (unsigned)s + 1, (unsigned)(n - s), "expected 'key = value'");
		return true;
	}
	size_t ke = eq;
	while (ke > s && blank(p[ke - 1]))
		ke--;
	if (ke == s) {
		rd_error(r, (unsigned)eq + 1, 1, "missing key before '%s'", p[eq] == ':' ? ":" : "=");
		return true;
	}
	key_line(r, s, eq);
	return true;
}

int iniread_parse(const char *buf, size_t len, const char *origin, struct ini_doc **out,
		  struct diag_list *d)
{
	struct ini_doc *doc = xcalloc(1, sizeof(*doc));
	doc->origin = xstrdup(origin ? origin : "<input>");
	doc->text = xmalloc(len + 1);
	if (len)
		memcpy(doc->text, buf, len);
	doc->text[len] = '\0';
	doc->len = len;

	struct reader r = {.buf = doc->text, .len = len, .doc = doc, .d = d, .kind = L_NONE};
	while (next_line(&r))
		;
	*out = doc;
	return r.errors ? -EINVAL : 0;
}

const char *ini_doc_line(const struct ini_doc *doc, unsigned line, size_t *len)
{
	if (!doc || line == 0)
		return NULL;
	const char *p = doc->text, *end = doc->text + doc->len;
	for (unsigned i = 1; i < line; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	if (p > end || (p == end && line > 1 && end[-1] == '\n'))
		return NULL;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (n && p[n - 1] == '\r')
		n--;
	*len = n;
	return p;
}

/* One error at a line of the document, with that line quoted. */
__attribute__((format(printf, 6, 0))) static void doc_error(struct diag_list *d, const struct ini_doc *doc,
								    unsigned line, unsigned col, unsigned span,
								    const char *fmt, va_list ap)
{
	char *msg = xvasprintf(fmt, ap);
	size_t ll = 0;
	const char *l = ini_doc_line(doc, line, &ll);
	diag_add_src(d, DIAG_ERROR, doc->origin, line, col, span, l, l ? ll : 0, "%s", msg);
	free(msg);
}

void ini_kv_error(struct diag_list *d, const struct ini_doc *doc, const struct ini_kv *kv, bool at_key,
		  const char *fmt, ...)
{
	unsigned col = at_key ? kv->key_col : kv->col;
	unsigned span = at_key ? (unsigned)strlen(kv->key) : (unsigned)strcspn(kv->value, "\n");
	va_list ap;
	va_start(ap, fmt);
	doc_error(d, doc, kv->line, col, span ? span : 1, fmt, ap);
	va_end(ap);
}

void ini_section_error(struct diag_list *d, const struct ini_doc *doc, const struct ini_section *sec,
		       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	doc_error(d, doc, sec->line, 0, 0, fmt, ap);
	va_end(ap);
}

const struct ini_kv *ini_section_get(const struct ini_section *sec, const char *key)
{
	for (size_t i = 0; i < sec->nkv; i++)
		if (!strcmp(sec->kv[i].key, key))
			return &sec->kv[i];
	return NULL;
}

void ini_doc_free(struct ini_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->nsec; i++) {
		for (size_t k = 0; k < doc->sec[i].nkv; k++) {
			free(doc->sec[i].kv[k].key);
			free(doc->sec[i].kv[k].value);
		}
		free(doc->sec[i].kv);
		free(doc->sec[i].name);
	}
	free(doc->sec);
	free(doc->text);
	free(doc->origin);
	free(doc);
}
