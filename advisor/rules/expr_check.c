#include "expr_int.h"

#include <errno.h>

int expr_check(const struct expr *e, const struct expr_src *src, const struct expr_names *names,
	       enum fact_type *type, struct diag_list *d)
{
	(void)e;
	(void)src;
	(void)names;
	(void)type;
	(void)d;
	return -ENOSYS;
}
