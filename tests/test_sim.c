/* Tests of the what-if simulator on synthetic histories whose answer is
 * known.
 *
 * A "true host" below (truth_run) is an independent millisecond-step
 * replay of a bursty workload on the zone layout of a real 1 GiB QEMU
 * guest (fixtures/qemu/6.1-1g-thp-wsf200/before: DMA + DMA32, THP floor
 * min_free_kbytes 45056, wsf 10, so the gap is min/4): background page
 * cache growth, anonymous bursts that are freed later, kswapd reclaiming at
 * a fixed rate from low to high after a reaction delay, direct reclaim in
 * fixed batches below min.  It samples its counters every second into a
 * struct history, exactly as `record` would.  The simulator only sees the
 * samples: it must infer kswapd's rate, the batch size and the burst rate,
 * reproduce the observed stalls, and choose settings with which the true
 * host itself stalls (almost) no more.
 */
#include "testutil.h"

#include "collect/parse.h"
#include "history/history.h"
#include "model/watermark.h"
#include "sim/sim.h"
#include "sim/sim_facts.h"
#include "sim/sim_joint.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIX "fixtures/qemu/6.1-1g-thp-wsf200/before/proc/zoneinfo"
/* the THP-never guest of the effectiveness benchmark: min_free_kbytes 3934 (the sqrt default), wsf 10 */
#define FIX_NEVER "fixtures/histories/6.1-thp-never-record2/end/proc/zoneinfo"

static const char *const keys[] = {"pgalloc_dma",    "pgalloc_dma32",  "allocstall_dma32", "pgfree",
				   "pgsteal_kswapd", "pgsteal_direct", "pgscan_kswapd",    "pgscan_direct",
				   "pageoutrun"};
enum { K_ADMA, K_ADMA32, K_STALL, K_FREE, K_SK, K_SD, K_SCK, K_SCD, K_RUNS, NK };

struct truth {
	double kswapd;   /* pages/s */
	double burst;    /* pages/s while a burst allocates */
	double size;     /* pages per burst */
	double period;   /* s between bursts */
	double hold;     /* s a burst's pages are held before they are freed */
	double bg;       /* background page-cache growth, pages/s */
	double batch;    /* pages per direct-reclaim entry */
	double span;     /* s */
	bool psi;        /* record PSI "some" (kswapd's running time) */
	double starve_period, starve_at, starve_len; /* kswapd gets no CPU from starve_at for starve_len s of
						     * every starve_period s (0: never) */
	double sample;   /* s between samples (0: 1 s) */
	bool runs;       /* record pageoutrun (kswapd's wakeups; absent otherwise) */
};

/* A history layout on the zones of zoneinfo capture fix, recorded with
 * min_free_kbytes mfk and THP mode thp, wsf 10, no samples yet. */
static void base_history_at(struct history *h, const char *fix, int64_t mfk, enum wm_thp thp)
{
	memset(h, 0, sizeof(*h));
	size_t n;
	char *zi = tu_read(fix, &n);
	struct diag_list d = {0};
	assert_int_equal(zoneinfo_parse(zi, n, fix, &h->zi, &d), 0);
	free(zi);
	h->form = HIST_RECORD;
	h->origin = strdup("synthetic");
	h->p.kver = KVER(6, 1, 0);
	h->p.page_size = 4096;
	h->p.min_free_kbytes = mfk;
	h->p.wsf = 10;
	h->p.thp = thp;
	h->p.hpage_pmd_size = 2 << 20;
	int64_t lrr[] = {256, 256, 32, 0, 0};
	memcpy(h->p.lrr, lrr, sizeof(lrr));
	h->p.nlrr = 5;
	h->interval_ns = 1000000000;
	h->nvm = NK;
	h->vm = calloc(NK, sizeof(char *));
	for (int i = 0; i < NK; i++)
		h->vm[i] = strdup(keys[i]);
}

static void base_history(struct history *h)
{
	base_history_at(h, FIX, 45056, WM_THP_ALWAYS);
}

static size_t zone_index(const struct history *h, const char *name)
{
	for (size_t z = 0; z < h->zi.nzones; z++)
		if (!strcmp(h->zi.zones[z].name, name))
			return z;
	fail_msg("no zone %s", name);
	return 0;
}

/* The true host with DMA32 marks (min, low, high).  With h, its samples go
 * into h (a history prepared by base_history); returns the direct-reclaim
 * entries. */
static uint64_t truth_run(const struct truth *t, double min, double low, double high, struct history *h)
{
	const double step = 0.001;
	double f = high, c[NK] = {0}, psi_some = 0;
	bool awake = false, begun = false;
	double wake_at = 0;
	uint64_t entries = 0;
	long every = t->sample > 0 ? lround(t->sample / step) : 1000;
	size_t nsamples = (size_t)(t->span / (every * step)) + 2, dma32 = 0, dma = 0;
	if (h) {
		h->n = 0;
		h->t_ns = calloc(nsamples, sizeof(int64_t));
		h->seq = calloc(nsamples, sizeof(uint64_t));
		h->val = calloc(nsamples * hist_stride(h), sizeof(int64_t));
		dma32 = zone_index(h, "DMA32");
		dma = zone_index(h, "DMA");
	}
	long steps = lround(t->span / step);
	for (long i = 0; i <= steps; i++) {
		double now = i * step;
		if (h && i % every == 0) {
			int64_t *row = h->val + h->n * hist_stride(h);
			for (int k = 0; k < NK; k++)
				row[k] = (int64_t)llround(c[k]);
			if (!t->runs)
				row[K_RUNS] = HIST_ABSENT;
			for (size_t z = 0; z < h->zi.nzones; z++)
				row[NK + z] = z == dma32 ? (int64_t)llround(f) : z == dma ? 3808 : 0;
			row[NK + h->zi.nzones] = t->psi ? (int64_t)llround(psi_some * 1e6) : HIST_ABSENT;
			row[NK + h->zi.nzones + 1] = HIST_ABSENT;
			h->t_ns[h->n] = (int64_t)i * 1000000;
			h->seq[h->n] = h->n;
			h->n++;
		}
		/* demand: background growth, a burst at the start of each period, its free after hold */
		double phase = fmod(now, t->period), alloc = t->bg * step, freed = 0;
		double burst_len = t->size / t->burst;
		if (phase < burst_len)
			alloc += t->burst * step;
		if (phase >= t->hold && phase < t->hold + 0.05 && now >= t->hold)
			freed = t->size * step / 0.05;
		f += freed - alloc;
		c[K_ADMA32] += alloc;
		c[K_FREE] += freed;
		if (!awake && f < low) {
			awake = true;
			wake_at = now + 0.002;
			begun = false;
		}
		double sp = t->starve_period > 0 ? fmod(now, t->starve_period) : -1;
		bool starved = sp >= t->starve_at && sp < t->starve_at + t->starve_len;
		if (awake && now >= wake_at && !starved) {
			if (!begun) /* pageoutrun counts balance_pgdat() runs as they begin */
				c[K_RUNS] += 1;
			begun = true;
			double got = t->kswapd * step;
			if (f + got >= high) {
				got = high - f > 0 ? high - f : 0;
				awake = false;
			}
			f += got;
			psi_some += step;
			c[K_SK] += got;
			c[K_SCK] += got * 1.25;
			c[K_FREE] += got;
		}
		while (f < min) {
			entries++;
			f += t->batch;
			c[K_STALL] += 1;
			c[K_SD] += t->batch;
			c[K_SCD] += t->batch * 2;
			c[K_FREE] += t->batch;
		}
	}
	return entries;
}

