/* engine_int: what engine.c (rules x facts -> plan) and why.c (the words
 * of a plan: why texts, the facts a rule read) share.  Private to
 * advisor/rules/; callers use engine.h.
 *
 * Strings returned are new (the caller frees them); evidence arrays go back
 * through why_evidence_free. */
#ifndef ADVISOR_ENGINE_INT_H
#define ADVISOR_ENGINE_INT_H

#include "../base/buf.h"
#include "engine.h"
#include "expr.h"
#include "ruleset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Evaluate one of a rule's expressions over the host's facts (f may be
 * NULL: every fact absent).  `value` is the rule's proposed value, readable
 * as `value` only when has_value.  0, or the evaluator's error in *err (an
 * absent fact says why it is absent). */
int engine_eval(const struct rule_expr *x, const struct facts *f, bool has_value, int64_t value,
		struct value *out, struct expr_error *err);

/* The rule's why template rendered for this host: literal text with
 * continuations read as one space, each {expr:unit} hole evaluated and
 * written in its unit (sizes through base/bytefmt.h); a hole that cannot be
 * evaluated reads "(unknown: reason)".  Never NULL. */
char *why_render(const struct rule *r, const struct facts *f, bool has_value, int64_t value);

/* Literal rule text (a when, a description) on one line: "\n" plus the
 * next line's indentation reads as one space.  Never NULL. */
char *why_flat(const char *s);

/* Append " (rate.allocstall = 0, host.numa_nodes = 1)": the facts expression
 * x read and their values on this host ("absent" when not collected;
 * kernel versions as the rule writes them).  Nothing when x reads none. */
void why_facts_used(struct buf *b, const struct rule_expr *x, const struct facts *f);

/* The distinct fact names expression x reads, in order of first use
 * (`value` left out); NULL when none.  The caller frees each and the
 * array. */
char **why_fact_names(const struct rule_expr *x, size_t *n);

/* Every fact rule r reads (when, value, confidence, why), once each, with
 * its value on this host or the reason it is absent: the evidence of a
 * decision or finding.  *out is NULL when *n is 0. */
void why_evidence(const struct rule *r, const struct facts *f, struct evidence **out, size_t *n);
void why_evidence_free(struct evidence *ev, size_t n);

#endif
