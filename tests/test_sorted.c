/* sorted: found, insertion points at both ends and between, empty;
 * insertion keeps the order and grows the array. */
#include "testutil.h"

#include "base/sorted.h"

#include <stdlib.h>
#include <string.h>

struct item {
	int other;
	char *name;
};

static void test_find(void **state)
{
	(void)state;
	struct item v[] = {{1, (char *)"vm.dirty_bytes"}, {2, (char *)"vm.min_free_kbytes"},
			   {3, (char *)"vm.swappiness"}};
	const size_t off = offsetof(struct item, name);
	bool found = true;
	assert_int_equal(sorted_find(v, 3, sizeof(*v), off, "vm.min_free_kbytes", &found), 1);
	assert_true(found);
	assert_int_equal(sorted_find(v, 3, sizeof(*v), off, "vm.swappiness", &found), 2);
	assert_true(found);
	assert_int_equal(sorted_find(v, 3, sizeof(*v), off, "vm.a", &found), 0);
	assert_false(found);
	assert_int_equal(sorted_find(v, 3, sizeof(*v), off, "vm.page-cluster", &found), 2);
	assert_false(found);
	assert_int_equal(sorted_find(v, 3, sizeof(*v), off, "vm.zone_reclaim_mode", &found), 3);
	assert_false(found);
	found = true;
	assert_int_equal(sorted_find(v, 0, sizeof(*v), off, "vm.swappiness", &found), 0);
	assert_false(found);
}

static void test_slot(void **state)
{
	(void)state;
	struct item *v = NULL;
	size_t n = 0, cap = 0;
	const char *keys[] = {"vm.swappiness", "vm.dirty_bytes", "vm.zone_reclaim_mode", "vm.min_free_kbytes",
			      "vm.dirty_bytes"};
	bool found;
	for (size_t i = 0; i < 5; i++) {
		struct item *e = sorted_slot(&v, &n, &cap, sizeof(*v), offsetof(struct item, name), 2, keys[i], &found);
		assert_int_equal(found, i == 4);
		if (!found)
			e->other = (int)i;
	}
	assert_int_equal(n, 4);
	assert_true(cap >= 4);
	assert_string_equal(v[0].name, "vm.dirty_bytes");
	assert_int_equal(v[0].other, 1);
	assert_string_equal(v[1].name, "vm.min_free_kbytes");
	assert_string_equal(v[2].name, "vm.swappiness");
	assert_string_equal(v[3].name, "vm.zone_reclaim_mode");
	assert_int_equal(v[3].other, 2);
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_slot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
