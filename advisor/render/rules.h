/* rules: the text of `rules list`: the profile, the rules it activates
 * after drop-ins (id, the sysctl set, priority, severity, file:line and
 * what a drop-in replaced), then its pins, bounds and waivers; and the
 * closing line of `rules check`.
 * Pure: appends to b; rs and p are borrowed.
 */
#ifndef ADVISOR_RENDER_RULES_H
#define ADVISOR_RENDER_RULES_H

#include "../base/buf.h"
#include "../rules/profile.h"

void rules_render_list(const struct ruleset *rs, const struct profile *p, struct buf *b);

/* The closing line of `rules check`: with rs (the set loaded cleanly)
 * "rules check: ok: R rules (E enabled) in F files, digest D"; with rs
 * NULL "rules check: N errors", "(profiles included)" when nprof_err of
 * them are the profiles'. */
void rules_render_check(const struct ruleset *rs, size_t nerr, size_t nprof_err, struct buf *b);

#endif
