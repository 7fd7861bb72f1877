/* ruleset: the rule table: rule files loaded in order (rules directory,
 * site drop-ins, extra directories), sections merged into rules by id, the
 * digest of what was read.  One section -> one rule is rule_build.c;
 * profiles are profile.c.  See ruleset.h. */
#include "ruleset_int.h"

#include "../base/datadir.h"
#include "../base/fileio.h"
#include "../base/fnv.h"
#include "../base/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct ruleset {
	struct expr_arena *arena;
	struct rule **rules; /* load order */
	size_t n;
	char **files;
	size_t nfiles;
	char **pdirs;        /* profile directories, search order */
	size_t npdirs;
	uint64_t hash;
	char digest[17];
};

/* ---- shared with rule_build.c and profile.c (ruleset_int.h) ---- */

/* Name and bytes, each preceded by its length so that concatenations of
 * different files cannot collide trivially. */
uint64_t rules_file_hash(uint64_t h, const char *origin, const char *buf, size_t len)
{
	const char *base = strrchr(origin, '/');
	base = base ? base + 1 : origin;
	uint64_t n = strlen(base);
	h = fnv1a64(h, &n, sizeof(n));
	h = fnv1a64(h, base, n);
	n = len;
	h = fnv1a64(h, &n, sizeof(n));
	return fnv1a64(h, buf, len);
}

bool rules_is_ini_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 4 && !strcmp(name + n - 4, ".ini");
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool rules_name_ok(const char *s, bool dots)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && !(dots && *s == '.'))
			return false;
	return true;
}

/* Split a comma list into trimmed, non-empty items. */
char **rules_split_list(const char *s, size_t *n)
{
	char **v = NULL;
	*n = 0;
	const char *p = s;
	while (*p) {
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *a = p, *b = e;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (b > a) {
			v = xreallocarray(v, *n + 1, sizeof(*v));
			v[(*n)++] = xstrndup(a, (size_t)(b - a));
		}
		p = *e ? e + 1 : e;
	}
	return v;
}

void rules_free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int rules_parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "on") || !strcmp(s, "1"))
		*out = true;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "off") || !strcmp(s, "0"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

/* ---- the rule table ---- */

struct ruleset *ruleset_new(void)
{
	struct ruleset *rs = xcalloc(1, sizeof(*rs));
	rs->arena = expr_arena_new();
	rs->hash = FNV1A64_INIT;
	snprintf(rs->digest, sizeof(rs->digest), "%016llx", (unsigned long long)rs->hash);
	return rs;
}

void ruleset_add_profile_dir(struct ruleset *rs, const char *dir)
{
	rs->pdirs = xreallocarray(rs->pdirs, rs->npdirs + 1, sizeof(*rs->pdirs));
	rs->pdirs[rs->npdirs++] = xstrdup(dir);
}

static ssize_t find_rule(const struct ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->rules[i]->id, id))
			return (ssize_t)i;
	return -1;
}

