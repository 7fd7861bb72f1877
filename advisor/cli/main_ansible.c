/* reclaim_advisor: the Ansible binary module, built from the same library
 * as the CLI (`make ansible` installs it as
 * contrib/ansible/library/reclaim_advisor).
 *
 * Contract (Ansible binary modules): argv[1] is the path of a JSON file of
 * arguments; the module prints exactly one JSON object on stdout and exits.
 * Arguments:
 *   state         recommend (default: render the fragment and write it to
 *                 dest) | audit (report only, never changes anything) |
 *                 absent (remove our fragment, write back the live values
 *                 the report says an apply replaced, remove the report)
 *   report        the JSON report as the host sees it (written under root
 *                 whenever the fragment is written or values applied); it
 *                 keeps the value each key had before the first apply
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
 * Failures put the tool's own message in msg (what `recommend` would print
 * on stderr), since Ansible shows msg and not a module's stderr.
 * Result: changed, failed, msg, diff {before, after, before_header,
 * after_header}, warnings, and the summary: recommendations [{sysctl,
 * current, recommended, changed, selected, rule, severity, reason}],
 * findings, fragment (dest), written, applied; with state=audit also
 * status, exit_code and audit (the `audit --format json` document); with
 * state=absent removed and restored [{sysctl, value, result}].
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
#include "../render/report.h"
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
	const char *state, *profile, *rules_dir, *template_dir, *root, *dest, *host_id, *report;
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
		else if (!strcmp(key, "report"))
			a->report = jstring(val);
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
					 "template_dir, root, dest, report, apply, force, host_id, labels, page_size)",
					 key);
			return -1;
		}
	}
	if (!a->state || (strcmp(a->state, "recommend") && strcmp(a->state, "audit") && strcmp(a->state, "absent"))) {
		*err = xstrdup("state must be recommend, audit or absent");
		return -1;
	}
	if (!a->root || !a->dest || a->dest[0] != '/' || (a->report && a->report[0] != '/')) {
		*err = xstrdup("root, dest and report must be strings; dest and report are absolute paths as the "
			       "host sees them");
		return -1;
	}
	return 0;
}

static json_object *value_json(const struct value *v)
{
	char *s = value_sysctl_text(v);
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
		json_object_object_add(o, "severity", json_object_new_string(severity_name(d->severity)));
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
		json_object_object_add(o, "severity", json_object_new_string(severity_name(p->f[i].severity)));
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

/* Write the live values that differ from the advice; "changed" when any.
 * The entries (NULL in check mode) go to *ap / *nap for the report. */
static json_object *apply_live(struct result *r, const struct margs *a, const struct advice *adv,
			       struct apply_entry **out, size_t *nout)
{
	const struct plan *plan = adv->plan;
	json_object *applied = json_object_new_array();
	struct apply_req *req = xcalloc(plan->nd + 1, sizeof(*req));
	char **vals = xcalloc(plan->nd + 1, sizeof(*vals));
	struct apply_entry *ap = NULL;
	size_t n = 0;
	for (size_t i = 0; i < plan->nd; i++) {
		if (!adv->live[i] || !plan->d[i].changed)
			continue;
		vals[n] = value_sysctl_text(&plan->d[i].recommended);
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
	*out = ap;
	*nout = ap ? n : 0;
	root_close(&root);
	free(vals);
	free(req);
	return applied;
}

/* host_load is CLI code and reports on stderr; Ansible shows msg, not a
 * module's stderr, so the module catches what it printed for msg. */
struct stderr_catch {
	FILE *tmp;
	int saved;
};

static void stderr_catch_begin(struct stderr_catch *c)
{
	fflush(stderr);
	c->saved = -1;
	c->tmp = tmpfile();
	if (c->tmp && (c->saved = dup(STDERR_FILENO)) >= 0)
		dup2(fileno(c->tmp), STDERR_FILENO);
}

/* Ends the catch; returns the text, lines joined with "; " and the
 * "reclaim-advisor: " prefix dropped (caller frees), or NULL when empty. */
static char *stderr_catch_end(struct stderr_catch *c)
{
	fflush(stderr);
	if (c->saved >= 0) {
		dup2(c->saved, STDERR_FILENO);
		close(c->saved);
	}
	if (!c->tmp)
		return NULL;
	struct buf b = {0};
	char line[1024];
	rewind(c->tmp);
	while (fgets(line, sizeof(line), c->tmp)) {
		line[strcspn(line, "\n")] = '\0';
		const char *t = strncmp(line, "reclaim-advisor: ", 17) ? line : line + 17;
		if (*t)
			buf_printf(&b, "%s%s", b.len ? "; " : "", t);
	}
	fclose(c->tmp);
	if (!b.len) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* The error diagnostics, "origin:line: message; ..." (caller frees). */
static char *diag_errors(const struct diag_list *d)
{
	struct buf b = {0};
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].sev != DIAG_ERROR)
			continue;
		const char *o = d->v[i].origin ? d->v[i].origin : "";
		if (d->v[i].line)
			buf_printf(&b, "%s%s:%u: %s", b.len ? "; " : "", o, d->v[i].line, d->v[i].msg);
		else
			buf_printf(&b, "%s%s: %s", b.len ? "; " : "", o, d->v[i].msg);
	}
	return b.len ? buf_steal(&b) : xstrdup("no error reported");
}

