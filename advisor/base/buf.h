/* buf: a growing, always NUL-terminated byte buffer.
 *
 * Used to build text output (tables, fragments, metrics) before main.c
 * writes it, so renderers stay pure.  A zero-initialised struct buf is an
 * empty buffer; buf_free releases it and leaves it empty again.
 */
#ifndef ADVISOR_BUF_H
#define ADVISOR_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *p;     /* NUL-terminated once anything was added; may be NULL */
	size_t len;  /* bytes, excluding the NUL */
	size_t cap;
};

void buf_add(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* The contents as a C string ("" when empty); owned by b. */
const char *buf_str(const struct buf *b);
/* Hand the string over to the caller (who frees it); b is left empty. */
char *buf_steal(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps the memory */
void buf_free(struct buf *b);

#endif
