/* watermark: the kernel's per-zone watermark arithmetic, as pure functions.
 *
 * Reproduces, to the page, what the kernel computes in
 * calculate_min_free_kbytes(), set_recommended_min_free_kbytes() (THP),
 * __setup_per_zone_wmarks(), setup_per_zone_lowmem_reserve() and
 * calculate_totalreserve_pages() (mm/page_alloc.c, mm/khugepaged.c), for
 * every kernel generation the captures cover: 2.6.x, pre-4.6
 * (low = min + share/4, high = min + share/2), 4.6-5.17 (gap =
 * max(share/4, managed*wsf/10000)), 5.18+ (promo), ~6.2+ (Movable clamped
 * like HighMem).  See docs/watermarks.md and kernel-reclaim.md §1-3.
 *
 * It then compares the prediction with what zoneinfo printed and explains
 * each difference: "boost" (printed values include watermark_boost),
 * "managed-drift" (the kernel computed the marks when managed was smaller;
 * it does not recompute when init memory or the initrd is freed),
 * "vendor-kernel" (low-min != high-low: the out-of-tree extra_free_kbytes),
 * "wsf-differs" (the gap fits another watermark_scale_factor), "unknown".
 * A match is exact to the page; a drift explanation carries the range of
 * pages each zone may have gained (every value the printed marks allow).
 *
 * No I/O, no globals.  Inputs are borrowed; a struct wm_model owns its zone
 * array (wm_model_free) but borrows the struct zone pointers it was given,
 * so the zones must outlive the model.
 */
#ifndef ADVISOR_WATERMARK_H
#define ADVISOR_WATERMARK_H

#include "../base/diag.h"
#include "../base/kver.h"
#include "../collect/host.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum wm_thp { WM_THP_UNKNOWN, WM_THP_NEVER, WM_THP_MADVISE, WM_THP_ALWAYS };

/* "always [madvise] never" or a bare "madvise" -> the selected mode. */
enum wm_thp wm_thp_parse(const char *s);
/* The mode as sysfs names it ("always", "madvise", "never"; "-" unknown). */
const char *wm_thp_name(enum wm_thp t);

struct wm_params {
	int64_t kver;            /* KVER(); 0 = unknown: inferred from the zones */
	int64_t page_size;       /* bytes, a power of two >= 1024 (required) */
	int64_t min_free_kbytes; /* -1 = unknown: nothing is predicted */
	int64_t wsf;             /* watermark_scale_factor, -1 = unknown (4.6+: gaps not predicted) */
	enum wm_thp thp;
	int64_t hpage_pmd_size;  /* bytes, 0 = unknown (THP floor then not computed) */
	int64_t pageblock_order; /* /proc/pagetypeinfo's "Page block order", 0 = unknown:
				  * then hpage_pmd_size / page_size */
	int64_t lrr[ZONE_MAX_PROTECTION]; /* lowmem_reserve_ratio by zone index */
	unsigned nlrr;           /* 0 = unknown: protection not predicted */
};

/* What the kernel generation changes.  Version boundaries that the
 * reference marks approximate are noted in docs/watermarks.md. */
struct wm_kernel {
	int64_t kver;           /* as given, or the generation inferred */
	bool inferred;          /* kver was 0: guessed from zoneinfo / sysctls */
	const char *why;        /* what the guess was based on (static string) */
	bool old_highmem;       /* < 2.6.20: HighMem low/high from the clamped min (min*5/4, min*6/4) */
	bool pre46;             /* < 4.6: low = min + share/4, high = min + share/2 */
	bool promo;             /* >= 5.18: WMARK_PROMO */
	bool movable_clamped;   /* >= 6.2, or Movable carved from HighMem (32-bit) */
	bool clear_empty_reserve; /* >= 5.9: an empty zone gets no lowmem_reserve */
	int64_t clamp_max;      /* calculate_min_free_kbytes upper clamp: 65536 (< 5.7) or 262144 */
	int64_t wsf_max;        /* the sysctl catalog's maximum on this kernel, 0 = no such sysctl (< 4.6) */
};

