/* reclaim-advisor fleet: summarise many audit or recommend JSON reports.
 *
 * Arguments are files or directories (fleet_find_reports: directories
 * walked for *.json).  A malformed or foreign report, an unreadable
 * directory and a dangling link are named on stderr and in the summary,
 * and skipped.  Exit: 0 when every input was read, EXIT_DATAERR
 * when any was skipped (the summary of the rest is still written),
 * EXIT_NOINPUT when a path does not exist or no report was found,
 * EXIT_USAGE for bad options. */
#include "args.h"
#include "help.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"

#include "../base/buf.h"
#include "../fleet/fleet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_fleet(int argc, char **argv)
{
	struct cli_args a;
	struct fleet_opts fo = {0};
	const char *out, *format, *threads, *top, *why, *badopt;
	char **paths = NULL;
	size_t npaths = 0, bad;
	struct fleet *f = NULL;
	struct diag_list d = {0};
	struct buf b = {0};
	int code = cli_parse("fleet", argc, argv, &a);
	if (code)
		goto done;
	code = EXIT_USAGE;
	fo.group_by = cli_str(&a, OPT_fleet_group_by);
	out = cli_str(&a, OPT_fleet_output);
	format = cli_str(&a, OPT_fleet_format);
	threads = cli_str(&a, OPT_fleet_threads);
	top = cli_str(&a, OPT_fleet_top);
	if (cli_nonempty("fleet", "-o", out))
		goto done;
	if (format && strcmp(format, "json") && strcmp(format, "text")) {
		fprintf(stderr, "reclaim-advisor: fleet: unknown format '%s' (text, json)\n", format);
		goto done;
	}
	badopt = threads && fleet_opts_set(&fo, "threads", threads, &why) ? "threads"
		 : top && fleet_opts_set(&fo, "top", top, &why)		  ? "top"
									  : NULL;
	if (badopt) {
		fprintf(stderr, "reclaim-advisor: fleet: --%s %s\n", badopt, why);
		goto done;
	}
	if (!a.noperands) {
		fprintf(stderr, "reclaim-advisor: fleet: no report files or directories given\n");
		help_usage("fleet", stderr);
		goto done;
	}
	int rc = fleet_find_reports(a.operands, a.noperands, &paths, &npaths, &bad);
	if (rc) {
		fprintf(stderr, "reclaim-advisor: fleet: %s: %s\n", a.operands[bad], strerror(-rc));
		code = EXIT_NOINPUT;
		goto done;
	}

	f = fleet_new(&fo);
	fleet_add_files(f, paths, npaths, &d);
	diag_print_all(stderr, &d);
	(format && !strcmp(format, "json") ? fleet_render_json : fleet_render_text)(f, &b);
	code = cli_emit_to("fleet", out, buf_str(&b), b.len, cli_flag(&a, OPT_fleet_force));
	/* Skipped input (unreadable, malformed, a dangling link) is never
	 * "OK": the summary is written, and the exit code says it is partial. */
	if (!code && !npaths) {
		fprintf(stderr, "reclaim-advisor: fleet: no *.json report found\n");
		code = EXIT_NOINPUT;
	} else if (!code && fleet_nskipped(f)) {
		code = EXIT_DATAERR;
	}
done:
	buf_free(&b);
	fleet_free(f);
	diag_list_clear(&d);
	fleet_paths_free(paths, npaths);
	cli_args_free(&a);
	return cli_exit(code);
}
