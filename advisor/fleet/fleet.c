/* fleet: streaming aggregation of audit/recommend reports (see fleet.h).
 *
 * Two stages.  parse_rec() turns one document into a small self-contained
 * record (pure, thread-safe: each worker owns a json_tokener); merge()
 * interns its strings into the fleet and drops the record.  Files are
 * processed in batches of FLEET_BATCH so at most that many records exist at
 * once, whatever the number of reports.  Everything the renderers print is
 * recomputed from the per-host records, so the order of hosts (the order of
 * the inputs) is the only order that matters. */
#include "fleet.h"

#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../collect/hostid.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLEET_BATCH 512
#define FLEET_REPORT_CAP (8u << 20) /* a report is a few KiB; 8 MiB is not a report */
#define NSTATE 6                    /* audit states, audit.h order */
#define NSTATUS 4

static const char *const state_names[NSTATE] = {
	"compliant", "drift", "not-persistent", "shadowed", "not-applicable", "not-permitted",
};
static const char *const status_names[NSTATUS] = {"ok", "warning", "critical", "unknown"};

/* ------------------------------------------------------------ interning */

struct strtab {
	char **s;
	size_t n, cap;
	uint32_t *slot; /* index + 1, 0 = empty */
	size_t nslot;
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void strtab_grow(struct strtab *t)
{
	size_t ns = t->nslot ? t->nslot * 2 : 64;
	uint32_t *slot = xcalloc(ns, sizeof(*slot));
	for (size_t i = 0; i < t->n; i++) {
		size_t j = fnv1a(t->s[i]) & (ns - 1);
		while (slot[j])
			j = (j + 1) & (ns - 1);
		slot[j] = (uint32_t)i + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = ns;
}

static uint32_t intern(struct strtab *t, const char *s)
{
	if ((t->n + 1) * 2 > t->nslot)
		strtab_grow(t);
	size_t j = fnv1a(s) & (t->nslot - 1);
	while (t->slot[j]) {
		if (!strcmp(t->s[t->slot[j] - 1], s))
			return t->slot[j] - 1;
		j = (j + 1) & (t->nslot - 1);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->s = xreallocarray(t->s, t->cap, sizeof(*t->s));
	}
	t->s[t->n] = xstrdup(s);
	t->slot[j] = (uint32_t)t->n + 1;
	return (uint32_t)t->n++;
}

static void strtab_free(struct strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->slot);
}

/* --------------------------------------------------------------- records */

enum { KIND_AUDIT, KIND_REPORT };

struct rkv {
	char *key, *value;
	int state;
};

struct rec {
	bool ok;
	char *err;
	int kind, status;
	char *id, *group;
	bool direct, oom;
	double allocstall;
	int64_t oom_kills;
	struct rkv *kv;
	size_t nkv;
};

static void rec_free(struct rec *r)
{
	free(r->err);
	free(r->id);
	free(r->group);
	for (size_t i = 0; i < r->nkv; i++) {
		free(r->kv[i].key);
		free(r->kv[i].value);
	}
	free(r->kv);
	memset(r, 0, sizeof(*r));
}

struct hkv {
	uint32_t key, value;
	uint8_t state;
};

struct hrec {
	uint32_t id, file, group;
	uint8_t status, kind;
	bool direct, oom;
	double allocstall;
	int64_t oom_kills;
	size_t kv_off, nkv;
};

struct skip {
	char *file, *why;
};

struct fleet {
	char *group_by;
	unsigned threads;
	size_t top;
	struct strtab ids, files, groups, keys, values;
	struct hrec *h;
	size_t nh, caph;
	struct hkv *kv;
	size_t nkv, capkv;
	struct skip *skips;
	size_t nskips;
	uint32_t *host_of_id; /* by id: host index + 1, 0 = none yet */
	size_t nhost_of_id;
	size_t nsuperseded;   /* reports replaced by a later one of the same host */
};

static json_object *jget(json_object *o, const char *k)
{
	json_object *v = NULL;
	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, k, &v))
		return NULL;
	return v;
}

/* A scalar as text; NULL for null, objects and arrays. */
static char *jtext(json_object *v)
{
	if (!v)
		return NULL;
	switch (json_object_get_type(v)) {
	case json_type_string: return xstrdup(json_object_get_string(v));
	case json_type_int: return xasprintf("%" PRId64, json_object_get_int64(v));
	case json_type_double: {
		double d = json_object_get_double(v);
		if (d == floor(d) && fabs(d) < 9e15)
			return xasprintf("%" PRId64, (int64_t)d);
		return xasprintf("%.6g", d);
	}
	case json_type_boolean: return xstrdup(json_object_get_boolean(v) ? "true" : "false");
	default: return NULL;
	}
}

/* A number, finite (json-c accepts NaN and Infinity, which no report
 * writes; converting them, or 1e300, to an integer is undefined). */
