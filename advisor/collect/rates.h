/* rates: per-second rates of the reclaim counters over a window.
 *
 * Since-boot counters say little about now, so rate.* facts come from two
 * samples of the same counters:
 *   - interval:   the live host sampled twice, S seconds apart;
 *   - baseline:   an earlier capture (tree or snapshot) of the same host
 *                 and this one, the window being the uptime difference;
 *   - since-boot: zero at boot and now, the window being the uptime.
 * Every call sets every rate.* fact (present or absent with a reason), so
 * a later call replaces an earlier one completely.  rate.kind says which.
 */
#ifndef ADVISOR_RATES_H
#define ADVISOR_RATES_H

#include "../base/diag.h"
#include "../base/fileio.h"
#include "host.h"

/* Since-boot averages from proc.uptime; absent when uptime is. */
void rates_since_boot(struct host *h);

/* Between an earlier host (same machine) and h.  Returns 0, or -EINVAL
 * (error appended to d) when either uptime is missing or the later uptime
 * is not larger (different boot); rate.* are then absent with the reason. */
int rates_baseline(const struct host *earlier, struct host *h, struct diag_list *d);

/* Sample proc/vmstat and proc/pressure/memory under r, sleep seconds,
 * sample again, and set rate.* over the measured (monotonic) window.
 * Returns 0, or -errno/-EINVAL with an error in d. */
int rates_interval(const struct root *r, double seconds, struct host *h, struct diag_list *d);

#endif
