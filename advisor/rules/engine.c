/* engine: rules + profile + host -> plan.  See engine.h.
 *
 * Order of work, per run:
 *   1. every rule in load order: disabled / not selected by the profile ->
 *      skipped; when (absent fact or error -> SKIP_EVAL_ERROR, false ->
 *      SKIP_NOT_FIRED with the facts it read); value, clamped to the legal
 *      range on this kernel and the catalog's safety bounds; confidence;
 *      why; evidence.  A rule for a sysctl this kernel lacks is not fired.
 *   2. per sysctl: the highest priority wins; a tie goes to the catalog's
 *      merge direction (reserves take the larger, swappiness and dirty
 *      limits the smaller); a tie left after that goes to the rule loaded
 *      later (as a later sysctl.d assignment wins).  Losers are kept.
 *   3. the profile: [bounds] clamp the winner, [pin] replaces it (every rule
 *      becomes a loser), [waive] removes the decision (its rules become
 *      SKIP_WAIVED; so does a decision whose write would reset a waived
 *      exclusive partner).
 *   4. exclusive pairs (dirty_bytes/dirty_ratio, ...): never both; a pin
 *      beats a rule, then the higher priority, then the bytes form.  The
 *      losing key's rules become losers of the kept decision.
 *   5. the catalog clamps again (a bound or pin cannot pass a safety
 *      bound), current values and defaults are filled, decisions sorted.
 *   6. no no-ops: a watermark_scale_factor change is checked with the
 *      watermark model at the *desired* min_free_kbytes (the live run when
 *      the plan keeps it, else the desired host's: plan_model, kept in the
 *      plan for the watermarks after); one that moves no zone's low-min gap
 *      is not made (decision.noop, the reason says why).
 *   7. companions: a decision whose rule says requires_raised = KEY stands
 *      only when the plan leaves KEY above its kernel default (its decision,
 *      else the current value); otherwise its key gets its kernel default
 *      and the reason says why (the boost off on zram without a wider
 *      kswapd buffer raised direct reclaim by a third: rules/README.md).
 *   8. partners (requires_rules): a rule that won its key while a rule it
 *      requires did not apply as proposed (skipped, waived, pinned, beaten,
 *      bounded, held, a no-op, reset) is dropped, and the plan is made again
 *      without it, so its key goes to the next rule; repeated until no rule
 *      is dropped (each pass drops at least one rule: at most one pass per
 *      rule).  The dropped rule is a SKIP_PARTNER entry saying which partner
 *      did not apply and why.  Administrators' values are decided after the
 *      plan (engine_administrators): a partner kept at an administrator's
 *      value takes the rule that requires it back to the current value.
 * The words (why texts, evidence, the facts a false when read) are why.c's.
 * The plan digest is FNV-1a 64 (not cryptographic) over the rule files and
 * the profile files: the same rules and profile give the same digest.
 */
#include "engine_int.h"

#include "../base/buf.h"
#include "../base/bytefmt.h"
#include "../base/fnv.h"
#include "../base/kver.h"
#include "../base/xalloc.h"
#include "expr.h"
#include "profile.h"
#include "../model/sysctl_catalog.h"
#include "../model/watermark.h"
#include "../model/wmark_facts.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cause_names[] = {
#define X(e, n) n,
	CAUSES(X)
#undef X
};

const char *cause_name(enum cause c)
{
	return (unsigned)c < sizeof(cause_names) / sizeof(cause_names[0]) ? cause_names[c] : "";
}

int cause_parse(const char *s, enum cause *out)
{
	for (size_t i = 1; i < sizeof(cause_names) / sizeof(cause_names[0]); i++)
		if (!strcmp(s, cause_names[i])) {
			*out = (enum cause)i;
			return 0;
		}
	return -EINVAL;
}

const char *confidence_name(enum confidence c)
{
	switch (c) {
	case CONF_LOW:
		return "low";
	case CONF_HIGH:
		return "high";
	case CONF_MEDIUM:
		break;
	}
	return "medium";
}

/* ---- fact access for the evaluator ---- */

struct env_ctx {
	const struct facts *f;
	bool has_value;
	int64_t value;
};

static int env_get(void *ctx, int slot, const char *name, struct value *out, const char **reason)
{
	const struct env_ctx *c = ctx;
	(void)name;
	if (slot == RULE_SLOT_VALUE) {
		if (!c->has_value)
			return -ENOENT;
		out->type = FACT_INT;
		out->u.i = c->value;
		return 0;
	}
	if (slot < 0 || slot >= FACT_ID_COUNT)
		return -ENOENT;
	int rc = c->f ? facts_get(c->f, (enum fact_id)slot, out) : -ENOENT;
	if (rc == -ENODATA) {
		const char *r = facts_reason(c->f, (enum fact_id)slot);
		*reason = r ? r : "absent";
		return -ENODATA;
	}
	if (rc) {
		/* In the catalog (the checker made sure) but not collected here. */
		*reason = "not collected on this host";
		return -ENODATA;
	}
	return 0;
}

int engine_eval(const struct rule_expr *x, const struct facts *f, bool has_value, int64_t value,
		struct value *out, struct expr_error *err)
{
	struct env_ctx c = {.f = f, .has_value = has_value, .value = value};
	struct expr_env env = {.get = env_get, .ctx = &c};
	memset(err, 0, sizeof(*err));
	return expr_eval(x->e, &env, out, err);
}

/* ---- plan building ---- */

struct cand {
	const struct rule *r;
	int64_t value, unclamped;
	bool clamped;
	char *clamp_reason;
	enum confidence conf;
	char *reason;
	struct evidence *ev;
	size_t nev;
};

static void cand_free(struct cand *c)
{
	free(c->clamp_reason);
	free(c->reason);
	why_evidence_free(c->ev, c->nev);
}

struct slot {
	struct cand *c;
	size_t n;
};

