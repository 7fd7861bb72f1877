/* whatif: text table, JSON document and SVG picture of a simulation. */
#include "whatif.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

static double mib(double pages, int64_t ps)
{
	return pages * (double)ps / 1048576.0;
}

/* The chosen settings name the boost factor they run with (the recorded
 * one when the candidate keeps it) wherever the kernel has the sysctl:
 * the advice sets or keeps it on that evidence. */
static struct sim_settings chosen_settings(const struct sim_result *r)
{
	struct sim_settings s = r->c[r->chosen].s;
	if (r->boost_sysctl)
		s.boost_factor = sim_boost_of(r, &r->c[r->chosen]);
	return s;
}

static void settings_text(const struct sim_settings *s, struct buf *b)
{
	buf_printf(b, "vm.min_free_kbytes = %" PRId64, s->min_free_kbytes);
	if (s->wsf >= 0)
		buf_printf(b, ", vm.watermark_scale_factor = %" PRId64, s->wsf);
	if (s->boost_factor >= 0)
		buf_printf(b, ", vm.watermark_boost_factor = %" PRId64, s->boost_factor);
}

/* ---- text ------------------------------------------------------------------ */

void whatif_text(const struct history *h, const struct sim_result *r, struct buf *b)
{
	const int64_t ps = r->page_size;
	buf_printf(b, "history: %s (%s), %zu samples over %.0f s", h->origin,
		   h->form == HIST_RECORD ? "record file" : "capture directory", r->samples, r->span_s);
	if (h->interval_ns)
		buf_printf(b, ", interval %g s", (double)h->interval_ns / 1e9);
	buf_printf(b, "; kernel %s, page size %" PRId64 "\n", h->kernel_release ? h->kernel_release : "unknown",
		   ps);
	buf_printf(b, "zones simulated: %s\n", r->zones[0] ? r->zones : "none");
	buf_printf(b,
		   "observed: %" PRIu64 " direct-reclaim entries (%" PRIu64 " pages) in %u episode%s; %u burst%s "
		   "deeper than the low-min gap\n",
		   r->obs_entries, r->obs_pages, r->stall_episodes, r->stall_episodes == 1 ? "" : "s", r->bursts,
		   r->bursts == 1 ? "" : "s");
	if (r->obs_entries_above_low)
		buf_printf(b, "  %" PRIu64 " of those entries came in intervals whose allocations could not take "
			      "free memory below low (high-order/THP allocations, compaction)\n",
			   r->obs_entries_above_low);
	if (r->kswapd_observed > 0)
		buf_printf(b, "kswapd: %.0f MiB/s while it runs (fitted; the counters show %.0f MiB/s in its fastest "
			      "whole interval, %.0f MiB/s at most), reacts in %.0f ms; %.0f pages per direct-reclaim entry\n",
			   mib(r->kswapd_rate, ps), mib(r->kswapd_interval, ps), mib(r->kswapd_observed, ps),
			   r->reaction_s * 1000, r->pages_per_stall);
	else
		buf_printf(b, "kswapd: never ran in this history (capacity unknown); %.0f pages per direct-reclaim entry\n",
			   r->pages_per_stall);
	if (r->kswapd_measured_intervals)
		buf_printf(b, "  awake throughout %u interval%s (free below low at both samples), where it got %.0f %% "
			      "of that rate on average: replayed there\n",
			   r->kswapd_measured_intervals, r->kswapd_measured_intervals == 1 ? "" : "s",
			   r->kswapd_mean_availability * 100);
	if (r->boost_modelled)
		buf_printf(b, "watermark boost: factor %" PRId64 ", %.2f events per 10000 pages allocated below "
			      "high (the history's rises: %.0f pageblocks; mean boost replayed %.0f pages, observed "
			      "%.0f)\n",
			   r->boost_factor, r->boost_events_per_page * 10000, r->boost_rises_pageblocks,
			   r->boost_simulated_mean, r->boost_observed_mean);
	else
		buf_printf(b, "watermark boost: not replayed (%s)\n",
			   r->boost_factor == 0 ? "boosting is off" : "the history did not record it, or it stayed 0");
	buf_printf(b, "calibration: %s\n", r->calibration);
	if (r->timing_agreement >= 0)
		buf_printf(b, "timing: the replay puts %.0f %% of the observed direct-reclaim entries at their time "
			      "(within one sample)%s\n",
			   r->timing_agreement * 100,
			   r->timing_agreement < 0.5 ? ": the count is matched with other events, so predictions for "
						   "other settings are weak evidence"
						 : "");
	buf_puts(b, "\n");

	buf_printf(b, "%-8s %15s %6s %6s %9s %9s %9s %9s %10s %9s %9s\n", "", "min_free_kbytes", "wsf", "boost",
		   "min MiB", "low MiB", "high MiB", "entries", "pages", "below-min", "kswapd");
	for (size_t i = 0; i < r->nc; i++) {
		const struct sim_candidate *c = &r->c[i];
		char wsf[24], bf[24];
		if (c->s.wsf >= 0)
			snprintf(wsf, sizeof(wsf), "%" PRId64, c->s.wsf);
		else
			snprintf(wsf, sizeof(wsf), "-");
		if (r->boost_sysctl)
			snprintf(bf, sizeof(bf), "%" PRId64, sim_boost_of(r, c));
		else
			snprintf(bf, sizeof(bf), "-");
		buf_printf(b, "%-8s %15" PRId64 " %6s %6s %9.1f %9.1f %9.1f %9" PRIu64 " %10" PRIu64 " %8.1fs %8.1fs%s\n",
			   sim_source_name(c->source), c->s.min_free_kbytes, wsf, bf, mib((double)c->held_min, ps),
			   mib((double)c->low, ps), mib((double)c->held_high, ps), c->pred.direct_entries,
			   c->pred.direct_pages, c->pred.seconds_below_min, c->pred.seconds_kswapd,
			   i == r->chosen ? "  <- chosen" : c->below_thp_floor ? "  (under THP's floor)" : "");
	}
	buf_puts(b, "(min and high: Σ over every zone, the memory held back; low: Σ over the simulated zones)\n\n");
	const struct sim_candidate *ch = &r->c[r->chosen], *cur = &r->c[0];
	buf_puts(b, "chosen: ");
	struct sim_settings cs = chosen_settings(r);
	settings_text(&cs, b);
	buf_printf(b, " (Σ high %.1f MiB, %+.1f MiB against the current settings)\n",
		   mib((double)ch->held_high, ps), mib((double)(ch->held_high - cur->held_high), ps));
	buf_printf(b, "  %s%s\n", r->note, r->target_met ? "" : " [target not met]");
	if (r->floor_note[0])
		buf_printf(b, "  %s\n", r->floor_note);
	buf_printf(b, "confidence: %s (%s)\n", r->confidence, r->confidence_why);
}

