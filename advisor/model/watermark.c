/* watermark: see watermark.h.  Every formula names the kernel function it
 * reproduces; version boundaries are in docs/watermarks.md. */
#include "watermark.h"

#include "../base/xalloc.h"
#include "sysctl_catalog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SWAP_CLUSTER_MAX 32
/* 4 PiB of 4 KiB pages: larger zone counts are not from a kernel, and the
 * bound keeps every product below in 64 bits */
#define MAX_PAGES (INT64_C(1) << 40)

/* Zone kinds in the kernel's zone-index order (enum zone_type). */
static const enum zone_kind kind_order[] = {ZK_DMA, ZK_DMA32, ZK_NORMAL, ZK_HIGHMEM, ZK_MOVABLE, ZK_DEVICE};
#define NKINDS (sizeof(kind_order) / sizeof(kind_order[0]))

enum wm_thp wm_thp_parse(const char *s)
{
	if (!s)
		return WM_THP_UNKNOWN;
	/* sysfs prints every mode and brackets the selected one */
	const char *b = strchr(s, '[');
	const char *w = b ? b + 1 : s;
	while (*w == ' ' || *w == '\t')
		w++;
	if (!strncmp(w, "always", 6))
		return WM_THP_ALWAYS;
	if (!strncmp(w, "madvise", 7))
		return WM_THP_MADVISE;
	if (!strncmp(w, "never", 5))
		return WM_THP_NEVER;
	return WM_THP_UNKNOWN;
}

const char *wm_thp_name(enum wm_thp t)
{
	switch (t) {
	case WM_THP_ALWAYS: return "always";
	case WM_THP_MADVISE: return "madvise";
	case WM_THP_NEVER: return "never";
	case WM_THP_UNKNOWN: break;
	}
	return "-";
}

const char *wm_branch_name(enum wm_branch b)
{
	switch (b) {
	case WM_BR_MIN4: return "min/4";
	case WM_BR_WSF: return "wsf";
	case WM_BR_PRE46: return "pre-4.6";
	case WM_BR_NONE: break;
	}
	return "none";
}

const char *wm_expl_name(enum wm_expl e)
{
	static const char *const n[] = {"exact", "boost", "managed-drift", "vendor-kernel",
					 "wsf-differs", "unknown", "unchecked"};
	return (unsigned)e < sizeof(n) / sizeof(n[0]) ? n[e] : "unknown";
}

uint64_t wm_int_sqrt(uint64_t x)
{
	/* bit-by-bit like lib/math/int_sqrt.c: exact floor, no floating point */
	uint64_t r = 0, b = UINT64_C(1) << 62;
	while (b > x)
		b >>= 2;
	while (b) {
		if (x >= r + b) {
			x -= r + b;
			r = (r >> 1) + b;
		} else {
			r >>= 1;
		}
		b >>= 2;
	}
	return r;
}

int64_t wm_mult_frac(int64_t x, int64_t n, int64_t d)
{
	/* include/linux/math.h mult_frac(): exact floor(x*n/d) without overflow */
	int64_t q = x / d, r = x % d;
	return q * n + r * n / d;
}

int64_t wm_default_min_free_kbytes(int64_t lowmem_kbytes, int64_t clamp_max)
{
	/* calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes * 16), clamped */
	int64_t v = lowmem_kbytes > 0 ? (int64_t)wm_int_sqrt((uint64_t)lowmem_kbytes * 16) : 0;
	if (v < 128)
		v = 128;
	if (v > clamp_max)
		v = clamp_max;
	return v;
}

static bool has_kind_populated(const struct zone *zones, size_t n, enum zone_kind k)
{
	for (size_t i = 0; i < n; i++) {
		if (zone_kind_of(zones[i].name) == k && zone_pages(&zones[i]) > 0)
			return true;
	}
	return false;
}

/* Inference for captures without a kernel release: the zoneinfo format and
 * the watermark shape date the kernel (lower bounds, conservative ranges). */
static int64_t infer_kver(const struct zone *zones, size_t n, bool have_wsf, const char **why)
{
	bool promo = false, boost = false, nomanaged = false, empty_movable32 = false;
	int fits_pre46 = 0, fits_46 = 0;
	for (size_t i = 0; i < n; i++) {
		const struct zone *z = &zones[i];
		enum zone_kind k = zone_kind_of(z->name);
		if (z->promo != ZONE_ABSENT)
			promo = true;
		if (z->boost != ZONE_ABSENT)
			boost = true;
		if (z->managed == ZONE_ABSENT)
			nomanaged = true;
		if (k == ZK_MOVABLE && z->min == 32 && (z->managed == 0 || z->present == 0))
			empty_movable32 = true;
		if (k > ZK_NORMAL || z->min == ZONE_ABSENT || z->low == ZONE_ABSENT ||
		    z->high == ZONE_ABSENT || z->min < 8)
			continue;
		int64_t b = z->boost > 0 ? z->boost : 0, m = z->min - b;
		int64_t d1 = z->low - z->min, d2 = z->high - z->low;
		/* only zones where the two shapes differ tell them apart */
		if ((m >> 1) - (m >> 2) == (m >> 2))
			continue;
		if (d1 == (m >> 2) && z->high - z->min == (m >> 1))
			fits_pre46++;
		else if (d1 == d2)
			fits_46++;
	}
	bool highmem = has_kind_populated(zones, n, ZK_HIGHMEM);
	if (promo && empty_movable32 && !highmem) {
		*why = "promo line and a clamped empty Movable zone (6.2+)";
		return KVER(6, 2, 0);
	}
	if (promo) {
		*why = "promo line (5.18+)";
		return KVER(5, 18, 0);
	}
	if (boost) {
		*why = "boost line (5.14+)";
		return KVER(5, 14, 0);
	}
	if (have_wsf) {
		*why = "watermark_scale_factor exists (4.6+)";
		return KVER(4, 6, 0);
	}
	if (nomanaged) {
		*why = "no managed line (before 3.8)";
		return KVER(3, 2, 0);
	}
	if (fits_pre46 && !fits_46) {
		*why = "low/high follow min + min/4, min + min/2 (before 4.6)";
		return KVER(4, 5, 0);
	}
	*why = "no version evidence: assumed 4.6+ arithmetic";
	return KVER(4, 6, 0);
}

