/* expr_int: the expression module's internal types (tokens, AST, arena),
 * shared by expr_lex.c, expr_parse.c, expr_check.c, expr_eval.c and the
 * unit tests.  Not part of the public contract (expr.h): the rule engine
 * never sees a node.
 *
 * Invariants the stages rely on:
 *  - every node keeps the byte span [off, off+len) of its source text, so
 *    any stage can point a caret at it;
 *  - a tree is at most EXPR_MAX_DEPTH deep (the parser refuses deeper
 *    input), so the recursive checker and evaluator have a bounded stack;
 *  - the parser resolves function names to enum expr_fn (EXPR_FN_UNKNOWN
 *    when not in the table: reporting it is the checker's job);
 *  - each node has an annotation slot (ty) that only expr_check writes:
 *    the tree itself stays const, and the evaluator uses the slot to give
 *    the value the checked type (an int is widened where the checker said
 *    float).  An unchecked tree (ty == 0 everywhere) evaluates with the
 *    same rules, dynamically.
 */
#ifndef ADVISOR_EXPR_INT_H
#define ADVISOR_EXPR_INT_H

#include "expr.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deep enough for any rule a person writes, shallow enough that the
 * recursive stages cannot exhaust the stack on hostile input: a tree is at
 * most EXPR_MAX_DEPTH levels, and the parser's own recursion (which also
 * counts parentheses and each unary operator) at most EXPR_MAX_NEST. */
#define EXPR_MAX_DEPTH 100
#define EXPR_MAX_NEST 200

/* ---- arena (expr_arena.c) ---- */

/* Zeroed, max_align_t-aligned memory that lives until expr_arena_free.
 * Never fails (xalloc). */
void *expr_arena_alloc(struct expr_arena *a, size_t n);
char *expr_arena_strndup(struct expr_arena *a, const char *s, size_t n);

/* ---- tokens (expr_lex.c) ---- */

enum expr_tok_kind {
	TK_EOF,
	TK_ERROR,  /* err says why; the span covers the offending bytes */
	TK_INT,    /* v.i */
	TK_FLOAT,  /* v.f */
	TK_SIZE,   /* v.i, in bytes */
	TK_VERSION, /* v.i, kver.h's encoding */
	TK_STRING, /* span includes the quotes; escapes not yet decoded */
	TK_NAME,
	TK_TRUE,
	TK_FALSE,
	TK_AND,
	TK_OR,
	TK_NOT,
	TK_PLUS,
	TK_MINUS,
	TK_STAR,
	TK_SLASH,
	TK_PERCENT,
	TK_EQ,
	TK_NE,
	TK_LT,
	TK_LE,
	TK_GT,
	TK_GE,
	TK_LPAREN,
	TK_RPAREN,
	TK_COMMA,
};

enum expr_lex_err {
	LEX_OK,
	LEX_BAD_CHAR,      /* a byte that starts no token */
	LEX_SEMICOLON,     /* ';': no statements, and it reads as an INI comment */
	LEX_SINGLE_EQ,     /* '=' */
	LEX_BANG,          /* '!' not followed by '=' */
	LEX_AMPAMP,        /* '&&' */
	LEX_PIPEPIPE,      /* '||' */
	LEX_UNTERMINATED,  /* string without its closing quote on the line */
	LEX_BAD_ESCAPE,    /* backslash not followed by '"' or '\' */
	LEX_BAD_NUMBER,    /* "12abc", "1.", "1e", ".5" */
	LEX_BAD_SUFFIX,    /* "64KB": not one of KiB MiB GiB TiB */
	LEX_INT_RANGE,     /* integer literal above INT64_MAX */
	LEX_SIZE_RANGE,    /* size literal above INT64_MAX bytes */
	LEX_SIZE_FRACTION, /* "1.5GiB" */
	LEX_FLOAT_RANGE,   /* "1e999" */
	LEX_DOT,           /* a '.' that does not join two name segments */
	LEX_BAD_VERSION,   /* "v5", "v5.300", "v5.8-rc1": not v<x.y> or v<x.y.z> */
};

struct expr_tok {
	enum expr_tok_kind kind;
	enum expr_lex_err err; /* TK_ERROR only */
	size_t off, len;
	union {
		int64_t i;
		double f;
	} v;
};

/* Read the token at or after pos (whitespace is skipped) in text[0, len).
 * A pure function of (text, len, pos), as SQLite's tokenizer: it allocates
 * nothing and keeps no state.  Always fills *tok (TK_EOF at the end) and
 * returns the position after it; an error token is at least one byte long
 * and the position returned is past it (for an error inside a string, past
 * the whole string), so a caller that keeps going always makes progress. */
