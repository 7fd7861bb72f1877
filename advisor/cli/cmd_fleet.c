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
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"

#include "../base/buf.h"
#include "../fleet/fleet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_fleet(const struct cli_args *a)
{
	struct fleet_opts fo = {0};
	const char *out;
	size_t nfiles = 0;
	struct fleet *f = NULL;
	struct diag_list d = {0};
	struct buf b = {0};
	int code;
	fo.group_by = cli_str(a, OPT_fleet_group_by);
	fo.threads = (unsigned)cli_num(a, OPT_fleet_threads, 0);
	fo.top = (size_t)cli_num(a, OPT_fleet_top, 0);
	out = cli_str(a, OPT_fleet_output);
	int rc = fleet_load(a->operands, a->noperands, &fo, &f, &nfiles, &d);
	diag_print_from(stderr, &d, 0, DIAG_NOTE, rc ? "reclaim-advisor: fleet: " : NULL);
	if (rc) {
		code = EXIT_NOINPUT;
		goto done;
	}
	(cli_is(a, OPT_fleet_format, "json") ? fleet_render_json : fleet_render_text)(f, &b);
	code = cli_emit_to("fleet", NULL, out, buf_str(&b), b.len, cli_flag(a, OPT_fleet_force));
	/* Skipped input (unreadable, malformed, a dangling link) is never
	 * "OK": the summary is written, and the exit code says it is partial. */
	if (!code && !nfiles) {
		fprintf(stderr, "reclaim-advisor: fleet: no *.json report found\n");
		code = EXIT_NOINPUT;
	} else if (!code && fleet_nskipped(f)) {
		code = EXIT_DATAERR;
	}
done:
	buf_free(&b);
	fleet_free(f);
	diag_list_clear(&d);
	return code;
}
