#include "numparse.h"

#include <errno.h>
#include <stdlib.h>

static const char *skip_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

int parse_u64(const char *s, const char **end, uint64_t *out)
{
	s = skip_blank(s);
	if (*s < '0' || *s > '9')
		return -EINVAL;
	uint64_t v = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (end)
		*end = s;
	*out = v;
	return 0;
}

int parse_i64(const char *s, const char **end, int64_t *out)
{
	s = skip_blank(s);
	int neg = 0;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	uint64_t u;
	const char *e;
	int rc = parse_u64(s, &e, &u);
	if (rc)
		return rc;
	if (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX)
		return -ERANGE;
	if (end)
		*end = e;
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

int parse_decimal(const char *s, const char **end, double *out)
{
	s = skip_blank(s);
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	/* The token is validated above, so strtod sees only [+-]digits[.digits]
	 * and cannot wander into locale or hex forms. */
	char *e;
	errno = 0;
	double v = strtod(s, &e);
	if (errno == ERANGE || e != p)
		return -ERANGE;
	if (end)
		*end = p;
	*out = v;
	return 0;
}

int parse_byte_count(const char *s, size_t *out)
{
	uint64_t v, mult = 1;
	const char *end;
	int rc = parse_u64(s, &end, &v);
	if (rc)
		return rc;
	if (*end == 'k' || *end == 'K')
		mult = 1024;
	else if (*end == 'M')
		mult = 1024 * 1024;
	else if (*end == 'G')
		mult = 1024 * 1024 * 1024;
	if (mult > 1)
		end++;
	if (*end || v == 0)
		return -EINVAL;
	if (v > SIZE_MAX / mult)
		return -ERANGE;
	*out = (size_t)(v * mult);
	return 0;
}
