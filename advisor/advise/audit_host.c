/* audit_host: a collected host audited against its advice, the sequence
 * `audit` runs after collecting (contract in advise.h). */
#include "advise.h"

#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../collect/hostid.h"

#include <errno.h>
#include <stdlib.h>

int advise_audit_host(const struct audit_host_request *r, struct audit **out, char **msg, struct diag_list *d)
{
	const struct advise_request *req = &r->advise;
	struct advice *adv = NULL;
	struct strkvlist frag = {0};
	char *fragbuf = NULL;
	size_t len = 0;
	const char *why = NULL;
	/* the host's name is known now (hostid.h step 3) */
	char *host_id = host_id_derive(req->host_id, req->root, facts_get_str(req->host->facts, F_KERNEL_HOSTNAME),
				       r->origin);
	int rc = advise_run(req, &adv, d);
	*msg = NULL;
	*out = NULL;
	if (rc) {
		/* advise_run: -EINVAL for rules, profile or templates; else our
		 * deployed fragment could not be read (a link out of the tree, a
		 * FIFO, an I/O error) */
		why = rc == -EINVAL ? "the rule set or profile does not load (see stderr)"
				    : "our deployed fragment cannot be read (see stderr)";
	} else if (r->fragment && (rc = audit_read_fragment(r->fragment, r->tree, r->snapshot, &fragbuf, &len))) {
		/* an absolute path is the host's, read under --root: say so, or
		 * "No such file" about a file that is there would puzzle */
		bool under = r->fragment[0] == '/' && r->tree && !r->snapshot;
		*msg = xasprintf("--fragment %s%s%s%s: %s", r->fragment, under ? " (under the root " : "",
				 under ? r->tree : "", under ? ")" : "", fileio_strerror(rc));
		why = "the fragment cannot be read";
	} else if (r->fragment && (rc = sysctl_dump_parse(fragbuf, len, r->fragment, true, &frag, d))) {
		why = "the fragment does not parse (see stderr)";
	} else if ((rc = advice_audit(adv, r->fragment ? &frag : NULL,
				      r->fragment && r->fragment[0] == '/' ? r->fragment : NULL, r->labels, r->nlabels,
				      out))) {
		why = "internal error building the audit";
	} else {
		audit_add_diags(*out, &req->host->diags);
		audit_add_diags(*out, d);
	}
	if (why)
		*out = audit_unknown_host(req->host, host_id, why);
	strkvlist_free(&frag);
	free(fragbuf);
	advice_free(adv);
	free(host_id);
	return rc;
}
