/* Tests for collect/parse_zoneinfo.c: every captured generation, specific
 * values, the header variants, and malformed input with line numbers. */
#include "testutil.h"
#include "base/buf.h"

#include "collect/parse.h"

#include <errno.h>
#include <glob.h>
#include <string.h>

#define CAP "fixtures/captures/"

static unsigned err_line(const struct diag_list *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].sev == DIAG_ERROR)
			return d->v[i].line;
	return 0;
}

static const char *err_msg(const struct diag_list *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].sev == DIAG_ERROR)
			return d->v[i].msg;
	return "";
}

static void load(const char *path, struct zoneinfo *zi)
{
	size_t n;
	char *buf = tu_read(path, &n);
	struct diag_list d = {0};
	int rc = zoneinfo_parse(buf, n, path, zi, &d);
	if (rc) {
		diag_print_all(stderr, &d);
		fail_msg("%s: rc %d", path, rc);
	}
	diag_list_clear(&d);
	free(buf);
}

static const struct zone *find(const struct zoneinfo *zi, int node, const char *name)
{
	for (size_t i = 0; i < zi->nzones; i++)
		if (zi->zones[i].node == node && !strcmp(zi->zones[i].name, name))
			return &zi->zones[i];
	fail_msg("node %d zone %s not found", node, name);
	return NULL;
}

static int64_t counter(const struct zone_counter *c, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].name, name))
			return c[i].value;
	return ZONE_ABSENT;
}

static size_t distinct_nodes(const struct zoneinfo *zi)
{
	size_t k = 0;
	for (size_t i = 0; i < zi->nzones; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= zi->zones[j].node == zi->zones[i].node;
		k += !seen;
	}
	return k;
}

/* Expected shapes, counted independently with grep over the files. */
static const struct {
	const char *dir;
	size_t zones, nodes, node_blocks;
	bool managed, promo; /* on the first zone */
} table[] = {
	{"android-3.4-arm32-highmem-1g-goclever", 2, 1, 0, false, false},
	{"arm720t-2.6.16-embedded", 1, 1, 0, false, false},
	{"centos-stream9-5.14-x86_64-do-droplet", 5, 1, 1, true, false},
	{"debian11-5.10-x86_64-vm-2g-swap", 5, 1, 1, true, false},
	{"issabel-x86_64-kernel-unknown", 5, 1, 1, true, false},
	{"jiophone-jmr540-3.18-arm32-160m", 1, 1, 0, true, false},
	{"lkml-2005-i386-2.6.14rc5-1g-highmem-tscanned", 3, 1, 0, false, false},
	{"lkml-2007-ppc64-2.6.20rc5-1g-2node", 2, 2, 0, false, false},
	{"lkml-2007-ppc64-2.6.20rc5-1g-2node/after-dd", 2, 2, 0, false, false},
	{"lkml-2018-s390x-4.20next-6g", 3, 1, 1, true, false},
	{"lkml-2019-arm32-4.14-2g-highmem-cma-oom", 4, 1, 1, true, false},
	{"lkml-2019-profihost-4.19-x86_64-16g-vm", 5, 1, 1, true, false},
	{"lkml-2023-kravetz-6.6rc1-x86_64-16g-2node-vm", 8, 2, 2, true, false},
	{"lkml-2023-samsung-android-5.10-arm64-3.5g-excerpt", 2, 1, 0, true, false},
	{"ncollectd-zoneinfo-3.10ish-x86_64-190g-4node", 6, 4, 0, true, false},
	{"node-exporter-fixtures-composite", 5, 1, 1, true, false},
	{"pcp-qa-001-x86_64-16g-laptop-3.13to4.4", 3, 1, 0, true, false},
	{"pcp-qa-002-x86_64-128g-2node-xeon-e5", 4, 2, 0, true, false},
	{"pcp-qa-004-x86_64-4g-kvm-4.8to4.13", 3, 1, 1, true, false},
	{"pcp-qa-005-x86_64-16g-laptop-4.13-allocstall", 5, 1, 1, true, false},
	{"pcp-qa-006-x86_64-4g-kvm-4.14to4.19", 5, 1, 1, true, false},
	{"pcp-qa-007-x86_64-8g-2node-5.14ish", 10, 2, 2, true, false},
	{"porteus-5.12-x86_64-16g", 4, 1, 1, true, false},
	{"prometheus-procfs-fixture-zoneinfo-x86_64-8g", 5, 1, 1, true, false},
	{"qemu-arm64-6.10plus-2g-2node-promo-unprovenanced", 8, 2, 2, true, true},
	{"rhel8-coreos-sosreport-4.18-x86_64", 5, 1, 1, true, false},
	{"ubuntu12.04-3.2-x86_64-8g-swap", 3, 1, 0, false, false},
	{"ubuntu14.04-3.13-x86_64-8g-swap-allocstall", 3, 1, 0, true, false},
	{"ubuntu20.10-5.8-x86_64-4g-vm-jc-fixture", 5, 1, 1, true, false},
	{"weiyang-blog-qemu-x86_64-4g-5.x-minfree-excerpts/boost-snapshot", 1, 1, 0, true, false},
	{"weiyang-blog-qemu-x86_64-4g-5.x-minfree-excerpts/minfree3000000", 4, 1, 0, true, false},
	{"weiyang-blog-qemu-x86_64-4g-5.x-minfree-excerpts/minfree8000", 4, 1, 0, true, false},
	{"xilinx-zynq-4.4-arm32-256m-cma", 1, 1, 0, true, false},
	{"zte-zx279128-router-4.1-arm32-92m", 1, 1, 0, true, false},
};

