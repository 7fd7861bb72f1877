/* derive: derived facts.  Contract in derive.h. */
#include "derive.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Totals that exist once per node since 4.8 ("pgscan_direct") and once per
 * zone before ("pgscan_direct_normal"): the node counter wins when both
 * are printed, so nothing is counted twice. */
static bool node_or_zone(const char *what)
{
	static const char *const t[] = {"pgscan_direct", "pgsteal_direct", "pgscan_kswapd",
					 "pgsteal_kswapd", "workingset_refault"};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(t[i], what))
			return true;
	return false;
}

int derive_vmstat_sum(const struct facts *f, const char *what, int64_t *out)
{
	char exact[96];
	snprintf(exact, sizeof(exact), "vmstat.%s", what);
	int64_t v, sum = 0;
	bool any = false;
	struct value x;
	if (facts_lookup(f, exact, &x) == 0 && x.type == FACT_INT) { /* a vmstat. member */
		v = x.u.i;
		if (node_or_zone(what)) {
			*out = v;
			return 0;
		}
		sum = v;
		any = true;
	}
	/* allocstall, pgalloc and the per-zone pre-4.8 counters: every
	 * "<what>_<suffix>".  pgscan_direct_throttle counts throttled tasks,
	 * not pages, and is not a zone. */
	size_t el = strlen(exact), n = facts_count(f);
	for (size_t i = 0; i < n; i++) {
		struct value val;
		bool present;
		const char *name = facts_at(f, i, &val, &present, NULL);
		if (!present || val.type != FACT_INT || strncmp(name, exact, el) || name[el] != '_')
			continue;
		if (!strcmp(name + el + 1, "throttle"))
			continue;
		/* Each counter is bounded (HOST_MAX_COUNTER), not their number. */
		if (__builtin_add_overflow(sum, val.u.i, &sum))
			return -EOVERFLOW;
		any = true;
	}
	if (!any)
		return -ENODATA;
	*out = sum;
	return 0;
}

/* "source: reason" when source is in the missing list, else fallback. */
static char *why(const struct facts *f, const char *source, const char *fallback)
{
	for (size_t i = 0; i < facts_missing_count(f); i++) {
		const char *s, *r;
		facts_missing_at(f, i, &s, &r);
		if (!strcmp(s, source))
			return xasprintf("%s: %s", s, r);
	}
	return xstrdup(fallback);
}

static void set_or_absent_int(struct facts *f, enum fact_id name, int rc, int64_t v,
			      const char *source, const char *reason)
{
	if (rc == 0)
		facts_set_int(f, name, v, source);
	else
		facts_set_absent(f, name, reason);
}

