/* Tests for collect/parse_kv.c: vmstat, meminfo, kvlist, the line helpers. */
#include "testutil.h"

#include "collect/parse.h"

#include <errno.h>
#include <glob.h>
#include <string.h>

#define CAP "fixtures/captures/"

static int64_t get(const struct kvlist *l, const char *k)
{
	int64_t v = -12345;
	if (kvlist_get(l, k, &v))
		fail_msg("key %s absent", k);
	return v;
}

/* The first error diagnostic's line, or 0. */
static unsigned err_line(const struct diag_list *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].sev == DIAG_ERROR)
			return d->v[i].line;
	return 0;
}

static void test_line_next(void **state)
{
	(void)state;
	const char *s = "a\n\nbc";
	size_t pos = 0;
	struct parse_line l = {0};
	assert_true(parse_line_next(s, 5, &pos, &l));
	assert_int_equal(l.len, 1);
	assert_int_equal(l.no, 1);
	assert_true(parse_line_next(s, 5, &pos, &l));
	assert_int_equal(l.len, 0);
	assert_true(parse_line_next(s, 5, &pos, &l));
	assert_int_equal(l.no, 3);
	assert_int_equal(l.len, 2);
	assert_memory_equal(l.s, "bc", 2);
	assert_false(parse_line_next(s, 5, &pos, &l));
	pos = 0;
	memset(&l, 0, sizeof(l));
	assert_false(parse_line_next("", 0, &pos, &l));
}

static void test_vmstat_string(void **state)
{
	(void)state;
	const char *s = "nr_free_pages 1320053\nallocstall_movable 1980089\n"
			"big 72057594037927936\n";
	struct kvlist l = {0};
	struct diag_list d = {0};
	/* Near INT64_MAX no counter is real, and sums of it overflow: refused
	 * where it is read (2^56 is the bound, host.h). */
	const char *huge = "nr_free_pages 1\nallocstall_movable 9223372036854775000\n";
	assert_int_equal(vmstat_parse(huge, strlen(huge), "proc/vmstat", &l, &d), -ERANGE);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 2);
	assert_non_null(strstr(d.v[0].msg, "'allocstall_movable': impossible value"));
	diag_list_clear(&d);
	assert_int_equal(vmstat_parse(s, strlen(s), "proc/vmstat", &l, &d), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].key, "nr_free_pages");
	assert_true(get(&l, "nr_free_pages") == 1320053);
	assert_true(get(&l, "big") == HOST_MAX_COUNTER);
	int64_t v = 7;
	assert_int_equal(kvlist_get(&l, "allocstall", &v), -ENODATA);
	assert_true(v == 7); /* untouched when absent */
	assert_int_equal(d.n, 0);
	kvlist_free(&l);
	kvlist_free(&l); /* idempotent */
	kvlist_free(NULL);
	diag_list_clear(&d);
}

static void test_vmstat_empty(void **state)
{
	(void)state;
	struct kvlist l = {0};
	struct diag_list d = {0};
	assert_int_equal(vmstat_parse("", 0, "proc/vmstat", &l, &d), 0);
	assert_int_equal(l.n, 0);
	diag_list_clear(&d);
}

struct bad {
	const char *text;
	int rc;
	unsigned line;
	const char *needle; /* in the message */
};

static void run_bad(int (*fn)(const char *, size_t, const char *, struct kvlist *,
			      struct diag_list *),
		    const struct bad *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct kvlist l = {.v = (void *)0x1, .n = 99};
		struct diag_list d = {0};
		int rc = fn(b[i].text, strlen(b[i].text), "proc/x", &l, &d);
		if (rc != b[i].rc)
			fail_msg("case %zu (%s): rc %d, want %d", i, b[i].text, rc, b[i].rc);
		assert_true(l.v == (void *)0x1 && l.n == 99); /* untouched */
		assert_int_equal(err_line(&d), b[i].line);
		assert_string_equal(d.v[0].origin, "proc/x");
		if (!strstr(d.v[0].msg, b[i].needle))
			fail_msg("case %zu: message '%s' lacks '%s'", i, d.v[0].msg, b[i].needle);
		diag_list_clear(&d);
	}
}

