/* Unit tests of the pure watermark model (advisor/model/watermark.h).
 *
 * Zones are built here from numbers printed by real kernels: the worked
 * examples of kernel-reclaim.md §1.3/§2.6/§2.7, the public captures
 * (fixtures/captures/.../SOURCE.md) and the QEMU guests (fixtures/qemu/);
 * zones typed in from a QEMU fixture are checked against the committed file
 * (assert_fixture_zones).  Where no capture exists (64 KiB pages, an upstream 32-bit HighMem host)
 * the expected values are worked by hand in the comment above the test. */
#include "testutil.h"

#include "collect/parse.h"
#include "model/watermark.h"

#include <errno.h>
#include <string.h>

#define A ZONE_ABSENT

/* A zone as zoneinfo would print it; marks A when not printed. */
static struct zone zn(int node, const char *name, int64_t managed, int64_t present, int64_t min,
		      int64_t low, int64_t high, int64_t promo, int64_t boost)
{
	struct zone z;
	memset(&z, 0, sizeof(z));
	z.node = node;
	z.name = (char *)name;
	z.managed = managed;
	z.present = present;
	z.spanned = present;
	z.min = min;
	z.low = low;
	z.high = high;
	z.promo = promo;
	z.boost = boost;
	z.free = z.cma = A;
	return z;
}

static struct wm_params params(int64_t kver, int64_t mfk, int64_t wsf)
{
	struct wm_params p;
	memset(&p, 0, sizeof(p));
	p.kver = kver;
	p.page_size = 4096;
	p.min_free_kbytes = mfk;
	p.wsf = wsf;
	p.thp = WM_THP_UNKNOWN;
	return p;
}

static void set_lrr(struct wm_params *p, const int64_t *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p->lrr[i] = r[i];
	p->nlrr = n;
}

static void assert_pred(const struct wm_zone *w, int64_t min, int64_t low, int64_t high, int64_t promo)
{
	assert_true(w->predicted);
	assert_int_equal(w->pred.min, min);
	assert_int_equal(w->pred.low, low);
	assert_int_equal(w->pred.high, high);
	assert_int_equal(w->pred.promo, promo);
}

static void assert_prot(const struct wm_zone *w, const int64_t *want, unsigned n)
{
	assert_int_equal(w->nprot, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(w->prot[i], want[i]);
}

/* kernel-reclaim.md §2.6, this VM's first snapshot (6.18, THP madvise). */
static void test_vm_first_snapshot(void **state)
{
	(void)state;
	struct zone z[] = {
		zn(0, "DMA", 3840, 3998, 68, 85, 102, 119, 0),
		zn(0, "DMA32", 772915, 782336, 13883, 17353, 20823, 24293, 0),
		zn(0, "Normal", 163840, 5505024, 2943, 3678, 4413, 5148, 0),
		zn(0, "Movable", 0, 0, 32, 32, 32, 32, 0),
		zn(0, "Device", 0, 0, 0, 0, 0, 0, 0),
	};
	static const int64_t lrr[] = {256, 256, 32, 0, 0};
	static const int64_t p0[] = {0, 3019, 3659, 3659, 3659}, p1[] = {0, 0, 640, 640, 640},
			     p2[] = {0, 0, 0, 0, 0};
	for (size_t i = 0; i < 5; i++) {
		z[i].nprotection = 5;
		memcpy(z[i].protection, i == 0 ? p0 : i == 1 ? p1 : p2, sizeof(p0));
	}
	struct wm_params p = params(KVER(6, 18, 44), 67584, 10);
	set_lrr(&p, lrr, 5);
	p.thp = WM_THP_MADVISE;
	p.hpage_pmd_size = 2 << 20;
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 5, &p, &m, NULL), 0);
	assert_int_equal(m.pages_min, 16896);
	assert_int_equal(m.t.lowmem_pages, 940595);
	assert_pred(&m.zones[0], 68, 85, 102, 119);
	assert_pred(&m.zones[1], 13883, 17353, 20823, 24293);
	assert_pred(&m.zones[2], 2943, 3678, 4413, 5148);
	assert_pred(&m.zones[3], 32, 32, 32, 32);
	assert_pred(&m.zones[4], 0, 0, 0, 0);
	for (size_t i = 0; i < 5; i++) {
		assert_true(m.zones[i].match);
		assert_int_equal(m.zones[i].expl, WM_EX_EXACT);
	}
	assert_true(m.all_match);
	assert_string_equal(wm_branch_name(m.zones[1].branch), "min/4");
	assert_string_equal(wm_branch_name(m.zones[3].branch), "none");
	assert_prot(&m.zones[0], p0, 5);
	assert_prot(&m.zones[1], p1, 5);
	assert_prot(&m.zones[2], p2, 5);
	/* §1.3: 11 x 512 x 3 zones = 16896 pages = 67584 kB, under the 5 % cap */
	assert_int_equal(m.nr_thp_zones, 3);
	assert_int_equal(m.thp_floor_kbytes, 67584);
	assert_string_equal(m.origin, "thp");
	/* int_sqrt(940595 pages x 4 kB x 16) */
	assert_int_equal(m.default_kbytes, 7758);
	/* under the floor the latency profile keeps its two free pageblocks
	 * per zone: 2 x 512 x 3 = 3072 pages = 12288 kB > the sqrt default */
	assert_int_equal(m.thp_lower_kbytes, 12288);
	/* the largest lowmem zone is DMA32: share/4 = 3470; 772915 x 45 / 10000 = 3478 > 3470, x 44 = 3400 */
	assert_int_equal(m.largest, 1);
	assert_int_equal(m.wsf_breakeven, 45);
	/* gap = sum of low - min over lowmem zones; Movable (clamped) excluded */
	assert_int_equal(m.t.gap_pages, 17 + 3470 + 735);
	assert_int_equal(m.t.min4_gap_pages, 17 + 3470 + 735);
	assert_int_equal(m.t.reserve_pages, 68 + 13883 + 2943);
	assert_int_equal(m.t.populated, 3);
	/* totalreserve: DMA min(3840, 102 + 3659), DMA32 20823 + 640, Normal 4413 */
	assert_int_equal(m.t.totalreserve_pages, 3761 + 21463 + 4413);
	assert_string_equal(m.k.why, "host.kernel_version");
	assert_int_equal(m.k.wsf_max, 3000);
	wm_model_free(&m);
}

