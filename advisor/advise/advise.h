/* advise: the one pipeline every front end calls.
 *
 *   host (collected by the caller) -> watermark model (once) -> rule set and
 *   profile -> engine -> selection -> watermarks before/after -> the deployed
 *   fragment (ours?) -> the fragment rendered -> boot precedence with our
 *   fragment inserted
 *
 * `recommend`, `audit`, `explain` and the Ansible module call advise_run and
 * only render what it returns, so they cannot drift apart.
 *
 * Desired state.  The advice is what the host should be, decided from its
 * situation, not a diff against its live values.  Per decision:
 *   changed      the desired value differs from the live one (terminal,
 *                report: "changed");
 *   selected     the value goes into the fragment: it differs from the
 *                kernel default (or the default is unknown), live or not;
 * so applying the fragment and asking again gives the same fragment.
 *
 * Administrators' explicit values: a decided key that a sysctl.d file
 * other than ours sets, or whose live value is not the kernel's default
 * while no file sets it, keeps the administrator's value unless an
 * override, the profile or the rule says otherwise (engine.h,
 * engine_administrators); a kept value is not written to our fragment.
 *
 * Our deployed fragment is an input: when the file at the fragment path is
 * ours (fragment.h), advise_run reads its machine-readable state line
 * (assignments digest, rule set digest, profile) and its assignments;
 * `up_to_date` says whether the fresh fragment has the same assignments
 * from the same rule set and profile, `deployed` lists what it holds.
 *
 * Adding to the request: every field has a zero default that means "as
 * before", so a new input (a history of recordings, tmpfiles advice,
 * overrides/pins) is one more field here and one more step in advise.c,
 * with no change to the callers that do not use it.
 *
 * Ownership: the request and everything it points to are borrowed for the
 * duration of the call, except req->host, to which advise_run adds the
 * model's wmark.* facts (the host stays the caller's; it must outlive the
 * advice, which points into it).  The advice owns everything else;
 * advice_free(NULL) is a no-op.  Nothing here prints or exits.
 */
#ifndef ADVISOR_ADVISE_H
#define ADVISOR_ADVISE_H

#include "../audit/audit.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../collect/host.h"
#include "../collect/parse.h"
#include "../render/fragment.h"
#include "../rules/engine.h"
#include "../rules/profile.h"
#include "../sim/sim.h"
#include "../sim/sim_joint.h"
#include "../sysctld/precedence.h"

#include <stdbool.h>
#include <stddef.h>

struct advise_request {
	struct host *host;          /* required; gains the wmark.* facts */
	const char *root;           /* the tree the host was read from ("/" = live), or NULL
				     * (a snapshot: no sysctl.d files, no deployed fragment) */
	/* the rule set and profile */
	const char *profile;        /* NULL: general */
	const char *rules_dir;      /* NULL: the shipped/installed rules (ruleset.h) */
	const char *const *rules;   /* extra rule directories, after rules_dir */
	size_t nrules;
	/* the fragment */
	const char *template_dir;   /* NULL: $RECLAIM_ADVISOR_TEMPLATE_DIR, else the installed ones */
	bool need_fragment;         /* templates that do not load are an error (-EINVAL), not a warning */
	const char *fragment_path;  /* our fragment as the host sees it; NULL: FRAGMENT_DEFAULT_PATH */
	const char *deployed_file;  /* where to read the deployed fragment on this machine;
				     * NULL: fragment_path under root (nothing for a snapshot) */
	const char *tmpfiles_file;  /* the systemd-tmpfiles fragment to compare with (render/
				     * tmpfiles.h), or NULL: none rendered */
	/* identity and annotations for the reports */
	const char *host_id;        /* NULL: derived (hostid.h) */
	const char *timestamp;      /* ISO 8601 UTC, or NULL (deterministic output) */
	const char *version;        /* ADVISOR_VERSION for the reports, or NULL */
	/* a recorded history and the simulator's answer from it (sim.h), or
	 * NULL: the sim.* facts are then absent and the headroom rules size
	 * the buffer from averages */
	const struct history *history;
	const struct sim_result *sim;
	const char *sim_origin;     /* what the sim.* facts' source names; NULL: history's origin
				     * (several histories: advise_histories.origin) */
	/* recommend --override: keys whose administrators' explicit values the
	 * advice may change (engine_administrators); NULL: none */
	const struct overrides *overrides;
};

