/* expr_int: the expression module's internal types (tokens, AST, arena).
 * Shared by expr_lex.c, expr_parse.c, expr_check.c, expr_eval.c and the
 * tests; not part of the public contract (expr.h). */
#ifndef ADVISOR_EXPR_INT_H
#define ADVISOR_EXPR_INT_H

#include "expr.h"

#include <stddef.h>
#include <stdint.h>

void *expr_arena_alloc(struct expr_arena *a, size_t n);

#endif
