/* advice_apply: the advice as requests for apply_values (sysctld/apply.h),
 * one list for `recommend --apply` and the Ansible module's apply: true.
 * Contract in advise.h. */
#include "advise.h"

#include "../base/xalloc.h"
#include "../sysctld/apply.h"

#include <stdlib.h>

size_t advice_apply_reqs(const struct advice *a, bool only_changed, struct apply_req **out)
{
	const struct plan *plan = a->plan;
	struct apply_req *req = xcalloc(plan->nd + 1, sizeof(*req));
	size_t n = 0;
	for (size_t i = 0; i < plan->nd; i++) {
		if (!a->live[i] || (only_changed && !plan->d[i].changed))
			continue;
		req[n++] = (struct apply_req){plan->d[i].sysctl, value_sysctl_text(&plan->d[i].recommended)};
	}
	*out = req;
	return n;
}

int advice_apply(const struct advice *a, const char *rootdir, struct apply_entry **out, size_t *n)
{
	struct apply_req *req = NULL;
	size_t nreq = advice_apply_reqs(a, false, &req);
	int rc = apply_under(rootdir, req, nreq, out);
	if (!rc)
		*n = nreq;
	advice_apply_reqs_free(req, nreq);
	return rc;
}

void advice_apply_reqs_free(struct apply_req *req, size_t n)
{
	for (size_t i = 0; req && i < n; i++)
		free((char *)req[i].value);
	free(req);
}