void whatif_text_joint(const struct sim_joint *j, struct buf *b)
{
	const struct sim_result *r = &j->joint;
	const int64_t ps = r->page_size;
	buf_printf(b, "histories: %zu, %zu samples over %.0f s in all; each alone (whatif --history H shows its "
		      "analysis):\n",
		   j->n, r->samples, r->span_s);
	for (size_t i = 0; i < j->n; i++) {
		const struct sim_result *v = &j->view[i];
		const struct sim_candidate *al = &v->c[v->alone];
		buf_printf(b, "  %s: %zu samples over %.0f s, %" PRIu64 " direct-reclaim entries observed, %u burst%s; "
			      "confidence %s\n    alone: ",
			   j->h[i]->origin, v->samples, v->span_s, v->obs_entries, v->bursts, v->bursts == 1 ? "" : "s",
			   v->confidence);
		struct sim_settings as = al->s;
		if (v->boost_sysctl)
			as.boost_factor = sim_boost_of(v, al);
		settings_text(&as, b);
		buf_printf(b, " (Σ high %.1f MiB)%s\n", mib((double)al->held_high, ps),
			   v->sized_to_budget ? ", the memory budget's edge" : "");
		buf_printf(b, "    the choice below: predicted %" PRIu64 " entries (current settings %" PRIu64 ")%s\n",
			   v->c[v->chosen].pred.direct_entries, v->c[0].pred.direct_entries,
			   v->target_met ? "" : " [its target not met]");
	}
	buf_puts(b, "\n");
	buf_printf(b, "%-8s %15s %6s %6s %9s %9s %9s %9s %10s  %s\n", "", "min_free_kbytes", "wsf", "boost", "min MiB",
		   "low MiB", "high MiB", "entries", "pages", "entries per history");
	for (size_t k = 0; k < r->nc; k++) {
		const struct sim_candidate *c = &r->c[k];
		char wsf[24], bf[24];
		snprintf(wsf, sizeof(wsf), c->s.wsf >= 0 ? "%" PRId64 : "-", c->s.wsf);
		if (r->boost_sysctl && c->s.boost_factor >= 0)
			snprintf(bf, sizeof(bf), "%" PRId64, c->s.boost_factor);
		else
			snprintf(bf, sizeof(bf), r->boost_sysctl ? "rec." : "-");
		buf_printf(b, "%-8s %15" PRId64 " %6s %6s %9.1f %9.1f %9.1f %9" PRIu64 " %10" PRIu64 "  ",
			   sim_source_name(c->source), c->s.min_free_kbytes, wsf, bf, mib((double)c->held_min, ps),
			   mib((double)c->low, ps), mib((double)c->held_high, ps), c->pred.direct_entries,
			   c->pred.direct_pages);
		for (size_t i = 0; i < j->n; i++)
			buf_printf(b, "%s%" PRIu64 "%s", i ? " " : "", j->per[k * j->n + i].direct_entries,
				   k && !j->meets[k * j->n + i] ? "!" : "");
		buf_puts(b, k == r->chosen ? "  <- chosen" : c->below_thp_floor ? "  (under THP's floor)" : "");
		buf_putc(b, '\n');
	}
	buf_puts(b, "(entries and pages: summed over the histories; \"!\": misses that history's target or its memory budget; boost "
		    "\"rec.\": as recorded)\n\n");
	const struct sim_candidate *ch = &r->c[r->chosen], *cur = &r->c[0];
	buf_puts(b, "chosen: ");
	struct sim_settings cs = chosen_settings(r);
	settings_text(&cs, b);
	buf_printf(b, " (Σ high %.1f MiB, %+.1f MiB against the current settings)\n", mib((double)ch->held_high, ps),
		   mib((double)(ch->held_high - cur->held_high), ps));
	buf_printf(b, "  %s%s\n", r->note, r->target_met ? "" : " [target not met]");
	if (r->floor_note[0])
		buf_printf(b, "  %s (%s's replay)\n", r->floor_note, j->h[j->binding]->origin);
	buf_printf(b, "confidence: %s (%s)\n", r->confidence, r->confidence_why);
}