void wm_kernel_of(int64_t kver, const struct zone *zones, size_t nzones, bool have_wsf,
		  struct wm_kernel *k)
{
	memset(k, 0, sizeof(*k));
	k->kver = kver;
	k->why = "host.kernel_version";
	if (kver <= 0) {
		k->kver = infer_kver(zones, nzones, have_wsf, &k->why);
		k->inferred = true;
	}
	int64_t v = k->kver;
	k->old_highmem = v < KVER(2, 6, 20);
	k->pre46 = v < KVER(4, 6, 0);
	k->promo = v >= KVER(5, 18, 0);
	/* ZONE_MOVABLE is highmem when it was carved out of HighMem
	 * (zone_movable_is_highmem(), 32-bit); 6.2 treats it so everywhere */
	k->movable_clamped = v >= KVER(6, 2, 0) || has_kind_populated(zones, nzones, ZK_HIGHMEM);
	k->clear_empty_reserve = v >= KVER(5, 9, 0);
	k->clamp_max = v >= KVER(5, 7, 0) ? 262144 : 65536;
	/* The legal range lives in the sysctl catalog; an inferred kernel gets
	 * the range every 4.6+ kernel accepts. */
	const struct sysctl_def *wsf = sysctl_def_of(SC_WATERMARK_SCALE_FACTOR);
	int64_t lo;
	if (!sysctl_applicable(wsf, v))
		k->wsf_max = 0;
	else
		sysctl_legal_range(wsf, k->inferred ? -1 : v, &lo, &k->wsf_max);
}

int wm_check_setting(const struct wm_kernel *k, const char *key, int64_t v, char *msg, size_t msglen)
{
	if (!strncmp(key, "vm.", 3))
		key += 3;
	enum sysctl_id id;
	if (!strcmp(key, "min_free_kbytes"))
		id = SC_MIN_FREE_KBYTES;
	else if (!strcmp(key, "watermark_scale_factor"))
		id = SC_WATERMARK_SCALE_FACTOR;
	else {
		snprintf(msg, msglen, "unknown setting '%s': use vm.min_free_kbytes or vm.watermark_scale_factor",
			 key);
		return -ENOENT;
	}
	/* The ranges are the sysctl catalog's (explain and recommend read the
	 * same table); an inferred kernel gets the range every kernel accepts. */
	const struct sysctl_def *sc = sysctl_def_of(id);
	int64_t kv = k->inferred ? -1 : k->kver, lo, hi;
	if (!sysctl_applicable(sc, k->kver)) {
		snprintf(msg, msglen, "%s does not exist before Linux %lld.%lld (this kernel: %lld.%lld)", sc->name,
			 (long long)kver_major(sc->since), (long long)kver_minor(sc->since),
			 (long long)kver_major(k->kver), (long long)kver_minor(k->kver));
		return -ERANGE;
	}
	sysctl_legal_range(sc, kv, &lo, &hi);
	if (v < lo || v > hi) {
		snprintf(msg, msglen, "%s=%lld is out of range: must be %lld..%lld on %s", sc->name, (long long)v,
			 (long long)lo, (long long)hi, k->inferred ? "a kernel of unknown version" : "this kernel");
		return -ERANGE;
	}
	return 0;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
	return a >= 0 ? (a + b - 1) / b : a / b;
}

/* ceil(a * b / c) for non-negative a, b and positive c, without overflow
 * (saturated at INT64_MAX) */
static int64_t ceil_muldiv(int64_t a, int64_t b, int64_t c)
{
	unsigned __int128 p = (unsigned __int128)(uint64_t)a * (uint64_t)b;
	p = (p + (uint64_t)c - 1) / (uint64_t)c;
	return p > INT64_MAX ? INT64_MAX : (int64_t)p;
}

/* pages -> kB (PAGE_SHIFT - 10 as a product: works for negative sums too) */
static int64_t pages_kb(const struct wm_model *m, int64_t pages)
{
	return pages * (m->p.page_size / 1024);
}

/* __setup_per_zone_wmarks() for one zone. */
int64_t wm_zone_gap46(const struct wm_zone *w, int64_t wsf)
{
	int64_t q = w->share >> 2;
	int64_t s = wm_mult_frac(w->pages, wsf, 10000);
	return q > s ? q : s;
}

static void predict_zone(const struct wm_model *m, struct wm_zone *w)
{
	const struct wm_kernel *k = &m->k;
	unsigned __int128 prod = (unsigned __int128)(uint64_t)m->pages_min * (uint64_t)w->pages;
	w->share = m->t.lowmem_pages > 0 ? (int64_t)(prod / (uint64_t)m->t.lowmem_pages) : 0;
	/* HighMem (and Movable where clamped) serve no __GFP_HIGH/PF_MEMALLOC
	 * requests: a small fixed min, SWAP_CLUSTER_MAX..128 pages */
	int64_t min = w->clamped ? clamp64(w->pages / 1024, SWAP_CLUSTER_MAX, 128) : w->share;
	w->pred.min = min;
	w->pred.promo = ZONE_ABSENT;
	if (k->old_highmem) {
		/* 2.6.1x: zone->pages_low = pages_min*5/4, pages_high = pages_min*6/4 */
		w->delta = min * 5 / 4 - min;
		w->pred.low = min * 5 / 4;
		w->pred.high = min * 6 / 4;
		w->branch = w->pages ? WM_BR_PRE46 : WM_BR_NONE;
	} else if (k->pre46) {
		/* before 795ae7a0de6b (4.6): low = min + tmp/4, high = min + tmp/2,
		 * tmp being the proportional share even for HighMem */
		w->delta = w->share >> 2;
		w->pred.low = min + (w->share >> 2);
		w->pred.high = min + (w->share >> 1);
		w->branch = w->pages ? WM_BR_PRE46 : WM_BR_NONE;
	} else {
		int64_t q = w->share >> 2;
		int64_t s = wm_mult_frac(w->pages, m->p.wsf, 10000);
		w->delta = wm_zone_gap46(w, m->p.wsf);
		w->pred.low = min + w->delta;
		w->pred.high = w->pred.low + w->delta;
		if (k->promo)
			w->pred.promo = w->pred.high + w->delta;
		w->branch = w->pages == 0 ? WM_BR_NONE : s > q ? WM_BR_WSF : WM_BR_MIN4;
	}
}

/* Zone indices for lowmem_reserve[]: the kinds printed anywhere, in kernel
 * order, padded at the top (kernels before 4.12 print populated zones only,
 * and the unprinted ones are the empty top zones). */
static void assign_zidx(struct wm_model *m)
{
	bool seen[NKINDS] = {false};
	unsigned nprot = 0;
	for (size_t i = 0; i < m->nzones; i++) {
		const struct wm_zone *w = &m->zones[i];
		if (w->z->nprotection > nprot)
			nprot = w->z->nprotection;
		for (size_t k = 0; k < NKINDS; k++)
			if (kind_order[k] == w->kind)
				seen[k] = true;
		if (w->kind == ZK_OTHER)
			return; /* unknown zone name: leave every zidx -1 */
	}
	int idx[NKINDS], n = 0;
	for (size_t k = 0; k < NKINDS; k++)
		idx[k] = seen[k] ? n++ : -1;
	if (nprot && (unsigned)n > nprot)
		return;
	for (size_t i = 0; i < m->nzones; i++)
		for (size_t k = 0; k < NKINDS; k++)
			if (kind_order[k] == m->zones[i].kind)
				m->zones[i].zidx = idx[k];
}

