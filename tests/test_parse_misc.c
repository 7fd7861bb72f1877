/* Tests for collect/parse_misc.c (swaps, psi, uptime, sysctl_int, sysctl
 * dumps) and collect/parse_klog.c. */
#include "testutil.h"

#include "collect/parse.h"

#include <errno.h>
#include <glob.h>
#include <math.h>
#include <string.h>

#define CAP "fixtures/captures/"

static unsigned err_line(const struct diag_list *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].sev == DIAG_ERROR)
			return d->v[i].line;
	return 0;
}

static bool err_has(const struct diag_list *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].sev == DIAG_ERROR && strstr(d->v[i].msg, needle))
			return true;
	return false;
}

/* ---- swaps ---- */

static void test_swaps_string(void **state)
{
	(void)state;
	const char *s = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
			"/dev/zram0                              partition\t8388604\t\t76\t\t100\n"
			"/swap\\040file                           file\t\t3996668\t\t0\t\t-2\n"
			"/dev/sda2                               partition\t16385272\t0\t-1\n"
			"/x                                      weird\t1\t0\t0\n";
	struct swaps sw = {0};
	struct diag_list d = {0};
	assert_int_equal(swaps_parse(s, strlen(s), "proc/swaps", &sw, &d), 0);
	assert_int_equal(sw.n, 4);
	assert_string_equal(sw.v[0].name, "/dev/zram0");
	assert_int_equal(sw.v[0].kind, SWAP_ZRAM);
	assert_true(sw.v[0].size_kb == 8388604 && sw.v[0].used_kb == 76);
	assert_int_equal(sw.v[0].priority, 100);
	assert_string_equal(sw.v[1].name, "/swap\\040file"); /* kept as printed */
	assert_int_equal(sw.v[1].kind, SWAP_FILE);
	assert_int_equal(sw.v[1].priority, -2);
	assert_int_equal(sw.v[2].kind, SWAP_PARTITION);
	assert_int_equal(sw.v[3].kind, SWAP_OTHER);
	swaps_free(&sw);
	swaps_free(&sw);
	swaps_free(NULL);
	diag_list_clear(&d);
}

static void test_swaps_empty(void **state)
{
	(void)state;
	struct swaps sw = {0};
	struct diag_list d = {0};
	assert_int_equal(swaps_parse("", 0, "proc/swaps", &sw, &d), 0);
	assert_int_equal(sw.n, 0);
	const char *h = "Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n";
	assert_int_equal(swaps_parse(h, strlen(h), "proc/swaps", &sw, &d), 0);
	assert_int_equal(sw.n, 0);
	assert_int_equal(d.n, 0);
}

static void test_swaps_bad(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int rc;
		unsigned line;
	} b[] = {
		{"/dev/sda2 partition 1 0 -1\n", -EINVAL, 1},          /* no header */
		{"Filename Type Size Used Priority\n/dev/sda2 partition\n", -EINVAL, 2},
		{"Filename Type Size Used Priority\n/a file 1 0 -1\n/b file x 0 -1\n", -EINVAL, 3},
		{"Filename Type Size Used Priority\n/a file 99999999999999999999 0 -1\n", -ERANGE, 2},
		{"Filename Type Size Used Priority\n/a file 1 0 99999999999\n", -ERANGE, 2},
		{"Filename Type Size Used Priority\n/a file 1 0 -1 extra\n", -EINVAL, 2},
		{"Filename Type Size Used Priority\n/a file 1 -3 -1\n", -EINVAL, 2},
	};
	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		struct swaps sw = {.n = 42};
		struct diag_list d = {0};
		int rc = swaps_parse(b[i].text, strlen(b[i].text), "proc/swaps", &sw, &d);
		if (rc != b[i].rc)
			fail_msg("case %zu: rc %d want %d", i, rc, b[i].rc);
		assert_int_equal(sw.n, 42);
		assert_int_equal(err_line(&d), b[i].line);
		diag_list_clear(&d);
	}
}