/* §2.6 later snapshot: Normal grew to 720896 pages and the kernel recomputed. */
static void test_vm_later_snapshot(void **state)
{
	(void)state;
	struct zone z[] = {
		zn(0, "DMA", 3840, 3998, 43, 53, 63, 73, 0),
		zn(0, "DMA32", 772915, 782336, 8719, 10898, 13077, 15256, 0),
		zn(0, "Normal", 720896, 5505024, 8132, 10165, 12198, 14231, 0),
		zn(0, "Movable", 0, 0, 32, 32, 32, 32, 0),
		zn(0, "Device", 0, 0, 0, 0, 0, 0, 0),
	};
	static const int64_t lrr[] = {256, 256, 32, 0, 0};
	struct wm_params p = params(KVER(6, 18, 44), 67584, 10);
	set_lrr(&p, lrr, 5);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 5, &p, &m, NULL), 0);
	assert_true(m.all_match);
	static const int64_t p0[] = {0, 3019, 5835, 5835, 5835}, p1[] = {0, 0, 2816, 2816, 2816};
	/* no protection line printed: the width comes from the zone list */
	assert_int_equal(m.zones[0].nprot, 1);
	for (size_t i = 0; i < 5; i++)
		z[i].nprotection = 5;
	wm_model_free(&m);
	assert_int_equal(wm_model_compute(z, 5, &p, &m, NULL), 0);
	assert_prot(&m.zones[0], p0, 5);
	assert_prot(&m.zones[1], p1, 5);
	/* THP mode unknown: no floor, but the value is still recognised as THP's */
	assert_int_equal(m.thp_floor_kbytes, -1);
	assert_string_equal(m.origin, "thp");
	wm_model_free(&m);
}

/* §2.6 seed example: Normal computed at managed 7453500, printed 7455511. */
static void test_seed_managed_drift(void **state)
{
	(void)state;
	/* at computation: lowmem 3977 + 693000 + 7453500 = 8150477; shares
	 * 8, 1436, 15451; gaps max(share/4, managed/1000) = 3, 693, 7453 */
	struct zone z[] = {
		zn(0, "DMA", 3977, 3998, 8, 11, 14, A, A),
		zn(0, "DMA32", 693000, 700000, 1436, 2129, 2822, A, A),
		zn(0, "Normal", 7455511, 7500000, 15451, 22904, 30357, A, A),
	};
	struct wm_params p = params(KVER(4, 19, 0), 67584, 10);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 3, &p, &m, NULL), 0);
	assert_true(m.zones[0].match);
	assert_true(m.zones[1].match);
	assert_false(m.zones[2].match);
	assert_false(m.all_match);
	/* predicted with today's managed: 7455511 x 10 / 10000 = 7455 */
	assert_pred(&m.zones[2], 15451, 22906, 30361, A);
	assert_int_equal(m.zones[2].expl, WM_EX_DRIFT);
	assert_string_equal(wm_expl_name(m.zones[2].expl), "managed-drift");
	/* §2.6: computed when managed was 7453000..7453999, 1512..2511 pages ago */
	assert_int_equal(m.zones[2].drift_lo, 1512);
	assert_int_equal(m.zones[2].drift_hi, 2511);
	assert_string_equal(wm_branch_name(m.zones[2].branch), "wsf");
	assert_string_equal(wm_branch_name(m.zones[1].branch), "wsf");
	assert_int_equal(m.largest, 2);
	/* share/4 = 3862: 7455511 x 6 / 10000 = 4473 > 3862, x 5 = 3727 */
	assert_int_equal(m.wsf_breakeven, 6);
	assert_string_equal(m.k.why, "host.kernel_version");
	assert_int_equal(m.k.wsf_max, 1000);
	wm_model_free(&m);
}

/* One lowmem zone: its min is all of pages_min whatever lowmem was, so only
 * the gap can show drift, and "some zone kept its managed" cannot hold (the
 * only zone did grow): the model falls back to the bounds without that
 * assumption.  Computed at managed 9990500: gap 9990 (> 16896 >> 2, the wsf
 * branch), so 9990000..9990999 then, 10000000 now: 9001..10000 pages. */
static void test_single_zone_drift(void **state)
{
	(void)state;
	struct zone z[] = {zn(0, "Normal", 10000000, 10485760, 16896, 16896 + 9990, 16896 + 19980, A, 0)};
	struct wm_params p = params(KVER(5, 10, 0), 67584, 10);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 1, &p, &m, NULL), 0);
	assert_int_equal(m.zones[0].expl, WM_EX_DRIFT);
	assert_int_equal(m.zones[0].drift_lo, 9001);
	assert_int_equal(m.zones[0].drift_hi, 10000);
	assert_int_equal(m.drift_lowmem_lo, 9990000);
	assert_int_equal(m.drift_lowmem_hi, 9990999);
	wm_model_free(&m);
	/* the gap the current wsf gives from today's managed: exact, no drift */
	z[0].low = 16896 + 10000;
	z[0].high = 16896 + 20000;
	assert_int_equal(wm_model_compute(z, 1, &p, &m, NULL), 0);
	assert_int_equal(m.zones[0].expl, WM_EX_EXACT);
	wm_model_free(&m);
}

