/* textsafe: untrusted text is valid, printable UTF-8 on output. */
#include "testutil.h"

#include "base/textsafe.h"

#include <string.h>

static void check(const char *in, size_t n, const char *want)
{
	char *got = text_safe_n(in, n);
	assert_string_equal(got, want);
	assert_true(text_is_safe(got, strlen(got)));
	free(got);
}

static void test_cases(void **state)
{
	(void)state;
	/* kept: ASCII, tab, valid multi-byte UTF-8 (é, €, 𝄞) */
	check("Normal", 6, "Normal");
	check("a\tb", 3, "a\tb");
	check("caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e", 14, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e");
	/* replaced: an ESC sequence, newline, DEL, C1 (U+0085), invalid bytes,
	 * an overlong '/', a surrogate, a truncated sequence */
	check("\x1b[31mred", 8, "\\x1b[31mred");
	check("a\nb\rc", 5, "a\\x0ab\\x0dc");
	check("\x7f", 1, "\\x7f");
	check("\xc2\x85", 2, "\\xc2\\x85");
	check("\xff\xfe", 2, "\\xff\\xfe");
	check("\xc0\xaf", 2, "\\xc0\\xaf");
	check("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");
	check("ab\xe2\x82", 4, "ab\\xe2\\x82");
	/* stops at a NUL byte; NULL stays NULL */
	check("ab\0cd", 5, "ab");
	assert_null(text_safe(NULL));
	assert_false(text_is_safe("\x1b", 1));
	assert_true(text_is_safe("ok", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
