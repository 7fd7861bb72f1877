/* watermarks: the `watermarks` command's report, text or JSON (contract in
 * watermarks.h).  The arithmetic is advisor/model/watermark.h; this file
 * only lays out what the model returned. */
#include "watermarks.h"

#include "../facts/facts.h"

#include <json-c/json.h>
#include <stdio.h>

static double mib(int64_t pages, int64_t ps)
{
	return (double)pages * (double)ps / 1048576.0;
}

static const char *kernel_text(const struct host *h, const struct wm_model *m, char *tmp, size_t n)
{
	const char *rel = facts_get_str(h->facts, F_KERNEL_OSRELEASE);
	if (rel && !m->k.inferred)
		return rel;
	snprintf(tmp, n, "unknown (arithmetic of %lld.%lld+: %s)", (long long)kver_major(m->k.kver),
		 (long long)kver_minor(m->k.kver), m->k.why);
	return tmp;
}

static const char *thp_name(enum wm_thp t)
{
	switch (t) {
	case WM_THP_ALWAYS: return "always";
	case WM_THP_MADVISE: return "madvise";
	case WM_THP_NEVER: return "never";
	case WM_THP_UNKNOWN: break;
	}
	return NULL;
}

/* ---- text ---------------------------------------------------------------- */

static bool marks_same(const struct wm_marks *a, const struct wm_marks *b)
{
	return a->min == b->min && a->low == b->low && a->high == b->high && a->promo == b->promo;
}

static void cell(struct buf *b, int64_t v, int64_t ps)
{
	if (v == ZONE_ABSENT || v < 0)
		buf_printf(b, " %19s", "-");
	else
		buf_printf(b, " %8lld %8.1fM", (long long)v, mib(v, ps));
}

#define NO_BOOST_COLUMN INT64_MIN

static void row(struct buf *b, const char *label, const struct wm_marks *x, int64_t boost, int64_t ps)
{
	buf_printf(b, "  %-10s", label);
	cell(b, x->min, ps);
	cell(b, x->low, ps);
	cell(b, x->high, ps);
	cell(b, x->promo, ps);
	if (boost == ZONE_ABSENT)
		buf_printf(b, " %8s", "-");
	else if (boost != NO_BOOST_COLUMN)
		buf_printf(b, " %8lld", (long long)boost);
	buf_putc(b, '\n');
}

static void diff_row(struct buf *b, const struct wm_marks *a, const struct wm_marks *t, int64_t ps)
{
	buf_printf(b, "  %-10s", "change");
	const int64_t av[] = {a->min, a->low, a->high, a->promo}, tv[] = {t->min, t->low, t->high, t->promo};
	for (int i = 0; i < 4; i++) {
		if (av[i] == ZONE_ABSENT || tv[i] == ZONE_ABSENT)
			buf_printf(b, " %19s", "-");
		else
			buf_printf(b, " %+8lld %+8.1fM", (long long)(av[i] - tv[i]), mib(av[i] - tv[i], ps));
	}
	buf_putc(b, '\n');
}

void watermarks_text(const struct host *h, const struct wm_model *m, const struct wm_model *after,
		     struct buf *b)
{
	const int64_t ps = m->p.page_size;
	char tmp[160];
	buf_printf(b, "kernel %s, page size %lld\n", kernel_text(h, m, tmp, sizeof(tmp)), (long long)ps);
	if (m->p.min_free_kbytes >= 0)
		buf_printf(b, "min_free_kbytes %lld kB (%s: %s)\n", (long long)m->p.min_free_kbytes,
			   m->origin, m->origin_detail);
	else if (m->implied_mfk_lo >= 0)
		buf_printf(b, "min_free_kbytes unknown: nothing can be predicted; the printed lowmem mins add up to "
			      "%lld..%lld kB\n",
			   (long long)m->implied_mfk_lo, (long long)m->implied_mfk_hi);
	else
		buf_puts(b, "min_free_kbytes unknown: nothing can be predicted\n");
	buf_printf(b, "  kernel default %lld kB", (long long)m->default_kbytes);
	if (m->thp_floor_kbytes >= 0)
		buf_printf(b, ", THP floor %lld kB", (long long)m->thp_floor_kbytes);
	buf_printf(b, ", advisor's cap %lld kB (5%% of lowmem)\n", (long long)m->cap_kbytes);
	if (m->p.wsf >= 0)
		buf_printf(b, "watermark_scale_factor %lld (1..%lld)", (long long)m->p.wsf, (long long)m->k.wsf_max);
	else if (m->k.pre46)
		buf_puts(b, "watermark_scale_factor: none before 4.6");
	else
		buf_puts(b, "watermark_scale_factor unknown");
	if (m->wsf_breakeven >= 0)
		buf_printf(b, "; the wsf term sets the largest zone's gap from %lld", (long long)m->wsf_breakeven);
	buf_putc(b, '\n');
	if (after)
		buf_printf(b, "after: min_free_kbytes %lld kB, watermark_scale_factor %lld\n",
			   (long long)after->p.min_free_kbytes, (long long)after->p.wsf);