static bool jnum(json_object *v, double *out)
{
	if (!v || !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return false;
	double d = json_object_get_double(v);
	if (!isfinite(d))
		return false;
	*out = d;
	return true;
}

/* A count from a report's double, saturated at INT64_MAX. */
static int64_t count_of(double d)
{
	return d >= 9.2e18 ? INT64_MAX : d <= 0 ? 0 : (int64_t)d;
}

/* A host field or fact: host.NAME, host.facts.NAME, facts.NAME, and
 * without a "host." prefix. */
static json_object *host_lookup(json_object *root, const char *name)
{
	json_object *host = jget(root, "host");
	const char *alts[2] = {name, !strncmp(name, "host.", 5) ? name + 5 : NULL};
	for (int i = 0; i < 2; i++) {
		if (!alts[i])
			continue;
		json_object *v;
		if ((v = jget(host, alts[i])) && !json_object_is_type(v, json_type_null))
			return v;
		if ((v = jget(jget(host, "facts"), alts[i])) && !json_object_is_type(v, json_type_null))
			return v;
		if ((v = jget(jget(host, "labels"), alts[i])) && !json_object_is_type(v, json_type_null))
			return v;
		if ((v = jget(jget(root, "facts"), alts[i])) && !json_object_is_type(v, json_type_null))
			return v;
	}
	return NULL;
}

/* A fact may be stored as a bare value or as {"value": v, "unit": ...}. */
static json_object *fact_value(json_object *v)
{
	json_object *inner = jget(v, "value");
	return inner ? inner : v;
}

static char *ram_class(json_object *root)
{
	double b;
	if (!jnum(fact_value(host_lookup(root, "ram_bytes")), &b)) {
		double kb;
		/* recommend reports carry host.mem_total_kb, snapshots the fact */
		if (!jnum(fact_value(host_lookup(root, "mem_total_kb")), &kb) &&
		    !jnum(fact_value(host_lookup(root, "meminfo.MemTotal")), &kb))
			return xstrdup("ram-unknown");
		b = kb * 1024;
	}
	if (!(b > 0) || !isfinite(b))
		return xstrdup("ram-unknown");
	/* nearest power of two in log scale: 15.6 GiB and 17 GiB are both 16 GiB */
	int e = (int)lround(log2(b));
	if (e > 30 + 62)
		return xstrdup("ram-unknown"); /* beyond 2^62 GiB: not a machine, and 1LL << e overflows */
	if (e >= 30)
		return xasprintf("%lldGiB", 1LL << (e - 30));
	if (e >= 20)
		return xasprintf("%lldMiB", 1LL << (e - 20));
	return xasprintf("%lldKiB", 1LL << (e > 10 ? e - 10 : 0));
}

static int state_index(const char *s)
{
	for (int i = 0; s && i < NSTATE; i++)
		if (!strcmp(s, state_names[i]))
			return i;
	return -1;
}

static int status_index(const char *s)
{
	for (int i = 0; s && i < NSTATUS; i++)
		if (!strcmp(s, status_names[i]))
			return i;
	return -1;
}

static void rec_push(struct rec *r, char *key, char *value, int state)
{
	r->kv = xreallocarray(r->kv, r->nkv + 1, sizeof(*r->kv));
	r->kv[r->nkv].key = key;
	r->kv[r->nkv].value = value ? value : xstrdup("(absent)");
	r->kv[r->nkv].state = state;
	r->nkv++;
}

/* The reason a report is skipped: pre, arg and post joined. */
static void fail(struct rec *r, const char *pre, const char *arg, const char *post)
{
	r->ok = false;
	r->err = xasprintf("%s%s%s", pre, arg, post);
}

static void parse_rec(json_tokener *tok, const char *buf, size_t len, const char *origin,
		      const char *group_by, struct rec *r)
{
	memset(r, 0, sizeof(*r));
	json_tokener_reset(tok);
	json_object *root = json_tokener_parse_ex(tok, buf, (int)len);
	enum json_tokener_error je = json_tokener_get_error(tok);
	if (!root || je != json_tokener_success) {
		fail(r, "not JSON: ", je == json_tokener_continue ? "truncated document"
								   : json_tokener_error_desc(je), "");
		json_object_put(root);
		return;
	}
	/* trailing garbage after the document */
	size_t off = json_tokener_get_parse_end(tok);
	while (off < len && (buf[off] == ' ' || buf[off] == '\n' || buf[off] == '\t' || buf[off] == '\r'))
		off++;
	if (off < len) {
		fail(r, "not JSON: ", "trailing data after the document", "");
		goto out;
	}
	const char *schema = json_object_get_string(jget(root, "schema"));
	if (!schema || !json_object_is_type(root, json_type_object)) {
		fail(r, "foreign document: ", "no \"schema\" member", "");
		goto out;
	}
	if (!strcmp(schema, "reclaim-advisor/audit"))
		r->kind = KIND_AUDIT;
	else if (!strcmp(schema, "reclaim-advisor/report"))
		r->kind = KIND_REPORT;
	else {
		fail(r, "foreign document: schema \"", schema, "\"");
		goto out;
	}
	json_object *host = jget(root, "host");
	if (!host || !json_object_is_type(host, json_type_object)) {
		fail(r, "malformed ", schema, ": no \"host\" object");
		goto out;
	}
	/* audit and recommend reports carry host.id, derived the same way
	 * (hostid.h), so the reports of one host match by it; a report
	 * without one (recommend before host.id) is named from its origin as
	 * hostid.h would, which matches when the host has no machine-id. */
	char *id = jtext(jget(host, "id"));
	if (!id) {
		char *o = jtext(jget(host, "origin"));
		id = host_id_from_origin(o ? o : origin);
		free(o);
	}
	r->id = id;
	if (group_by) {
		r->group = jtext(fact_value(host_lookup(root, group_by)));
		if (!r->group)
			r->group = xstrdup("(none)");
	} else {
		r->group = ram_class(root);
	}
	size_t nf[3] = {0};
	json_object *fs = jget(root, "findings");
	if (fs && json_object_is_type(fs, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(fs); i++) {
			json_object *f = json_object_array_get_idx(fs, i);
			const char *sev = json_object_get_string(jget(f, "severity"));
			const char *rule = json_object_get_string(jget(f, "rule"));
			if (sev && !strcmp(sev, "critical"))
				nf[2]++;
			else if (sev && !strcmp(sev, "warning"))
				nf[1]++;
			/* recommend reports carry no rates: the shipped rule ids say it */
			if (rule && strstr(rule, "oom"))
				r->oom = true;
			if (rule && (strstr(rule, "direct-reclaim") || strstr(rule, "allocstall")))
				r->direct = true;
		}
	}
	double d;
	if (r->kind == KIND_AUDIT) {
		json_object *keys = jget(root, "keys");
		int st = status_index(json_object_get_string(jget(root, "status")));
		if (!keys || !json_object_is_type(keys, json_type_array) || st < 0) {
			fail(r, "malformed ", schema, ": missing \"keys\" array or \"status\"");
			goto out;
		}
		r->status = st;
		for (size_t i = 0; i < json_object_array_length(keys); i++) {
			json_object *k = json_object_array_get_idx(keys, i);
			char *name = jtext(jget(k, "sysctl"));
			int s = state_index(json_object_get_string(jget(k, "state")));
			if (!name || s < 0) {
				free(name);
				fail(r, "malformed ", schema, ": a key without \"sysctl\" or a known \"state\"");
				goto out;
			}
			rec_push(r, name, jtext(jget(k, "live")), s);
		}
		json_object *rc = jget(root, "reclaim");
		if (jnum(jget(rc, "allocstall_per_second"), &d) && d > 0) {
			r->direct = true;
			r->allocstall = d;
		}
		if (jnum(jget(rc, "oom_kills"), &d) && d > 0) {
			r->oom = true;
			r->oom_kills = count_of(d);
		}
	} else {
		json_object *recs = jget(root, "recommendations");
		if (!recs || !json_object_is_type(recs, json_type_array)) {
			fail(r, "malformed ", schema, ": no \"recommendations\" array");
			goto out;
		}
		bool changed = false;
		for (size_t i = 0; i < json_object_array_length(recs); i++) {
			json_object *k = json_object_array_get_idx(recs, i);
			char *name = jtext(jget(k, "sysctl"));
			if (!name) {
				fail(r, "malformed ", schema, ": a recommendation without \"sysctl\"");
				goto out;
			}
			json_object *ch = jget(k, "changed");
			bool c = ch && json_object_get_boolean(ch);
			changed |= c;
			rec_push(r, name, jtext(jget(k, "current")), c ? 1 : 0);
		}
		r->status = nf[2] ? 2 : (changed || nf[1]) ? 1 : 0;
		if (jnum(fact_value(host_lookup(root, "rate.allocstall")), &d) && d > 0) {
			r->direct = true;
			r->allocstall = d;
		}
		if (jnum(fact_value(host_lookup(root, "reclaim.oom_kills")), &d) && d > 0) {
			r->oom = true;
			r->oom_kills = count_of(d);
		}
	}
	r->ok = true;
out:
	json_object_put(root);
}

static void merge(struct fleet *f, const struct rec *r, const char *file)
{
	if (f->nh == f->caph) {
		f->caph = f->caph ? f->caph * 2 : 256;
		f->h = xreallocarray(f->h, f->caph, sizeof(*f->h));
	}
	/* One record per host: an audit supersedes a recommend report of the
	 * same host (it knows the boot state too), otherwise the later input
	 * wins; the host keeps its first position. */
	uint32_t id = intern(&f->ids, r->id);
	if (id >= f->nhost_of_id) {
		size_t n = f->nhost_of_id ? f->nhost_of_id : 256;
		while (n <= id)
			n *= 2;
		f->host_of_id = xreallocarray(f->host_of_id, n, sizeof(*f->host_of_id));
		memset(f->host_of_id + f->nhost_of_id, 0, (n - f->nhost_of_id) * sizeof(*f->host_of_id));
		f->nhost_of_id = n;
	}
	struct hrec *h;
	if (f->host_of_id[id]) {
		h = &f->h[f->host_of_id[id] - 1];
		f->nsuperseded++;
		if (h->kind == KIND_AUDIT && r->kind == KIND_REPORT)
			return;
	} else {
		h = &f->h[f->nh++];
		f->host_of_id[id] = (uint32_t)f->nh;
	}
	memset(h, 0, sizeof(*h));
	h->id = id;
	h->file = intern(&f->files, file);
	h->group = intern(&f->groups, r->group);
	h->status = (uint8_t)r->status;
	h->kind = (uint8_t)r->kind;
	h->direct = r->direct;
	h->oom = r->oom;
	h->allocstall = r->allocstall;
	h->oom_kills = r->oom_kills;
	h->kv_off = f->nkv;
	h->nkv = r->nkv;
	if (f->nkv + r->nkv > f->capkv) {
		while (f->nkv + r->nkv > f->capkv)
			f->capkv = f->capkv ? f->capkv * 2 : 1024;
		f->kv = xreallocarray(f->kv, f->capkv, sizeof(*f->kv));
	}
	for (size_t i = 0; i < r->nkv; i++) {
		struct hkv *k = &f->kv[f->nkv++];
		k->key = intern(&f->keys, r->kv[i].key);
		k->value = intern(&f->values, r->kv[i].value);
		k->state = (uint8_t)r->kv[i].state;
	}
}

static void skip(struct fleet *f, const char *file, const char *why, struct diag_list *d)
{
	diag_add(d, DIAG_WARNING, file, 0, 0, "skipped: %s", why);
	f->skips = xreallocarray(f->skips, f->nskips + 1, sizeof(*f->skips));
	f->skips[f->nskips].file = xstrdup(file);
	f->skips[f->nskips].why = xstrdup(why);
	f->nskips++;
}

struct fleet *fleet_new(const struct fleet_opts *o)
{
	struct fleet *f = xcalloc(1, sizeof(*f));
	f->group_by = o && o->group_by ? xstrdup(o->group_by) : NULL;
	f->threads = o ? o->threads : 0;
	f->top = o && o->top ? o->top : 10;
	if (!f->threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		f->threads = n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
	}
	return f;
}

void fleet_free(struct fleet *f)
{
	if (!f)
		return;
	free(f->group_by);
	strtab_free(&f->ids);
	strtab_free(&f->files);
	strtab_free(&f->groups);
	strtab_free(&f->keys);
	strtab_free(&f->values);
	free(f->h);
	free(f->kv);
	free(f->host_of_id);
	for (size_t i = 0; i < f->nskips; i++) {
		free(f->skips[i].file);
		free(f->skips[i].why);
	}
	free(f->skips);
	free(f);
}

int fleet_add_report(struct fleet *f, const char *buf, size_t len, const char *origin,
		     struct diag_list *d)
{
	json_tokener *tok = json_tokener_new();
	struct rec r;
	parse_rec(tok, buf, len, origin, f->group_by, &r);
	json_tokener_free(tok);
	int rc = 0;
	if (r.ok) {
		merge(f, &r, origin);
	} else {
		skip(f, origin, r.err, d);
		rc = -EINVAL;
	}
	rec_free(&r);
	return rc;
}

struct batch {
	char *const *paths;
	struct rec *recs;
	size_t n;
	atomic_size_t next;
	const char *group_by;
};

static void *worker(void *arg)
{
	struct batch *b = arg;
	json_tokener *tok = json_tokener_new();
	for (;;) {
		size_t i = atomic_fetch_add(&b->next, 1);
		if (i >= b->n)
			break;
		char *buf = NULL;
		size_t len = 0;
		int rc = file_read(b->paths[i], FLEET_REPORT_CAP, &buf, &len);
		if (rc) {
			memset(&b->recs[i], 0, sizeof(b->recs[i]));
			b->recs[i].err = xasprintf("cannot read: %s", rc == -EILSEQ ? "binary content"
									  : fileio_strerror(rc));
			continue;
		}
		parse_rec(tok, buf, len, b->paths[i], b->group_by, &b->recs[i]);
		free(buf);
	}
	json_tokener_free(tok);
	return NULL;
}

size_t fleet_add_files(struct fleet *f, char *const *paths, size_t n, struct diag_list *d)
{
	size_t added = 0;
	struct rec *recs = xcalloc(FLEET_BATCH, sizeof(*recs));
	unsigned nt = f->threads;
	pthread_t *tids = xcalloc(nt, sizeof(*tids));
	for (size_t base = 0; base < n; base += FLEET_BATCH) {
		struct batch b = {.paths = paths + base, .recs = recs,
				  .n = n - base < FLEET_BATCH ? n - base : FLEET_BATCH,
				  .group_by = f->group_by};
		atomic_init(&b.next, 0);
		unsigned started = 0;
		for (unsigned t = 1; t < nt && b.n > 16; t++)
			if (pthread_create(&tids[t], NULL, worker, &b) == 0)
				started = t;
		worker(&b);
		for (unsigned t = 1; t <= started; t++)
			pthread_join(tids[t], NULL);
		for (size_t i = 0; i < b.n; i++) {
			if (recs[i].ok) {
				merge(f, &recs[i], b.paths[i]);
				added++;
			} else {
				skip(f, b.paths[i], recs[i].err ? recs[i].err : "unreadable", d);
			}
			rec_free(&recs[i]);
		}
	}
	free(tids);
	free(recs);
	return added;
}

size_t fleet_nhosts(const struct fleet *f)
{
	return f ? f->nh : 0;
}

size_t fleet_nskipped(const struct fleet *f)
{
	return f ? f->nskips : 0;
}

/* -------------------------------------------------------------- analysis */

struct keystat {
	uint32_t key;
	size_t hosts, bad, state[NSTATE];
};

struct valcount {
	uint32_t value;
	size_t n;
};

struct outlier_key {
	uint32_t key, mode;
	size_t mode_n, total;
	size_t *hosts; /* host indices of outliers */
	size_t nout;
};

struct group_out {
	uint32_t group;
	size_t nhosts;
	struct outlier_key *keys;
	size_t nkeys;
};

struct analysis {
	size_t status[NSTATUS];
	struct keystat *ks; /* by key id, then sorted for output */
	size_t nks;
	struct valcount **hist; /* per key id, sorted by count desc */
	size_t *nhist;
	struct group_out *g;
	size_t ng;
};

/* qsort_r comparators: ctx is the fleet (interned names). */
static int ks_cmp(const void *a, const void *b, void *ctx)
{
	const struct fleet *sort_ctx = ctx;
	const struct keystat *x = a, *y = b;
	if (x->bad != y->bad)
		return x->bad > y->bad ? -1 : 1;
	return strcmp(sort_ctx->keys.s[x->key], sort_ctx->keys.s[y->key]);
}

static int vc_cmp(const void *a, const void *b, void *ctx)
{
	const struct fleet *sort_ctx = ctx;
	const struct valcount *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(sort_ctx->values.s[x->value], sort_ctx->values.s[y->value]);
}

static int key_name_cmp(const void *a, const void *b, void *ctx)
{
	const struct fleet *sort_ctx = ctx;
	return strcmp(sort_ctx->keys.s[*(const uint32_t *)a], sort_ctx->keys.s[*(const uint32_t *)b]);
}

/* "16GiB" -> bytes, or -1 when s is not a RAM class. */
static double ram_class_bytes(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s)
		return -1;
	if (!strcmp(end, "KiB"))
		return v * 1024;
	if (!strcmp(end, "MiB"))
		return v * 1024 * 1024;
	if (!strcmp(end, "GiB"))
		return v * 1024 * 1024 * 1024;
	return -1;
}

