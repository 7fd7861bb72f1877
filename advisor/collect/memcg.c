/* memcg: cgroup v2 memory controller evidence.  Contract in memcg.h. */
#include "memcg.h"
#include "parse.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CG "sys/fs/cgroup"
#define SMALL_CAP (1u << 20)

struct group {
	char *rel;          /* "" for the root, else "/a/b" */
	int depth;
	size_t parent;      /* index, or (size_t)-1 for the root */
	bool memory;        /* has memory.events (the controller is on here) */
	bool has_local;     /* memory.events.local was read */
	int64_t high, max, oom_kill; /* local counts (from .local, or hierarchical) */
	bool mem_child;     /* some child has memory.events */
	bool has_stat;
	int64_t pgscan, pgsteal;
	bool has_psi;
	double some60, full60;
};

static const enum fact_id names[] = {
	F_MEMCG_GROUPS,
	F_MEMCG_HIGH_EVENTS,
	F_MEMCG_MAX_EVENTS,
	F_MEMCG_OOM_KILLS,
	F_MEMCG_THROTTLED_GROUPS,
	F_MEMCG_TOP_GROUP,
	F_MEMCG_TOP_GROUP_EVENTS,
	F_MEMCG_PGSCAN,
	F_MEMCG_PGSTEAL,
	F_MEMCG_PRESSURE_FULL_AVG60_MAX,
	F_MEMCG_PRESSURE_SOME_AVG60_MAX,
	F_MEMCG_PRESSURE_TOP_GROUP,
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static void all_absent(struct facts *f, const char *reason)
{
	for (size_t i = 0; i < NNAMES; i++)
		facts_set_absent(f, names[i], reason);
}

static bool refusal(int rc)
{
	return rc == FILEIO_E_ESCAPE || rc == FILEIO_E_NOTREG || rc == -ELOOP || rc == -EILSEQ ||
	       rc == -EFBIG;
}

/* Read CG<rel>/<file>; 0 and the buffer, 1 when missing, -1 refused. */
static int cg_read(const struct root *r, const char *rel, const char *file, char **buf, size_t *len,
		   struct diag_list *d, char **path)
{
	*path = xasprintf(CG "%s/%s", rel, file);
	int rc = root_read(r, *path, SMALL_CAP, buf, len);
	if (!rc)
		return 0;
	if (refusal(rc)) {
		diag_add(d, DIAG_ERROR, *path, 0, 0, "%s", fileio_strerror(rc));
		return -1;
	}
	return 1;
}

/* A "key value" file (memory.events, memory.stat): the same format as
 * /proc/vmstat. */
static int read_kv(const struct root *r, const char *rel, const char *file, struct kvlist *kv,
		   struct diag_list *d, int *err)
{
	char *buf, *path;
	size_t len;
	int rc = cg_read(r, rel, file, &buf, &len, d, &path);
	if (rc) {
		if (rc < 0)
			*err = -EINVAL;
		free(path);
		return -1;
	}
	rc = vmstat_parse(buf, len, path, kv, d);
	free(buf);
	free(path);
	if (rc) {
		*err = -EINVAL;
		return -1;
	}
	return 0;
}

static int64_t kv_or0(const struct kvlist *kv, const char *key)
{
	int64_t v;
	return kvlist_get(kv, key, &v) == 0 && v > 0 ? v : 0;
}

static void read_group(const struct root *r, struct group *g, struct diag_list *d, int *err)
{
	struct kvlist kv = {0};
	if (read_kv(r, g->rel, "memory.events", &kv, d, err) == 0) {
		g->memory = true;
		g->high = kv_or0(&kv, "high");
		g->max = kv_or0(&kv, "max");
		g->oom_kill = kv_or0(&kv, "oom_kill");
		kvlist_free(&kv);
	}
	if (g->memory && read_kv(r, g->rel, "memory.events.local", &kv, d, err) == 0) {
		g->has_local = true;
		g->high = kv_or0(&kv, "high");
		g->max = kv_or0(&kv, "max");
		g->oom_kill = kv_or0(&kv, "oom_kill");
		kvlist_free(&kv);
	}
	if (read_kv(r, g->rel, "memory.stat", &kv, d, err) == 0) {
		/* pgscan/pgsteal: 5.? onwards; older kernels print only the
		 * kswapd/direct split (absent = not counted) */
		int64_t v;
		if (kvlist_get(&kv, "pgscan", &v) == 0) {
			g->has_stat = true;
			g->pgscan = v;
			g->pgsteal = kv_or0(&kv, "pgsteal");
		}
		kvlist_free(&kv);
	}
	char *buf, *path;
	size_t len;
	int rc = cg_read(r, g->rel, "memory.pressure", &buf, &len, d, &path);
	if (rc == 0) {
		struct psi p;
		if (psi_parse(buf, len, path, &p, d) == 0) {
			g->has_psi = p.some.present;
			g->some60 = p.some.avg60;
			g->full60 = p.full.present ? p.full.avg60 : 0;
		} else {
			*err = -EINVAL;
		}
		free(buf);
	} else if (rc < 0) {
		*err = -EINVAL;
	}
	free(path);
}

int memcg_collect(const struct root *r, struct facts *f, struct diag_list *d)
{
	int err = 0;
	struct stat st;
	if (root_stat(r, CG, &st) || !S_ISDIR(st.st_mode)) {
		all_absent(f, "no sys/fs/cgroup in the tree");
		return 0;
	}
	if (!root_exists(r, CG "/cgroup.controllers")) {
		all_absent(f, "sys/fs/cgroup is not a cgroup v2 hierarchy (cgroup v1 is not read)");
		return 0;
	}
	size_t n = 0, cap = 64;
	struct group *g = xcalloc(cap, sizeof(*g));
	g[n++] = (struct group){.rel = xstrdup(""), .parent = (size_t)-1};
	bool truncated = false;
	/* Breadth first: g[] is the queue and the result. */
	for (size_t i = 0; i < n; i++) {
		read_group(r, &g[i], d, &err);
		if (g[i].memory && g[i].parent != (size_t)-1)
			g[g[i].parent].mem_child = true;
		if (g[i].depth >= MEMCG_MAX_DEPTH)
			continue;
		char *dir = xasprintf(CG "%s", g[i].rel);
		char **list;
		size_t nl;
		int rc = root_list(r, dir, &list, &nl);
		if (rc) {
			if (refusal(rc)) {
				diag_add(d, DIAG_ERROR, dir, 0, 0, "%s", fileio_strerror(rc));
				err = -EINVAL;
			}
			free(dir);
			continue;
		}
		for (size_t k = 0; k < nl; k++) {
			char *child = xasprintf("%s/%s", dir, list[k]);
			bool is_dir = list[k][0] != '.' && root_stat(r, child, &st) == 0 && S_ISDIR(st.st_mode);
			free(child);
			if (!is_dir)
				continue;
			if (n == MEMCG_MAX_GROUPS) {
				truncated = true;
				break;
			}
			if (n == cap) {
				cap *= 2;
				g = xreallocarray(g, cap, sizeof(*g));
			}
			g[n] = (struct group){.rel = xasprintf("%s/%s", g[i].rel, list[k]),
					      .depth = g[i].depth + 1, .parent = i};
			n++;
		}
		fileio_names_free(list);
		free(dir);
	}
	if (truncated)
		diag_add(d, DIAG_WARNING, CG, 0, 0, "more than %d cgroups: the rest were not read",
			 MEMCG_MAX_GROUPS);

	int64_t groups = 0, high = 0, max = 0, oom = 0, throttled = 0, top_ev = 0, scan = 0, steal = 0;
	bool have_stat = false, have_psi = false;
	double full_max = 0, some_max = 0, ptop_some = 0;
	const char *top = NULL, *ptop = NULL;
	for (size_t i = 1; i < n; i++) {
		if (!g[i].memory)
			continue;
		groups++;
		/* Without memory.events.local, memory.events is hierarchical:
		 * count it at the leaves only, so no event is counted twice. */
		if (g[i].has_local || !g[i].mem_child) {
			int64_t ev = g[i].high + g[i].max + g[i].oom_kill;
			high += g[i].high;
			max += g[i].max;
			oom += g[i].oom_kill;
			throttled += g[i].high + g[i].max > 0;
			if (ev > top_ev) {
				top_ev = ev;
				top = g[i].rel;
			}
		}
		/* memory.stat is hierarchical: the top-level groups cover every
		 * group's pages (not the root's own). */
		if (g[i].depth == 1 && g[i].has_stat) {
			have_stat = true;
			scan += g[i].pgscan;
			steal += g[i].pgsteal;
		}
		if (g[i].has_psi) {
			have_psi = true;
			/* the group that stalled most: full first, then some */
			if ((g[i].full60 > 0 || g[i].some60 > 0) &&
			    (g[i].full60 > full_max || (g[i].full60 == full_max && g[i].some60 > ptop_some))) {
				full_max = g[i].full60;
				ptop_some = g[i].some60;
				ptop = g[i].rel;
			}
			if (g[i].some60 > some_max)
				some_max = g[i].some60;
		}
	}
	const char *src = CG "/*/memory.events";
	if (!groups) {
		all_absent(f, "no cgroup under sys/fs/cgroup has the memory controller");
		facts_set_int(f, F_MEMCG_GROUPS, 0, CG);
	} else {
		facts_set_int(f, F_MEMCG_GROUPS, groups, src);
		facts_set_int(f, F_MEMCG_HIGH_EVENTS, high, src);
		facts_set_int(f, F_MEMCG_MAX_EVENTS, max, src);
		facts_set_int(f, F_MEMCG_OOM_KILLS, oom, src);
		facts_set_int(f, F_MEMCG_THROTTLED_GROUPS, throttled, src);
		if (top) {
			facts_set_str(f, F_MEMCG_TOP_GROUP, top, src);
			facts_set_int(f, F_MEMCG_TOP_GROUP_EVENTS, top_ev, src);
		} else {
			facts_set_absent(f, F_MEMCG_TOP_GROUP, "no group has high, max or oom_kill events");
			facts_set_absent(f, F_MEMCG_TOP_GROUP_EVENTS, "no group has high, max or oom_kill events");
		}
		if (have_stat) {
			facts_set_int(f, F_MEMCG_PGSCAN, scan, CG "/*/memory.stat");
			facts_set_int(f, F_MEMCG_PGSTEAL, steal, CG "/*/memory.stat");
		} else {
			facts_set_absent(f, F_MEMCG_PGSCAN, "no top-level group's memory.stat has pgscan");
			facts_set_absent(f, F_MEMCG_PGSTEAL, "no top-level group's memory.stat has pgsteal");
		}
		if (have_psi) {
			facts_set_float(f, F_MEMCG_PRESSURE_FULL_AVG60_MAX, full_max, CG "/*/memory.pressure");
			facts_set_float(f, F_MEMCG_PRESSURE_SOME_AVG60_MAX, some_max, CG "/*/memory.pressure");
			if (ptop)
				facts_set_str(f, F_MEMCG_PRESSURE_TOP_GROUP, ptop, CG "/*/memory.pressure");
			else
				facts_set_absent(f, F_MEMCG_PRESSURE_TOP_GROUP, "no group stalled");
		} else {
			facts_set_absent(f, F_MEMCG_PRESSURE_FULL_AVG60_MAX, "no group has memory.pressure");
			facts_set_absent(f, F_MEMCG_PRESSURE_SOME_AVG60_MAX, "no group has memory.pressure");
			facts_set_absent(f, F_MEMCG_PRESSURE_TOP_GROUP, "no group has memory.pressure");
		}
	}
	for (size_t i = 0; i < n; i++)
		free(g[i].rel);
	free(g);
	return err;
}
