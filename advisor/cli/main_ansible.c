/* reclaim_advisor: the Ansible binary module, built from the same library
 * as the CLI (`make ansible` installs it as
 * contrib/ansible/library/reclaim_advisor).
 *
 * Contract (Ansible binary modules): argv[1] is the path of a JSON file of
 * arguments; the module prints exactly one JSON object on stdout and exits.
 * Arguments:
 *   state         recommend (default: render the fragment and write it to
 *                 dest) | audit (report only, never changes anything)
 *   profile       rule profile (default general)
 *   rules_dir     the rule directory (replaces the shipped one)
 *   rules         list of extra rule directories, after rules_dir
 *   template_dir  fragment templates (default: $RECLAIM_ADVISOR_TEMPLATE_DIR,
 *                 else the installed ones)
 *   root          the tree to read and write ("/" = the live host; default)
 *   dest          the fragment as the host sees it (default
 *                 /etc/sysctl.d/60-reclaim-advisor.conf), written under root
 *   apply         also write the values to root/proc/sys (default false)
 *   force         overwrite a dest that does not carry the tool's header
 *   host_id       identity for the audit report (state=audit; default as
 *                 `audit`: a digest of etc/machine-id under root, collect/hostid.h)
 *   labels        dict of labels for the audit report (role: db), state=audit
 *   page_size     page size of a captured tree without proc/self/smaps
 * _ansible_check_mode (write nothing, still report changed) and
 * _ansible_diff are honoured; every other _ansible_* key is ignored; any
 * other unknown key fails the task (a typo must not be silently ignored).
 * Result: changed, failed, msg, diff {before, after, before_header,
 * after_header}, warnings, and the summary: recommendations [{sysctl,
 * current, recommended, changed, selected, rule, severity, reason}],
 * findings, fragment (dest), written, applied; with state=audit also
 * status, exit_code and audit (the `audit --format json` document).
 *
 * Rendering, selection, the "is it ours" check and the atomic write are the
 * library functions `recommend` uses (fragment.h, fileio.h, apply.h), so
 * the module writes byte-for-byte what `recommend -o` writes, and it calls
 * a file up to date exactly when `recommend --check` does
 * (fragment_up_to_date): a second run finds nothing to change. */
#include "cliutil.h"
#include "exitcodes.h"
#include "hostopts.h"
#include "version.h"

#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../collect/hostid.h"
#include "../model/wmark_facts.h"
#include "../sysctld/apply.h"
#include "../sysctld/precedence.h"
#include "../audit/audit.h"
#include "../render/fragment.h"
#include "../rules/engine.h"
#include "../rules/ruleset.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct margs {
	const char *state, *profile, *rules_dir, *template_dir, *root, *dest, *host_id;
	const char **rules;
	size_t nrules;
	char **labels; /* "key=value" from the labels dict (state=audit) */
	size_t nlabels;
	bool apply, force, check, diff;
	unsigned long page_size;
};

struct result {
	json_object *o;
	json_object *warnings;
	bool changed, failed;
};

static void warn(struct result *r, const char *msg)
{
	json_object_array_add(r->warnings, json_object_new_string(msg));
}

static void emit(struct result *r, const char *msg)
{
	json_object_object_add(r->o, "changed", json_object_new_boolean(r->changed));
	json_object_object_add(r->o, "failed", json_object_new_boolean(r->failed));
	json_object_object_add(r->o, "msg", json_object_new_string(msg));
	json_object_object_add(r->o, "warnings", r->warnings);
	puts(json_object_to_json_string_ext(r->o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
	json_object_put(r->o);
}

static int fail_with(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail_with(struct result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	r->failed = true;
	r->changed = false;
	emit(r, msg);
	free(msg);
	return 1;
}

/* Diagnostics of the run as Ansible warnings (errors and warnings only). */
static void diags_to_warnings(struct result *r, const struct diag_list *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].sev == DIAG_NOTE)
			continue;
		char *m = d->v[i].line ? xasprintf("%s:%u: %s", d->v[i].origin ? d->v[i].origin : "", d->v[i].line,
						   d->v[i].msg)
				       : xasprintf("%s: %s", d->v[i].origin ? d->v[i].origin : "", d->v[i].msg);
		warn(r, m);
		free(m);
	}
}

