/* sim: demand series from a history, a kswapd/direct-reclaim replay per
 * candidate, calibration of the burst rate, and the search.  The model and
 * its assumptions are in sim.h and docs/whatif.md. */
#include "sim.h"

#include "../base/xalloc.h"
#include "../model/sysctl_catalog.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define REACTION_S 0.002
#define SUBSTEP_S 0.01
#define MAX_SUBSTEPS 400
#define DEFAULT_STALL_PAGES 32 /* SWAP_CLUSTER_MAX */
#define ZONE_SHARE_MIN 0.05
#define TAIL_MARGIN 2.0       /* the extrapolated tail must be 2x below the target (docs/whatif.md, "The tail") */
#define TAIL_LO 0.03          /* the tail is fitted on predictions between 3 % ... */
#define TAIL_HI 0.5           /* ... and 50 % of the current settings' */
#define TIMING_MIN 0.5        /* below this timing agreement the replay's curve is no evidence (docs/whatif.md, "Timing") */

int64_t sim_boost_of(const struct sim_result *r, const struct sim_candidate *c)
{
	return c->s.boost_factor >= 0 ? c->s.boost_factor : r->boost_factor;
}

const char *sim_source_name(enum sim_source s)
{
	switch (s) {
	case SIM_CURRENT: return "current";
	case SIM_GIVEN: return "given";
	case SIM_SEARCH: return "search";
	}
	return "?";
}

/* One interval of the demand series. */
struct interval {
	double dt;        /* seconds */
	double alloc;     /* gross allocations, pages (>= net) */
	double frees;     /* workload frees, pages (alloc - net) */
	double obs_free;  /* free pages at the end */
	double obs_boost; /* watermark boost at the end, pages (0 when not recorded) */
	uint64_t stalls;  /* allocstall */
	double ksteal;    /* pgsteal_kswapd */
	bool kscan;       /* kswapd scanned (pgscan_kswapd) */
	bool avail_boosted; /* avail was measured in a boosted run (the boost above 0 at either sample) */
	int runs;         /* balance_pgdat() runs begun (pageoutrun), -1 not recorded */
	double avail;     /* the share of its rate kswapd got in this interval: measured where it ran
			   * throughout (kswapd_availability), else 1 */
};

struct series {
	struct interval *iv;
	size_t n;
	double f0;        /* free pages at the first sample */
	double b0;        /* watermark boost at the first sample */
	bool have_boost;  /* every sample recorded the boost (history version 2) */
	double boost_mean; /* observed boost at the sample times, mean, pages */
	double boost_rises; /* the boost's rises between samples, summed, pages */
	double kswapd_obs; /* kswapd's capacity as the counters show it (a lower bound) */
	double kswapd_interval; /* the same from whole intervals only (no PSI) */
	double stall_pages;
};

/* ---- counters -------------------------------------------------------------- */

/* Indices of a counter family: "pgsteal_kswapd" and, before 4.8, the
 * per-zone "pgsteal_kswapd_normal" ...  (never "pgscan_direct_throttle"). */
struct family {
	int idx[16];
	int n;
};

static void family_of(const struct history *h, const char *name, struct family *f)
{
	size_t nl = strlen(name);
	f->n = 0;
	for (size_t i = 0; i < h->nvm && f->n < 16; i++) {
		const char *k = h->vm[i];
		if (strncmp(k, name, nl) || (k[nl] && k[nl] != '_') || strstr(k + nl, "throttle"))
			continue;
		f->idx[f->n++] = (int)i;
	}
}

/* Delta of a family between rows i-1 and i; false when a member is absent.
 * A counter that went down (a reset) counts as 0. */
static bool family_delta(const struct history *h, const struct family *f, size_t i, double *out)
{
	if (!f->n)
		return false;
	const int64_t *a = hist_row(h, i - 1), *b = hist_row(h, i);
	double s = 0;
	for (int k = 0; k < f->n; k++) {
		int64_t x = a[f->idx[k]], y = b[f->idx[k]];
		if (x == HIST_ABSENT || y == HIST_ABSENT)
			return false;
		if (y > x)
			s += (double)(y - x);
	}
	*out = s;
	return true;
}

static const char *pgalloc_key(enum zone_kind k)
{
	switch (k) {
	case ZK_DMA: return "pgalloc_dma";
	case ZK_DMA32: return "pgalloc_dma32";
	case ZK_NORMAL: return "pgalloc_normal";
	case ZK_HIGHMEM: return "pgalloc_high";
	case ZK_MOVABLE: return "pgalloc_movable";
	case ZK_DEVICE: return "pgalloc_device";
	case ZK_OTHER: break;
	}
	return NULL;
}

/* Which zones take allocations: a zone kind with >= 5 % of all pgalloc. */
static void pick_zones(const struct history *h, bool *use, char *text, size_t tn)
{
	double by_kind[ZK_OTHER + 1] = {0}, total = 0;
	bool have = false;
	for (int k = 0; k <= ZK_OTHER; k++) {
		const char *key = pgalloc_key((enum zone_kind)k);
		int ix = key ? hist_vm_index(h, key) : -1;
		if (ix < 0)
			continue;
		int64_t a = hist_row(h, 0)[ix], b = hist_row(h, h->n - 1)[ix];
		if (a == HIST_ABSENT || b == HIST_ABSENT || b < a)
			continue;
		by_kind[k] = (double)(b - a);
		total += by_kind[k];
		have = true;
	}
	size_t len = 0;
	text[0] = 0;
	for (size_t z = 0; z < h->zi.nzones; z++) {
		const struct zone *zn = &h->zi.zones[z];
		enum zone_kind k = zone_kind_of(zn->name);
		bool populated = zone_pages(zn) > 0;
		use[z] = populated && (have && total > 0 ? by_kind[k] >= ZONE_SHARE_MIN * total : k != ZK_DMA);
		if (use[z] && len + 32 < tn)
			len += (size_t)snprintf(text + len, tn - len, "%s%d/%s", len ? " " : "", zn->node, zn->name);
	}
}

/* kswapd's capacity from its per-interval rates (-1 = idle).  Any
 * interval's rate is at most the capacity, and one in which kswapd ran
 * throughout says most: so the intervals whose neighbours were active too
 * (it was likely busy the whole interval) when there are such, else every
 * active one; of those the largest, or the second largest once there are
 * ten or more to distrust a single one. */
static double capacity(const double *rate, size_t n)
{
	double best[2][2] = {{0, 0}, {0, 0}}; /* [inner][largest, second] */
	size_t cnt[2] = {0, 0};
	for (size_t i = 0; i < n; i++) {
		if (rate[i] < 0)
			continue;
		bool inner = i > 0 && i + 1 < n && rate[i - 1] >= 0 && rate[i + 1] >= 0;
		for (int k = 0; k <= (int)inner; k++) {
			cnt[k]++;
			if (rate[i] > best[k][0]) {
				best[k][1] = best[k][0];
				best[k][0] = rate[i];
			} else if (rate[i] > best[k][1]) {
				best[k][1] = rate[i];
			}
		}
	}
	int k = cnt[1] ? 1 : 0;
	return cnt[k] >= 10 ? best[k][1] : best[k][0];
}