/* DMA32's marks for a setting, as the kernel computes them (the model). */
static void marks_for(const struct history *h, int64_t mfk, int64_t wsf, double *mn, double *lo, double *hi)
{
	struct wm_params p = h->p;
	p.min_free_kbytes = mfk;
	p.wsf = wsf;
	struct wm_model m;
	assert_int_equal(wm_model_compute(h->zi.zones, h->zi.nzones, &p, &m, NULL), 0);
	size_t z = zone_index(h, "DMA32");
	*mn = (double)m.zones[z].pred.min;
	*lo = (double)m.zones[z].pred.low;
	*hi = (double)m.zones[z].pred.high;
	wm_model_free(&m);
}

static const struct truth bursty = {
	.kswapd = 8000,      /* 31 MiB/s: slow enough to run whole seconds after a burst */
	.burst = 200000,     /* 781 MiB/s */
	.size = 12000,       /* 47 MiB */
	.period = 10,
	.hold = 4,
	.bg = 1500,
	.batch = 48,
	.span = 1200,
	.psi = true,
};

/* The whole chain on the bursty host: inference, calibration, choice, and
 * the choice checked on the true host. */
static void test_bursty_known_answer(void **state)
{
	(void)state;
	struct history h;
	base_history(&h);
	double mn, lo, hi;
	marks_for(&h, 45056, 10, &mn, &lo, &hi);
	uint64_t truth_cur = truth_run(&bursty, mn, lo, hi, &h);
	assert_true(truth_cur > 100); /* the defaults stall: the test means something */

	struct sim_opts o = {.target_pct = 1, .search = true};
	struct sim_result r;
	struct diag_list d = {0};
	assert_int_equal(sim_run(&h, &o, &r, &d), 0);
	assert_int_equal(r.samples, h.n);
	assert_int_equal(r.obs_entries, truth_cur);
	/* inferred from counters alone */
	assert_float_equal(r.kswapd_rate, bursty.kswapd, bursty.kswapd * 0.02);
	assert_float_equal(r.pages_per_stall, bursty.batch, 0.5);
	assert_string_equal(r.zones, "0/DMA32");
	/* the current settings reproduce the observed count (calibration) */
	const struct sim_candidate *cur = &r.c[0], *ch = &r.c[r.chosen];
	assert_int_equal(cur->s.min_free_kbytes, 45056);
	assert_int_equal(cur->s.wsf, 10);
	double ratio = (double)cur->pred.direct_entries / (double)truth_cur;
	assert_true(ratio > 0.8 && ratio < 1.25);
	/* the chosen setting, applied to the true host, removes >= 95 % of the stalls */
	assert_true(r.target_met);
	assert_true(ch->held_high > cur->held_high);
	marks_for(&h, ch->s.min_free_kbytes, ch->s.wsf, &mn, &lo, &hi);
	uint64_t truth_ch = truth_run(&bursty, mn, lo, hi, NULL);
	assert_true(truth_ch * 20 <= truth_cur);
	/* ... and it is not wasteful: the true host's own smallest wsf at this
	 * min_free_kbytes that does as well is at most 2x smaller */
	int64_t need = 0;
	for (int64_t w = 10; w <= 3000; w += 5) {
		marks_for(&h, ch->s.min_free_kbytes, w, &mn, &lo, &hi);
		if (truth_run(&bursty, mn, lo, hi, NULL) * 100 <= truth_cur) {
			need = w;
			break;
		}
	}
	assert_true(need > 0);
	assert_true(ch->s.wsf <= 2 * need + 5);
	assert_true(ch->s.wsf * 2 >= need);
	assert_true(r.bursts >= 100);
	/* the replay stalls where the host did: the choice is the replay's */
	assert_true(r.timing_agreement >= 0.9);
	assert_false(r.sized_to_budget);
	sim_result_free(&r);
	diag_list_clear(&d);
	hist_free(&h);
}

/* A host whose kswapd is fast enough for every burst but gets no CPU for
 * 2.5 s halfway between them (as on the QEMU guests, where it shares two
 * vCPUs with the workload), sampled every 0.1 s: its stalls come in the
 * starved spells, under background growth alone.  A replay with one kswapd rate can match their number only
 * with a slower kswapd that stalls at the bursts instead: the count is
 * right, the times are not, and the curve over wider settings is no
 * evidence.  The choice is then the memory budget's edge, and says so. */
