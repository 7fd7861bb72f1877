/* diag: diagnostics as data.
 *
 * Modules never print.  They append {origin, line, col, severity, message}
 * records to a diag_list owned by the caller; main.c prints them as
 * "origin:line:col: severity: message" and the JSON report embeds the same
 * list.  line/col are 1-based; 0 means "not applicable".  A diag may carry
 * the offending source line and a span so the printer can draw a caret.
 */
#ifndef ADVISOR_DIAG_H
#define ADVISOR_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_sev { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

struct diag {
	char *origin;       /* file name or source ("proc/zoneinfo"), owned */
	unsigned line, col; /* 1-based, 0 = none */
	unsigned span;      /* caret width under col, 0 = none */
	enum diag_sev sev;
	char *msg;          /* owned */
	char *src;          /* the source line, owned, may be NULL */
};

struct diag_list {
	struct diag *v;
	size_t n, cap;
};

/* Append a diagnostic.  origin may be NULL.  Allocation failure is fatal
 * (abort): losing a diagnostic silently would be worse. */
void diag_add(struct diag_list *l, enum diag_sev sev, const char *origin,
	      unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Like diag_add, with the source line and caret span attached. */
void diag_add_src(struct diag_list *l, enum diag_sev sev, const char *origin,
		  unsigned line, unsigned col, unsigned span, const char *src,
		  size_t src_len, const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));

/* Move every entry of src to the end of dst; src is left empty. */
void diag_splice(struct diag_list *dst, struct diag_list *src);

size_t diag_count(const struct diag_list *l, enum diag_sev sev);
const char *diag_sev_name(enum diag_sev sev);

/* Print one diagnostic as "origin:line:col: sev: msg", plus the source line
 * and a caret when present.  Used by main.c and tests only. */
void diag_print(FILE *f, const struct diag *d);
void diag_print_all(FILE *f, const struct diag_list *l);
/* diag_print of l->v[from..n) whose severity is at least min, each after
 * prefix (NULL: none): what a front end shows of a list it has partly
 * shown already, or without the notes (DIAG_WARNING). */
void diag_print_from(FILE *f, const struct diag_list *l, size_t from, enum diag_sev min, const char *prefix);

/* Free the entries; the list itself may be reused.  NULL is a no-op. */
void diag_list_clear(struct diag_list *l);

#endif
