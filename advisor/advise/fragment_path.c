/* fragment_path: where a fragment written on this machine lives on the
 * host it is for.  Contract in advise.h. */
#include "advise.h"

#include "../base/fileio.h"
#include "../base/xalloc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *advise_fragment_host_path(const char *root, const char *out)
{
	if (!out)
		return xstrdup(FRAGMENT_DEFAULT_PATH);
	if (!root) {
		/* A snapshot: the fragment is written here and deployed there. */
		const char *base = strrchr(out, '/');
		return xasprintf("/etc/sysctl.d/%s", base ? base + 1 : out);
	}
	if (!strcmp(root, "/")) {
		if (out[0] == '/')
			return xstrdup(out);
		char cwd[PATH_MAX];
		if (getcwd(cwd, sizeof(cwd)))
			return xasprintf("%s/%s", strcmp(cwd, "/") ? cwd : "", out);
		return xstrdup(out);
	}
	char *rel = root_rel_of(root, out);
	if (rel) {
		char *p = xasprintf("/%s", rel);
		free(rel);
		return p;
	}
	const char *base = strrchr(out, '/');
	return xasprintf("/etc/sysctl.d/%s", base ? base + 1 : out);
}