/* fixtures/captures/ubuntu12.04-3.2: pre-4.6, no managed line (present used). */
static void test_pre46_present_based(void **state)
{
	(void)state;
	struct zone z[] = {
		zn(0, "DMA", A, 3900, 32, 40, 48, A, A),
		zn(0, "DMA32", A, 828852, 6829, 8536, 10243, A, A),
		zn(0, "Normal", A, 1217664, 10033, 12541, 15049, A, A),
	};
	for (size_t i = 0; i < 3; i++)
		z[i].nprotection = 4;
	static const int64_t lrr[] = {256, 256, 32};
	struct wm_params p = params(KVER(3, 2, 0), 67584, -1);
	set_lrr(&p, lrr, 3);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 3, &p, &m, NULL), 0);
	assert_true(m.k.pre46);
	assert_int_equal(m.k.wsf_max, 0);
	assert_true(m.all_match);
	assert_pred(&m.zones[1], 6829, 8536, 10243, A);
	assert_string_equal(wm_branch_name(m.zones[2].branch), "pre-4.6");
	assert_int_equal(m.wsf_breakeven, -1);
	static const int64_t p0[] = {0, 3237, 7994, 7994}, p1[] = {0, 0, 4756, 4756};
	assert_prot(&m.zones[0], p0, 4);
	assert_prot(&m.zones[1], p1, 4);
	/* the same zones without a version: "no managed line" dates them */
	p.kver = 0;
	wm_model_free(&m);
	assert_int_equal(wm_model_compute(z, 3, &p, &m, NULL), 0);
	assert_true(m.k.inferred);
	assert_true(m.k.pre46);
	assert_true(m.all_match);
	wm_model_free(&m);
}

/* fixtures/captures/lkml-2005-i386-2.6.14rc5: HighMem gaps from the clamped
 * min (min*5/4, min*6/4); min_free_kbytes is the default int_sqrt(917504*16). */
static void test_2614_highmem(void **state)
{
	(void)state;
	struct zone z[] = {
		zn(0, "DMA", A, 4096, 17, 21, 25, A, A),
		zn(0, "Normal", A, 225280, 939, 1173, 1408, A, A),
		zn(0, "HighMem", A, 30342, 32, 40, 48, A, A),
	};
	struct wm_params p = params(KVER(2, 6, 14), 3831, -1);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 3, &p, &m, NULL), 0);
	assert_true(m.k.old_highmem);
	assert_true(m.all_match);
	assert_true(m.zones[2].clamped);
	assert_int_equal(m.default_kbytes, 3831);
	assert_string_equal(m.origin, "kernel-default");
	wm_model_free(&m);
}

/* fixtures/captures/ncollectd-zoneinfo-3.10ish: 4 NUMA nodes, pre-4.6, THP's
 * 135168 kB (6 zones x 11 x 512 pages); every zone exact. */
static void test_4node_pre46(void **state)
{
	(void)state;
	struct zone z[] = {
		zn(0, "DMA", 3977, 3999, 2, 2, 3, A, A),
		zn(0, "DMA32", 629922, 690581, 431, 538, 646, A, A),
		zn(0, "Normal", 11596265, 11796480, 7934, 9917, 11901, A, A),
		zn(1, "Normal", 12385777, 12582912, 8474, 10592, 12711, A, A),
		zn(2, "Normal", 12385777, 12582912, 8474, 10592, 12711, A, A),
		zn(3, "Normal", 12385659, 12582911, 8474, 10592, 12711, A, A),
	};
	struct wm_params p = params(KVER(3, 10, 0), 135168, -1);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 6, &p, &m, NULL), 0);
	assert_true(m.all_match);
	assert_int_equal(m.nr_thp_zones, 6);
	assert_string_equal(m.origin, "thp");
	/* int_sqrt(49387377 pages x 4 kB x 16), under the 65536 kB clamp of 3.10 */
	assert_int_equal(m.default_kbytes, 56220);
	assert_int_equal(m.t.reserve_pages, 2 + 431 + 7934 + 3 * 8474);
	wm_model_free(&m);
}

/* The zones above are typed in; where they come from a committed fixture,
 * this checks them against the file, so a recapture that changes the
 * fixture fails here instead of leaving numbers that only look real.  Every
 * field the zone sets (node, name, managed, present, min, low, high, promo,
 * boost) must equal what the file prints, zone for zone in file order. */
static void assert_fixture_zones(const char *path, const struct zone *z, size_t n)
{
	size_t len;
	char *buf = tu_read(path, &len);
	struct zoneinfo zi;
	memset(&zi, 0, sizeof(zi));
	assert_int_equal(zoneinfo_parse(buf, len, path, &zi, NULL), 0);
	if (zi.nzones != n)
		fail_msg("%s: %zu zones, the test has %zu", path, zi.nzones, n);
	for (size_t i = 0; i < n; i++) {
		const struct zone *f = &zi.zones[i], *t = &z[i];
		if (f->node != t->node || strcmp(f->name, t->name) || f->managed != t->managed ||
		    f->present != t->present || f->min != t->min || f->low != t->low || f->high != t->high ||
		    f->promo != t->promo || f->boost != t->boost)
			fail_msg("%s node %d %s: file %lld/%lld %lld/%lld/%lld/%lld boost %lld, test %d %s %lld/%lld "
				 "%lld/%lld/%lld/%lld boost %lld (managed/present min/low/high/promo)",
				 path, f->node, f->name, (long long)f->managed, (long long)f->present,
				 (long long)f->min, (long long)f->low, (long long)f->high, (long long)f->promo,
				 (long long)f->boost, t->node, t->name, (long long)t->managed, (long long)t->present,
				 (long long)t->min, (long long)t->low, (long long)t->high, (long long)t->promo,
				 (long long)t->boost);
	}
	zoneinfo_free(&zi);
	free(buf);
}

