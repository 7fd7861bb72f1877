/* Tests for the JSON snapshot (collect/snapshot.h): collect -> write ->
 * read gives the same facts and zones; malformed and foreign JSON is
 * rejected with the file, the position and what was wrong. */
#include "testutil.h"

#include "base/buf.h"
#include "base/xalloc.h"
#include "collect/collect.h"
#include "collect/snapshot.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static void collect_dir(const char *dir, struct host *h)
{
	struct root r;
	assert_int_equal(root_open(&r, dir), 0);
	int rc = collect_host(&r, NULL, h);
	if (rc)
		diag_print_all(stderr, &h->diags);
	assert_int_equal(rc, 0);
	root_close(&r);
}

static void same_counters(const struct zone_counter *a, size_t na, const struct zone_counter *b,
			  size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_string_equal(a[i].name, b[i].name);
		assert_true(a[i].value == b[i].value);
	}
}

static void same_host(const struct host *a, const struct host *b)
{
	size_t n = facts_count(a->facts);
	assert_int_equal(facts_count(b->facts), n);
	for (size_t i = 0; i < n; i++) {
		struct value va, vb;
		bool pa, pb;
		const char *sa, *sb;
		const char *na = facts_at(a->facts, i, &va, &pa, &sa);
		const char *nb = facts_at(b->facts, i, &vb, &pb, &sb);
		assert_string_equal(na, nb);
		assert_int_equal(pa, pb);
		assert_string_equal(sa, sb); /* source, or reason when absent */
		if (!pa)
			continue;
		assert_int_equal(va.type, vb.type);
		switch (va.type) {
		case FACT_INT: assert_true(va.u.i == vb.u.i); break;
		case FACT_FLOAT:
			/* bit for bit: %.17g round-trips */
			if (va.u.f != vb.u.f)
				fail_msg("%s: %.17g != %.17g", na, va.u.f, vb.u.f);
			break;
		case FACT_STR: assert_string_equal(va.u.s, vb.u.s); break;
		case FACT_BOOL: assert_int_equal(va.u.b, vb.u.b); break;
		}
	}
	assert_int_equal(a->zi.nzones, b->zi.nzones);
	for (size_t i = 0; i < a->zi.nzones; i++) {
		const struct zone *x = &a->zi.zones[i], *y = &b->zi.zones[i];
		assert_int_equal(x->node, y->node);
		assert_string_equal(x->name, y->name);
		assert_true(x->free == y->free && x->boost == y->boost && x->min == y->min);
		assert_true(x->low == y->low && x->high == y->high && x->promo == y->promo);
		assert_true(x->spanned == y->spanned && x->present == y->present);
		assert_true(x->managed == y->managed && x->cma == y->cma);
		assert_int_equal(x->nprotection, y->nprotection);
		for (unsigned j = 0; j < x->nprotection; j++)
			assert_true(x->protection[j] == y->protection[j]);
		same_counters(x->counters, x->ncounters, y->counters, y->ncounters);
	}
	assert_int_equal(a->zi.nnodes, b->zi.nnodes);
	for (size_t i = 0; i < a->zi.nnodes; i++) {
		assert_int_equal(a->zi.nodes[i].node, b->zi.nodes[i].node);
		same_counters(a->zi.nodes[i].counters, a->zi.nodes[i].ncounters,
			      b->zi.nodes[i].counters, b->zi.nodes[i].ncounters);
	}
	assert_int_equal(facts_missing_count(a->facts), facts_missing_count(b->facts));
	for (size_t i = 0; i < facts_missing_count(a->facts); i++) {
		const char *s1, *r1, *s2, *r2;
		facts_missing_at(a->facts, i, &s1, &r1);
		facts_missing_at(b->facts, i, &s2, &r2);
		assert_string_equal(s1, s2);
		assert_string_equal(r1, r2);
	}
}

