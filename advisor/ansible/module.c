/* ansible: the module from its arguments file to its result object
 * (contract in ansible.h, ansible_module_run).  cli/main_ansible.c prints
 * what this returns and exits with its code. */
#include "ansible.h"

#include "../advise/advise.h"
#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../collect/load.h"
#include "../model/wmark_facts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The result with msg into out; 0. */
static int finish(struct ansible_result *r, const char *msg, struct buf *out)
{
	ansible_result_finish(r, msg, out);
	return 0;
}

static int fail_with(struct ansible_result *r, struct buf *out, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_with(struct ansible_result *r, struct buf *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	r->failed = true;
	r->changed = false;
	finish(r, msg, out);
	free(msg);
	return 1;
}

/* The failure a library call left as its last error. */
static int fail_diag(struct ansible_result *r, const struct diag_list *d, struct buf *out)
{
	return fail_with(r, out, "%s", d->n ? d->v[d->n - 1].msg : "no error reported");
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
	if (f && !rc)
		diag_print_from(f, &h->diags, 0, DIAG_WARNING, NULL);
	if (f) {
		diag_print_from(f, &d, 0, DIAG_WARNING, NULL);
		fclose(f);
	}
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

int ansible_module_run(int argc, char **argv, const char *version, struct buf *out)
{
	struct ansible_result r;
	ansible_result_init(&r);
	if (argc != 2)
		return fail_with(&r, out, "usage: reclaim_advisor ARGS_FILE (an Ansible binary module, version %s)",
				 version);
	char *argbuf = NULL, *said = NULL, *msg = NULL;
	size_t arglen = 0;
	int rc = file_read(argv[1], 1u << 20, &argbuf, &arglen);
	if (rc)
		return fail_with(&r, out, "cannot read the arguments file %s: %s", argv[1], strerror(-rc));
	json_object *doc = json_tokener_parse(argbuf);
	free(argbuf);
	if (!doc)
		return fail_with(&r, out, "the arguments file %s is not JSON", argv[1]);
	struct ansible_args a;
	int code = 1;
	struct host h = {0};
	struct diag_list d = {0};
	struct advice *adv = NULL;
	if (ansible_args_parse(doc, &a, &d)) {
		code = fail_diag(&r, &d, out);
		goto out;
	}
	if (!strcmp(a.state, "absent")) {
		/* The host bounds the values a report may restore: collected
		 * with the model's facts (the kernel's min_free_kbytes, the
		 * cap); a host that cannot be read fails only a restore. */
		bool have = !collect(&a, &h, &said);
		if (have)
			wmark_add_facts(&h, NULL, NULL);
		code = ansible_absent(&a, have ? &h : NULL, said ? said : "no reason given", &r, &msg, &d)
			       ? fail_diag(&r, &d, out)
			       : finish(&r, msg, out);
		goto out;
	}
	if (collect(&a, &h, &said)) {
		code = fail_with(&r, out, "cannot collect the host under %s: %s", a.root,
				 said ? said : "no reason given");
		goto out;
	}
	if (said)
		ansible_result_warn(&r, "%s", said);
	bool audit_only = !strcmp(a.state, "audit");
	struct advise_request req = {.host = &h, .root = a.root, .profile = a.profile, .rules_dir = a.rules_dir,
				     .rules = a.rules, .nrules = a.nrules, .template_dir = a.template_dir,
				     .need_fragment = !audit_only, .fragment_path = a.dest, .host_id = a.host_id,
				     .version = version, .overrides = &a.overrides};
	if ((rc = advise_run(&req, &adv, &d))) {
		ansible_result_warn_diags(&r, &d);
		char *errs = ansible_diag_errors(&d);
		code = fail_with(&r, out, "%s: %s",
				 rc == -EINVAL ? "the rule set, profile or templates do not load"
					       : "the advice could not be computed",
				 errs);
		free(errs);
		goto out;
	}
	ansible_result_advice(&r, adv, a.dest);
	rc = audit_only ? ansible_audit(&a, adv, &r, &msg, &d) : ansible_recommend(&a, adv, &r, &msg, &d);
	code = rc ? fail_diag(&r, &d, out) : finish(&r, msg, out);
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