	for (size_t i = 0; i < m->nzones; i++) {
		const struct wm_zone *w = &m->zones[i];
		/* an empty zone that matches takes one line (two-node hosts print ten zones) */
		if (w->pages == 0 && w->match && (!after || marks_same(&after->zones[i].pred, &w->pred))) {
			buf_printf(b, "\nNode %d, zone %s: empty, min/low/high %lld/%lld/%lld, matches\n", w->z->node,
				   w->z->name, (long long)w->obs.min, (long long)w->obs.low, (long long)w->obs.high);
			continue;
		}
		buf_printf(b, "\nNode %d, zone %s: managed %lld pages (%.1f MiB), branch %s, %s\n", w->z->node,
			   w->z->name, (long long)w->pages, mib(w->pages, ps),
			   w->predicted || w->branch_observed ? wm_branch_name(w->branch) : "unknown",
			   w->match ? "match" : w->observed && w->predicted ? "MISMATCH" : "not compared");
		buf_printf(b, "  %-10s %19s %19s %19s %19s %8s\n", "pages/MiB", "min", "low", "high", "promo", "boost");
		if (w->observed) {
			struct wm_marks o = w->obs;
			row(b, "observed", &o, w->z->boost == ZONE_ABSENT && !w->boost_implied ? ZONE_ABSENT : w->boost, ps);
		}
		if (w->predicted)
			row(b, "predicted", &w->pred, NO_BOOST_COLUMN, ps);
		/* the change is against what the kernel holds now: printed minus boost */
		if (after && after->zones[i].predicted) {
			struct wm_marks t = wm_zone_now(w);
			row(b, "after", &after->zones[i].pred, NO_BOOST_COLUMN, ps);
			diff_row(b, &after->zones[i].pred, &t, ps);
		}
		buf_printf(b, "  %s: %s\n", wm_expl_name(w->expl), w->detail);
	}

	buf_puts(b, "\ntotals (boost excluded)           observed   predicted");
	if (after)
		buf_puts(b, "       after      change");
	buf_putc(b, '\n');
	struct {
		const char *name;
		int64_t o, p, a;
		bool have_o;
	} t[] = {
		{"kswapd buffer, low-min (lowmem)", m->t.gap_pages, m->t.pred_gap_pages, after ? after->t.pred_gap_pages : 0, true},
		{"emergency reserve, min", m->t.reserve_pages, m->t.pred_reserve_pages, after ? after->t.pred_reserve_pages : 0, true},
		{"reclaim target, high", m->t.high_pages, m->t.pred_high_pages, after ? after->t.pred_high_pages : 0, true},
		{"totalreserve", m->t.totalreserve_pages, m->t.pred_totalreserve_pages, after ? after->t.pred_totalreserve_pages : 0, true},
	};
	bool pred = m->largest != (size_t)-1 && m->zones[m->largest].predicted;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_printf(b, "  %-31s %9.1fM", t[i].name, mib(t[i].o, ps));
		if (pred)
			buf_printf(b, " %10.1fM", mib(t[i].p, ps));
		else
			buf_printf(b, " %11s", "-");
		if (after)
			buf_printf(b, " %10.1fM %+10.1fM", mib(t[i].a, ps), mib(t[i].a - t[i].o, ps));
		buf_putc(b, '\n');
	}
	buf_printf(b, "  %-31s %9.1fM\n", "boost now", mib(m->t.boost_pages, ps));
	buf_printf(b, "%s\n", m->all_match ? "every zone matches the model"
			      : pred ? "not every zone matches: see the explanations above"
				     : "not compared");
}

/* ---- JSON ---------------------------------------------------------------- */

typedef json_object J;

static J *jint(int64_t v)
{
	return v == ZONE_ABSENT ? NULL : json_object_new_int64(v);
}

static J *jmib(int64_t pages, int64_t ps)
{
	char s[48];
	snprintf(s, sizeof(s), "%.2f", mib(pages, ps));
	return json_object_new_double_s(mib(pages, ps), s);
}

