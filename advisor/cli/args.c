/* args: the command line, parsed from commands.def (contract in args.h). */
#include "args.h"
#include "exitcodes.h"
#include "help.h"
#include "../audit/audit.h"
#include "../base/optparse.h"
#include "../base/xalloc.h"
#include "../render/audit_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kinds of commands.def's values (base/optparse.h); HOST: the caller's,
 * host_source_set. */
#define FLAG {OPTPARSE_ANY, 0, 0, NULL, NULL}
#define ANY {OPTPARSE_ANY, 0, 0, NULL, NULL}
#define NONEMPTY {OPTPARSE_NONEMPTY, 0, 0, NULL, NULL}
#define OUTPUT {OPTPARSE_OUTPUT, 0, 0, NULL, NULL}
#define CHOICE {OPTPARSE_CHOICE, 0, 0, NULL, NULL}
#define NUMBER(lo, hi, unit) {OPTPARSE_NUMBER, lo, hi, unit, NULL}
#define INTEGER(lo, hi) {OPTPARSE_INTEGER, lo, hi, NULL, NULL}
#define BYTES {OPTPARSE_BYTES, 0, 0, NULL, NULL}
#define MATCHES(fn, legal) {OPTPARSE_MATCHES, 0, 0, legal, fn}
#define HOST {OPTPARSE_CALLER, 0, 0, NULL, NULL}

static const struct {
	const char *cmd, *flags;
	struct optparse_value value;
} defs[OPT_COUNT] = {
#define CMD(...)
#define OPT(cmd, id, flags, value, text) {#cmd, flags, value},
#include "commands.def"
#undef CMD
#undef OPT
};

/* getopt's value for a long option without a letter: past every char. */
#define LONG_VAL(id) (256 + (int)(id))

/* Is arg what defs[id] (long name name) declares?  If not: the message
 * (what was expected, or a host option's own words) and false. */
static bool valid(const char *cmd, enum cli_opt id, const char *name, const char *arg, struct cli_args *a)
{
	char buf[96];
	const char *why = NULL, *legal = NULL;
	if (defs[id].value.kind == OPTPARSE_CALLER)
		host_source_set(&a->host, name, arg, &why);
	else
		legal = optparse_refused(&defs[id].value, defs[id].flags, arg, buf, sizeof(buf));
	if (why || legal)
		fprintf(stderr, "reclaim-advisor: %s: --%s '%s': %s%s\n", cmd, name, arg, why ? "" : "expected ",
			why ? why : legal);
	return !why && !legal;
}

/* Do two OUTPUT options name one file?  NULL never clashes. */
static bool same_output(enum cli_opt i, enum cli_opt j, const struct cli_args *a)
{
	const char *p = cli_str(a, i), *q = cli_str(a, j);
	return defs[i].value.kind == OPTPARSE_OUTPUT && defs[j].value.kind == OPTPARSE_OUTPUT && p && q &&
	       optparse_same_file(p, q);
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
			if (!strcmp(defs[i].cmd, pass ? "host" : cmd) && (!pass || c->takes & TAKES_HOST))
				ids[n++] = (enum cli_opt)i;
	struct option *longopts = xcalloc(n + 2, sizeof(*longopts));
	char *shorts = xcalloc(2 * n + 2, 1);
	for (size_t i = 0; i < n; i++)
		optparse_entry(defs[ids[i]].flags, LONG_VAL(ids[i]), &longopts[i], shorts);
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
			/* into a->host as it comes: given again, the last counts */
			if (defs[id].value.kind == OPTPARSE_CALLER && !valid(cmd, id, longopts[i].name, optarg, a))
				code = EXIT_USAGE;
		}
	}
	/* The other values once every option is read (so --help still wins);
	 * a refused one is not kept. */
	for (size_t i = 0; code != CLI_HELP && i < n; i++) {
		enum cli_opt id = ids[i];
		size_t kept = 0;
		for (size_t k = 0; k < a->n[id]; k++)
			if (defs[id].value.kind == OPTPARSE_CALLER || valid(cmd, id, longopts[i].name, a->v[id][k], a))
				a->v[id][kept++] = a->v[id][k];
			else
				code = EXIT_USAGE;
		a->n[id] = kept;
	}
	a->operands = argv + optind;
	a->noperands = (size_t)(argc - optind);
	if (code != CLI_HELP && a->noperands && !(c->takes & TAKES_OPERANDS)) {
		fprintf(stderr, "reclaim-advisor: %s: unexpected argument '%s'\n", cmd, a->operands[0]);
		hint = true;
		code = EXIT_USAGE;
	}
	for (size_t i = 0; code != CLI_HELP && i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (same_output(ids[i], ids[j], a)) {
				fprintf(stderr, "reclaim-advisor: %s: --%s and --%s name the same file (%s): one would "
						"replace the other\n", cmd, longopts[i].name, longopts[j].name, cli_str(a, ids[i]));
				code = EXIT_USAGE;
			}
	if (code == CLI_HELP)
		help_usage(cmd, stdout);
	else if (hint)
		help_usage(cmd, stderr);
	for (size_t i = 0; i < n; i++)
		free((char *)longopts[i].name);
	free(longopts);
	free(shorts);
	a->refused = code == EXIT_USAGE;
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

bool cli_is(const struct cli_args *a, enum cli_opt id, const char *value)
{
	const char *v = cli_str(a, id);
	return v && !strcmp(v, value);
}

size_t cli_choice(const struct cli_args *a, enum cli_opt id)
{
	return a->n[id] ? (size_t)optparse_choice(defs[id].flags, cli_str(a, id)) : 0;
}

double cli_num(const struct cli_args *a, enum cli_opt id, double dflt)
{
	return a->n[id] ? optparse_number(cli_str(a, id)) : dflt;
}

size_t cli_bytes(const struct cli_args *a, enum cli_opt id)
{
	return a->n[id] ? optparse_bytes(cli_str(a, id)) : 0;
}
