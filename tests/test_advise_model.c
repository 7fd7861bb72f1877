/* The watermark model in one advice (issue 11: "the watermark model runs
 * once per advice").  For every root under fixtures/ and every shipped
 * profile, advise_run is counted (the test binary is linked with
 * -Wl,--wrap=wm_model_compute, so every call from the library goes through
 * __wrap_wm_model_compute below) and its watermark rows are checked
 * against the model run on its own:
 *   - the rows before are the model at the live values, the rows after the
 *     model at the plan's final min_free_kbytes and watermark_scale_factor
 *     (whatever step decided them: the rules, the no-op check, an
 *     administrator's kept value), zone by zone;
 *   - at most two runs: the live host (its wmark.* facts, the rows
 *     before) and the desired host (the engine's no-op check and the rows
 *     after: plan_model); one when the plan leaves both values as they are
 *     live; three only when the no-op check takes back a wsf change in a
 *     plan that also changes min_free_kbytes (see one_case); one more when
 *     a watermark value another profile's fragment of ours left live is
 *     taken back (the host without it is another input: taken_back.h);
 *   - once the plan's two values are live (the host's facts set to them,
 *     as --apply would), one run.
 * The figures (runs per advice) are printed for the report. */
#include "testutil.h"
#include "tu_roots.h"

#include "advise/advise.h"
#include "collect/collect.h"
#include "model/watermark.h"
#include "model/wmark_facts.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int __real_wm_model_compute(const struct zone *zones, size_t nzones, const struct wm_params *p,
			    struct wm_model *m, struct diag_list *d);
int __wrap_wm_model_compute(const struct zone *zones, size_t nzones, const struct wm_params *p,
			    struct wm_model *m, struct diag_list *d);

static unsigned runs; /* test-only: calls since the last reset */

int __wrap_wm_model_compute(const struct zone *zones, size_t nzones, const struct wm_params *p,
			    struct wm_model *m, struct diag_list *d)
{
	runs++;
	return __real_wm_model_compute(zones, nzones, p, m, d);
}

static size_t failures;

