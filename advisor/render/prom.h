/* prom: the audit as a node_exporter textfile (Prometheus text format 0.0.4).
 *
 * One file per run (`audit --format prometheus -o DIR/reclaim_advisor.prom`),
 * written by the caller with fileio_write_atomic so the textfile collector
 * never reads half a file.  Every metric starts with "reclaim_advisor_", is
 * in base units (bytes, seconds, ratios, per-second rates), has a fixed
 * HELP text (node_exporter rejects a family whose HELP differs between
 * files) and no timestamp.  A family is printed only when it has samples;
 * series come in a fixed order (keys sorted, zones in zoneinfo order), so
 * the same inputs give byte-identical files.
 *
 * Families (labels in braces):
 *   reclaim_advisor_info{version,ruleset_digest,profile}      1
 *   reclaim_advisor_audit_status                               0 ok 1 warning 2 critical 3 unknown
 *   reclaim_advisor_keys{state}                                keys per audit state
 *   reclaim_advisor_sysctl_value{sysctl}                       live value (numeric keys)
 *   reclaim_advisor_sysctl_expected_value{sysctl}              recommended / fragment value
 *   reclaim_advisor_sysctl_boot_value{sysctl}                  value systemd-sysctl applies at boot
 *   reclaim_advisor_sysctl_compliant{sysctl,state}             1 compliant, else 0
 *   reclaim_advisor_watermark_min_bytes{node,zone}             reserve (min watermark)
 *   reclaim_advisor_watermark_kswapd_buffer_bytes{node,zone}   low - min: kswapd's head start
 *   reclaim_advisor_watermark_reclaim_target_bytes{node,zone}  high - low: what kswapd frees per wake-up
 *   reclaim_advisor_watermark_boost_bytes{node,zone}           current boost
 *   reclaim_advisor_zone_free_bytes{node,zone}                 free memory in the zone
 *   reclaim_advisor_direct_reclaim_stalls_per_second           rate.allocstall
 *   reclaim_advisor_direct_scan_bytes_per_second               rate.pgscan_direct x page size
 *   reclaim_advisor_kswapd_scan_bytes_per_second               rate.pgscan_kswapd x page size
 *   reclaim_advisor_direct_kswapd_scan_ratio                   direct / kswapd scans
 *   reclaim_advisor_rate_window_seconds{kind}                  window of the rates
 *   reclaim_advisor_oom_kills_total                            OOM kills since boot (counter)
 *   reclaim_advisor_findings{severity}                         findings per severity
 */
#ifndef ADVISOR_PROM_H
#define ADVISOR_PROM_H

#include "../base/buf.h"
#include "../collect/host.h"
#include "../audit/audit.h"

/* Render a (the audit) and, when h is not NULL, h's zones into out.
 * version is the tool version for the _info metric. */
void prom_render(const struct audit *a, const struct host *h, const char *version, struct buf *out);

/* Append s to out escaped as a label value (\\, \", \n). */
void prom_escape_label(struct buf *out, const char *s);

#endif