static void round_trip(const char *dir)
{
	struct host a, b;
	struct buf j1 = {0}, j2 = {0};
	struct diag_list d = {0};
	collect_dir(dir, &a);
	snapshot_write(&a, NULL, &j1);
	if (snapshot_parse(j1.p, j1.len, "snap.json", &b, &d)) {
		diag_print_all(stderr, &d);
		fail_msg("%s: snapshot does not read back", dir);
	}
	same_host(&a, &b);
	/* warnings survive too */
	assert_int_equal(diag_count(&a.diags, DIAG_WARNING), diag_count(&b.diags, DIAG_WARNING));
	/* writing what was read gives the same bytes (deterministic) */
	snapshot_write(&b, &(struct snapshot_inputs){.root = dir}, &j2);
	assert_string_equal(buf_str(&j1), buf_str(&j2));
	buf_free(&j1);
	buf_free(&j2);
	host_free(&a);
	host_free(&b);
	diag_list_clear(&d);
}

static void test_round_trip(void **state)
{
	(void)state;
	static const char *const dirs[] = {
		"fixtures/live-fc-6.18",
		"fixtures/sosreport-rhel8",
		"fixtures/container-like",
		"fixtures/captures/lkml-2019-profihost-4.19-x86_64-16g-vm",
		"fixtures/captures/ncollectd-zoneinfo-3.10ish-x86_64-190g-4node",
		"fixtures/captures/node-exporter-fixtures-composite",
		"fixtures/captures/arm720t-2.6.16-embedded",
		"fixtures/captures/qemu-arm64-6.10plus-2g-2node-promo-unprovenanced",
		"fixtures/captures/arm64-64k-4.18-256g-thp-leak-oom",
	};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		round_trip(dirs[i]);
}

static void test_shape(void **state)
{
	(void)state;
	struct host a;
	struct buf j = {0};
	collect_dir("fixtures/live-fc-6.18", &a);
	snapshot_write(&a, &(struct snapshot_inputs){.root = "fixtures/live-fc-6.18"}, &j);
	const char *s = buf_str(&j);
	assert_non_null(strstr(s, "\"schema\": \"reclaim-advisor/snapshot\""));
	assert_non_null(strstr(s, "\"version\": 1"));
	assert_non_null(strstr(s, "\"root\": \"fixtures/live-fc-6.18\""));
	assert_non_null(strstr(s, "\"page_size\": 4096"));
	assert_non_null(strstr(s, "\"sysctl.vm.min_free_kbytes\": 67584"));
	assert_non_null(strstr(s, "\"zone\": \"Normal\""));
	/* absent facts are not among the facts but under "absent" */
	assert_null(strstr(s, "\"klog.oom_kills\": 0"));
	assert_non_null(strstr(s, "\"klog.oom_kills\": \"no --kernel-log given\""));
	/* no timestamps: the same host gives the same bytes */
	struct buf j2 = {0};
	snapshot_write(&a, &(struct snapshot_inputs){.root = "fixtures/live-fc-6.18"}, &j2);
	assert_string_equal(s, buf_str(&j2));
	buf_free(&j);
	buf_free(&j2);
	host_free(&a);
}

/* Parse text, expect failure and an error whose text contains needle;
 * line/col checked when non-zero. */
static void expect_bad(const char *text, const char *needle, unsigned line, unsigned col)
{
	struct host h = {0};
	struct diag_list d = {0};
	int rc = snapshot_parse(text, strlen(text), "bad.json", &h, &d);
	if (rc != -EINVAL)
		fail_msg("accepted: %s", text);
	assert_null(h.facts); /* untouched on error */
	bool found = false;
	for (size_t i = 0; i < d.n; i++) {
		assert_string_equal(d.v[i].origin, "bad.json");
		if (strstr(d.v[i].msg, needle) && (!line || d.v[i].line == line) &&
		    (!col || d.v[i].col == col))
			found = true;
	}
	if (!found) {
		diag_print_all(stderr, &d);
		fail_msg("no error \"%s\" at %u:%u for: %s", needle, line, col, text);
	}
	diag_list_clear(&d);
}

