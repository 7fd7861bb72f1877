/* ruleset: the line reader, rule loading with drop-ins, profiles with
 * include/pin/bounds/waive, and every load error at its file:line:col. */
#include "testutil.h"

#include "rules/iniread.h"
#include "rules/profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct ruleset *load(const char *rules_dir, const char *sysconf, const char *const *dirs, size_t ndirs,
			    struct diag_list *d)
{
	struct ruleset_opts o = {.rules_dir = rules_dir, .sysconf_dir = sysconf, .dirs = dirs, .ndirs = ndirs};
	struct ruleset *rs = NULL;
	int rc = ruleset_load(&o, &rs, d);
	if (rc) {
		diag_print_all(stderr, d);
		fail_msg("ruleset_load failed: %d", rc);
	}
	return rs;
}

/* ---- iniread ---- */

static void test_ini_continuation_and_columns(void **state)
{
	(void)state;
	const char text[] = "# comment\r\n"
			    "[a]\r\n"
			    "when = x > 1 and\r\n"
			    "       y < 2\n"
			    "   # an indented comment is a comment\n"
			    "why:   text\n"
			    "\n"
			    "[b]\n"
			    "  k = v\n";
	struct diag_list d = {0};
	struct ini_doc *doc = NULL;
	assert_int_equal(iniread_parse(text, sizeof(text) - 1, "t.ini", &doc, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(doc->nsec, 2);
	assert_string_equal(doc->sec[0].name, "a");
	assert_int_equal(doc->sec[0].line, 2);
	assert_int_equal(doc->sec[0].nkv, 2);
	const struct ini_kv *w = &doc->sec[0].kv[0];
	assert_string_equal(w->key, "when");
	assert_string_equal(w->value, "x > 1 and\n       y < 2");
	assert_int_equal(w->line, 3);
	assert_int_equal(w->col, 8);
	assert_int_equal(w->nlines, 2);
	const struct ini_kv *y = ini_section_get(&doc->sec[0], "why");
	assert_non_null(y);
	assert_string_equal(y->value, "text");
	assert_int_equal(y->line, 6);
	assert_int_equal(y->col, 8);
	/* an indented key after a blank line and a section is a key */
	assert_string_equal(doc->sec[1].kv[0].key, "k");
	assert_int_equal(doc->sec[1].kv[0].key_col, 3);
	size_t ll;
	const char *l = ini_doc_line(doc, 4, &ll);
	assert_int_equal(ll, 12);
	assert_memory_equal(l, "       y < 2", 12);
	assert_null(ini_doc_line(doc, 99, &ll));
	ini_doc_free(doc);
}

static void test_ini_rejects(void **state)
{
	(void)state;
	char longline[400];
	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "[s]\nk = ", 8);
	longline[sizeof(longline) - 1] = '\n';
	static const struct {
		const char *text;
		size_t len;
		unsigned line, col;
		const char *msg;
	} cases[] = {
		{"k = v\n", 0, 1, 1, "outside any [section]"},
		{"[s\n", 0, 1, 1, "without ']'"},
		{"[s] x\n", 0, 1, 5, "text after the section header"},
		{"[ ]\n", 0, 1, 1, "empty section name"},
		{"[s]\nnothing here\n", 0, 2, 1, "expected 'key = value'"},
		{"[s]\n= v\n", 0, 2, 1, "missing key"},
		{"[s]\nk = 1\nk = 2\n", 0, 3, 1, "duplicate key 'k'"},
		{"[s]\n[s]\n", 0, 2, 2, "appears twice"},
		{"[s]\nk = a\0b\n", 10, 2, 6, "NUL byte"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diag_list d = {0};
		struct ini_doc *doc = NULL;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
		assert_int_equal(iniread_parse(cases[i].text, len, "e.ini", &doc, &d), -EINVAL);
		assert_int_equal(d.n, 1);
		if (d.v[0].line != cases[i].line || d.v[0].col != cases[i].col || !strstr(d.v[0].msg, cases[i].msg))
			fail_msg("case %zu: %u:%u %s", i, d.v[0].line, d.v[0].col, d.v[0].msg);
		assert_int_equal(d.v[0].sev, DIAG_ERROR);
		ini_doc_free(doc);
		diag_list_clear(&d);
	}
	/* One mistake, one error: keys of a bad section header, continuation
	 * lines of a refused or duplicate key are not reported again. */
	static const char *const once[] = {
		"[s] x\nk = 1\nj = 2\n",
		"[s]\n= v\n  more\n  and more\n",
		"[s]\nk = 1\nk = 2\n  continued\n",
		"[s]\nnot a key\n  indented\n",
	};
	for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		struct diag_list d1 = {0};
		struct ini_doc *doc1 = NULL;
		assert_int_equal(iniread_parse(once[i], strlen(once[i]), "o.ini", &doc1, &d1), -EINVAL);
		if (d1.n != 1) {
			diag_print_all(stderr, &d1);
			fail_msg("case %zu: %zu diagnostics", i, d1.n);
		}
		ini_doc_free(doc1);
		diag_list_clear(&d1);
	}
	/* after a good section header, keys count again */
	{
		const char t[] = "[s] x\nk = 1\n[t]\nk = 2\n";
		struct diag_list d1 = {0};
		struct ini_doc *doc1 = NULL;
		iniread_parse(t, strlen(t), "o.ini", &doc1, &d1);
		assert_int_equal(d1.n, 1);
		assert_int_equal(doc1->nsec, 1);
		assert_string_equal(doc1->sec[0].name, "t");
		assert_int_equal(doc1->sec[0].nkv, 1);
		ini_doc_free(doc1);
		diag_list_clear(&d1);
	}

	/* No inline comments and no line limit: ';' and '#' after the start of
	 * a line are text (the expression lexer refuses ';' itself), and a
	 * 395-byte line is one line (libinih split lines at 200 bytes). */
	struct diag_list d = {0};
	struct ini_doc *doc = NULL;
	const char semi[] = "[s]\nk = a ; b # c\n; comment\n# comment\n";
	assert_int_equal(iniread_parse(semi, strlen(semi), "semi.ini", &doc, &d), 0);
	assert_int_equal(doc->sec[0].nkv, 1);
	assert_string_equal(doc->sec[0].kv[0].value, "a ; b # c");
	ini_doc_free(doc);
	assert_int_equal(iniread_parse(longline, sizeof(longline), "long.ini", &doc, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(doc->sec[0].nkv, 1);
	assert_int_equal(strlen(doc->sec[0].kv[0].value), sizeof(longline) - 8 - 1);
	assert_int_equal(doc->sec[0].kv[0].col, 5);
	ini_doc_free(doc);
	diag_list_clear(&d);
}

/* ---- rules ---- */

static void test_load_good(void **state)
{
	(void)state;
	struct diag_list d = {0};
	struct ruleset *rs = load("tests/rules/good", "/nonexistent", NULL, 0, &d);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
	assert_int_equal(ruleset_count(rs), 12);
	assert_int_equal(ruleset_nfiles(rs), 2);
	const struct rule *r = ruleset_find(rs, "reserve-floor");
	assert_non_null(r);
	assert_string_equal(r->file, "tests/rules/good/10-reserve.ini");
	assert_int_equal(r->line, 2);
	assert_ptr_equal(r->set, sysctl_catalog_lookup("vm.min_free_kbytes"));
	assert_int_equal(r->priority, 50);
	assert_int_equal(r->severity, SEV_WARNING);
	assert_false(r->conf_is_expr);
	assert_int_equal(r->confidence, CONF_HIGH);
	assert_int_equal(r->nevidence, 1);
	assert_string_equal(r->evidence[0], "host.page_size");
	assert_non_null(r->when.e);
	assert_int_equal(r->when.line, 4);
	/* why split into text and expressions */
	assert_int_equal(r->nwhy, 5);
	assert_string_equal(r->why[4].text, " of lowmem");
	assert_string_equal(r->why[0].text, "a reserve of ");
	assert_null(r->why[1].text);
	assert_string_equal(r->why[1].x.text, "value ");
	assert_int_equal(r->why[1].unit, WHY_KB);
	assert_int_equal(r->why[3].unit, WHY_BYTES);

	const struct rule *w = ruleset_find(rs, "wsf-gap");
	assert_true(w->conf_is_expr);
	assert_int_equal(w->value.line, 40);
	assert_non_null(strchr(w->value.text, '\n'));
	assert_int_equal(w->why[1].unit, WHY_PAGES);
	const struct rule *f = ruleset_find(rs, "no-swap");
	assert_null(f->set);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_int_equal(f->nwhy, 1);
	assert_string_equal(f->why[0].text, "no swap configured: {literal braces}");
	assert_int_equal(ruleset_find(rs, "swap-low")->nprofiles, 1);
	/* order = load order */
	for (size_t i = 0; i < ruleset_count(rs); i++)
		assert_int_equal(ruleset_rule(rs, i)->order, i);
	assert_string_equal(ruleset_rule(rs, 9)->id, "dirty-bytes");

	/* the digest is stable and depends on the bytes */
	char dg[17];
	strcpy(dg, ruleset_digest(rs));
	assert_int_equal(strlen(dg), 16);
	struct ruleset *rs2 = load("tests/rules/good", "/nonexistent", NULL, 0, &d);
	assert_string_equal(ruleset_digest(rs2), dg);
	ruleset_free(rs2);
	rs2 = ruleset_new();
	const char one[] = "[x]\nwhy = a\n", two[] = "[x]\nwhy = b\n";
	assert_int_equal(ruleset_add_buffer(rs2, one, strlen(one), "a.ini", &d), 0);
	strcpy(dg, ruleset_digest(rs2));
	ruleset_free(rs2);
	rs2 = ruleset_new();
	assert_int_equal(ruleset_add_buffer(rs2, two, strlen(two), "a.ini", &d), 0);
	assert_string_not_equal(ruleset_digest(rs2), dg);
	ruleset_free(rs2);
	ruleset_free(rs);
	diag_list_clear(&d);
}

/* Desired state (issue 11): a rule that reads the key it sets follows the
 * live value (advice as a diff); only a rule marked reads_current = yes may,
 * and rules check warns at the rule's section for any other. */
static void test_reads_own_key(void **state)
{
	(void)state;
	const char diffish[] = "# a rule written as a diff against the live value\n"
			       "[swappiness-down]\n"
			       "set = vm.swappiness\n"
			       "when = sysctl.vm.swappiness > 10\n"
			       "value = 10\n"
			       "why = less swap\n";
	struct diag_list d = {0};
	assert_int_equal(ruleset_check_buffer(diffish, strlen(diffish), "own.ini", &d), 0);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
	assert_int_equal(diag_count(&d, DIAG_WARNING), 1);
	assert_string_equal(d.v[0].origin, "own.ini");
	assert_int_equal(d.v[0].line, 2);
	assert_non_null(strstr(d.v[0].msg, "reads sysctl.vm.swappiness, the key it sets, without reads_current"));
	diag_list_clear(&d);

	/* marked: an administrator's oversized value is the situation */
	const char marked[] = "[swappiness-down]\n"
			      "set = vm.swappiness\n"
			      "when = sysctl.vm.swappiness > 10\n"
			      "value = 10\n"
			      "reads_current = yes\n"
			      "why = less swap\n";
	assert_int_equal(ruleset_check_buffer(marked, strlen(marked), "own.ini", &d), 0);
	assert_int_equal(d.n, 0);
	/* reading another key is the situation, not the gap */
	const char other[] = "[swappiness-down]\n"
			     "set = vm.swappiness\n"
			     "when = sysctl.vm.page-cluster == 0\n"
			     "value = 10\n"
			     "why = less swap\n";
	assert_int_equal(ruleset_check_buffer(other, strlen(other), "own.ini", &d), 0);
	assert_int_equal(d.n, 0);
	diag_list_clear(&d);
}

/* requires_rules: the ids are checked against the whole set (a partner in
 * a later file is fine), each bad one an error at the key's file:line; a
 * finding, the rule itself or a rule on the same key cannot be required. */
static void test_requires_rules(void **state)
{
	(void)state;
	struct diag_list d = {0};
	const char *dirs[] = {"tests/rules/requires"};
	struct ruleset_opts o = {.only_dirs = true, .dirs = dirs, .ndirs = 1};
	struct ruleset *rs = NULL;
	assert_int_equal(ruleset_load(&o, &rs, &d), -EINVAL);
	assert_null(rs);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 1);
	assert_string_equal(d.v[0].origin, "tests/rules/requires/10-pair.ini");
	assert_int_equal(d.v[0].line, 13);
	assert_non_null(strstr(d.v[0].msg, "rule [wide-buffer] requires_rules names 'no-such-rule', which is not in "
					   "the rule set"));
	diag_list_clear(&d);

	const char a[] = "[a]\nset = vm.min_free_kbytes\nvalue = 1\nwhy = a\nrequires_rules = a, f, b, c\n"
			 "[f]\ndescription = a finding\n"
			 "[b]\nset = vm.min_free_kbytes\nvalue = 2\nwhy = b\n"
			 "[c]\nset = vm.watermark_scale_factor\nvalue = 3\nwhy = c\n";
	rs = ruleset_new();
	assert_int_equal(ruleset_add_buffer(rs, a, strlen(a), "a.ini", &d), 0);
	assert_int_equal(ruleset_check_requires(rs, &d), -EINVAL);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(d.v[i].origin, "a.ini");
		assert_int_equal(d.v[i].line, 5);
	}
	assert_non_null(strstr(d.v[0].msg, "names itself"));
	assert_non_null(strstr(d.v[1].msg, "names [f], a finding"));
	assert_non_null(strstr(d.v[2].msg, "names [b], which sets the same vm.min_free_kbytes"));
	ruleset_free(rs);
	diag_list_clear(&d);

	/* only in a rule with set; an empty list is an error */
	const char e[] = "[x]\ndescription = d\nrequires_rules = c\n[y]\nset = vm.swappiness\nvalue = 1\n"
			 "why = y\nrequires_rules = ,\n";
	assert_int_equal(ruleset_check_buffer(e, strlen(e), "e.ini", &d), -EINVAL);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 2);
	assert_int_equal(d.v[0].line, 3);
	assert_non_null(strstr(d.v[0].msg, "only in a rule with set"));
	assert_int_equal(d.v[1].line, 8);
	assert_non_null(strstr(d.v[1].msg, "names no rule"));
	diag_list_clear(&d);
}