/* ---- JSON ------------------------------------------------------------------ */

static struct json_object *settings_json(const struct sim_settings *s)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "vm.min_free_kbytes", json_object_new_int64(s->min_free_kbytes));
	if (s->wsf >= 0)
		json_object_object_add(o, "vm.watermark_scale_factor", json_object_new_int64(s->wsf));
	if (s->boost_factor >= 0)
		json_object_object_add(o, "vm.watermark_boost_factor", json_object_new_int64(s->boost_factor));
	return o;
}

/* Seconds rounded to the millisecond: the text is stable across libm versions. */
static struct json_object *secs(double s)
{
	return json_object_new_double(round(s * 1000) / 1000);
}

/* One result's document; origin NULL leaves out "history" (sim_joint's
 * result, whose histories the caller lists). */
static struct json_object *result_json(const char *origin, const struct sim_result *r)
{
	const int64_t ps = r->page_size;
	struct json_object *doc = json_object_new_object();
	json_object_object_add(doc, "schema", json_object_new_string("reclaim-advisor/whatif"));
	json_object_object_add(doc, "version", json_object_new_int(1));
	if (origin)
		json_object_object_add(doc, "history", json_object_new_string(origin));
	json_object_object_add(doc, "samples", json_object_new_int64((int64_t)r->samples));
	json_object_object_add(doc, "span_seconds", secs(r->span_s));
	json_object_object_add(doc, "bursts", json_object_new_int64(r->bursts));
	json_object_object_add(doc, "page_size", json_object_new_int64(ps));

	struct json_object *obs = json_object_new_object();
	json_object_object_add(obs, "direct_reclaim_entries", json_object_new_int64((int64_t)r->obs_entries));
	json_object_object_add(obs, "direct_reclaim_pages", json_object_new_int64((int64_t)r->obs_pages));
	json_object_object_add(obs, "entries_above_low", json_object_new_int64((int64_t)r->obs_entries_above_low));
	json_object_object_add(obs, "stall_episodes", json_object_new_int64(r->stall_episodes));
	json_object_object_add(doc, "observed", obs);