static void test_all_captures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		char path[512];
		snprintf(path, sizeof(path), CAP "%s/proc/zoneinfo", table[i].dir);
		struct zoneinfo zi = {0};
		load(path, &zi);
		if (zi.nzones != table[i].zones || distinct_nodes(&zi) != table[i].nodes ||
		    zi.nnodes != table[i].node_blocks)
			fail_msg("%s: %zu zones %zu nodes %zu node blocks", table[i].dir, zi.nzones,
				 distinct_nodes(&zi), zi.nnodes);
		for (size_t k = 0; k < zi.nzones; k++) {
			const struct zone *z = &zi.zones[k];
			/* the fields every generation prints */
			assert_true(z->free >= 0 && z->min >= 0 && z->low >= 0 && z->high >= 0);
			assert_true(z->min <= z->low && z->low <= z->high);
		}
		if ((zi.zones[0].managed != ZONE_ABSENT) != table[i].managed ||
		    (zi.zones[0].promo != ZONE_ABSENT) != table[i].promo)
			fail_msg("%s: managed %lld promo %lld", table[i].dir,
				 (long long)zi.zones[0].managed, (long long)zi.zones[0].promo);
		for (size_t k = 0; k < zi.nnodes; k++)
			assert_true(zi.nodes[k].ncounters > 10);
		zoneinfo_free(&zi);
	}
	/* and the table covers every capture that has a zoneinfo */
	glob_t g;
	size_t n = 0;
	if (!glob(CAP "*/proc/zoneinfo", 0, NULL, &g))
		n += g.gl_pathc, globfree(&g);
	if (!glob(CAP "*/*/proc/zoneinfo", 0, NULL, &g))
		n += g.gl_pathc, globfree(&g);
	assert_int_equal(n, sizeof(table) / sizeof(table[0]));
}

static void test_profihost(void **state)
{
	(void)state;
	struct zoneinfo zi = {0};
	load(CAP "lkml-2019-profihost-4.19-x86_64-16g-vm/proc/zoneinfo", &zi);
	const struct zone *z = find(&zi, 0, "Normal");
	assert_true(z->free == 734519);
	assert_true(z->min == 33417 && z->low == 41771 && z->high == 50125);
	assert_true(z->spanned == 3407872 && z->present == 3407872 && z->managed == 3341779);
	assert_true(z->boost == ZONE_ABSENT && z->promo == ZONE_ABSENT && z->cma == ZONE_ABSENT);
	assert_int_equal(z->nprotection, 5);
	assert_true(z->protection[0] == 0 && z->protection[4] == 0);
	const struct zone *dma = find(&zi, 0, "DMA");
	assert_int_equal(dma->nprotection, 5);
	assert_true(dma->protection[1] > 0);
	/* zone counters vs node counters stay apart */
	assert_true(counter(z->counters, z->ncounters, "nr_free_pages") == 734519);
	assert_true(counter(z->counters, z->ncounters, "nr_inactive_file") == ZONE_ABSENT);
	assert_int_equal(zi.nnodes, 1);
	assert_true(counter(zi.nodes[0].counters, zi.nodes[0].ncounters, "nr_inactive_file") >= 0);
	assert_true(counter(zi.nodes[0].counters, zi.nodes[0].ncounters, "nr_free_pages") ==
		    ZONE_ABSENT);
	/* empty zones are kept (Movable, Device print all-zero fields) */
	assert_string_equal(zi.zones[3].name, "Movable");
	assert_true(zi.zones[3].managed == 0);
	zoneinfo_free(&zi);
	zoneinfo_free(&zi);
	zoneinfo_free(NULL);
}

