/* optparse (base/optparse.h): getopt entries from flags strings, every
 * kind of value accepted or refused with what was expected, and whole
 * command lines: the values kept, and every message optparse_parse gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/diag.h"
#include "base/optparse.h"

#include <errno.h>
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
		{{.kind = OPTPARSE_FLAG}, "--x", "", NULL},
		{{.kind = OPTPARSE_ANY}, "--x S", "a", NULL},
		{{.kind = OPTPARSE_ANY}, "--x S", " ", NULL},
		{{.kind = OPTPARSE_ANY}, "--x S", "", "a non-empty value"},
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

/* A command line of a made-up command: its options, and its values. */
struct line {
	const char **v[6];
	size_t n[6];
	char log[64]; /* the --root values the check saw, in order */
	struct diag_list d;
	size_t first;
	int rc;
};

/* --root: "bad" is refused; every value is logged as the check sees it. */
static const char *root_check(void *ctx, const char *name, const char *arg)
{
	struct line *l = ctx;
	assert_string_equal(name, "root");
	strcat(strcat(l->log, *l->log ? "," : ""), arg);
	return strcmp(arg, "bad") ? NULL : "not a root";
}

/* optparse_parse of the NULL-terminated words after "cmd", with exactly
 * one operand (FILE); l->d's messages joined by '\n' in *msgs. */
static void parse(struct line *l, char *msgs, size_t size, ...)
{
	char *argv[16] = {"cmd"};
	int argc = 1;
	va_list ap;
	va_start(ap, size);
	for (char *w; (w = va_arg(ap, char *));)
		argv[argc++] = w;
	va_end(ap);
	memset(l, 0, sizeof(*l));
	const struct optparse_opt opts[] = {
		{"-o, --output FILE", {.kind = OPTPARSE_OUTPUT}, &l->v[0], &l->n[0]},
		{"--report FILE", {.kind = OPTPARSE_OUTPUT}, &l->v[1], &l->n[1]},
		{"--root DIR", {.kind = OPTPARSE_CALLER}, &l->v[2], &l->n[2]},
		{"-v, --verbose", {.kind = OPTPARSE_FLAG}, &l->v[3], &l->n[3]},
		{"--format text|json", {.kind = OPTPARSE_CHOICE}, &l->v[4], &l->n[4]},
		{"-h, --help", {.kind = OPTPARSE_HELP}, NULL, NULL},
	};
	struct optparse_spec s = {opts, 6, 1, 1, "FILE", root_check, l};
	l->rc = optparse_parse(&s, argc, argv, &l->first, &l->d);
	*msgs = '\0';
	for (size_t i = 0; i < l->d.n; i++)
		snprintf(msgs + strlen(msgs), size - strlen(msgs), "%s%s", i ? "\n" : "", l->d.v[i].msg);
	diag_list_clear(&l->d);
}

static void line_free(struct line *l)
{
	for (size_t i = 0; i < 6; i++)
		free(l->v[i]);
}

/* Options anywhere (glibc permutes argv: operands last), --name=value,
 * an abbreviation, a cluster of short flags, every value kept in order. */
static void test_parse(void **state)
{
	(void)state;
	struct line l;
	char m[512];
	parse(&l, m, sizeof(m), "-vv", "--form", "json", "in", "--format=text", "-oout", "--root", "r1", "--root=r2",
	      NULL);
	assert_int_equal(l.rc, 0);
	assert_string_equal(m, "");
	assert_int_equal(l.first, 9); /* "in", moved past the 8 words of options */
	assert_int_equal(l.n[3], 2);
	assert_string_equal(l.v[3][0], "");
	assert_int_equal(l.n[4], 2);
	assert_string_equal(l.v[4][0], "json");
	assert_string_equal(l.v[4][1], "text");
	assert_int_equal(l.n[0], 1);
	assert_string_equal(l.v[0][0], "out");
	assert_int_equal(l.n[2], 2);
	assert_string_equal(l.log, "r1,r2");
	assert_int_equal(l.n[1], 0);
	line_free(&l);
	/* "--" ends the options: "-v" is the operand */
	parse(&l, m, sizeof(m), "--", "-v", NULL);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.n[3], 0);
	line_free(&l);
}

