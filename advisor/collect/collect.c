/* collect: a root -> struct host.  Contract in collect.h.
 *
 * Layout: one function per source, each reading through rd() so that a
 * missing file, an unreadable file and a malformed file are told apart in
 * one place.  The parsers (parse.h) do the text; this file decides which
 * facts a source yields and what is absent when it is missing. */
#include "collect.h"
#include "derive.h"
#include "frag.h"
#include "memcg.h"
#include "parse.h"
#include "rates.h"
#include "../base/kver.h"
#include "../base/numparse.h"
#include "../base/sysval.h"
#include "../base/xalloc.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Small sysfs/procfs files; zoneinfo and the dumps use the default cap. */
#define SMALL_CAP (1u << 20)

struct ctx {
	const struct root *r;
	const struct collect_opts *o;
	struct host *h;
	int err;                 /* -EINVAL once anything was malformed */
	bool dump_tried;
	struct strkvlist dump;   /* a sysctl -a dump, when one was found */
	char *dump_origin;       /* its name for sources, owned */
	char *vm_dir_reason;     /* why proc/sys/vm could not be listed, or NULL */
};

/* Is rc a refusal that says the tree itself is hostile or broken (a link
 * out of the root, a loop, a FIFO or device where a file belongs, binary
 * or oversized content)?  Those are errors, never a quietly missing file. */
static bool refused(int rc)
{
	return rc == FILEIO_E_ESCAPE || rc == FILEIO_E_NOTREG || rc == -ELOOP || rc == -EILSEQ ||
	       rc == -EFBIG;
}

/* root_read, with every refusal recorded as an error naming the file, so
 * no source (however minor) can be a way out of the root or a hang. */
static int rread(struct ctx *c, const char *rel, size_t cap, char **buf, size_t *len)
{
	int rc = root_read(c->r, rel, cap, buf, len);
	if (refused(rc)) {
		diag_add(&c->h->diags, DIAG_ERROR, rel, 0, 0, "%s", fileio_strerror(rc));
		c->err = -EINVAL;
	}
	return rc;
}

/* root_list with the same refusals recorded (a directory that is a link out
 * of the root). */
static int rlist(struct ctx *c, const char *rel, char ***names, size_t *n)
{
	int rc = root_list(c->r, rel, names, n);
	if (refused(rc)) {
		diag_add(&c->h->diags, DIAG_ERROR, rel, 0, 0, "%s", fileio_strerror(rc));
		c->err = -EINVAL;
	}
	return rc;
}

/* The kernel ends every line of a /proc file with '\n'.  A last line
 * without one is a file cut short (a copy interrupted, a size limit):
 * "SwapTotal: 1003516 kB" may have become "SwapTotal: 1003", "allocstall
 * 2" been "allocstall 27".  Its value cannot be trusted, so the line is
 * dropped (the fact is absent) with a warning naming it. */
static void drop_unterminated(struct ctx *c, const char *rel, char *buf, size_t *len)
{
	if (strncmp(rel, "proc/", 5) || *len == 0 || buf[*len - 1] == '\n')
		return;
	unsigned line = 1;
	size_t keep = 0;
	for (size_t i = 0; i < *len; i++)
		if (buf[i] == '\n') {
			line++;
			keep = i + 1;
		}
	diag_add(&c->h->diags, DIAG_WARNING, rel, line, 0,
		 "the last line has no newline: the file was cut short; \"%.40s\" ignored", buf + keep);
	buf[keep] = '\0';
	*len = keep;
}

/* Read root/rel.  0: *buf and *len filled (caller frees).  1: missing or
 * unreadable; the source is recorded as missing and reason (a new string
 * the caller frees) says why.  -1: present but unusable (binary, oversized,
 * not a regular file, a link out of the root): an error is recorded and
 * reason says so. */
static int rd(struct ctx *c, const char *rel, size_t cap, char **buf, size_t *len, char **reason)
{
	int rc = rread(c, rel, cap, buf, len);
	if (!rc) {
		drop_unterminated(c, rel, *buf, len);
		return 0;
	}
	if (refused(rc)) {
		*reason = xasprintf("%s: malformed", rel);
		return -1;
	}
	*reason = xasprintf("%s: %s", rel, fileio_strerror(rc));
	facts_add_missing(c->h->facts, rel, fileio_strerror(rc));
	return 1;
}

/* The selected word of a sysfs choice list ("always [madvise] never"), or
 * the whole trimmed text when there are no brackets ("lzo"). */
static char *selected_word(const char *s, size_t n)
{
	const char *lb = memchr(s, '[', n);
	if (lb) {
		const char *rb = memchr(lb, ']', n - (size_t)(lb - s));
		if (rb && rb > lb + 1)
			return xstrndup(lb + 1, (size_t)(rb - lb - 1));
	}
	return sysval_normalize(s, n);
}

/* Mark every named fact of the family absent (unless only_unset and it
 * was set), so their absence carries a reason instead of "never set". */
static void absent_family(struct facts *f, enum fact_id family, const char *reason, bool only_unset)
{
	const char *prefix = fact_def_of(family)->name;
	size_t n, pl = strlen(prefix);
	const struct fact_def *cat = fact_catalog(&n);
	for (size_t i = 0; i < n; i++)
		if (!cat[i].family && !strncmp(cat[i].name, prefix, pl) &&
		    !(only_unset && facts_has(f, cat[i].id)))
			facts_set_absent(f, cat[i].id, reason);
}

/* Every key the kernel printed, as a member of the family (named members
 * keep their catalog type and unit). */
static void set_kv_family(struct facts *f, enum fact_id family, const struct kvlist *kv,
			  const char *source)
{
	const char *prefix = fact_def_of(family)->name;
	for (size_t i = 0; i < kv->n; i++) {
		char *name = xasprintf("%s%s", prefix, kv->v[i].key);
		struct value v = {.type = FACT_INT, .u.i = kv->v[i].value};
		int rc = facts_put(f, name, &v, source);
		assert(rc == 0); /* every member of these families is an int */
		(void)rc;
		free(name);
	}
}

/* ---- proc/zoneinfo ---------------------------------------------------- */