static int build_series(const struct history *h, const bool *use, struct series *s, struct diag_list *d)
{
	struct family sk, sd, sck, st, po, alloc[ZK_OTHER + 1];
	family_of(h, "pgsteal_kswapd", &sk);
	family_of(h, "pgsteal_direct", &sd);
	family_of(h, "pgscan_kswapd", &sck);
	family_of(h, "allocstall", &st);
	family_of(h, "pageoutrun", &po);
	bool kind_used[ZK_OTHER + 1] = {0};
	for (size_t z = 0; z < h->zi.nzones; z++)
		if (use[z])
			kind_used[zone_kind_of(h->zi.zones[z].name)] = true;
	for (int k = 0; k <= ZK_OTHER; k++) {
		const char *key = pgalloc_key((enum zone_kind)k);
		alloc[k].n = 0;
		int ix = key && kind_used[k] ? hist_vm_index(h, key) : -1;
		if (ix >= 0) {
			alloc[k].idx[0] = ix;
			alloc[k].n = 1;
		}
	}
	if (!sk.n || !sd.n) {
		diag_add(d, DIAG_ERROR, h->origin, 0, 0,
			 "the history has no pgsteal_kswapd / pgsteal_direct counters: nothing to replay");
		return -EINVAL;
	}
	s->iv = xcalloc(h->n, sizeof(*s->iv));
	s->n = 0;
	s->have_boost = true;
	double prev_free = -1, stall_pages = 0, stalls = 0, psi_rate = 0;
	double *rate = xcalloc(h->n, sizeof(*rate)); /* kswapd's rate per interval, -1 idle */
	for (size_t i = 0; i < h->n; i++) {
		const int64_t *row = hist_row(h, i);
		double f = 0;
		for (size_t z = 0; z < h->zi.nzones; z++) {
			if (!use[z])
				continue;
			int64_t v = row[h->nvm + z];
			if (v == HIST_ABSENT) {
				diag_add(d, DIAG_ERROR, h->origin, 0, 0,
					 "sample %zu has no free-page count for zone %s", i, h->zi.zones[z].name);
				free(s->iv);
				s->iv = NULL;
				return -EINVAL;
			}
			f += (double)v;
		}
		double b = 0;
		for (size_t z = 0; z < h->zi.nzones; z++) {
			if (!use[z])
				continue;
			int64_t v = row[hist_boost_col(h, z)];
			if (v == HIST_ABSENT)
				s->have_boost = false;
			else
				b += (double)v;
		}
		if (i == 0) {
			s->f0 = prev_free = f;
			s->b0 = b;
			continue;
		}
		struct interval *iv = &s->iv[s->n++];
		iv->dt = (double)(h->t_ns[i] - h->t_ns[i - 1]) / 1e9;
		double k = 0, dr = 0, scan = 0, a = 0, x, nst = 0;
		family_delta(h, &sk, i, &k);
		family_delta(h, &sd, i, &dr);
		family_delta(h, &sck, i, &scan);
		family_delta(h, &st, i, &nst);
		bool have_alloc = false;
		for (int kk = 0; kk <= ZK_OTHER; kk++)
			if (alloc[kk].n && family_delta(h, &alloc[kk], i, &x)) {
				a += x;
				have_alloc = true;
			}
		double net = prev_free - f + k + dr;
		if (!have_alloc || a < net)
			a = net > 0 ? net : 0;
		iv->alloc = a;
		iv->frees = a - net;
		iv->obs_free = f;
		iv->obs_boost = b;
		s->boost_mean += b;
		double b_prev = s->n > 1 ? s->iv[s->n - 2].obs_boost : s->b0;
		if (b > b_prev)
			s->boost_rises += b - b_prev;
		iv->stalls = (uint64_t)nst;
		iv->ksteal = k;
		iv->kscan = scan > 0;
		iv->avail = 1;
		double runs;
		iv->runs = family_delta(h, &po, i, &runs) ? (runs > 1e6 ? 1000000 : (int)runs) : -1;
		stalls += nst;
		stall_pages += dr;
		rate[s->n - 1] = scan > 0 && iv->dt > 0 ? k / iv->dt : -1;
		/* PSI "some" runs while kswapd is in balance_pgdat()
		 * (psi_memstall_enter), so in an interval without direct
		 * reclaim it bounds kswapd's running time from above: its
		 * steal over that time is a closer lower bound of the
		 * capacity than steal over the whole interval */
		int64_t ps0 = hist_row(h, i - 1)[h->nvm + h->zi.nzones],
			ps1 = row[h->nvm + h->zi.nzones];
		if (scan > 0 && nst == 0 && ps0 != HIST_ABSENT && ps1 != HIST_ABSENT && ps1 > ps0) {
			double busy = (double)(ps1 - ps0) / 1e6;
			if (busy >= 0.05 * iv->dt && busy <= iv->dt * 1.05 && k / busy > psi_rate)
				psi_rate = k / busy;
		}
		prev_free = f;
	}
	s->kswapd_interval = capacity(rate, s->n);
	s->kswapd_obs = psi_rate > s->kswapd_interval ? psi_rate : s->kswapd_interval;
	free(rate);
	s->boost_mean = s->n && s->have_boost ? s->boost_mean / (double)s->n : 0;
	if (!s->have_boost)
		s->boost_rises = 0;
	s->stall_pages = stalls > 0 && stall_pages > 0 ? stall_pages / stalls : DEFAULT_STALL_PAGES;
	if (s->stall_pages < 1)
		s->stall_pages = 1;
	return 0;
}

/* ---- the replay ------------------------------------------------------------ */

/* A candidate's marks over the simulated zones, without boost, and the
 * largest boost the kernel allows them: boost_watermark() adds a pageblock
 * per fallback event, up to watermark_boost_factor / 10000 of high (at
 * least one pageblock); 0 when the factor is 0 (boosting off). */
struct marks {
	double min, low, high;
	double boost_cap;
};

/* What a replay runs with (the calibrated parameters). */
struct dyn {
	double kswapd;     /* pages/s kswapd reclaims while it runs */
	double burst;      /* pages/s an interval's allocations arrive at; 0 = spread over the interval */
	double lambda;     /* boost events per page allocated while free < high (unboosted) */
	double pageblock;  /* pages a boost event adds */
};

/* One replay of the demand series under marks m.  The state per step:
 * free pages f, the boost b, kswapd asleep or running.  Per step of the
 * interval: the workload's frees and allocations; boost events while f is
 * below high (fallbacks need scarce free lists; the boost itself frees
 * nothing, so it is not part of the condition), each waking kswapd as
 * ZONE_BOOSTED_WATERMARK does in rmqueue(); kswapd wakes below low + b,
 * starts after the reaction time, reclaims at its rate until f >= high + b
 * and, for a boosted run, at least the boost it started with, then sleeps
 * and takes that boost off (balance_pgdat()); below min + b the allocating
 * task reclaims itself in batches (boosted marks are what __alloc_pages()
 * checks: wmark_pages() includes the boost).  *st, when given, gets the
 * mean boost at the sample times and the pages allocated while free was
 * below high (those that could cause a boost event). */
struct replay_stats {
	double boost_mean;  /* pages, at the sample times */
	double eligible;    /* pages allocated while free < high */
};

