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

void fleet_paths_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int fleet_find_reports(char *const *args, size_t n, char ***out, size_t *nout, size_t *bad)
{
	struct paths paths = {0};
	struct dirset seen = {0};
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		struct stat st;
		if (stat(args[i], &st)) {
			rc = -errno;
			*bad = i;
		} else if (S_ISDIR(st.st_mode)) {
			walk(args[i], &st, &paths, &seen);
		} else {
			push(&paths, xstrdup(args[i]));
		}
	}
	free(seen.v);
	if (rc) {
		fleet_paths_free(paths.v, paths.n);
		return rc;
	}
	*out = paths.v;
	*nout = paths.n;
	return 0;
}

int fleet_load(char *const *args, size_t n, const struct fleet_opts *o, struct fleet **out, size_t *nfiles,
	       struct diag_list *d)
{
	char **paths = NULL;
	size_t npaths = 0, bad = 0;
	int rc = fleet_find_reports(args, n, &paths, &npaths, &bad);
	if (rc) {
		diag_add(d, DIAG_ERROR, args[bad], 0, 0, "%s", strerror(-rc));
		return rc;
	}
	*out = fleet_new(o);
	fleet_add_files(*out, paths, npaths, d);
	fleet_paths_free(paths, npaths);
	*nfiles = npaths;
	return 0;
}
