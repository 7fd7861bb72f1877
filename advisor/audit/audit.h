/* audit: is this host's reclaim configuration what it should be?
 *
 * For every expected key (the engine's recommendation, or the values of a
 * deployed fragment plus the desired values it leaves out by design) the
 * audit puts side by side:
 *   expected  what the advice says,
 *   live      the sysctl fact (sysctl.vm.X) read from proc/sys/vm,
 *   at boot   what systemd-sysctl will apply at the next boot (precedence.h),
 *             with a note when `sysctl --system` (procps) would differ,
 * and gives each key one state:
 *   compliant       live and boot both give the expected value;
 *   drift           the live value differs (whatever the files say);
 *   not-persistent  live is right but the next boot gives something else;
 *   shadowed        a file sets the expected value but another file that
 *                   sorts later (or masks it) wins at boot;
 *   not-applicable  the key does not exist on this kernel (no proc/sys/vm/X);
 *   not-permitted   the key exists but could not be read (EACCES/EPERM).
 * not-applicable is never a failure: a 4.4 kernel has no
 * watermark_boost_factor and that is fine.
 * "At boot" without a file is the kernel default of the decision, except
 * for vm.min_free_kbytes, which the kernel recomputes at every boot (and
 * khugepaged raises to its THP floor): a live value the watermark model
 * attributes to the kernel or to THP (wmark.min_free_kbytes_origin) comes
 * back by itself, so it is not "not-persistent".
 *
 * The status follows the monitoring-plugin convention (values equal the
 * exit codes of exitcodes.h AUDIT_*):
 *   OK        every key compliant or not applicable, no warning findings;
 *   WARNING   a key in drift, not-persistent, shadowed or not-permitted, or a
 *             warning finding;
 *   CRITICAL  a critical finding (OOM kills...), a key in drift/shadowed
 *             whose recommendation is critical (the advice for an acute
 *             problem is not applied), or sustained direct reclaim (at least
 *             AUDIT_DIRECT_RECLAIM_CRITICAL stalls/s over an interval or
 *             baseline window, not since boot) while a key is in drift or
 *             shadowed;
 *   UNKNOWN   nothing could be audited: no expected key had a readable live
 *             value (an empty tree, proc/ unreadable, no keys expected) and
 *             no critical finding; also set by the caller when the host
 *             could not be collected.  "Could not look" is never OK.
 *
 * Renderers are pure: they append to a struct buf; main.c writes it.
 * Ownership: a struct audit owns every string in it; audit_free(NULL) is a
 * no-op.  The inputs are borrowed for the duration of audit_build only.
 */
#ifndef ADVISOR_AUDIT_H
#define ADVISOR_AUDIT_H

#include "../base/buf.h"
#include "../base/diag.h"
#include "../collect/host.h"
#include "../collect/parse.h"
#include "../sysctld/precedence.h"
#include "../rules/engine.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIT_SCHEMA_ID "reclaim-advisor/audit"
#define AUDIT_SCHEMA_VERSION 1
/* Where `recommend -o` puts the fragment; a key set there but overridden by
 * another file is "shadowed". */
#define AUDIT_DEFAULT_FRAGMENT "/etc/sysctl.d/60-reclaim-advisor.conf"
/* Direct reclaim entries per second that count as sustained: the rules'
 * own threshold (rules/20-emergency-reserve.ini, rate.allocstall >= 1). */
#define AUDIT_DIRECT_RECLAIM_CRITICAL 1.0

enum audit_state {
	AST_COMPLIANT,
	AST_DRIFT,
	AST_NOT_PERSISTENT,
	AST_SHADOWED,
	AST_NOT_APPLICABLE,
	AST_NOT_PERMITTED,
};
#define AST_COUNT 6

/* The plugin states of base/severity.h (enum status), under audit's names. */
enum audit_status {
	ASTATUS_OK = STATUS_OK, ASTATUS_WARNING = STATUS_WARNING, ASTATUS_CRITICAL = STATUS_CRITICAL,
	ASTATUS_UNKNOWN = STATUS_UNKNOWN
};

struct audit_key {
	char *sysctl;        /* "vm.watermark_scale_factor" */
	char *expected;      /* as written in sysctl.d ("125", "256 256 32") */
	char *expected_src;  /* "rule kswapd-headroom" or "/etc/sysctl.d/60-x.conf:12" */
	char *rule;          /* winning rule, or NULL (fragment without a plan) */
	enum severity severity;
	char *reason;        /* the rule's reason, or NULL */
	char *live;          /* NULL when absent */
	char *live_reason;   /* why absent, or NULL */
	char *boot;          /* value systemd-sysctl applies at boot; NULL: no file sets it */
	char *boot_file;     /* host path of the winning file, or NULL */
	unsigned boot_line;
	char *boot_default;  /* kernel default (when no file sets the key and it is known) */
	char *procps;        /* value `sysctl --system` applies when it differs from boot, else NULL */
	char *procps_file;
	unsigned procps_line;
	enum audit_state state;
	char *note;          /* why the key is not compliant (or a procps remark), or NULL */
};

struct audit_finding {
	char *rule;
	enum severity severity;
	char *reason;
};