/* fixtures/qemu/6.12-q35-2node-2x2g-mfk131072/after/proc/zoneinfo: the
 * kernel's values after writing min_free_kbytes=131072 (SOURCE.md's hand
 * check: lowmem 3840 + 485913 + 515780 = 1005533, all in the min/4 branch). */
static void test_2node_612_after_write(void **state)
{
	(void)state;
	struct zone z[] = {
		zn(0, "DMA", 3840, 3998, 125, 156, 187, 218, 0),
		zn(0, "DMA32", 485913, 520157, 15834, 19792, 23750, 27708, 0),
		zn(0, "Normal", 0, 0, 0, 0, 0, 0, 0),
		zn(0, "Movable", 0, 0, 32, 32, 32, 32, 0),
		zn(0, "Device", 0, 0, 0, 0, 0, 0, 0),
		zn(1, "DMA", 0, 0, 0, 0, 0, 0, 0),
		zn(1, "DMA32", 0, 0, 0, 0, 0, 0, 0),
		zn(1, "Normal", 515780, 524288, 16808, 21010, 25212, 29414, 0),
		zn(1, "Movable", 0, 0, 32, 32, 32, 32, 0),
		zn(1, "Device", 0, 0, 0, 0, 0, 0, 0),
	};
	assert_fixture_zones("fixtures/qemu/6.12-q35-2node-2x2g-mfk131072/after/proc/zoneinfo", z, 10);
	struct wm_params p = params(KVER(6, 12, 117), 131072, 10);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 10, &p, &m, NULL), 0);
	assert_true(m.k.movable_clamped);
	assert_int_equal(m.t.lowmem_pages, 1005533);
	assert_true(m.all_match);
	/* share 32768 x 515780 / 1005533 = 16808 (16808.3), gap 16808 >> 2 = 4202 */
	assert_pred(&m.zones[7], 16808, 21010, 25212, 29414);
	assert_string_equal(wm_branch_name(m.zones[7].branch), "min/4");
	assert_int_equal(m.nr_thp_zones, 3);
	assert_string_equal(m.origin, "administrator");
	wm_model_free(&m);
}

/* fixtures/qemu/6.1-2node-2x1g-wsf300-mfk90000/after/proc/zoneinfo: 6.1 has
 * promo arithmetic but no promo line, and Movable is still lowmem (prints 0).
 * lowmem 3840 + 242525 + 257894 = 504259, pages_min 90000 / 4 = 22500. */
static void test_2node_61_wsf300(void **state)
{
	(void)state;
	struct zone z[] = {
		zn(0, "DMA", 3840, 3998, 171, 286, 401, A, 0),
		zn(0, "DMA32", 242525, 258048, 10821, 18096, 25371, A, 0),
		zn(0, "Normal", 0, 0, 0, 0, 0, A, 0),
		zn(0, "Movable", 0, 0, 0, 0, 0, A, 0),
		zn(0, "Device", 0, 0, 0, 0, 0, A, 0),
		zn(1, "DMA", 0, 0, 0, 0, 0, A, 0),
		zn(1, "DMA32", 257894, 262109, 11507, 19243, 26979, A, 0),
		zn(1, "Normal", 0, 0, 0, 0, 0, A, 0),
		zn(1, "Movable", 0, 0, 0, 0, 0, A, 0),
		zn(1, "Device", 0, 0, 0, 0, 0, A, 0),
	};
	assert_fixture_zones("fixtures/qemu/6.1-2node-2x1g-wsf300-mfk90000/after/proc/zoneinfo", z, 10);
	struct wm_params p = params(KVER(6, 1, 0), 90000, 300);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 10, &p, &m, NULL), 0);
	assert_false(m.k.movable_clamped);
	assert_int_equal(m.t.lowmem_pages, 504259);
	assert_true(m.all_match);
	/* share 22500 x 242525 / 504259 = 10821; 242525 x 300 / 10000 = 7275 > 10821 >> 2 = 2705 */
	assert_string_equal(wm_branch_name(m.zones[1].branch), "wsf");
	assert_int_equal(m.zones[1].delta, 7275);
	assert_int_equal(m.zones[1].pred.promo, 25371 + 7275);
	wm_model_free(&m);
}

/* 64 KiB pages (arm64): pages_min = kB >> 6; pageblock 8192 pages (512 MiB
 * PMD).  16 GiB: DMA 65536 + Normal 196608 pages; min_free_kbytes 838848 ->
 * pages_min 13107; shares 3276 / 9830; gaps share/4 = 819 / 2457 (the wsf
 * terms are 65 / 196).  THP: 11 x 8192 x 2 = 180224 pages, capped at 5 %
 * of the free buffer at boot: the high marks of the kernel's own 16384 kB
 * (pages_min 256, shares 64 / 192) at wsf 10 are 64 + 2 x 65 = 194 and
 * 192 + 2 x 196 = 584, so (65536 - 194 + 196608 - 584) / 20 = 13068 pages =
 * 836352 kB (today's 838848 kB marks would give 12124 pages: not a value
 * the kernel computed). */