/* RAM classes by size (32MiB before 1GiB), other names with strcmp. */
static int group_name_cmp(const void *a, const void *b, void *ctx)
{
	const struct fleet *sort_ctx = ctx;
	const struct group_out *x = a, *y = b;
	const char *gx = sort_ctx->groups.s[x->group], *gy = sort_ctx->groups.s[y->group];
	double bx = ram_class_bytes(gx), by = ram_class_bytes(gy);
	if (bx >= 0 && by >= 0 && bx != by)
		return bx < by ? -1 : 1;
	return strcmp(gx, gy);
}

/* Per-key state counts and value histograms over all hosts, then, group by
 * group, the most common value of each key and the hosts that differ. */
static void analyse(const struct fleet *f, struct analysis *an)
{
	memset(an, 0, sizeof(*an));
	void *ctx = (void *)f;
	size_t nk = f->keys.n, nv = f->values.n;
	an->ks = xcalloc(nk ? nk : 1, sizeof(*an->ks));
	an->nks = nk;
	for (size_t k = 0; k < nk; k++)
		an->ks[k].key = (uint32_t)k;
	size_t *cnt = xcalloc((nk ? nk : 1) * (nv ? nv : 1), sizeof(*cnt));
	for (size_t i = 0; i < f->nh; i++) {
		const struct hrec *h = &f->h[i];
		an->status[h->status < NSTATUS ? h->status : 3]++;
		for (size_t j = 0; j < h->nkv; j++) {
			const struct hkv *kv = &f->kv[h->kv_off + j];
			struct keystat *s = &an->ks[kv->key];
			s->hosts++;
			s->state[kv->state]++;
			if (kv->state != 0 && kv->state != 4)
				s->bad++;
			cnt[(size_t)kv->key * nv + kv->value]++;
		}
	}
	an->hist = xcalloc(nk ? nk : 1, sizeof(*an->hist));
	an->nhist = xcalloc(nk ? nk : 1, sizeof(*an->nhist));
	for (size_t k = 0; k < nk; k++) {
		for (size_t v = 0; v < nv; v++) {
			size_t c = cnt[k * nv + v];
			if (!c)
				continue;
			an->hist[k] = xreallocarray(an->hist[k], an->nhist[k] + 1, sizeof(**an->hist));
			an->hist[k][an->nhist[k]].value = (uint32_t)v;
			an->hist[k][an->nhist[k]].n = c;
			an->nhist[k]++;
		}
		if (an->nhist[k])
			qsort_r(an->hist[k], an->nhist[k], sizeof(**an->hist), vc_cmp, ctx);
	}
	free(cnt);

	/* groups: hosts bucketed by group id */
	size_t ngr = f->groups.n;
	size_t *gstart = xcalloc(ngr + 1, sizeof(*gstart));
	for (size_t i = 0; i < f->nh; i++)
		gstart[f->h[i].group + 1]++;
	for (size_t g = 0; g < ngr; g++)
		gstart[g + 1] += gstart[g];
	size_t *order = xcalloc(f->nh ? f->nh : 1, sizeof(*order));
	size_t *fillp = xcalloc(ngr ? ngr : 1, sizeof(*fillp));
	for (size_t i = 0; i < f->nh; i++) {
		uint32_t g = f->h[i].group;
		order[gstart[g] + fillp[g]++] = i;
	}
	free(fillp);
	size_t *vcnt = xcalloc(nv ? nv : 1, sizeof(*vcnt));
	uint32_t *keys_sorted = xcalloc(nk ? nk : 1, sizeof(*keys_sorted));
	for (size_t k = 0; k < nk; k++)
		keys_sorted[k] = (uint32_t)k;
	qsort_r(keys_sorted, nk, sizeof(*keys_sorted), key_name_cmp, ctx);
	an->g = xcalloc(ngr ? ngr : 1, sizeof(*an->g));
	for (size_t g = 0; g < ngr; g++) {
		struct group_out *go = &an->g[an->ng++];
		go->group = (uint32_t)g;
		go->nhosts = gstart[g + 1] - gstart[g];
		if (go->nhosts < 3)
			continue;
		for (size_t ki = 0; ki < nk; ki++) {
			uint32_t k = keys_sorted[ki];
			size_t total = 0;
			for (size_t o = gstart[g]; o < gstart[g + 1]; o++) {
				const struct hrec *h = &f->h[order[o]];
				for (size_t j = 0; j < h->nkv; j++)
					if (f->kv[h->kv_off + j].key == k) {
						vcnt[f->kv[h->kv_off + j].value]++;
						total++;
					}
			}
			if (!total)
				continue;
			uint32_t mode = 0;
			size_t best = 0;
			for (size_t o = gstart[g]; o < gstart[g + 1]; o++) {
				const struct hrec *h = &f->h[order[o]];
				for (size_t j = 0; j < h->nkv; j++) {
					const struct hkv *kv = &f->kv[h->kv_off + j];
					if (kv->key != k)
						continue;
					size_t c = vcnt[kv->value];
					if (c > best || (c == best && strcmp(f->values.s[kv->value], f->values.s[mode]) < 0)) {
						best = c;
						mode = kv->value;
					}
				}
			}
			struct outlier_key ok = {.key = k, .mode = mode, .mode_n = best, .total = total};
			for (size_t o = gstart[g]; o < gstart[g + 1]; o++) {
				const struct hrec *h = &f->h[order[o]];
				for (size_t j = 0; j < h->nkv; j++) {
					const struct hkv *kv = &f->kv[h->kv_off + j];
					if (kv->key != k)
						continue;
					vcnt[kv->value] = 0;
					if (kv->value != mode) {
						ok.hosts = xreallocarray(ok.hosts, ok.nout + 1, sizeof(*ok.hosts));
						ok.hosts[ok.nout++] = order[o];
					}
				}
			}
			if (!ok.nout)
				continue;
			go->keys = xreallocarray(go->keys, go->nkeys + 1, sizeof(*go->keys));
			go->keys[go->nkeys++] = ok;
		}
	}
	qsort_r(an->g, an->ng, sizeof(*an->g), group_name_cmp, ctx);
	free(keys_sorted);
	free(vcnt);
	free(order);
	free(gstart);
	qsort_r(an->ks, an->nks, sizeof(*an->ks), ks_cmp, ctx);
}

