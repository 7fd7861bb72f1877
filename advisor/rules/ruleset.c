/* ruleset: loading and checking rule files and profiles.  See ruleset.h. */
#include "ruleset.h"
#include "../base/datadir.h"

#include "../base/buf.h"
#include "../base/fileio.h"
#include "../base/numparse.h"
#include "../base/xalloc.h"
#include "iniread.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RULE_FILE_CAP (1u << 20) /* a rule file larger than 1 MiB is a mistake */

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

/* ---- small helpers ---- */

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* Name and bytes, each preceded by its length so that concatenations of
 * different files cannot collide trivially. */
static uint64_t fnv_file(uint64_t h, const char *origin, const char *buf, size_t len)
{
	const char *base = strrchr(origin, '/');
	base = base ? base + 1 : origin;
	uint64_t n = strlen(base);
	h = fnv(h, &n, sizeof(n));
	h = fnv(h, base, n);
	n = len;
	h = fnv(h, &n, sizeof(n));
	return fnv(h, buf, len);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool id_ok(const char *s, bool dots)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && !(dots && *s == '.'))
			return false;
	return true;
}

/* Split a comma list into trimmed, non-empty items. */
static char **split_list(const char *s, size_t *n)
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

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* An error pointing at a key's value (col of its first byte). */
__attribute__((format(printf, 5, 6))) static void kv_error(struct diag_list *d, const struct ini_doc *doc,
							   const struct ini_kv *kv, bool at_key,
							   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	size_t ll = 0;
	const char *l = ini_doc_line(doc, kv->line, &ll);
	unsigned col = at_key ? kv->key_col : kv->col;
	unsigned span = at_key ? (unsigned)strlen(kv->key) : (unsigned)strcspn(kv->value, "\n");
	diag_add_src(d, DIAG_ERROR, doc->origin, kv->line, col, span ? span : 1, l, l ? ll : 0, "%s", msg);
	free(msg);
}

__attribute__((format(printf, 4, 5))) static void sec_error(struct diag_list *d, const struct ini_doc *doc,
							   const struct ini_section *sec, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	size_t ll = 0;
	const char *l = ini_doc_line(doc, sec->line, &ll);
	diag_add_src(d, DIAG_ERROR, doc->origin, sec->line, 0, 0, l, l ? ll : 0, "%s", msg);
	free(msg);
}

/* ---- expressions ---- */

struct names_ctx {
	bool value_bound;
};

/* A rule reads named facts only: a family member ("sysctl.vm.swapiness",
 * "vmstat.nr_foo") is unknown, so a misspelt name fails at load time
 * whatever it is compared with.  The slot is the fact id (RULE_SLOT_VALUE
 * for a bound's "value"). */
static int names_lookup(void *ctx, const char *name, enum fact_type *type, int *slot)
{
	const struct names_ctx *c = ctx;
	if (c->value_bound && !strcmp(name, "value")) {
		*type = FACT_INT;
		*slot = RULE_SLOT_VALUE;
		return 0;
	}
	enum fact_id id;
	if (fact_id_lookup(name, &id))
		return -ENOENT;
	const struct fact_def *d = fact_def_of(id);
	*type = d->unit == UNIT_KVER ? EXPR_T_VERSION : d->type;
	*slot = (int)id;
	return 0;
}

/* Parse and check one expression; on success x->e is set and *type holds
 * its static type.  Returns 0 or -EINVAL (errors in d). */
