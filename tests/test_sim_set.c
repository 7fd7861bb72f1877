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

/* sim_run_given: the candidates replayed as sim_run would with their
 * settings; a candidate the history cannot complete is -ERANGE with the
 * reason at the history, and nothing is replayed. */
static void run_given(void **state)
{
	(void)state;
	struct history h = {0};
	struct diag_list d = {0};
	assert_int_equal(hist_read(HIST, &h, &d), 0);
	struct sim_given g[2] = {0};
	char *why = NULL;
	assert_int_equal(sim_given_parse("watermark_scale_factor=200", &g[0], &why), 0);
	assert_int_equal(sim_given_parse("min_free_kbytes=20000,watermark_boost_factor=0", &g[1], &why), 0);
	struct sim_opts o = {.target_pct = 1.0};
	struct sim_result r = {0}, direct = {0};
	assert_int_equal(sim_run_given(&h, g, 2, &o, &r, &d), 0);
	/* the same replay as sim_run with sim_given_settings' settings */
	struct sim_settings s[2];
	const char *reason;
	assert_int_equal(sim_given_settings(g, 2, &h, s, &reason), 0);
	struct sim_opts o2 = {.target_pct = 1.0, .given = s, .ngiven = 2};
	assert_int_equal(sim_run(&h, &o2, &direct, &d), 0);
	assert_int_equal(r.nc, 3); /* current and the two given, no search */
	assert_int_equal(r.nc, direct.nc);
	for (size_t i = 0; i < r.nc; i++) {
		assert_int_equal(r.c[i].source, direct.c[i].source);
		assert_int_equal(r.c[i].s.wsf, direct.c[i].s.wsf);
		assert_int_equal(r.c[i].s.min_free_kbytes, direct.c[i].s.min_free_kbytes);
		assert_int_equal(r.c[i].s.boost_factor, direct.c[i].s.boost_factor);
		assert_int_equal(r.c[i].pred.direct_pages, direct.c[i].pred.direct_pages);
	}
	assert_int_equal(r.c[1].s.wsf, 200);
	assert_int_equal(r.c[2].s.min_free_kbytes, 20000);
	sim_result_free(&r);
	sim_result_free(&direct);
	diag_list_clear(&d);

	h.p.kver = KVER(4, 4, 0);
	assert_int_equal(sim_run_given(&h, g, 1, &o, &r, &d), -ERANGE);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].sev, DIAG_ERROR);
	assert_string_equal(d.v[0].origin, h.origin);
	assert_string_equal(d.v[0].msg, "--set: this kernel has no vm.watermark_scale_factor (before 4.6)");
	sim_result_free(&r);
	hist_free(&h);
	diag_list_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_ok),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(settings_from_history),
		cmocka_unit_test(run_given),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
