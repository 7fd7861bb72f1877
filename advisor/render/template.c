#include "template.h"

#include "../base/xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A parsed template is a list of pieces over its own copy of the text:
 * literal runs and holes (the name is a span of the same text). */
struct piece {
	bool hole;
	size_t off, len;
};

struct tmpl {
	char *text;
	char *origin;
	struct piece *p;
	size_t np, cap;
};

static void piece_add(struct tmpl *t, bool hole, size_t off, size_t len)
{
	if (!hole && len == 0)
		return;
	if (t->np == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->p = xreallocarray(t->p, t->cap, sizeof(*t->p));
	}
	t->p[t->np++] = (struct piece){hole, off, len};
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '.';
}

static bool allowed_has(const char *const *allowed, const char *s, size_t n)
{
	for (size_t i = 0; allowed && allowed[i]; i++)
		if (strlen(allowed[i]) == n && !memcmp(allowed[i], s, n))
			return true;
	return false;
}

/* The source line containing pos, for the caret. */
static void line_span(const char *text, size_t len, size_t line_start, size_t *line_len)
{
	size_t e = line_start;
	while (e < len && text[e] != '\n')
		e++;
	*line_len = e - line_start;
}

int tmpl_parse(const char *text, size_t len, const char *origin, const char *const *allowed,
	       struct tmpl **out, struct diag_list *d)
{
	/* A template is text: a NUL byte would reach the fragment and cut the
	 * line procps reads (and C strings built from the text).  Rejected
	 * first, as the /proc parsers reject binary content (parse.h), with
	 * the line shown up to the NUL. */
	const char *nul = memchr(text, 0, len);
	if (nul) {
		unsigned line = 1;
		const char *ls = text;
		for (const char *p = text; p < nul; p++)
			if (*p == '\n')
				line++, ls = p + 1;
		diag_add_src(d, DIAG_ERROR, origin ? origin : "<template>", line, (unsigned)(nul - ls + 1), 1, ls,
			     (size_t)(nul - ls), "NUL byte in the template (binary content)");
		return -EINVAL;
	}
	struct tmpl *t = xcalloc(1, sizeof(*t));
	t->text = xstrndup(text, len);
	t->origin = xstrdup(origin ? origin : "<template>");
	unsigned line = 1, errors = 0;
	size_t line_start = 0, lit = 0, i = 0;

	while (i < len) {
		if (text[i] == '\n') {
			line++;
			line_start = ++i;
			continue;
		}
		if (text[i] != '{' || i + 1 >= len || text[i + 1] != '{') {
			i++;
			continue;
		}
		/* A hole opens at i. */
		size_t open = i, ll;
		unsigned col = (unsigned)(open - line_start + 1);
		line_span(text, len, line_start, &ll);
		size_t j = i + 2;
		while (j + 1 < len && text[j] != '\n' && !(text[j] == '}' && text[j + 1] == '}'))
			j++;
		if (j + 1 >= len || text[j] == '\n') {
			diag_add_src(d, DIAG_ERROR, t->origin, line, col, 2, text + line_start, ll,
				     "unterminated hole: '{{' without '}}' on the same line");
			errors++;
			i = j; /* resume at the end of the line */
			continue;
		}
		size_t ns = i + 2, ne = j;
		while (ns < ne && (text[ns] == ' ' || text[ns] == '\t'))
			ns++;
		while (ne > ns && (text[ne - 1] == ' ' || text[ne - 1] == '\t'))
			ne--;
		bool ok = ns < ne;
		for (size_t k = ns; k < ne; k++)
			ok = ok && name_char(text[k]);
		unsigned span = (unsigned)(j + 2 - open);
		if (!ok) {
			diag_add_src(d, DIAG_ERROR, t->origin, line, col, span, text + line_start, ll,
				     "malformed hole '%.*s': a name is letters, digits, '_' and '.'",
				     (int)(j + 2 - open), text + open);
			errors++;
		} else if (!allowed_has(allowed, text + ns, ne - ns)) {
			diag_add_src(d, DIAG_ERROR, t->origin, line, col, span, text + line_start, ll,
				     "unknown hole '%.*s'", (int)(ne - ns), text + ns);
			errors++;
		} else {
			piece_add(t, false, lit, open - lit);
			piece_add(t, true, ns, ne - ns);
		}
		i = j + 2;
		lit = ok ? i : lit;
	}
	if (errors) {
		tmpl_free(t);
		return -EINVAL;
	}
	piece_add(t, false, lit, len - lit);
	*out = t;
	return 0;
}

static const char *vars_getn(const struct tmpl_vars *m, const char *k, size_t n)
{
	for (size_t i = 0; i < m->n; i++)
		if (strlen(m->v[i].key) == n && !memcmp(m->v[i].key, k, n))
			return m->v[i].value;
	return NULL;
}

int tmpl_render(const struct tmpl *t, const struct tmpl_vars *vars, struct buf *b)
{
	for (size_t i = 0; i < t->np; i++) {
		const struct piece *p = &t->p[i];
		if (!p->hole) {
			buf_add(b, t->text + p->off, p->len);
			continue;
		}
		const char *v = vars_getn(vars, t->text + p->off, p->len);
		if (!v)
			return -ENOENT;
		buf_puts(b, v);
	}
	return 0;
}

bool tmpl_has_hole(const struct tmpl *t, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < t->np; i++)
		if (t->p[i].hole && t->p[i].len == n && !memcmp(t->text + t->p[i].off, name, n))
			return true;
	return false;
}

const char *tmpl_origin(const struct tmpl *t)
{
	return t->origin;
}

void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	free(t->text);
	free(t->origin);
	free(t->p);
	free(t);
}

void tmpl_vars_set(struct tmpl_vars *m, const char *key, const char *value)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->v[i].key, key)) {
			free(m->v[i].value);
			m->v[i].value = xstrdup(value);
			return;
		}
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 16;
		m->v = xreallocarray(m->v, m->cap, sizeof(*m->v));
	}
	m->v[m->n++] = (struct tmpl_var){xstrdup(key), xstrdup(value)};
}

void tmpl_vars_setf(struct tmpl_vars *m, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	tmpl_vars_set(m, key, s);
	free(s);
}

const char *tmpl_vars_get(const struct tmpl_vars *m, const char *key)
{
	return vars_getn(m, key, strlen(key));
}

void tmpl_vars_free(struct tmpl_vars *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].key);
		free(m->v[i].value);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}
