/* reclaim-advisor fleet: summarise many audit or recommend JSON reports.
 *
 * Arguments are files or directories; a directory is walked recursively
 * (as Ansible's fetch lays reports out: DIR/<host>/...) in name order, and
 * every *.json file in it is read; links are followed, each directory walked
 * once (loops by device and inode).  A malformed or foreign report, an
 * unreadable directory and a dangling link are named on stderr and in the
 * summary, and skipped.  Exit: 0 when every input was read, EXIT_DATAERR
 * when any was skipped (the summary of the rest is still written),
 * EXIT_NOINPUT when a path does not exist or no report was found,
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

/* Directories already walked, by (dev, inode): a link back up the tree
 * (or two links to one directory) is walked once, so the walk is linear in
 * the tree whatever its links. */
struct dirset {
	struct {
		dev_t dev;
		ino_t ino;
	} *v;
	size_t n, cap;
};

static bool dirset_add(struct dirset *s, const struct stat *st)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].dev == st->st_dev && s->v[i].ino == st->st_ino)
			return false;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n].dev = st->st_dev;
	s->v[s->n++].ino = st->st_ino;
	return true;
}

/* Walk dir in name order for *.json.  Nothing is dropped quietly: a
 * directory that cannot be listed and a dangling link are pushed as
 * inputs, so fleet_add_files names them as skipped and the exit code says
 * input was skipped.  Hidden entries (".git", editor files) are ignored. */
static void walk(const char *dir, const struct stat *dst, struct paths *out, struct dirset *seen)
{
	if (!dirset_add(seen, dst))
		return; /* already walked: a loop or a second link */
	char **names = NULL;
	size_t n = 0;
	if (dir_list(dir, &names, &n)) {
		push(out, xstrdup(dir));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (names[i][0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, names[i]);
		struct stat st;
		if (stat(p, &st)) {
			push(out, p); /* dangling link, or unreadable: named when skipped */
		} else if (S_ISDIR(st.st_mode)) {
			walk(p, &st, out, seen);
			free(p);
		} else if (is_json_name(names[i])) {
			push(out, p); /* a FIFO or device is refused (and named) by the reader */
		} else {
			free(p);
		}
	}
	fileio_names_free(names);
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
	struct dirset seen = {0};
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
			walk(argv[i], &st, &paths, &seen);
		} else {
			push(&paths, xstrdup(argv[i]));
		}
	}

	f = fleet_new(&fo);
	fleet_add_files(f, paths.v, paths.n, &d);
	diag_print_all(stderr, &d);
	if (json)
		fleet_render_json(f, &b);
	else
		fleet_render_text(f, &b);
	code = cli_emit_to("fleet", out, buf_str(&b), b.len, force);
	if (code)
		goto done;
	/* Skipped input (unreadable, malformed, a dangling link) is never
	 * "OK": the summary is written, and the exit code says it is partial. */
	if (!paths.n) {
		fprintf(stderr, "reclaim-advisor: fleet: no *.json report found\n");
		code = EXIT_NOINPUT;
	} else {
		code = fleet_nskipped(f) ? EXIT_DATAERR : EXIT_OK;
	}
done:
	free(seen.v);
	buf_free(&b);
	fleet_free(f);
	diag_list_clear(&d);
	free(d.v);
	for (size_t i = 0; i < paths.n; i++)
		free(paths.v[i]);
	free(paths.v);
	return code;
}
