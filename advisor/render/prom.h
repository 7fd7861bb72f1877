/* prom: the audit as a node_exporter textfile (Prometheus text format 0.0.4).
 *
 * One file per audit instance (`audit --format prometheus -o
 * DIR/reclaim_advisor.prom`), written by the caller with fileio_write_atomic
 * so the textfile collector never reads half a file.  Conventions
 * (prometheus.io/docs/practices/naming):
 *   - every metric starts with "reclaim_advisor_", has a fixed HELP text
 *     (node_exporter rejects a family whose HELP differs between files) and
 *     no timestamp;
 *   - base units: bytes, seconds, 0..1 ratios.  Sysctl values are converted
 *     by the unit of the sysctl catalog: *_kbytes x 1024 -> bytes,
 *     *_centisecs / 100 -> seconds, percentages / 100 -> ratios;
 *   - counters are counters ("_total", the kernel's since-boot values):
 *     rates are PromQL's job (contrib/prometheus/ has the recording rules);
 *   - a stable series set: every key of the sysctl catalog (plus any other
 *     key the audit covers) has one reclaim_advisor_sysctl_state series per
 *     state, 1 for its state and 0 for the others, and one
 *     reclaim_advisor_sysctl_compliant series, whether or not the advice
 *     covers the key this time (state "unmanaged" when it does not); an
 *     UNKNOWN audit keeps them all at 0;
 *   - nothing node_exporter already exports by default (OOM kills are its
 *     node_vmstat_oom_kill; its vmstat collector does not export allocstall
 *     and pgscan/pgsteal unless told to);
 *   - with opts->instance every sample carries audit="NAME", so two audits
 *     (two profiles, a container root...) can share one textfile directory
 *     without "collected before with the same name and label values".
 * Series come in a fixed order (families as below, keys sorted, zones in
 * zoneinfo order): the same inputs give byte-identical files.
 *
 * Families (labels in braces; every family also carries {audit} when set):
 *   reclaim_advisor_info{version,ruleset_digest,profile}        1
 *   reclaim_advisor_audit_status                                 0 ok 1 warning 2 critical 3 unknown
 *   reclaim_advisor_keys{state}                                  audited keys per audit state
 *   reclaim_advisor_findings{severity}                           findings per severity
 *   reclaim_advisor_sysctl_state{sysctl,state}                   1 for the key's state, else 0
 *   reclaim_advisor_sysctl_compliant{sysctl}                     1 compliant/not-applicable/unmanaged
 *   reclaim_advisor_sysctl_value{sysctl}                         live value, base units
 *   reclaim_advisor_sysctl_expected_value{sysctl}                value the advice expects (managed keys)
 *   reclaim_advisor_sysctl_boot_value{sysctl}                    value the next boot applies (audited keys)
 *   reclaim_advisor_watermark_min_bytes{node,zone}               reserve (min watermark)
 *   reclaim_advisor_watermark_kswapd_buffer_bytes{node,zone}     low - min: kswapd's head start
 *   reclaim_advisor_watermark_reclaim_target_bytes{node,zone}    high - low: what kswapd frees per wake-up
 *   reclaim_advisor_watermark_boost_bytes{node,zone}             current boost
 *   reclaim_advisor_zone_free_bytes{node,zone}                   free memory in the zone
 *   reclaim_advisor_direct_reclaim_stalls_total                  allocstall* since boot (counter)
 *   reclaim_advisor_direct_scanned_bytes_total                   pgscan_direct x page size (counter)
 *   reclaim_advisor_direct_reclaimed_bytes_total                 pgsteal_direct x page size (counter)
 *   reclaim_advisor_kswapd_scanned_bytes_total                   pgscan_kswapd x page size (counter)
 *   reclaim_advisor_kswapd_reclaimed_bytes_total                 pgsteal_kswapd x page size (counter)
 */
#ifndef ADVISOR_PROM_H
#define ADVISOR_PROM_H

#include "../base/buf.h"
#include "../collect/host.h"
#include "../audit/audit.h"

#include <stdbool.h>

struct prom_opts {
	const char *version;  /* tool version for the _info metric */
	const char *instance; /* value of the audit label on every sample, or NULL: no label */
};

/* Render a (the audit) and, when h is not NULL, h's live values, zones and
 * reclaim counters into out.  o may be NULL (no version, no instance). */
void prom_render(const struct audit *a, const struct host *h, const struct prom_opts *o, struct buf *out);

/* Is name usable as --prom-instance: 1..64 of [A-Za-z0-9_.-], not starting
 * with '.' (it also names the textfile, reclaim_advisor_NAME.prom)? */
bool prom_instance_valid(const char *name);

/* Append s to out escaped as a label value (\\, \", \n). */
void prom_escape_label(struct buf *out, const char *s);

#endif
