/* One function per subcommand (commands.def); argv[0] is the subcommand's
 * name.  Each returns the process exit code (exitcodes.h). */
#ifndef ADVISOR_COMMANDS_H
#define ADVISOR_COMMANDS_H

#define CMD(name, ...) int cmd_##name(int argc, char **argv);
#define OPT(...)
#include "commands.def"
#undef CMD
#undef OPT

#endif
