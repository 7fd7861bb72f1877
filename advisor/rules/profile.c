/* profile: profiles read, inherited (include), and checked: rule
 * selection, pins, bounds and waivers.  See profile.h. */
#include "profile.h"
#include "ruleset_int.h"

#include "../base/buf.h"
#include "../base/fileio.h"
#include "../base/fnv.h"
#include "../base/numparse.h"
#include "../base/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROFILE_DEPTH 16

/* Find NAME.ini: the last profile directory that has it. */
static char *profile_path(const struct ruleset *rs, const char *name)
{
	char *found = NULL;
	for (size_t i = 0; i < ruleset_nprofile_dirs(rs); i++) {
		char *p = xasprintf("%s/%s.ini", ruleset_profile_dir(rs, i), name);
		if (access(p, F_OK) == 0) {
			free(found);
			found = p;
		} else {
			free(p);
		}
	}
	return found;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "cache, database, general": every NAME.ini of the profile directories,
 * for the error that names a profile nobody has (a new string). */
static char *profile_names(const struct ruleset *rs)
{
	char **all = NULL;
	size_t n = 0;
	for (size_t i = 0; i < ruleset_nprofile_dirs(rs); i++) {
		char **names = NULL;
		size_t m = 0;
		if (dir_list(ruleset_profile_dir(rs, i), &names, &m))
			continue;
		for (size_t j = 0; j < m; j++) {
			if (!rules_is_ini_name(names[j]))
				continue;
			all = xreallocarray(all, n + 1, sizeof(*all));
			all[n++] = xstrndup(names[j], strlen(names[j]) - 4);
		}
		fileio_names_free(names);
	}
	if (n) /* qsort(NULL, 0) is undefined */
		qsort(all, n, sizeof(*all), str_cmp);
	struct buf b = {0};
	for (size_t i = 0; i < n; i++) {
		if (!i || strcmp(all[i], all[i - 1]))
			buf_printf(&b, "%s%s", b.len ? ", " : "", all[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(all[i]);
	free(all);
	return buf_steal(&b);
}

static void pin_set(struct profile *p, const struct profile_pin *x)
{
	for (size_t i = 0; i < p->npins; i++)
		if (p->pins[i].sc == x->sc) {
			free(p->pins[i].from);
			free(p->pins[i].file);
			p->pins[i] = *x;
			return;
		}
	p->pins = xreallocarray(p->pins, p->npins + 1, sizeof(*p->pins));
	p->pins[p->npins++] = *x;
}

static void bound_set(struct profile *p, const struct profile_bound *x)
{
	for (size_t i = 0; i < p->nbounds; i++)
		if (p->bounds[i].sc == x->sc) {
			struct profile_bound *b = &p->bounds[i];
			if (x->has_lo) {
				b->has_lo = true;
				b->lo = x->lo;
			}
			if (x->has_hi) {
				b->has_hi = true;
				b->hi = x->hi;
			}
			free(b->from);
			free(b->file);
			b->from = x->from;
			b->file = x->file;
			b->line = x->line;
			return;
		}
	p->bounds = xreallocarray(p->bounds, p->nbounds + 1, sizeof(*p->bounds));
	p->bounds[p->nbounds++] = *x;
}

static void waiver_set(struct profile *p, const struct profile_waiver *x)
{
	for (size_t i = 0; i < p->nwaivers; i++)
		if (p->waivers[i].sc == x->sc) {
			free(p->waivers[i].reason);
			free(p->waivers[i].from);
			free(p->waivers[i].file);
			p->waivers[i] = *x;
			return;
		}
	p->waivers = xreallocarray(p->waivers, p->nwaivers + 1, sizeof(*p->waivers));
	p->waivers[p->nwaivers++] = *x;
}

/* Merge parent's settings into child (child's own entries come later and
 * replace them). */
static void profile_inherit(struct profile *p, const struct profile *parent)
{
	for (size_t i = 0; i < parent->nchain; i++) {
		p->chain = xreallocarray(p->chain, p->nchain + 1, sizeof(*p->chain));
		p->chain[p->nchain++] = xstrdup(parent->chain[i]);
	}
	if (parent->has_rules) {
		rules_free_list(p->rules, p->nrules);
		p->rules = xcalloc(parent->nrules + 1, sizeof(*p->rules));
		for (size_t i = 0; i < parent->nrules; i++)
			p->rules[i] = xstrdup(parent->rules[i]);
		p->nrules = parent->nrules;
		p->has_rules = true;
	}
	for (size_t i = 0; i < parent->npins; i++) {
		struct profile_pin x = parent->pins[i];
		x.from = xstrdup(x.from);
		x.file = xstrdup(x.file);
		pin_set(p, &x);
	}
	for (size_t i = 0; i < parent->nbounds; i++) {
		struct profile_bound x = parent->bounds[i];
		x.from = xstrdup(x.from);
		x.file = xstrdup(x.file);
		bound_set(p, &x);
	}
	for (size_t i = 0; i < parent->nwaivers; i++) {
		struct profile_waiver x = parent->waivers[i];
		x.reason = xstrdup(x.reason);
		x.from = xstrdup(x.from);
		x.file = xstrdup(x.file);
		waiver_set(p, &x);
	}
	p->hash = fnv1a64(p->hash, &parent->hash, sizeof(parent->hash));
}

static int profile_parse(const struct ruleset *rs, const char *name, const char *buf, size_t len,
			 const char *origin, const char **stack, size_t depth, struct profile **out,
			 struct diag_list *d);

/* Load profile name as an include of the profiles in stack. */
static int profile_load_at(const struct ruleset *rs, const char *name, const char **stack, size_t depth,
			   struct profile **out, struct diag_list *d, const char *from_file, unsigned from_line)
{
	char *path = profile_path(rs, name);
	if (!path) {
		/* Without a general.ini, general is the empty profile (also
		 * when another profile includes it). */
		if (!strcmp(name, "general")) {
			struct profile *p = xcalloc(1, sizeof(*p));
			p->name = xstrdup("general");
			p->description = xstrdup("");
			p->chain = xcalloc(1, sizeof(*p->chain));
			p->chain[0] = xstrdup("general");
			p->nchain = 1;
			p->hash = FNV1A64_INIT;
			*out = p;
			return 0;
		}
		char *known = profile_names(rs);
		diag_add(d, DIAG_ERROR, from_file, from_line, 0, "profile '%s' not found; the profiles are: %s", name,
			 *known ? known : "(none)");
		free(known);
		return -ENOENT;
	}
	char *buf = NULL;
	size_t len = 0;
	int rc = file_read(path, RULE_FILE_CAP, &buf, &len);
	if (rc) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", fileio_strerror(rc));
		free(path);
		return rc;
	}
	rc = profile_parse(rs, name, buf, len, path, stack, depth, out, d);
	free(buf);
	free(path);
	return rc;
}

static int parse_int_value(const char *s, int64_t *v)
{
	const char *end;
	if (parse_i64(s, &end, v))
		return -EINVAL;
	while (*end && isspace((unsigned char)*end))
		end++;
	return *end ? -EINVAL : 0;
}

static int profile_parse(const struct ruleset *rs, const char *name, const char *buf, size_t len,
			 const char *origin, const char **stack, size_t depth, struct profile **out,
			 struct diag_list *d)
{
	struct ini_doc *doc = NULL;
	int errs = iniread_parse(buf, len, origin, &doc, d) ? 1 : 0;
	struct profile *p = xcalloc(1, sizeof(*p));
	p->name = xstrdup(name);
	p->description = xstrdup("");
	p->file = xstrdup(origin);
	p->chain = xcalloc(1, sizeof(*p->chain));
	p->chain[0] = xstrdup(name);
	p->nchain = 1;
	p->hash = rules_file_hash(FNV1A64_INIT, origin, buf, len);
	const char *stk[PROFILE_DEPTH + 1];
	for (size_t i = 0; i < depth; i++)
		stk[i] = stack[i];
	stk[depth] = name;

	/* [profile] first: includes are inherited before our own entries. */
	for (size_t s = 0; s < doc->nsec; s++) {
		const struct ini_section *sec = &doc->sec[s];
		if (strcmp(sec->name, "profile"))
			continue;
		for (size_t k = 0; k < sec->nkv; k++) {
			const struct ini_kv *kv = &sec->kv[k];
			if (!strcmp(kv->key, "description")) {
				free(p->description);
				p->description = xstrdup(kv->value);
			} else if (!strcmp(kv->key, "rules")) {
				rules_free_list(p->rules, p->nrules);
				p->rules = rules_split_list(kv->value, &p->nrules);
				p->has_rules = true;
			} else if (!strcmp(kv->key, "include")) {
				size_t ninc;
				char **inc = rules_split_list(kv->value, &ninc);
				for (size_t i = 0; i < ninc; i++) {
					if (!rules_name_ok(inc[i], false)) {
						ini_kv_error(d, doc, kv, false, "bad profile name '%s'", inc[i]);
						errs++;
						continue;
					}
					bool cycle = false;
					for (size_t j = 0; j <= depth; j++)
						cycle |= !strcmp(stk[j], inc[i]);
					if (cycle) {
						struct buf chain = {0};
						size_t j = 0;
						while (strcmp(stk[j], inc[i]))
							j++;
						for (; j <= depth; j++)
							buf_printf(&chain, "%s -> ", stk[j]);
						buf_puts(&chain, inc[i]);
						ini_kv_error(d, doc, kv, false, "profile include cycle: %s", buf_str(&chain));
						buf_free(&chain);
						errs++;
						continue;
					}
					if (depth + 1 >= PROFILE_DEPTH) {
						ini_kv_error(d, doc, kv, false, "profiles nested deeper than %d", PROFILE_DEPTH);
						errs++;
						continue;
					}
					struct profile *parent = NULL;
					if (profile_load_at(rs, inc[i], stk, depth + 1, &parent, d, origin, kv->line)) {
						errs++;
						continue;
					}
					profile_inherit(p, parent);
					profile_free(parent);
				}
				rules_free_list(inc, ninc);
			} else {
				ini_kv_error(d, doc, kv, true, "unknown key '%s' in [profile] (include, description, rules)",
					 kv->key);
				errs++;
			}
		}
		/* Our own selection wins over an inherited one. */
		const struct ini_kv *rk = ini_section_get(sec, "rules");
		if (rk) {
			rules_free_list(p->rules, p->nrules);
			p->rules = rules_split_list(rk->value, &p->nrules);
			p->has_rules = true;
			for (size_t i = 0; rs && i < p->nrules; i++) {
				bool any = false;
				for (size_t k = 0; k < ruleset_count(rs) && !any; k++)
					any = !fnmatch(p->rules[i], ruleset_rule(rs, k)->id, 0);
				if (!any) {
					size_t ll = 0;
					const char *l = ini_doc_line(doc, rk->line, &ll);
					diag_add_src(d, DIAG_WARNING, origin, rk->line, rk->col, 0, l, l ? ll : 0,
						     "'%s' selects no rule", p->rules[i]);
				}
			}
		}
	}
	for (size_t s = 0; s < doc->nsec; s++) {
		const struct ini_section *sec = &doc->sec[s];
		bool pin = !strcmp(sec->name, "pin"), bounds = !strcmp(sec->name, "bounds"),
		     waive = !strcmp(sec->name, "waive");
		if (!strcmp(sec->name, "profile"))
			continue;
		if (!pin && !bounds && !waive) {
			ini_section_error(d, doc, sec, "unknown section [%s] in a profile (profile, pin, bounds, waive)",
				  sec->name);
			errs++;
			continue;
		}
		for (size_t k = 0; k < sec->nkv; k++) {
			const struct ini_kv *kv = &sec->kv[k];
			char *key = xstrdup(kv->key);
			char op = 0;
			size_t kl = strlen(key);
			if (bounds && kl && (key[kl - 1] == '>' || key[kl - 1] == '<')) {
				op = key[kl - 1];
				key[--kl] = '\0';
				while (kl && isspace((unsigned char)key[kl - 1]))
					key[--kl] = '\0';
			}
			const struct sysctl_def *sc = sysctl_catalog_lookup(key);
			if (!sc) {
				ini_kv_error(d, doc, kv, true, "unknown sysctl '%s' (not in the sysctl catalog)", key);
				errs++;
				free(key);
				continue;
			}
			free(key);
			int64_t v = 0;
			if (waive) {
				if (!*kv->value) {
					ini_kv_error(d, doc, kv, false, "a waiver needs a reason");
					errs++;
					continue;
				}
				struct profile_waiver x = {.sc = sc, .reason = xstrdup(kv->value), .from = xstrdup(name),
							   .file = xstrdup(origin), .line = kv->line};
				waiver_set(p, &x);
				continue;
			}
			if (parse_int_value(kv->value, &v)) {
				ini_kv_error(d, doc, kv, false, "%s needs an integer, not '%s'", sc->name, kv->value);
				errs++;
				continue;
			}
			if (pin) {
				struct profile_pin x = {.sc = sc, .value = v, .from = xstrdup(name),
							.file = xstrdup(origin), .line = kv->line};
				pin_set(p, &x);
				continue;
			}
			if (!op) {
				ini_kv_error(d, doc, kv, true, "a bound is written '%s >= N' or '%s <= N'", sc->name,
					 sc->name);
				errs++;
				continue;
			}
			struct profile_bound x = {.sc = sc, .has_lo = op == '>', .has_hi = op == '<', .lo = v, .hi = v,
						  .from = xstrdup(name), .file = xstrdup(origin), .line = kv->line};
			bound_set(p, &x);
		}
	}
	/* Consistency of the merged profile. */
	for (size_t i = 0; i < p->nbounds; i++) {
		const struct profile_bound *b = &p->bounds[i];
		if (b->has_lo && b->has_hi && b->lo > b->hi) {
			diag_add(d, DIAG_ERROR, b->file, b->line, 0, "bounds of %s are empty (%lld > %lld)", b->sc->name,
				 (long long)b->lo, (long long)b->hi);
			errs++;
		}
	}
	for (size_t i = 0; i < p->npins; i++) {
		const struct profile_pin *pn = &p->pins[i];
		const struct profile_waiver *w = profile_waiver(p, pn->sc);
		const struct profile_bound *b = profile_bound(p, pn->sc);
		if (w) {
			diag_add(d, DIAG_ERROR, pn->file, pn->line, 0, "%s is both pinned and waived (waiver at %s:%u)",
				 pn->sc->name, w->file, w->line);
			errs++;
		}
		if (b && ((b->has_lo && pn->value < b->lo) || (b->has_hi && pn->value > b->hi))) {
			diag_add(d, DIAG_ERROR, pn->file, pn->line, 0, "the pin %s = %lld is outside its bounds (%s:%u)",
				 pn->sc->name, (long long)pn->value, b->file, b->line);
			errs++;
		}
		if (pn->sc->partner) {
			const struct sysctl_def *partner = sysctl_catalog_lookup(pn->sc->partner);
			const struct profile_pin *other = profile_pin(p, partner);
			const struct profile_waiver *pw = profile_waiver(p, partner);
			if (pw) {
				diag_add(d, DIAG_ERROR, pn->file, pn->line, 0,
					 "the pin of %s would reset %s, which is waived (%s:%u)", pn->sc->name,
					 partner->name, pw->file, pw->line);
				errs++;
			}
			if (other && pn->sc->id < partner->id) {
				diag_add(d, DIAG_ERROR, pn->file, pn->line, 0,
					 "%s and %s are mutually exclusive: pin only one (other pin at %s:%u)",
					 pn->sc->name, partner->name, other->file, other->line);
				errs++;
			}
		}
	}
	ini_doc_free(doc);
	if (errs) {
		profile_free(p);
		return -EINVAL;
	}
	*out = p;
	return 0;
}

int profile_load(const struct ruleset *rs, const char *name, struct profile **out, struct diag_list *d)
{
	if (!name)
		name = "general";
	if (!rules_name_ok(name, false)) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "bad profile name '%s'", name);
		return -EINVAL;
	}
	return profile_load_at(rs, name, NULL, 0, out, d, NULL, 0);
}

int profile_load_buffer(const struct ruleset *rs, const char *name, const char *buf, size_t len,
			const char *origin, struct profile **out, struct diag_list *d)
{
	return profile_parse(rs, name, buf, len, origin, NULL, 0, out, d);
}

void rules_check(const struct ruleset_opts *o, bool strict, struct rules_check *out, struct diag_list *d)
{
	struct ruleset *rs = NULL;
	int rc = ruleset_load(o, &rs, d);
	size_t nprof_err = 0;
	if (rs) {
		size_t before = diag_count(d, DIAG_ERROR);
		profile_check_all(rs, d);
		nprof_err = diag_count(d, DIAG_ERROR) - before;
	}
	size_t nerr = diag_count(d, DIAG_ERROR) + (strict ? diag_count(d, DIAG_WARNING) : 0);
	*out = (struct rules_check){.rs = rs, .ok = !rc && !nerr, .nerr = nerr, .nprof_err = nprof_err};
}

int profile_check_all(const struct ruleset *rs, struct diag_list *d)
{
	int errs = 0;
	/* A rule for a profile that exists nowhere is most likely a typo. */
	for (size_t i = 0; i < ruleset_count(rs); i++) {
		const struct rule *r = ruleset_rule(rs, i);
		for (size_t k = 0; k < r->nprofiles; k++) {
			if (!strcmp(r->profiles[k], "general"))
				continue;
			char *path = profile_path(rs, r->profiles[k]);
			if (!path)
				diag_add(d, DIAG_WARNING, r->file, r->line, 0,
					 "rule [%s] is for profile '%s', which no profile directory has", r->id,
					 r->profiles[k]);
			free(path);
		}
	}
	for (size_t i = 0; i < ruleset_nprofile_dirs(rs); i++) {
		char **names = NULL;
		size_t n = 0;
		if (dir_list(ruleset_profile_dir(rs, i), &names, &n))
			continue;
		for (size_t k = 0; k < n; k++) {
			if (!rules_is_ini_name(names[k]))
				continue;
			char *pname = xstrndup(names[k], strlen(names[k]) - 4);
			/* Only the file that wins the search is checked. */
			char *winner = profile_path(rs, pname);
			char *mine = xasprintf("%s/%s", ruleset_profile_dir(rs, i), names[k]);
			if (winner && !strcmp(winner, mine)) {
				struct profile *p = NULL;
				if (profile_load(rs, pname, &p, d))
					errs++;
				profile_free(p);
			}
			free(winner);
			free(mine);
			free(pname);
		}
		fileio_names_free(names);
	}
	return errs ? -EINVAL : 0;
}

bool profile_selects(const struct profile *p, const struct rule *r)
{
	if (p && p->has_rules) {
		for (size_t i = 0; i < p->nrules; i++)
			if (!fnmatch(p->rules[i], r->id, 0))
				return true;
		return false;
	}
	if (!r->nprofiles)
		return true;
	for (size_t i = 0; i < r->nprofiles; i++) {
		if (!p) {
			if (!strcmp(r->profiles[i], "general"))
				return true;
			continue;
		}
		for (size_t k = 0; k < p->nchain; k++)
			if (!strcmp(r->profiles[i], p->chain[k]))
				return true;
	}
	return false;
}

const struct profile_pin *profile_pin(const struct profile *p, const struct sysctl_def *sc)
{
	for (size_t i = 0; p && i < p->npins; i++)
		if (p->pins[i].sc == sc)
			return &p->pins[i];
	return NULL;
}

const struct profile_bound *profile_bound(const struct profile *p, const struct sysctl_def *sc)
{
	for (size_t i = 0; p && i < p->nbounds; i++)
		if (p->bounds[i].sc == sc)
			return &p->bounds[i];
	return NULL;
}

const struct profile_waiver *profile_waiver(const struct profile *p, const struct sysctl_def *sc)
{
	for (size_t i = 0; p && i < p->nwaivers; i++)
		if (p->waivers[i].sc == sc)
			return &p->waivers[i];
	return NULL;
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->description);
	free(p->file);
	rules_free_list(p->chain, p->nchain);
	rules_free_list(p->rules, p->nrules);
	for (size_t i = 0; i < p->npins; i++) {
		free(p->pins[i].from);
		free(p->pins[i].file);
	}
	free(p->pins);
	for (size_t i = 0; i < p->nbounds; i++) {
		free(p->bounds[i].from);
		free(p->bounds[i].file);
	}
	free(p->bounds);
	for (size_t i = 0; i < p->nwaivers; i++) {
		free(p->waivers[i].reason);
		free(p->waivers[i].from);
		free(p->waivers[i].file);
	}
	free(p->waivers);
	free(p);
}
