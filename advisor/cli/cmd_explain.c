/* explain RULE-ID|SYSCTL [--profile NAME] [--rules DIR]... [host options]:
 * advise_run on the host, then render/explain.h says what the engine did
 * with the rule or sysctl. */
#include "../advise/advise.h"
#include "../render/explain.h"
#include "help.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "hostopts.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void usage(FILE *f)
{
	help_usage("explain", f);
}

int cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{"rules", required_argument, NULL, 'r'},
		{"profile", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		HOSTOPTS_LONGOPTS,
		{0},
	};
	struct host_source ho = {0};
	const char **dirs = calloc((size_t)argc + 1, sizeof(*dirs));
	if (!dirs)
		return EXIT_FAIL;
	size_t ndirs = 0;
	const char *profile = NULL;
	int c, code = EXIT_OK;
	struct diag_list d = {0};
	struct advice *a = NULL;
	struct host h = {0};
	struct buf b = {0};
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:p:h", opts, NULL)) != -1) {
		if (c == 'r')
			dirs[ndirs++] = optarg;
		else if (c == 'p')
			profile = optarg;
		else if (c == 'h') {
			usage(stdout);
			goto out;
		} else if ((code = cli_other_option(&ho, c, optarg, usage)))
			goto out;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "reclaim-advisor: explain: %s\n",
			optind >= argc ? "which rule or sysctl? (explain RULE-ID|SYSCTL)" : "one rule or sysctl at a time");
		usage(stderr);
		code = EXIT_USAGE;
		goto out;
	}
	if ((code = cli_load_host(&ho, &h)) != EXIT_OK)
		goto out;
	struct advise_request req = {.host = &h, .root = ho.snapshot ? NULL : ho.root ? ho.root : "/",
				     .profile = profile, .rules = dirs, .nrules = ndirs};
	int rc = advise_run(&req, &a, &d);
	if (rc) {
		diag_print_all(stderr, &d);
		code = rc == -EINVAL ? EXIT_CONFIG : EXIT_FAIL;
	} else if (explain_render(a, &h, argv[optind], &b)) {
		fprintf(stderr, "reclaim-advisor: explain: no rule or sysctl named '%s'\n", argv[optind]);
		code = EXIT_USAGE;
	} else {
		code = cli_emit("explain", NULL, b.p, b.len);
	}
out:
	buf_free(&b);
	advice_free(a);
	host_free(&h);
	diag_list_clear(&d);
	free(dirs);
	return code;
}
