/* bytefmt: the one formatter of byte counts, both styles, table-driven.
 * The expected texts are the ones the two formatters it replaced wrote
 * (rules' why texts and the no-op check: prose; the fragment's RAM line and
 * the terminal summary: column), so goldens keep their bytes; the edges are
 * the unit steps (1023/1024), the one-decimal band (below 10 units) and the
 * top unit of each style. */
#include "testutil.h"

#include "base/bytefmt.h"

#include <stdint.h>

static const struct {
	int64_t bytes;
	const char *prose, *column;
} cases[] = {
	{0, "0 bytes", "0 B"},
	{512, "512 bytes", "512 B"},
	{1023, "1023 bytes", "1023 B"},
	{1024, "1 KiB", "1 KiB"},
	{1536, "1.5 KiB", "2 KiB"},
	{10239, "10 KiB", "10 KiB"},
	{10240, "10 KiB", "10 KiB"},
	{1048575, "1024 KiB", "1024 KiB"},
	{1048576, "1 MiB", "1.0 MiB"},
	{1572864, "1.5 MiB", "1.5 MiB"},
	{2097152, "2 MiB", "2.0 MiB"},
	{10433331, "9.9 MiB", "9.9 MiB"},
	{10485760, "10 MiB", "10 MiB"},
	{122683392, "117 MiB", "117 MiB"},
	{1073741824, "1 GiB", "1.0 GiB"},
	{2040109466, "1.9 GiB", "1.9 GiB"},
	{16750372454, "16 GiB", "16 GiB"},
	{68719476736, "64 GiB", "64 GiB"},
	{2199023255552, "2 TiB", "2048 GiB"},
	{-3145728, "-3 MiB", "-3.0 MiB"},
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = {0};
		bytefmt_put(&b, (double)cases[i].bytes, BYTEFMT_PROSE);
		assert_string_equal(buf_str(&b), cases[i].prose);
		buf_reset(&b);
		bytefmt_put(&b, (double)cases[i].bytes, BYTEFMT_COLUMN);
		assert_string_equal(buf_str(&b), cases[i].column);
		buf_free(&b);
	}
}

/* Appends: a size inside a sentence. */
static void test_appends(void **state)
{
	(void)state;
	struct buf b = {0};
	buf_puts(&b, "gap ");
	bytefmt_put(&b, 117.0 * 1024 * 1024, BYTEFMT_PROSE);
	buf_puts(&b, " across lowmem");
	assert_string_equal(buf_str(&b), "gap 117 MiB across lowmem");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_appends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
