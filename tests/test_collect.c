/* Tests for the collector (collect/collect.h), derived facts (derive.h) and
 * rates (rates.h), run on the real captures in fixtures/. */
#include "testutil.h"

#include "collect/collect.h"
#include "collect/derive.h"
#include "collect/rates.h"
#include "collect/snapshot.h"
#include "base/buf.h"
#include "base/kver.h"
#include "base/xalloc.h"
#include "model/sysctl_catalog.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CAP "fixtures/captures/"

static char *mkroot(const char *const *files);
static void rmroot(char *dir);

/* Collect dir; rc is what collect_host returned. */
static int collect_dir(const char *dir, const struct collect_opts *o, struct host *h)
{
	struct root r;
	int rc = root_open(&r, dir);
	if (rc)
		fail_msg("cannot open %s: %d", dir, rc);
	rc = collect_host(&r, o, h);
	root_close(&r);
	return rc;
}

/* By name, as a snapshot or a rule sees the facts (family members too). */
static int64_t geti(const struct host *h, const char *name)
{
	struct value v;
	int rc = facts_lookup(h->facts, name, &v);
	if (rc || v.type != FACT_INT)
		fail_msg("%s: fact %s: %d (%s)", h->origin, name, rc,
			 facts_lookup_reason(h->facts, name) ? facts_lookup_reason(h->facts, name) : "-");
	return v.u.i;
}

static double getf(const struct host *h, const char *name)
{
	struct value v;
	int rc = facts_lookup(h->facts, name, &v);
	if (rc || (v.type != FACT_INT && v.type != FACT_FLOAT))
		fail_msg("%s: fact %s: %d", h->origin, name, rc);
	return v.type == FACT_INT ? (double)v.u.i : v.u.f;
}

static const char *gets_(const struct host *h, const char *name)
{
	struct value v;
	if (facts_lookup(h->facts, name, &v) || v.type != FACT_STR)
		fail_msg("%s: fact %s not a present string", h->origin, name);
	return v.u.s;
}

static void put_int(struct facts *f, const char *name, int64_t i)
{
	struct value v = {.type = FACT_INT, .u.i = i};
	assert_int_equal(facts_put(f, name, &v, NULL), 0);
}

static bool has_diag(const struct host *h, enum diag_sev sev, const char *origin, const char *needle)
{
	for (size_t i = 0; i < h->diags.n; i++) {
		const struct diag *d = &h->diags.v[i];
		if (d->sev == sev && (!origin || (d->origin && !strcmp(d->origin, origin))) &&
		    strstr(d->msg, needle))
			return true;
	}
	return false;
}

static bool is_missing(const struct host *h, const char *source)
{
	for (size_t i = 0; i < facts_missing_count(h->facts); i++) {
		const char *s, *r;
		facts_missing_at(h->facts, i, &s, &r);
		if (!strcmp(s, source))
			return true;
	}
	return false;
}

/* Every capture collects without error. */
static void test_every_capture(void **state)
{
	(void)state;
	char **names;
	size_t n;
	assert_int_equal(dir_list("fixtures/captures", &names, &n), 0);
	size_t dirs = 0;
	for (size_t i = 0; i < n; i++) {
		char *dir = xasprintf(CAP "%s", names[i]);
		struct stat st;
		if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
			free(dir);
			continue;
		}
		dirs++;
		struct host h;
		int rc = collect_dir(dir, NULL, &h);
		if (rc) {
			diag_print_all(stderr, &h.diags);
			fail_msg("%s: collect_host %d", dir, rc);
		}
		assert_int_equal(diag_count(&h.diags, DIAG_ERROR), 0);
		if (strstr(names[i], "lkml-2007-ppc64")) {
			/* hand-annotated meminfo ("1014600 kB << 1GB Ram"): a
			 * warning naming the line, and the value kept */
			assert_true(has_diag(&h, DIAG_WARNING, "proc/meminfo", ""));
			assert_int_equal(geti(&h, "meminfo.MemTotal"), 1014600);
		}
		/* Facts every collection decides on, present or absent. */
		assert_true(facts_has(h.facts, F_HOST_PAGE_SIZE));
		assert_true(facts_has(h.facts, F_RECLAIM_ALLOCSTALL_TOTAL) ||
			    facts_reason(h.facts, F_RECLAIM_ALLOCSTALL_TOTAL));
		assert_true(facts_has(h.facts, F_MEM_TOTAL_MANAGED_PAGES) ||
			    facts_reason(h.facts, F_MEM_TOTAL_MANAGED_PAGES));
		host_free(&h);
		free(dir);
	}
	fileio_names_free(names);
	assert_int_equal(dirs, 37);
}

static void test_profihost(void **state)
{
	(void)state;
	struct host h;
	assert_int_equal(collect_dir(CAP "lkml-2019-profihost-4.19-x86_64-16g-vm", NULL, &h), 0);
	/* allocstall_normal 39 + allocstall_movable 1980089 (dma, dma32 0) */
	assert_int_equal(geti(&h, "reclaim.allocstall_total"), 39 + 1980089);
	assert_int_equal(geti(&h, "vmstat.allocstall_movable"), 1980089);
	assert_int_equal(geti(&h, "reclaim.pgscan_direct_total"), 395327492);
	assert_int_equal(geti(&h, "reclaim.pgsteal_direct_total"), 349291470);
	assert_int_equal(geti(&h, "reclaim.pgscan_kswapd_total"), 36878966);
	assert_float_equal(getf(&h, "reclaim.direct_scan_share"),
			   395327492.0 / (395327492.0 + 36878966.0), 1e-12);
	assert_float_equal(getf(&h, "reclaim.efficiency"),
			   (349291470.0 + 36740923.0) / (395327492.0 + 36878966.0), 1e-12);
	assert_int_equal(geti(&h, "sysctl.vm.min_free_kbytes"), 164231);
	assert_string_equal(facts_source(h.facts, F_SYSCTL_VM_MIN_FREE_KBYTES),
			    "proc/sys/vm/min_free_kbytes");
	assert_int_equal(geti(&h, "sysctl.vm.watermark_scale_factor"), 10);
	assert_int_equal(geti(&h, "meminfo.MemTotal"), 16423116);
	assert_int_equal(geti(&h, "host.numa_nodes"), 1);
	assert_int_equal(geti(&h, "mem.total_managed_pages"), 4105779);
	assert_string_equal(gets_(&h, "mem.managed_field"), "managed");
	/* Active(file)+Inactive(file) = 194580+153452 kB = 87008 pages */
	assert_int_equal(geti(&h, "mem.file_pages"), (194580 + 153452) / 4);
	/* never zero for a missing source */
	assert_false(facts_has(h.facts, F_PROC_UPTIME));
	assert_non_null(strstr(facts_reason(h.facts, F_PROC_UPTIME), "proc/uptime"));
	assert_false(facts_has(h.facts, F_RATE_PGALLOC));
	assert_false(facts_has(h.facts, F_SYSCTL_VM_SWAPPINESS));
	assert_true(is_missing(&h, "proc/sys/vm/swappiness"));
	host_free(&h);
}