#define HEAD "{\"schema\": \"reclaim-advisor/snapshot\", \"version\": 1, "

static void test_malformed(void **state)
{
	(void)state;
	expect_bad("", "unexpected end of input", 1, 1);
	expect_bad("{\n  \"schema\": \"reclaim-advisor/snapshot\",\n  \"version\": 1,\n", "end of input", 0, 0);
	expect_bad("{\n  \"schema\": \"x\",\n  \"version\" 1\n}", "not valid JSON", 3, 13);
	expect_bad(HEAD "\"facts\": {}} trailing", "not valid JSON", 1, 67);
	expect_bad(HEAD "\"facts\": {\"a\": 1,}}", "not valid JSON", 1, 0); /* strict: no trailing comma */
	expect_bad("[1, 2]", "top level is not an object", 0, 0);
	expect_bad("{\"schema\": \"prometheus\", \"version\": 1, \"facts\": {}}", "not a reclaim-advisor snapshot", 0, 0);
	expect_bad("{\"version\": 1, \"facts\": {}}", "\"schema\" missing", 0, 0);
	expect_bad("{\"schema\": \"reclaim-advisor/snapshot\", \"version\": 2, \"facts\": {}}", "version 2 is not supported", 0, 0);
	expect_bad(HEAD "\"zones\": []}", "\"facts\" missing", 0, 0);
	expect_bad(HEAD "\"facts\": []}", "\"facts\": expected object", 0, 0);
	expect_bad(HEAD "\"facts\": {\"vmstat.pgscan_direct\": \"12\"}}", "facts.vmstat.pgscan_direct: expected an integer", 0, 0);
	expect_bad(HEAD "\"facts\": {\"vmstat.pgscan_direct\": 18446744073709551615}}", "out of range", 0, 0);
	expect_bad(HEAD "\"facts\": {\"thp.enabled\": 3}}", "facts.thp.enabled: expected a string", 0, 0);
	expect_bad(HEAD "\"facts\": {\"zswap.enabled\": \"Y\"}}", "expected true or false", 0, 0);
	expect_bad(HEAD "\"facts\": {\"proc.uptime\": \"long\"}}", "expected a number", 0, 0);
	expect_bad(HEAD "\"facts\": {}, \"zones\": [{\"node\": 0}]}", "zones[0]: \"zone\" missing", 0, 0);
	expect_bad(HEAD "\"facts\": {}, \"zones\": [{\"node\": -1, \"zone\": \"DMA\"}]}", "not a node number", 0, 0);
	expect_bad(HEAD "\"facts\": {}, \"zones\": [{\"node\": 0, \"zone\": \"DMA\", \"min\": -5}]}", "negative page count", 0, 0);
	expect_bad(HEAD "\"facts\": {}, \"zones\": [{\"node\": 0, \"zone\": \"DMA\", \"protection\": [1,2,3,4,5,6,7,8,9]}]}", "protection", 0, 0);
	expect_bad(HEAD "\"facts\": {}, \"zones\": {}}", "\"zones\": expected array", 0, 0);
	expect_bad(HEAD "\"facts\": {}, \"missing\": {\"proc/uptime\": 1}}", "missing.proc/uptime", 0, 0);
	expect_bad(HEAD "\"facts\": {}, \"absent\": {\"proc.uptime\": false}}", "absent.proc.uptime", 0, 0);
	expect_bad(HEAD "\"facts\": {}, \"warnings\": [1]}", "warnings[0]", 0, 0);
	/* a binary file */
	struct host h = {0};
	struct diag_list d = {0};
	assert_int_equal(snapshot_parse("{\"a\0\"}", 6, "bin.json", &h, &d), -EINVAL);
	assert_non_null(strstr(d.v[0].msg, "binary"));
	diag_list_clear(&d);
}

