/* iniread: INI text -> sections of key/value pairs, with positions.
 *
 * The format of rule and profile files:
 *   - [section] lines; `key = value` (or `key: value`) lines inside a
 *     section; blanks around keys and values are stripped;
 *   - a comment is a line of its own whose first non-blank byte is '#' or
 *     ';'; there are no inline comments (a '#' or ';' later in a line is
 *     text: the expression language rejects ';' itself, expr_lex.c);
 *   - an indented line right after a key line (or its continuation)
 *     continues that key's value: the value keeps one '\n' plus the
 *     physical line (indentation included) per continuation, so an
 *     expression's column arithmetic stays right on every line;
 *   - every key carries its file line, the column of the key and the column
 *     where its value starts;
 *   - every malformed line (no '=' or ':', a bad [section], a key before any
 *     section, a duplicate key or section in one file, a NUL byte) is
 *     reported, and reading goes on (one mistake, one error: the lines that
 *     belong to a reported line are not reported again).
 *
 * Why our own reader and not libinih: every item above is something the
 * rule files need and Debian's libinih 55 (built with its defaults) does not
 * give - its handler gets no line number and no column, it splits lines
 * over 200 bytes silently, cuts a value at " ;", and strips a continuation
 * line's indentation.  The first version fed libinih through a line reader
 * that already classified every line and then re-parsed the raw line in the
 * handler, so libinih did nothing the reader had not done.  The whole reader
 * is iniread.c (about 300 lines with the accessors), fuzzed
 * (tests/fuzz/fuzz_rules.c) and tested from
 * strings and files (tests/test_ruleset.c).
 *
 * Ownership: the struct ini_doc owns its copy of the text and every string;
 * ini_doc_free releases it (NULL is a no-op).
 */
#ifndef ADVISOR_INIREAD_H
#define ADVISOR_INIREAD_H

#include "../base/diag.h"

#include <stdbool.h>
#include <stddef.h>

struct ini_kv {
	char *key;       /* as written, blanks stripped ("vm.min_free_kbytes >" in a [bounds] line) */
	char *value;     /* first line from col, then "\n<line>" per continuation line */
	unsigned line;   /* line of the key (1-based) */
	unsigned col;    /* 1-based column of value[0] on that line */
	unsigned key_col; /* 1-based column of the key */
	unsigned nlines; /* physical lines the value spans (>= 1) */
};

struct ini_section {
	char *name;
	unsigned line;
	struct ini_kv *kv; /* in file order */
	size_t nkv;
};

struct ini_doc {
	char *origin;
	char *text;       /* copy of the input, NUL-terminated */
	size_t len;
	struct ini_section *sec; /* in file order */
	size_t nsec;
};

/* Parse buf[0..len) (NUL bytes allowed: they are reported).  *out always
 * receives a document holding everything that parsed (so a checker can
 * keep going); returns 0, or -EINVAL when errors were appended to d. */
int iniread_parse(const char *buf, size_t len, const char *origin, struct ini_doc **out,
		  struct diag_list *d);

/* Physical line `line` (1-based) of the document, without its newline;
 * NULL when out of range. */
const char *ini_doc_line(const struct ini_doc *doc, unsigned line, size_t *len);

/* The key in sec, or NULL. */
const struct ini_kv *ini_section_get(const struct ini_section *sec, const char *key);

/* Errors at a key's position: at the key (at_key) or at its value, spanning
 * the key or the value's first line, with the physical line as source; and
 * at a [section] line.  Appended to d. */
__attribute__((format(printf, 5, 6))) void ini_kv_error(struct diag_list *d, const struct ini_doc *doc,
							const struct ini_kv *kv, bool at_key, const char *fmt, ...);
__attribute__((format(printf, 4, 5))) void ini_section_error(struct diag_list *d, const struct ini_doc *doc,
							     const struct ini_section *sec, const char *fmt, ...);

void ini_doc_free(struct ini_doc *doc);

#endif