/* setup_per_zone_lowmem_reserve(): zone i keeps, against a request whose
 * highest zone is j, (managed of zones i+1..j on its node) / ratio[i]. */
static void predict_protection(struct wm_model *m)
{
	unsigned nprot = 0;
	for (size_t i = 0; i < m->nzones; i++)
		if (m->zones[i].z->nprotection > nprot)
			nprot = m->zones[i].z->nprotection;
	if (!m->p.nlrr)
		return;
	for (size_t i = 0; i < m->nzones; i++) {
		struct wm_zone *w = &m->zones[i];
		if (w->zidx < 0)
			continue;
		unsigned n = nprot ? nprot : (unsigned)w->zidx + 1;
		if (n > ZONE_MAX_PROTECTION)
			n = ZONE_MAX_PROTECTION;
		int64_t ratio = (unsigned)w->zidx < m->p.nlrr ? m->p.lrr[w->zidx] : 0;
		bool clear = ratio < 1 || (m->k.clear_empty_reserve && w->pages == 0);
		for (unsigned j = 0; j < n; j++) {
			int64_t sum = 0;
			if ((int)j > w->zidx)
				for (size_t o = 0; o < m->nzones; o++) {
					const struct wm_zone *u = &m->zones[o];
					if (u->z->node == w->z->node && u->zidx > w->zidx && u->zidx <= (int)j)
						sum += u->pages;
				}
			w->prot[j] = (int)j <= w->zidx || clear ? 0 : sum / ratio;
		}
		w->nprot = n;
	}
}

/* calculate_totalreserve_pages(): high plus the largest protection, at most managed. */
static int64_t zone_reserve(const struct wm_zone *w, int64_t high, const int64_t *prot, unsigned nprot)
{
	int64_t mx = 0;
	for (unsigned j = w->zidx > 0 ? (unsigned)w->zidx : 0; j < nprot; j++)
		if (prot[j] > mx)
			mx = prot[j];
	int64_t r = high + mx;
	return r > w->pages ? w->pages : r;
}

struct wm_marks wm_zone_now(const struct wm_zone *w)
{
	if (!w->observed)
		return w->pred;
	struct wm_marks b = w->obs;
	b.min -= w->boost;
	b.low -= w->boost;
	b.high -= w->boost;
	if (b.promo != ZONE_ABSENT)
		b.promo -= w->boost;
	return b;
}

static bool marks_equal(const struct wm_marks *a, const struct wm_marks *b)
{
	if (a->min != b->min || a->low != b->low || a->high != b->high)
		return false;
	if (a->promo != ZONE_ABSENT && b->promo != ZONE_ABSENT && a->promo != b->promo)
		return false;
	return true;
}

/* The watermark scale factors that give gap `delta` on `pages`: [lo, hi], empty when lo > hi. */
static void wsf_range(int64_t delta, int64_t pages, int64_t *lo, int64_t *hi)
{
	*lo = ceil_div(delta * 10000, pages);
	*hi = ((delta + 1) * 10000 - 1) / pages;
}

/* Managed values that give gap `delta` at wsf: [lo, hi]. */
static void managed_range(int64_t delta, int64_t wsf, int64_t *lo, int64_t *hi)
{
	*lo = ceil_div(delta * 10000, wsf);
	*hi = ceil_div((delta + 1) * 10000, wsf) - 1;
}

/* Pageblock size for boost checks: from hpage_pmd_size, else 2 MiB (x86-64
 * and arm64 with 4 KiB pages; others print the boost line or never boost). */
static int64_t boost_pageblock(const struct wm_model *m)
{
	if (m->pageblock_pages > 0)
		return m->pageblock_pages;
	int64_t pb = (INT64_C(2) << 20) / m->p.page_size;
	return pb > 0 ? pb : 1;
}

/* floor(a * b / c) for non-negative a, b and positive c, without overflow
 * (saturated at INT64_MAX - 1, so that adding 1 stays in range) */
static int64_t floor_muldiv(int64_t a, int64_t b, int64_t c)
{
	unsigned __int128 p = (unsigned __int128)(uint64_t)a * (uint64_t)b / (uint64_t)c;
	return p >= INT64_MAX ? INT64_MAX - 1 : (int64_t)p;
}

/* One lowmem zone in the managed-drift solver: managed now, the printed
 * share (min - boost, -1 when not printed) and the range [lo, hi] of its
 * managed when the kernel computed the watermarks. */
struct dz {
	size_t i;      /* index in m->zones */
	int64_t M, b, lo, hi;
	bool gap_ok;   /* the printed gap fits the branch arithmetic: it bounds lo/hi */
};

/* What a zone's printed gap says about its managed Mt at computation time:
 * wsf branch, gap = mult_frac(Mt, wsf, 10000): Mt is one of 10000/wsf
 * values; min/4 branch, gap = share >> 2: the wsf term did not exceed it,
 * an upper bound on Mt.  False when the gap fits neither (or the values
 * are not watermarks); then it bounds nothing. */
static bool gap_bounds(const struct wm_model *m, const struct wm_zone *w, int64_t *glo, int64_t *ghi)
{
	int64_t b = w->obs.min - w->boost, d1 = w->obs.low - w->obs.min, d2 = w->obs.high - w->obs.low;
	int64_t q = b >> 2;
	*glo = 0;
	*ghi = w->pages;
	if (b < 0 || d1 < 0)
		return false;
	if (m->k.pre46)
		return d1 == q && w->obs.high - w->obs.min == (b >> 1);
	if (d1 != d2 || m->p.wsf < 1)
		return false;
	if (d1 == q) {
		int64_t lo, hi;
		managed_range(q, m->p.wsf, &lo, &hi);
		*ghi = hi;
		return true;
	}
	if (d1 > q) {
		managed_range(d1, m->p.wsf, glo, ghi);
		return true;
	}
	return false;
}

/* Interval propagation for the drift solver over lowmem_pages at
 * computation [*A, *B] and each zone's [lo, hi].  Every step removes only
 * values no solution can take, so stopping after a fixed number of rounds
 * leaves a wider but still correct answer.  False when no solution exists. */