static const char *jstring(json_object *v)
{
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool jbool(json_object *v)
{
	if (!v)
		return false;
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		return !strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "1") ||
		       !strcmp(s, "on");
	}
	return json_object_get_boolean(v);
}

/* Parse the argument document; 0 or a message in *err (caller frees). */
static int parse_args(json_object *doc, struct margs *a, char **err)
{
	memset(a, 0, sizeof(*a));
	a->state = "recommend";
	a->dest = FRAGMENT_DEFAULT_PATH;
	a->root = "/";
	if (!json_object_is_type(doc, json_type_object)) {
		*err = xstrdup("the arguments file does not hold a JSON object");
		return -1;
	}
	json_object_object_foreach(doc, key, val) {
		bool null = json_object_is_type(val, json_type_null);
		if (!strcmp(key, "_ansible_check_mode"))
			a->check = jbool(val);
		else if (!strcmp(key, "_ansible_diff"))
			a->diff = jbool(val);
		else if (!strncmp(key, "_ansible_", 9))
			continue;
		else if (null)
			continue;
		else if (!strcmp(key, "state"))
			a->state = jstring(val);
		else if (!strcmp(key, "profile"))
			a->profile = jstring(val);
		else if (!strcmp(key, "rules_dir"))
			a->rules_dir = jstring(val);
		else if (!strcmp(key, "template_dir"))
			a->template_dir = jstring(val);
		else if (!strcmp(key, "root"))
			a->root = jstring(val);
		else if (!strcmp(key, "dest"))
			a->dest = jstring(val);
		else if (!strcmp(key, "host_id"))
			a->host_id = jstring(val);
		else if (!strcmp(key, "apply"))
			a->apply = jbool(val);
		else if (!strcmp(key, "force"))
			a->force = jbool(val);
		else if (!strcmp(key, "page_size"))
			a->page_size = (unsigned long)json_object_get_int64(val);
		else if (!strcmp(key, "labels")) {
			if (!json_object_is_type(val, json_type_object)) {
				*err = xstrdup("labels: a dictionary of strings is expected");
				return -1;
			}
			a->labels = xcalloc((size_t)json_object_object_length(val) + 1, sizeof(*a->labels));
			json_object_object_foreach(val, lk, lv) {
				const char *v = json_object_get_string(lv);
				a->labels[a->nlabels++] = xasprintf("%s=%s", lk, v ? v : "");
			}
		} else if (!strcmp(key, "rules")) {
			if (json_object_is_type(val, json_type_string)) {
				a->rules = xcalloc(1, sizeof(*a->rules));
				a->rules[a->nrules++] = json_object_get_string(val);
			} else if (json_object_is_type(val, json_type_array)) {
				size_t n = json_object_array_length(val);
				a->rules = xcalloc(n + 1, sizeof(*a->rules));
				for (size_t i = 0; i < n; i++) {
					const char *s = jstring(json_object_array_get_idx(val, i));
					if (!s) {
						*err = xstrdup("rules: a list of directory names is expected");
						return -1;
					}
					a->rules[a->nrules++] = s;
				}
			} else {
				*err = xstrdup("rules: a directory or a list of directories is expected");
				return -1;
			}
		} else {
			*err = xasprintf("unsupported parameter: %s (supported: state, profile, rules_dir, rules, "
					 "template_dir, root, dest, apply, force, host_id, labels, page_size)",
					 key);
			return -1;
		}
	}
	if (!a->state || (strcmp(a->state, "recommend") && strcmp(a->state, "audit"))) {
		*err = xstrdup("state must be recommend or audit");
		return -1;
	}
	if (!a->root || !a->dest || a->dest[0] != '/') {
		*err = xstrdup("root and dest must be strings; dest is an absolute path as the host sees it");
		return -1;
	}
	return 0;
}

static json_object *value_json(const struct value *v)
{
	char *s = rec_value_text(v);
	json_object *o = json_object_new_string(s);
	free(s);
	return o;
}

