/* rules check [--strict] [DIR ...] [--rules DIR]...
 * rules list [--profile NAME] [--rules DIR]...
 *
 * check loads every rule file and profile (the default search path, or only
 * the DIRs given), prints every diagnostic as file:line:col with the source
 * line and a caret, and exits EXIT_CONFIG on any error, like `doas -C`
 * (--strict: on any warning too, as systemd-analyze verify does).
 * list prints the rules the profile activates, after drop-ins
 * (render/rules.h). */
#include "../render/rules.h"
#include "help.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	help_usage("rules", f);
}

/* o->only_dirs: the DIR operands, exactly those directories. */
static int check(const struct ruleset_opts *o, bool strict, struct diag_list *d)
{
	struct ruleset *rs = NULL;
	int rc = ruleset_load(o, &rs, d);
	size_t nprof_err = 0;
	if (rs) {
		size_t before = diag_count(d, DIAG_ERROR);
		profile_check_all(rs, d);
		nprof_err = diag_count(d, DIAG_ERROR) - before;
	}
	diag_print_all(stderr, d);
	size_t nerr = diag_count(d, DIAG_ERROR) + (strict ? diag_count(d, DIAG_WARNING) : 0), on = 0;
	if (rc || nerr) {
		fprintf(stderr, "rules check: %zu error%s%s\n", nerr, nerr == 1 ? "" : "s",
			nprof_err ? " (profiles included)" : "");
		ruleset_free(rs);
		return EXIT_CONFIG;
	}
	for (size_t i = 0; i < ruleset_count(rs); i++)
		on += ruleset_rule(rs, i)->enabled;
	printf("rules check: ok: %zu rules (%zu enabled) in %zu files, digest %s\n", ruleset_count(rs), on,
	       ruleset_nfiles(rs), ruleset_digest(rs));
	ruleset_free(rs);
	return EXIT_OK;
}

static int list(const struct ruleset_opts *o, const char *profile, struct diag_list *d)
{
	struct ruleset *rs = NULL;
	struct profile *p = NULL;
	struct buf b = {0};
	int code = EXIT_CONFIG;
	if (!ruleset_load(o, &rs, d) && !profile_load(rs, profile, &p, d)) {
		rules_render_list(rs, p, &b);
		code = EXIT_OK;
	}
	diag_print_all(stderr, d);
	if (code == EXIT_OK)
		code = cli_emit("rules", NULL, b.p, b.len);
	buf_free(&b);
	profile_free(p);
	ruleset_free(rs);
	return code;
}

int cmd_rules(int argc, char **argv)
{
	static const struct option opts[] = {
		{"rules", required_argument, NULL, 'r'},
		{"profile", required_argument, NULL, 'p'},
		{"strict", no_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc < 2)
			fprintf(stderr, "reclaim-advisor: rules: a subcommand is needed: check or list\n");
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "check") && strcmp(sub, "list")) {
		fprintf(stderr, "reclaim-advisor: rules: unknown subcommand '%s'; the subcommands are check and list\n",
			sub);
		usage(stderr);
		return EXIT_USAGE;
	}
	/* getopt names argv[0] in its messages: the command, not "check" */
	argv[1] = argv[0];
	argc--, argv++;
	const char **dirs = calloc((size_t)argc + 1, sizeof(*dirs));
	struct ruleset_opts o = {.dirs = dirs};
	struct diag_list d = {0};
	const char *profile = NULL;
	bool strict = false;
	int c, code = EXIT_USAGE;
	if (!dirs)
		return EXIT_FAIL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:p:h", opts, NULL)) != -1) {
		if (c == 'r')
			dirs[o.ndirs++] = optarg;
		else if (c == 'p')
			profile = optarg;
		else if (c == 's')
			strict = true;
		else {
			usage(c == 'h' ? stdout : stderr);
			code = c == 'h' ? EXIT_OK : EXIT_USAGE;
			goto out;
		}
	}
	if (!strcmp(sub, "list") && optind < argc)
		fprintf(stderr, "reclaim-advisor: rules list: unexpected argument '%s'\n", argv[optind]);
	else if (!strcmp(sub, "list"))
		code = list(&o, profile, &d);
	else if (profile)
		fprintf(stderr, "reclaim-advisor: rules check takes no --profile (it checks every profile)\n");
	else {
		o.only_dirs = optind < argc;
		while (optind < argc)
			dirs[o.ndirs++] = argv[optind++];
		code = check(&o, strict, &d);
	}
out:
	diag_list_clear(&d);
	free(dirs);
	return code;
}
