/* sorted: see sorted.h. */
#include "sorted.h"

#include "xalloc.h"

#include <string.h>

static const char *name_at(const void *base, size_t i, size_t size, size_t name_off)
{
	const char *name;
	memcpy(&name, (const char *)base + i * size + name_off, sizeof(name));
	return name;
}

size_t sorted_find(const void *base, size_t n, size_t size, size_t name_off, const char *key, bool *found)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name_at(base, mid, size, name_off), key);
		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

void *sorted_slot(void *basep, size_t *n, size_t *cap, size_t size, size_t name_off, size_t first_cap,
		  const char *key, bool *found)
{
	char *base;
	memcpy(&base, basep, sizeof(base)); /* the caller's typed pointer, without aliasing it */
	size_t i = sorted_find(base, *n, size, name_off, key, found);
	if (*found)
		return base + i * size;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : first_cap;
		base = xreallocarray(base, *cap, size);
		memcpy(basep, &base, sizeof(base));
	}
	memmove(base + (i + 1) * size, base + i * size, (*n - i) * size);
	(*n)++;
	char *e = base + i * size;
	memset(e, 0, size);
	char *name = xstrdup(key);
	memcpy(e + name_off, &name, sizeof(name));
	return e;
}