static void replay(const struct series *s, const struct marks *m, const struct dyn *dy, double f_init,
		   double b_init, struct sim_pred *p, struct sim_trace *tr, int which, struct replay_stats *st)
{
	memset(p, 0, sizeof(*p));
	double f = f_init, now = 0, wake_at = 0;
	double b = b_init < m->boost_cap ? b_init : m->boost_cap, b_run = 0, got_run = 0, ev = 0, bsum = 0;
	double eligible = 0;
	bool awake = false;
	for (size_t i = 0; i < s->n; i++) {
		const struct interval *iv = &s->iv[i];
		if (iv->dt <= 0)
			continue;
		int k = (int)ceil(iv->dt / SUBSTEP_S);
		if (k < 1)
			k = 1;
		if (k > MAX_SUBSTEPS)
			k = MAX_SUBSTEPS;
		double hs = iv->dt / k;
		double ta = iv->dt;
		if (dy->burst > 0 && iv->alloc > 0 && iv->alloc / dy->burst < iv->dt)
			ta = iv->alloc / dy->burst;
		double lowest = f;
		uint64_t entries0 = p->direct_entries;
		for (int j = 0; j < k; j++) {
			double t0 = j * hs, t1 = t0 + hs;
			double a = 0;
			if (iv->alloc > 0 && t0 < ta)
				a = iv->alloc * ((t1 < ta ? t1 : ta) - t0) / ta;
			f += iv->frees * hs / iv->dt - a;
			if (a > 0 && f < m->high)
				eligible += a;
			if (m->boost_cap > 0 && dy->lambda > 0 && a > 0 && f < m->high) {
				ev += a * dy->lambda;
				while (ev >= 1) {
					ev -= 1;
					b = b + dy->pageblock < m->boost_cap ? b + dy->pageblock : m->boost_cap;
					if (!awake) {
						awake = true;
						wake_at = now + t0 + REACTION_S;
						b_run = b;
						got_run = 0;
					}
				}
			}
			if (!awake && f < m->low + b) {
				awake = true;
				wake_at = now + t0 + REACTION_S;
				b_run = b;
				got_run = 0;
			}
			if (awake) {
				double start = wake_at > now + t0 ? wake_at - (now + t0) : 0;
				if (start < hs) {
					double run = hs - start;
					/* a share measured in a boosted run (may_swap = 0,
					 * may_writepage = 0: clean cache only, and it
					 * stops where it makes no progress) holds only
					 * while the replay's kswapd is boosted too */
					double need = m->high + b - f, share = iv->avail_boosted && b <= 0 ? 1 : iv->avail,
					       got = dy->kswapd * share * run;
					if (b_run - got_run > need)
						need = b_run - got_run;
					if (got >= need) {
						/* balanced: kswapd takes off the boost it started with and sleeps */
						if (need > 0) {
							f += need;
							run = dy->kswapd > 0 ? need / dy->kswapd : run;
						}
						b = b > b_run ? b - b_run : 0;
						awake = false;
					} else {
						f += got;
						got_run += got;
					}
					p->seconds_kswapd += run;
				}
			}
			if (f < m->min + b) {
				double n = ceil((m->min + b - f) / s->stall_pages);
				p->direct_entries += (uint64_t)n;
				p->direct_pages += (uint64_t)(n * s->stall_pages);
				f += n * s->stall_pages;
				p->seconds_below_min += hs;
			}
			if (f < lowest)
				lowest = f;
		}
		now += iv->dt;
		bsum += b;
		if (tr) {
			uint32_t ns = (uint32_t)(p->direct_entries - entries0);
			if (which == 0) {
				tr[i].cur_min = lowest;
				tr[i].cur_stalls = ns;
			} else {
				tr[i].cho_min = lowest;
				tr[i].cho_stalls = ns;
			}
		}
	}
	if (st) {
		st->boost_mean = s->n ? bsum / (double)s->n : 0;
		st->eligible = eligible;
	}
}

/* Free pages at the start under other marks: the same distance from the
 * marks as observed (below high), or at least high when the host was
 * above it (kswapd would have brought it there). */
static double start_free(const struct series *s, const struct marks *cur, const struct marks *m)
{
	if (s->f0 >= cur->high)
		return s->f0 > m->high ? s->f0 : m->high;
	double f = s->f0 + (m->high - cur->high);
	return f > 0 ? f : 0;
}

/* ---- candidates ------------------------------------------------------------ */

struct ctx {
	const struct history *h;
	const bool *use;
	struct wm_params p;       /* current settings (assumed where unknown) */
	struct wm_model cur;      /* model at the current settings */
	int64_t *offset;          /* per zone: printed base - predicted (3 marks) */
	struct series s;
	struct marks cur_marks;
	int64_t boost_factor;     /* recorded, or the kernel's default when unknown */
	struct dyn dy;            /* calibrated */
	/* the demand's tail: direct-reclaim pages ~ exp(a + b * gap); [0] with
	 * the boost as recorded, [1] with boosting off (fitted when the boost
	 * is replayed: its curve falls faster) */
	struct tail {
		bool have;
		double a, b;
	} tail[2];
	bool boost_dim;           /* the search replays each setting with boosting off too */
	int64_t budget_high;      /* the most Σ high a choice may hold back, pages */
};

static int candidate_marks(struct ctx *c, const struct sim_settings *st, struct sim_candidate *out,
			   struct diag_list *d)
{
	struct wm_params p = c->p;
	p.min_free_kbytes = st->min_free_kbytes;
	p.wsf = st->wsf;
	struct wm_model m;
	int rc = wm_model_compute(c->h->zi.zones, c->h->zi.nzones, &p, &m, d);
	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	out->s = *st;
	int64_t bf = st->boost_factor >= 0 ? st->boost_factor : c->boost_factor;
	for (size_t z = 0; z < m.nzones; z++) {
		const struct wm_zone *w = &m.zones[z];
		if (!w->predicted || w->pages <= 0)
			continue;
		int64_t mn = w->pred.min + c->offset[3 * z], lo = w->pred.low + c->offset[3 * z + 1],
			hi = w->pred.high + c->offset[3 * z + 2];
		out->held_min += mn;
		out->held_high += hi;
		if (c->use[z]) {
			out->min += mn;
			out->low += lo;
			out->high += hi;
			if (bf > 0) {
				/* boost_watermark(): at most factor/10000 of high, at least a pageblock */
				int64_t cap = wm_mult_frac(hi, bf, 10000);
				out->boost_cap += cap > (int64_t)c->dy.pageblock ? cap : (int64_t)c->dy.pageblock;
			}
		}
	}
	wm_model_free(&m);
	return 0;
}

static struct marks marks_of(const struct sim_candidate *cand)
{
	return (struct marks){(double)cand->min, (double)cand->low, (double)cand->high, (double)cand->boost_cap};
}

static void evaluate(struct ctx *c, struct sim_candidate *cand, struct sim_trace *tr, int which)
{
	struct marks m = marks_of(cand);
	replay(&c->s, &m, &c->dy, start_free(&c->s, &c->cur_marks, &m), c->s.b0, &cand->pred, tr, which, NULL);
}

/* ---- kswapd's availability ------------------------------------------------- */

/* Where kswapd was awake throughout an interval with work to do (it
 * scanned in the interval before, began no new balance_pgdat() run in this
 * one, so it did not sleep, and the history's free pages were below the
 * current low mark, boost included, at both ends), its steal over that
 * interval is what it got done: divided by the fastest it is seen
 * reclaiming over whole intervals, the share of its rate it got then.  On
 * the QEMU guests that share drops to 0-0.3 for 0.1-0.2 s while the
 * workload holds both vCPUs (docs/whatif.md, "kswapd's availability"), and
 * the stalls that follow are the ones a constant rate puts elsewhere.  The
 * replay gives kswapd that share in that interval under every candidate,
 * as it gives the workload its demand of that interval: both are what the
 * host did at that time.  A share measured while the zone was boosted is
 * that of a boosted run (balance_pgdat() with may_swap = 0 and
 * may_writepage = 0, which gives up when it makes no progress), so the
 * replay applies it only while its own boost is on.  Elsewhere the share is unknown and taken as 1
 * (also on histories without pageoutrun, where "did not sleep" cannot be
 * told). */
static void kswapd_availability(struct ctx *c, struct sim_result *res)
{
	struct series *s = &c->s;
	double cap = s->kswapd_interval, prev = s->f0, prev_b = s->b0, sum = 0;
	unsigned n = 0;
	bool through = false; /* awake throughout the interval before */
	for (size_t i = 0; i < s->n; i++) {
		struct interval *iv = &s->iv[i];
		/* awake at the start (it scanned in the interval before, or was
		 * awake throughout it) and no new balance_pgdat() run begun
		 * (pageoutrun): it did not sleep in between; free below low at
		 * both ends and allocations of at least one direct-reclaim batch:
		 * it had work all along (an idle host below low, allocating a few
		 * pages from the per-cpu lists, wakes no kswapd) */
		bool awake = i > 0 && (s->iv[i - 1].kscan || through) && iv->runs == 0;
		through = false;
		if (cap > 0 && iv->dt > 0 && awake && iv->alloc >= s->stall_pages &&
		    prev < c->cur_marks.low + prev_b &&
		    iv->obs_free < c->cur_marks.low + iv->obs_boost) {
			through = true;
			double a = iv->ksteal / (cap * iv->dt);
			iv->avail = a < 1 ? a : 1;
			iv->avail_boosted = prev_b > 0 || iv->obs_boost > 0;
			sum += iv->avail;
			n++;
		}
		prev = iv->obs_free;
		prev_b = iv->obs_boost;
	}
	res->kswapd_measured_intervals = n;
	res->kswapd_mean_availability = n ? sum / n : -1;
}