static void test_numa_4node(void **state)
{
	(void)state;
	struct host h;
	assert_int_equal(collect_dir(CAP "ncollectd-zoneinfo-3.10ish-x86_64-190g-4node", NULL, &h), 0);
	assert_int_equal(geti(&h, "host.numa_nodes"), 4);
	assert_int_equal(h.zi.nzones, 6);
	assert_int_equal(h.zi.zones[5].node, 3);
	assert_string_equal(h.zi.zones[5].name, "Normal");
	/* no meminfo, no vmstat in this capture: absent with the reason */
	assert_false(facts_has(h.facts, F_RECLAIM_ALLOCSTALL_TOTAL));
	assert_non_null(strstr(facts_reason(h.facts, F_RECLAIM_ALLOCSTALL_TOTAL), "proc/vmstat"));
	assert_false(facts_has(h.facts, F_MEMINFO_MEMTOTAL));
	assert_non_null(strstr(facts_reason(h.facts, F_MEMINFO_MEMTOTAL), "proc/meminfo"));
	int64_t sum = 0;
	for (size_t i = 0; i < h.zi.nzones; i++)
		sum += h.zi.zones[i].managed;
	assert_int_equal(geti(&h, "mem.total_managed_pages"), sum);
	host_free(&h);

	assert_int_equal(collect_dir(CAP "pcp-qa-002-x86_64-128g-2node-xeon-e5", NULL, &h), 0);
	assert_int_equal(geti(&h, "host.numa_nodes"), 2);
	host_free(&h);
}

static void test_old_allocstall(void **state)
{
	(void)state;
	struct host h;
	assert_int_equal(collect_dir(CAP "ubuntu14.04-3.13-x86_64-8g-swap-allocstall", NULL, &h), 0);
	assert_int_equal(geti(&h, "vmstat.allocstall"), 2852);
	assert_int_equal(geti(&h, "reclaim.allocstall_total"), 2852);
	assert_int_equal(facts_get_int(h.facts, F_VMSTAT_ALLOCSTALL_NORMAL, &(int64_t){0}), -ENODATA);
	assert_string_equal(facts_reason(h.facts, F_VMSTAT_ALLOCSTALL_NORMAL),
			    "not printed in proc/vmstat by this kernel");
	assert_string_equal(gets_(&h, "kernel.osrelease"), "3.13.0-77-generic");
	assert_int_equal(geti(&h, "host.kernel_version"), 3 * 65536 + 13 * 256);
	assert_string_equal(gets_(&h, "swap.kind"), "disk");
	assert_int_equal(geti(&h, "swap.devices"), 1);
	/* 3.13 has no oom_kill counter and no kernel log was given */
	assert_false(facts_has(h.facts, F_RECLAIM_OOM_KILLS));
	host_free(&h);
}

/* No proc/sys/kernel/osrelease: the release comes from proc/version. */
static void test_release_from_proc_version(void **state)
{
	(void)state;
	struct host h;
	assert_int_equal(collect_dir(CAP "android-3.4-arm32-highmem-1g-goclever", NULL, &h), 0);
	assert_string_equal(gets_(&h, "kernel.osrelease"), "3.4.5");
	assert_string_equal(facts_source(h.facts, F_KERNEL_OSRELEASE), "proc/version");
	assert_int_equal(geti(&h, "host.kernel_version"), 3 * 65536 + 4 * 256 + 5);
	/* 32-bit with HighMem: lowmem excludes it */
	int64_t high = -1;
	for (size_t i = 0; i < h.zi.nzones; i++)
		if (zone_kind_of(h.zi.zones[i].name) == ZK_HIGHMEM)
			high = h.zi.zones[i].managed != ZONE_ABSENT ? h.zi.zones[i].managed
								    : h.zi.zones[i].present;
	assert_true(high > 0);
	assert_int_equal(geti(&h, "mem.lowmem_managed_pages") + high,
			 geti(&h, "mem.total_managed_pages"));
	host_free(&h);
}

static void test_composite_zram_per_zone_pgscan(void **state)
{
	(void)state;
	struct host h;
	assert_int_equal(collect_dir(CAP "node-exporter-fixtures-composite", NULL, &h), 0);
	assert_string_equal(gets_(&h, "swap.kind"), "zram");
	assert_int_equal(geti(&h, "swap.zram_bytes"), INT64_C(8388604) * 1024);
	assert_int_equal(geti(&h, "swap.used_bytes"), 76 * 1024);
	assert_int_equal(geti(&h, "swap.disk_bytes"), 0);
	/* pre-4.8 vmstat: one allocstall, per-zone pgscan/pgsteal summed,
	 * pgscan_direct_throttle (not a zone) left out */
	assert_int_equal(geti(&h, "reclaim.allocstall_total"), 83165);
	assert_int_equal(geti(&h, "reclaim.pgscan_direct_total"), 67 + 6796);
	assert_int_equal(geti(&h, "reclaim.pgsteal_direct_total"), 44 + 6484);
	assert_int_equal(geti(&h, "reclaim.pgscan_kswapd_total"), 107656 + 358784);
	assert_int_equal(geti(&h, "reclaim.pgsteal_kswapd_total"), 78783 + 254128);
	int64_t pgalloc;
	assert_int_equal(derive_vmstat_sum(h.facts, "pgalloc", &pgalloc), 0);
	assert_int_equal(pgalloc, INT64_C(12) + 611781566 + 2287227526);
	host_free(&h);
}

