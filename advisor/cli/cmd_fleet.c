/* reclaim-advisor fleet: summarise many audit or recommend JSON reports.
 *
 * Arguments are files or directories (fleet_find_reports: directories
 * walked for *.json).  A malformed or foreign report, an unreadable
 * directory and a dangling link are named on stderr and in the summary,
 * and skipped.  Exit: 0 when every input was read, EXIT_DATAERR
 * when any was skipped (the summary of the rest is still written),
 * EXIT_NOINPUT when a path does not exist or no report was found,
 * EXIT_USAGE for bad options. */
#include "help.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"

#include "../base/buf.h"
#include "../fleet/fleet.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_GROUP_BY = 3000, OPT_FORMAT, OPT_THREADS, OPT_TOP, OPT_FORCE };

static void usage(FILE *f)
{
	help_usage("fleet", f);
}

static bool parse_count(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || !*s || v > max)
		return false;
	*out = v;
	return true;
}

int cmd_fleet(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"group-by", required_argument, NULL, OPT_GROUP_BY},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"output", required_argument, NULL, 'o'},
		{"force", no_argument, NULL, OPT_FORCE},
		{"threads", required_argument, NULL, OPT_THREADS},
		{"top", required_argument, NULL, OPT_TOP},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct fleet_opts fo = {0};
	const char *out = NULL;
	bool json = false, force = false;
	int opt, code = EXIT_USAGE;
	unsigned long v;
	char **paths = NULL;
	size_t npaths = 0, bad;
	struct fleet *f = NULL;
	struct diag_list d = {0};
	struct buf b = {0};

	optind = 1;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_GROUP_BY: fo.group_by = optarg; break;
		case 'o':
			if (cli_nonempty("fleet", "-o", optarg))
				goto done;
			out = optarg;
			break;
		case OPT_FORCE: force = true; break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				json = true;
			else if (strcmp(optarg, "text")) {
				fprintf(stderr, "reclaim-advisor: fleet: unknown format '%s' (text, json)\n", optarg);
				goto done;
			}
			break;
		case OPT_THREADS:
			if (!parse_count(optarg, 64, &v) || !v) {
				fprintf(stderr, "reclaim-advisor: fleet: --threads wants 1..64\n");
				goto done;
			}
			fo.threads = (unsigned)v;
			break;
		case OPT_TOP:
			if (!parse_count(optarg, 1000000, &v) || !v) {
				fprintf(stderr, "reclaim-advisor: fleet: --top wants a positive number\n");
				goto done;
			}
			fo.top = v;
			break;
		case 'h':
			usage(stdout);
			code = EXIT_OK;
			goto done;
		default:
			usage(stderr);
			goto done;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "reclaim-advisor: fleet: no report files or directories given\n");
		usage(stderr);
		goto done;
	}
	int rc = fleet_find_reports(argv + optind, (size_t)(argc - optind), &paths, &npaths, &bad);
	if (rc) {
		fprintf(stderr, "reclaim-advisor: fleet: %s: %s\n", argv[optind + (int)bad], strerror(-rc));
		code = EXIT_NOINPUT;
		goto done;
	}

	f = fleet_new(&fo);
	fleet_add_files(f, paths, npaths, &d);
	diag_print_all(stderr, &d);
	(json ? fleet_render_json : fleet_render_text)(f, &b);
	code = cli_emit_to("fleet", out, buf_str(&b), b.len, force);
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
	return code;
}