static void test_starved_kswapd_sized_to_budget(void **state)
{
	(void)state;
	struct history h;
	base_history(&h);
	struct truth t = bursty;
	t.kswapd = 150000; /* 586 MiB/s: keeps up with every burst ... */
	t.burst = 120000; /* ... of 469 MiB/s */
	h.interval_ns = 100000000;
	t.bg = 3000;
	t.hold = 1e9;     /* never freed: kswapd makes all the room */
	t.starve_period = 10;
	t.starve_at = 5;
	t.starve_len = 2.5;
	t.sample = 0.1;
	t.span = 600;
	double mn, lo, hi;
	marks_for(&h, 45056, 10, &mn, &lo, &hi);
	uint64_t truth_cur = truth_run(&t, mn, lo, hi, &h);
	assert_true(truth_cur > 100);
	struct truth fed = t;
	fed.starve_period = 0;
	assert_int_equal(truth_run(&fed, mn, lo, hi, NULL), 0); /* every stall is a starved spell's */

	struct sim_opts o = {.target_pct = 1, .search = true};
	struct sim_result r;
	struct diag_list d = {0};
	assert_int_equal(sim_run(&h, &o, &r, &d), 0);
	const struct sim_candidate *cur = &r.c[0], *ch = &r.c[r.chosen];
	double ratio = (double)cur->pred.direct_entries / (double)truth_cur;
	print_message("starved kswapd: %llu stalls, replay %llu, timing %.2f, chosen wsf %lld\n",
		      (unsigned long long)truth_cur, (unsigned long long)cur->pred.direct_entries, r.timing_agreement,
		      (long long)ch->s.wsf);
	assert_true(ratio > 0.5 && ratio < 2); /* the count is matched ... */
	assert_true(r.timing_agreement >= 0 && r.timing_agreement < 0.5); /* ... with other events */
	assert_true(r.sized_to_budget);
	assert_false(r.target_met);
	assert_non_null(strstr(r.note, "limit: the memory budget"));
	assert_true(ch->held_high <= r.budget_high);
	marks_for(&h, ch->s.min_free_kbytes, ch->s.wsf, &mn, &lo, &hi);
	assert_true(truth_run(&t, mn, lo, hi, NULL) * 20 <= truth_cur); /* the true host: >= 95 % fewer */
	/* the edge: one more wsf would not fit the budget */
	struct sim_settings more = {ch->s.min_free_kbytes, ch->s.wsf + 1, -1};
	struct sim_opts o2 = {.target_pct = 1, .given = &more, .ngiven = 1};
	struct sim_result r2;
	assert_int_equal(sim_run(&h, &o2, &r2, &d), 0);
	assert_true(r2.c[1].held_high > r.budget_high);
	sim_result_free(&r2);
	sim_result_free(&r);
	diag_list_clear(&d);
	hist_free(&h);
}

/* A host whose kswapd loses the CPU for 2.5 s in the middle of its run
 * after each burst, with its runs recorded (pageoutrun, as every history
 * since `record` has them): in the starved spell kswapd is awake (it
 * scanned, no new run begins) with free below low and steals nothing, so
 * the history measures its share there (0), and the replay gives it that
 * share at that time under every candidate: the replay then reproduces
 * more of the host's stalls, at their times, than the same samples without
 * pageoutrun do, and the choice cuts the true host's stalls by >= 95 %. */
static void test_starved_kswapd_replayed(void **state)
{
	(void)state;
	struct history h;
	base_history(&h);
	struct truth t = bursty;
	t.kswapd = 150000;
	t.burst = 120000;
	h.interval_ns = 100000000;
	t.bg = 3000;
	t.hold = 1e9;
	t.starve_period = 10;
	t.starve_at = 0.03; /* in the burst, which lasts 0.1 s */
	t.starve_len = 2.5;
	t.sample = 0.1;
	t.span = 600;
	t.runs = true;
	double mn, lo, hi;
	marks_for(&h, 45056, 10, &mn, &lo, &hi);
	uint64_t truth_cur = truth_run(&t, mn, lo, hi, &h);
	assert_true(truth_cur > 100);

	struct sim_opts o = {.target_pct = 1, .search = true};
	struct sim_result r;
	struct diag_list d = {0};
	assert_int_equal(sim_run(&h, &o, &r, &d), 0);
	const struct sim_candidate *cur = &r.c[0], *ch = &r.c[r.chosen];
	print_message("starved kswapd, wakeups recorded: %u intervals measured (mean share %.2f), kswapd %.0f, "
		      "%llu stalls, replay %llu, timing %.2f, chosen wsf %lld\n",
		      r.kswapd_measured_intervals, r.kswapd_mean_availability, r.kswapd_rate,
		      (unsigned long long)truth_cur, (unsigned long long)cur->pred.direct_entries, r.timing_agreement,
		      (long long)ch->s.wsf);
	assert_true(r.kswapd_measured_intervals >= 60 * 10);
	assert_true(r.kswapd_mean_availability >= 0 && r.kswapd_mean_availability < 0.1);
	assert_float_equal(r.kswapd_rate, t.kswapd, t.kswapd * 0.25);
	/* the burst is spread over its sample, so part of the first starved
	 * interval's deficit is lost: within issue 12's 2x, at the host's times */
	double ratio = (double)cur->pred.direct_entries / (double)truth_cur;
	assert_true(ratio > 0.5 && ratio < 2);
	assert_true(r.timing_agreement >= 0.5);
	marks_for(&h, ch->s.min_free_kbytes, ch->s.wsf, &mn, &lo, &hi);
	assert_true(truth_run(&t, mn, lo, hi, NULL) * 20 <= truth_cur);
	/* without the runs recorded the same samples give a constant-rate
	 * replay, which misses more of the host's stalls */
	struct truth blind = t;
	blind.runs = false;
	struct history h2;
	base_history(&h2);
	h2.interval_ns = h.interval_ns;
	truth_run(&blind, 0, 0, 0, NULL);
	marks_for(&h2, 45056, 10, &mn, &lo, &hi);
	truth_run(&blind, mn, lo, hi, &h2);
	struct sim_result r2;
	assert_int_equal(sim_run(&h2, &o, &r2, &d), 0);
	print_message("the same without pageoutrun: kswapd %.0f, %u intervals measured, replay %llu, timing %.2f\n",
		      r2.kswapd_rate, r2.kswapd_measured_intervals, (unsigned long long)r2.c[0].pred.direct_entries,
		      r2.timing_agreement);
	assert_int_equal(r2.kswapd_measured_intervals, 0);
	assert_true(r2.c[0].pred.direct_entries < cur->pred.direct_entries); /* further from the host's */
	sim_result_free(&r2);
	hist_free(&h2);
	sim_result_free(&r);
	diag_list_clear(&d);
	hist_free(&h);
}

/* Without PSI kswapd's running time is unknown: its capacity comes from
 * whole intervals only and is underestimated (it never ran a whole second
 * here).  The estimate stays a lower bound, the calibration absorbs part of
 * it, and the choice still removes most of the true host's stalls, at more
 * memory than needed: a shorter --interval or PSI makes it exact. */
