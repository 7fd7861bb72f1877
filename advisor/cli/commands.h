/* One function per subcommand (commands.def), given its parsed command
 * line (main.c parses it, args.h).  Each returns the process exit code
 * (exitcodes.h). */
#ifndef ADVISOR_COMMANDS_H
#define ADVISOR_COMMANDS_H

struct cli_args;

#define CMD(name, ...) int cmd_##name(const struct cli_args *a);
#define OPT(...)
#include "commands.def"
#undef CMD
#undef OPT

#endif
