/* The fixpoint property of advise (issue 11): the advice survives its own
 * application.  For every root under fixtures/ (a directory with proc/) and
 * every shipped profile, on a copy of the tree:
 *   F1    = the fragment advise renders; written where recommend -o puts it;
 *   live  : what `recommend -o F --apply` sets live (advice_apply_reqs:
 *           F1's values and the desired values equal to the kernel
 *           default, which F1 leaves to the boot) written to proc/sys ->
 *           the advice is up to date
 *           (recommend leaves F1 byte-identical, --check says 0) and the
 *           audit (no --fragment: our deployed fragment is the expected
 *           state) has no key in drift, not-persistent or shadowed and no
 *           advice-changed finding;
 *   boot  : every vm key present reset to its kernel default, then the
 *           sysctl.d files applied in precedence order (a reboot) -> the
 *           same again;
 *   shadow: a later sysctl.d file overriding one of F1's keys -> the audit
 *           says WARNING (or worse) with that key shadowed by that file and
 *           line.
 * A recorded history (fixtures/histories/X/history/N, a hundred samples
 * of one guest) stands in `make test` by its first and last sample; with
 * FIXPOINT_EVERY_SAMPLE set (`make check` sets it) every sample is a root.
 * The trees are copied with cp -al (hard links) into a temporary directory
 * and every write replaces a file by rename, so the fixtures are never
 * touched; nothing outside the temporary directory is written. */
#include "testutil.h"
#include "tu_roots.h"

#include "advise/advise.h"
#include "base/xalloc.h"
#include "collect/collect.h"
#include "history/history.h"
#include "sim/sim.h"
#include "model/sysctl_catalog.h"
#include "sysctld/apply.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FRAG_REL "/etc/sysctl.d/60-reclaim-advisor.conf"

static char tmpdir[] = "/tmp/fixpoint.XXXXXX";

