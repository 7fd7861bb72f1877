/* args (cli/args.h): the meaning commands.def declares for each option's
 * value is checked by cli_parse, a refused value is not kept, and the
 * typed readers give the checked value back.  The messages go to stderr
 * (tests/e2e/terminal.sh and hostile.sh check their wording). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli/args.h"
#include "cli/exitcodes.h"

#include <stdio.h>
#include <string.h>

/* cli_parse(cmd, the NULL-terminated words after cmd). */
static int parse(struct cli_args *a, const char *cmd, ...)
{
	char *argv[16] = {(char *)cmd};
	int argc = 1;
	va_list ap;
	va_start(ap, cmd);
	for (char *w; (w = va_arg(ap, char *));)
		argv[argc++] = w;
	va_end(ap);
	return cli_parse(cmd, argc, argv, a);
}

/* INTEGER (fleet --threads 1..64, --top 1..1000000), as fleet took them:
 * blanks before, a sign, nothing after. */
static void test_integer(void **state)
{
	(void)state;
	struct cli_args a;
	assert_int_equal(parse(&a, "fleet", "--threads", "64", "--top", "1000000", "x", NULL), 0);
	assert_true(cli_num(&a, OPT_fleet_threads, 0) == 64);
	assert_true(cli_num(&a, OPT_fleet_top, 0) == 1000000);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "fleet", "--threads", " 3", "--top", "+5", "x", NULL), 0);
	assert_true(cli_num(&a, OPT_fleet_threads, 0) == 3);
	assert_true(cli_num(&a, OPT_fleet_top, 0) == 5);
	cli_args_free(&a);
	static const char *const bad[] = {"0", "65", "-1", "", "4x", "1.5", "99999999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(&a, "fleet", "--threads", bad[i], "x", NULL), EXIT_USAGE);
		assert_false(cli_flag(&a, OPT_fleet_threads)); /* not kept */
		assert_true(cli_num(&a, OPT_fleet_threads, 0) == 0);
		cli_args_free(&a);
	}
	assert_int_equal(parse(&a, "fleet", "--top", "0", "x", NULL), EXIT_USAGE);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "fleet", "--top", "1000001", "x", NULL), EXIT_USAGE);
	cli_args_free(&a);
}

/* NUMBER (record --interval 0.1..3600, --duration 0..1e9, whatif --target
 * 0..100) and BYTES (record --max-size). */
static void test_number_bytes(void **state)
{
	(void)state;
	struct cli_args a;
	assert_int_equal(parse(&a, "record", "--interval", "0.1", "--duration", "0", "--max-size", "64M", NULL), 0);
	assert_true(cli_num(&a, OPT_record_interval, 1) == 0.1);
	assert_true(cli_num(&a, OPT_record_duration, -1) == 0);
	assert_int_equal(cli_bytes(&a, OPT_record_max_size), 64 << 20);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "record", NULL), 0); /* the defaults */
	assert_true(cli_num(&a, OPT_record_interval, 1) == 1);
	assert_int_equal(cli_bytes(&a, OPT_record_max_size), 0);
	cli_args_free(&a);
	static const char *const bad_interval[] = {"0.01", "3600.5", "x", "", "1e2", "-1", "1s"};
	for (size_t i = 0; i < sizeof(bad_interval) / sizeof(bad_interval[0]); i++) {
		assert_int_equal(parse(&a, "record", "--interval", bad_interval[i], NULL), EXIT_USAGE);
		assert_true(cli_num(&a, OPT_record_interval, 1) == 1);
		cli_args_free(&a);
	}
	static const char *const bad_bytes[] = {"0", "1T", "x", "", "-1", "10kk"};
	for (size_t i = 0; i < sizeof(bad_bytes) / sizeof(bad_bytes[0]); i++) {
		assert_int_equal(parse(&a, "record", "--max-size", bad_bytes[i], NULL), EXIT_USAGE);
		cli_args_free(&a);
	}
	assert_int_equal(parse(&a, "whatif", "--history", "h", "--target", "100", NULL), 0);
	assert_true(cli_num(&a, OPT_whatif_target, 1) == 100);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "whatif", "--history", "h", "--target", "100.01", NULL), EXIT_USAGE);
	cli_args_free(&a);
}

/* CHOICE: the words of the flags' argument ("--format text|json|svg"),
 * whole words only; cli_choice is the position, 0 when not given. */
