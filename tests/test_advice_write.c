/* The writers of our files (advise/advice_write.c) and what they count as
 * ours (render/ours.h: the golden fragment and report of a shipped case,
 * a foreign file): the guard and the atomic write on real paths under a
 * temporary directory (absent, ours, foreign, a FIFO, a directory,
 * --force), advise_file_put, and the diagnostic of each refusal. */
#include "testutil.h"

#include "advise/advise.h"
#include "base/xalloc.h"
#include "render/ours.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GOLDEN "tests/golden/shipped/zram-direct-reclaim/"

static char tmpdir[] = "/tmp/test_advice_write.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	int rc = tu_rm_rf(tmpdir);
	return rc;
}

/* tmpdir/name holding text (NULL: absent); the path, caller frees. */
static char *put(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", tmpdir, name);
	unlink(p);
	if (text) {
		FILE *f = fopen(p, "w");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
	}
	return p;
}

static void assert_file(const char *path, const char *want)
{
	char *got = tu_read(path, NULL);
	assert_string_equal(got, want);
	free(got);
}

static void test_is_ours(void **state)
{
	(void)state;
	size_t n;
	char *frag = tu_read(GOLDEN "fragment.conf", &n);
	assert_true(render_is_ours(frag, n));
	free(frag);
	char *rep = tu_read(GOLDEN "report.json", &n);
	assert_true(render_is_ours(rep, n));
	free(rep);
	assert_true(render_is_ours("", 0));
	assert_true(render_is_ours("fleet: 3 hosts\n", 15));
	assert_false(render_is_ours("root:x:0:0:root:/root:/bin/bash\n", 32));
}

/* Absent or ours: written; foreign: refused and untouched unless force. */
static void test_write(void **state)
{
	(void)state;
	struct diag_list d = {0};
	char *p = put("out", NULL);
	assert_int_equal(advise_output_write(NULL, p, "reclaim-advisor 1\n", 18, false, "use --force", &d), 0);
	assert_file(p, "reclaim-advisor 1\n");
	assert_int_equal(advise_output_write(NULL, p, "reclaim-advisor 2\n", 18, false, "use --force", &d), 0);
	assert_file(p, "reclaim-advisor 2\n");
	assert_int_equal(d.n, 0);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	free(p);

	p = put("passwd", "root:x:0:0:root:/root:/bin/bash\n");
	assert_int_equal(advise_output_ready(NULL, p, false, "use --force", &d), -EEXIST);
	assert_int_equal(advise_output_write(NULL, p, "reclaim-advisor\n", 16, false, "force: true", &d), -EEXIST);
	assert_file(p, "root:x:0:0:root:/root:/bin/bash\n");
	assert_int_equal(d.n, 2);
	char *want = xasprintf("%s exists and was not written by reclaim-advisor; not overwriting it (use --force)", p);
	assert_int_equal(d.v[0].sev, DIAG_ERROR);
	assert_null(d.v[0].origin);
	assert_string_equal(d.v[0].msg, want);
	free(want);
	assert_non_null(strstr(d.v[1].msg, "(force: true)"));
	diag_list_clear(&d);

	assert_int_equal(advise_output_write(NULL, p, "reclaim-advisor\n", 16, true, "use --force", &d), 0);
	assert_file(p, "reclaim-advisor\n");
	assert_int_equal(d.n, 0);
	free(p);
}

/* What cannot be replaced there: named, never written through. */
static void test_not_replaceable(void **state)
{
	(void)state;
	struct diag_list d = {0};
	char *fifo = put("fifo", NULL);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(advise_output_write(NULL, fifo, "x\n", 2, true, "use --force", &d), -EEXIST);
	char *want = xasprintf("cannot write %s: exists and is not a regular file", fifo);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg, want);
	free(want);
	diag_list_clear(&d);

	char *dir = put("dir", NULL);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_not_equal(advise_output_ready(NULL, dir, false, "use --force", &d), 0);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg, "cannot write "));
	diag_list_clear(&d);

	char *missing = put("no/such/dir", NULL);
	assert_int_equal(advise_output_write(NULL, missing, "x\n", 2, false, "use --force", &d), -ENOENT);
	assert_int_equal(d.n, 1);
	diag_list_clear(&d);
	free(fifo);
	free(dir);
	free(missing);
}

/* advise_file_put: our fragment replaced, a foreign one refused, an up to
 * date one left alone, a write failure said. */
static void test_advise_file_put(void **state)
{
	(void)state;
	struct diag_list d = {0};
	struct buf text = {0};
	char *golden = tu_read(GOLDEN "fragment.conf", NULL);
	buf_puts(&text, golden);
	char *p = put("frag.conf", "vm.swappiness = 1\n");
	struct advise_deployed foreign = {.exists = true, .ours = false};
	assert_int_equal(advise_file_put(NULL, p, &text, &foreign, false, false, "use --force", &d), -EEXIST);
	assert_file(p, "vm.swappiness = 1\n");
	assert_int_equal(d.n, 1);
	char *want = xasprintf("%s exists and was not written by reclaim-advisor (no \"%s\" header); not overwriting "
			       "it (use --force)",
			       p, FRAGMENT_MARKER);
	assert_string_equal(d.v[0].msg, want);
	free(want);
	diag_list_clear(&d);

	assert_int_equal(advise_file_put(NULL, p, &text, &foreign, false, true, "use --force", &d), 0);
	assert_file(p, golden);
	struct advise_deployed ours = {.exists = true, .ours = true};
	char *q = put("frag2.conf", "kept\n");
	assert_int_equal(advise_file_put(NULL, q, &text, &ours, true, false, "use --force", &d), 0);
	assert_file(q, "kept\n"); /* up to date: not rewritten */
	assert_int_equal(d.n, 0);

	char *bad = put("no/such/frag.conf", NULL);
	struct advise_deployed none = {0};
	assert_int_equal(advise_file_put(NULL, bad, &text, &none, false, false, "use --force", &d), -ENOENT);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg, "(the old file, if any, is unchanged)"));
	diag_list_clear(&d);
	free(bad);
	free(q);
	free(p);
	free(golden);
	buf_free(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_ours),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_not_replaceable),
		cmocka_unit_test(test_advise_file_put),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
