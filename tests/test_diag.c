/* diag: collection, splicing and the caret printer (columns past the end of
 * the copied source line must not read beyond it). */
#include "testutil.h"

#include "base/diag.h"

#include <stdio.h>
#include <string.h>

static char *print_one(const struct diag *d)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	diag_print(f, d);
	fclose(f);
	return out;
}

static void test_format_and_caret(void **state)
{
	(void)state;
	struct diag_list l = {0};
	const char *src = "value = 1 +* 2";
	diag_add_src(&l, DIAG_ERROR, "rules/x.ini", 3, 11, 2, src, strlen(src), "unexpected '%s'", "*");
	diag_add(&l, DIAG_WARNING, "proc/zoneinfo", 30, 0, "counter line without a name ignored");
	assert_int_equal(diag_count(&l, DIAG_ERROR), 1);
	assert_int_equal(diag_count(&l, DIAG_WARNING), 1);
	char *out = print_one(&l.v[0]);
	assert_string_equal(out, "rules/x.ini:3:11: error: unexpected '*'\n"
				 "  value = 1 +* 2\n"
				 "            ^^\n");
	free(out);
	out = print_one(&l.v[1]);
	assert_string_equal(out, "proc/zoneinfo:30: warning: counter line without a name ignored\n");
	free(out);
	diag_list_clear(&l);
	assert_int_equal(l.n, 0);
}

static void test_caret_past_a_nul(void **state)
{
	(void)state;
	struct diag_list l = {0};
	/* The source holds a NUL at offset 3; the error sits at column 6. */
	diag_add_src(&l, DIAG_ERROR, "t", 1, 6, 1, "ab\tc\0def", 8, "binary");
	char *out = print_one(&l.v[0]);
	assert_string_equal(out, "t:1:6: error: binary\n  ab\tc\n    \t  ^\n");
	free(out);
	diag_list_clear(&l);
}

static void test_splice(void **state)
{
	(void)state;
	struct diag_list a = {0}, b = {0};
	diag_add(&a, DIAG_NOTE, NULL, 0, 0, "first");
	diag_add(&b, DIAG_ERROR, "f", 1, 0, "second");
	diag_splice(&a, &b);
	assert_int_equal(a.n, 2);
	assert_int_equal(b.n, 0);
	assert_string_equal(a.v[1].msg, "second");
	char *out = print_one(&a.v[0]);
	assert_string_equal(out, "note: first\n");
	free(out);
	diag_list_clear(&a);
	diag_list_clear(NULL);
}

/* diag_print_from: from an index, at least a severity, each after a prefix. */
static void test_print_from(void **state)
{
	(void)state;
	struct diag_list l = {0};
	diag_add(&l, DIAG_WARNING, "proc/vmstat", 0, 0, "printed before");
	diag_add(&l, DIAG_NOTE, "proc/zoneinfo", 0, 0, "a note");
	diag_add(&l, DIAG_ERROR, "rules/x.ini", 4, 0, "an error");
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	diag_print_from(f, &l, 1, DIAG_WARNING, "reclaim-advisor: ");
	fputs("--\n", f);
	diag_print_from(f, &l, 1, DIAG_NOTE, NULL);
	fclose(f);
	assert_string_equal(out, "reclaim-advisor: rules/x.ini:4: error: an error\n--\n"
				 "proc/zoneinfo: note: a note\nrules/x.ini:4: error: an error\n");
	free(out);
	diag_list_clear(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_and_caret),
		cmocka_unit_test(test_caret_past_a_nul),
		cmocka_unit_test(test_splice),
		cmocka_unit_test(test_print_from),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
