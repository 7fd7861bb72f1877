/* args: one command's command line, parsed from its commands.def lines.
 *
 * Each OPT(cmd, id, flags, value, text) line is also the option's
 * getopt_long entry: flags "-o, --output FILE" gives the short letter, the
 * long name and whether it takes an argument, and the value is read back
 * as OPT_<cmd>_<id>.  So an option's help, its table entry and its parsing
 * cannot disagree, and no command repeats a longopts table and a switch.
 * The parser (base/optparse.h) also handles what every command does
 * alike: -h/--help, an unknown, ambiguous or incomplete option, the number
 * of arguments a command takes (CMD's TAKES), the shared host options
 * (struct host_source, validated here) and the meaning each line declares
 * for its value (a format name, a number's range, an output that no other
 * output names); each refusal is one line naming the command, then the
 * hint to `help COMMAND`.  What is left to a command is what a
 * declaration cannot say: a value that builds a structure (--set,
 * --override) and rules across options.
 */
#ifndef ADVISOR_ARGS_H
#define ADVISOR_ARGS_H

#include "../collect/load.h"

#include <stdbool.h>
#include <stddef.h>

enum cli_opt {
#define CMD(...)
#define OPT(cmd, id, flags, value, text) OPT_##cmd##_##id,
#include "commands.def"
#undef CMD
#undef OPT
	OPT_COUNT
};

struct cli_args {
	struct host_source host; /* the host options (commands that take them) */
	const char **v[OPT_COUNT]; /* every valid value given, in order ("" for a flag) */
	size_t n[OPT_COUNT];       /* how many */
	char **operands;           /* what getopt left, in order (borrowed argv) */
	size_t noperands;
	bool refused;              /* the command line was refused (EXIT_USAGE) */
};

/* -h or --help: the help is on stdout; the command exits 0. */
#define CLI_HELP (-1)

/* Parse argv (argv[0] is the command) for the command cmd into *a (zeroed
 * first; cli_args_free it in every case).  Every option is parsed and
 * checked, also after an error, and a value that is refused is not kept,
 * so a caller can still read what was given (audit writes its UNKNOWN
 * document in the --format asked for).  Returns 0; CLI_HELP; or
 * EXIT_USAGE after every message ("reclaim-advisor: CMD: " and one of
 * optparse_parse's, then the hint to `help cmd`). */
int cli_parse(const char *cmd, int argc, char **argv, struct cli_args *a);
void cli_args_free(struct cli_args *a);

/* The last value of an option, or NULL when it was not given. */
const char *cli_str(const struct cli_args *a, enum cli_opt id);
/* Was it given? */
bool cli_flag(const struct cli_args *a, enum cli_opt id);
/* Was it given, last with this value? */
bool cli_is(const struct cli_args *a, enum cli_opt id, const char *value);
/* CHOICE: the position of the last value among the choices (0: not given). */
size_t cli_choice(const struct cli_args *a, enum cli_opt id);
/* NUMBER, INTEGER: the last value, or dflt when not given. */
double cli_num(const struct cli_args *a, enum cli_opt id, double dflt);
/* BYTES: the last value in bytes, or 0 when not given. */
size_t cli_bytes(const struct cli_args *a, enum cli_opt id);

#endif