/* ---- calibration ----------------------------------------------------------- */

static uint64_t entries_with(struct ctx *c, const struct dyn *dy, struct replay_stats *st)
{
	struct sim_pred p;
	replay(&c->s, &c->cur_marks, dy, c->s.f0, c->s.b0, &p, NULL, 0, st);
	return p.direct_entries;
}

/* One parameter x of the dynamics (kswapd's rate, or the burst rate) in
 * [lo, hi] such that the current settings predict the observed count obs:
 * the value on the no-more-than-observed side of the edge, or the closer of
 * the two.  more_x_more_stalls says which way the count moves with x. */
static double fit_param(struct ctx *c, double *x, double lo, double hi, bool more_x_more_stalls, uint64_t obs,
			uint64_t *fit)
{
	*x = lo;
	uint64_t flo = entries_with(c, &c->dy, NULL);
	*x = hi;
	uint64_t fhi = entries_with(c, &c->dy, NULL);
	/* ok(v): predicted <= obs holds at v */
	double good = more_x_more_stalls ? lo : hi, bad = more_x_more_stalls ? hi : lo;
	uint64_t fgood = more_x_more_stalls ? flo : fhi, fbad = more_x_more_stalls ? fhi : flo;
	double r;
	if (fgood > obs) {
		r = good;
		*fit = fgood;
	} else if (fbad <= obs) {
		r = bad;
		*fit = fbad;
	} else {
		for (int it = 0; it < 40 && fmax(good, bad) / fmin(good, bad) > 1.002; it++) {
			double mid = sqrt(good * bad);
			*x = mid;
			uint64_t fm = entries_with(c, &c->dy, NULL);
			if (fm <= obs) {
				good = mid;
				fgood = fm;
			} else {
				bad = mid;
				fbad = fm;
			}
		}
		if (fbad - obs < obs - fgood) {
			r = bad;
			*fit = fbad;
		} else {
			r = good;
			*fit = fgood;
		}
	}
	*x = r;
	return r;
}

/* The boost event rate: the boost's rises the history shows between
 * samples (in pageblocks) per page the current settings' replay allocates
 * while free is below high.  A rise is at least one event (kswapd takes
 * boosts off between samples, so the count is a lower bound); counting
 * them directly does not depend on how long the replay keeps a boost,
 * which is what matching the mean boost did: where the replay's kswapd
 * took boosts off sooner than the real one, that fit drove the rate up
 * without bound (1 event per page on a 6.12 history) and predicted stalls
 * at every wsf. */
static double boost_rate(struct ctx *c)
{
	struct replay_stats st;
	entries_with(c, &c->dy, &st);
	double events = c->s.boost_rises / c->dy.pageblock;
	return st.eligible > 0 ? events / st.eligible : 0;
}

/* The dynamics from the history itself (docs/whatif.md, "Calibration"):
 *  1. allocations spread over each interval (a workload whose bursts last
 *     longer than the sampling interval); kswapd's rate while it runs is
 *     the one free parameter, fitted so that the current settings predict
 *     the observed direct-reclaim count; with the boost recorded, the
 *     boost event rate is the history's rises per page allocated below
 *     high in the replay (boost_rate), alternating with kswapd's rate;
 *  2. if that rate is below what kswapd is seen doing in whole intervals,
 *     spreading is wrong (the demand came in bursts shorter than an
 *     interval): kswapd keeps its observed capacity and the burst rate is
 *     fitted instead. */
static void calibrate(struct ctx *c, uint64_t obs, struct sim_result *res)
{
	const struct series *s = &c->s;
	double fastest = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->iv[i].dt > 0 && s->iv[i].alloc / s->iv[i].dt > fastest)
			fastest = s->iv[i].alloc / s->iv[i].dt;
	if (fastest <= 0)
		fastest = 1;
	/* the fastest a workload faults pages in, or kswapd reclaims: 16 GiB/s */
	double top = 16.0 * 1073741824.0 / (double)c->h->p.page_size;
	res->uniform_rate = fastest;
	bool boost = s->have_boost && c->cur_marks.boost_cap > 0 && s->boost_rises > 0;
	uint64_t fit = 0;
	c->dy.burst = 0;
	c->dy.lambda = 0;
	c->dy.kswapd = s->kswapd_obs > 0 ? s->kswapd_obs : fastest;
	const char *regime = "spread";
	if (obs > 0) {
		for (int round = 0; round < (boost ? 3 : 1); round++) {
			fit_param(c, &c->dy.kswapd, 1, top, false, obs, &fit);
			if (boost)
				c->dy.lambda = boost_rate(c);
		}
		if (boost)
			fit_param(c, &c->dy.kswapd, 1, top, false, obs, &fit);
		if (c->dy.kswapd < 0.5 * s->kswapd_interval) {
			regime = "bursts";
			c->dy.kswapd = s->kswapd_obs;
			for (int round = 0; round < (boost ? 3 : 1); round++) {
				fit_param(c, &c->dy.burst, fastest, top > fastest * 10 ? top : fastest * 10, true, obs,
					  &fit);
				if (boost)
					c->dy.lambda = boost_rate(c);
			}
			if (boost)
				fit_param(c, &c->dy.burst, fastest, top > fastest * 10 ? top : fastest * 10, true, obs,
					  &fit);
		}
	} else {
		fit = entries_with(c, &c->dy, NULL);
	}
	struct replay_stats st;
	entries_with(c, &c->dy, &st);
	double sim_boost = st.boost_mean;
	res->regime = regime;
	res->kswapd_rate = c->dy.kswapd;
	res->burst_rate = c->dy.burst;
	res->boost_recorded = s->have_boost;
	res->boost_modelled = boost;
	res->boost_events_per_page = c->dy.lambda;
	res->boost_observed_mean = s->boost_mean;
	res->boost_rises_pageblocks = c->dy.pageblock > 0 ? s->boost_rises / c->dy.pageblock : 0;
	res->boost_simulated_mean = sim_boost;
	const double mib = (double)c->h->p.page_size / 1048576.0;
	int len;
	if (obs == 0)
		/* nothing stalled, so nothing to fit: say what kswapd's rate was
		 * taken as, not "while it runs" of a kswapd that may never have */
		len = snprintf(res->calibration, sizeof(res->calibration),
			       "no direct reclaim to fit: kswapd taken at %s %.0f MiB/s", s->kswapd_obs > 0
				       ? "the fastest the counters show,"
				       : "the fastest allocation rate (it never ran),",
			       c->dy.kswapd * mib);
	else
		len = snprintf(res->calibration, sizeof(res->calibration),
			       "%s: kswapd %.0f MiB/s while it runs (the counters show at least %.0f MiB/s)",
			       !strcmp(regime, "spread") ? "allocations spread over each interval"
							 : "allocations in bursts shorter than an interval",
			       c->dy.kswapd * mib, s->kswapd_interval * mib);
	if (len > 0 && (size_t)len < sizeof(res->calibration) && c->dy.burst > 0)
		len += snprintf(res->calibration + len, sizeof(res->calibration) - (size_t)len, ", bursts at %.0f MiB/s",
				c->dy.burst * mib);
	if (len > 0 && (size_t)len < sizeof(res->calibration) && boost)
		len += snprintf(res->calibration + len, sizeof(res->calibration) - (size_t)len,
				", boost rate from the %.0f pageblocks of its rises (mean boost %.0f pages, observed %.0f)",
				s->boost_rises / c->dy.pageblock, sim_boost, s->boost_mean);
	if (len > 0 && (size_t)len < sizeof(res->calibration))
		snprintf(res->calibration + len, sizeof(res->calibration) - (size_t)len,
			 ": current settings predict %" PRIu64 " direct-reclaim entries, %" PRIu64 " observed", fit,
			 obs);
}

