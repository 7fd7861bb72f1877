/* advise_select: which desired values go into the fragment (advise.h) and
 * which --apply sets live.  Plans are filled by hand (string literals:
 * nothing to free). */
#include "testutil.h"
#include "tu_decision.h"

#include "advise/advise.h"
#include "base/diag.h"

#include <string.h>

#define mk tu_decision

static void test_select(void **state)
{
	(void)state;
	struct decision d[] = {
		mk("vm.dirty_background_bytes", 0, 0, 0, "r1", "x"),      /* 0: equal default: no */
		mk("vm.dirty_bytes", 0, 268435456, 0, "r2", "x"),         /* 1: yes */
		mk("vm.dirty_ratio", 20, 10, 20, "r3", "x"),              /* 2: pair with bytes: dropped */
		mk("vm.min_free_kbytes", 90112, 90112, 45056, "r4", "x"), /* 3: kept: differs from default */
		mk("vm.swappiness", 60, 60, -1, "r5", "x"),               /* 4: default unknown: kept */
		mk("vm.watermark_scale_factor", 10, 10, 10, "r6", "x"),   /* 5: no */
	};
	struct plan p = {.d = d, .nd = 6};
	bool sel[6];
	struct diag_list dl = {0};
	assert_int_equal(advise_select(&p, NULL, sel, &dl), 3);
	assert_false(sel[0]);
	assert_true(sel[1]);
	assert_false(sel[2]);
	assert_true(sel[3]);
	assert_true(sel[4]);
	assert_false(sel[5]);
	assert_int_equal(dl.n, 1);
	assert_non_null(strstr(dl.v[0].msg, "vm.dirty_ratio not written"));
	diag_list_clear(&dl);
	/* live (--apply): the selected, and the desired kernel defaults, but
	 * not a 0 of a pair (0 means the partner; rejected for *_bytes) and
	 * not a member whose partner is written (writing it zeroes that) */
	bool live[6];
	assert_int_equal(advise_select_live(&p, sel, live), 4);
	assert_false(live[0]); /* dirty_background_bytes 0 */
	assert_true(live[1]);
	assert_false(live[2]); /* dirty_ratio: dropped beside the written dirty_bytes */
	assert_true(live[3]);
	assert_true(live[4]);
	assert_true(live[5]); /* wsf 10 = the default, desired now too */

	/* bytes = 0 with the ratio changed: the ratio is written, never 0. */
	struct decision e[] = {
		mk("vm.dirty_bytes", 1000000, 0, 0, "r2", "x"),
		mk("vm.dirty_ratio", 0, 10, 20, "r3", "x"),
	};
	struct plan q = {.d = e, .nd = 2};
	bool s2[2];
	assert_int_equal(advise_select(&q, NULL, s2, &dl), 1);
	assert_false(s2[0]);
	assert_true(s2[1]);
	diag_list_clear(&dl);
}

/* An administrator's kept value is theirs: neither written nor set. */
static void test_admin_kept(void **state)
{
	(void)state;
	struct decision d[] = {
		mk("vm.swappiness", 10, 10, 60, "r1", "x"),
		mk("vm.watermark_scale_factor", 10, 10, 10, "r2", "x"),
	};
	d[0].admin_kept = true;
	struct plan p = {.d = d, .nd = 2};
	bool sel[2], live[2];
	struct diag_list dl = {0};
	assert_int_equal(advise_select(&p, NULL, sel, &dl), 0);
	assert_int_equal(advise_select_live(&p, sel, live), 1);
	assert_false(live[0]);
	assert_true(live[1]);
	/* forced: another file sets wsf at boot, only our fragment restores 10 */
	bool force[2] = {false, true};
	assert_int_equal(advise_select(&p, force, sel, &dl), 1);
	assert_false(sel[0]);
	assert_true(sel[1]);
	diag_list_clear(&dl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_admin_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