static void test_ncollectd_4node(void **state)
{
	(void)state;
	struct zoneinfo zi = {0};
	load(CAP "ncollectd-zoneinfo-3.10ish-x86_64-190g-4node/proc/zoneinfo", &zi);
	assert_int_equal(distinct_nodes(&zi), 4);
	const struct zone *z = find(&zi, 3, "Normal");
	assert_true(z->min == 8474 && z->managed == 12385659);
	z = find(&zi, 0, "DMA");
	assert_int_equal(z->nprotection, 4);
	assert_true(z->protection[1] == 2460 && z->protection[2] == 47755 &&
		    z->protection[3] == 47755);
	assert_true(find(&zi, 0, "Normal")->managed == 11596265);
	zoneinfo_free(&zi);
}

static void test_qemu_promo(void **state)
{
	(void)state;
	struct zoneinfo zi = {0};
	load(CAP "qemu-arm64-6.10plus-2g-2node-promo-unprovenanced/proc/zoneinfo", &zi);
	const struct zone *z = find(&zi, 1, "DMA");
	assert_true(z->promo == 10062 && z->managed == 256381 && z->boost == 0 && z->cma == 8192);
	assert_true(find(&zi, 0, "DMA")->promo == 9646);
	assert_true(find(&zi, 1, "Movable")->promo == 32);
	assert_int_equal(zi.nnodes, 2);
	assert_int_equal(zi.nodes[0].node, 0);
	assert_int_equal(zi.nodes[1].node, 1);
	/* pgpromote_* are node counters in this generation */
	assert_true(counter(zi.nodes[1].counters, zi.nodes[1].ncounters, "pgpromote_success") == 0);
	zoneinfo_free(&zi);
}

static void test_2614_highmem(void **state)
{
	(void)state;
	struct zoneinfo zi = {0};
	load(CAP "lkml-2005-i386-2.6.14rc5-1g-highmem-tscanned/proc/zoneinfo", &zi);
	const struct zone *z = find(&zi, 0, "HighMem");
	assert_true(z->free == 30 && z->min == 32 && z->low == 40 && z->high == 48);
	assert_true(z->spanned == 30342 && z->present == 30342);
	assert_true(z->managed == ZONE_ABSENT);
	/* 2.6 per-zone LRU counters and "scanned  0 (a: 0 i: 0)" */
	assert_true(counter(z->counters, z->ncounters, "active") == 29059);
	assert_true(counter(z->counters, z->ncounters, "inactive") == 537);
	assert_true(counter(z->counters, z->ncounters, "scanned") == 0);
	assert_true(counter(z->counters, z->ncounters, "tscanned") == 541466);
	assert_int_equal(z->nprotection, 3);
	assert_true(find(&zi, 0, "DMA")->protection[1] == 880);
	zoneinfo_free(&zi);
}

/* RHEL 8 prints one nameless node counter: a warning, not a failure. */
static void test_rhel8_nameless(void **state)
{
	(void)state;
	size_t n;
	char *buf = tu_read(CAP "rhel8-coreos-sosreport-4.18-x86_64/proc/zoneinfo", &n);
	struct zoneinfo zi = {0};
	struct diag_list d = {0};
	assert_int_equal(zoneinfo_parse(buf, n, "proc/zoneinfo", &zi, &d), 0);
	assert_int_equal(diag_count(&d, DIAG_WARNING), 1);
	assert_int_equal(d.v[0].line, 30);
	zoneinfo_free(&zi);
	diag_list_clear(&d);
	free(buf);
}