static void test_vmstat_bad(void **state)
{
	(void)state;
	static const struct bad b[] = {
		{"a 1\nb -5\n", -EINVAL, 2, "unsigned"},
		{"a 1\nb 18446744073709551616\n", -ERANGE, 2, "64 bits"},
		{"a 9223372036854775808\n", -ERANGE, 1, "64 bits"},
		{"a 1\nb\n", -EINVAL, 2, "no value"},
		{"a 1\n\nb 2 3\n", -EINVAL, 3, "unexpected text"},
		{"a 1\nb 12x\n", -EINVAL, 2, "unexpected text"},
		{"a(b) 1\n", -EINVAL, 1, "characters"},
		{"a 1\nb 2\x00garbage\n", -EINVAL, 2, "binary"},
	};
	/* the binary case needs its real length */
	run_bad(vmstat_parse, b, 7);
	struct kvlist l = {0};
	struct diag_list d = {0};
	assert_int_equal(vmstat_parse(b[7].text, 18, "proc/x", &l, &d), -EINVAL);
	assert_int_equal(err_line(&d), 2);
	assert_non_null(strstr(d.v[0].msg, "binary"));
	diag_list_clear(&d);
}

/* A bad value far into a long line: position without source, so the
 * caret printer never walks past the stored (capped) source. */
static void test_long_line_error(void **state)
{
	(void)state;
	size_t pad = 5000;
	char *s = malloc(pad + 16);
	memset(s, 'a', pad);
	strcpy(s + pad, " 12x\n");
	struct kvlist l = {0};
	struct diag_list d = {0};
	assert_int_equal(vmstat_parse(s, strlen(s), "proc/vmstat", &l, &d), -EINVAL);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[0].col, pad + 4);
	assert_null(d.v[0].src);
	FILE *devnull = fopen("/dev/null", "w");
	diag_print_all(devnull, &d);
	fclose(devnull);
	diag_list_clear(&d);
	/* near the start: source attached, capped */
	s[0] = '-';
	assert_int_equal(vmstat_parse(s, strlen(s), "proc/vmstat", &l, &d), -EINVAL);
	assert_int_equal(d.v[0].col, 1);
	assert_non_null(d.v[0].src);
	assert_int_equal(strlen(d.v[0].src), 200);
	diag_list_clear(&d);
	free(s);
}

static void test_meminfo_string(void **state)
{
	(void)state;
	const char *s = "MemTotal:       16423116 kB\nActive(file):     194580 kB\n"
			"HugePages_Total:       0\nDirectMap4k:  1 kB";
	struct kvlist l = {0};
	struct diag_list d = {0};
	assert_int_equal(meminfo_parse(s, strlen(s), "proc/meminfo", &l, &d), 0);
	assert_int_equal(l.n, 4);
	assert_true(get(&l, "MemTotal") == 16423116);
	assert_true(get(&l, "Active(file)") == 194580);
	assert_true(get(&l, "HugePages_Total") == 0);
	assert_true(get(&l, "DirectMap4k") == 1);
	kvlist_free(&l);
	diag_list_clear(&d);

	/* notes after an intact "N kB": kept, with a warning at the note */
	s = "MemTotal:      1014600 kB << 1GB Ram\nMemFree: 5 kB\n";
	assert_int_equal(meminfo_parse(s, strlen(s), "proc/meminfo", &l, &d), 0);
	assert_true(get(&l, "MemTotal") == 1014600);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].sev, DIAG_WARNING);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[0].col, 27);
	kvlist_free(&l);
	diag_list_clear(&d);
}