static void collect_zoneinfo(struct ctx *c)
{
	char *buf = NULL, *reason = NULL;
	size_t len;
	if (rd(c, "proc/zoneinfo", FILEIO_DEFAULT_CAP, &buf, &len, &reason)) {
		free(reason);
		return;
	}
	if (zoneinfo_parse(buf, len, "proc/zoneinfo", &c->h->zi, &c->h->diags)) {
		c->err = -EINVAL;
	} else if (zoneinfo_check(&c->h->zi, "proc/zoneinfo", &c->h->diags)) {
		/* Not a zone set any machine has: nothing later may sum it. */
		zoneinfo_free(&c->h->zi);
		c->err = -EINVAL;
	}
	free(buf);
}

/* ---- proc/meminfo, proc/vmstat ---------------------------------------- */

static void collect_kv(struct ctx *c, const char *rel, enum fact_id family,
		       int (*parse)(const char *, size_t, const char *, struct kvlist *,
				    struct diag_list *))
{
	char *buf = NULL, *reason = NULL;
	size_t len;
	struct kvlist kv = {0};
	if (rd(c, rel, FILEIO_DEFAULT_CAP, &buf, &len, &reason)) {
		absent_family(c->h->facts, family, reason, false);
		free(reason);
		return;
	}
	int prc = parse(buf, len, rel, &kv, &c->h->diags);
	if (!prc && kv.n == 0) {
		/* Every kernel prints these files full; an empty one was cut
		 * or emptied, and "not printed by this kernel" would be false. */
		diag_add(&c->h->diags, DIAG_ERROR, rel, 0, 0, "empty: no 'key value' line (a truncated copy?)");
		prc = -EINVAL;
	}
	if (prc) {
		c->err = -EINVAL;
		reason = xasprintf("%s: %s", rel, kv.n || len ? "malformed" : "empty");
		absent_family(c->h->facts, family, reason, false);
		free(reason);
	} else {
		set_kv_family(c->h->facts, family, &kv, rel);
		kvlist_free(&kv);
		/* Named counters this kernel does not print (allocstall before
		 * 4.8 vs allocstall_* after, oom_kill before 4.13) are absent
		 * with that reason, not "never set". */
		char *why = xasprintf("not printed in %s by this kernel", rel);
		absent_family(c->h->facts, family, why, true);
		free(why);
	}
	free(buf);
}

/* ---- proc/uptime, proc/pressure/memory -------------------------------- */

static void collect_uptime(struct ctx *c)
{
	char *buf = NULL, *reason = NULL;
	size_t len;
	double up;
	if (rd(c, "proc/uptime", SMALL_CAP, &buf, &len, &reason)) {
		facts_set_absent(c->h->facts, F_PROC_UPTIME, reason);
		free(reason);
		return;
	}
	if (uptime_parse(buf, len, "proc/uptime", &up, &c->h->diags)) {
		c->err = -EINVAL;
		facts_set_absent(c->h->facts, F_PROC_UPTIME, "proc/uptime: malformed");
	} else {
		facts_set_float(c->h->facts, F_PROC_UPTIME, up, "proc/uptime");
	}
	free(buf);
}

/* The facts of one PSI line: avg10, avg60, avg300, total. */
static const enum fact_id psi_some[] = {F_PSI_SOME_AVG10, F_PSI_SOME_AVG60, F_PSI_SOME_AVG300,
					F_PSI_SOME_TOTAL};
static const enum fact_id psi_full[] = {F_PSI_FULL_AVG10, F_PSI_FULL_AVG60, F_PSI_FULL_AVG300,
					F_PSI_FULL_TOTAL};

static void psi_absent(struct facts *f, const enum fact_id *ids, const char *reason)
{
	for (size_t i = 0; i < 4; i++)
		facts_set_absent(f, ids[i], reason);
}

static void psi_set(struct facts *f, const enum fact_id *ids, const struct psi_line *l)
{
	const char *src = "proc/pressure/memory";
	facts_set_float(f, ids[0], l->avg10, src);
	facts_set_float(f, ids[1], l->avg60, src);
	facts_set_float(f, ids[2], l->avg300, src);
	/* The kernel's total is u64 microseconds; 2^63 us is 292 000 years. */
	facts_set_int(f, ids[3], l->total > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)l->total, src);
}

static void collect_psi(struct ctx *c)
{
	const char *rel = "proc/pressure/memory";
	char *buf = NULL, *reason = NULL;
	size_t len;
	struct psi p;
	int rc = root_read(c->r, rel, SMALL_CAP, &buf, &len); /* rd() below records refusals */
	/* psi=0 on the kernel command line: the file exists but reads fail
	 * with EOPNOTSUPP.  That is PSI off, not a missing source. */
	if (rc == -EOPNOTSUPP) {
		psi_absent(c->h->facts, psi_some, "PSI disabled");
		psi_absent(c->h->facts, psi_full, "PSI disabled");
		return;
	}
	if (rc && rd(c, rel, SMALL_CAP, &buf, &len, &reason) != 0) {
		psi_absent(c->h->facts, psi_some, reason);
		psi_absent(c->h->facts, psi_full, reason);
		free(reason);
		return;
	}
	if (psi_parse(buf, len, rel, &p, &c->h->diags)) {
		c->err = -EINVAL;
		psi_absent(c->h->facts, psi_some, "proc/pressure/memory: malformed");
		psi_absent(c->h->facts, psi_full, "proc/pressure/memory: malformed");
	} else {
		if (p.some.present)
			psi_set(c->h->facts, psi_some, &p.some);
		else
			psi_absent(c->h->facts, psi_some, "PSI disabled");
		if (p.full.present)
			psi_set(c->h->facts, psi_full, &p.full);
		else
			psi_absent(c->h->facts, psi_full,
				   p.some.present ? "proc/pressure/memory: no \"full\" line"
						  : "PSI disabled");
	}
	free(buf);
}

/* ---- sysctls: proc/sys/vm, else a sysctl -a dump ---------------------- */

