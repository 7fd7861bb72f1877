/* load: the host a user names, read as one call.
 *
 * A host comes from a captured or live tree (root, "/" by default) or a
 * JSON snapshot written by `collect`; a tree may borrow sysctls from a
 * `sysctl -a` dump and the kernel's messages from a log; rates come from a
 * second sample, either S seconds later on the live host (interval) or an
 * earlier capture or snapshot of the same host (baseline, rates.h).  These
 * are the `--root`, `--snapshot`, ... options every host-reading command
 * takes (cli/commands.def, the "host" lines) and the Ansible module's root.
 *
 * Diagnostics are data: nothing here prints.  The host's own collection
 * diagnostics stay in out->diags (the snapshot and the report keep them);
 * what load itself has to say (an unreadable root or baseline, a
 * contradictory source, a rate that cannot be computed) is appended to d.
 */
#ifndef ADVISOR_COLLECT_LOAD_H
#define ADVISOR_COLLECT_LOAD_H

#include "../base/diag.h"
#include "host.h"

struct host_source {
	const char *root;        /* a tree; NULL = "/" */
	const char *snapshot;    /* a JSON snapshot instead of a tree */
	const char *sysctl_file; /* tree only: `sysctl -a` text for sysctls the tree lacks */
	const char *kernel_log;  /* tree only: dmesg or /var/log/messages text */
	const char *baseline;    /* an earlier tree or snapshot (a regular file) of the same host */
	unsigned long page_size; /* tree only: 0 = detect */
	double interval;         /* live tree only: seconds between two samples, 0 = none */
};

/* One host option into *src, by its long name as the CLI spells it:
 * "root", "snapshot", "sysctl-file", "kernel-log", "baseline",
 * "page-size", "interval".  0; -EINVAL with *why (static text) when the
 * value cannot be used (--root and --snapshot exclude each other; a page
 * size is a power of two from 1024 to 1048576; an interval is seconds,
 * more than 0 and at most 3600); -ENOENT (and *why) for another name.  *src is
 * written only on success. */
int host_source_set(struct host_source *src, const char *name, const char *arg, const char **why);

/* The tree src reads ("/" when none is named), or NULL for a snapshot. */
const char *host_source_dir(const struct host_source *src);

/* Read the host src names into *out (zeroed first; host_free it on
 * success).  Returns 0, or:
 *   -EINVAL   src contradicts itself (a snapshot with tree-only fields, an
 *             interval with a baseline or off the live host): a usage error;
 *   -EBADMSG  an input is malformed (a source of the tree, the snapshot,
 *             the baseline), or the rates cannot be computed;
 *   other     -errno: the root, snapshot or baseline cannot be read.
 * On failure *out is freed and its diagnostics are moved to the end of d,
 * in the order they arose, after load's own. */
int host_load(const struct host_source *src, struct host *out, struct diag_list *d);

#endif