	struct json_object *m = json_object_new_object();
	json_object_object_add(m, "zones", json_object_new_string(r->zones));
	json_object_object_add(m, "regime", json_object_new_string(r->regime));
	json_object_object_add(m, "kswapd_pages_per_second", json_object_new_int64((int64_t)llround(r->kswapd_rate)));
	json_object_object_add(m, "kswapd_observed_pages_per_second",
			       json_object_new_int64((int64_t)llround(r->kswapd_observed)));
	struct json_object *av = json_object_new_object();
	json_object_object_add(av, "intervals", json_object_new_int64(r->kswapd_measured_intervals));
	json_object_object_add(av, "mean", r->kswapd_mean_availability >= 0
						   ? json_object_new_double(round(r->kswapd_mean_availability * 1000) / 1000)
						   : NULL);
	json_object_object_add(m, "kswapd_availability", av);
	json_object_object_add(m, "burst_pages_per_second", json_object_new_int64((int64_t)llround(r->burst_rate)));
	json_object_object_add(m, "uniform_pages_per_second", json_object_new_int64((int64_t)llround(r->uniform_rate)));
	json_object_object_add(m, "pages_per_stall", json_object_new_int64((int64_t)llround(r->pages_per_stall)));
	json_object_object_add(m, "reaction_seconds", secs(r->reaction_s));
	struct json_object *bo = json_object_new_object();
	json_object_object_add(bo, "modelled", json_object_new_boolean(r->boost_modelled));
	json_object_object_add(bo, "factor", json_object_new_int64(r->boost_factor));
	json_object_object_add(bo, "events_per_10000_pages",
			       json_object_new_double(round(r->boost_events_per_page * 1e7) / 1e3));
	json_object_object_add(bo, "observed_rises_pageblocks",
			       json_object_new_int64((int64_t)llround(r->boost_rises_pageblocks)));
	json_object_object_add(bo, "observed_mean_pages", json_object_new_int64((int64_t)llround(r->boost_observed_mean)));
	json_object_object_add(bo, "simulated_mean_pages", json_object_new_int64((int64_t)llround(r->boost_simulated_mean)));
	json_object_object_add(m, "boost", bo);
	json_object_object_add(m, "calibration", json_object_new_string(r->calibration));
	json_object_object_add(m, "timing_agreement", r->timing_agreement >= 0
							      ? json_object_new_double(round(r->timing_agreement * 1000) / 1000)
							      : NULL);
	json_object_object_add(doc, "model", m);
	json_object_object_add(doc, "target_percent", json_object_new_double(r->target_pct));

	struct json_object *arr = json_object_new_array();
	for (size_t i = 0; i < r->nc; i++) {
		const struct sim_candidate *c = &r->c[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "source", json_object_new_string(sim_source_name(c->source)));
		json_object_object_add(o, "settings", settings_json(&c->s));
		struct json_object *p = json_object_new_object();
		json_object_object_add(p, "direct_reclaim_entries", json_object_new_int64((int64_t)c->pred.direct_entries));
		json_object_object_add(p, "direct_reclaim_pages", json_object_new_int64((int64_t)c->pred.direct_pages));
		json_object_object_add(p, "seconds_below_min", secs(c->pred.seconds_below_min));
		json_object_object_add(p, "seconds_kswapd", secs(c->pred.seconds_kswapd));
		if (c->tail_pages >= 0)
			json_object_object_add(p, "tail_direct_reclaim_pages",
					       json_object_new_int64((int64_t)llround(c->tail_pages)));
		json_object_object_add(o, "predicted", p);
		json_object_object_add(o, "held_back_bytes", json_object_new_int64(c->held_high * ps));
		json_object_object_add(o, "held_min_bytes", json_object_new_int64(c->held_min * ps));
		struct json_object *w = json_object_new_object();
		json_object_object_add(w, "min_pages", json_object_new_int64(c->min));
		json_object_object_add(w, "low_pages", json_object_new_int64(c->low));
		json_object_object_add(w, "high_pages", json_object_new_int64(c->high));
		json_object_object_add(o, "watermarks", w);
		json_object_object_add(o, "meets_target", json_object_new_boolean(c->meets));
		json_object_object_add(o, "below_thp_floor", json_object_new_boolean(c->below_thp_floor));
		json_object_array_add(arr, o);
	}
	json_object_object_add(doc, "candidates", arr);

