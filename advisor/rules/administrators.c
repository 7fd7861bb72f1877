/* administrators: an administrator's explicit value is kept unless the
 * advice has a stated reason to change it (recommend --override, the
 * profile, a rule that corrects it whoever set it).  Runs on a finished
 * plan, after engine_run, with the values advise/ found in sysctl.d files
 * or live.  See engine.h (engine_administrators) and rules/README.md,
 * "Administrators' explicit values". */
#include "engine.h"
#include "ruleset.h"

#include "../base/xalloc.h"
#include "../model/sysctl_catalog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int overrides_add(struct overrides *o, const char *arg, char *bad, size_t badlen)
{
	const char *p = arg;
	for (;;) {
		size_t len = strcspn(p, ",");
		char *k = xstrndup(p, len);
		char *name = strncmp(k, "vm.", 3) && strcmp(k, "all") ? xasprintf("vm.%s", k) : xstrdup(k);
		const struct sysctl_def *sc = sysctl_catalog_lookup(name);
		if (!strcmp(name, "all")) {
			o->all = true;
		} else if (sc) {
			o->keys = xreallocarray(o->keys, o->n + 1, sizeof(*o->keys));
			o->keys[o->n++] = xstrdup(sc->name);
		} else {
			snprintf(bad, badlen, "%s", k);
			free(k);
			free(name);
			return -EINVAL;
		}
		free(k);
		free(name);
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

void overrides_free(struct overrides *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n; i++)
		free(o->keys[i]);
	free(o->keys);
	memset(o, 0, sizeof(*o));
}

static bool overrides_key(const struct overrides *o, const char *key)
{
	if (!o)
		return false;
	if (o->all)
		return true;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return true;
	return false;
}

/* Why a change to an administrator's value is made anyway, or NULL. */
static char *override_why(const struct decision *d, const struct ruleset *rs, const struct overrides *o,
			  const char *plan_profile, const struct facts *f, int64_t admin)
{
	const struct sysctl_def *sc = sysctl_catalog_lookup(d->sysctl);
	int64_t kv = -1, lo, hi;
	const char *swhy;
	if (f && facts_get_int(f, F_HOST_KERNEL_VERSION, &kv))
		kv = -1;
	enum sysctl_bound b = sc ? sysctl_value_bound(sc, f, kv, admin, &lo, &hi, &swhy) : SYSCTL_WITHIN;
	if (b == SYSCTL_OUTSIDE_LEGAL)
		return xasprintf("outside the kernel's legal range %lld..%lld", (long long)lo, (long long)hi);
	if (b == SYSCTL_OUTSIDE_SAFE)
		return xasprintf("outside the safety bound: %s", swhy);
	if (overrides_key(o, d->sysctl))
		return xasprintf("--override %s", o->all ? "all" : d->sysctl);
	if (d->pinned_by)
		return xasprintf("profile %s pins it", d->pinned_by);
	if (d->clamped && d->clamp_reason && !strncmp(d->clamp_reason, "profile ", 8))
		return xstrdup(d->clamp_reason);
	const struct rule *r = rs && d->rule ? ruleset_find(rs, d->rule) : NULL;
	if (r && r->nprofiles)
		return xasprintf("rule %s of profile %s", r->id, plan_profile);
	if (r && r->overrides_administrator)
		return xasprintf("rule %s corrects it whoever set it (overrides_administrator)", r->id);
	return NULL;
}

/* requires_rules after the administrators: a decision whose rule requires a
 * rule whose key was kept at an administrator's value (or was itself taken
 * back here) is not made - the advice was valid only beside the partner's
 * value, which the administrator's replaces.  The plan cannot be decided
 * again at this point (engine_run has finished), so the key keeps its
 * current value (the kernel default when the capture has none) and the
 * reason says why.  Repeated until nothing more is taken back. */
static bool partner_kept(const struct plan *plan, const bool *back, const char *id, const char **key,
			 bool *by_admin)
{
	for (size_t i = 0; i < plan->nd; i++) {
		const struct decision *x = &plan->d[i];
		if (!x->rule || strcmp(x->rule, id) || x->pinned_by)
			continue;
		if (x->admin_kept || back[i]) {
			*key = x->sysctl;
			*by_admin = x->admin_kept;
			return true;
		}
	}
	return false;
}

static void take_back_partnerless(struct plan *plan, const struct ruleset *rs)
{
	if (!rs || !plan->nd)
		return;
	bool *back = xcalloc(plan->nd, sizeof(*back));
	for (bool more = true; more;) {
		more = false;
		for (size_t i = 0; i < plan->nd; i++) {
			struct decision *d = &plan->d[i];
			const struct rule *r = d->rule && !d->pinned_by ? ruleset_find(rs, d->rule) : NULL;
			if (back[i] || d->admin_kept || !r || !r->nrequires_rules || d->recommended.type != FACT_INT)
				continue;
			for (size_t k = 0; k < r->nrequires_rules; k++) {
				const char *key = NULL;
				bool by_admin = false;
				if (!partner_kept(plan, back, r->requires_rules[k], &key, &by_admin))
					continue;
				if (!d->has_current && !d->has_default)
					break; /* nothing to keep: left as the rules made it */
				int64_t keep = d->has_current ? d->current.u.i : d->kernel_default.u.i;
				char *r2 = xasprintf("%s - not made: it requires %s (requires_rules), whose %s %s, and "
						     "this advice is valid only beside that rule's value, so %s stays at %lld",
						     d->reason, r->requires_rules[k], key,
						     by_admin ? "is kept at an administrator's explicit value"
							      : "was taken back for the same reason",
						     d->sysctl, (long long)keep);
				free(d->reason);
				d->reason = r2;
				d->recommended.u.i = keep;
				d->changed = d->has_current && d->current.u.i != keep;
				d->held = false;
				back[i] = true;
				more = true;
				break;
			}
		}
	}
	free(back);
}

void engine_administrators(struct plan *plan, const struct ruleset *rs, const struct facts *f,
			   const struct admin_value *v, size_t n, const struct overrides *o)
{
	for (size_t k = 0; plan && k < n; k++) {
		struct decision *d = NULL;
		for (size_t i = 0; i < plan->nd && !d; i++)
			if (!strcmp(plan->d[i].sysctl, v[k].sysctl))
				d = &plan->d[i];
		if (!d || d->recommended.type != FACT_INT)
			continue;
		if (d->recommended.u.i == v[k].value)
			continue; /* the advice agrees with the administrator */
		free(d->admin_source);
		d->admin_source = xstrdup(v[k].source);
		d->admin_value = (struct value){.type = FACT_INT, .u.i = v[k].value};
		char *why = override_why(d, rs, o, plan->profile, f, v[k].value);
		char *r2;
		if (why) {
			d->admin_overridden_by = why;
			r2 = xasprintf("%s - this overrides an administrator's explicit %lld (%s): %s", d->reason,
				       (long long)v[k].value, v[k].source, why);
		} else {
			d->advisor_value = d->recommended;
			d->recommended.u.i = v[k].value;
			d->admin_kept = true;
			d->changed = !d->has_current || d->current.u.i != v[k].value;
			r2 = xasprintf("%s - kept: an administrator's explicit %lld (%s); the advisor would choose %lld "
				       "(recommend --override %s, or a profile's [pin], to apply it)",
				       d->reason, (long long)v[k].value, v[k].source, (long long)d->advisor_value.u.i,
				       d->sysctl);
		}
		free(d->reason);
		d->reason = r2;
	}
	if (plan)
		take_back_partnerless(plan, rs);
}