static void test_dropins(void **state)
{
	(void)state;
	struct diag_list d = {0};
	const char *dirs[] = {"tests/rules/dropin"};
	struct ruleset *rs = load("tests/rules/good", "tests/rules/sysconf", dirs, 1, &d);
	/* the ghost-rule switch is a warning, not an error */
	assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
	assert_int_equal(diag_count(&d, DIAG_WARNING), 1);
	assert_string_equal(d.v[0].origin, "tests/rules/sysconf/reclaim-advisor/rules.d/50-site.ini");
	assert_int_equal(d.v[0].line, 5);
	assert_non_null(strstr(d.v[0].msg, "ghost-rule"));
	assert_int_equal(ruleset_nfiles(rs), 4);
	assert_int_equal(ruleset_count(rs), 13);

	/* enabled = no alone: the shipped rule stays, switched off */
	const struct rule *ns = ruleset_find(rs, "no-swap");
	assert_false(ns->enabled);
	assert_string_equal(ns->file, "tests/rules/good/10-reserve.ini");
	assert_string_equal(ns->enabled_by, "tests/rules/sysconf/reclaim-advisor/rules.d/50-site.ini");
	assert_int_equal(ns->enabled_line, 3);
	assert_int_equal(ns->nwhy, 1);

	/* a full section replaces the rule in its slot */
	const struct rule *sh = ruleset_find(rs, "swap-high");
	assert_string_equal(sh->file, "tests/rules/dropin/60-override.ini");
	assert_int_equal(sh->line, 2);
	assert_string_equal(sh->replaced_file, "tests/rules/good/10-reserve.ini");
	assert_int_equal(sh->replaced_line, 32);
	assert_int_equal(sh->priority, 55);
	assert_int_equal(sh->order, 4);
	assert_ptr_equal(ruleset_rule(rs, 4), sh);
	assert_string_equal(ruleset_rule(rs, 12)->id, "site-extra");

	/* profile dirs: rules dir, installed layout, sysconf, --rules DIR */
	assert_int_equal(ruleset_nprofile_dirs(rs), 4);
	assert_string_equal(ruleset_profile_dir(rs, 2), "tests/rules/sysconf/reclaim-advisor/profiles");
	/* the site's database.ini overrides the shipped one */
	struct profile *p = NULL;
	assert_int_equal(profile_load(rs, "database", &p, &d), 0);
	assert_string_equal(p->file, "tests/rules/sysconf/reclaim-advisor/profiles/database.ini");
	assert_int_equal(p->npins, 1);
	assert_int_equal(p->pins[0].value, 5);
	profile_free(p);
	ruleset_free(rs);
	diag_list_clear(&d);
}

