/* reclaim-advisor collect: a host as a JSON snapshot (collect/snapshot.h). */
#include "help.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "hostopts.h"
#include "../base/buf.h"
#include "../collect/snapshot.h"

#include <getopt.h>
#include <stdio.h>

static void usage(FILE *f)
{
	help_usage("collect", f);
}

int cmd_collect(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"force", no_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		HOSTOPTS_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct host_source ho = {0};
	const char *output = NULL;
	bool force = false;
	int opt;
	optind = 0; /* glibc: full re-initialisation, argv[0] is the command */
	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'o':
			if (cli_nonempty("collect", "-o", optarg))
				return EXIT_USAGE;
			output = optarg;
			break;
		case 'F':
			force = true;
			break;
		default:
			if (cli_other_option(&ho, opt, optarg, usage))
				return EXIT_USAGE;
			break;
		}
	}
	if (cli_no_operands("collect", argc, argv, usage))
		return EXIT_USAGE;
	/* Refuse a foreign or unwritable output before the (maybe long,
	 * --interval) collection. */
	int oc = cli_output_ready("collect", output, force);
	if (oc)
		return oc;
	struct host h;
	int code = cli_load_host(&ho, &h);
	if (code != EXIT_OK)
		return code;
	struct snapshot_inputs in = {
		.root = ho.snapshot ? ho.snapshot : (ho.root ? ho.root : "/"),
		.page_size = ho.page_size,
		.interval = ho.interval,
	};
	struct buf b = {0};
	snapshot_write(&h, &in, &b);
	host_free(&h);
	code = cli_emit_to("collect", output, buf_str(&b), b.len, force);
	buf_free(&b);
	return code;
}