static void test_meminfo_bad(void **state)
{
	(void)state;
	static const struct bad b[] = {
		{"MemTotal: 1 kB\nMemFree: 5 MB\n", -EINVAL, 2, "unit"},
		{"MemTotal: 1 kB\nMemFree 5 kB\n", -EINVAL, 2, "Key: value"},
		{"MemTotal: 1 kB\n: 5 kB\n", -EINVAL, 2, "Key: value"},
		{"MemTotal:\n", -EINVAL, 1, "no value"},
		{"MemTotal: 1 kB\nSwapFree: -4 kB\n", -EINVAL, 2, "unsigned"},
		{"A: 1 kB\nB: 2 kB\nC: 99999999999999999999 kB\n", -ERANGE, 3, "64 bits"},
		{"MemTotal: 1 kBytes\n", -EINVAL, 1, "unit"},
		{"MemTotal: 1 kB\nHugePages_Total: 0 pages\n", -EINVAL, 2, "unit"},
		{"MemTotal: 1kB\n", -EINVAL, 1, "unit"},
	};
	run_bad(meminfo_parse, b, sizeof(b) / sizeof(b[0]));
}

static void test_malformed_fixtures(void **state)
{
	(void)state;
	size_t n;
	char *buf = tu_read("fixtures/malformed/meminfo-garbled", &n);
	struct kvlist l = {0};
	struct diag_list d = {0};
	assert_int_equal(meminfo_parse(buf, n, "proc/meminfo", &l, &d), -EINVAL);
	assert_int_equal(err_line(&d), 4);
	free(buf);
	diag_list_clear(&d);

	buf = tu_read("fixtures/malformed/vmstat-overflow", &n);
	assert_int_equal(vmstat_parse(buf, n, "proc/vmstat", &l, &d), -ERANGE);
	assert_int_equal(err_line(&d), 3);
	free(buf);
	diag_list_clear(&d);

	/* tu_read refuses NUL bytes (file_read says -EILSEQ), so read raw. */
	FILE *f = fopen("fixtures/malformed/binary", "rb");
	assert_non_null(f);
	char raw[4096];
	n = fread(raw, 1, sizeof(raw) - 1, f);
	fclose(f);
	raw[n] = 0;
	assert_true(n > 0);
	assert_int_equal(vmstat_parse(raw, n, "proc/vmstat", &l, &d), -EINVAL);
	assert_non_null(strstr(d.v[0].msg, "binary"));
	diag_list_clear(&d);
	assert_int_equal(meminfo_parse(raw, n, "proc/meminfo", &l, &d), -EINVAL);
	diag_list_clear(&d);
}

/* Every captured vmstat and meminfo parses; the annotated 2007 LKML meminfo
 * (a human wrote "<< 1GB Ram" after some values) parses with warnings. */
static void test_all_captures(void **state)
{
	(void)state;
	const char *pats[] = {CAP "*/proc/vmstat", CAP "*/*/proc/vmstat", CAP "*/proc/meminfo",
			      CAP "*/*/proc/meminfo"};
	size_t total = 0, annotated = 0;
	for (size_t p = 0; p < 4; p++) {
		glob_t g;
		if (glob(pats[p], 0, NULL, &g))
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++) {
			size_t n;
			char *buf = tu_read(g.gl_pathv[i], &n);
			struct kvlist l = {0};
			struct diag_list d = {0};
			bool mem = strstr(pats[p], "meminfo") != NULL;
			int rc = mem ? meminfo_parse(buf, n, g.gl_pathv[i], &l, &d)
				     : vmstat_parse(buf, n, g.gl_pathv[i], &l, &d);
			if (strstr(g.gl_pathv[i], "lkml-2007-ppc64") && mem) {
				assert_int_equal(rc, 0);
				assert_true(diag_count(&d, DIAG_WARNING) >= 2);
				assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
				annotated++;
			} else if (rc) {
				diag_print_all(stderr, &d);
				fail_msg("%s: rc %d", g.gl_pathv[i], rc);
			} else {
				assert_true(l.n > 10);
				assert_int_equal(d.n, 0);
			}
			total++;
			kvlist_free(&l);
			diag_list_clear(&d);
			free(buf);
		}
		globfree(&g);
	}
	assert_true(total >= 45);
	assert_int_equal(annotated, 2);
}