static void test_env_search_path(void **state)
{
	(void)state;
	struct diag_list d = {0};
	setenv("RECLAIM_ADVISOR_RULES_DIR", "tests/rules/good", 1);
	setenv("RECLAIM_ADVISOR_SYSCONFDIR", "tests/rules/sysconf", 1);
	struct ruleset *rs = load(NULL, NULL, NULL, 0, &d);
	assert_int_equal(ruleset_nfiles(rs), 3);
	assert_string_equal(ruleset_file(rs, 0), "tests/rules/good/10-reserve.ini");
	assert_string_equal(ruleset_file(rs, 2), "tests/rules/sysconf/reclaim-advisor/rules.d/50-site.ini");
	assert_false(ruleset_find(rs, "no-swap")->enabled);
	ruleset_free(rs);
	diag_list_clear(&d);
	/* a rules directory that does not exist is an error */
	setenv("RECLAIM_ADVISOR_RULES_DIR", "tests/rules/no-such-dir", 1);
	struct ruleset_opts o = {0};
	rs = NULL;
	assert_int_equal(ruleset_load(&o, &rs, &d), -EINVAL);
	assert_null(rs);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 1);
	unsetenv("RECLAIM_ADVISOR_RULES_DIR");
	unsetenv("RECLAIM_ADVISOR_SYSCONFDIR");
	diag_list_clear(&d);
}