static void test_minimal_and_unknown(void **state)
{
	(void)state;
	const char *text = HEAD "\"facts\": {\"proc.uptime\": 12, \"no.such.fact\": 1,"
			   " \"sysctl.vm.swappiness\": 60}, \"absent\": {\"psi.some.avg10\": \"PSI disabled\"}}";
	struct host h = {0};
	struct diag_list d = {0};
	assert_int_equal(snapshot_parse(text, strlen(text), "min.json", &h, &d), 0);
	/* the unknown fact is said to the caller too (printed when read) */
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].sev, DIAG_WARNING);
	assert_non_null(strstr(d.v[0].msg, "no.such.fact"));
	diag_list_clear(&d);
	double up;
	assert_int_equal(facts_get_num(h.facts, F_PROC_UPTIME, &up), 0); /* int accepted for float */
	assert_float_equal(up, 12.0, 0);
	assert_string_equal(facts_source(h.facts, F_PROC_UPTIME), "snapshot");
	assert_string_equal(facts_reason(h.facts, F_PSI_SOME_AVG10), "PSI disabled");
	assert_int_equal(h.zi.nzones, 0);
	/* the unknown fact is skipped with a warning, not an error */
	assert_int_equal(diag_count(&h.diags, DIAG_WARNING), 1);
	assert_non_null(strstr(h.diags.v[0].msg, "no.such.fact"));
	assert_string_equal(h.origin, "min.json");
	host_free(&h);
}

/* How many of l's diagnostics contain needle? */
static size_t said(const struct diag_list *l, const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += strstr(l->v[i].msg, needle) != NULL;
	return n;
}

/* A value some kernel accepts but not the snapshot's (swappiness 150 on
 * 5.4: 0..100 until 5.8): the warning a tree gets, from the one policy
 * (host_sysctl_range_warnings), to the caller and into the host; written
 * back into a snapshot and read again, it is said once and not again to
 * the caller (the snapshot carries it). */
static void test_kernel_range(void **state)
{
	(void)state;
	const char *text = HEAD "\"facts\": {\"host.kernel_version\": 328704, \"sysctl.vm.swappiness\": 150},"
			   " \"sources\": {\"sysctl.vm.swappiness\": \"proc/sys/vm/swappiness\"}}";
	const char *needle = "vm.swappiness 150 is outside the range 0..100 that kernel 5.4.0 accepts";
	struct host h = {0}, h2 = {0};
	struct diag_list d = {0};
	assert_int_equal(snapshot_parse(text, strlen(text), "old.json", &h, &d), 0);
	assert_int_equal(said(&d, needle), 1);
	assert_int_equal(d.v[0].sev, DIAG_WARNING);
	assert_string_equal(d.v[0].origin, "proc/sys/vm/swappiness");
	assert_int_equal(said(&h.diags, needle), 1);
	diag_list_clear(&d);
	struct buf j = {0};
	snapshot_write(&h, NULL, &j);
	assert_int_equal(snapshot_parse(j.p, j.len, "old2.json", &h2, &d), 0);
	assert_int_equal(said(&d, needle), 0);
	assert_int_equal(said(&h2.diags, needle), 1);
	buf_free(&j);
	host_free(&h);
	host_free(&h2);
}

static void test_read_file(void **state)
{
	(void)state;
	struct host a, b;
	struct buf j = {0};
	struct diag_list d = {0};
	collect_dir("fixtures/captures/pcp-qa-007-x86_64-8g-2node-5.14ish", &a);
	snapshot_write(&a, NULL, &j);
	char path[] = "/tmp/test_snapshot.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fileio_write_atomic(path, j.p, j.len, 0644), 0);
	assert_int_equal(snapshot_read(path, &b, &d), 0);
	same_host(&a, &b);
	host_free(&b);
	unlink(path);
	assert_int_equal(snapshot_read(path, &b, &d), -ENOENT);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].origin, path);
	diag_list_clear(&d);
	buf_free(&j);
	host_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_minimal_and_unknown),
		cmocka_unit_test(test_kernel_range),
		cmocka_unit_test(test_read_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
