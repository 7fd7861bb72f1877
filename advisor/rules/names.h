/* names: the fact names a rule or an expression reads, each once, in the
 * order first met.  Private to advisor/rules/: the one collector behind
 * rule_foreach_fact (rule_build.c), a rule's evidence and the "when was
 * false" explanation (why.c).  An expression names a fact as often as it
 * reads it (expr_foreach_name reports every occurrence), so the set drops
 * repeats; "value" is the rule's proposed value, not a fact, and is never
 * added.
 *
 * A struct names owns its copies; names_free releases them (v may also be
 * taken over by the caller, who then frees each string and the array). */
#ifndef ADVISOR_RULES_NAMES_H
#define ADVISOR_RULES_NAMES_H

#include <stdbool.h>
#include <stddef.h>

struct names {
	char **v;
	size_t n;
};

/* Add a copy of name unless it is "value" or already in ns: true when
 * added. */
bool names_add(struct names *ns, const char *name);
/* names_add as a callback for expr_foreach_name and rule_foreach_fact
 * (ctx: the struct names). */
void names_collect(void *ctx, const char *name);
void names_free(struct names *ns);

#endif
