#include "summary.h"

#include "../sysctld/apply.h"
#include "../rules/sysctl_catalog.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The value in plain units when the catalog knows the unit. */
static void plain(struct buf *b, const char *key, const struct value *v)
{
	const struct sysctl_def *sc = sysctl_catalog_lookup(key);
	char *t = rec_value_text(v);
	buf_puts(b, t);
	free(t);
	if (!sc || v->type != FACT_INT)
		return;
	switch (sc->unit) {
	case UNIT_KB:
		buf_puts(b, " (");
		rec_fmt_bytes(b, v->u.i * 1024);
		buf_putc(b, ')');
		break;
	case UNIT_BYTES:
		if (v->u.i) {
			buf_puts(b, " (");
			rec_fmt_bytes(b, v->u.i);
			buf_putc(b, ')');
		}
		break;
	case UNIT_CENTISECS:
		buf_printf(b, " (%g s)", (double)v->u.i / 100.0);
		break;
	case UNIT_PERCENT:
		buf_putc(b, '%');
		break;
	default:
		break;
	}
}

/* Per-zone effect of the watermark sysctls, from the model.  The "kswapd
 * buffer" is low - min: how much kswapd has to work with after it wakes
 * before allocations stall in direct reclaim (mm/page_alloc.c). */
static void wm_effect(struct buf *b, const struct rec_input *in, const char *key)
{
	bool mfk = !strcmp(key, "vm.min_free_kbytes");
	bool wsf = !strcmp(key, "vm.watermark_scale_factor");
	if (!(mfk || wsf) || !in->nwm)
		return;
	int64_t ps = 4096;
	if (in->host->facts)
		facts_get_int(in->host->facts, F_HOST_PAGE_SIZE, &ps);
	size_t shown = 0, more = 0;
	for (size_t z = 0; z < in->nwm; z++) {
		const struct rec_wmark *x = &in->wm_before[z], *y = &in->wm_after[z];
		if (x->min == ZONE_ABSENT || y->min == ZONE_ABSENT || x->low == ZONE_ABSENT ||
		    y->low == ZONE_ABSENT || (x->min == 0 && y->min == 0))
			continue;
		int64_t a = mfk ? x->min : x->low - x->min, c = mfk ? y->min : y->low - y->min;
		if (a == c)
			continue;
		if (shown == 8) {
			more++;
			continue;
		}
		buf_printf(b, "    %s in node %d %s: ", mfk ? "min watermark" : "kswapd buffer", x->node, x->zone);
		rec_fmt_bytes(b, a * ps);
		buf_puts(b, " -> ");
		rec_fmt_bytes(b, c * ps);
		buf_puts(b, "\n");
		shown++;
	}
	if (more)
		buf_printf(b, "    ... and %zu more zones\n", more);
}

void summary_render(const struct rec_input *in, struct buf *out)
{
	const struct plan *p = in->plan;
	buf_printf(out, "reclaim-advisor %s recommend: profile %s, rule set %.12s\n", in->version,
		   p->profile ? p->profile : "default", p->ruleset_digest ? p->ruleset_digest : "unknown");
	if (!p->nd)
		buf_puts(out, "\nNo sysctl recommendations.\n");
	else
		buf_puts(out, "\nSysctls:\n");
	for (size_t i = 0; i < p->nd; i++) {
		const struct decision *x = &p->d[i];
		bool sel = in->selected && in->selected[i];
		buf_printf(out, "  %s: ", x->sysctl);
		if (x->has_current)
			plain(out, x->sysctl, &x->current);
		else
			buf_puts(out, "unknown");
		if (x->changed) {
			buf_puts(out, " -> ");
			plain(out, x->sysctl, &x->recommended);
		} else {
			buf_puts(out, " (keep)");
		}
		buf_printf(out, "%s\n", sel ? "" : "  [not written: kernel default]");
		wm_effect(out, in, x->sysctl);
		buf_printf(out, "    rule %s (%s, %s confidence): %s\n", x->rule, rec_severity_name(x->severity),
			   rec_confidence_name(x->confidence), x->reason ? x->reason : "");
		if (x->clamped)
			buf_printf(out, "    clamped: %s\n", x->clamp_reason ? x->clamp_reason : "");
		if (x->pinned_by)
			buf_printf(out, "    pinned by profile %s\n", x->pinned_by);
		for (size_t k = 0; k < x->nlosers; k++) {
			char *v = rec_value_text(&x->losers[k].value);
			buf_printf(out, "    overrides %s (%s): %s\n", x->losers[k].rule, v,
				   x->losers[k].why ? x->losers[k].why : "");
			free(v);
		}
		if (in->prec && sel) {
			const struct rec_prec *pr = &in->prec[i];
			buf_printf(out, "    at boot (fragment installed): systemd-sysctl %s, sysctl --system %s\n",
				   pr->systemd_file ? pr->systemd_file : "none",
				   pr->procps_file ? pr->procps_file : "none");
			if (pr->shadowed)
				buf_printf(out, "    warning: the fragment is shadowed by %s\n",
					   pr->shadowed_by ? pr->shadowed_by : "a later file");
		}
	}
	if (p->nf) {
		buf_puts(out, "\nFindings:\n");
		for (size_t i = 0; i < p->nf; i++)
			buf_printf(out, "  %s %s (%s confidence): %s\n", rec_severity_name(p->f[i].severity),
				   p->f[i].rule, rec_confidence_name(p->f[i].confidence),
				   p->f[i].reason ? p->f[i].reason : "");
	}
	if (p->ns) {
		buf_puts(out, "\nSkipped:\n");
		for (size_t i = 0; i < p->ns; i++)
			buf_printf(out, "  %s: %s\n", p->s[i].rule, p->s[i].why ? p->s[i].why : "");
	}
	if (in->apply) {
		const struct apply_entry *e = in->apply;
		buf_puts(out, "\nApplied:\n");
		for (size_t i = 0; i < in->napply; i++) {
			buf_printf(out, "  %s: %s -> %s: %s", e[i].sysctl, e[i].previous ? e[i].previous : "?",
				   e[i].written, apply_result_name(e[i].result));
			if (e[i].err)
				buf_printf(out, " (%s)", strerror(e[i].err));
			else if (e[i].result == APPLY_REFUSED && e[i].readback)
				buf_printf(out, " (reads back %s)", e[i].readback);
			buf_putc(out, '\n');
		}
	}
	if (in->wm_note && !in->nwm)
		buf_printf(out, "\nNote: %s\n", in->wm_note);
}
