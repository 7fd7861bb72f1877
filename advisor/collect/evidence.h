/* evidence: how much the direct reclaim evidence may be trusted.
 *
 * The one table behind every confidence a watermark rule states
 * (rules/README.md, "Evidence and confidence"); the engine then makes no
 * change at low confidence.  Inputs: rate.kind and rate.window_s (a measured
 * window, since-boot averages, or nothing), the direct reclaim entries in
 * that evidence, and host.lru:
 *
 *   evidence                         medium                    high
 *   measured window (interval,       >= N entries and          >= N entries and
 *   baseline)                        >= 10 s                   >= 60 s
 *   since boot, uptime known         >= 10 N entries and       never (bursts
 *                                    >= 1 day of uptime        are averaged away)
 *   no uptime, no window             never                     never
 *   everything else is low.  N = 10 with the classic LRU (or unknown), 50
 *   with MGLRU, whose direct reclaim stops near nr_to_reclaim
 *   (should_abort_scan) where the classic LRU's scans on proportionally
 *   (shrink_lruvec): the same deficit is several times more entries there.
 *
 * evidence_level sets evidence.level, evidence.stalls and evidence.why from
 * the facts (rates_* call it whenever they set or clear the rate.* facts).
 */
#ifndef ADVISOR_EVIDENCE_H
#define ADVISOR_EVIDENCE_H

#include "../facts/facts.h"

void evidence_level(struct facts *f);

#endif
