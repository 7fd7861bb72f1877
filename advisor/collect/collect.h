/* collect: read one host (live or a captured tree) into a struct host.
 *
 * Every file is reached through a struct root (fileio.h), so the same code
 * reads "/" and a captured tree.  Sources and the facts they yield are
 * listed in docs and in catalog_raw.def; in short: proc/zoneinfo (into
 * host->zi), proc/meminfo (meminfo.<Key>, kB), proc/vmstat (vmstat.<name>),
 * proc/swaps (swap.*), proc/uptime, proc/pressure/memory (psi.*),
 * proc/sys/vm (sysctl.vm.*), kernel.osrelease, THP, zram, zswap, NUMA
 * nodes, container and virtualisation hints, an optional kernel log.
 *
 * Missing or unreadable source: its facts are *absent* with the reason, the
 * source is listed with facts_add_missing(), and collection goes on.
 * Malformed source: the parser's error (origin:line) lands in host->diags,
 * collection still goes on (report every error), and collect_host returns
 * -EINVAL at the end.
 *
 * sysctls missing from proc/sys/vm are taken, in this order, from
 * opts->sysctl_file, ROOT/sos_commands/kernel/sysctl_-a (sosreport) or
 * ROOT/sysctl-a.txt (our captures); each fact's source names the file and
 * line it came from.
 *
 * Page size: sysconf on the live root; else proc/self/smaps KernelPageSize;
 * else opts->page_size; else inferred (a note) from an arm64-only huge page
 * size (THP PMD or Hugepagesize of 512 MiB -> 64 KiB, 32 MiB -> 16 KiB);
 * else 4096 with the warning "page size assumed 4096" and
 * host.page_size_source "assumed".
 *
 * Container hint (host.container): cgroup paths (kubepods, docker, lxc...)
 * and run/systemd/container name the manager; .dockerenv and
 * run/.containerenv count only when kthreadd is not visible (a PID
 * namespace), because images booted as VMs keep them.  "none" when some
 * evidence was readable and none matched; absent when nothing was.
 *
 * Derived facts (derive.h) and since-boot rates (rates.h) are computed
 * before returning.  --interval and --baseline rates are applied later by
 * the caller (rates.h) because they need a second sample.
 */
#ifndef ADVISOR_COLLECT_H
#define ADVISOR_COLLECT_H

#include "../base/fileio.h"
#include "host.h"

struct collect_opts {
	const char *sysctl_file;  /* `sysctl -a` dump for gaps, or NULL */
	const char *kernel_log;   /* dmesg / messages text, or NULL */
	unsigned long page_size;  /* 0 = detect */
};

/* Collect the host under r into *out (zeroed first; the caller frees it
 * with host_free in every case, also on error, to read out->diags).
 * Returns 0, or -EINVAL when at least one source was malformed or an
 * explicitly named file (sysctl_file, kernel_log) could not be read; the
 * errors are in out->diags. */
int collect_host(const struct root *r, const struct collect_opts *opts, struct host *out);

#endif
