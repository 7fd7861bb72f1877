/* precedence: the sysctl.d scan (see precedence.h for the contract).
 *
 * The ordering follows systemd's conf_files_list() as used by
 * src/sysctl/sysctl.c: every "*.conf" name from the directories is
 * collected, a name seen in an earlier directory masks the same name in a
 * later one (that is how /etc overrides a vendor file, and how a symlink to
 * /dev/null disables one), and the survivors are applied sorted by name with
 * strcmp, whatever directory they came from.  procps-ng `sysctl --system`
 * (sysctl.c, PreloadSystem) builds the same list and then reads
 * /etc/sysctl.conf last.  Within one run the last assignment of a key wins.
 *
 * The line syntax is sysctl.d(5)'s, parsed by sysctl_dump_parse (parse.h):
 * '#' and ';' comments, "key = value" with blanks trimmed, an optional
 * leading '-' ("ignore failure"), and keys written with '/' separators
 * normalised to dots (when the first separator is '/', systemd swaps '/'
 * and '.', so "net/ipv4/conf/eth0.100" names the interface "eth0.100").
 * Lines without '=' are reported as warnings and skipped, as both tools do.
 *
 * Symlinks are resolved inside the root: an absolute target is read under
 * the root (a capture's "/etc/sysctl.conf" is the capture's file, never the
 * running host's), and "/dev/null" is the documented way to mask a file.
 */
#include "precedence.h"
#include "../model/sysctl_catalog.h"

#include "../base/sorted.h"
#include "../base/xalloc.h"
#include "../collect/parse.h"

#include <errno.h>
#include <stddef.h>
#include <fnmatch.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files larger than this are not sysctl.d fragments. */
#define PREC_FILE_CAP (4u << 20)
#define PREC_MAX_LINKS 8

static const char *const sysctl_dirs[] = {
	"etc/sysctl.d",
	"run/sysctl.d",
	"usr/local/lib/sysctl.d",
	"usr/lib/sysctl.d",
	"lib/sysctl.d",
};

struct precedence {
	char **files;               /* systemd order, host paths */
	size_t nfiles;
	struct sysctl_origin *keys; /* sorted by key */
	size_t nkeys, capkeys;
	char **explicit;            /* keys systemd-sysctl sets by name (not by a glob) */
	size_t nexplicit;
};

struct entry {
	char *name;
	size_t dir;
};

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* Read rel (a path relative to the root) following symlinks inside the
 * root.  *masked is set for a link to /dev/null. */
