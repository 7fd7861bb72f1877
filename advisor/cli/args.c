/* args: the command line, parsed from commands.def (contract in args.h). */
#include "args.h"
#include "exitcodes.h"
#include "help.h"
#include "../audit/audit.h"
#include "../base/numparse.h"
#include "../base/xalloc.h"
#include "../render/audit_format.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* What a value means (commands.def lists the kinds). */
enum kind { V_ANY, V_NONEMPTY, V_OUTPUT, V_CHOICE, V_NUMBER, V_INTEGER, V_BYTES, V_MATCHES, V_HOST };
struct meaning {
	enum kind kind;
	double lo, hi;
	const char *legal; /* what is accepted; NUMBER, INTEGER: the unit */
	bool (*fn)(const char *);
};
#define FLAG {V_ANY, 0, 0, NULL, NULL}
#define ANY {V_ANY, 0, 0, NULL, NULL}
#define NONEMPTY {V_NONEMPTY, 0, 0, "a non-empty value", NULL}
#define OUTPUT {V_OUTPUT, 0, 0, "a non-empty value", NULL}
#define CHOICE {V_CHOICE, 0, 0, NULL, NULL}
#define NUMBER(lo, hi, what) {V_NUMBER, lo, hi, what, NULL}
#define INTEGER(lo, hi) {V_INTEGER, lo, hi, "a whole number", NULL}
#define BYTES {V_BYTES, 0, 0, "a positive byte count (suffix k, M or G)", NULL}
#define MATCHES(fn, legal) {V_MATCHES, 0, 0, legal, fn}
#define HOST {V_HOST, 0, 0, NULL, NULL}

static const struct {
	const char *cmd, *flags;
	struct meaning value;
} defs[OPT_COUNT] = {
#define CMD(...)
#define OPT(cmd, id, flags, value, text) {#cmd, flags, value},
#include "commands.def"
#undef CMD
#undef OPT
};

/* getopt's value for a long option without a letter: past every char. */
#define LONG_VAL(id) (256 + (int)(id))

/* CHOICE: the position of arg among the words of "--format text|json", or -1. */
static int choice(enum cli_opt id, const char *arg)
{
	const char *c = strchr(strstr(defs[id].flags, "--"), ' ');
	size_t len = strlen(arg);
	for (int i = 0; c; i++, c = strchr(c + 1, '|'))
		if (!strncmp(c + 1, arg, len) && (c[1 + len] == '|' || !c[1 + len]))
			return i;
	return -1;
}

/* Is arg what defs[id] (long name name) declares?  If not: the message
 * (the legal set or range, or a host option's own words) and false. */
static bool valid(const char *cmd, enum cli_opt id, const char *name, const char *arg, struct cli_args *a)
{
	const struct meaning *v = &defs[id].value;
	const char *end, *why = NULL, *legal = v->legal;
	char range[96];
	double d;
	int64_t i;
	size_t bytes;
	bool ok = true;
	switch (v->kind) {
	case V_NONEMPTY:
	case V_OUTPUT:
		ok = *arg;
		break;
	case V_CHOICE:
		ok = choice(id, arg) >= 0;
		legal = strchr(strstr(defs[id].flags, "--"), ' ') + 1;
		break;
	case V_NUMBER:
	case V_INTEGER:
		ok = v->kind == V_NUMBER ? !parse_decimal(arg, &end, &d) && !*end && d >= v->lo && d <= v->hi
					 : !parse_i64(arg, &end, &i) && !*end && i >= v->lo && i <= v->hi;
		snprintf(range, sizeof(range), "%s in %.15g..%.15g", v->legal, v->lo, v->hi);
		legal = range;
		break;
	case V_BYTES:
		ok = !parse_byte_count(arg, &bytes);
		break;
	case V_MATCHES:
		ok = v->fn(arg);
		break;
	case V_HOST:
		ok = !host_source_set(&a->host, name, arg, &why);
		break;
	case V_ANY:
		break;
	}
	if (!ok)
		fprintf(stderr, "reclaim-advisor: %s: --%s '%s': %s%s\n", cmd, name, arg, why ? "" : "expected ",
			why ? why : legal);
	return ok;
}

/* Do two OUTPUT options name one file (the same string, or one existing
 * inode)?  NULL never clashes. */
static bool same_output(enum cli_opt i, enum cli_opt j, const struct cli_args *a)
{
	const char *p = cli_str(a, i), *q = cli_str(a, j);
	struct stat sp, sq;
	if (defs[i].value.kind != V_OUTPUT || defs[j].value.kind != V_OUTPUT || !p || !q)
		return false;
	return !strcmp(p, q) || (stat(p, &sp) == 0 && stat(q, &sq) == 0 && sp.st_dev == sq.st_dev &&
				 sp.st_ino == sq.st_ino);
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
			if (!strcmp(defs[i].cmd, pass ? "host" : cmd) && (!pass || c->takes & TAKES_HOST))
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
			/* into a->host as it comes: given again, the last counts */
			if (defs[id].value.kind == V_HOST && !valid(cmd, id, longopts[i].name, optarg, a))
				code = EXIT_USAGE;
		}
	}
	/* The other values once every option is read (so --help still wins);
	 * a refused one is not kept. */
	for (size_t i = 0; code != CLI_HELP && i < n; i++) {
		enum cli_opt id = ids[i];
		size_t kept = 0;
		for (size_t k = 0; k < a->n[id]; k++)
			if (defs[id].value.kind == V_HOST || valid(cmd, id, longopts[i].name, a->v[id][k], a))
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
	return a->n[id] ? (size_t)choice(id, cli_str(a, id)) : 0;
}

double cli_num(const struct cli_args *a, enum cli_opt id, double dflt)
{
	double d = dflt;
	if (a->n[id]) /* checked: a NUMBER or INTEGER */
		parse_decimal(cli_str(a, id), NULL, &d);
	return d;
}

size_t cli_bytes(const struct cli_args *a, enum cli_opt id)
{
	size_t bytes = 0;
	if (a->n[id]) /* checked: BYTES */
		parse_byte_count(cli_str(a, id), &bytes);
	return bytes;
}
