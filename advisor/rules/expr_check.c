/* The expression checker: names, function arity and operand types, before
 * any host is seen, so a rule file with a typo fails `rules check` rather
 * than a run.  Every error is reported (the walk continues past one); a
 * subtree with an error has type T_BAD, which silences the errors it would
 * otherwise cause further up ("unknown name x" is enough, no need to add
 * "cannot add str and ?").
 *
 * The static type of each node is written into its annotation slot, so the
 * evaluator can give every value its checked type (docs/expressions.md,
 * "Types").
 */
#include "expr_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define T_BAD 0 /* an error was reported below */

struct checker {
	const struct expr_src *src;
	const struct expr_names *names;
	struct diag_list *d;
	unsigned nerr;
};

static void cerr(struct checker *c, size_t off, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void cerr(struct checker *c, size_t off, size_t len, const char *fmt, ...)
{
	c->nerr++;
	if (!c->d)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	expr_diag_at(c->d, DIAG_ERROR, c->src, off, len, "%s", msg);
}

static const char *tname(int t)
{
	switch (t) {
	case FACT_INT: return "int";
	case FACT_FLOAT: return "float";
	case FACT_STR: return "str";
	case FACT_BOOL: return "bool";
	case EXPR_T_VERSION: return "version";
	default: return "?";
	}
}

static bool is_num(int t)
{
	return t == FACT_INT || t == FACT_FLOAT;
}

static const char *op_name(enum expr_op op)
{
	static const char *const n[] = { "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=" };
	return n[op];
}

static int check(struct checker *c, const struct expr *e);

/* The type of two values that meet (if branches, min/max arguments):
 * equal types stay, int and float give float, anything else T_BAD. */
static int join(int a, int b)
{
	if (a == b)
		return a;
	if (is_num(a) && is_num(b))
		return FACT_FLOAT;
	return T_BAD;
}

/* A kernel version met a number: say how to write the version. */
static const char *ver_hint(int l, int r)
{
	return (l == EXPR_T_VERSION) != (r == EXPR_T_VERSION) && (is_num(l) || is_num(r))
		       ? " (write a kernel version as v5.8 or v5.15.58)"
		       : "";
}

static int check_bin(struct checker *c, const struct expr *e)
{
	int l = check(c, e->l), r = check(c, e->r);
	if (l == T_BAD || r == T_BAD)
		return T_BAD;
	const char *op = op_name(e->op);
	switch (e->op) {
	case OP_ADD:
	case OP_SUB:
	case OP_MUL:
		if (is_num(l) && is_num(r))
			return l == FACT_INT && r == FACT_INT ? FACT_INT : FACT_FLOAT;
		break;
	case OP_DIV:
		/* Always a float (jq, awk): 3 / 2 is 1.5, and floor(), ceil(),
		 * round() or int() say which integer is wanted. */
		if (is_num(l) && is_num(r))
			return FACT_FLOAT;
		break;
	case OP_MOD:
		if (l == FACT_INT && r == FACT_INT)
			return FACT_INT;
		if (is_num(l) && is_num(r)) {
			cerr(c, e->op_off, e->op_len,
			     "'%%' needs two ints, got %s and %s (convert with int(), floor() or round())",
			     tname(l), tname(r));
			return T_BAD;
		}
		break;
	case OP_EQ:
	case OP_NE:
		if ((is_num(l) && is_num(r)) || l == r)
			return FACT_BOOL;
		cerr(c, e->op_off, e->op_len, "cannot compare %s with %s%s", tname(l), tname(r), ver_hint(l, r));
		return T_BAD;
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		if ((is_num(l) && is_num(r)) || (l == FACT_STR && r == FACT_STR) ||
		    (l == EXPR_T_VERSION && r == EXPR_T_VERSION))
			return FACT_BOOL;
		if (l == FACT_BOOL && r == FACT_BOOL)
			cerr(c, e->op_off, e->op_len, "'%s' does not order bools: only == and != apply", op);
		else
			cerr(c, e->op_off, e->op_len, "cannot compare %s with %s%s", tname(l), tname(r),
			     ver_hint(l, r));
		return T_BAD;
	}
	cerr(c, e->op_off, e->op_len, "'%s' needs numbers, got %s and %s", op, tname(l), tname(r));
	return T_BAD;
}

static int check_logic(struct checker *c, const struct expr *e)
{
	const char *op = e->kind == N_AND ? "and" : "or";
	int l = check(c, e->l), r = check(c, e->r);
	bool ok = l != T_BAD && r != T_BAD;
	if (l != T_BAD && l != FACT_BOOL) {
		cerr(c, e->l->off, e->l->len, "left operand of '%s' is %s, not bool%s", op, tname(l),
		     is_num(l) ? " (write 'x != 0' to test a number)" : "");
		ok = false;
	}
	if (r != T_BAD && r != FACT_BOOL) {
		cerr(c, e->r->off, e->r->len, "right operand of '%s' is %s, not bool%s", op, tname(r),
		     is_num(r) ? " (write 'x != 0' to test a number)" : "");
		ok = false;
	}
	return ok ? FACT_BOOL : T_BAD;
}

static int check_call(struct checker *c, const struct expr *e)
{
	const struct expr_fn_def *def = expr_fn_def(e->fn);
	bool bad = false;

	/* has() names a fact in a string literal: check the name, not the
	 * string. */
	if (e->fn == EXPR_FN_HAS) {
		if (e->nargs != 1) {
			cerr(c, e->off, e->len, "has() takes 1 argument, got %zu", e->nargs);
			return T_BAD;
		}
		const struct expr *a = e->args[0];
		if (a->kind != N_STR) {
			cerr(c, a->off, a->len, "has() takes a fact name as a string literal, e.g. has(\"vmstat.oom_kill\")");
			return T_BAD;
		}
		enum fact_type ft;
		if (!c->names || !c->names->lookup ||
		    c->names->lookup(c->names->ctx, a->s, &ft, a->slot) != 0) {
			char q[80];
			expr_printable(a->s, strlen(a->s), q, sizeof(q));
			cerr(c, a->off, a->len, "unknown name '%s' in has()", q);
			return T_BAD;
		}
		*a->ty = FACT_STR;
		return FACT_BOOL;
	}

	if (!def) {
		char list[256] = "";
		for (unsigned i = 0; i < EXPR_FN_UNKNOWN; i++) {
			size_t n = strlen(list);
			snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", expr_fn_def(i)->name);
		}
		cerr(c, e->off, e->name_len, "unknown function '%s' (functions: %s)", e->s, list);
		bad = true;
	} else if ((int)e->nargs < def->min_args || (def->max_args >= 0 && (int)e->nargs > def->max_args)) {
		if (def->min_args == def->max_args)
			cerr(c, e->off, e->len, "%s() takes %d argument%s, got %zu", def->name, def->min_args,
			     def->min_args == 1 ? "" : "s", e->nargs);
		else
			cerr(c, e->off, e->len, "%s() takes at least %d arguments, got %zu", def->name,
			     def->min_args, e->nargs);
		bad = true;
	}
	/* The arguments after the call's own error: diagnostics come in
	 * source order. */
	for (size_t i = 0; i < e->nargs; i++)
		bad = check(c, e->args[i]) == T_BAD || bad;
	if (bad)
		return T_BAD;

	/* The arity is right and every argument checked: their types sit
	 * in the annotation slots. */
	int at[3] = { 0 };
	for (size_t i = 0; i < e->nargs && i < 3; i++)
		at[i] = (int)*e->args[i]->ty;

	switch (e->fn) {
	case EXPR_FN_MIN:
	case EXPR_FN_MAX:
	case EXPR_FN_CLAMP: {
		int t = FACT_INT;
		for (size_t i = 0; i < e->nargs; i++) {
			int ai = (int)*e->args[i]->ty;
			if (!is_num(ai)) {
				cerr(c, e->args[i]->off, e->args[i]->len, "argument %zu of %s() is %s, not a number",
				     i + 1, def->name, tname(ai));
				bad = true;
				continue;
			}
			t = join(t, ai);
		}
		return bad ? T_BAD : t;
	}
	case EXPR_FN_ABS:
		if (is_num(at[0]))
			return at[0];
		break;
	case EXPR_FN_FLOOR:
	case EXPR_FN_CEIL:
	case EXPR_FN_ROUND:
		if (is_num(at[0]))
			return FACT_INT;
		break;
	case EXPR_FN_INT:
		if (is_num(at[0]) || at[0] == FACT_BOOL)
			return FACT_INT;
		cerr(c, e->args[0]->off, e->args[0]->len, "int() takes a number or a bool, got %s", tname(at[0]));
		return T_BAD;
	case EXPR_FN_FLOAT:
	case EXPR_FN_SQRT:
	case EXPR_FN_LOG2:
		if (is_num(at[0]))
			return FACT_FLOAT;
		break;
	case EXPR_FN_IF: {
		if (at[0] != FACT_BOOL) {
			cerr(c, e->args[0]->off, e->args[0]->len, "the condition of if() is %s, not bool",
			     tname(at[0]));
			bad = true;
		}
		int t = join(at[1], at[2]);
		if (t == T_BAD) {
			cerr(c, e->args[1]->off, e->args[2]->off + e->args[2]->len - e->args[1]->off,
			     "the branches of if() have different types: %s and %s", tname(at[1]), tname(at[2]));
			return T_BAD;
		}
		return bad ? T_BAD : t;
	}
	case EXPR_FN_DEFAULT: {
		int t = join(at[0], at[1]);
		if (t == T_BAD) {
			cerr(c, e->off, e->len, "the arguments of default() have different types: %s and %s",
			     tname(at[0]), tname(at[1]));
			return T_BAD;
		}
		return t;
	}
	default:
		break;
	}
	cerr(c, e->args[0]->off, e->args[0]->len, "%s() takes a number, got %s", def->name, tname(at[0]));
	return T_BAD;
}

static int check_node(struct checker *c, const struct expr *e)
{
	switch (e->kind) {
	case N_INT:
		return FACT_INT;
	case N_VERSION:
		return EXPR_T_VERSION;
	case N_FLOAT:
		return FACT_FLOAT;
	case N_STR:
		return FACT_STR;
	case N_BOOL:
		return FACT_BOOL;
	case N_NAME: {
		enum fact_type t;
		if (c->names && c->names->lookup && c->names->lookup(c->names->ctx, e->s, &t, e->slot) == 0 &&
		    ((t >= FACT_INT && t <= FACT_BOOL) || t == EXPR_T_VERSION))
			return t;
		/* The name rule lets "a-b" be one name; say how to subtract. */
		if (strchr(e->s, '-'))
			cerr(c, e->off, e->len, "unknown name '%s' (to subtract, put spaces around '-')", e->s);
		else
			cerr(c, e->off, e->len, "unknown name '%s'", e->s);
		return T_BAD;
	}
	case N_NEG: {
		int t = check(c, e->l);
		if (t == T_BAD || is_num(t))
			return t;
		cerr(c, e->op_off, e->op_len, "cannot negate %s", tname(t));
		return T_BAD;
	}
	case N_NOT: {
		int t = check(c, e->l);
		if (t == T_BAD || t == FACT_BOOL)
			return t;
		cerr(c, e->l->off, e->l->len, "operand of 'not' is %s, not bool", tname(t));
		return T_BAD;
	}
	case N_BIN:
		return check_bin(c, e);
	case N_AND:
	case N_OR:
		return check_logic(c, e);
	case N_CALL:
		return check_call(c, e);
	}
	return T_BAD;
}

static int check(struct checker *c, const struct expr *e)
{
	int t = check_node(c, e);
	*e->ty = (enum fact_type)t;
	return t;
}

int expr_check(const struct expr *e, const struct expr_src *src, const struct expr_names *names,
	       enum fact_type *type, struct diag_list *d)
{
	if (!e)
		return -EINVAL;
	struct checker c = { .src = src, .names = names, .d = d };
	int t = check(&c, e);
	if (c.nerr || t == T_BAD)
		return -EINVAL;
	*type = (enum fact_type)t;
	return 0;
}
