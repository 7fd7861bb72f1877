/* snapshot: a host as JSON, so a fleet can collect on hosts and analyse
 * elsewhere.
 *
 * Format ("schema": "reclaim-advisor/snapshot", "version": 1):
 *   inputs   {root, page_size, interval}
 *   facts    {name: value}          present facts, in name order
 *   sources  {name: source}         where each present fact came from
 *   absent   {name: reason}
 *   zones    [{node, zone, free, boost, min, low, high, promo, spanned,
 *              present, managed, cma, protection: [...], counters: {...}}]
 *            (fields the kernel did not print are omitted)
 *   node_stats [{node, counters: {...}}]
 *   missing  {source: reason}
 *   warnings [strings]
 * Deterministic: no timestamps, fixed key order, json-c keeps insertion
 * order.  Integers are written as JSON integers, floats with 17 significant
 * digits so they read back bit for bit.
 */
#ifndef ADVISOR_SNAPSHOT_H
#define ADVISOR_SNAPSHOT_H

#include "../base/buf.h"
#include "../base/diag.h"
#include "host.h"

struct snapshot_inputs {
	const char *root;        /* as given ("/" for live), or NULL */
	unsigned long page_size; /* 0 = not given */
	double interval;         /* 0 = none */
};

/* Append the snapshot JSON (pretty-printed, trailing newline) to out. */
void snapshot_write(const struct host *h, const struct snapshot_inputs *in, struct buf *out);

/* {source: reason} for every source f misses, in f's order: the snapshot's
 * "missing", and the facts listing's (render/facts.h).  Owned by the caller. */
struct json_object *snapshot_missing_json(const struct facts *f);

/* One zone as JSON: node, zone, every page count it printed
 * (zone_page_fields, collect/host.h), protection, counters.  The one zone
 * object of our documents: the snapshot's "zones" and `facts --format
 * json`'s.  Owned by the caller. */
struct json_object *snapshot_zone_json(const struct zone *z);

/* One fact value as JSON, as the snapshot writes it (floats in the shortest
 * text that reads back to the same double); the facts listing uses it too. */
struct json_object *snapshot_value_json(const struct value *v);

/* Parse a snapshot from a buffer.  origin names it in messages.  Returns 0
 * and fills *out (owned by the caller, host_free); or -EINVAL with errors
 * "origin:line:col: what was wrong" in d, *out untouched.  The values are
 * held to the same policy as a tree's: a catalog sysctl outside every
 * kernel's range is an error (host_sysctl_impossible), one outside the
 * range of the snapshot's kernel a warning (host_sysctl_range_warnings),
 * added to *out and, unless the snapshot carries it already, to d.  A
 * fact this build does not know is skipped with a warning, in *out and d. */
int snapshot_parse(const char *buf, size_t len, const char *origin, struct host *out,
		   struct diag_list *d);

/* Read and parse the file at path.  -errno when it cannot be read (error
 * in d), else as snapshot_parse. */
int snapshot_read(const char *path, struct host *out, struct diag_list *d);

#endif
