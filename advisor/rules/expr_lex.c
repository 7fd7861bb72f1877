/* The expression tokenizer.
 *
 * As SQLite's tokenize.c: a pure function of (text, position) that returns
 * one token and allocates nothing, so the parser can re-lex at will and the
 * fuzzer can drive it alone.  Literals are decoded here when that needs no
 * memory (numbers); strings keep their escapes until the parser copies them
 * into the arena.
 *
 * Name rule (docs/expressions.md): a name is dotted segments of letters,
 * digits and '_'; the first segment starts with a letter or '_'.  A '-' is
 * part of a name only between a letter/digit and a letter, so
 * "sysctl.vm.page-cluster" is one name, while "x-1" and "a - b" are
 * subtractions.  "a-b" is a name (and an unknown one, which the checker
 * reports with a hint to add spaces).
 */
#include "expr_int.h"
#include "../base/kver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_word(int c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t set(struct expr_tok *t, enum expr_tok_kind k, size_t off, size_t len)
{
	t->kind = k;
	t->off = off;
	t->len = len;
	return off + len;
}

static size_t error(struct expr_tok *t, enum expr_lex_err e, size_t off, size_t len)
{
	t->err = e;
	return set(t, TK_ERROR, off, len ? len : 1);
}

/* The end of a run of word characters, for the span of a bad literal. */
static size_t word_end(const char *s, size_t len, size_t i)
{
	while (i < len && (is_word((unsigned char)s[i]) || s[i] == '.'))
		i++;
	return i;
}

static const struct {
	const char *suffix;
	unsigned shift;
} sizes[] = { { "KiB", 10 }, { "MiB", 20 }, { "GiB", 30 }, { "TiB", 40 } };

static size_t lex_number(const char *s, size_t len, size_t pos, struct expr_tok *t)
{
	size_t i = pos;
	uint64_t u = 0;
	bool int_range = true;
	while (i < len && is_digit((unsigned char)s[i])) {
		unsigned d = (unsigned)(s[i] - '0');
		if (u > (UINT64_MAX - d) / 10)
			int_range = false;
		else
			u = u * 10 + d;
		i++;
	}
	bool is_float = false;
	if (i < len && s[i] == '.') {
		if (i + 1 >= len || !is_digit((unsigned char)s[i + 1]))
			return error(t, LEX_BAD_NUMBER, pos, word_end(s, len, i + 1) - pos);
		is_float = true;
		i++;
		while (i < len && is_digit((unsigned char)s[i]))
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		if (j < len && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j >= len || !is_digit((unsigned char)s[j]))
			return error(t, LEX_BAD_NUMBER, pos, word_end(s, len, i) - pos);
		is_float = true;
		i = j;
		while (i < len && is_digit((unsigned char)s[i]))
			i++;
	}

	/* A size suffix, or any other letter glued to the number. */
	if (i < len && (is_word((unsigned char)s[i]) || s[i] == '.')) {
		size_t end = word_end(s, len, i);
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			if (end - i != 3 || memcmp(s + i, sizes[k].suffix, 3) != 0)
				continue;
			if (is_float)
				return error(t, LEX_SIZE_FRACTION, pos, end - pos);
			if (!int_range || u > ((uint64_t)INT64_MAX >> sizes[k].shift))
				return error(t, LEX_SIZE_RANGE, pos, end - pos);
			t->v.i = (int64_t)(u << sizes[k].shift);
			return set(t, TK_SIZE, pos, end - pos);
		}
		/* "64KB", "4096B", "2G": a unit the author meant, spelled
		 * another way; "12abc" is just a bad number. */
		bool unit = end - i <= 3 && strchr("KMGTPEkmgtpeBb", s[i]) != NULL;
		for (size_t k = i; k < end; k++)
			unit = unit && is_alpha((unsigned char)s[k]);
		return error(t, unit ? LEX_BAD_SUFFIX : LEX_BAD_NUMBER, pos, end - pos);
	}

	if (!is_float) {
		if (!int_range || u > (uint64_t)INT64_MAX)
			return error(t, LEX_INT_RANGE, pos, i - pos);
		t->v.i = (int64_t)u;
		return set(t, TK_INT, pos, i - pos);
	}

	/* strtod needs a terminated copy.  The token is validated above
	 * (digits, '.', exponent only), so strtod cannot wander into hex,
	 * inf or nan; the program never calls setlocale, so '.' is the
	 * decimal point. */
	char tmp[128];
	if (i - pos >= sizeof(tmp))
		return error(t, LEX_FLOAT_RANGE, pos, i - pos);
	memcpy(tmp, s + pos, i - pos);
	tmp[i - pos] = '\0';
	errno = 0;
	double f = strtod(tmp, NULL);
	/* Underflow to 0 or a denormal is harmless; overflow to inf is not. */
	if (errno == ERANGE && (f > 1.0 || f < -1.0))
		return error(t, LEX_FLOAT_RANGE, pos, i - pos);
	t->v.f = f;
	return set(t, TK_FLOAT, pos, i - pos);
}

