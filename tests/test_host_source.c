/* host_source_set (collect/load.h): the host options as the CLI takes
 * them, each value checked before anything is read. */
#include "testutil.h"

#include <errno.h>
#include <string.h>

static void values(void **state)
{
	(void)state;
	struct host_source s = {0};
	const char *why = "x";
	assert_int_equal(host_source_set(&s, "root", "fixtures/captures", &why), 0);
	assert_null(why);
	assert_int_equal(host_source_set(&s, "root", "fixtures/qemu", &why), 0); /* the last counts */
	assert_string_equal(s.root, "fixtures/qemu");
	assert_int_equal(host_source_set(&s, "sysctl-file", "a", &why), 0);
	assert_int_equal(host_source_set(&s, "kernel-log", "b", &why), 0);
	assert_int_equal(host_source_set(&s, "baseline", "c", &why), 0);
	assert_int_equal(host_source_set(&s, "page-size", "65536", &why), 0);
	assert_int_equal(host_source_set(&s, "interval", "0.5", &why), 0);
	assert_string_equal(s.sysctl_file, "a");
	assert_string_equal(s.kernel_log, "b");
	assert_string_equal(s.baseline, "c");
	assert_int_equal(s.page_size, 65536);
	assert_true(s.interval == 0.5);
	assert_string_equal(host_source_dir(&s), "fixtures/qemu");
}

static void refusals(void **state)
{
	(void)state;
	static const struct {
		const char *name, *arg;
		int rc;
		const char *why;
	} cases[] = {
		{"page-size", "1000", -EINVAL, "expected a power of two between 1024 and 1048576"},
		{"page-size", "512", -EINVAL, "expected a power of two between 1024 and 1048576"},
		{"page-size", "2097152", -EINVAL, "expected a power of two between 1024 and 1048576"},
		{"page-size", "4k", -EINVAL, "expected a power of two between 1024 and 1048576"},
		{"interval", "0", -EINVAL, "expected seconds, more than 0 and at most 3600"},
		{"interval", "3600.5", -EINVAL, "expected seconds, more than 0 and at most 3600"},
		{"interval", "abc", -EINVAL, "expected seconds, more than 0 and at most 3600"},
		{"swappiness", "1", -ENOENT, "not a host option"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct host_source s = {0};
		const char *why = NULL;
		assert_int_equal(host_source_set(&s, cases[i].name, cases[i].arg, &why), cases[i].rc);
		assert_string_equal(why, cases[i].why);
		assert_int_equal(s.page_size, 0); /* written only on success */
		assert_true(s.interval == 0);
	}
	/* a tree or a snapshot, not both, in either order */
	struct host_source s = {0};
	const char *why;
	assert_int_equal(host_source_set(&s, "snapshot", "snap.json", &why), 0);
	assert_int_equal(host_source_set(&s, "root", "/", &why), -EINVAL);
	assert_string_equal(why, "--root and --snapshot exclude each other");
	assert_null(s.root);
	assert_null(host_source_dir(&s));
	s = (struct host_source){0};
	assert_int_equal(host_source_set(&s, "root", "/", &why), 0);
	assert_int_equal(host_source_set(&s, "snapshot", "snap.json", &why), -EINVAL);
	assert_null(s.snapshot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(values),
		cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
