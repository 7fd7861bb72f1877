/* hostopts: the host options and host_load().  Contract in hostopts.h.
 * This is CLI code: it prints to stderr and returns exit codes. */
#include "hostopts.h"
#include "exitcodes.h"
#include "../base/fileio.h"
#include "../base/numparse.h"
#include "../collect/collect.h"
#include "../collect/rates.h"
#include "../collect/snapshot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int bad(const char *opt, const char *arg, const char *why)
{
	fprintf(stderr, "reclaim-advisor: --%s %s: %s\n", opt, arg, why);
	return -1;
}

int hostopts_handle(struct hostopts *o, int opt, const char *arg)
{
	switch (opt) {
	case HO_ROOT:
		if (o->snapshot)
			return bad("root", arg, "--root and --snapshot exclude each other");
		o->root = arg;
		return 1;
	case HO_SNAPSHOT:
		if (o->root)
			return bad("snapshot", arg, "--root and --snapshot exclude each other");
		o->snapshot = arg;
		return 1;
	case HO_SYSCTL_FILE:
		o->sysctl_file = arg;
		return 1;
	case HO_KERNEL_LOG:
		o->kernel_log = arg;
		return 1;
	case HO_BASELINE:
		o->baseline = arg;
		return 1;
	case HO_PAGE_SIZE: {
		uint64_t v;
		const char *end;
		if (parse_u64(arg, &end, &v) || *end || v < 1024 || v > (1u << 20) || (v & (v - 1)))
			return bad("page-size", arg, "expected a power of two between 1024 and 1048576");
		o->page_size = (unsigned long)v;
		return 1;
	}
	case HO_INTERVAL: {
		double v;
		const char *end;
		if (parse_decimal(arg, &end, &v) || *end || !(v > 0) || v > 3600)
			return bad("interval", arg, "expected seconds, more than 0 and at most 3600");
		o->interval = v;
		return 1;
	}
	default:
		return 0;
	}
}

/* Errors and warnings; notes stay in the host (the snapshot keeps them). */
static void print_diags(FILE *err, const struct diag_list *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].sev == DIAG_NOTE)
			continue;
		fputs("reclaim-advisor: ", err);
		diag_print(err, &d->v[i]);
	}
}

/* A baseline is a snapshot when it is a regular file, a tree otherwise. */
static int load_baseline(const struct hostopts *o, struct host *base, FILE *err)
{
	struct stat st;
	if (stat(o->baseline, &st)) {
		fprintf(err, "reclaim-advisor: --baseline %s: %s\n", o->baseline, strerror(errno));
		return EXIT_NOINPUT;
	}
	struct diag_list d = {0};
	if (S_ISREG(st.st_mode)) {
		int rc = snapshot_read(o->baseline, base, &d);
		print_diags(err, &d);
		diag_list_clear(&d);
		return rc ? (rc == -EINVAL ? EXIT_DATAERR : EXIT_NOINPUT) : EXIT_OK;
	}
	struct root r;
	int rc = root_open(&r, o->baseline);
	if (rc) {
		fprintf(err, "reclaim-advisor: --baseline %s: %s\n", o->baseline, fileio_strerror(rc));
		return EXIT_NOINPUT;
	}
	struct collect_opts co = {.page_size = o->page_size};
	rc = collect_host(&r, &co, base);
	root_close(&r);
	if (rc) {
		for (size_t i = 0; i < base->diags.n; i++)
			if (base->diags.v[i].sev == DIAG_ERROR) {
				fprintf(err, "reclaim-advisor: %s: ", o->baseline);
				diag_print(err, &base->diags.v[i]);
			}
		return EXIT_DATAERR;
	}
	return EXIT_OK;
}

int host_load(const struct hostopts *o, struct host *out)
{
	return host_load_to(o, out, stderr);
}

int host_load_to(const struct hostopts *o, struct host *out, FILE *err)
{
	memset(out, 0, sizeof(*out));
	if (o->root && o->snapshot) {
		fprintf(err, "reclaim-advisor: --root and --snapshot exclude each other\n");
		return EXIT_USAGE;
	}
	if (o->interval > 0 && o->baseline) {
		fprintf(err, "reclaim-advisor: --interval and --baseline exclude each other\n");
		return EXIT_USAGE;
	}
	if (o->interval > 0 && o->snapshot) {
		fprintf(err, "reclaim-advisor: --interval needs the live host, not a snapshot\n");
		return EXIT_USAGE;
	}
	if (o->snapshot && (o->sysctl_file || o->kernel_log || o->page_size)) {
		/* A snapshot is already collected; silently ignoring these
		 * would let a user believe they were applied. */
		fprintf(err, "reclaim-advisor: --sysctl-file, --kernel-log and --page-size apply to "
				"a tree (--root), not to a snapshot\n");
		return EXIT_USAGE;
	}
	struct diag_list d = {0};
	int code = EXIT_OK;
	struct root r = {.dirfd = -1};
	if (o->snapshot) {
		int rc = snapshot_read(o->snapshot, out, &d);
		if (rc) {
			print_diags(err, &d);
			diag_list_clear(&d);
			return rc == -EINVAL ? EXIT_DATAERR : EXIT_NOINPUT;
		}
	} else {
		const char *dir = o->root ? o->root : "/";
		int rc = root_open(&r, dir);
		if (rc) {
			fprintf(err, "reclaim-advisor: %s: %s\n", dir, fileio_strerror(rc));
			return EXIT_NOINPUT;
		}
		if (o->interval > 0 && !r.live) {
			fprintf(err, "reclaim-advisor: --interval needs the live host (--root /)\n");
			root_close(&r);
			return EXIT_USAGE;
		}
		struct collect_opts co = {
			.sysctl_file = o->sysctl_file,
			.kernel_log = o->kernel_log,
			.page_size = o->page_size,
		};
		rc = collect_host(&r, &co, out);
		print_diags(err, &out->diags);
		if (rc) {
			code = EXIT_DATAERR;
			goto out;
		}
		if (o->interval > 0 && rates_interval(&r, o->interval, out, &d)) {
			code = EXIT_DATAERR;
			goto out;
		}
	}
	if (o->baseline) {
		struct host base = {0};
		code = load_baseline(o, &base, err);
		if (code == EXIT_OK && rates_baseline(&base, out, &d))
			code = EXIT_DATAERR;
		host_free(&base);
	}
out:
	print_diags(err, &d);
	diag_list_clear(&d);
	if (r.dirfd >= 0)
		root_close(&r);
	if (code != EXIT_OK)
		host_free(out);
	return code;
}