static void load_dump(struct ctx *c)
{
	if (c->dump_tried)
		return;
	c->dump_tried = true;
	char *buf = NULL;
	size_t len;
	const char *origin = NULL;
	if (c->o && c->o->sysctl_file) {
		int rc = file_read(c->o->sysctl_file, FILEIO_DEFAULT_CAP, &buf, &len);
		if (rc) {
			diag_add(&c->h->diags, DIAG_ERROR, c->o->sysctl_file, 0, 0,
				 "cannot read the --sysctl-file: %s", fileio_strerror(rc));
			c->err = -EINVAL;
			return;
		}
		origin = c->o->sysctl_file;
	} else if (!c->r->live) {
		/* Captured trees only: on the live host proc/sys is the truth. */
		static const char *const cands[] = {"sos_commands/kernel/sysctl_-a", "sysctl-a.txt"};
		for (size_t i = 0; i < 2 && !origin; i++) {
			int rc = rread(c, cands[i], FILEIO_DEFAULT_CAP, &buf, &len);
			if (!rc)
				origin = cands[i];
			else if (refused(rc))
				return;
		}
		if (!origin)
			return;
	} else {
		return;
	}
	/* Not strict: sosreport dumps carry "sysctl: permission denied" noise. */
	if (sysctl_dump_parse(buf, len, origin, false, &c->dump, &c->h->diags))
		c->err = -EINVAL;
	else
		c->dump_origin = xstrdup(origin);
	free(buf);
}

/* The last assignment of key in the dump, or NULL. */
static const struct strkv *dump_find(struct ctx *c, const char *key)
{
	load_dump(c);
	if (!c->dump_origin)
		return NULL;
	const struct strkv *hit = NULL;
	for (size_t i = 0; i < c->dump.n; i++)
		if (!strcmp(c->dump.v[i].key, key))
			hit = &c->dump.v[i];
	return hit;
}

/* Set one sysctl fact from text: an int via sysctl_int_parse, a string
 * normalised (base/sysval.h).  name comes from proc/sys/vm or a dump and d is its catalog
 * entry (a named fact or the sysctl.vm. family), so facts_put cannot
 * refuse it.  Returns 0, or -EINVAL (error recorded, fact absent). */
static int set_sysctl(struct ctx *c, const struct fact_def *d, const char *name, const char *text,
		      size_t n, const char *source, const char *origin, unsigned line)
{
	if (d->type == FACT_INT) {
		int64_t v;
		struct diag_list tmp = {0};
		if (sysctl_int_parse(text, n, origin, &v, &tmp)) {
			/* Point the error at the dump line when it came from one. */
			for (size_t i = 0; line && i < tmp.n; i++)
				if (!tmp.v[i].line)
					tmp.v[i].line = line;
			diag_splice(&c->h->diags, &tmp);
			c->err = -EINVAL;
			char *reason = xasprintf("%s: malformed", source);
			facts_put_absent(c->h->facts, name, reason);
			free(reason);
			return -EINVAL;
		}
		diag_splice(&c->h->diags, &tmp);
		int64_t lo, hi;
		bool kept;
		const char *why = host_sysctl_impossible(d->id, v, c->r->live, &lo, &hi, &kept);
		if (why && kept) {
			diag_add(&c->h->diags, DIAG_WARNING, origin, line ? line : 1, 0,
				 "%s: value %lld is %s as our catalog knows it (%lld..%lld), but this running kernel "
				 "holds it: kept; our catalog may be out of date for this kernel",
				 name + 7, (long long)v, why, (long long)lo, (long long)hi);
			why = NULL;
		}
		if (why) {
			diag_add(&c->h->diags, DIAG_ERROR, origin, line ? line : 1, 0,
				 "%s: impossible value %lld (%s, %lld..%lld)", name + 7, (long long)v, why,
				 (long long)lo, (long long)hi);
			c->err = -EINVAL;
			facts_put_absent(c->h->facts, name, "impossible value");
			return -EINVAL;
		}
		struct value x = {.type = FACT_INT, .u.i = v};
		int rc = facts_put(c->h->facts, name, &x, source);
		assert(rc == 0);
		(void)rc;
		return 0;
	}
	char *s = sysval_normalize(text, n);
	struct value x = {.type = FACT_STR, .u.s = s};
	int rc = facts_put(c->h->facts, name, &x, source);
	assert(rc == 0 && d->type == FACT_STR);
	(void)rc;
	free(s);
	return 0;
}

/* vm sysctls whose read does something: stat_refresh folds every CPU's
 * counters on read too (vmstat_refresh ignores the direction); the others
 * are write-only triggers.  A read-only tool leaves them alone. */
static bool side_effect(const char *name)
{
	return !strcmp(name, "stat_refresh") || !strcmp(name, "drop_caches") ||
	       !strcmp(name, "compact_memory");
}

static void collect_sysctls(struct ctx *c)
{
	char **names = NULL;
	size_t nn = 0;
	int rc = rlist(c, "proc/sys/vm", &names, &nn);
	if (rc)
		c->vm_dir_reason = xasprintf("proc/sys/vm: %s", fileio_strerror(rc));
	for (size_t i = 0; !rc && i < nn; i++) {
		char *rel = xasprintf("proc/sys/vm/%s", names[i]);
		char *fname = xasprintf("sysctl.vm.%s", names[i]);
		const struct fact_def *d = fact_catalog_lookup(fname);
		char *buf = NULL, *reason = NULL;
		size_t len;
		if (d && !d->family) {
			int r2 = rd(c, rel, SMALL_CAP, &buf, &len, &reason);
			if (r2)
				facts_set_absent(c->h->facts, d->id, reason);
			else
				set_sysctl(c, d, fname, buf, len, rel, rel, 0);
		} else if (d && !side_effect(names[i]) &&
			   rread(c, rel, SMALL_CAP, &buf, &len) == 0) {
			/* Uninterpreted sysctls: unreadable and empty ones are
			 * skipped quietly. */
			char *s = sysval_normalize(buf, len);
			struct value x = {.type = FACT_STR, .u.s = s};
			if (s[0])
				facts_put(c->h->facts, fname, &x, rel); /* a sysctl.vm. member */
			free(s);
		}
		free(buf);
		free(reason);
		free(rel);
		free(fname);
	}
	fileio_names_free(names);

	/* Gaps: the catalog's sysctls not found in proc/sys/vm. */
	size_t n;
	const struct fact_def *cat = fact_catalog(&n);
	for (size_t i = 0; i < n; i++) {
		const struct fact_def *d = &cat[i];
		if (d->family || strncmp(d->name, "sysctl.vm.", 10))
			continue;
		if (facts_has(c->h->facts, d->id))
			continue;
		const char *key = d->name + 7; /* "vm.min_free_kbytes" */
		const struct strkv *kv = dump_find(c, key);
		if (kv) {
			char *src = xasprintf("%s:%u", c->dump_origin, kv->line);
			set_sysctl(c, d, d->name, kv->value, strlen(kv->value), src, c->dump_origin,
				   kv->line);
			free(src);
			continue;
		}
		if (facts_reason(c->h->facts, d->id))
			continue; /* already absent with a better reason */
		char *reason = c->vm_dir_reason
				       ? xstrdup(c->vm_dir_reason)
				       : xasprintf("proc/sys/vm/%s: No such file or directory", key + 3);
		if (!c->vm_dir_reason) {
			char *rel = xasprintf("proc/sys/vm/%s", key + 3);
			facts_add_missing(c->h->facts, rel, "No such file or directory");
			free(rel);
		}
		facts_set_absent(c->h->facts, d->id, reason);
		free(reason);
	}
	/* Every other vm.* of the dump, as strings. */
	load_dump(c);
	if (rc) {
		char *why = c->dump_origin ? xasprintf("%s; sysctls taken from %s", fileio_strerror(rc),
						       c->dump_origin)
					   : xstrdup(fileio_strerror(rc));
		facts_add_missing(c->h->facts, "proc/sys/vm", why);
		free(why);
	}
	for (size_t i = 0; c->dump_origin && i < c->dump.n; i++) {
		const struct strkv *kv = &c->dump.v[i];
		if (strncmp(kv->key, "vm.", 3) || !kv->key[3])
			continue;
		char *fname = xasprintf("sysctl.%s", kv->key);
		const struct fact_def *d = fact_catalog_lookup(fname);
		struct value have;
		if (d && d->family && facts_lookup(c->h->facts, fname, &have) != 0) {
			const struct strkv *last = dump_find(c, kv->key);
			char *src = xasprintf("%s:%u", c->dump_origin, last->line);
			set_sysctl(c, d, fname, last->value, strlen(last->value), src, c->dump_origin,
				   last->line);
			free(src);
		}
		free(fname);
	}
}