/* The report's "apply" entries that were applied, or NULL (a new reference). */
static json_object *report_applied(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	if (file_read(path, 1u << 24, &text, &len))
		return NULL;
	json_object *doc = json_tokener_parse(text);
	free(text);
	json_object *arr = NULL;
	if (!doc || !json_object_object_get_ex(doc, "apply", &arr) || !json_object_is_type(arr, json_type_array)) {
		json_object_put(doc);
		return NULL;
	}
	json_object *out = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i), *v;
		if (json_object_object_get_ex(e, "result", &v) && jstring(v) && !strcmp(jstring(v), "applied") &&
		    json_object_object_get_ex(e, "sysctl", &v) && jstring(v))
			json_object_array_add(out, json_object_get(e));
	}
	json_object_put(doc);
	return out;
}

/* What the first apply replaced stays the restore point: a key an earlier
 * run applied keeps that run's "previous", and keys applied only earlier
 * stay listed, so state=absent brings back the host as it was before the
 * advisor touched it, not as it was one run ago. */
static void keep_first_previous(const char *report_path, struct apply_entry **ap, size_t *n)
{
	json_object *old = report_applied(report_path);
	if (!old)
		return;
	for (size_t i = 0; i < json_object_array_length(old); i++) {
		json_object *e = json_object_array_get_idx(old, i), *v;
		json_object_object_get_ex(e, "sysctl", &v);
		const char *key = jstring(v);
		const char *prev = json_object_object_get_ex(e, "previous", &v) ? jstring(v) : NULL;
		const char *written = json_object_object_get_ex(e, "written", &v) ? jstring(v) : NULL;
		size_t j = 0;
		while (j < *n && strcmp((*ap)[j].sysctl, key))
			j++;
		if (j == *n) {
			*ap = xreallocarray(*ap, *n + 1, sizeof(**ap));
			(*ap)[j] = (struct apply_entry){.sysctl = xstrdup(key), .written = xstrdup(written ? written : ""),
							.readback = written ? xstrdup(written) : NULL,
							.result = APPLY_APPLIED};
			(*n)++;
		} else {
			free((*ap)[j].previous);
		}
		(*ap)[j].previous = prev ? xstrdup(prev) : NULL;
	}
	json_object_put(old);
}

/* state=absent: remove our fragment, write back what the report says an
 * apply replaced, remove the report.  Never touches a foreign fragment
 * unless force. */