static bool drift_propagate(struct dz *z, size_t n, int64_t pm, int64_t *A, int64_t *B)
{
	int64_t a = *A, b = *B;
	for (int round = 0; round < 64; round++) {
		bool ch = false;
		for (size_t i = 0; i < n; i++) {
			struct dz *d = &z[i];
			if (d->b < 0)
				continue;
			/* min = floor(pm Mt / Lt): min Lt <= pm Mt < (min + 1) Lt */
			int64_t lo = ceil_muldiv(d->b, a, pm), hi = ceil_muldiv(d->b + 1, b, pm) - 1;
			if (lo > d->lo) {
				d->lo = lo;
				ch = true;
			}
			if (hi < d->hi) {
				d->hi = hi;
				ch = true;
			}
			if (d->lo > d->hi)
				return false;
			int64_t na = floor_muldiv(pm, d->lo, d->b + 1) + 1;
			int64_t nb = d->b > 0 ? floor_muldiv(pm, d->hi, d->b) : b;
			if (na > a) {
				a = na;
				ch = true;
			}
			if (nb < b) {
				b = nb;
				ch = true;
			}
			if (a > b)
				return false;
		}
		/* lowmem_pages is the sum of the zones */
		int64_t slo = 0, shi = 0;
		for (size_t i = 0; i < n; i++) {
			slo += z[i].lo;
			shi += z[i].hi;
		}
		if (slo > a) {
			a = slo;
			ch = true;
		}
		if (shi < b) {
			b = shi;
			ch = true;
		}
		if (a > b)
			return false;
		for (size_t i = 0; i < n; i++) {
			int64_t lo = a - (shi - z[i].hi), hi = b - (slo - z[i].lo);
			if (lo > z[i].lo) {
				z[i].lo = lo;
				ch = true;
			}
			if (hi < z[i].hi) {
				z[i].hi = hi;
				ch = true;
			}
			if (z[i].lo > z[i].hi)
				return false;
		}
		if (!ch)
			break;
	}
	*A = a;
	*B = b;
	return true;
}

/* Managed drift (kernel-reclaim.md §2.4): the kernel computed the marks at
 * boot, when lowmem zone i had Mt_i <= managed_i pages (late frees only
 * grow managed; the model allows at most 20 %) and lowmem_pages was
 * Lt = sum of Mt_i.  The printed min pins Mt_i / Lt (floor), the gap pins
 * or bounds Mt_i (gap_bounds).  The min alone cannot tell "every zone grew
 * in proportion" from "nothing changed", so the answer is the union over
 * "zone j kept its managed" for each j where that is consistent: the late
 * frees (initrd, kernel init memory) land in one or two zones, not in all.
 * If no zone can have kept its managed, the bounds without that assumption.
 * The union costs one propagation per zone (quadratic); past
 * DRIFT_UNION_MAX_ZONES lowmem zones (no real machine: 1024 nodes have at
 * most ~3000) the bounds without the assumption are kept, which are wider
 * but still hold, so the model stays linear in zones on hostile input.
 * Fills z[].lo/hi and [*A, *B]; false when nothing fits. */
#define DRIFT_UNION_MAX_ZONES 64
static bool drift_solve(struct dz *z, size_t n, int64_t pm, int64_t L, int64_t *A, int64_t *B)
{
	int64_t a = L - L / 5, b = L;
	if (!n || pm <= 0 || !drift_propagate(z, n, pm, &a, &b))
		return false;
	if (n > DRIFT_UNION_MAX_ZONES) {
		*A = a;
		*B = b;
		return true;
	}
	struct dz *s = xcalloc(n, sizeof(*s));
	int64_t *ulo = xcalloc(n, sizeof(*ulo)), *uhi = xcalloc(n, sizeof(*uhi));
	int64_t ua = -1, ub = -1;
	for (size_t j = 0; j < n; j++) {
		if (z[j].b < 0 || z[j].M < z[j].lo || z[j].M > z[j].hi)
			continue;
		memcpy(s, z, n * sizeof(*s));
		s[j].lo = s[j].hi = s[j].M;
		int64_t sa = a, sb = b;
		if (!drift_propagate(s, n, pm, &sa, &sb))
			continue;
		for (size_t i = 0; i < n; i++) {
			if (ua < 0 || s[i].lo < ulo[i])
				ulo[i] = s[i].lo;
			if (ua < 0 || s[i].hi > uhi[i])
				uhi[i] = s[i].hi;
		}
		if (ua < 0 || sa < ua)
			ua = sa;
		if (sb > ub)
			ub = sb;
	}
	if (ua >= 0) {
		for (size_t i = 0; i < n; i++) {
			z[i].lo = ulo[i];
			z[i].hi = uhi[i];
		}
		a = ua;
		b = ub;
	}
	free(s);
	free(ulo);
	free(uhi);
	*A = a;
	*B = b;
	return true;
}

