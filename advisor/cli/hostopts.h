/* hostopts: the options every command uses to say which host to read.
 *
 *   --root DIR          a captured tree (default "/": the live host)
 *   --snapshot FILE     a JSON snapshot written by `collect`
 *   --sysctl-file FILE  a `sysctl -a` dump for sysctls missing from the tree
 *   --kernel-log FILE   dmesg or /var/log/messages text (OOM, allocation failures)
 *   --page-size N       page size of a captured tree when it cannot be read
 *   --interval S        sample vmstat/PSI twice, S seconds apart (live only)
 *   --baseline DIR|FILE an earlier capture of the same host, for rates
 *
 * Commands append HOSTOPTS_LONGOPTS to their getopt_long table and pass
 * every option they do not know to hostopts_handle(), then read the host
 * with cli_load_host().
 */
#ifndef ADVISOR_HOSTOPTS_H
#define ADVISOR_HOSTOPTS_H

#include "../base/diag.h"
#include "../collect/load.h"

#include <getopt.h>
#include <stdio.h>

enum {
	HO_ROOT = 1000,
	HO_SNAPSHOT,
	HO_SYSCTL_FILE,
	HO_KERNEL_LOG,
	HO_PAGE_SIZE,
	HO_INTERVAL,
	HO_BASELINE,
};

#define HOSTOPTS_LONGOPTS                                        \
	{"root", required_argument, NULL, HO_ROOT},                  \
	{"snapshot", required_argument, NULL, HO_SNAPSHOT},          \
	{"sysctl-file", required_argument, NULL, HO_SYSCTL_FILE},    \
	{"kernel-log", required_argument, NULL, HO_KERNEL_LOG},      \
	{"page-size", required_argument, NULL, HO_PAGE_SIZE},        \
	{"interval", required_argument, NULL, HO_INTERVAL},          \
	{"baseline", required_argument, NULL, HO_BASELINE}

/* Handle one getopt_long result.  Returns 1 when opt was a host option
 * (consumed), 0 when it is not one, -1 on a bad argument (message on
 * stderr: this is CLI code). */
int hostopts_handle(struct host_source *o, int opt, const char *arg);

/* host_load (collect/load.h) for a command: its errors and warnings on
 * stderr ("reclaim-advisor: " and the diagnostic), notes kept in the host;
 * returns an EXIT_* code (EXIT_OK on success). */
int cli_load_host(const struct host_source *o, struct host *out);

#endif