int ruleset_add_buffer(struct ruleset *rs, const char *buf, size_t len, const char *origin, struct diag_list *d)
{
	struct ini_doc *doc = NULL;
	int errs = iniread_parse(buf, len, origin, &doc, d) ? 1 : 0;
	rs->files = xreallocarray(rs->files, rs->nfiles + 1, sizeof(*rs->files));
	rs->files[rs->nfiles++] = xstrdup(doc->origin);
	rs->hash = rules_file_hash(rs->hash, doc->origin, buf, len);
	snprintf(rs->digest, sizeof(rs->digest), "%016llx", (unsigned long long)rs->hash);

	for (size_t s = 0; s < doc->nsec; s++) {
		const struct ini_section *sec = &doc->sec[s];
		ssize_t prev = find_rule(rs, sec->name);
		/* `enabled` alone: switch an earlier rule, do not replace it. */
		if (sec->nkv == 1 && !strcmp(sec->kv[0].key, "enabled")) {
			bool on;
			if (rules_parse_bool(sec->kv[0].value, &on)) {
				ini_kv_error(d, doc, &sec->kv[0], false, "enabled must be yes or no, not '%s'",
					 sec->kv[0].value);
				errs++;
				continue;
			}
			if (prev >= 0) {
				struct rule *r = rs->rules[prev];
				r->enabled = on;
				free(r->enabled_by);
				r->enabled_by = xstrdup(doc->origin);
				r->enabled_line = sec->kv[0].line;
				continue;
			}
			size_t ll = 0;
			const char *l = ini_doc_line(doc, sec->line, &ll);
			diag_add_src(d, DIAG_WARNING, doc->origin, sec->line, 0, 0, l, l ? ll : 0,
				     "[%s] switches a rule that is not loaded (yet): ignored", sec->name);
			continue;
		}
		int rerrs = 0;
		struct rule *r = rule_build(rs->arena, doc, sec, d, &rerrs);
		if (rerrs) {
			errs += rerrs;
			rule_free(r);
			continue;
		}
		if (prev >= 0) {
			struct rule *old = rs->rules[prev];
			r->replaced_file = xstrdup(old->file);
			r->replaced_line = old->line;
			r->order = old->order;
			rule_free(old);
			rs->rules[prev] = r;
		} else {
			r->order = rs->n;
			rs->rules = xreallocarray(rs->rules, rs->n + 1, sizeof(*rs->rules));
			rs->rules[rs->n++] = r;
		}
	}
	ini_doc_free(doc);
	return errs ? -EINVAL : 0;
}


int ruleset_check_requires(const struct ruleset *rs, struct diag_list *d)
{
	int errs = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = rs->rules[i];
		for (size_t k = 0; k < r->nrequires_rules; k++) {
			const char *id = r->requires_rules[k];
			ssize_t j = find_rule(rs, id);
			const struct rule *p = j >= 0 ? rs->rules[j] : NULL;
			if (!p)
				diag_add(d, DIAG_ERROR, r->file, r->requires_rules_line, 0,
					 "rule [%s] requires_rules names '%s', which is not in the rule set", r->id, id);
			else if (p == r)
				diag_add(d, DIAG_ERROR, r->file, r->requires_rules_line, 0,
					 "rule [%s] requires_rules names itself", r->id);
			else if (!p->set)
				diag_add(d, DIAG_ERROR, r->file, r->requires_rules_line, 0,
					 "rule [%s] requires_rules names [%s], a finding: only advice (set) can be "
					 "required (%s:%u)",
					 r->id, id, p->file, p->line);
			else if (r->set && p->set == r->set)
				diag_add(d, DIAG_ERROR, r->file, r->requires_rules_line, 0,
					 "rule [%s] requires_rules names [%s], which sets the same %s: both cannot win it "
					 "(%s:%u)",
					 r->id, id, r->set->name, p->file, p->line);
			else
				continue;
			errs++;
		}
	}
	return errs ? -EINVAL : 0;
}

int ruleset_check_buffer(const char *buf, size_t len, const char *origin, struct diag_list *d)
{
	struct ruleset *rs = ruleset_new();
	int rc = ruleset_add_buffer(rs, buf, len, origin, d);
	ruleset_free(rs);
	return rc;
}

/* Load every *.ini of dir in name order.  missing_ok: a directory that
 * does not exist is normal (site drop-ins).  Returns the number of errors. */
static int load_dir(struct ruleset *rs, const char *dir, bool missing_ok, struct diag_list *d)
{
	char **names = NULL;
	size_t n = 0;
	int rc = dir_list(dir, &names, &n);
	if (rc) {
		if (missing_ok && rc == -ENOENT)
			return 0;
		diag_add(d, DIAG_ERROR, dir, 0, 0, "cannot read rules directory: %s", fileio_strerror(rc));
		return 1;
	}
	int errs = 0;
	for (size_t i = 0; i < n; i++) {
		if (!rules_is_ini_name(names[i]))
			continue;
		char *path = xasprintf("%s/%s", dir, names[i]);
		if (is_dir(path)) {
			free(path);
			continue;
		}
		char *buf = NULL;
		size_t len = 0;
		rc = file_read(path, RULE_FILE_CAP, &buf, &len);
		if (rc) {
			diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", fileio_strerror(rc));
			errs++;
		} else if (ruleset_add_buffer(rs, buf, len, path, d)) {
			errs++;
		}
		free(buf);
		free(path);
	}
	fileio_names_free(names);
	return errs;
}