/* Compare printed and predicted values and explain the difference. */
static void explain(struct wm_model *m)
{
	const int64_t pm = m->pages_min;
	/* Global evidence for managed drift: the printed lowmem mins still
	 * add up to pages_min (each floor loses < 1 page), and a lowmem_pages
	 * at computation consistent with every printed min and gap
	 * (drift_solve). */
	int64_t smin = 0, npop = 0;
	bool sum_ok = false;
	for (size_t i = 0; i < m->nzones; i++) {
		struct wm_zone *w = &m->zones[i];
		const struct zone *z = w->z;
		w->observed = z->min != ZONE_ABSENT && z->low != ZONE_ABSENT && z->high != ZONE_ABSENT;
		if (!w->observed)
			continue;
		w->boost = z->boost > 0 ? z->boost : 0;
		w->obs = (struct wm_marks){z->min, z->low, z->high, z->promo};
		if (!w->lowmem || w->pages == 0)
			continue;
		smin += z->min - w->boost;
		npop++;
	}
	if (npop) {
		/* each floor loses less than a page: pages_min was smin..smin+npop-1 */
		m->implied_mfk_lo = pages_kb(m, smin);
		m->implied_mfk_hi = pages_kb(m, smin + npop) - 1;
	}
	if (pm >= 0)
		sum_ok = smin <= pm && smin >= pm - npop;

	/* the drift solver over the populated lowmem zones */
	struct dz *dz = xcalloc(m->nzones, sizeof(*dz));
	size_t nd = 0;
	int64_t *dzof = xcalloc(m->nzones, sizeof(*dzof)); /* zone -> dz index, -1 none */
	for (size_t i = 0; i < m->nzones; i++) {
		const struct wm_zone *w = &m->zones[i];
		dzof[i] = -1;
		if (!w->lowmem || w->pages == 0)
			continue;
		struct dz *d = &dz[nd];
		int64_t glo = 0, ghi = w->pages;
		d->i = i;
		d->M = w->pages;
		d->b = w->observed && w->obs.min - w->boost >= 0 ? w->obs.min - w->boost : -1;
		d->gap_ok = w->observed && gap_bounds(m, w, &glo, &ghi);
		d->lo = w->pages - w->pages / 5;
		d->hi = w->pages;
		if (d->gap_ok && glo <= d->hi && ghi >= d->lo) {
			d->lo = glo > d->lo ? glo : d->lo;
			d->hi = ghi < d->hi ? ghi : d->hi;
		} else {
			d->gap_ok = false;
		}
		dzof[i] = (int64_t)nd++;
	}
	bool solved = sum_ok && (m->k.pre46 || m->p.wsf >= 1) &&
		      drift_solve(dz, nd, pm, m->t.lowmem_pages, &m->drift_lowmem_lo, &m->drift_lowmem_hi);
	if (!solved)
		m->drift_lowmem_lo = m->drift_lowmem_hi = -1;

	for (size_t i = 0; i < m->nzones; i++) {
		struct wm_zone *w = &m->zones[i];
		w->expl = WM_EX_UNCHECKED;
		if (!w->observed) {
			snprintf(w->detail, sizeof(w->detail), "zoneinfo printed no watermarks for this zone");
			continue;
		}
		struct wm_marks base = wm_zone_now(w);
		if (w->predicted && marks_equal(&base, &w->pred)) {
			w->match = true;
			w->expl = w->boost ? WM_EX_BOOST : WM_EX_EXACT;
			if (w->boost)
				snprintf(w->detail, sizeof(w->detail),
					 "matches after subtracting the boost of %lld pages (printed values include it)",
					 (long long)w->boost);
			else
				snprintf(w->detail, sizeof(w->detail), "matches to the page");
			continue;
		}
		/* a boost the kernel did not print (5.0 to ~5.14): every mark
		 * above the prediction by the same amount, and an amount
		 * boost_watermark() can produce: whole pageblocks or the
		 * 150 %-of-high cap, in a zone of at least 4 pageblocks */
		int64_t off = base.min - w->pred.min;
		int64_t pb = boost_pageblock(m);
		const struct sysctl_def *bf = sysctl_def_of(SC_WATERMARK_BOOST_FACTOR);
		bool boostable = !m->k.pre46 && sysctl_applicable(bf, m->k.kver) && w->pages >= 4 * pb && off > 0 &&
				 (off % pb == 0 || off == wm_mult_frac(w->pred.high, bf->def, 10000));
		if (w->predicted && w->z->boost == ZONE_ABSENT && boostable && base.low - w->pred.low == off &&
		    base.high - w->pred.high == off &&
		    (base.promo == ZONE_ABSENT || w->pred.promo == ZONE_ABSENT || base.promo - w->pred.promo == off)) {
			w->match = true;
			w->boost = off;
			w->boost_implied = true;
			w->expl = WM_EX_BOOST;
			snprintf(w->detail, sizeof(w->detail),
				 "matches with a boost of %lld pages that this kernel does not print (min, low and high all %lld above)",
				 (long long)off, (long long)off);
			continue;
		}
		int64_t d1 = base.low - base.min, d2 = base.high - base.low;
		if (base.min < 0 || d1 < 0 || d2 < 0 || base.high > MAX_PAGES) {
			w->expl = WM_EX_UNKNOWN;
			snprintf(w->detail, sizeof(w->detail),
				 "printed values are not watermarks: min - boost = %lld, low - min = %lld, high - low = %lld",
				 (long long)base.min, (long long)d1, (long long)d2);
			continue;
		}
		if (!m->k.pre46 && (d1 != d2 || (base.promo != ZONE_ABSENT && base.promo - base.high != d2))) {
			w->expl = WM_EX_VENDOR;
			w->extra_pages = d1 - d2;
			snprintf(w->detail, sizeof(w->detail),
				 "low-min = %lld but high-low = %lld: low carries %lld extra pages, the out-of-tree extra_free_kbytes of a vendor kernel",
				 (long long)d1, (long long)d2, (long long)(d1 - d2));
			continue;
		}
		if (!w->predicted) {
			/* Without the sysctls the printed values still tell the
			 * branch (and the wsf) of a lowmem zone: its min is its
			 * share, so a gap of min/4 is the min/4 branch. */
			const char *why = pm < 0 ? "min_free_kbytes unknown" : "watermark_scale_factor unknown";
			int64_t q = base.min >> 2;
			if (m->k.pre46 && w->pages > 0) {
				w->branch = WM_BR_PRE46;
				w->branch_observed = true;
				snprintf(w->detail, sizeof(w->detail), "not predicted: %s", why);
			} else if (!w->lowmem || w->pages == 0 || m->k.pre46) {
				snprintf(w->detail, sizeof(w->detail), "not predicted: %s", why);
			} else if (d1 == q) {
				w->branch = WM_BR_MIN4;
				w->branch_observed = true;
				snprintf(w->detail, sizeof(w->detail), "not predicted: %s; the printed gap is min/4", why);
			} else if (d1 > q) {
				int64_t lo, hi;
				wsf_range(d1, w->pages, &lo, &hi);
				w->branch = WM_BR_WSF;
				w->branch_observed = true;
				w->implied_wsf = lo <= hi ? lo : (d1 * 10000 + w->pages / 2) / w->pages;
				snprintf(w->detail, sizeof(w->detail),
					 "not predicted: %s; the printed gap is managed x %lld/10000%s (wsf branch)", why,
					 (long long)w->implied_wsf, lo <= hi ? "" : " (approximately, managed has drifted)");
			} else {
				snprintf(w->detail, sizeof(w->detail), "not predicted: %s; the printed gap is below min/4", why);
			}
			continue;
		}
		w->expl = WM_EX_UNKNOWN;
		if (w->clamped) {
			/* HighMem / clamped Movable: min is clamp(managed/1024) and
			 * says nothing about lowmem, but the gap is share/4 of the
			 * unclamped share, which pins the lowmem_pages the kernel
			 * divided by (this zone's managed taken as unchanged) */
			bool min_ok = base.min == w->pred.min;
			bool wsf_term = !m->k.pre46 && wm_mult_frac(w->pages, m->p.wsf, 10000) >= d1;
			bool shape = m->k.old_highmem || !m->k.pre46 || base.high - base.min == 2 * d1 ||
				     base.high - base.min == 2 * d1 + 1;
			int64_t llo = -1, lhi = -1;
			if (min_ok && shape && !wsf_term && d1 > 0 && !m->k.old_highmem && pm > 0 && w->pages > 0) {
				llo = ceil_muldiv(pm, w->pages, 4 * d1 + 4);
				lhi = (int64_t)((unsigned __int128)(uint64_t)pm * (uint64_t)w->pages / (uint64_t)(4 * d1));
				/* share = floor(pm * M / L) in [4 d1, 4 d1 + 3] */
				if ((unsigned __int128)(uint64_t)pm * (uint64_t)w->pages / (uint64_t)llo > (uint64_t)(4 * d1 + 3))
					llo++;
				if (lhi > m->t.lowmem_pages)
					lhi = m->t.lowmem_pages;
			}
			if (llo > 0 && llo <= lhi && m->t.lowmem_pages - llo <= m->t.lowmem_pages / 5) {
				w->expl = WM_EX_DRIFT;
				w->drift_lo = m->t.lowmem_pages - lhi;
				w->drift_hi = m->t.lowmem_pages - llo;
				snprintf(w->detail, sizeof(w->detail),
					 "gap %lld = share/4 of pages_min over a lowmem of %lld..%lld pages: lowmem grew by %lld..%lld pages after the kernel last computed the watermarks",
					 (long long)d1, (long long)llo, (long long)lhi, (long long)w->drift_lo,
					 (long long)w->drift_hi);
			} else {
				snprintf(w->detail, sizeof(w->detail),
					 "min %lld/low %lld/high %lld do not follow from managed %lld",
					 (long long)base.min, (long long)base.low, (long long)base.high,
					 (long long)w->pages);
			}
			continue;
		}
		int64_t q = base.min >> 2; /* min is the kernel's share, exact (kernel-reclaim.md §2.7) */
		const struct dz *d = dzof[i] >= 0 ? &dz[dzof[i]] : NULL;
		if (solved && d && d->gap_ok) {
			w->expl = WM_EX_DRIFT;
			w->drift_lo = w->pages - d->hi;
			w->drift_hi = w->pages - d->lo;
			if (w->drift_hi == 0)
				snprintf(w->detail, sizeof(w->detail),
					 "managed unchanged; its share of pages_min %lld moved because lowmem grew by %lld..%lld pages (%lld..%lld then, %lld now) after the kernel last computed the watermarks",
					 (long long)pm, (long long)(m->t.lowmem_pages - m->drift_lowmem_hi),
					 (long long)(m->t.lowmem_pages - m->drift_lowmem_lo), (long long)m->drift_lowmem_lo,
					 (long long)m->drift_lowmem_hi, (long long)m->t.lowmem_pages);
			else
				snprintf(w->detail, sizeof(w->detail),
					 "watermarks were computed when managed was %lld..%lld: %lld..%lld pages fewer than now (lowmem %lld..%lld then, %lld now)",
					 (long long)d->lo, (long long)d->hi, (long long)w->drift_lo, (long long)w->drift_hi,
					 (long long)m->drift_lowmem_lo, (long long)m->drift_lowmem_hi,
					 (long long)m->t.lowmem_pages);
			continue;
		}
		if (!m->k.pre46 && d1 > q && w->pages > 0) {
			int64_t lo, hi;
			wsf_range(d1, w->pages, &lo, &hi);
			int64_t imp = lo <= hi ? lo : (d1 * 10000 + w->pages / 2) / w->pages;
			if (imp != m->p.wsf) {
				w->expl = WM_EX_WSF;
				w->implied_wsf = imp;
				snprintf(w->detail, sizeof(w->detail),
					 "gap %lld pages = managed x %lld/10000%s, not the current watermark_scale_factor %lld",
					 (long long)d1, (long long)imp, lo <= hi ? "" : " (approximately)",
					 (long long)m->p.wsf);
				continue;
			}
		}
		if (!sum_ok)
			snprintf(w->detail, sizeof(w->detail),
				 "sum of lowmem min %lld pages does not equal pages_min %lld: min_free_kbytes was ~%lld kB when the watermarks were computed",
				 (long long)smin, (long long)pm, (long long)pages_kb(m, smin));
		else
			snprintf(w->detail, sizeof(w->detail),
				 "printed %lld/%lld/%lld, predicted %lld/%lld/%lld: no known cause",
				 (long long)base.min, (long long)base.low, (long long)base.high,
				 (long long)w->pred.min, (long long)w->pred.low, (long long)w->pred.high);
	}
	free(dzof);
	free(dz);
}

