/* sysctl catalog: names, legal ranges per kernel version, applicability,
 * safety bounds from facts, exclusive partners. */
#include "testutil.h"

#include "facts/facts.h"
#include "model/sysctl_catalog.h"

#include <string.h>

static void test_required_keys(void **state)
{
	(void)state;
	static const char *const need[] = {
		"vm.min_free_kbytes",	     "vm.watermark_scale_factor", "vm.watermark_boost_factor",
		"vm.swappiness",	     "vm.vfs_cache_pressure",	  "vm.dirty_ratio",
		"vm.dirty_bytes",	     "vm.dirty_background_ratio", "vm.dirty_background_bytes",
		"vm.dirty_expire_centisecs", "vm.dirty_writeback_centisecs", "vm.zone_reclaim_mode",
		"vm.overcommit_memory",	     "vm.overcommit_ratio",	  "vm.page-cluster",
		"vm.compaction_proactiveness", "vm.extfrag_threshold",	  "vm.admin_reserve_kbytes",
		"vm.user_reserve_kbytes",    "vm.panic_on_oom",
	};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		const struct sysctl_def *sc = sysctl_catalog_lookup(need[i]);
		if (!sc)
			fail_msg("%s missing from the sysctl catalog", need[i]);
		assert_string_equal(sc->name, need[i]);
	}
	assert_null(sysctl_catalog_lookup("vm.nr_hugepages"));
	assert_null(sysctl_catalog_lookup(""));
	assert_null(sysctl_catalog_lookup(NULL));
	/* sysctl.d spelling with '/' */
	assert_ptr_equal(sysctl_catalog_lookup("vm/swappiness"), sysctl_catalog_lookup("vm.swappiness"));
}

/* Every entry's current-value fact is a fact the collector knows, with the
 * same unit; every partner is mutual. */
static void test_facts_and_partners(void **state)
{
	(void)state;
	size_t n;
	const struct sysctl_def *cat = sysctl_catalog(&n);
	assert_true(n >= 20);
	for (size_t i = 0; i < n; i++) {
		const struct fact_def *fd = fact_def_of(cat[i].fact);
		if (!fd)
			fail_msg("%s: fact %d not in the fact catalog", cat[i].name, (int)cat[i].fact);
		assert_int_equal(fd->type, FACT_INT);
		if (fd->unit != UNIT_NONE && cat[i].unit != UNIT_NONE && fd->unit != cat[i].unit)
			fail_msg("%s: unit %d vs fact unit %d", cat[i].name, cat[i].unit, fd->unit);
		assert_int_equal(cat[i].id, (int)i);
		if (cat[i].partner) {
			const struct sysctl_def *p = sysctl_catalog_lookup(cat[i].partner);
			assert_non_null(p);
			assert_string_equal(p->partner, cat[i].name);
		}
	}
	assert_int_equal(sysctl_catalog_lookup("vm.min_free_kbytes")->merge, MERGE_MAX);
	assert_int_equal(sysctl_catalog_lookup("vm.watermark_scale_factor")->merge, MERGE_MAX);
	assert_int_equal(sysctl_catalog_lookup("vm.swappiness")->merge, MERGE_MIN);
	assert_int_equal(sysctl_catalog_lookup("vm.dirty_ratio")->merge, MERGE_MIN);
	assert_null(sysctl_catalog_lookup("vm.swappiness")->partner);
}