static void analysis_free(struct analysis *an)
{
	free(an->ks);
	for (size_t k = 0; an->hist && k < an->nks; k++)
		free(an->hist[k]);
	free(an->hist);
	free(an->nhist);
	for (size_t g = 0; g < an->ng; g++) {
		for (size_t k = 0; k < an->g[g].nkeys; k++)
			free(an->g[g].keys[k].hosts);
		free(an->g[g].keys);
	}
	free(an->g);
}

/* ------------------------------------------------------------------ text */

static const char *hid(const struct fleet *f, size_t i)
{
	return f->ids.s[f->h[i].id];
}

void fleet_render_text(const struct fleet *f, struct buf *out)
{
	struct analysis an;
	analyse(f, &an);
	size_t top = f->top;
	buf_printf(out, "fleet: %zu hosts from %zu reports, %zu skipped; groups by %s\n", f->nh,
		   f->nh + f->nsuperseded, f->nskips, f->group_by ? f->group_by : "RAM class");
	if (f->nsuperseded)
		buf_printf(out, "(%zu reports of a host already read: its audit, else its later report, counts)\n",
			   f->nsuperseded);

	buf_puts(out, "\nhosts by state:\n");
	/* critical first: the list an operator reads top-down */
	static const int order[NSTATUS] = {2, 3, 1, 0};
	for (int oi = 0; oi < NSTATUS; oi++) {
		int s = order[oi];
		buf_printf(out, "  %-9s %6zu", status_names[s], an.status[s]);
		if (s != 0 && an.status[s]) {
			size_t shown = 0;
			buf_puts(out, "  ");
			for (size_t i = 0; i < f->nh && shown < top; i++)
				if (f->h[i].status == s)
					buf_printf(out, "%s%s", shown++ ? ", " : "", hid(f, i));
			if (an.status[s] > shown)
				buf_printf(out, " (+%zu more)", an.status[s] - shown);
		}
		buf_putc(out, '\n');
	}

	buf_puts(out, "\nkeys that drift most (hosts not compliant / hosts reporting the key):\n");
	size_t shown = 0;
	for (size_t i = 0; i < an.nks && shown < top; i++) {
		const struct keystat *s = &an.ks[i];
		if (!s->bad)
			continue;
		shown++;
		buf_printf(out, "  %-32s %6zu / %-6zu", f->keys.s[s->key], s->bad, s->hosts);
		const char *sep = " (";
		for (int st = 1; st < NSTATE; st++) {
			if (st == 4 || !s->state[st])
				continue;
			buf_printf(out, "%s%s %zu", sep, state_names[st], s->state[st]);
			sep = ", ";
		}
		buf_puts(out, *sep == ',' ? ")\n" : "\n");
	}
	if (!shown)
		buf_puts(out, "  none\n");

	buf_puts(out, "\nhosts with direct reclaim or OOM kills:\n");
	shown = 0;
	size_t nrec = 0;
	for (size_t i = 0; i < f->nh; i++) {
		const struct hrec *h = &f->h[i];
		if (!h->direct && !h->oom)
			continue;
		nrec++;
		if (shown >= top)
			continue;
		shown++;
		buf_printf(out, "  %-32s", hid(f, i));
		if (h->direct && h->allocstall > 0)
			buf_printf(out, " direct reclaim %.3g/s", h->allocstall);
		else if (h->direct)
			buf_puts(out, " direct reclaim (finding)");
		if (h->oom && h->oom_kills > 0)
			buf_printf(out, "%s OOM kills %" PRId64, h->direct ? "," : "", h->oom_kills);
		else if (h->oom)
			buf_printf(out, "%s OOM kills (finding)", h->direct ? "," : "");
		buf_putc(out, '\n');
	}
	if (nrec > shown)
		buf_printf(out, "  (+%zu more)\n", nrec - shown);
	if (!nrec)
		buf_puts(out, "  none\n");

	buf_printf(out, "\noutliers within a group (%s; groups of 3+ hosts):\n",
		   f->group_by ? f->group_by : "RAM class");
	size_t nout = 0;
	for (size_t g = 0; g < an.ng; g++) {
		const struct group_out *go = &an.g[g];
		for (size_t k = 0; k < go->nkeys; k++) {
			const struct outlier_key *ok = &go->keys[k];
			nout++;
			buf_printf(out, "  %s (%zu hosts): %s is %s on %zu of %zu; differs on %zu: ",
				   f->groups.s[go->group], go->nhosts, f->keys.s[ok->key], f->values.s[ok->mode],
				   ok->mode_n, ok->total, ok->nout);
			for (size_t j = 0; j < ok->nout && j < top; j++) {
				const struct hrec *h = &f->h[ok->hosts[j]];
				const char *val = "?";
				for (size_t x = 0; x < h->nkv; x++)
					if (f->kv[h->kv_off + x].key == ok->key)
						val = f->values.s[f->kv[h->kv_off + x].value];
				buf_printf(out, "%s%s=%s", j ? ", " : "", f->ids.s[h->id], val);
			}
			if (ok->nout > top)
				buf_printf(out, " (+%zu more)", ok->nout - top);
			buf_putc(out, '\n');
		}
	}
	if (!nout)
		buf_puts(out, "  none\n");

	buf_puts(out, "\nvalues per key (hosts):\n");
	uint32_t *ks = xcalloc(f->keys.n ? f->keys.n : 1, sizeof(*ks));
	for (size_t k = 0; k < f->keys.n; k++)
		ks[k] = (uint32_t)k;
	qsort_r(ks, f->keys.n, sizeof(*ks), key_name_cmp, (void *)f);
	for (size_t ki = 0; ki < f->keys.n; ki++) {
		uint32_t k = ks[ki];
		buf_printf(out, "  %s:", f->keys.s[k]);
		for (size_t j = 0; j < an.nhist[k] && j < top; j++)
			buf_printf(out, " %s x%zu", f->values.s[an.hist[k][j].value], an.hist[k][j].n);
		if (an.nhist[k] > top)
			buf_printf(out, " (+%zu more values)", an.nhist[k] - top);
		buf_putc(out, '\n');
	}
	free(ks);

	if (f->nskips) {
		buf_printf(out, "\nskipped reports (%zu):\n", f->nskips);
		for (size_t i = 0; i < f->nskips && i < top; i++)
			buf_printf(out, "  %s: %s\n", f->skips[i].file, f->skips[i].why);
		if (f->nskips > top)
			buf_printf(out, "  (+%zu more)\n", f->nskips - top);
	}
	analysis_free(&an);
}