static void test_arm720t_assumed_page_size(void **state)
{
	(void)state;
	struct host h;
	assert_int_equal(collect_dir(CAP "arm720t-2.6.16-embedded", NULL, &h), 0);
	assert_int_equal(geti(&h, "host.page_size"), 4096);
	assert_string_equal(gets_(&h, "host.page_size_source"), "assumed");
	assert_true(has_diag(&h, DIAG_WARNING, NULL, "page size assumed 4096"));
	/* 2.6.16 zoneinfo has no `managed`: present is summed */
	assert_string_equal(gets_(&h, "mem.managed_field"), "present");
	assert_int_equal(geti(&h, "mem.total_managed_pages"), 8192);
	assert_int_equal(geti(&h, "host.kernel_version"), 2 * 65536 + 6 * 256 + 16);
	/* an empty proc/swaps: no swap, not missing */
	assert_int_equal(geti(&h, "swap.devices"), 0);
	assert_string_equal(gets_(&h, "swap.kind"), "none");
	host_free(&h);

	/* --page-size wins over the assumption */
	struct collect_opts o = {.page_size = 16384};
	assert_int_equal(collect_dir(CAP "arm720t-2.6.16-embedded", &o, &h), 0);
	assert_int_equal(geti(&h, "host.page_size"), 16384);
	assert_string_equal(gets_(&h, "host.page_size_source"), "option");
	assert_false(has_diag(&h, DIAG_WARNING, NULL, "page size assumed"));
	host_free(&h);
}

