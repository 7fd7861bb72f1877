/* sim_joint: one choice from several histories (see sim_joint.h). */
#include "sim_joint.h"

#include "../base/buf.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One candidate of the union: its settings, and whether some history
 * shows it only as the candidate under THP's floor (never chosen). */
struct ucand {
	struct sim_settings s;
	bool floor;
};

static bool same_settings(const struct sim_settings *a, const struct sim_settings *b)
{
	return a->min_free_kbytes == b->min_free_kbytes && a->wsf == b->wsf && a->boost_factor == b->boost_factor;
}

/* Add s to the union u (deduplicated). */
static void u_add(struct ucand **u, size_t *nu, size_t *cap, const struct sim_settings *s, bool floor)
{
	for (size_t k = 0; k < *nu; k++)
		if (same_settings(&(*u)[k].s, s)) {
			(*u)[k].floor &= floor;
			return;
		}
	if (*nu == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*u = xreallocarray(*u, *cap, sizeof(**u));
	}
	(*u)[(*nu)++] = (struct ucand){*s, floor};
}

/* The index of s in the union (it holds every candidate of every run). */
static size_t u_find(const struct ucand *u, size_t nu, const struct sim_settings *s)
{
	for (size_t k = 0; k < nu; k++)
		if (same_settings(&u[k].s, s))
			return k;
	abort(); /* not reached: the union was built from these candidates */
}

static int level_of(const char *c)
{
	return !strcmp(c, "high") ? 2 : !strcmp(c, "medium") ? 1 : 0;
}

static const char *const level_name[] = {"low", "medium", "high"};

/* "A, B and C", or "A, B and 3 more" when it would not fit. */
static void name_origins(const struct history *const *h, size_t n, char *out, size_t size)
{
	struct buf b = {0};
	for (size_t i = 0; i < n; i++) {
		size_t before = b.len;
		buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", h[i]->origin);
		if (b.len + 16 >= size && i + 1 < n) {
			b.len = before;
			buf_printf(&b, " and %zu more", n - i);
			break;
		}
	}
	snprintf(out, size, "%s", buf_str(&b));
	buf_free(&b);
}

/* The candidate's Σ high on the histories: the largest (the zones are one
 * host's; the printed marks move by a few pages between boots). */
static int64_t held_of(const struct sim_result *rep, size_t n, size_t k)
{
	int64_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (rep[i].c[1 + k].held_high > m)
			m = rep[i].c[1 + k].held_high;
	return m;
}

/* No direct reclaim recorded and none replayed: sim_run keeps the settings. */
static bool nothing_to_size(const struct sim_result *r)
{
	return r->obs_entries == 0 && r->c[0].pred.direct_entries == 0;
}

/* Whether union candidate k is acceptable on history i: it meets the
 * history's own target within its budget and, where the history alone
 * was sized to the budget's edge (its replay no evidence of the headroom
 * needed), holds back at least that edge. */
static bool ok_on(const struct sim_result *alone, const struct sim_result *rep, size_t i, size_t k, int64_t held)
{
	const struct sim_candidate *c = &rep[i].c[1 + k];
	if (!c->meets || c->held_high > rep[i].budget_high)
		return false;
	/* a history with nothing to size keeps its settings (sim_run): less
	 * headroom than they hold is no evidence it would do, even where its
	 * replay predicts no stall */
	if (nothing_to_size(&alone[i]) && held < rep[i].c[0].held_high)
		return false;
	return !alone[i].sized_to_budget || held >= alone[i].c[alone[i].chosen].held_high;
}

static struct sim_settings *settings_of(const struct ucand *u, size_t nu)
{
	struct sim_settings *s = xcalloc(nu ? nu : 1, sizeof(*s));
	for (size_t k = 0; k < nu; k++)
		s[k] = u[k].s;
	return s;
}