/* Every file in tests/rules/errors fails with its diagnostic at the place
 * given here; the loader keeps going and reports all of them. */
static const struct {
	const char *file;
	unsigned line, col;
	const char *msg;
} load_errors[] = {
	{"bad-confidence.ini", 3, 14, "confidence must be"},
	{"bad-enabled.ini", 2, 11, "enabled must be yes or no"},
	{"bad-evidence.ini", 2, 12, "unknown fact 'nope.nope'"},
	{"bad-priority.ini", 2, 12, "priority must be an integer"},
	{"bad-section.ini", 1, 1, "without ']'"},
	{"bad-severity.ini", 2, 12, "severity must be info, warning or critical"},
	{"bad-unit.ini", 2, 25, "unknown unit 'furlongs'"},
	{"duplicate-key.ini", 3, 1, "duplicate key 'why'"},
	{"key-outside.ini", 1, 1, "outside any [section]"},
	{"missing-value.ini", 1, 0, "sets vm.swappiness but has no value"},
	{"misspelt-family-member.ini", 2, 8, "unknown name 'sysctl.vm.swapiness'"},
	{"no-equals.ini", 2, 1, "expected 'key = value'"},
	{"requires-raised-own-key.ini", 4, 19, "requires_raised names another sysctl"},
	{"semicolon.ini", 2, 13, "';' is not allowed in expressions"},
	{"syntax.ini", 2, 12, "expected"},
	{"type-float.ini", 3, 9, "takes an integer, the value is a float"},
	{"type-string.ini", 3, 9, "takes an integer, the value is a string"},
	{"under-thp-floor-no-profiles.ini", 4, 19, "under_thp_floor = yes only in a rule that sets vm.min_free_kbytes for named"},
	{"unknown-fact.ini", 2, 8, "mem.no_such_fact"},
	{"unknown-key.ini", 4, 1, "unknown key 'bogus'"},
	{"unknown-sysctl.ini", 2, 7, "unknown sysctl 'vm.not_a_sysctl'"},
	{"unterminated-brace.ini", 2, 12, "unterminated '{'"},
	{"value-in-finding.ini", 2, 12, "value"},
	{"value-without-set.ini", 2, 1, "has a value but no set"},
	{"when-not-bool.ini", 2, 8, "when must be a bool"},
};

