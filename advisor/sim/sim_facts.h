/* sim_facts: the simulator's answer as sim.* facts, so the rules can size
 * the kswapd headroom from recorded bursts (`recommend --history H`).
 *
 * sim_add_facts() sets every sim.* fact of catalog_derived.def on f from
 * the history h and the result r (both borrowed); sim.wsf and
 * sim.recorded_wsf are absent on kernels without the sysctl.  The source of
 * each fact names the history.  sim_absent_facts() marks them absent with a
 * reason (no history given), so `facts` and `explain` say why.
 */
#ifndef ADVISOR_SIM_FACTS_H
#define ADVISOR_SIM_FACTS_H

#include "../facts/facts.h"
#include "sim.h"

void sim_add_facts(struct facts *f, const struct history *h, const struct sim_result *r);
void sim_absent_facts(struct facts *f, const char *reason);

#endif