/* The default rules directory; returns a new string or NULL. */
static char *default_rules_dir(void)
{
	return datadir_find("RECLAIM_ADVISOR_RULES_DIR", ADVISOR_DATADIR "/rules", "rules");
}

static char *default_sysconf_dir(void)
{
	const char *env = getenv("RECLAIM_ADVISOR_SYSCONFDIR");
	return xstrdup(env && *env ? env : ADVISOR_SYSCONFDIR);
}

int ruleset_load(const struct ruleset_opts *o, struct ruleset **out, struct diag_list *d)
{
	struct ruleset_opts none = {0};
	if (!o)
		o = &none;
	struct ruleset *rs = ruleset_new();
	int errs = 0;
	if (!o->only_dirs) {
		char *rdir = o->rules_dir ? xstrdup(o->rules_dir) : default_rules_dir();
		if (!rdir) {
			diag_add(d, DIAG_ERROR, ADVISOR_DATADIR "/rules", 0, 0,
				 "no rules directory (set RECLAIM_ADVISOR_RULES_DIR or install the rules)");
			errs++;
		} else {
			errs += load_dir(rs, rdir, false, d);
			char *p = xasprintf("%s/profiles", rdir);
			ruleset_add_profile_dir(rs, p);
			free(p);
			p = xasprintf("%s/../profiles", rdir);
			ruleset_add_profile_dir(rs, p);
			free(p);
			free(rdir);
		}
		char *sdir = o->sysconf_dir ? xstrdup(o->sysconf_dir) : default_sysconf_dir();
		char *dropins = xasprintf("%s/reclaim-advisor/rules.d", sdir);
		errs += load_dir(rs, dropins, true, d);
		char *p = xasprintf("%s/reclaim-advisor/profiles", sdir);
		ruleset_add_profile_dir(rs, p);
		free(p);
		free(dropins);
		free(sdir);
	}
	for (size_t i = 0; i < o->ndirs; i++) {
		errs += load_dir(rs, o->dirs[i], false, d);
		char *p = xasprintf("%s/profiles", o->dirs[i]);
		ruleset_add_profile_dir(rs, p);
		free(p);
	}
	if (!errs && ruleset_check_requires(rs, d))
		errs++;
	if (errs) {
		ruleset_free(rs);
		return -EINVAL;
	}
	*out = rs;
	return 0;
}

size_t ruleset_count(const struct ruleset *rs)
{
	return rs ? rs->n : 0;
}

const struct rule *ruleset_rule(const struct ruleset *rs, size_t i)
{
	return i < rs->n ? rs->rules[i] : NULL;
}

const struct rule *ruleset_find(const struct ruleset *rs, const char *id)
{
	ssize_t i = find_rule(rs, id);
	return i >= 0 ? rs->rules[i] : NULL;
}

const char *ruleset_digest(const struct ruleset *rs)
{
	return rs->digest;
}

uint64_t ruleset_hash(const struct ruleset *rs)
{
	return rs->hash;
}

size_t ruleset_nfiles(const struct ruleset *rs)
{
	return rs->nfiles;
}

const char *ruleset_file(const struct ruleset *rs, size_t i)
{
	return i < rs->nfiles ? rs->files[i] : NULL;
}

size_t ruleset_nprofile_dirs(const struct ruleset *rs)
{
	return rs ? rs->npdirs : 0;
}

const char *ruleset_profile_dir(const struct ruleset *rs, size_t i)
{
	return i < rs->npdirs ? rs->pdirs[i] : NULL;
}

void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	rules_free_list(rs->files, rs->nfiles);
	rules_free_list(rs->pdirs, rs->npdirs);
	expr_arena_free(rs->arena);
	free(rs);
}