/* A skipped entry before it is put in rule order. */
struct skip {
	size_t order;
	struct skipped s;
};

/* A rule dropped because a rule it requires did not apply (step 8). */
struct excl {
	size_t order;
	char *why;
};

struct run {
	const struct ruleset *rs;
	const struct facts *f;
	int64_t kv; /* kernel version, -1 unknown */
	const struct excl *ex; /* rules dropped by earlier passes */
	size_t nex;
	int64_t *cv;           /* per rule (load order): the value it proposed, */
	bool *fired;           /* when it fired (a candidate or a finding) */
	struct skip *sk;
	size_t nsk;
	struct finding *fi;
	size_t nfi;
	struct slot slot[SC__COUNT];
};

__attribute__((format(printf, 4, 5))) static void skip(struct run *run, const struct rule *r, enum skip_kind k,
							  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *why = xvasprintf(fmt, ap);
	va_end(ap);
	run->sk = xreallocarray(run->sk, run->nsk + 1, sizeof(*run->sk));
	run->sk[run->nsk++] = (struct skip){.order = r->order, .s = {.rule = xstrdup(r->id), .kind = k, .why = why}};
}

/* Clamp v to the legal range on this kernel and the safety bounds on this
 * host.  r is the rule whose value it is (NULL: a profile's pin or bound).
 * A rule with under_thp_floor (only for named profiles: rule_build.c) may
 * set min_free_kbytes under THP's floor, to wmark.thp_lower_bound_kbytes
 * at the lowest (the sqrt default and the floor's two free pageblocks per
 * zone, the model's computation); every other value keeps the floor.
 * Returns true (and a reason) when v moved. */
static bool catalog_clamp(const struct sysctl_def *sc, const struct facts *f, int64_t kv, const struct rule *r,
			  int64_t *v, char **reason)
{
	int64_t llo, lhi, slo, shi, under;
	const char *swhy;
	sysctl_legal_range(sc, kv, &llo, &lhi);
	sysctl_safe_bounds(sc, f, &slo, &shi, &swhy);
	if (r && r->under_thp_floor && sc->id == SC_MIN_FREE_KBYTES && f &&
	    facts_get_int(f, F_WMARK_THP_LOWER_BOUND_KBYTES, &under) == 0 && under >= 1024 && under < slo) {
		slo = under;
		swhy = "min_free_kbytes under THP's floor (this profile's rule): at least the floor's two free "
		       "pageblocks per zone and the kernel's sqrt default";
	}
	int64_t in = *v;
	if (*v > shi && shi < lhi) {
		*v = shi;
		*reason = xasprintf("safety bound: %s (at most %lld here)", swhy, (long long)shi);
	} else if (*v > lhi) {
		*v = lhi;
		char k[32];
		kver_format(kv, k, sizeof(k));
		*reason = xasprintf("above the legal maximum %lld of %s%s%s", (long long)lhi, sc->name,
				    kv >= 0 ? " on kernel " : "", kv >= 0 ? k : " on older kernels");
	}
	if (*v < slo && slo > llo) {
		*v = slo;
		free(*reason);
		*reason = xasprintf("safety bound: %s (at least %lld here)", swhy, (long long)slo);
	} else if (*v < llo) {
		*v = llo;
		free(*reason);
		*reason = xasprintf("below the legal minimum %lld of %s", (long long)llo, sc->name);
	}
	return *v != in;
}

static void eval_rule(struct run *run, const struct rule *r)
{
	struct value v;
	struct expr_error err;
	if (r->when.e) {
		if (engine_eval(&r->when, run->f, false, 0, &v, &err)) {
			skip(run, r, SKIP_EVAL_ERROR, "when: %s", err.msg);
			return;
		}
		if (v.type != FACT_BOOL || !v.u.b) {
			struct buf b = {0};
			char *w = why_flat(r->when.text);
			buf_printf(&b, "when was false: %s", w);
			free(w);
			why_facts_used(&b, &r->when, run->f);
			skip(run, r, SKIP_NOT_FIRED, "%s", buf_str(&b));
			buf_free(&b);
			struct skipped *s = &run->sk[run->nsk - 1].s;
			s->facts = why_fact_names(&r->when, &s->nfacts);
			return;
		}
	}
	if (r->set && !sysctl_applicable(r->set, run->kv)) {
		char k[32], s[32];
		kver_format(run->kv, k, sizeof(k));
		kver_format(r->set->since, s, sizeof(s));
		skip(run, r, SKIP_NOT_FIRED, "not applicable: %s is new in %s, this kernel is %s", r->set->name, s, k);
		return;
	}
	int64_t value = 0;
	if (r->set) {
		if (!r->value.e) {
			skip(run, r, SKIP_EVAL_ERROR, "value: not parsed");
			return;
		}
		if (engine_eval(&r->value, run->f, false, 0, &v, &err)) {
			skip(run, r, SKIP_EVAL_ERROR, "value: %s", err.msg);
			return;
		}
		if (v.type == FACT_INT) {
			value = v.u.i;
		} else if (v.type == FACT_FLOAT && isfinite(v.u.f) && fabs(v.u.f) < 9e18) {
			value = llround(v.u.f);
		} else {
			skip(run, r, SKIP_EVAL_ERROR, "value: %s is not an integer", fact_type_name(v.type));
			return;
		}
	}
	enum confidence conf = r->confidence;
	if (r->conf_is_expr && r->conf.e) {
		if (engine_eval(&r->conf, run->f, false, 0, &v, &err)) {
			skip(run, r, SKIP_EVAL_ERROR, "confidence: %s", err.msg);
			return;
		}
		if (v.type != FACT_STR || !v.u.s ||
		    (strcmp(v.u.s, "low") && strcmp(v.u.s, "medium") && strcmp(v.u.s, "high"))) {
			skip(run, r, SKIP_EVAL_ERROR, "confidence: \"%s\" is not low, medium or high",
			     v.type == FACT_STR && v.u.s ? v.u.s : "?");
			return;
		}
		conf = !strcmp(v.u.s, "low") ? CONF_LOW : !strcmp(v.u.s, "high") ? CONF_HIGH : CONF_MEDIUM;
	}
	run->fired[r->order] = true;
	if (!r->set) {
		run->fi = xreallocarray(run->fi, run->nfi + 1, sizeof(*run->fi));
		struct finding *fi = &run->fi[run->nfi++];
		*fi = (struct finding){.rule = xstrdup(r->id), .rule_file = xstrdup(r->file), .rule_line = r->line,
				       .severity = r->severity, .confidence = conf,
				       .reason = *r->why_text	   ? why_render(r, run->f, false, 0)
						 : *r->description ? why_flat(r->description)
								   : xstrdup(r->id),
				       .ref = r->ref ? xstrdup(r->ref) : NULL, .cause = r->cause,
				       .tmpfiles_path = r->tmpfiles_path ? xstrdup(r->tmpfiles_path) : NULL,
				       .tmpfiles_value = r->tmpfiles_value ? xstrdup(r->tmpfiles_value) : NULL};
		why_evidence(r, run->f, &fi->ev, &fi->nev);
		return;
	}
	struct cand c = {.r = r, .value = value, .unclamped = value, .conf = conf};
	c.clamped = catalog_clamp(r->set, run->f, run->kv, r, &c.value, &c.clamp_reason);
	run->cv[r->order] = c.value;
	/* `value` in why is what the rule will actually recommend. */
	c.reason = why_render(r, run->f, true, c.value);
	why_evidence(r, run->f, &c.ev, &c.nev);
	struct slot *s = &run->slot[r->set->id];
	s->c = xreallocarray(s->c, s->n + 1, sizeof(*s->c));
	s->c[s->n++] = c;
}