static void test_header_variant(void **state)
{
	(void)state;
	/* The 2023 RFC layout: node counters under their own header. */
	const char *s = "Node 0, per-node stats\n"
			"      nr_inactive_anon 12\n"
			"      nr_active_file 362\n"
			"Node 0, zone      DMA\n"
			"  pages free     235154\n"
			"        boost    0\n"
			"        min      5512\n"
			"        low      6890\n"
			"        high     8268\n"
			"        spanned  262144\n"
			"        present  262144\n"
			"        managed  248725\n"
			"        protection: (0, 0, 0, 0)\n"
			"      nr_free_pages 235154\n"
			"  pagesets\n"
			"    cpu: 0\n"
			"              count:    1722\n"
			"              high:     1722\n"
			"  vm stats threshold: 32\n"
			"  node_unreclaimable:  0\n"
			"  start_pfn:           262144\n"
			"Node 1, zone   Weird\n"
			"  pages free 1\n        min 1\n        low 2\n        high 3";
	struct zoneinfo zi = {0};
	struct diag_list d = {0};
	assert_int_equal(zoneinfo_parse(s, strlen(s), "x", &zi, &d), 0);
	assert_int_equal(zi.nnodes, 1);
	assert_int_equal(zi.nodes[0].ncounters, 2);
	assert_true(counter(zi.nodes[0].counters, 2, "nr_active_file") == 362);
	assert_int_equal(zi.nzones, 2);
	assert_int_equal(zi.zones[0].ncounters, 1);
	assert_true(zi.zones[0].high == 8268); /* not the pageset "high:" */
	assert_string_equal(zi.zones[1].name, "Weird");
	assert_int_equal(zone_kind_of(zi.zones[1].name), ZK_OTHER);
	assert_int_equal(zi.zones[1].nprotection, 0);
	assert_true(zi.zones[1].spanned == ZONE_ABSENT);
	assert_int_equal(d.n, 0);
	zoneinfo_free(&zi);
}

/* Lines of any length: no fixed buffer. */
static void test_long_lines(void **state)
{
	(void)state;
	size_t pad = 100000;
	const char *body = "Node 0, zone Normal\n  pages free 5\n  min 1\n  low 2\n  high 3\n"
			   "  nr_x 7\n";
	char *s = malloc(pad + strlen(body) + 64);
	memset(s, ' ', pad);
	strcpy(s + pad, body);
	struct zoneinfo zi = {0};
	struct diag_list d = {0};
	assert_int_equal(zoneinfo_parse(s, strlen(s), "x", &zi, &d), 0);
	assert_true(zi.zones[0].free == 5);
	zoneinfo_free(&zi);
	/* a long garbled name is an error with a capped source line */
	memset(s, 'x', pad);
	strcpy(s + pad, " 1\n");
	assert_int_equal(zoneinfo_parse(s, strlen(s), "x", &zi, &d), -EINVAL);
	assert_int_equal(err_line(&d), 1);
	assert_true(strlen(d.v[0].src) <= 200);
	diag_list_clear(&d);
	free(s);
}