/* Replay s[0..m) on each history, search off: rep[i].c[1 + k] is s[k]. */
static int replay_all(const struct history *const *h, size_t n, const struct sim_opts *o,
		      const struct sim_settings *s, size_t m, struct sim_result *rep, struct diag_list *quiet)
{
	struct sim_opts b = {.target_pct = o->target_pct, .given = s, .ngiven = m};
	for (size_t i = 0; i < n; i++) {
		sim_result_free(&rep[i]);
		int rc = sim_run(h[i], &b, &rep[i], quiet);
		if (rc)
			return rc;
	}
	return 0;
}

static bool ok_all(const struct sim_result *alone, const struct sim_result *rep, size_t n, size_t k)
{
	int64_t held = held_of(rep, n, k);
	for (size_t i = 0; i < n; i++)
		if (!ok_on(alone, rep, i, k, held))
			return false;
	return true;
}

/* The union holds each history's frontier: per min_free_kbytes (and
 * boost), the smallest wsf meeting that history's target.  What meets
 * every history's lies between the largest of those and the next that
 * meets them all: for each such line, the smallest wsf acceptable on
 * every history, by bisection between the union's last failing and first
 * passing wsf on it (more wsf never means less headroom; the values in
 * between are legal as the ends are), every line's midpoint replayed in
 * one run per history and round.  Each line's answer joins the union. */
struct line {
	int64_t mfk, bf, lo, hi; /* wsf: lo fails somewhere (0 none known), hi passes everywhere (-1 none known) */
};

static int refine(const struct history *const *h, size_t n, const struct sim_opts *o,
		  const struct sim_result *alone, const struct sim_result *rep, struct ucand **u, size_t *nu,
		  size_t *ucap, struct diag_list *quiet)
{
	struct line *ln = xcalloc(*nu ? *nu : 1, sizeof(*ln));
	size_t nl = 0;
	bool *ok = xcalloc(*nu ? *nu : 1, sizeof(*ok));
	for (size_t k = 0; k < *nu; k++)
		ok[k] = !(*u)[k].floor && ok_all(alone, rep, n, k);
	/* every line of the union; where nothing on it passes everywhere,
	 * the widest wsf of the union (legal: the range does not depend on
	 * min_free_kbytes) is tried first */
	int64_t wmax = -1;
	for (size_t k = 0; k < *nu; k++) {
		const struct sim_settings *s = &(*u)[k].s;
		if ((*u)[k].floor || s->wsf < 0)
			continue;
		wmax = s->wsf > wmax ? s->wsf : wmax;
		size_t l = 0;
		while (l < nl && (ln[l].mfk != s->min_free_kbytes || ln[l].bf != s->boost_factor))
			l++;
		if (l == nl)
			ln[nl++] = (struct line){s->min_free_kbytes, s->boost_factor, 0, -1};
		if (ok[k] && (ln[l].hi < 0 || s->wsf < ln[l].hi))
			ln[l].hi = s->wsf;
	}
	for (size_t k = 0; k < *nu; k++) {
		const struct sim_settings *s = &(*u)[k].s;
		for (size_t l = 0; !ok[k] && !(*u)[k].floor && s->wsf >= 0 && l < nl; l++)
			if (ln[l].mfk == s->min_free_kbytes && ln[l].bf == s->boost_factor &&
			    (ln[l].hi < 0 || s->wsf < ln[l].hi) && s->wsf > ln[l].lo)
				ln[l].lo = s->wsf;
	}
	struct sim_settings *mid = xcalloc(nl ? nl : 1, sizeof(*mid));
	size_t *of = xcalloc(nl ? nl : 1, sizeof(*of));
	struct sim_result *tmp = xcalloc(n, sizeof(*tmp));
	int rc = 0;
	for (;;) {
		size_t m = 0;
		for (size_t l = 0; l < nl; l++) {
			int64_t w = ln[l].hi < 0 ? (wmax > ln[l].lo ? wmax : -1)
				  : ln[l].hi - ln[l].lo > 1 ? ln[l].lo + (ln[l].hi - ln[l].lo) / 2 : -1;
			if (w < 0)
				continue;
			mid[m] = (struct sim_settings){ln[l].mfk, w, ln[l].bf};
			of[m++] = l;
		}
		if (!m || (rc = replay_all(h, n, o, mid, m, tmp, quiet)))
			break;
		for (size_t x = 0; x < m; x++) {
			struct line *l = &ln[of[x]];
			if (ok_all(alone, tmp, n, x))
				l->hi = mid[x].wsf;
			else if (l->hi < 0)
				l->lo = wmax; /* nothing on this line passes: done */
			else
				l->lo = mid[x].wsf;
		}
	}
	for (size_t l = 0; !rc && l < nl; l++) {
		if (ln[l].hi < 0)
			continue;
		struct sim_settings s = {ln[l].mfk, ln[l].hi, ln[l].bf};
		u_add(u, nu, ucap, &s, false);
	}
	for (size_t i = 0; i < n; i++)
		sim_result_free(&tmp[i]);
	free(tmp);
	free(mid);
	free(of);
	free(ok);
	free(ln);
	return rc;
}