static int compile(struct expr_arena *a, const struct ini_doc *doc, struct rule_expr *x, bool value_bound,
		   enum fact_type *type, struct diag_list *d)
{
	struct expr_src src = {.text = x->text, .len = strlen(x->text), .origin = doc->origin, .line = x->line,
			       .col = x->col};
	struct expr *e = NULL;
	size_t first = d->n;
	int rc = -EINVAL;
	if (expr_parse(a, &src, &e, d) || !e)
		goto out;
	struct names_ctx nc = {.value_bound = value_bound};
	struct expr_names names = {.lookup = names_lookup, .ctx = &nc};
	if (expr_check(e, &src, &names, type, d))
		goto out;
	x->e = e;
	rc = 0;
out:
	/* The caret's column is a file column: show the whole physical line
	 * (the expression module only knows the expression's text). */
	for (size_t i = first; i < d->n; i++) {
		size_t ll = 0;
		const char *l = ini_doc_line(doc, d->v[i].line, &ll);
		if (!l || !d->v[i].line)
			continue;
		free(d->v[i].src);
		d->v[i].src = xstrndup(l, ll);
	}
	return rc;
}

static void set_expr(struct rule_expr *x, const struct ini_kv *kv)
{
	x->text = xstrdup(kv->value);
	x->line = kv->line;
	x->col = kv->col;
}

/* Position of byte off of a multi-line value that starts at (line, col). */
static void pos_of(const char *text, size_t off, unsigned line, unsigned col, unsigned *l, unsigned *c)
{
	*l = line;
	*c = col;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*l)++;
			*c = 1;
		} else {
			(*c)++;
		}
	}
}

static const struct {
	const char *name;
	enum why_unit unit;
} why_units[] = {
	{"bytes", WHY_BYTES}, {"kB", WHY_KB},	  {"pages", WHY_PAGES},
	{"percent", WHY_PERCENT}, {"ratio", WHY_RATIO}, {"raw", WHY_RAW},
};

static void why_add_text(struct rule *r, struct buf *lit)
{
	if (!lit->len)
		return;
	r->why = xreallocarray(r->why, r->nwhy + 1, sizeof(*r->why));
	r->why[r->nwhy++] = (struct why_part){.text = buf_steal(lit)};
}

/* Split the why text into literal and {expr : unit} parts and compile each
 * expression.  Returns the number of errors. */
