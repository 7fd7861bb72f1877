/* fileio: reads relative to a root, atomic replacement, and the refusal to
 * replace anything that is not a regular file (a test once turned /dev/null
 * into a regular file through rename). */
#include "testutil.h"

#include "base/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

static void put(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void mk(const char *rel)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void ln(const char *target, const char *rel)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(symlink(target, path), 0);
}

static char *slurp(const char *rel)
{
	char path[256], *buf;
	size_t len;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(file_read(path, FILEIO_DEFAULT_CAP, &buf, &len), 0);
	return buf;
}

/* A captured tree: tree/proc/sys/vm/<files>, a decoy outside it, and links
 * that lead out of the tree every way the hostile review tried.  Both the
 * openat2 path and the per-component walk must refuse the same things. */
static void confinement(bool walk)
{
	mk("tree");
	mk("tree/proc");
	mk("tree/proc/sys");
	mk("tree/proc/sys/vm");
	mk("tree/etc");
	mk("tree/etc/conf.d");
	mk("outside");
	put("outside/decoy", "100\n");
	put("tree/proc/sys/vm/swappiness", "60\n");
	put("tree/etc/sysctl.conf", "vm.swappiness = 10\n");
	/* Out of the tree: absolute, relative with .., through a directory. */
	char abs[256];
	snprintf(abs, sizeof(abs), "%s/outside/decoy", dir);
	ln(abs, "tree/proc/sys/vm/watermark_scale_factor");
	ln("../../../../outside/decoy", "tree/proc/sys/vm/min_free_kbytes");
	ln("/proc", "tree/proc2");
	snprintf(abs, sizeof(abs), "%s/outside", dir);
	ln(abs, "tree/etc/sysctl.d");
	/* Inside the tree: followed (sosreports link 99-sysctl.conf). */
	ln("../sysctl.conf", "tree/etc/conf.d/99-sysctl.conf");
	ln("swappiness", "tree/proc/sys/vm/alias");
	/* A loop. */
	ln("loop", "tree/loop");

	char root[256];
	snprintf(root, sizeof(root), "%s/tree", dir);
	struct root r;
	assert_int_equal(root_open(&r, root), 0);
	r.no_openat2 = walk;
	char *buf;
	size_t len;
	assert_int_equal(root_read(&r, "proc/sys/vm/swappiness", 4096, &buf, &len), 0);
	assert_string_equal(buf, "60\n");
	free(buf);
	assert_int_equal(root_read(&r, "etc/conf.d/99-sysctl.conf", 4096, &buf, &len), 0);
	assert_string_equal(buf, "vm.swappiness = 10\n");
	free(buf);
	assert_int_equal(root_read(&r, "proc/sys/vm/alias", 4096, &buf, &len), 0);
	free(buf);
	assert_int_equal(root_read(&r, "proc/sys/vm/watermark_scale_factor", 4096, &buf, &len),
			 FILEIO_E_ESCAPE);
	assert_int_equal(root_read(&r, "proc/sys/vm/min_free_kbytes", 4096, &buf, &len), FILEIO_E_ESCAPE);
	assert_int_equal(root_read(&r, "proc2/meminfo", 4096, &buf, &len), FILEIO_E_ESCAPE);
	assert_int_equal(root_read(&r, "etc/sysctl.d/decoy", 4096, &buf, &len), FILEIO_E_ESCAPE);
	assert_int_equal(root_read(&r, "../outside/decoy", 4096, &buf, &len), FILEIO_E_ESCAPE);
	assert_int_equal(root_read(&r, "proc/../../outside/decoy", 4096, &buf, &len), FILEIO_E_ESCAPE);
	assert_int_equal(root_read(&r, "loop", 4096, &buf, &len), -ELOOP);
	assert_false(root_exists(&r, "proc2"));
	char **names;
	size_t n;
	assert_int_equal(root_list(&r, "etc/sysctl.d", &names, &n), FILEIO_E_ESCAPE);
	assert_int_equal(root_list(&r, "proc2/sys/vm", &names, &n), FILEIO_E_ESCAPE);
	assert_int_equal(root_list(&r, "proc/sys/vm", &names, &n), 0);
	assert_int_equal(n, 4);
	fileio_names_free(names);

	/* Writes: never through a link out; inside, replaced whole. */
	assert_int_equal(root_write_existing(&r, "proc/sys/vm/watermark_scale_factor", "5\n", 2),
			 FILEIO_E_ESCAPE);
	assert_int_equal(root_write_existing(&r, "proc/sys/vm/min_free_kbytes", "5\n", 2), FILEIO_E_ESCAPE);
	buf = slurp("outside/decoy");
	assert_string_equal(buf, "100\n");
	free(buf);
	put("tree/proc/sys/vm/swappiness", "15000\n");
	assert_int_equal(root_write_existing(&r, "proc/sys/vm/swappiness", "0\n", 2), 0);
	buf = slurp("tree/proc/sys/vm/swappiness");
	assert_string_equal(buf, "0\n");
	free(buf);
	assert_int_equal(root_write_existing(&r, "proc/sys/vm/absent", "0\n", 2), -ENOENT);

	/* A path to write or remove (root_path): inside, the canonical
	 * directory plus the name; out of the tree, refused. */
	char *p = NULL, want[300];
	assert_int_equal(root_path(&r, "/etc/conf.d/60-ours.conf", &p), 0);
	char *real = realpath(root, NULL);
	snprintf(want, sizeof(want), "%s/etc/conf.d/60-ours.conf", real);
	assert_string_equal(p, want);
	free(p);
	assert_int_equal(root_path(&r, "etc/conf.d/99-sysctl.conf", &p), 0); /* a link inside */
	free(p);
	assert_int_equal(root_path(&r, "/etc/sysctl.d/60-ours.conf", &p), FILEIO_E_ESCAPE);
	assert_int_equal(root_path(&r, "/etc/../../outside/decoy", &p), FILEIO_E_ESCAPE);
	assert_int_equal(root_path(&r, "/proc/sys/vm/min_free_kbytes", &p), FILEIO_E_ESCAPE);
	assert_int_equal(root_path(&r, "/absent/x.conf", &p), -ENOENT);
	assert_int_equal(root_path(&r, "/etc/", &p), -EISDIR);
	assert_int_equal(root_path(&r, "/etc/..", &p), -EISDIR);
	free(real);
	root_close(&r);
}