static void test_load_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(load_errors) / sizeof(load_errors[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), "tests/rules/errors/%s", load_errors[i].file);
		size_t len;
		char *buf = tu_read(path, &len);
		struct diag_list d = {0};
		assert_int_equal(ruleset_check_buffer(buf, len, path, &d), -EINVAL);
		size_t n = diag_count(&d, DIAG_ERROR);
		if (n < 1)
			fail_msg("%s: no error", path);
		const struct diag *g = &d.v[0];
		if (strcmp(g->origin, path) || g->line != load_errors[i].line || g->col != load_errors[i].col ||
		    !strstr(g->msg, load_errors[i].msg)) {
			diag_print_all(stderr, &d);
			fail_msg("%s: got %s:%u:%u %s", path, g->origin, g->line, g->col, g->msg);
		}
		/* expression errors show the whole physical line for the caret */
		if (g->src && g->col) {
			size_t ll;
			struct ini_doc *doc = NULL;
			struct diag_list d2 = {0};
			iniread_parse(buf, len, path, &doc, &d2);
			const char *l = ini_doc_line(doc, g->line, &ll);
			if (l && strlen(g->src) != ll)
				fail_msg("%s: diagnostic source is not the file line", path);
			ini_doc_free(doc);
			diag_list_clear(&d2);
		}
		free(buf);
		diag_list_clear(&d);
	}
	/* The whole directory: every file reported, then failure. */
	struct diag_list d = {0};
	const char *dirs[] = {"tests/rules/errors"};
	struct ruleset_opts o = {.only_dirs = true, .dirs = dirs, .ndirs = 1};
	struct ruleset *rs = NULL;
	assert_int_equal(ruleset_load(&o, &rs, &d), -EINVAL);
	assert_null(rs);
	for (size_t i = 0; i < sizeof(load_errors) / sizeof(load_errors[0]); i++) {
		bool seen = false;
		for (size_t k = 0; k < d.n; k++)
			seen |= strstr(d.v[k].origin, load_errors[i].file) != NULL;
		if (!seen)
			fail_msg("%s not reported when loading the directory", load_errors[i].file);
	}
	diag_list_clear(&d);
}

