/* The expression evaluator: a recursive walk over a checked tree.
 *
 * Nothing here may crash on a host's data: an absent fact, a division by
 * zero, an integer overflow or a non-finite float becomes an expr_error with
 * the span of the culprit and a sentence the report can show ("vmstat.
 * oom_kill is absent: proc/vmstat not present"), and the engine skips the
 * rule.  The walk is also safe on an unchecked tree (the fuzzer does that):
 * an operand of the wrong type is a run-time -EINVAL, never a misread union.
 *
 * Invariant: every float the evaluator produces is finite.  A result that
 * would be inf or NaN is -ERANGE (or -EDOM for sqrt/log2 of a bad domain),
 * so comparisons and conversions never see one unless a fact carried it.
 */
#include "expr_int.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct ev {
	const struct expr_env *env;
	struct expr_error *err;
};

static int fail(struct ev *v, int code, const struct expr *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct ev *v, int code, const struct expr *at, const char *fmt, ...)
{
	v->err->code = code;
	v->err->off = at->off;
	v->err->len = at->len;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->err->msg, sizeof(v->err->msg), fmt, ap);
	va_end(ap);
	return code;
}

static const char *tname(enum fact_type t)
{
	switch (t) {
	case FACT_INT: return "int";
	case FACT_FLOAT: return "float";
	case FACT_STR: return "str";
	case FACT_BOOL: return "bool";
	}
	return "?";
}

static bool is_num(const struct value *x)
{
	return x->type == FACT_INT || x->type == FACT_FLOAT;
}

static double num(const struct value *x)
{
	return x->type == FACT_INT ? (double)x->u.i : x->u.f;
}

static struct value mk_int(int64_t i)
{
	return (struct value){ .type = FACT_INT, .u.i = i };
}

static struct value mk_float(double f)
{
	return (struct value){ .type = FACT_FLOAT, .u.f = f };
}

static struct value mk_bool(bool b)
{
	return (struct value){ .type = FACT_BOOL, .u.b = b };
}

/* Compare an int with a float exactly: converting a large int64 to double
 * would round (2^53 + 1 == 2^53 + 1.0 must be false).  NaN is handled by
 * the caller.  Returns -1, 0 or 1. */
