/* args: the command line, parsed from commands.def (contract in args.h). */
#include "args.h"
#include "exitcodes.h"
#include "help.h"
#include "../audit/audit.h"
#include "../base/diag.h"
#include "../base/optparse.h"
#include "../render/audit_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kinds of commands.def's values (base/optparse.h); HOST: the caller's,
 * host_source_set. */
#define FLAG {.kind = OPTPARSE_FLAG}
#define ANY {.kind = OPTPARSE_ANY}
#define REQUIRED {.kind = OPTPARSE_ANY, .required = true}
#define ONCE {.kind = OPTPARSE_ANY, .once = true}
#define REQUIRED_ONCE {.kind = OPTPARSE_ANY, .required = true, .once = true}
#define OUTPUT {.kind = OPTPARSE_OUTPUT}
#define CHOICE {.kind = OPTPARSE_CHOICE}
#define NUMBER(l, h, unit) {.kind = OPTPARSE_NUMBER, .lo = l, .hi = h, .legal = unit}
#define INTEGER(l, h) {.kind = OPTPARSE_INTEGER, .lo = l, .hi = h}
#define BYTES {.kind = OPTPARSE_BYTES}
#define MATCHES(f, what) {.kind = OPTPARSE_MATCHES, .legal = what, .fn = f}
#define HOST {.kind = OPTPARSE_CALLER}

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

/* host_source_set (collect/load.h) as optparse's check: the host options
 * go into a->host as they come (given again, the last counts). */
static const char *host_check(void *host, const char *name, const char *arg)
{
	const char *why;
	host_source_set(host, name, arg, &why);
	return why;
}

int cli_parse(const char *cmd, int argc, char **argv, struct cli_args *a)
{
	const struct help_cmd *c = help_find(cmd);
	memset(a, 0, sizeof(*a));
	/* this command's options, then the host options, then --help */
	struct optparse_opt opts[OPT_COUNT + 1];
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < OPT_COUNT; i++)
			if (!strcmp(defs[i].cmd, pass ? "host" : cmd) && (!pass || c->takes.flags & TAKES_HOST))
				opts[n++] = (struct optparse_opt){defs[i].flags, defs[i].value, &a->v[i], &a->n[i]};
	opts[n++] = (struct optparse_opt){"-h, --help", {.kind = OPTPARSE_HELP}, NULL, NULL};
	struct optparse_spec s = {opts, n, c->takes.lo, c->takes.hi, c->takes.what, host_check, &a->host};
	struct diag_list d = {0};
	size_t first;
	int rc = optparse_parse(&s, argc, argv, &first, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "reclaim-advisor: %s: %s\n", cmd, d.v[i].msg);
	diag_list_clear(&d);
	a->operands = argv + first;
	a->noperands = (size_t)argc - first;
	a->refused = rc < 0;
	if (rc)
		help_usage(cmd, rc == OPTPARSE_HELP_GIVEN ? stdout : stderr);
	return rc == OPTPARSE_HELP_GIVEN ? CLI_HELP : rc ? EXIT_USAGE : 0;
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
