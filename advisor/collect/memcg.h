/* memcg: the cgroup v2 memory controller's evidence under a root.
 *
 * /proc/vmstat counts only global reclaim (allocstall_*, pgscan_kswapd/direct
 * are under `if (!cgroup_reclaim(sc))` in mm/vmscan.c): a host whose groups
 * are throttled by memory.high or reclaimed and killed at memory.max reads
 * as idle there.  The groups' own files say it: memory.events (high, max,
 * oom, oom_kill), memory.stat (pgscan, pgsteal) and memory.pressure.
 *
 * memcg_collect walks <root>/sys/fs/cgroup breadth first, confined to the
 * root like every read (fileio), at most MEMCG_MAX_GROUPS directories and
 * MEMCG_MAX_DEPTH levels (a tree beyond either is reported, not followed),
 * and sets the memcg.* facts (catalog_derived.def).  Events are counted
 * once per group: memory.events.local (5.2+), else memory.events of the
 * groups with no memory-enabled child (memory.events is hierarchical).  A
 * tree with no cgroup v2 hierarchy leaves every memcg.* fact absent with
 * the reason.  Returns 0, or -EINVAL when a file was refused or malformed
 * (recorded in d; the facts from the rest are still set).
 */
#ifndef ADVISOR_MEMCG_H
#define ADVISOR_MEMCG_H

#include "../base/diag.h"
#include "../base/fileio.h"
#include "../facts/facts.h"

#define MEMCG_MAX_GROUPS 4096
#define MEMCG_MAX_DEPTH 16

int memcg_collect(const struct root *r, struct facts *f, struct diag_list *d);

#endif