static J *marks_json(const struct wm_marks *x, bool predicted)
{
	J *o = json_object_new_object();
	json_object_object_add(o, "min", predicted ? jint(x->min) : NULL);
	json_object_object_add(o, "low", predicted ? jint(x->low) : NULL);
	json_object_object_add(o, "high", predicted ? jint(x->high) : NULL);
	json_object_object_add(o, "promo", predicted ? jint(x->promo) : NULL);
	return o;
}

static J *totals_json(const struct wm_totals *t, int64_t ps, bool predicted)
{
	J *o = json_object_new_object();
	json_object_object_add(o, "gap_pages", predicted ? jint(t->pred_gap_pages) : NULL);
	json_object_object_add(o, "gap_bytes", predicted ? jint(t->pred_gap_pages * ps) : NULL);
	json_object_object_add(o, "reserve_bytes", predicted ? jint(t->pred_reserve_pages * ps) : NULL);
	json_object_object_add(o, "high_bytes", predicted ? jint(t->pred_high_pages * ps) : NULL);
	json_object_object_add(o, "totalreserve_bytes", predicted ? jint(t->pred_totalreserve_pages * ps) : NULL);
	json_object_object_add(o, "min4_gap_bytes", predicted ? jint(t->min4_gap_pages * ps) : NULL);
	return o;
}

void watermarks_json(const struct host *h, const struct wm_model *m, const struct wm_model *after,
		     struct buf *b)
{
	const int64_t ps = m->p.page_size;
	char tmp[160];
	J *root = json_object_new_object();
	J *in = json_object_new_object();
	json_object_object_add(in, "min_free_kbytes", m->p.min_free_kbytes >= 0 ? jint(m->p.min_free_kbytes) : NULL);
	json_object_object_add(in, "watermark_scale_factor", m->p.wsf >= 0 ? jint(m->p.wsf) : NULL);
	json_object_object_add(in, "page_size", jint(ps));
	json_object_object_add(in, "kernel", json_object_new_string(kernel_text(h, m, tmp, sizeof(tmp))));
	json_object_object_add(in, "kernel_inferred", json_object_new_boolean(m->k.inferred));
	const char *thp = thp_name(m->p.thp);
	json_object_object_add(in, "thp", thp ? json_object_new_string(thp) : NULL);
	if (after) {
		J *s = json_object_new_object();
		json_object_object_add(s, "min_free_kbytes", jint(after->p.min_free_kbytes));
		json_object_object_add(s, "watermark_scale_factor", jint(after->p.wsf));
		json_object_object_add(in, "set", s);
	}
	json_object_object_add(root, "inputs", in);

	J *zones = json_object_new_array();
	for (size_t i = 0; i < m->nzones; i++) {
		const struct wm_zone *w = &m->zones[i];
		J *o = json_object_new_object();
		json_object_object_add(o, "node", json_object_new_int(w->z->node));
		json_object_object_add(o, "zone", json_object_new_string(w->z->name ? w->z->name : ""));
		json_object_object_add(o, "managed", jint(w->pages));
		J *ob = NULL;
		if (w->observed) {
			ob = marks_json(&w->obs, true);
			json_object_object_add(ob, "boost", w->z->boost == ZONE_ABSENT && !w->boost_implied
								    ? NULL : jint(w->boost));
			if (w->boost_implied)
				json_object_object_add(ob, "boost_implied", json_object_new_boolean(true));
		}
		json_object_object_add(o, "observed", ob);
		json_object_object_add(o, "predicted", marks_json(&w->pred, w->predicted));
		json_object_object_add(o, "match", json_object_new_boolean(w->match));
		json_object_object_add(o, "branch", w->predicted || w->branch_observed
							    ? json_object_new_string(wm_branch_name(w->branch)) : NULL);
		json_object_object_add(o, "explanation", json_object_new_string(wm_expl_name(w->expl)));
		json_object_object_add(o, "detail", json_object_new_string(w->detail));
		if (w->expl == WM_EX_DRIFT) {
			J *d = json_object_new_object();
			json_object_object_add(d, "min", jint(w->drift_lo));
			json_object_object_add(d, "max", jint(w->drift_hi));
			json_object_object_add(o, "drift_pages", d);
		}
		if (w->implied_wsf > 0)
			json_object_object_add(o, "implied_wsf", jint(w->implied_wsf));
		if (w->expl == WM_EX_VENDOR)
			json_object_object_add(o, "extra_pages", jint(w->extra_pages));
		if (w->predicted) {
			J *g = json_object_new_object();
			json_object_object_add(g, "share", jint(w->share));
			json_object_object_add(g, "delta", jint(w->delta));
			json_object_object_add(g, "kswapd_buffer_bytes", jint(w->delta * ps));
			json_object_object_add(g, "reserve_bytes", jint(w->pred.min * ps));
			json_object_object_add(o, "gaps", g);
		}
		if (w->nprot) {
			J *pa = json_object_new_array();
			for (unsigned j = 0; j < w->nprot; j++)
				json_object_array_add(pa, jint(w->prot[j]));
			json_object_object_add(o, "protection_predicted", pa);
		}
		if (after) {
			const struct wm_zone *a = &after->zones[i];
			json_object_object_add(o, "after", marks_json(&a->pred, a->predicted));
			J *dm = NULL;
			if (a->predicted && (w->observed || w->predicted)) {
				struct wm_marks t = wm_zone_now(w);
				dm = json_object_new_object();
				json_object_object_add(dm, "min", jmib(a->pred.min - t.min, ps));
				json_object_object_add(dm, "low", jmib(a->pred.low - t.low, ps));
				json_object_object_add(dm, "high", jmib(a->pred.high - t.high, ps));
			}
			json_object_object_add(o, "delta_mib", dm);
		}
		json_object_array_add(zones, o);
	}
	json_object_object_add(root, "zones", zones);