/* set_recommended_min_free_kbytes() (mm/khugepaged.c) with a given
 * pageblock and nr_free_buffer_pages() = freebuf. */
static int64_t thp_rec_kbytes(const struct wm_model *m, int64_t pb, int64_t freebuf)
{
	int64_t rec = 11 * pb * m->nr_thp_zones; /* (2 + MIGRATE_PCPTYPES^2) pageblocks per zone */
	if (rec > freebuf / 20)
		rec = freebuf / 20; /* never more than 5 % of lowmem */
	return pages_kb(m, rec);
}

/* The one home of THP's min_free_kbytes: the value khugepaged set at boot
 * with pageblock pb.  It capped it at 5 % of nr_free_buffer_pages() as it
 * was then (m->boot_free_pages), not as it is now: a later wsf or
 * min_free_kbytes raises the high marks and shrinks today's free buffer,
 * but the kernel does not recompute its value for that. */
static int64_t thp_kbytes(const struct wm_model *m, int64_t pb)
{
	return thp_rec_kbytes(m, pb, m->boot_free_pages);
}

static void find_origin(struct wm_model *m)
{
	int64_t mfk = m->p.min_free_kbytes;
	if (mfk < 0)
		return;
	if (mfk == m->default_kbytes) {
		m->origin = "kernel-default";
		snprintf(m->origin_detail, sizeof(m->origin_detail),
			 "int_sqrt(lowmem kB x 16) = %lld kB, clamped to 128..%lld", (long long)m->default_kbytes,
			 (long long)m->k.clamp_max);
		return;
	}
	/* THP's value: the pageblock size is known from hpage_pmd_size, or
	 * tried among the sizes kernels use (2 MiB x86/arm64, 1 MiB s390,
	 * 4 MiB arm32, 32 MiB arm64/16K, 512 MiB arm64/64K) */
	int64_t cands[6] = {0}, nc = 0;
	if (m->pageblock_pages > 0) {
		cands[nc++] = m->pageblock_pages;
	} else if (m->p.page_size == 65536) {
		cands[nc++] = 8192; /* arm64 64K: 512 MiB */
	} else if (m->p.page_size == 16384) {
		cands[nc++] = 2048; /* arm64 16K: 32 MiB */
	} else if (m->p.page_size == 4096) {
		/* a DMA32 zone means x86-64 (2 MiB); else arm64, s390 (1 MiB)
		 * or arm32 without hugetlb (MAX_ORDER-1: 4 MiB) */
		bool dma32 = false;
		for (size_t i = 0; i < m->nzones; i++)
			dma32 |= m->zones[i].kind == ZK_DMA32;
		cands[nc++] = 512;
		if (!dma32) {
			cands[nc++] = 256;
			cands[nc++] = 1024;
		}
	}
	for (int64_t i = 0; i < nc; i++) {
		int64_t full = pages_kb(m, 11 * cands[i] * m->nr_thp_zones);
		int64_t capped = thp_kbytes(m, cands[i]);
		/* capped: managed was a little smaller at boot (initmem freed
		 * later), so the kernel's value may be a little below ours; never
		 * above the cap with no high marks at all */
		int64_t most = thp_rec_kbytes(m, cands[i], m->buffer_pages);
		if (mfk == full || (capped < full && mfk <= most && mfk >= capped - capped / 7)) {
			m->origin = "thp";
			snprintf(m->origin_detail, sizeof(m->origin_detail),
				 mfk == full ? "11 x %lld-page pageblocks x %d zones = %lld kB (khugepaged)%s"
					     : "11 x %lld-page pageblocks x %d zones capped at 5%% of lowmem (~%lld kB now; managed grew since)%s",
				 (long long)cands[i], m->nr_thp_zones, (long long)(mfk == full ? full : capped),
				 m->p.thp == WM_THP_NEVER ? "; THP is now off but the raised value stays before 5.16" : "");
			return;
		}
	}
	/* the default computed at boot, when managed was a little smaller */
	int64_t lowkb = pages_kb(m, m->buffer_pages);
	int64_t lo = wm_default_min_free_kbytes(lowkb - lowkb / 20, m->k.clamp_max);
	if (mfk >= lo && mfk < m->default_kbytes) {
		m->origin = "kernel-default";
		snprintf(m->origin_detail, sizeof(m->origin_detail),
			 "int_sqrt(lowmem kB x 16) at boot, when lowmem was up to 5%% smaller (now it gives %lld kB)",
			 (long long)m->default_kbytes);
		return;
	}
	m->origin = "administrator";
	snprintf(m->origin_detail, sizeof(m->origin_detail),
		 "neither the kernel default (%lld kB) nor THP's value", (long long)m->default_kbytes);
}

