/* sysval: sysctl value text.  Contract in sysval.h. */
#include "sysval.h"

#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The next field at p: its start, its length in *n (0 at the end). */
static const char *next_field(const char *p, size_t *n)
{
	while (blank(*p))
		p++;
	size_t k = 0;
	while (p[k] && !blank(p[k]))
		k++;
	*n = k;
	return p;
}

static bool field_int(const char *p, size_t n, long long *out)
{
	if (!n || n > 20)
		return false;
	char tmp[24];
	memcpy(tmp, p, n);
	tmp[n] = 0;
	char *end;
	errno = 0;
	long long v = strtoll(tmp, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

bool sysval_equal(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	for (;;) {
		size_t na, nb;
		a = next_field(a, &na);
		b = next_field(b, &nb);
		if (!na || !nb)
			return !na && !nb;
		long long ia, ib;
		if (field_int(a, na, &ia) && field_int(b, nb, &ib)) {
			if (ia != ib)
				return false;
		} else if (na != nb || memcmp(a, b, na)) {
			return false;
		}
		a += na;
		b += nb;
	}
}

char *sysval_normalize(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;
	bool gap = false;
	for (size_t i = 0; i < n; i++) {
		if (blank(s[i])) {
			gap = o > 0;
			continue;
		}
		if (gap)
			out[o++] = ' ';
		gap = false;
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}
