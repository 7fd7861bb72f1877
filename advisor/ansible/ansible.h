/* ansible: the Ansible module's own logic, under its adapter
 * (cli/main_ansible.c, which reads the arguments file, prints the result
 * and exits):
 *   args.c  the module arguments (a JSON object) -> struct ansible_args,
 *           validated; an unknown key is an error (a typo must not be
 *           silently ignored), _ansible_check_mode and _ansible_diff are
 *           honoured, every other _ansible_* key is ignored;
 *   states.c  state=recommend (the fragment written as `recommend -o`
 *           writes it, apply: true, the report) and state=audit;
 *   live.c  live values: apply: true (write what differs from the advice,
 *           keep the first apply's previous values as the restore point in
 *           the report) and state=absent (remove our fragment, write back
 *           what the report says an apply replaced, remove the report).
 * The result object is rendered by render/ansible_result.h.  Nothing here
 * prints or exits; failures come back as -errno with the message (what
 * the module puts in msg) as an error in the diag list.
 */
#ifndef ADVISOR_ANSIBLE_H
#define ADVISOR_ANSIBLE_H

#include "../base/diag.h"
#include "../render/ansible_result.h"
#include "../rules/engine.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

struct advice;
struct apply_entry;

struct ansible_args {
	const char *state, *profile, *rules_dir, *template_dir, *root, *dest, *host_id, *report;
	const char **rules;
	size_t nrules;
	char **labels; /* "key=value" from the labels dict (state=audit) */
	size_t nlabels;
	bool apply, force, check, diff;
	unsigned long page_size;
	/* override: a list of keys or "all" (a string "k1,k2" too): the
	 * administrators' explicit values the advice may change, as recommend
	 * --override (engine.h); owned (ansible_args_free) */
	struct overrides overrides;
};

/* The module, run (Ansible binary modules: argv[1] is the path of a JSON
 * file of arguments; the module prints exactly one JSON object on stdout
 * and exits).  state: recommend (write the fragment to dest, apply: true
 * also sets the live values) | audit (report only, never changes
 * anything) | absent.  Failures put the tool's own message in msg (what
 * `recommend` would print on stderr), since Ansible shows msg and not a
 * module's stderr.
 *
 * Like `recommend`, it calls advise_run: it writes byte-for-byte what
 * `recommend -o` writes, calls a file up to date exactly when `recommend
 * --check` does, and warns about the same boot precedence
 * (precedence_at_boot): a second run finds nothing to change.
 *
 * The result object (one line, no newline) is appended to out; returns
 * the exit code: 0, or 1 when the result says failed.  version: the
 * module's, for the usage message and the reports. */
int ansible_module_run(int argc, char **argv, const char *version, struct buf *out);

/* Parse the argument document (strings point into doc, which must outlive
 * a).  Defaults: state recommend, root "/", dest FRAGMENT_DEFAULT_PATH.
 * 0, or -EINVAL with the message in d. */
int ansible_args_parse(json_object *doc, struct ansible_args *a, struct diag_list *d);
void ansible_args_free(struct ansible_args *a);

/* apply: true: write the selected values that differ from the live ones
 * under a->root (not in check mode), add "applied" [{sysctl, value,
 * result}] and a warning per value not applied to r, set r->changed when
 * any value differs.  *ap / *nap get the entries for the report (none in
 * check mode; caller frees with apply_entries_free). */
void ansible_apply(const struct ansible_args *a, const struct advice *adv, struct ansible_result *r,
		   struct apply_entry **ap, size_t *nap);

/* What the first apply replaced stays the restore point: a key an earlier
 * run applied keeps that run's "previous" (read from the report at
 * report_path), and keys applied only earlier stay listed, so state=absent
 * brings back the host as it was before the advisor touched it, not as it
 * was one run ago. */
void ansible_keep_first_previous(const char *report_path, struct apply_entry **ap, size_t *n);

/* The file a host path (dest, report) names under the root, in *out (the
 * caller frees it): on the live host the path itself; under a captured
 * tree the same file reached without leaving the tree (root_path), since
 * a tree's etc/sysctl.d may be a link to this machine's /etc/sysctl.d and
 * dest may climb out with "..".  0, or -errno with the reason in d. */
int ansible_host_file(const struct ansible_args *a, const char *host_path, char **out, struct diag_list *d);

/* state=absent: remove our fragment, write back what the report says an
 * apply replaced (only sysctls the catalog knows), remove the report;
 * never a fragment or report that is not ours unless force.
 * A report is as untrusted as any file (force reads a foreign one, and
 * ours can be edited), so each value is checked on h (collected under the
 * root with the model's facts; NULL, nohost saying why, when it could not
 * be) against the sysctl catalog (sysctl_value_bound) before anything is
 * written or removed, in check mode too:
 *   - the kernel's own default on h, or within the legal range and the
 *     safety bounds: written back;
 *   - within the legal range but outside the safety bounds (a host can
 *     run with it: an administrator's min_free_kbytes above the 5 % cap,
 *     or a forged 0): the kernel's default on h is written instead, with
 *     a warning naming the report, the key and the value;
 *   - a member of a dirty pair (sysctl_pair_default) at 0, or whose
 *     default 0 would replace an unsafe value: 0 is no value to write
 *     back; the partner's value the report keeps beside it
 *     (partner_previous) is, checked the same way, else the kernel's
 *     default of the pair's ratio, with a warning; a partner with its own
 *     entry in the report restores the pair itself;
 *   - not an integer, outside the legal range on h's kernel (no host with
 *     this kernel ran with it: edited, or another host's), a safety case
 *     whose kernel default is unknown, or h NULL: the whole state fails
 *     with -ERANGE, the message naming the report and the key.
 * Adds diff, fragment, removed, restored and warnings to r and sets
 * r->changed; 0 and *msg (caller frees), or -errno with the message in d. */
struct host;
int ansible_absent(const struct ansible_args *a, const struct host *h, const char *nohost, struct ansible_result *r,
		   char **msg, struct diag_list *d);

/* state=recommend on adv: refuse a foreign fragment at root+dest unless
 * force, add the diff, write the fragment (not in check mode), apply when
 * asked, write the report when anything changed, the warnings of d; 0 and
 * *msg (caller frees), or -errno with the message in d. */
int ansible_recommend(const struct ansible_args *a, struct advice *adv, struct ansible_result *r, char **msg,
		      struct diag_list *d);

/* state=audit on adv: the audit document in r; never changes anything.
 * 0 and *msg (caller frees), or -errno with the message in d. */
int ansible_audit(const struct ansible_args *a, const struct advice *adv, struct ansible_result *r, char **msg,
		  struct diag_list *d);

#endif
