/* Tests of whatif's --set candidates (sim/sim_set.h): the text a user
 * types, and the settings built against a real recorded history
 * (fixtures/histories/6.1-zram-record2, a 6.1 QEMU guest's `record`). */
#include "testutil.h"

#include "sim/sim_set.h"

#include <errno.h>
#include <string.h>

#define HIST "fixtures/histories/6.1-zram-record2/history"

static void parse_ok(void **state)
{
	(void)state;
	struct sim_given g = {0};
	char *why = NULL;
	assert_int_equal(sim_given_parse("vm.min_free_kbytes=40000,watermark_scale_factor=50,vm.watermark_boost_factor=0",
					 &g, &why), 0);
	assert_null(why);
	assert_true(g.w.have_mfk && g.w.have_wsf && g.have_bf);
	assert_int_equal(g.w.mfk, 40000);
	assert_int_equal(g.w.wsf, 50);
	assert_int_equal(g.bf, 0);
}

static void parse_errors(void **state)
{
	(void)state;
	static const struct {
		const char *arg;
		int rc;
		const char *why;
	} cases[] = {
		{"noeq", -EINVAL, "expected KEY=VALUE"},
		{"", -EINVAL, "expected KEY=VALUE"},
		{",", -EINVAL, "expected KEY=VALUE"},
		{"=5", -EINVAL, "expected KEY=VALUE"},
		{"wsf=30", -ENOENT, "only vm.min_free_kbytes, vm.watermark_scale_factor and vm.watermark_boost_factor are simulated"},
		{"vm.swappiness=1", -ENOENT, "only vm.min_free_kbytes, vm.watermark_scale_factor and vm.watermark_boost_factor are simulated"},
		{"min_free_kbytes=q", -EDOM, "'q' is not an integer"},
		{"watermark_scale_factor=50,watermark_boost_factor=z", -EDOM, "'z' is not an integer"},
		/* the first bad token decides; the rest is not read */
		{"min_free_kbytes=1x,vm.swappiness=1", -EDOM, "'1x' is not an integer"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sim_given g = {0};
		char *why = NULL;
		assert_int_equal(sim_given_parse(cases[i].arg, &g, &why), cases[i].rc);
		assert_non_null(why);
		assert_string_equal(why, cases[i].why);
		free(why);
	}
}

static void settings_from_history(void **state)
{
	(void)state;
	struct history h = {0};
	struct diag_list d = {0};
	assert_int_equal(hist_read(HIST, &h, &d), 0);
	assert_true(h.p.min_free_kbytes > 0 && h.p.wsf > 0);
	struct sim_given g[3] = {0};
	char *why = NULL;
	assert_int_equal(sim_given_parse("watermark_scale_factor=200", &g[0], &why), 0);
	assert_int_equal(sim_given_parse("min_free_kbytes=20000", &g[1], &why), 0);
	assert_int_equal(sim_given_parse("watermark_boost_factor=0", &g[2], &why), 0);
	struct sim_settings s[3];
	const char *reason = NULL;
	assert_int_equal(sim_given_settings(g, 3, &h, s, &reason), 0);
	/* what a candidate does not name is the history's */
	assert_int_equal(s[0].wsf, 200);
	assert_int_equal(s[0].min_free_kbytes, h.p.min_free_kbytes);
	assert_int_equal(s[0].boost_factor, -1);
	assert_int_equal(s[1].min_free_kbytes, 20000);
	assert_int_equal(s[1].wsf, h.p.wsf);
	assert_int_equal(s[2].boost_factor, 0);
	assert_int_equal(s[2].wsf, h.p.wsf);

	/* a history that does not say min_free_kbytes needs it given */
	int64_t mfk = h.p.min_free_kbytes;
	h.p.min_free_kbytes = -1;
	assert_int_equal(sim_given_settings(g, 1, &h, s, &reason), -EINVAL);
	assert_string_equal(reason, "the history does not say min_free_kbytes: give it too");
	assert_int_equal(sim_given_settings(&g[1], 1, &h, s, &reason), 0);
	h.p.min_free_kbytes = mfk;

	/* wsf on a kernel that has no such sysctl */
	h.p.kver = KVER(4, 4, 0);
	assert_int_equal(sim_given_settings(g, 1, &h, s, &reason), -EINVAL);
	assert_string_equal(reason, "this kernel has no vm.watermark_scale_factor (before 4.6)");
	assert_int_equal(sim_given_settings(&g[1], 2, &h, s, &reason), 0);
	hist_free(&h);
	diag_list_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_ok),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(settings_from_history),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