/* The fragment on disk at the fragment path, before this run. */
struct advise_deployed {
	bool exists;                /* the file was read */
	bool ours;                  /* it carries the tool's marker */
	char *text;                 /* its bytes (NUL-terminated), or NULL */
	size_t len;
	struct strkvlist values;    /* its assignments (ours only; empty otherwise) */
	bool has_state;             /* its state line was read (fragment.h) */
	struct fragment_state state;
	struct fragment_base_list base; /* its base lines (ours only; fragment.h) */
};

struct advice {
	const struct host *host;     /* the request's */
	struct ruleset *rs;
	struct profile *prof;
	struct plan *plan;
	bool *selected;              /* plan->nd flags: in the fragment (desired, not default) */
	bool *live;                  /* plan->nd flags: to set live with --apply: the selected
				      * and the desired values equal to the kernel default
				      * (advise_select_live) */
	size_t nselected;
	/* the model before (live sysctls) and after (the desired ones) */
	struct rec_wmark *wm_before, *wm_after;
	size_t nwm;
	const char *wm_note;         /* static text, or NULL */
	/* boot precedence with our fragment inserted (NULL for a snapshot) */
	struct precedence *prec;
	struct rec_prec *boot;       /* plan->nd entries, or NULL */
	char **boot_strs;            /* strings boot[] points to */
	char *fragment_path;         /* as the host sees it */
	char *deployed_file;         /* where the deployed fragment is read on this machine, or NULL */
	bool have_fragment;          /* the templates loaded and the fragment rendered */
	struct fragment_templates tm;
	struct buf fragment;         /* the fresh fragment */
	struct fragment_base_list base; /* the values without ours it carries (taken_back.h) */
	struct advise_deployed deployed;
	bool deployed_on_host;       /* the deployed fragment is the host's (under the root), so its
				      * keys are ours, not an administrator's */
	bool up_to_date;             /* deployed is ours with the same state as the fresh one */
	bool identical;              /* ... and byte-identical */
	/* the tmpfiles fragment (when the request names one) */
	struct buf tmpfiles;         /* the fresh one */
	size_t ntmpfiles;            /* its settings */
	struct advise_deployed tmpfiles_deployed; /* the file before this run (no values parsed) */
	bool tmpfiles_up_to_date;    /* ours and byte-identical */
	char *host_id;
	char *hostname;              /* kernel.hostname, or NULL */
	struct rec_input in;         /* what the renderers read; points into this advice,
				      * and in.diags to the caller's list given to advise_run */
};

/* Load DIR/fragment-header.tmpl and DIR/fragment-entry.tmpl, DIR = given,
 * else $RECLAIM_ADVISOR_TEMPLATE_DIR, else the installed templates, else
 * the source tree's (datadir.h).  0, or -errno with every problem in d. */
int advise_load_templates(const char *given, struct fragment_templates *t, struct diag_list *d);

/* Run the pipeline; every diagnostic (the rules', the engine's, the
 * fragment's, precedence warnings) is appended to diags, which must
 * outlive the advice (the reports embed it).  Returns 0 and *out; -EINVAL when the rule set, the
 * profile or (with need_fragment) the templates do not load, every error in
 * diags; -EIO when the deployed fragment exists but cannot be read, -EEXIST
 * when the path is a FIFO, device or directory (diags
 * says why); -ENOMEM never (xalloc aborts); other -errno from the engine.
 * On failure *out is untouched. */
int advise_run(const struct advise_request *req, struct advice **out, struct diag_list *diags);

void advice_free(struct advice *a);

/* What re-deriving changed against our deployed fragment: appends
 * "key: fragment X, now Y" (Y "none" when the key left the advice, "the
 * kernel default D (not written)" when the advice now leaves it to the
 * boot, X "none" when it is new), "; "-separated, to out and returns how
 * many keys differ.  0 when there is no deployed fragment of ours. */
size_t advice_changes(const struct advice *a, struct buf *out);

/* The audit of this advice.  Expected values: `fragment` when given (audit
 * --fragment FILE, read and parsed by the caller, fragment_path its name);
 * else our deployed fragment when there is one (what the host was told to
 * be) together with the desired values it leaves out by design (the
 * kernel defaults of advice.live, administrators' kept values) for keys it
 * does not set, with an "advice-changed" finding naming the keys
 * re-deriving changes; else the advice itself.  0 and *out, or -errno (audit.h). */
