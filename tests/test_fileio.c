/* fileio: reads relative to a root, atomic replacement, and the refusal to
 * replace anything that is not a regular file (a test once turned /dev/null
 * into a regular file through rename). */
#include "testutil.h"

#include "base/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/ra-fileio-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_atomic_replace_and_read(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/f.conf", dir);
	assert_int_equal(fileio_write_atomic(path, "one\n", 4, 0644), 0);
	assert_int_equal(fileio_write_atomic(path, "two\n", 4, 0644), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);

	struct root r;
	assert_int_equal(root_open(&r, dir), 0);
	char *buf;
	size_t len;
	assert_int_equal(root_read(&r, "/f.conf", FILEIO_DEFAULT_CAP, &buf, &len), 0);
	assert_string_equal(buf, "two\n");
	free(buf);
	assert_int_equal(root_read(&r, "missing", FILEIO_DEFAULT_CAP, &buf, &len), -ENOENT);
	assert_int_equal(root_read(&r, "f.conf", 2, &buf, &len), -EFBIG);
	root_close(&r);
}

static void test_refuses_non_regular(void **state)
{
	(void)state;
	char link[128], fifo[128], sub[128];
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	assert_int_equal(symlink("/dev/null", link), 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(mkdir(sub, 0755), 0);

	assert_int_equal(fileio_write_atomic(link, "x", 1, 0644), -EEXIST);
	assert_int_equal(fileio_write_atomic(fifo, "x", 1, 0644), -EEXIST);
	assert_int_equal(fileio_write_atomic(sub, "x", 1, 0644), -EISDIR);
	assert_int_equal(fileio_write_atomic("/dev/null", "x", 1, 0644), -EEXIST);

	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	/* No temporary file left behind. */
	char **names;
	size_t n;
	assert_int_equal(dir_list(dir, &names, &n), 0);
	assert_int_equal(n, 3);
	fileio_names_free(names);
}

static void test_binary_is_refused(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/bin", dir);
	assert_int_equal(fileio_write_atomic(path, "a\0b", 3, 0644), 0);
	char *buf;
	size_t len;
	assert_int_equal(file_read(path, FILEIO_DEFAULT_CAP, &buf, &len), -EILSEQ);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_atomic_replace_and_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_non_regular, setup, teardown),
		cmocka_unit_test_setup_teardown(test_binary_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
