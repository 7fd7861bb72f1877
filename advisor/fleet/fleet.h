/* fleet: many audit or recommend JSON reports -> one summary.
 *
 * Reports are read one at a time (in batches parsed on worker threads) and
 * reduced at once to a small record per host: its id, status, group,
 * direct-reclaim/OOM flags and one (key, value, state) triple per sysctl,
 * with keys and values interned.  The JSON tree of a report is freed before
 * the next one is parsed, so memory grows with the number of hosts times
 * the number of keys, never with report size.
 *
 * Accepted documents:
 *   "schema": "reclaim-advisor/audit"  (schema/audit.schema.json): status,
 *            keys[].{sysctl, live, state}, findings[].severity,
 *            reclaim.{allocstall_per_second, oom_kills}, host.{id, ram_bytes, kernel};
 *   "schema": "reclaim-advisor/report" (schema/report.schema.json):
 *            recommendations[].{sysctl, current, recommended, changed},
 *            findings[].severity; a host whose recommendation changes a key
 *            counts that key as drift and the host as warning.
 * Anything else (not JSON, another schema, missing fields) is skipped with
 * a warning naming the file and why; the run never aborts on a report.
 *
 * One record per host: its id (host.id, which audit and recommend derive
 * the same way, collect/hostid.h; a report without one: as hostid.h would
 * from host.hostname, else host.origin, else the report's path) and its
 * host.hostname.  An audit supersedes a recommend report of the same host,
 * otherwise the later input wins.  Hosts that report one id under different
 * names (a cloned image copies etc/machine-id) are kept apart, listed as
 * sharing the id ("shared_ids"), and labelled "id (hostname)" everywhere.
 *
 * Groups: by default the RAM class (MemTotal rounded to the nearest power of
 * two: "16GiB"); with group_by a host field, label or fact ("kernel",
 * "virt", "role" from `audit --label role=db`, "host.container", ...)
 * looked up in the report's host object, its "facts" and its "labels".
 * Outliers (groups of 3+ hosts reporting a value for the key):
 *   - a key of the sysctl catalog in bytes or kB (min_free_kbytes,
 *     dirty_bytes, the reserves) scales with RAM: it is compared within a
 *     RAM class (inside each group), and a host agrees when its value is
 *     within RAM_TOLERANCE (1.5x) of the class median;
 *   - any other key is compared exactly with the most common value;
 *   - only against a majority: when no more than half of the hosts agree,
 *     the key is reported as having no majority and nobody is named.
 * A key listed without a live value ("(absent)") is not compared.
 *
 * Host lists and per-host records are in natural order of the host ids
 * (host8 before host10).  Output is deterministic for a given ordered list
 * of inputs (the caller sorts directory listings).  Ownership: a struct fleet owns everything in
 * it; fleet_free(NULL) is a no-op.
 */
#ifndef ADVISOR_FLEET_H
#define ADVISOR_FLEET_H

#include "../base/buf.h"
#include "../base/diag.h"

#include <stddef.h>

#define FLEET_SCHEMA_ID "reclaim-advisor/fleet"

struct fleet_opts {
	const char *group_by; /* NULL: RAM class */
	unsigned threads;     /* parser threads; 0 = online CPUs (max 8) */
	size_t top;           /* hosts/values listed per section in text (0 = 10) */
};

struct fleet;

struct fleet *fleet_new(const struct fleet_opts *o);
void fleet_free(struct fleet *f);

/* Add one report held in buf (origin names it in messages).  Returns 0, or
 * -EINVAL when it was skipped (a warning is appended to d). */
int fleet_add_report(struct fleet *f, const char *buf, size_t len, const char *origin,
		     struct diag_list *d);

/* Read and add the files paths[0..n) in that order.  An unreadable file is
 * skipped with a warning like a malformed one.  Returns the number of
 * reports added. */
size_t fleet_add_files(struct fleet *f, char *const *paths, size_t n, struct diag_list *d);

/* The report files args[0..n) name (fleet_find.c): a file as given (the
 * user's own: links followed); a directory walked recursively (as
 * Ansible's fetch lays reports out: DIR/<host>/...) in name order for
 * *.json, hidden entries ignored, links followed while they stay inside the
 * directory named, each directory walked once (by device and inode, so
 * loops end).  Nothing is dropped quietly: a directory that cannot be
 * listed and a dangling link are listed in *out too, so fleet_add_files
 * names them as skipped; a link leading outside the directory named (to /,
 * to a file elsewhere) is not followed but listed in *refused.  0 with
 * *out, *nout, *refused, *nrefused (owned: fleet_paths_free), or -errno
 * when args[*bad] does not exist (stat), nothing allocated. */
int fleet_find_reports(char *const *args, size_t n, char ***out, size_t *nout, char ***refused, size_t *nrefused,
		       size_t *bad);
void fleet_paths_free(char **v, size_t n);

/* A fleet of the reports args[0..n) name (fleet_find_reports, then
 * fleet_add_files with o's threads: a report skipped is a warning in d).
 * 0 with *out (fleet_free) and *nfiles, the report files found (0: none,
 * the fleet is empty); or -errno when args[i] does not exist, with the
 * reason as an error in d whose origin is args[i], *out untouched. */
int fleet_load(char *const *args, size_t n, const struct fleet_opts *o, struct fleet **out, size_t *nfiles,
	       struct diag_list *d);

size_t fleet_nhosts(const struct fleet *f);
size_t fleet_nskipped(const struct fleet *f);
/* Count file as skipped input, why as its reason (a warning in d). */
void fleet_skip(struct fleet *f, const char *file, const char *why, struct diag_list *d);

/* Text summary: hosts by state, keys that drift most, hosts with direct
 * reclaim or OOM, outliers per group, hosts sharing an id, per-key value histograms, skipped
 * reports. */
void fleet_render_text(const struct fleet *f, struct buf *out);
/* The same as a JSON document ("schema": "reclaim-advisor/fleet"), with
 * the shared ids and one record per host ("host_records": id, hostname,
 * label, file, report kind, status,
 * group, RAM class and bytes, kernel, direct reclaim, OOM kills and the
 * report's keys with value and state). */
void fleet_render_json(const struct fleet *f, struct buf *out);

#endif
