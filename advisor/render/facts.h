/* facts: the `facts` listing of a host.
 *
 * Text: every present fact (name, value, unit, source) in catalog order,
 * then the absent facts with their reasons, the missing sources, and the
 * zones in pages.  JSON: "facts", "absent", "missing", "zones" in that
 * order.  Pure: appends to b; h is borrowed.
 */
#ifndef ADVISOR_RENDER_FACTS_H
#define ADVISOR_RENDER_FACTS_H

#include "../base/buf.h"
#include "../collect/host.h"

void facts_render_text(const struct host *h, struct buf *b);
void facts_render_json(const struct host *h, struct buf *b);

#endif