static json_object *summary_json(const struct plan *p, const bool *sel)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < p->nd; i++) {
		const struct decision *d = &p->d[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "sysctl", json_object_new_string(d->sysctl));
		json_object_object_add(o, "current", d->has_current ? value_json(&d->current) : NULL);
		json_object_object_add(o, "recommended", value_json(&d->recommended));
		json_object_object_add(o, "changed", json_object_new_boolean(d->changed));
		json_object_object_add(o, "selected", json_object_new_boolean(sel ? sel[i] : false));
		json_object_object_add(o, "rule", d->rule ? json_object_new_string(d->rule) : NULL);
		json_object_object_add(o, "severity", json_object_new_string(rec_severity_name(d->severity)));
		json_object_object_add(o, "reason", d->reason ? json_object_new_string(d->reason) : NULL);
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *findings_json(const struct plan *p)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < p->nf; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "rule", json_object_new_string(p->f[i].rule));
		json_object_object_add(o, "severity", json_object_new_string(rec_severity_name(p->f[i].severity)));
		json_object_object_add(o, "reason", json_object_new_string(p->f[i].reason ? p->f[i].reason : ""));
		json_object_array_add(arr, o);
	}
	return arr;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Keys the fragment sets that another file overrides at boot (a later name
 * wins under sysctl.d(5)): warnings, never edits of the other file. */
static void shadow_warnings(struct result *r, const struct root *root, const struct plan *p, const bool *sel,
			    const char *dest)
{
	struct precedence *pr = NULL;
	struct diag_list d = {0};
	if (precedence_scan(root, &pr, &d) == 0) {
		for (size_t i = 0; i < p->nd; i++) {
			if (!sel[i])
				continue;
			const struct sysctl_origin *o = precedence_lookup(pr, p->d[i].sysctl);
			if (!o)
				continue;
			char *want = rec_value_text(&p->d[i].recommended);
			const struct sysctl_assign *w[2] = {o->has_systemd ? &o->systemd : NULL,
							    o->has_procps ? &o->procps : NULL};
			for (int k = 0; k < 2; k++) {
				if (!w[k] || !strcmp(w[k]->file, dest) || audit_values_equal(w[k]->value, want))
					continue;
				if (k == 0 && strcmp(base_name(w[k]->file), base_name(dest)) < 0)
					continue; /* sorts before the fragment: the fragment wins */
				if (k == 1 && w[0] && !strcmp(w[1]->file, w[0]->file) && w[1]->line == w[0]->line)
					continue; /* the same assignment as under systemd */
				if (k == 1 && strcmp(base_name(w[1]->file), base_name(dest)) < 0 &&
				    strcmp(w[1]->file, "/etc/sysctl.conf"))
					continue;
				char *m = xasprintf("%s: %s:%u sets %s and wins over %s %s", p->d[i].sysctl,
						    w[k]->file, w[k]->line, w[k]->value, dest,
						    k == 0 ? "at boot (systemd-sysctl)" : "under `sysctl --system`");
				warn(r, m);
				free(m);
				break;
			}
			free(want);
		}
	}
	precedence_free(pr);
	diag_list_clear(&d);
	free(d.v);
}

static int run_audit(struct result *r, const struct margs *a, struct host *h, const struct plan *plan,
		     const struct root *root)
{
	struct precedence *pr = NULL;
	struct diag_list d = {0};
	precedence_scan(root, &pr, &d);
	/* The identity `audit` reports (hostid.h): fleet matches by it. */
	char *host_id = host_id_derive(a->host_id, a->root, a->root);
	struct audit_input in = {.host = h, .plan = plan, .prec = pr, .host_id = host_id,
				 .labels = (const char *const *)a->labels, .nlabels = a->nlabels};
	struct audit *au = NULL;
	int rc = audit_build(&in, &au);
	free(host_id);
	if (rc) {
		precedence_free(pr);
		return fail_with(r, "internal error building the audit");
	}
	struct buf b = {0};
	audit_render_json(au, &b);
	json_object_object_add(r->o, "status", json_object_new_string(audit_status_name(au->status)));
	json_object_object_add(r->o, "exit_code", json_object_new_int((int)au->status));
	json_object_object_add(r->o, "audit", json_tokener_parse(buf_str(&b)));
	char *msg = xasprintf("%s: %s", audit_status_name(au->status), au->summary);
	r->changed = false;
	emit(r, msg);
	free(msg);
	buf_free(&b);
	audit_free(au);
	precedence_free(pr);
	diag_list_clear(&d);
	free(d.v);
	return 0;
}