static void add_pred(struct sim_pred *a, const struct sim_pred *b)
{
	a->direct_entries += b->direct_entries;
	a->direct_pages += b->direct_pages;
	a->seconds_below_min += b->seconds_below_min;
	a->seconds_kswapd += b->seconds_kswapd;
}

static int by_held(const void *a, const void *b, void *ctx)
{
	const int64_t *held = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return held[x] < held[y] ? -1 : held[x] > held[y] ? 1 : x < y ? -1 : x > y;
}

/* A small insertion sort with a context (qsort_r is not C17). */
static void sort_idx(size_t *v, size_t n, const int64_t *held)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && by_held(&v[j - 1], &v[j], (void *)held) > 0; j--) {
			size_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

int sim_run_joint(const struct history *const *h, size_t n, const struct sim_opts *o, struct sim_joint *out,
		  struct diag_list *d)
{
	struct sim_joint j = {.n = n, .h = h};
	struct sim_result *alone = xcalloc(n, sizeof(*alone)), *rep = xcalloc(n, sizeof(*rep));
	struct ucand *u = NULL;
	size_t nu = 0, ucap = 0, *rows = NULL;
	struct sim_settings *us = NULL, *vg = NULL;
	int64_t *held = NULL;
	struct diag_list quiet = {0}; /* the passes after the first repeat its warnings */
	int rc = 0;
	j.view = xcalloc(n, sizeof(*j.view));
	name_origins(h, n, j.origins, sizeof(j.origins));

	/* 1. each history alone */
	struct sim_opts a = *o;
	a.force_given = false;
	for (size_t i = 0; i < n; i++)
		if ((rc = sim_run(h[i], &a, &alone[i], d)))
			goto fail;
	/* 2. the union, replayed on each, and refined (refine) */
	for (size_t i = 0; i < n; i++)
		for (size_t c = 0; c < alone[i].nc; c++)
			u_add(&u, &nu, &ucap, &alone[i].c[c].s, alone[i].c[c].below_thp_floor);
	us = settings_of(u, nu);
	if ((rc = replay_all(h, n, o, us, nu, rep, &quiet)))
		goto fail_quiet;
	/* --no-search: the current settings and each --set only */
	if (o->search && (rc = refine(h, n, o, alone, rep, &u, &nu, &ucap, &quiet)))
		goto fail_quiet;
	free(us);
	us = settings_of(u, nu);
	if ((rc = replay_all(h, n, o, us, nu, rep, &quiet)))
		goto fail_quiet;
	held = xcalloc(nu, sizeof(*held));
	for (size_t k = 0; k < nu; k++)
		held[k] = held_of(rep, n, k);

	/* 3. the choice */
	size_t best = (size_t)-1, widest = 0;
	for (size_t i = 0; i < n; i++) {
		if (alone[i].c[alone[i].chosen].held_high > alone[widest].c[alone[widest].chosen].held_high)
			widest = i;
	}
	j.binding = widest;
	for (size_t k = 0; k < nu; k++) {
		if (u[k].floor)
			continue;
		bool all = true;
		for (size_t i = 0; all && i < n; i++)
			all = ok_on(alone, rep, i, k, held[k]);
		if (!all)
			continue;
		/* equal memory: keep the boost (it exists against fragmentation) */
		if (best == (size_t)-1 || held[k] < held[best] ||
		    (held[k] == held[best] && us[best].boost_factor == 0 && us[k].boost_factor != 0))
			best = k;
	}
	bool met = best != (size_t)-1;
	if (!met)
		best = u_find(u, nu, &alone[widest].c[alone[widest].chosen].s);

	/* 4. each history with the choice forced: [choice, --set...] */
	vg = xcalloc(o->ngiven + 1, sizeof(*vg));
	vg[0] = us[best];
	for (size_t g = 0; g < o->ngiven; g++)
		vg[g + 1] = o->given[g];
	struct sim_opts v = *o;
	v.given = vg;
	v.ngiven = o->ngiven + 1;
	v.force_given = true;
	for (size_t i = 0; i < n; i++) {
		if ((rc = sim_run(h[i], &v, &j.view[i], &quiet)))
			goto fail_quiet;
		j.met_on += j.view[i].target_met;
	}

	/* the joint result: current, each history's own choice, the choice,
	 * the candidate under THP's floor; sorted by Σ high after current */
	struct sim_result *r = &j.joint;
	const struct sim_result *bv = &j.view[widest];
	bool *pick = xcalloc(nu, sizeof(*pick));
	size_t floor_k = (size_t)-1;
	for (size_t i = 0; i < n; i++)
		pick[u_find(u, nu, &alone[i].c[alone[i].chosen].s)] = true;
	pick[best] = true;
	for (size_t g = 0; g < o->ngiven; g++) /* each --set, as one history's table shows it */
		pick[u_find(u, nu, &o->given[g])] = true;
	if (alone[widest].floor_free != (size_t)-1) {
		floor_k = u_find(u, nu, &alone[widest].c[alone[widest].floor_free].s);
		pick[floor_k] = true;
	}
	/* the current settings are row 0: a choice equal to them is that row */
	pick[u_find(u, nu, &alone[0].c[0].s)] = false;
	rows = xcalloc(nu + 1, sizeof(*rows));
	size_t nrows = 0;
	for (size_t k = 0; k < nu; k++)
		if (pick[k])
			rows[nrows++] = k;
	free(pick);
	sort_idx(rows, nrows, held);
	r->nc = nrows + 1;
	r->c = xcalloc(r->nc, sizeof(*r->c));
	j.per = xcalloc(r->nc * n, sizeof(*j.per));
	j.meets = xcalloc(r->nc * n, sizeof(*j.meets));
	r->c[0] = alone[0].c[0];
	r->c[0].pred = (struct sim_pred){0};
	r->c[0].meets = true;
	for (size_t i = 0; i < n; i++) {
		add_pred(&r->c[0].pred, &rep[i].c[0].pred);
		j.per[i] = rep[i].c[0].pred;
		j.meets[i] = rep[i].c[0].meets;
		r->c[0].meets &= rep[i].c[0].meets;
	}
	r->chosen = 0;
	r->floor_free = (size_t)-1;
	for (size_t x = 0; x < nrows; x++) {
		size_t k = rows[x];
		struct sim_candidate *c = &r->c[x + 1];
		*c = rep[widest].c[1 + k];
		c->source = SIM_SEARCH;
		for (size_t g = 0; g < o->ngiven; g++)
			if (same_settings(&u[k].s, &o->given[g]))
				c->source = SIM_GIVEN;
		c->held_high = held[k];
		c->pred = (struct sim_pred){0};
		c->tail_pages = -1;
		c->below_thp_floor = k == floor_k;
		c->meets = true;
		for (size_t i = 0; i < n; i++) {
			add_pred(&c->pred, &rep[i].c[1 + k].pred);
			j.per[(x + 1) * n + i] = rep[i].c[1 + k].pred;
			j.meets[(x + 1) * n + i] = ok_on(alone, rep, i, k, held[k]);
			c->meets &= j.meets[(x + 1) * n + i];
		}
		if (k == best)
			r->chosen = x + 1;
		if (k == floor_k)
			r->floor_free = x + 1;
	}
	r->alone = r->chosen;

	/* the counts summed; the model's figures are the binding history's */
	for (size_t i = 0; i < n; i++) {
		const struct sim_result *x = &alone[i];
		r->samples += x->samples;
		r->span_s += x->span_s;
		r->bursts += x->bursts;
		r->stall_episodes += x->stall_episodes;
		r->obs_entries += x->obs_entries;
		r->obs_pages += x->obs_pages;
		r->obs_entries_above_low += x->obs_entries_above_low;
		r->obs_seconds_kswapd += x->obs_seconds_kswapd;
		r->boost_rises_pageblocks += x->boost_rises_pageblocks;
		r->target_pages += x->target_pages;
	}
	r->boost_recorded = true;
	for (size_t i = 0; i < n; i++) {
		r->boost_recorded &= alone[i].boost_recorded;
		r->boost_modelled |= alone[i].boost_modelled;
		r->boost_searched |= alone[i].boost_searched;
	}
	r->page_size = bv->page_size;
	memcpy(r->zones, bv->zones, sizeof(r->zones));
	r->timing_agreement = -1;
	{
		double w = 0, s = 0;
		for (size_t i = 0; i < n; i++)
			if (alone[i].timing_agreement >= 0) {
				w += (double)alone[i].obs_entries;
				s += alone[i].timing_agreement * (double)alone[i].obs_entries;
			}
		if (w > 0)
			r->timing_agreement = s / w;
	}
	r->regime = bv->regime;
	r->kswapd_rate = bv->kswapd_rate;
	r->kswapd_observed = bv->kswapd_observed;
	r->kswapd_interval = bv->kswapd_interval;
	r->kswapd_measured_intervals = bv->kswapd_measured_intervals;
	r->kswapd_mean_availability = bv->kswapd_mean_availability;
	r->burst_rate = bv->burst_rate;
	r->uniform_rate = bv->uniform_rate;
	r->boost_sysctl = bv->boost_sysctl;
	r->boost_factor = bv->boost_factor;
	r->kept_boost_high = -1;
	r->boost_events_per_page = bv->boost_events_per_page;
	r->boost_observed_mean = bv->boost_observed_mean;
	r->boost_simulated_mean = bv->boost_simulated_mean;
	r->pages_per_stall = bv->pages_per_stall;
	r->reaction_s = bv->reaction_s;
	snprintf(r->calibration, sizeof(r->calibration), "each history fitted on its own (below)");
	r->target_pct = o->target_pct;
	r->target_met = met;
	r->budget_high = INT64_MAX;
	for (size_t i = 0; i < n; i++)
		if (rep[i].budget_high < r->budget_high)
			r->budget_high = rep[i].budget_high;
	r->thp_floor_kbytes = bv->thp_floor_kbytes;
	r->thp_lower_kbytes = bv->thp_lower_kbytes;
	if (r->floor_free != (size_t)-1)
		memcpy(r->floor_note, alone[widest].floor_note, sizeof(r->floor_note));
	/* the choice is a history's budget edge: say so, as one history does */
	for (size_t i = 0; i < n; i++)
		if (alone[i].sized_to_budget && same_settings(&alone[i].c[alone[i].chosen].s, &us[best]))
			r->sized_to_budget = true;

	/* how sure: the best evidence among the histories when the choice
	 * meets each one's target, and several agreeing recordings are at
	 * least medium; low when it does not meet them all */
	int hi = 0, lo = 2;
	int64_t hmin = INT64_MAX, hmax = 0, wmin = INT64_MAX, wmax = -1;
	for (size_t i = 0; i < n; i++) {
		const struct sim_candidate *c = &alone[i].c[alone[i].chosen];
		int l = level_of(alone[i].confidence);
		hi = l > hi ? l : hi;
		lo = l < lo ? l : lo;
		hmin = c->held_high < hmin ? c->held_high : hmin;
		hmax = c->held_high > hmax ? c->held_high : hmax;
		if (c->s.wsf >= 0) {
			wmin = c->s.wsf < wmin ? c->s.wsf : wmin;
			wmax = c->s.wsf > wmax ? c->s.wsf : wmax;
		}
	}
	/* the weakest history's level (each replay is its own evidence), up
	 * one where the choice meets every target: at least medium from three
	 * histories, high where they add up to what one history needs for it
	 * (judge in sim.c: 600 s, 20 bursts) */
	int lvl = lo;
	if (met && j.met_on == n) {
		if (n >= 3 && lvl < 1)
			lvl = 1;
		if (lvl >= 1 && r->span_s >= 600 && r->bursts >= 20)
			lvl = 2;
	}
	r->confidence = level_name[lvl];
	const double mib = (double)r->page_size / 1048576.0;
	char wsfs[64] = "";
	if (wmax >= 0)
		snprintf(wsfs, sizeof(wsfs), wmin == wmax ? "wsf %" PRId64 ", " : "wsf %" PRId64 "-%" PRId64 ", ",
			 wmin, wmax);
	snprintf(r->confidence_why, sizeof(r->confidence_why),
		 "%zu histories (%.0f s, %u bursts deeper than the low-min gap, %u stall episodes; each alone: "
		 "confidence %s to %s); the choice meets the target on %u of %zu; alone they chose %sΣ high "
		 "%.1f-%.1f MiB",
		 n, r->span_s, r->bursts, r->stall_episodes, level_name[lo], level_name[hi], j.met_on, n, wsfs, (double)hmin * mib, (double)hmax * mib);
	bool all_quiet = true;
	for (size_t i = 0; i < n; i++)
		all_quiet &= nothing_to_size(&alone[i]);
	if (all_quiet)
		snprintf(r->note, sizeof(r->note),
			 "no direct reclaim in these %zu histories and none predicted: nothing to size, the current "
			 "settings are kept",
			 n);
	else if (met)
		snprintf(r->note, sizeof(r->note),
			 "the smallest memory held back whose predicted direct reclaim is <= %g %% of the current "
			 "settings' on each of the %zu histories%s; the widest single-history choice is %s's",
			 o->target_pct, n,
			 r->sized_to_budget ? " (a history's memory-budget edge: its replay is no evidence of the "
					      "headroom needed)"
					    : "",
			 h[widest]->origin);
	else
		snprintf(r->note, sizeof(r->note),
			 "no candidate meets the target on every history within the memory budget: the widest "
			 "single-history choice (%s's) is shown; it meets the target on %u of %zu",
			 h[widest]->origin, j.met_on, n);
	*out = j;
	goto out;
fail_quiet:
	diag_splice(d, &quiet);
fail:
	sim_joint_free(&j);
out:
	for (size_t i = 0; i < n; i++) {
		sim_result_free(&alone[i]);
		sim_result_free(&rep[i]);
	}
	diag_list_clear(&quiet);
	free(alone);
	free(rep);
	free(u);
	free(us);
	free(vg);
	free(held);
	free(rows);
	return rc;
}

void sim_joint_free(struct sim_joint *j)
{
	if (!j)
		return;
	for (size_t i = 0; j->view && i < j->n; i++)
		sim_result_free(&j->view[i]);
	free(j->view);
	sim_result_free(&j->joint);
	free(j->per);
	free(j->meets);
	memset(j, 0, sizeof(*j));
}
