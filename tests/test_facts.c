/* Tests for the fact catalog and store (facts/facts.h) as the collector
 * uses them: catalog integrity, exact-vs-family lookup, absent is never
 * zero, and every catalog fact the collector owns is decided (present or
 * absent with a reason) after a collection. */
#include "testutil.h"

#include "collect/collect.h"
#include "facts/facts.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

static void test_catalog_integrity(void **state)
{
	(void)state;
	size_t n;
	const struct fact_def *cat = fact_catalog(&n);
	assert_true(n > 100);
	for (size_t i = 0; i < n; i++) {
		const struct fact_def *d = &cat[i];
		assert_non_null(d->help);
		assert_true(d->help[0] != '\0');
		assert_true(d->source[0] != '\0');
		assert_true(d->type >= FACT_INT && d->type <= FACT_BOOL);
		size_t l = strlen(d->name);
		assert_int_equal(d->family, d->name[l - 1] == '.');
		for (size_t j = i + 1; j < n; j++)
			if (!strcmp(d->name, cat[j].name))
				fail_msg("duplicate catalog name %s", d->name);
		assert_int_equal(d->id, i);
		assert_ptr_equal(fact_def_of(d->id), d);
	}
	assert_int_equal(n, FACT_ID_COUNT);
}

/* The id's spelling follows the name (catalog_raw.def): F_ or FAM_, then the
 * name in capitals with each run of other characters one '_'.  The X-macro
 * cannot derive an identifier from a string, so this test keeps them
 * together. */
static void test_id_spelling(void **state)
{
	(void)state;
	static const char *const ids[] = {
#define FACT(id, name, type, unit, source, help) [id] = #id,
#define FAMILY(id, prefix, type, unit, source, help) [id] = #id,
#include "facts/catalog_raw.def"
#include "facts/catalog_derived.def"
#include "facts/catalog_wmark.def"
#undef FACT
#undef FAMILY
	};
	for (size_t i = 0; i < FACT_ID_COUNT; i++) {
		const struct fact_def *d = fact_def_of((enum fact_id)i);
		char want[128];
		size_t o = (size_t)snprintf(want, sizeof(want), "%s", d->family ? "FAM" : "F");
		bool sep = true; /* a '_' is due before the next letter or digit */
		for (const char *p = d->name; *p && o + 2 < sizeof(want); p++) {
			if (isalnum((unsigned char)*p)) {
				if (sep)
					want[o++] = '_';
				want[o++] = (char)toupper((unsigned char)*p);
				sep = false;
			} else {
				sep = true;
			}
		}
		want[o] = '\0';
		if (strcmp(ids[i], want))
			fail_msg("catalog entry \"%s\": id %s, expected %s", d->name, ids[i], want);
		enum fact_id id;
		if (!d->family) {
			assert_int_equal(fact_id_lookup(d->name, &id), 0);
			assert_int_equal(id, i);
		} else {
			assert_int_equal(fact_id_lookup(d->name, &id), -ENOENT);
		}
	}
	enum fact_id id;
	assert_int_equal(fact_id_lookup("sysctl.vm.swapiness", &id), -ENOENT); /* family member */
	assert_int_equal(fact_id_lookup("sysctl.vm.swappiness", &id), 0);
	assert_int_equal(id, F_SYSCTL_VM_SWAPPINESS);
}