static void test_bursty_without_psi(void **state)
{
	(void)state;
	struct history h;
	base_history(&h);
	struct truth t = bursty;
	t.psi = false;
	double mn, lo, hi;
	marks_for(&h, 45056, 10, &mn, &lo, &hi);
	uint64_t truth_cur = truth_run(&t, mn, lo, hi, &h);
	struct sim_opts o = {.target_pct = 1, .search = true};
	struct sim_result r;
	struct diag_list d = {0};
	assert_int_equal(sim_run(&h, &o, &r, &d), 0);
	assert_true(r.kswapd_rate <= t.kswapd * 1.001);
	assert_true(r.kswapd_rate >= t.kswapd * 0.7);
	const struct sim_candidate *ch = &r.c[r.chosen];
	marks_for(&h, ch->s.min_free_kbytes, ch->s.wsf, &mn, &lo, &hi);
	uint64_t truth_ch = truth_run(&t, mn, lo, hi, NULL);
	print_message("without PSI: kswapd %.0f, chosen wsf %lld, true stalls %llu -> %llu\n", r.kswapd_rate,
		      (long long)ch->s.wsf, (unsigned long long)truth_cur, (unsigned long long)truth_ch);
	assert_true(truth_ch * 10 <= truth_cur);
	sim_result_free(&r);
	diag_list_clear(&d);
	hist_free(&h);
}

/* No pressure at all: nothing is predicted, the current settings stay. */
static void test_idle(void **state)
{
	(void)state;
	struct history h;
	base_history(&h);
	struct truth idle = {.kswapd = 8000, .burst = 1000, .size = 0, .period = 10, .hold = 4, .bg = 0,
			     .batch = 32, .span = 120};
	double mn, lo, hi;
	marks_for(&h, 45056, 10, &mn, &lo, &hi);
	assert_int_equal(truth_run(&idle, mn, lo, hi, &h), 0);
	struct sim_opts o = {.target_pct = 1, .search = true};
	struct sim_result r;
	struct diag_list d = {0};
	assert_int_equal(sim_run(&h, &o, &r, &d), 0);
	assert_int_equal(r.chosen, 0);
	assert_int_equal(r.c[0].pred.direct_entries, 0);
	assert_int_equal(r.obs_entries, 0);
	assert_string_equal(r.confidence, "low");
	assert_non_null(strstr(r.note, "nothing to size"));
	assert_float_equal(r.pages_per_stall, 32, 0); /* SWAP_CLUSTER_MAX when it never stalled */
	sim_result_free(&r);
	diag_list_clear(&d);
	hist_free(&h);
}

/* ---- a host whose bursts outlast the sampling interval, with boost ------ */

/* The second true host: anonymous bursts allocated at a steady rate for
 * longer than the 0.25 s sampling interval (as the QEMU benchmark's
 * bursters do), freed at once after a hold; kswapd slower than a burst;
 * the watermark boost as mm/page_alloc.c and mm/vmscan.c do it: an event
 * every 1/lambda pages allocated while free < high adds a pageblock
 * (up to factor/10000 of high) and wakes kswapd, which balances to
 * high + boost and then takes off the boost it started with; direct reclaim
 * below min + boost.  Each sample records free pages and the boost. */
struct truth2 {
	double kswapd, rate, size, period, hold, bg, batch, span, lambda, factor;
};

static uint64_t truth2_run(const struct truth2 *t, double min, double low, double high, struct history *h)
{
	const double step = 0.001, pb = 512;
	double f = high, c[NK] = {0}, b = 0, b_run = 0, got_run = 0, ev = 0, cap = high * t->factor / 10000;
	bool awake = false;
	double wake_at = 0;
	uint64_t entries = 0;
	size_t nsamples = (size_t)(t->span * 4) + 1, dma32 = 0, dma = 0;
	if (cap < pb)
		cap = t->factor > 0 ? pb : 0;
	if (h) {
		h->n = 0;
		h->t_ns = calloc(nsamples, sizeof(int64_t));
		h->seq = calloc(nsamples, sizeof(uint64_t));
		h->val = calloc(nsamples * hist_stride(h), sizeof(int64_t));
		h->interval_ns = 250000000;
		h->boost_factor = (int64_t)t->factor;
		dma32 = zone_index(h, "DMA32");
		dma = zone_index(h, "DMA");
	}
	long steps = lround(t->span / step);
	for (long i = 0; i <= steps; i++) {
		double now = i * step;
		if (h && i % 250 == 0) {
			int64_t *row = h->val + h->n * hist_stride(h);
			for (int k = 0; k < NK; k++)
				row[k] = (int64_t)llround(c[k]);
			row[K_RUNS] = HIST_ABSENT; /* not recorded here */
			for (size_t z = 0; z < h->zi.nzones; z++) {
				row[NK + z] = z == dma32 ? (int64_t)llround(f) : z == dma ? 3808 : 0;
				row[hist_boost_col(h, z)] = z == dma32 ? (int64_t)llround(b) : 0;
			}
			row[NK + h->zi.nzones] = HIST_ABSENT;
			row[NK + h->zi.nzones + 1] = HIST_ABSENT;
			h->t_ns[h->n] = (int64_t)i * 1000000;
			h->seq[h->n] = h->n;
			h->n++;
		}
		double phase = fmod(now, t->period), alloc = t->bg * step, freed = 0;
		double len = t->size / t->rate;
		if (phase < len)
			alloc += t->rate * step;
		if (phase >= len + t->hold && phase < len + t->hold + step && now > len)
			freed = t->size;
		f += freed - alloc;
		c[K_ADMA32] += alloc;
		c[K_FREE] += freed;
		if (cap > 0 && f < high) {
			ev += alloc * t->lambda;
			while (ev >= 1) {
				ev -= 1;
				b = b + pb < cap ? b + pb : cap;
				if (!awake) {
					awake = true;
					wake_at = now + 0.002;
					b_run = b;
					got_run = 0;
				}
			}
		}
		if (!awake && f < low + b) {
			awake = true;
			wake_at = now + 0.002;
			b_run = b;
			got_run = 0;
		}
		if (awake && now >= wake_at) {
			double got = t->kswapd * step, need = high + b - f;
			if (b_run - got_run > need)
				need = b_run - got_run;
			if (got >= need) {
				got = need > 0 ? need : 0;
				b = b > b_run ? b - b_run : 0;
				awake = false;
			}
			f += got;
			got_run += got;
			c[K_SK] += got;
			c[K_SCK] += got * 1.25;
			c[K_FREE] += got;
		}
		while (f < min + b) {
			entries++;
			f += t->batch;
			c[K_STALL] += 1;
			c[K_SD] += t->batch;
			c[K_SCD] += t->batch * 2;
			c[K_FREE] += t->batch;
		}
	}
	return entries;
}

