#include "expr_int.h"

#include <errno.h>

int expr_parse(struct expr_arena *a, const struct expr_src *src, struct expr **out,
	       struct diag_list *d)
{
	(void)a;
	(void)src;
	(void)out;
	(void)d;
	return -ENOSYS;
}

void expr_foreach_name(const struct expr *e, void (*fn)(void *ctx, const char *name), void *ctx)
{
	(void)e;
	(void)fn;
	(void)ctx;
}
