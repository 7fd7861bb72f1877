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

size_t tmpfiles_parse(const char *text, size_t len, char ***paths, char ***values)
{
	size_t n = 0;
	*paths = NULL;
	*values = NULL;
	for (size_t at = 0; at < len;) {
		const char *line = text + at;
		const char *nl = memchr(line, '\n', len - at);
		size_t ll = nl ? (size_t)(nl - line) : len - at;
		at += ll + 1;
		/* w PATH - - - - VALUE: seven blank-separated fields */
		const char *f[7];
		size_t fl[7], nf = 0;
		for (size_t k = 0; k < ll && nf < 8;) {
			while (k < ll && (line[k] == ' ' || line[k] == '\t'))
				k++;
			if (k >= ll)
				break;
			size_t b = k;
			while (k < ll && line[k] != ' ' && line[k] != '\t')
				k++;
			if (nf < 7) {
				f[nf] = line + b;
				fl[nf] = k - b;
			}
			nf++;
		}
		if (nf != 7 || fl[0] != 1 || f[0][0] != 'w')
			continue;
		*paths = xreallocarray(*paths, n + 1, sizeof(**paths));
		*values = xreallocarray(*values, n + 1, sizeof(**values));
		(*paths)[n] = xstrndup(f[1], fl[1]);
		(*values)[n] = xstrndup(f[6], fl[6]);
		n++;
	}
	return n;
}

/* One line of the fragment: from a finding, or kept (f NULL). */
struct entry {
	const char *path, *value;
	const struct finding *f;
};

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

static bool has_path(const struct entry *v, size_t n, const char *path)
{
	for (size_t j = 0; j < n; j++)
		if (!strcmp(v[j].path, path))
			return true;
	return false;
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

size_t tmpfiles_render(const struct plan *p, const struct tmpfiles_kept *kept, size_t nkept, const char *version,
		       struct buf *out)
{
	struct entry *v = xcalloc(p->nf + nkept + 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < p->nf; i++)
		if (p->f[i].tmpfiles_path && !has_path(v, n, p->f[i].tmpfiles_path))
			v[n++] = (struct entry){p->f[i].tmpfiles_path, p->f[i].tmpfiles_value, &p->f[i]};
	for (size_t i = 0; i < nkept; i++)
		if (!has_path(v, n, kept[i].path))
			v[n++] = (struct entry){kept[i].path, kept[i].value, NULL};
	qsort(v, n, sizeof(*v), by_path);
	buf_printf(out, "# systemd-tmpfiles fragment %s%s%s: the sysfs settings it advises,\n", FRAGMENT_MARKER,
		   version ? " " : "", version ? version : "");
	buf_puts(out, "# written at boot by systemd-tmpfiles (tmpfiles.d(5)); now: systemd-tmpfiles --create FILE.\n");
	buf_printf(out, "# %zu setting(s).\n", n);
	for (size_t i = 0; i < n; i++) {
		buf_putc(out, '\n');
		if (v[i].f) {
			buf_printf(out, "# %s: rule %s (%s)\n", v[i].path, v[i].f->rule, severity_name(v[i].f->severity));
			comment(out, v[i].f->reason);
		} else {
			buf_printf(out, "# %s: kept: this fragment set it, it is in effect, and no rule advises\n"
					"# otherwise (the stalls that advised it stop once it is live)\n",
				   v[i].path);
		}
		char *line = tmpfiles_line(v[i].path, v[i].value);
		buf_printf(out, "%s\n", line);
		free(line);
	}
	free(v);
	return n;
}