static const struct truth2 long_bursts = {
	.kswapd = 25000,  /* 98 MiB/s, slower than a burst */
	.rate = 40000,    /* 156 MiB/s for 0.4 s: 62 MiB */
	.size = 16000,
	.period = 1.0,
	.hold = 0.3,
	.bg = 3000,
	.batch = 48,
	.span = 600,
	.lambda = 2e-4,   /* a boost event per 5000 pages allocated near the marks */
	.factor = 15000,
};

/* Fitted on the defaults' history alone: kswapd's rate and the boost event
 * rate recovered, the stalls reproduced, and predictions for other wsf
 * within the bound of what the true host does with them; the
 * choice removes >= 95 % of the true host's stalls within the budget. */
static void test_long_bursts_with_boost(void **state)
{
	(void)state;
	struct history h;
	base_history(&h);
	double mn, lo, hi;
	marks_for(&h, 45056, 10, &mn, &lo, &hi);
	uint64_t truth_cur = truth2_run(&long_bursts, mn, lo, hi, &h);
	assert_true(truth_cur > 1000);
	static const int64_t wsfs[] = {50, 100, 150, 200, 300};
	struct sim_settings set[5];
	for (int i = 0; i < 5; i++)
		set[i] = (struct sim_settings){45056, wsfs[i], -1};
	struct sim_opts o = {.target_pct = 1, .given = set, .ngiven = 5, .search = true};
	struct sim_result r;
	struct diag_list d = {0};
	assert_int_equal(sim_run(&h, &o, &r, &d), 0);
	assert_string_equal(r.regime, "spread");
	print_message("kswapd %.0f (true %.0f), boost events per page %.2g (true %.2g)\n", r.kswapd_rate, long_bursts.kswapd, r.boost_events_per_page, long_bursts.lambda);
	assert_true(r.kswapd_rate > long_bursts.kswapd * 0.6 && r.kswapd_rate < long_bursts.kswapd * 1.2);
	assert_true(r.boost_modelled);
	assert_true(r.boost_events_per_page > long_bursts.lambda / 2 && r.boost_events_per_page < long_bursts.lambda * 2);
	double ratio = (double)r.c[0].pred.direct_entries / (double)truth_cur;
	assert_true(ratio > 0.8 && ratio < 1.25);
	for (int i = 0; i < 5; i++) {
		marks_for(&h, 45056, wsfs[i], &mn, &lo, &hi);
		uint64_t t = truth2_run(&long_bursts, mn, lo, hi, NULL), p = r.c[1 + i].pred.direct_entries;
		print_message("wsf %lld: true %llu, predicted %llu\n", (long long)wsfs[i], (unsigned long long)t,
			      (unsigned long long)p);
		if (wsfs[i] <= 200)
			assert_true((p > t ? p - t : t - p) <= 10 || (p * 2 >= t && p <= 2 * t));
		else
			/* a known limit, kept visible: spreading a burst that
			 * straddles two intervals over both makes the fitted kswapd
			 * rate ~25 % low, and here the true host is at the edge
			 * (its deepest dip just clears min at wsf 300): the replay
			 * stays pessimistic, never optimistic */
			assert_true(p >= t);
	}
	/* the pessimism above keeps the target unmet within the budget, so the
	 * most headroom the budget allows is chosen: it is enough */
	const struct sim_candidate *ch = &r.c[r.chosen];
	assert_true(ch->held_high <= r.budget_high);
	marks_for(&h, ch->s.min_free_kbytes, ch->s.wsf, &mn, &lo, &hi);
	uint64_t truth_ch = truth2_run(&long_bursts, mn, lo, hi, NULL);
	print_message("chosen wsf %lld: true stalls %llu -> %llu\n", (long long)ch->s.wsf,
		      (unsigned long long)truth_cur, (unsigned long long)truth_ch);
	assert_true(truth_ch * 20 <= truth_cur);
	/* boosting off (--set vm.watermark_boost_factor=0) predicts fewer stalls than on */
	struct sim_settings off = {45056, 10, 0};
	struct sim_opts o2 = {.target_pct = 1, .given = &off, .ngiven = 1, .search = false};
	struct sim_result r2;
	assert_int_equal(sim_run(&h, &o2, &r2, &d), 0);
	assert_true(r2.c[1].pred.direct_entries < r2.c[0].pred.direct_entries);
	sim_result_free(&r2);
	sim_result_free(&r);
	diag_list_clear(&d);
	hist_free(&h);
}

/* Boosting off as a search dimension.  A THP-never host (the benchmark
 * guest's zones, min_free_kbytes 3934) with long bursts and frequent
 * boost events: the boost is up to factor/10000 of high and lifts min, so
 * the wider the buffer, the larger the boosts that make it stall.  The
 * search replays every setting with the boost off too and takes the
 * smaller Σ high: boost 0 at a narrower wsf.  Known answer: on the true
 * host the smallest wsf meeting the target is smaller with the boost off
 * than kept, and the choice (boost off) removes >= 99 % of its stalls.
 * With THP always the same history is not searched with the boost off
 * (its cost, pageblocks for huge pages, is not replayed). */
static const struct truth2 boosty = {
	.kswapd = 25000, .rate = 40000, .size = 16000, .period = 1.0, .hold = 0.3, .bg = 3000, .batch = 48,
	.span = 600, .lambda = 1e-3, .factor = 15000,
};

/* The true host's smallest wsf (steps of 10) at min_free_kbytes mfk
 * with at most max stalls. */
static int64_t true_need(const struct history *h, const struct truth2 *t, int64_t mfk, uint64_t max)
{
	for (int64_t w = 10; w <= 1000; w += 10) {
		double mn, lo, hi;
		marks_for(h, mfk, w, &mn, &lo, &hi);
		if (truth2_run(t, mn, lo, hi, NULL) <= max)
			return w;
	}
	return -1;
}

