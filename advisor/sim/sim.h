/* sim: the what-if simulator.  Replays a history's allocation demand against
 * other watermarks and predicts direct reclaim.
 *
 * The model (docs/whatif.md has the long form and its limits):
 *   - Zones: those that take allocations (a zone kind with >= 5 % of the
 *     history's pgalloc_*), summed: free F, and Σmin, Σlow, Σhigh.
 *   - Demand per interval: net D = F(before) - F(after) + pgsteal_kswapd +
 *     pgsteal_direct (what the workload consumed beyond what reclaim gave
 *     back), gross allocations A = Σ pgalloc of those zones (>= D), frees by
 *     the workload A - D spread evenly over the interval.
 *   - Sub-interval bursts: A arrives at the burst rate r from the start of
 *     the interval (or spread over all of it, if r is slower).  r is not in
 *     1 s counters, so it is calibrated: the largest r with which the
 *     current settings predict no more direct-reclaim entries than the
 *     history's allocstall (or the closest match).
 *   - kswapd: wakes when F < Σlow, after a reaction time (2 ms), reclaims at
 *     its observed capacity (the highest pgsteal_kswapd rate of an interval
 *     in which it scanned) until F >= Σhigh; in the intervals where the
 *     history shows it awake throughout (free below low at both samples),
 *     at the share of that rate it got there.
 *   - Direct reclaim: when F < Σmin the allocating task reclaims; each entry
 *     takes the history's pages per stall (pgsteal_direct / allocstall; 32,
 *     SWAP_CLUSTER_MAX, when it never stalled).
 *   - Candidate watermarks come from the watermark model (watermark.h) for
 *     the candidate's min_free_kbytes and wsf, shifted per zone by what the
 *     printed marks differ from the model's current prediction (boost,
 *     managed drift), so the current candidate is the printed marks.
 *
 * No I/O.  sim_run borrows the history; the result owns its arrays
 * (sim_result_free, NULL-safe).
 */
#ifndef ADVISOR_SIM_H
#define ADVISOR_SIM_H

#include "../base/diag.h"
#include "../history/history.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_settings {
	int64_t min_free_kbytes;
	int64_t wsf;               /* -1 on kernels without the sysctl (< 4.6) */
	int64_t boost_factor;      /* vm.watermark_boost_factor, -1 = as recorded */
};

struct sim_pred {
	uint64_t direct_entries;
	uint64_t direct_pages;
	double seconds_below_min;  /* time allocations spent below Σmin (in direct reclaim) */
	double seconds_kswapd;     /* time kswapd ran */
};

enum sim_source { SIM_CURRENT, SIM_GIVEN, SIM_SEARCH };
const char *sim_source_name(enum sim_source s); /* "current", "given", "search" */

struct sim_result;
struct sim_candidate;
/* The watermark_boost_factor a candidate runs with: its own, or the
 * recorded one (sim_result.boost_factor) when it says "as recorded". */
int64_t sim_boost_of(const struct sim_result *r, const struct sim_candidate *c);

struct sim_candidate {
	struct sim_settings s;
	enum sim_source source;
	int64_t min, low, high;    /* simulated zones, pages */
	int64_t boost_cap;         /* the largest boost of the simulated zones, pages (0: boosting off) */
	int64_t held_high, held_min; /* Σ high and Σ min over every zone, pages */
	struct sim_pred pred;
	double tail_pages;         /* direct-reclaim pages the extrapolated tail gives, -1 no tail */
	bool meets;                /* meets the target */
	bool below_thp_floor;      /* min_free_kbytes under THP's floor: shown, never chosen (sim_run) */
};

struct sim_opts {
	double target_pct;                 /* direct-reclaim pages <= this % of the current's (1) */
	const struct sim_settings *given;  /* --set candidates, borrowed */
	size_t ngiven;
	bool search;                       /* search wsf x min_free_kbytes */
	bool force_given;                  /* the choice is given[0], whatever meets the target (sim_joint:
					    * one choice replayed on each history); the history's own choice
					    * is then sim_result.alone */
};

struct sim_trace {
	double t;          /* seconds since the first sample, end of the interval */
	double obs_free;   /* observed free pages, simulated zones */
	double cur_min;    /* lowest simulated free within the interval, current settings */
	double cho_min;    /* the same for the chosen settings */
	uint32_t obs_stalls, cur_stalls, cho_stalls;
};

