/* reclaim-advisor: a Linux sysctl tuning advisor for memory reclaim.
 *
 * main() only dispatches; each subcommand lives in cmd_<name>.c.  The
 * pipeline is collect -> facts -> model -> rules -> recommendation ->
 * render/report (see docs/ARCHITECTURE.md). */
#include "commands.h"
#include "exitcodes.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
	{"collect", cmd_collect, "read a host into a JSON snapshot"},
	{"facts", cmd_facts, "list every fact with value, unit and source"},
	{"watermarks", cmd_watermarks, "observed and predicted min/low/high/promo per zone"},
	{"rules", cmd_rules, "check or list the rule set (rules check|list)"},
	{"explain", cmd_explain, "show a rule or sysctl, its facts and whether it fires"},
	{"recommend", cmd_recommend, "recommend sysctls; write a sysctl.d fragment and a report"},
	{"audit", cmd_audit, "check a host against the advice (monitoring exit codes)"},
	{"fleet", cmd_fleet, "summarise many audit or recommend reports"},
	{"record", cmd_record, "sample reclaim counters at a fixed interval into a history"},
	{"whatif", cmd_whatif, "replay a history against other watermark settings"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: reclaim-advisor <command> [options]\n"
		   "       reclaim-advisor --version | --help\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n`reclaim-advisor <command> --help` shows the command's options.\n"
		   "Without --apply nothing on the host is changed.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("reclaim-advisor %s\n", ADVISOR_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "reclaim-advisor: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
