#include "diag.h"
#include "textsafe.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void push(struct diag_list *l, enum diag_sev sev, const char *origin,
		 unsigned line, unsigned col, unsigned span, const char *src,
		 size_t src_len, const char *fmt, va_list ap)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	struct diag *d = &l->v[l->n++];
	/* Origins, quoted source lines and messages carry text from other
	 * machines' files: made safe once here for every output (textsafe.h). */
	d->origin = text_safe(origin);
	d->line = line;
	d->col = col;
	d->span = span;
	d->sev = sev;
	d->src = src ? text_safe_n(src, src_len) : NULL;
	char *msg = xvasprintf(fmt, ap);
	d->msg = text_safe(msg);
	free(msg);
}

void diag_add(struct diag_list *l, enum diag_sev sev, const char *origin,
	      unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	push(l, sev, origin, line, col, 0, NULL, 0, fmt, ap);
	va_end(ap);
}

void diag_add_src(struct diag_list *l, enum diag_sev sev, const char *origin,
		  unsigned line, unsigned col, unsigned span, const char *src,
		  size_t src_len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	push(l, sev, origin, line, col, span, src, src_len, fmt, ap);
	va_end(ap);
}

void diag_splice(struct diag_list *dst, struct diag_list *src)
{
	for (size_t i = 0; i < src->n; i++) {
		if (dst->n == dst->cap) {
			dst->cap = dst->cap ? dst->cap * 2 : 8;
			dst->v = xreallocarray(dst->v, dst->cap, sizeof(*dst->v));
		}
		dst->v[dst->n++] = src->v[i];
	}
	free(src->v);
	src->v = NULL;
	src->n = src->cap = 0;
}

size_t diag_count(const struct diag_list *l, enum diag_sev sev)
{
	size_t c = 0;
	for (size_t i = 0; i < l->n; i++)
		c += l->v[i].sev == sev;
	return c;
}

const char *diag_sev_name(enum diag_sev sev)
{
	switch (sev) {
	case DIAG_NOTE: return "note";
	case DIAG_WARNING: return "warning";
	case DIAG_ERROR: return "error";
	}
	return "?";
}

void diag_print(FILE *f, const struct diag *d)
{
	if (d->origin) {
		fputs(d->origin, f);
		if (d->line) {
			fprintf(f, ":%u", d->line);
			if (d->col)
				fprintf(f, ":%u", d->col);
		}
		fputs(": ", f);
	}
	fprintf(f, "%s: %s\n", diag_sev_name(d->sev), d->msg);
	if (d->src) {
		fprintf(f, "  %s\n", d->src);
		if (d->col) {
			/* The copy stops at a NUL or the cap, so a column past its end
			 * is padded with blanks instead of reading beyond it. */
			size_t n = strlen(d->src);
			fputs("  ", f);
			for (unsigned i = 1; i < d->col; i++)
				fputc(i - 1 < n && d->src[i - 1] == '\t' ? '\t' : ' ', f);
			unsigned w = d->span ? d->span : 1;
			for (unsigned i = 0; i < w; i++)
				fputc('^', f);
			fputc('\n', f);
		}
	}
}

void diag_print_from(FILE *f, const struct diag_list *l, size_t from, enum diag_sev min, const char *prefix)
{
	for (size_t i = from; i < l->n; i++) {
		if (l->v[i].sev < min)
			continue;
		if (prefix)
			fputs(prefix, f);
		diag_print(f, &l->v[i]);
	}
}

void diag_print_all(FILE *f, const struct diag_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		diag_print(f, &l->v[i]);
}

void diag_list_clear(struct diag_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].origin);
		free(l->v[i].msg);
		free(l->v[i].src);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