/* ---- host name ------------------------------------------------------------ */

/* The name the host gives itself: the kernel's (a capture of the running
 * host), else the file it is set from at boot.  Reports carry it beside
 * host.id, which stays the machine-id digest: a cloned image shares the
 * machine-id but not the name. */
static void collect_hostname(struct ctx *c)
{
	static const char *const src[] = {"proc/sys/kernel/hostname", "etc/hostname"};
	for (size_t i = 0; i < 2; i++) {
		char *buf = NULL;
		size_t len;
		if (rread(c, src[i], SMALL_CAP, &buf, &len) == 0) {
			char *name = sysval_normalize(buf, len);
			free(buf);
			if (name[0]) {
				facts_set_str(c->h->facts, F_KERNEL_HOSTNAME, name, src[i]);
				free(name);
				return;
			}
			free(name);
		}
	}
	facts_set_absent(c->h->facts, F_KERNEL_HOSTNAME, "neither proc/sys/kernel/hostname nor etc/hostname");
}

/* ---- kernel release ---------------------------------------------------- */

static void collect_release(struct ctx *c)
{
	char *buf = NULL, *reason = NULL, *rel_str = NULL, *src = NULL;
	size_t len;
	if (rread(c, "proc/sys/kernel/osrelease", SMALL_CAP, &buf, &len) == 0) {
		rel_str = sysval_normalize(buf, len);
		src = xstrdup("proc/sys/kernel/osrelease");
	} else if (rread(c, "proc/version", SMALL_CAP, &buf, &len) == 0) {
		/* "Linux version 5.12.0-x (builder@host) (gcc ...) #1 SMP ..." */
		const char *p = strstr(buf, "Linux version ");
		if (p) {
			p += 14;
			size_t n = strcspn(p, " \t\n");
			if (n)
				rel_str = xstrndup(p, n);
		}
		src = xstrdup("proc/version");
	}
	free(buf);
	buf = NULL;
	if (!rel_str) {
		const struct strkv *kv = dump_find(c, "kernel.osrelease");
		if (kv && kv->value[0]) {
			rel_str = sysval_normalize(kv->value, strlen(kv->value));
			free(src);
			src = xasprintf("%s:%u", c->dump_origin, kv->line);
		}
	}
	if (!rel_str || !rel_str[0]) {
		reason = xstrdup("proc/sys/kernel/osrelease: No such file or directory");
		facts_add_missing(c->h->facts, "proc/sys/kernel/osrelease", "No such file or directory");
		facts_set_absent(c->h->facts, F_KERNEL_OSRELEASE, reason);
		facts_set_absent(c->h->facts, F_HOST_KERNEL_VERSION, reason);
		goto out;
	}
	facts_set_str(c->h->facts, F_KERNEL_OSRELEASE, rel_str, src);
	int64_t kv, stable;
	if (kver_from_release(rel_str, &kv) == 0) {
		/* Debian's x.y.0-N release hides the stable patch level that
		 * /proc/version names (kver.h); legal ranges depend on it. */
		if (kver_patch(kv) == 0 && rread(c, "proc/version", SMALL_CAP, &buf, &len) == 0 &&
		    kver_from_proc_version(buf, len, kv, &stable) == 0) {
			kv = stable;
			free(src);
			src = xstrdup("proc/version");
		}
		free(buf);
		buf = NULL;
		facts_set_int(c->h->facts, F_HOST_KERNEL_VERSION, kv, src);
	} else {
		diag_add(&c->h->diags, DIAG_WARNING, src, 0, 0,
			 "cannot read a version number from the release \"%s\"", rel_str);
		facts_set_absent(c->h->facts, F_HOST_KERNEL_VERSION, "kernel release has no x.y version");
	}
out:
	free(reason);
	free(rel_str);
	free(src);
}

/* ---- sysfs: THP, zswap, zram, NUMA ------------------------------------- */

/* One sysfs value into a fact: str = selected word, int = number, bool =
 * Y/N/1/0.  dir_reason, when set, is why the whole directory is missing. */