static void test_choice(void **state)
{
	(void)state;
	struct cli_args a;
	assert_int_equal(parse(&a, "whatif", "--history", "h", "--format", "svg", NULL), 0);
	assert_int_equal(cli_choice(&a, OPT_whatif_format), 2);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "audit", "--format", "prom", NULL), 0); /* audit_format_known: an alias */
	assert_string_equal(cli_str(&a, OPT_audit_format), "prom");
	cli_args_free(&a);
	assert_int_equal(parse(&a, "audit", "--format", "xml", NULL), EXIT_USAGE);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "facts", "--format", "json", NULL), 0);
	assert_true(cli_is(&a, OPT_facts_format, "json"));
	cli_args_free(&a);
	assert_int_equal(parse(&a, "facts", NULL), 0);
	assert_int_equal(cli_choice(&a, OPT_facts_format), 0);
	assert_false(cli_is(&a, OPT_facts_format, "json"));
	cli_args_free(&a);
	static const char *const bad[] = {"xml", "", "tex", "texts", "json|text", "|", "JSON"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(&a, "facts", "--format", bad[i], NULL), EXIT_USAGE);
		assert_int_equal(cli_choice(&a, OPT_facts_format), 0); /* the UNKNOWN document's text */
		cli_args_free(&a);
	}
}

/* ANY (never empty), OUTPUT (and two outputs naming one file), MATCHES,
 * HOST; every value is checked, and the good ones are kept (audit --label). */
static void test_strings(void **state)
{
	(void)state;
	struct cli_args a;
	assert_int_equal(parse(&a, "recommend", "-o", "", NULL), EXIT_USAGE);
	assert_null(cli_str(&a, OPT_recommend_output));
	cli_args_free(&a);
	assert_int_equal(parse(&a, "recommend", "--host-id", "", NULL), EXIT_USAGE);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "recommend", "--profile", "", "--root", "", NULL), EXIT_USAGE);
	assert_null(cli_str(&a, OPT_recommend_profile));
	assert_null(a.host.root);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "recommend", "-o", "/tmp/x", "--report", "/tmp/x", NULL), EXIT_USAGE);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "recommend", "--tmpfiles", "/tmp/x", "--report", "/tmp/./x", NULL), 0);
	cli_args_free(&a); /* another string, and no file there: not the same */
	assert_int_equal(parse(&a, "recommend", "--tmpfiles", "/", "--report", "/.", NULL), EXIT_USAGE);
	cli_args_free(&a); /* one inode */
	assert_int_equal(parse(&a, "audit", "--label", "role=db", "--label", "a b=c", "--label", "site=x", NULL),
			 EXIT_USAGE);
	assert_int_equal(a.n[OPT_audit_label], 2);
	assert_string_equal(a.v[OPT_audit_label][1], "site=x");
	cli_args_free(&a);
	assert_int_equal(parse(&a, "audit", "--prom-instance", "a b", NULL), EXIT_USAGE);
	assert_null(cli_str(&a, OPT_audit_prom_instance));
	cli_args_free(&a);
	assert_int_equal(parse(&a, "facts", "--page-size", "1000", NULL), EXIT_USAGE);
	assert_int_equal(a.host.page_size, 0);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "facts", "--page-size", "65536", NULL), 0);
	assert_int_equal(a.host.page_size, 65536);
	cli_args_free(&a);
}

/* Operands: refused for a command that takes none (commands.def). */
static void test_operands(void **state)
{
	(void)state;
	struct cli_args a;
	assert_int_equal(parse(&a, "facts", "extra", NULL), EXIT_USAGE);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "record", "extra", NULL), EXIT_USAGE);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "fleet", "a", "b", NULL), 0);
	assert_int_equal(a.noperands, 2);
	cli_args_free(&a);
	assert_int_equal(parse(&a, "explain", "vm.swappiness", NULL), 0);
	cli_args_free(&a);
	/* rules: the subcommand is the first operand, options around it */
	assert_int_equal(parse(&a, "rules", "--strict", "check", "DIR", "--rules", "R", NULL), 0);
	assert_int_equal(a.noperands, 2);
	assert_string_equal(a.operands[0], "check");
	assert_true(cli_flag(&a, OPT_rules_strict));
	cli_args_free(&a);
}

int main(void)
{
	/* the refusals' messages are not what these tests read */
	if (!freopen("/dev/null", "w", stderr))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integer),     cmocka_unit_test(test_number_bytes), cmocka_unit_test(test_choice),
		cmocka_unit_test(test_strings),     cmocka_unit_test(test_operands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