/* Does a beat b?  *why receives why b lost. */
static bool beats(const struct sysctl_def *sc, const struct cand *a, const struct cand *b, char **why)
{
	if (a->r->priority != b->r->priority) {
		if (a->r->priority < b->r->priority)
			return false;
		*why = xasprintf("lower priority (%d < %d, %s wins)", b->r->priority, a->r->priority, a->r->id);
		return true;
	}
	if (a->value != b->value && sc->merge != MERGE_NONE) {
		bool bigger = a->value > b->value;
		if (bigger != (sc->merge == MERGE_MAX))
			return false;
		*why = xasprintf("tie at priority %d: %s takes the %s value (%lld from %s %s %lld)", a->r->priority,
				 sc->name, sc->merge == MERGE_MAX ? "larger" : "smaller", (long long)a->value,
				 a->r->id, bigger ? ">" : "<", (long long)b->value);
		return true;
	}
	if (a->r->order < b->r->order)
		return false;
	*why = xasprintf("tie at priority %d%s: the rule loaded later (%s, %s:%u) wins", a->r->priority,
			 a->value == b->value ? " with the same value" : " and no merge direction", a->r->id,
			 a->r->file, a->r->line);
	return true;
}

struct dec {
	struct decision d;
	int priority;   /* the winner's, for exclusive pairs */
	bool live;
};

static void loser_add(struct decision *d, const char *rule, int64_t value, const char *sysctl, char *why)
{
	d->losers = xreallocarray(d->losers, d->nlosers + 1, sizeof(*d->losers));
	struct loser *l = &d->losers[d->nlosers++];
	memset(l, 0, sizeof(*l));
	l->rule = xstrdup(rule);
	l->value.type = FACT_INT;
	l->value.u.i = value;
	l->why = why;
	l->sysctl = sysctl ? xstrdup(sysctl) : NULL;
}

static void decision_free(struct decision *d)
{
	free(d->sysctl);
	free(d->rule);
	free(d->rule_file);
	free(d->reason);
	free(d->ref);
	why_evidence_free(d->ev, d->nev);
	for (size_t i = 0; i < d->nlosers; i++) {
		free(d->losers[i].rule);
		free(d->losers[i].why);
		free(d->losers[i].sysctl);
		if (d->losers[i].value.type == FACT_STR)
			free((char *)d->losers[i].value.u.s);
	}
	free(d->losers);
	free(d->clamp_reason);
	free(d->pinned_by);
	free(d->zeroes);
	free(d->admin_source);
	free(d->admin_overridden_by);
	free(d->taken_back_from);
}

/* Resolve one sysctl's candidates into a decision (taking their strings). */
static void resolve(const struct sysctl_def *sc, struct slot *s, struct dec *out)
{
	size_t w = 0;
	for (size_t i = 1; i < s->n; i++) {
		char *why = NULL;
		if (beats(sc, &s->c[i], &s->c[w], &why)) {
			free(why);
			w = i;
		}
	}
	struct cand *c = &s->c[w];
	struct decision *d = &out->d;
	memset(out, 0, sizeof(*out));
	out->live = true;
	out->priority = c->r->priority;
	d->sysctl = xstrdup(sc->name);
	d->recommended.type = FACT_INT;
	d->recommended.u.i = c->value;
	d->rule = xstrdup(c->r->id);
	d->rule_file = xstrdup(c->r->file);
	d->rule_line = c->r->line;
	d->severity = c->r->severity;
	d->confidence = c->conf;
	d->cause = c->r->cause;
	d->reason = c->reason;
	c->reason = NULL;
	d->ref = c->r->ref ? xstrdup(c->r->ref) : NULL;
	d->ev = c->ev;
	d->nev = c->nev;
	c->ev = NULL;
	c->nev = 0;
	d->clamped = c->clamped;
	d->unclamped.type = FACT_INT;
	d->unclamped.u.i = c->unclamped;
	d->clamp_reason = c->clamp_reason;
	c->clamp_reason = NULL;
	for (size_t i = 0; i < s->n; i++) {
		if (i == w)
			continue;
		char *why = NULL;
		if (!beats(sc, c, &s->c[i], &why))
			why = xstrdup("lost the tie"); /* cannot happen: w beat every other */
		loser_add(d, s->c[i].r->id, s->c[i].value, NULL, why);
	}
}