	bool pred = m->largest != (size_t)-1 && m->zones[m->largest].predicted;
	J *t = json_object_new_object();
	json_object_object_add(t, "gap_pages", jint(m->t.gap_pages));
	json_object_object_add(t, "gap_bytes", jint(m->t.gap_pages * ps));
	json_object_object_add(t, "reserve_bytes", jint(m->t.reserve_pages * ps));
	json_object_object_add(t, "high_bytes", jint(m->t.high_pages * ps));
	json_object_object_add(t, "boost_bytes", jint(m->t.boost_pages * ps));
	json_object_object_add(t, "totalreserve_bytes", jint(m->t.totalreserve_pages * ps));
	json_object_object_add(t, "lowmem_managed_bytes", jint(m->t.lowmem_pages * ps));
	json_object_object_add(t, "zones", json_object_new_int(m->t.populated));
	json_object_object_add(t, "match", json_object_new_boolean(m->all_match));
	json_object_object_add(t, "predicted", totals_json(&m->t, ps, pred));
	if (after) {
		bool apred = after->largest != (size_t)-1 && after->zones[after->largest].predicted;
		json_object_object_add(t, "after", totals_json(&after->t, ps, apred));
		J *dm = NULL;
		if (apred) {
			int64_t dmin = 0, dlow = 0, dhigh = 0;
			for (size_t i = 0; i < m->nzones; i++) {
				const struct wm_zone *w = &m->zones[i], *a = &after->zones[i];
				if (w->pages <= 0 || !a->predicted)
					continue;
				struct wm_marks tw = wm_zone_now(w);
				dmin += a->pred.min - tw.min;
				dlow += a->pred.low - tw.low;
				dhigh += a->pred.high - tw.high;
			}
			dm = json_object_new_object();
			json_object_object_add(dm, "min", jmib(dmin, ps));
			json_object_object_add(dm, "low", jmib(dlow, ps));
			json_object_object_add(dm, "high", jmib(dhigh, ps));
		}
		json_object_object_add(t, "delta_mib", dm);
	}
	json_object_object_add(root, "totals", t);

	J *d = json_object_new_object();
	json_object_object_add(d, "min_free_kbytes_default", jint(m->default_kbytes));
	json_object_object_add(d, "thp_floor_kbytes", m->thp_floor_kbytes >= 0 ? jint(m->thp_floor_kbytes) : NULL);
	json_object_object_add(d, "origin", m->origin ? json_object_new_string(m->origin) : NULL);
	json_object_object_add(d, "origin_detail", m->origin ? json_object_new_string(m->origin_detail) : NULL);
	json_object_object_add(d, "cap_kbytes", jint(m->cap_kbytes));
	json_object_object_add(d, "wsf_max", m->k.wsf_max ? jint(m->k.wsf_max) : NULL);
	json_object_object_add(d, "wsf_breakeven", m->wsf_breakeven >= 0 ? jint(m->wsf_breakeven) : NULL);
	if (m->p.min_free_kbytes < 0 && m->implied_mfk_lo >= 0) {
		J *im = json_object_new_object();
		json_object_object_add(im, "min", jint(m->implied_mfk_lo));
		json_object_object_add(im, "max", jint(m->implied_mfk_hi));
		json_object_object_add(d, "implied_min_free_kbytes", im);
	}
	json_object_object_add(root, "defaults", d);

	buf_puts(b, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_putc(b, '\n');
	json_object_put(root);
}