static void test_arm64_64k(void **state)
{
	(void)state;
	struct host h;
	assert_int_equal(collect_dir(CAP "arm64-64k-4.18-256g-thp-leak-oom", NULL, &h), 0);
	assert_int_equal(geti(&h, "host.page_size"), 65536);
	assert_string_equal(gets_(&h, "host.page_size_source"), "inferred");
	/* file pages in 64 KiB pages, not 4 KiB ones */
	int64_t af = geti(&h, "meminfo.Active(file)"), inf = geti(&h, "meminfo.Inactive(file)");
	assert_int_equal(geti(&h, "mem.file_pages"), (af + inf) / 64);
	/* no zoneinfo: shares of MemTotal */
	int64_t mt = geti(&h, "meminfo.MemTotal");
	assert_float_equal(getf(&h, "mem.file_share"), (double)((af + inf) / 64) / (double)(mt / 64),
			   1e-12);
	assert_true(geti(&h, "reclaim.oom_kills") > 0);
	host_free(&h);

	/* the THP PMD size says the same: 512 MiB only with 64 KiB pages */
	const char *const pmd[] = {"sys/kernel/mm/transparent_hugepage/hpage_pmd_size", "536870912\n",
				   NULL};
	char *dir = mkroot(pmd);
	assert_int_equal(collect_dir(dir, NULL, &h), 0);
	assert_int_equal(geti(&h, "host.page_size"), 65536);
	assert_string_equal(facts_source(h.facts, F_HOST_PAGE_SIZE),
			    "sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
	host_free(&h);
	rmroot(dir);
}

static void test_live_fixture(void **state)
{
	(void)state;
	struct host h;
	assert_int_equal(collect_dir("fixtures/live-fc-6.18", NULL, &h), 0);
	assert_int_equal(diag_count(&h.diags, DIAG_WARNING), 0);
	assert_int_equal(geti(&h, "host.page_size"), 4096);
	assert_string_equal(gets_(&h, "host.page_size_source"), "smaps");
	assert_string_equal(gets_(&h, "kernel.osrelease"), "6.18.44-fc-v657");
	assert_int_equal(geti(&h, "host.kernel_version"), 6 * 65536 + 18 * 256 + 44);
	/* the image's .dockerenv is there, but kthreadd is visible: a VM */
	assert_string_equal(gets_(&h, "host.container"), "none");
	assert_true(has_diag(&h, DIAG_NOTE, ".dockerenv", "kthreadd"));
	assert_string_equal(gets_(&h, "host.virt"), "vm");
	assert_string_equal(gets_(&h, "thp.enabled"), "madvise");
	assert_string_equal(gets_(&h, "thp.defrag"), "madvise");
	assert_int_equal(geti(&h, "thp.hpage_pmd_size"), 2097152);
	assert_int_equal(geti(&h, "zram.devices"), 1);
	assert_int_equal(geti(&h, "zram.disksize_bytes"), 0);
	assert_string_equal(gets_(&h, "zram.comp_algorithm"), "lzo-rle");
	struct value v;
	assert_int_equal(facts_get(h.facts, F_ZSWAP_ENABLED, &v), 0);
	assert_false(v.u.b);
	assert_int_equal(geti(&h, "zswap.max_pool_percent"), 20);
	assert_string_equal(gets_(&h, "zswap.compressor"), "lzo");
	assert_int_equal(geti(&h, "sysctl.vm.min_free_kbytes"), 67584);
	assert_int_equal(geti(&h, "sysctl.vm.watermark_boost_factor"), 15000);
	assert_string_equal(gets_(&h, "sysctl.vm.lowmem_reserve_ratio"), "256 256 32 0 0");
	/* a vm sysctl outside the catalog is kept as text */
	assert_string_equal(gets_(&h, "sysctl.vm.vfs_cache_pressure_denom"), "100");
	struct value sr;
	assert_int_not_equal(facts_lookup(h.facts, "sysctl.vm.stat_refresh", &sr), 0);
	assert_string_equal(gets_(&h, "host.nodes_online"), "0");
	assert_int_equal(geti(&h, "host.numa_nodes"), 1);
	assert_int_equal(h.zi.nzones, 5);
	assert_int_equal(geti(&h, "psi.some.total"), 0);
	assert_string_equal(gets_(&h, "swap.kind"), "none");
	assert_int_equal(facts_missing_count(h.facts), 0);
	/* since-boot rates: sum of pgalloc_* over the uptime */
	assert_string_equal(gets_(&h, "rate.kind"), "since-boot");
	int64_t pgalloc;
	assert_int_equal(derive_vmstat_sum(h.facts, "pgalloc", &pgalloc), 0);
	double up = getf(&h, "proc.uptime");
	assert_float_equal(getf(&h, "rate.window_s"), up, 0);
	assert_float_equal(getf(&h, "rate.pgalloc"), (double)pgalloc / up, 1e-9);
	assert_float_equal(getf(&h, "rate.alloc_bytes"), (double)pgalloc / up * 4096, 1e-6);
	host_free(&h);
}

static void test_live_root(void **state)
{
	(void)state;
	if (access("/proc/zoneinfo", R_OK) || access("/proc/vmstat", R_OK))
		skip();
	struct host h;
	int rc = collect_dir("/", NULL, &h);
	if (rc)
		diag_print_all(stderr, &h.diags);
	assert_int_equal(rc, 0);
	assert_string_equal(gets_(&h, "host.page_size_source"), "sysconf");
	assert_int_equal(geti(&h, "host.page_size"), sysconf(_SC_PAGESIZE));
	assert_true(h.zi.nzones > 0);
	assert_true(geti(&h, "mem.total_managed_pages") > 0);
	assert_true(geti(&h, "host.kernel_version") > 0);
	assert_true(getf(&h, "proc.uptime") > 0);
	assert_string_equal(gets_(&h, "rate.kind"), "since-boot");
	host_free(&h);
}

static void test_sosreport(void **state)
{
	(void)state;
	struct host h;
	assert_int_equal(collect_dir("fixtures/sosreport-rhel8", NULL, &h), 0);
	assert_int_equal(geti(&h, "sysctl.vm.min_free_kbytes"), 67584);
	assert_string_equal(facts_source(h.facts, F_SYSCTL_VM_MIN_FREE_KBYTES),
			    "sos_commands/kernel/sysctl_-a:979");
	assert_int_equal(geti(&h, "sysctl.vm.watermark_scale_factor"), 10);
	assert_string_equal(gets_(&h, "sysctl.vm.lowmem_reserve_ratio"), "256 256 32 0 0");
	assert_string_equal(gets_(&h, "kernel.osrelease"), "4.18.0-80.11.2.el8_0.x86_64");
	assert_string_equal(facts_source(h.facts, F_KERNEL_OSRELEASE),
			    "sos_commands/kernel/sysctl_-a:143");
	assert_int_equal(geti(&h, "host.kernel_version"), 4 * 65536 + 18 * 256);
	assert_true(is_missing(&h, "proc/sys/vm"));
	for (size_t i = 0; i < facts_missing_count(h.facts); i++) {
		const char *src, *why;
		facts_missing_at(h.facts, i, &src, &why);
		if (!strcmp(src, "proc/sys/vm"))
			assert_string_equal(why, "No such file or directory; sysctls taken from "
						 "sos_commands/kernel/sysctl_-a");
	}
	host_free(&h);

	/* --sysctl-file fills the gaps of a tree without any sysctl. */
	struct collect_opts o = {.sysctl_file = CAP "rhel8-coreos-sosreport-4.18-x86_64/sysctl-a.txt"};
	assert_int_equal(collect_dir(CAP "ncollectd-zoneinfo-3.10ish-x86_64-190g-4node", &o, &h), 0);
	assert_int_equal(geti(&h, "sysctl.vm.min_free_kbytes"), 67584);
	assert_string_equal(facts_source(h.facts, F_SYSCTL_VM_MIN_FREE_KBYTES),
			    CAP "rhel8-coreos-sosreport-4.18-x86_64/sysctl-a.txt:979");
	host_free(&h);

	/* An explicitly named file that cannot be read is an error. */
	o.sysctl_file = "fixtures/no-such-sysctl-dump";
	assert_int_equal(collect_dir("fixtures/sosreport-rhel8", &o, &h), -EINVAL);
	assert_true(has_diag(&h, DIAG_ERROR, "fixtures/no-such-sysctl-dump", "cannot read"));
	host_free(&h);
}

static void test_container_like(void **state)
{
	(void)state;
	struct host h;
	assert_int_equal(collect_dir("fixtures/container-like", NULL, &h), 0);
	assert_string_equal(gets_(&h, "host.container"), "kubernetes");
	assert_int_equal(h.zi.nzones, 0);
	assert_false(facts_has(h.facts, F_MEM_TOTAL_MANAGED_PAGES));
	assert_string_equal(facts_reason(h.facts, F_MEM_TOTAL_MANAGED_PAGES),
			    "proc/zoneinfo: No such file or directory");
	assert_false(facts_has(h.facts, F_PSI_SOME_AVG10));
	assert_string_equal(facts_reason(h.facts, F_PSI_SOME_AVG10), "PSI disabled");
	assert_false(facts_has(h.facts, F_RATE_PSI_SOME));
	assert_int_equal(geti(&h, "sysctl.vm.swappiness"), 60);
	assert_int_equal(geti(&h, "sysctl.vm.overcommit_memory"), 1);
	assert_false(facts_has(h.facts, F_SYSCTL_VM_MIN_FREE_KBYTES));
	assert_false(facts_has(h.facts, F_HOST_KERNEL_VERSION));
	assert_false(facts_has(h.facts, F_HOST_NUMA_NODES));
	assert_true(is_missing(&h, "proc/zoneinfo"));
	assert_true(is_missing(&h, "proc/sys/vm/min_free_kbytes"));
	assert_true(is_missing(&h, "sys/block"));
	assert_false(is_missing(&h, "proc/pressure/memory")); /* empty = PSI off, not missing */
	/* rates since boot from the hand-written uptime */
	assert_float_equal(getf(&h, "rate.window_s"), 812.47, 1e-9);
	assert_float_equal(getf(&h, "rate.allocstall"), 0, 0);
	/* file pages via meminfo, share of MemTotal since zoneinfo is missing */
	assert_true(getf(&h, "mem.file_share") > 0 && getf(&h, "mem.file_share") < 1);
	host_free(&h);
}

/* A temp root with the given files. */
static char *mkroot(const char *const *files)
{
	char tmpl[] = "/tmp/test_collect.XXXXXX";
	char *dir = xstrdup(mkdtemp(tmpl));
	for (; files[0]; files += 2) {
		char *path = xasprintf("%s/%s", dir, files[0]);
		for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fwrite(files[1], 1, strlen(files[1]), f);
		fclose(f);
		free(path);
	}
	return dir;
}

static void rmroot(char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}

static void test_malformed(void **state)
{
	(void)state;
	struct host h;
	/* a counter line before any zone header */
	const char *const zi[] = {"proc/zoneinfo", "  pages free 12\n", "proc/uptime", "10.0 5.0\n",
				  NULL};
	char *dir = mkroot(zi);
	assert_int_equal(collect_dir(dir, NULL, &h), -EINVAL);
	assert_true(has_diag(&h, DIAG_ERROR, "proc/zoneinfo", ""));
	/* the rest was still collected */
	assert_float_equal(getf(&h, "proc.uptime"), 10.0, 0);
	host_free(&h);
	rmroot(dir);

	/* a binary vmstat and a garbled sysctl, both reported */
	const char *const bad[] = {"proc/sys/vm/swappiness", "sixty\n", NULL};
	dir = mkroot(bad);
	char *vm = xasprintf("%s/proc/vmstat", dir);
	FILE *f = fopen(vm, "w");
	fwrite("nr_free_pages 1\n\0\1\2", 1, 19, f);
	fclose(f);
	free(vm);
	assert_int_equal(collect_dir(dir, NULL, &h), -EINVAL);
	assert_true(has_diag(&h, DIAG_ERROR, "proc/vmstat", "binary"));
	assert_true(has_diag(&h, DIAG_ERROR, "proc/sys/vm/swappiness", ""));
	assert_false(facts_has(h.facts, F_SYSCTL_VM_SWAPPINESS));
	assert_false(facts_has(h.facts, F_RECLAIM_ALLOCSTALL_TOTAL));
	host_free(&h);
	rmroot(dir);

	/* a vmstat number that overflows 64 bits */
	const char *const ovf[] = {"proc/vmstat", "pgscan_direct 99999999999999999999999\n", NULL};
	dir = mkroot(ovf);
	assert_int_equal(collect_dir(dir, NULL, &h), -EINVAL);
	assert_true(has_diag(&h, DIAG_ERROR, "proc/vmstat", ""));
	host_free(&h);
	rmroot(dir);

	/* an empty tree: everything absent, nothing fails */
	const char *const none[] = {NULL};
	dir = mkroot(none);
	assert_int_equal(collect_dir(dir, NULL, &h), 0);
	assert_false(facts_has(h.facts, F_MEMINFO_MEMTOTAL));
	assert_true(is_missing(&h, "proc/meminfo"));
	assert_true(facts_missing_count(h.facts) >= 5);
	host_free(&h);
	rmroot(dir);
}

static void test_container_markers(void **state)
{
	(void)state;
	struct host h;
	/* inside a PID namespace (no kthreadd), .dockerenv means docker */
	const char *const docker[] = {".dockerenv", "", "proc/1/cgroup", "0::/\n", NULL};
	char *dir = mkroot(docker);
	assert_int_equal(collect_dir(dir, NULL, &h), 0);
	assert_string_equal(gets_(&h, "host.container"), "docker");
	assert_string_equal(facts_source(h.facts, F_HOST_CONTAINER), ".dockerenv");
	host_free(&h);
	rmroot(dir);
	/* cgroup v1 paths name the manager even with kernel threads visible */
	const char *const lxc[] = {"proc/1/cgroup", "4:memory:/lxc/web01\n", "proc/2/comm",
				   "kthreadd\n", NULL};
	dir = mkroot(lxc);
	assert_int_equal(collect_dir(dir, NULL, &h), 0);
	assert_string_equal(gets_(&h, "host.container"), "lxc");
	host_free(&h);
	rmroot(dir);
	/* systemd's own detection */
	const char *const nspawn[] = {"run/systemd/container", "systemd-nspawn\n", NULL};
	dir = mkroot(nspawn);
	assert_int_equal(collect_dir(dir, NULL, &h), 0);
	assert_string_equal(gets_(&h, "host.container"), "systemd-nspawn");
	assert_false(facts_has(h.facts, F_HOST_VIRT));
	host_free(&h);
	rmroot(dir);
	/* a guest: DMI vendor */
	const char *const kvm[] = {"sys/class/dmi/id/sys_vendor", "QEMU\n", "proc/cpuinfo",
				   "flags\t\t: fpu hypervisor lm\n", NULL};
	dir = mkroot(kvm);
	assert_int_equal(collect_dir(dir, NULL, &h), 0);
	assert_string_equal(gets_(&h, "host.virt"), "qemu");
	host_free(&h);
	rmroot(dir);
	const char *const metal[] = {"proc/cpuinfo", "flags\t\t: fpu lm hypervisorx\n", NULL};
	dir = mkroot(metal);
	assert_int_equal(collect_dir(dir, NULL, &h), 0);
	assert_string_equal(gets_(&h, "host.virt"), "none");
	host_free(&h);
	rmroot(dir);
}

static void test_sysfs_variants(void **state)
{
	(void)state;
	struct host h;
	/* RHEL 6 THP directory; zswap as 1/0; two zram devices; a node list */
	const char *const files[] = {
		"sys/kernel/mm/redhat_transparent_hugepage/enabled", "[always] madvise never\n",
		"sys/kernel/mm/redhat_transparent_hugepage/defrag", "always [never]\n",
		"sys/module/zswap/parameters/enabled", "1\n",
		"sys/block/zram0/disksize", "1073741824\n",
		"sys/block/zram0/comp_algorithm", "lzo [zstd]\n",
		"sys/block/zram1/disksize", "536870912\n",
		"sys/block/sda/size", "100\n",
		"sys/devices/system/node/online", "0-3,6\n",
		"proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n/swapfile file 1024 0 -2\n",
		NULL};
	char *dir = mkroot(files);
	assert_int_equal(collect_dir(dir, NULL, &h), 0);
	assert_string_equal(gets_(&h, "thp.enabled"), "always");
	assert_string_equal(gets_(&h, "thp.defrag"), "never");
	assert_non_null(strstr(facts_reason(h.facts, F_THP_HPAGE_PMD_SIZE), "No such file"));
	struct value v;
	assert_int_equal(facts_get(h.facts, F_ZSWAP_ENABLED, &v), 0);
	assert_true(v.u.b);
	assert_int_equal(geti(&h, "zram.devices"), 2);
	assert_int_equal(geti(&h, "zram.disksize_bytes"), INT64_C(1073741824) + 536870912);
	assert_string_equal(gets_(&h, "zram.comp_algorithm"), "zstd");
	assert_string_equal(gets_(&h, "host.nodes_online"), "0-3,6");
	assert_int_equal(geti(&h, "host.numa_nodes"), 5); /* no zoneinfo: the online list */
	/* disk swap with zswap on */
	assert_string_equal(gets_(&h, "swap.kind"), "zswap");
	host_free(&h);
	rmroot(dir);

	const char *const bad[] = {"sys/devices/system/node/online", "0-x\n",
				   "sys/module/zswap/parameters/enabled", "maybe\n", NULL};
	dir = mkroot(bad);
	assert_int_equal(collect_dir(dir, NULL, &h), -EINVAL);
	assert_true(has_diag(&h, DIAG_ERROR, "sys/devices/system/node/online", "node list"));
	assert_true(has_diag(&h, DIAG_ERROR, "sys/module/zswap/parameters/enabled", "Y or N"));
	host_free(&h);
	rmroot(dir);
}

/* Property test: truncated real files and random text never crash the
 * collector (ASan/UBSan watch in `make asan`), give 0 or -EINVAL, and a
 * snapshot of whatever was collected reads back. */
static void write_file(const char *dir, const char *rel, const char *data, size_t n)
{
	char *path = xasprintf("%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fwrite(data, 1, n, f);
	fclose(f);
	free(path);
}

static void check_survives(const char *dir, unsigned seed)
{
	struct host h, back;
	struct diag_list d = {0};
	int rc = collect_dir(dir, NULL, &h);
	if (rc != 0 && rc != -EINVAL)
		fail_msg("seed %u: rc %d", seed, rc);
	if (rc == -EINVAL)
		assert_true(diag_count(&h.diags, DIAG_ERROR) > 0);
	struct buf b = {0};
	snapshot_write(&h, NULL, &b);
	if (snapshot_parse(b.p, b.len, "s.json", &back, &d)) {
		diag_print_all(stderr, &d);
		fail_msg("seed %u: snapshot does not read back", seed);
	}
	host_free(&back);
	diag_list_clear(&d);
	buf_free(&b);
	host_free(&h);
}

static void test_garbage(void **state)
{
	(void)state;
	static const char *const srcs[] = {"proc/zoneinfo", "proc/meminfo", "proc/vmstat", "proc/swaps",
					   NULL};
	const char *cap = CAP "ubuntu14.04-3.13-x86_64-8g-swap-allocstall";
	const char *const skel[] = {"proc/uptime", "1.0 1.0\n", "proc/pressure/memory", "\n",
				    "proc/sys/vm/min_free_kbytes", "1\n", "sysctl-a.txt", "\n", NULL};
	char *dir = mkroot(skel);
	unsigned seed = 12345;
	for (unsigned round = 0; round < 60; round++) {
		for (size_t i = 0; srcs[i]; i++) {
			char *path = xasprintf("%s/%s", cap, srcs[i]);
			size_t len;
			char *buf = tu_read(path, &len);
			free(path);
			seed = seed * 1103515245u + 12345u;
			size_t cut = len ? (seed >> 8) % (len + 1) : 0;
			if (round % 3 == 2) {
				/* random text of the right alphabet */
				static const char alpha[] = "0123456789 :\n\tkBNodezone-()_.pagesfree";
				for (size_t j = 0; j < cut; j++) {
					seed = seed * 1103515245u + 12345u;
					buf[j] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
				}
			}
			write_file(dir, srcs[i], buf, cut);
			free(buf);
		}
		seed = seed * 1103515245u + 12345u;
		static const char *const junk[] = {"60\n", "-1\n", "", "x\n", "99999999999999999999\n",
						   " 7 \n", "1 2\n"};
		const char *j = junk[(seed >> 16) % 7];
		write_file(dir, "proc/sys/vm/min_free_kbytes", j, strlen(j));
		const char *u = junk[(seed >> 20) % 7];
		write_file(dir, "proc/uptime", u, strlen(u));
		write_file(dir, "proc/pressure/memory", u, strlen(u));
		write_file(dir, "sysctl-a.txt", u, strlen(u));
		check_survives(dir, round);
	}
	rmroot(dir);
}

static void test_kernel_log(void **state)
{
	(void)state;
	const char *const files[] = {
		"kern.log",
		"[ 10.0] foo invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), order=0\n"
		"[ 10.1] Out of memory: Killed process 1234 (java) total-vm:100kB\n"
		"[ 20.0] kworker: page allocation failure: order:3, mode:0x104020(GFP_ATOMIC|__GFP_COMP)\n"
		"[ 30.0] Out of memory: Killed process 99 (python3) total-vm:100kB\n",
		NULL};
	char *dir = mkroot(files);
	char *log = xasprintf("%s/kern.log", dir);
	struct collect_opts o = {.kernel_log = log};
	struct host h;
	assert_int_equal(collect_dir(CAP "ubuntu14.04-3.13-x86_64-8g-swap-allocstall", &o, &h), 0);
	assert_int_equal(geti(&h, "klog.oom_kills"), 2);
	assert_non_null(strstr(gets_(&h, "klog.oom_last"), "python3"));
	assert_int_equal(geti(&h, "klog.alloc_failures"), 1);
	assert_int_equal(geti(&h, "klog.alloc_failure_max_order"), 3);
	/* no vmstat oom_kill on 3.13: the log's count is used */
	assert_int_equal(geti(&h, "reclaim.oom_kills"), 2);
	assert_string_equal(facts_source(h.facts, F_RECLAIM_OOM_KILLS), log);
	host_free(&h);
	free(log);
	rmroot(dir);
}

static void test_kernel_version(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int rc;
		int64_t v;
	} t[] = {
		{"6.18.44-fc-v669", 0, 6 * 65536 + 18 * 256 + 44},
		{"2.6.16", 0, 2 * 65536 + 6 * 256 + 16},
		{"4.20.0-rc3-next-20181123", 0, 4 * 65536 + 20 * 256},
		{"3.2.0-4-amd64", 0, 3 * 65536 + 2 * 256},
		{"5.14.0-162.6.1.el9_1.x86_64", 0, 5 * 65536 + 14 * 256},
		{"4.20-next", 0, 4 * 65536 + 20 * 256},
		{"4.9.337", 0, 4 * 65536 + 9 * 256 + 255}, /* sublevel clamped */
		{"2.6.32.71", 0, 2 * 65536 + 6 * 256 + 32},
		{"6", -EINVAL, 0},
		{"linux", -EINVAL, 0},
		{"", -EINVAL, 0},
		{"300.1.1", -EINVAL, 0},
		{"99999999999999999999999.1", -EINVAL, 0},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int64_t v = -1;
		int rc = kver_from_release(t[i].s, &v);
		if (rc != t[i].rc || (rc == 0 && v != t[i].v))
			fail_msg("\"%s\": rc %d v %lld", t[i].s, rc, (long long)v);
	}
}

/* Debian's release hides the stable patch level, /proc/version names it
 * (kver.h): real /proc/version files of the captures and QEMU guests. */
static void test_debian_stable(void **state)
{
	(void)state;
	static const struct {
		const char *root, *release;
		int64_t kv; /* host.kernel_version */
		const char *source;
	} t[] = {
		/* "... #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)" */
		{"fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/before", "6.1.0-56-amd64", KVER(6, 1, 192),
		 "proc/version"},
		{"fixtures/derived/qemu-6.1-1g-memcg-oom/after", "6.1.0-57-amd64", KVER(6, 1, 192), "proc/version"},
		/* "... #1 SMP Debian 5.10.84-1 (2021-12-08)"; gcc's "(Debian 10.2.1-6)" before it is not it */
		{CAP "debian11-5.10-x86_64-vm-2g-swap", "5.10.0-10-amd64", KVER(5, 10, 84), "proc/version"},
		/* the release already says it */
		{"fixtures/derived/qemu-6.12-1g-wsf1000-week-uptime", "6.12.117+deb12-amd64", KVER(6, 12, 117),
		 "proc/sys/kernel/osrelease"},
		/* Ubuntu ("#121-Ubuntu"), RHEL: no upstream version in /proc/version */
		{CAP "ubuntu14.04-3.13-x86_64-8g-swap-allocstall", "3.13.0-77-generic", KVER(3, 13, 0),
		 "proc/sys/kernel/osrelease"},
		{CAP "centos-stream9-5.14-x86_64-do-droplet", NULL, KVER(5, 14, 0), NULL},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct host h;
		assert_int_equal(collect_dir(t[i].root, NULL, &h), 0);
		if (t[i].release)
			assert_string_equal(gets_(&h, "kernel.osrelease"), t[i].release);
		if (geti(&h, "host.kernel_version") != t[i].kv)
			fail_msg("%s: %lld, expected %lld", t[i].root, (long long)geti(&h, "host.kernel_version"),
				 (long long)t[i].kv);
		if (t[i].source)
			assert_string_equal(facts_source(h.facts, F_HOST_KERNEL_VERSION), t[i].source);
		host_free(&h);
	}
	/* the pure reader: only x.y.0 releases, only the same x.y, the last tag */
	size_t len;
	char *v = tu_read("fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/before/proc/version", &len);
	int64_t out = -1;
	assert_int_equal(kver_from_proc_version(v, len, KVER(6, 1, 0), &out), 0);
	assert_int_equal(out, KVER(6, 1, 192));
	assert_int_equal(kver_from_proc_version(v, len, KVER(6, 1, 5), &out), -ENODATA);
	assert_int_equal(kver_from_proc_version(v, len, KVER(12, 2, 0), &out), -ENODATA); /* gcc's */
	assert_int_equal(kver_from_proc_version(v, len, KVER(6, 2, 0), &out), -ENODATA);
	assert_int_equal(kver_from_proc_version(v, len / 2, KVER(6, 1, 0), &out), -ENODATA); /* cut before */
	free(v);
	/* What it is for: a range that came with a stable backport.  The
	 * Debian 11 capture's 5.10.84 predates 5.10.186: still 1000. */
	const struct sysctl_def *wsf = sysctl_catalog_lookup("vm.watermark_scale_factor");
	int64_t lo, hi;
	sysctl_legal_range(wsf, KVER(5, 10, 84), &lo, &hi);
	assert_int_equal(hi, 1000);
	int64_t k510;
	assert_true(kver_from_release("5.10.262", &k510) == 0); /* Debian 11's 5.10.0-46; sublevel clamped to 255 */
	sysctl_legal_range(wsf, k510, &lo, &hi);
	assert_int_equal(hi, 3000);
}

/* Baseline rates between two trees built from the live capture. */
static void test_rates_baseline(void **state)
{
	(void)state;
	struct facts *a = facts_new(), *b = facts_new();
	struct host h0 = {.facts = a, .origin = xstrdup("early")};
	struct host h1 = {.facts = b, .origin = xstrdup("late")};
	facts_set_float(a, F_PROC_UPTIME, 100.0, NULL);
	facts_set_float(b, F_PROC_UPTIME, 110.0, NULL);
	put_int(a, "vmstat.pgalloc_normal", 1000);
	put_int(a, "vmstat.pgalloc_dma32", 100);
	put_int(b, "vmstat.pgalloc_normal", 3000);
	put_int(b, "vmstat.pgalloc_dma32", 200);
	facts_set_int(a, F_VMSTAT_ALLOCSTALL_NORMAL, 5, NULL);
	facts_set_int(b, F_VMSTAT_ALLOCSTALL_NORMAL, 25, NULL);
	facts_set_int(a, F_PSI_SOME_TOTAL, 1000000, NULL);
	facts_set_int(b, F_PSI_SOME_TOTAL, 1500000, NULL);
	facts_set_int(b, F_HOST_PAGE_SIZE, 4096, NULL);
	struct diag_list d = {0};
	assert_int_equal(rates_baseline(&h0, &h1, &d), 0);
	assert_string_equal(facts_get_str(b, F_RATE_KIND), "baseline");
	double v;
	assert_int_equal(facts_get_num(b, F_RATE_WINDOW_S, &v), 0);
	assert_float_equal(v, 10.0, 1e-12);
	assert_int_equal(facts_get_num(b, F_RATE_PGALLOC, &v), 0);
	assert_float_equal(v, 210.0, 1e-9);
	assert_int_equal(facts_get_num(b, F_RATE_ALLOC_BYTES, &v), 0);
	assert_float_equal(v, 210.0 * 4096, 1e-6);
	assert_int_equal(facts_get_num(b, F_RATE_ALLOCSTALL, &v), 0);
	assert_float_equal(v, 2.0, 1e-12);
	assert_int_equal(facts_get_num(b, F_RATE_PSI_SOME, &v), 0);
	assert_float_equal(v, 5.0, 1e-9); /* 0.5 s stalled in 10 s */
	assert_false(facts_has(b, F_RATE_PSI_FULL));
	assert_false(facts_has(b, F_RATE_PSWPIN));
	assert_int_equal(d.n, 0);
	facts_set_str(a, F_KERNEL_OSRELEASE, "5.10.0-1", NULL);
	facts_set_str(b, F_KERNEL_OSRELEASE, "6.1.0-9", NULL);
	assert_int_equal(rates_baseline(&h0, &h1, &d), 0);
	assert_int_equal(diag_count(&d, DIAG_WARNING), 1);
	assert_non_null(strstr(d.v[0].msg, "same host"));
	diag_list_clear(&d);

	/* a later capture with a smaller uptime is another boot */
	facts_set_float(b, F_PROC_UPTIME, 50.0, NULL);
	assert_int_equal(rates_baseline(&h0, &h1, &d), -EINVAL);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 1);
	assert_non_null(strstr(d.v[0].msg, "different boot"));
	assert_false(facts_has(b, F_RATE_PGALLOC));
	assert_false(facts_has(b, F_RATE_KIND));
	diag_list_clear(&d);
	host_free(&h0);
	host_free(&h1);
}