static void sysfs_fact(struct ctx *c, const char *rel, enum fact_id name, const char *dir_reason)
{
	const struct fact_def *d = fact_def_of(name);
	char *buf = NULL, *reason = NULL;
	size_t len;
	if (dir_reason) {
		facts_set_absent(c->h->facts, name, dir_reason);
		return;
	}
	if (rd(c, rel, SMALL_CAP, &buf, &len, &reason)) {
		facts_set_absent(c->h->facts, name, reason);
		free(reason);
		return;
	}
	char *s = sysval_normalize(buf, len);
	if (d->type == FACT_STR) {
		char *w = selected_word(buf, len);
		facts_set_str(c->h->facts, name, w, rel);
		free(w);
	} else if (d->type == FACT_INT) {
		int64_t v;
		if (sysctl_int_parse(buf, len, rel, &v, &c->h->diags)) {
			c->err = -EINVAL;
			facts_set_absent(c->h->facts, name, "malformed");
		} else {
			facts_set_int(c->h->facts, name, v, rel);
		}
	} else if (d->type == FACT_BOOL) {
		if (!strcmp(s, "Y") || !strcmp(s, "1"))
			facts_set_bool(c->h->facts, name, true, rel);
		else if (!strcmp(s, "N") || !strcmp(s, "0"))
			facts_set_bool(c->h->facts, name, false, rel);
		else {
			diag_add(&c->h->diags, DIAG_ERROR, rel, 1, 0,
				 "expected Y or N, found \"%.40s\"", s);
			c->err = -EINVAL;
			facts_set_absent(c->h->facts, name, "malformed");
		}
	}
	free(s);
	free(buf);
}

/* Returns a reason string (caller frees) when dir is missing, else NULL;
 * the missing directory is recorded once instead of every file in it. */
static char *dir_missing(struct ctx *c, const char *dir)
{
	if (root_exists(c->r, dir))
		return NULL;
	facts_add_missing(c->h->facts, dir, "No such file or directory");
	return xasprintf("%s: No such file or directory", dir);
}

static void collect_thp_zswap(struct ctx *c)
{
	/* RHEL 6 kernels spell the directory redhat_transparent_hugepage. */
	const char *thp = root_exists(c->r, "sys/kernel/mm/redhat_transparent_hugepage") &&
				  !root_exists(c->r, "sys/kernel/mm/transparent_hugepage")
			  ? "sys/kernel/mm/redhat_transparent_hugepage"
			  : "sys/kernel/mm/transparent_hugepage";
	char *why = dir_missing(c, thp);
	static const struct {
		const char *file;
		enum fact_id fact;
	} thp_files[] = {{"enabled", F_THP_ENABLED}, {"defrag", F_THP_DEFRAG},
			 {"hpage_pmd_size", F_THP_HPAGE_PMD_SIZE}};
	for (size_t i = 0; i < 3; i++) {
		char *rel = xasprintf("%s/%s", thp, thp_files[i].file);
		sysfs_fact(c, rel, thp_files[i].fact, why);
		free(rel);
	}
	free(why);
	const char *zs = "sys/module/zswap/parameters";
	why = dir_missing(c, zs);
	sysfs_fact(c, "sys/module/zswap/parameters/enabled", F_ZSWAP_ENABLED, why);
	sysfs_fact(c, "sys/module/zswap/parameters/max_pool_percent", F_ZSWAP_MAX_POOL_PERCENT, why);
	sysfs_fact(c, "sys/module/zswap/parameters/compressor", F_ZSWAP_COMPRESSOR, why);
	free(why);
}

static void collect_zram(struct ctx *c)
{
	char **names = NULL;
	size_t nn = 0;
	int rc = rlist(c, "sys/block", &names, &nn);
	if (rc) {
		char *reason = xasprintf("sys/block: %s", fileio_strerror(rc));
		facts_add_missing(c->h->facts, "sys/block", fileio_strerror(rc));
		facts_set_absent(c->h->facts, F_ZRAM_DEVICES, reason);
		facts_set_absent(c->h->facts, F_ZRAM_DISKSIZE_BYTES, reason);
		facts_set_absent(c->h->facts, F_ZRAM_COMP_ALGORITHM, reason);
		free(reason);
		return;
	}
	int64_t ndev = 0, total = 0;
	char *alg = NULL, *alg_src = NULL;
	bool size_ok = true;
	for (size_t i = 0; i < nn; i++) {
		if (strncmp(names[i], "zram", 4) || !isdigit((unsigned char)names[i][4]))
			continue;
		ndev++;
		char *rel = xasprintf("sys/block/%s/disksize", names[i]);
		char *buf = NULL;
		size_t len;
		int64_t v;
		if (rread(c, rel, SMALL_CAP, &buf, &len) == 0 &&
		    sysctl_int_parse(buf, len, rel, &v, &c->h->diags) == 0)
			total += v;
		else
			size_ok = false;
		free(buf);
		buf = NULL;
		free(rel);
		rel = xasprintf("sys/block/%s/comp_algorithm", names[i]);
		if (!alg && rread(c, rel, SMALL_CAP, &buf, &len) == 0) {
			alg = selected_word(buf, len);
			alg_src = xstrdup(rel);
		}
		free(buf);
		free(rel);
	}
	fileio_names_free(names);
	facts_set_int(c->h->facts, F_ZRAM_DEVICES, ndev, "sys/block");
	if (size_ok)
		facts_set_int(c->h->facts, F_ZRAM_DISKSIZE_BYTES, total, "sys/block/zram*/disksize");
	else
		facts_set_absent(c->h->facts, F_ZRAM_DISKSIZE_BYTES, "sys/block/zram*/disksize unreadable");
	if (alg)
		facts_set_str(c->h->facts, F_ZRAM_COMP_ALGORITHM, alg, alg_src);
	else
		facts_set_absent(c->h->facts, F_ZRAM_COMP_ALGORITHM,
				 ndev ? "sys/block/zram*/comp_algorithm unreadable" : "no zram device");
	free(alg);
	free(alg_src);
}

