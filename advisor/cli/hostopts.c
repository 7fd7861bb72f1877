/* hostopts: the host options and cli_load_host().  Contract in hostopts.h.
 * This is CLI code: it prints to stderr and returns exit codes. */
#include "hostopts.h"
#include "exitcodes.h"
#include "../base/numparse.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int bad(const char *opt, const char *arg, const char *why)
{
	fprintf(stderr, "reclaim-advisor: --%s %s: %s\n", opt, arg, why);
	return -1;
}

int hostopts_handle(struct host_source *o, int opt, const char *arg)
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
static void print_diags(const struct diag_list *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].sev == DIAG_NOTE)
			continue;
		fputs("reclaim-advisor: ", stderr);
		diag_print(stderr, &d->v[i]);
	}
}

int cli_load_host(const struct host_source *o, struct host *out)
{
	struct diag_list d = {0};
	int rc = host_load(o, out, &d);
	if (!rc && !o->snapshot) /* a snapshot's are from when it was taken */
		print_diags(&out->diags);
	print_diags(&d);
	diag_list_clear(&d);
	return !rc ? EXIT_OK : rc == -EINVAL ? EXIT_USAGE : rc == -EBADMSG ? EXIT_DATAERR : EXIT_NOINPUT;
}
