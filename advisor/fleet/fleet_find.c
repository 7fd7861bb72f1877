/* fleet_find: the report files a fleet run reads (contract in fleet.h). */
#include "fleet.h"

#include "../base/fileio.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Is real (a canonical path) top or below it? */
static bool inside(const char *top, const char *real)
{
	size_t n = strlen(top);
	if (n == 1 && top[0] == '/')
		return true;
	return !strncmp(real, top, n) && (real[n] == '/' || !real[n]);
}

/* Walk dir in name order for *.json.  Nothing is dropped quietly: a
 * directory that cannot be listed and a dangling link are pushed as
 * inputs, so fleet_add_files names them as skipped and the exit code says
 * input was skipped.  A link whose target lies outside top (the canonical
 * path of the directory named on the command line) is not followed but
 * pushed to refused: a host's folder linked to / would walk the machine
 * and read every *.json on it as a report.  Hidden entries (".git", editor
 * files) are ignored. */
static void walk(const char *dir, const struct stat *dst, const char *top, struct paths *out, struct paths *refused,
		 struct dirset *seen)
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
		char *real = NULL;
		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode) && (real = realpath(p, NULL)) && !inside(top, real)) {
			push(refused, p);
		} else if (stat(p, &st)) {
			push(out, p); /* dangling link, or unreadable: named when skipped */
		} else if (S_ISDIR(st.st_mode)) {
			walk(p, &st, top, out, refused, seen);
			free(p);
		} else if (is_json_name(names[i])) {
			push(out, p); /* a FIFO or device is refused (and named) by the reader */
		} else {
			free(p);
		}
		free(real);
	}
	fileio_names_free(names);
}

void fleet_paths_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int fleet_find_reports(char *const *args, size_t n, char ***out, size_t *nout, char ***refused, size_t *nrefused,
		       size_t *bad)
{
	struct paths paths = {0}, out_links = {0};
	struct dirset seen = {0};
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		struct stat st;
		char *top = NULL;
		if (stat(args[i], &st)) {
			rc = -errno;
			*bad = i;
		} else if (!S_ISDIR(st.st_mode)) {
			push(&paths, xstrdup(args[i]));
		} else if (!(top = realpath(args[i], NULL))) {
			push(&paths, xstrdup(args[i])); /* named as skipped by the reader */
		} else {
			walk(args[i], &st, top, &paths, &out_links, &seen);
		}
		free(top);
	}
	free(seen.v);
	if (rc) {
		fleet_paths_free(paths.v, paths.n);
		fleet_paths_free(out_links.v, out_links.n);
		return rc;
	}
	*out = paths.v;
	*nout = paths.n;
	*refused = out_links.v;
	*nrefused = out_links.n;
	return 0;
}

int fleet_load(char *const *args, size_t n, const struct fleet_opts *o, struct fleet **out, size_t *nfiles,
	       struct diag_list *d)
{
	char **paths = NULL, **refused = NULL;
	size_t npaths = 0, nrefused = 0, bad = 0;
	int rc = fleet_find_reports(args, n, &paths, &npaths, &refused, &nrefused, &bad);
	if (rc) {
		diag_add(d, DIAG_ERROR, args[bad], 0, 0, "%s", strerror(-rc));
		return rc;
	}
	*out = fleet_new(o);
	for (size_t i = 0; i < nrefused; i++) {
		/* the directory named on the command line the link was found under */
		const char *under = args[0];
		for (size_t j = 0; j < n; j++)
			if (!strncmp(refused[i], args[j], strlen(args[j])))
				under = args[j];
		char *why = xasprintf("a symbolic link leads outside %s (not followed)", under);
		fleet_skip(*out, refused[i], why, d);
		free(why);
	}
	fleet_add_files(*out, paths, npaths, d);
	fleet_paths_free(paths, npaths);
	fleet_paths_free(refused, nrefused);
	*nfiles = npaths + nrefused;
	return 0;
}
