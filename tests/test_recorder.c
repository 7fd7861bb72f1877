/* hist_record (history/recorder.h) on a copy of a real QEMU capture
 * (fixtures/qemu/6.1-1g-thp-wsf200/before, given a boot id so a restart
 * may continue): the stage and the diagnostics of each way a recording
 * ends, and the notes on an earlier history (continued, replaced). */
#include "testutil.h"

#include "base/xalloc.h"
#include "history/recorder.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIXTURE "fixtures/qemu/6.1-1g-thp-wsf200/before"

static char tmpdir[] = "/tmp/test_recorder.XXXXXX";
static char *root, *out;
static volatile sig_atomic_t never;

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void set_boot(const char *id)
{
	char *p = xasprintf("%s/proc/sys/kernel/random/boot_id", root);
	put(p, id);
	free(p);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	root = xasprintf("%s/root", tmpdir);
	out = xasprintf("%s/h", tmpdir);
	char *cmd = xasprintf("cp -a %s %s && mkdir -p %s/proc/sys/kernel/random", FIXTURE, root, root);
	int rc = system(cmd);
	free(cmd);
	set_boot("0123abcd-0000-4000-8000-000000000001\n");
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	int rc = tu_rm_rf(tmpdir);
	free(root);
	free(out);
	return rc;
}

/* Record ROOT (rootdir NULL) into path for two samples; the result, the
 * stage and the diagnostics in d. */
static int rec(const char *rootdir, const char *path, size_t max_size, enum record_stage *stage,
	       struct diag_list *d)
{
	struct root r = {.dirfd = -1};
	assert_int_equal(root_open(&r, rootdir ? rootdir : root), 0);
	struct record_opts o = {.out_path = path, .interval = 0.05, .duration = 0.05, .max_size = max_size,
				.stop = &never};
	int rc = hist_record(&r, &o, stage, d);
	root_close(&r);
	return rc;
}

static void assert_one(const struct diag_list *d, enum diag_sev sev, const char *origin, const char *msg)
{
	assert_int_equal(d->n, 1);
	assert_int_equal(d->v[0].sev, sev);
	if (origin)
		assert_string_equal(d->v[0].origin, origin);
	else
		assert_null(d->v[0].origin);
	assert_string_equal(d->v[0].msg, msg);
}

/* A fresh recording says nothing; a restart in the same boot continues
 * it; one in another boot replaces it and says why. */
static void test_continue_and_replace(void **state)
{
	(void)state;
	struct diag_list d = {0};
	enum record_stage st;
	unlink(out);
	assert_int_equal(rec(NULL, out, 0, &st, &d), 0);
	assert_int_equal(d.n, 0);

	assert_int_equal(rec(NULL, out, 0, &st, &d), 0);
	assert_one(&d, DIAG_NOTE, out, "continued (an earlier history of this boot)");
	diag_list_clear(&d);

	set_boot("0123abcd-0000-4000-8000-000000000002\n");
	assert_int_equal(rec(NULL, out, 0, &st, &d), 0);
	set_boot("0123abcd-0000-4000-8000-000000000001\n");
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].sev, DIAG_NOTE);
	assert_string_equal(d.v[0].origin, out);
	assert_non_null(strstr(d.v[0].msg, "an earlier history replaced: it was recorded in another boot"));
	diag_list_clear(&d);
}

/* A file that is not a history is never replaced: one error naming it. */
static void test_foreign_output(void **state)
{
	(void)state;
	struct diag_list d = {0};
	enum record_stage st;
	char *p = xasprintf("%s/precious", tmpdir);
	put(p, "precious\n");
	assert_int_equal(rec(NULL, p, 0, &st, &d), -EEXIST);
	assert_int_equal(st, REC_WRITE);
	assert_one(&d, DIAG_ERROR, p, "exists and is not a history; remove it or choose another name");
	char *buf = tu_read(p, NULL);
	assert_string_equal(buf, "precious\n");
	free(buf);
	free(p);
	diag_list_clear(&d);
}

/* An output in a missing directory: the errno, and that earlier samples stay. */
static void test_write_error(void **state)
{
	(void)state;
	struct diag_list d = {0};
	enum record_stage st;
	char *p = xasprintf("%s/no/such/dir", tmpdir);
	assert_int_equal(rec(NULL, p, 0, &st, &d), -ENOENT);
	assert_int_equal(st, REC_WRITE);
	char *want = xasprintf("%s (samples before this one are kept)", strerror(ENOENT));
	assert_one(&d, DIAG_ERROR, p, want);
	free(want);
	free(p);
	diag_list_clear(&d);
}

/* A bound too small for the header: the least usable bound, nothing written. */
static void test_no_room(void **state)
{
	(void)state;
	struct diag_list d = {0};
	enum record_stage st;
	char *p = xasprintf("%s/tiny", tmpdir);
	assert_int_equal(rec(NULL, p, 100, &st, &d), -ENOSPC);
	assert_int_equal(st, REC_NO_ROOM);
	assert_int_equal(d.n, 1);
	assert_null(d.v[0].origin);
	assert_non_null(strstr(d.v[0].msg, "--max-size 100 leaves no room for samples beside the "));
	assert_non_null(strstr(d.v[0].msg, "-byte header: use at least "));
	struct stat sb;
	assert_int_equal(stat(p, &sb), -1);
	free(p);
	diag_list_clear(&d);
}

/* A root without proc/zoneinfo: the reading's own error, stage LAYOUT. */
static void test_unreadable_root(void **state)
{
	(void)state;
	struct diag_list d = {0};
	enum record_stage st;
	char *r2 = xasprintf("%s/r2", tmpdir);
	char *cmd = xasprintf("cp -a %s %s && rm %s/proc/zoneinfo", FIXTURE, r2, r2);
	assert_int_equal(system(cmd), 0);
	char *p = xasprintf("%s/h2", tmpdir);
	assert_int_equal(rec(r2, p, 0, &st, &d), -ENOENT);
	assert_int_equal(st, REC_LAYOUT);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].sev, DIAG_ERROR);
	assert_string_equal(d.v[0].origin, r2);
	assert_non_null(strstr(d.v[0].msg, "proc/zoneinfo: "));
	free(cmd);
	free(p);
	free(r2);
	diag_list_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_continue_and_replace), cmocka_unit_test(test_foreign_output),
		cmocka_unit_test(test_write_error), cmocka_unit_test(test_no_room),
		cmocka_unit_test(test_unreadable_root),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