/* A string runs to its closing quote on the same line.  An error inside
 * one (a bad escape, a NUL) still consumes the whole string: the returned
 * position is past it, so one bad string is one diagnostic, not a cascade
 * of tokens lexed from its contents. */
static size_t lex_string(const char *s, size_t len, size_t pos, struct expr_tok *t)
{
	size_t i = pos + 1, bad = 0;
	enum expr_lex_err err = LEX_OK;
	while (i < len && s[i] != '"' && s[i] != '\n') {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] != '\n') {
			if (s[i + 1] != '"' && s[i + 1] != '\\' && !err) {
				err = LEX_BAD_ESCAPE;
				bad = i;
			}
			i += 2;
			continue;
		}
		if (s[i] == '\0' && !err) {
			err = LEX_BAD_CHAR;
			bad = i;
		}
		i++;
	}
	if (i >= len || s[i] != '"') {
		error(t, LEX_UNTERMINATED, pos, i - pos);
		return i;
	}
	if (err) {
		error(t, err, bad, err == LEX_BAD_ESCAPE ? 2 : 1);
		return i + 1;
	}
	return set(t, TK_STRING, pos, i + 1 - pos);
}

static size_t lex_name(const char *s, size_t len, size_t pos, struct expr_tok *t)
{
	size_t i = pos;
	for (;;) {
		while (i < len) {
			unsigned char c = (unsigned char)s[i];
			if (is_word(c)) {
				i++;
			} else if (c == '-' && i + 1 < len && is_alpha((unsigned char)s[i + 1]) &&
				   (is_alpha((unsigned char)s[i - 1]) || is_digit((unsigned char)s[i - 1]))) {
				i++;
			} else {
				break;
			}
		}
		/* A '.' joins segments only when a segment follows. */
		if (i + 1 < len && s[i] == '.' && is_word((unsigned char)s[i + 1]))
			i++;
		else
			break;
	}
	size_t n = i - pos;
	/* 'v' and a digit: a kernel version (no fact name looks like that). */
	if (s[pos] == 'v' && n > 1 && is_digit((unsigned char)s[pos + 1])) {
		int64_t v;
		if (kver_scan(s + pos + 1, n - 1, 1, &v) != n - 1)
			return error(t, LEX_BAD_VERSION, pos, n);
		t->v.i = v;
		return set(t, TK_VERSION, pos, n);
	}
	static const struct {
		const char *kw;
		enum expr_tok_kind k;
	} kws[] = { { "and", TK_AND }, { "or", TK_OR }, { "not", TK_NOT }, { "true", TK_TRUE }, { "false", TK_FALSE } };
	for (size_t k = 0; k < sizeof(kws) / sizeof(kws[0]); k++)
		if (strlen(kws[k].kw) == n && memcmp(s + pos, kws[k].kw, n) == 0)
			return set(t, kws[k].k, pos, n);
	return set(t, TK_NAME, pos, n);
}

size_t expr_lex(const char *s, size_t len, size_t pos, struct expr_tok *t)
{
	memset(t, 0, sizeof(*t));
	while (pos < len && is_space((unsigned char)s[pos]))
		pos++;
	if (pos >= len)
		return set(t, TK_EOF, len, 0);

	unsigned char c = (unsigned char)s[pos];
	int next = pos + 1 < len ? (unsigned char)s[pos + 1] : -1;
	if (is_digit(c))
		return lex_number(s, len, pos, t);
	if (is_alpha(c) || c == '_')
		return lex_name(s, len, pos, t);
	switch (c) {
	case '"':
		return lex_string(s, len, pos, t);
	case '+':
		return set(t, TK_PLUS, pos, 1);
	case '-':
		return set(t, TK_MINUS, pos, 1);
	case '*':
		return set(t, TK_STAR, pos, 1);
	case '/':
		return set(t, TK_SLASH, pos, 1);
	case '%':
		return set(t, TK_PERCENT, pos, 1);
	case '(':
		return set(t, TK_LPAREN, pos, 1);
	case ')':
		return set(t, TK_RPAREN, pos, 1);
	case ',':
		return set(t, TK_COMMA, pos, 1);
	case '<':
		return next == '=' ? set(t, TK_LE, pos, 2) : set(t, TK_LT, pos, 1);
	case '>':
		return next == '=' ? set(t, TK_GE, pos, 2) : set(t, TK_GT, pos, 1);
	case '=':
		return next == '=' ? set(t, TK_EQ, pos, 2) : error(t, LEX_SINGLE_EQ, pos, 1);
	case '!':
		return next == '=' ? set(t, TK_NE, pos, 2) : error(t, LEX_BANG, pos, 1);
	case '&':
		return next == '&' ? error(t, LEX_AMPAMP, pos, 2) : error(t, LEX_BAD_CHAR, pos, 1);
	case '|':
		return next == '|' ? error(t, LEX_PIPEPIPE, pos, 2) : error(t, LEX_BAD_CHAR, pos, 1);
	case ';':
		return error(t, LEX_SEMICOLON, pos, 1);
	case '.':
		if (next >= 0 && is_digit(next))
			return error(t, LEX_BAD_NUMBER, pos, word_end(s, len, pos + 1) - pos);
		return error(t, LEX_DOT, pos, 1);
	default:
		return error(t, LEX_BAD_CHAR, pos, 1);
	}
}