static void test_lookup(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		const char *entry; /* NULL: not in the catalog */
		enum fact_type type;
		enum fact_unit unit;
	} t[] = {
		{"sysctl.vm.min_free_kbytes", "sysctl.vm.min_free_kbytes", FACT_INT, UNIT_KB},
		{"sysctl.vm.lowmem_reserve_ratio", "sysctl.vm.lowmem_reserve_ratio", FACT_STR, UNIT_NONE},
		{"sysctl.vm.numa_stat", "sysctl.vm.", FACT_STR, UNIT_NONE},
		{"sysctl.vm.", NULL, 0, 0},
		{"meminfo.HugePages_Total", "meminfo.HugePages_Total", FACT_INT, UNIT_COUNT},
		{"meminfo.Active(file)", "meminfo.Active(file)", FACT_INT, UNIT_KB},
		{"meminfo.KReclaimable", "meminfo.", FACT_INT, UNIT_KB},
		{"vmstat.nr_free_pages", "vmstat.nr_free_pages", FACT_INT, UNIT_PAGES},
		{"vmstat.pgalloc_dma32", "vmstat.", FACT_INT, UNIT_COUNT},
		{"host.nodes_online", "host.nodes_online", FACT_STR, UNIT_NONE},
		{"mem.managed_field", "mem.managed_field", FACT_STR, UNIT_NONE},
		{"rate.psi_some", "rate.psi_some", FACT_FLOAT, UNIT_PERCENT},
		{"zswap.enabled", "zswap.enabled", FACT_BOOL, UNIT_NONE},
		{"no.such.fact", NULL, 0, 0},
		{"meminfo", NULL, 0, 0},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const struct fact_def *d = fact_catalog_lookup(t[i].name);
		if (!t[i].entry) {
			if (d)
				fail_msg("%s: found %s", t[i].name, d->name);
			continue;
		}
		if (!d)
			fail_msg("%s: not found", t[i].name);
		assert_string_equal(d->name, t[i].entry);
		assert_int_equal(d->type, t[i].type);
		assert_int_equal(d->unit, t[i].unit);
	}
	assert_string_equal(fact_unit_name(UNIT_PAGES_PER_SEC), "pages/s");
	assert_string_equal(fact_type_name(FACT_BOOL), "bool");
}

static void test_store(void **state)
{
	(void)state;
	struct facts *f = facts_new();
	int64_t i;
	double x;
	/* absent is never zero */
	facts_set_absent(f, F_PROC_UPTIME, "proc/uptime: No such file");
	assert_int_equal(facts_get_num(f, F_PROC_UPTIME, &x), -ENODATA);
	assert_string_equal(facts_reason(f, F_PROC_UPTIME), "proc/uptime: No such file");
	assert_false(facts_has(f, F_PROC_UPTIME));
	assert_int_equal(facts_get_int(f, F_SWAP_DEVICES, &i), -ENOENT);
	/* typed: by name (from outside) the type and the name are checked */
	struct value two = {.type = FACT_STR, .u.s = "two"};
	assert_int_equal(facts_put(f, "swap.devices", &two, NULL), -EINVAL);
	assert_int_equal(facts_put(f, "no.such.fact", &two, NULL), -EINVAL);
	assert_int_equal(facts_put_absent(f, "no.such.fact", "x"), -EINVAL);
	facts_set_int(f, F_PROC_UPTIME, 12, NULL); /* int into float */
	assert_int_equal(facts_get_num(f, F_PROC_UPTIME, &x), 0);
	assert_float_equal(x, 12.0, 0);
	assert_int_equal(facts_get_int(f, F_PROC_UPTIME, &i), -EINVAL); /* no silent truncation */
	assert_string_equal(facts_source(f, F_PROC_UPTIME), "proc/uptime"); /* catalog default */
	/* a family member, replaced */
	struct value one = {.type = FACT_STR, .u.s = "1"}, zero = {.type = FACT_STR, .u.s = "0"}, got;
	assert_int_equal(facts_put(f, "sysctl.vm.numa_stat", &one, "proc/sys/vm/numa_stat"), 0);
	assert_int_equal(facts_put(f, "sysctl.vm.numa_stat", &zero, "dump:3"), 0);
	assert_int_equal(facts_lookup(f, "sysctl.vm.numa_stat", &got), 0);
	assert_string_equal(got.u.s, "0");
	/* a named fact by name is the same entry as by id */
	struct value sw = {.type = FACT_INT, .u.i = 30};
	assert_int_equal(facts_put(f, "sysctl.vm.swappiness", &sw, NULL), 0);
	assert_int_equal(facts_get_int(f, F_SYSCTL_VM_SWAPPINESS, &i), 0);
	assert_int_equal(i, 30);
	assert_string_equal(facts_source(f, F_SYSCTL_VM_SWAPPINESS), "proc/sys/vm/swappiness");
	/* name order */
	facts_set_int(f, F_MEMINFO_MEMTOTAL, 1, NULL);
	assert_int_equal(facts_count(f), 4);
	assert_string_equal(facts_at(f, 0, NULL, NULL, NULL), "meminfo.MemTotal");
	assert_string_equal(facts_at(f, 2, NULL, NULL, NULL), "sysctl.vm.numa_stat");
	/* missing sources, once each */
	facts_add_missing(f, "proc/uptime", "No such file or directory");
	facts_add_missing(f, "proc/uptime", "again");
	assert_int_equal(facts_missing_count(f), 1);
	facts_free(f);
	facts_free(NULL);
}

