/* The fixture roots and the shipped profiles, for the tests that run the
 * whole advice over every capture (test_fixpoint, test_advise_model).
 * Tests run from the repository root.  Strings are new (xasprintf);
 * tu_list_free releases a list. */
#ifndef ADVISOR_TU_ROOTS_H
#define ADVISOR_TU_ROOTS_H

#include "testutil.h"

#include "base/xalloc.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct list {
	char **v;
	size_t n;
};

static inline void list_add(struct list *l, char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = s;
}

static inline int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first and the last sample (by name) of a history directory. */
static inline void history_ends(const char *dir, struct list *out)
{
	struct list s = {0};
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			list_add(&s, xasprintf("%s/%s", dir, e->d_name));
	closedir(d);
	qsort(s.v, s.n, sizeof(*s.v), str_cmp);
	for (size_t i = 0; i < s.n; i++) {
		char *proc = xasprintf("%s/proc", s.v[i]);
		struct stat st;
		if ((i == 0 || i == s.n - 1) && stat(proc, &st) == 0 && S_ISDIR(st.st_mode))
			list_add(out, s.v[i]);
		else
			free(s.v[i]);
		free(proc);
	}
	free(s.v);
}

/* Every directory under dir that holds proc/ (a captured root); of a
 * recorded history (fixtures/histories/X/history/N) the first and last. */
static inline void find_roots(const char *dir, struct list *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(p, &st) || !S_ISDIR(st.st_mode)) {
			free(p);
			continue;
		}
		if (!strcmp(e->d_name, "history") && !getenv("FIXPOINT_EVERY_SAMPLE")) {
			/* A recorded history: a hundred samples of one guest;
			 * its first and last stand for it in `make test`
			 * (`make check` sets FIXPOINT_EVERY_SAMPLE: all of them). */
			history_ends(p, out);
			free(p);
			continue;
		}
		if (!strcmp(e->d_name, "proc")) {
			list_add(out, xstrdup(dir));
			free(p);
			continue;
		}
		find_roots(p, out);
		free(p);
	}
	closedir(d);
}

static inline void profiles(struct list *out)
{
	DIR *d = opendir("rules/profiles");
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 4 && !strcmp(e->d_name + n - 4, ".ini"))
			list_add(out, xstrndup(e->d_name, n - 4));
	}
	closedir(d);
	qsort(out->v, out->n, sizeof(*out->v), str_cmp);
}

/* Every root under fixtures/ (sorted) and every shipped profile. */
static inline void tu_roots_and_profiles(struct list *roots, struct list *profs)
{
	find_roots("fixtures", roots);
	qsort(roots->v, roots->n, sizeof(*roots->v), str_cmp);
	profiles(profs);
}

static inline void tu_list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

#endif
