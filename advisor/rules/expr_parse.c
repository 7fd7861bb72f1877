/* The expression parser: recursive descent over expr_lex's tokens, one
 * function per precedence level of the grammar in expr.h and
 * docs/expressions.md.  Every node keeps its byte span.
 *
 * Error strategy, after doas -C: report as much as is useful, then fail.
 * A first pass lexes the whole text and reports every lexical error (a
 * stray ';' or '=' is often repeated); if there was any, parsing would only
 * add noise, so it stops there.  The parser then recovers inside argument
 * lists: a bad argument is skipped up to the next ',' or ')' at its level,
 * so "clamp(a +, b, c *)" reports both holes.  Elsewhere the first syntax
 * error ends the parse.
 */
#include "expr_int.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Past this many, further errors in one expression are noise. */
#define MAX_ERRORS 20

static const struct expr_fn_def fn_table[] = {
#define X(e, name, lo, hi) [e] = { name, lo, hi },
	EXPR_FUNCS(X)
#undef X
};

const struct expr_fn_def *expr_fn_def(enum expr_fn fn)
{
	return (unsigned)fn < EXPR_FN_UNKNOWN ? &fn_table[fn] : NULL;
}

enum expr_fn expr_fn_lookup(const char *name, size_t n)
{
	for (unsigned i = 0; i < EXPR_FN_UNKNOWN; i++)
		if (strlen(fn_table[i].name) == n && memcmp(fn_table[i].name, name, n) == 0)
			return (enum expr_fn)i;
	return EXPR_FN_UNKNOWN;
}

/* ---- positions and diagnostics ---- */

