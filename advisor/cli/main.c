/* reclaim-advisor: a Linux sysctl tuning advisor for memory reclaim.
 *
 * main() parses the command line (args.h) and dispatches through the
 * command table (commands.def, help.h); each subcommand lives in
 * cmd_<name>.c.  The pipeline is collect -> facts
 * -> model -> rules -> advise -> render/write (see docs/ARCHITECTURE.md). */
#include "args.h"
#include "help.h"
#include "exitcodes.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		help_print_global(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("reclaim-advisor %s\n", ADVISOR_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
		return help_main(argc, argv);
	const struct help_cmd *c = help_find(argv[1]);
	if (!c) {
		help_unknown("unknown command", argv[1]);
		fputs("\nTry 'reclaim-advisor help' for more.\n", stderr);
		return EXIT_USAGE;
	}
	struct cli_args a;
	int code = cli_parse(c->name, argc - 1, argv + 1, &a);
	if (!code || (code == EXIT_USAGE && c->takes.flags & TAKES_REFUSED))
		code = c->run(&a);
	cli_args_free(&a);
	return code == CLI_HELP ? EXIT_OK : code;
}