static const struct {
	const char *text;
	int rc;
	unsigned line;
	const char *needle;
} bad[] = {
	{"  nr_free_pages 5\nNode 0, zone DMA\n", -EINVAL, 1, "without a header"},
	{"        min 5\n", -EINVAL, 1, "without a header"},
	{"  pages free 5\n", -EINVAL, 1, "without a header"},
	{"  per-node stats\n", -EINVAL, 1, "header"},
	{"Node 0, zone DMA\n  pages free 1\n  min 1\n  low 1\n", -EINVAL, 1, "'high'"},
	{"Node 0, zone DMA\n", -EINVAL, 1, "'pages free'"},
	{"Node 0, zone DMA\n  pages free 1\n  min 1\n  low 1\n  high 1\nNode 1, zone DMA\n"
	 "  pages free 1\n  min\n",
	 -EINVAL, 8, "'min'"},
	{"Node 0, zone DMA\n  pages free 18446744073709551616\n", -ERANGE, 2, "64 bits"},
	{"Node 0, zone DMA\n  pages free 9223372036854775808\n", -ERANGE, 2, "64 bits"},
	{"Node 0, zone DMA\n  pages free -1\n", -EINVAL, 2, "unsigned"},
	{"Node 0, zone DMA\n  pages free 1 2\n", -EINVAL, 2, "unsigned"},
	{"Node 0, zone DMA\n  pages used 1\n", -EINVAL, 2, "pages free"},
	{"Node x, zone DMA\n", -EINVAL, 1, "node number"},
	{"Node 99999999999, zone DMA\n", -ERANGE, 1, "node number"},
	{"Node 0 zone DMA\n", -EINVAL, 1, "Node N, zone NAME"},
	{"Node 0, zone\n", -EINVAL, 1, "Node N, zone NAME"},
	{"Node 0, zone DMA extra\n", -EINVAL, 1, "Node N, zone NAME"},
	{"Node 0, per-node stuff\n", -EINVAL, 1, "per-node stats"},
	{"Node 0, zone DMA\n  pages free 1\n  protection: (0, 1\n", -EINVAL, 3, "protection"},
	{"Node 0, zone DMA\n  pages free 1\n  protection: 0, 1)\n", -EINVAL, 3, "protection"},
	{"Node 0, zone DMA\n  pages free 1\n  protection: (0, 1, 2, 3, 4, 5, 6, 7, 8)\n", -EINVAL,
	 3, "more than"},
	{"Node 0, zone DMA\n  pages free 1\n  protection: (0, x)\n", -EINVAL, 3, "protection"},
	{"Node 0, zone DMA\n  pages free 1\n  nr_x 5 junk\n", -EINVAL, 3, "unexpected text"},
	{"Node 0, zone DMA\n  pages free 1\n  nr-x 5\n", -EINVAL, 3, "unrecognised"},
	{"Node 0, zone DMA\n  pages free 1\n  nr_x\n", -EINVAL, 3, "unsigned"},
	{"", -EINVAL, 1, "not a zoneinfo"},
	{"\n\n", -EINVAL, 2, "not a zoneinfo"},
	{"Node 0, per-node stats\n  nr_x 1\n", -EINVAL, 2, "not a zoneinfo"},
	{"Node 0, per-node stats\n  pages free 1\n", -EINVAL, 2, "without a header"},
};

static void test_bad_strings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct zoneinfo zi = {.nzones = 77};
		struct diag_list d = {0};
		int rc = zoneinfo_parse(bad[i].text, strlen(bad[i].text), "proc/zoneinfo", &zi, &d);
		if (rc != bad[i].rc || err_line(&d) != bad[i].line ||
		    !strstr(err_msg(&d), bad[i].needle))
			fail_msg("case %zu: rc %d line %u msg '%s'", i, rc, err_line(&d),
				 err_msg(&d));
		assert_int_equal(zi.nzones, 77); /* untouched */
		assert_string_equal(d.v[0].origin, "proc/zoneinfo");
		diag_list_clear(&d);
	}
}

static void test_malformed_fixtures(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		int rc;
		unsigned line;
	} f[] = {
		{"fixtures/malformed/zoneinfo-truncated", -EINVAL, 79},
		{"fixtures/malformed/zoneinfo-headerless", -EINVAL, 1},
		{"fixtures/malformed/zoneinfo-overflow", -ERANGE, 9},
	};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		size_t n;
		char *buf = tu_read(f[i].file, &n);
		struct zoneinfo zi = {0};
		struct diag_list d = {0};
		int rc = zoneinfo_parse(buf, n, "proc/zoneinfo", &zi, &d);
		if (rc != f[i].rc || err_line(&d) != f[i].line)
			fail_msg("%s: rc %d line %u (%s)", f[i].file, rc, err_line(&d), err_msg(&d));
		assert_int_equal(zi.nzones, 0);
		diag_list_clear(&d);
		free(buf);
	}
	/* the binary file: tu_read would refuse it, read it raw */
	FILE *fp = fopen("fixtures/malformed/binary", "rb");
	assert_non_null(fp);
	char raw[4096];
	size_t n = fread(raw, 1, sizeof(raw) - 1, fp);
	fclose(fp);
	raw[n] = 0;
	struct zoneinfo zi = {0};
	struct diag_list d = {0};
	assert_int_equal(zoneinfo_parse(raw, n, "proc/zoneinfo", &zi, &d), -EINVAL);
	assert_int_equal(err_line(&d), 3);
	assert_non_null(strstr(err_msg(&d), "binary"));
	diag_list_clear(&d);
}

