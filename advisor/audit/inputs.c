/* inputs: what the caller of an audit gives besides the advice: labels,
 * the deployed fragment named on the command line, diagnostics to carry.
 * Contract in audit.h. */
#include "audit.h"

#include "../base/fileio.h"

#include <string.h>

bool audit_label_valid(const char *s)
{
	const char *eq = strchr(s, '=');
	if (!eq || eq == s || strchr(eq, '\n'))
		return false;
	for (const char *p = s; p < eq; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		      (p > s && ((*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))))
			return false;
	return true;
}

int audit_read_fragment(const char *path, const char *rootdir, bool snapshot, char **buf, size_t *len)
{
	if (path[0] == '/' && rootdir && !snapshot) {
		struct root r;
		int rc = root_open(&r, rootdir);
		if (rc)
			return rc;
		rc = root_read(&r, path, 1u << 20, buf, len);
		root_close(&r);
		return rc;
	}
	return file_read(path, 1u << 20, buf, len);
}

void audit_add_diags(struct audit *a, const struct diag_list *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct diag *d = &src->v[i];
		diag_add(&a->diags, d->sev, d->origin, d->line, d->col, "%s", d->msg);
	}
}
