/* sim_facts: the simulator's answer as sim.* facts, so the rules can size
 * the kswapd headroom from recorded bursts (`recommend --history H`).
 *
 * sim_add_facts() sets every sim.* fact of catalog_derived.def on f from
 * the result r (borrowed; one history's, or sim_joint's over several),
 * each with source (the whatif command that gives it); sim.wsf and
 * sim.recorded_wsf are absent on kernels without the sysctl.  sim_absent_facts() marks them absent with a
 * reason (no history given), so `facts` and `explain` say why.
 */
#ifndef ADVISOR_SIM_FACTS_H
#define ADVISOR_SIM_FACTS_H

#include "../facts/facts.h"
#include "sim.h"

void sim_add_facts(struct facts *f, const char *source, const struct sim_result *r);
void sim_absent_facts(struct facts *f, const char *reason);

#endif
