/* help: the command table (commands.def) and the `help` command.
 *
 * commands.def is the single source of the command list (main.c
 * dispatches through it), of `reclaim-advisor help [COMMAND]`, of
 * `COMMAND --help`, and of the options the man pages document; a
 * command's options, its synopsis and its exit codes live only there.
 * render/help.h lays the text out.
 */
#ifndef ADVISOR_HELP_H
#define ADVISOR_HELP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* What a command takes besides its own options, commands.def's
 * TAKES(flags, lo, hi, what): TAKES_HOST, the host options
 * (collect/load.h); lo..hi operands, what names them in "missing argument
 * WHAT"; TAKES_REFUSED, main runs it on a refused command line too
 * (audit's UNKNOWN document: cli_args.refused). */
enum { TAKES_HOST = 1, TAKES_REFUSED = 2 };
struct help_takes {
	unsigned flags;
	size_t lo, hi;
	const char *what;
};
#define TAKES(flags, lo, hi, what) {flags, lo, hi, what}

struct cli_args;

struct help_cmd {
	const char *name;
	int (*run)(const struct cli_args *a);
	const char *brief;       /* one line for the command list */
	const char *synopsis;    /* lines after "usage: reclaim-advisor " */
	const char *description; /* a paragraph, or NULL */
	struct help_takes takes;
	const char *notes;       /* exit status and remarks, or NULL */
};

/* The entry for name, or NULL. */
const struct help_cmd *help_find(const char *name);

/* The global help: usage, the command list, how to get more. */
void help_print_global(FILE *f);

/* `reclaim-advisor help [COMMAND|--all]` (also --help, -h): argv[1] is
 * "help", "--help" or "-h".  Returns the exit code. */
int help_main(int argc, char **argv);

/* "unknown command 'NAME'; commands are a, b, ..." on stderr (no newline). */
void help_unknown(const char *what, const char *name);

/* The `usage` callback of a command: stdout gets the whole help, stderr
 * (after an error message) only the hint to `reclaim-advisor help NAME`. */
void help_usage(const char *name, FILE *f);

#endif
