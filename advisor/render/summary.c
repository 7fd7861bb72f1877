/* summary: the terminal text of `recommend` (contract in summary.h). */
#include "summary.h"

#include "../base/bytefmt.h"
#include "../base/kver.h"
#include "../sysctld/apply.h"
#include "../model/sysctl_catalog.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The value in plain units when the catalog knows the unit. */
static void plain(struct buf *b, const char *key, const struct value *v)
{
	const struct sysctl_def *sc = sysctl_catalog_lookup(key);
	char *t = value_sysctl_text(v);
	buf_puts(b, t);
	free(t);
	if (!sc || v->type != FACT_INT)
		return;
	switch (sc->unit) {
	case UNIT_KB:
		buf_puts(b, " (");
		bytefmt_put(b, (double)(v->u.i * 1024), BYTEFMT_COLUMN);
		buf_putc(b, ')');
		break;
	case UNIT_BYTES:
		if (v->u.i) {
			buf_puts(b, " (");
			bytefmt_put(b, (double)v->u.i, BYTEFMT_COLUMN);
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

/* Current column of the last line in b. */
static size_t column(const struct buf *b)
{
	const char *s = buf_str(b);
	const char *nl = strrchr(s, '\n');
	return nl ? (size_t)(s + b->len - nl - 1) : b->len;
}

/* text wrapped at blanks to SUMMARY_WIDTH, continuation lines indented by
 * indent; with max_lines > 0 at most that many lines, the last cut at a
 * blank and ended with "...".  Ends with a newline. */
static void wrap(struct buf *b, const char *text, size_t indent, size_t max_lines)
{
	size_t lines = 1;
	const char *t = text ? text : "";
	while (*t) {
		size_t room = SUMMARY_WIDTH - column(b);
		size_t len = strcspn(t, "\n");
		if (len <= room) {
			buf_printf(b, "%.*s", (int)len, t);
			t += len;
			if (*t == '\n')
				t++;
			if (*t) {
				if (max_lines && lines == max_lines)
					break;
				buf_printf(b, "\n%*s", (int)indent, "");
				lines++;
			}
			continue;
		}
		bool last = max_lines && lines == max_lines;
		size_t limit = last ? room - 4 : room;
		size_t cut = limit;
		while (cut > 0 && t[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = limit; /* one long word: cut it */
		buf_printf(b, "%.*s", (int)cut, t);
		if (last) {
			buf_puts(b, " ...");
			break;
		}
		t += cut;
		while (*t == ' ')
			t++;
		if (*t) {
			buf_printf(b, "\n%*s", (int)indent, "");
			lines++;
		}
	}
	buf_putc(b, '\n');
}

/* Per-zone effect of the watermark sysctls, from the model.  The "kswapd
 * buffer" is low - min: how much kswapd has to work with after it wakes
 * before allocations stall in direct reclaim (mm/page_alloc.c). */
static void wm_effect(struct buf *b, const struct rec_input *in, const char *key, size_t max_zones)
{
	bool mfk = !strcmp(key, "vm.min_free_kbytes");
	bool wsf = !strcmp(key, "vm.watermark_scale_factor");
	if (!(mfk || wsf) || !in->nwm)
		return;
	int64_t ps = 4096;
	if (in->host->facts)
		facts_get_int(in->host->facts, F_HOST_PAGE_SIZE, &ps);
	/* The zones that change, and of those the max_zones with the largest
	 * new value (Normal before DMA), shown in zone order. */
	size_t nchanged = 0;
	int64_t *after = calloc(in->nwm ? in->nwm : 1, sizeof(*after));
	for (size_t z = 0; after && z < in->nwm; z++) {
		const struct rec_wmark *x = &in->wm_before[z], *y = &in->wm_after[z];
		after[z] = -1;
		if (x->min == ZONE_ABSENT || y->min == ZONE_ABSENT || x->low == ZONE_ABSENT ||
		    y->low == ZONE_ABSENT || (x->min == 0 && y->min == 0))
			continue;
		int64_t a = mfk ? x->min : x->low - x->min, c = mfk ? y->min : y->low - y->min;
		if (a != c) {
			after[z] = c;
			nchanged++;
		}
	}
	int64_t floor_value = -1; /* zones at or below it are not shown */
	if (nchanged > max_zones) {
		/* the max_zones-th largest value, found by counting */
		for (size_t z = 0; z < in->nwm; z++) {
			size_t larger = 0;
			for (size_t k = 0; k < in->nwm; k++)
				larger += after[k] > after[z] || (after[k] == after[z] && k > z);
			if (after[z] >= 0 && larger == max_zones)
				floor_value = after[z];
		}
	}
	size_t shown = 0, more = 0;
	for (size_t z = 0; after && z < in->nwm; z++) {
		const struct rec_wmark *x = &in->wm_before[z];
		if (after[z] < 0)
			continue;
		int64_t a = mfk ? x->min : x->low - x->min, c = after[z];
		if (shown == max_zones || c < floor_value || (c == floor_value && nchanged > max_zones)) {
			more++;
			continue;
		}
		buf_printf(b, "    %s in node %d %s: ", mfk ? "min watermark" : "kswapd buffer", x->node, x->zone);
		bytefmt_put(b, (double)(a * ps), BYTEFMT_COLUMN);
		buf_puts(b, " -> ");
		bytefmt_put(b, (double)(c * ps), BYTEFMT_COLUMN);
		buf_puts(b, "\n");
		shown++;
	}
	if (more)
		buf_printf(b, "    ... and %zu more zone%s\n", more, more == 1 ? "" : "s");
	free(after);
}

/* A fact's value in its catalog unit: sizes as KiB/MiB/GiB, kernel
 * versions as 5.8 (5.8.3 when the patch level is not 0). */
static void fact_text(struct buf *b, const struct facts *f, const char *name)
{
	struct value v;
	if (!f || facts_lookup(f, name, &v)) {
		buf_puts(b, "absent");
		return;
	}
	if (!strcmp(name, "host.kernel_version") && v.type == FACT_INT && v.u.i >= 0) {
		buf_printf(b, "%" PRId64 ".%" PRId64, kver_major(v.u.i), kver_minor(v.u.i));
		if (kver_patch(v.u.i))
			buf_printf(b, ".%" PRId64, kver_patch(v.u.i));
		return;
	}
	const struct fact_def *def = fact_catalog_lookup(name);
	double d = v.type == FACT_INT ? (double)v.u.i : v.type == FACT_FLOAT ? v.u.f : 0;
	bool num = v.type == FACT_INT || v.type == FACT_FLOAT;
	if (num && def && (def->unit == UNIT_BYTES || def->unit == UNIT_KB) && d >= 0 && d < 9e18) {
		bytefmt_put(b, (double)((int64_t)(def->unit == UNIT_KB ? d * 1024 : d)), BYTEFMT_COLUMN);
		return;
	}
	if (v.type == FACT_FLOAT) {
		buf_printf(b, "%.4g", v.u.f);
	} else {
		char *t = value_sysctl_text(&v);
		buf_puts(b, t);
		free(t);
	}
	if (!num || !def)
		return;
	switch (def->unit) {
	case UNIT_PAGES: buf_puts(b, " pages"); break;
	case UNIT_PERCENT: buf_putc(b, '%'); break;
	case UNIT_SECONDS: buf_puts(b, " s"); break;
	case UNIT_USEC: buf_puts(b, " us"); break;
	case UNIT_CENTISECS: buf_printf(b, " (%g s)", d / 100); break;
	case UNIT_PER_SEC: buf_puts(b, "/s"); break;
	case UNIT_PAGES_PER_SEC: buf_puts(b, " pages/s"); break;
	case UNIT_BYTES_PER_SEC: buf_puts(b, " bytes/s"); break;
	default: break;
	}
}

size_t summary_nchanges(const struct rec_input *in)
{
	size_t n = 0;
	for (size_t i = 0; i < in->plan->nd; i++)
		n += in->plan->d[i].changed;
	return n;
}

static void header(const struct rec_input *in, struct buf *out)
{
	const struct plan *p = in->plan;
	const struct facts *f = in->host->facts;
	const char *kernel = f ? facts_get_str(f, F_KERNEL_OSRELEASE) : NULL;
	int64_t ram = 0;
	struct buf t = {0};
	if (in->host_id)
		buf_printf(&t, "host %s: ", in->host_id);
	buf_printf(&t, "kernel %s", kernel ? kernel : "unknown");
	if (f && facts_get_int(f, F_MEMINFO_MEMTOTAL, &ram) == 0 && ram > 0) {
		buf_puts(&t, ", RAM ");
		bytefmt_put(&t, (double)(ram * 1024), BYTEFMT_COLUMN);
	}
	buf_printf(&t, "; profile %s, rules %.12s", p->profile ? p->profile : "default",
		   p->ruleset_digest ? p->ruleset_digest : "unknown");
	wrap(out, buf_str(&t), 2, 0);
	buf_free(&t);
}

/* An administrator's explicit value of the key: kept, or changed and why. */
static void admin_line(struct buf *out, const struct decision *x, int indent)
{
	if (!x->admin_source || (!x->admin_kept && !x->admin_overridden_by))
		return;
	struct buf t = {0};
	if (x->admin_kept) {
		buf_puts(&t, "an administrator's value (");
		buf_puts(&t, x->admin_source);
		buf_puts(&t, ") is kept; the advisor would choose ");
		plain(&t, x->sysctl, &x->advisor_value);
		buf_printf(&t, " (--override %s to apply it)", x->sysctl);
	} else {
		buf_puts(&t, "overrides an administrator's ");
		plain(&t, x->sysctl, &x->admin_value);
		buf_printf(&t, " (%s): %s", x->admin_source, x->admin_overridden_by);
	}
	buf_printf(out, "%*s", indent, "");
	wrap(out, buf_str(&t), indent + 2, 0);
	buf_free(&t);
}

/* One decision in full (verbose). */
static void decision_full(const struct rec_input *in, size_t i, struct buf *out)
{
	const struct decision *x = &in->plan->d[i];
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
	wm_effect(out, in, x->sysctl, 8);
	buf_printf(out, "    rule %s (%s, %s confidence): ", x->rule, severity_name(x->severity),
		   rec_confidence_name(x->confidence));
	wrap(out, x->reason, 6, 0);
	if (x->clamped) {
		buf_puts(out, "    clamped: ");
		wrap(out, x->clamp_reason, 6, 0);
	}
	if (x->pinned_by)
		buf_printf(out, "    pinned by profile %s\n", x->pinned_by);
	admin_line(out, x, 4);
	for (size_t k = 0; k < x->nlosers; k++) {
		char *v = value_sysctl_text(&x->losers[k].value);
		buf_printf(out, "    overrides %s (%s): ", x->losers[k].rule, v);
		wrap(out, x->losers[k].why, 6, 0);
		free(v);
	}
	if (in->prec && sel) {
		const struct rec_prec *pr = &in->prec[i];
		buf_puts(out, "    at boot (fragment installed): ");
		struct buf t = {0};
		buf_printf(&t, "systemd-sysctl %s, sysctl --system %s", pr->systemd_file ? pr->systemd_file : "none",
			   pr->procps_file ? pr->procps_file : "none");
		wrap(out, buf_str(&t), 6, 0);
		buf_free(&t);
	}
}

/* A change in short (default): the values, the zones, the rule and the
 * first line of its reason. */
static void decision_short(const struct rec_input *in, size_t i, struct buf *out)
{
	const struct decision *x = &in->plan->d[i];
	buf_printf(out, "  %s: ", x->sysctl);
	if (x->has_current)
		plain(out, x->sysctl, &x->current);
	else
		buf_puts(out, "unknown");
	buf_puts(out, " -> ");
	plain(out, x->sysctl, &x->recommended);
	buf_printf(out, "  [%s, %s]\n", x->rule, severity_name(x->severity));
	admin_line(out, x, 4);
	wm_effect(out, in, x->sysctl, 2);
	buf_puts(out, "    ");
	wrap(out, x->reason, 4, 1);
}

static void skipped(const struct rec_input *in, struct buf *out)
{
	const struct plan *p = in->plan;
	if (!p->ns)
		return;
	buf_printf(out, "\nRules that did not apply (%zu):\n", p->ns);
	for (size_t i = 0; i < p->ns; i++) {
		const struct skipped *s = &p->s[i];
		buf_printf(out, "  %s: ", s->rule);
		if (s->kind == SKIP_NOT_FIRED && s->nfacts) {
			struct buf t = {0};
			buf_puts(&t, "did not fire: ");
			for (size_t k = 0; k < s->nfacts; k++) {
				buf_printf(&t, "%s%s = ", k ? ", " : "", s->facts[k]);
				fact_text(&t, in->host->facts, s->facts[k]);
			}
			wrap(out, buf_str(&t), 6, 0);
			buf_free(&t);
		} else {
			wrap(out, s->why, 6, 0);
		}
	}
}

void summary_render(const struct rec_input *in, bool verbose, struct buf *out)
{
	const struct plan *p = in->plan;
	header(in, out);
	size_t nchanges = summary_nchanges(in), nkept = p->nd - nchanges;

	if (verbose) {
		buf_puts(out, p->nd ? "\nSysctls:\n" : "\nNo sysctl recommendations.\n");
		for (size_t i = 0; i < p->nd; i++)
			decision_full(in, i, out);
	} else {
		if (nchanges)
			buf_printf(out, "\nChanges (%zu):\n", nchanges);
		else
			buf_puts(out, "\nChanges: none\n");
		for (size_t i = 0; i < p->nd; i++)
			if (p->d[i].changed)
				decision_short(in, i, out);
		if (nkept) {
			struct buf t = {0};
			for (size_t i = 0; i < p->nd; i++) {
				const struct decision *x = &p->d[i];
				if (x->changed)
					continue;
				buf_printf(&t, "%s%s = ", t.len ? ", " : "", x->sysctl);
				plain(&t, x->sysctl, &x->recommended);
			}
			buf_printf(out, "Kept (%zu): ", nkept);
			wrap(out, buf_str(&t), 2, 0);
			buf_free(&t);
			for (size_t i = 0; i < p->nd; i++)
				if (!p->d[i].changed && p->d[i].admin_kept) {
					buf_printf(out, "  %s: ", p->d[i].sysctl);
					admin_line(out, &p->d[i], 0);
				}
		}
	}
	/* A fragment that another file overrides at boot is worth a line
	 * either way: writing it would not be enough. */
	for (size_t i = 0; in->prec && i < p->nd; i++) {
		const struct rec_prec *pr = &in->prec[i];
		if (in->selected && in->selected[i] && pr->shadowed) {
			buf_printf(out, "  warning: %s in the fragment is shadowed by ", p->d[i].sysctl);
			wrap(out, pr->shadowed_by ? pr->shadowed_by : "a later file", 4, 0);
		}
	}
	if (p->nf) {
		buf_printf(out, "\nFindings (%zu):\n", p->nf);
		for (size_t i = 0; i < p->nf; i++) {
			buf_printf(out, "  %s %s: ", severity_name(p->f[i].severity), p->f[i].rule);
			if (verbose)
				buf_printf(out, "(%s confidence) ", rec_confidence_name(p->f[i].confidence));
			wrap(out, p->f[i].reason, 4, verbose ? 0 : 1);
		}
	}
	if (verbose)
		skipped(in, out);
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
	if (in->wm_note && !in->nwm && verbose) {
		buf_puts(out, "\nNote: ");
		wrap(out, in->wm_note, 2, 0);
	}
}

void summary_closing_line(const struct rec_input *in, const struct summary_next *x, struct buf *b)
{
	size_t n = x->nselected;
	const char *s = n == 1 ? "" : "s";
	if (x->out && x->up_to_date) {
		buf_printf(b, "Up to date, not rewritten: %s (%zu setting%s%s).\n", x->out, n, s,
			   x->identical ? "" : "; same settings, rule set and profile, its comments kept");
		return;
	}
	if (x->out) {
		buf_printf(b, "Wrote %s (%zu setting%s)", x->out, n, s);
		if (x->apply)
			buf_printf(b, x->apply_ok ? "; the live values are set (Applied above).\n"
						  : "; applying failed (Applied above).\n");
		else if (x->root_live)
			buf_printf(b, "; to set the live values now: sysctl -p %s\n", x->out);
		else
			buf_puts(b, ".\n");
		return;
	}
	size_t nchanges = summary_nchanges(in);
	if (!nchanges && !n && x->live_unknown) {
		/* could not look is never "as advised" */
		buf_puts(b, "Next: capture proc/sys/vm too: no sysctl the advisor sets could be read, so the host "
			    "is not known to be as advised.\n");
		return;
	}
	if (!nchanges && (x->up_to_date || !n)) {
		buf_printf(b, "Nothing to change: %s.%s\n",
			   n ? "the deployed fragment is up to date" : "the host is as advised",
			   x->verbose ? "" : " (--verbose shows the rules that did not apply)");
		return;
	}
	/* "rerun with", not the whole command line: a --root path can be
	 * long, and the line must fit the screen. */
	if (!nchanges)
		buf_printf(b, "Next: rerun with -o %s to keep the advised values after a reboot.\n",
			   FRAGMENT_DEFAULT_PATH);
	else if (x->live)
		buf_printf(b, "Next: rerun with -o %s --apply to write the fragment and set the values.\n",
			   FRAGMENT_DEFAULT_PATH);
	else
		buf_printf(b, "Next: rerun with -o FILE to write the fragment, then install it as %s there.\n",
			   FRAGMENT_DEFAULT_PATH);
}

void summary_text(const struct rec_input *in, const struct summary_next *x, struct buf *b)
{
	summary_render(in, x->verbose, b);
	buf_putc(b, '\n');
	summary_closing_line(in, x, b);
	if (x->tmpfiles)
		buf_printf(b, "%s: %zu sysfs setting(s) for systemd-tmpfiles%s.\n", x->tmpfiles, x->ntmpfiles,
			   x->tmpfiles_up_to_date ? ", up to date" : ", written");
}

void summary_restore_hint(const struct apply_entry *e, size_t n, struct buf *b)
{
	buf_puts(b, "reclaim-advisor: recommend: values were applied but the report was not written; "
		    "to restore the previous values:\n");
	for (size_t i = 0; i < n; i++) {
		if (e[i].result != APPLY_APPLIED || !e[i].previous)
			continue;
		/* A pair member read 0: its partner was in use, and 0 is no
		 * value to write back (sysctl_pair_default). */
		if (e[i].partner && !strcmp(e[i].previous, "0")) {
			if (e[i].partner_previous && strcmp(e[i].partner_previous, "0"))
				buf_printf(b, "  sysctl -w %s='%s'\n", e[i].partner, e[i].partner_previous);
			else
				buf_printf(b, "  # %s read 0 (%s was in use, its value unread): set %s back by hand\n",
					   e[i].sysctl, e[i].partner, e[i].partner);
			continue;
		}
		buf_printf(b, "  sysctl -w %s='%s'\n", e[i].sysctl, e[i].previous);
	}
}