static int read_in_root(const struct root *r, const char *rel, char **out, size_t *len, bool *masked)
{
	char *cur = xstrdup(rel);
	*masked = false;
	for (int hop = 0; hop < PREC_MAX_LINKS; hop++) {
		struct stat st;
		if (fstatat(r->dirfd, cur, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			int e = -errno;
			free(cur);
			return e;
		}
		if (!S_ISLNK(st.st_mode)) {
			int rc = root_read(r, cur, PREC_FILE_CAP, out, len);
			free(cur);
			return rc;
		}
		char target[PATH_MAX];
		ssize_t n = readlinkat(r->dirfd, cur, target, sizeof(target) - 1);
		if (n < 0) {
			int e = -errno;
			free(cur);
			return e;
		}
		target[n] = 0;
		if (!strcmp(target, "/dev/null")) {
			free(cur);
			*masked = true;
			*out = xstrdup("");
			*len = 0;
			return 0;
		}
		char *next;
		if (target[0] == '/') {
			next = xstrdup(target + 1);
		} else {
			const char *slash = strrchr(cur, '/');
			int dl = slash ? (int)(slash - cur) : 0;
			next = slash ? xasprintf("%.*s/%s", dl, cur, target) : xstrdup(target);
		}
		free(cur);
		cur = next;
	}
	free(cur);
	return -ELOOP;
}

static void assign_set(struct sysctl_assign *a, const char *file, unsigned line, const char *value)
{
	free(a->file);
	free(a->value);
	a->file = xstrdup(file);
	a->line = line;
	a->value = xstrdup(value);
}

/* The index of KEY in the sorted keys, or where it would go (base/sorted.h). */
static size_t key_find(const struct precedence *p, const char *key, bool *found)
{
	return sorted_find(p->keys, p->nkeys, sizeof(*p->keys), offsetof(struct sysctl_origin, key), key, found);
}

static struct sysctl_origin *key_get(struct precedence *p, const char *key)
{
	/* keys are kept sorted so lookups and the final order need no sort */
	bool found;
	return sorted_slot(&p->keys, &p->nkeys, &p->capkeys, sizeof(*p->keys), offsetof(struct sysctl_origin, key),
			   32, key, &found);
}

static bool is_explicit(const struct precedence *p, const char *key)
{
	for (size_t i = 0; i < p->nexplicit; i++)
		if (!strcmp(p->explicit[i], key))
			return true;
	return false;
}

static void mark_explicit(struct precedence *p, const char *key)
{
	if (is_explicit(p, key))
		return;
	p->explicit = xreallocarray(p->explicit, p->nexplicit + 1, sizeof(*p->explicit));
	p->explicit[p->nexplicit++] = xstrdup(key);
}

/* A glob key ("vm.* = 5", "vm.dirty_*_ratio = 20") sets every key it
 * matches.  It is expanded over the keys this tool advises on (the sysctl
 * catalog).  procps' sysctl --system applies it in file order like any
 * line; systemd-sysctl applies it only to keys no file names explicitly
 * (src/sysctl/sysctl.c: "explicit setting exists"), whatever the order. */
static void apply_glob(struct precedence *p, const char *hostpath, const struct strkv *kv, bool systemd_too)
{
	size_t n;
	const struct sysctl_def *cat = sysctl_catalog(&n);
	for (size_t c = 0; c < n; c++) {
		if (fnmatch(kv->key, cat[c].name, 0))
			continue;
		struct sysctl_origin *o = key_get(p, cat[c].name);
		o->all = xreallocarray(o->all, o->nall + 1, sizeof(*o->all));
		struct sysctl_assign *as = &o->all[o->nall++];
		memset(as, 0, sizeof(*as));
		assign_set(as, hostpath, kv->line, kv->value);
		assign_set(&o->procps, hostpath, kv->line, kv->value);
		o->has_procps = true;
		if (systemd_too && !is_explicit(p, cat[c].name)) {
			assign_set(&o->systemd, hostpath, kv->line, kv->value);
			o->has_systemd = true;
		}
	}
}

/* Apply one file's assignments.  systemd_too: the file is in systemd's list
 * (everything but the trailing /etc/sysctl.conf of procps).  The shared
 * sysctl.d parser (parse.h) runs strict first so a line systemd-sysctl
 * would skip ("not an assignment") is reported, as a warning: both tools
 * skip such a line and apply the rest of the file, and so does the scan. */
static void apply_file(struct precedence *p, const char *hostpath, const char *buf, size_t len,
		       bool systemd_too, struct diag_list *d)
{
	struct strkvlist kv = {0};
	struct diag_list strict = {0};
	if (sysctl_dump_parse(buf, len, hostpath, true, &kv, &strict)) {
		for (size_t i = 0; i < strict.n; i++)
			if (strict.v[i].sev == DIAG_ERROR)
				strict.v[i].sev = DIAG_WARNING;
		diag_splice(d, &strict);
		struct diag_list lax = {0};
		int rc = sysctl_dump_parse(buf, len, hostpath, false, &kv, &lax);
		diag_list_clear(&lax); /* what it says again was just reported */
		free(lax.v);
		if (rc) {
			diag_add(d, DIAG_WARNING, hostpath, 0, 0, "not a sysctl.d file, ignored");
			free(strict.v);
			return;
		}
	}
	free(strict.v);
	for (size_t i = 0; i < kv.n; i++) {
		if (strpbrk(kv.v[i].key, "*?[")) {
			apply_glob(p, hostpath, &kv.v[i], systemd_too);
			continue;
		}
		if (systemd_too)
			mark_explicit(p, kv.v[i].key);
		struct sysctl_origin *o = key_get(p, kv.v[i].key);
		o->all = xreallocarray(o->all, o->nall + 1, sizeof(*o->all));
		struct sysctl_assign *as = &o->all[o->nall++];
		memset(as, 0, sizeof(*as));
		assign_set(as, hostpath, kv.v[i].line, kv.v[i].value);
		assign_set(&o->procps, hostpath, kv.v[i].line, kv.v[i].value);
		o->has_procps = true;
		if (systemd_too) {
			assign_set(&o->systemd, hostpath, kv.v[i].line, kv.v[i].value);
			o->has_systemd = true;
		}
	}
	strkvlist_free(&kv);
}

static void scan_one(struct precedence *p, const struct root *r, const char *rel, bool systemd_too,
		     bool missing_ok, struct diag_list *d)
{
	char *hostpath = xasprintf("/%s", rel);
	char *buf = NULL;
	size_t len = 0;
	bool masked = false;
	int rc = read_in_root(r, rel, &buf, &len, &masked);
	if (rc == -ENOENT && missing_ok)
		goto out;
	if (rc) {
		diag_add(d, DIAG_WARNING, hostpath, 0, 0, "cannot read: %s%s", fileio_strerror(rc),
			 rc == -ENOENT ? " (dangling symlink)" : "");
		goto out;
	}
	apply_file(p, hostpath, buf, len, systemd_too, d);
out:
	free(buf);
	free(hostpath);
}

int precedence_scan(const struct root *r, struct precedence **out, struct diag_list *d)
{
	if (!r || !out || !d)
		return -EINVAL;
	struct precedence *p = xcalloc(1, sizeof(*p));
	struct entry *ents = NULL;
	size_t nents = 0;

	for (size_t di = 0; di < sizeof(sysctl_dirs) / sizeof(sysctl_dirs[0]); di++) {
		char **names = NULL;
		size_t n = 0;
		int rc = root_list(r, sysctl_dirs[di], &names, &n);
		if (rc) {
			if (rc != -ENOENT && rc != -ENOTDIR)
				diag_add(d, DIAG_WARNING, sysctl_dirs[di], 0, 0,
					 "cannot list /%s: %s", sysctl_dirs[di], fileio_strerror(rc));
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			if (!ends_with(names[i], ".conf"))
				continue;
			bool seen = false;
			for (size_t j = 0; j < nents && !seen; j++)
				seen = !strcmp(ents[j].name, names[i]);
			if (seen) /* an earlier directory masks this one */
				continue;
			char *rel = xasprintf("%s/%s", sysctl_dirs[di], names[i]);
			struct stat st;
			bool isdir = fstatat(r->dirfd, rel, &st, 0) == 0 && S_ISDIR(st.st_mode);
			free(rel);
			if (isdir)
				continue;
			ents = xreallocarray(ents, nents + 1, sizeof(*ents));
			ents[nents].name = xstrdup(names[i]);
			ents[nents].dir = di;
			nents++;
		}
		fileio_names_free(names);
	}
	if (nents)
		qsort(ents, nents, sizeof(*ents), entry_cmp);

	p->files = xcalloc(nents ? nents : 1, sizeof(*p->files));
	for (size_t i = 0; i < nents; i++) {
		char *rel = xasprintf("%s/%s", sysctl_dirs[ents[i].dir], ents[i].name);
		p->files[p->nfiles++] = xasprintf("/%s", rel);
		scan_one(p, r, rel, true, false, d);
		free(rel);
		free(ents[i].name);
	}
	free(ents);
	/* procps only: /etc/sysctl.conf after every sysctl.d file */
	scan_one(p, r, "etc/sysctl.conf", false, true, d);

	*out = p;
	return 0;
}

const struct sysctl_origin *precedence_lookup(const struct precedence *p, const char *key)
{
	if (!p || !key)
		return NULL;
	bool found;
	size_t i = key_find(p, key, &found);
	return found ? &p->keys[i] : NULL;
}

size_t precedence_nfiles(const struct precedence *p)
{
	return p ? p->nfiles : 0;
}

const char *precedence_file(const struct precedence *p, size_t i)
{
	return p && i < p->nfiles ? p->files[i] : NULL;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* The rank of a file's directory in sysctl_dirs (host paths), 5 elsewhere. */
static size_t dir_rank(const char *path)
{
	size_t n = sizeof(sysctl_dirs) / sizeof(sysctl_dirs[0]);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(sysctl_dirs[i]);
		if (path[0] == '/' && !strncmp(path + 1, sysctl_dirs[i], l) && path[1 + l] == '/' &&
		    !strchr(path + 2 + l, '/'))
			return i;
	}
	return n;
}

const char *precedence_masker(const struct precedence *p, const char *F)
{
	const char *B = base_name(F), *masker = NULL;
	size_t frank = dir_rank(F);
	for (size_t i = 0; p && i < p->nfiles; i++) {
		const char *f = p->files[i];
		if (strcmp(f, F) && !strcmp(base_name(f), B) && dir_rank(f) < frank)
			masker = f;
	}
	return masker;
}

void precedence_at_boot(const struct precedence *p, const char *F, const char *key, bool ours,
			unsigned our_line, struct boot_winner *out)
{
	const char *B = base_name(F);
	bool masked = precedence_masker(p, F) != NULL;
	const struct sysctl_origin *o = precedence_lookup(p, key);
	const struct sysctl_assign *sd = NULL, *conf = NULL;
	bool inserted = false;
	memset(out, 0, sizeof(*out));
	ours = ours && !masked;
	for (size_t k = 0; o && k < o->nall; k++) {
		const struct sysctl_assign *a = &o->all[k];
		if (!strcmp(a->file, F) || (!strcmp(base_name(a->file), B) && !masked))
			continue; /* our old copy, or a same-named file ours masks */
		if (!strcmp(a->file, "/etc/sysctl.conf")) {
			conf = a;
			continue;
		}
		if (ours && !inserted && strcmp(base_name(a->file), B) > 0)
			inserted = true;
		sd = a;
	}
	if (ours && !inserted)
		sd = NULL; /* ours is the last one */
	if (sd) {
		out->systemd_file = sd->file;
		out->systemd_line = sd->line;
		out->systemd_value = sd->value;
	} else if (ours) {
		out->systemd_file = F;
		out->systemd_line = our_line;
	}
	if (conf) {
		out->procps_file = conf->file;
		out->procps_line = conf->line;
		out->procps_value = conf->value;
	} else {
		out->procps_file = out->systemd_file;
		out->procps_line = out->systemd_line;
		out->procps_value = out->systemd_value;
	}
	out->masked = masked;
	if (!masked && ours) {
		out->by = sd ? sd : conf;
		out->by_systemd = sd != NULL;
	}
}

static void assign_free(struct sysctl_assign *a)
{
	free(a->file);
	free(a->value);
}

void precedence_free(struct precedence *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
	for (size_t i = 0; i < p->nkeys; i++) {
		struct sysctl_origin *o = &p->keys[i];
		free(o->key);
		assign_free(&o->systemd);
		assign_free(&o->procps);
		for (size_t j = 0; j < o->nall; j++)
			assign_free(&o->all[j]);
		free(o->all);
	}
	for (size_t i = 0; i < p->nexplicit; i++)
		free(p->explicit[i]);
	free(p->explicit);
	free(p->keys);
	free(p);
}
