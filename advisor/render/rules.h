/* rules: the text of `rules list`: the profile, the rules it activates
 * after drop-ins (id, the sysctl set, priority, severity, file:line and
 * what a drop-in replaced), then its pins, bounds and waivers.
 * Pure: appends to b; rs and p are borrowed.
 */
#ifndef ADVISOR_RENDER_RULES_H
#define ADVISOR_RENDER_RULES_H

#include "../base/buf.h"
#include "../rules/profile.h"

void rules_render_list(const struct ruleset *rs, const struct profile *p, struct buf *b);

#endif