	struct json_object *ch = json_object_new_object();
	json_object_object_add(ch, "index", json_object_new_int64((int64_t)r->chosen));
	struct sim_settings cs = chosen_settings(r);
	json_object_object_add(ch, "settings", settings_json(&cs));
	json_object_object_add(ch, "target_met", json_object_new_boolean(r->target_met));
	json_object_object_add(ch, "limit", r->sized_to_budget ? json_object_new_string("memory budget") : NULL);
	json_object_object_add(ch, "note", json_object_new_string(r->note));
	/* the limit THP's floor sets, and the candidate under it (never the choice) */
	struct json_object *tf = NULL;
	if (r->floor_free != (size_t)-1) {
		tf = json_object_new_object();
		json_object_object_add(tf, "floor_kbytes", json_object_new_int64(r->thp_floor_kbytes));
		json_object_object_add(tf, "lower_bound_kbytes", json_object_new_int64(r->thp_lower_kbytes));
		json_object_object_add(tf, "index", json_object_new_int64((int64_t)r->floor_free));
		json_object_object_add(tf, "note", json_object_new_string(r->floor_note));
	}
	json_object_object_add(ch, "thp_floor", tf);
	json_object_object_add(doc, "chosen", ch);

	struct json_object *cf = json_object_new_object();
	json_object_object_add(cf, "level", json_object_new_string(r->confidence));
	json_object_object_add(cf, "why", json_object_new_string(r->confidence_why));
	json_object_object_add(doc, "confidence", cf);
	return doc;
}

static void json_out(struct json_object *doc, struct buf *b)
{
	buf_puts(b, json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_putc(b, '\n');
	json_object_put(doc);
}

void whatif_json(const struct history *h, const struct sim_result *r, struct buf *b)
{
	json_out(result_json(h->origin, r), b);
}

static struct json_object *pred_json(const struct sim_pred *p)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "direct_reclaim_entries", json_object_new_int64((int64_t)p->direct_entries));
	json_object_object_add(o, "direct_reclaim_pages", json_object_new_int64((int64_t)p->direct_pages));
	json_object_object_add(o, "seconds_below_min", secs(p->seconds_below_min));
	json_object_object_add(o, "seconds_kswapd", secs(p->seconds_kswapd));
	return o;
}

void whatif_json_joint(const struct sim_joint *j, struct buf *b)
{
	struct json_object *one = result_json(NULL, &j->joint), *doc = json_object_new_object();
	struct json_object *hs = json_object_new_array();
	for (size_t i = 0; i < j->n; i++)
		json_object_array_add(hs, json_object_new_string(j->h[i]->origin));
	/* the joint document: one history's keys, in their order, with the
	 * histories listed; the model is each history's own (per_history) */
	json_object_object_foreach(one, key, val)
	{
		if (!strcmp(key, "model"))
			continue;
		json_object_object_add(doc, key, json_object_get(val));
		if (!strcmp(key, "version"))
			json_object_object_add(doc, "histories", hs);
	}
	json_object_put(one);
	struct json_object *cands = json_object_object_get(doc, "candidates");
	for (size_t k = 0; k < j->joint.nc; k++) {
		struct json_object *ph = json_object_new_array();
		for (size_t i = 0; i < j->n; i++) {
			struct json_object *p = pred_json(&j->per[k * j->n + i]);
			json_object_object_add(p, "meets_target", json_object_new_boolean(j->meets[k * j->n + i]));
			json_object_array_add(ph, p);
		}
		json_object_object_add(json_object_array_get_idx(cands, k), "predicted_per_history", ph);
	}
	struct json_object *per = json_object_new_array();
	for (size_t i = 0; i < j->n; i++) {
		const struct sim_result *v = &j->view[i];
		struct json_object *o = result_json(j->h[i]->origin, v), *al = json_object_new_object();
		json_object_object_del(o, "schema");
		json_object_object_del(o, "version");
		json_object_object_add(al, "index", json_object_new_int64((int64_t)v->alone));
		json_object_object_add(al, "settings", settings_json(&v->c[v->alone].s));
		json_object_object_add(o, "alone", al);
		json_object_array_add(per, o);
	}
	json_object_object_add(doc, "per_history", per);
	json_out(doc, b);
}