static int64_t boot_free_buffer_pages(const struct zone *zones, size_t nzones, const struct wm_model *m);

/* boot_pass: the model of the boot-time marks (boot_free_buffer_pages),
 * which needs no boot pass of its own. */
static int compute(const struct zone *zones, size_t nzones, const struct wm_params *p, struct wm_model *m,
		   struct diag_list *d, bool boot_pass)
{
	if (!nzones || p->page_size < 1024 || p->page_size > (1 << 20) || (p->page_size & (p->page_size - 1))) {
		if (d)
			diag_add(d, DIAG_ERROR, "watermarks", 0, 0,
				 nzones ? "page size %lld is not a power of two in 1 KiB..1 MiB" : "no zones to model",
				 (long long)p->page_size);
		return -EINVAL;
	}
	for (size_t i = 0; i < nzones; i++)
		if (zones[i].managed > MAX_PAGES || zones[i].present > MAX_PAGES) {
			if (d)
				diag_add(d, DIAG_ERROR, "watermarks", 0, 0,
					 "node %d zone %s: %lld pages is not a zone size", zones[i].node,
					 zones[i].name ? zones[i].name : "?",
					 (long long)(zones[i].managed > MAX_PAGES ? zones[i].managed : zones[i].present));
			return -ERANGE;
		}
	/* both sysctls are C ints in the kernel; anything larger is not a value it could hold */
	if (p->min_free_kbytes > INT32_MAX || p->wsf > INT32_MAX) {
		if (d)
			diag_add(d, DIAG_ERROR, "watermarks", 0, 0,
				 "min_free_kbytes %lld or watermark_scale_factor %lld does not fit the kernel's int",
				 (long long)p->min_free_kbytes, (long long)p->wsf);
		return -ERANGE;
	}
	memset(m, 0, sizeof(*m));
	m->p = *p;
	int shift = 0;
	while ((INT64_C(1) << shift) < p->page_size)
		shift++;
	m->page_shift = shift;
	wm_kernel_of(p->kver, zones, nzones, p->wsf >= 0, &m->k);
	m->zones = xcalloc(nzones, sizeof(*m->zones));
	m->nzones = nzones;
	m->largest = (size_t)-1;
	m->wsf_breakeven = -1;
	m->thp_floor_kbytes = -1;
	m->thp_lower_kbytes = -1;
	m->pages_min = p->min_free_kbytes >= 0 ? p->min_free_kbytes >> (shift - 10) : -1;
	m->implied_mfk_lo = m->implied_mfk_hi = -1;

	for (size_t i = 0; i < nzones; i++) {
		struct wm_zone *w = &m->zones[i];
		w->z = &zones[i];
		w->kind = zone_kind_of(zones[i].name);
		/* before 3.8 there is no managed count and the kernel used present */
		w->pages = zone_pages(&zones[i]);
		w->clamped = w->kind == ZK_HIGHMEM || (w->kind == ZK_MOVABLE && m->k.movable_clamped);
		w->lowmem = !w->clamped;
		w->zidx = -1;
		if (w->lowmem)
			m->t.lowmem_pages += w->pages;
		if (w->pages > 0)
			m->t.populated++;
		/* nr_free_buffer_pages(): zones up to ZONE_NORMAL; high is 0 at boot */
		if (w->kind <= ZK_NORMAL || w->kind == ZK_OTHER)
			m->buffer_pages += w->pages;
		int64_t present = zones[i].present >= 0 ? zones[i].present : w->pages;
		/* khugepaged counts populated zones up to ZONE_NORMAL (Movable and
		 * HighMem skipped since ~4.13); before, every populated zone */
		bool thpzone = m->k.kver >= KVER(4, 13, 0) ? (w->kind <= ZK_NORMAL || w->kind == ZK_OTHER) : true;
		if (present > 0 && thpzone)
			m->nr_thp_zones++;
		if (w->lowmem && w->pages > 0 && (m->largest == (size_t)-1 || w->pages > m->zones[m->largest].pages))
			m->largest = i;
	}
	m->default_kbytes = wm_default_min_free_kbytes(pages_kb(m, m->buffer_pages), m->k.clamp_max);
	m->cap_kbytes = pages_kb(m, m->t.lowmem_pages) / 20;
	/* The pageblock the kernel uses: pagetypeinfo prints pageblock_order
	 * itself (it differs from the PMD size with CONFIG_HUGETLB_PAGE_SIZE_VARIABLE
	 * or on arm64 64 KiB pages, 512 MiB PMDs); else the PMD size. */
	if (p->pageblock_order > 0 && p->pageblock_order < 31)
		m->pageblock_pages = INT64_C(1) << p->pageblock_order;
	else if (p->hpage_pmd_size >= p->page_size && p->hpage_pmd_size > 0)
		m->pageblock_pages = p->hpage_pmd_size / p->page_size;

