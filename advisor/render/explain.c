/* explain: the text of `explain RULE-ID|SYSCTL` (contract in explain.h). */
#include "explain.h"

#include <errno.h>
#include <string.h>

static void print_value(struct buf *b, const struct value *v)
{
	switch (v->type) {
	case FACT_INT:
		buf_printf(b, "%lld", (long long)v->u.i);
		break;
	case FACT_FLOAT:
		buf_printf(b, "%g", v->u.f);
		break;
	case FACT_BOOL:
		buf_printf(b, "%s", v->u.b ? "true" : "false");
		break;
	case FACT_STR:
		buf_printf(b, "\"%s\"", v->u.s ? v->u.s : "");
		break;
	}
}

/* Text of a multi-line value, continuation lines indented under the first. */
static void print_text(struct buf *b, const char *label, const char *text)
{
	buf_printf(b, "  %-11s ", label);
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			while (p[1] == ' ' || p[1] == '\t')
				p++;
			buf_printf(b, "\n  %-11s ", "");
		} else {
			buf_putc(b, *p);
		}
	}
	buf_putc(b, '\n');
}

struct fact_ctx {
	const struct facts *f;
	struct buf *b;
};

static void print_fact(void *ctx, const char *name)
{
	const struct facts *f = ((struct fact_ctx *)ctx)->f;
	struct buf *b = ((struct fact_ctx *)ctx)->b;
	struct value v;
	const struct fact_def *fd = fact_catalog_lookup(name);
	buf_printf(b, "  %-36s ", name);
	int rc = facts_lookup(f, name, &v);
	if (rc == 0) {
		print_value(b, &v);
		if (fd && fd->unit != UNIT_NONE)
			buf_printf(b, " %s", fact_unit_name(fd->unit));
	} else {
		const char *r = facts_lookup_reason(f, name);
		buf_printf(b, "absent (%s)", r ? r : "not collected on this host");
	}
	buf_putc(b, '\n');
}

/* What the plan says about rule id. */
static void rule_outcome(struct buf *b, const struct plan *p, const char *id, const char *ind)
{
	for (size_t i = 0; i < p->nd; i++) {
		const struct decision *d = &p->d[i];
		if (d->rule && !strcmp(d->rule, id)) {
			buf_printf(b, "%sfires and wins: %s = %lld", ind, d->sysctl, (long long)d->recommended.u.i);
			if (d->has_current)
				buf_printf(b, " (current %lld%s)", (long long)d->current.u.i, d->changed ? "" : ", unchanged");
			buf_printf(b, "\n%sconfidence %s, severity %s\n", ind, confidence_name(d->confidence),
			       severity_name(d->severity));
			if (d->clamped)
				buf_printf(b, "%sclamped from %lld: %s\n", ind, (long long)d->unclamped.u.i, d->clamp_reason);
			buf_printf(b, "%swhy: %s\n", ind, d->reason);
			return;
		}
		for (size_t k = 0; k < d->nlosers; k++)
			if (!strcmp(d->losers[k].rule, id)) {
				buf_printf(b, "%sfires but loses: proposed %s = %lld; %s wins with %lld\n", ind,
				       d->losers[k].sysctl ? d->losers[k].sysctl : d->sysctl,
				       (long long)d->losers[k].value.u.i, d->rule, (long long)d->recommended.u.i);
				buf_printf(b, "%sbecause: %s\n", ind, d->losers[k].why);
				return;
			}
	}
	for (size_t i = 0; i < p->nf; i++)
		if (!strcmp(p->f[i].rule, id)) {
			buf_printf(b, "%sfires (finding, %s, confidence %s): %s\n", ind, severity_name(p->f[i].severity),
			       confidence_name(p->f[i].confidence), p->f[i].reason);
			return;
		}
	for (size_t i = 0; i < p->ns; i++)
		if (!strcmp(p->s[i].rule, id)) {
			buf_printf(b, "%s%s: %s\n", ind, skip_kind_label(p->s[i].kind), p->s[i].why);
			return;
		}
	buf_printf(b, "%sno outcome recorded\n", ind);
}

