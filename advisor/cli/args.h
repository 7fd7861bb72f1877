/* args: one command's command line, parsed from its commands.def lines.
 *
 * Each OPT(cmd, id, flags, text) line is also the option's getopt_long
 * entry: flags "-o, --output FILE" gives the short letter, the long name
 * and whether it takes an argument, and the value is read back as
 * OPT_<cmd>_<id>.  So an option's help, its table entry and its parsing
 * cannot disagree, and no command repeats a longopts table and a switch.
 * The parser also handles what every command does alike: -h/--help, an
 * unknown option (getopt's message and the hint to `help COMMAND`), and
 * the shared host options (struct host_source, validated here).
 * Checking a value's meaning (a format name, a number's range) is the
 * command's: its messages are its own.
 */
#ifndef ADVISOR_ARGS_H
#define ADVISOR_ARGS_H

#include "../collect/load.h"

#include <stdbool.h>
#include <stddef.h>

enum cli_opt {
#define CMD(...)
#define OPT(cmd, id, flags, text) OPT_##cmd##_##id,
#include "commands.def"
#undef CMD
#undef OPT
	OPT_COUNT
};

struct cli_args {
	struct host_source host; /* the host options (commands that take them) */
	const char **v[OPT_COUNT]; /* every value given, in order ("" for a flag) */
	size_t n[OPT_COUNT];       /* how many */
	char **operands;           /* what getopt left, in order (borrowed argv) */
	size_t noperands;
};

/* -h or --help: the help is on stdout; the command exits 0. */
#define CLI_HELP (-1)

/* Parse argv (argv[0] is the command; getopt's messages name it) for the
 * command cmd into *a (zeroed first; cli_args_free it in every case).
 * Every option is parsed, also after an error, so a caller can still read
 * what was given (audit writes its UNKNOWN document in the --format asked
 * for).  Returns 0; CLI_HELP; or EXIT_USAGE after the message (getopt's,
 * plus the hint to `help cmd` for an unknown option or a missing
 * argument; a host option's own for a bad host value). */
int cli_parse(const char *cmd, int argc, char **argv, struct cli_args *a);
void cli_args_free(struct cli_args *a);

/* The last value of an option, or NULL when it was not given. */
const char *cli_str(const struct cli_args *a, enum cli_opt id);
/* Was it given? */
bool cli_flag(const struct cli_args *a, enum cli_opt id);

#endif
