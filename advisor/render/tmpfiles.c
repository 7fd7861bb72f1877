/* tmpfiles: the systemd-tmpfiles fragment.  Contract in tmpfiles.h. */
#include "tmpfiles.h"

#include "fragment.h"

#include "../base/xalloc.h"

#include <stdlib.h>
#include <string.h>

char *tmpfiles_line(const char *path, const char *value)
{
	return xasprintf("w %s - - - - %s", path, value);
}

static int by_path(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a, *y = *(const struct finding *const *)b;
	return strcmp(x->tmpfiles_path, y->tmpfiles_path);
}

/* A reason as one comment line (reasons are one paragraph; a line break
 * would end the comment). */
static void comment(struct buf *out, const char *s)
{
	buf_puts(out, "# ");
	for (; s && *s; s++)
		buf_putc(out, *s == '\n' || *s == '\r' ? ' ' : *s);
	buf_putc(out, '\n');
}

size_t tmpfiles_render(const struct plan *p, const char *version, struct buf *out)
{
	const struct finding **v = xcalloc(p->nf + 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < p->nf; i++) {
		if (!p->f[i].tmpfiles_path)
			continue;
		bool seen = false;
		for (size_t j = 0; j < n && !seen; j++)
			seen = !strcmp(v[j]->tmpfiles_path, p->f[i].tmpfiles_path);
		if (!seen)
			v[n++] = &p->f[i];
	}
	qsort(v, n, sizeof(*v), by_path);
	buf_printf(out, "# systemd-tmpfiles fragment %s%s%s: the sysfs settings it advises,\n", FRAGMENT_MARKER,
		   version ? " " : "", version ? version : "");
	buf_puts(out, "# written at boot by systemd-tmpfiles (tmpfiles.d(5)); now: systemd-tmpfiles --create FILE.\n");
	buf_printf(out, "# %zu setting(s).\n", n);
	for (size_t i = 0; i < n; i++) {
		buf_putc(out, '\n');
		buf_printf(out, "# %s: rule %s (%s)\n", v[i]->tmpfiles_path, v[i]->rule, severity_name(v[i]->severity));
		comment(out, v[i]->reason);
		char *line = tmpfiles_line(v[i]->tmpfiles_path, v[i]->tmpfiles_value);
		buf_printf(out, "%s\n", line);
		free(line);
	}
	free(v);
	return n;
}