static int compile_why(struct expr_arena *a, const struct ini_doc *doc, const struct ini_kv *kv, struct rule *r,
		       struct diag_list *d)
{
	const char *t = r->why_text;
	struct buf lit = {0};
	int errs = 0;
	size_t i = 0, n = strlen(t);
	while (i < n) {
		if (t[i] == '{' && t[i + 1] == '{') {
			buf_putc(&lit, '{');
			i += 2;
			continue;
		}
		if (t[i] == '}' && t[i + 1] == '}') {
			buf_putc(&lit, '}');
			i += 2;
			continue;
		}
		unsigned l, c;
		if (t[i] == '}') {
			pos_of(t, i, kv->line, kv->col, &l, &c);
			size_t ll = 0;
			const char *src = ini_doc_line(doc, l, &ll);
			diag_add_src(d, DIAG_ERROR, doc->origin, l, c, 1, src, src ? ll : 0,
				     "unmatched '}' in why (write '}}' for a literal brace)");
			errs++;
			i++;
			continue;
		}
		if (t[i] != '{') {
			buf_putc(&lit, t[i++]);
			continue;
		}
		/* {expr} or {expr : unit}: the closing brace and the unit colon are
		 * found outside string literals. */
		size_t start = i + 1, j = start, colon = 0;
		bool instr = false;
		while (j < n && (instr || t[j] != '}')) {
			if (t[j] == '"')
				instr = !instr;
			else if (t[j] == '\\' && instr && j + 1 < n)
				j++;
			else if (!instr && t[j] == ':')
				colon = j;
			j++;
		}
		pos_of(t, i, kv->line, kv->col, &l, &c);
		if (j >= n) {
			size_t ll = 0;
			const char *src = ini_doc_line(doc, l, &ll);
			diag_add_src(d, DIAG_ERROR, doc->origin, l, c, 1, src, src ? ll : 0,
				     "unterminated '{' in why");
			errs++;
			break;
		}
		why_add_text(r, &lit);
		size_t eend = colon ? colon : j;
		struct why_part wp = {.unit = WHY_PLAIN};
		if (colon) {
			size_t ua = colon + 1, ub = j;
			while (ua < ub && isspace((unsigned char)t[ua]))
				ua++;
			while (ub > ua && isspace((unsigned char)t[ub - 1]))
				ub--;
			bool found = false;
			for (size_t k = 0; k < sizeof(why_units) / sizeof(why_units[0]); k++)
				if (strlen(why_units[k].name) == ub - ua && !memcmp(t + ua, why_units[k].name, ub - ua)) {
					wp.unit = why_units[k].unit;
					found = true;
				}
			if (!found) {
				unsigned ul, uc;
				pos_of(t, ua, kv->line, kv->col, &ul, &uc);
				size_t ll = 0;
				const char *src = ini_doc_line(doc, ul, &ll);
				diag_add_src(d, DIAG_ERROR, doc->origin, ul, uc, (unsigned)(ub > ua ? ub - ua : 1), src,
					     src ? ll : 0,
					     "unknown unit '%.*s' (bytes, kB, pages, percent, ratio or raw)",
					     (int)(ub - ua), t + ua);
				errs++;
			}
		}
		pos_of(t, start, kv->line, kv->col, &l, &c);
		wp.x.text = xstrndup(t + start, eend - start);
		wp.x.line = l;
		wp.x.col = c;
		enum fact_type ty;
		if (compile(a, doc, &wp.x, r->set != NULL, &ty, d))
			errs++;
		else if (wp.unit != WHY_PLAIN && wp.unit != WHY_RAW && (ty == FACT_STR || ty == FACT_BOOL)) {
			size_t ll = 0;
			const char *src = ini_doc_line(doc, l, &ll);
			diag_add_src(d, DIAG_ERROR, doc->origin, l, c, (unsigned)(eend - start), src, src ? ll : 0,
				     "a %s cannot be shown with a unit", fact_type_name(ty));
			errs++;
		}
		r->why = xreallocarray(r->why, r->nwhy + 1, sizeof(*r->why));
		r->why[r->nwhy++] = wp;
		i = j + 1;
	}
	why_add_text(r, &lit);
	buf_free(&lit);
	return errs;
}

/* ---- rules ---- */

static void rule_expr_free(struct rule_expr *x)
{
	free(x->text);
}

static void rule_free(struct rule *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->file);
	free(r->replaced_file);
	free(r->enabled_by);
	free(r->description);
	rule_expr_free(&r->when);
	rule_expr_free(&r->value);
	rule_expr_free(&r->conf);
	free(r->why_text);
	for (size_t i = 0; i < r->nwhy; i++) {
		free(r->why[i].text);
		rule_expr_free(&r->why[i].x);
	}
	free(r->why);
	free(r->ref);
	free(r->tmpfiles_path);
	free(r->tmpfiles_value);
	free_list(r->profiles, r->nprofiles);
	free_list(r->evidence, r->nevidence);
	free(r);
}

static const char *const rule_keys[] = {"description", "when",	   "set",      "value",
					"priority",    "severity", "confidence", "why",
					"ref",	       "profiles", "enabled",  "evidence", "reads_current",
					"cause",       "tmpfiles", "overrides_administrator"};