static void test_boost_off_searched(void **state)
{
	(void)state;
	struct history h;
	base_history_at(&h, FIX_NEVER, 3934, WM_THP_NEVER);
	double mn, lo, hi;
	marks_for(&h, 3934, 10, &mn, &lo, &hi);
	uint64_t truth_cur = truth2_run(&boosty, mn, lo, hi, &h);
	struct sim_opts o = {.target_pct = 1, .search = true};
	struct sim_result r;
	struct diag_list d = {0};
	assert_int_equal(sim_run(&h, &o, &r, &d), 0);
	assert_true(r.boost_searched);
	assert_true(r.boost_sysctl);
	const struct sim_candidate *ch = &r.c[r.chosen];
	struct truth2 off = boosty;
	off.factor = 0;
	int64_t need_kept = true_need(&h, &boosty, 3934, truth_cur / 100),
		need_off = true_need(&h, &off, 3934, truth_cur / 100);
	print_message("chosen wsf %lld boost %lld, Σ high %lld pages (boost kept: %lld); the true host needs wsf %lld "
		      "kept, %lld off\n",
		      (long long)ch->s.wsf, (long long)sim_boost_of(&r, ch), (long long)ch->held_high,
		      (long long)r.kept_boost_high, (long long)need_kept, (long long)need_off);
	assert_true(need_off > 0 && need_kept > need_off);
	assert_true(r.target_met);
	assert_int_equal(sim_boost_of(&r, ch), 0);
	assert_true(r.kept_boost_high > ch->held_high);
	assert_non_null(strstr(r.note, "boosting off"));
	/* not wasteful: within 1.5x of the true host's own need with the boost off */
	assert_true(ch->s.wsf * 2 <= need_off * 3);
	marks_for(&h, ch->s.min_free_kbytes, ch->s.wsf, &mn, &lo, &hi);
	uint64_t truth_off = truth2_run(&off, mn, lo, hi, NULL);
	print_message("true host at the choice: %llu stalls with the boost off (defaults %llu)\n",
		      (unsigned long long)truth_off, (unsigned long long)truth_cur);
	assert_true(truth_off * 100 <= truth_cur);
	struct facts *f = facts_new();
	sim_add_facts(f, "whatif --history synthetic", &r);
	int64_t v;
	assert_int_equal(facts_get_int(f, F_SIM_BOOST_FACTOR, &v), 0);
	assert_int_equal(v, 0);
	/* THP off: no floor, its candidate absent with the reason */
	assert_false(facts_has(f, F_SIM_FLOOR_FREE_WSF));
	assert_non_null(strstr(facts_reason(f, F_SIM_FLOOR_FREE_WSF), "THP is off"));
	facts_free(f);
	/* the search names the boost of every candidate it made: kept (recorded) or 0 */
	for (size_t i = 1; i < r.nc; i++)
		if (r.c[i].source == SIM_SEARCH)
			assert_true(r.c[i].s.boost_factor == 0 || r.c[i].s.boost_factor == 15000);
	sim_result_free(&r);

	/* THP always: the boost stays, the choice is the one with it kept */
	h.p.thp = WM_THP_ALWAYS;
	assert_int_equal(sim_run(&h, &o, &r, &d), 0);
	assert_false(r.boost_searched);
	for (size_t i = 0; i < r.nc; i++)
		assert_int_not_equal(sim_boost_of(&r, &r.c[i]), 0);
	sim_result_free(&r);
	diag_list_clear(&d);
	hist_free(&h);
}

/* The boost is kept unless turning it off saves memory.  Rare boost
 * events: the replay with the boost kept needs no wider buffer than with
 * it off (a boost event wakes kswapd early), so it is kept.  Equal memory
 * (two given candidates at the same setting, boost off listed first, both
 * meeting the target): the boost is kept, as it exists against
 * fragmentation. */
static void test_boost_kept_when_equal(void **state)
{
	(void)state;
	struct history h;
	base_history_at(&h, FIX_NEVER, 3934, WM_THP_NEVER);
	struct truth2 rare = boosty;
	rare.lambda = 1e-5;
	double mn, lo, hi;
	marks_for(&h, 3934, 10, &mn, &lo, &hi);
	truth2_run(&rare, mn, lo, hi, &h);
	struct sim_opts o = {.target_pct = 1, .search = true};
	struct sim_result r;
	struct diag_list d = {0};
	assert_int_equal(sim_run(&h, &o, &r, &d), 0);
	const struct sim_candidate *ch = &r.c[r.chosen];
	print_message("rare boosts: rises %.0f pageblocks, chosen wsf %lld boost %lld, Σ high %lld (boost kept %lld)\n",
		      r.boost_rises_pageblocks, (long long)ch->s.wsf, (long long)sim_boost_of(&r, ch),
		      (long long)ch->held_high, (long long)r.kept_boost_high);
	assert_true(r.boost_searched);
	assert_true(r.target_met);
	assert_int_equal(r.kept_boost_high, ch->held_high);
	assert_int_equal(sim_boost_of(&r, ch), 15000);
	sim_result_free(&r);

	struct sim_settings tie[2] = {{3934, 450, 0}, {3934, 450, -1}};
	struct sim_opts o2 = {.target_pct = 1, .given = tie, .ngiven = 2, .search = false};
	assert_int_equal(sim_run(&h, &o2, &r, &d), 0);
	assert_true(r.c[1].meets && r.c[2].meets);
	assert_int_equal(r.c[1].held_high, r.c[2].held_high);
	assert_int_equal(r.chosen, 2);
	sim_result_free(&r);
	diag_list_clear(&d);
	hist_free(&h);
}

/* Under THP's floor.  The bursty host with bursts larger than the budget's
 * high-min band at THP's floor (min_free_kbytes 45056 on these zones; the
 * gap is min/4 until wsf passes the break-even, so a third of the budget's
 * Σ high is min).  Known answer: at the floor no wsf within the budget
 * brings the true host's stalls to the 1 % target (the most the budget
 * allows leaves 3.5 %); under it, at the model's lower bound with the
 * widest wsf the same budget allows, they fall under 1 %.  The candidate
 * is shown, flagged and never chosen. */
