/* expr: the rule expression language (lexer -> parser -> checker -> evaluator).
 *
 * Grammar (the README has the full version):
 *   expr   := or
 *   or     := and ("or" and)*
 *   and    := not ("and" not)*
 *   not    := "not" not | cmp
 *   cmp    := sum (("=="|"!="|"<"|"<="|">"|">=") sum)?
 *   sum    := prod (("+"|"-") prod)*
 *   prod   := unary (("*"|"/"|"%") unary)*
 *   unary  := "-" unary | atom
 *   atom   := NUMBER | SIZE | VERSION | STRING | "true" | "false" | NAME | NAME "(" args? ")" | "(" expr ")"
 * NAME is a dotted identifier (letters, digits, '_', '-', '.'), e.g.
 * vmstat.allocstall_normal or sysctl.vm.page-cluster; a '-' is part of a
 * name only between a letter/digit and a letter, so write binary minus
 * with spaces.  SIZE is an integer with a KiB/MiB/GiB/TiB suffix, in
 * bytes.  VERSION is a kernel version, 'v' then x.y or x.y.z (v5.8,
 * v5.15.58; each part 0..255), of type version.  ';' is not part of the language (no statements, and in
 * INI it reads as a comment: iniread.h).  Comparisons do not chain.
 *
 * Types (docs/expressions.md has the full rules and the functions): int op
 * int is an int, checked for overflow; a float operand makes a float; '/'
 * always yields a float; '%' takes ints only; no truthiness (and/or/not and
 * if() take bools).  Functions: min max clamp abs floor ceil round int
 * float sqrt log2 if(c, a, b) (lazy) has("fact") default(x, if_absent).
 *
 * Stages: expr_parse builds an AST in an arena (every node keeps its byte
 * span); expr_check resolves names and types against a callback and reports
 * every error with file:line:col; expr_eval computes a value against a fact
 * callback.  Evaluation errors (absent fact, division by zero, overflow)
 * are returned, never crash, and carry the span of the culprit.
 *
 * Ownership: nodes live in the arena given to expr_parse and die with it.
 * Values returned by expr_eval borrow strings from the AST or the facts.
 * expr_check records each node's static type in that arena (so the value
 * expr_eval returns always has the checked type): check before evaluating,
 * and do not check one tree from two threads at once.
 */
#ifndef ADVISOR_EXPR_H
#define ADVISOR_EXPR_H

#include "../base/diag.h"
#include "../facts/facts.h"

#include <stddef.h>

struct expr;
struct expr_arena;

/* The checker's type of a kernel version: a literal v5.8 or v5.15.58, or a
 * fact whose unit is UNIT_KVER (host.kernel_version).  At run time it is an
 * int in kver.h's encoding; statically it compares only with another
 * version (all six comparisons) and takes no arithmetic, so a rule cannot
 * compare the kernel with a bare 329728.  expr_names.lookup returns it for
 * such facts. */
#define EXPR_T_VERSION ((enum fact_type)(FACT_BOOL + 1))

struct expr_arena *expr_arena_new(void);
void expr_arena_free(struct expr_arena *a);

/* Where an expression's text sits in its file, for diagnostics.  text may
 * span several physical lines (continuations joined with '\n'); line/col
 * are those of text[0]. */
struct expr_src {
	const char *text;
	size_t len;
	const char *origin; /* file name */
	unsigned line, col;
};

/* Parse src into *out.  Returns 0, or -EINVAL with every syntax error
 * appended to d (origin:line:col, the source line and a caret). */
int expr_parse(struct expr_arena *a, const struct expr_src *src, struct expr **out,
	       struct diag_list *d);

/* Name resolution for the checker: return 0, the type of name and a slot
 * (the caller's id for it, e.g. its enum fact_id), or -ENOENT when the
 * name is unknown.  The checker keeps the slot in the tree and the
 * evaluator hands it back to expr_env.get, so names are resolved once, at
 * load time. */
struct expr_names {
	int (*lookup)(void *ctx, const char *name, enum fact_type *type, int *slot);
	void *ctx;
};

/* Check names, function arity and operand types.  *type receives the
 * expression's static type.  Returns 0 or -EINVAL with errors in d. */
int expr_check(const struct expr *e, const struct expr_src *src, const struct expr_names *names,
	       enum fact_type *type, struct diag_list *d);

/* Fact lookup for evaluation, by the slot expr_names.lookup gave for name
 * (name for messages): 0 and *out, -ENODATA when the fact is absent
 * (reason in *reason, borrowed), -ENOENT when unknown. */
struct expr_env {
	int (*get)(void *ctx, int slot, const char *name, struct value *out, const char **reason);
	void *ctx;
};

struct expr_error {
	int code;          /* -ENODATA absent fact, -EDOM division by zero or bad domain,
			    * -ERANGE overflow, -EINVAL type error at run time */
	size_t off, len;   /* span in the source text */
	char msg[256];
};

/* Evaluate.  Returns 0 and *out, or a negative code with *err filled.
 * and/or short-circuit: "has(x) and x > 0" never touches an absent x. */
int expr_eval(const struct expr *e, const struct expr_env *env, struct value *out,
	      struct expr_error *err);

/* Append a diagnostic about bytes [off, off+len) of src->text, with the
 * file position (newlines inside the text counted), the source line and a
 * caret, exactly as expr_parse and expr_check report theirs.  For callers
 * that turn an expr_error into a load or explain diagnostic. */
void expr_diag_at(struct diag_list *d, enum diag_sev sev, const struct expr_src *src, size_t off,
		  size_t len, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Call fn for every fact name the expression references (in source order,
 * duplicates included), for evidence lists. */
void expr_foreach_name(const struct expr *e, void (*fn)(void *ctx, const char *name), void *ctx);
/* The same without the names only tested by has("x"): the facts whose
 * values e reads (desired-state check, ruleset.h reads_current). */
void expr_foreach_value_name(const struct expr *e, void (*fn)(void *ctx, const char *name), void *ctx);

#endif