struct sim_result {
	size_t samples;
	double span_s;
	unsigned bursts;           /* runs of net demand that each exceed the current low-min gap */
	unsigned stall_episodes;   /* runs of intervals with allocstall */
	int64_t page_size;
	char zones[160];           /* which zones were simulated, for text */
	/* observed */
	uint64_t obs_entries, obs_pages;
	uint64_t obs_entries_above_low; /* stalls in intervals whose free stayed above Σlow */
	double timing_agreement;   /* share of the observed direct-reclaim entries that the current
				    * settings' replay also puts there (within one sample); -1 none observed */
	bool sized_to_budget;      /* the choice is the memory budget's edge, not the smallest meeting the
				    * target: the replay does not reproduce when the stalls happened */
	double obs_seconds_kswapd;      /* kswapd steal / capacity, summed */
	/* calibration */
	const char *regime;        /* "spread" (allocations over each interval) or "bursts" */
	double kswapd_rate;        /* pages/s kswapd reclaims while it runs (calibrated) */
	double kswapd_observed;    /* the fastest the counters show it reclaim (a lower bound); 0 never ran */
	double kswapd_interval;    /* the same over whole intervals only (without PSI time) */
	unsigned kswapd_measured_intervals; /* intervals where kswapd ran throughout: its share of its
					     * rate measured there and replayed (sim.c, kswapd_availability) */
	double kswapd_mean_availability;    /* the mean of those shares, -1 none */
	double burst_rate;         /* pages/s of a burst; 0 = spread over each interval */
	double uniform_rate;       /* the fastest interval's allocation rate */
	bool boost_recorded;       /* every sample recorded the zones' boost (history version 2) */
	bool boost_modelled;       /* boost recorded and on: its events are replayed */
	bool boost_sysctl;         /* the kernel has vm.watermark_boost_factor (recorded, or 5.0+) */
	bool boost_searched;       /* the search also replays each candidate with boosting off (the
				    * boost modelled, THP never: sim_run) */
	int64_t boost_factor;      /* recorded (or the kernel default), 0 = off */
	int64_t kept_boost_high;   /* with boost_searched: the smallest Σ high meeting the target with the
				    * boost kept, within the budget, pages; -1 none */
	double boost_events_per_page;  /* boost events per page allocated below high (the rises / those pages) */
	double boost_rises_pageblocks; /* the history's rises of the boost between samples, pageblocks */
	double boost_observed_mean, boost_simulated_mean; /* pages, at the sample times */
	double pages_per_stall;
	double reaction_s;
	char calibration[320];     /* one sentence */
	/* candidates: [0] is current, then given, then the search frontier */
	struct sim_candidate *c;
	size_t nc;
	size_t chosen;
	size_t alone;              /* what this history alone would choose: chosen, unless force_given */
	bool target_met;
	double target_pct;
	uint64_t target_pages;
	double tail_scale_pages;   /* the tail's decay length (pages of gap per factor e), 0 no tail */
	unsigned tail_points;      /* predictions the tail was fitted on */
	int64_t budget_high;       /* the most Σ high a choice may hold back, pages (INT64_MAX none) */
	/* THP's floor: when it raised the recorded min_free_kbytes and the choice
	 * at or above it does not meet the target (or is the budget's edge), the
	 * candidate under it (below_thp_floor) at the model's lower bound, with
	 * the widest wsf the same budget allows; (size_t)-1 when not searched */
	size_t floor_free;
	int64_t thp_floor_kbytes;  /* set_recommended_min_free_kbytes() for these zones, -1 THP off/unknown */
	int64_t thp_lower_kbytes;  /* the lowest min_free_kbytes under it (watermark.h), -1 likewise */
	char floor_note[640];      /* "limit: THP's min_free_kbytes floor; below it ...", "" when not searched */
	const char *confidence;    /* "low", "medium", "high" */
	char confidence_why[640];  /* sized for the longest reason (format-truncation under -O1) */
	char note[400];            /* why the choice is what it is */
	struct sim_trace *trace;   /* samples - 1 intervals */
	size_t ntrace;
};

/* Run the model on h.  0, or -EINVAL (a history without the counters the
 * model needs: pgsteal, free pages) or -ERANGE (a given setting outside the
 * kernel's legal range or the advisor's safe bound) with an error in d.
 * Warnings (assumed settings) may be added on success. */
int sim_run(const struct history *h, const struct sim_opts *o, struct sim_result *out,
	    struct diag_list *d);
void sim_result_free(struct sim_result *r);

#endif