/* cgroup v2, pagetypeinfo, buddyinfo, lru_gen (collect/memcg.c, frag.c) on
 * the issue-13 QEMU guests (fixtures/derived/<case>/SOURCE.md has the
 * numbers) and Porteus' pageblock order 10. */
static void test_memcg_and_frag(void **state)
{
	(void)state;
	struct host h;
	assert_int_equal(collect_dir("fixtures/derived/qemu-6.1-1g-memcg-high/after", NULL, &h), 0);
	assert_int_equal(geti(&h, "memcg.groups"), 1);
	assert_int_equal(geti(&h, "memcg.high_events"), 849);
	assert_int_equal(geti(&h, "memcg.max_events"), 0);
	assert_int_equal(geti(&h, "memcg.throttled_groups"), 1);
	assert_string_equal(gets_(&h, "memcg.top_group"), "/batch");
	assert_int_equal(geti(&h, "memcg.pgscan"), 228633);
	assert_int_equal(geti(&h, "memcg.pgsteal"), 106794);
	assert_string_equal(gets_(&h, "memcg.pressure_top_group"), "/batch");
	/* the global counters saw none of it */
	assert_int_equal(geti(&h, "reclaim.allocstall_total"), 0);
	assert_string_equal(gets_(&h, "host.lru"), "classic"); /* lru_gen/enabled 0x0000 */
	assert_int_equal(geti(&h, "mem.pageblock_order"), 9);
	host_free(&h);

	assert_int_equal(collect_dir("fixtures/derived/qemu-6.1-1g-memcg-oom/after", NULL, &h), 0);
	assert_int_equal(geti(&h, "memcg.oom_kills"), 1);
	assert_int_equal(geti(&h, "memcg.max_events"), 35);
	host_free(&h);

	assert_int_equal(collect_dir("fixtures/derived/qemu-6.1-1g-thp-compaction/after", NULL, &h), 0);
	assert_int_equal(geti(&h, "memcg.groups"), 0);
	assert_false(facts_has(h.facts, F_MEMCG_HIGH_EVENTS));
	/* buddyinfo at order >= 9: DMA 1 x 512 + 3 x 1024 pages, DMA32 1 x 512 + 9 x 1024 */
	assert_int_equal(geti(&h, "buddy.free_pageblock_pages"), 512 + 3 * 1024 + 512 + 9 * 1024);
	assert_int_equal(geti(&h, "buddy.free_pages"), 122215);
	host_free(&h);

	assert_int_equal(collect_dir(CAP "porteus-5.12-x86_64-16g", NULL, &h), 0);
	assert_int_equal(geti(&h, "mem.pageblock_order"), 10);
	assert_false(facts_has(h.facts, F_MEMCG_GROUPS));
	assert_string_equal(gets_(&h, "host.lru"), "classic"); /* 5.12: before MGLRU */
	host_free(&h);
}

