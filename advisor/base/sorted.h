/* sorted: arrays kept sorted by name (strcmp order), for the stores that
 * insert in place so that lookups and their final order need no sort (the
 * fact store, the sysctl.d precedence keys).  One binary search and one
 * insertion, instead of a copy in each store.
 *
 * The array holds n elements of `size` bytes; each has a `char *` name at
 * byte offset name_off (offsetof). */
#ifndef ADVISOR_SORTED_H
#define ADVISOR_SORTED_H

#include <stdbool.h>
#include <stddef.h>

/* The index of key, *found true, or the index where key would be inserted
 * to keep the order, *found false.  Pure: reads the array only. */
size_t sorted_find(const void *base, size_t n, size_t size, size_t name_off, const char *key, bool *found);

/* The element named key: the one there (*found true), or a zeroed element
 * inserted at its place with a copy of key as its name (*found false).
 * basep points to the array's pointer, grown (xalloc: never fails) by
 * doubling *cap from first_cap; *n counts the elements.  The returned
 * pointer is valid until the next insertion. */
void *sorted_slot(void *basep, size_t *n, size_t *cap, size_t size, size_t name_off, size_t first_cap,
		  const char *key, bool *found);

#endif