static int run_absent(struct result *r, const struct margs *a)
{
	const char *pre = strcmp(a->root, "/") ? a->root : "";
	char *frag = xasprintf("%s%s", pre, a->dest);
	char *rep = a->report ? xasprintf("%s%s", pre, a->report) : NULL;
	char *text = NULL;
	size_t len = 0;
	int rc = file_read(frag, 1u << 24, &text, &len);
	bool exists = !rc;
	int code = 1;
	if (rc && rc != -ENOENT) {
		code = fail_with(r, "cannot read %s: %s", frag, strerror(-rc));
		goto out;
	}
	if (exists && !strstr(text, FRAGMENT_MARKER) && !a->force) {
		code = fail_with(r, "%s was not written by reclaim-advisor (no \"%s\" header); not removing it "
				    "(force: true to remove it)", frag, FRAGMENT_MARKER);
		goto out;
	}
	json_object *applied = rep ? report_applied(rep) : NULL;
	size_t n = applied ? json_object_array_length(applied) : 0;
	struct apply_req *req = xcalloc(n + 1, sizeof(*req));
	size_t nreq = 0;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(applied, i), *k, *v;
		json_object_object_get_ex(e, "sysctl", &k);
		if (json_object_object_get_ex(e, "previous", &v) && jstring(v))
			req[nreq++] = (struct apply_req){jstring(k), jstring(v)};
	}
	struct apply_entry *ap = NULL;
	struct root root = {.dirfd = -1};
	if (!a->check && nreq && (rc = root_open(&root, a->root)) == 0)
		apply_values(&root, req, nreq, &ap);
	json_object *restored = json_object_new_array();
	for (size_t i = 0; i < nreq; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "sysctl", json_object_new_string(req[i].sysctl));
		json_object_object_add(o, "value", json_object_new_string(req[i].value));
		json_object_object_add(o, "result",
				       json_object_new_string(ap ? apply_result_name(ap[i].result) : "would-restore"));
		json_object_array_add(restored, o);
		if (ap && ap[i].result != APPLY_APPLIED) {
			char *m = xasprintf("%s: could not restore %s: %s", req[i].sysctl, req[i].value,
					    apply_result_name(ap[i].result));
			warn(r, m);
			free(m);
		}
	}
	apply_entries_free(ap, ap ? nreq : 0);
	root_close(&root);
	free(req);
	json_object_put(applied);
	bool rep_exists = rep && access(rep, F_OK) == 0;
	r->changed = exists || nreq || rep_exists;
	if (!a->check) {
		if (exists && unlink(frag) && errno != ENOENT) {
			json_object_put(restored);
			code = fail_with(r, "cannot remove %s: %s", frag, strerror(errno));
			goto out;
		}
		if (rep_exists && unlink(rep) && errno != ENOENT)
			warn(r, "cannot remove the report");
	}
	json_object *diff = json_object_new_object();
	json_object_object_add(diff, "before_header", json_object_new_string(a->dest));
	json_object_object_add(diff, "after_header", json_object_new_string(a->dest));
	json_object_object_add(diff, "before", json_object_new_string(exists ? text : ""));
	json_object_object_add(diff, "after", json_object_new_string(""));
	json_object_object_add(r->o, "diff", diff);
	json_object_object_add(r->o, "fragment", json_object_new_string(a->dest));
	json_object_object_add(r->o, "removed", json_object_new_boolean(exists && !a->check));
	json_object_object_add(r->o, "restored", restored);
	char *msg = !r->changed ? xasprintf("%s is absent; nothing to restore", a->dest)
				: xasprintf("%s %s; %zu live value(s) %s", a->dest,
					    exists ? (a->check ? "would be removed" : "removed") : "was absent", nreq,
					    a->check ? "would be restored" : "restored");
	emit(r, msg);
	free(msg);
	code = 0;
out:
	free(text);
	free(frag);
	free(rep);
	return code;
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
	if (!strcmp(a.state, "absent")) {
		code = run_absent(&r, &a);
		goto out;
	}
	struct hostopts ho = {.root = a.root, .page_size = a.page_size};
	struct stderr_catch catch;
	stderr_catch_begin(&catch);
	int loaded = host_load(&ho, &h);
	char *said = stderr_catch_end(&catch);
	if (loaded != EXIT_OK) {
		code = fail_with(&r, "cannot collect the host under %s: %s", a.root, said ? said : "no reason given");
		free(said);
		goto out;
	}
	if (said)
		warn(&r, said);
	free(said);
	bool audit = !strcmp(a.state, "audit");
	struct advise_request req = {.host = &h, .root = a.root, .profile = a.profile, .rules_dir = a.rules_dir,
				     .rules = a.rules, .nrules = a.nrules, .template_dir = a.template_dir,
				     .need_fragment = !audit, .fragment_path = a.dest, .host_id = a.host_id,
				     .version = ADVISOR_VERSION};
	if ((rc = advise_run(&req, &adv, &d))) {
		diags_to_warnings(&r, &d);
		char *errs = diag_errors(&d);
		code = fail_with(&r, "%s: %s",
				 rc == -EINVAL ? "the rule set, profile or templates do not load"
					       : "the advice could not be computed",
				 errs);
		free(errs);
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
	struct apply_entry *ap = NULL;
	size_t nap = 0;
	if (a.apply) {
		bool file_changed = r.changed;
		r.changed = false;
		json_object_object_add(r.o, "applied", apply_live(&r, &a, adv, &ap, &nap));
		live_changed = r.changed;
		r.changed = r.changed || file_changed;
	} else {
		json_object_object_add(r.o, "applied", json_object_new_array());
	}
	if (a.report && r.changed && !a.check) {
		char *rp = xasprintf("%s%s", strcmp(a.root, "/") ? a.root : "", a.report);
		keep_first_previous(rp, &ap, &nap);
		adv->in.apply = ap;
		adv->in.napply = nap;
		json_object *rdoc = report_build(&adv->in);
		struct buf b = {0};
		report_to_text(rdoc, &b);
		json_object_put(rdoc);
		rc = fileio_write_atomic(rp, buf_str(&b), b.len, 0644);
		buf_free(&b);
		if (rc) {
			apply_entries_free(ap, nap);
			code = fail_with(&r, "cannot write the report %s: %s", rp, strerror(-rc));
			free(rp);
			goto out;
		}
		free(rp);
	}
	apply_entries_free(ap, nap);
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