static void test_64k_pages(void **state)
{
	(void)state;
	struct zone z[] = {
		zn(0, "DMA", 65536, 65536, A, A, A, A, A),
		zn(0, "Normal", 196608, 196608, A, A, A, A, A),
	};
	struct wm_params p = params(KVER(6, 1, 0), 838848, 10);
	p.page_size = 65536;
	p.thp = WM_THP_ALWAYS;
	p.hpage_pmd_size = 512 << 20;
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 2, &p, &m, NULL), 0);
	assert_int_equal(m.page_shift, 16);
	assert_int_equal(m.pages_min, 13107);
	assert_pred(&m.zones[0], 3276, 4095, 4914, 5733);
	assert_pred(&m.zones[1], 9830, 12287, 14744, 17201);
	assert_int_equal(m.pageblock_pages, 8192);
	assert_int_equal(m.boot_free_pages, 65536 - 194 + 196608 - 584);
	assert_int_equal(m.thp_floor_kbytes, 836352);
	assert_int_equal(m.kernel_kbytes, 836352);
	/* 2 x 8192 pages x 2 zones is over the kernel's 5 % cap too: no room under the floor */
	assert_int_equal(m.thp_lower_kbytes, 836352);
	/* the value THP computed at boot, when the high marks were lower */
	assert_string_equal(m.origin, "thp");
	/* not observed: nothing to match */
	assert_int_equal(m.zones[0].expl, WM_EX_UNCHECKED);
	assert_false(m.all_match);
	/* 5 % of lowmem: 262144 pages x 64 kB / 20 */
	assert_int_equal(m.cap_kbytes, 838860);
	wm_model_free(&m);
}

/* An upstream 32-bit HighMem host (4.14): DMA 105724, HighMem 381696 pages,
 * min_free_kbytes 16384 -> pages_min 4096, all in DMA.  HighMem min =
 * clamp(381696/1024, 32, 128) = 128 but its gap uses the unclamped share
 * 4096*381696/105724 = 14787 -> 3696.  Movable counts as highmem here. */
static void test_highmem_46(void **state)
{
	(void)state;
	struct zone z[] = {
		zn(0, "DMA", 105724, 114688, 4096, 5120, 6144, A, A),
		zn(0, "Normal", 0, 0, 0, 0, 0, A, A),
		zn(0, "HighMem", 381696, 381696, 128, 3824, 7520, A, A),
		zn(0, "Movable", 0, 0, 32, 32, 32, A, A),
	};
	struct wm_params p = params(KVER(4, 14, 65), 16384, 10);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 4, &p, &m, NULL), 0);
	assert_true(m.k.movable_clamped);
	assert_int_equal(m.zones[2].share, 14787);
	assert_true(m.all_match);
	assert_int_equal(m.t.lowmem_pages, 105724);
	wm_model_free(&m);

	/* fixtures/captures/lkml-2019-arm32-4.14: the vendor kernel's printed
	 * values: high-low follows the model, low-min carries extra pages */
	z[0].low = 6416;
	z[0].high = 7440;
	z[2].low = 8506;
	z[2].high = 12202;
	p.wsf = -1; /* no watermark_scale_factor in the capture */
	p.kver = 0;
	assert_int_equal(wm_model_compute(z, 4, &p, &m, NULL), 0);
	assert_int_equal(m.zones[0].expl, WM_EX_VENDOR);
	assert_int_equal(m.zones[0].extra_pages, 2320 - 1024);
	assert_int_equal(m.zones[2].expl, WM_EX_VENDOR);
	assert_int_equal(m.zones[2].extra_pages, 8378 - 3696);
	assert_string_equal(wm_expl_name(m.zones[2].expl), "vendor-kernel");
	assert_false(m.all_match);
	wm_model_free(&m);
}

/* HighMem drift: the kernel computed the marks when DMA had 100000 pages;
 * then HighMem's share was 4096*381696/100000 = 15633, gap 3908 (low 4036,
 * high 7944).  DMA's min is all of pages_min either way, so only the
 * HighMem gap shows that lowmem grew: share 15632..15635 needs lowmem in
 * (4096*381696/15636, 4096*381696/15632] = [99989, 100014] (checked by
 * brute force) -> grew by 5710..5735 pages. */
static void test_highmem_drift(void **state)
{
	(void)state;
	struct zone z[] = {
		zn(0, "DMA", 105724, 114688, 4096, 5120, 6144, A, A),
		zn(0, "HighMem", 381696, 381696, 128, 4036, 7944, A, A),
	};
	struct wm_params p = params(KVER(4, 14, 0), 16384, 10);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 2, &p, &m, NULL), 0);
	assert_int_equal(m.zones[0].expl, WM_EX_EXACT);
	assert_int_equal(m.zones[1].expl, WM_EX_DRIFT);
	assert_int_equal(m.zones[1].drift_lo, 105724 - 100014);
	assert_int_equal(m.zones[1].drift_hi, 105724 - 99989);
	wm_model_free(&m);
	/* a gap no lowmem size explains */
	z[1].low = 128 + 9000;
	z[1].high = 128 + 18000;
	assert_int_equal(wm_model_compute(z, 2, &p, &m, NULL), 0);
	assert_int_equal(m.zones[1].expl, WM_EX_UNKNOWN);
	wm_model_free(&m);
}

/* Boost: printed marks include watermark_boost (§2.3); a kernel that does
 * not print the boost line shows it as a uniform offset. */
static void test_boost(void **state)
{
	(void)state;
	struct zone z[] = {
		zn(0, "DMA", 3840, 3998, 68, 85, 102, 119, 0),
		zn(0, "DMA32", 772915, 782336, 13883 + 512, 17353 + 512, 20823 + 512, 24293 + 512, 512),
		zn(0, "Normal", 163840, 5505024, 2943, 3678, 4413, 5148, 0),
	};
	struct wm_params p = params(KVER(6, 18, 0), 67584, 10);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 3, &p, &m, NULL), 0);
	assert_int_equal(m.zones[1].expl, WM_EX_BOOST);
	assert_true(m.zones[1].match);
	assert_false(m.zones[1].boost_implied);
	assert_true(m.all_match);
	assert_int_equal(m.t.boost_pages, 512);
	assert_int_equal(m.t.reserve_pages, 68 + 13883 + 2943);
	assert_int_equal(m.t.high_pages, 102 + 20823 + 4413);
	wm_model_free(&m);

	z[1].boost = A;
	assert_int_equal(wm_model_compute(z, 3, &p, &m, NULL), 0);
	assert_int_equal(m.zones[1].expl, WM_EX_BOOST);
	assert_true(m.zones[1].boost_implied);
	assert_int_equal(m.zones[1].boost, 512);
	assert_true(m.all_match);
	wm_model_free(&m);

	/* an offset in min only is not a boost */
	z[1].min += 1;
	assert_int_equal(wm_model_compute(z, 3, &p, &m, NULL), 0);
	assert_false(m.zones[1].match);
	assert_int_not_equal(m.zones[1].expl, WM_EX_BOOST);
	wm_model_free(&m);
}

