/* sysval: the one comparison and normal form of sysctl value text, on the
 * real /proc/sys text of a multi-value key (lowmem_reserve_ratio, tab
 * separated, newline ended) and the forms sysctl.d and reports write. */
#include "testutil.h"

#include "base/sysval.h"
#include "facts/facts.h"

#include <string.h>

static void test_equal(void **state)
{
	(void)state;
	assert_true(sysval_equal("10", "10"));
	assert_true(sysval_equal("010", " 10 "));
	assert_true(sysval_equal("256\t256  32", "256 256 32"));
	assert_false(sysval_equal("256 256", "256 256 32"));
	assert_false(sysval_equal("10", "11"));
	assert_true(sysval_equal("always", "always"));
	assert_false(sysval_equal("always", "madvise"));
	assert_false(sysval_equal(NULL, "1"));
	assert_false(sysval_equal(NULL, NULL));
	assert_true(sysval_equal("", " \n"));
}

static void test_real_multi_value(void **state)
{
	(void)state;
	size_t len;
	char *live = tu_read("fixtures/derived/qemu-6.1-1g-memcg-oom/before/proc/sys/vm/lowmem_reserve_ratio", &len);
	/* as the kernel prints it: "256\t256\t32\t0\t0\n" */
	assert_non_null(memchr(live, '\t', len));
	assert_true(sysval_equal(live, "256 256 32 0 0"));
	assert_false(sysval_equal(live, "256 256 32 0"));
	assert_false(sysval_equal(live, "256 256 32 0 1"));
	char *n = sysval_normalize(live, len);
	assert_string_equal(n, "256 256 32 0 0");
	free(n);
	free(live);
	n = sysval_normalize("  10\n", 5);
	assert_string_equal(n, "10");
	free(n);
	n = sysval_normalize(" \t\n", 3);
	assert_string_equal(n, "");
	free(n);
}

/* struct value's one spelling and equality go through here. */
static void test_value_text(void **state)
{
	(void)state;
	struct value i = {.type = FACT_INT, .u.i = -3}, b = {.type = FACT_BOOL, .u.b = true},
		     s = {.type = FACT_STR, .u.s = "256\t256\t32"}, t = {.type = FACT_STR, .u.s = "256 256 32"},
		     f = {.type = FACT_FLOAT, .u.f = 0.5};
	char *x = value_sysctl_text(&i);
	assert_string_equal(x, "-3");
	free(x);
	x = value_sysctl_text(&b);
	assert_string_equal(x, "1");
	free(x);
	x = value_sysctl_text(&f);
	assert_string_equal(x, "0.5");
	free(x);
	assert_true(value_sysctl_equal(&s, &t));
	assert_false(value_sysctl_equal(&i, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_real_multi_value),
		cmocka_unit_test(test_value_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