int advice_audit(const struct advice *a, const struct strkvlist *fragment, const char *fragment_path,
		 const char *const *labels, size_t nlabels, struct audit **out);

/* `audit` on a collected host (audit_host.c): advise_run, then the
 * expected values (fragment: audit --fragment FILE, read under the tree
 * unless a snapshot (audit_read_fragment) and parsed; else what
 * advice_audit chooses), then the audit with the host's and the advice's
 * diagnostics.  host_id: advise.host_id, else derived from the tree, the
 * host's name and origin (hostid.h). */
struct audit_host_request {
	struct advise_request advise; /* host, root, profile, rules, host_id, version */
	const char *origin;           /* the root or snapshot as named (hostid.h step 4) */
	const char *tree;             /* --root as given (NULL: "/"), where an absolute
				       * --fragment path is read */
	bool snapshot;                /* from a snapshot: --fragment is read as named */
	const char *fragment;         /* --fragment FILE, or NULL */
	const char *const *labels;    /* --label KEY=VALUE, for fleet */
	size_t nlabels;
};
/* Returns 0 and the audit in *out; or -errno with *out an UNKNOWN audit of
 * the host that says which step failed: the diagnostics are in d, except
 * that a fragment that cannot be read leaves *msg ("--fragment FILE:
 * reason", caller frees) for the caller to print instead. */
int advise_audit_host(const struct audit_host_request *r, struct audit **out, char **msg, struct diag_list *d);

/* Selection (select.c): which desired values our fragment holds.  The
 * desired state, live or not: a decision whose recommended value differs
 * from the kernel default (or whose default is unknown: then the value in
 * effect may come from an earlier fragment, and dropping it would revert
 * it at the next boot).  A desired value equal to the default is not
 * written, whatever the live value: the boot gives it (and "changed" in
 * the summary says it is not live yet).  An administrator's kept value
 * (decision.admin_kept) is theirs: never written.  Of a mutually exclusive
 * pair (vm.dirty_ratio and vm.dirty_bytes, vm.dirty_background_ratio and
 * ..._bytes: writing one zeroes the other in the kernel) at most one is
 * written; a *_bytes value of 0 is never written (the kernel rejects 0:
 * the ratio form is meant).
 *
 * advise_select fills sel[0..plan->nd) with the decisions to write; notes
 * about dropped pair members go to d.  Returns how many are selected.
 * force: NULL, or plan->nd flags of decisions to write even when they
 * equal the kernel default (another sysctl.d file sets the key to
 * something else at boot, so only our fragment restores the desired
 * value). */
size_t advise_select(const struct plan *p, const bool *force, bool *sel, struct diag_list *d);

/* Fill live[0..plan->nd) with the desired values to set on the running
 * kernel (--apply, the Ansible module's apply): those selected for the
 * fragment (sel) and those equal to the kernel default, which the fragment
 * leaves to the boot but a live value may still differ from - except a
 * pair member that is 0 or whose partner is selected (see above).
 * Returns how many are set. */
size_t advise_select_live(const struct plan *p, const bool *sel, bool *live);

/* The decision for key, or NULL. */
const struct decision *advice_decision(const struct advice *a, const char *key, size_t *index);

struct apply_req;
/* The advice as requests for apply_values (sysctld/apply.h), in plan order:
 * every decision to set live (advice.live), or with only_changed those
 * whose desired value differs from the live one.  *out gets the array (the
 * values are owned by it: advice_apply_reqs_free); returns the count. */
size_t advice_apply_reqs(const struct advice *a, bool only_changed, struct apply_req **out);
void advice_apply_reqs_free(struct apply_req *req, size_t n);

struct apply_entry;
/* recommend --apply: every decision to set live (advice.live) written
 * under <rootdir>/proc/sys and read back (apply_under).  0 with *out and
 * *n (apply_entries_free), or -errno when rootdir cannot be opened. */
int advice_apply(const struct advice *a, const char *rootdir, struct apply_entry **out, size_t *n);

/* The path a fragment written at `out` on this machine has on the host it
 * is for (the request's fragment_path): NULL out: FRAGMENT_DEFAULT_PATH; on
 * the live host (root "/") out made absolute; out under a --root loses the
 * root prefix; elsewhere, and from a snapshot (root NULL), it is assumed to
 * be installed in /etc/sysctl.d under its own name.  Caller frees. */