/* Which outputs a user names lie in a tree (root_rel_of, by their text)
 * and where they are written (root_output_path): inside, confined like
 * root_path; elsewhere, and on the live host, the user's own path. */
static void test_output_path(void **state)
{
	(void)state;
	mk("tree");
	mk("tree/etc");
	mk("outside");
	char abs[256], root[256];
	snprintf(abs, sizeof(abs), "%s/outside", dir);
	ln(abs, "tree/etc/sysctl.d");
	snprintf(root, sizeof(root), "%s/tree", dir);

	char *rel = root_rel_of("/tmp/t", "/tmp/t/etc/x.conf");
	assert_string_equal(rel, "etc/x.conf");
	free(rel);
	rel = root_rel_of("/tmp/t/", "/tmp//t/./etc/../x");
	assert_string_equal(rel, "etc/../x"); /* ".." kept for root_path to judge */
	free(rel);
	assert_null(root_rel_of("/tmp/t", "/tmp/t2/x"));
	assert_null(root_rel_of("/tmp/t", "/tmp/t"));
	assert_null(root_rel_of("/", "/etc/x"));
	assert_null(root_rel_of(NULL, "/etc/x"));
	char *cwd = getcwd(NULL, 0);
	assert_int_equal(chdir(dir), 0);
	rel = root_rel_of("tree", "./tree/etc/x"); /* both relative */
	assert_string_equal(rel, "etc/x");
	free(rel);
	rel = root_rel_of(root, "tree/etc/x"); /* one relative */
	assert_string_equal(rel, "etc/x");
	free(rel);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);

	char *p = NULL, path[300], want[300];
	snprintf(path, sizeof(path), "%s/etc/sysctl.d/report.json", root);
	assert_int_equal(root_output_path(root, path, &p), FILEIO_E_ESCAPE);
	snprintf(path, sizeof(path), "%s/../outside/report.json", root);
	assert_int_equal(root_output_path(root, path, &p), FILEIO_E_ESCAPE);
	snprintf(path, sizeof(path), "%s/etc/report.json", root);
	assert_int_equal(root_output_path(root, path, &p), 0);
	char *real = realpath(root, NULL);
	snprintf(want, sizeof(want), "%s/etc/report.json", real);
	assert_string_equal(p, want);
	free(p);
	free(real);
	/* outside the tree, or on the live host: the path as given */
	snprintf(path, sizeof(path), "%s/outside/report.json", dir);
	assert_int_equal(root_output_path(root, path, &p), 0);
	assert_string_equal(p, path);
	free(p);
	snprintf(path, sizeof(path), "%s/etc/sysctl.d/report.json", root);
	assert_int_equal(root_output_path("/", path, &p), 0);
	assert_string_equal(p, path);
	free(p);
	assert_int_equal(root_output_path(NULL, path, &p), 0);
	free(p);
}