static int cmp_int_float(int64_t a, double b)
{
	if (b >= 9223372036854775808.0)
		return -1;
	if (b < -9223372036854775808.0)
		return 1;
	double t = trunc(b); /* fits int64 now */
	int64_t bi = (int64_t)t;
	if (a != bi)
		return a < bi ? -1 : 1;
	double frac = b - t;
	return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

/* Numeric comparison; *unordered is set when a NaN is involved. */
static int cmp_num(const struct value *a, const struct value *b, bool *unordered)
{
	*unordered = false;
	if (a->type == FACT_INT && b->type == FACT_INT)
		return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
	if ((a->type == FACT_FLOAT && isnan(a->u.f)) || (b->type == FACT_FLOAT && isnan(b->u.f))) {
		*unordered = true;
		return 0;
	}
	if (a->type == FACT_INT)
		return cmp_int_float(a->u.i, b->u.f);
	if (b->type == FACT_INT)
		return -cmp_int_float(b->u.i, a->u.f);
	return a->u.f < b->u.f ? -1 : a->u.f > b->u.f;
}

static int eval(struct ev *v, const struct expr *e, struct value *out);

static const char *op_name(enum expr_op op)
{
	static const char *const n[] = { "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=" };
	return n[op];
}

static int eval_name(struct ev *v, const struct expr *e, struct value *out)
{
	const char *reason = NULL;
	struct value x = { 0 };
	int rc = v->env && v->env->get ? v->env->get(v->env->ctx, *e->slot, e->s, &x, &reason) : -ENOENT;
	if (rc == -ENODATA) {
		if (reason && *reason)
			return fail(v, -ENODATA, e, "%s is absent: %s", e->s, reason);
		return fail(v, -ENODATA, e, "%s is absent", e->s);
	}
	if (rc == -ENOENT)
		return fail(v, -ENODATA, e, "%s is absent: no value was collected", e->s);
	if (rc)
		return fail(v, rc < 0 ? rc : -EINVAL, e, "%s: lookup failed (%s)", e->s, strerror(rc < 0 ? -rc : rc));
	if (x.type < FACT_INT || x.type > FACT_BOOL || (x.type == FACT_STR && !x.u.s))
		return fail(v, -EINVAL, e, "%s has no valid value", e->s);
	enum fact_type want = *e->ty;
	if (want && x.type != want && !(want == FACT_FLOAT && x.type == FACT_INT) &&
	    !(want == EXPR_T_VERSION && x.type == FACT_INT))
		return fail(v, -EINVAL, e, "%s is %s, but was checked as %s", e->s, tname(x.type), tname(want));
	*out = x;
	return 0;
}

static int eval_arith(struct ev *v, const struct expr *e, const struct value *a, const struct value *b,
		      struct value *out)
{
	if (!is_num(a) || !is_num(b))
		return fail(v, -EINVAL, e, "'%s' needs numbers, got %s and %s", op_name(e->op), tname(a->type),
			    tname(b->type));
	bool ints = a->type == FACT_INT && b->type == FACT_INT;
	bool zero = b->type == FACT_INT ? b->u.i == 0 : b->u.f == 0.0;
	if ((e->op == OP_DIV || e->op == OP_MOD) && zero) {
		const char *what = e->op == OP_DIV ? "division" : "modulo";
		if (e->r->kind == N_NAME)
			return fail(v, -EDOM, e->r, "%s by zero: %s is 0", what, e->r->s);
		return fail(v, -EDOM, e->r, "%s by zero", what);
	}
	if (ints) {
		int64_t x = a->u.i, y = b->u.i, r = 0;
		bool ovf = false;
		switch (e->op) {
		case OP_ADD: ovf = __builtin_add_overflow(x, y, &r); break;
		case OP_SUB: ovf = __builtin_sub_overflow(x, y, &r); break;
		case OP_MUL: ovf = __builtin_mul_overflow(x, y, &r); break;
		case OP_DIV:
			*out = mk_float((double)x / (double)y);
			return 0;
		case OP_MOD:
			/* INT64_MIN % -1 is undefined in C; its value is 0. */
			r = y == -1 ? 0 : x % y;
			break;
		default: break;
		}
		if (ovf)
			return fail(v, -ERANGE, e, "integer overflow: %" PRId64 " %s %" PRId64 " does not fit 64 bits", x,
				    op_name(e->op), y);
		*out = mk_int(r);
		return 0;
	}
	if (e->op == OP_MOD)
		return fail(v, -EINVAL, e, "'%%' needs two ints, got %s and %s", tname(a->type), tname(b->type));
	double x = num(a), y = num(b), r = 0;
	switch (e->op) {
	case OP_ADD: r = x + y; break;
	case OP_SUB: r = x - y; break;
	case OP_MUL: r = x * y; break;
	case OP_DIV: r = x / y; break;
	default: break;
	}
	if (!isfinite(r))
		return fail(v, -ERANGE, e, "%g %s %g is out of the range of a float", x, op_name(e->op), y);
	*out = mk_float(r);
	return 0;
}

static int eval_cmp(struct ev *v, const struct expr *e, const struct value *a, const struct value *b,
		    struct value *out)
{
	int c;
	if (is_num(a) && is_num(b)) {
		bool unordered;
		c = cmp_num(a, b, &unordered);
		if (unordered) {
			*out = mk_bool(e->op == OP_NE);
			return 0;
		}
	} else if (a->type == FACT_STR && b->type == FACT_STR) {
		c = strcmp(a->u.s, b->u.s);
		c = c < 0 ? -1 : c > 0;
	} else if (a->type == FACT_BOOL && b->type == FACT_BOOL && (e->op == OP_EQ || e->op == OP_NE)) {
		c = a->u.b != b->u.b;
	} else {
		return fail(v, -EINVAL, e, "cannot apply '%s' to %s and %s", op_name(e->op), tname(a->type),
			    tname(b->type));
	}
	bool r = false;
	switch (e->op) {
	case OP_EQ: r = c == 0; break;
	case OP_NE: r = c != 0; break;
	case OP_LT: r = c < 0; break;
	case OP_LE: r = c <= 0; break;
	case OP_GT: r = c > 0; break;
	case OP_GE: r = c >= 0; break;
	default: break;
	}
	*out = mk_bool(r);
	return 0;
}

static int eval_bool(struct ev *v, const struct expr *e, bool *b, const char *what)
{
	struct value x;
	int rc = eval(v, e, &x);
	if (rc)
		return rc;
	if (x.type != FACT_BOOL)
		return fail(v, -EINVAL, e, "%s is %s, not bool", what, tname(x.type));
	*b = x.u.b;
	return 0;
}

static int eval_num(struct ev *v, const struct expr *e, struct value *x, const char *fn, size_t i)
{
	int rc = eval(v, e, x);
	if (rc)
		return rc;
	if (!is_num(x))
		return fail(v, -EINVAL, e, "argument %zu of %s() is %s, not a number", i + 1, fn, tname(x->type));
	return 0;
}

/* floor, ceil, round, int of a float, into an int64. */
static int to_int(struct ev *v, const struct expr *e, const char *fn, double f, struct value *out)
{
	if (isnan(f))
		return fail(v, -EDOM, e, "%s() of NaN", fn);
	if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
		return fail(v, -ERANGE, e, "%s(%g) does not fit a 64-bit integer", fn, f);
	*out = mk_int((int64_t)f);
	return 0;
}

static int eval_call(struct ev *v, const struct expr *e, struct value *out)
{
	const struct expr_fn_def *def = expr_fn_def(e->fn);
	if (!def)
		return fail(v, -EINVAL, e, "unknown function '%s'", e->s);
	if ((int)e->nargs < def->min_args || (def->max_args >= 0 && (int)e->nargs > def->max_args))
		return fail(v, -EINVAL, e, "wrong number of arguments to %s()", def->name);

	struct value x, y, z;
	int rc;
	switch (e->fn) {
	case EXPR_FN_MIN:
	case EXPR_FN_MAX: {
		bool any_float = false;
		for (size_t i = 0; i < e->nargs; i++) {
			if ((rc = eval_num(v, e->args[i], &y, def->name, i)))
				return rc;
			any_float = any_float || y.type == FACT_FLOAT;
			bool unordered;
			int c = i ? cmp_num(&y, &x, &unordered) : 0;
			if (i == 0 || (!unordered && (e->fn == EXPR_FN_MIN ? c < 0 : c > 0)))
				x = y;
		}
		*out = any_float && x.type == FACT_INT ? mk_float((double)x.u.i) : x;
		return 0;
	}
	case EXPR_FN_CLAMP: {
		if ((rc = eval_num(v, e->args[0], &x, "clamp", 0)) || (rc = eval_num(v, e->args[1], &y, "clamp", 1)) ||
		    (rc = eval_num(v, e->args[2], &z, "clamp", 2)))
			return rc;
		bool u1, u2;
		if (cmp_num(&y, &z, &u1) > 0)
			return fail(v, -EDOM, e, "clamp(): the lower bound %g is above the upper bound %g", num(&y),
				    num(&z));
		struct value r = x;
		if (cmp_num(&x, &y, &u1) < 0)
			r = y;
		else if (cmp_num(&x, &z, &u2) > 0)
			r = z;
		bool any_float = x.type == FACT_FLOAT || y.type == FACT_FLOAT || z.type == FACT_FLOAT;
		*out = any_float && r.type == FACT_INT ? mk_float((double)r.u.i) : r;
		return 0;
	}
	case EXPR_FN_ABS:
		if ((rc = eval_num(v, e->args[0], &x, "abs", 0)))
			return rc;
		if (x.type == FACT_FLOAT) {
			*out = mk_float(fabs(x.u.f));
			return 0;
		}
		if (x.u.i == INT64_MIN)
			return fail(v, -ERANGE, e, "abs(%" PRId64 ") does not fit 64 bits", x.u.i);
		*out = mk_int(x.u.i < 0 ? -x.u.i : x.u.i);
		return 0;
	case EXPR_FN_FLOOR:
	case EXPR_FN_CEIL:
	case EXPR_FN_ROUND:
	case EXPR_FN_INT:
		if ((rc = eval(v, e->args[0], &x)))
			return rc;
		if (e->fn == EXPR_FN_INT && x.type == FACT_BOOL) {
			*out = mk_int(x.u.b);
			return 0;
		}
		if (!is_num(&x))
			return fail(v, -EINVAL, e->args[0], "%s() takes a number, got %s", def->name, tname(x.type));
		if (x.type == FACT_INT) {
			*out = x;
			return 0;
		}
		/* round() halves away from zero (C's round), int() truncates
		 * toward zero. */
		return to_int(v, e, def->name,
			      e->fn == EXPR_FN_FLOOR ? floor(x.u.f)
			      : e->fn == EXPR_FN_CEIL ? ceil(x.u.f)
			      : e->fn == EXPR_FN_ROUND ? round(x.u.f)
						       : trunc(x.u.f),
			      out);
	case EXPR_FN_FLOAT:
		if ((rc = eval_num(v, e->args[0], &x, "float", 0)))
			return rc;
		*out = mk_float(num(&x));
		return 0;
	case EXPR_FN_SQRT:
		if ((rc = eval_num(v, e->args[0], &x, "sqrt", 0)))
			return rc;
		if (num(&x) < 0 || isnan(num(&x)))
			return fail(v, -EDOM, e, "sqrt() of a negative number (%g)", num(&x));
		*out = mk_float(sqrt(num(&x)));
		return 0;
	case EXPR_FN_LOG2:
		if ((rc = eval_num(v, e->args[0], &x, "log2", 0)))
			return rc;
		if (!(num(&x) > 0))
			return fail(v, -EDOM, e, "log2() of a number that is not positive (%g)", num(&x));
		*out = mk_float(log2(num(&x)));
		if (!isfinite(out->u.f))
			return fail(v, -ERANGE, e, "log2(%g) is out of range", num(&x));
		return 0;
	case EXPR_FN_IF: {
		bool c;
		if ((rc = eval_bool(v, e->args[0], &c, "the condition of if()")))
			return rc;
		/* Lazy: the branch not taken may divide by zero or read an
		 * absent fact; that is what if() is for. */
		return eval(v, e->args[c ? 1 : 2], out);
	}
	case EXPR_FN_HAS: {
		const struct expr *a = e->args[0];
		if (a->kind != N_STR)
			return fail(v, -EINVAL, a, "has() takes a string literal");
		const char *reason = NULL;
		struct value tmp;
		*out = mk_bool(v->env && v->env->get && v->env->get(v->env->ctx, *a->slot, a->s, &tmp, &reason) == 0);
		return 0;
	}
	case EXPR_FN_DEFAULT:
		/* Only absence is replaced: a division by zero inside x is a
		 * bug in the rule, not a missing input, and must stay loud. */
		rc = eval(v, e->args[0], out);
		if (rc == -ENODATA)
			return eval(v, e->args[1], out);
		return rc;
	default:
		return fail(v, -EINVAL, e, "unknown function '%s'", e->s);
	}
}

static int eval_node(struct ev *v, const struct expr *e, struct value *out)
{
	struct value a, b;
	int rc;
	switch (e->kind) {
	case N_INT:
	case N_VERSION: /* an int at run time; the checker keeps versions apart */
		*out = mk_int(e->i);
		return 0;
	case N_FLOAT:
		*out = mk_float(e->f);
		return 0;
	case N_STR:
		*out = (struct value){ .type = FACT_STR, .u.s = e->s };
		return 0;
	case N_BOOL:
		*out = mk_bool(e->b);
		return 0;
	case N_NAME:
		return eval_name(v, e, out);
	case N_NEG:
		if ((rc = eval(v, e->l, &a)))
			return rc;
		if (a.type == FACT_FLOAT) {
			*out = mk_float(-a.u.f);
			return 0;
		}
		if (a.type != FACT_INT)
			return fail(v, -EINVAL, e, "cannot negate %s", tname(a.type));
		if (a.u.i == INT64_MIN)
			return fail(v, -ERANGE, e, "integer overflow: -(%" PRId64 ") does not fit 64 bits", a.u.i);
		*out = mk_int(-a.u.i);
		return 0;
	case N_NOT: {
		bool x;
		if ((rc = eval_bool(v, e->l, &x, "the operand of 'not'")))
			return rc;
		*out = mk_bool(!x);
		return 0;
	}
	case N_AND:
	case N_OR: {
		bool x;
		if ((rc = eval_bool(v, e->l, &x, e->kind == N_AND ? "the left operand of 'and'"
								  : "the left operand of 'or'")))
			return rc;
		/* Short-circuit: "has(\"x\") and x > 0" never reads an absent x. */
		if (x == (e->kind == N_OR)) {
			*out = mk_bool(x);
			return 0;
		}
		if ((rc = eval_bool(v, e->r, &x, e->kind == N_AND ? "the right operand of 'and'"
								  : "the right operand of 'or'")))
			return rc;
		*out = mk_bool(x);
		return 0;
	}
	case N_BIN:
		if ((rc = eval(v, e->l, &a)) || (rc = eval(v, e->r, &b)))
			return rc;
		if (e->op <= OP_MOD)
			return eval_arith(v, e, &a, &b, out);
		return eval_cmp(v, e, &a, &b, out);
	case N_CALL:
		return eval_call(v, e, out);
	}
	return fail(v, -EINVAL, e, "bad expression node");
}

static int eval(struct ev *v, const struct expr *e, struct value *out)
{
	struct value x;
	int rc = eval_node(v, e, &x);
	if (rc)
		return rc;
	/* The checker said float where an int meets a float (if branches,
	 * min/max, a float fact holding an int): widen, so the value has
	 * the type `rules check` promised. */
	if (*e->ty == FACT_FLOAT && x.type == FACT_INT)
		x = mk_float((double)x.u.i);
	*out = x;
	return 0;
}

int expr_eval(const struct expr *e, const struct expr_env *env, struct value *out,
	      struct expr_error *err)
{
	struct expr_error dummy;
	struct ev v = { .env = env, .err = err ? err : &dummy };
	memset(v.err, 0, sizeof(*v.err));
	if (!e)
		return -EINVAL;
	struct value x;
	int rc = eval(&v, e, &x);
	if (rc)
		return rc;
	*out = x;
	return 0;
}