static void test_live(void **state)
{
	(void)state;
	char *buf;
	size_t n;
	if (file_read("/proc/zoneinfo", FILEIO_DEFAULT_CAP, &buf, &n)) {
		skip();
		return;
	}
	struct zoneinfo zi = {0};
	struct diag_list d = {0};
	int rc = zoneinfo_parse(buf, n, "proc/zoneinfo", &zi, &d);
	if (rc)
		diag_print_all(stderr, &d);
	assert_int_equal(rc, 0);
	assert_true(zi.nzones >= 1);
	int64_t managed = 0;
	for (size_t i = 0; i < zi.nzones; i++)
		if (zi.zones[i].managed > 0)
			managed += zi.zones[i].managed;
	assert_true(managed > 0);
	zoneinfo_free(&zi);
	diag_list_clear(&d);
	free(buf);
}

/* A real zoneinfo printed twice: each (node, zone) appears twice, which no
 * kernel prints; counting both would double managed memory.  Refused with
 * the line of the repeat and of the first. */
static void test_duplicate_zones(void **state)
{
	(void)state;
	size_t n;
	char *one = tu_read("fixtures/live-fc-6.18/proc/zoneinfo", &n);
	char *two = malloc(2 * n + 1);
	memcpy(two, one, n);
	memcpy(two + n, one, n);
	two[2 * n] = 0;
	unsigned lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += one[i] == '\n';
	struct zoneinfo zi = {0};
	struct diag_list d = {0};
	assert_int_equal(zoneinfo_parse(two, 2 * n, "zoneinfo", &zi, &d), -EINVAL);
	assert_int_equal(zi.nzones, 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, lines + 1);
	assert_non_null(strstr(d.v[0].msg, "node 0 zone DMA printed twice (first at line 1)"));
	diag_list_clear(&d);
	/* The same zone set as a struct (a snapshot's path). */
	assert_int_equal(zoneinfo_parse(one, n, "zoneinfo", &zi, &d), 0);
	assert_int_equal(zoneinfo_check(&zi, "snap", &d), 0);
	free(zi.zones[1].name);
	zi.zones[1].name = strdup(zi.zones[0].name);
	assert_int_equal(zoneinfo_check(&zi, "snap", &d), -EINVAL);
	assert_non_null(strstr(d.v[d.n - 1].msg, "appears twice (zones 0 and 1)"));
	zi.zones[1].node = ZONEINFO_MAX_NODES;
	assert_int_equal(zoneinfo_check(&zi, "snap", &d), -EINVAL);
	zoneinfo_free(&zi);
	diag_list_clear(&d);
	free(one);
	free(two);
}

/* The kernel's limits bound the work: node ids below 1024, at most 8 zones
 * per node.  40,000 zones (the size of a hostile 11 MB file) are refused at
 * the ninth zone of a node or the first node past the limit, quickly. */
static void test_zone_limits(void **state)
{
	(void)state;
	struct buf b = {0};
	for (unsigned i = 0; i < 40000; i++)
		buf_printf(&b, "Node %u, zone   Normal\n  pages free 10\n        min 1\n        low 2\n        high 3\n",
			   i);
	struct zoneinfo zi = {0};
	struct diag_list d = {0};
	assert_int_equal(zoneinfo_parse(buf_str(&b), b.len, "zoneinfo", &zi, &d), -ERANGE);
	assert_int_equal(d.v[0].line, 1024 * 5 + 1);
	assert_non_null(strstr(d.v[0].msg, "MAX_NUMNODES"));
	diag_list_clear(&d);
	buf_reset(&b);
	for (unsigned i = 0; i < 9; i++)
		buf_printf(&b, "Node 0, zone Z%u\n  pages free 10\n        min 1\n        low 2\n        high 3\n", i);
	assert_int_equal(zoneinfo_parse(buf_str(&b), b.len, "zoneinfo", &zi, &d), -EINVAL);
	assert_non_null(strstr(d.v[0].msg, "more than 8 zones"));
	diag_list_clear(&d);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_captures),
		cmocka_unit_test(test_profihost),
		cmocka_unit_test(test_ncollectd_4node),
		cmocka_unit_test(test_qemu_promo),
		cmocka_unit_test(test_2614_highmem),
		cmocka_unit_test(test_rhel8_nameless),
		cmocka_unit_test(test_header_variant),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_bad_strings),
		cmocka_unit_test(test_malformed_fixtures),
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_duplicate_zones),
		cmocka_unit_test(test_zone_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
