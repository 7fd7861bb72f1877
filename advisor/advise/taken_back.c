/* taken_back: which live values are ours, which of them to take back, and
 * the value without ours the fresh fragment carries.  See taken_back.h. */
#include "taken_back.h"

#include "../base/numparse.h"
#include "../base/xalloc.h"
#include "../model/sysctl_catalog.h"

#include <stdlib.h>
#include <string.h>

/* The value our fragment's entry for key says it replaced: the template's
 * "# KEY: rule RULE (SEVERITY), was OLD, kernel default ..." comment
 * (templates/fragment-entry.tmpl).  false when there is none or it is not
 * a number ("was unknown").  A fragment of an older version has no base
 * lines: this is what it knows. */
static bool entry_was(const char *text, const char *key, int64_t *out)
{
	size_t kl = strlen(key);
	for (const char *p = text; p && *p;) {
		if (p[0] == '#' && p[1] == ' ' && !strncmp(p + 2, key, kl) && !strncmp(p + 2 + kl, ": rule ", 7)) {
			const char *eol = strchr(p, '\n');
			const char *w = strstr(p, ", was ");
			if (!w || (eol && w > eol))
				return false;
			const char *end;
			int64_t v;
			if (parse_i64(w + 6, &end, &v) || *end != ',')
				return false;
			*out = v;
			return true;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return false;
}

static char *keep(struct taken_back_set *s, char *str)
{
	s->strs = xreallocarray(s->strs, s->nstrs + 1, sizeof(*s->strs));
	return s->strs[s->nstrs++] = str;
}

/* The value another sysctl.d file (not ours) sets key to at boot:
 * systemd-sysctl's winner, else sysctl --system's. */
static bool other_file(const struct advice *a, const char *key, int64_t *out, char **source)
{
	if (!a->prec)
		return false;
	struct boot_winner w;
	precedence_at_boot(a->prec, a->fragment_path, key, false, 0, &w);
	const char *file = w.systemd_value ? w.systemd_file : w.procps_file;
	const char *val = w.systemd_value ? w.systemd_value : w.procps_value;
	unsigned line = w.systemd_value ? w.systemd_line : w.procps_line;
	const char *end;
	int64_t v;
	if (!file || !val || parse_i64(val, &end, &v) || *end)
		return false;
	*out = v;
	*source = xasprintf("%s:%u", file, line);
	return true;
}

/* The deployed fragment's value for key (its last assignment), as an
 * integer. */
static bool fragment_value(const struct advise_deployed *dep, const char *key, int64_t *out)
{
	const char *v = strkvlist_get(&dep->values, key);
	const char *end;
	return v && !parse_i64(v, &end, out) && !*end;
}

static bool seen(const struct taken_back_set *s, const char *key)
{
	for (size_t i = 0; i < s->no; i++)
		if (!strcmp(s->o[i].sysctl, key))
			return true;
	return false;
}

/* key (from the fragment's assignments or base lines): when its live
 * value is ours, add it to s->o, and to s->v when it is taken back. */
static void consider(const struct advice *a, const struct host *h, const char *profile, const char *key,
		     struct taken_back_set *s)
{
	const struct advise_deployed *dep = &a->deployed;
	const struct sysctl_def *sc = sysctl_catalog_lookup(key);
	int64_t live, set;
	if (!sc || seen(s, sc->name) || facts_get_int(h->facts, sc->fact, &live))
		return;
	const struct fragment_base *b = fragment_base_get(&dep->base, sc->name);
	const char *by;
	bool replaced = false; /* an earlier fragment's value, not the deployed one's */
	if (fragment_value(dep, sc->name, &set) && set == live) {
		by = dep->state.profile;
	} else if (b && b->has_ours && b->ours == live) {
		by = b->profile;
		replaced = true;
	} else {
		return; /* not a value our fragment put there */
	}
	struct ours_live o = {.sysctl = sc->name, .live = live, .profile = keep(s, xstrdup(by))};
	const char *how = NULL;
	if (b) {
		o.has_base = true;
		o.base = b->base;
		how = "the value before our first fragment, as our fragment records it";
	} else if (!replaced && entry_was(dep->text, sc->name, &o.base)) {
		o.has_base = true;
		how = "the value our fragment replaced";
	} else if (sysctl_kernel_default(sc, h->facts, &o.base)) {
		o.has_base = true;
		how = "the kernel default";
	}
	/* another profile's fragment, or one that the deployed fragment
	 * replaced without applying it */
	bool take = replaced || strcmp(dep->state.profile, profile);
	int64_t base = o.base;
	char *source = NULL;
	if (take && !other_file(a, sc->name, &base, &source) && o.has_base)
		source = xstrdup(how);
	if (take && source && base != live) {
		o.taken = true;
		s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
		s->v[s->n++] = (struct taken_back){.sysctl = sc->name, .ours = live, .base = base,
						   .base_source = keep(s, source), .profile = o.profile};
	} else {
		free(source);
	}
	s->o = xreallocarray(s->o, s->no + 1, sizeof(*s->o));
	s->o[s->no++] = o;
}

size_t advise_taken_back(const struct advice *a, const struct host *h, const char *profile,
			 struct taken_back_set *out)
{
	memset(out, 0, sizeof(*out));
	const struct advise_deployed *dep = &a->deployed;
	if (!a->deployed_on_host || !dep->ours || !dep->has_state)
		return 0;
	/* the last assignment of a key is the fragment's value */
	for (size_t i = dep->values.n; i-- > 0;)
		consider(a, h, profile, dep->values.v[i].key, out);
	for (size_t i = 0; i < dep->base.n; i++)
		consider(a, h, profile, dep->base.v[i].key, out);
	return out->n;
}

bool taken_back_ours(const struct taken_back_set *s, const char *key)
{
	return seen(s, key);
}

void taken_back_set_free(struct taken_back_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nstrs; i++)
		free(s->strs[i]);
	free(s->strs);
	free(s->v);
	free(s->o);
	memset(s, 0, sizeof(*s));
}

struct facts *taken_back_facts(const struct host *h, const struct taken_back_set *s)
{
	struct facts *f = facts_clone(h->facts);
	for (size_t i = 0; i < s->n; i++) {
		const struct sysctl_def *sc = sysctl_catalog_lookup(s->v[i].sysctl);
		facts_set_int(f, sc->fact, s->v[i].base, s->v[i].base_source);
	}
	return f;
}

static const struct ours_live *ours_of(const struct taken_back_set *s, const char *key)
{
	for (size_t i = 0; i < s->no; i++)
		if (!strcmp(s->o[i].sysctl, key))
			return &s->o[i];
	return NULL;
}

/* One base line for key: set (the fresh fragment's value) or none. */
static void base_of(const struct host *h, const struct taken_back_set *s, const char *key, const int64_t *set,
		    struct fragment_base_list *out)
{
	const struct sysctl_def *sc = sysctl_catalog_lookup(key);
	if (!sc || fragment_base_get(out, sc->name))
		return;
	const struct ours_live *o = ours_of(s, sc->name);
	int64_t live;
	if (o && o->has_base)
		fragment_base_add(out, sc->name, o->base, !set || *set != o->live, o->live, o->profile);
	else if (!o && !facts_get_int(h->facts, sc->fact, &live))
		fragment_base_add(out, sc->name, live, false, 0, NULL);
}

void taken_back_bases(const struct advice *a, const struct host *h, const struct taken_back_set *s,
		      struct fragment_base_list *out)
{
	fragment_base_list_free(out);
	for (size_t i = 0; i < a->plan->nd; i++) {
		const struct decision *x = &a->plan->d[i];
		if (a->selected[i] && x->recommended.type == FACT_INT)
			base_of(h, s, x->sysctl, &x->recommended.u.i, out);
	}
	for (size_t i = 0; i < s->no; i++)
		base_of(h, s, s->o[i].sysctl, NULL, out);
}