/* The rules behind a decision (winner and same-key losers) become skipped
 * entries of kind k. */
static void dec_to_skips(struct run *run, const struct ruleset *rs, struct dec *x, enum skip_kind k,
			 const char *why)
{
	const char *ids[1] = {x->d.rule};
	for (size_t i = 0; i <= x->d.nlosers; i++) {
		const char *id = i == 0 ? ids[0] : x->d.losers[i - 1].rule;
		if (i > 0 && x->d.losers[i - 1].sysctl)
			continue;
		const struct rule *r = ruleset_find(rs, id);
		if (r)
			skip(run, r, k, "%s", why);
	}
}

static int cmp_dec(const void *a, const void *b)
{
	const struct decision *x = a, *y = b;
	return strcmp(x->sysctl, y->sysctl);
}

static int cmp_skip(const void *a, const void *b)
{
	const struct skip *x = a, *y = b;
	return x->order < y->order ? -1 : x->order > y->order ? 1 : 0;
}

/* Step 1: every rule in load order. */
static void run_rules(struct run *run, const struct ruleset *rs, const struct profile *p, const char *pname)
{
	for (size_t i = 0; i < ruleset_count(rs); i++) {
		const struct rule *r = ruleset_rule(rs, i);
		if (!r->enabled) {
			if (r->enabled_by)
				skip(run, r, SKIP_DISABLED, "disabled by %s:%u", r->enabled_by, r->enabled_line);
			else
				skip(run, r, SKIP_DISABLED, "enabled = no in %s", r->file);
			continue;
		}
		if (!profile_selects(p, r)) {
			if (p && p->has_rules) {
				skip(run, r, SKIP_NOT_IN_PROFILE, "profile %s does not select it", pname);
			} else {
				struct buf pl = {0};
				for (size_t k = 0; k < r->nprofiles; k++)
					buf_printf(&pl, "%s%s", k ? ", " : "", r->profiles[k]);
				skip(run, r, SKIP_NOT_IN_PROFILE, "profiles = %s does not name %s or a profile it includes",
				     buf_str(&pl), pname);
				buf_free(&pl);
			}
			continue;
		}
		const char *dropped = NULL;
		for (size_t k = 0; k < run->nex && !dropped; k++)
			if (run->ex[k].order == r->order)
				dropped = run->ex[k].why;
		if (dropped) {
			skip(run, r, SKIP_PARTNER, "%s", dropped);
			continue;
		}
		eval_rule(run, r);
	}
}

/* Step 3a: [bounds] move the winner; [pin] replaces the decision, every
 * rule behind it becoming a loser. */
static void apply_bounds_and_pins(struct run *run, const struct profile *p, struct dec *dec, struct plan *plan)
{
	size_t ncat;
	const struct sysctl_def *cat = sysctl_catalog(&ncat);
	for (size_t i = 0; i < ncat && p; i++) {
		const struct sysctl_def *sc = &cat[i];
		struct decision *d = &dec[i].d;
		const struct profile_bound *b = profile_bound(p, sc);
		if (b && dec[i].live) {
			int64_t v = d->recommended.u.i, nv = v;
			if (b->has_lo && nv < b->lo)
				nv = b->lo;
			if (b->has_hi && nv > b->hi)
				nv = b->hi;
			if (nv != v) {
				if (!d->clamped)
					d->unclamped = d->recommended;
				d->clamped = true;
				free(d->clamp_reason);
				d->clamp_reason = xasprintf("profile %s bounds %s to %s %lld (%s:%u)", b->from, sc->name,
							    nv > v ? ">=" : "<=", (long long)nv, b->file, b->line);
				d->recommended.u.i = nv;
			}
		}
		const struct profile_pin *pn = profile_pin(p, sc);
		if (!pn)
			continue;
		if (!sysctl_applicable(sc, run->kv)) {
			diag_add(&plan->diags, DIAG_WARNING, pn->file, pn->line, 0,
				 "pin of %s ignored: this kernel does not have it", sc->name);
			continue;
		}
		struct dec nd;
		memset(&nd, 0, sizeof(nd));
		nd.live = true;
		nd.priority = 1 << 30; /* a pin beats any rule in an exclusive pair */
		struct decision *n = &nd.d;
		n->sysctl = xstrdup(sc->name);
		n->recommended.type = FACT_INT;
		n->recommended.u.i = pn->value;
		n->rule = xasprintf("profile:%s", pn->from);
		n->rule_file = xstrdup(pn->file);
		n->rule_line = pn->line;
		n->severity = SEV_INFO;
		n->confidence = CONF_HIGH;
		n->reason = xasprintf("pinned to %lld by profile %s (%s:%u)", (long long)pn->value, pn->from, pn->file,
				      pn->line);
		n->pinned_by = xstrdup(pn->from);
		if (dec[i].live) {
			char *why = xasprintf("profile %s pins %s = %lld", pn->from, sc->name, (long long)pn->value);
			loser_add(n, d->rule, d->recommended.u.i, NULL, why);
			for (size_t k = 0; k < d->nlosers; k++)
				loser_add(n, d->losers[k].rule, d->losers[k].value.u.i, NULL, xstrdup(why));
			decision_free(d);
		}
		dec[i] = nd;
	}
}

/* Step 3b: a waived key, or one whose write would reset a waived partner,
 * gets no decision; its rules become SKIP_WAIVED. */