/* ---- search ---------------------------------------------------------------- */

static void push(struct sim_result *r, size_t *cap, const struct sim_candidate *c)
{
	if (r->nc == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		r->c = xreallocarray(r->c, *cap, sizeof(*r->c));
	}
	r->c[r->nc++] = *c;
}

/* The tail beyond the largest burst a history saw is extrapolated, with a
 * margin of TAIL_MARGIN (docs/whatif.md, "The tail"). */
static double tail_pages(const struct ctx *x, const struct sim_candidate *c)
{
	/* boosting off where it is replayed: the curve fitted with it off; the
	 * one with it on where that could not be fitted (more stalls: cautious) */
	bool off = c->s.boost_factor == 0 && x->boost_factor > 0 && x->tail[1].have;
	const struct tail *t = &x->tail[off ? 1 : 0];
	if (!t->have)
		return -1;
	return exp(t->a + t->b * (double)(c->low - c->min));
}

static bool meets(const struct ctx *x, const struct sim_result *r, struct sim_candidate *c)
{
	c->tail_pages = tail_pages(x, c);
	return c->pred.direct_pages <= r->target_pages &&
	       (c->tail_pages < 0 || c->tail_pages * TAIL_MARGIN <= (double)r->target_pages);
}

static const int64_t wsf_grid[] = {1,   2,   5,   10,  15,  20,  30,  40,   50,   60,   80,   100,  125,  150, 175,
				   200, 250, 300, 400, 500, 600, 800, 1000, 1250, 1500, 2000, 2500, 3000};

/* The boost factor a search candidate names: the recorded one, when the
 * search also tries boosting off (so each candidate says which it is);
 * else "as recorded" (-1), as every candidate ran before. */
static int64_t search_boost(const struct ctx *c)
{
	return c->boost_dim ? c->boost_factor : -1;
}

/* Evaluate one setting (not stored); bf the boost factor (-1 as recorded). */
static int try_setting(struct ctx *c, struct sim_result *res, int64_t mfk, int64_t wsf, int64_t bf,
		       struct sim_candidate *out)
{
	struct sim_settings st = {mfk, wsf, bf};
	struct diag_list tmp = {0};
	int rc = candidate_marks(c, &st, out, &tmp);
	diag_list_clear(&tmp);
	if (rc)
		return rc;
	out->source = SIM_SEARCH;
	evaluate(c, out, NULL, 0);
	out->meets = meets(c, res, out);
	return 0;
}

/* For one min_free_kbytes: the smallest wsf meeting the target (grid, then
 * bisection between the last failing and the first passing value: more
 * wsf never means less headroom).  false when none does. */
static bool best_wsf(struct ctx *c, struct sim_result *res, int64_t mfk, int64_t wsf_max, int64_t bf,
		     struct sim_candidate *best)
{
	if (wsf_max <= 0) /* no wsf sysctl: min_free_kbytes alone */
		return try_setting(c, res, mfk, -1, bf, best) == 0 && best->meets;
	int64_t prev = 0;
	struct sim_candidate cand;
	for (size_t i = 0; i < sizeof(wsf_grid) / sizeof(wsf_grid[0]) && wsf_grid[i] <= wsf_max; i++) {
		if (try_setting(c, res, mfk, wsf_grid[i], bf, &cand))
			return false;
		if (!cand.meets) {
			prev = wsf_grid[i];
			continue;
		}
		*best = cand;
		int64_t a = prev, b = wsf_grid[i];
		while (b - a > 1) {
			int64_t mid = a + (b - a) / 2;
			if (try_setting(c, res, mfk, mid, bf, &cand))
				break;
			if (cand.meets) {
				b = mid;
				*best = cand;
			} else {
				a = mid;
			}
		}
		return true;
	}
	return false;
}

/* The most headroom the memory budget allows at the current
 * min_free_kbytes: the largest wsf whose Σ high fits the budget (the widest
 * legal wsf when all fit), by bisection (Σ high grows with wsf).  false
 * when the kernel has no wsf or none above the current one fits. */
static bool budget_edge_at(struct ctx *c, struct sim_result *res, int64_t mfk0, struct sim_candidate *w)
{
	int64_t wsf_max = c->cur.k.pre46 ? 0 : c->cur.k.wsf_max;
	if (wsf_max <= 0)
		return false;
	int64_t a = c->p.wsf > 0 ? c->p.wsf : 1, b = wsf_max;
	if (try_setting(c, res, mfk0, b, search_boost(c), w))
		return false;
	if (w->held_high <= c->budget_high)
		return true;
	while (b - a > 1) {
		int64_t mid = a + (b - a) / 2;
		if (try_setting(c, res, mfk0, mid, search_boost(c), w))
			return false;
		if (w->held_high <= c->budget_high)
			a = mid;
		else
			b = mid;
	}
	return a > c->p.wsf && try_setting(c, res, mfk0, a, search_boost(c), w) == 0;
}

static bool budget_edge(struct ctx *c, struct sim_result *res, struct sim_candidate *w)
{
	return budget_edge_at(c, res, c->p.min_free_kbytes, w);
}

/* Under THP's floor (docs/whatif.md, "THP's floor").  With THP on,
 * set_recommended_min_free_kbytes() raises min_free_kbytes to 11
 * pageblocks per zone; with the gap at min/4 up to the wsf break-even, a
 * third of the budget's Σ high is then min, which kswapd never uses as
 * headroom.  When that floor set the recorded value and the choice at or
 * above it misses the target or is the budget's edge, the candidate at
 * the model's lower bound (thp_lower_kbytes: the floor's two free
 * pageblocks per zone, never under the sqrt default) with the widest wsf
 * the same budget allows: the same memory held back, a wider high-min
 * band.  Shown and published, never chosen: it gives up the kernel's
 * anti-fragmentation reserve, whose cost shows over long uptimes no
 * history here covers (the rules opt in per profile). */
static void floor_free(struct ctx *c, struct sim_result *res, size_t *cap)
{
	const struct wm_model *m = &c->cur;
	if (m->thp_floor_kbytes < 0 || m->thp_lower_kbytes < 0 || c->p.min_free_kbytes < m->thp_floor_kbytes ||
	    m->thp_lower_kbytes >= c->p.min_free_kbytes || (res->target_met && !res->sized_to_budget))
		return;
	struct sim_candidate w;
	if (!budget_edge_at(c, res, m->thp_lower_kbytes, &w))
		return;
	w.below_thp_floor = true;
	push(res, cap, &w);
	res->floor_free = res->nc - 1;
	const struct sim_candidate *ch = &res->c[res->chosen];
	const double mib = (double)c->p.page_size / 1048576.0;
	char tail[48] = "", weak[96] = "";
	if (w.tail_pages >= 0)
		snprintf(tail, sizeof(tail), ", extrapolated tail %.0f pages", w.tail_pages);
	if (res->sized_to_budget)
		snprintf(weak, sizeof(weak), " (weak evidence: the replay puts only %.0f %% of the stalls at their time)",
			 res->timing_agreement * 100);
	snprintf(res->floor_note, sizeof(res->floor_note),
		 "limit: THP's min_free_kbytes floor (%" PRId64 " kB, set_recommended_min_free_kbytes()). Below it, "
		 "min_free_kbytes %" PRId64 " (the floor's two free pageblocks per zone kept) with wsf %" PRId64
		 " holds back the same budget (Σ high %.1f MiB) with a high-min band of %.1f MiB instead of %.1f "
		 "(simulated zones): predicted %" PRIu64 " direct-reclaim entries (%" PRIu64 " pages%s)%s. Not "
		 "chosen: it gives up part of THP's anti-fragmentation reserve, a cost over long uptimes no history "
		 "here shows (a profile opts in)",
		 m->thp_floor_kbytes, w.s.min_free_kbytes, w.s.wsf, (double)w.held_high * mib,
		 (double)(w.high - w.min) * mib, (double)(ch->high - ch->min) * mib, w.pred.direct_entries,
		 w.pred.direct_pages, tail, weak);
}

