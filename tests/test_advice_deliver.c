/* advise_deliver (advise/advice_deliver.c): recommend's outputs in the
 * order that never leaves an apply unrecorded, on a copy of a real QEMU
 * capture (the zram guest with direct reclaim, whose advice changes three
 * live values).  Each case checks the outcome, the files written, and the
 * live values under the copy's proc/sys: an output refused before the
 * apply leaves the host untouched; a report that cannot be written after
 * an apply gives the restore commands. */
#include "testutil.h"

#include "advise/advise.h"
#include "base/xalloc.h"
#include "sysctld/apply.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define CAPTURE "fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/before"

static char tmpdir[] = "/tmp/test_advice_deliver.XXXXXX";
static char *root, *frag, *report, *tmpf, *swappiness;

struct fixture {
	struct host h;
	struct advice *a;
	struct diag_list d, wd;
	struct advise_delivery dl;
};

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	root = xasprintf("%s/root", tmpdir);
	frag = xasprintf("%s/60-reclaim-advisor.conf", tmpdir);
	report = xasprintf("%s/report.json", tmpdir);
	tmpf = xasprintf("%s/tmpfiles.conf", tmpdir);
	swappiness = xasprintf("%s/proc/sys/vm/swappiness", root);
	/* the source tree's rules and templates (also from build/asan), no
	 * site drop-ins from this machine */
	char *sc = xasprintf("%s.sysconf", tmpdir);
	int rc = mkdir(sc, 0755);
	setenv("RECLAIM_ADVISOR_SYSCONFDIR", sc, 1);
	free(sc);
	setenv("RECLAIM_ADVISOR_RULES_DIR", "rules", 1);
	setenv("RECLAIM_ADVISOR_TEMPLATE_DIR", "templates", 1);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	free(root);
	free(frag);
	free(report);
	free(tmpf);
	free(swappiness);
	char *sc = xasprintf("%s.sysconf", tmpdir);
	rmdir(sc);
	free(sc);
	return tu_rm_rf(tmpdir);
}

static void foreign(const char *path)
{
	FILE *o = fopen(path, "w");
	assert_non_null(o);
	fputs("root:x:0:0:root:/root:/bin/bash\n", o);
	fclose(o);
}

/* A fresh copy of the capture (cp -a: apply writes its proc/sys files in
 * place), no outputs (but a foreign tmpfiles fragment when the initial
 * state says so), and the advice for it. */
static int fresh(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'/* && cp -a '%s' '%s'", tmpdir, CAPTURE, root);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	if (*state)
		foreign(tmpf);
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct host_source src = {.root = root};
	assert_false(tu_load_failed(&src, &f->h));
	struct advise_request req = {.host = &f->h, .root = root, .need_fragment = true, .deployed_file = frag,
				     .tmpfiles_file = tmpf,
				     .version = "test"};
	int rc = advise_run(&req, &f->a, &f->d);
	for (size_t i = 0; rc && i < f->d.n; i++)
		diag_print(stderr, &f->d.v[i]);
	assert_int_equal(rc, 0);
	assert_true(f->a->nselected > 0);
	*state = f;
	return 0;
}

static int release(void **state)
{
	struct fixture *f = *state;
	advise_delivery_free(&f->dl);
	advice_free(f->a);
	host_free(&f->h);
	diag_list_clear(&f->d);
	diag_list_clear(&f->wd);
	free(f);
	return 0;
}

static enum advise_outcome deliver_all(struct fixture *f, const char *report_file, const char *tmpfiles, bool apply)
{
	struct advise_delivery_request r = {.fragment_file = frag, .report_file = report_file, .tmpfiles_file = tmpfiles,
					    .apply_root = apply ? root : NULL, .force_hint = "use --force"};
	return advise_deliver(f->a, &r, &f->dl, &f->wd);
}