static void apply_waivers(struct run *run, const struct ruleset *rs, const struct profile *p, struct dec *dec)
{
	size_t ncat;
	const struct sysctl_def *cat = sysctl_catalog(&ncat);
	for (size_t i = 0; i < ncat && p; i++) {
		const struct sysctl_def *sc = &cat[i];
		if (!dec[i].live)
			continue;
		const struct profile_waiver *w = profile_waiver(p, sc);
		const struct sysctl_def *partner = sc->partner ? sysctl_catalog_lookup(sc->partner) : NULL;
		const struct profile_waiver *pw = partner ? profile_waiver(p, partner) : NULL;
		if (!w && !pw)
			continue;
		char *why = w ? xasprintf("%s is waived by profile %s: %s", sc->name, w->from, w->reason)
			      : xasprintf("writing %s would reset %s, which profile %s waives: %s", sc->name,
					  partner->name, pw->from, pw->reason);
		dec_to_skips(run, rs, &dec[i], SKIP_WAIVED, why);
		free(why);
		decision_free(&dec[i].d);
		dec[i].live = false;
	}
}

/* Step 4: never both keys of an exclusive pair.  A pin beats a rule, then
 * the higher priority, then the bytes form (an absolute limit does not
 * grow with memory: kernel-reclaim.md 7.4). */
static void resolve_pairs(struct dec *dec)
{
	size_t ncat;
	const struct sysctl_def *cat = sysctl_catalog(&ncat);
	for (size_t i = 0; i < ncat; i++) {
		const struct sysctl_def *sc = &cat[i];
		const struct sysctl_def *partner = sc->partner ? sysctl_catalog_lookup(sc->partner) : NULL;
		if (!partner || partner->id < sc->id || !dec[i].live || !dec[partner->id].live)
			continue;
		struct dec *a = &dec[i], *b = &dec[partner->id];
		bool a_bytes = strstr(sc->name, "_bytes") != NULL;
		bool keep_a = a->priority != b->priority ? a->priority > b->priority : a_bytes;
		struct dec *keep = keep_a ? a : b, *drop = keep_a ? b : a;
		char *why = xasprintf("%s and %s are mutually exclusive: %s (%s) wins over %s", keep->d.sysctl,
				      drop->d.sysctl, keep->d.sysctl, keep->d.rule, drop->d.sysctl);
		loser_add(&keep->d, drop->d.rule, drop->d.recommended.u.i, drop->d.sysctl, why);
		for (size_t k = 0; k < drop->d.nlosers; k++)
			loser_add(&keep->d, drop->d.losers[k].rule, drop->d.losers[k].value.u.i, drop->d.sysctl,
				  xstrdup(why));
		decision_free(&drop->d);
		drop->live = false;
	}
}

/* Step 5: the catalog clamps once more (a bound or a pin cannot pass a
 * safety bound), then current value, default, changed and the partner
 * note. */
static void finish_decision(const struct run *run, const struct sysctl_def *sc, struct decision *d)
{
	int64_t v = d->recommended.u.i;
	char *reason = NULL;
	const struct rule *r = !d->pinned_by && d->rule ? ruleset_find(run->rs, d->rule) : NULL;
	if (catalog_clamp(sc, run->f, run->kv, r, &v, &reason)) {
		if (!d->clamped)
			d->unclamped = d->recommended;
		d->clamped = true;
		free(d->clamp_reason);
		d->clamp_reason = reason;
		d->recommended.u.i = v;
	} else {
		free(reason);
	}
	if (!d->clamped)
		d->unclamped = d->recommended;
	int64_t cur;
	if (run->f && facts_get_int(run->f, sc->fact, &cur) == 0) {
		d->has_current = true;
		d->current.type = FACT_INT;
		d->current.u.i = cur;
	}
	int64_t def;
	if (sysctl_kernel_default(sc, run->f, &def)) {
		d->has_default = true;
		d->kernel_default.type = FACT_INT;
		d->kernel_default.u.i = def;
	}
	d->changed = !d->has_current || d->current.u.i != d->recommended.u.i;
	/* Low confidence means no change (rules/README.md, "Evidence and
	 * confidence"): weak evidence is said, not acted on.  The one
	 * exception is a move back toward the kernel's own default (undoing a
	 * setting needs less proof than adding one: the wsf 1000 that holds
	 * memory nothing asked for).  A pin, or a value a profile's bound or
	 * the catalog's safety bound moved, is not the evidence's to hold. */
	if (d->changed && !d->has_current && d->has_default && d->confidence == CONF_LOW && !d->pinned_by &&
	    !d->clamped) {
		/* current unknown (a capture without /proc/sys): hold at the
		 * kernel's default, so nothing is written */
		char *r2 = xasprintf("%s - low confidence, so not set (the rules would choose %lld): record a "
				     "history (reclaim-advisor record, then recommend --history) or measure a window (--interval, --baseline)",
				     d->reason, (long long)d->recommended.u.i);
		free(d->reason);
		d->reason = r2;
		d->recommended.u.i = d->kernel_default.u.i;
		d->changed = false;
		d->held = true;
	} else if (d->changed && d->has_current && d->confidence == CONF_LOW && !d->pinned_by && !d->clamped) {
		int64_t now = d->current.u.i, rec = d->recommended.u.i;
		bool toward = d->has_default && ((rec < now && rec >= d->kernel_default.u.i) ||
						 (rec > now && rec <= d->kernel_default.u.i));
		if (!toward) {
			char *r2 = xasprintf("%s - low confidence, so not changed from %lld (the rules would choose "
					     "%lld): record a history (reclaim-advisor record, then recommend --history) or measure a window "
					     "(--interval, --baseline) to size it",
					     d->reason, (long long)now, (long long)rec);
			free(d->reason);
			d->reason = r2;
			d->recommended.u.i = now;
			d->changed = false;
			d->held = true;
		}
	}
	if (sc->partner) {
		/* Writing one form resets the other (mm/page-writeback.c): say so
		 * for the bytes form always, for the ratio form when the bytes
		 * form is in use now. */
		int64_t pcur = 0;
		const struct sysctl_def *partner = sysctl_catalog_lookup(sc->partner);
		bool bytes = strstr(sc->name, "_bytes") != NULL;
		bool partner_set = run->f && facts_get_int(run->f, partner->fact, &pcur) == 0 && pcur != 0;
		if (bytes || partner_set) {
			d->zeroes = xstrdup(partner->name);
			char *r2 = xasprintf("%s%s%s will read 0", d->reason, *d->reason ? "; " : "", partner->name);
			free(d->reason);
			d->reason = r2;
		}
	}
}