/* Every collector-owned catalog fact is decided after collecting: present,
 * or absent with a reason.  A fact a rule names can then always say why it
 * is missing. */
static void check_decided(const char *dir)
{
	struct root r;
	struct host h;
	assert_int_equal(root_open(&r, dir), 0);
	assert_int_equal(collect_host(&r, NULL, &h), 0);
	root_close(&r);
	size_t n;
	const struct fact_def *cat = fact_catalog(&n);
	for (size_t i = 0; i < n; i++) {
		const struct fact_def *d = &cat[i];
		/* wmark.* and kernel.default.* belong to the model, fragment.* and sim.* to advise */
		if (d->family || !strncmp(d->name, "wmark.", 6) || !strncmp(d->name, "fragment.", 9) ||
		    !strncmp(d->name, "sim.", 4) || !strncmp(d->name, "kernel.default.", 15))
			continue;
		if (!facts_has(h.facts, d->id) && !facts_reason(h.facts, d->id))
			fail_msg("%s: %s neither present nor absent", dir, d->name);
	}
	/* and every fact set is typed as the catalog says */
	for (size_t i = 0; i < facts_count(h.facts); i++) {
		struct value v;
		bool present;
		const char *name = facts_at(h.facts, i, &v, &present, NULL);
		const struct fact_def *d = fact_catalog_lookup(name);
		assert_non_null(d);
		if (present)
			assert_int_equal(v.type, d->type);
	}
	host_free(&h);
}

/* A clone is deep and whole: present and absent facts with their sources and
 * reasons, strings, missing inputs; changing one store leaves the other. */
static void test_clone(void **state)
{
	(void)state;
	struct facts *f = facts_new();
	facts_set_absent(f, F_PROC_UPTIME, "proc/uptime: No such file");
	facts_set_int(f, F_SWAP_DEVICES, 2, "proc/swaps");
	struct value one = {.type = FACT_STR, .u.s = "1"}, got;
	assert_int_equal(facts_put(f, "sysctl.vm.numa_stat", &one, "proc/sys/vm/numa_stat"), 0);
	facts_add_missing(f, "proc/pressure/memory", "No such file or directory");
	struct facts *c = facts_clone(f);
	facts_set_int(f, F_SWAP_DEVICES, 3, "changed");
	assert_int_equal(facts_put_absent(f, "sysctl.vm.numa_stat", "gone"), 0);
	facts_free(f); /* the clone owns its own strings */
	int64_t i;
	assert_int_equal(facts_get_int(c, F_SWAP_DEVICES, &i), 0);
	assert_int_equal(i, 2);
	assert_string_equal(facts_source(c, F_SWAP_DEVICES), "proc/swaps");
	assert_string_equal(facts_reason(c, F_PROC_UPTIME), "proc/uptime: No such file");
	assert_int_equal(facts_lookup(c, "sysctl.vm.numa_stat", &got), 0);
	assert_string_equal(got.u.s, "1");
	assert_int_equal(facts_missing_count(c), 1);
	const char *src, *why;
	facts_missing_at(c, 0, &src, &why);
	assert_string_equal(src, "proc/pressure/memory");
	assert_string_equal(why, "No such file or directory");
	facts_free(c);
}

static void test_collector_decides_every_fact(void **state)
{
	(void)state;
	check_decided("fixtures/live-fc-6.18");
	check_decided("fixtures/container-like");
	check_decided("fixtures/sosreport-rhel8");
	check_decided("fixtures/captures/arm720t-2.6.16-embedded");
	check_decided("fixtures/captures/ncollectd-swaps-only-2-partitions");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_integrity),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_id_spelling),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_clone),
		cmocka_unit_test(test_collector_decides_every_fact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