static void search(struct ctx *c, struct sim_result *res, size_t *cap)
{
	const struct wm_model *m = &c->cur;
	int64_t wsf_max = m->k.pre46 ? 0 : m->k.wsf_max;
	int64_t mfk0 = c->p.min_free_kbytes;
	int64_t top = m->cap_kbytes > mfk0 ? m->cap_kbytes : mfk0;
	static const double mult[] = {1, 1.25, 1.5, 2, 3, 4, 6, 8, 12, 16};
	int64_t last = -1;
	for (size_t i = 0; i < sizeof(mult) / sizeof(mult[0]); i++) {
		int64_t mfk = (int64_t)((double)mfk0 * mult[i]);
		if (mfk > top)
			mfk = top;
		if (mfk == last)
			break;
		last = mfk;
		char msg[160];
		if (wm_check_setting(&m->k, "vm.min_free_kbytes", mfk, msg, sizeof(msg)))
			continue;
		struct sim_candidate best;
		/* with boosting replayed, each setting with the boost kept (the
		 * recorded factor, named) and off: the choice takes the smaller
		 * Σ high, the boost kept when equal */
		if (best_wsf(c, res, mfk, wsf_max, search_boost(c), &best))
			push(res, cap, &best);
		if (c->boost_dim && best_wsf(c, res, mfk, wsf_max, 0, &best))
			push(res, cap, &best);
	}
	bool within = false;
	for (size_t i = 0; i < res->nc; i++)
		within |= res->c[i].source == SIM_SEARCH && res->c[i].held_high <= c->budget_high;
	if (within)
		return;
	/* nothing met the target within the budget: the most headroom the
	 * budget allows at the current min_free_kbytes (the largest wsf whose
	 * Σ high fits), else the widest legal setting, shows how close it gets */
	struct sim_candidate w;
	if (budget_edge(c, res, &w) && w.s.wsf < wsf_max) {
		push(res, cap, &w);
		return;
	}
	if (try_setting(c, res, top, wsf_max > 0 ? wsf_max : -1, search_boost(c), &w) == 0)
		push(res, cap, &w);
}

/* The tail: a sweep of wsf at the current min_free_kbytes, and a least-
 * squares line through ln(predicted pages) against the low-min gap over
 * the predictions between TAIL_LO and TAIL_HI of the current settings'
 * (deficits the history saw often enough to count).  A replay predicts
 * nothing beyond the deepest deficit of its history; a longer run holds
 * deeper ones (docs/whatif.md, "The tail"). */
static void fit_tail(struct ctx *c, struct sim_result *res, uint64_t cur_pages, int64_t bf, struct tail *out)
{
	int64_t wsf_max = c->cur.k.pre46 ? 0 : c->cur.k.wsf_max;
	out->have = false;
	if (wsf_max <= 0 || cur_pages == 0)
		return;
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	int n = 0;
	for (int64_t w = c->p.wsf > 0 ? c->p.wsf : 1; w <= wsf_max; w = w < 20 ? w + 2 : w * 21 / 20) {
		struct sim_candidate x;
		struct sim_settings st = {c->p.min_free_kbytes, w, bf};
		struct diag_list tmp = {0};
		int rc = candidate_marks(c, &st, &x, &tmp);
		diag_list_clear(&tmp);
		if (rc)
			break;
		evaluate(c, &x, NULL, 0);
		double pg = (double)x.pred.direct_pages;
		if (pg < TAIL_LO * (double)cur_pages)
			break;
		if (pg > TAIL_HI * (double)cur_pages)
			continue;
		double g = (double)(x.low - x.min), y = log(pg);
		sx += g;
		sy += y;
		sxx += g * g;
		sxy += g * y;
		n++;
	}
	double den = n * sxx - sx * sx;
	if (n < 3 || den <= 0)
		return;
	double b = (n * sxy - sx * sy) / den;
	if (b >= 0)
		return;
	out->have = true;
	out->b = b;
	out->a = (sy - b * sx) / n;
	if (bf != 0 || c->boost_factor == 0) {
		res->tail_scale_pages = -1 / b;
		res->tail_points = (unsigned)n;
	}
}

/* ---- bursts and confidence ------------------------------------------------- */

static void count_episodes(const struct ctx *c, struct sim_result *res)
{
	const struct series *s = &c->s;
	double gap = c->cur_marks.low - c->cur_marks.min, run = 0, prev = s->f0;
	bool in_stall = false, counted = false;
	for (size_t i = 0; i < s->n; i++) {
		const struct interval *iv = &s->iv[i];
		double net = iv->alloc - iv->frees;
		if (net > 0) {
			run += net;
			if (run > gap && !counted) {
				res->bursts++;
				counted = true;
			}
		} else {
			run = 0;
			counted = false;
		}
		if (iv->stalls && !in_stall)
			res->stall_episodes++;
		in_stall = iv->stalls > 0;
		/* even if every allocation of the interval came before any free
		 * or reclaim, free memory stayed above low: these stalls are
		 * not order-0 watermark stalls (high-order, THP, compaction) */
		if (iv->stalls && prev - iv->alloc > c->cur_marks.low)
			res->obs_entries_above_low += iv->stalls;
		prev = iv->obs_free;
	}
}

/* Timing: the share of the observed direct-reclaim entries in intervals
 * where the current settings' replay also predicts direct reclaim, within
 * one sample either side (the sample phase).  Calibration matches the
 * count; this says whether it matches it with the same events.  -1 when
 * nothing was observed. */
static double timing_agreement(const struct sim_trace *tr, size_t n)
{
	uint64_t obs = 0, met = 0;
	for (size_t i = 0; i < n; i++) {
		if (!tr[i].obs_stalls)
			continue;
		obs += tr[i].obs_stalls;
		if (tr[i].cur_stalls || (i && tr[i - 1].cur_stalls) || (i + 1 < n && tr[i + 1].cur_stalls))
			met += tr[i].obs_stalls;
	}
	return obs ? (double)met / (double)obs : -1;
}

static void judge(struct sim_result *res, uint64_t pred_cur)
{
	uint64_t obs = res->obs_entries;
	double ratio = obs ? (double)pred_cur / (double)obs : (pred_cur ? INFINITY : 1);
	uint64_t diff = pred_cur > obs ? pred_cur - obs : obs - pred_cur;
	bool calib_ok = diff <= 10 || (ratio >= 0.5 && ratio <= 2);
	bool calib_good = diff <= 10 || (ratio >= 0.8 && ratio <= 1.25);
	bool timing_ok = res->timing_agreement < 0 || res->timing_agreement >= TIMING_MIN;
	/* What the evidence rests on: bursts and stall episodes seen (each is
	 * one test of the gap), the calibration, and time only as a proxy for
	 * "the workload's range was seen" when nothing stalled.  Poor timing
	 * does not lower the level: the choice is then sized to the memory
	 * budget (sim_run), the cautious side, and the reason says so. */
	const char *lvl;
	if (obs == 0)
		lvl = res->span_s >= 3600 ? "high" : res->span_s >= 600 ? "medium" : "low";
	else if (res->bursts < 5 || res->stall_episodes < 3 || res->kswapd_observed <= 0 || !calib_ok)
		lvl = "low";
	else if (res->span_s >= 600 && res->bursts >= 20 && calib_good)
		lvl = "high";
	else
		lvl = "medium";
	res->confidence = lvl;
	char timing[96] = "";
	if (!timing_ok)
		snprintf(timing, sizeof(timing), ", but puts only %.0f %% of them at their time",
			 res->timing_agreement * 100);
	snprintf(res->confidence_why, sizeof(res->confidence_why),
		 "%.0f s of history, %u burst%s deeper than the low-min gap, %u stall episode%s; %s%s%s",
		 res->span_s, res->bursts, res->bursts == 1 ? "" : "s", res->stall_episodes,
		 res->stall_episodes == 1 ? "" : "s",
		 calib_ok ? "the model reproduces the observed stalls" : "the model does not reproduce the observed stalls",
		 timing, res->kswapd_observed <= 0 ? "; kswapd never ran, so its capacity is unknown" : "");
}

