/* ansible_result: the one JSON object the Ansible module prints.
 *
 * Keys keep insertion order (json-c), so the module's result reads as the
 * module builds it: what the advice says (recommendations, findings,
 * fragment, profile, ruleset_digest), then diff, written, applied (or the
 * audit, or removed/restored), and last changed, failed, msg, warnings
 * (ansible_result_finish).  Field meanings: contrib/ansible/library's
 * documentation sidecar and cli/main_ansible.c.
 *
 * Pure: nothing here prints; ansible_result_finish serialises into a
 * buffer the caller writes.  Ownership: the result owns its JSON until
 * ansible_result_finish releases it.
 */
#ifndef ADVISOR_ANSIBLE_RESULT_H
#define ADVISOR_ANSIBLE_RESULT_H

#include "../base/buf.h"
#include "../base/diag.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

struct advice;
struct apply_req;
struct apply_entry;
struct audit;

struct ansible_result {
	json_object *o;
	json_object *warnings;
	bool changed, failed;
};

void ansible_result_init(struct ansible_result *r);

/* Add a warning (Ansible shows them after the task). */
void ansible_result_warn(struct ansible_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The errors and warnings of d as warnings, "origin:line: message". */
void ansible_result_warn_diags(struct ansible_result *r, const struct diag_list *d);

/* The error diagnostics of d, "origin:line: message; ..." (caller frees;
 * "no error reported" when there is none). */
char *ansible_diag_errors(const struct diag_list *d);

/* recommendations [{sysctl, current, recommended, changed, selected, rule,
 * severity, reason}], findings [{rule, severity, reason}], fragment (dest),
 * profile, ruleset_digest. */
void ansible_result_advice(struct ansible_result *r, const struct advice *adv, const char *dest);

/* diff {before_header, after_header, before, after}; both headers are dest. */
void ansible_result_diff(struct ansible_result *r, const char *dest, const char *before, const char *after);

/* status, exit_code and audit (the `audit --format json` document). */
void ansible_result_audit(struct ansible_result *r, const struct audit *au);

/* [{sysctl, value, result}] for n requests: the outcome of ap[i] when ap is
 * non-NULL, else `planned` ("would-apply", "would-restore"). */
json_object *ansible_result_entries(const struct apply_req *req, size_t n, const struct apply_entry *ap,
				    const char *planned);

/* Close the object with changed, failed, msg and warnings, serialise it
 * into out (one line, no trailing newline) and release it. */
void ansible_result_finish(struct ansible_result *r, const char *msg, struct buf *out);

#endif