size_t expr_lex(const char *text, size_t len, size_t pos, struct expr_tok *tok);

/* A one-line English message for an error token. */
void expr_lex_message(const struct expr_tok *t, const char *text, char *buf, size_t n);

/* The spelling of a punctuation or keyword token ("<=", "and"), or a
 * description of a literal kind ("a number"). */
const char *expr_tok_name(enum expr_tok_kind k);

/* ---- AST (expr_parse.c builds it) ---- */

enum expr_node_kind {
	N_INT,
	N_VERSION, /* i: a kernel version literal */
	N_FLOAT,
	N_STR,
	N_BOOL,
	N_NAME,
	N_NEG,  /* l */
	N_NOT,  /* l */
	N_BIN,  /* l op r: arithmetic and comparisons */
	N_AND,  /* l r */
	N_OR,   /* l r */
	N_CALL, /* fn(args) */
};

enum expr_op { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

/* The function table: one X-macro list is the single source of truth for
 * names and arity (max -1: any number). */
#define EXPR_FUNCS(X)                        \
	X(EXPR_FN_MIN, "min", 2, -1)          \
	X(EXPR_FN_MAX, "max", 2, -1)          \
	X(EXPR_FN_CLAMP, "clamp", 3, 3)       \
	X(EXPR_FN_ABS, "abs", 1, 1)           \
	X(EXPR_FN_FLOOR, "floor", 1, 1)       \
	X(EXPR_FN_CEIL, "ceil", 1, 1)         \
	X(EXPR_FN_ROUND, "round", 1, 1)       \
	X(EXPR_FN_INT, "int", 1, 1)           \
	X(EXPR_FN_FLOAT, "float", 1, 1)       \
	X(EXPR_FN_SQRT, "sqrt", 1, 1)         \
	X(EXPR_FN_LOG2, "log2", 1, 1)         \
	X(EXPR_FN_IF, "if", 3, 3)             \
	X(EXPR_FN_HAS, "has", 1, 1)           \
	X(EXPR_FN_DEFAULT, "default", 2, 2)

enum expr_fn {
#define X(e, name, lo, hi) e,
	EXPR_FUNCS(X)
#undef X
	EXPR_FN_UNKNOWN,
};

struct expr_fn_def {
	const char *name;
	int min_args, max_args;
};

/* The table entry of fn (NULL for EXPR_FN_UNKNOWN); lookup by name. */
const struct expr_fn_def *expr_fn_def(enum expr_fn fn);
enum expr_fn expr_fn_lookup(const char *name, size_t n);

struct expr {
	enum expr_node_kind kind;
	size_t off, len;       /* the node's span in the source text */
	unsigned depth;        /* 1 for a leaf */
	enum fact_type *ty;    /* annotation slot, written by expr_check only */
	int *slot;             /* N_NAME, and has()'s N_STR: the name's slot, written by expr_check */

	int64_t i;             /* N_INT (also a size literal) */
	double f;              /* N_FLOAT */
	bool b;                /* N_BOOL */
	const char *s;         /* N_STR: decoded; N_NAME and N_CALL: the name (NUL-terminated, arena) */

	enum expr_op op;       /* N_BIN */
	size_t op_off, op_len; /* N_BIN, N_AND, N_OR, N_NEG, N_NOT: the operator token */
	struct expr *l, *r;    /* operands (N_NEG, N_NOT: l only) */

	enum expr_fn fn;       /* N_CALL */
	size_t name_len;       /* N_CALL: the name's span is [off, off+name_len) */
	struct expr **args;
	size_t nargs;
};

/* ---- diagnostics (expr_parse.c) ---- */

/* Copy user text into buf for a message: bytes outside printable ASCII
 * become '?' (a diagnostic must not carry terminal escapes), and text
 * longer than the buffer is cut with "...".  Always NUL-terminates. */
void expr_printable(const char *s, size_t n, char *buf, size_t size);

/* Line, column and the physical source line of byte off in src->text: a
 * '\n' inside the text starts line+1 at column 1 (continuation lines are
 * joined with '\n' and keep their indentation).  The first line is padded
 * with src->col - 1 spaces so the caret printer lines up with the file.
 * *line_src is malloc'd (caller frees) or NULL when the padding would be
 * absurd; *span is len clipped to the line, at least 1. */
void expr_locate(const struct expr_src *src, size_t off, size_t len, unsigned *line,
		 unsigned *col, unsigned *span, char **line_src, size_t *line_src_len);

#endif