/* ---- profiles ---- */

static void test_profiles(void **state)
{
	(void)state;
	struct diag_list d = {0};
	struct ruleset *rs = load("tests/rules/good", "/nonexistent", NULL, 0, &d);
	struct profile *p = NULL;

	assert_int_equal(profile_load(rs, NULL, &p, &d), 0);
	assert_string_equal(p->name, "general");
	assert_string_equal(p->description, "test general profile");
	assert_true(profile_selects(p, ruleset_find(rs, "reserve-floor")));
	assert_false(profile_selects(p, ruleset_find(rs, "swap-low"))); /* profiles = database */
	profile_free(p);

	/* olap includes database includes general */
	assert_int_equal(profile_load(rs, "olap", &p, &d), 0);
	assert_int_equal(p->nchain, 3);
	assert_string_equal(p->chain[0], "olap");
	assert_string_equal(p->chain[1], "database");
	assert_string_equal(p->chain[2], "general");
	assert_string_equal(p->description, ""); /* not inherited */
	assert_true(profile_selects(p, ruleset_find(rs, "swap-low")));
	const struct profile_pin *pin = profile_pin(p, sysctl_catalog_lookup("vm.swappiness"));
	assert_non_null(pin);
	assert_int_equal(pin->value, 1);
	assert_string_equal(pin->from, "olap");
	pin = profile_pin(p, sysctl_catalog_lookup("vm.overcommit_memory"));
	assert_non_null(pin);
	assert_string_equal(pin->from, "database");
	assert_int_equal(pin->line, 5);
	const struct profile_bound *b = profile_bound(p, sysctl_catalog_lookup("vm.min_free_kbytes"));
	assert_true(b->has_lo);
	assert_false(b->has_hi);
	assert_int_equal(b->lo, 200000);
	assert_non_null(profile_waiver(p, sysctl_catalog_lookup("vm.zone_reclaim_mode")));
	assert_string_equal(profile_waiver(p, sysctl_catalog_lookup("vm.dirty_ratio"))->from, "olap");
	profile_free(p);

	/* rules = globs */
	assert_int_equal(profile_load(rs, "narrow", &p, &d), 0);
	assert_true(p->has_rules);
	assert_true(profile_selects(p, ruleset_find(rs, "swap-low")));
	assert_true(profile_selects(p, ruleset_find(rs, "no-swap")));
	assert_false(profile_selects(p, ruleset_find(rs, "reserve-floor")));
	profile_free(p);

	/* not found, bad name */
	p = NULL;
	assert_int_equal(profile_load(rs, "nope", &p, &d), -ENOENT);
	assert_null(p);
	assert_int_equal(profile_load(rs, "../etc/passwd", &p, &d), -EINVAL);
	assert_int_equal(profile_check_all(rs, &d), 0);
	diag_list_clear(&d);
	ruleset_free(rs);
}

