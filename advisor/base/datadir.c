#include "datadir.h"
#include "xalloc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *datadir_find(const char *env_var, const char *installed, const char *name)
{
	const char *env = env_var ? getenv(env_var) : NULL;
	if (env && *env)
		return xstrdup(env);
	const char *top = getenv("RECLAIM_ADVISOR_DATADIR");
	if (top && *top)
		return xasprintf("%s/%s", top, name);
	if (installed && is_dir(installed))
		return xstrdup(installed);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	static const char *const up[] = {"..", "../.."};
	for (size_t i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
		char *dir = xasprintf("%s/%s/%s", exe, up[i], name);
		char *real = realpath(dir, NULL);
		free(dir);
		if (real && is_dir(real))
			return real;
		free(real);
	}
	return NULL;
}