static void test_confined_openat2(void **state)
{
	(void)state;
	confinement(false);
}

static void test_confined_walk(void **state)
{
	(void)state;
	confinement(true);
}

/* A FIFO (no writer) anywhere a file is read or written: refused at once,
 * never a blocking open.  The test would hang without O_NONBLOCK. */
static void fifo_case(bool walk)
{
	mk("tree");
	char path[256];
	snprintf(path, sizeof(path), "%s/tree/zoneinfo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/tree", dir);
	struct root r;
	assert_int_equal(root_open(&r, path), 0);
	r.no_openat2 = walk;
	char *buf;
	size_t len;
	assert_int_equal(root_read(&r, "zoneinfo", 4096, &buf, &len), FILEIO_E_NOTREG);
	assert_int_equal(root_write_existing(&r, "zoneinfo", "1\n", 2), FILEIO_E_NOTREG);
	char **names;
	size_t n;
	assert_int_equal(root_list(&r, "zoneinfo", &names, &n), -ENOTDIR);
	root_close(&r);
	snprintf(path, sizeof(path), "%s/tree/zoneinfo", dir);
	assert_int_equal(file_read(path, 4096, &buf, &len), FILEIO_E_NOTREG);
	bool cut;
	assert_int_equal(file_read_tail(path, 4096, &buf, &len, &cut), FILEIO_E_NOTREG);
	assert_int_equal(fileio_check_writable(path), -EEXIST);
	assert_int_equal(root_open(&r, path), -ENOTDIR);
	/* A character device is not a file either. */
	assert_int_equal(file_read("/dev/zero", 4096, &buf, &len), FILEIO_E_NOTREG);
	assert_string_equal(fileio_strerror(FILEIO_E_NOTREG),
			    "not a regular file (a FIFO, device or socket is never opened)");
}

static void test_fifo_openat2(void **state)
{
	(void)state;
	fifo_case(false);
}

static void test_fifo_walk(void **state)
{
	(void)state;
	fifo_case(true);
}

/* The live root: absolute links resolve as on the host itself. */
static void test_live_root_follows_absolute_links(void **state)
{
	(void)state;
	struct root r;
	assert_int_equal(root_open(&r, "/"), 0);
	assert_true(r.live);
	for (int walk = 0; walk < 2; walk++) {
		r.no_openat2 = walk;
		char *buf;
		size_t len;
		/* /proc/self is a link; /proc/self/fd/N are magic links. */
		assert_int_equal(root_read(&r, "proc/self/status", FILEIO_DEFAULT_CAP, &buf, &len), 0);
		assert_non_null(strstr(buf, "Name:"));
		free(buf);
		assert_int_equal(root_read(&r, "/proc/../proc/meminfo", FILEIO_DEFAULT_CAP, &buf, &len), 0);
		free(buf);
	}
	root_close(&r);
}

/* A sub-root (a history's sample) is confined to its parent, by openat2 and
 * by the walk: a link out or ".." above is refused, a link inside followed,
 * and reads under it stay under it. */
