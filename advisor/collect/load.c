/* load: one host from a tree or a snapshot, with rates.  Contract in load.h. */
#include "load.h"
#include "collect.h"
#include "rates.h"
#include "snapshot.h"
#include "../base/fileio.h"
#include "../base/numparse.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A snapshot's read error: -EINVAL is malformed text. */
static int snapshot_code(int rc)
{
	return rc == -EINVAL ? -EBADMSG : rc;
}

/* The earlier sample: a snapshot when it is a regular file, a tree otherwise. */
static int load_baseline(const struct host_source *src, struct host *base, struct diag_list *d)
{
	struct stat st;
	if (stat(src->baseline, &st)) {
		int rc = -errno;
		diag_add(d, DIAG_ERROR, src->baseline, 0, 0, "cannot read the baseline: %s", strerror(-rc));
		return rc;
	}
	if (S_ISREG(st.st_mode))
		return snapshot_code(snapshot_read(src->baseline, base, d));
	struct root r;
	int rc = root_open(&r, src->baseline);
	if (rc) {
		diag_add(d, DIAG_ERROR, src->baseline, 0, 0, "cannot read the baseline: %s", fileio_strerror(rc));
		return rc;
	}
	struct collect_opts co = {.page_size = src->page_size};
	rc = collect_host(&r, &co, base);
	root_close(&r);
	if (rc) {
		/* its errors, named as the baseline's; its warnings are about
		 * the earlier sample, not this host */
		for (size_t i = 0; i < base->diags.n; i++) {
			const struct diag *e = &base->diags.v[i];
			if (e->sev != DIAG_ERROR)
				continue;
			char *origin = xasprintf("%s%s%s", src->baseline, e->origin ? ": " : "", e->origin ? e->origin : "");
			diag_add(d, DIAG_ERROR, origin, e->line, e->col, "%s", e->msg);
			free(origin);
		}
		return -EBADMSG;
	}
	return 0;
}

static int contradiction(const struct host_source *src, struct diag_list *d)
{
	const char *why = src->root && src->snapshot ? "--root and --snapshot exclude each other"
			  : src->interval > 0 && src->baseline ? "--interval and --baseline exclude each other"
			  : src->interval > 0 && src->snapshot ? "--interval needs the live host, not a snapshot"
			  /* A snapshot is already collected; silently ignoring these
			   * would let a user believe they were applied. */
			  : src->snapshot && (src->sysctl_file || src->kernel_log || src->page_size)
				  ? "--sysctl-file, --kernel-log and --page-size apply to a tree (--root), not to a snapshot"
				  : NULL;
	if (why)
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "%s", why);
	return why ? -EINVAL : 0;
}

int host_source_set(struct host_source *src, const char *name, const char *arg, const char **why)
{
	uint64_t u;
	double s;
	const char *end;
	*why = NULL;
	if (!strcmp(name, "root") || !strcmp(name, "snapshot")) {
		bool root = name[0] == 'r'; /* given again: the last one counts */
		if (root ? src->snapshot != NULL : src->root != NULL)
			*why = "--root and --snapshot exclude each other";
		else
			*(root ? &src->root : &src->snapshot) = arg;
	} else if (!strcmp(name, "sysctl-file")) {
		src->sysctl_file = arg;
	} else if (!strcmp(name, "kernel-log")) {
		src->kernel_log = arg;
	} else if (!strcmp(name, "baseline")) {
		src->baseline = arg;
	} else if (!strcmp(name, "page-size")) {
		if (parse_u64(arg, &end, &u) || *end || u < 1024 || u > (1u << 20) || (u & (u - 1)))
			*why = "expected a power of two between 1024 and 1048576";
		else
			src->page_size = (unsigned long)u;
	} else if (!strcmp(name, "interval")) {
		if (parse_decimal(arg, &end, &s) || *end || !(s > 0) || s > 3600)
			*why = "expected seconds, more than 0 and at most 3600";
		else
			src->interval = s;
	} else {
		*why = "not a host option";
		return -ENOENT;
	}
	return *why ? -EINVAL : 0;
}

const char *host_source_dir(const struct host_source *src)
{
	return src->snapshot ? NULL : src->root ? src->root : "/";
}

/* Does the tree hold anything a host is read from?  An empty or mistyped
 * --root (a home directory, a sosreport's parent) would otherwise collect
 * to a host with no facts, and recommend would call it "as advised": could
 * not look is never OK.  A tree with a proc/ or sys/ is a capture, however
 * partial (some hold only proc/swaps or proc/pressure), and the collector
 * says file by file what it lacks; a --sysctl-file beside it is something
 * to read too. */
static int something_to_read(const struct root *r, const struct host_source *src, struct diag_list *d)
{
	struct stat st;
	if (src->sysctl_file || root_stat(r, "proc", &st) != -ENOENT || root_stat(r, "sys", &st) != -ENOENT)
		return 0;
	diag_add(d, DIAG_ERROR, r->path, 0, 0, "nothing to read: neither proc/ nor sys/ exists; not a captured tree?");
	return -ENOENT;
}

/* host_load with its own messages in d (empty on entry). */
static int load(const struct host_source *src, struct host *out, struct diag_list *d)
{
	int rc = contradiction(src, d);
	if (rc)
		return rc;
	struct root r = {.dirfd = -1};
	if (src->snapshot) {
		rc = snapshot_code(snapshot_read(src->snapshot, out, d));
	} else {
		const char *dir = src->root ? src->root : "/";
		rc = root_open(&r, dir);
		if (rc) {
			diag_add(d, DIAG_ERROR, dir, 0, 0, "%s", fileio_strerror(rc));
			return rc;
		}
		if (src->interval > 0 && !r.live) {
			diag_add(d, DIAG_ERROR, NULL, 0, 0, "--interval needs the live host (--root /)");
			root_close(&r);
			return -EINVAL;
		}
		if ((rc = something_to_read(&r, src, d))) {
			root_close(&r);
			return rc;
		}
		struct collect_opts co = {
			.sysctl_file = src->sysctl_file,
			.kernel_log = src->kernel_log,
			.page_size = src->page_size,
		};
		if (collect_host(&r, &co, out) ||
		    (src->interval > 0 && rates_interval(&r, src->interval, out, d)))
			rc = -EBADMSG;
		root_close(&r);
	}
	if (!rc && src->baseline) {
		struct host base = {0};
		rc = load_baseline(src, &base, d);
		if (!rc && rates_baseline(&base, out, d))
			rc = -EBADMSG;
		host_free(&base);
	}
	return rc;
}

int host_load(const struct host_source *src, struct host *out, struct diag_list *d)
{
	struct diag_list mine = {0};
	memset(out, 0, sizeof(*out));
	int rc = load(src, out, &mine);
	if (rc) {
		/* the host's own come first: they arose first */
		diag_splice(d, &out->diags);
		host_free(out);
	}
	diag_splice(d, &mine);
	return rc;
}