int main(int argc, char **argv)
{
	struct result r = {.o = json_object_new_object(), .warnings = json_object_new_array()};
	if (argc != 2)
		return fail_with(&r, "usage: reclaim_advisor ARGS_FILE (an Ansible binary module, version %s)",
				 ADVISOR_VERSION);
	char *argbuf = NULL;
	size_t arglen = 0;
	int rc = file_read(argv[1], 1u << 20, &argbuf, &arglen);
	if (rc)
		return fail_with(&r, "cannot read the arguments file %s: %s", argv[1], strerror(-rc));
	json_object *doc = json_tokener_parse(argbuf);
	free(argbuf);
	if (!doc)
		return fail_with(&r, "the arguments file %s is not JSON", argv[1]);
	struct margs a;
	char *err = NULL;
	if (parse_args(doc, &a, &err)) {
		int x = fail_with(&r, "%s", err);
		free(err);
		free(a.rules);
		for (size_t i = 0; i < a.nlabels; i++)
			free(a.labels[i]);
		free(a.labels);
		json_object_put(doc);
		return x;
	}

	int code = 1;
	struct host h = {0};
	bool have_host = false;
	struct diag_list d = {0};
	struct ruleset *rs = NULL;
	struct profile *prof = NULL;
	struct plan *plan = NULL;
	struct fragment_templates tm = {0};
	struct root root = {.dirfd = -1};
	bool *sel = NULL;
	char *path = NULL, *old = NULL;
	size_t oldlen = 0;
	struct buf frag = {0};
	struct apply_entry *ap = NULL;
	size_t nap = 0;

	struct hostopts ho = {.root = a.root, .page_size = a.page_size};
	if (host_load(&ho, &h) != EXIT_OK) {
		code = fail_with(&r, "cannot collect the host under %s (see stderr)", a.root);
		goto out;
	}
	have_host = true;
	if ((rc = root_open(&root, a.root))) {
		code = fail_with(&r, "%s: %s", a.root, strerror(-rc));
		goto out;
	}
	struct ruleset_opts ro = {.rules_dir = a.rules_dir, .dirs = a.rules, .ndirs = a.nrules};
	if (ruleset_load(&ro, &rs, &d) || profile_load(rs, a.profile, &prof, &d)) {
		diags_to_warnings(&r, &d);
		code = fail_with(&r, "the rule set or profile does not load (%zu error(s); see warnings)",
				 diag_count(&d, DIAG_ERROR));
		goto out;
	}
	wmark_add_facts(&h, &d);
	if (engine_run(rs, prof, &h, &plan)) {
		code = fail_with(&r, "the rule engine failed");
		goto out;
	}
	sel = xcalloc(plan->nd + 1, sizeof(*sel));
	size_t nsel = fragment_select(plan, sel, &d);
	json_object_object_add(r.o, "recommendations", summary_json(plan, sel));
	json_object_object_add(r.o, "findings", findings_json(plan));
	json_object_object_add(r.o, "fragment", json_object_new_string(a.dest));
	json_object_object_add(r.o, "profile", json_object_new_string(plan->profile ? plan->profile : ""));
	json_object_object_add(r.o, "ruleset_digest",
			       json_object_new_string(plan->ruleset_digest ? plan->ruleset_digest : ""));

	if (!strcmp(a.state, "audit")) {
		code = run_audit(&r, &a, &h, plan, &root);
		goto out;
	}

	struct rec_input in = {.plan = plan, .host = &h, .version = ADVISOR_VERSION, .selected = sel,
			       .fragment_path = a.dest, .diags = &d};
	char *tdir = cli_template_dir(a.template_dir);
	int trc = cli_load_templates(tdir, &tm, &d);
	free(tdir);
	if (trc || fragment_render(&tm, &in, &frag, &d)) {
		diags_to_warnings(&r, &d);
		code = fail_with(&r, "the fragment templates do not load (see warnings)");
		goto out;
	}
	path = xasprintf("%s%s", strcmp(a.root, "/") ? a.root : "", a.dest);
	rc = file_read(path, FILEIO_DEFAULT_CAP, &old, &oldlen);
	if (rc && rc != -ENOENT) {
		code = fail_with(&r, "%s: %s", path, strerror(-rc));
		goto out;
	}
	bool exists = rc == 0;
	/* Up to date as `recommend` decides it (fragment.h): the same
	 * assignments from the same rule set and profile; the "was N"
	 * comments keep the values the file replaced, so a rerun after the
	 * values were applied is "ok". */
	bool same = exists && fragment_up_to_date(&tm, old, oldlen, buf_str(&frag), frag.len);
	if (exists && !same && !a.force && !fragment_is_ours(old, oldlen)) {
		code = fail_with(&r, "%s exists and was not written by reclaim-advisor (no \"%s\" header); "
				     "not overwriting it (force: true to replace it)",
				 path, FRAGMENT_MARKER);
		goto out;
	}
	json_object *diff = json_object_new_object();
	json_object_object_add(diff, "before_header", json_object_new_string(a.dest));
	json_object_object_add(diff, "after_header", json_object_new_string(a.dest));
	json_object_object_add(diff, "before", json_object_new_string(exists ? old : ""));
	json_object_object_add(diff, "after", json_object_new_string(same && exists ? old : buf_str(&frag)));
	json_object_object_add(r.o, "diff", diff);
	r.changed = !same;
	if (!same && !a.check) {
		rc = fileio_write_atomic(path, frag.p ? frag.p : "", frag.len, 0644);
		if (rc) {
			code = fail_with(&r, "cannot write %s: %s (the old file, if any, is unchanged)", path,
					 strerror(-rc));
			goto out;
		}
	}
	json_object_object_add(r.o, "written", json_object_new_boolean(!same && !a.check));

	/* apply: compare first, so a rerun is "ok"; check mode only reports */
	json_object *applied = json_object_new_array();
	if (a.apply) {
		struct apply_req *req = xcalloc(plan->nd + 1, sizeof(*req));
		char **vals = xcalloc(plan->nd + 1, sizeof(*vals));
		for (size_t i = 0; i < plan->nd; i++) {
			if (!sel[i])
				continue;
			char *want = rec_value_text(&plan->d[i].recommended);
			char *rel = apply_sysctl_path(plan->d[i].sysctl);
			char *cur = NULL;
			size_t cl = 0;
			bool differs = root_read(&root, rel, 4096, &cur, &cl) != 0 || !audit_values_equal(cur, want);
			free(cur);
			free(rel);
			if (!differs) {
				free(want);
				continue;
			}
			r.changed = true;
			vals[nap] = want;
			req[nap] = (struct apply_req){plan->d[i].sysctl, vals[nap]};
			nap++;
		}
		if (!a.check && nap)
			apply_values(&root, req, nap, &ap);
		for (size_t i = 0; i < nap; i++) {
			json_object *o = json_object_new_object();
			json_object_object_add(o, "sysctl", json_object_new_string(req[i].sysctl));
			json_object_object_add(o, "value", json_object_new_string(req[i].value));
			json_object_object_add(o, "result", json_object_new_string(
								    ap ? apply_result_name(ap[i].result) : "would-apply"));
			json_object_array_add(applied, o);
			if (ap && ap[i].result != APPLY_APPLIED) {
				char *m = xasprintf("%s: %s (%s)", req[i].sysctl, apply_result_name(ap[i].result),
						    ap[i].err ? strerror(ap[i].err) : "read back differs");
				warn(&r, m);
				free(m);
			}
			free(vals[i]);
		}
		free(vals);
		free(req);
	}
	json_object_object_add(r.o, "applied", applied);
	shadow_warnings(&r, &root, plan, sel, a.dest);
	diags_to_warnings(&r, &d);
	char *msg;
	if (same)
		msg = xasprintf("%s is up to date (%zu setting(s))%s", a.dest, nsel,
				r.changed ? (a.check ? "; live values would be applied" : "; live values applied") : "");
	else
		msg = xasprintf("%s %s (%zu setting(s))", a.dest, a.check ? "would change" : "written", nsel);
	emit(&r, msg);
	free(msg);
	code = 0;
out:
	apply_entries_free(ap, nap);
	buf_free(&frag);
	free(old);
	free(path);
	free(sel);
	fragment_templates_free(&tm);
	plan_free(plan);
	profile_free(prof);
	ruleset_free(rs);
	root_close(&root);
	if (have_host)
		host_free(&h);
	diag_list_clear(&d);
	free(d.v);
	free(a.rules);
	for (size_t i = 0; i < a.nlabels; i++)
		free(a.labels[i]);
	free(a.labels);
	json_object_put(doc);
	return code;
}