/* fixtures/captures/lkml-2023-samsung-android-5.10: gaps of 8928 and 10811
 * pages are managed x 216 / 10000 (AOSP raises wsf); the mins are the
 * shares of 1907 pages (7628 kB). */
static void test_wsf_differs(void **state)
{
	(void)state;
	struct zone z[] = {
		zn(0, "DMA32", 413348, 497920, 862, 9790, 18718, A, A),
		zn(0, "Normal", 500548, 524288, 1044, 11855, 22666, A, A),
	};
	struct wm_params p = params(KVER(5, 10, 0), 7628, 10);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 2, &p, &m, NULL), 0);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(m.zones[i].expl, WM_EX_WSF);
		assert_int_equal(m.zones[i].implied_wsf, 216);
		assert_int_equal(m.zones[i].pred.min, m.zones[i].obs.min);
	}
	/* without either sysctl the printed values still tell the story */
	wm_model_free(&m);
	p.min_free_kbytes = -1;
	p.wsf = -1;
	assert_int_equal(wm_model_compute(z, 2, &p, &m, NULL), 0);
	for (size_t i = 0; i < 2; i++) {
		assert_false(m.zones[i].predicted);
		assert_true(m.zones[i].branch_observed);
		assert_int_equal(m.zones[i].branch, WM_BR_WSF);
		assert_int_equal(m.zones[i].implied_wsf, 216);
		assert_int_equal(m.zones[i].expl, WM_EX_UNCHECKED);
	}
	/* 862 + 1044 = 1906 pages, two floors: pages_min 1906..1907 */
	assert_int_equal(m.implied_mfk_lo, 1906 * 4);
	assert_int_equal(m.implied_mfk_hi, 1908 * 4 - 1);
	/* with wsf 216 the model reproduces them */
	p.min_free_kbytes = 7628;
	wm_model_free(&m);
	p.wsf = 216;
	assert_int_equal(wm_model_compute(z, 2, &p, &m, NULL), 0);
	assert_true(m.all_match);
	wm_model_free(&m);
}

static void test_min_free_kbytes_default_clamp(void **state)
{
	(void)state;
	assert_int_equal(wm_int_sqrt(0), 0);
	assert_int_equal(wm_int_sqrt(15), 3);
	assert_int_equal(wm_int_sqrt(16), 4);
	assert_int_equal(wm_int_sqrt(UINT64_MAX), 4294967295u);
	/* kernel-reclaim.md §1.1 table */
	assert_int_equal(wm_default_min_free_kbytes(1 << 20, 262144), 4096);
	assert_int_equal(wm_default_min_free_kbytes(8 << 20, 262144), 11585);
	assert_int_equal(wm_default_min_free_kbytes(256 << 20, 65536), 65536);
	assert_int_equal(wm_default_min_free_kbytes(INT64_C(1) << 30, 65536), 65536);
	assert_int_equal(wm_default_min_free_kbytes(INT64_C(1) << 30, 262144), 131072);
	assert_int_equal(wm_default_min_free_kbytes(INT64_C(16) << 30, 262144), 262144);
	assert_int_equal(wm_default_min_free_kbytes(100, 262144), 128);
	struct wm_kernel k;
	wm_kernel_of(KVER(5, 6, 19), NULL, 0, true, &k);
	assert_int_equal(k.clamp_max, 65536);
	wm_kernel_of(KVER(5, 7, 0), NULL, 0, true, &k);
	assert_int_equal(k.clamp_max, 262144);
	/* 1 TiB of lowmem as one Normal zone: the clamp decides */
	struct zone z[] = {zn(0, "Normal", INT64_C(1) << 28, INT64_C(1) << 28, A, A, A, A, A)};
	struct wm_params p = params(KVER(5, 4, 0), 65536, 10);
	struct wm_model m;
	assert_int_equal(wm_model_compute(z, 1, &p, &m, NULL), 0);
	assert_int_equal(m.default_kbytes, 65536);
	assert_string_equal(m.origin, "kernel-default");
	wm_model_free(&m);
	p.kver = KVER(5, 10, 0);
	assert_int_equal(wm_model_compute(z, 1, &p, &m, NULL), 0);
	assert_int_equal(m.default_kbytes, 131072);
	assert_string_equal(m.origin, "administrator");
	wm_model_free(&m);
}