/* One row per problem: the words after the command, the messages. */
static void test_parse_errors(void **state)
{
	(void)state;
	static const struct {
		const char *w[6], *msgs;
	} rows[] = {
		{{"in", "--bogus"}, "unknown option '--bogus'"},
		{{"in", "--bogus=1"}, "unknown option '--bogus'"},
		{{"in", "-x"}, "unknown option '-x'"},
		{{"in", "-vx"}, "unknown option '-x'"},
		{{"in", "--r"}, "'--r' is ambiguous: --report, --root"},
		{{"in", "--r=x"}, "'--r' is ambiguous: --report, --root"},
		{{"in", "--rep"}, "--report needs a value (FILE)"},
		{{"in", "-o"}, "--output needs a value (FILE)"},
		{{"in", "-vo"}, "--output needs a value (FILE)"},
		{{"in", "--verbose=1"}, "--verbose '1': expected no value"},
		{{"in", "--help=x"}, "--help 'x': expected no value"},
		{{"in", "--format", "xml"}, "--format 'xml': expected text|json"},
		{{"in", "-o", ""}, "--output '': expected a non-empty value"},
		{{"in", "--root", "bad"}, "--root 'bad': not a root"},
		{{"in", "--root", ""}, "--root '': expected a non-empty value"},
		{{NULL}, "missing argument FILE"},
		{{"in", "out"}, "unexpected argument 'out'"},
		{{"in", "-o", "f", "--report", "f"}, "--output and --report name the same file (f): one would replace the other"},
		/* every problem, in this order: as read, each value, the operands, the outputs */
		{{"--format", "xml", "--bogus", "--root", "bad"},
		 "unknown option '--bogus'\n--root 'bad': not a root\n--format 'xml': expected text|json\nmissing argument FILE"},
		/* an error before --help wins over it */
		{{"--bogus", "--help", "in"}, "unknown option '--bogus'"},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct line l;
		char m[512];
		const char *const *w = rows[i].w;
		parse(&l, m, sizeof(m), w[0], w[1], w[2], w[3], w[4], w[5], NULL);
		assert_int_equal(l.rc, -EINVAL);
		assert_string_equal(m, rows[i].msgs);
		line_free(&l);
	}
}

/* An option that must be given: missing, or refused (then only that is
 * said). */
static void test_parse_required(void **state)
{
	(void)state;
	const char **v = NULL;
	size_t n = 0, first;
	const struct optparse_opt opts[] = {{"--history H", {.kind = OPTPARSE_ANY, .required = true}, &v, &n}};
	const struct optparse_spec s = {opts, 1, 0, 0, NULL, NULL, NULL};
	struct diag_list d = {0};
	char *given[] = {"cmd", "--history", "h"}, *none[] = {"cmd"}, *empty[] = {"cmd", "--history="};
	assert_int_equal(optparse_parse(&s, 3, given, &first, &d), 0);
	assert_int_equal(n, 1);
	assert_int_equal(d.n, 0);
	free(v);
	v = NULL;
	n = 0;
	assert_int_equal(optparse_parse(&s, 1, none, &first, &d), -EINVAL);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg, "--history H is required");
	diag_list_clear(&d);
	assert_int_equal(optparse_parse(&s, 2, empty, &first, &d), -EINVAL);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg, "--history '': expected a non-empty value");
	diag_list_clear(&d);
	free(v);
}

/* An option given once only: twice is an error naming both values (not
 * "the last counts", which dropped a second --history without a word); a
 * refused value does not count. */
static void test_parse_once(void **state)
{
	(void)state;
	const char **v = NULL;
	size_t n = 0, first;
	const struct optparse_opt opts[] = {{"--history H", {.kind = OPTPARSE_ANY, .once = true}, &v, &n}};
	const struct optparse_spec s = {opts, 1, 0, 0, NULL, NULL, NULL};
	struct diag_list d = {0};
	char *one[] = {"cmd", "--history", "a"}, *two[] = {"cmd", "--history", "a", "--history=b"},
	     *three[] = {"cmd", "--history", "a", "--history", "b", "--history", "c"},
	     *refused[] = {"cmd", "--history=", "--history", "b"};
	assert_int_equal(optparse_parse(&s, 3, one, &first, &d), 0);
	assert_int_equal(n, 1);
	assert_int_equal(d.n, 0);
	free(v);
	v = NULL;
	n = 0;
	assert_int_equal(optparse_parse(&s, 4, two, &first, &d), -EINVAL);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg, "--history given 2 times (a, b): once only");
	diag_list_clear(&d);
	free(v);
	v = NULL;
	n = 0;
	assert_int_equal(optparse_parse(&s, 7, three, &first, &d), -EINVAL);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg, "--history given 3 times (a, b, ...): once only");
	diag_list_clear(&d);
	free(v);
	v = NULL;
	n = 0;
	assert_int_equal(optparse_parse(&s, 4, refused, &first, &d), -EINVAL);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg, "--history '': expected a non-empty value");
	diag_list_clear(&d);
	free(v);
}

/* A refused value is not kept; --help before any error stops the parse
 * (a bad value before it is not even checked), with no message. */
static void test_parse_keep_help(void **state)
{
	(void)state;
	struct line l;
	char m[512];
	parse(&l, m, sizeof(m), "--format", "xml", "--format", "json", "in", NULL);
	assert_int_equal(l.rc, -EINVAL);
	assert_int_equal(l.n[4], 1);
	assert_string_equal(l.v[4][0], "json");
	line_free(&l);
	parse(&l, m, sizeof(m), "--root", "bad", "--root", "r", "in", NULL);
	assert_int_equal(l.rc, -EINVAL);
	assert_int_equal(l.n[2], 1);
	assert_string_equal(l.v[2][0], "r");
	line_free(&l);
	parse(&l, m, sizeof(m), "--format", "xml", "-h", "--bogus", NULL);
	assert_int_equal(l.rc, OPTPARSE_HELP_GIVEN);
	assert_string_equal(m, "");
	line_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_keep_help),
		cmocka_unit_test(test_parse_required),
		cmocka_unit_test(test_parse_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