static int parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "on") || !strcmp(s, "1"))
		*out = true;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "off") || !strcmp(s, "0"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static int parse_confidence(const char *s, enum confidence *c)
{
	if (!strcmp(s, "low"))
		*c = CONF_LOW;
	else if (!strcmp(s, "medium"))
		*c = CONF_MEDIUM;
	else if (!strcmp(s, "high"))
		*c = CONF_HIGH;
	else
		return -EINVAL;
	return 0;
}

/* Desired state: a rule's `when`, value and confidence describe the
 * situation, not the gap between the live value and the one it wants
 * (then the advice vanishes once applied).  A rule that reads the live
 * value of the key it sets (an administrator's oversized setting, a "keep
 * what is there") says so with reads_current = yes; any other is warned
 * about, at the rule's line. */
struct own_key {
	const char *fact;
	bool found;
};

static void own_key_seen(void *ctx, const char *name)
{
	struct own_key *k = ctx;
	k->found = k->found || !strcmp(name, k->fact);
}

static void warn_reads_own_key(const struct ini_doc *doc, const struct ini_section *sec, const struct rule *r,
			       struct diag_list *d)
{
	struct own_key k = {.fact = fact_def_of(r->set->fact)->name};
	const struct rule_expr *x[] = {&r->when, &r->value, &r->conf};
	for (size_t i = 0; i < 3; i++)
		if (x[i]->e)
			expr_foreach_value_name(x[i]->e, own_key_seen, &k);
	if (k.found)
		diag_add(d, DIAG_WARNING, doc->origin, sec->line, 1,
			 "rule [%s] reads %s, the key it sets, without reads_current = yes: its advice would "
			 "follow the live value (a diff, not a desired state)",
			 r->id, k.fact);
}

/* Build and check one rule from its section.  Returns the rule (even with
 * errors, for the error count) and the number of errors in *errs. */
static struct rule *rule_build(struct expr_arena *a, const struct ini_doc *doc, const struct ini_section *sec,
			       struct diag_list *d, int *errs)
{
	struct rule *r = xcalloc(1, sizeof(*r));
	r->id = xstrdup(sec->name);
	r->file = xstrdup(doc->origin);
	r->line = sec->line;
	r->priority = 50;
	r->severity = SEV_INFO;
	r->confidence = CONF_MEDIUM;
	r->enabled = true;
	r->description = xstrdup("");
	r->why_text = xstrdup("");
	*errs = 0;

	if (!id_ok(sec->name, true)) {
		sec_error(d, doc, sec, "rule id '%s': use letters, digits, '-', '_' and '.'", sec->name);
		(*errs)++;
	}
	for (size_t i = 0; i < sec->nkv; i++) {
		bool known = false;
		for (size_t k = 0; k < sizeof(rule_keys) / sizeof(rule_keys[0]); k++)
			known |= !strcmp(sec->kv[i].key, rule_keys[k]);
		if (!known) {
			kv_error(d, doc, &sec->kv[i], true,
				 "unknown key '%s' in rule [%s] (description, when, set, value, priority, "
				 "severity, confidence, why, ref, profiles, enabled, evidence, reads_current, cause, tmpfiles, "
				 "overrides_administrator)",
				 sec->kv[i].key, sec->name);
			(*errs)++;
		}
	}

	const struct ini_kv *kv;
	if ((kv = ini_section_get(sec, "description"))) {
		free(r->description);
		r->description = xstrdup(kv->value);
	}
	if ((kv = ini_section_get(sec, "set"))) {
		r->set = sysctl_catalog_lookup(kv->value);
		if (!r->set) {
			kv_error(d, doc, kv, false, "unknown sysctl '%s' (not in the sysctl catalog)", kv->value);
			(*errs)++;
		}
	}
	const struct ini_kv *vkv = ini_section_get(sec, "value");
	if (ini_section_get(sec, "set") && !vkv) {
		sec_error(d, doc, sec, "rule [%s] sets %s but has no value", sec->name,
			  ini_section_get(sec, "set")->value);
		(*errs)++;
	}
	if (vkv && !ini_section_get(sec, "set")) {
		kv_error(d, doc, vkv, true, "rule [%s] has a value but no set", sec->name);
		(*errs)++;
	}
	if ((kv = ini_section_get(sec, "when"))) {
		set_expr(&r->when, kv);
		enum fact_type ty;
		if (compile(a, doc, &r->when, false, &ty, d))
			(*errs)++;
		else if (ty != FACT_BOOL) {
			kv_error(d, doc, kv, false, "when must be a bool, this is a %s", fact_type_name(ty));
			(*errs)++;
		}
	}
	if (vkv) {
		set_expr(&r->value, vkv);
		enum fact_type ty;
		if (compile(a, doc, &r->value, false, &ty, d))
			(*errs)++;
		else if (r->set && ty != FACT_INT) {
			kv_error(d, doc, vkv, false, "%s takes an integer, the value is a %s%s", r->set->name,
				 fact_type_name(ty),
				 ty == FACT_FLOAT ? " (use round(), floor() or ceil())" : "");
			(*errs)++;
		}
	}
	if ((kv = ini_section_get(sec, "priority"))) {
		const char *end;
		int64_t p;
		if (parse_i64(kv->value, &end, &p) || *end || p < 0 || p > 10000) {
			kv_error(d, doc, kv, false, "priority must be an integer 0..10000, not '%s'", kv->value);
			(*errs)++;
		} else {
			r->priority = (int)p;
		}
	}
	if ((kv = ini_section_get(sec, "severity"))) {
		if (severity_parse(kv->value, &r->severity)) {
			kv_error(d, doc, kv, false, "severity must be info, warning or critical, not '%s'",
				 kv->value);
			(*errs)++;
		}
	}
	if ((kv = ini_section_get(sec, "confidence"))) {
		if (parse_confidence(kv->value, &r->confidence)) {
			r->conf_is_expr = true;
			set_expr(&r->conf, kv);
			enum fact_type ty;
			if (compile(a, doc, &r->conf, false, &ty, d))
				(*errs)++;
			else if (ty != FACT_STR) {
				kv_error(d, doc, kv, false,
					 "confidence must be low, medium, high or a string expression, this is a %s",
					 fact_type_name(ty));
				(*errs)++;
			}
		}
	}
	if ((kv = ini_section_get(sec, "why"))) {
		free(r->why_text);
		r->why_text = xstrdup(kv->value);
		*errs += compile_why(a, doc, kv, r, d);
	}
	if ((kv = ini_section_get(sec, "ref")))
		r->ref = xstrdup(kv->value);
	if ((kv = ini_section_get(sec, "profiles"))) {
		r->profiles = split_list(kv->value, &r->nprofiles);
		for (size_t i = 0; i < r->nprofiles; i++)
			if (!id_ok(r->profiles[i], false)) {
				kv_error(d, doc, kv, false, "bad profile name '%s'", r->profiles[i]);
				(*errs)++;
			}
	}
	if ((kv = ini_section_get(sec, "enabled")) && parse_bool(kv->value, &r->enabled)) {
		kv_error(d, doc, kv, false, "enabled must be yes or no, not '%s'", kv->value);
		(*errs)++;
	}
	if ((kv = ini_section_get(sec, "reads_current")) && parse_bool(kv->value, &r->reads_current)) {
		kv_error(d, doc, kv, false, "reads_current must be yes or no, not '%s'", kv->value);
		(*errs)++;
	}
	if ((kv = ini_section_get(sec, "overrides_administrator")) &&
	    parse_bool(kv->value, &r->overrides_administrator)) {
		kv_error(d, doc, kv, false, "overrides_administrator must be yes or no, not '%s'", kv->value);
		(*errs)++;
	}
	if (r->set && !r->reads_current && !*errs)
		warn_reads_own_key(doc, sec, r, d);
	if ((kv = ini_section_get(sec, "cause")) && cause_parse(kv->value, &r->cause)) {
		kv_error(d, doc, kv, false,
			 "cause must be one of kswapd-lag, compaction, memcg, capacity, atomic, nowait, oom-global, "
			 "oom-memcg, oom, numa, administrator, idle, config, not '%s'",
			 kv->value);
		(*errs)++;
	}
	if ((kv = ini_section_get(sec, "tmpfiles"))) {
		/* "/sys/PATH VALUE": one word each, no quoting (tmpfiles.d(5)
		 * would need it for blanks, and no sysfs value we advise has one) */
		const char *sp = strchr(kv->value, ' ');
		if (strncmp(kv->value, "/sys/", 5) || !sp || !sp[1] || strchr(sp + 1, ' ') ||
		    strchr(kv->value, '\t') || strstr(kv->value, "..")) {
			kv_error(d, doc, kv, false, "tmpfiles must be '/sys/PATH VALUE' (one word each)");
			(*errs)++;
		} else if (ini_section_get(sec, "set")) {
			kv_error(d, doc, kv, false, "tmpfiles is for findings: a rule with set advises a sysctl");
			(*errs)++;
		} else {
			r->tmpfiles_path = xstrndup(kv->value, (size_t)(sp - kv->value));
			r->tmpfiles_value = xstrdup(sp + 1);
		}
	}
	if ((kv = ini_section_get(sec, "evidence"))) {
		r->evidence = split_list(kv->value, &r->nevidence);
		enum fact_id id;
		for (size_t i = 0; i < r->nevidence; i++)
			if (fact_id_lookup(r->evidence[i], &id)) {
				kv_error(d, doc, kv, false, "unknown fact '%s' in evidence", r->evidence[i]);
				(*errs)++;
			}
	}
	return r;
}

struct ruleset *ruleset_new(void)
{
	struct ruleset *rs = xcalloc(1, sizeof(*rs));
	rs->arena = expr_arena_new();
	rs->hash = FNV_OFFSET;
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
	rs->hash = fnv_file(rs->hash, doc->origin, buf, len);
	snprintf(rs->digest, sizeof(rs->digest), "%016llx", (unsigned long long)rs->hash);

	for (size_t s = 0; s < doc->nsec; s++) {
		const struct ini_section *sec = &doc->sec[s];
		ssize_t prev = find_rule(rs, sec->name);
		/* `enabled` alone: switch an earlier rule, do not replace it. */
		if (sec->nkv == 1 && !strcmp(sec->kv[0].key, "enabled")) {
			bool on;
			if (parse_bool(sec->kv[0].value, &on)) {
				kv_error(d, doc, &sec->kv[0], false, "enabled must be yes or no, not '%s'",
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

struct seen {
	char **v;
	size_t n;
	void (*fn)(void *, const char *);
	void *ctx;
};

static void seen_add(void *ctx, const char *name)
{
	struct seen *s = ctx;
	if (!strcmp(name, "value"))
		return;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return;
	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = xstrdup(name);
	s->fn(s->ctx, name);
}

void rule_foreach_fact(const struct rule *r, void (*fn)(void *ctx, const char *name), void *ctx)
{
	struct seen s = {.fn = fn, .ctx = ctx};
	const struct rule_expr *x[] = {&r->when, &r->value, &r->conf};
	for (size_t i = 0; i < 3; i++)
		if (x[i]->e)
			expr_foreach_name(x[i]->e, seen_add, &s);
	for (size_t i = 0; i < r->nwhy; i++)
		if (r->why[i].x.e)
			expr_foreach_name(r->why[i].x.e, seen_add, &s);
	for (size_t i = 0; i < r->nevidence; i++)
		seen_add(&s, r->evidence[i]);
	free_list(s.v, s.n);
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
		if (!ends_with(names[i], ".ini") || names[i][0] == '.')
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
	free_list(rs->files, rs->nfiles);
	free_list(rs->pdirs, rs->npdirs);
	expr_arena_free(rs->arena);
	free(rs);
}

/* ---- profiles ---- */

#define PROFILE_DEPTH 16

/* Find NAME.ini: the last profile directory that has it. */
static char *profile_path(const struct ruleset *rs, const char *name)
{
	char *found = NULL;
	for (size_t i = 0; rs && i < rs->npdirs; i++) {
		char *p = xasprintf("%s/%s.ini", rs->pdirs[i], name);
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
	for (size_t i = 0; rs && i < rs->npdirs; i++) {
		char **names = NULL;
		size_t m = 0;
		if (dir_list(rs->pdirs[i], &names, &m))
			continue;
		for (size_t j = 0; j < m; j++) {
			size_t len = strlen(names[j]);
			if (len <= 4 || strcmp(names[j] + len - 4, ".ini") || names[j][0] == '.')
				continue;
			all = xreallocarray(all, n + 1, sizeof(*all));
			all[n++] = xstrndup(names[j], len - 4);
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
		free_list(p->rules, p->nrules);
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
	p->hash = fnv(p->hash, &parent->hash, sizeof(parent->hash));
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
			p->hash = FNV_OFFSET;
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
	p->hash = fnv_file(FNV_OFFSET, origin, buf, len);
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
				free_list(p->rules, p->nrules);
				p->rules = split_list(kv->value, &p->nrules);
				p->has_rules = true;
			} else if (!strcmp(kv->key, "include")) {
				size_t ninc;
				char **inc = split_list(kv->value, &ninc);
				for (size_t i = 0; i < ninc; i++) {
					if (!id_ok(inc[i], false)) {
						kv_error(d, doc, kv, false, "bad profile name '%s'", inc[i]);
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
						kv_error(d, doc, kv, false, "profile include cycle: %s", buf_str(&chain));
						buf_free(&chain);
						errs++;
						continue;
					}
					if (depth + 1 >= PROFILE_DEPTH) {
						kv_error(d, doc, kv, false, "profiles nested deeper than %d", PROFILE_DEPTH);
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
				free_list(inc, ninc);
			} else {
				kv_error(d, doc, kv, true, "unknown key '%s' in [profile] (include, description, rules)",
					 kv->key);
				errs++;
			}
		}
		/* Our own selection wins over an inherited one. */
		const struct ini_kv *rk = ini_section_get(sec, "rules");
		if (rk) {
			free_list(p->rules, p->nrules);
			p->rules = split_list(rk->value, &p->nrules);
			p->has_rules = true;
			for (size_t i = 0; rs && i < p->nrules; i++) {
				bool any = false;
				for (size_t k = 0; k < rs->n && !any; k++)
					any = !fnmatch(p->rules[i], rs->rules[k]->id, 0);
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
			sec_error(d, doc, sec, "unknown section [%s] in a profile (profile, pin, bounds, waive)",
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
				kv_error(d, doc, kv, true, "unknown sysctl '%s' (not in the sysctl catalog)", key);
				errs++;
				free(key);
				continue;
			}
			free(key);
			int64_t v = 0;
			if (waive) {
				if (!*kv->value) {
					kv_error(d, doc, kv, false, "a waiver needs a reason");
					errs++;
					continue;
				}
				struct profile_waiver x = {.sc = sc, .reason = xstrdup(kv->value), .from = xstrdup(name),
							   .file = xstrdup(origin), .line = kv->line};
				waiver_set(p, &x);
				continue;
			}
			if (parse_int_value(kv->value, &v)) {
				kv_error(d, doc, kv, false, "%s needs an integer, not '%s'", sc->name, kv->value);
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
				kv_error(d, doc, kv, true, "a bound is written '%s >= N' or '%s <= N'", sc->name,
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
	if (!id_ok(name, false)) {
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

int profile_check_all(const struct ruleset *rs, struct diag_list *d)
{
	int errs = 0;
	/* A rule for a profile that exists nowhere is most likely a typo. */
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = rs->rules[i];
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
	for (size_t i = 0; i < rs->npdirs; i++) {
		char **names = NULL;
		size_t n = 0;
		if (dir_list(rs->pdirs[i], &names, &n))
			continue;
		for (size_t k = 0; k < n; k++) {
			if (!ends_with(names[k], ".ini") || names[k][0] == '.')
				continue;
			char *pname = xstrndup(names[k], strlen(names[k]) - 4);
			/* Only the file that wins the search is checked. */
			char *winner = profile_path(rs, pname);
			char *mine = xasprintf("%s/%s", rs->pdirs[i], names[k]);
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
	free_list(p->chain, p->nchain);
	free_list(p->rules, p->nrules);
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
