/* tu_decision: a decision filled by hand for the tests of what reads a
 * plan (selection, rendering).  String literals: nothing to free. */
#ifndef TU_DECISION_H
#define TU_DECISION_H

#include "rules/engine.h"

#include <stdint.h>

#define TU_INT(x) ((struct value){.type = FACT_INT, .u.i = (x)})

/* key: current cur, recommended rec, kernel default def (< 0: unknown). */
static inline struct decision tu_decision(const char *key, int64_t cur, int64_t rec, int64_t def, const char *rule,
					  const char *why)
{
	struct decision d = {0};
	d.sysctl = (char *)key;
	d.has_current = true;
	d.current = TU_INT(cur);
	d.recommended = TU_INT(rec);
	d.has_default = def >= 0;
	d.kernel_default = TU_INT(def);
	d.changed = cur != rec;
	d.rule = (char *)rule;
	d.rule_file = (char *)"tests/rules-recommend/x.ini";
	d.rule_line = 3;
	d.severity = SEV_WARNING;
	d.confidence = CONF_HIGH;
	d.reason = (char *)why;
	return d;
}

#endif