/* Fill k for kver (0 = infer from zones and whether the wsf sysctl exists). */
void wm_kernel_of(int64_t kver, const struct zone *zones, size_t nzones, bool have_wsf,
		  struct wm_kernel *k);

struct wm_marks {
	int64_t min, low, high, promo; /* pages; promo is ZONE_ABSENT before 5.18 */
};

enum wm_branch { WM_BR_NONE, WM_BR_MIN4, WM_BR_WSF, WM_BR_PRE46 };
/* "none" (empty zone), "min/4", "wsf", "pre-4.6" */
const char *wm_branch_name(enum wm_branch b);

enum wm_expl {
	WM_EX_EXACT,       /* printed == predicted, no boost */
	WM_EX_BOOST,       /* matches after subtracting boost (printed or implied) */
	WM_EX_DRIFT,       /* managed-drift */
	WM_EX_VENDOR,      /* vendor-kernel */
	WM_EX_WSF,         /* wsf-differs */
	WM_EX_UNKNOWN,
	WM_EX_UNCHECKED,   /* nothing printed, or nothing predicted */
};
/* "exact", "boost", "managed-drift", "vendor-kernel", "wsf-differs", "unknown", "unchecked" */
const char *wm_expl_name(enum wm_expl e);

struct wm_zone {
	const struct zone *z;   /* borrowed */
	enum zone_kind kind;
	int64_t pages;          /* managed, or present on kernels without managed (< 3.8) */
	bool lowmem;            /* counted in lowmem_pages (not HighMem, not clamped Movable) */
	bool clamped;           /* min = clamp(pages/1024, 32, 128) */
	int zidx;               /* zone index for lowmem_reserve, -1 = unknown */

	/* prediction for the given min_free_kbytes / wsf */
	bool predicted;         /* false when min_free_kbytes (or wsf on 4.6+) is unknown */
	int64_t share;          /* floor(pages_min * pages / lowmem_pages) */
	int64_t delta;          /* the gap low-min (= high-low = promo-high on 4.6+) */
	enum wm_branch branch;
	struct wm_marks pred;
	int64_t prot[ZONE_MAX_PROTECTION]; /* predicted lowmem_reserve[] */
	unsigned nprot;         /* 0 = not predicted */

	/* comparison with zoneinfo */
	bool observed;          /* zoneinfo printed min, low and high */
	struct wm_marks obs;    /* as printed (boost included) */
	int64_t boost;          /* printed boost, or the boost implied by a uniform offset; 0 if none */
	bool boost_implied;     /* boost line not printed, offset inferred */
	bool branch_observed;   /* not predicted: branch read from the printed gap */
	bool match;             /* exact or boost */
	enum wm_expl expl;
	int64_t drift_lo, drift_hi; /* managed-drift: managed now - managed then, pages (a range that
				     * holds every value the printed marks allow) */
	int64_t implied_wsf;    /* wsf-differs, or the wsf of a printed gap when not predicted; else 0 */
	int64_t extra_pages;    /* vendor-kernel: (low-min) - (high-low) */
	char detail[224];       /* one sentence, for text and JSON */
};

struct wm_totals {
	/* observed, boost excluded; lowmem zones for gap, populated zones otherwise */
	int64_t gap_pages;        /* sum over lowmem zones of low - min */
	int64_t reserve_pages;    /* sum of min - boost */
	int64_t high_pages;       /* sum of high - boost */
	int64_t boost_pages;
	int64_t totalreserve_pages; /* calculate_totalreserve_pages() from observed high and protection */
	/* predicted (valid when the zones are predicted) */
	int64_t pred_gap_pages, pred_reserve_pages, pred_high_pages, pred_totalreserve_pages;
	int64_t min4_gap_pages;   /* sum over lowmem zones of share/4 */
	int64_t lowmem_pages;     /* the divisor of __setup_per_zone_wmarks */
	int populated;            /* zones with pages > 0 */
	int observed;             /* zones with printed min/low/high */
};