static void test_profihost(void **state)
{
	(void)state;
	size_t n;
	char *buf = tu_read(CAP "lkml-2019-profihost-4.19-x86_64-16g-vm/proc/vmstat", &n);
	struct kvlist l = {0};
	struct diag_list d = {0};
	assert_int_equal(vmstat_parse(buf, n, "proc/vmstat", &l, &d), 0);
	assert_int_equal(l.n, 129);
	assert_true(get(&l, "allocstall_movable") == 1980089);
	assert_true(get(&l, "allocstall_normal") == 39);
	assert_true(get(&l, "pgscan_direct") == 395327492);
	kvlist_free(&l);
	free(buf);

	buf = tu_read(CAP "lkml-2019-profihost-4.19-x86_64-16g-vm/proc/meminfo", &n);
	assert_int_equal(meminfo_parse(buf, n, "proc/meminfo", &l, &d), 0);
	assert_int_equal(l.n, 48);
	assert_true(get(&l, "MemTotal") == 16423116);
	assert_true(get(&l, "Active(file)") == 194580);
	assert_true(get(&l, "HugePages_Total") == 0);
	kvlist_free(&l);
	free(buf);
	diag_list_clear(&d);
}

/* A 2.6-era vmstat has the single "allocstall" counter. */
static void test_old_vmstat(void **state)
{
	(void)state;
	size_t n;
	char *buf = tu_read(CAP "ubuntu14.04-3.13-x86_64-8g-swap-allocstall/proc/vmstat", &n);
	struct kvlist l = {0};
	struct diag_list d = {0};
	assert_int_equal(vmstat_parse(buf, n, "proc/vmstat", &l, &d), 0);
	assert_true(get(&l, "allocstall") == 2852);
	int64_t v;
	assert_int_equal(kvlist_get(&l, "allocstall_normal", &v), -ENODATA);
	kvlist_free(&l);
	free(buf);
	diag_list_clear(&d);
}

static void test_live(void **state)
{
	(void)state;
	char *buf;
	size_t n;
	if (file_read("/proc/vmstat", FILEIO_DEFAULT_CAP, &buf, &n)) {
		skip();
		return;
	}
	struct kvlist l = {0};
	struct diag_list d = {0};
	assert_int_equal(vmstat_parse(buf, n, "proc/vmstat", &l, &d), 0);
	assert_true(get(&l, "nr_free_pages") > 0);
	kvlist_free(&l);
	free(buf);
	if (file_read("/proc/meminfo", FILEIO_DEFAULT_CAP, &buf, &n) == 0) {
		assert_int_equal(meminfo_parse(buf, n, "proc/meminfo", &l, &d), 0);
		assert_true(get(&l, "MemTotal") > 0);
		kvlist_free(&l);
		free(buf);
	}
	diag_list_clear(&d);
}

/* A real meminfo with CRLF line ends (copied through Windows): the '\r' is
 * the line end, not part of "kB" (the old message: "unit must be kB, got
 * 'kB'"); the values are the same as the original's. */
static void test_crlf(void **state)
{
	(void)state;
	size_t n;
	char *lf = tu_read("fixtures/live-fc-6.18/proc/meminfo", &n);
	char *crlf = malloc(2 * n + 1);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (lf[i] == '\n')
			crlf[m++] = '\r';
		crlf[m++] = lf[i];
	}
	crlf[m] = 0;
	struct kvlist a = {0}, b = {0};
	struct diag_list d = {0};
	assert_int_equal(meminfo_parse(lf, n, "meminfo", &a, &d), 0);
	assert_int_equal(meminfo_parse(crlf, m, "meminfo", &b, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		assert_string_equal(a.v[i].key, b.v[i].key);
		assert_true(a.v[i].value == b.v[i].value);
	}
	kvlist_free(&a);
	kvlist_free(&b);
	free(lf);
	free(crlf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_next),
		cmocka_unit_test(test_vmstat_string),
		cmocka_unit_test(test_vmstat_empty),
		cmocka_unit_test(test_vmstat_bad),
		cmocka_unit_test(test_long_line_error),
		cmocka_unit_test(test_meminfo_string),
		cmocka_unit_test(test_meminfo_bad),
		cmocka_unit_test(test_malformed_fixtures),
		cmocka_unit_test(test_all_captures),
		cmocka_unit_test(test_profihost),
		cmocka_unit_test(test_old_vmstat),
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_crlf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
