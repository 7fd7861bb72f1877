/* reclaim-advisor fleet: summarise many audit or recommend JSON reports.
 *
 * Arguments are files or directories; a directory is walked recursively
 * (as Ansible's fetch lays reports out: DIR/<host>/...) in name order, and
 * every *.json file in it is read.  A malformed or foreign report is named
 * on stderr and skipped.  Exit: 0 when at least one report was read (or
 * there was nothing to read in the directories given), EXIT_DATAERR when
 * every report was skipped, EXIT_NOINPUT when a path does not exist,
 * EXIT_USAGE for bad options. */
#include "help.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"

#include "../base/buf.h"
#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../fleet/fleet.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_GROUP_BY = 3000, OPT_FORMAT, OPT_THREADS, OPT_TOP, OPT_FORCE };

static void usage(FILE *f)
{
	help_usage("fleet", f);
}

struct paths {
	char **v;
	size_t n, cap;
};

static void push(struct paths *p, char *s)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->v = xreallocarray(p->v, p->cap, sizeof(*p->v));
	}
	p->v[p->n++] = s;
}

static bool is_json_name(const char *n)
{
	size_t l = strlen(n);
	return l > 5 && !strcmp(n + l - 5, ".json") && n[0] != '.';
}

/* Walk dir in name order; depth caps symlink loops. */
static int walk(const char *dir, struct paths *out, int depth)
{
	char **names = NULL;
	size_t n = 0;
	int rc = dir_list(dir, &names, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth < 16 && names[i][0] != '.') {
			walk(p, out, depth + 1);
			free(p);
		} else if (S_ISREG(st.st_mode) && is_json_name(names[i])) {
			push(out, p);
		} else {
			free(p);
		}
	}
	fileio_names_free(names);
	return 0;
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
	struct paths paths = {0};
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
	for (int i = optind; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st)) {
			fprintf(stderr, "reclaim-advisor: fleet: %s: %s\n", argv[i], strerror(errno));
			code = EXIT_NOINPUT;
			goto done;
		}
		if (S_ISDIR(st.st_mode)) {
			int rc = walk(argv[i], &paths, 0);
			if (rc) {
				fprintf(stderr, "reclaim-advisor: fleet: %s: %s\n", argv[i], fileio_strerror(rc));
				code = EXIT_NOINPUT;
				goto done;
			}
		} else {
			push(&paths, xstrdup(argv[i]));
		}
	}

	f = fleet_new(&fo);
	size_t added = fleet_add_files(f, paths.v, paths.n, &d);
	diag_print_all(stderr, &d);
	if (json)
		fleet_render_json(f, &b);
	else
		fleet_render_text(f, &b);
	code = cli_emit_to("fleet", out, buf_str(&b), b.len, force);
	if (code)
		goto done;
	code = (paths.n && !added) ? EXIT_DATAERR : EXIT_OK;
done:
	buf_free(&b);
	fleet_free(f);
	diag_list_clear(&d);
	free(d.v);
	for (size_t i = 0; i < paths.n; i++)
		free(paths.v[i]);
	free(paths.v);
	return code;
}