/* Count the nodes of a sysfs list ("0-3,5" -> 5); -1 when malformed. */
static int64_t count_node_list(const char *s)
{
	int64_t count = 0;
	const char *p = s;
	while (*p) {
		uint64_t a, b;
		const char *end;
		if (parse_u64(p, &end, &a))
			return -1;
		b = a;
		p = end;
		if (*p == '-') {
			if (parse_u64(p + 1, &end, &b) || b < a)
				return -1;
			p = end;
		}
		if (b - a > 65536)
			return -1;
		count += (int64_t)(b - a + 1);
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return count;
}

static void collect_numa(struct ctx *c)
{
	const char *rel = "sys/devices/system/node/online";
	char *buf = NULL;
	size_t len;
	int64_t online = -1;
	int rc = rread(c, rel, SMALL_CAP, &buf, &len);
	if (!rc) {
		char *s = sysval_normalize(buf, len);
		online = count_node_list(s);
		if (online < 0) {
			diag_add(&c->h->diags, DIAG_ERROR, rel, 1, 0, "not a node list: \"%.40s\"", s);
			c->err = -EINVAL;
			facts_set_absent(c->h->facts, F_HOST_NODES_ONLINE, "malformed");
		} else {
			facts_set_str(c->h->facts, F_HOST_NODES_ONLINE, s, rel);
		}
		free(s);
		free(buf);
	} else {
		char *reason = xasprintf("%s: %s", rel, fileio_strerror(rc));
		facts_add_missing(c->h->facts, rel, fileio_strerror(rc));
		facts_set_absent(c->h->facts, F_HOST_NODES_ONLINE, reason);
		free(reason);
	}

	/* Nodes with memory: zoneinfo first (it is what the watermark model
	 * reads), then the online list, then the nodeN directories. */
	const struct zoneinfo *zi = &c->h->zi;
	if (zi->nzones) {
		/* Node ids are below ZONEINFO_MAX_NODES (zoneinfo_check): one
		 * pass, whatever order a hostile file lists its zones in. */
		bool has_mem[ZONEINFO_MAX_NODES] = {0};
		int64_t count = 0;
		for (size_t i = 0; i < zi->nzones; i++) {
			const struct zone *z = &zi->zones[i];
			if (zone_pages(z) > 0 && z->node >= 0 && z->node < ZONEINFO_MAX_NODES && !has_mem[z->node]) {
				has_mem[z->node] = true;
				count++;
			}
		}
		facts_set_int(c->h->facts, F_HOST_NUMA_NODES, count, "proc/zoneinfo");
		return;
	}
	if (online > 0) {
		facts_set_int(c->h->facts, F_HOST_NUMA_NODES, online, rel);
		return;
	}
	char **names = NULL;
	size_t nn = 0;
	if (rlist(c, "sys/devices/system/node", &names, &nn) == 0) {
		int64_t count = 0;
		for (size_t i = 0; i < nn; i++)
			count += !strncmp(names[i], "node", 4) && isdigit((unsigned char)names[i][4]);
		fileio_names_free(names);
		if (count) {
			facts_set_int(c->h->facts, F_HOST_NUMA_NODES, count, "sys/devices/system/node");
			return;
		}
	}
	facts_set_absent(c->h->facts, F_HOST_NUMA_NODES,
			 "no proc/zoneinfo and no sys/devices/system/node");
}

/* ---- proc/swaps ---------------------------------------------------------- */

static void collect_swaps(struct ctx *c)
{
	struct facts *f = c->h->facts;
	char *buf = NULL, *reason = NULL;
	size_t len;
	struct swaps sw = {0};
	static const enum fact_id names[] = {F_SWAP_DEVICES, F_SWAP_TOTAL_BYTES, F_SWAP_USED_BYTES,
					    F_SWAP_KIND, F_SWAP_ZRAM_BYTES, F_SWAP_DISK_BYTES};
	int rc = rd(c, "proc/swaps", SMALL_CAP, &buf, &len, &reason);
	if (!rc && swaps_parse(buf, len, "proc/swaps", &sw, &c->h->diags)) {
		c->err = -EINVAL;
		reason = xstrdup("proc/swaps: malformed");
		rc = -1;
	}
	free(buf);
	if (rc) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			facts_set_absent(f, names[i], reason);
		/* meminfo still knows the totals. */
		int64_t tot, fr;
		if (facts_get_int(f, F_MEMINFO_SWAPTOTAL, &tot) == 0 &&
		    facts_get_int(f, F_MEMINFO_SWAPFREE, &fr) == 0) {
			facts_set_int(f, F_SWAP_TOTAL_BYTES, tot * 1024, "proc/meminfo SwapTotal");
			facts_set_int(f, F_SWAP_USED_BYTES, (tot - fr) * 1024,
				      "proc/meminfo SwapTotal-SwapFree");
		}
		free(reason);
		return;
	}
	int64_t tot = 0, used = 0, zram = 0, disk = 0;
	for (size_t i = 0; i < sw.n; i++) {
		tot += sw.v[i].size_kb * 1024;
		used += sw.v[i].used_kb * 1024;
		if (sw.v[i].kind == SWAP_ZRAM)
			zram += sw.v[i].size_kb * 1024;
		else
			disk += sw.v[i].size_kb * 1024;
	}
	const char *src = "proc/swaps";
	facts_set_int(f, F_SWAP_DEVICES, (int64_t)sw.n, src);
	facts_set_int(f, F_SWAP_TOTAL_BYTES, tot, src);
	facts_set_int(f, F_SWAP_USED_BYTES, used, src);
	facts_set_int(f, F_SWAP_ZRAM_BYTES, zram, src);
	facts_set_int(f, F_SWAP_DISK_BYTES, disk, src);
	struct value zs;
	bool zswap = facts_get(f, F_ZSWAP_ENABLED, &zs) == 0 && zs.u.b;
	const char *kind = "none";
	if (sw.n && zram && disk)
		kind = "mixed";
	else if (sw.n && zram)
		kind = "zram";
	else if (sw.n)
		kind = zswap ? "zswap" : "disk";
	facts_set_str(f, F_SWAP_KIND, kind, zswap && sw.n && !zram ? "proc/swaps + zswap" : src);
	swaps_free(&sw);
}

/* ---- container and virtualisation hints ------------------------------- */

/* Container evidence, strongest first.  cgroup paths and systemd's own
 * detection name the manager.  Marker files (.dockerenv, .containerenv)
 * are weaker: images keep them when booted as a VM, so they count only
 * when kernel threads are hidden, i.e. we are in a PID namespace
 * (kthreadd is PID 2 only in the initial one). */