/* ---- SVG ------------------------------------------------------------------- */

#define W 960
#define H 420
#define ML 70
#define MR 20
#define MT 50
#define MB 70
#define PW (W - ML - MR)
#define PH (H - MT - MB)
#define COL_OBS "#888888"
#define COL_CUR "#1f5fbf"
#define COL_CHO "#1a9a3a"
#define COL_STALL "#d62020"

static void esc(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default:
			if ((unsigned char)*s >= 0x20 && *s != 0x7f)
				buf_putc(b, *s);
		}
	}
}

struct scale {
	double t1, ymax;
};

static double sx(const struct scale *s, double t)
{
	return ML + (s->t1 > 0 ? t / s->t1 : 0) * PW;
}
static double sy(const struct scale *s, double pages)
{
	if (pages > s->ymax)
		pages = s->ymax;
	if (pages < 0)
		pages = 0;
	return MT + PH - pages / s->ymax * PH;
}

/* A polyline of one trace field, one point per pixel column (the lowest
 * value of the column: dips are what matter). */
static void line(struct buf *b, const struct sim_result *r, const struct scale *s, int which, const char *col,
		 double width)
{
	buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" points=\"", col, width);
	int col_px = -1;
	double lowest = 0;
	for (size_t i = 0; i <= r->ntrace; i++) {
		int px = i < r->ntrace ? (int)sx(s, r->trace[i].t) : -2;
		if (px != col_px && col_px >= 0)
			buf_printf(b, "%d,%.1f ", col_px, sy(s, lowest));
		if (i == r->ntrace)
			break;
		const struct sim_trace *t = &r->trace[i];
		double v = which == 0 ? t->obs_free : which == 1 ? t->cur_min : t->cho_min;
		if (px != col_px) {
			col_px = px;
			lowest = v;
		} else if (v < lowest) {
			lowest = v;
		}
	}
	buf_puts(b, "\"/>\n");
}

/* Current marks are labelled at the left, chosen ones at the right, so
 * close values do not print over each other. */
static void hline(struct buf *b, const struct scale *s, double pages, const char *col, const char *label,
		  int64_t ps, bool left)
{
	double y = sy(s, pages);
	buf_printf(b,
		   "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"6,4\" "
		   "stroke-width=\"1\"/>\n",
		   ML, y, ML + PW, y, col);
	buf_printf(b, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"%s\" text-anchor=\"%s\">%s %.1fM</text>\n",
		   left ? ML + 2 : ML + PW - 2, y - 2, col, left ? "start" : "end", label, mib(pages, ps));
}

static void ticks(struct buf *b, const struct sim_result *r, const struct scale *s, int which, double y0,
		  double len, const char *col)
{
	for (size_t i = 0; i < r->ntrace; i++) {
		const struct sim_trace *t = &r->trace[i];
		uint32_t n = which == 0 ? t->obs_stalls : which == 1 ? t->cur_stalls : t->cho_stalls;
		if (!n)
			continue;
		double x = sx(s, t->t);
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
			   x, y0, x, y0 + len, col);
	}
}