static void derive_reclaim(struct host *h)
{
	struct facts *f = h->facts;
	static const struct {
		enum fact_id name;
		const char *what;
	} totals[] = {
		{F_RECLAIM_ALLOCSTALL_TOTAL, "allocstall"},
		{F_RECLAIM_PGSCAN_DIRECT_TOTAL, "pgscan_direct"},
		{F_RECLAIM_PGSTEAL_DIRECT_TOTAL, "pgsteal_direct"},
		{F_RECLAIM_PGSCAN_KSWAPD_TOTAL, "pgscan_kswapd"},
		{F_RECLAIM_PGSTEAL_KSWAPD_TOTAL, "pgsteal_kswapd"},
	};
	/* A missing vmstat says so; a vmstat without the counter says that. */
	char *nodata = why(f, "proc/vmstat", "");
	int64_t v[5];
	int rc[5];
	for (size_t i = 0; i < 5; i++) {
		rc[i] = derive_vmstat_sum(f, totals[i].what, &v[i]);
		char *reason = nodata[0]		  ? xstrdup(nodata)
			       : rc[i] == -EOVERFLOW ? xasprintf("the %s_* counters add up beyond 2^63", totals[i].what)
						     : xasprintf("no %s counter in proc/vmstat", totals[i].what);
		set_or_absent_int(f, totals[i].name, rc[i], v[i], "proc/vmstat", reason);
		free(reason);
	}
	/* reclaim.direct_scan_share: who does the scanning. */
	if (rc[1] == 0 && rc[3] == 0 && v[1] + v[3] > 0)
		facts_set_float(f, F_RECLAIM_DIRECT_SCAN_SHARE, (double)v[1] / (double)(v[1] + v[3]),
				"derived");
	else
		facts_set_absent(f, F_RECLAIM_DIRECT_SCAN_SHARE,
				 rc[1] || rc[3] ? "pgscan_direct or pgscan_kswapd absent" : "no pages scanned");
	/* reclaim.efficiency: steal/scan over both reclaimers. */
	if (!rc[1] && !rc[2] && !rc[3] && !rc[4] && v[1] + v[3] > 0)
		facts_set_float(f, F_RECLAIM_EFFICIENCY, (double)(v[2] + v[4]) / (double)(v[1] + v[3]),
				"derived");
	else
		facts_set_absent(f, F_RECLAIM_EFFICIENCY,
				 rc[1] || rc[2] || rc[3] || rc[4] ? "pgscan/pgsteal counters absent"
								  : "no pages scanned");
	int64_t oom;
	if (facts_get_int(f, F_VMSTAT_OOM_KILL, &oom) == 0)
		facts_set_int(f, F_RECLAIM_OOM_KILLS, oom, "proc/vmstat oom_kill");
	else if (facts_get_int(f, F_KLOG_OOM_KILLS, &oom) == 0)
		facts_set_int(f, F_RECLAIM_OOM_KILLS, oom, facts_source(f, F_KLOG_OOM_KILLS));
	else
		facts_set_absent(f, F_RECLAIM_OOM_KILLS,
				 "no vmstat oom_kill (kernel before 4.13?) and no --kernel-log");
	free(nodata);
}

