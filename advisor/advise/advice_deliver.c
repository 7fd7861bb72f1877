/* advice_deliver: `recommend`'s outputs in the one order that keeps
 * --apply from changing a host without recording it.  Contract in
 * advise.h. */
#include "advise.h"

#include "../render/summary.h"
#include "../sysctld/apply.h"

#include <errno.h>
#include <string.h>

/* The apply outcome, worst first: a host that refuses every write is
 * "not permitted" whatever else happened (the usual container case). */
static enum advise_outcome apply_outcome(const struct apply_entry *e, size_t n)
{
	if (apply_any(e, n, APPLY_NOT_PERMITTED))
		return ADVISE_APPLY_NOT_PERMITTED;
	if (apply_any(e, n, APPLY_REFUSED) || apply_any(e, n, APPLY_FAILED) || apply_any(e, n, APPLY_ABSENT))
		return ADVISE_APPLY_INCOMPLETE;
	return ADVISE_DELIVERED;
}

enum advise_outcome advise_deliver(struct advice *a, const struct advise_delivery_request *r,
				   struct advise_delivery *out, struct diag_list *d)
{
	/* Every output is checked before anything is written or applied (so a
	 * refused tmpfiles fragment leaves the sysctl.d one as it was), the
	 * report last, since it records the apply. */
	int rc = r->report_file ? advise_output_ready(r->root, r->report_file, r->force, r->force_hint, d) : 0;
	if (!rc && r->fragment_file)
		rc = advise_file_check(r->fragment_file, &a->deployed, a->up_to_date, r->force, r->force_hint, d);
	if (!rc && r->tmpfiles_file)
		rc = advise_file_check(r->tmpfiles_file, &a->tmpfiles_deployed, a->tmpfiles_up_to_date, r->force,
				       r->force_hint, d);
	if (!rc && r->fragment_file)
		rc = advise_file_put(r->root, r->fragment_file, &a->fragment, &a->deployed, a->up_to_date, r->force,
				     r->force_hint, d);
	if (!rc && r->tmpfiles_file)
		rc = advise_file_put(r->root, r->tmpfiles_file, &a->tmpfiles, &a->tmpfiles_deployed, a->tmpfiles_up_to_date,
				     r->force, r->force_hint, d);
	if (rc) {
		out->err = rc;
		return ADVISE_NOT_WRITTEN;
	}
	enum advise_outcome oc = ADVISE_DELIVERED;
	if (r->apply_root && (rc = advice_apply(a, r->apply_root, &out->applied, &out->napplied))) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot open %s to apply the values: %s", r->apply_root,
			 strerror(-rc));
		oc = ADVISE_APPLY_NO_ROOT;
	} else if (r->apply_root) {
		oc = apply_outcome(out->applied, out->napplied);
		a->in.apply = out->applied;
		a->in.napply = out->napplied;
	}
	if (!r->report_file && !r->report)
		return oc;
	advice_report_text(a, &out->report);
	if (r->report_file && (rc = advise_output_write(r->root, r->report_file, buf_str(&out->report), out->report.len, r->force,
							 r->force_hint, d))) {
		out->err = rc;
		if (!apply_any(out->applied, out->napplied, APPLY_APPLIED))
			return ADVISE_NOT_WRITTEN;
		summary_restore_hint(out->applied, out->napplied, &out->restore);
		return ADVISE_APPLIED_UNRECORDED;
	}
	return oc;
}

void advise_delivery_free(struct advise_delivery *dl)
{
	apply_entries_free(dl->applied, dl->napplied);
	buf_free(&dl->report);
	buf_free(&dl->restore);
	*dl = (struct advise_delivery){0};
}