/* ---- driver ---------------------------------------------------------------- */

static int settle_params(const struct history *h, struct wm_params *p, struct diag_list *d)
{
	*p = h->p;
	if (p->page_size < 1024) {
		diag_add(d, DIAG_ERROR, h->origin, 0, 0, "page size unknown: the watermarks cannot be modelled");
		return -EINVAL;
	}
	if (p->min_free_kbytes >= 0 && (p->wsf >= 0 || (p->kver && p->kver < KVER(4, 6, 0))))
		return 0;
	/* unknown settings: what the printed marks imply */
	struct wm_model m;
	struct wm_params q = *p;
	if (wm_model_compute(h->zi.zones, h->zi.nzones, &q, &m, d))
		return -EINVAL;
	if (p->min_free_kbytes < 0) {
		if (m.implied_mfk_lo < 0) {
			wm_model_free(&m);
			diag_add(d, DIAG_ERROR, h->origin, 0, 0,
				 "min_free_kbytes unknown and zoneinfo prints no min: the watermarks cannot be modelled");
			return -EINVAL;
		}
		p->min_free_kbytes = m.implied_mfk_lo;
		diag_add(d, DIAG_WARNING, h->origin, 0, 0,
			 "min_free_kbytes not in the history: %" PRId64 " kB assumed from the printed min watermarks",
			 p->min_free_kbytes);
	}
	if (p->wsf < 0 && !m.k.pre46) {
		p->wsf = sysctl_def_of(SC_WATERMARK_SCALE_FACTOR)->def;
		if (m.largest != (size_t)-1 && m.zones[m.largest].implied_wsf > 0)
			p->wsf = m.zones[m.largest].implied_wsf;
		diag_add(d, DIAG_WARNING, h->origin, 0, 0,
			 "watermark_scale_factor not in the history: %" PRId64 " assumed from the printed gaps", p->wsf);
	}
	wm_model_free(&m);
	return 0;
}