static void test_rates_interval(void **state)
{
	(void)state;
	struct root r;
	if (access("/proc/vmstat", R_OK))
		skip();
	assert_int_equal(root_open(&r, "/"), 0);
	struct host h = {.facts = facts_new()};
	facts_set_int(h.facts, F_HOST_PAGE_SIZE, 4096, NULL);
	struct diag_list d = {0};
	assert_int_equal(rates_interval(&r, 0.2, &h, &d), 0);
	assert_string_equal(facts_get_str(h.facts, F_RATE_KIND), "interval");
	double w, pg;
	assert_int_equal(facts_get_num(h.facts, F_RATE_WINDOW_S, &w), 0);
	assert_true(w >= 0.2 && w < 5);
	assert_int_equal(facts_get_num(h.facts, F_RATE_PGALLOC, &pg), 0);
	assert_true(pg >= 0);
	assert_int_equal(rates_interval(&r, 0, &h, &d), -EINVAL);
	diag_list_clear(&d);
	host_free(&h);
	root_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_capture),
		cmocka_unit_test(test_profihost),
		cmocka_unit_test(test_memcg_and_frag),
		cmocka_unit_test(test_numa_4node),
		cmocka_unit_test(test_old_allocstall),
		cmocka_unit_test(test_release_from_proc_version),
		cmocka_unit_test(test_composite_zram_per_zone_pgscan),
		cmocka_unit_test(test_arm720t_assumed_page_size),
		cmocka_unit_test(test_arm64_64k),
		cmocka_unit_test(test_live_fixture),
		cmocka_unit_test(test_live_root),
		cmocka_unit_test(test_sosreport),
		cmocka_unit_test(test_container_like),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_container_markers),
		cmocka_unit_test(test_sysfs_variants),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_kernel_log),
		cmocka_unit_test(test_kernel_version),
		cmocka_unit_test(test_debian_stable),
		cmocka_unit_test(test_rates_baseline),
		cmocka_unit_test(test_rates_interval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