static enum advise_outcome deliver(struct fixture *f, const char *report_file, bool apply)
{
	return deliver_all(f, report_file, NULL, apply);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Everything written, the values applied and in the report. */
static void test_delivered(void **state)
{
	struct fixture *f = *state;
	char *before = tu_read(swappiness, NULL);
	assert_int_equal(deliver(f, report, true), ADVISE_DELIVERED);
	assert_int_equal(f->wd.n, 0);
	char *text = tu_read(frag, NULL);
	assert_string_equal(text, buf_str(&f->a->fragment));
	free(text);
	assert_true(f->dl.napplied > 0);
	assert_false(apply_any(f->dl.applied, f->dl.napplied, APPLY_REFUSED));
	char *after = tu_read(swappiness, NULL);
	assert_string_not_equal(after, before);
	text = tu_read(report, NULL);
	assert_non_null(strstr(text, "\"previous\""));
	assert_string_equal(text, buf_str(&f->dl.report));
	free(text);
	free(after);
	free(before);
}

/* A foreign file at the report path: refused before anything is written
 * or applied. */
static void test_foreign_report_first(void **state)
{
	struct fixture *f = *state;
	foreign(report);
	char *before = tu_read(swappiness, NULL);
	assert_int_equal(deliver(f, report, true), ADVISE_NOT_WRITTEN);
	assert_int_equal(f->dl.err, -EEXIST);
	assert_int_equal(f->dl.napplied, 0);
	assert_false(exists(frag));
	char *after = tu_read(swappiness, NULL);
	assert_string_equal(after, before);
	assert_int_equal(f->wd.n, 1);
	assert_non_null(strstr(f->wd.v[0].msg, "not overwriting it (use --force)"));
	free(after);
	free(before);
}

/* A foreign tmpfiles fragment: refused before the sysctl.d fragment is
 * written or anything applied. */
static void test_foreign_tmpfiles_first(void **state)
{
	struct fixture *f = *state;
	char *before = tu_read(swappiness, NULL);
	assert_int_equal(deliver_all(f, report, tmpf, true), ADVISE_NOT_WRITTEN);
	assert_int_equal(f->dl.err, -EEXIST);
	assert_false(exists(frag));
	assert_false(exists(report));
	char *after = tu_read(swappiness, NULL);
	assert_string_equal(after, before);
	free(after);
	free(before);
}

/* A key the kernel does not have: the rest applied, the report written. */
static void test_incomplete(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(unlink(swappiness), 0);
	assert_int_equal(deliver(f, report, true), ADVISE_APPLY_INCOMPLETE);
	assert_true(apply_any(f->dl.applied, f->dl.napplied, APPLY_ABSENT));
	assert_true(apply_any(f->dl.applied, f->dl.napplied, APPLY_APPLIED));
	assert_true(exists(report));
}

/* The report cannot be written (the file size limit lets the fragment
 * through, not the report): after an apply, the restore commands; without
 * one, a plain write failure. */
static void report_fails(struct fixture *f, bool apply, enum advise_outcome want)
{
	struct rlimit old, lim;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 4096;
	assert_true(f->a->fragment.len < lim.rlim_cur);
	void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	enum advise_outcome oc = deliver(f, report, apply);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, prev);
	assert_true(f->dl.report.len > lim.rlim_cur);
	assert_int_equal(oc, want);
	assert_int_equal(f->dl.err, -EFBIG);
	assert_true(exists(frag));
	assert_false(exists(report));
}

static void test_applied_unrecorded(void **state)
{
	struct fixture *f = *state;
	char *before = tu_read(swappiness, NULL);
	report_fails(f, true, ADVISE_APPLIED_UNRECORDED);
	char *line = xasprintf("  sysctl -w vm.swappiness='%.*s'\n", (int)strcspn(before, "\n"), before);
	assert_non_null(strstr(buf_str(&f->dl.restore), line));
	free(line);
	free(before);
}

static void test_unrecorded_without_apply(void **state)
{
	struct fixture *f = *state;
	report_fails(f, false, ADVISE_NOT_WRITTEN);
	assert_int_equal(f->dl.restore.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_delivered, fresh, release),
		cmocka_unit_test_setup_teardown(test_foreign_report_first, fresh, release),
		cmocka_unit_test_prestate_setup_teardown(test_foreign_tmpfiles_first, fresh, release, "foreign"),
		cmocka_unit_test_setup_teardown(test_incomplete, fresh, release),
		cmocka_unit_test_setup_teardown(test_applied_unrecorded, fresh, release),
		cmocka_unit_test_setup_teardown(test_unrecorded_without_apply, fresh, release),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
