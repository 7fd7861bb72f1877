#include "apply.h"

#include "../base/sysval.h"

#include "../base/xalloc.h"
#include "../model/sysctl_catalog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *apply_result_name(enum apply_result r)
{
	switch (r) {
	case APPLY_APPLIED:
		return "applied";
	case APPLY_REFUSED:
		return "refused";
	case APPLY_NOT_PERMITTED:
		return "not_permitted";
	case APPLY_ABSENT:
		return "absent";
	case APPLY_FAILED:
		return "failed";
	}
	return "failed";
}

char *apply_sysctl_path(const char *key)
{
	char *p = xasprintf("proc/sys/%s", key);
	for (char *c = p + strlen("proc/sys/"); *c; c++)
		if (*c == '.')
			*c = '/';
	return p;
}

static char *read_value(const struct root *r, const char *rel, int *err)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = root_read(r, rel, 64u << 10, &buf, &len);
	if (rc) {
		*err = -rc;
		return NULL;
	}
	/* All of it: a file that still holds more than the value (an old,
	 * longer value not truncated) must not read back as the value. */
	char *v = sysval_normalize(buf, len);
	free(buf);
	return v;
}

static enum apply_result classify(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
	case EROFS:
		return APPLY_NOT_PERMITTED;
	case EINVAL:
	case ERANGE:
		return APPLY_REFUSED;
	case ENOENT:
		return APPLY_ABSENT;
	default:
		return APPLY_FAILED;
	}
}

int apply_values(const struct root *r, const struct apply_req *req, size_t n, struct apply_entry **out)
{
	struct apply_entry *e = xcalloc(n ? n : 1, sizeof(*e));
	for (size_t i = 0; i < n; i++) {
		char *rel = apply_sysctl_path(req[i].sysctl);
		int err = 0;
		e[i].sysctl = xstrdup(req[i].sysctl);
		/* the first line: a value never spans lines in /proc/sys */
		e[i].written = sysval_normalize(req[i].value, strcspn(req[i].value, "\n"));
		e[i].previous = read_value(r, rel, &err);
		if (!e[i].previous && err == ENOENT) {
			e[i].result = APPLY_ABSENT;
			e[i].err = err;
			free(rel);
			continue;
		}
		const struct sysctl_def *sc = sysctl_catalog_lookup(req[i].sysctl);
		if (sc && sc->partner) {
			char *prel = apply_sysctl_path(sc->partner);
			int perr = 0;
			e[i].partner = xstrdup(sc->partner);
			e[i].partner_previous = read_value(r, prel, &perr);
			free(prel);
		}
		char *line = xasprintf("%s\n", e[i].written);
		int rc = root_write_existing(r, rel, line, strlen(line));
		free(line);
		if (rc) {
			e[i].err = -rc;
			e[i].result = classify(-rc);
			free(rel);
			continue;
		}
		err = 0;
		e[i].readback = read_value(r, rel, &err);
		if (!e[i].readback) {
			e[i].err = err;
			e[i].result = APPLY_FAILED;
		} else if (!sysval_equal(e[i].readback, e[i].written)) {
			/* Accepted by write() but not kept: the kernel clamped it. */
			e[i].result = APPLY_REFUSED;
		} else {
			e[i].result = APPLY_APPLIED;
		}
		free(rel);
	}
	*out = e;
	return 0;
}

int apply_under(const char *dir, const struct apply_req *req, size_t n, struct apply_entry **out)
{
	struct root root = {.dirfd = -1};
	int rc = root_open(&root, dir);
	if (!rc)
		apply_values(&root, req, n, out);
	root_close(&root);
	return rc;
}

bool apply_any(const struct apply_entry *e, size_t n, enum apply_result r)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].result == r)
			return true;
	return false;
}

void apply_entries_free(struct apply_entry *e, size_t n)
{
	if (!e)
		return;
	for (size_t i = 0; i < n; i++) {
		free(e[i].sysctl);
		free(e[i].previous);
		free(e[i].written);
		free(e[i].readback);
		free(e[i].partner);
		free(e[i].partner_previous);
	}
	free(e);
}
