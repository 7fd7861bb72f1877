/* reclaim-advisor facts: every fact with value, unit and source
 * (render/facts.h). */
#include "help.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "hostopts.h"
#include "../render/facts.h"

#include <getopt.h>
#include <stdio.h>

static void usage(FILE *f)
{
	help_usage("facts", f);
}

int cmd_facts(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		HOSTOPTS_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct host_source ho = {0};
	int json = 0, opt;
	optind = 0; /* glibc: full re-initialisation, argv[0] is the command */
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			return EXIT_OK;
		}
		if (opt == 'f' ? cli_text_or_json("facts", optarg, &json) : cli_other_option(&ho, opt, optarg, usage))
			return EXIT_USAGE;
	}
	if (cli_no_operands("facts", argc, argv, usage))
		return EXIT_USAGE;
	struct host h;
	int code = cli_load_host(&ho, &h);
	if (code != EXIT_OK)
		return code;
	struct buf b = {0};
	(json ? facts_render_json : facts_render_text)(&h, &b);
	host_free(&h);
	code = cli_emit("facts", NULL, b.p, b.len);
	buf_free(&b);
	return code;
}