char *advise_fragment_host_path(const char *root, const char *out);

/* Every output file (advice_write.c): the guard every writer of ours
 * applies before replacing path (and recommend --apply before changing
 * anything).  root is the tree the command reads (NULL: none, or "/"): a
 * path inside it is reached without leaving it (root_output_path,
 * base/fileio.h: a link or ".." out of the tree is FILEIO_E_ESCAPE, also
 * with force), any other path is the user's own.  Then path can be
 * replaced (fileio_check_writable) and, unless force, is absent or ours
 * (render_is_ours, render/ours.h).  0, or -errno with the reason as an
 * error in d: -EEXIST when the file there is not ours (or cannot be read
 * to tell); force_hint says how to replace it anyway ("use --force"). */
int advise_output_ready(const char *root, const char *path, bool force, const char *force_hint,
			struct diag_list *d);

/* advise_output_ready, then path (reached as it says) replaced atomically
 * with data (fileio_write_atomic: mode 0644, the old file unchanged on
 * failure).  0, or -errno with the reason as an error in d. */
int advise_output_write(const char *root, const char *path, const char *data, size_t len, bool force,
			const char *force_hint, struct diag_list *d);

/* Our files (advice_write.c): the sysctl.d fragment (text a->fragment,
 * dep a->deployed, a->up_to_date) or the tmpfiles fragment (a->tmpfiles,
 * a->tmpfiles_deployed, a->tmpfiles_up_to_date).
 * Would writing it replace a file that is not ours: not up to date, the
 * file there exists without the tool's marker, and no force?  Then
 * -EEXIST with the reason as an error in d (force_hint says how to replace
 * the file anyway: "use --force"); else 0. */
int advise_file_check(const char *path, const struct advise_deployed *dep, bool up_to_date, bool force,
		      const char *force_hint, struct diag_list *d);
/* advise_file_check, then text written to path (fileio_write_atomic: temp
 * file, fsync, rename, mode 0644) unless up to date: 0; -EEXIST refused;
 * FILEIO_E_ESCAPE path is inside the tree root (NULL: none) and a link or
 * ".." leads out of it (root_output_path); -errno the write failed (the
 * old file, if any, is unchanged), the reason as an error in d. */
int advise_file_put(const char *root, const char *path, const struct buf *text, const struct advise_deployed *dep, bool up_to_date,
		    bool force, const char *force_hint, struct diag_list *d);
/* --diff: the unified diff (fragment_diff) from the file at path
 * ("/dev/null" when there is none) to text, appended to out; nothing when
 * up to date. */
void advise_file_diff(const char *path, const struct buf *text, const struct advise_deployed *dep, bool up_to_date,
		      struct buf *out);
/* recommend --check and --diff: are our files up to date, the fragment at
 * fragment_file and the tmpfiles fragment at tmpfiles_file (each NULL:
 * not compared)?  With diff (else NULL) the unified diff of each that is
 * not (advise_file_diff) is appended to it. */
bool advice_files_current(const struct advice *a, const char *fragment_file, const char *tmpfiles_file,
			  struct buf *diff);
/* The JSON report (report.h) of the advice, with the apply outcomes the
 * caller put in a->in (apply, napply), appended to out. */
void advice_report_text(const struct advice *a, struct buf *out);

/* recommend's outputs (advice_deliver.c), in the order that keeps an
 * apply from changing the host without recording it: every output is
 * checked first (the report: advise_output_ready; our fragments:
 * advise_file_put, which writes them unless up to date), then the values
 * applied under apply_root (advice_apply; they are in a->in for the
 * report), then the report rendered (advice_report_text, into
 * out->report, also when only `report` asks for the text) and written to
 * report_file.  The outcome, first that applies:
 *   NOT_WRITTEN          an output was refused or failed (out->err,
 *                        -errno, the reason in d); before any apply, or
 *                        the report after an apply that changed nothing
 *   APPLIED_UNRECORDED   values were applied and then the report could
 *                        not be written: out->restore has the commands
 *                        that restore the previous values
 *   APPLY_NO_ROOT        apply_root could not be opened (reason in d)
 *   APPLY_NOT_PERMITTED  a value was not permitted (a read-only /proc/sys)
 *   APPLY_INCOMPLETE     a value was refused, absent or failed
 *   DELIVERED            all done
 * The report is written in every outcome after the apply but
 * NOT_WRITTEN and APPLIED_UNRECORDED.  Nothing is printed; out is the
 * caller's (advise_delivery_free), and must outlive a's use of in.apply. */
