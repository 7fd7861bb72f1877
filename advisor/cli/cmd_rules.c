/* rules check [DIR ...] [--rules DIR]...
 * rules list [--profile NAME] [--rules DIR]...
 *
 * check loads every rule file and profile (the default search path, or only
 * the DIRs given), prints every diagnostic as file:line:col with the source
 * line and a caret, and exits EXIT_CONFIG on any error, like `doas -C`
 * (--strict: on any warning too, as systemd-analyze verify does).
 * list prints the rules the profile activates, after drop-ins. */
#include "../rules/ruleset.h"
#include "help.h"
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

static int check(int argc, char **argv, const char **dirs, size_t ndirs, bool strict)
{
	struct diag_list d = {0};
	struct ruleset_opts o = {.dirs = dirs, .ndirs = ndirs};
	/* DIR operands: check exactly those directories. */
	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			dirs[ndirs++] = argv[i];
		o.ndirs = ndirs;
		o.only_dirs = true;
	}
	struct ruleset *rs = NULL;
	int rc = ruleset_load(&o, &rs, &d);
	size_t nprof_err = 0;
	if (rs) {
		size_t before = diag_count(&d, DIAG_ERROR);
		profile_check_all(rs, &d);
		nprof_err = diag_count(&d, DIAG_ERROR) - before;
	}
	diag_print_all(stderr, &d);
	size_t nerr = diag_count(&d, DIAG_ERROR) + (strict ? diag_count(&d, DIAG_WARNING) : 0);
	int code = EXIT_OK;
	if (rc || nerr) {
		fprintf(stderr, "rules check: %zu error%s%s\n", nerr, nerr == 1 ? "" : "s",
			nprof_err ? " (profiles included)" : "");
		code = EXIT_CONFIG;
	} else {
		size_t on = 0;
		for (size_t i = 0; i < ruleset_count(rs); i++)
			on += ruleset_rule(rs, i)->enabled;
		printf("rules check: ok: %zu rules (%zu enabled) in %zu files, digest %s\n", ruleset_count(rs), on,
		       ruleset_nfiles(rs), ruleset_digest(rs));
	}
	ruleset_free(rs);
	diag_list_clear(&d);
	return code;
}

static int list(const char *profile, const char **dirs, size_t ndirs)
{
	struct diag_list d = {0};
	struct ruleset_opts o = {.dirs = dirs, .ndirs = ndirs};
	struct ruleset *rs = NULL;
	struct profile *p = NULL;
	int code = EXIT_OK;
	if (ruleset_load(&o, &rs, &d) || profile_load(rs, profile, &p, &d)) {
		diag_print_all(stderr, &d);
		code = EXIT_CONFIG;
		goto out;
	}
	diag_print_all(stderr, &d);
	printf("profile %s%s%s\n", p->name, *p->description ? ": " : "", p->description);
	int w = 4;
	for (size_t i = 0; i < ruleset_count(rs); i++)
		if ((int)strlen(ruleset_rule(rs, i)->id) > w)
			w = (int)strlen(ruleset_rule(rs, i)->id);
	printf("%-*s %-30s %4s %-8s %s\n", w, "RULE", "SETS", "PRIO", "SEVERITY", "SOURCE");
	for (size_t i = 0; i < ruleset_count(rs); i++) {
		const struct rule *r = ruleset_rule(rs, i);
		if (!r->enabled || !profile_selects(p, r))
			continue;
		printf("%-*s %-30s %4d %-8s %s:%u", w, r->id, r->set ? r->set->name : "(finding)", r->priority,
		       severity_name(r->severity), r->file, r->line);
		if (r->replaced_file)
			printf(" (replaces %s:%u)", r->replaced_file, r->replaced_line);
		putchar('\n');
	}
	for (size_t i = 0; i < p->npins; i++)
		printf("pin    %s = %lld (%s:%u)\n", p->pins[i].sc->name, (long long)p->pins[i].value, p->pins[i].file,
		       p->pins[i].line);
	for (size_t i = 0; i < p->nbounds; i++) {
		const struct profile_bound *b = &p->bounds[i];
		printf("bounds %s", b->sc->name);
		if (b->has_lo)
			printf(" >= %lld", (long long)b->lo);
		if (b->has_hi)
			printf("%s <= %lld", b->has_lo ? "," : "", (long long)b->hi);
		printf(" (%s:%u)\n", b->file, b->line);
	}
	for (size_t i = 0; i < p->nwaivers; i++)
		printf("waive  %s: %s (%s:%u)\n", p->waivers[i].sc->name, p->waivers[i].reason, p->waivers[i].file,
		       p->waivers[i].line);
out:
	profile_free(p);
	ruleset_free(rs);
	diag_list_clear(&d);
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
	const char **dirs = calloc((size_t)argc + 1, sizeof(*dirs));
	if (!dirs)
		return EXIT_FAIL;
	size_t ndirs = 0;
	const char *profile = NULL;
	bool strict = false;
	int c, code;
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "r:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			dirs[ndirs++] = optarg;
			break;
		case 'p':
			profile = optarg;
			break;
		case 's':
			strict = true;
			break;
		case 'h':
			usage(stdout);
			free(dirs);
			return EXIT_OK;
		default:
			usage(stderr);
			free(dirs);
			return EXIT_USAGE;
		}
	}
	if (!strcmp(sub, "check")) {
		if (profile) {
			fprintf(stderr, "reclaim-advisor: rules check takes no --profile (it checks every profile)\n");
			free(dirs);
			return EXIT_USAGE;
		}
		code = check(argc - 1, argv + 1, dirs, ndirs, strict);
	} else {
		if (optind < argc - 1) {
			fprintf(stderr, "reclaim-advisor: rules list: unexpected argument '%s'\n", argv[optind + 1]);
			free(dirs);
			return EXIT_USAGE;
		}
		code = list(profile, dirs, ndirs);
	}
	free(dirs);
	return code;
}
