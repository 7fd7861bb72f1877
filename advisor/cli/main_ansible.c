/* reclaim_advisor: the Ansible binary module, built from the same library
 * as the CLI (`make ansible` installs it as
 * contrib/ansible/library/reclaim_advisor; arguments and result are
 * documented in its sidecar, contrib/ansible/library/reclaim_advisor.yml).
 *
 * Contract (Ansible binary modules): argv[1] is the path of a JSON file of
 * arguments; the module prints exactly one JSON object on stdout and exits.
 * state: recommend (write the fragment to dest, apply: true also sets the
 * live values) | audit (report only, never changes anything) | absent.
 * Failures put the tool's own message in msg (what `recommend` would print
 * on stderr), since Ansible shows msg and not a module's stderr.
 *
 * An adapter over advise_run (advise.h), like `recommend`: the module
 * writes byte-for-byte what `recommend -o` writes, calls a file up to date
 * exactly when `recommend --check` does, and warns about the same boot
 * precedence (precedence_at_boot): a second run finds nothing to change.
 * The arguments, the states and the live values are the module's own (ansible/); the
 * result object is rendered by render/ansible_result.h. */
#include "version.h"

#include "../advise/advise.h"
#include "../ansible/ansible.h"
#include "../base/fileio.h"
#include "../collect/load.h"
#include "../base/xalloc.h"
#include "../render/ansible_result.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Print the result with msg; 0. */
static int emit(struct ansible_result *r, const char *msg)
{
	struct buf b = {0};
	ansible_result_finish(r, msg, &b);
	puts(buf_str(&b));
	fflush(stdout);
	buf_free(&b);
	return 0;
}

static int fail_with(struct ansible_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail_with(struct ansible_result *r, const char *fmt, ...)
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

/* The failure a library call left as its last error. */
static int fail_diag(struct ansible_result *r, const struct diag_list *d)
{
	return fail_with(r, "%s", d->n ? d->v[d->n - 1].msg : "no error reported");
}

/* host_load's errors and warnings as the CLI prints them, lines joined
 * with "; "; NULL when it said nothing.  Returns host_load's result. */
static int collect(const struct ansible_args *a, struct host *h, char **said)
{
	struct host_source src = {.root = a->root, .page_size = a->page_size};
	struct diag_list d = {0};
	int rc = host_load(&src, h, &d);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	for (size_t i = 0; f && !rc && i < h->diags.n; i++)
		if (h->diags.v[i].sev != DIAG_NOTE)
			diag_print(f, &h->diags.v[i]);
	for (size_t i = 0; f && i < d.n; i++)
		if (d.v[i].sev != DIAG_NOTE)
			diag_print(f, &d.v[i]);
	if (f)
		fclose(f);
	diag_list_clear(&d);
	struct buf b = {0};
	for (char *line = text, *next; line && *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (*line)
			buf_printf(&b, "%s%s", b.len ? "; " : "", line);
	}
	free(text);
	*said = b.len ? buf_steal(&b) : NULL;
	buf_free(&b);
	return rc;
}

int main(int argc, char **argv)
{
	struct ansible_result r;
	ansible_result_init(&r);
	if (argc != 2)
		return fail_with(&r, "usage: reclaim_advisor ARGS_FILE (an Ansible binary module, version %s)",
				 ADVISOR_VERSION);
	char *argbuf = NULL, *said = NULL, *msg = NULL;
	size_t arglen = 0;
	int rc = file_read(argv[1], 1u << 20, &argbuf, &arglen);
	if (rc)
		return fail_with(&r, "cannot read the arguments file %s: %s", argv[1], strerror(-rc));
	json_object *doc = json_tokener_parse(argbuf);
	free(argbuf);
	if (!doc)
		return fail_with(&r, "the arguments file %s is not JSON", argv[1]);
	struct ansible_args a;
	int code = 1;
	struct host h = {0};
	struct diag_list d = {0};
	struct advice *adv = NULL;
	if (ansible_args_parse(doc, &a, &d)) {
		code = fail_diag(&r, &d);
		goto out;
	}
	if (!strcmp(a.state, "absent")) {
		code = ansible_absent(&a, &r, &msg, &d) ? fail_diag(&r, &d) : emit(&r, msg);
		goto out;
	}
	if (collect(&a, &h, &said)) {
		code = fail_with(&r, "cannot collect the host under %s: %s", a.root, said ? said : "no reason given");
		goto out;
	}
	if (said)
		ansible_result_warn(&r, "%s", said);
	bool audit_only = !strcmp(a.state, "audit");
	struct advise_request req = {.host = &h, .root = a.root, .profile = a.profile, .rules_dir = a.rules_dir,
				     .rules = a.rules, .nrules = a.nrules, .template_dir = a.template_dir,
				     .need_fragment = !audit_only, .fragment_path = a.dest, .host_id = a.host_id,
				     .version = ADVISOR_VERSION, .overrides = &a.overrides};
	if ((rc = advise_run(&req, &adv, &d))) {
		ansible_result_warn_diags(&r, &d);
		char *errs = ansible_diag_errors(&d);
		code = fail_with(&r, "%s: %s",
				 rc == -EINVAL ? "the rule set, profile or templates do not load"
					       : "the advice could not be computed",
				 errs);
		free(errs);
		goto out;
	}
	ansible_result_advice(&r, adv, a.dest);
	rc = audit_only ? ansible_audit(&a, adv, &r, &msg, &d) : ansible_recommend(&a, adv, &r, &msg, &d);
	code = rc ? fail_diag(&r, &d) : emit(&r, msg);
out:
	free(msg);
	free(said);
	advice_free(adv);
	host_free(&h);
	diag_list_clear(&d);
	ansible_args_free(&a);
	json_object_put(doc);
	return code;
}