/* Without a general.ini, general is empty, also as an include. */
static void test_implicit_general(void **state)
{
	(void)state;
	struct diag_list d = {0};
	struct ruleset *rs = load("tests/rules/tie", "/nonexistent", NULL, 0, &d);
	struct profile *p = NULL;
	assert_int_equal(profile_load(rs, NULL, &p, &d), 0);
	assert_null(p->file);
	assert_int_equal(p->npins + p->nbounds + p->nwaivers, 0);
	profile_free(p);
	const char text[] = "[profile]\ninclude = general\n[pin]\nvm.page-cluster = 0\n";
	assert_int_equal(profile_load_buffer(rs, "x", text, strlen(text), "x.ini", &p, &d), 0);
	assert_int_equal(p->nchain, 2);
	assert_string_equal(p->chain[1], "general");
	assert_int_equal(p->npins, 1);
	profile_free(p);
	/* without a ruleset there is nowhere to find includes */
	const char other[] = "[profile]\ninclude = database\n";
	assert_int_equal(profile_load_buffer(NULL, "y", other, strlen(other), "y.ini", &p, &d), -EINVAL);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 1);
	assert_non_null(strstr(d.v[0].msg, "profile 'database' not found"));
	assert_int_equal(d.v[0].line, 2);
	diag_list_clear(&d);
	ruleset_free(rs);
}

static void test_profile_cycle(void **state)
{
	(void)state;
	struct diag_list d = {0};
	struct ruleset *rs = load("tests/rules/cycle", "/nonexistent", NULL, 0, &d);
	struct profile *p = NULL;
	assert_int_equal(profile_load(rs, "a", &p, &d), -EINVAL);
	assert_null(p);
	bool found = false;
	for (size_t i = 0; i < d.n; i++)
		if (strstr(d.v[i].msg, "profile include cycle: a -> b -> c -> a")) {
			found = true;
			assert_string_equal(d.v[i].origin, "tests/rules/cycle/profiles/c.ini");
			assert_int_equal(d.v[i].line, 2);
		}
	if (!found) {
		diag_print_all(stderr, &d);
		fail_msg("no cycle error");
	}
	diag_list_clear(&d);
	assert_int_equal(profile_check_all(rs, &d), -EINVAL);
	diag_list_clear(&d);
	ruleset_free(rs);
}

static void test_profile_errors(void **state)
{
	(void)state;
	struct diag_list d = {0};
	struct ruleset *rs = load("tests/rules/badprof", "/nonexistent", NULL, 0, &d);
	struct profile *p = NULL;
	assert_int_equal(profile_load(rs, "broken", &p, &d), -EINVAL);
	static const struct {
		unsigned line;
		const char *msg;
	} want[] = {
		{2, "unknown key 'bogus'"}, {4, "unknown sysctl 'vm.nope'"}, {5, "needs an integer"},
		{7, "a bound is written"},  {9, "bounds of vm.min_free_kbytes are empty"},
		{11, "needs a reason"},	    {12, "unknown section [extra]"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		bool seen = false;
		for (size_t k = 0; k < d.n; k++)
			seen |= d.v[k].line == want[i].line && strstr(d.v[k].msg, want[i].msg) &&
				!strcmp(d.v[k].origin, "tests/rules/badprof/profiles/broken.ini");
		if (!seen) {
			diag_print_all(stderr, &d);
			fail_msg("missing: line %u %s", want[i].line, want[i].msg);
		}
	}
	assert_int_equal(diag_count(&d, DIAG_ERROR), sizeof(want) / sizeof(want[0]));
	diag_list_clear(&d);
	assert_int_equal(profile_load(rs, "conflict", &p, &d), -EINVAL);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 2);
	bool excl = false, waived = false;
	for (size_t k = 0; k < d.n; k++) {
		excl |= strstr(d.v[k].msg, "mutually exclusive") != NULL;
		waived |= strstr(d.v[k].msg, "both pinned and waived") != NULL && d.v[k].line == 4;
	}
	assert_true(excl);
	assert_true(waived);
	diag_list_clear(&d);
	assert_int_equal(profile_load(rs, "pairwaive", &p, &d), -EINVAL);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 1);
	assert_int_equal(d.v[0].line, 2);
	assert_non_null(strstr(d.v[0].msg, "the pin of vm.dirty_ratio would reset vm.dirty_bytes, which is waived"));
	diag_list_clear(&d);
	ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ini_continuation_and_columns),
		cmocka_unit_test(test_ini_rejects),
		cmocka_unit_test(test_load_good),
		cmocka_unit_test(test_reads_own_key),
		cmocka_unit_test(test_dropins),
		cmocka_unit_test(test_requires_rules),
		cmocka_unit_test(test_env_search_path),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_implicit_general),
		cmocka_unit_test(test_profile_cycle),
		cmocka_unit_test(test_profile_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
