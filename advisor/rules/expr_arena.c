/* The arena behind an expression tree: a chain of blocks, freed at once.
 * Trees are small (a rule file holds a few hundred nodes), so blocks are
 * modest and an oversized request simply gets a block of its own. */
#include "expr_int.h"
#include "../base/xalloc.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE 4096

struct block {
	struct block *next;
	size_t used, cap;
	max_align_t data[]; /* aligned for anything a node holds */
};

struct expr_arena {
	struct block *head;
};

struct expr_arena *expr_arena_new(void)
{
	return xcalloc(1, sizeof(struct expr_arena));
}

void expr_arena_free(struct expr_arena *a)
{
	if (!a)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *expr_arena_alloc(struct expr_arena *a, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	n = n ? (n + align - 1) / align * align : align;
	struct block *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > BLOCK_SIZE ? n : BLOCK_SIZE;
		b = xcalloc(1, sizeof(*b) + cap);
		b->cap = cap;
		/* An oversized block goes behind the current one so the
		 * current block's free tail stays usable. */
		if (a->head && n > BLOCK_SIZE) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *expr_arena_strndup(struct expr_arena *a, const char *s, size_t n)
{
	char *p = expr_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