static const struct {
	const char *name;
	int64_t kv;
	int64_t lo, hi;
} ranges[] = {
	{"vm.watermark_scale_factor", KVER(5, 16, 0), 1, 1000},
	{"vm.watermark_scale_factor", KVER(5, 17, 0), 1, 3000},
	{"vm.watermark_scale_factor", KVER(6, 18, 44), 1, 3000},
	{"vm.watermark_scale_factor", -1, 1, 1000}, /* unknown kernel: the narrow range */
	{"vm.swappiness", KVER(5, 7, 19), 0, 100},
	{"vm.swappiness", KVER(5, 8, 0), 0, 200},
	{"vm.swappiness", -1, 0, 100},
	{"vm.page-cluster", KVER(6, 1, 0), 0, 31},
	{"vm.compaction_proactiveness", KVER(5, 9, 0), 0, 100},
	{"vm.overcommit_memory", KVER(4, 19, 0), 0, 2},
	{"vm.panic_on_oom", KVER(4, 19, 0), 0, 2},
	{"vm.extfrag_threshold", KVER(4, 19, 0), 0, 1000},
	{"vm.dirty_ratio", KVER(4, 19, 0), 0, 100},
	{"vm.min_free_kbytes", KVER(6, 1, 0), 0, INT32_MAX}, /* an int, extra1 = 0 */
	/* wsf 3000: mainline 5.17 and the stable backports (5.15.58, 5.10.186) */
	{"vm.watermark_scale_factor", KVER(5, 15, 57), 1, 1000},
	{"vm.watermark_scale_factor", KVER(5, 15, 58), 1, 3000},
	{"vm.watermark_scale_factor", KVER(5, 15, 60), 1, 3000},
	{"vm.watermark_scale_factor", KVER(5, 16, 20), 1, 1000},
	{"vm.watermark_scale_factor", KVER(5, 10, 185), 1, 1000},
	{"vm.watermark_scale_factor", KVER(5, 10, 186), 1, 3000},
	{"vm.watermark_scale_factor", KVER(5, 11, 0), 1, 1000},
	{"vm.watermark_scale_factor", KVER(5, 4, 250), 1, 1000},
};

static void test_legal_ranges(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		int64_t lo, hi;
		sysctl_legal_range(sysctl_catalog_lookup(ranges[i].name), ranges[i].kv, &lo, &hi);
		if (lo != ranges[i].lo || hi != ranges[i].hi)
			fail_msg("%s on %llx: %lld..%lld, want %lld..%lld", ranges[i].name,
				 (unsigned long long)ranges[i].kv, (long long)lo, (long long)hi,
				 (long long)ranges[i].lo, (long long)ranges[i].hi);
	}
}

static void test_applicable(void **state)
{
	(void)state;
	const struct sysctl_def *cp = sysctl_catalog_lookup("vm.compaction_proactiveness");
	const struct sysctl_def *wsf = sysctl_catalog_lookup("vm.watermark_scale_factor");
	const struct sysctl_def *wbf = sysctl_catalog_lookup("vm.watermark_boost_factor");
	assert_false(sysctl_applicable(cp, KVER(5, 8, 18)));
	assert_true(sysctl_applicable(cp, KVER(5, 9, 0)));
	assert_false(sysctl_applicable(wsf, KVER(4, 5, 7)));
	assert_true(sysctl_applicable(wsf, KVER(4, 6, 0)));
	assert_false(sysctl_applicable(wbf, KVER(4, 19, 0)));
	assert_true(sysctl_applicable(wbf, KVER(5, 0, 0)));
	assert_true(sysctl_applicable(cp, -1)); /* unknown kernel */
	assert_true(sysctl_applicable(sysctl_catalog_lookup("vm.swappiness"), KVER(2, 6, 16)));
}