static void collect_container(struct ctx *c)
{
	struct facts *f = c->h->facts;
	char *buf = NULL;
	size_t len;
	bool any = false;
	static const char *const cg[] = {"proc/1/cgroup", "proc/self/cgroup"};
	static const struct {
		const char *needle, *name;
	} hints[] = {
		{"kubepods", "kubernetes"}, {"libpod", "podman"}, {"docker", "docker"},
		{"containerd", "containerd"}, {"lxc", "lxc"}, {"machine.slice", "systemd-nspawn"},
	};
	for (size_t i = 0; i < 2; i++) {
		if (rread(c, cg[i], SMALL_CAP, &buf, &len))
			continue;
		any = true;
		for (size_t j = 0; j < sizeof(hints) / sizeof(hints[0]); j++)
			if (strstr(buf, hints[j].needle)) {
				facts_set_str(f, F_HOST_CONTAINER, hints[j].name, cg[i]);
				free(buf);
				return;
			}
		free(buf);
		buf = NULL;
	}
	/* systemd writes the detected manager's name here. */
	if (rread(c, "run/systemd/container", SMALL_CAP, &buf, &len) == 0) {
		char *s = sysval_normalize(buf, len);
		free(buf);
		buf = NULL;
		if (s[0]) {
			facts_set_str(f, F_HOST_CONTAINER, s, "run/systemd/container");
			free(s);
			return;
		}
		free(s);
	}
	bool kthreadd = false;
	if (rread(c, "proc/2/comm", SMALL_CAP, &buf, &len) == 0) {
		any = true;
		kthreadd = !strncmp(buf, "kthreadd", 8);
		free(buf);
		buf = NULL;
	}
	static const struct {
		const char *file, *name;
	} markers[] = {{".dockerenv", "docker"}, {"run/.containerenv", "podman"}};
	for (size_t i = 0; i < 2; i++) {
		if (!root_exists(c->r, markers[i].file))
			continue;
		any = true;
		if (!kthreadd) {
			facts_set_str(f, F_HOST_CONTAINER, markers[i].name, markers[i].file);
			return;
		}
		diag_add(&c->h->diags, DIAG_NOTE, markers[i].file, 0, 0,
			 "present, but kernel threads are visible (proc/2/comm is kthreadd): "
			 "not treated as a container");
	}
	if (any)
		facts_set_str(f, F_HOST_CONTAINER, "none",
			      kthreadd ? "proc/2/comm (kthreadd visible)" : "proc/1/cgroup");
	else
		facts_set_absent(f, F_HOST_CONTAINER,
				 "no container evidence in the tree (proc/1/cgroup, proc/2/comm, .dockerenv)");
}

static void collect_virt(struct ctx *c)
{
	struct facts *f = c->h->facts;
	char *buf = NULL;
	size_t len;

	static const struct {
		const char *needle, *name;
	} vendors[] = {
		{"QEMU", "qemu"}, {"KVM", "kvm"}, {"Amazon EC2", "aws"}, {"Google", "gce"},
		{"Microsoft Corporation", "hyperv"}, {"VMware", "vmware"}, {"Xen", "xen"},
		{"innotek", "virtualbox"}, {"Parallels", "parallels"}, {"OpenStack", "openstack"},
	};
	if (rread(c, "sys/class/dmi/id/sys_vendor", SMALL_CAP, &buf, &len) == 0) {
		for (size_t j = 0; j < sizeof(vendors) / sizeof(vendors[0]); j++)
			if (strstr(buf, vendors[j].needle)) {
				facts_set_str(f, F_HOST_VIRT, vendors[j].name, "sys/class/dmi/id/sys_vendor");
				free(buf);
				return;
			}
		free(buf);
		buf = NULL;
	}
	if (rread(c, "sys/hypervisor/type", SMALL_CAP, &buf, &len) == 0) {
		char *s = sysval_normalize(buf, len);
		free(buf);
		if (s[0]) {
			facts_set_str(f, F_HOST_VIRT, s, "sys/hypervisor/type");
			free(s);
			return;
		}
		free(s);
	}
	if (rread(c, "proc/cpuinfo", FILEIO_DEFAULT_CAP, &buf, &len) == 0) {
		/* x86 sets the "hypervisor" CPU flag in any guest. */
		bool hv = false;
		for (const char *p = buf; (p = strstr(p, "hypervisor")); p += 10)
			if (p > buf && (p[-1] == ' ' || p[-1] == '\t') &&
			    (p[10] == ' ' || p[10] == '\n' || p[10] == '\0')) {
				hv = true;
				break;
			}
		facts_set_str(f, F_HOST_VIRT, hv ? "vm" : "none", "proc/cpuinfo");
		free(buf);
		return;
	}
	facts_set_absent(f, F_HOST_VIRT, "no proc/cpuinfo and no sys/class/dmi/id in the tree");
}

/* ---- page size -------------------------------------------------------- */

static void collect_page_size(struct ctx *c)
{
	struct facts *f = c->h->facts;
	if (c->r->live) {
		long ps = sysconf(_SC_PAGESIZE);
		if (ps > 0) {
			facts_set_int(f, F_HOST_PAGE_SIZE, ps, "sysconf");
			facts_set_str(f, F_HOST_PAGE_SIZE_SOURCE, "sysconf", "sysconf");
			return;
		}
	}
	char *buf = NULL;
	size_t len;
	if (rread(c, "proc/self/smaps", FILEIO_DEFAULT_CAP, &buf, &len) == 0) {
		const char *p = strstr(buf, "\nKernelPageSize:");
		uint64_t kb;
		if (p && parse_u64(p + 16, NULL, &kb) == 0 && kb >= 1 && kb <= 1024) {
			facts_set_int(f, F_HOST_PAGE_SIZE, (int64_t)kb * 1024, "proc/self/smaps");
			facts_set_str(f, F_HOST_PAGE_SIZE_SOURCE, "smaps", "proc/self/smaps");
			free(buf);
			return;
		}
		free(buf);
	}
	if (c->o && c->o->page_size) {
		facts_set_int(f, F_HOST_PAGE_SIZE, (int64_t)c->o->page_size, "--page-size");
		facts_set_str(f, F_HOST_PAGE_SIZE_SOURCE, "option", "--page-size");
		return;
	}
	/* arm64 only: the PMD huge page is 512 MiB with 64 KiB pages and
	 * 32 MiB with 16 KiB pages; no other architecture prints those sizes
	 * for its default hugetlb size, while 2 MiB is ambiguous. */
	int64_t hp, pmd;
	const char *from = NULL;
	if (facts_get_int(f, F_THP_HPAGE_PMD_SIZE, &pmd) == 0 && (pmd == 512 << 20 || pmd == 32 << 20))
		from = "sys/kernel/mm/transparent_hugepage/hpage_pmd_size";
	else if (facts_get_int(f, F_MEMINFO_HUGEPAGESIZE, &hp) == 0 && (hp == 524288 || hp == 32768))
		from = "proc/meminfo Hugepagesize", pmd = hp * 1024;
	if (from) {
		int64_t ps = pmd == 512 << 20 ? 65536 : 16384;
		facts_set_int(f, F_HOST_PAGE_SIZE, ps, from);
		facts_set_str(f, F_HOST_PAGE_SIZE_SOURCE, "inferred", from);
		diag_add(&c->h->diags, DIAG_NOTE, from, 0, 0,
			 "page size %lld inferred from a %lld MiB huge page (arm64)", (long long)ps,
			 (long long)(pmd >> 20));
		return;
	}
	facts_set_int(f, F_HOST_PAGE_SIZE, 4096, "assumed");
	facts_set_str(f, F_HOST_PAGE_SIZE_SOURCE, "assumed", "assumed");
	diag_add(&c->h->diags, DIAG_WARNING, c->h->origin, 0, 0,
		 "page size assumed 4096 (no proc/self/smaps in the tree; use --page-size)");
}