static void test_under_thp_floor(void **state)
{
	(void)state;
	struct history h;
	base_history(&h);
	struct truth t = bursty;
	t.size = 32000; /* 125 MiB */
	t.span = 600;
	double mn, lo, hi;
	marks_for(&h, 45056, 10, &mn, &lo, &hi);
	uint64_t truth_cur = truth_run(&t, mn, lo, hi, &h);
	struct sim_opts o = {.target_pct = 1, .search = true};
	struct sim_result r;
	struct diag_list d = {0};
	assert_int_equal(sim_run(&h, &o, &r, &d), 0);
	const struct sim_candidate *ch = &r.c[r.chosen];
	print_message("floor %lld, lower %lld; chosen mfk %lld wsf %lld held %lld met %d; floor_free %zd\n",
		      (long long)r.thp_floor_kbytes, (long long)r.thp_lower_kbytes, (long long)ch->s.min_free_kbytes,
		      (long long)ch->s.wsf, (long long)ch->held_high, r.target_met, (ssize_t)r.floor_free);
	assert_int_equal(r.thp_floor_kbytes, 45056);
	assert_true(r.thp_lower_kbytes > 0 && r.thp_lower_kbytes < 45056);
	assert_false(r.target_met);
	assert_false(ch->below_thp_floor);
	assert_true(ch->s.min_free_kbytes >= 45056);
	assert_true(r.floor_free != (size_t)-1 && r.floor_free != r.chosen);
	const struct sim_candidate *ff = &r.c[r.floor_free];
	assert_true(ff->below_thp_floor);
	assert_int_equal(ff->s.min_free_kbytes, r.thp_lower_kbytes);
	assert_true(ff->held_high <= r.budget_high);
	assert_non_null(strstr(r.floor_note, "limit: THP's min_free_kbytes floor"));
	marks_for(&h, ch->s.min_free_kbytes, ch->s.wsf, &mn, &lo, &hi);
	uint64_t truth_ch = truth_run(&t, mn, lo, hi, NULL);
	marks_for(&h, ff->s.min_free_kbytes, ff->s.wsf, &mn, &lo, &hi);
	uint64_t truth_ff = truth_run(&t, mn, lo, hi, NULL);
	print_message("true host: defaults %llu, chosen (wsf %lld) %llu, under the floor (mfk %lld wsf %lld) %llu; "
		      "predicted %llu / %llu\n",
		      (unsigned long long)truth_cur, (long long)ch->s.wsf, (unsigned long long)truth_ch,
		      (long long)ff->s.min_free_kbytes, (long long)ff->s.wsf, (unsigned long long)truth_ff,
		      (unsigned long long)ch->pred.direct_entries, (unsigned long long)ff->pred.direct_entries);
	assert_true(truth_ch * 100 > truth_cur);
	assert_true(truth_ff * 100 <= truth_cur);
	assert_true(ff->pred.direct_entries < ch->pred.direct_entries);
	/* the facts the rules read (the latency profile opts in) */
	struct facts *f = facts_new();
	sim_add_facts(f, "whatif --history synthetic", &r);
	int64_t v;
	assert_int_equal(facts_get_int(f, F_SIM_FLOOR_FREE_MIN_FREE_KBYTES, &v), 0);
	assert_int_equal(v, ff->s.min_free_kbytes);
	assert_int_equal(facts_get_int(f, F_SIM_FLOOR_FREE_WSF, &v), 0);
	assert_int_equal(v, ff->s.wsf);
	assert_int_equal(facts_get_int(f, F_SIM_MIN_FREE_KBYTES, &v), 0);
	assert_int_equal(v, 45056); /* the choice stays at the floor */
	assert_true(facts_has(f, F_SIM_FLOOR_FREE_DIRECT_ENTRIES) && facts_has(f, F_SIM_FLOOR_FREE_HELD_BACK_BYTES) &&
		    facts_has(f, F_SIM_FLOOR_FREE_TARGET_MET));
	facts_free(f);
	sim_result_free(&r);
	diag_list_clear(&d);
	hist_free(&h);
}

/* More headroom never predicts more direct reclaim (wsf sweep), and the
 * memory held back grows with it. */
static void test_monotone_in_wsf(void **state)
{
	(void)state;
	struct history h;
	base_history(&h);
	struct truth t = bursty;
	t.span = 300;
	double mn, lo, hi;
	marks_for(&h, 45056, 10, &mn, &lo, &hi);
	truth_run(&t, mn, lo, hi, &h);
	struct sim_settings set[12];
	for (int i = 0; i < 12; i++)
		set[i] = (struct sim_settings){45056, 10 + 90 * i, -1};
	struct sim_opts o = {.target_pct = 1, .given = set, .ngiven = 12, .search = false};
	struct sim_result r;
	struct diag_list d = {0};
	assert_int_equal(sim_run(&h, &o, &r, &d), 0);
	assert_int_equal(r.nc, 13);
	for (size_t i = 2; i < r.nc; i++) {
		assert_true(r.c[i].pred.direct_pages <= r.c[i - 1].pred.direct_pages);
		assert_true(r.c[i].held_high >= r.c[i - 1].held_high);
		assert_int_equal(r.c[i].source, SIM_GIVEN);
	}
	/* the given wsf 10 is the current setting: the same prediction */
	assert_int_equal(r.c[1].pred.direct_entries, r.c[0].pred.direct_entries);
	sim_result_free(&r);
	diag_list_clear(&d);
	hist_free(&h);
}

/* A --set outside the kernel's range is refused with the range. */
static void test_illegal_set(void **state)
{
	(void)state;
	struct history h;
	base_history(&h);
	struct truth t = bursty;
	t.span = 30;
	double mn, lo, hi;
	marks_for(&h, 45056, 10, &mn, &lo, &hi);
	truth_run(&t, mn, lo, hi, &h);
	struct sim_settings set = {45056, 5000, -1};
	struct sim_opts o = {.target_pct = 1, .given = &set, .ngiven = 1};
	struct sim_result r;
	struct diag_list d = {0};
	assert_int_equal(sim_run(&h, &o, &r, &d), -ERANGE);
	assert_true(d.n >= 1);
	assert_non_null(strstr(d.v[d.n - 1].msg, "3000"));
	diag_list_clear(&d);
	hist_free(&h);
}


/* Two recordings of one host whose bursts differ (the second's are 20 %
 * larger, as recordings of the effectiveness guests differ): each alone
 * sizes for its own bursts; one choice over both (sim_joint) meets both
 * targets, is checked on both true hosts, is no wider than it must be
 * (one wsf less misses a history), and does not depend on their order. */