static void test_safe_bounds(void **state)
{
	(void)state;
	const struct sysctl_def *mfk = sysctl_catalog_lookup("vm.min_free_kbytes");
	int64_t lo, hi;
	const char *why;

	/* No facts: only the 1 MiB floor. */
	sysctl_safe_bounds(mfk, NULL, &lo, &hi, &why);
	assert_int_equal(lo, 1024);
	assert_true(hi == INT64_MAX);

	/* 5% of lowmem when the model's cap is absent: 16 GiB -> 838860 kB. */
	struct facts *f = facts_new();
	facts_set_int(f, F_MEM_LOWMEM_MANAGED_BYTES, INT64_C(17179869184), "test");
	sysctl_safe_bounds(mfk, f, &lo, &hi, &why);
	assert_int_equal(hi, 838860);
	assert_int_equal(lo, 1024);

	/* The model's facts win: the kernel's own value raises lo (the sqrt
	 * default alone does not: kernel.default.min_free_kbytes is the one
	 * computation), cap sets hi. */
	facts_set_int(f, F_WMARK_MIN_FREE_KBYTES_DEFAULT, 16384, "test");
	facts_set_int(f, F_WMARK_THP_FLOOR_KBYTES, 99999, "test");
	facts_set_int(f, F_KERNEL_DEFAULT_MIN_FREE_KBYTES, 67584, "test");
	facts_set_int(f, F_WMARK_MIN_FREE_KBYTES_CAP_KBYTES, 500000, "test");
	sysctl_safe_bounds(mfk, f, &lo, &hi, &why);
	assert_int_equal(lo, 67584);
	assert_int_equal(hi, 500000);
	assert_non_null(strstr(why, "min_free_kbytes"));

	/* A floor above the cap: the cap wins. */
	facts_set_int(f, F_WMARK_MIN_FREE_KBYTES_CAP_KBYTES, 40000, "test");
	sysctl_safe_bounds(mfk, f, &lo, &hi, &why);
	assert_int_equal(lo, 40000);
	assert_int_equal(hi, 40000);

	/* dirty_bytes: two pages of the host's page size. */
	const struct sysctl_def *db = sysctl_catalog_lookup("vm.dirty_bytes");
	sysctl_safe_bounds(db, NULL, &lo, &hi, &why);
	assert_int_equal(lo, 8192);
	facts_set_int(f, F_HOST_PAGE_SIZE, 65536, "test");
	sysctl_safe_bounds(db, f, &lo, &hi, &why);
	assert_int_equal(lo, 131072);

	sysctl_safe_bounds(sysctl_catalog_lookup("vm.watermark_boost_factor"), f, &lo, &hi, &why);
	assert_int_equal(hi, 30000);
	sysctl_safe_bounds(sysctl_catalog_lookup("vm.watermark_scale_factor"), f, &lo, &hi, &why);
	assert_int_equal(hi, 1000);
	sysctl_safe_bounds(sysctl_catalog_lookup("vm.zone_reclaim_mode"), f, &lo, &hi, &why);
	assert_int_equal(hi, 7);
	sysctl_safe_bounds(sysctl_catalog_lookup("vm.swappiness"), f, &lo, &hi, &why);
	assert_true(lo == INT64_MIN && hi == INT64_MAX);
	assert_string_equal(why, "");
	facts_free(f);
}

static void test_defaults(void **state)
{
	(void)state;
	int64_t v;
	assert_true(sysctl_kernel_default(sysctl_catalog_lookup("vm.swappiness"), NULL, &v));
	assert_int_equal(v, 60);
	assert_true(sysctl_kernel_default(sysctl_catalog_lookup("vm.watermark_boost_factor"), NULL, &v));
	assert_int_equal(v, 15000);
	assert_true(sysctl_kernel_default(sysctl_catalog_lookup("vm.page-cluster"), NULL, &v));
	assert_int_equal(v, 3);
	const struct sysctl_def *mfk = sysctl_catalog_lookup("vm.min_free_kbytes");
	assert_false(sysctl_kernel_default(mfk, NULL, &v));
	struct facts *f = facts_new();
	facts_set_int(f, F_WMARK_MIN_FREE_KBYTES_DEFAULT, 11585, "test");
	assert_false(sysctl_kernel_default(mfk, f, &v)); /* only the model's answer counts */
	facts_set_int(f, F_KERNEL_DEFAULT_MIN_FREE_KBYTES, 45056, "test");
	assert_true(sysctl_kernel_default(mfk, f, &v));
	assert_int_equal(v, 45056);
	facts_free(f);
}

/* sysctl_value_bound: the legal range first (per kernel), then the safety
 * bounds from the facts; the range crossed comes back. */
static void test_value_bound(void **state)
{
	(void)state;
	int64_t lo, hi;
	const char *why;
	const struct sysctl_def *sw = sysctl_catalog_lookup("vm.swappiness");
	assert_int_equal(sysctl_value_bound(sw, NULL, KVER(6, 1, 0), 150, &lo, &hi, &why), SYSCTL_WITHIN);
	assert_int_equal(sysctl_value_bound(sw, NULL, KVER(5, 4, 0), 150, &lo, &hi, &why), SYSCTL_OUTSIDE_LEGAL);
	assert_int_equal(hi, 100);
	assert_int_equal(sysctl_value_bound(sw, NULL, -1, 150, &lo, &hi, &why), SYSCTL_OUTSIDE_LEGAL);
	assert_int_equal(sysctl_value_bound(sw, NULL, KVER(6, 1, 0), 500, &lo, &hi, &why), SYSCTL_OUTSIDE_LEGAL);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 200);
	assert_string_equal(why, "");
	const struct sysctl_def *mfk = sysctl_catalog_lookup("vm.min_free_kbytes");
	struct facts *f = facts_new();
	facts_set_int(f, F_KERNEL_DEFAULT_MIN_FREE_KBYTES, 67584, "test");
	facts_set_int(f, F_WMARK_MIN_FREE_KBYTES_CAP_KBYTES, 325745, "test");
	assert_int_equal(sysctl_value_bound(mfk, f, KVER(6, 1, 0), 0, &lo, &hi, &why), SYSCTL_OUTSIDE_SAFE);
	assert_int_equal(lo, 67584);
	assert_int_equal(hi, 325745);
	assert_non_null(strstr(why, "min_free_kbytes"));
	assert_int_equal(sysctl_value_bound(mfk, f, KVER(6, 1, 0), 67584, &lo, &hi, &why), SYSCTL_WITHIN);
	assert_int_equal(sysctl_value_bound(mfk, f, KVER(6, 1, 0), INT64_C(1) << 31, &lo, &hi, &why),
			 SYSCTL_OUTSIDE_LEGAL);
	assert_int_equal(sysctl_value_bound(sysctl_catalog_lookup("vm.watermark_scale_factor"), f, KVER(6, 1, 0), 2000,
					    &lo, &hi, &why),
			 SYSCTL_OUTSIDE_SAFE); /* legal since 5.17, over the advisor's 1000 */
	facts_free(f);
}

