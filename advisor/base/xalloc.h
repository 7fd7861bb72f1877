/* xalloc: allocation that cannot fail.
 *
 * The tool's working set is a few hundred KiB; if malloc fails there is no
 * useful recovery, so these abort with a message instead of making every
 * caller carry an ENOMEM path.  Used for internal bookkeeping only: sizes
 * derived from untrusted input are capped before they get here.
 */
#ifndef ADVISOR_XALLOC_H
#define ADVISOR_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

#endif