/* Step 6: no no-ops (rules/README.md, "No no-ops").  Since 4.6 each zone's
 * low-min gap is max(share/4, managed x wsf / 10000)
 * (__setup_per_zone_wmarks()), so where min_free_kbytes is large (THP's
 * floor) a watermark_scale_factor below the break-even moves nothing while
 * the reason promises a wider buffer.  The model runs at the min_free_kbytes
 * the same plan desires, not today's: a plan that lowers min_free_kbytes and
 * raises wsf is checked as the host will be once applied, so applying it and
 * asking again gives the same plan (the fixpoint).  A pin is the profile's
 * explicit order and is not second-guessed; a held decision changes nothing. */
static const struct decision *plan_find(const struct plan *plan, const char *key)
{
	for (size_t i = 0; i < plan->nd; i++)
		if (!strcmp(plan->d[i].sysctl, key))
			return &plan->d[i];
	return NULL;
}

/* The model's inputs for the host as the plan wants it (plan_model). */
static void plan_params(const struct plan *plan, const struct host *h, struct wm_params *p)
{
	wmark_params_from_host(h, p);
	const struct decision *x = plan_find(plan, "vm.min_free_kbytes");
	if (x && x->recommended.type == FACT_INT)
		p->min_free_kbytes = x->recommended.u.i;
	x = plan_find(plan, "vm.watermark_scale_factor");
	if (x && x->recommended.type == FACT_INT)
		p->wsf = x->recommended.u.i;
}

const struct wm_model *plan_model(struct plan *plan, const struct host *h, const struct wm_model *live,
				  struct diag_list *d)
{
	if (!plan || !h || !h->zi.nzones)
		return NULL;
	struct wm_params p;
	plan_params(plan, h, &p);
	if (live && live->nzones && wm_params_equal(&live->p, &p))
		return live;
	if (plan->wm && wm_params_equal(&plan->wm->p, &p))
		return plan->wm;
	if (plan->wm)
		wm_model_free(plan->wm);
	else
		plan->wm = xcalloc(1, sizeof(*plan->wm));
	if (wm_model_compute(h->zi.zones, h->zi.nzones, &p, plan->wm, d)) {
		free(plan->wm);
		plan->wm = NULL;
	}
	return plan->wm;
}

static void check_wsf_noop(const struct host *h, const struct wm_model *live, struct plan *plan)
{
	struct decision *d = (struct decision *)plan_find(plan, "vm.watermark_scale_factor");
	if (!d || !h || !h->zi.nzones || d->pinned_by || d->held || d->recommended.type != FACT_INT)
		return;
	int64_t base;
	if (d->has_current)
		base = d->current.u.i;
	else if (d->has_default)
		base = d->kernel_default.u.i;
	else
		return;
	int64_t want = d->recommended.u.i;
	if (want == base || base < 1) /* a base below 1 predicts nothing */
		return;
	struct wm_params p;
	plan_params(plan, h, &p);
	if (p.min_free_kbytes < 0)
		return;
	/* Any model at the desired min_free_kbytes answers: the gap a zone has
	 * at either wsf is wm_zone_gap46 of the same run.  The live one when
	 * the plan keeps min_free_kbytes and the base is the live wsf (no run),
	 * else the desired host's (plan_model), which advise/ then takes as
	 * the watermarks after if the change stands. */
	struct wm_params at_base = p;
	at_base.wsf = base;
	struct diag_list scratch = {0};
	const struct wm_model *ma = live && live->nzones && wm_params_equal(&live->p, &at_base)
					    ? live
					    : plan_model(plan, h, NULL, &scratch);
	if (!ma || ma->k.pre46)
		goto out;
	bool predicted = false, moved = false;
	for (size_t i = 0; i < ma->nzones; i++) {
		if (!ma->zones[i].predicted)
			continue;
		predicted = true;
		moved = moved || wm_zone_gap46(&ma->zones[i], want) != wm_zone_gap46(&ma->zones[i], base);
	}
	if (!predicted)
		goto out;
	int64_t be = ma->wsf_breakeven;
	/* the gap across lowmem said below is the one at want: the same as at
	 * the base when nothing moves, else the desired host's */
	if (moved && be > 0 && want < be && ma == live && !(ma = plan_model(plan, h, NULL, &scratch)))
		goto out;
	struct buf gap = {0};
	bytefmt_put(&gap, (double)ma->t.pred_gap_pages * (double)p.page_size, BYTEFMT_PROSE);
	char *r2 = NULL;
	if (!moved) {
		r2 = xasprintf("%s - not changed: with min_free_kbytes %lld every zone's low-min gap is min/4 (%s across "
			       "lowmem) for any watermark_scale_factor below the break-even %lld, so %lld would move no "
			       "watermark (the buffer is already wider than %lld asks for)",
			       d->reason, (long long)p.min_free_kbytes, buf_str(&gap), (long long)be, (long long)want,
			       (long long)want);
		d->recommended.u.i = base; /* plan->wm no longer describes the plan: plan_model sees it */
		d->changed = false;
		d->noop = true;
	} else if (be > 0 && want < be) {
		/* a move down past the break-even stops at min/4 */
		r2 = xasprintf("%s (below the break-even %lld the gap stays min/4: %s across lowmem)", d->reason,
			       (long long)be, buf_str(&gap));
	}
	buf_free(&gap);
	if (r2) {
		free(d->reason);
		d->reason = r2;
	}
out:
	diag_list_clear(&scratch);
}

