/* names: see names.h. */
#include "names.h"

#include "../base/xalloc.h"

#include <stdlib.h>
#include <string.h>

bool names_add(struct names *ns, const char *name)
{
	if (!strcmp(name, "value"))
		return false;
	for (size_t i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], name))
			return false;
	ns->v = xreallocarray(ns->v, ns->n + 1, sizeof(*ns->v));
	ns->v[ns->n++] = xstrdup(name);
	return true;
}

void names_collect(void *ctx, const char *name)
{
	(void)names_add(ctx, name);
}

void names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
}