static void test_thp_floor(void **state)
{
	(void)state;
	/* §1.2 table: 2, 3, 4, 6 populated zones <= Normal */
	static const int64_t want[] = {45056, 67584, 90112, 135168};
	static const int nz[] = {2, 3, 4, 6};
	for (size_t t = 0; t < 4; t++) {
		struct zone z[6];
		for (int i = 0; i < nz[t]; i++)
			z[i] = zn(i / 3, i % 3 == 0 ? "DMA" : i % 3 == 1 ? "DMA32" : "Normal", 4 << 20,
				  4 << 20, A, A, A, A, A);
		struct wm_params p = params(KVER(6, 1, 0), want[t], 10);
		p.thp = WM_THP_ALWAYS;
		p.hpage_pmd_size = 2 << 20;
		struct wm_model m;
		assert_int_equal(wm_model_compute(z, (size_t)nz[t], &p, &m, NULL), 0);
		assert_int_equal(m.thp_floor_kbytes, want[t]);
		assert_string_equal(m.origin, "thp");
		/* 16 GiB zones: the sqrt default (above 2 x 2 MiB per zone) is the lower bound */
		assert_true(m.default_kbytes > 4096 * nz[t]);
		assert_int_equal(m.thp_lower_kbytes, m.default_kbytes);
		wm_model_free(&m);
	}
	/* THP never: no floor */
	struct zone z1[] = {zn(0, "DMA32", 500000, 500000, A, A, A, A, A)};
	struct wm_params p = params(KVER(6, 1, 0), 5000, 10);
	p.thp = WM_THP_NEVER;
	p.hpage_pmd_size = 2 << 20;
	struct wm_model m;
	assert_int_equal(wm_model_compute(z1, 1, &p, &m, NULL), 0);
	assert_int_equal(m.thp_floor_kbytes, -1);
	assert_int_equal(m.thp_lower_kbytes, -1);
	wm_model_free(&m);
	assert_int_equal(wm_thp_parse("always [madvise] never"), WM_THP_MADVISE);
	assert_int_equal(wm_thp_parse("[always] madvise never"), WM_THP_ALWAYS);
	assert_int_equal(wm_thp_parse("always madvise [never]"), WM_THP_NEVER);
	assert_int_equal(wm_thp_parse("madvise"), WM_THP_MADVISE);
	assert_int_equal(wm_thp_parse("bogus"), WM_THP_UNKNOWN);
	assert_int_equal(wm_thp_parse(NULL), WM_THP_UNKNOWN);
}

static void test_check_setting(void **state)
{
	(void)state;
	struct wm_kernel k;
	char msg[200];
	wm_kernel_of(KVER(5, 16, 0), NULL, 0, true, &k);
	assert_int_equal(wm_check_setting(&k, "vm.watermark_scale_factor", 1000, msg, sizeof(msg)), 0);
	assert_int_equal(wm_check_setting(&k, "watermark_scale_factor", 1001, msg, sizeof(msg)), -ERANGE);
	assert_non_null(strstr(msg, "1..1000"));
	assert_int_equal(wm_check_setting(&k, "vm.watermark_scale_factor", 0, msg, sizeof(msg)), -ERANGE);
	wm_kernel_of(KVER(5, 17, 0), NULL, 0, true, &k);
	assert_int_equal(wm_check_setting(&k, "vm.watermark_scale_factor", 3000, msg, sizeof(msg)), 0);
	assert_int_equal(wm_check_setting(&k, "vm.watermark_scale_factor", 3001, msg, sizeof(msg)), -ERANGE);
	assert_non_null(strstr(msg, "1..3000"));
	wm_kernel_of(KVER(5, 15, 58), NULL, 0, true, &k);
	assert_int_equal(k.wsf_max, 3000);
	wm_kernel_of(KVER(5, 15, 57), NULL, 0, true, &k);
	assert_int_equal(k.wsf_max, 1000);
	wm_kernel_of(0, NULL, 0, true, &k);
	assert_true(k.inferred);
	assert_int_equal(k.wsf_max, 1000);
	wm_kernel_of(KVER(4, 4, 0), NULL, 0, false, &k);
	assert_int_equal(wm_check_setting(&k, "vm.watermark_scale_factor", 10, msg, sizeof(msg)), -ERANGE);
	assert_non_null(strstr(msg, "4.6"));
	assert_int_equal(wm_check_setting(&k, "vm.min_free_kbytes", -1, msg, sizeof(msg)), -ERANGE);
	assert_int_equal(wm_check_setting(&k, "min_free_kbytes", 0, msg, sizeof(msg)), 0);
	assert_int_equal(wm_check_setting(&k, "vm.min_free_kbytes", INT64_C(1) << 31, msg, sizeof(msg)), -ERANGE);
	assert_int_equal(wm_check_setting(&k, "vm.swappiness", 10, msg, sizeof(msg)), -ENOENT);
}

/* Bad or missing input: errors, never a crash; missing sysctls leave the
 * zones unpredicted with a reason. */
static void test_bad_input(void **state)
{
	(void)state;
	struct zone z[] = {zn(0, "Normal", 1000, 1000, 10, 12, 14, A, A)};
	struct wm_params p = params(KVER(6, 1, 0), 1024, 10);
	struct wm_model m;
	struct diag_list d = {0};
	p.page_size = 3000;
	assert_int_equal(wm_model_compute(z, 1, &p, &m, &d), -EINVAL);
	p.page_size = 512;
	assert_int_equal(wm_model_compute(z, 1, &p, &m, &d), -EINVAL);
	p.page_size = 4096;
	assert_int_equal(wm_model_compute(z, 0, &p, &m, &d), -EINVAL);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 3);
	assert_non_null(strstr(d.v[0].msg, "power of two"));
	diag_list_clear(&d);

	p.min_free_kbytes = INT64_C(1) << 40;
	assert_int_equal(wm_model_compute(z, 1, &p, &m, NULL), -ERANGE);
	p.min_free_kbytes = 1024;
	p.wsf = INT64_C(1) << 33;
	assert_int_equal(wm_model_compute(z, 1, &p, &m, NULL), -ERANGE);
	p.wsf = 10;
	p.page_size = 2 << 20;
	assert_int_equal(wm_model_compute(z, 1, &p, &m, NULL), -EINVAL);
	p.page_size = 4096;

	/* nonsense printed values: boost above min, low below min */
	struct zone zb[] = {zn(0, "Normal", 1000, 1000, 10, 5, 14, A, 50), zn(0, "HighMem", 0, 0, 40, 90, 140, A, A)};
	assert_int_equal(wm_model_compute(zb, 2, &p, &m, NULL), 0);
	assert_false(m.zones[0].match);
	assert_int_equal(m.zones[0].expl, WM_EX_UNKNOWN);
	assert_false(m.zones[1].match);
	wm_model_free(&m);

	p.min_free_kbytes = -1;
	assert_int_equal(wm_model_compute(z, 1, &p, &m, NULL), 0);
	assert_false(m.zones[0].predicted);
	assert_int_equal(m.zones[0].expl, WM_EX_UNCHECKED);
	assert_non_null(strstr(m.zones[0].detail, "min_free_kbytes unknown"));
	assert_null(m.origin);
	wm_model_free(&m);
	p.min_free_kbytes = 1024;
	p.wsf = -1;
	assert_int_equal(wm_model_compute(z, 1, &p, &m, NULL), 0);
	assert_false(m.zones[0].predicted);
	assert_non_null(strstr(m.zones[0].detail, "watermark_scale_factor unknown"));
	wm_model_free(&m);
	/* a zone without printed marks, an unknown zone name, zero lowmem */
	struct zone z2[] = {zn(0, "Weird", 0, 0, A, A, A, A, A), zn(0, "HighMem", 5000, 5000, A, A, A, A, A)};
	p.wsf = 10;
	assert_int_equal(wm_model_compute(z2, 2, &p, &m, NULL), 0);
	assert_int_equal(m.zones[0].share, 0);
	assert_int_equal(m.zones[0].zidx, -1);
	assert_int_equal(m.zones[1].pred.min, 32);
	wm_model_free(&m);
	wm_model_free(NULL);
}

