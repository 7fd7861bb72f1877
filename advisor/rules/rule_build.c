/* rule_build: one [section] of a rule file -> a checked struct rule: its
 * keys, the when / value / confidence expressions compiled against the fact
 * catalog, and the `why` template split into text and {expr : unit} parts.
 * See ruleset.h for the keys and ruleset_int.h for the contract. */
#include "ruleset_int.h"
#include "names.h"

#include "../base/buf.h"
#include "../base/numparse.h"
#include "../base/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

void rule_free(struct rule *r)
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
	rules_free_list(r->profiles, r->nprofiles);
	rules_free_list(r->evidence, r->nevidence);
	rules_free_list(r->requires_rules, r->nrequires_rules);
	free(r);
}

static const char *const rule_keys[] = {"description", "when",	   "set",      "value",
					"priority",    "severity", "confidence", "why",
					"ref",	       "profiles", "enabled",  "evidence", "reads_current",
					"cause",       "tmpfiles", "overrides_administrator", "requires_raised",
					"under_thp_floor", "requires_rules"};

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

struct rule *rule_build(struct expr_arena *a, const struct ini_doc *doc, const struct ini_section *sec,
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

	if (!rules_name_ok(sec->name, true)) {
		ini_section_error(d, doc, sec, "rule id '%s': use letters, digits, '-', '_' and '.'", sec->name);
		(*errs)++;
	}
	for (size_t i = 0; i < sec->nkv; i++) {
		bool known = false;
		for (size_t k = 0; k < sizeof(rule_keys) / sizeof(rule_keys[0]); k++)
			known |= !strcmp(sec->kv[i].key, rule_keys[k]);
		if (!known) {
			ini_kv_error(d, doc, &sec->kv[i], true,
				 "unknown key '%s' in rule [%s] (description, when, set, value, priority, "
				 "severity, confidence, why, ref, profiles, enabled, evidence, reads_current, cause, tmpfiles, "
				 "overrides_administrator, requires_raised, under_thp_floor, requires_rules)",
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
			ini_kv_error(d, doc, kv, false, "unknown sysctl '%s' (not in the sysctl catalog)", kv->value);
			(*errs)++;
		}
	}
	const struct ini_kv *vkv = ini_section_get(sec, "value");
	if (ini_section_get(sec, "set") && !vkv) {
		ini_section_error(d, doc, sec, "rule [%s] sets %s but has no value", sec->name,
			  ini_section_get(sec, "set")->value);
		(*errs)++;
	}
	if (vkv && !ini_section_get(sec, "set")) {
		ini_kv_error(d, doc, vkv, true, "rule [%s] has a value but no set", sec->name);
		(*errs)++;
	}
	if ((kv = ini_section_get(sec, "when"))) {
		set_expr(&r->when, kv);
		enum fact_type ty;
		if (compile(a, doc, &r->when, false, &ty, d))
			(*errs)++;
		else if (ty != FACT_BOOL) {
			ini_kv_error(d, doc, kv, false, "when must be a bool, this is a %s", fact_type_name(ty));
			(*errs)++;
		}
	}
	if (vkv) {
		set_expr(&r->value, vkv);
		enum fact_type ty;
		if (compile(a, doc, &r->value, false, &ty, d))
			(*errs)++;
		else if (r->set && ty != FACT_INT) {
			ini_kv_error(d, doc, vkv, false, "%s takes an integer, the value is a %s%s", r->set->name,
				 fact_type_name(ty),
				 ty == FACT_FLOAT ? " (use round(), floor() or ceil())" : "");
			(*errs)++;
		}
	}
	if ((kv = ini_section_get(sec, "priority"))) {
		const char *end;
		int64_t p;
		if (parse_i64(kv->value, &end, &p) || *end || p < 0 || p > 10000) {
			ini_kv_error(d, doc, kv, false, "priority must be an integer 0..10000, not '%s'", kv->value);
			(*errs)++;
		} else {
			r->priority = (int)p;
		}
	}
	if ((kv = ini_section_get(sec, "severity"))) {
		if (severity_parse(kv->value, &r->severity)) {
			ini_kv_error(d, doc, kv, false, "severity must be info, warning or critical, not '%s'",
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
				ini_kv_error(d, doc, kv, false,
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
		r->profiles = rules_split_list(kv->value, &r->nprofiles);
		for (size_t i = 0; i < r->nprofiles; i++)
			if (!rules_name_ok(r->profiles[i], false)) {
				ini_kv_error(d, doc, kv, false, "bad profile name '%s'", r->profiles[i]);
				(*errs)++;
			}
	}
	if ((kv = ini_section_get(sec, "enabled")) && rules_parse_bool(kv->value, &r->enabled)) {
		ini_kv_error(d, doc, kv, false, "enabled must be yes or no, not '%s'", kv->value);
		(*errs)++;
	}
	if ((kv = ini_section_get(sec, "reads_current")) && rules_parse_bool(kv->value, &r->reads_current)) {
		ini_kv_error(d, doc, kv, false, "reads_current must be yes or no, not '%s'", kv->value);
		(*errs)++;
	}
	if ((kv = ini_section_get(sec, "overrides_administrator")) &&
	    rules_parse_bool(kv->value, &r->overrides_administrator)) {
		ini_kv_error(d, doc, kv, false, "overrides_administrator must be yes or no, not '%s'", kv->value);
		(*errs)++;
	}
	if ((kv = ini_section_get(sec, "requires_raised"))) {
		r->requires_raised = sysctl_catalog_lookup(kv->value);
		if (!r->requires_raised) {
			ini_kv_error(d, doc, kv, false, "unknown sysctl '%s' (not in the sysctl catalog)", kv->value);
			(*errs)++;
		} else if (!ini_section_get(sec, "set") || r->requires_raised == r->set) {
			ini_kv_error(d, doc, kv, false,
				     "requires_raised names another sysctl the same advice must raise: only in a rule "
				     "with set, not its own key");
			(*errs)++;
		}
	}
	if ((kv = ini_section_get(sec, "requires_rules"))) {
		/* the ids are checked against the whole rule set once every file
		 * and drop-in is read (ruleset_check_requires): a partner may be
		 * defined in a later file */
		r->requires_rules = rules_split_list(kv->value, &r->nrequires_rules);
		r->requires_rules_line = kv->line;
		if (!r->nrequires_rules) {
			ini_kv_error(d, doc, kv, false, "requires_rules names no rule");
			(*errs)++;
		} else if (!ini_section_get(sec, "set")) {
			ini_kv_error(d, doc, kv, false,
				     "requires_rules ties advice to advice: only in a rule with set, not a finding");
			(*errs)++;
		}
		for (size_t i = 0; i < r->nrequires_rules; i++)
			if (!rules_name_ok(r->requires_rules[i], true)) {
				ini_kv_error(d, doc, kv, false, "requires_rules: bad rule id '%s'", r->requires_rules[i]);
				(*errs)++;
			}
	}
	if ((kv = ini_section_get(sec, "under_thp_floor"))) {
		if (rules_parse_bool(kv->value, &r->under_thp_floor)) {
			ini_kv_error(d, doc, kv, false, "under_thp_floor must be yes or no, not '%s'", kv->value);
			(*errs)++;
		} else if (r->under_thp_floor &&
			   (!r->set || r->set->id != SC_MIN_FREE_KBYTES || !ini_section_get(sec, "profiles"))) {
			/* the default profiles never go under THP's floor: the lead's
			 * decision (rules/README.md, "Under THP's floor") */
			ini_kv_error(d, doc, kv, false,
				     "under_thp_floor = yes only in a rule that sets vm.min_free_kbytes for named "
				     "profiles (profiles = ...): no rule of every profile goes under THP's floor");
			(*errs)++;
		}
	}
	if (r->set && !r->reads_current && !*errs)
		warn_reads_own_key(doc, sec, r, d);
	if ((kv = ini_section_get(sec, "cause")) && cause_parse(kv->value, &r->cause)) {
		ini_kv_error(d, doc, kv, false,
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
			ini_kv_error(d, doc, kv, false, "tmpfiles must be '/sys/PATH VALUE' (one word each)");
			(*errs)++;
		} else if (ini_section_get(sec, "set")) {
			ini_kv_error(d, doc, kv, false, "tmpfiles is for findings: a rule with set advises a sysctl");
			(*errs)++;
		} else {
			r->tmpfiles_path = xstrndup(kv->value, (size_t)(sp - kv->value));
			r->tmpfiles_value = xstrdup(sp + 1);
		}
	}
	if ((kv = ini_section_get(sec, "evidence"))) {
		r->evidence = rules_split_list(kv->value, &r->nevidence);
		enum fact_id id;
		for (size_t i = 0; i < r->nevidence; i++)
			if (fact_id_lookup(r->evidence[i], &id)) {
				ini_kv_error(d, doc, kv, false, "unknown fact '%s' in evidence", r->evidence[i]);
				(*errs)++;
			}
	}
	return r;
}

/* Each fact once: the callers count and list them (names.h). */
struct seen {
	struct names names;
	void (*fn)(void *, const char *);
	void *ctx;
};

static void seen_add(void *ctx, const char *name)
{
	struct seen *s = ctx;
	if (names_add(&s->names, name))
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
	names_free(&s.names);
}
