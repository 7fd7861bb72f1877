/* taken_back: the keys another profile's fragment of ours left live, told
 * to a plan made for the host without them.  See engine.h
 * (engine_taken_back) and rules/README.md, "Desired state". */
#include "engine.h"

#include "../base/xalloc.h"
#include "../model/sysctl_catalog.h"

#include <stdlib.h>
#include <string.h>

static int cmp_dec(const void *a, const void *b)
{
	const struct decision *x = a, *y = b;
	return strcmp(x->sysctl, y->sysctl);
}

void engine_taken_back(struct plan *plan, const struct facts *f, const char *fragment_file,
		       const struct taken_back *t, size_t n)
{
	bool added = false;
	for (size_t i = 0; i < n; i++) {
		struct decision *d = NULL;
		for (size_t k = 0; k < plan->nd && !d; k++)
			if (!strcmp(plan->d[k].sysctl, t[i].sysctl))
				d = &plan->d[k];
		if (d) {
			char *r = xasprintf("%s%staken back from profile %s: our deployed fragment set %lld, and "
					    "profile %s advises the host without it (%lld, %s)",
					    d->reason ? d->reason : "", d->reason && *d->reason ? " - " : "",
					    t[i].profile, (long long)t[i].ours, plan->profile, (long long)t[i].base,
					    t[i].base_source);
			free(d->reason);
			d->reason = r;
		} else {
			const struct sysctl_def *sc = sysctl_catalog_lookup(t[i].sysctl);
			if (!sc || sc->partner)
				continue;
			plan->d = xreallocarray(plan->d, plan->nd + 1, sizeof(*plan->d));
			d = &plan->d[plan->nd++];
			memset(d, 0, sizeof(*d));
			d->sysctl = xstrdup(t[i].sysctl);
			d->recommended = (struct value){.type = FACT_INT, .u.i = t[i].base};
			d->unclamped = d->recommended;
			int64_t def;
			if (sysctl_kernel_default(sc, f, &def)) {
				d->has_default = true;
				d->kernel_default = (struct value){.type = FACT_INT, .u.i = def};
			}
			d->rule = xstrdup(FRAGMENT_TAKEN_BACK_RULE);
			d->rule_file = fragment_file ? xstrdup(fragment_file) : NULL;
			d->severity = SEV_INFO;
			d->confidence = CONF_HIGH;
			d->cause = CAUSE_CONFIG;
			d->reason = xasprintf("taken back from profile %s: our deployed fragment set %lld, and no rule "
					      "of profile %s advises %s, so it goes back to the value without our "
					      "fragment, %lld (%s)",
					      t[i].profile, (long long)t[i].ours, plan->profile, t[i].sysctl,
					      (long long)t[i].base, t[i].base_source);
			added = true;
		}
		free(d->taken_back_from);
		d->taken_back_from = xstrdup(t[i].profile);
		d->has_current = true;
		d->current = (struct value){.type = FACT_INT, .u.i = t[i].ours};
		d->changed = d->current.u.i != d->recommended.u.i;
	}
	if (added)
		qsort(plan->d, plan->nd, sizeof(*plan->d), cmp_dec);
}