static void failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void failed(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("MODEL: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

/* The decided value of key, else the host's (params from the host). */
static void want(const struct advice *a, const char *key, int64_t *v)
{
	const struct decision *x = advice_decision(a, key, NULL);
	if (x && x->recommended.type == FACT_INT)
		*v = x->recommended.u.i;
}

/* rows (a->nwm of them) are the model at p, zone by zone. */
static void expect_rows(const char *what, const char *root, const char *profile, const struct host *h,
			const struct wm_params *p, const struct rec_wmark *rows, size_t n)
{
	struct wm_model m = {0};
	if (__real_wm_model_compute(h->zi.zones, h->zi.nzones, p, &m, NULL)) {
		failed("%s [%s]: the model does not run for the rows %s", root, profile, what);
		return;
	}
	if (m.nzones != n)
		failed("%s [%s]: %zu rows %s, the model has %zu zones", root, profile, n, what, m.nzones);
	for (size_t i = 0; i < n && i < m.nzones; i++) {
		const struct wm_zone *z = &m.zones[i];
		struct wm_marks e = {ZONE_ABSENT, ZONE_ABSENT, ZONE_ABSENT, ZONE_ABSENT};
		if (z->predicted)
			e = z->pred;
		const struct rec_wmark *r = &rows[i];
		if (r->node != z->z->node || strcmp(r->zone, z->z->name) || r->min != e.min || r->low != e.low ||
		    r->high != e.high || r->promo != e.promo)
			failed("%s [%s]: %s node %d %s: %lld/%lld/%lld/%lld, the model at mfk %lld wsf %lld "
			       "says %lld/%lld/%lld/%lld",
			       root, profile, what, r->node, r->zone, (long long)r->min, (long long)r->low,
			       (long long)r->high, (long long)r->promo, (long long)p->min_free_kbytes,
			       (long long)p->wsf, (long long)e.min, (long long)e.low, (long long)e.high,
			       (long long)e.promo);
	}
	wm_model_free(&m);
}

static struct advice *advise(const char *root, const char *profile, struct host *h, struct diag_list *d)
{
	struct advise_request req = {.host = h, .root = root, .profile = profile, .need_fragment = true};
	struct advice *a = NULL;
	runs = 0;
	int rc = advise_run(&req, &a, d);
	if (rc) {
		diag_print_all(stderr, d);
		fail_msg("%s [%s]: advise_run %d", root, profile, rc);
	}
	return a;
}

struct tally {
	size_t hist[8];  /* advices by model runs (7 = 7 or more) */
	size_t same;     /* plans that leave both values as they are live */
	size_t noop_back; /* three runs: the exception (one_case) */
	size_t taken_back; /* one more: a watermark value taken back (one_case) */
};

static void count(struct tally *t, unsigned n)
{
	t->hist[n < 7 ? n : 7]++;
}

static void one_case(const char *root, const char *profile, struct tally *as_is, struct tally *applied)
{
	struct root r;
	assert_int_equal(root_open(&r, root), 0);
	struct host h = {0};
	struct collect_opts co = {0};
	int rc = collect_host(&r, &co, &h);
	root_close(&r);
	if (rc)
		fail_msg("%s: collect failed (%d)", root, rc);
	struct diag_list d = {0};
	struct advice *a = advise(root, profile, &h, &d);
	unsigned n = runs;
	count(as_is, n);

	struct wm_params live, after;
	wmark_params_from_host(&h, &live);
	after = live;
	want(a, "vm.min_free_kbytes", &after.min_free_kbytes);
	want(a, "vm.watermark_scale_factor", &after.wsf);
	bool same = after.min_free_kbytes == live.min_free_kbytes && after.wsf == live.wsf;
	as_is->same += same;
	if (a->wm_before && a->wm_after) {
		expect_rows("before", root, profile, &h, &live, a->wm_before, a->nwm);
		expect_rows("after", root, profile, &h, &after, a->wm_after, a->nwm);
	}
	/* The one exception to two: the no-op check ran the desired host at
	 * the wsf the rules wanted, took the change back, and the plan also
	 * changes min_free_kbytes, so the watermarks after are another input
	 * (the same marks, by the no-op's definition; plan_model keeps a model
	 * only for the inputs it was computed with). */
	const struct decision *w = advice_decision(a, "vm.watermark_scale_factor", NULL);
	bool noop_back = w && w->noop && after.min_free_kbytes != live.min_free_kbytes;
	as_is->noop_back += noop_back && n == 3;
	/* One more where the rules ran on the host without the values another
	 * profile's fragment of ours left live (taken_back.h): that host is
	 * another input of the model. */
	const struct decision *m = advice_decision(a, "vm.min_free_kbytes", NULL);
	unsigned back = (w && w->taken_back_from) || (m && m->taken_back_from);
	as_is->taken_back += back;
	if (n > (noop_back ? 3u : 2u) + back || (same && n > 1 + back))
		failed("%s [%s]: %u model runs (mfk %lld -> %lld, wsf %lld -> %lld)", root, profile, n,
		       (long long)live.min_free_kbytes, (long long)after.min_free_kbytes, (long long)live.wsf,
		       (long long)after.wsf);
	advice_free(a);
	diag_list_clear(&d);

	/* The plan's two values live: one run, the rows after are the live ones. */
	if (h.zi.nzones && (after.min_free_kbytes != live.min_free_kbytes || after.wsf != live.wsf)) {
		if (after.min_free_kbytes >= 0)
			facts_set_int(h.facts, F_SYSCTL_VM_MIN_FREE_KBYTES, after.min_free_kbytes, "test: applied");
		if (after.wsf >= 0)
			facts_set_int(h.facts, F_SYSCTL_VM_WATERMARK_SCALE_FACTOR, after.wsf, "test: applied");
		a = advise(root, profile, &h, &d);
		n = runs;
		count(applied, n);
		struct wm_params again;
		wmark_params_from_host(&h, &again);
		again.min_free_kbytes = after.min_free_kbytes; /* what was set, even where absent before */
		again.wsf = after.wsf;
		want(a, "vm.min_free_kbytes", &again.min_free_kbytes);
		want(a, "vm.watermark_scale_factor", &again.wsf);
		bool still = again.min_free_kbytes == after.min_free_kbytes && again.wsf == after.wsf;
		applied->same += still;
		if (a->wm_before && a->wm_after)
			expect_rows("after, applied", root, profile, &h, &again, a->wm_after, a->nwm);
		if (still && n != 1)
			failed("%s [%s], applied: %u model runs for a plan that changes neither value", root, profile,
			       n);
		advice_free(a);
		diag_list_clear(&d);
	}
	host_free(&h);
}

static void print_tally(const char *what, const struct tally *t)
{
	printf("model runs per advice, %s:", what);
	for (size_t i = 0; i < 8; i++)
		if (t->hist[i])
			printf(" %zu%s run(s): %zu", i, i == 7 ? "+" : "", t->hist[i]);
	printf(" (plans keeping both live values: %zu; three runs for a wsf change taken back beside a "
	       "min_free_kbytes change: %zu; a watermark value another profile's fragment left live taken "
	       "back: %zu)\n",
	       t->same, t->noop_back, t->taken_back);
}

static void test_model_runs(void **state)
{
	(void)state;
	struct list roots = {0}, profs = {0};
	tu_roots_and_profiles(&roots, &profs);
	assert_true(roots.n >= 60);
	assert_true(profs.n >= 6);
	struct tally as_is = {0}, applied = {0};
	for (size_t i = 0; i < roots.n; i++)
		for (size_t k = 0; k < profs.n; k++)
			one_case(roots.v[i], profs.v[k], &as_is, &applied);
	printf("advise model: %zu roots x %zu profiles\n", roots.n, profs.n);
	print_tally("as captured", &as_is);
	print_tally("the plan's watermark values live", &applied);
	if (failures)
		fail_msg("%zu failure(s) (listed above)", failures);
	/* about something: plans that change the values, and plans that do not */
	assert_true(as_is.same > 0 && as_is.same < roots.n * profs.n);
	tu_list_free(&roots);
	tu_list_free(&profs);
}

static char sysconf_dir[] = "/tmp/advise-model.XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(sysconf_dir))
		return -1;
	setenv("RECLAIM_ADVISOR_SYSCONFDIR", sysconf_dir, 1); /* no site drop-ins from this machine */
	setenv("RECLAIM_ADVISOR_RULES_DIR", "rules", 1);
	setenv("RECLAIM_ADVISOR_TEMPLATE_DIR", "templates", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(sysconf_dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_runs),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
