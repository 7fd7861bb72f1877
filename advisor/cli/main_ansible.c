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
 * An adapter over advise_run (advise.h), like `recommend`: the module
 * writes byte-for-byte what `recommend -o` writes, calls a file up to date
 * exactly when `recommend --check` does, and warns about the same boot
 * precedence (precedence_at_boot): a second run finds nothing to change. */
#include "cliutil.h"
#include "exitcodes.h"
#include "hostopts.h"
#include "version.h"

#include "../advise/advise.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../sysctld/apply.h"

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

static int run_audit(struct result *r, const struct margs *a, const struct advice *adv)
{
	struct audit *au = NULL;
	if (advice_audit(adv, NULL, NULL, (const char *const *)a->labels, a->nlabels, &au))
		return fail_with(r, "internal error building the audit");
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
	return 0;
}

/* Write the live values that differ from the advice; "changed" when any. */
static json_object *apply_live(struct result *r, const struct margs *a, const struct advice *adv)
{
	const struct plan *plan = adv->plan;
	json_object *applied = json_object_new_array();
	struct apply_req *req = xcalloc(plan->nd + 1, sizeof(*req));
	char **vals = xcalloc(plan->nd + 1, sizeof(*vals));
	struct apply_entry *ap = NULL;
	size_t n = 0;
	for (size_t i = 0; i < plan->nd; i++) {
		if (!adv->selected[i] || !plan->d[i].changed)
			continue;
		vals[n] = rec_value_text(&plan->d[i].recommended);
		req[n] = (struct apply_req){plan->d[i].sysctl, vals[n]};
		n++;
	}
	r->changed = r->changed || n;
	struct root root = {.dirfd = -1};
	if (!a->check && n && !root_open(&root, a->root))
		apply_values(&root, req, n, &ap);
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "sysctl", json_object_new_string(req[i].sysctl));
		json_object_object_add(o, "value", json_object_new_string(req[i].value));
		json_object_object_add(o, "result",
				       json_object_new_string(ap ? apply_result_name(ap[i].result) : "would-apply"));
		json_object_array_add(applied, o);
		if (ap && ap[i].result != APPLY_APPLIED) {
			char *m = xasprintf("%s: %s (%s)", req[i].sysctl, apply_result_name(ap[i].result),
					    ap[i].err ? strerror(ap[i].err) : "read back differs");
			warn(r, m);
			free(m);
		}
		free(vals[i]);
	}
	apply_entries_free(ap, ap ? n : 0);
	root_close(&root);
	free(vals);
	free(req);
	return applied;
}

static void free_args(struct margs *a)
{
	free(a->rules);
	for (size_t i = 0; i < a->nlabels; i++)
		free(a->labels[i]);
	free(a->labels);
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
	int code = 1;
	struct host h = {0};
	struct diag_list d = {0};
	struct advice *adv = NULL;
	char *path = NULL;
	if (parse_args(doc, &a, &err)) {
		code = fail_with(&r, "%s", err);
		free(err);
		goto out;
	}
	struct hostopts ho = {.root = a.root, .page_size = a.page_size};
	if (host_load(&ho, &h) != EXIT_OK) {
		code = fail_with(&r, "cannot collect the host under %s (see stderr)", a.root);
		goto out;
	}
	bool audit = !strcmp(a.state, "audit");
	struct advise_request req = {.host = &h, .root = a.root, .profile = a.profile, .rules_dir = a.rules_dir,
				     .rules = a.rules, .nrules = a.nrules, .template_dir = a.template_dir,
				     .need_fragment = !audit, .fragment_path = a.dest, .host_id = a.host_id,
				     .version = ADVISOR_VERSION};
	if ((rc = advise_run(&req, &adv, &d))) {
		diags_to_warnings(&r, &d);
		code = fail_with(&r, "%s (%zu error(s); see warnings)",
				 rc == -EINVAL ? "the rule set, profile or templates do not load"
					       : "the advice could not be computed",
				 diag_count(&d, DIAG_ERROR));
		goto out;
	}
	json_object_object_add(r.o, "recommendations", summary_json(adv->plan, adv->selected));
	json_object_object_add(r.o, "findings", findings_json(adv->plan));
	json_object_object_add(r.o, "fragment", json_object_new_string(a.dest));
	json_object_object_add(r.o, "profile", json_object_new_string(adv->plan->profile ? adv->plan->profile : ""));
	json_object_object_add(r.o, "ruleset_digest", json_object_new_string(adv->plan->ruleset_digest ? adv->plan->ruleset_digest : ""));
	if (audit) {
		code = run_audit(&r, &a, adv);
		goto out;
	}
	const struct advise_deployed *dep = &adv->deployed;
	path = xasprintf("%s%s", strcmp(a.root, "/") ? a.root : "", a.dest);
	if (dep->exists && !adv->up_to_date && !a.force && !dep->ours) {
		code = fail_with(&r, "%s exists and was not written by reclaim-advisor (no \"%s\" header); "
				     "not overwriting it (force: true to replace it)",
				 path, FRAGMENT_MARKER);
		goto out;
	}
	json_object *diff = json_object_new_object();
	json_object_object_add(diff, "before_header", json_object_new_string(a.dest));
	json_object_object_add(diff, "after_header", json_object_new_string(a.dest));
	json_object_object_add(diff, "before", json_object_new_string(dep->exists ? dep->text : ""));
	json_object_object_add(diff, "after", json_object_new_string(adv->up_to_date ? dep->text : buf_str(&adv->fragment)));
	json_object_object_add(r.o, "diff", diff);
	r.changed = !adv->up_to_date;
	if (r.changed && !a.check && (rc = fileio_write_atomic(path, buf_str(&adv->fragment), adv->fragment.len, 0644))) {
		code = fail_with(&r, "cannot write %s: %s (the old file, if any, is unchanged)", path, strerror(-rc));
		goto out;
	}
	json_object_object_add(r.o, "written", json_object_new_boolean(r.changed && !a.check));
	bool live_changed = false;
	if (a.apply) {
		bool file_changed = r.changed;
		r.changed = false;
		json_object_object_add(r.o, "applied", apply_live(&r, &a, adv));
		live_changed = r.changed;
		r.changed = r.changed || file_changed;
	} else {
		json_object_object_add(r.o, "applied", json_object_new_array());
	}
	diags_to_warnings(&r, &d);
	char *msg = adv->up_to_date
			    ? xasprintf("%s is up to date (%zu setting(s))%s", a.dest, adv->nselected,
					live_changed ? (a.check ? "; live values would be applied" : "; live values applied") : "")
			    : xasprintf("%s %s (%zu setting(s))", a.dest, a.check ? "would change" : "written", adv->nselected);
	emit(&r, msg);
	free(msg);
	code = 0;
out:
	free(path);
	advice_free(adv);
	host_free(&h);
	diag_list_clear(&d);
	free_args(&a);
	json_object_put(doc);
	return code;
}
