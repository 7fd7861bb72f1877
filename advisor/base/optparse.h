/* optparse: a command-line option declared as data, and its value checked.
 *
 * A program declares each option as a flags string, "-o, --output FILE"
 * (a short letter, the long name, a word after it for a required
 * argument), and a struct optparse_value saying what the value means.
 * These functions derive the getopt_long entry from the flags and check a
 * value against the declaration.  Nothing here prints or knows a
 * program's options: a refused value comes back as the text of what was
 * expected, for the caller's message.
 */
#ifndef ADVISOR_OPTPARSE_H
#define ADVISOR_OPTPARSE_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

enum optparse_kind {
	OPTPARSE_ANY,      /* any string, or no argument */
	OPTPARSE_NONEMPTY, /* a non-empty string */
	OPTPARSE_OUTPUT,   /* a file the program writes: non-empty (and see optparse_same_file) */
	OPTPARSE_CHOICE,   /* a word of the flags' argument: "text|json" in "--format text|json" */
	OPTPARSE_NUMBER,   /* a decimal in lo..hi; legal: its unit ("seconds") */
	OPTPARSE_INTEGER,  /* a whole number in lo..hi (a sign and leading blanks allowed) */
	OPTPARSE_BYTES,    /* a positive byte count, suffix k, M or G (powers of 1024) */
	OPTPARSE_MATCHES,  /* fn(value) is true; legal: what that is */
	OPTPARSE_CALLER,   /* the caller checks it */
};

struct optparse_value {
	enum optparse_kind kind;
	double lo, hi;
	const char *legal;
	bool (*fn)(const char *);
};

/* The getopt_long entry *o of flags: the long name (allocated: the caller
 * frees o->name), has_arg, and val: the short letter, else long_val.  The
 * short letter (and ':' when it takes an argument) is appended to shorts,
 * which has room. */
void optparse_entry(const char *flags, int long_val, struct option *o, char *shorts);

/* NULL when arg is a value of v (flags: the option's, for CHOICE), else
 * what was expected: "a whole number in 1..64", "text|json", v->legal;
 * made up in buf (n bytes) when needed. */
const char *optparse_refused(const struct optparse_value *v, const char *flags, const char *arg, char *buf,
			     size_t n);

/* CHOICE: the position of arg among the words of flags' argument, or -1. */
int optparse_choice(const char *flags, const char *arg);

/* A value optparse_refused accepted as NUMBER or INTEGER, or as BYTES. */
double optparse_number(const char *arg);
size_t optparse_bytes(const char *arg);

/* Do two paths name one file: the same string, or one existing inode? */
bool optparse_same_file(const char *p, const char *q);

#endif
