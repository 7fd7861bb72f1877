/* severity: the one spelling of how bad something is.
 *
 * Two scales, each with its names in one table here:
 *   enum severity  a finding or a decision: info, warning, critical (rule
 *                  files write these words; reports print them);
 *   enum status    a whole host, as monitoring reads it: the Nagios plugin
 *                  states ok, warning, critical, unknown, whose numeric
 *                  values are the plugin exit codes (0..3).  Reports write
 *                  the lower-case name, the plugin status line the
 *                  upper-case one ("RECLAIM-ADVISOR WARNING - ...").
 * Pure; the names are static strings.
 */
#ifndef ADVISOR_SEVERITY_H
#define ADVISOR_SEVERITY_H

enum severity { SEV_INFO, SEV_WARNING, SEV_CRITICAL };
#define SEV_COUNT 3

enum status { STATUS_OK = 0, STATUS_WARNING = 1, STATUS_CRITICAL = 2, STATUS_UNKNOWN = 3 };
#define STATUS_COUNT 4

/* "info", "warning", "critical"; an out-of-range value reads "info". */
const char *severity_name(enum severity s);
/* The word as rule files and reports write it: 0 and *out, or -EINVAL. */
int severity_parse(const char *s, enum severity *out);

/* "ok", "warning", "critical", "unknown"; out of range reads "unknown". */
const char *status_name(enum status s);
/* "OK", "WARNING", "CRITICAL", "UNKNOWN": the plugin status line's word. */
const char *status_plugin_name(enum status s);
/* The lower-case name: 0 and *out, or -EINVAL. */
int status_parse(const char *s, enum status *out);

#endif