static void test_joint_two_recordings(void **state)
{
	(void)state;
	struct truth big = bursty;
	big.size = bursty.size * 6 / 5;
	struct history a, b;
	base_history(&a);
	base_history(&b);
	free(b.origin);
	b.origin = strdup("synthetic-big");
	double mn, lo, hi;
	marks_for(&a, 45056, 10, &mn, &lo, &hi);
	uint64_t ta = truth_run(&bursty, mn, lo, hi, &a), tb = truth_run(&big, mn, lo, hi, &b);
	assert_true(ta > 100 && tb > 100);

	struct sim_opts o = {.target_pct = 1, .search = true};
	struct sim_result ra, rb;
	struct diag_list d = {0};
	assert_int_equal(sim_run(&a, &o, &ra, &d), 0);
	assert_int_equal(sim_run(&b, &o, &rb, &d), 0);
	assert_true(ra.target_met && rb.target_met);
	const struct sim_candidate *ca = &ra.c[ra.chosen], *cb = &rb.c[rb.chosen];
	/* the larger bursts need more headroom: the recording decides */
	assert_true(cb->held_high > ca->held_high);

	const struct history *hs[] = {&a, &b}, *rev[] = {&b, &a};
	struct sim_joint j, k;
	assert_int_equal(sim_run_joint(hs, 2, &o, &j, &d), 0);
	assert_int_equal(sim_run_joint(rev, 2, &o, &k, &d), 0);
	const struct sim_candidate *cj = &j.joint.c[j.joint.chosen];
	assert_true(j.joint.target_met);
	assert_int_equal(j.met_on, 2);
	assert_int_equal(j.binding, 1);
	assert_true(cj->held_high >= cb->held_high);
	/* the views: the choice forced on each, each one's own choice kept */
	for (size_t i = 0; i < 2; i++) {
		assert_true(j.view[i].target_met);
		assert_int_equal(j.view[i].c[j.view[i].chosen].s.wsf, cj->s.wsf);
	}
	assert_int_equal(j.view[0].c[j.view[0].alone].s.wsf, ca->s.wsf);
	assert_int_equal(j.view[1].c[j.view[1].alone].s.wsf, cb->s.wsf);
	/* order does not matter */
	const struct sim_candidate *ck = &k.joint.c[k.joint.chosen];
	assert_int_equal(ck->s.wsf, cj->s.wsf);
	assert_int_equal(ck->s.min_free_kbytes, cj->s.min_free_kbytes);
	/* counts add up */
	assert_int_equal(j.joint.obs_entries, ra.obs_entries + rb.obs_entries);
	assert_int_equal(j.joint.samples, a.n + b.n);
	/* the choice on both true hosts: >= 95 % fewer stalls on each */
	marks_for(&a, cj->s.min_free_kbytes, cj->s.wsf, &mn, &lo, &hi);
	assert_true(truth_run(&bursty, mn, lo, hi, NULL) * 20 <= ta);
	assert_true(truth_run(&big, mn, lo, hi, NULL) * 20 <= tb);
	/* the smallest: one wsf less at its min_free_kbytes misses a target */
	struct sim_settings less = cj->s;
	less.wsf -= 1;
	struct sim_opts g = {.target_pct = 1, .given = &less, .ngiven = 1};
	bool missed = false;
	for (size_t i = 0; i < 2; i++) {
		struct sim_result x;
		assert_int_equal(sim_run(hs[i], &g, &x, &d), 0);
		missed |= !x.c[1].meets;
		sim_result_free(&x);
	}
	assert_true(missed);
	/* one history: the joint answer is that history's */
	struct sim_joint one;
	assert_int_equal(sim_run_joint(hs, 1, &o, &one, &d), 0);
	assert_int_equal(one.joint.c[one.joint.chosen].s.wsf, ca->s.wsf);
	assert_int_equal(one.joint.c[one.joint.chosen].s.min_free_kbytes, ca->s.min_free_kbytes);
	sim_joint_free(&one);
	sim_joint_free(&j);
	sim_joint_free(&k);
	sim_joint_free(NULL);
	sim_result_free(&ra);
	sim_result_free(&rb);
	diag_list_clear(&d);
	hist_free(&a);
	hist_free(&b);
}


/* Recordings with nothing to size (no direct reclaim recorded or replayed)
 * keep their settings, as one such history does in sim_run: with two, the
 * joint choice is the current settings, not the narrowest wsf their
 * stall-free replays allow (an earlier version bisected down to wsf 1);
 * beside a stalling one, the choice holds at least the current settings
 * and what the stalling one needs. */
static void test_joint_nothing_to_size(void **state)
{
	(void)state;
	struct truth calm = bursty;
	calm.size = 0; /* no bursts: background growth alone, which kswapd meets */
	calm.span = 300;
	struct history q1, q2, b;
	base_history(&q1);
	base_history(&q2);
	base_history(&b);
	free(q2.origin);
	q2.origin = strdup("synthetic-calm-2");
	free(b.origin);
	b.origin = strdup("synthetic-bursty");
	double mn, lo, hi;
	marks_for(&q1, 45056, 10, &mn, &lo, &hi);
	assert_int_equal(truth_run(&calm, mn, lo, hi, &q1), 0);
	assert_int_equal(truth_run(&calm, mn, lo, hi, &q2), 0);
	assert_true(truth_run(&bursty, mn, lo, hi, &b) > 100);

	struct sim_opts o = {.target_pct = 1, .search = true};
	struct diag_list d = {0};
	const struct history *qq[] = {&q1, &q2}, *qb[] = {&q1, &b};
	struct sim_joint j;
	assert_int_equal(sim_run_joint(qq, 2, &o, &j, &d), 0);
	const struct sim_candidate *ch = &j.joint.c[j.joint.chosen], *cur = &j.joint.c[0];
	assert_int_equal(ch->s.wsf, 10);
	assert_int_equal(ch->s.min_free_kbytes, 45056);
	assert_int_equal(ch->held_high, cur->held_high);
	assert_non_null(strstr(j.joint.note, "nothing to size"));
	sim_joint_free(&j);

	struct sim_result rb;
	assert_int_equal(sim_run(&b, &o, &rb, &d), 0);
	assert_int_equal(sim_run_joint(qb, 2, &o, &j, &d), 0);
	ch = &j.joint.c[j.joint.chosen];
	assert_true(j.joint.target_met);
	assert_true(ch->held_high >= rb.c[rb.chosen].held_high);
	assert_true(ch->held_high >= j.joint.c[0].held_high);
	sim_joint_free(&j);
	sim_result_free(&rb);
	diag_list_clear(&d);
	hist_free(&q1);
	hist_free(&q2);
	hist_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bursty_known_answer),
		cmocka_unit_test(test_bursty_without_psi),
		cmocka_unit_test(test_starved_kswapd_sized_to_budget),
		cmocka_unit_test(test_starved_kswapd_replayed),
		cmocka_unit_test(test_long_bursts_with_boost),
		cmocka_unit_test(test_boost_off_searched),
		cmocka_unit_test(test_boost_kept_when_equal),
		cmocka_unit_test(test_under_thp_floor),
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_monotone_in_wsf),
		cmocka_unit_test(test_illegal_set),
		cmocka_unit_test(test_joint_two_recordings),
		cmocka_unit_test(test_joint_nothing_to_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
