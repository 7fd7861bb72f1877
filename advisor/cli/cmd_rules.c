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
#include "args.h"
#include "help.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"

#include "../base/xalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* o->only_dirs: the DIR operands, exactly those directories. */
static int check(const struct ruleset_opts *o, bool strict, struct diag_list *d)
{
	struct rules_check c;
	rules_check(o, strict, &c, d);
	diag_print_all(stderr, d);
	struct buf b = {0};
	rules_render_check(c.ok ? c.rs : NULL, c.nerr, c.nprof_err, &b);
	fputs(buf_str(&b), c.ok ? stdout : stderr);
	buf_free(&b);
	ruleset_free(c.rs);
	return c.ok ? EXIT_OK : EXIT_CONFIG;
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

int cmd_rules(const struct cli_args *a)
{
	int code;
	/* the subcommand is the first operand (at least one: commands.def) */
	const char *sub = a->operands[0];
	size_t ndirs = a->n[OPT_rules_rules];
	const char **dirs = xcalloc(ndirs + a->noperands + 1, sizeof(*dirs));
	struct ruleset_opts o = {.dirs = dirs, .ndirs = ndirs};
	struct diag_list d = {0};
	const char *profile = cli_str(a, OPT_rules_profile);
	for (size_t i = 0; i < ndirs; i++)
		dirs[i] = a->v[OPT_rules_rules][i];
	if (strcmp(sub, "check") && strcmp(sub, "list")) {
		fprintf(stderr, "reclaim-advisor: rules: unknown subcommand '%s'; the subcommands are check and list\n",
			sub);
		help_usage("rules", stderr);
		code = EXIT_USAGE;
	} else if (!strcmp(sub, "list") && a->noperands > 1) {
		fprintf(stderr, "reclaim-advisor: rules list: unexpected argument '%s'\n", a->operands[1]);
		code = EXIT_USAGE;
	} else if (!strcmp(sub, "list")) {
		code = list(&o, profile, &d);
	} else if (profile) {
		fprintf(stderr, "reclaim-advisor: rules check takes no --profile (it checks every profile)\n");
		code = EXIT_USAGE;
	} else {
		o.only_dirs = a->noperands > 1;
		for (size_t i = 1; i < a->noperands; i++)
			dirs[o.ndirs++] = a->operands[i];
		code = check(&o, cli_flag(a, OPT_rules_strict), &d);
	}
	diag_list_clear(&d);
	free(dirs);
	return code;
}
