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
#include "../base/fnv.h"
#include "../base/severity.h"
#include "../base/textsafe.h"
#include "../base/xalloc.h"
#include "../audit/audit.h"
#include "../collect/hostid.h"
#include "../model/sysctl_catalog.h"

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
#define NSTATUS STATUS_COUNT
#define NO_STR UINT32_MAX
#define ABSENT "(absent)" /* a key the report lists without a live value */

/* ------------------------------------------------------------ interning */

struct strtab {
	char **s;
	size_t n, cap;
	uint32_t *slot; /* index + 1, 0 = empty */
	size_t nslot;
};

static uint64_t fnv1a(const char *s)
{
	return fnv1a64(FNV1A64_INIT, s, strlen(s));
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

static uint32_t intern_safe(struct strtab *t, const char *s)
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

/* Reports come from other machines: every string kept (ids, keys,
 * values, groups) is made safe for the outputs first (textsafe.h). */
static uint32_t intern(struct strtab *t, const char *s)
{
	if (text_is_safe(s, strlen(s)))
		return intern_safe(t, s);
	char *safe = text_safe(s);
	uint32_t i = intern_safe(t, safe);
	free(safe);
	return i;
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
	char *id, *hostname, *group, *ramclass, *kernel; /* hostname: NULL unknown */
	int64_t ram_bytes; /* -1 unknown */
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
	free(r->hostname);
	free(r->group);
	free(r->ramclass);
	free(r->kernel);
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
	uint32_t id, file, group, ramclass;
	uint32_t hostname; /* in attrs; NO_STR when the report names none */
	uint32_t kernel; /* in attrs, like ramclass; NO_STR when unknown */
	int64_t ram_bytes;
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
	struct strtab attrs; /* RAM classes, kernels and names of the hosts */
	struct strtab hostkeys; /* "id\x1fhostname": one per host */
	struct hrec *h;
	size_t nh, caph;
	struct hkv *kv;
	size_t nkv, capkv;
	struct skip *skips;
	size_t nskips;
	uint32_t *host_of_key; /* by host key: host index + 1, 0 = none yet */
	size_t nhost_of_key;
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
	case json_type_string: return text_safe(json_object_get_string(v));
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

/* MemTotal in bytes, or false. */
static bool ram_bytes_of(json_object *root, double *out)
{
	double b;
	if (!jnum(fact_value(host_lookup(root, "ram_bytes")), &b)) {
		double kb;
		/* recommend reports carry host.mem_total_kb, snapshots the fact */
		if (!jnum(fact_value(host_lookup(root, "mem_total_kb")), &kb) &&
		    !jnum(fact_value(host_lookup(root, "meminfo.MemTotal")), &kb))
			return false;
		b = kb * 1024;
	}
	if (!(b > 0) || !isfinite(b))
		return false;
	*out = b;
	return true;
}

static char *ram_class(json_object *root)
{
	double b;
	if (!ram_bytes_of(root, &b))
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
	enum audit_state st;
	return audit_state_parse(s, &st) ? -1 : (int)st;
}

static int status_index(const char *s)
{
	enum status st;
	return status_parse(s, &st) ? -1 : (int)st;
}

static void rec_push(struct rec *r, char *key, char *value, int state)
{
	r->kv = xreallocarray(r->kv, r->nkv + 1, sizeof(*r->kv));
	r->kv[r->nkv].key = key;
	r->kv[r->nkv].value = value ? value : xstrdup(ABSENT);
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
		/* "null" parses (to NULL, with success): a document, not a report */
		fail(r, je == json_tokener_success ? "foreign document: " : "not JSON: ",
		     je == json_tokener_success	   ? "null, not an object"
		     : je == json_tokener_continue ? "truncated document"
						   : json_tokener_error_desc(je),
		     "");
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
	 * without one (recommend before host.id) is named as hostid.h would
	 * from its host name, else its origin path, else the report file. */
	r->hostname = jtext(jget(host, "hostname"));
	char *id = jtext(jget(host, "id"));
	if (!id) {
		char *o = jtext(jget(host, "origin"));
		id = host_id_derive(NULL, NULL, r->hostname, o ? o : origin);
		free(o);
	}
	r->id = id;
	r->ramclass = ram_class(root);
	double rb;
	r->ram_bytes = ram_bytes_of(root, &rb) && rb < 9.2e18 ? (int64_t)rb : -1;
	r->kernel = jtext(fact_value(host_lookup(root, "kernel")));
	if (!r->kernel)
		r->kernel = jtext(fact_value(host_lookup(root, "kernel.osrelease")));
	if (group_by) {
		r->group = jtext(fact_value(host_lookup(root, group_by)));
		if (!r->group)
			r->group = xstrdup("(none)");
	} else {
		r->group = xstrdup(r->ramclass);
	}
	size_t nf[SEV_COUNT] = {0};
	json_object *fs = jget(root, "findings");
	if (fs && json_object_is_type(fs, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(fs); i++) {
			json_object *f = json_object_array_get_idx(fs, i);
			enum severity sev;
			const char *rule = json_object_get_string(jget(f, "rule"));
			if (!severity_parse(json_object_get_string(jget(f, "severity")), &sev))
				nf[sev]++;
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
		r->status = nf[SEV_CRITICAL] ? STATUS_CRITICAL : (changed || nf[SEV_WARNING]) ? STATUS_WARNING : STATUS_OK;
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
	 * wins; the host keeps its first position.  A host is its id and its
	 * name: a cloned image shares the machine-id (hence the id) with its
	 * siblings, and merging them would hide all but one (hostid.h). */
	uint32_t id = intern(&f->ids, r->id);
	uint32_t hostname = r->hostname ? intern(&f->attrs, r->hostname) : NO_STR;
	char *keytext = xasprintf("%s\x1f%s", f->ids.s[id], hostname != NO_STR ? f->attrs.s[hostname] : "");
	uint32_t key = intern_safe(&f->hostkeys, keytext);
	free(keytext);
	if (key >= f->nhost_of_key) {
		size_t n = f->nhost_of_key ? f->nhost_of_key : 256;
		while (n <= key)
			n *= 2;
		f->host_of_key = xreallocarray(f->host_of_key, n, sizeof(*f->host_of_key));
		memset(f->host_of_key + f->nhost_of_key, 0, (n - f->nhost_of_key) * sizeof(*f->host_of_key));
		f->nhost_of_key = n;
	}
	struct hrec *h;
	if (f->host_of_key[key]) {
		h = &f->h[f->host_of_key[key] - 1];
		f->nsuperseded++;
		if (h->kind == KIND_AUDIT && r->kind == KIND_REPORT)
			return;
	} else {
		h = &f->h[f->nh++];
		f->host_of_key[key] = (uint32_t)f->nh;
	}
	memset(h, 0, sizeof(*h));
	h->id = id;
	h->hostname = hostname;
	h->file = intern(&f->files, file);
	h->group = intern(&f->groups, r->group);
	h->ramclass = intern(&f->attrs, r->ramclass);
	h->kernel = r->kernel ? intern(&f->attrs, r->kernel) : NO_STR;
	h->ram_bytes = r->ram_bytes;
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

void fleet_skip(struct fleet *f, const char *file, const char *why, struct diag_list *d)
{
	diag_add(d, DIAG_WARNING, file, 0, 0, "skipped: %s", why);
	f->skips = xreallocarray(f->skips, f->nskips + 1, sizeof(*f->skips));
	f->skips[f->nskips].file = text_safe(file);
	f->skips[f->nskips].why = text_safe(why);
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
	strtab_free(&f->attrs);
	strtab_free(&f->hostkeys);
	free(f->h);
	free(f->kv);
	free(f->host_of_key);
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
		fleet_skip(f, origin, r.err, d);
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
				fleet_skip(f, b.paths[i], recs[i].err ? recs[i].err : "unreadable", d);
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

/* Host names in natural order: digit runs compare as numbers, so host8
 * comes before host10 (and web-2 before web-10); ties by strcmp. */
static int natcmp(const char *a, const char *b)
{
	const char *x = a, *y = b;
	while (*x && *y) {
		if (*x >= '0' && *x <= '9' && *y >= '0' && *y <= '9') {
			while (*x == '0')
				x++;
			while (*y == '0')
				y++;
			size_t nx = 0, ny = 0;
			while (x[nx] >= '0' && x[nx] <= '9')
				nx++;
			while (y[ny] >= '0' && y[ny] <= '9')
				ny++;
			if (nx != ny)
				return nx < ny ? -1 : 1;
			int c = memcmp(x, y, nx);
			if (c)
				return c < 0 ? -1 : 1;
			x += nx;
			y += ny;
			continue;
		}
		if (*x != *y)
			return (unsigned char)*x < (unsigned char)*y ? -1 : 1;
		x++;
		y++;
	}
	if (*x || *y)
		return *x ? 1 : -1;
	return strcmp(a, b);
}

struct keystat {
	uint32_t key;
	size_t hosts, bad, state[AST_COUNT];
};

struct valcount {
	uint32_t value;
	size_t n;
};

/* One key in one group (or, for a key that scales with RAM, in one RAM
 * class of the group) where a majority agrees and some hosts do not. */
struct outlier_key {
	uint32_t key;
	uint32_t mode;     /* the majority value (exact keys) or the median (RAM keys) */
	size_t mode_n;     /* hosts that agree with it */
	size_t total;      /* hosts reporting the key with a comparable value */
	uint32_t ramclass; /* NO_STR, or the RAM class compared within (RAM keys) */
	bool ram;          /* compared within a factor RAM_TOLERANCE of the median */
	size_t nvalues;    /* distinct values (for a split) */
	size_t *hosts;     /* host indices of outliers, natural order */
	size_t nout;
};

struct group_out {
	uint32_t group;
	size_t nhosts;
	struct outlier_key *keys; /* keys with outliers against a majority */
	size_t nkeys;
	struct outlier_key *splits; /* keys without a majority value: no outliers */
	size_t nsplits;
};

/* Hosts that report one id under different names: clones of one image
 * (the machine-id copied with it), kept apart and named. */
struct shared_id {
	uint32_t id;
	size_t *hosts; /* natural order */
	size_t n;
};

struct analysis {
	size_t status[NSTATUS];
	char **label;  /* per host: its id, "id (hostname)" when the id is shared */
	size_t *order; /* host indices in natural order of their labels */
	uint32_t *keys_by_name;
	struct shared_id *shared;
	size_t nshared;
	struct keystat *ks; /* by key id, then sorted for output */
	size_t nks;
	struct valcount **hist; /* per key id, sorted by count desc */
	size_t *nhist;
	struct group_out *g;
	size_t ng;
};

/* A RAM-scaled value is "the same" within this factor of the group's
 * median: a fixed byte value differs by up to 2x across one RAM class
 * (rounded to a power of two), a RAM-proportional one by up to sqrt(2)
 * from the median, the kernel's sqrt-derived min_free_kbytes by less. */
#define RAM_TOLERANCE 1.5

/* The order of every ranked list: larger counts first, then by name. */
static int most_first(size_t x, size_t y, int by_name)
{
	return x != y ? (x > y ? -1 : 1) : by_name;
}

/* qsort_r comparators: ctx is the fleet (interned names). */
static int ks_cmp(const void *a, const void *b, void *ctx)
{
	const struct fleet *f = ctx;
	const struct keystat *x = a, *y = b;
	return most_first(x->bad, y->bad, strcmp(f->keys.s[x->key], f->keys.s[y->key]));
}

static int vc_cmp(const void *a, const void *b, void *ctx)
{
	const struct fleet *f = ctx;
	const struct valcount *x = a, *y = b;
	return most_first(x->n, y->n, natcmp(f->values.s[x->value], f->values.s[y->value]));
}

static int key_name_cmp(const void *a, const void *b, void *ctx)
{
	const struct fleet *sort_ctx = ctx;
	return strcmp(sort_ctx->keys.s[*(const uint32_t *)a], sort_ctx->keys.s[*(const uint32_t *)b]);
}

/* ctx: the hosts' labels */
static int host_nat_cmp(const void *a, const void *b, void *ctx)
{
	char *const *label = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = natcmp(label[x], label[y]);
	return c ? c : (x < y ? -1 : x > y);
}

/* Labels (an id shared by hosts of different names gets the name beside
 * it), the natural order of hosts, and the ids shared. */
static void name_hosts(const struct fleet *f, struct analysis *an)
{
	size_t *nid = xcalloc(f->ids.n ? f->ids.n : 1, sizeof(*nid));
	for (size_t i = 0; i < f->nh; i++)
		nid[f->h[i].id]++;
	an->label = xcalloc(f->nh ? f->nh : 1, sizeof(*an->label));
	an->order = xcalloc(f->nh ? f->nh : 1, sizeof(*an->order));
	for (size_t i = 0; i < f->nh; i++) {
		const struct hrec *h = &f->h[i];
		if (nid[h->id] > 1)
			an->label[i] = xasprintf("%s (%s)", f->ids.s[h->id],
						 h->hostname != NO_STR ? f->attrs.s[h->hostname] : "no hostname");
		else
			an->label[i] = xstrdup(f->ids.s[h->id]);
		an->order[i] = i;
	}
	qsort_r(an->order, f->nh, sizeof(*an->order), host_nat_cmp, an->label);
	/* the shared ids, in the order their first host comes */
	size_t *entry = xcalloc(f->ids.n ? f->ids.n : 1, sizeof(*entry)); /* index + 1 */
	for (size_t o = 0; o < f->nh; o++) {
		size_t i = an->order[o];
		uint32_t id = f->h[i].id;
		if (nid[id] < 2)
			continue;
		if (!entry[id]) {
			an->shared = xreallocarray(an->shared, an->nshared + 1, sizeof(*an->shared));
			an->shared[an->nshared] = (struct shared_id){.id = id, .hosts = xcalloc(nid[id], sizeof(size_t))};
			entry[id] = ++an->nshared;
		}
		struct shared_id *s = &an->shared[entry[id] - 1];
		s->hosts[s->n++] = i;
	}
	free(entry);
	free(nid);
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

/* RAM classes by size (32MiB before 1GiB), other names in natural order. */
static int group_name_cmp(const void *a, const void *b, void *ctx)
{
	const struct fleet *sort_ctx = ctx;
	const struct group_out *x = a, *y = b;
	const char *gx = sort_ctx->groups.s[x->group], *gy = sort_ctx->groups.s[y->group];
	double bx = ram_class_bytes(gx), by = ram_class_bytes(gy);
	if (bx >= 0 && by >= 0 && bx != by)
		return bx < by ? -1 : 1;
	return natcmp(gx, gy);
}

/* Keys whose sensible value scales with RAM: the sysctl catalog's byte
 * and kilobyte keys (min_free_kbytes, dirty_bytes, the reserves). */
static bool ram_scaled(const char *key)
{
	const struct sysctl_def *sc = sysctl_catalog_lookup(key);
	return sc && (sc->unit == UNIT_KB || sc->unit == UNIT_BYTES);
}

static bool number_of(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v))
		return false;
	*out = v;
	return true;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static bool within(double v, double median)
{
	if (median == 0)
		return v == 0;
	double r = v / median;
	return r <= RAM_TOLERANCE && r >= 1 / RAM_TOLERANCE;
}

/* The (host, value) pairs of one key in one group, natural host order. */
struct members {
	size_t *host;
	uint32_t *value;
	size_t n;
};

static void push_outlier(struct outlier_key **v, size_t *n, const struct outlier_key *ok)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = *ok;
}

/* Exact comparison: the most common value, when more than half of the
 * hosts have it, and the hosts that differ. */
static void compare_exact(const struct fleet *f, struct group_out *go, uint32_t k, const struct members *m,
			  size_t *vcnt)
{
	uint32_t mode = 0;
	size_t best = 0, distinct = 0;
	for (size_t i = 0; i < m->n; i++)
		if (vcnt[m->value[i]]++ == 0)
			distinct++;
	for (size_t i = 0; i < m->n; i++) {
		size_t c = vcnt[m->value[i]];
		if (c > best || (c == best && natcmp(f->values.s[m->value[i]], f->values.s[mode]) < 0)) {
			best = c;
			mode = m->value[i];
		}
	}
	for (size_t i = 0; i < m->n; i++)
		vcnt[m->value[i]] = 0;
	if (distinct < 2)
		return;
	struct outlier_key ok = {.key = k, .mode = mode, .mode_n = best, .total = m->n, .ramclass = NO_STR,
				 .nvalues = distinct};
	if (best * 2 <= m->n) {
		push_outlier(&go->splits, &go->nsplits, &ok);
		return;
	}
	for (size_t i = 0; i < m->n; i++)
		if (m->value[i] != mode) {
			ok.hosts = xreallocarray(ok.hosts, ok.nout + 1, sizeof(*ok.hosts));
			ok.hosts[ok.nout++] = m->host[i];
		}
	push_outlier(&go->keys, &go->nkeys, &ok);
}

/* A RAM-scaled key: hosts of one RAM class whose value is within
 * RAM_TOLERANCE of the class median agree; when they are a majority, the
 * others are outliers.  Values that are not numbers are left out. */
static void compare_ram(const struct fleet *f, struct group_out *go, uint32_t k, const struct members *m)
{
	size_t done_n = 0;
	bool *done = xcalloc(m->n ? m->n : 1, sizeof(*done));
	double *v = xcalloc(m->n ? m->n : 1, sizeof(*v));
	double *sorted = xcalloc(m->n ? m->n : 1, sizeof(*sorted));
	bool *num = xcalloc(m->n ? m->n : 1, sizeof(*num));
	for (size_t i = 0; i < m->n; i++)
		num[i] = number_of(f->values.s[m->value[i]], &v[i]);
	while (done_n < m->n) {
		/* the next RAM class present among the members */
		size_t first = 0;
		while (done[first])
			first++;
		uint32_t rc = f->h[m->host[first]].ramclass;
		size_t n = 0;
		for (size_t i = first; i < m->n; i++) {
			if (done[i] || f->h[m->host[i]].ramclass != rc)
				continue;
			done[i] = true;
			done_n++;
			if (num[i])
				sorted[n++] = v[i];
		}
		if (n < 3 || !strcmp(f->attrs.s[rc], "ram-unknown"))
			continue;
		qsort(sorted, n, sizeof(*sorted), dbl_cmp);
		double median = sorted[(n - 1) / 2]; /* a value some host has */
		struct outlier_key ok = {.key = k, .total = n, .ramclass = rc, .ram = true};
		size_t distinct = 1;
		for (size_t i = 1; i < n; i++)
			distinct += sorted[i] != sorted[i - 1];
		ok.nvalues = distinct;
		for (size_t i = 0; i < m->n; i++) {
			if (!num[i] || f->h[m->host[i]].ramclass != rc)
				continue;
			if (v[i] == median)
				ok.mode = m->value[i];
			if (within(v[i], median)) {
				ok.mode_n++;
			} else {
				ok.hosts = xreallocarray(ok.hosts, ok.nout + 1, sizeof(*ok.hosts));
				ok.hosts[ok.nout++] = m->host[i];
			}
		}
		if (ok.mode_n * 2 <= n) {
			free(ok.hosts);
			ok.hosts = NULL;
			ok.nout = 0;
			push_outlier(&go->splits, &go->nsplits, &ok);
		} else if (ok.nout) {
			push_outlier(&go->keys, &go->nkeys, &ok);
		}
	}
	free(done);
	free(v);
	free(sorted);
	free(num);
}

/* Counting sort: the indices 0..n-1 grouped by key[i] (< nb), in index
 * order within a group, into idx[0..n); returns start[0..nb] (caller
 * frees): group b is idx[start[b] .. start[b + 1]). */
static size_t *bucket_by(const uint32_t *key, size_t n, size_t nb, size_t *idx)
{
	size_t *start = xcalloc(nb + 1, sizeof(*start));
	for (size_t i = 0; i < n; i++)
		start[key[i] + 1]++;
	for (size_t b = 0; b < nb; b++)
		start[b + 1] += start[b];
	size_t *fill = xcalloc(nb ? nb : 1, sizeof(*fill));
	for (size_t i = 0; i < n; i++)
		idx[start[key[i]] + fill[key[i]]++] = i;
	free(fill);
	return start;
}

/* Per-key state counts and value histograms over all hosts, then, group by
 * group, each key's majority value and the hosts that differ. */
static void analyse(const struct fleet *f, struct analysis *an)
{
	memset(an, 0, sizeof(*an));
	void *ctx = (void *)f;
	size_t nk = f->keys.n, nv = f->values.n;
	name_hosts(f, an);
	an->ks = xcalloc(nk ? nk : 1, sizeof(*an->ks));
	an->nks = nk;
	for (size_t k = 0; k < nk; k++)
		an->ks[k].key = (uint32_t)k;
	/* value histograms: per key, a sorted run of (value, count) */
	struct valcount *pairs = xcalloc(f->nkv ? f->nkv : 1, sizeof(*pairs));
	uint32_t *pair_key = xcalloc(f->nkv ? f->nkv : 1, sizeof(*pair_key));
	size_t np = 0;
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
			pair_key[np] = kv->key;
			pairs[np].value = kv->value;
			pairs[np].n = 1;
			np++;
		}
	}
	an->hist = xcalloc(nk ? nk : 1, sizeof(*an->hist));
	an->nhist = xcalloc(nk ? nk : 1, sizeof(*an->nhist));
	size_t *vcnt = xcalloc(nv ? nv : 1, sizeof(*vcnt));
	{
		/* bucket the pairs by key, then count values with vcnt */
		size_t *pidx = xcalloc(np ? np : 1, sizeof(*pidx));
		size_t *kstart = bucket_by(pair_key, np, nk, pidx);
		uint32_t *byk = xcalloc(np ? np : 1, sizeof(*byk));
		for (size_t p = 0; p < np; p++)
			byk[p] = pairs[pidx[p]].value;
		free(pidx);
		for (size_t k = 0; k < nk; k++) {
			for (size_t p = kstart[k]; p < kstart[k + 1]; p++)
				if (vcnt[byk[p]]++ == 0)
					an->nhist[k]++;
			an->hist[k] = xcalloc(an->nhist[k] ? an->nhist[k] : 1, sizeof(**an->hist));
			size_t n = 0;
			for (size_t p = kstart[k]; p < kstart[k + 1]; p++)
				if (vcnt[byk[p]]) {
					an->hist[k][n].value = byk[p];
					an->hist[k][n++].n = vcnt[byk[p]];
					vcnt[byk[p]] = 0;
				}
			if (n)
				qsort_r(an->hist[k], n, sizeof(**an->hist), vc_cmp, ctx);
		}
		free(kstart);
		free(byk);
	}
	free(pairs);
	free(pair_key);

	/* groups: hosts bucketed by group id, natural order within */
	size_t ngr = f->groups.n;
	uint32_t *group_of = xcalloc(f->nh ? f->nh : 1, sizeof(*group_of));
	for (size_t oi = 0; oi < f->nh; oi++)
		group_of[oi] = f->h[an->order[oi]].group;
	size_t *order = xcalloc(f->nh ? f->nh : 1, sizeof(*order));
	size_t *gstart = bucket_by(group_of, f->nh, ngr, order);
	for (size_t o = 0; o < f->nh; o++)
		order[o] = an->order[order[o]];
	free(group_of);
	uint32_t *keys_sorted = an->keys_by_name = xcalloc(nk ? nk : 1, sizeof(*keys_sorted));
	for (size_t k = 0; k < nk; k++)
		keys_sorted[k] = (uint32_t)k;
	qsort_r(keys_sorted, nk, sizeof(*keys_sorted), key_name_cmp, ctx);
	bool *is_ram = xcalloc(nk ? nk : 1, sizeof(*is_ram));
	for (size_t k = 0; k < nk; k++)
		is_ram[k] = ram_scaled(f->keys.s[k]);
	struct members m = {.host = xcalloc(f->nh ? f->nh : 1, sizeof(size_t)),
			    .value = xcalloc(f->nh ? f->nh : 1, sizeof(uint32_t))};
	an->g = xcalloc(ngr ? ngr : 1, sizeof(*an->g));
	for (size_t g = 0; g < ngr; g++) {
		struct group_out *go = &an->g[an->ng++];
		go->group = (uint32_t)g;
		go->nhosts = gstart[g + 1] - gstart[g];
		if (go->nhosts < 3)
			continue;
		for (size_t ki = 0; ki < nk; ki++) {
			uint32_t k = keys_sorted[ki];
			m.n = 0;
			for (size_t o = gstart[g]; o < gstart[g + 1]; o++) {
				const struct hrec *h = &f->h[order[o]];
				for (size_t j = 0; j < h->nkv; j++)
					if (f->kv[h->kv_off + j].key == k) {
						/* no value is not a configuration to compare */
						if (!strcmp(f->values.s[f->kv[h->kv_off + j].value], ABSENT))
							break;
						m.host[m.n] = order[o];
						m.value[m.n++] = f->kv[h->kv_off + j].value;
						break;
					}
			}
			if (m.n < 3)
				continue;
			if (is_ram[k])
				compare_ram(f, go, k, &m);
			else
				compare_exact(f, go, k, &m, vcnt);
		}
	}
	free(m.host);
	free(m.value);
	free(is_ram);
	qsort_r(an->g, an->ng, sizeof(*an->g), group_name_cmp, ctx);
	free(vcnt);
	free(order);
	free(gstart);
	qsort_r(an->ks, an->nks, sizeof(*an->ks), ks_cmp, ctx);
}

static void analysis_free(const struct fleet *f, struct analysis *an)
{
	for (size_t i = 0; an->label && i < f->nh; i++)
		free(an->label[i]);
	free(an->label);
	for (size_t i = 0; i < an->nshared; i++)
		free(an->shared[i].hosts);
	free(an->shared);
	free(an->keys_by_name);
	free(an->order);
	free(an->ks);
	for (size_t k = 0; an->hist && k < an->nks; k++)
		free(an->hist[k]);
	free(an->hist);
	free(an->nhist);
	for (size_t g = 0; g < an->ng; g++) {
		for (size_t k = 0; k < an->g[g].nkeys; k++)
			free(an->g[g].keys[k].hosts);
		free(an->g[g].keys);
		free(an->g[g].splits);
	}
	free(an->g);
}

/* ------------------------------------------------------------------ text */

static const char *hid(const struct analysis *an, size_t i)
{
	return an->label[i];
}

static const char *host_value(const struct fleet *f, size_t host, uint32_t key)
{
	const struct hrec *h = &f->h[host];
	for (size_t x = 0; x < h->nkv; x++)
		if (f->kv[h->kv_off + x].key == key)
			return f->values.s[f->kv[h->kv_off + x].value];
	return "?";
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

	if (an.nshared) {
		buf_printf(out, "\nhosts sharing one id (%zu ids; cloned images copy etc/machine-id: give each clone "
				"its own, or --host-id; kept apart here by hostname):\n", an.nshared);
		for (size_t i = 0; i < an.nshared && i < top; i++) {
			const struct shared_id *sh = &an.shared[i];
			buf_printf(out, "  %s: %zu hosts:", f->ids.s[sh->id], sh->n);
			for (size_t j = 0; j < sh->n && j < top; j++) {
				uint32_t hn = f->h[sh->hosts[j]].hostname;
				buf_printf(out, "%s %s", j ? "," : "", hn != NO_STR ? f->attrs.s[hn] : "(no hostname)");
			}
			if (sh->n > top)
				buf_printf(out, " (+%zu more)", sh->n - top);
			buf_putc(out, '\n');
		}
		if (an.nshared > top)
			buf_printf(out, "  (+%zu more ids)\n", an.nshared - top);
	}

	buf_puts(out, "\nhosts by state:\n");
	/* critical first: the list an operator reads top-down */
	static const int status_order[NSTATUS] = {2, 3, 1, 0};
	for (int oi = 0; oi < NSTATUS; oi++) {
		int s = status_order[oi];
		buf_printf(out, "  %-9s %6zu", status_name((enum status)s), an.status[s]);
		if (s != 0 && an.status[s]) {
			size_t shown = 0;
			buf_puts(out, "  ");
			for (size_t o = 0; o < f->nh && shown < top; o++)
				if (f->h[an.order[o]].status == s)
					buf_printf(out, "%s%s", shown++ ? ", " : "", hid(&an, an.order[o]));
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
		for (int st = 1; st < AST_COUNT; st++) {
			if (st == 4 || !s->state[st])
				continue;
			buf_printf(out, "%s%s %zu", sep, audit_state_name((enum audit_state)st), s->state[st]);
			sep = ", ";
		}
		buf_puts(out, *sep == ',' ? ")\n" : "\n");
	}
	if (!shown)
		buf_puts(out, "  none\n");

	buf_puts(out, "\nhosts with direct reclaim or OOM kills:\n");
	shown = 0;
	size_t nrec = 0;
	for (size_t o = 0; o < f->nh; o++) {
		size_t i = an.order[o];
		const struct hrec *h = &f->h[i];
		if (!h->direct && !h->oom)
			continue;
		nrec++;
		if (shown >= top)
			continue;
		shown++;
		buf_printf(out, "  %-32s", hid(&an, i));
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

	buf_printf(out, "\noutliers within a group (%s; groups of 3+ hosts; a majority must agree; "
			"byte-valued keys within %gx of the median of their RAM class):\n",
		   f->group_by ? f->group_by : "RAM class", RAM_TOLERANCE);
	size_t nout = 0, nsplit = 0;
	for (size_t g = 0; g < an.ng; g++) {
		const struct group_out *go = &an.g[g];
		for (size_t k = 0; k < go->nkeys; k++) {
			const struct outlier_key *ok = &go->keys[k];
			nout++;
			buf_printf(out, "  %s (%zu hosts): %s", f->groups.s[go->group], go->nhosts, f->keys.s[ok->key]);
			if (ok->ram && f->group_by)
				buf_printf(out, " on the %s hosts", f->attrs.s[ok->ramclass]);
			if (ok->ram)
				buf_printf(out, " is within %gx of %s on %zu of %zu; differs on %zu: ", RAM_TOLERANCE,
					   f->values.s[ok->mode], ok->mode_n, ok->total, ok->nout);
			else
				buf_printf(out, " is %s on %zu of %zu; differs on %zu: ", f->values.s[ok->mode],
					   ok->mode_n, ok->total, ok->nout);
			for (size_t j = 0; j < ok->nout && j < top; j++)
				buf_printf(out, "%s%s=%s", j ? ", " : "", hid(&an, ok->hosts[j]),
					   host_value(f, ok->hosts[j], ok->key));
			if (ok->nout > top)
				buf_printf(out, " (+%zu more)", ok->nout - top);
			buf_putc(out, '\n');
		}
		nsplit += go->nsplits;
	}
	if (!nout)
		buf_puts(out, "  none\n");
	if (nsplit) {
		buf_puts(out, "\nno majority value (no outliers named):\n");
		for (size_t g = 0; g < an.ng; g++) {
			const struct group_out *go = &an.g[g];
			for (size_t k = 0; k < go->nsplits; k++) {
				const struct outlier_key *ok = &go->splits[k];
				buf_printf(out, "  %s (%zu hosts): %s", f->groups.s[go->group], go->nhosts,
					   f->keys.s[ok->key]);
				if (ok->ram && f->group_by)
					buf_printf(out, " on the %s hosts", f->attrs.s[ok->ramclass]);
				buf_printf(out, " has %zu values on %zu hosts; the most common one on %zu\n", ok->nvalues,
					   ok->total, ok->mode_n);
			}
		}
	}

	buf_puts(out, "\nvalues per key (hosts):\n");
	const uint32_t *ks = an.keys_by_name;
	for (size_t ki = 0; ki < f->keys.n; ki++) {
		uint32_t k = ks[ki];
		if (!an.nhist[k])
			continue; /* only reports that were superseded had it */
		buf_printf(out, "  %s:", f->keys.s[k]);
		for (size_t j = 0; j < an.nhist[k] && j < top; j++)
			buf_printf(out, " %s x%zu", f->values.s[an.hist[k][j].value], an.hist[k][j].n);
		if (an.nhist[k] > top)
			buf_printf(out, " (+%zu more values)", an.nhist[k] - top);
		buf_putc(out, '\n');
	}

	if (f->nskips) {
		buf_printf(out, "\nskipped reports (%zu):\n", f->nskips);
		for (size_t i = 0; i < f->nskips && i < top; i++)
			buf_printf(out, "  %s: %s\n", f->skips[i].file, f->skips[i].why);
		if (f->nskips > top)
			buf_printf(out, "  (+%zu more)\n", f->nskips - top);
	}
	analysis_free(f, &an);
}

/* ------------------------------------------------------------------ JSON */

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

static json_object *jint(int64_t v)
{
	return json_object_new_int64(v);
}

/* A rate as the report printed it (6 digits); null when there is none. */
static json_object *jrate(double v)
{
	if (!(v > 0))
		return NULL;
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%.6g", v);
	return json_object_new_double_s(v, tmp);
}

static json_object *outlier_json(const struct fleet *f, const struct outlier_key *ok)
{
	json_object *ko = json_object_new_object();
	json_object_object_add(ko, "sysctl", jstr(f->keys.s[ok->key]));
	json_object_object_add(ko, "comparison", jstr(ok->ram ? "ram-class-median" : "exact"));
	json_object_object_add(ko, "ram_class", ok->ram ? jstr(f->attrs.s[ok->ramclass]) : NULL);
	json_object_object_add(ko, ok->ram ? "median" : "mode", jstr(f->values.s[ok->mode]));
	json_object_object_add(ko, ok->ram ? "agree_hosts" : "mode_hosts", jint((int64_t)ok->mode_n));
	json_object_object_add(ko, "hosts", jint((int64_t)ok->total));
	json_object_object_add(ko, "values", jint((int64_t)ok->nvalues));
	return ko;
}

void fleet_render_json(const struct fleet *f, struct buf *out)
{
	struct analysis an;
	analyse(f, &an);
	json_object *root = json_object_new_object();
	json_object_object_add(root, "schema", jstr(FLEET_SCHEMA_ID));
	json_object_object_add(root, "version", json_object_new_int(1));
	json_object_object_add(root, "hosts", jint((int64_t)f->nh));
	json_object_object_add(root, "reports", jint((int64_t)(f->nh + f->nsuperseded)));
	json_object_object_add(root, "superseded", jint((int64_t)f->nsuperseded));
	json_object_object_add(root, "group_by", jstr(f->group_by ? f->group_by : "ram-class"));
	char tolerance[32];
	snprintf(tolerance, sizeof(tolerance), "%g", RAM_TOLERANCE);
	json_object_object_add(root, "ram_tolerance", json_object_new_double_s(RAM_TOLERANCE, tolerance));

	json_object *bs = json_object_new_object();
	for (int s = 0; s < NSTATUS; s++) {
		json_object *arr = json_object_new_array();
		for (size_t o = 0; o < f->nh; o++)
			if (f->h[an.order[o]].status == s)
				json_object_array_add(arr, jstr(hid(&an, an.order[o])));
		json_object_object_add(bs, status_name((enum status)s), arr);
	}
	json_object_object_add(root, "hosts_by_state", bs);

	/* ids reported by hosts of different names (hostid.h): cloned images */
	json_object *sh = json_object_new_array();
	for (size_t i = 0; i < an.nshared; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "id", jstr(f->ids.s[an.shared[i].id]));
		json_object *hn = json_object_new_array(), *hl = json_object_new_array();
		for (size_t j = 0; j < an.shared[i].n; j++) {
			size_t h = an.shared[i].hosts[j];
			json_object_array_add(hl, jstr(hid(&an, h)));
			json_object_array_add(hn, f->h[h].hostname != NO_STR ? jstr(f->attrs.s[f->h[h].hostname]) : NULL);
		}
		json_object_object_add(o, "hosts", hl);
		json_object_object_add(o, "hostnames", hn);
		json_object_array_add(sh, o);
	}
	json_object_object_add(root, "shared_ids", sh);

	json_object *dr = json_object_new_array();
	for (size_t i = 0; i < an.nks; i++) {
		const struct keystat *s = &an.ks[i];
		if (!s->hosts)
			continue;
		json_object *o = json_object_new_object();
		json_object_object_add(o, "sysctl", jstr(f->keys.s[s->key]));
		json_object_object_add(o, "hosts", jint((int64_t)s->hosts));
		json_object_object_add(o, "not_compliant", jint((int64_t)s->bad));
		json_object *st = json_object_new_object();
		for (int x = 0; x < AST_COUNT; x++)
			json_object_object_add(st, audit_state_name((enum audit_state)x), jint((int64_t)s->state[x]));
		json_object_object_add(o, "states", st);
		json_object_array_add(dr, o);
	}
	json_object_object_add(root, "drift", dr);

	json_object *rc = json_object_new_array();
	for (size_t o = 0; o < f->nh; o++) {
		size_t i = an.order[o];
		const struct hrec *h = &f->h[i];
		if (!h->direct && !h->oom)
			continue;
		json_object *jo = json_object_new_object();
		json_object_object_add(jo, "host", jstr(hid(&an, i)));
		json_object_object_add(jo, "file", jstr(f->files.s[h->file]));
		json_object_object_add(jo, "direct_reclaim_per_second", h->direct ? jrate(h->allocstall) : NULL);
		json_object_object_add(jo, "direct_reclaim", json_object_new_boolean(h->direct));
		json_object_object_add(jo, "oom_kills", h->oom && h->oom_kills > 0 ? jint(h->oom_kills) : NULL);
		json_object_object_add(jo, "oom", json_object_new_boolean(h->oom));
		json_object_array_add(rc, jo);
	}
	json_object_object_add(root, "reclaim", rc);

	json_object *gs = json_object_new_array();
	for (size_t g = 0; g < an.ng; g++) {
		const struct group_out *go = &an.g[g];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "group", jstr(f->groups.s[go->group]));
		json_object_object_add(o, "hosts", jint((int64_t)go->nhosts));
		json_object *ka = json_object_new_array();
		for (size_t k = 0; k < go->nkeys; k++) {
			const struct outlier_key *ok = &go->keys[k];
			json_object *ko = outlier_json(f, ok);
			json_object *oa = json_object_new_array();
			for (size_t j = 0; j < ok->nout; j++) {
				json_object *ho = json_object_new_object();
				json_object_object_add(ho, "host", jstr(hid(&an, ok->hosts[j])));
				json_object_object_add(ho, "value", jstr(host_value(f, ok->hosts[j], ok->key)));
				json_object_array_add(oa, ho);
			}
			json_object_object_add(ko, "outliers", oa);
			json_object_array_add(ka, ko);
		}
		json_object_object_add(o, "outliers", ka);
		json_object *sa = json_object_new_array();
		for (size_t k = 0; k < go->nsplits; k++)
			json_object_array_add(sa, outlier_json(f, &go->splits[k]));
		json_object_object_add(o, "no_majority", sa);
		json_object_array_add(gs, o);
	}
	json_object_object_add(root, "groups", gs);

	json_object *hs = json_object_new_array();
	const uint32_t *ks = an.keys_by_name;
	for (size_t ki = 0; ki < f->keys.n; ki++) {
		uint32_t k = ks[ki];
		if (!an.nhist[k])
			continue;
		json_object *o = json_object_new_object();
		json_object_object_add(o, "sysctl", jstr(f->keys.s[k]));
		json_object *va = json_object_new_array();
		for (size_t j = 0; j < an.nhist[k]; j++) {
			json_object *vo = json_object_new_object();
			json_object_object_add(vo, "value", jstr(f->values.s[an.hist[k][j].value]));
			json_object_object_add(vo, "hosts", jint((int64_t)an.hist[k][j].n));
			json_object_array_add(va, vo);
		}
		json_object_object_add(o, "values", va);
		json_object_array_add(hs, o);
	}
	json_object_object_add(root, "histograms", hs);

	/* One record per host, natural order: what the summary was made of. */
	json_object *recs = json_object_new_array();
	for (size_t o = 0; o < f->nh; o++) {
		size_t i = an.order[o];
		const struct hrec *h = &f->h[i];
		json_object *ho = json_object_new_object();
		json_object_object_add(ho, "id", jstr(f->ids.s[h->id]));
		json_object_object_add(ho, "hostname", h->hostname != NO_STR ? jstr(f->attrs.s[h->hostname]) : NULL);
		json_object_object_add(ho, "host", jstr(hid(&an, i)));
		json_object_object_add(ho, "file", jstr(f->files.s[h->file]));
		json_object_object_add(ho, "report", jstr(h->kind == KIND_AUDIT ? "audit" : "recommend"));
		json_object_object_add(ho, "status", jstr(status_name((enum status)h->status)));
		json_object_object_add(ho, "group", jstr(f->groups.s[h->group]));
		json_object_object_add(ho, "ram_class", jstr(f->attrs.s[h->ramclass]));
		json_object_object_add(ho, "ram_bytes", h->ram_bytes >= 0 ? jint(h->ram_bytes) : NULL);
		json_object_object_add(ho, "kernel", h->kernel != NO_STR ? jstr(f->attrs.s[h->kernel]) : NULL);
		json_object_object_add(ho, "direct_reclaim_per_second", jrate(h->allocstall));
		json_object_object_add(ho, "oom_kills", h->oom_kills > 0 ? jint(h->oom_kills) : NULL);
		json_object *kv = json_object_new_array();
		for (size_t j = 0; j < h->nkv; j++) {
			const struct hkv *x = &f->kv[h->kv_off + j];
			json_object *ko = json_object_new_object();
			json_object_object_add(ko, "sysctl", jstr(f->keys.s[x->key]));
			json_object_object_add(ko, "value", jstr(f->values.s[x->value]));
			json_object_object_add(ko, "state",
					       jstr(x->state < AST_COUNT ? audit_state_name((enum audit_state)x->state)
									 : "unknown"));
			json_object_array_add(kv, ko);
		}
		json_object_object_add(ho, "keys", kv);
		json_object_array_add(recs, ho);
	}
	json_object_object_add(root, "host_records", recs);

	json_object *sk = json_object_new_array();
	for (size_t i = 0; i < f->nskips; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "file", jstr(f->skips[i].file));
		json_object_object_add(o, "reason", jstr(f->skips[i].why));
		json_object_array_add(sk, o);
	}
	json_object_object_add(root, "skipped", sk);

	buf_puts(out, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_putc(out, '\n');
	json_object_put(root);
	analysis_free(f, &an);
}