/* ---- kernel log ----------------------------------------------------------- */

static void collect_klog(struct ctx *c)
{
	struct facts *f = c->h->facts;
	static const enum fact_id names[] = {F_KLOG_OOM_KILLS, F_KLOG_OOM_LAST, F_KLOG_ALLOC_FAILURES,
					    F_KLOG_ALLOC_FAILURE_LAST, F_KLOG_ALLOC_FAILURE_MAX_ORDER,
					    F_KLOG_ATOMIC_ALLOC_FAILURES,
					    F_KLOG_GFP_ATOMIC_FAILURES, F_KLOG_GFP_NOWAIT_FAILURES,
					    F_KLOG_OOM_KILLS_MEMCG, F_KLOG_OOM_KILLS_GLOBAL};
	const size_t nn = sizeof(names) / sizeof(names[0]);
	if (!c->o || !c->o->kernel_log) {
		for (size_t i = 0; i < nn; i++)
			facts_set_absent(f, names[i], "no --kernel-log given");
		return;
	}
	const char *path = c->o->kernel_log;
	char *buf = NULL;
	size_t len;
	struct klog k = {0};
	/* /var/log/messages is often larger than any cap: its end is what
	 * counts (the recent OOM kills and allocation failures). */
	bool cut = false;
	int rc = file_read_tail(path, FILEIO_DEFAULT_CAP, &buf, &len, &cut);
	if (!rc && cut)
		diag_add(&c->h->diags, DIAG_WARNING, path, 0, 0,
			 "larger than %u MiB: only its last %u MiB were read (earlier events are not counted)",
			 FILEIO_DEFAULT_CAP >> 20, FILEIO_DEFAULT_CAP >> 20);
	if (rc) {
		diag_add(&c->h->diags, DIAG_ERROR, path, 0, 0, "cannot read the --kernel-log: %s",
			 fileio_strerror(rc));
		c->err = -EINVAL;
		for (size_t i = 0; i < nn; i++)
			facts_set_absent(f, names[i], "--kernel-log unreadable");
		return;
	}
	if (klog_parse(buf, len, path, &k, &c->h->diags)) {
		c->err = -EINVAL;
		for (size_t i = 0; i < nn; i++)
			facts_set_absent(f, names[i], "--kernel-log malformed");
		free(buf);
		return;
	}
	free(buf);
	facts_set_int(f, F_KLOG_OOM_KILLS, k.oom_kills, path);
	facts_set_int(f, F_KLOG_ALLOC_FAILURES, k.alloc_failures, path);
	facts_set_int(f, F_KLOG_ATOMIC_ALLOC_FAILURES, k.atomic_alloc_failures, path);
	facts_set_int(f, F_KLOG_GFP_ATOMIC_FAILURES, k.high_alloc_failures, path);
	facts_set_int(f, F_KLOG_GFP_NOWAIT_FAILURES, k.nowait_alloc_failures, path);
	facts_set_int(f, F_KLOG_OOM_KILLS_MEMCG, k.oom_kills_memcg, path);
	facts_set_int(f, F_KLOG_OOM_KILLS_GLOBAL, k.oom_kills - k.oom_kills_memcg, path);
	if (k.oom_last)
		facts_set_str(f, F_KLOG_OOM_LAST, k.oom_last, path);
	else
		facts_set_absent(f, F_KLOG_OOM_LAST, "no OOM kill in the kernel log");
	if (k.alloc_failure_last)
		facts_set_str(f, F_KLOG_ALLOC_FAILURE_LAST, k.alloc_failure_last, path);
	else
		facts_set_absent(f, F_KLOG_ALLOC_FAILURE_LAST, "no allocation failure in the kernel log");
	if (k.max_order >= 0)
		facts_set_int(f, F_KLOG_ALLOC_FAILURE_MAX_ORDER, k.max_order, path);
	else
		facts_set_absent(f, F_KLOG_ALLOC_FAILURE_MAX_ORDER, "no allocation failure in the kernel log");
	klog_free(&k);
}

/* ---- entry point -------------------------------------------------------- */

int collect_host(const struct root *r, const struct collect_opts *opts, struct host *out)
{
	memset(out, 0, sizeof(*out));
	out->facts = facts_new();
	out->origin = xstrdup(r->path ? r->path : "/");
	struct ctx c = {.r = r, .o = opts, .h = out};

	collect_zoneinfo(&c);
	collect_kv(&c, "proc/meminfo", FAM_MEMINFO, meminfo_parse);
	collect_kv(&c, "proc/vmstat", FAM_VMSTAT, vmstat_parse);
	collect_uptime(&c);
	collect_psi(&c);
	collect_sysctls(&c);
	collect_release(&c);
	collect_hostname(&c);
	collect_thp_zswap(&c);
	collect_zram(&c);
	collect_swaps(&c);
	collect_numa(&c);
	collect_container(&c);
	collect_virt(&c);
	collect_page_size(&c);
	collect_klog(&c);
	host_sysctl_range_warnings(out);
	if (memcg_collect(r, out->facts, &out->diags))
		c.err = -EINVAL;
	if (frag_collect(r, out->facts, &out->diags))
		c.err = -EINVAL;

	if (derive_check_sources(out, "proc/zoneinfo", &out->diags))
		c.err = -EINVAL;
	derive_facts(out);
	rates_since_boot(out);

	strkvlist_free(&c.dump);
	free(c.dump_origin);
	free(c.vm_dir_reason);
	return c.err;
}
