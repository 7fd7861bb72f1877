/* advise_select: which desired values go into the fragment and which are
 * set live by --apply.  A decision of the advice, not a rendering: render/
 * fragment.c writes what this selects.  Contract in advise.h. */
#include "advise.h"

#include "../base/sysval.h"
#include "../model/sysctl_catalog.h"

#include <string.h>

static bool is_zero(const struct value *v)
{
	return v->type == FACT_INT && v->u.i == 0;
}

static const char *partner_of(const char *key)
{
	const struct sysctl_def *sc = sysctl_catalog_lookup(key);
	return sc && sc->partner && *sc->partner ? sc->partner : NULL;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

size_t advise_select(const struct plan *p, const bool *force, bool *sel, struct diag_list *d)
{
	for (size_t i = 0; i < p->nd; i++) {
		const struct decision *x = &p->d[i];
		/* an administrator's kept value is theirs: not written by us */
		sel[i] = !x->admin_kept && ((force && force[i]) || !x->has_default ||
					    !value_sysctl_equal(&x->recommended, &x->kernel_default));
	}
	/* Mutually exclusive pairs (the sysctl catalog's partner): writing one
	 * member makes the kernel zero the other (mm/page-writeback.c:
	 * dirty_bytes_handler sets vm_dirty_ratio = 0 and the reverse), so a
	 * fragment holding both would depend on line order.  0 in a member
	 * means "the partner is in effect" and the kernel rejects 0 for the
	 * *_bytes forms: never written.  Both non-zero: the bytes form is the
	 * more specific advice. */
	for (size_t i = 0; i < p->nd; i++) {
		const char *pk = partner_of(p->d[i].sysctl);
		if (!sel[i] || !pk)
			continue;
		if (is_zero(&p->d[i].recommended)) {
			sel[i] = false;
			diag_add(d, DIAG_NOTE, "fragment", 0, 0,
				 "%s = 0 not written: 0 means its partner %s is in effect", p->d[i].sysctl, pk);
			continue;
		}
		for (size_t j = 0; j < p->nd; j++) {
			if (j == i || !sel[j] || strcmp(p->d[j].sysctl, pk) || is_zero(&p->d[j].recommended))
				continue;
			size_t drop = ends_with(p->d[i].sysctl, "_bytes") ? j : i;
			sel[drop] = false;
			diag_add(d, DIAG_NOTE, "fragment", 0, 0,
				 "%s not written: mutually exclusive with %s, which is written",
				 p->d[drop].sysctl, p->d[drop == i ? j : i].sysctl);
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < p->nd; i++)
		n += sel[i];
	return n;
}

size_t advise_select_live(const struct plan *p, const bool *sel, bool *live)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nd; i++) {
		const struct decision *x = &p->d[i];
		live[i] = sel[i];
		if (!sel[i] && x->has_default && value_sysctl_equal(&x->recommended, &x->kernel_default)) {
			/* Not written (the boot gives it), but desired now too.  Of
			 * a pair, not a 0 (the kernel rejects it for *_bytes; it
			 * means the partner is in effect) and not beside a written
			 * partner (writing one zeroes the other). */
			const char *pk = partner_of(x->sysctl);
			bool skip = pk && is_zero(&x->recommended);
			for (size_t j = 0; pk && !skip && j < p->nd; j++)
				skip = sel[j] && !strcmp(p->d[j].sysctl, pk);
			live[i] = !skip;
		}
		n += live[i];
	}
	return n;
}