/* ------------------------------------------------------------------ JSON */

void fleet_render_json(const struct fleet *f, struct buf *out)
{
	struct analysis an;
	analyse(f, &an);
	json_object *root = json_object_new_object();
	json_object_object_add(root, "schema", json_object_new_string(FLEET_SCHEMA_ID));
	json_object_object_add(root, "version", json_object_new_int(1));
	json_object_object_add(root, "hosts", json_object_new_int64((int64_t)f->nh));
	json_object_object_add(root, "reports", json_object_new_int64((int64_t)(f->nh + f->nsuperseded)));
	json_object_object_add(root, "superseded", json_object_new_int64((int64_t)f->nsuperseded));
	json_object_object_add(root, "group_by", json_object_new_string(f->group_by ? f->group_by : "ram-class"));

	json_object *bs = json_object_new_object();
	for (int s = 0; s < NSTATUS; s++) {
		json_object *arr = json_object_new_array();
		for (size_t i = 0; i < f->nh; i++)
			if (f->h[i].status == s)
				json_object_array_add(arr, json_object_new_string(hid(f, i)));
		json_object_object_add(bs, status_names[s], arr);
	}
	json_object_object_add(root, "hosts_by_state", bs);

	json_object *dr = json_object_new_array();
	for (size_t i = 0; i < an.nks; i++) {
		const struct keystat *s = &an.ks[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "sysctl", json_object_new_string(f->keys.s[s->key]));
		json_object_object_add(o, "hosts", json_object_new_int64((int64_t)s->hosts));
		json_object_object_add(o, "not_compliant", json_object_new_int64((int64_t)s->bad));
		json_object *st = json_object_new_object();
		for (int x = 0; x < NSTATE; x++)
			json_object_object_add(st, state_names[x], json_object_new_int64((int64_t)s->state[x]));
		json_object_object_add(o, "states", st);
		json_object_array_add(dr, o);
	}
	json_object_object_add(root, "drift", dr);

	json_object *rc = json_object_new_array();
	for (size_t i = 0; i < f->nh; i++) {
		const struct hrec *h = &f->h[i];
		if (!h->direct && !h->oom)
			continue;
		json_object *o = json_object_new_object();
		json_object_object_add(o, "host", json_object_new_string(hid(f, i)));
		json_object_object_add(o, "file", json_object_new_string(f->files.s[h->file]));
		char tmp[32];
		snprintf(tmp, sizeof(tmp), "%.6g", h->allocstall);
		json_object_object_add(o, "direct_reclaim_per_second",
				       h->direct && h->allocstall > 0 ? json_object_new_double_s(h->allocstall, tmp)
								       : NULL);
		json_object_object_add(o, "direct_reclaim", json_object_new_boolean(h->direct));
		json_object_object_add(o, "oom_kills", h->oom && h->oom_kills > 0 ? json_object_new_int64(h->oom_kills) : NULL);
		json_object_object_add(o, "oom", json_object_new_boolean(h->oom));
		json_object_array_add(rc, o);
	}
	json_object_object_add(root, "reclaim", rc);

	json_object *gs = json_object_new_array();
	for (size_t g = 0; g < an.ng; g++) {
		const struct group_out *go = &an.g[g];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "group", json_object_new_string(f->groups.s[go->group]));
		json_object_object_add(o, "hosts", json_object_new_int64((int64_t)go->nhosts));
		json_object *ka = json_object_new_array();
		for (size_t k = 0; k < go->nkeys; k++) {
			const struct outlier_key *ok = &go->keys[k];
			json_object *ko = json_object_new_object();
			json_object_object_add(ko, "sysctl", json_object_new_string(f->keys.s[ok->key]));
			json_object_object_add(ko, "mode", json_object_new_string(f->values.s[ok->mode]));
			json_object_object_add(ko, "mode_hosts", json_object_new_int64((int64_t)ok->mode_n));
			json_object_object_add(ko, "hosts", json_object_new_int64((int64_t)ok->total));
			json_object *oa = json_object_new_array();
			for (size_t j = 0; j < ok->nout; j++) {
				const struct hrec *h = &f->h[ok->hosts[j]];
				json_object *ho = json_object_new_object();
				json_object_object_add(ho, "host", json_object_new_string(f->ids.s[h->id]));
				for (size_t x = 0; x < h->nkv; x++)
					if (f->kv[h->kv_off + x].key == ok->key) {
						json_object_object_add(ho, "value",
								       json_object_new_string(f->values.s[f->kv[h->kv_off + x].value]));
						break;
					}
				json_object_array_add(oa, ho);
			}
			json_object_object_add(ko, "outliers", oa);
			json_object_array_add(ka, ko);
		}
		json_object_object_add(o, "outliers", ka);
		json_object_array_add(gs, o);
	}
	json_object_object_add(root, "groups", gs);

	json_object *hs = json_object_new_array();
	uint32_t *ks = xcalloc(f->keys.n ? f->keys.n : 1, sizeof(*ks));
	for (size_t k = 0; k < f->keys.n; k++)
		ks[k] = (uint32_t)k;
	qsort_r(ks, f->keys.n, sizeof(*ks), key_name_cmp, (void *)f);
	for (size_t ki = 0; ki < f->keys.n; ki++) {
		uint32_t k = ks[ki];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "sysctl", json_object_new_string(f->keys.s[k]));
		json_object *va = json_object_new_array();
		for (size_t j = 0; j < an.nhist[k]; j++) {
			json_object *vo = json_object_new_object();
			json_object_object_add(vo, "value", json_object_new_string(f->values.s[an.hist[k][j].value]));
			json_object_object_add(vo, "hosts", json_object_new_int64((int64_t)an.hist[k][j].n));
			json_object_array_add(va, vo);
		}
		json_object_object_add(o, "values", va);
		json_object_array_add(hs, o);
	}
	free(ks);
	json_object_object_add(root, "histograms", hs);

	json_object *sk = json_object_new_array();
	for (size_t i = 0; i < f->nskips; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "file", json_object_new_string(f->skips[i].file));
		json_object_object_add(o, "reason", json_object_new_string(f->skips[i].why));
		json_object_array_add(sk, o);
	}
	json_object_object_add(root, "skipped", sk);

	buf_puts(out, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_putc(out, '\n');
	json_object_put(root);
	analysis_free(&an);
}