static void sub_roots(bool walk)
{
	mk("h");
	mk("h/1");
	mk("h/1/proc");
	put("h/1/proc/vmstat", "nr_free_pages 1\n");
	ln("/", "h/2");
	ln("1", "h/3");
	ln("../..", "h/4");
	put("h/5", "not a directory\n");
	char path[256];
	snprintf(path, sizeof(path), "%s/h", dir);
	struct root hr, r;
	assert_int_equal(root_open(&hr, path), 0);
	hr.no_openat2 = walk;
	assert_int_equal(root_open_sub(&hr, "1", &r), 0);
	assert_false(r.live);
	assert_true(root_exists(&r, "proc/vmstat"));
	assert_int_equal(root_stat(&r, "../1", &(struct stat){0}), FILEIO_E_ESCAPE);
	root_close(&r);
	assert_int_equal(root_open_sub(&hr, "2", &r), FILEIO_E_ESCAPE);
	assert_int_equal(root_open_sub(&hr, "4", &r), FILEIO_E_ESCAPE);
	assert_int_equal(root_open_sub(&hr, "5", &r), -ENOTDIR);
	assert_int_equal(root_open_sub(&hr, "3", &r), 0);
	assert_true(root_exists(&r, "proc/vmstat"));
	root_close(&r);
	root_close(&hr);
}

static void test_sub_root_openat2(void **state)
{
	(void)state;
	sub_roots(false);
}

static void test_sub_root_walk(void **state)
{
	(void)state;
	sub_roots(true);
}

static void test_read_tail(void **state)
{
	(void)state;
	put("log", "first line\nsecond line\nthird line\n");
	char path[256], *buf;
	size_t len;
	bool cut = true;
	snprintf(path, sizeof(path), "%s/log", dir);
	assert_int_equal(file_read_tail(path, 4096, &buf, &len, &cut), 0);
	assert_false(cut);
	assert_int_equal(len, 34);
	free(buf);
	/* 15 bytes from the end: "e\nthird line\n" minus the partial "e\n". */
	assert_int_equal(file_read_tail(path, 14, &buf, &len, &cut), 0);
	assert_true(cut);
	assert_string_equal(buf, "third line\n");
	assert_int_equal(len, 11);
	free(buf);
	assert_int_equal(file_read(path, 14, &buf, &len), -EFBIG);
}

static void test_stale_temporaries(void **state)
{
	(void)state;
	/* What kill -9 during a write leaves: .out.conf.XXXXXX. */
	put(".out.conf.AbC123", "partial");
	put(".out.conf.new456", "in progress elsewhere");
	put(".other.conf.AbC123", "another file's");
	char p[256];
	snprintf(p, sizeof(p), "%s/.out.conf.AbC123", dir);
	struct timespec old[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
	assert_int_equal(utimensat(AT_FDCWD, p, old, 0), 0);
	snprintf(p, sizeof(p), "%s/.other.conf.AbC123", dir);
	assert_int_equal(utimensat(AT_FDCWD, p, old, 0), 0);
	snprintf(p, sizeof(p), "%s/out.conf", dir);
	assert_int_equal(fileio_write_atomic(p, "x\n", 2, 0644), 0);
	struct stat st;
	snprintf(p, sizeof(p), "%s/.out.conf.AbC123", dir);
	assert_int_equal(lstat(p, &st), -1);
	snprintf(p, sizeof(p), "%s/.out.conf.new456", dir);
	assert_int_equal(lstat(p, &st), 0); /* recent: maybe a concurrent writer's */
	snprintf(p, sizeof(p), "%s/.other.conf.AbC123", dir);
	assert_int_equal(lstat(p, &st), 0); /* not ours to judge */
}

static void test_check_writable(void **state)
{
	(void)state;
	char p[256];
	snprintf(p, sizeof(p), "%s/new.json", dir);
	assert_int_equal(fileio_check_writable(p), 0);
	assert_int_equal(fileio_check_writable("/nonexistent-dir/r.json"), -ENOENT);
	assert_int_equal(fileio_check_writable(dir), -EISDIR);
	assert_int_equal(fileio_check_writable(""), -ENOENT);
	assert_int_equal(fileio_check_writable("/dev/null"), -EEXIST);
	put("plain", "x");
	snprintf(p, sizeof(p), "%s/plain/x", dir);
	assert_int_equal(fileio_check_writable(p), -ENOTDIR);
	assert_int_equal(fileio_write_atomic("", "x", 1, 0644), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_atomic_replace_and_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_non_regular, setup, teardown),
		cmocka_unit_test_setup_teardown(test_binary_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confined_openat2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confined_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_openat2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_walk, setup, teardown),
		cmocka_unit_test(test_live_root_follows_absolute_links),
		cmocka_unit_test_setup_teardown(test_sub_root_openat2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sub_root_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_temporaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_writable, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