/* One picture's body, at its own origin (an <svg> of W x H). */
static void svg_panel(const struct history *h, const struct sim_result *r, struct buf *b)
{
	const int64_t ps = r->page_size;
	const struct sim_candidate *cur = &r->c[0], *ch = &r->c[r->chosen];
	struct scale s = {r->ntrace ? r->trace[r->ntrace - 1].t : 1, 0};
	double top = (double)(cur->high > ch->high ? cur->high : ch->high);
	double maxobs = 0;
	for (size_t i = 0; i < r->ntrace; i++)
		if (r->trace[i].obs_free > maxobs)
			maxobs = r->trace[i].obs_free;
	/* the marks must stay readable: free memory far above high is clipped */
	s.ymax = maxobs < top * 3 ? (maxobs > top ? maxobs : top) * 1.1 : top * 3;
	if (s.ymax <= 0)
		s.ymax = 1;

	buf_printf(b, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H);
	buf_puts(b, "<title>");
	esc(b, h->origin);
	buf_puts(b, ": free memory against the watermarks</title>\n");
	buf_printf(b, "<text x=\"%d\" y=\"18\" font-size=\"13\">free memory (%s) against min/low/high: ", ML,
		   r->zones);
	buf_printf(b, "current %" PRId64 " kB", cur->s.min_free_kbytes);
	if (cur->s.wsf >= 0)
		buf_printf(b, "/wsf %" PRId64, cur->s.wsf);
	buf_printf(b, ", chosen %" PRId64 " kB", ch->s.min_free_kbytes);
	if (ch->s.wsf >= 0)
		buf_printf(b, "/wsf %" PRId64, ch->s.wsf);
	buf_puts(b, "</text>\n");
	buf_printf(b, "<text x=\"%d\" y=\"34\" font-size=\"11\" fill=\"#444\">direct-reclaim entries: observed %" PRIu64
		      ", predicted current %" PRIu64 ", predicted chosen %" PRIu64 "; confidence %s</text>\n",
		   ML, r->obs_entries, cur->pred.direct_entries, ch->pred.direct_entries, r->confidence);
	/* axes */
	buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#000\"/>\n", ML, MT,
		   PW, PH);
	for (int k = 0; k <= 4; k++) {
		double pages = s.ymax * k / 4;
		buf_printf(b, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.0f MiB</text>\n", ML - 4,
			   sy(&s, pages) + 3, mib(pages, ps));
		double t = s.t1 * k / 4;
		buf_printf(b, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%.0f s</text>\n",
			   sx(&s, t), MT + PH + 14, t);
	}
	hline(b, &s, (double)cur->min, COL_CUR, "min", ps, true);
	hline(b, &s, (double)cur->low, COL_CUR, "low", ps, true);
	hline(b, &s, (double)cur->high, COL_CUR, "high", ps, true);
	if (r->chosen) {
		hline(b, &s, (double)ch->min, COL_CHO, "min", ps, false);
		hline(b, &s, (double)ch->low, COL_CHO, "low", ps, false);
		hline(b, &s, (double)ch->high, COL_CHO, "high", ps, false);
	}
	line(b, r, &s, 0, COL_OBS, 1.0);
	line(b, r, &s, 1, COL_CUR, 1.2);
	if (r->chosen)
		line(b, r, &s, 2, COL_CHO, 1.2);
	/* stalls: observed just above the axis, predicted below it */
	ticks(b, r, &s, 0, MT + PH - 10, 10, COL_STALL);
	ticks(b, r, &s, 1, MT + PH + 18, 8, COL_CUR);
	if (r->chosen)
		ticks(b, r, &s, 2, MT + PH + 28, 8, COL_CHO);
	int ly = H - 16;
	buf_printf(b,
		   "<g font-size=\"11\">"
		   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" COL_OBS "\" stroke-width=\"2\"/>"
		   "<text x=\"%d\" y=\"%d\">observed free</text>"
		   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" COL_CUR "\" stroke-width=\"2\"/>"
		   "<text x=\"%d\" y=\"%d\">simulated, current (lowest per interval)</text>"
		   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" COL_CHO "\" stroke-width=\"2\"/>"
		   "<text x=\"%d\" y=\"%d\">simulated, chosen</text>"
		   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" COL_STALL "\" stroke-width=\"2\"/>"
		   "<text x=\"%d\" y=\"%d\">observed stalls (ticks below: predicted)</text></g>\n",
		   ML, ly - 4, ML + 20, ly - 4, ML + 24, ly, ML + 130, ly - 4, ML + 150, ly - 4, ML + 154, ly, ML + 410,
		   ly - 4, ML + 430, ly - 4, ML + 434, ly, ML + 560, ly - 9, ML + 560, ly + 1, ML + 566, ly);
}

static void svg_open(struct buf *b, int height)
{
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		      "font-family=\"sans-serif\">\n",
		   W, height, W, height);
}

void whatif_svg(const struct history *h, const struct sim_result *r, struct buf *b)
{
	svg_open(b, H);
	svg_panel(h, r, b);
	buf_puts(b, "</svg>\n");
}

void whatif_svg_joint(const struct sim_joint *j, struct buf *b)
{
	svg_open(b, (int)j->n * H);
	for (size_t i = 0; i < j->n; i++) {
		buf_printf(b, "<svg x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\">\n", (int)i * H, W, H);
		svg_panel(j->h[i], &j->view[i], b);
		buf_puts(b, "</svg>\n");
	}
	buf_puts(b, "</svg>\n");
}
