/* sysval: the one home of how a sysctl value's text is compared and
 * normalised.
 *
 * A value is one or more fields separated by blanks: /proc/sys prints
 * lowmem_reserve_ratio as "256\t256\t32\t0\t0\n", a sysctl.d line writes
 * "256 256 32 0 0", a report "256 256 32 0 0".  Everywhere the tool
 * compares two values (audit's live/boot/expected, the fragment's "equals
 * the kernel default", a read-back after --apply) or prints/hashes one, it
 * goes through here, so "10" and " 10\n" never differ in one place and
 * agree in another.
 *
 * Blanks are space, tab, CR, LF, VT and FF.  Pure; the normalised text is
 * the caller's.
 */
#ifndef ADVISOR_SYSVAL_H
#define ADVISOR_SYSVAL_H

#include <stdbool.h>
#include <stddef.h>

/* Field by field: the same number of fields, and each pair equal - as
 * decimal integers when both are ("010" == "10", as the kernel's
 * proc_dointvec reads them), else byte for byte ("always").  NULL equals
 * nothing (an unread value is never "the same"). */
bool sysval_equal(const char *a, const char *b);

/* s[0..n) with leading and trailing blanks removed and every inner run of
 * blanks collapsed to one space ("256\t256\t32\n" -> "256 256 32").
 * Never NULL; caller frees. */
char *sysval_normalize(const char *s, size_t n);

#endif
