/* ansible: state=recommend and state=audit on an advice (contract in
 * ansible.h).  The fragment and the report are written by the writers
 * `recommend -o` and `--report` use (advise_file_put, advise_output_write),
 * so the module and the CLI refuse and fail alike. */
#include "ansible.h"
#include "../advise/advise.h"
#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../sysctld/apply.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int ansible_recommend(const struct ansible_args *a, struct advice *adv, struct ansible_result *r, char **msg,
		      struct diag_list *d)
{
	const struct advise_deployed *dep = &adv->deployed;
	char *path = NULL, *rp = NULL;
	struct apply_entry *ap = NULL;
	size_t nap = 0;
	int rc = ansible_host_file(a, a->dest, &path, d);
	if (!rc && a->report)
		rc = ansible_host_file(a, a->report, &rp, d);
	if (rc)
		goto out;
	/* The guard of recommend -o and --report: a file that is not ours is
	 * refused before anything is written or applied, unless force.  Check
	 * mode writes no report (its directory may not exist yet). */
	const char *hint = "force: true to replace it";
	/* path and rp are reached through the root already (ansible_host_file):
	 * the writers get no root of their own. */
	if ((rp && !a->check && (rc = advise_output_ready(NULL, rp, a->force, hint, d))) ||
	    (rc = advise_file_check(path, dep, adv->up_to_date, a->force, hint, d)))
		goto out;
	ansible_result_diff(r, a->dest, dep->exists ? dep->text : "",
			    adv->up_to_date ? dep->text : buf_str(&adv->fragment));
	bool file_changed = !adv->up_to_date, live_changed = false;
	if (!a->check && (rc = advise_file_put(NULL, path, &adv->fragment, dep, adv->up_to_date, a->force, hint, d)))
		goto out;
	json_object_object_add(r->o, "written", json_object_new_boolean(file_changed && !a->check));
	if (a->apply) {
		ansible_apply(a, adv, r, &ap, &nap);
		live_changed = r->changed;
	} else {
		json_object_object_add(r->o, "applied", json_object_new_array());
	}
	r->changed = file_changed || live_changed;
	if (rp && r->changed && !a->check) {
		ansible_keep_first_previous(rp, &ap, &nap);
		adv->in.apply = ap;
		adv->in.napply = nap;
		struct buf b = {0};
		advice_report_text(adv, &b);
		rc = advise_output_write(NULL, rp, buf_str(&b), b.len, a->force, hint, d);
		buf_free(&b);
		if (rc)
			goto out;
	}
	ansible_result_warn_diags(r, d);
	*msg = adv->up_to_date
		       ? xasprintf("%s is up to date (%zu setting(s))%s", a->dest, adv->nselected,
				   live_changed ? (a->check ? "; live values would be applied" : "; live values applied") : "")
		       : xasprintf("%s %s (%zu setting(s))", a->dest, a->check ? "would change" : "written", adv->nselected);
out:
	apply_entries_free(ap, nap);
	free(path);
	free(rp);
	return rc;
}

int ansible_audit(const struct ansible_args *a, const struct advice *adv, struct ansible_result *r, char **msg,
		  struct diag_list *d)
{
	struct audit *au = NULL;
	if (advice_audit(adv, NULL, NULL, (const char *const *)a->labels, a->nlabels, &au)) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "internal error building the audit");
		return -ENOMEM;
	}
	ansible_result_audit(r, au);
	*msg = xasprintf("%s: %s", audit_status_name(au->status), au->summary);
	r->changed = false;
	audit_free(au);
	return 0;
}