/* Step 7: a change that is only safe beside another (requires_raised).
 * Measured: on a 6.1 512 MiB zram guest the zram keys with boost 0 at the
 * default wsf 10 raised direct reclaim entries to 2137 +- 339 from
 * 1575 +- 233 (docs/effectiveness.md): boost reclaim is headroom kswapd
 * builds after fragmentation events, and taking it away without widening
 * the low-min gap leaves allocations to reclaim for themselves.  The test is
 * on the desired state (the plan's value, else the live one), so the
 * advice is the same before and after it is applied.  A pin is the
 * profile's order and is kept. */
static void check_requires_raised(const struct ruleset *rs, const struct facts *f, struct plan *plan)
{
	for (size_t i = 0; i < plan->nd; i++) {
		struct decision *d = &plan->d[i];
		const struct rule *r = d->rule ? ruleset_find(rs, d->rule) : NULL;
		if (!r || !r->requires_raised || d->pinned_by || d->recommended.type != FACT_INT)
			continue;
		const struct sysctl_def *k = r->requires_raised;
		const struct decision *kd = plan_find(plan, k->name);
		int64_t want = 0, def = 0;
		bool known = false;
		if (kd && kd->recommended.type == FACT_INT) {
			want = kd->recommended.u.i;
			known = true;
		} else if (f && facts_get_int(f, k->fact, &want) == 0) {
			known = true;
		}
		bool has_def = sysctl_kernel_default(k, f, &def);
		if (known && has_def && want > def)
			continue;
		if (!d->has_default)
			continue; /* nothing safer to name: leave the decision as the rules made it */
		char *r2 = known && has_def
				   ? xasprintf("%s - not made: this advice leaves %s at %lld, not above its default %lld, "
					       "and the rule asks for it raised in the same advice (requires_raised), so "
					       "%s stays at its kernel default %lld",
					       d->reason, k->name, (long long)want, (long long)def, d->sysctl,
					       (long long)d->kernel_default.u.i)
				   : xasprintf("%s - not made: %s is unknown here and the rule asks for it raised in the "
					       "same advice (requires_raised), so %s stays at its kernel default %lld",
					       d->reason, k->name, d->sysctl, (long long)d->kernel_default.u.i);
		free(d->reason);
		d->reason = r2;
		d->recommended.u.i = d->kernel_default.u.i;
		d->changed = d->has_current && d->current.u.i != d->recommended.u.i;
		d->held = false;
	}
}

/* Steps 1-7: one plan, the rules in ex[] left out.  cv[] and fired[]
 * (ruleset_count entries) receive what each rule proposed. */
static struct plan *engine_pass(const struct ruleset *rs, const struct profile *p, const struct host *h,
				const struct wm_model *live, const struct excl *ex, size_t nex, int64_t *cv,
				bool *fired)
{
	struct run run = {.rs = rs, .f = h ? h->facts : NULL, .kv = -1, .ex = ex, .nex = nex, .cv = cv,
			  .fired = fired};
	int64_t kv;
	if (run.f && facts_get_int(run.f, F_HOST_KERNEL_VERSION, &kv) == 0 && kv > 0)
		run.kv = kv;
	struct plan *plan = xcalloc(1, sizeof(*plan));
	plan->profile = xstrdup(p ? p->name : "general");

	run_rules(&run, rs, p, plan->profile);

	size_t ncat;
	const struct sysctl_def *cat = sysctl_catalog(&ncat);
	struct dec dec[SC__COUNT];
	memset(dec, 0, sizeof(dec));
	for (size_t i = 0; i < ncat; i++)
		if (run.slot[i].n)
			resolve(&cat[i], &run.slot[i], &dec[i]);
	apply_bounds_and_pins(&run, p, dec, plan);
	apply_waivers(&run, rs, p, dec);
	resolve_pairs(dec);

	size_t nd = 0;
	for (size_t i = 0; i < ncat; i++)
		nd += dec[i].live;
	plan->d = nd ? xcalloc(nd, sizeof(*plan->d)) : NULL;
	for (size_t i = 0; i < ncat; i++) {
		if (!dec[i].live)
			continue;
		finish_decision(&run, &cat[i], &dec[i].d);
		plan->d[plan->nd++] = dec[i].d;
	}
	if (plan->nd)
		qsort(plan->d, plan->nd, sizeof(*plan->d), cmp_dec);
	check_wsf_noop(h, live, plan);
	check_requires_raised(rs, run.f, plan);

	for (size_t i = 0; i < ncat; i++) {
		for (size_t k = 0; k < run.slot[i].n; k++)
			cand_free(&run.slot[i].c[k]);
		free(run.slot[i].c);
	}
	plan->f = run.fi;
	plan->nf = run.nfi;
	if (run.nsk)
		qsort(run.sk, run.nsk, sizeof(*run.sk), cmp_skip);
	plan->s = run.nsk ? xcalloc(run.nsk, sizeof(*plan->s)) : NULL;
	for (size_t i = 0; i < run.nsk; i++)
		plan->s[i] = run.sk[i].s;
	plan->ns = run.nsk;
	free(run.sk);

	uint64_t hsh = ruleset_hash(rs);
	if (p) /* the profile's digest folded into the rule files' */
		hsh = fnv1a64(hsh, &p->hash, sizeof(p->hash));
	plan->ruleset_digest = xasprintf("%016llx", (unsigned long long)hsh);
	return plan;
}

static const struct {
	const char *name, *label, *verb;
} skip_kinds[] = {
#define SKIP(id, name, label, verb) [SKIP_##id] = {name, label, verb},
#include "skip_kinds.def"
#undef SKIP
};

const char *skip_kind_name(enum skip_kind k)
{
	return skip_kinds[k].name;
}