/* sysctl_value_possible: the widest range any kernel enforces (SYSCTL_HI
 * raises included), widened by SYSCTL_READ where older kernels enforced
 * less. */
static void test_value_possible(void **state)
{
	(void)state;
	int64_t lo, hi;
	assert_true(sysctl_value_possible(sysctl_catalog_lookup("vm.swappiness"), 200, &lo, &hi));
	assert_false(sysctl_value_possible(sysctl_catalog_lookup("vm.swappiness"), 201, &lo, &hi));
	assert_int_equal(hi, 200);
	assert_false(sysctl_value_possible(sysctl_catalog_lookup("vm.watermark_scale_factor"), 0, &lo, &hi));
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 3000);
	assert_true(sysctl_value_possible(sysctl_catalog_lookup("vm.page-cluster"), 40, &lo, &hi));
	assert_false(sysctl_value_possible(sysctl_catalog_lookup("vm.page-cluster"), -1, &lo, &hi));
	assert_true(sysctl_value_possible(sysctl_catalog_lookup("vm.overcommit_ratio"), -5, &lo, &hi));
	assert_false(sysctl_value_possible(sysctl_catalog_lookup("vm.overcommit_memory"), 3, &lo, &hi));
	/* dirty_bytes: 0 (the ratio in use) or two pages of 4 KiB at least */
	const struct sysctl_def *db = sysctl_catalog_lookup("vm.dirty_bytes");
	assert_true(sysctl_value_possible(db, 0, &lo, &hi));
	assert_false(sysctl_value_possible(db, 1, &lo, &hi));
	assert_false(sysctl_value_possible(db, 8191, &lo, &hi));
	assert_true(lo == 8192);
	assert_true(sysctl_value_possible(db, 8192, &lo, &hi));
	assert_true(sysctl_value_possible(sysctl_catalog_lookup("vm.dirty_background_bytes"), 1, &lo, &hi));
	assert_true(sysctl_catalog_of_fact(F_SYSCTL_VM_SWAPPINESS) == sysctl_catalog_lookup("vm.swappiness"));
	assert_null(sysctl_catalog_of_fact(F_HOST_KERNEL_VERSION));
}

/* The pair member the kernel uses when nothing was set: the ratio, from
 * either member; none for a key without a partner. */
static void test_pair_default(void **state)
{
	(void)state;
	const struct sysctl_def *ratio = sysctl_catalog_lookup("vm.dirty_ratio");
	assert_ptr_equal(sysctl_pair_default(sysctl_catalog_lookup("vm.dirty_bytes")), ratio);
	assert_ptr_equal(sysctl_pair_default(ratio), ratio);
	assert_ptr_equal(sysctl_pair_default(sysctl_catalog_lookup("vm.dirty_background_bytes")),
			 sysctl_catalog_lookup("vm.dirty_background_ratio"));
	assert_null(sysctl_pair_default(sysctl_catalog_lookup("vm.swappiness")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_required_keys), cmocka_unit_test(test_facts_and_partners),
		cmocka_unit_test(test_legal_ranges),  cmocka_unit_test(test_applicable),
		cmocka_unit_test(test_safe_bounds),   cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_value_bound),   cmocka_unit_test(test_value_possible),
		cmocka_unit_test(test_pair_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
