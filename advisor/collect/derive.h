/* derive: facts computed from raw facts and zones (catalog_derived.def).
 *
 * Pure: reads host->facts and host->zi, writes derived facts back into
 * host->facts.  A derived fact whose inputs are absent is itself absent,
 * with a reason naming the missing input; never zero.  Kernel generations
 * are handled here: allocstall (one counter before 4.8, per zone after),
 * pgscan/pgsteal per zone before 4.8 (pgscan_direct_normal...) and per
 * node after, zoneinfo without `managed` before 3.8 (present is used).
 */
#ifndef ADVISOR_DERIVE_H
#define ADVISOR_DERIVE_H

#include "../base/diag.h"
#include "host.h"

#include <stdint.h>

/* The vmstat sums behind reclaim.* and rate.*.  what is one of
 * "allocstall", "pgscan_direct", "pgsteal_direct", "pgscan_kswapd",
 * "pgsteal_kswapd", "pgalloc", "workingset_refault" or a plain counter
 * name ("compact_stall").  Returns 0 and *out, or -ENODATA when none of the
 * counters is present. */
int derive_vmstat_sum(const struct facts *f, const char *what, int64_t *out);

/* Sources that must agree: the zones' managed pages and MemTotal (both
 * totalram-based).  All managed 0 against a non-zero MemTotal is an error
 * (-EINVAL, in d at origin); a difference beyond 4x (a composite capture)
 * a warning.  0 otherwise, also when either is absent.
 * Needs host.page_size. */
int derive_check_sources(const struct host *h, const char *origin, struct diag_list *d);

/* Compute every derived fact except rate.* (rates.h) and host.page_size
 * (the collector sets it).  Needs host.page_size for page conversions. */
void derive_facts(struct host *h);

#endif