static void test_swaps_captures(void **state)
{
	(void)state;
	glob_t g;
	assert_int_equal(glob(CAP "*/proc/swaps", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 12);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		size_t n;
		char *buf = tu_read(g.gl_pathv[i], &n);
		struct swaps sw = {0};
		struct diag_list d = {0};
		if (swaps_parse(buf, n, g.gl_pathv[i], &sw, &d)) {
			diag_print_all(stderr, &d);
			fail_msg("%s does not parse", g.gl_pathv[i]);
		}
		if (strstr(g.gl_pathv[i], "ncollectd-swaps-only")) {
			assert_int_equal(sw.n, 2);
			assert_string_equal(sw.v[1].name, "/dev/dm-3");
			assert_true(sw.v[1].size_kb == 67108860 && sw.v[1].used_kb == 522608);
			assert_int_equal(sw.v[1].priority, -2);
		} else if (strstr(g.gl_pathv[i], "node-exporter")) {
			assert_int_equal(sw.n, 1);
			assert_int_equal(sw.v[0].kind, SWAP_ZRAM);
		} else if (strstr(g.gl_pathv[i], "ubuntu20.10")) {
			assert_int_equal(sw.n, 1);
			assert_int_equal(sw.v[0].kind, SWAP_FILE);
			assert_true(sw.v[0].size_kb == 3996668);
		} else if (strstr(g.gl_pathv[i], "arm720t") || strstr(g.gl_pathv[i], "rhel8")) {
			assert_int_equal(sw.n, 0); /* empty file, header only */
		}
		swaps_free(&sw);
		diag_list_clear(&d);
		free(buf);
	}
	globfree(&g);
}

/* ---- psi ---- */

static void test_psi(void **state)
{
	(void)state;
	size_t n;
	char *buf = tu_read(CAP "pcp-qa-pressure-002-psi-irq-6.x/proc/pressure/memory", &n);
	struct psi p = {0};
	struct diag_list d = {0};
	assert_int_equal(psi_parse(buf, n, "proc/pressure/memory", &p, &d), 0);
	assert_true(p.some.present && p.full.present);
	assert_true(p.some.total == 168828 && p.full.total == 154404);
	assert_float_equal(p.some.avg10, 0.0, 1e-9);
	free(buf);

	const char *s = "some avg10=1.50 avg60=0.25 avg300=12.00 total=283\n";
	assert_int_equal(psi_parse(s, strlen(s), "x", &p, &d), 0);
	assert_true(p.some.present);
	assert_false(p.full.present); /* no "full" line */
	assert_float_equal(p.some.avg10, 1.5, 1e-9);
	assert_float_equal(p.some.avg60, 0.25, 1e-9);
	assert_float_equal(p.some.avg300, 12.0, 1e-9);

	/* debian11's capture is a 0-byte file: PSI off */
	buf = tu_read(CAP "debian11-5.10-x86_64-vm-2g-swap/proc/pressure/memory", &n);
	assert_int_equal(n, 0);
	p.some.present = true;
	assert_int_equal(psi_parse(buf, n, "x", &p, &d), 0);
	assert_false(p.some.present || p.full.present);
	free(buf);
	assert_int_equal(d.n, 0);

	static const struct {
		const char *t;
		unsigned line;
	} bad[] = {
		{"some avg10=0.00 avg60=0.00 avg300=0.00\n", 1},
		{"some avg10=0.00 avg60=0.00 avg300=0.00 total=1\nfull avg10=x avg60=0 avg300=0 total=1\n", 2},
		{"some avg10=-1.00 avg60=0.00 avg300=0.00 total=1\n", 1},
		{"some avg10=0.00 avg60=0.00 avg300=0.00 total=99999999999999999999\n", 1},
		{"some avg10 0.00\n", 1},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct psi q = {.some.total = 77};
		assert_true(psi_parse(bad[i].t, strlen(bad[i].t), "x", &q, &d) < 0);
		assert_true(q.some.total == 77);
		assert_int_equal(err_line(&d), bad[i].line);
		diag_list_clear(&d);
	}
}

/* ---- uptime, sysctl_int ---- */

static void test_uptime(void **state)
{
	(void)state;
	double up = -1;
	struct diag_list d = {0};
	assert_int_equal(uptime_parse("123.45 678.90\n", 14, "proc/uptime", &up, &d), 0);
	assert_float_equal(up, 123.45, 1e-9);
	assert_int_equal(uptime_parse("7\n", 2, "proc/uptime", &up, &d), 0);
	assert_float_equal(up, 7.0, 1e-9);
	const char *bad[] = {"", "\n", "abc 1.0\n", "-1.0 2.0\n", "1.0 2.0 3.0\n", "1.0x 2\n",
			     "1.0 2.0\n3.0\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		up = 99;
		assert_int_equal(uptime_parse(bad[i], strlen(bad[i]), "proc/uptime", &up, &d),
				 -EINVAL);
		assert_float_equal(up, 99, 0);
		assert_true(err_line(&d) >= 1);
		diag_list_clear(&d);
	}
	char *buf;
	size_t n;
	if (file_read("/proc/uptime", 4096, &buf, &n) == 0) {
		assert_int_equal(uptime_parse(buf, n, "proc/uptime", &up, &d), 0);
		assert_true(up > 0);
		free(buf);
	}
}