static void derive_mem(struct host *h)
{
	struct facts *f = h->facts;
	int64_t ps = 0;
	bool have_ps = facts_get_int(f, F_HOST_PAGE_SIZE, &ps) == 0 && ps > 0;

	/* Zone sums.  Kernels before 3.8 print no `managed`: `present` is the
	 * closest they have, and what their watermark code used. */
	const struct zoneinfo *zi = &h->zi;
	if (zi->nzones) {
		bool managed = false;
		for (size_t i = 0; i < zi->nzones; i++)
			managed |= zi->zones[i].managed != ZONE_ABSENT;
		int64_t total = 0, low = 0;
		for (size_t i = 0; i < zi->nzones; i++) {
			const struct zone *z = &zi->zones[i];
			int64_t p = managed ? z->managed : z->present;
			if (p == ZONE_ABSENT || p < 0)
				continue;
			total += p;
			enum zone_kind k = zone_kind_of(z->name);
			if (k != ZK_HIGHMEM && k != ZK_MOVABLE)
				low += p;
		}
		const char *field = managed ? "managed" : "present";
		const char *src = managed ? "proc/zoneinfo managed" : "proc/zoneinfo present";
		facts_set_str(f, F_MEM_MANAGED_FIELD, field, "proc/zoneinfo");
		facts_set_int(f, F_MEM_TOTAL_MANAGED_PAGES, total, src);
		facts_set_int(f, F_MEM_LOWMEM_MANAGED_PAGES, low, src);
		int64_t tb, lb;
		if (have_ps && !__builtin_mul_overflow(total, ps, &tb) && !__builtin_mul_overflow(low, ps, &lb)) {
			facts_set_int(f, F_MEM_TOTAL_MANAGED_BYTES, tb, src);
			facts_set_int(f, F_MEM_LOWMEM_MANAGED_BYTES, lb, src);
		} else if (have_ps) {
			/* Only a zone set no machine has gets here (each zone is
			 * bounded, host.h): say so rather than wrap. */
			facts_set_absent(f, F_MEM_TOTAL_MANAGED_BYTES, "proc/zoneinfo: managed bytes beyond 2^63");
			facts_set_absent(f, F_MEM_LOWMEM_MANAGED_BYTES, "proc/zoneinfo: managed bytes beyond 2^63");
		} else {
			facts_set_absent(f, F_MEM_TOTAL_MANAGED_BYTES, "page size unknown");
			facts_set_absent(f, F_MEM_LOWMEM_MANAGED_BYTES, "page size unknown");
		}
	} else {
		char *r = why(f, "proc/zoneinfo", "proc/zoneinfo: not parsed");
		static const enum fact_id names[] = {F_MEM_MANAGED_FIELD, F_MEM_TOTAL_MANAGED_PAGES,
						    F_MEM_LOWMEM_MANAGED_PAGES, F_MEM_TOTAL_MANAGED_BYTES,
						    F_MEM_LOWMEM_MANAGED_BYTES};
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			facts_set_absent(f, names[i], r);
		free(r);
	}

	/* meminfo kB -> pages. */
	static const struct {
		enum fact_id name, a, b;
	} sums[] = {
		{F_MEM_FILE_PAGES, F_MEMINFO_ACTIVE_FILE, F_MEMINFO_INACTIVE_FILE},
		{F_MEM_ANON_PAGES, F_MEMINFO_ACTIVE_ANON, F_MEMINFO_INACTIVE_ANON},
		{F_MEM_DIRTY_WRITEBACK_PAGES, F_MEMINFO_DIRTY, F_MEMINFO_WRITEBACK},
	};
	int64_t pages[3];
	bool ok[3];
	for (size_t i = 0; i < 3; i++) {
		int64_t a, b;
		ok[i] = false;
		if (!have_ps) {
			facts_set_absent(f, sums[i].name, "page size unknown");
			continue;
		}
		if (facts_get_int(f, sums[i].a, &a) || facts_get_int(f, sums[i].b, &b)) {
			char *fallback = xasprintf("%s or %s absent from proc/meminfo",
						   fact_def_of(sums[i].a)->name + 8,
						   fact_def_of(sums[i].b)->name + 8);
			char *r = why(f, "proc/meminfo", fallback);
			facts_set_absent(f, sums[i].name, r);
			free(r);
			free(fallback);
			continue;
		}
		pages[i] = (a + b) * 1024 / ps;
		ok[i] = true;
		facts_set_int(f, sums[i].name, pages[i], "proc/meminfo");
	}
	/* Shares of managed memory; MemTotal is the same number on upstream
	 * kernels (totalram_pages = sum of managed) when zoneinfo is missing. */
	int64_t denom = 0;
	const char *dsrc = NULL;
	int64_t mt;
	if (facts_get_int(f, F_MEM_TOTAL_MANAGED_PAGES, &denom) == 0 && denom > 0)
		dsrc = "proc/zoneinfo + proc/meminfo";
	else if (have_ps && facts_get_int(f, F_MEMINFO_MEMTOTAL, &mt) == 0 && mt > 0) {
		denom = mt * 1024 / ps;
		dsrc = "proc/meminfo (MemTotal)";
	}
	for (size_t i = 0; i < 2; i++) {
		enum fact_id name = i ? F_MEM_ANON_SHARE : F_MEM_FILE_SHARE;
		if (ok[i] && dsrc && denom > 0)
			facts_set_float(f, name, (double)pages[i] / (double)denom, dsrc);
		else
			facts_set_absent(f, name, ok[i] ? "no managed or MemTotal figure"
							 : "file/anon pages absent");
	}
}

/* Per-node free memory.  kswapd runs per node and balances a node by its
 * own zones' watermarks, so one node can sit at its high marks (kswapd
 * awake, allocations falling back to remote nodes) while another is
 * mostly free; a system-wide MemFree hides that. */