enum advise_outcome {
	ADVISE_DELIVERED,
	ADVISE_NOT_WRITTEN,
	ADVISE_APPLIED_UNRECORDED,
	ADVISE_APPLY_NO_ROOT,
	ADVISE_APPLY_NOT_PERMITTED,
	ADVISE_APPLY_INCOMPLETE,
};
struct advise_delivery_request {
	const char *fragment_file;  /* -o, or NULL */
	const char *tmpfiles_file;  /* --tmpfiles, or NULL */
	const char *report_file;    /* --report, or NULL */
	const char *root;           /* the tree read (--root), or NULL: the outputs inside it are confined to it */
	bool report;                /* render the report into out->report even without report_file */
	const char *apply_root;     /* --apply: the root to apply under, or NULL */
	bool force;                 /* replace files that are not ours */
	const char *force_hint;     /* how to say so ("use --force") */
};
struct advise_delivery {
	int err;                    /* NOT_WRITTEN, APPLIED_UNRECORDED: the write's -errno */
	struct apply_entry *applied;
	size_t napplied;
	struct buf report;          /* the JSON report, when rendered */
	struct buf restore;         /* APPLIED_UNRECORDED: "sysctl -w" lines (summary_restore_hint) */
};
enum advise_outcome advise_deliver(struct advice *a, const struct advise_delivery_request *r,
				   struct advise_delivery *out, struct diag_list *d);
void advise_delivery_free(struct advise_delivery *dl);

/* recommend --history: read the history at path (history.h) and run the
 * simulator's search on it (sim.h), for the request's history and sim.
 * 0, or -errno (-EINVAL: it does not parse or says too little) with the
 * diagnostics in d.  The caller frees both (hist_free, sim_result_free). */
int advise_history(const char *path, struct history *hist, struct sim_result *sim, struct diag_list *d);

/* recommend --history given several times: every history read, each
 * checked against the host (advise_history_matches) and against the
 * first (advise_histories_agree), and one choice over all of them
 * (sim_joint.h; one history: sim_run, as advise_history); split_s > 0 cuts
 * each into pieces of that many seconds first (hist_split).  The request's
 * history is h[0], its sim advise_histories_sim(), its sim_origin origin. */
struct advise_histories {
	size_t n;
	struct history *h;             /* [n], owned */
	const struct history **hp;     /* [n]: &h[i] */
	struct sim_result one;         /* n == 1 */
	struct sim_joint joint;        /* n > 1 */
	char origin[600];              /* "whatif --history A --history B": the facts' source */
};
/* 0, or -errno with the diagnostics in d (-EINVAL: a history does not
 * parse, says too little, or is not this host's; -ENOENT and others: not
 * readable).  advise_histories_free after either. */
int advise_histories(const char *const *paths, size_t n, double split_s, const struct host *host,
		     struct advise_histories *out, struct diag_list *d);
const struct sim_result *advise_histories_sim(const struct advise_histories *ah);
void advise_histories_free(struct advise_histories *ah);

/* Whether hist was recorded on host h: the simulator sized its answer for
 * the history's zones, page size and THP mode, and the rules apply it to
 * h.  -EINVAL with an error naming both when it cannot be this host (another
 * page size, other zones, or zones managing more than 10 % more or less
 * memory: another machine, or memory added or removed since); warnings
 * when it may be (another kernel release: an upgrade since the recording;
 * another THP mode: the THP floor the answer assumed is not the host's);
 * 0 otherwise.  The settings may differ (the advice applied since). */
int advise_history_matches(const struct history *hist, const struct host *h, struct diag_list *d);

/* Whether the n histories hs[0..n) are recordings of one host (each
 * against the first, as advise_history_matches against the host), and
 * never one recording twice (the same origin, or the same boot and start:
 * its bursts would count twice), at most HIST_MAX_PIECES of them.  0, or
 * -EINVAL with an error in d. */
int advise_histories_agree(const struct history *const *hs, size_t n, struct diag_list *d);

#endif