static void test_sysctl_int(void **state)
{
	(void)state;
	int64_t v = 0;
	struct diag_list d = {0};
	size_t n;
	char *buf = tu_read(CAP "porteus-5.12-x86_64-16g/proc/sys/vm/min_free_kbytes", &n);
	assert_int_equal(sysctl_int_parse(buf, n, "proc/sys/vm/min_free_kbytes", &v, &d), 0);
	assert_true(v == 135168);
	free(buf);
	assert_int_equal(sysctl_int_parse("-1\n", 3, "x", &v, &d), 0);
	assert_true(v == -1);

	buf = tu_read(CAP "porteus-5.12-x86_64-16g/proc/sys/vm/lowmem_reserve_ratio", &n);
	v = 5;
	assert_int_equal(sysctl_int_parse(buf, n, "x", &v, &d), -EINVAL);
	assert_true(v == 5);
	assert_true(err_has(&d, "one integer"));
	free(buf);
	diag_list_clear(&d);

	assert_int_equal(sysctl_int_parse("99999999999999999999\n", 21, "x", &v, &d), -ERANGE);
	assert_int_equal(sysctl_int_parse("", 0, "x", &v, &d), -EINVAL);
	assert_int_equal(sysctl_int_parse("madvise\n", 8, "x", &v, &d), -EINVAL);
	assert_true(v == 5);
	diag_list_clear(&d);
}

/* ---- sysctl dumps ---- */

static void test_sysctl_dump_capture(void **state)
{
	(void)state;
	size_t n;
	char *buf = tu_read(CAP "rhel8-coreos-sosreport-4.18-x86_64/sysctl-a.txt", &n);
	struct strkvlist l = {0};
	struct diag_list d = {0};
	assert_int_equal(sysctl_dump_parse(buf, n, "sysctl-a.txt", false, &l, &d), 0);
	assert_int_equal(l.n, 1002); /* 1003 lines, one "sysctl: unable to open" */
	assert_string_equal(strkvlist_get(&l, "vm.min_free_kbytes"), "67584");
	assert_string_equal(strkvlist_get(&l, "vm.lowmem_reserve_ratio"), "256\t256\t32\t0\t0");
	/* a repeated key: the last line wins, '#' inside a value is not a comment */
	assert_string_equal(strkvlist_get(&l, "dev.cdrom.info"), "");
	assert_null(strkvlist_get(&l, "vm.nonexistent"));
	strkvlist_free(&l);
	/* strict mode rejects the noise line and names it */
	assert_int_equal(sysctl_dump_parse(buf, n, "sysctl-a.txt", true, &l, &d), -EINVAL);
	assert_true(d.n == 1 && d.v[0].line > 0);
	assert_true(err_has(&d, "no '='"));
	free(buf);
	diag_list_clear(&d);
}

