/* optparse: a command line parsed from options declared as data.
 *
 * A program declares each option as a flags string, "-o, --output FILE"
 * (a short letter, the long name, a word after it for a required
 * argument), and a struct optparse_value saying what the value means.
 * optparse_parse runs getopt_long over argv with the entries derived from
 * the flags, checks every value against its declaration and the number of
 * operands, and returns every problem as a diagnostic.  Nothing here
 * prints (getopt's own messages are turned off) or knows a program's
 * options; the caller prefixes the messages with its name.
 */
#ifndef ADVISOR_OPTPARSE_H
#define ADVISOR_OPTPARSE_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

struct diag_list;

enum optparse_kind {
	OPTPARSE_FLAG,     /* no value */
	OPTPARSE_ANY,      /* any string but "": no option wants an empty path or name */
	OPTPARSE_OUTPUT,   /* a file the program writes (and see optparse_same_file) */
	OPTPARSE_CHOICE,   /* a word of the flags' argument: "text|json" in "--format text|json" */
	OPTPARSE_NUMBER,   /* a decimal in lo..hi; legal: its unit ("seconds") */
	OPTPARSE_INTEGER,  /* a whole number in lo..hi (a sign and leading blanks allowed) */
	OPTPARSE_BYTES,    /* a positive byte count, suffix k, M or G (powers of 1024) */
	OPTPARSE_MATCHES,  /* fn(value) is true; legal: what that is */
	OPTPARSE_CALLER,   /* non-empty, and the caller checks it: optparse_spec.check */
	OPTPARSE_HELP,     /* a flag that ends the parse (--help) */
};

struct optparse_value {
	enum optparse_kind kind;
	double lo, hi;
	const char *legal;
	bool (*fn)(const char *);
	bool required; /* it must be given */
	bool once;     /* given again is an error, not "the last counts": where a
			* second value looks like a request the program does not
			* serve (two histories are not joined) */
};

/* One option, and where its values go: like getopt_long's flag pointer,
 * *v (allocated and grown here: the caller frees it) gets every accepted
 * value in command-line order ("" for a flag), *n counts them. */
struct optparse_opt {
	const char *flags;
	struct optparse_value value;
	const char ***v;
	size_t *n;
};

/* A command line: its options, and lo..hi operands (what names them in
 * "missing argument WHAT"). */
struct optparse_spec {
	const struct optparse_opt *opts;
	size_t nopts;
	size_t lo, hi;
	const char *what;
	/* OPTPARSE_CALLER values, in command-line order (so a later one can
	 * depend on an earlier one): NULL accepts, else why not. */
	const char *(*check)(void *ctx, const char *name, const char *arg);
	void *ctx;
};

/* Parse argv[1..argc) (argv[0] names the program; glibc permutes argv so
 * the operands come last: they are argv[*first..argc)).  Every option is
 * read and every value checked, also after an error; a refused value is
 * not kept.  Returns 0; OPTPARSE_HELP_GIVEN when an OPTPARSE_HELP option came
 * before any error (the parse stops there); or -EINVAL, with one error in
 * d per problem ("unknown option '--x'", "'--r' is ambiguous: --report,
 * --root", "--profile needs a value (NAME)", "--force '1': expected no
 * value", "--format 'xml': expected text|json", "--history H is
 * required", "--history given 2 times (a, b): once only", "missing
 * argument FILE|DIR", "unexpected argument 'x'",
 * "--output and --report name the same file (F): one would replace the
 * other"). */
#define OPTPARSE_HELP_GIVEN 1
int optparse_parse(const struct optparse_spec *s, int argc, char **argv, size_t *first, struct diag_list *d);

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
