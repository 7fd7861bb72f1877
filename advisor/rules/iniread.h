/* iniread: INI text -> sections of key/value pairs, with positions.
 *
 * libinih 55 does the key/value splitting; this module feeds it through
 * ini_parse_stream with its own line reader, because libinih alone cannot
 * give what rule files need:
 *   - every key carries its file line and the column where its value starts
 *     (the handler gets no line number);
 *   - a line longer than INIREAD_MAX_LINE bytes is an error (libinih would
 *     silently split it into two lines);
 *   - a ';' anywhere outside a comment line is an error (libinih would cut
 *     the value at " ;"); comment lines start with '#' or ';';
 *   - an indented line right after a key line (or its continuation)
 *     continues that key's value: the value keeps one '\n' plus the
 *     physical line (indentation included) per continuation, so an
 *     expression's column arithmetic stays right on every line;
 *   - every malformed line (no '=' or ':', a bad [section], a key before any
 *     section, a duplicate key or section in one file, a NUL byte) is
 *     reported, and reading goes on.
 *
 * Ownership: the struct ini_doc owns its copy of the text and every string;
 * ini_doc_free releases it (NULL is a no-op).
 */
#ifndef ADVISOR_INIREAD_H
#define ADVISOR_INIREAD_H

#include "../base/diag.h"

#include <stdbool.h>
#include <stddef.h>

/* The longest physical line, newline excluded (libinih 55's INI_MAX_LINE is
 * 200 bytes including the terminating NUL). */
#define INIREAD_MAX_LINE 199

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
