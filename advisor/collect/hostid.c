#include "hostid.h"

#include "../base/fileio.h"
#include "../base/fnv.h"
#include "../base/textsafe.h"
#include "../base/xalloc.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* machine-id is 32 hex digits and a newline; anything bigger is not one. */
#define MACHINE_ID_CAP 4096

/* The first published ids were hashed from 1469598103934665603, FNV-1a's
 * offset basis with its last digit lost; ids must stay what audits and
 * fleet histories already hold, so that start is kept (the digest is an
 * identity, not a checksum anyone recomputes). */
#define HOSTID_FNV_START UINT64_C(1469598103934665603)

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
		if (len)
			id = xasprintf("m-%016" PRIx64, fnv1a64(HOSTID_FNV_START, buf, len));
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
	return o;
}

char *host_id_derive(const char *given, const char *rootdir, const char *hostname, const char *origin)
{
	/* A given id, a host name and a path are text from the user or the
	 * host; the id goes into every format (textsafe.h). */
	if (given)
		return text_safe(given);
	char *id = rootdir ? machine_id_digest(rootdir) : NULL;
	if (id)
		return id;
	if (hostname && *hostname)
		return text_safe(hostname);
	char *raw = host_id_from_origin(origin);
	id = text_safe(raw);
	free(raw);
	return id;
}