static void test_sysctl_dump_string(void **state)
{
	(void)state;
	const char *s = "# comment\n"
			"; another\n"
			"vm.swappiness = 10\n"
			"vm/dirty_ratio=20\r\n"
			"-vm.overcommit_memory = 1\n"
			"  net/ipv4/conf/eth0.100/rp_filter = 2  \n"
			"kernel.domainname = (none)\n"
			"vm.swappiness=30\n"
			"vm.empty =\n";
	struct strkvlist l = {0};
	struct diag_list d = {0};
	assert_int_equal(sysctl_dump_parse(s, strlen(s), "99-x.conf", true, &l, &d), 0);
	assert_int_equal(l.n, 7);
	assert_string_equal(l.v[0].key, "vm.swappiness");
	assert_int_equal(l.v[0].line, 3);
	assert_string_equal(strkvlist_get(&l, "vm.swappiness"), "30");
	assert_string_equal(strkvlist_get(&l, "vm.dirty_ratio"), "20");
	assert_string_equal(strkvlist_get(&l, "vm.overcommit_memory"), "1");
	assert_string_equal(strkvlist_get(&l, "net.ipv4.conf.eth0/100.rp_filter"), "2");
	assert_string_equal(strkvlist_get(&l, "kernel.domainname"), "(none)");
	assert_string_equal(strkvlist_get(&l, "vm.empty"), "");
	assert_int_equal(d.n, 0);
	strkvlist_free(&l);
	strkvlist_free(&l);
	strkvlist_free(NULL);

	const char *bad = "vm.a = 1\n = 2\nvm b = 3\n";
	l.n = 9;
	assert_int_equal(sysctl_dump_parse(bad, strlen(bad), "x.conf", true, &l, &d), -EINVAL);
	assert_int_equal(l.n, 9);
	assert_int_equal(err_line(&d), 2);
	diag_list_clear(&d);
	l.n = 0;
	assert_int_equal(sysctl_dump_parse(bad, strlen(bad), "x.conf", false, &l, &d), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(diag_count(&d, DIAG_WARNING), 2);
	strkvlist_free(&l);
	diag_list_clear(&d);
}

/* ---- kernel log ---- */

static struct klog klog_of(const char *path)
{
	size_t n;
	char *buf = tu_read(path, &n);
	struct klog k = {0};
	struct diag_list d = {0};
	assert_int_equal(klog_parse(buf, n, path, &k, &d), 0);
	assert_int_equal(d.n, 0);
	free(buf);
	return k;
}

static void test_klog_modern(void **state)
{
	(void)state;
	struct klog k = klog_of("fixtures/klog/dmesg-5.10-x86_64.txt");
	/* oom-kill: + "Killed process" pairs are one kill each */
	assert_int_equal(k.oom_kills, 2);
	assert_non_null(strstr(k.oom_last, "Memory cgroup out of memory: Killed process 5555"));
	assert_int_equal(k.alloc_failures, 3);
	assert_int_equal(k.atomic_alloc_failures, 2);
	assert_int_equal(k.high_alloc_failures, 2); /* both GFP_ATOMIC */
	assert_int_equal(k.nowait_alloc_failures, 0);
	assert_int_equal(k.oom_kills_memcg, 1);     /* CONSTRAINT_MEMCG; the other is global */
	assert_int_equal(k.max_order, 4);
	assert_non_null(strstr(k.alloc_failure_last, "swapper/2: page allocation failure: order:2"));
	klog_free(&k);
	klog_free(&k);
	klog_free(NULL);
}

static void test_klog_old(void **state)
{
	(void)state;
	struct klog k = klog_of("fixtures/klog/messages-2.6.32-rhel6.txt");
	/* "Kill process ... or sacrifice child" + unprefixed "Killed process" */
	assert_int_equal(k.oom_kills, 2);
	assert_non_null(strstr(k.oom_last, "Kill process 2718 (httpd)"));
	assert_int_equal(k.alloc_failures, 2);
	assert_int_equal(k.atomic_alloc_failures, 1); /* 0x20 yes, 0xd0 (__GFP_WAIT) no */
	assert_int_equal(k.high_alloc_failures, 1);   /* 0x20 is __GFP_HIGH */
	assert_int_equal(k.oom_kills_memcg, 0);
	assert_int_equal(k.max_order, 5);
	klog_free(&k);
}

/* Published logs (fixtures/klog/README.md) and a QEMU guest's dmesg: the
 * GFP mode decides the lever, the constraint decides global or memcg. */
static void test_klog_gfp_modes_and_memcg(void **state)
{
	(void)state;
	struct klog k = klog_of("fixtures/klog/lkml-2019-urezki-5.2rc3-gfp-nowait.txt");
	assert_int_equal(k.alloc_failures, 1);
	assert_int_equal(k.atomic_alloc_failures, 1);
	assert_int_equal(k.nowait_alloc_failures, 1); /* GFP_NOWAIT|__GFP_COMP: no __GFP_HIGH */
	assert_int_equal(k.high_alloc_failures, 0);
	klog_free(&k);
	k = klog_of("fixtures/klog/coreos-2017-4.9-gfp-atomic.txt");
	assert_int_equal(k.atomic_alloc_failures, 1);
	assert_int_equal(k.high_alloc_failures, 1);   /* GFP_ATOMIC|__GFP_COLD|__GFP_COMP */
	assert_int_equal(k.nowait_alloc_failures, 0);
	klog_free(&k);
	k = klog_of("fixtures/derived/qemu-6.1-1g-memcg-oom/guest/dmesg.txt");
	assert_int_equal(k.oom_kills, 1);
	assert_int_equal(k.oom_kills_memcg, 1);
	klog_free(&k);
}

static void test_klog_strings(void **state)
{
	(void)state;
	struct klog k;
	struct diag_list d = {0};
	assert_int_equal(klog_parse("", 0, "x", &k, &d), 0);
	assert_int_equal(k.oom_kills, 0);
	assert_int_equal(k.max_order, -1);
	assert_null(k.oom_last);
	assert_null(k.alloc_failure_last);

	static const struct {
		const char *t;
		unsigned oom, fail, atomic;
		int order;
	} c[] = {
		/* only the oom-kill: line survived a grep: still one kill */
		{"oom-kill:constraint=CONSTRAINT_NONE,task=a,pid=1,uid=0\n", 1, 0, 0, -1},
		/* a kill line whose pid differs from the pending oom-kill: line */
		{"oom-kill:constraint=CONSTRAINT_NONE,task=a,pid=1,uid=0\n"
		 "Out of memory: Killed process 2 (b)\n", 2, 0, 0, -1},
		/* 2.6.1x: announcement, then the child actually killed: one kill */
		{"Out of Memory: Kill process 7 (x) score 5 and children.\n"
		 "Out of memory: Killed process 8 (x-child).\n", 1, 0, 0, -1},
		/* 2.6.1x: a second process sharing the mm is killed too */
		{"Out of Memory: Kill process 7 (x) score 5 and children.\n"
		 "Out of memory: Killed process 7 (x).\n"
		 "Out of memory: Killed process 9 (x-thread).\n", 2, 0, 0, -1},
		/* a stale announcement does not swallow a kill far later */
		{"Out of memory: Kill process 1 (a) score 1 or sacrifice child\n"
		 "Killed process 1 (a) total-vm:1kB\n1\n2\n3\n4\n5\n6\n7\n8\n9\n"
		 "Out of memory: Killed process 2 (b) total-vm:1kB\n", 2, 0, 0, -1},
		/* only the kill lines survived a grep */
		{"Out of memory: Killed process 1 (a)\nOut of memory: Killed process 2 (b)\n", 2,
		 0, 0, -1},
		{"Out of memory (oom_kill_allocating_task): Kill process 9 (y) score 0 or "
		 "sacrifice child\nKilled process 9 (y) total-vm:1kB\n"
		 "Kill process 10 (z) sharing same memory\n", 1, 0, 0, -1},
		/* not kills */
		{"oom_reaper: reaped process 4321 (java), now anon-rss:0kB\n"
		 "java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0\n"
		 "app: Killed process list refreshed\n", 0, 0, 0, -1},
		{"a: page allocation failure: order:3, mode:0x820(GFP_ATOMIC), nodemask=(null)\n"
		 "b: page allocation failure: order:0, mode:0x800(GFP_NOWAIT)\n"
		 "c: page allocation failure: order:1, mode:0x20(__GFP_HIGH), nodemask=(null)\n"
		 "d: page allocation failure: order:9, mode:0x4020(__GFP_HIGH|__GFP_DIRECT_RECLAIM)\n"
		 "e: page allocation failure: order:2, mode:0x20\n", 0, 5, 3, 9},
		{"f: page allocation failure: order:99999999999, mode:0x20(GFP_ATOMIC)\n", 0, 1, 1, -1},
		{"the page allocation failure rate\n", 0, 0, 0, -1},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(klog_parse(c[i].t, strlen(c[i].t), "x", &k, &d), 0);
		if (k.oom_kills != c[i].oom || k.alloc_failures != c[i].fail ||
		    k.atomic_alloc_failures != c[i].atomic || k.max_order != c[i].order)
			fail_msg("case %zu: oom %u fail %u atomic %u order %d", i, k.oom_kills,
				 k.alloc_failures, k.atomic_alloc_failures, k.max_order);
		klog_free(&k);
	}
	/* binary input is the one error */
	k.oom_kills = 42;
	assert_int_equal(klog_parse("a\nb\0c", 5, "x", &k, &d), -EINVAL);
	assert_int_equal(k.oom_kills, 42);
	assert_int_equal(err_line(&d), 2);
	diag_list_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swaps_string),
		cmocka_unit_test(test_swaps_empty),
		cmocka_unit_test(test_swaps_bad),
		cmocka_unit_test(test_swaps_captures),
		cmocka_unit_test(test_psi),
		cmocka_unit_test(test_uptime),
		cmocka_unit_test(test_sysctl_int),
		cmocka_unit_test(test_sysctl_dump_capture),
		cmocka_unit_test(test_sysctl_dump_string),
		cmocka_unit_test(test_klog_modern),
		cmocka_unit_test(test_klog_old),
		cmocka_unit_test(test_klog_gfp_modes_and_memcg),
		cmocka_unit_test(test_klog_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