void expr_printable(const char *s, size_t n, char *buf, size_t size)
{
	if (!size)
		return;
	bool cut = n > size - 1;
	size_t room = cut ? (size > 4 ? size - 4 : 0) : n, k = 0;
	for (size_t i = 0; i < room; i++) {
		unsigned char c = (unsigned char)s[i];
		buf[k++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	for (int i = 0; cut && i < 3 && k + 1 < size; i++)
		buf[k++] = '.';
	buf[k] = '\0';
}

void expr_locate(const struct expr_src *src, size_t off, size_t len, unsigned *line,
		 unsigned *col, unsigned *span, char **line_src, size_t *line_src_len)
{
	const char *t = src->text ? src->text : "";
	size_t tlen = src->text ? src->len : 0;
	if (off > tlen)
		off = tlen;
	unsigned ln = src->line;
	size_t ls = 0;
	bool first = true;
	for (size_t i = 0; i < off; i++) {
		if (t[i] == '\n') {
			ln++;
			ls = i + 1;
			first = false;
		}
	}
	unsigned base = first ? (src->col ? src->col : 1) : 1;
	size_t le = ls;
	while (le < tlen && t[le] != '\n')
		le++;
	size_t content_end = le;
	if (content_end > ls && t[content_end - 1] == '\r')
		content_end--;

	*line = ln;
	/* An error past a trailing '\r' (the end of the text) points just
	 * after the visible line, where the printer can put the caret. */
	if (off > content_end)
		off = content_end;
	*col = base + (unsigned)(off - ls);
	size_t sp = len;
	if (off + sp > content_end)
		sp = content_end > off ? content_end - off : 1;
	*span = sp ? (unsigned)sp : 1;

	/* Pad the first line so the caret printer (which indexes the source
	 * line by column) lines up; beyond a sane width, drop the line. */
	size_t pad = base - 1;
	*line_src = NULL;
	*line_src_len = 0;
	if (pad > 1024)
		return;
	size_t n = pad + (content_end - ls);
	char *p = xmalloc(n + 1);
	memset(p, ' ', pad);
	for (size_t i = ls; i < content_end; i++) {
		unsigned char c = (unsigned char)t[i];
		/* The printer stops at a NUL and copies tabs; anything else
		 * unprintable would garble the terminal. */
		p[pad + i - ls] = (c == '\t' || c >= 0x20) && c != 0x7f ? (char)c : ' ';
	}
	p[n] = '\0';
	*line_src = p;
	*line_src_len = n;
}

static void vdiag(struct diag_list *d, enum diag_sev sev, const struct expr_src *src, size_t off,
		  size_t len, const char *fmt, va_list ap)
{
	if (!d)
		return;
	unsigned line, col, span;
	char *ls;
	size_t lsn;
	expr_locate(src, off, len, &line, &col, &span, &ls, &lsn);
	char *msg = xvasprintf(fmt, ap);
	diag_add_src(d, sev, src->origin, line, col, span, ls, lsn, "%s", msg);
	free(msg);
	free(ls);
}

void expr_diag_at(struct diag_list *d, enum diag_sev sev, const struct expr_src *src, size_t off,
		  size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(d, sev, src, off, len, fmt, ap);
	va_end(ap);
}

/* ---- the parser ---- */

struct parser {
	const struct expr_src *src;
	const char *s;
	size_t n;
	struct expr_arena *a;
	struct diag_list *d;
	struct expr_tok tok;  /* the current token */
	struct expr_tok prev; /* the one before it */
	size_t next;          /* where the token after tok starts */
	unsigned depth;       /* recursion depth of the descent */
	unsigned nerr;
	bool fatal;           /* stop: too deep or too many errors */
};

static void perr(struct parser *p, size_t off, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void perr(struct parser *p, size_t off, size_t len, const char *fmt, ...)
{
	if (p->nerr++ >= MAX_ERRORS) {
		p->fatal = true;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vdiag(p->d, DIAG_ERROR, p->src, off, len, fmt, ap);
	va_end(ap);
}

static void advance(struct parser *p)
{
	p->prev = p->tok;
	p->next = expr_lex(p->s, p->n, p->next, &p->tok);
}

/* The current token as the user wrote it, for messages. */
static const char *tok_desc(struct parser *p, const struct expr_tok *t, char *buf, size_t n)
{
	switch (t->kind) {
	case TK_INT:
	case TK_FLOAT:
	case TK_SIZE:
	case TK_VERSION:
	case TK_STRING:
	case TK_NAME:
	{
		char q[48];
		expr_printable(p->s + t->off, t->len, q, sizeof(q));
		snprintf(buf, n, "%s '%s'", expr_tok_name(t->kind), q);
		return buf;
	}
	default:
		return expr_tok_name(t->kind);
	}
}

static struct expr *node(struct parser *p, enum expr_node_kind k, size_t off, size_t end)
{
	struct expr *e = expr_arena_alloc(p->a, sizeof(*e));
	e->kind = k;
	e->off = off;
	e->len = end - off;
	e->depth = 1;
	e->ty = expr_arena_alloc(p->a, sizeof(*e->ty));
	e->slot = expr_arena_alloc(p->a, sizeof(*e->slot));
	return e;
}

static size_t end_of(const struct expr *e)
{
	return e->off + e->len;
}

/* Give e its depth from its children; false (error reported) when the
 * tree would be deeper than the later stages accept. */
static bool set_depth(struct parser *p, struct expr *e)
{
	unsigned d = 0;
	if (e->l && e->l->depth > d)
		d = e->l->depth;
	if (e->r && e->r->depth > d)
		d = e->r->depth;
	for (size_t i = 0; i < e->nargs; i++)
		if (e->args[i]->depth > d)
			d = e->args[i]->depth;
	e->depth = d + 1;
	if (e->depth > EXPR_MAX_DEPTH) {
		perr(p, e->off, e->len, "expression nested too deeply (more than %d levels)", EXPR_MAX_DEPTH);
		p->fatal = true;
		return false;
	}
	return true;
}

static bool enter(struct parser *p)
{
	if (++p->depth > EXPR_MAX_NEST) {
		if (!p->fatal)
			perr(p, p->tok.off, p->tok.len,
			     "expression nested too deeply (more than %d levels)", EXPR_MAX_NEST);
		p->fatal = true;
		return false;
	}
	return true;
}

static struct expr *parse_expr(struct parser *p);

static struct expr *binary(struct parser *p, enum expr_node_kind k, enum expr_op op,
			   const struct expr_tok *optok, struct expr *l, struct expr *r)
{
	struct expr *e = node(p, k, l->off, end_of(r));
	e->op = op;
	e->op_off = optok->off;
	e->op_len = optok->len;
	e->l = l;
	e->r = r;
	return set_depth(p, e) ? e : NULL;
}

static char *decode_string(struct parser *p, const struct expr_tok *t)
{
	/* The lexer validated the escapes; the span includes both quotes. */
	const char *s = p->s + t->off + 1;
	size_t n = t->len - 2;
	char *out = expr_arena_alloc(p->a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		out[k++] = s[i];
	}
	out[k] = '\0';
	return out;
}

/* Skip to the ',' or ')' that ends the current argument (nested
 * parentheses skipped whole).  False at the end of the text. */
static bool sync_arg(struct parser *p)
{
	unsigned nest = 0;
	while (p->tok.kind != TK_EOF) {
		if (nest == 0 && (p->tok.kind == TK_COMMA || p->tok.kind == TK_RPAREN))
			return true;
		if (p->tok.kind == TK_LPAREN)
			nest++;
		else if (p->tok.kind == TK_RPAREN)
			nest--;
		advance(p);
	}
	return false;
}

static struct expr *parse_call(struct parser *p)
{
	struct expr_tok name = p->tok;
	advance(p); /* name */
	struct expr_tok open = p->tok;
	advance(p); /* '(' */
	struct expr *e = node(p, N_CALL, name.off, name.off + name.len);
	e->s = expr_arena_strndup(p->a, p->s + name.off, name.len);
	e->name_len = name.len;
	e->fn = expr_fn_lookup(p->s + name.off, name.len);

	struct expr **args = NULL;
	size_t nargs = 0, cap = 0;
	bool bad = false;
	if (p->tok.kind != TK_RPAREN) {
		for (;;) {
			struct expr *arg = parse_expr(p);
			if (p->fatal)
				return NULL;
			if (arg) {
				if (nargs == cap) {
					/* Arena memory: the old array is
					 * simply left behind. */
					size_t ncap = cap ? cap * 2 : 4;
					struct expr **na = expr_arena_alloc(p->a, ncap * sizeof(*na));
					if (nargs)
						memcpy(na, args, nargs * sizeof(*na));
					args = na;
					cap = ncap;
				}
				args[nargs++] = arg;
			} else {
				bad = true;
				/* At the end of the text the argument's
				 * error said it all. */
				if (!sync_arg(p))
					return NULL;
			}
			if (p->tok.kind == TK_COMMA) {
				advance(p);
				continue;
			}
			if (p->tok.kind == TK_RPAREN)
				break;
			if (p->tok.kind == TK_EOF)
				goto unclosed;
			char buf[64];
			perr(p, p->tok.off, p->tok.len, "expected ',' or ')' in the arguments of %s(), found %s",
			     e->s, tok_desc(p, &p->tok, buf, sizeof(buf)));
			bad = true;
			if (!sync_arg(p))
				return NULL; /* the end of the text: already reported */
			if (p->tok.kind == TK_COMMA) {
				advance(p);
				continue;
			}
			break;
		}
	}
	e->len = p->tok.off + p->tok.len - e->off;
	advance(p); /* ')' */
	if (bad)
		return NULL;
	e->args = args;
	e->nargs = nargs;
	return set_depth(p, e) ? e : NULL;

unclosed:
	perr(p, open.off, 1, "unbalanced '(' of %s(): no matching ')'", e->s);
	return NULL;
}

static struct expr *parse_atom(struct parser *p)
{
	struct expr_tok t = p->tok;
	struct expr *e;
	switch (t.kind) {
	case TK_INT:
	case TK_SIZE:
		e = node(p, N_INT, t.off, t.off + t.len);
		e->i = t.v.i;
		advance(p);
		return e;
	case TK_VERSION:
		e = node(p, N_VERSION, t.off, t.off + t.len);
		e->i = t.v.i;
		advance(p);
		return e;
	case TK_FLOAT:
		e = node(p, N_FLOAT, t.off, t.off + t.len);
		e->f = t.v.f;
		advance(p);
		return e;
	case TK_STRING:
		e = node(p, N_STR, t.off, t.off + t.len);
		e->s = decode_string(p, &t);
		advance(p);
		return e;
	case TK_TRUE:
	case TK_FALSE:
		e = node(p, N_BOOL, t.off, t.off + t.len);
		e->b = t.kind == TK_TRUE;
		advance(p);
		return e;
	case TK_NAME: {
		struct expr_tok after;
		expr_lex(p->s, p->n, p->next, &after);
		if (after.kind == TK_LPAREN)
			return parse_call(p);
		e = node(p, N_NAME, t.off, t.off + t.len);
		e->s = expr_arena_strndup(p->a, p->s + t.off, t.len);
		advance(p);
		return e;
	}
	case TK_LPAREN: {
		advance(p);
		e = parse_expr(p);
		if (!e)
			return NULL;
		if (p->tok.kind == TK_RPAREN) {
			advance(p);
			return e;
		}
		if (p->tok.kind == TK_EOF) {
			perr(p, t.off, 1, "unbalanced '(': no matching ')'");
		} else {
			char buf[64];
			perr(p, p->tok.off, p->tok.len, "expected ')' or an operator, found %s",
			     tok_desc(p, &p->tok, buf, sizeof(buf)));
		}
		return NULL;
	}
	default:
		break;
	}

	char buf[64];
	const char *what = tok_desc(p, &t, buf, sizeof(buf));
	if (t.kind == TK_NOT)
		perr(p, t.off, t.len, "'not' binds looser than comparisons and arithmetic: write '(not x)'");
	else if (p->prev.kind >= TK_AND && p->prev.kind <= TK_COMMA && p->prev.kind != TK_RPAREN)
		perr(p, t.off, t.len, "expected a value after %s, found %s", expr_tok_name(p->prev.kind), what);
	else
		perr(p, t.off, t.len, "expected a value, found %s", what);
	return NULL;
}

static struct expr *parse_unary(struct parser *p)
{
	if (p->tok.kind != TK_MINUS)
		return parse_atom(p);
	struct expr_tok op = p->tok;
	if (!enter(p))
		return NULL;
	advance(p);
	struct expr *sub = parse_unary(p);
	p->depth--;
	if (!sub)
		return NULL;
	struct expr *e = node(p, N_NEG, op.off, end_of(sub));
	e->op_off = op.off;
	e->op_len = op.len;
	e->l = sub;
	return set_depth(p, e) ? e : NULL;
}

static struct expr *parse_prod(struct parser *p)
{
	struct expr *l = parse_unary(p);
	while (l && (p->tok.kind == TK_STAR || p->tok.kind == TK_SLASH || p->tok.kind == TK_PERCENT)) {
		struct expr_tok op = p->tok;
		advance(p);
		struct expr *r = parse_unary(p);
		if (!r)
			return NULL;
		l = binary(p, N_BIN, op.kind == TK_STAR ? OP_MUL : op.kind == TK_SLASH ? OP_DIV : OP_MOD, &op, l, r);
	}
	return l;
}

static struct expr *parse_sum(struct parser *p)
{
	struct expr *l = parse_prod(p);
	while (l && (p->tok.kind == TK_PLUS || p->tok.kind == TK_MINUS)) {
		struct expr_tok op = p->tok;
		advance(p);
		struct expr *r = parse_prod(p);
		if (!r)
			return NULL;
		l = binary(p, N_BIN, op.kind == TK_PLUS ? OP_ADD : OP_SUB, &op, l, r);
	}
	return l;
}

static bool is_cmp(enum expr_tok_kind k)
{
	return k >= TK_EQ && k <= TK_GE;
}

static enum expr_op cmp_op(enum expr_tok_kind k)
{
	switch (k) {
	case TK_EQ: return OP_EQ;
	case TK_NE: return OP_NE;
	case TK_LT: return OP_LT;
	case TK_LE: return OP_LE;
	case TK_GT: return OP_GT;
	default: return OP_GE;
	}
}

static struct expr *parse_cmp(struct parser *p)
{
	struct expr *l = parse_sum(p);
	if (!l || !is_cmp(p->tok.kind))
		return l;
	struct expr_tok op = p->tok;
	advance(p);
	struct expr *r = parse_sum(p);
	if (!r)
		return NULL;
	if (is_cmp(p->tok.kind)) {
		/* Python reads a < b < c as a chain, C as (a < b) < c: neither
		 * is obvious to a reader, so it is refused. */
		perr(p, p->tok.off, p->tok.len, "comparisons do not chain: write 'a < b and b < c'");
		return NULL;
	}
	return binary(p, N_BIN, cmp_op(op.kind), &op, l, r);
}

static struct expr *parse_not(struct parser *p)
{
	if (p->tok.kind != TK_NOT)
		return parse_cmp(p);
	struct expr_tok op = p->tok;
	if (!enter(p))
		return NULL;
	advance(p);
	struct expr *sub = parse_not(p);
	p->depth--;
	if (!sub)
		return NULL;
	struct expr *e = node(p, N_NOT, op.off, end_of(sub));
	e->op_off = op.off;
	e->op_len = op.len;
	e->l = sub;
	return set_depth(p, e) ? e : NULL;
}

static struct expr *parse_and(struct parser *p)
{
	struct expr *l = parse_not(p);
	while (l && p->tok.kind == TK_AND) {
		struct expr_tok op = p->tok;
		advance(p);
		struct expr *r = parse_not(p);
		if (!r)
			return NULL;
		l = binary(p, N_AND, OP_EQ, &op, l, r);
	}
	return l;
}

static struct expr *parse_or(struct parser *p)
{
	struct expr *l = parse_and(p);
	while (l && p->tok.kind == TK_OR) {
		struct expr_tok op = p->tok;
		advance(p);
		struct expr *r = parse_and(p);
		if (!r)
			return NULL;
		l = binary(p, N_OR, OP_EQ, &op, l, r);
	}
	return l;
}

static struct expr *parse_expr(struct parser *p)
{
	if (!enter(p))
		return NULL;
	struct expr *e = parse_or(p);
	p->depth--;
	return e;
}

int expr_parse(struct expr_arena *a, const struct expr_src *src, struct expr **out,
	       struct diag_list *d)
{
	struct parser p = {
		.src = src,
		.s = src->text ? src->text : "",
		.n = src->text ? src->len : 0,
		.a = a,
		.d = d,
	};

	/* Pass 1: every lexical error. */
	struct expr_tok t;
	size_t pos = 0;
	do {
		pos = expr_lex(p.s, p.n, pos, &t);
		if (t.kind == TK_ERROR) {
			char msg[200];
			expr_lex_message(&t, p.s, msg, sizeof(msg));
			perr(&p, t.off, t.len, "%s", msg);
		}
	} while (t.kind != TK_EOF && !p.fatal);
	if (p.nerr)
		return -EINVAL;

	/* Pass 2: the tree. */
	p.prev.kind = TK_EOF;
	advance(&p);
	if (p.tok.kind == TK_EOF) {
		perr(&p, 0, 0, "empty expression");
		return -EINVAL;
	}
	struct expr *e = parse_expr(&p);
	if (e && p.tok.kind != TK_EOF) {
		char buf[64];
		if (p.tok.kind == TK_RPAREN)
			perr(&p, p.tok.off, p.tok.len, "unbalanced ')': no '(' before it");
		else
			perr(&p, p.tok.off, p.tok.len, "expected an operator or the end of the expression, found %s",
			     tok_desc(&p, &p.tok, buf, sizeof(buf)));
	}
	if (p.nerr || !e)
		return -EINVAL;
	*out = e;
	return 0;
}

static void foreach_name(const struct expr *e, bool has_too, void (*fn)(void *ctx, const char *name), void *ctx)
{
	switch (e->kind) {
	case N_NAME:
		fn(ctx, e->s);
		return;
	case N_CALL:
		/* has("x") references x as surely as x does: the evidence
		 * should say whether x was there. */
		if (e->fn == EXPR_FN_HAS && e->nargs == 1 && e->args[0]->kind == N_STR) {
			if (has_too)
				fn(ctx, e->args[0]->s);
		} else {
			for (size_t i = 0; i < e->nargs; i++)
				foreach_name(e->args[i], has_too, fn, ctx);
		}
		return;
	default:
		if (e->l)
			foreach_name(e->l, has_too, fn, ctx);
		if (e->r)
			foreach_name(e->r, has_too, fn, ctx);
		return;
	}
}

void expr_foreach_name(const struct expr *e, void (*fn)(void *ctx, const char *name), void *ctx)
{
	if (e)
		foreach_name(e, true, fn, ctx);
}

void expr_foreach_value_name(const struct expr *e, void (*fn)(void *ctx, const char *name), void *ctx)
{
	if (e)
		foreach_name(e, false, fn, ctx);
}