static void run(const char *cmd)
{
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

/* mkdir -p of path's directory, then the file (no fsync: the tree is a
 * scratch copy). */
static void put(const char *path, const char *text)
{
	char *dir = xstrdup(path);
	for (char *c = dir + 1; *c; c++)
		if (*c == '/') {
			*c = 0;
			if (mkdir(dir, 0755) && errno != EEXIST)
				fail_msg("mkdir %s: %s", dir, strerror(errno));
			*c = '/';
		}
	free(dir);
	/* A new inode renamed over the old: the copy is made of hard links
	 * to the fixtures, which must never change. */
	char *tmp = xasprintf("%s.new", path);
	FILE *f = fopen(tmp, "w");
	if (!f || fputs(text, f) == EOF || fclose(f) || rename(tmp, path))
		fail_msg("cannot write %s", path);
	free(tmp);
}

/* A recorded history and its simulation given to every advise of a case
 * (recommend --history), or neither. */
struct hist_in {
	const struct history *hist;
	const struct sim_result *sim;
};

/* Collect root and run advise (with hi's history when hi is not NULL); the
 * caller frees both. */
static void advise(const char *root, const char *profile, const struct hist_in *hi, struct host *h,
		   struct advice **a, struct diag_list *d)
{
	struct root r;
	assert_int_equal(root_open(&r, root), 0);
	struct collect_opts co = {0};
	int rc = collect_host(&r, &co, h);
	root_close(&r);
	if (rc)
		fail_msg("%s: collect failed (%d)", root, rc);
	struct advise_request req = {.host = h, .root = root, .profile = profile, .need_fragment = true,
				     .history = hi ? hi->hist : NULL, .sim = hi ? hi->sim : NULL};
	rc = advise_run(&req, a, d);
	if (rc) {
		for (size_t i = 0; i < d->n; i++)
			diag_print(stderr, &d->v[i]);
		fail_msg("%s/%s: advise_run %d", root, profile, rc);
	}
}

/* Write a sysctl value to root/proc/sys as the kernel would show it. */
static void set_live(const char *root, const char *key, const char *value)
{
	char *k = xstrdup(key);
	for (char *c = k; *c; c++)
		if (*c == '.')
			*c = '/';
	char *p = xasprintf("%s/proc/sys/%s", root, k);
	char *v = xasprintf("%s\n", value);
	put(p, v);
	free(v);
	free(p);
	free(k);
}

static bool live_exists(const char *root, const char *key)
{
	char *k = xstrdup(key);
	for (char *c = k; *c; c++)
		if (*c == '.')
			*c = '/';
	char *p = xasprintf("%s/proc/sys/%s", root, k);
	struct stat st;
	bool ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	free(k);
	return ok;
}

/* The advice over root is F1 (up to date) and its audit is compliant. */
static size_t failures;

/* A failure is printed in full and counted; the test fails at the end, so
 * one run lists every case that breaks the property. */
static void failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void failed(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("FIXPOINT: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

static void expect_fixpoint(const char *root, const char *src, const char *profile, const struct hist_in *hi,
			    const char *f1, const char *when)
{
	struct host h = {0};
	struct advice *a = NULL;
	struct diag_list d = {0};
	advise(root, profile, hi, &h, &a, &d);
	if (!a->up_to_date) {
		struct buf b = {0};
		fragment_diff(f1, strlen(f1), buf_str(&a->fragment), a->fragment.len, "F1", "again", &b);
		failed("%s (%s), %s: the advice is not up to date with F1:\n%s", src, profile, when, buf_str(&b));
		buf_free(&b);
	}
	struct audit *au = NULL;
	assert_int_equal(advice_audit(a, NULL, NULL, NULL, 0, &au), 0);
	for (size_t i = 0; i < au->nkeys; i++) {
		enum audit_state s = au->keys[i].state;
		if (s == AST_DRIFT || s == AST_NOT_PERSISTENT || s == AST_SHADOWED)
			failed("%s (%s), %s: audit: %s is %s (expected %s, live %s, boot %s)", src, profile, when,
				 au->keys[i].sysctl, audit_state_name(s), au->keys[i].expected,
				 au->keys[i].live ? au->keys[i].live : "absent",
				 au->keys[i].boot ? au->keys[i].boot : "default");
	}
	for (size_t i = 0; i < au->nfindings; i++)
		if (!strcmp(au->findings[i].rule, "advice-changed"))
			failed("%s (%s), %s: audit: %s", src, profile, when, au->findings[i].reason);
	audit_free(au);
	advice_free(a);
	host_free(&h);
	diag_list_clear(&d);
}

/* One root and profile.  With hi, every advise gets the history (F1 is the
 * advice sized by it), and after applying and after the reboot the advice
 * without the history must be F1 as well: our deployed fragment keeps what
 * the history decided (a rerun that does not pass --history again). */
static void one_case(const char *src, const char *profile, const struct hist_in *hi, size_t *nset)
{
	char *t = xasprintf("%s/t", tmpdir);
	char *cmd = xasprintf("rm -rf '%s' && mkdir -p '%s' && cp -al '%s'/. '%s'/", t, t, src, t);
	run(cmd);
	free(cmd);
	char *fp = xasprintf("%s%s", t, FRAG_REL);

	/* F1, written as recommend -o writes it, and what --apply sets live. */
	struct host h = {0};
	struct advice *a = NULL;
	struct diag_list d = {0};
	advise(t, profile, hi, &h, &a, &d);
	char *f1 = xstrdup(buf_str(&a->fragment));
	struct apply_req *req = NULL;
	size_t nreq = advice_apply_reqs(a, false, &req); /* borrows the advice's key names */
	put(fp, f1);
	struct strkvlist kv = {0};
	struct diag_list pd = {0};
	assert_int_equal(sysctl_dump_parse(f1, strlen(f1), "F1", true, &kv, &pd), 0);
	*nset += kv.n;

	/* live: the advice applied: F1's values (written even where a
	 * capture lacks the file), then the kernel defaults --apply sets. */
	for (size_t i = 0; i < kv.n; i++)
		set_live(t, kv.v[i].key, kv.v[i].value);
	for (size_t i = 0; i < nreq; i++)
		if (!strkvlist_get(&kv, req[i].sysctl) && live_exists(t, req[i].sysctl))
			set_live(t, req[i].sysctl, req[i].value);
	advice_apply_reqs_free(req, nreq);
	advice_free(a);
	host_free(&h);
	diag_list_clear(&d);
	expect_fixpoint(t, src, profile, hi, f1, "applied live");
	if (hi)
		expect_fixpoint(t, src, profile, NULL, f1, "applied live, rerun without the history");

	/* boot: defaults, then the sysctl.d files in precedence order. */
	struct root r;
	assert_int_equal(root_open(&r, t), 0);
	struct precedence *pr = NULL;
	assert_int_equal(precedence_scan(&r, &pr, &pd), 0);
	root_close(&r);
	memset(&h, 0, sizeof(h));
	advise(t, profile, hi, &h, &a, &d); /* for the kernel defaults (min_free_kbytes is computed) */
	size_t nsc;
	const struct sysctl_def *sc = sysctl_catalog(&nsc);
	for (size_t i = 0; i < nsc; i++) {
		int64_t def;
		if (live_exists(t, sc[i].name) && sysctl_kernel_default(&sc[i], h.facts, &def)) {
			char *v = xasprintf("%lld", (long long)def);
			set_live(t, sc[i].name, v);
			free(v);
		}
	}
	for (size_t i = 0; i < nsc; i++) {
		const struct sysctl_origin *o = precedence_lookup(pr, sc[i].name);
		if (o && o->has_systemd && live_exists(t, sc[i].name))
			set_live(t, sc[i].name, o->systemd.value);
	}
	advice_free(a);
	host_free(&h);
	diag_list_clear(&d);
	precedence_free(pr);
	expect_fixpoint(t, src, profile, hi, f1, "after a simulated reboot");
	if (hi)
		expect_fixpoint(t, src, profile, NULL, f1, "after a simulated reboot, rerun without the history");

	/* shadow: a later file overrides F1's first key. */
	if (kv.n) {
		char *p = xasprintf("%s/etc/sysctl.d/99-zz-local.conf", t);
		char *txt = xasprintf("# a later file\n%s = 1%s\n", kv.v[0].key, kv.v[0].value);
		put(p, txt);
		advise(t, profile, hi, &h, &a, &d);
		struct audit *au = NULL;
		assert_int_equal(advice_audit(a, NULL, NULL, NULL, 0, &au), 0);
		bool seen = false;
		for (size_t i = 0; i < au->nkeys; i++)
			if (!strcmp(au->keys[i].sysctl, kv.v[0].key))
				seen = au->keys[i].state == AST_SHADOWED && au->keys[i].boot_file &&
				       !strcmp(au->keys[i].boot_file, "/etc/sysctl.d/99-zz-local.conf") &&
				       au->keys[i].boot_line == 2;
		if (!seen || au->status < ASTATUS_WARNING)
			failed("%s (%s): a later file overriding %s is not a WARNING naming it at line 2", src,
				 profile, kv.v[0].key);
		struct buf b = {0};
		audit_render_text(au, &b);
		if (!strstr(buf_str(&b), "99-zz-local.conf:2"))
			failed("%s (%s): the audit text does not name 99-zz-local.conf:2:\n%s", src, profile,
				 buf_str(&b));
		buf_free(&b);
		audit_free(au);
		advice_free(a);
		host_free(&h);
		diag_list_clear(&d);
		free(txt);
		free(p);
	}
	strkvlist_free(&kv);
	diag_list_clear(&pd);
	free(f1);
	free(fp);
	free(t);
}

static void test_fixpoint(void **state)
{
	(void)state;
	struct list roots = {0}, profs = {0};
	tu_roots_and_profiles(&roots, &profs);
	assert_true(roots.n >= 60);
	assert_true(profs.n >= 6);
	size_t cases = 0, nset = 0;
	for (size_t i = 0; i < roots.n; i++)
		for (size_t k = 0; k < profs.n; k++) {
			one_case(roots.v[i], profs.v[k], NULL, &nset);
			cases++;
		}
	printf("fixpoint: %zu roots x %zu profiles = %zu cases, %zu settings in the fragments\n", roots.n, profs.n,
	       cases, nset);
	if (failures)
		fail_msg("%zu failure(s) of the fixpoint property (listed above)", failures);
	/* The property must be about something: the fragments set values
	 * (more settings than roots; a history's quiet samples set few). */
	assert_true(nset > roots.n);
	tu_list_free(&roots);
	tu_list_free(&profs);
}

/* The benchmark's recorded histories (fixtures/histories/X-record2: the
 * guest's end/ tree and its history) under every profile, advised with
 * the history as recommend --history does: the boost off sized by the
 * simulator (THP never), the latency profile under THP's floor (THP
 * always) and the zram keys must all survive their application. */
static void test_fixpoint_history(void **state)
{
	(void)state;
	static const char *const recs[] = {"6.1-thp-always-record2", "6.1-thp-never-record2", "6.1-zram-record2",
					   "6.12-thp-never-record2"};
	struct list roots = {0}, profs = {0};
	tu_roots_and_profiles(&roots, &profs);
	size_t cases = 0, nset = 0;
	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		char *hp = xasprintf("fixtures/histories/%s/history", recs[i]);
		char *end = xasprintf("fixtures/histories/%s/end", recs[i]);
		struct history hist = {0};
		struct sim_result sim = {0};
		struct diag_list d = {0};
		if (advise_history(hp, &hist, &sim, &d)) {
			diag_print_all(stderr, &d);
			fail_msg("%s: the history does not simulate", hp);
		}
		struct hist_in hi = {&hist, &sim};
		for (size_t k = 0; k < profs.n; k++) {
			one_case(end, profs.v[k], &hi, &nset);
			cases++;
		}
		sim_result_free(&sim);
		hist_free(&hist);
		diag_list_clear(&d);
		free(end);
		free(hp);
	}
	printf("fixpoint with a history: %zu cases, %zu settings in the fragments\n", cases, nset);
	if (failures)
		fail_msg("%zu failure(s) of the fixpoint property (listed above)", failures);
	assert_true(nset > cases);
	tu_list_free(&roots);
	tu_list_free(&profs);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	char *sc = xasprintf("%s/sysconf", tmpdir);
	mkdir(sc, 0755);
	setenv("RECLAIM_ADVISOR_SYSCONFDIR", sc, 1); /* no site drop-ins from this machine */
	setenv("RECLAIM_ADVISOR_RULES_DIR", "rules", 1);
	setenv("RECLAIM_ADVISOR_TEMPLATE_DIR", "templates", 1);
	free(sc);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	int rc = tu_rm_rf(tmpdir);
	return rc ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixpoint),
		cmocka_unit_test(test_fixpoint_history),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
