/* optparse (base/optparse.h): getopt entries from flags strings, and every
 * kind of value accepted or refused with what was expected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/optparse.h"

#include <stdlib.h>
#include <string.h>

static void test_entry(void **state)
{
	(void)state;
	struct option o[3];
	char shorts[8] = "";
	optparse_entry("-o, --output FILE", 300, &o[0], shorts);
	optparse_entry("-v, --verbose", 301, &o[1], shorts);
	optparse_entry("--prom-instance NAME", 302, &o[2], shorts);
	assert_string_equal(o[0].name, "output");
	assert_int_equal(o[0].has_arg, required_argument);
	assert_int_equal(o[0].val, 'o');
	assert_string_equal(o[1].name, "verbose");
	assert_int_equal(o[1].has_arg, no_argument);
	assert_int_equal(o[1].val, 'v');
	assert_string_equal(o[2].name, "prom-instance");
	assert_int_equal(o[2].has_arg, required_argument);
	assert_int_equal(o[2].val, 302);
	assert_string_equal(shorts, "o:v");
	for (size_t i = 0; i < 3; i++)
		free((char *)o[i].name);
}

static bool is_db(const char *s)
{
	return !strcmp(s, "db");
}

/* One row: a declaration, a value, and NULL (accepted) or what was expected. */
static void test_refused(void **state)
{
	(void)state;
	static const struct {
		struct optparse_value v;
		const char *flags, *arg, *expected;
	} rows[] = {
		{{.kind = OPTPARSE_ANY}, "--x S", "", NULL},
		{{.kind = OPTPARSE_NONEMPTY}, "--x S", "a", NULL},
		{{.kind = OPTPARSE_NONEMPTY}, "--x S", "", "a non-empty value"},
		{{.kind = OPTPARSE_OUTPUT}, "-o, --output FILE", "", "a non-empty value"},
		{{.kind = OPTPARSE_CHOICE}, "--format text|json|svg", "svg", NULL},
		{{.kind = OPTPARSE_CHOICE}, "--format text|json|svg", "sv", "text|json|svg"},
		{{.kind = OPTPARSE_CHOICE}, "--format text|json|svg", "svgz", "text|json|svg"},
		{{.kind = OPTPARSE_CHOICE}, "--format text|json|svg", "", "text|json|svg"},
		{{.kind = OPTPARSE_CHOICE}, "--format text|json|svg", "text|json", "text|json|svg"},
		{{.kind = OPTPARSE_CHOICE}, "-f, --format text|json", "json", NULL},
		{{.kind = OPTPARSE_NUMBER, .lo = 0.1, .hi = 3600, .legal = "seconds"}, "--interval S", "0.1", NULL},
		{{.kind = OPTPARSE_NUMBER, .lo = 0.1, .hi = 3600, .legal = "seconds"}, "--interval S", "3600", NULL},
		{{.kind = OPTPARSE_NUMBER, .lo = 0.1, .hi = 3600, .legal = "seconds"}, "--interval S", "0.09", "seconds in 0.1..3600"},
		{{.kind = OPTPARSE_NUMBER, .lo = 0.1, .hi = 3600, .legal = "seconds"}, "--interval S", "1e2", "seconds in 0.1..3600"},
		{{.kind = OPTPARSE_NUMBER, .lo = 0.1, .hi = 3600, .legal = "seconds"}, "--interval S", "1s", "seconds in 0.1..3600"},
		{{.kind = OPTPARSE_NUMBER, .lo = 0, .hi = 1e9, .legal = "seconds"}, "--duration S", "-1", "seconds in 0..1000000000"},
		{{.kind = OPTPARSE_INTEGER, .lo = 1, .hi = 64}, "--threads N", "64", NULL},
		{{.kind = OPTPARSE_INTEGER, .lo = 1, .hi = 64}, "--threads N", " +3", NULL},
		{{.kind = OPTPARSE_INTEGER, .lo = 1, .hi = 64}, "--threads N", "0", "a whole number in 1..64"},
		{{.kind = OPTPARSE_INTEGER, .lo = 1, .hi = 64}, "--threads N", "1.5", "a whole number in 1..64"},
		{{.kind = OPTPARSE_INTEGER, .lo = 1, .hi = 64}, "--threads N", "", "a whole number in 1..64"},
		{{.kind = OPTPARSE_INTEGER, .lo = 1, .hi = 64}, "--threads N", "99999999999999999999", "a whole number in 1..64"},
		{{.kind = OPTPARSE_INTEGER, .lo = 1, .hi = 1000000}, "--top N", "1000001", "a whole number in 1..1000000"},
		{{.kind = OPTPARSE_BYTES}, "--max-size BYTES", "64M", NULL},
		{{.kind = OPTPARSE_BYTES}, "--max-size BYTES", "0", "a positive byte count (suffix k, M or G)"},
		{{.kind = OPTPARSE_BYTES}, "--max-size BYTES", "1T", "a positive byte count (suffix k, M or G)"},
		{{.kind = OPTPARSE_MATCHES, .lo = 0, .hi = 0, .legal = "db only", .fn = is_db}, "--role R", "db", NULL},
		{{.kind = OPTPARSE_MATCHES, .lo = 0, .hi = 0, .legal = "db only", .fn = is_db}, "--role R", "web", "db only"},
		{{.kind = OPTPARSE_CALLER}, "--root DIR", "", NULL},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char buf[96];
		const char *got = optparse_refused(&rows[i].v, rows[i].flags, rows[i].arg, buf, sizeof(buf));
		if (!rows[i].expected)
			assert_null(got);
		else
			assert_string_equal(got, rows[i].expected);
	}
}

static void test_values(void **state)
{
	(void)state;
	assert_int_equal(optparse_choice("--format text|json|svg", "text"), 0);
	assert_int_equal(optparse_choice("--format text|json|svg", "svg"), 2);
	assert_int_equal(optparse_choice("--format text|json|svg", "xml"), -1);
	assert_true(optparse_number("0.1") == 0.1);
	assert_true(optparse_number(" +3") == 3);
	assert_int_equal(optparse_bytes("64M"), 64 << 20);
	assert_int_equal(optparse_bytes("2k"), 2048);
	assert_true(optparse_same_file("/tmp/x", "/tmp/x"));
	assert_true(optparse_same_file("/", "/."));                /* one inode */
	assert_false(optparse_same_file("/tmp/x", "/tmp/./x/no")); /* neither exists */
	assert_false(optparse_same_file("/", "/tmp"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
