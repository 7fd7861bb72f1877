/* help: the command table and the `help` command (contract in help.h). */
#include "help.h"

#include "commands.h"
#include "exitcodes.h"
#include "../render/fragment.h"
#include "../render/help.h"

#include <string.h>

static const struct help_cmd commands[] = {
#define CMD(name, brief, synopsis, description, takes, notes) \
	{#name, cmd_##name, brief, synopsis, description, takes, notes},
#define OPT(...)
#include "commands.def"
#undef CMD
#undef OPT
};

static const struct help_opt opts[] = {
#define CMD(...)
#define OPT(cmd, id, flags, value, text) {#cmd, flags, text},
#include "commands.def"
#undef CMD
#undef OPT
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct help_cmd *help_find(const char *name)
{
	for (size_t i = 0; name && i < N(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* The options of cmd: contiguous in commands.def. */
static const struct help_opt *opts_of(const char *cmd, size_t *n)
{
	size_t i = 0;
	while (i < N(opts) && strcmp(opts[i].cmd, cmd))
		i++;
	for (*n = 0; i + *n < N(opts) && !strcmp(opts[i + *n].cmd, cmd); ++*n)
		;
	return opts + i;
}

static void print(const struct help_cmd *c, FILE *f)
{
	struct help_page p = {.synopsis = c->synopsis, .description = c->description, .notes = c->notes};
	struct buf b = {0};
	p.opts = opts_of(c->name, &p.nopts);
	if (c->takes.flags & TAKES_HOST)
		p.host_opts = opts_of("host", &p.nhost_opts);
	help_render(&p, &b);
	fwrite(b.p, 1, b.len, f);
	buf_free(&b);
}

void help_print_global(FILE *f)
{
	fprintf(f, "usage: reclaim-advisor COMMAND [options]\n"
		   "       reclaim-advisor help [COMMAND] | --version\n\ncommands:\n");
	for (size_t i = 0; i < N(commands); i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].brief);
	fprintf(f, "\n`reclaim-advisor help COMMAND` (or `COMMAND --help`) shows its options.\n"
		   "Without --apply nothing on the host is changed.\n");
}

void help_unknown(const char *what, const char *name)
{
	fprintf(stderr, "reclaim-advisor: %s '%s'; commands are ", what, name);
	for (size_t i = 0; i < N(commands); i++)
		fprintf(stderr, "%s%s", i ? ", " : "", commands[i].name);
}

int help_main(int argc, char **argv)
{
	if (argc == 2 || strcmp(argv[1], "help")) {
		help_print_global(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[2], "--all")) {
		for (size_t i = 0; i < N(commands); i++) {
			printf("%s%s\n\n", i ? "\n" : "", commands[i].name);
			print(&commands[i], stdout);
		}
		return EXIT_OK;
	}
	const struct help_cmd *c = help_find(argv[2]);
	if (!c || argc > 3) {
		help_unknown(c ? "help: one command at a time, not" : "help: unknown command", c ? argv[3] : argv[2]);
		fputs("\n", stderr);
		return EXIT_USAGE;
	}
	print(c, stdout);
	return EXIT_OK;
}

void help_usage(const char *name, FILE *f)
{
	const struct help_cmd *c = help_find(name);
	if (f == stdout && c)
		print(c, f);
	else
		fprintf(stderr, "Try 'reclaim-advisor help %s' for its options.\n", name);
}