static void explain_rule(const struct rule *r, const struct plan *p, const struct host *h, struct buf *b)
{
	buf_printf(b, "rule %s (%s:%u)\n", r->id, r->file, r->line);
	if (r->replaced_file)
		buf_printf(b, "  replaces the definition at %s:%u\n", r->replaced_file, r->replaced_line);
	if (r->enabled_by)
		buf_printf(b, "  switched %s by %s:%u\n", r->enabled ? "on" : "off", r->enabled_by, r->enabled_line);
	if (*r->description)
		print_text(b, "description", r->description);
	print_text(b, "when", r->when.text ? r->when.text : "true (always)");
	if (r->set) {
		buf_printf(b, "  %-11s %s\n", "set", r->set->name);
		print_text(b, "value", r->value.text);
	} else {
		buf_printf(b, "  %-11s (none: a finding)\n", "set");
	}
	buf_printf(b, "  %-11s %d\n", "priority", r->priority);
	buf_printf(b, "  %-11s %s\n", "severity", severity_name(r->severity));
	if (r->conf_is_expr)
		print_text(b, "confidence", r->conf.text);
	else
		buf_printf(b, "  %-11s %s\n", "confidence", confidence_name(r->confidence));
	if (*r->why_text)
		print_text(b, "why", r->why_text);
	if (r->ref)
		buf_printf(b, "  %-11s %s\n", "ref", r->ref);
	if (r->nprofiles) {
		buf_printf(b, "  %-11s", "profiles");
		for (size_t i = 0; i < r->nprofiles; i++)
			buf_printf(b, "%s%s", i ? ", " : " ", r->profiles[i]);
		buf_putc(b, '\n');
	}
	if (r->nrequires_rules) {
		buf_printf(b, "  %-11s", "requires");
		for (size_t i = 0; i < r->nrequires_rules; i++)
			buf_printf(b, "%s%s", i ? ", " : " ", r->requires_rules[i]);
		buf_puts(b, " (requires_rules: made only beside their advice)\n");
	}
	buf_printf(b, "facts on this host (%s):\n", h->origin ? h->origin : "?");
	rule_foreach_fact(r, print_fact, &(struct fact_ctx){h->facts, b});
	buf_printf(b, "outcome (profile %s):\n", p->profile);
	rule_outcome(b, p, r->id, "  ");
}

