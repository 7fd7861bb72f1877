/* audit_format: the audit's output formats.  Contract in audit_format.h. */
#include "audit_format.h"

#include "../base/xalloc.h"

#include <errno.h>
#include <string.h>

int audit_format_parse(const char *name, enum audit_format *f)
{
	if (!strcmp(name, "text"))
		*f = AUDIT_FMT_TEXT;
	else if (!strcmp(name, "json"))
		*f = AUDIT_FMT_JSON;
	else if (!strcmp(name, "prometheus") || !strcmp(name, "prom"))
		*f = AUDIT_FMT_PROM;
	else
		return -EINVAL;
	return 0;
}

bool audit_format_known(const char *name)
{
	enum audit_format f;
	return audit_format_parse(name, &f) == 0;
}

void audit_format_render(const struct audit *a, const struct host *h, enum audit_format f,
			 const struct prom_opts *po, struct buf *out)
{
	switch (f) {
	case AUDIT_FMT_TEXT: audit_render_text(a, out); break;
	case AUDIT_FMT_JSON: audit_render_json(a, out); break;
	case AUDIT_FMT_PROM: prom_render(a, h, po, out); break;
	}
}

char *audit_textfile_path(const char *dir, const char *instance)
{
	return instance ? xasprintf("%s/reclaim_advisor_%s.prom", dir, instance)
			: xasprintf("%s/reclaim_advisor.prom", dir);
}