static void derive_numa(struct host *h)
{
	static const enum fact_id names[] = {F_NUMA_NODE_FREE_MIN_BYTES, F_NUMA_NODE_FREE_MIN_NODE,
					    F_NUMA_NODE_FREE_MAX_BYTES, F_NUMA_NODE_FREE_MAX_NODE,
					    F_NUMA_NODES_BELOW_HIGH};
	struct facts *f = h->facts;
	const struct zoneinfo *zi = &h->zi;
	int64_t ps = 0;
	const char *reason = NULL;
	if (!zi->nzones)
		reason = "proc/zoneinfo: not parsed";
	else if (facts_get_int(f, F_HOST_PAGE_SIZE, &ps) || ps <= 0)
		reason = "page size unknown";
	if (reason) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			facts_set_absent(f, names[i], reason);
		return;
	}
	/* Zones come grouped by node in file order. */
	int64_t min_free = -1, max_free = -1;
	int min_node = -1, max_node = -1;
	int64_t below = 0;
	for (size_t i = 0; i < zi->nzones;) {
		int node = zi->zones[i].node;
		int64_t free_pages = 0, high = 0;
		for (; i < zi->nzones && zi->zones[i].node == node; i++) {
			const struct zone *z = &zi->zones[i];
			if (z->free > 0)
				free_pages += z->free;
			if (z->high > 0)
				high += z->high;
		}
		below += free_pages < high;
		if (min_free < 0 || free_pages < min_free) {
			min_free = free_pages;
			min_node = node;
		}
		if (free_pages > max_free) {
			max_free = free_pages;
			max_node = node;
		}
	}
	int64_t minb, maxb;
	if (__builtin_mul_overflow(min_free, ps, &minb) || __builtin_mul_overflow(max_free, ps, &maxb)) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			facts_set_absent(f, names[i], "proc/zoneinfo: free bytes beyond 2^63");
		return;
	}
	facts_set_int(f, F_NUMA_NODE_FREE_MIN_BYTES, minb, "proc/zoneinfo");
	facts_set_int(f, F_NUMA_NODE_FREE_MIN_NODE, min_node, "proc/zoneinfo");
	facts_set_int(f, F_NUMA_NODE_FREE_MAX_BYTES, maxb, "proc/zoneinfo");
	facts_set_int(f, F_NUMA_NODE_FREE_MAX_NODE, max_node, "proc/zoneinfo");
	facts_set_int(f, F_NUMA_NODES_BELOW_HIGH, below, "proc/zoneinfo");
}

int derive_check_sources(const struct host *h, const char *origin, struct diag_list *d)
{
	/* The kernel's MemTotal is totalram_pages, the sum of the zones'
	 * managed pages (mm/page_alloc.c), so the two agree on any one host up
	 * to what changes between reading the files (ballooning, hotplug). */
	const struct zoneinfo *zi = &h->zi;
	int64_t mt_kb, ps, managed = 0;
	bool have_managed = false;
	if (!zi->nzones || facts_get_int(h->facts, F_MEMINFO_MEMTOTAL, &mt_kb) || mt_kb <= 0 ||
	    facts_get_int(h->facts, F_HOST_PAGE_SIZE, &ps) || ps <= 0)
		return 0;
	for (size_t i = 0; i < zi->nzones; i++)
		if (zi->zones[i].managed != ZONE_ABSENT) {
			have_managed = true;
			managed += zi->zones[i].managed; /* bounded: zoneinfo_check */
		}
	if (!have_managed)
		return 0; /* before 3.8: no managed line */
	double m_kb = (double)managed * (double)ps / 1024.0;
	if (managed == 0) {
		diag_add(d, DIAG_ERROR, origin, 0, 0,
			 "every zone's managed is 0 but MemTotal is %lld kB: the sources contradict each other "
			 "(the kernel's MemTotal is the sum of the zones' managed pages)",
			 (long long)mt_kb);
		return -EINVAL;
	}
	/* Not exact in practice: this machine's own capture (live-fc-6.18,
	 * a Firecracker guest) has MemTotal 2.9x its zones' managed pages.
	 * Beyond 4x the files are taken to be from different hosts. */
	if (m_kb > 4.0 * (double)mt_kb || 4.0 * m_kb < (double)mt_kb)
		diag_add(d, DIAG_WARNING, origin, 0, 0,
			 "the zones' managed pages (%.0f kB) and MemTotal (%lld kB) differ by more than 4x: "
			 "zoneinfo and meminfo from different hosts or times?",
			 m_kb, (long long)mt_kb);
	return 0;
}

void derive_facts(struct host *h)
{
	derive_reclaim(h);
	derive_mem(h);
	derive_numa(h);
}