static void explain_sysctl(const struct sysctl_def *sc, const struct ruleset *rs, const struct profile *prof,
			   const struct plan *p, const struct host *h, struct buf *b)
{
	int64_t kv = -1, lo, hi, slo, shi, def;
	const char *swhy;
	if (facts_get_int(h->facts, F_HOST_KERNEL_VERSION, &kv) || kv <= 0)
		kv = -1;
	buf_printf(b, "sysctl %s\n", sc->name);
	buf_printf(b, "  %-13s ", "current");
	struct value v;
	if (facts_get(h->facts, sc->fact, &v) == 0)
		print_value(b, &v);
	else
		buf_printf(b, "absent (%s)", facts_reason(h->facts, sc->fact) ? facts_reason(h->facts, sc->fact)
								: "not collected on this host");
	buf_putc(b, '\n');
	if (sysctl_kernel_default(sc, h->facts, &def))
		buf_printf(b, "  %-13s %lld\n", "default", (long long)def);
	else
		buf_printf(b, "  %-13s computed at boot\n", "default");
	if (!sysctl_applicable(sc, kv))
		buf_printf(b, "  %-13s not on this kernel (new in %lld.%lld)\n", "applicable", (long long)kver_major(sc->since),
		       (long long)kver_minor(sc->since));
	sysctl_legal_range(sc, kv, &lo, &hi);
	buf_printf(b, "  %-13s %lld..", "legal range", (long long)lo);
	if (hi == SC_NOMAX)
		buf_printf(b, "(no maximum)");
	else
		buf_printf(b, "%lld", (long long)hi);
	buf_printf(b, "%s\n", kv < 0 ? " (kernel unknown: the older range)" : "");
	sysctl_safe_bounds(sc, h->facts, &slo, &shi, &swhy);
	if (*swhy) {
		buf_printf(b, "  %-13s ", "safety bound");
		if (slo != INT64_MIN)
			buf_printf(b, ">= %lld ", (long long)slo);
		if (shi != INT64_MAX)
			buf_printf(b, "<= %lld ", (long long)shi);
		buf_printf(b, "(%s)\n", swhy);
	}
	buf_printf(b, "  %-13s %s\n", "tie-break", sc->merge == MERGE_MAX	 ? "the larger value"
					    : sc->merge == MERGE_MIN ? "the smaller value"
								 : "the rule loaded later");
	if (sc->partner)
		buf_printf(b, "  %-13s %s (writing one resets the other to 0)\n", "exclusive", sc->partner);
	const struct profile_pin *pin = profile_pin(prof, sc);
	const struct profile_bound *bd = profile_bound(prof, sc);
	const struct profile_waiver *w = profile_waiver(prof, sc);
	if (pin)
		buf_printf(b, "  profile %s pins it to %lld (%s:%u)\n", pin->from, (long long)pin->value, pin->file, pin->line);
	if (bd) {
		buf_printf(b, "  profile %s bounds it", bd->from);
		if (bd->has_lo)
			buf_printf(b, " >= %lld", (long long)bd->lo);
		if (bd->has_hi)
			buf_printf(b, " <= %lld", (long long)bd->hi);
		buf_printf(b, " (%s:%u)\n", bd->file, bd->line);
	}
	if (w)
		buf_printf(b, "  profile %s waives it: %s (%s:%u)\n", w->from, w->reason, w->file, w->line);

	buf_printf(b, "rules that set it:\n");
	size_t n = 0;
	for (size_t i = 0; i < ruleset_count(rs); i++) {
		const struct rule *r = ruleset_rule(rs, i);
		if (r->set != sc)
			continue;
		n++;
		buf_printf(b, "  %-28s priority %-5d %s:%u\n", r->id, r->priority, r->file, r->line);
		rule_outcome(b, p, r->id, "    ");
	}
	if (!n)
		buf_printf(b, "  (none)\n");
	buf_printf(b, "decision (profile %s):\n", p->profile);
	for (size_t i = 0; i < p->nd; i++) {
		const struct decision *d = &p->d[i];
		if (strcmp(d->sysctl, sc->name))
			continue;
		buf_printf(b, "  %s = %lld by %s%s\n", d->sysctl, (long long)d->recommended.u.i, d->rule,
		       d->changed ? "" : " (already set: keep)");
		if (d->clamped)
			buf_printf(b, "  clamped from %lld: %s\n", (long long)d->unclamped.u.i, d->clamp_reason);
		buf_printf(b, "  why: %s\n", d->reason);
		for (size_t k = 0; k < d->nlosers; k++)
			buf_printf(b, "  lost: %s (%lld%s%s): %s\n", d->losers[k].rule, (long long)d->losers[k].value.u.i,
			       d->losers[k].sysctl ? " for " : "", d->losers[k].sysctl ? d->losers[k].sysctl : "",
			       d->losers[k].why);
		return;
	}
	for (size_t i = 0; i < p->nd; i++)
		for (size_t k = 0; k < p->d[i].nlosers; k++)
			if (p->d[i].losers[k].sysctl && !strcmp(p->d[i].losers[k].sysctl, sc->name)) {
				buf_printf(b, "  none: %s wins the exclusive pair (%s)\n", p->d[i].sysctl, p->d[i].rule);
				return;
			}
	buf_printf(b, "  none: no rule recommends a value on this host\n");
}

int explain_render(const struct advice *a, const struct host *h, const char *what, struct buf *b)
{
	const struct rule *r = ruleset_find(a->rs, what);
	const struct sysctl_def *sc = r ? NULL : sysctl_catalog_lookup(what);
	if (r)
		explain_rule(r, a->plan, h, b);
	else if (sc)
		explain_sysctl(sc, a->rs, a->prof, a->plan, h, b);
	else
		return -ENOENT;
	return 0;
}