int sim_run(const struct history *h, const struct sim_opts *o, struct sim_result *out, struct diag_list *d)
{
	struct sim_result res = {0};
	struct ctx c = {.h = h};
	bool *use = xcalloc(h->zi.nzones, sizeof(*use));
	c.use = use;
	c.offset = xcalloc(h->zi.nzones * 3, sizeof(*c.offset));
	size_t cap = 0;
	int rc = settle_params(h, &c.p, d);
	if (rc)
		goto fail;
	if ((rc = wm_model_compute(h->zi.zones, h->zi.nzones, &c.p, &c.cur, d)))
		goto fail;
	for (size_t i = 0; i < o->ngiven; i++) {
		char msg[200];
		/* -1 is "as recorded"; else the legal range within the advisor's safe bound */
		const struct sysctl_def *bf = sysctl_def_of(SC_WATERMARK_BOOST_FACTOR);
		int64_t blo, bhi;
		const char *bwhy;
		sysctl_safe_bounds(bf, NULL, &blo, &bhi, &bwhy);
		if (bhi > bf->hi)
			bhi = bf->hi;
		if (o->given[i].boost_factor != -1 && (o->given[i].boost_factor < bf->lo || o->given[i].boost_factor > bhi)) {
			diag_add(d, DIAG_ERROR, NULL, 0, 0, "--set: vm.watermark_boost_factor must be %" PRId64 "..%" PRId64 ": %s",
				 bf->lo, bhi, bwhy);
			rc = -ERANGE;
			goto fail;
		}
		if (wm_check_setting(&c.cur.k, "vm.min_free_kbytes", o->given[i].min_free_kbytes, msg, sizeof(msg)) ||
		    (o->given[i].wsf >= 0 &&
		     wm_check_setting(&c.cur.k, "vm.watermark_scale_factor", o->given[i].wsf, msg, sizeof(msg)))) {
			diag_add(d, DIAG_ERROR, NULL, 0, 0, "--set: %s", msg);
			rc = -ERANGE;
			goto fail;
		}
	}
	/* printed base marks minus the model's: boost and managed drift, kept for every candidate */
	for (size_t z = 0; z < c.cur.nzones; z++) {
		const struct wm_zone *w = &c.cur.zones[z];
		if (!w->observed || !w->predicted)
			continue;
		c.offset[3 * z] = w->obs.min - w->boost - w->pred.min;
		c.offset[3 * z + 1] = w->obs.low - w->boost - w->pred.low;
		c.offset[3 * z + 2] = w->obs.high - w->boost - w->pred.high;
	}
	pick_zones(h, use, res.zones, sizeof(res.zones));
	if ((rc = build_series(h, use, &c.s, d)))
		goto fail;

	res.samples = h->n;
	res.span_s = (double)(h->t_ns[h->n - 1] - h->t_ns[0]) / 1e9;
	res.page_size = c.p.page_size;
	res.kswapd_observed = c.s.kswapd_obs;
	res.kswapd_interval = c.s.kswapd_interval;
	res.pages_per_stall = c.s.stall_pages;
	res.reaction_s = REACTION_S;
	res.target_pct = o->target_pct;
	for (size_t i = 0; i < c.s.n; i++)
		res.obs_entries += c.s.iv[i].stalls;
	{
		struct family sd, sk;
		family_of(h, "pgsteal_direct", &sd);
		family_of(h, "pgsteal_kswapd", &sk);
		double ks_total = 0;
		for (size_t i = 1; i < h->n; i++) {
			double x;
			if (family_delta(h, &sd, i, &x))
				res.obs_pages += (uint64_t)x;
			if (family_delta(h, &sk, i, &x))
				ks_total += x;
		}
		res.obs_seconds_kswapd = c.s.kswapd_obs > 0 ? ks_total / c.s.kswapd_obs : 0;
	}

	/* unrecorded: the kernel's default where the kernel has boosting (the catalog: 15000, from 5.0) */
	const struct sysctl_def *bfd = sysctl_def_of(SC_WATERMARK_BOOST_FACTOR);
	c.boost_factor = h->boost_factor >= 0 ? h->boost_factor : c.p.kver >= bfd->since ? bfd->def : 0;
	c.dy.pageblock = c.cur.pageblock_pages > 0 ? (double)c.cur.pageblock_pages
						 : (double)((2 << 20) / c.p.page_size > 0 ? (2 << 20) / c.p.page_size : 1);
	res.boost_factor = c.boost_factor;
	res.boost_sysctl = h->boost_factor >= 0 || c.p.kver >= bfd->since;
	res.kept_boost_high = -1;
	res.floor_free = (size_t)-1;
	res.thp_floor_kbytes = c.cur.thp_floor_kbytes;
	res.thp_lower_kbytes = c.cur.thp_lower_kbytes;
	struct sim_candidate cur;
	struct sim_settings cs = {c.p.min_free_kbytes, c.cur.k.pre46 ? -1 : c.p.wsf, -1};
	if ((rc = candidate_marks(&c, &cs, &cur, d)))
		goto fail;
	cur.source = SIM_CURRENT;
	c.cur_marks = marks_of(&cur);
	kswapd_availability(&c, &res);
	calibrate(&c, res.obs_entries, &res);
	count_episodes(&c, &res);
	/* boosting off as a search dimension: where the history shows the
	 * boost rising, the replay with it off is as much a prediction as with
	 * it on (the boost's cap and its lift of min are the kernel's
	 * arithmetic; only its event rate is fitted).  THP never only: with THP
	 * its anti-fragmentation work frees pageblocks for huge pages, a cost
	 * the replay does not see (and the 6.1 guests measured no gain there) */
	c.boost_dim = o->search && res.boost_modelled && c.boost_factor > 0 && c.p.thp == WM_THP_NEVER;
	res.boost_searched = c.boost_dim;

	res.trace = xcalloc(c.s.n ? c.s.n : 1, sizeof(*res.trace));
	res.ntrace = c.s.n;
	double t = 0;
	for (size_t i = 0; i < c.s.n; i++) {
		t += c.s.iv[i].dt;
		res.trace[i].t = t;
		res.trace[i].obs_free = c.s.iv[i].obs_free;
		res.trace[i].obs_stalls = (uint32_t)c.s.iv[i].stalls;
	}
	evaluate(&c, &cur, res.trace, 0);
	res.timing_agreement = timing_agreement(res.trace, res.ntrace);
	res.target_pages = (uint64_t)floor((double)cur.pred.direct_pages * o->target_pct / 100.0);
	{
		/* the memory budget: half of what the fixed advice of the closest
		 * existing tool (wsf 200 + min_free_kbytes 131072) would add here */
		struct sim_candidate fx;
		struct sim_settings fs = {cur.s.min_free_kbytes > 131072 ? cur.s.min_free_kbytes : 131072,
					  c.cur.k.pre46 ? -1 : 200, -1};
		struct diag_list tmp = {0};
		c.budget_high = INT64_MAX;
		if (candidate_marks(&c, &fs, &fx, &tmp) == 0 && fx.held_high > cur.held_high)
			c.budget_high = cur.held_high + (fx.held_high - cur.held_high) / 2;
		else if (fx.held_high <= cur.held_high)
			c.budget_high = cur.held_high;
		diag_list_clear(&tmp);
		res.budget_high = c.budget_high;
	}
	fit_tail(&c, &res, cur.pred.direct_pages, -1, &c.tail[0]);
	if (res.boost_modelled)
		fit_tail(&c, &res, cur.pred.direct_pages, 0, &c.tail[1]);
	cur.meets = meets(&c, &res, &cur);
	push(&res, &cap, &cur);
	for (size_t i = 0; i < o->ngiven; i++) {
		struct sim_candidate g;
		if ((rc = candidate_marks(&c, &o->given[i], &g, d)))
			goto fail;
		g.source = SIM_GIVEN;
		evaluate(&c, &g, NULL, 0);
		g.meets = meets(&c, &res, &g);
		push(&res, &cap, &g);
	}
	judge(&res, cur.pred.direct_entries);

	res.chosen = 0;
	res.target_met = true;
	if (res.obs_entries == 0 && cur.pred.direct_entries == 0) {
		snprintf(res.note, sizeof(res.note),
			 "no direct reclaim in this history and none predicted: nothing to size, the current "
			 "settings are kept");
	} else {
		if (o->search)
			search(&c, &res, &cap);
		/* smallest memory held back among those meeting the target
		 * within the budget; else fewest stall pages within it */
		size_t best = (size_t)-1;
		struct sim_candidate edge;
		for (size_t i = 0; i < res.nc; i++) {
			const struct sim_candidate *x = &res.c[i];
			if (!x->meets || x->held_high > c.budget_high)
				continue;
			/* equal memory: keep the boost (it exists against fragmentation) */
			if (best == (size_t)-1 || x->held_high < res.c[best].held_high ||
			    (x->held_high == res.c[best].held_high && sim_boost_of(&res, &res.c[best]) == 0 &&
			     sim_boost_of(&res, x) != 0))
				best = i;
			if (c.boost_dim && sim_boost_of(&res, x) != 0 &&
			    (res.kept_boost_high < 0 || x->held_high < res.kept_boost_high))
				res.kept_boost_high = x->held_high;
		}
		if (best == (size_t)-1) {
			res.target_met = false;
			best = 0;
			for (size_t i = 1; i < res.nc; i++)
				if (res.c[i].held_high <= c.budget_high &&
				    (res.c[i].pred.direct_pages < res.c[best].pred.direct_pages ||
				     (res.c[i].pred.direct_pages == res.c[best].pred.direct_pages &&
				      (res.c[i].tail_pages < res.c[best].tail_pages ||
				       (res.c[i].tail_pages == res.c[best].tail_pages &&
					res.c[i].held_high < res.c[best].held_high)))))
					best = i;
			snprintf(res.note, sizeof(res.note),
				 "no legal setting within the memory budget meets the target (<= %g %% of the "
				 "current direct reclaim, tail included); the closest is shown%s",
				 o->target_pct,
				 res.obs_entries_above_low * 2 > res.obs_entries
					 ? ": most stalls came while free memory was above low (high-order, THP or "
					   "compaction), which no order-0 headroom removes"
					 : "");
		} else if (o->search && res.timing_agreement >= 0 && res.timing_agreement < TIMING_MIN &&
			   budget_edge(&c, &res, &edge) && edge.held_high > res.c[best].held_high) {
			/* the replay matches the number of stalls with other events
			 * than the observed ones: its curve over wider settings is
			 * no evidence of how much headroom suffices (on the THP
			 * guests it was optimistic at every wsf), so the headroom
			 * is what the memory budget allows */
			int64_t would = res.c[best].s.wsf;
			push(&res, &cap, &edge);
			best = res.nc - 1;
			/* not shown: the only evidence is the replay just set aside */
			res.target_met = false;
			res.sized_to_budget = true;
			snprintf(res.note, sizeof(res.note),
				 "limit: the memory budget (half of what wsf 200 + min_free_kbytes 131072 would add). "
				 "The replay reproduces the number of stalls but puts only %.0f %% of them at their "
				 "time, so its prediction for wider settings is no evidence of the headroom needed "
				 "(it would choose wsf %" PRId64 "): the most the budget allows",
				 res.timing_agreement * 100, would);
		} else {
			int len = snprintf(res.note, sizeof(res.note),
					   "the smallest memory held back whose predicted direct reclaim is <= %g %% of "
					   "the current settings' (%" PRIu64 " pages)%s",
					   o->target_pct, res.target_pages,
					   c.tail[0].have ? ", the extrapolated tail 2x below that" : "");
			const double mib = (double)c.p.page_size / 1048576.0;
			if (len > 0 && (size_t)len < sizeof(res.note) && c.boost_dim &&
			    sim_boost_of(&res, &res.c[best]) == 0) {
				if (res.kept_boost_high >= 0)
					snprintf(res.note + len, sizeof(res.note) - (size_t)len,
						 ", with watermark boosting off: %.1f MiB less than the smallest "
						 "setting meeting it with the boost kept",
						 (double)(res.kept_boost_high - res.c[best].held_high) * mib);
				else
					snprintf(res.note + len, sizeof(res.note) - (size_t)len,
						 ", with watermark boosting off: none with the boost kept meets it "
						 "within the memory budget");
			}
		}
		res.chosen = best;
		if (o->search)
			floor_free(&c, &res, &cap);
	}
	res.alone = res.chosen;
	if (o->force_given && o->ngiven) {
		/* the caller's choice (sim_joint.c): whether it meets this
		 * history's target within its budget; the note is the caller's */
		res.chosen = 1;
		res.target_met = res.c[1].meets && res.c[1].held_high <= c.budget_high;
	}
	evaluate(&c, &res.c[res.chosen], res.trace, 1);
	*out = res;
	rc = 0;
	goto out;
fail:
	sim_result_free(&res);
out:
	free(c.s.iv);
	wm_model_free(&c.cur);
	free(c.offset);
	free(use);
	return rc;
}

void sim_result_free(struct sim_result *r)
{
	if (!r)
		return;
	free(r->c);
	free(r->trace);
	memset(r, 0, sizeof(*r));
}
