/* numparse: strict number parsing for /proc text and rule files.
 *
 * strtoull/strtoll with errno and endptr checks, C-locale digits only.  The
 * functions parse a token that starts at s and ends at the first byte that
 * is not part of the number; *end (when non-NULL) receives that position.
 * Leading blanks are skipped; a sign is rejected for the unsigned form.
 * Returns 0, -EINVAL (no digits), -ERANGE (does not fit 64 bits).
 */
#ifndef ADVISOR_NUMPARSE_H
#define ADVISOR_NUMPARSE_H

#include <stddef.h>
#include <stdint.h>

int parse_u64(const char *s, const char **end, uint64_t *out);
int parse_i64(const char *s, const char **end, int64_t *out);
/* Decimal with optional fraction ("12.50"); no exponent, no inf/nan. */
int parse_decimal(const char *s, const char **end, double *out);
/* The whole of s as a positive byte count with an optional suffix k (or K),
 * M or G (powers of 1024): "64M".  0, -EINVAL (not that, or 0), -ERANGE
 * (does not fit a size_t); *out written only on success. */
int parse_byte_count(const char *s, size_t *out);

#endif
