/* apply: write, read back, classify, under a temporary root tree. */
#include "testutil.h"

#include "base/xalloc.h"
#include "render/summary.h"
#include "sysctld/apply.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tree[] = "/tmp/test_apply.XXXXXX";

static void put(const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", tree, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static char *get(const char *rel)
{
	char *p = xasprintf("%s/%s", tree, rel);
	char *b = tu_read(p, NULL);
	free(p);
	return b;
}

static int setup(void **state)
{
	(void)state;
	memcpy(tree + strlen(tree) - 6, "XXXXXX", 6); /* mkdtemp replaced it last time */
	if (!mkdtemp(tree))
		return -1;
	char *p = xasprintf("%s/proc/sys/vm", tree);
	char *cmd = xasprintf("mkdir -p %s", p);
	int rc = system(cmd);
	free(cmd);
	free(p);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	int rc = tu_rm_rf(tree);
	return rc;
}

static void test_path(void **state)
{
	(void)state;
	char *p = apply_sysctl_path("vm.page-cluster");
	assert_string_equal(p, "proc/sys/vm/page-cluster");
	free(p);
}

static void test_apply_tree(void **state)
{
	(void)state;
	put("proc/sys/vm/swappiness", "60\n");
	put("proc/sys/vm/min_free_kbytes", "45056\n");
	put("proc/sys/vm/lowmem_reserve_ratio", "256\t256\t32\t0\t0\n");
	/* A directory where the value file should be: the write fails. */
	char *dir = xasprintf("%s/proc/sys/vm/watermark_scale_factor", tree);
	assert_int_equal(mkdir(dir, 0755), 0);
	free(dir);

	struct root r;
	assert_int_equal(root_open(&r, tree), 0);
	const struct apply_req req[] = {
		{"vm.swappiness", "10"},
		{"vm.min_free_kbytes", "90112"},
		{"vm.lowmem_reserve_ratio", "256 256 64 0 0"},
		{"vm.no_such_key", "1"},
		{"vm.watermark_scale_factor", "150"},
	};
	struct apply_entry *e = NULL;
	assert_int_equal(apply_values(&r, req, 5, &e), 0);
	assert_string_equal(e[0].sysctl, "vm.swappiness");
	assert_string_equal(e[0].previous, "60");
	assert_string_equal(e[0].written, "10");
	assert_string_equal(e[0].readback, "10");
	assert_int_equal(e[0].result, APPLY_APPLIED);
	assert_string_equal(e[1].previous, "45056");
	assert_int_equal(e[1].result, APPLY_APPLIED);
	assert_string_equal(e[2].previous, "256 256 32 0 0");
	assert_int_equal(e[2].result, APPLY_APPLIED);
	assert_int_equal(e[3].result, APPLY_ABSENT);
	assert_null(e[3].previous);
	assert_int_equal(e[4].result, APPLY_FAILED);
	assert_true(e[4].err != 0);
	assert_true(apply_any(e, 5, APPLY_ABSENT));
	assert_false(apply_any(e, 5, APPLY_NOT_PERMITTED));
	assert_string_equal(apply_result_name(APPLY_NOT_PERMITTED), "not_permitted");
	char *v = get("proc/sys/vm/swappiness");
	assert_string_equal(v, "10\n");
	free(v);
	apply_entries_free(e, 5);
	root_close(&r);
}

/* apply_under: the same under a directory it opens and closes; a
 * directory that cannot be opened leaves *out untouched. */
static void test_apply_under(void **state)
{
	(void)state;
	put("proc/sys/vm/swappiness", "60\n");
	const struct apply_req req[] = {{"vm.swappiness", "180"}};
	struct apply_entry *e = NULL;
	assert_int_equal(apply_under(tree, req, 1, &e), 0);
	assert_int_equal(e[0].result, APPLY_APPLIED);
	assert_string_equal(e[0].previous, "60");
	char *v = get("proc/sys/vm/swappiness");
	assert_string_equal(v, "180\n");
	free(v);
	apply_entries_free(e, 1);
	e = NULL;
	char *gone = xasprintf("%s/no-such-dir", tree);
	assert_int_equal(apply_under(gone, req, 1, &e), -ENOENT);
	assert_null(e);
	free(gone);
}

/* A key with a mutually exclusive partner: the partner's value is read
 * before the write (the kernel zeroes it on that write), and the restore
 * hint writes the partner back, never the bytes key's 0 (the kernel
 * refuses it).  The capture's values: fixtures/live-fc-6.18 (dirty_ratio
 * 20, dirty_bytes 0, dirty_background_ratio 10, _bytes 0). */
static void test_apply_partner(void **state)
{
	(void)state;
	put("proc/sys/vm/dirty_ratio", "20\n");
	put("proc/sys/vm/dirty_bytes", "0\n");
	put("proc/sys/vm/dirty_background_bytes", "0\n");
	put("proc/sys/vm/swappiness", "60\n");
	const struct apply_req req[] = {
		{"vm.dirty_bytes", "268435456"},
		{"vm.dirty_background_bytes", "67108864"}, /* its ratio unreadable */
		{"vm.swappiness", "10"},
	};
	struct apply_entry *e = NULL;
	assert_int_equal(apply_under(tree, req, 3, &e), 0);
	assert_string_equal(e[0].previous, "0");
	assert_string_equal(e[0].partner, "vm.dirty_ratio");
	assert_string_equal(e[0].partner_previous, "20");
	assert_string_equal(e[1].partner, "vm.dirty_background_ratio");
	assert_null(e[1].partner_previous);
	assert_null(e[2].partner);
	assert_null(e[2].partner_previous);
	struct buf b = {0};
	summary_restore_hint(e, 3, &b);
	assert_non_null(strstr(buf_str(&b), "  sysctl -w vm.dirty_ratio='20'\n"));
	assert_null(strstr(buf_str(&b), "vm.dirty_bytes='0'"));
	assert_non_null(strstr(buf_str(&b), "# vm.dirty_background_bytes read 0 (vm.dirty_background_ratio was in use"));
	assert_null(strstr(buf_str(&b), "vm.dirty_background_bytes='0'"));
	assert_non_null(strstr(buf_str(&b), "  sysctl -w vm.swappiness='60'\n"));
	buf_free(&b);
	apply_entries_free(e, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test_setup_teardown(test_apply_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_under, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_partner, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