	bool can = m->pages_min >= 0 && (m->k.pre46 || p->wsf >= 1);
	for (size_t i = 0; i < nzones; i++) {
		struct wm_zone *w = &m->zones[i];
		if (!can)
			continue;
		w->predicted = true;
		predict_zone(m, w);
	}
	assign_zidx(m);
	predict_protection(m);
	explain(m);

	/* totals */
	m->all_match = true;
	for (size_t i = 0; i < nzones; i++) {
		struct wm_zone *w = &m->zones[i];
		const struct zone *z = w->z;
		const int64_t *prot = z->nprotection ? z->protection : w->prot;
		unsigned nprot = z->nprotection ? z->nprotection : w->nprot;
		if (w->observed) {
			m->t.observed++;
			if (!w->match)
				m->all_match = false;
			if (w->lowmem)
				m->t.gap_pages += w->obs.low - w->obs.min;
			if (w->pages > 0) {
				m->t.reserve_pages += w->obs.min - w->boost;
				m->t.high_pages += w->obs.high - w->boost;
			}
			m->t.boost_pages += w->boost;
			m->t.totalreserve_pages += zone_reserve(w, w->obs.high - w->boost, prot, nprot);
		}
		if (w->predicted) {
			if (w->lowmem) {
				m->t.pred_gap_pages += w->pred.low - w->pred.min;
				m->t.min4_gap_pages += w->share >> 2;
			}
			if (w->pages > 0) {
				m->t.pred_reserve_pages += w->pred.min;
				m->t.pred_high_pages += w->pred.high;
			}
			m->t.pred_totalreserve_pages += zone_reserve(w, w->pred.high, prot, nprot);
		}
	}
	if (!m->t.observed)
		m->all_match = false;

	if (m->largest != (size_t)-1 && m->zones[m->largest].predicted && !m->k.pre46) {
		const struct wm_zone *w = &m->zones[m->largest];
		/* smallest wsf with floor(pages*wsf/10000) > share/4 */
		m->wsf_breakeven = ceil_div(((w->share >> 2) + 1) * 10000, w->pages);
	}
	m->boot_free_pages = boot_pass ? m->buffer_pages : boot_free_buffer_pages(zones, nzones, m);
	if ((p->thp == WM_THP_MADVISE || p->thp == WM_THP_ALWAYS) && m->pageblock_pages > 0)
		m->thp_floor_kbytes = thp_kbytes(m, m->pageblock_pages);
	/* what the kernel sets by itself: init_per_zone_wmark_min's sqrt
	 * default, raised by khugepaged (it only raises) while THP is on */
	m->kernel_kbytes = m->thp_floor_kbytes > m->default_kbytes ? m->thp_floor_kbytes : m->default_kbytes;
	m->thp_lower_kbytes = -1;
	if (m->thp_floor_kbytes >= 0) {
		/* set_recommended_min_free_kbytes() adds two parts per zone <= Normal:
		 * 2 pageblocks "to assist fragmentation avoidance" (kept free for a
		 * hugepage allocation) and MIGRATE_PCPTYPES^2 = 9 that keep pageblocks
		 * almost free of another type.  Advice that goes under the floor
		 * (the latency profile) keeps the first part, never goes below the
		 * kernel's sqrt default, and never below 1 MiB (vm.rst: PF_MEMALLOC) */
		int64_t two = 2 * m->pageblock_pages * m->nr_thp_zones;
		if (two > m->boot_free_pages / 20)
			two = m->boot_free_pages / 20; /* the kernel's own 5 % cap */
		int64_t lo = pages_kb(m, two);
		if (lo < m->default_kbytes)
			lo = m->default_kbytes;
		if (lo < 1024)
			lo = 1024;
		m->thp_lower_kbytes = lo < m->thp_floor_kbytes ? lo : m->thp_floor_kbytes;
	}
	find_origin(m);
	return 0;
}

bool wm_params_equal(const struct wm_params *a, const struct wm_params *b)
{
	if (a->kver != b->kver || a->page_size != b->page_size || a->min_free_kbytes != b->min_free_kbytes ||
	    a->wsf != b->wsf || a->thp != b->thp || a->hpage_pmd_size != b->hpage_pmd_size ||
	    a->pageblock_order != b->pageblock_order || a->nlrr != b->nlrr)
		return false;
	for (unsigned i = 0; i < a->nlrr && i < ZONE_MAX_PROTECTION; i++)
		if (a->lrr[i] != b->lrr[i])
			return false;
	return true;
}

int wm_model_compute(const struct zone *zones, size_t nzones, const struct wm_params *p,
		     struct wm_model *m, struct diag_list *d)
{
	return compute(zones, nzones, p, m, d, false);
}

/* nr_free_buffer_pages() when khugepaged set THP's value: hugepage_init is
 * a subsys_initcall, after init_per_zone_wmark_min (postcore), so the
 * zones up to Normal less the high marks the kernel's own min_free_kbytes
 * and the default watermark_scale_factor (10) give.  Without a prediction
 * (wsf unknown on 4.6+), the managed pages themselves (no high marks). */
static int64_t boot_free_buffer_pages(const struct zone *zones, size_t nzones, const struct wm_model *m)
{
	struct wm_params bp = m->p;
	bp.min_free_kbytes = m->default_kbytes;
	if (!m->k.pre46 && bp.wsf >= 0)
		bp.wsf = sysctl_def_of(SC_WATERMARK_SCALE_FACTOR)->def;
	struct wm_model bm;
	int64_t free = m->buffer_pages;
	if (compute(zones, nzones, &bp, &bm, NULL, true) == 0) {
		free = 0;
		for (size_t i = 0; i < bm.nzones; i++) {
			const struct wm_zone *w = &bm.zones[i];
			if (!(w->kind <= ZK_NORMAL || w->kind == ZK_OTHER))
				continue;
			int64_t high = w->predicted ? w->pred.high : 0;
			free += w->pages > high ? w->pages - high : 0;
		}
	}
	wm_model_free(&bm);
	return free;
}

void wm_model_free(struct wm_model *m)
{
	if (!m)
		return;
	free(m->zones);
	memset(m, 0, sizeof(*m));
}
