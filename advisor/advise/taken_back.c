/* taken_back: which keys another profile's fragment of ours left live, and
 * the host the rules see without them.  See taken_back.h. */
#include "taken_back.h"

#include "../base/numparse.h"
#include "../base/xalloc.h"
#include "../model/sysctl_catalog.h"

#include <stdlib.h>
#include <string.h>

/* The value our fragment's entry for key says it replaced: the template's
 * "# KEY: rule RULE (SEVERITY), was OLD, kernel default ..." comment
 * (templates/fragment-entry.tmpl).  false when there is none or it is not
 * a number ("was unknown"). */
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

size_t advise_taken_back(const struct advice *a, const struct host *h, const char *profile,
			 struct taken_back_set *out)
{
	memset(out, 0, sizeof(*out));
	const struct advise_deployed *dep = &a->deployed;
	if (!a->deployed_on_host || !dep->ours || !dep->has_state || !strcmp(dep->state.profile, profile))
		return 0;
	const struct strkvlist *l = &dep->values;
	for (size_t i = 0; i < l->n; i++) {
		const char *key = l->v[i].key;
		bool later = false;
		for (size_t j = i + 1; j < l->n && !later; j++)
			later = !strcmp(l->v[j].key, key);
		const struct sysctl_def *sc = later ? NULL : sysctl_catalog_lookup(key);
		int64_t ours, live, base;
		const char *end;
		if (!sc || parse_i64(l->v[i].value, &end, &ours) || *end || facts_get_int(h->facts, sc->fact, &live) ||
		    live != ours)
			continue; /* not a number, or not live: not a value our fragment put there */
		char *source = NULL;
		if (!other_file(a, sc->name, &base, &source)) {
			if (entry_was(dep->text, sc->name, &base))
				source = xasprintf("the value our fragment replaced");
			else if (sysctl_kernel_default(sc, h->facts, &base))
				source = xasprintf("the kernel default");
			else
				continue;
		}
		if (base == ours) {
			free(source);
			continue;
		}
		out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
		out->v[out->n++] = (struct taken_back){.sysctl = sc->name, .ours = ours, .base = base,
							.base_source = source, .profile = NULL};
	}
	if (!out->n)
		return 0;
	out->profile = xstrdup(dep->state.profile);
	for (size_t i = 0; i < out->n; i++)
		out->v[i].profile = out->profile;
	return out->n;
}

void taken_back_set_free(struct taken_back_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free((char *)s->v[i].base_source);
	free(s->v);
	free(s->profile);
	memset(s, 0, sizeof(*s));
}

struct facts *taken_back_facts(const struct host *h, const struct taken_back_set *s)
{
	struct facts *f = facts_clone(h->facts);
	size_t n = facts_count(h->facts);
	char *why = xasprintf("our deployed fragment was written for profile %s", s->profile);
	for (size_t i = 0; i < n; i++) {
		struct value v;
		bool present;
		const char *sr;
		const char *name = facts_at(h->facts, i, &v, &present, &sr);
		if (present && !strncmp(name, "fragment.vm.", 12))
			(void)facts_put_absent(f, name, why);
	}
	free(why);
	for (size_t i = 0; i < s->n; i++) {
		const struct sysctl_def *sc = sysctl_catalog_lookup(s->v[i].sysctl);
		facts_set_int(f, sc->fact, s->v[i].base, s->v[i].base_source);
	}
	return f;
}