const char *skip_kind_label(enum skip_kind k)
{
	return skip_kinds[k].label;
}

const char *skip_kind_verb(enum skip_kind k)
{
	return skip_kinds[k].verb;
}

/* Why rule id did not apply as it proposed in plan, or NULL when it did:
 * it won its key with its own value.  A new string. */
static char *partner_failure(const struct ruleset *rs, const struct plan *plan, const int64_t *cv,
			     const bool *fired, const char *id)
{
	const struct rule *q = ruleset_find(rs, id);
	if (!q)
		return xstrdup("is not in the rule set");
	for (size_t i = 0; i < plan->ns; i++) {
		const struct skipped *s = &plan->s[i];
		if (strcmp(s->rule, id))
			continue;
		if (s->kind == SKIP_NOT_FIRED)
			return xstrdup("did not fire (its when is false here)");
		if (s->kind == SKIP_PARTNER)
			return xstrdup("was dropped too (a rule it requires did not apply)");
		return xasprintf("%s: %s", skip_kind_verb(s->kind), s->why);
	}
	if (!fired[q->order])
		return xstrdup("did not propose a value");
	if (!q->set) /* a finding (ruleset_check_requires refuses it; a set built by hand may not) */
		return NULL;
	const struct decision *d = plan_find(plan, q->set->name);
	if (!d)
		return xasprintf("has no %s decision in this plan", q->set->name);
	if (d->pinned_by)
		return xasprintf("lost %s to profile %s's pin (%lld)", d->sysctl, d->pinned_by,
				 (long long)d->recommended.u.i);
	if (!d->rule || strcmp(d->rule, id)) {
		for (size_t k = 0; k < d->nlosers; k++)
			if (!strcmp(d->losers[k].rule, id))
				return xasprintf("lost %s to %s: %s", d->sysctl, d->rule ? d->rule : "?",
						 d->losers[k].why);
		return xasprintf("lost %s to %s", d->sysctl, d->rule ? d->rule : "?");
	}
	if (d->recommended.type != FACT_INT || d->recommended.u.i == cv[q->order])
		return NULL;
	return xasprintf("was not made as proposed: %s is %lld, not its %lld (%s)", d->sysctl,
			 (long long)d->recommended.u.i, (long long)cv[q->order],
			 d->held		  ? "held: low confidence"
			 : d->noop		  ? "a no-op: it would move no watermark"
			 : d->clamped && d->clamp_reason ? d->clamp_reason
						  : "see its reason");
}

/* Step 8: every rule that won its key beside a required rule that did not
 * apply is added to *ex (with the reason).  Returns how many were added. */
static size_t drop_partnerless(const struct ruleset *rs, const struct plan *plan, const int64_t *cv,
			       const bool *fired, struct excl **ex, size_t *nex)
{
	size_t added = 0, n0 = *nex;
	for (size_t i = 0; i < ruleset_count(rs); i++) {
		const struct rule *r = ruleset_rule(rs, i);
		if (!r->nrequires_rules || !r->set)
			continue;
		bool seen = false;
		for (size_t k = 0; k < n0 && !seen; k++)
			seen = (*ex)[k].order == r->order;
		const struct decision *d = plan_find(plan, r->set->name);
		if (seen || !d || d->pinned_by || !d->rule || strcmp(d->rule, r->id))
			continue;
		for (size_t k = 0; k < r->nrequires_rules; k++) {
			char *f = partner_failure(rs, plan, cv, fired, r->requires_rules[k]);
			if (!f)
				continue;
			*ex = xreallocarray(*ex, *nex + 1, sizeof(**ex));
			(*ex)[(*nex)++] = (struct excl){
				.order = r->order,
				.why = xasprintf("requires %s (requires_rules), which %s - this rule's %s is advice "
						 "only beside it, so it is not made either and %s goes to the next rule",
						 r->requires_rules[k], f, r->set->name, r->set->name)};
			free(f);
			added++;
			break;
		}
	}
	return added;
}

int engine_run(const struct ruleset *rs, const struct profile *p, const struct host *h,
	       const struct wm_model *live, struct plan **out)
{
	if (!rs || !out)
		return -EINVAL;
	size_t n = ruleset_count(rs);
	int64_t *cv = xcalloc(n ? n : 1, sizeof(*cv));
	bool *fired = xcalloc(n ? n : 1, sizeof(*fired));
	struct excl *ex = NULL;
	size_t nex = 0;
	struct plan *plan;
	for (;;) {
		memset(cv, 0, (n ? n : 1) * sizeof(*cv));
		memset(fired, 0, (n ? n : 1) * sizeof(*fired));
		plan = engine_pass(rs, p, h, live, ex, nex, cv, fired);
		if (!drop_partnerless(rs, plan, cv, fired, &ex, &nex))
			break;
		plan_free(plan);
	}
	for (size_t i = 0; i < nex; i++)
		free(ex[i].why);
	free(ex);
	free(cv);
	free(fired);
	*out = plan;
	return 0;
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nd; i++)
		decision_free(&p->d[i]);
	free(p->d);
	for (size_t i = 0; i < p->nf; i++) {
		free(p->f[i].rule);
		free(p->f[i].rule_file);
		free(p->f[i].reason);
		free(p->f[i].ref);
		free(p->f[i].tmpfiles_path);
		free(p->f[i].tmpfiles_value);
		why_evidence_free(p->f[i].ev, p->f[i].nev);
	}
	free(p->f);
	for (size_t i = 0; i < p->ns; i++) {
		free(p->s[i].rule);
		free(p->s[i].why);
		for (size_t k = 0; k < p->s[i].nfacts; k++)
			free(p->s[i].facts[k]);
		free(p->s[i].facts);
	}
	free(p->s);
	free(p->profile);
	free(p->ruleset_digest);
	diag_list_clear(&p->diags);
	wm_model_free(p->wm);
	free(p->wm);
	free(p);
}
