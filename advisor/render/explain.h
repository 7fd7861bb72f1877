/* explain: the text of `explain RULE-ID|SYSCTL`.
 *
 * For a rule: its text, where it is defined (and what it replaced), every
 * fact it reads with the value on this host, and what the engine did with
 * it (fired and won, lost and why, a finding, or skipped and why).
 * For a sysctl: its catalog entry (legal range on this kernel, safety
 * bounds here, default, merge direction, exclusive partner), the profile's
 * pin, bounds and waiver, every rule that sets it, and who wins.
 */
#ifndef ADVISOR_RENDER_EXPLAIN_H
#define ADVISOR_RENDER_EXPLAIN_H

#include "../advise/advise.h"
#include "../base/buf.h"

/* Append the explanation of what (a rule id of a->rs, else a sysctl name)
 * to b: 0, or -ENOENT when it names neither (nothing appended).  a and h
 * are borrowed; h is the host a was advised for. */
int explain_render(const struct advice *a, const struct host *h, const char *what, struct buf *b);

#endif
