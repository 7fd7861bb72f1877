/* reclaim-advisor: a Linux sysctl tuning advisor for memory reclaim.
 *
 * main() only dispatches, through the command table of help.c (which also
 * holds every command's documentation); each subcommand lives in
 * cmd_<name>.c.  The
 * pipeline is collect -> facts -> model -> rules -> recommendation ->
 * render/report (see docs/ARCHITECTURE.md). */
#include "commands.h"
#include "help.h"
#include "exitcodes.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

/* Commands reach this argv[0], so getopt's own messages say which command
 * they are about ("reclaim-advisor recommend: option '--profile' requires
 * an argument"). */
static char progname[64];

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
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		if (argc == 2 || strcmp(argv[1], "help")) {
			help_print_global(stdout);
			return EXIT_OK;
		}
		size_t n;
		const struct help_cmd *all = help_commands(&n);
		if (!strcmp(argv[2], "--all")) {
			for (size_t i = 0; i < n; i++) {
				printf("%s%s\n\n", i ? "\n" : "", all[i].name);
				help_print(&all[i], stdout);
			}
			return EXIT_OK;
		}
		const struct help_cmd *c = help_find(argv[2]);
		if (!c || argc > 3) {
			fprintf(stderr, "reclaim-advisor: help: %s '%s'; commands are ",
				c ? "one command at a time, not" : "unknown command", c ? argv[3] : argv[2]);
			for (size_t i = 0; i < n; i++)
				fprintf(stderr, "%s%s", i ? ", " : "", all[i].name);
			fputs("\n", stderr);
			return EXIT_USAGE;
		}
		help_print(c, stdout);
		return EXIT_OK;
	}
	const struct help_cmd *c = help_find(argv[1]);
	if (!c) {
		size_t n;
		const struct help_cmd *all = help_commands(&n);
		fprintf(stderr, "reclaim-advisor: unknown command '%s'; commands are ", argv[1]);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", all[i].name);
		fputs("\nTry 'reclaim-advisor help' for more.\n", stderr);
		return EXIT_USAGE;
	}
	snprintf(progname, sizeof(progname), "reclaim-advisor %s", c->name);
	argv[1] = progname;
	return c->run(argc - 1, argv + 1);
}
