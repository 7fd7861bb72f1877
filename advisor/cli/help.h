/* help: every command's name, entry point and documentation in one table.
 *
 * The table in help.c is the single source of the command list (main.c
 * dispatches through it), of `reclaim-advisor help [COMMAND]`, of
 * `COMMAND --help`, and of the options the man pages document (debian/ and
 * man/ are written from `reclaim-advisor help COMMAND`; `help --all`
 * prints every command).  A command's options, its synopsis and its exit
 * codes live only there.
 */
#ifndef ADVISOR_HELP_H
#define ADVISOR_HELP_H

#include <stdbool.h>
#include <stdio.h>

struct help_opt {
	const char *flags; /* "-o, --output FILE" */
	const char *text;  /* one or more lines, '\n' between them */
};

struct help_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *brief;       /* one line for the command list */
	const char *synopsis;    /* lines after "usage: reclaim-advisor " */
	const char *description; /* a paragraph, or NULL */
	const struct help_opt *opts; /* ends with {NULL, NULL} */
	bool host_options;       /* takes the shared host options (hostopts.h) */
	const char *notes;       /* exit status and remarks, or NULL */
};

/* The table, in the order `help` lists it; *n receives its length. */
const struct help_cmd *help_commands(size_t *n);
/* The entry for name, or NULL. */
const struct help_cmd *help_find(const char *name);

/* The global help: usage, the command list, how to get more. */
void help_print_global(FILE *f);
/* A command's full help (synopsis, description, options, host options,
 * exit status). */
void help_print(const struct help_cmd *c, FILE *f);

/* What a command prints after a usage error it has already described in
 * one line: one more line, the hint to `reclaim-advisor help NAME`. */
void help_hint(const char *name);

/* The `usage` callback of a command: stdout gets the whole help, stderr
 * (after an error message) only the hint. */
void help_usage(const char *name, FILE *f);

/* Print "A, B or C" for a list of n choices (the valid values an error
 * message names). */
void help_choices(FILE *f, const char *const *v, size_t n);

#endif