void expr_lex_message(const struct expr_tok *t, const char *text, char *buf, size_t n)
{
	const char *p = text + t->off;
	int w = t->len > 40 ? 40 : (int)t->len;
	unsigned char c = (unsigned char)*p;
	switch (t->err) {
	case LEX_OK:
		snprintf(buf, n, "no error");
		break;
	case LEX_BAD_CHAR:
		if (c >= 0x21 && c < 0x7f)
			snprintf(buf, n, "unexpected character '%c'", c);
		else
			snprintf(buf, n, "unexpected byte 0x%02x", c);
		break;
	case LEX_SEMICOLON:
		snprintf(buf, n, "';' is not allowed in expressions (there are no statements, and no inline comments: a comment is a line of its own)");
		break;
	case LEX_SINGLE_EQ:
		snprintf(buf, n, "'=' is not an operator: use '==' to compare");
		break;
	case LEX_BANG:
		snprintf(buf, n, "'!' is not an operator: use 'not' (or '!=' to compare)");
		break;
	case LEX_AMPAMP:
		snprintf(buf, n, "'&&' is not an operator: use 'and'");
		break;
	case LEX_PIPEPIPE:
		snprintf(buf, n, "'||' is not an operator: use 'or'");
		break;
	case LEX_UNTERMINATED:
		snprintf(buf, n, "unterminated string: missing closing '\"'");
		break;
	case LEX_BAD_ESCAPE:
		if (t->len == 2 && (unsigned char)p[1] >= 0x21 && (unsigned char)p[1] < 0x7f)
			snprintf(buf, n, "unknown escape '\\%c' in string: only \\\" and \\\\ are allowed", p[1]);
		else
			snprintf(buf, n, "unknown escape in string: only \\\" and \\\\ are allowed");
		break;
	case LEX_BAD_NUMBER:
		snprintf(buf, n, "bad number '%.*s' (numbers look like 42, 0.5, 1e-3 or 64KiB)", w, p);
		break;
	case LEX_BAD_SUFFIX:
		snprintf(buf, n, "unknown size suffix in '%.*s': use KiB, MiB, GiB or TiB", w, p);
		break;
	case LEX_INT_RANGE:
		snprintf(buf, n, "integer '%.*s' does not fit 64 bits (largest is 9223372036854775807)", w, p);
		break;
	case LEX_SIZE_RANGE:
		snprintf(buf, n, "size '%.*s' does not fit 64 bits (largest is 8388607TiB)", w, p);
		break;
	case LEX_SIZE_FRACTION:
		snprintf(buf, n, "size '%.*s' must be a whole number of its unit: use a smaller unit", w, p);
		break;
	case LEX_FLOAT_RANGE:
		snprintf(buf, n, "number '%.*s' is out of range", w, p);
		break;
	case LEX_DOT:
		snprintf(buf, n, "unexpected '.': names are dotted identifiers such as vmstat.oom_kill");
		break;
	case LEX_BAD_VERSION:
		snprintf(buf, n, "bad kernel version '%.*s' (versions look like v5.8 or v5.15.58, each part 0..255)",
			 w, p);
		break;
	}
}

const char *expr_tok_name(enum expr_tok_kind k)
{
	switch (k) {
	case TK_EOF: return "end of expression";
	case TK_ERROR: return "bad token";
	case TK_INT: return "a number";
	case TK_FLOAT: return "a number";
	case TK_SIZE: return "a size";
	case TK_VERSION: return "a kernel version";
	case TK_STRING: return "a string";
	case TK_NAME: return "a name";
	case TK_TRUE: return "'true'";
	case TK_FALSE: return "'false'";
	case TK_AND: return "'and'";
	case TK_OR: return "'or'";
	case TK_NOT: return "'not'";
	case TK_PLUS: return "'+'";
	case TK_MINUS: return "'-'";
	case TK_STAR: return "'*'";
	case TK_SLASH: return "'/'";
	case TK_PERCENT: return "'%'";
	case TK_EQ: return "'=='";
	case TK_NE: return "'!='";
	case TK_LT: return "'<'";
	case TK_LE: return "'<='";
	case TK_GT: return "'>'";
	case TK_GE: return "'>='";
	case TK_LPAREN: return "'('";
	case TK_RPAREN: return "')'";
	case TK_COMMA: return "','";
	}
	return "?";
}