struct wm_model {
	struct wm_kernel k;
	struct wm_params p;       /* copy of the inputs (zones excluded) */
	int page_shift;
	int64_t pages_min;        /* min_free_kbytes >> (PAGE_SHIFT - 10), -1 unknown */
	int64_t buffer_pages;     /* boot-time nr_free_buffer_pages(): managed of zones <= Normal */
	int64_t default_kbytes;   /* calculate_min_free_kbytes() at boot */
	int64_t pageblock_pages;  /* hpage_pmd_size / page_size, 0 unknown */
	int nr_thp_zones;         /* populated zones <= Normal, all nodes */
	int64_t boot_free_pages;  /* nr_free_buffer_pages() when khugepaged set its value at boot */
	int64_t thp_floor_kbytes; /* set_recommended_min_free_kbytes() at boot, -1 = THP off or unknown */
	int64_t kernel_kbytes;    /* what the kernel sets by itself: max(default_kbytes, thp_floor_kbytes);
				   * the one home of kernel.default.min_free_kbytes */
	int64_t thp_lower_kbytes; /* the lowest min_free_kbytes advice may set under the THP floor (the
				   * latency profile): max(1024, default_kbytes, the floor's two free
				   * pageblocks per zone); -1 when thp_floor_kbytes is */
	const char *origin;       /* "kernel-default", "thp", "administrator", NULL = unknown */
	char origin_detail[160];
	int64_t cap_kbytes;       /* the advisor's bound: 5 % of lowmem managed (not a kernel limit) */
	size_t largest;           /* index of the lowmem zone with most pages, (size_t)-1 none */
	int64_t wsf_breakeven;    /* smallest wsf putting that zone in the wsf branch, -1 unknown */
	bool all_match;           /* every observed zone exact or boost */
	/* min_free_kbytes the printed lowmem mins add up to (each share loses
	 * < 1 page to the floor): [lo, hi] kB, -1 when no zone printed one */
	int64_t implied_mfk_lo, implied_mfk_hi;
	/* managed-drift: lowmem_pages when the kernel last computed the marks,
	 * [lo, hi] consistent with every printed min and gap; -1 when the
	 * printed values do not fit a drift (see docs/watermarks.md) */
	int64_t drift_lowmem_lo, drift_lowmem_hi;
	struct wm_totals t;
	struct wm_zone *zones;    /* owned, same order as the input */
	size_t nzones;
};

/* a and b describe the same model inputs (every field; lrr up to nlrr):
 * a model computed with one serves for the other (the zones aside). */
bool wm_params_equal(const struct wm_params *a, const struct wm_params *b);

/* Compute the model.  Returns 0, or -EINVAL (page size not a power of two
 * >= 1024, nzones == 0) with an error appended to d (may be NULL).
 * On success *m is owned by the caller (wm_model_free). */
int wm_model_compute(const struct zone *zones, size_t nzones, const struct wm_params *p,
		     struct wm_model *m, struct diag_list *d);
void wm_model_free(struct wm_model *m);

/* Legal values of the sysctls for kernel k: 0 when v is accepted, else
 * -ERANGE and msg holds the range ("... must be 1..1000 on this kernel").
 * key is "vm.min_free_kbytes" or "vm.watermark_scale_factor" (with or
 * without "vm."); an unknown key is -ENOENT. */
int wm_check_setting(const struct wm_kernel *k, const char *key, int64_t v, char *msg,
		     size_t msglen);

/* The marks the kernel holds for w now, boost excluded: the printed ones
 * minus boost when zoneinfo printed them, else the predicted ones. */
struct wm_marks wm_zone_now(const struct wm_zone *w);

/* Pure helpers, exposed for tests and other modules. */
uint64_t wm_int_sqrt(uint64_t x);                                   /* floor(sqrt(x)) */
int64_t wm_mult_frac(int64_t x, int64_t n, int64_t d);              /* the kernel's mult_frac */
/* The low-min gap (pages) zone w of a 4.6+ model would have at
 * watermark_scale_factor wsf, all else as modelled: max(share/4,
 * mult_frac(managed, wsf, 10000)) (__setup_per_zone_wmarks()).  The model's
 * own prediction uses it, so "what would another wsf give" needs no second
 * run.  Meaningless for a pre-4.6 model (no wsf term). */
int64_t wm_zone_gap46(const struct wm_zone *w, int64_t wsf);
int64_t wm_default_min_free_kbytes(int64_t lowmem_kbytes, int64_t clamp_max);

#endif