struct audit_host {
	char *id;            /* stable identity for fleet (machine-id digest, capture name or --host-id) */
	char *hostname;      /* kernel.hostname, or NULL */
	char *origin;        /* root directory or snapshot path */
	char *kernel;        /* kernel.osrelease, or NULL */
	int64_t ram_bytes;   /* MemTotal in bytes, else managed memory; -1 unknown */
	int64_t page_size;   /* -1 unknown */
	int64_t numa_nodes;  /* -1 unknown */
	char *virt, *container; /* hints, or NULL */
	char **labels;       /* "key=value" from --label (role, site...), sorted; fleet groups by them */
	size_t nlabels;
};

struct audit_reclaim {
	char *rate_kind;                 /* "interval", "baseline", "since-boot" or NULL */
	bool has_window;
	double window_s;
	bool has_allocstall, has_pgscan_direct, has_pgscan_kswapd, has_ratio, has_oom;
	double allocstall_per_s;         /* direct reclaim entries per second */
	double pgscan_direct_bytes_per_s;
	double pgscan_kswapd_bytes_per_s;
	double direct_kswapd_ratio;      /* pgscan_direct / pgscan_kswapd */
	int64_t oom_kills;               /* since boot (vmstat or kernel log) */
};

struct audit {
	struct audit_host host;
	char *profile;          /* NULL without a plan */
	char *ruleset_digest;   /* NULL without a plan */
	char *expected_from;    /* "recommendation" or "fragment" */
	char *fragment;         /* the fragment path given, or NULL */
	size_t nbeside;         /* keys expected from the plan beside the fragment's (beside) */
	bool boot_known;        /* the sysctl.d files were scanned (not for a snapshot) */
	struct audit_key *keys; /* sorted by sysctl */
	size_t nkeys;
	struct audit_finding *findings; /* plan order */
	size_t nfindings;
	struct audit_reclaim reclaim;
	size_t count[AST_COUNT];        /* keys per state */
	enum audit_status status;
	char *summary;          /* one line: "2 of 6 keys not compliant (drift 1, shadowed 1); 1 warning finding" */
	struct diag_list diags; /* problems met while auditing (unparsable values...) */
};

struct audit_input {
	const struct host *host;         /* required */
	const struct plan *plan;         /* the engine's plan; may be NULL when fragment is given */
	const struct precedence *prec;   /* NULL: boot configuration unknown (a snapshot): states
					  * from the live value only (compliant or drift) */
	const struct strkvlist *fragment;/* deployed fragment values, or NULL: expected = plan */
	const char *fragment_path;       /* host path of the fragment for "shadowed" (default AUDIT_DEFAULT_FRAGMENT) */
	const char *host_id;             /* identity to report; NULL: derived from host->origin */
	const char *const *labels;       /* "key=value" strings (validated by the caller), or NULL */
	size_t nlabels;
	const char *advice_changed;      /* the keys re-deriving the advice changes against the
					  * deployed fragment ("vm.x: fragment 10, now 20; ..."),
					  * or NULL: a warning finding "advice-changed" */
	const bool *beside;              /* with fragment: plan->nd flags, or NULL: decisions
					  * expected beside the fragment's keys (their desired
					  * values, when the fragment does not set the key): the
					  * values our fragment leaves out by design (a kernel
					  * default, an administrator's kept value) */
};

/* Build the audit.  Returns 0 and *out, or -EINVAL when neither a plan nor a
 * fragment is given or host is NULL. */
int audit_build(const struct audit_input *in, struct audit **out);
/* An audit that could not collect the host: status UNKNOWN, no keys, the
 * reason as summary (the JSON form still validates against the schema). */
struct audit *audit_unknown(const char *origin, const char *host_id, const char *why);
/* The same for a host that was collected but could not be audited (rules
 * or fragment do not load): the host object is filled. */
struct audit *audit_unknown_host(const struct host *h, const char *host_id, const char *why);
void audit_free(struct audit *a);

const char *audit_state_name(enum audit_state s);     /* "not-persistent" */
/* The state a report names ("drift"); -EINVAL (*out untouched) otherwise. */
int audit_state_parse(const char *s, enum audit_state *out);
const char *audit_status_name(enum audit_status s);   /* "warning" (status_name) */

/* The text report: a status line first (monitoring plugins show line one),
 * then one table (key, expected, live, at boot, state) with numbered
 * footnotes for every row that carries a note, then the findings. */
void audit_render_text(const struct audit *a, struct buf *out);

/* The JSON document of schema/audit.schema.json, pretty-printed, keys in a
 * fixed order, ending with a newline. */
void audit_render_json(const struct audit *a, struct buf *out);

/* Audit inputs (inputs.c).  A --label: KEY=VALUE, KEY of letters, digits,
 * '_', '.', '-' (not first: a digit, '.', '-'), VALUE one line. */
bool audit_label_valid(const char *s);

/* Read the deployed fragment named by the user (audit --fragment): an
 * absolute path is the host's, read under rootdir (confined to it) unless
 * the host is a snapshot; anything else relative to the working directory.
 * 0 and *buf / *len (caller frees), or -errno. */
int audit_read_fragment(const char *path, const char *rootdir, bool snapshot, char **buf, size_t *len);

/* Append a copy of every diagnostic of src (origin, position, severity,
 * message; not the source line) to the audit's own list. */
void audit_add_diags(struct audit *a, const struct diag_list *src);

#endif