/* Hostile zone sets (a fixed-seed generator, so runs are repeatable): the
 * model returns 0, -EINVAL or -ERANGE, never crashes (make asan runs this
 * under ASan/UBSan), every prediction keeps min <= low <= high <= promo and
 * every drift range lies within 0..managed. */
static uint64_t lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005u + 1442695040888963407u;
	return *x >> 17;
}

static int64_t any_count(uint64_t *x)
{
	switch (lcg(x) % 6) {
	case 0: return ZONE_ABSENT;
	case 1: return 0;
	case 2: return (int64_t)(lcg(x) % 64);
	case 3: return (int64_t)(lcg(x) % 5000000);
	case 4: return (int64_t)(lcg(x) & ((INT64_C(1) << 41) - 1));
	default: return -(int64_t)(lcg(x) % 5);
	}
}

static void test_hostile_zones(void **state)
{
	(void)state;
	static const char *const names[] = {"DMA", "DMA32", "Normal", "HighMem", "Movable", "Device", "Weird"};
	uint64_t x = 42;
	int ok = 0;
	for (int it = 0; it < 20000; it++) {
		struct zone z[8];
		size_t n = 1 + lcg(&x) % 8;
		for (size_t i = 0; i < n; i++) {
			z[i] = zn((int)(lcg(&x) % 3), names[lcg(&x) % 7], any_count(&x), any_count(&x), any_count(&x),
				  any_count(&x), any_count(&x), any_count(&x), any_count(&x));
			z[i].nprotection = (unsigned)(lcg(&x) % 9);
			for (int j = 0; j < ZONE_MAX_PROTECTION; j++)
				z[i].protection[j] = any_count(&x);
		}
		struct wm_params p = params(lcg(&x) % 3 ? KVER(2 + lcg(&x) % 5, lcg(&x) % 20, lcg(&x) % 256) : 0,
					    lcg(&x) % 4 ? (int64_t)(lcg(&x) % (INT64_C(1) << 32)) : -1,
					    lcg(&x) % 4 ? (int64_t)(lcg(&x) % 5000) : -1);
		p.page_size = INT64_C(1) << (9 + lcg(&x) % 13);
		p.thp = (enum wm_thp)(lcg(&x) % 4);
		p.hpage_pmd_size = lcg(&x) % 2 ? 2 << 20 : (int64_t)(lcg(&x) % (1 << 30));
		p.nlrr = (unsigned)(lcg(&x) % 9);
		for (unsigned j = 0; j < p.nlrr; j++)
			p.lrr[j] = (int64_t)(lcg(&x) % 300) - 2;
		struct wm_model m;
		int rc = wm_model_compute(z, n, &p, &m, NULL);
		if (rc) {
			assert_true(rc == -EINVAL || rc == -ERANGE);
			continue;
		}
		ok++;
		for (size_t i = 0; i < n; i++) {
			const struct wm_zone *w = &m.zones[i];
			/* a drift range is a range of pages the zone gained */
			if (w->expl == WM_EX_DRIFT)
				assert_true(w->drift_lo >= 0 && w->drift_lo <= w->drift_hi && w->drift_hi <= w->pages);
			if (!w->predicted)
				continue;
			assert_true(w->pred.min >= 0 && w->pred.low >= w->pred.min && w->pred.high >= w->pred.low);
			assert_true(w->pred.promo == ZONE_ABSENT || w->pred.promo >= w->pred.high);
		}
		wm_model_free(&m);
	}
	assert_true(ok > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_first_snapshot),
		cmocka_unit_test(test_vm_later_snapshot),
		cmocka_unit_test(test_seed_managed_drift),
		cmocka_unit_test(test_single_zone_drift),
		cmocka_unit_test(test_pre46_present_based),
		cmocka_unit_test(test_2614_highmem),
		cmocka_unit_test(test_4node_pre46),
		cmocka_unit_test(test_2node_612_after_write),
		cmocka_unit_test(test_2node_61_wsf300),
		cmocka_unit_test(test_64k_pages),
		cmocka_unit_test(test_highmem_46),
		cmocka_unit_test(test_highmem_drift),
		cmocka_unit_test(test_boost),
		cmocka_unit_test(test_wsf_differs),
		cmocka_unit_test(test_min_free_kbytes_default_clamp),
		cmocka_unit_test(test_thp_floor),
		cmocka_unit_test(test_check_setting),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_hostile_zones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
