/* args: the command line, parsed from commands.def (contract in args.h). */
#include "args.h"
#include "exitcodes.h"
#include "help.h"
#include "../base/xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *cmd, *flags;
} defs[OPT_COUNT] = {
#define CMD(...)
#define OPT(cmd, id, flags, text) {#cmd, flags},
#include "commands.def"
#undef CMD
#undef OPT
};

/* getopt's value for a long option without a letter: past every char. */
#define LONG_VAL(id) (256 + (int)(id))

/* A host option's value into a->host (host_source_set, collect/load.h);
 * 0 or EXIT_USAGE (message printed).  Other options: 0. */
static int host_option(struct cli_args *a, enum cli_opt id, const char *arg)
{
	const char *name = defs[id].flags + 2, *why; /* "--page-size N" */
	char buf[32];
	if (strcmp(defs[id].cmd, "host"))
		return 0;
	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(name, " "), name);
	if (!host_source_set(&a->host, buf, arg, &why))
		return 0;
	fprintf(stderr, "reclaim-advisor: --%s %s: %s\n", buf, arg, why);
	return EXIT_USAGE;
}

/* The getopt_long entry of defs[id]: "-o, --output FILE". */
static void entry(enum cli_opt id, struct option *o, char *shorts)
{
	const char *f = defs[id].flags, *name;
	char letter = 0;
	if (f[0] == '-' && f[1] != '-') {
		letter = f[1];
		f = strstr(f, "--");
	}
	name = f + 2;
	size_t len = strcspn(name, " ");
	o->name = xstrndup(name, len);
	o->has_arg = name[len] == ' ' ? required_argument : no_argument;
	o->flag = NULL;
	o->val = letter ? letter : LONG_VAL(id);
	if (letter) {
		size_t n = strlen(shorts);
		shorts[n++] = letter;
		if (o->has_arg)
			shorts[n++] = ':';
		shorts[n] = '\0';
	}
}

int cli_parse(const char *cmd, int argc, char **argv, struct cli_args *a)
{
	const struct help_cmd *c = help_find(cmd);
	memset(a, 0, sizeof(*a));
	/* this command's options, then the host options, then --help */
	enum cli_opt ids[OPT_COUNT];
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < OPT_COUNT; i++)
			if (!strcmp(defs[i].cmd, pass ? "host" : cmd) && (!pass || c->host_options))
				ids[n++] = (enum cli_opt)i;
	struct option *longopts = xcalloc(n + 2, sizeof(*longopts));
	char *shorts = xcalloc(2 * n + 2, 1);
	for (size_t i = 0; i < n; i++)
		entry(ids[i], &longopts[i], shorts);
	longopts[n] = (struct option){"help", no_argument, NULL, 'h'};
	strcat(shorts, "h");

	int code = 0, opt;
	bool hint = false;
	optind = 0; /* glibc: full re-initialisation, argv[0] is the command */
	while ((opt = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
		size_t i = 0;
		while (i < n && longopts[i].val != opt)
			i++;
		if (opt == 'h' && !code) {
			code = CLI_HELP; /* as soon as it is asked for */
			break;
		} else if (opt == 'h') {
			continue;
		} else if (i == n) {
			hint = true; /* getopt said what was wrong */
			code = EXIT_USAGE;
		} else {
			enum cli_opt id = ids[i];
			a->v[id] = xreallocarray(a->v[id], a->n[id] + 1, sizeof(*a->v[id]));
			a->v[id][a->n[id]++] = optarg ? optarg : "";
			if (host_option(a, id, optarg))
				code = EXIT_USAGE;
		}
	}
	a->operands = argv + optind;
	a->noperands = (size_t)(argc - optind);
	if (code == CLI_HELP)
		help_usage(cmd, stdout);
	else if (hint)
		help_usage(cmd, stderr);
	for (size_t i = 0; i < n; i++)
		free((char *)longopts[i].name);
	free(longopts);
	free(shorts);
	return code;
}

void cli_args_free(struct cli_args *a)
{
	for (size_t i = 0; i < OPT_COUNT; i++)
		free(a->v[i]);
	memset(a, 0, sizeof(*a));
}

const char *cli_str(const struct cli_args *a, enum cli_opt id)
{
	return a->n[id] ? a->v[id][a->n[id] - 1] : NULL;
}

bool cli_flag(const struct cli_args *a, enum cli_opt id)
{
	return a->n[id] > 0;
}
