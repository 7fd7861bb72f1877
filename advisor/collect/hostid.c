#include "hostid.h"

#include "../base/fileio.h"
#include "../base/textsafe.h"
#include "../base/xalloc.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* machine-id is 32 hex digits and a newline; anything bigger is not one. */
#define MACHINE_ID_CAP 4096

static char *machine_id_digest(const char *rootdir)
{
	struct root r;
	if (root_open(&r, rootdir))
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	char *id = NULL;
	if (root_read(&r, "etc/machine-id", MACHINE_ID_CAP, &buf, &len) == 0) {
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
			len--;
		if (len) {
			uint64_t h = 1469598103934665603ull; /* FNV-1a 64 offset basis */
			for (size_t i = 0; i < len; i++)
				h = (h ^ (unsigned char)buf[i]) * 1099511628211ull;
			id = xasprintf("m-%016" PRIx64, h);
		}
	}
	free(buf);
	root_close(&r);
	return id;
}

char *host_id_from_origin(const char *origin)
{
	if (!origin || !*origin || !strcmp(origin, "/"))
		return xstrdup("localhost");
	char *o = xstrdup(origin);
	size_t n = strlen(o);
	while (n > 1 && o[n - 1] == '/')
		o[--n] = 0;
	const char *s = strrchr(o, '/');
	char *id = xstrdup(s && s[1] ? s + 1 : o);
	free(o);
	size_t m = strlen(id);
	if (m > 5 && !strcmp(id + m - 5, ".json"))
		id[m - 5] = 0;
	return id;
}

char *host_id_derive(const char *given, const char *rootdir, const char *origin)
{
	/* A given id and a path's last component are the user's text; the id
	 * goes into every format (textsafe.h). */
	if (given)
		return text_safe(given);
	char *id = rootdir ? machine_id_digest(rootdir) : NULL;
	if (id)
		return id;
	char *raw = host_id_from_origin(origin);
	id = text_safe(raw);
	free(raw);
	return id;
}
