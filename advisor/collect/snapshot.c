/* snapshot: struct host <-> JSON (json-c).  Contract in snapshot.h. */
#include "snapshot.h"
#include "derive.h"
#include "../base/fileio.h"
#include "../base/textsafe.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SNAPSHOT_SCHEMA "reclaim-advisor/snapshot"
#define SNAPSHOT_VERSION 1
/* A snapshot of a 1024-CPU, 16-node host is a few MiB; 64 MiB is a bound
 * against feeding the parser something that is not a snapshot. */
#define SNAPSHOT_CAP (64u << 20)

/* ---- writing ------------------------------------------------------------ */

/* The shortest of %.15g/%.16g/%.17g that reads back to the same double,
 * always with a '.' or exponent so readers see a float. */
static json_object *new_double(double d)
{
	char s[40];
	if (!isfinite(d))
		return json_object_new_null();
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	if (!strpbrk(s, ".eEn"))
		strcat(s, ".0");
	return json_object_new_double_s(d, s);
}

struct json_object *snapshot_value_json(const struct value *v)
{
	switch (v->type) {
	case FACT_INT: return json_object_new_int64(v->u.i);
	case FACT_FLOAT: return new_double(v->u.f);
	case FACT_STR: return json_object_new_string(v->u.s);
	case FACT_BOOL: return json_object_new_boolean(v->u.b);
	}
	return json_object_new_null();
}

static json_object *counters_json(const struct zone_counter *c, size_t n)
{
	json_object *o = json_object_new_object();
	for (size_t i = 0; i < n; i++)
		json_object_object_add(o, c[i].name, json_object_new_int64(c[i].value));
	return o;
}

struct json_object *snapshot_zone_json(const struct zone *z)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "node", json_object_new_int(z->node));
	json_object_object_add(o, "zone", json_object_new_string(z->name ? z->name : ""));
	for (size_t i = 0; i < zone_page_nfields; i++) {
		int64_t v = zone_page_get(z, &zone_page_fields[i]);
		if (v != ZONE_ABSENT)
			json_object_object_add(o, zone_page_fields[i].name, json_object_new_int64(v));
	}
	if (z->nprotection) {
		json_object *a = json_object_new_array();
		for (unsigned i = 0; i < z->nprotection && i < ZONE_MAX_PROTECTION; i++)
			json_object_array_add(a, json_object_new_int64(z->protection[i]));
		json_object_object_add(o, "protection", a);
	}
	if (z->ncounters)
		json_object_object_add(o, "counters", counters_json(z->counters, z->ncounters));
	return o;
}

struct json_object *snapshot_missing_json(const struct facts *f)
{
	json_object *missing = json_object_new_object();
	for (size_t i = 0; i < facts_missing_count(f); i++) {
		const char *s, *r;
		facts_missing_at(f, i, &s, &r);
		json_object_object_add(missing, s, json_object_new_string(r));
	}
	return missing;
}

static char *diag_line(const struct diag *d)
{
	const char *pre = d->sev == DIAG_NOTE ? "note: " : "";
	if (d->origin && d->line)
		return xasprintf("%s%s:%u: %s", pre, d->origin, d->line, d->msg);
	if (d->origin)
		return xasprintf("%s%s: %s", pre, d->origin, d->msg);
	return xasprintf("%s%s", pre, d->msg);
}

void snapshot_write(const struct host *h, const struct snapshot_inputs *in, struct buf *out)
{
	json_object *root = json_object_new_object();
	json_object_object_add(root, "schema", json_object_new_string(SNAPSHOT_SCHEMA));
	json_object_object_add(root, "version", json_object_new_int(SNAPSHOT_VERSION));

	json_object *inputs = json_object_new_object();
	const char *rootdir = in && in->root ? in->root : h->origin;
	json_object_object_add(inputs, "root", rootdir ? json_object_new_string(rootdir) : NULL);
	int64_t ps;
	if (in && in->page_size)
		json_object_object_add(inputs, "page_size", json_object_new_int64((int64_t)in->page_size));
	else if (facts_get_int(h->facts, F_HOST_PAGE_SIZE, &ps) == 0)
		json_object_object_add(inputs, "page_size", json_object_new_int64(ps));
	else
		json_object_object_add(inputs, "page_size", NULL);
	json_object_object_add(inputs, "interval",
			       in && in->interval > 0 ? new_double(in->interval) : NULL);
	json_object_object_add(root, "inputs", inputs);

	json_object *facts = json_object_new_object();
	json_object *sources = json_object_new_object();
	json_object *absent = json_object_new_object();
	size_t n = facts_count(h->facts);
	for (size_t i = 0; i < n; i++) {
		struct value v;
		bool present;
		const char *sr;
		const char *name = facts_at(h->facts, i, &v, &present, &sr);
		if (present) {
			json_object_object_add(facts, name, snapshot_value_json(&v));
			json_object_object_add(sources, name, json_object_new_string(sr ? sr : ""));
		} else {
			json_object_object_add(absent, name, json_object_new_string(sr ? sr : ""));
		}
	}
	json_object_object_add(root, "facts", facts);
	json_object_object_add(root, "sources", sources);
	json_object_object_add(root, "absent", absent);

	json_object *zones = json_object_new_array();
	for (size_t i = 0; i < h->zi.nzones; i++)
		json_object_array_add(zones, snapshot_zone_json(&h->zi.zones[i]));
	json_object_object_add(root, "zones", zones);
	if (h->zi.nnodes) {
		json_object *ns = json_object_new_array();
		for (size_t i = 0; i < h->zi.nnodes; i++) {
			json_object *o = json_object_new_object();
			json_object_object_add(o, "node", json_object_new_int(h->zi.nodes[i].node));
			json_object_object_add(o, "counters",
					       counters_json(h->zi.nodes[i].counters, h->zi.nodes[i].ncounters));
			json_object_array_add(ns, o);
		}
		json_object_object_add(root, "node_stats", ns);
	}

	json_object_object_add(root, "missing", snapshot_missing_json(h->facts));

	json_object *warnings = json_object_new_array();
	for (size_t i = 0; i < h->diags.n; i++) {
		if (h->diags.v[i].sev == DIAG_ERROR)
			continue;
		char *s = diag_line(&h->diags.v[i]);
		json_object_array_add(warnings, json_object_new_string(s));
		free(s);
	}
	json_object_object_add(root, "warnings", warnings);

	buf_puts(out, json_object_to_json_string_ext(
			      root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_putc(out, '\n');
	json_object_put(root);
}

/* ---- reading ------------------------------------------------------------ */

struct rctx {
	const char *origin;
	struct diag_list *d;
	int err;
};

static void bad(struct rctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(struct rctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(c->d, DIAG_ERROR, c->origin, 0, 0, "%s", msg);
	free(msg);
	c->err = -EINVAL;
}

static bool get_i64(struct rctx *c, json_object *v, const char *what, int64_t *out)
{
	if (!json_object_is_type(v, json_type_int)) {
		bad(c, "%s: expected an integer", what);
		return false;
	}
	errno = 0;
	int64_t x = json_object_get_int64(v);
	/* json-c keeps integers above INT64_MAX as uint64 and clamps here;
	 * below INT64_MIN its tokenizer clamps to INT64_MIN, so that value
	 * (never a real count) is refused rather than taken. */
	if ((x == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX) || x == INT64_MIN) {
		bad(c, "%s: integer out of range", what);
		return false;
	}
	*out = x;
	return true;
}

static bool read_counters(struct rctx *c, json_object *o, const char *what,
			  struct zone_counter **out, size_t *nout)
{
	if (!json_object_is_type(o, json_type_object)) {
		bad(c, "%s.counters: expected an object", what);
		return false;
	}
	size_t n = (size_t)json_object_object_length(o), i = 0;
	struct zone_counter *v = xcalloc(n ? n : 1, sizeof(*v));
	bool ok = true;
	json_object_object_foreach(o, key, val)
	{
		char *w = xasprintf("%s.counters.%s", what, key);
		ok = get_i64(c, val, w, &v[i].value) && ok;
		free(w);
		v[i++].name = xstrdup(key);
	}
	*out = v;
	*nout = i;
	return ok;
}

static void read_zone(struct rctx *c, json_object *o, size_t idx, struct zone *z)
{
	char *what = xasprintf("zones[%zu]", idx);
	z->free = z->boost = z->min = z->low = z->high = z->promo = ZONE_ABSENT;
	z->spanned = z->present = z->managed = z->cma = ZONE_ABSENT;
	json_object *v;
	int64_t x;
	if (!json_object_is_type(o, json_type_object)) {
		bad(c, "%s: expected an object", what);
		goto out;
	}
	if (!json_object_object_get_ex(o, "node", &v) || !get_i64(c, v, what, &x) || x < 0 ||
	    x > 65535)
		bad(c, "%s: \"node\" missing or not a node number", what);
	else
		z->node = (int)x;
	if (!json_object_object_get_ex(o, "zone", &v) || !json_object_is_type(v, json_type_string))
		bad(c, "%s: \"zone\" missing or not a string", what);
	else
		z->name = text_safe(json_object_get_string(v));
	for (size_t i = 0; i < zone_page_nfields; i++) {
		const struct zone_page_field *f = &zone_page_fields[i];
		if (!json_object_object_get_ex(o, f->name, &v))
			continue;
		char *w = xasprintf("%s.%s", what, f->name);
		if (get_i64(c, v, w, &x)) {
			if (x < 0)
				bad(c, "%s: negative page count", w);
			else if (x > HOST_MAX_PAGES)
				bad(c, "%s: impossible page count %lld (above 2^40 pages)", w, (long long)x);
			else
				*zone_page_field_of(z, f) = x;
		}
		free(w);
	}
	if (json_object_object_get_ex(o, "protection", &v)) {
		if (!json_object_is_type(v, json_type_array) ||
		    json_object_array_length(v) > ZONE_MAX_PROTECTION) {
			bad(c, "%s.protection: expected an array of at most %d integers", what,
			    ZONE_MAX_PROTECTION);
		} else {
			z->nprotection = (unsigned)json_object_array_length(v);
			for (unsigned i = 0; i < z->nprotection; i++)
				if (get_i64(c, json_object_array_get_idx(v, i), what, &z->protection[i]) &&
				    (z->protection[i] < 0 || z->protection[i] > HOST_MAX_PAGES))
					bad(c, "%s.protection[%u]: not a page count 0..2^40", what, i);
		}
	}
	if (json_object_object_get_ex(o, "counters", &v))
		read_counters(c, v, what, &z->counters, &z->ncounters);
out:
	free(what);
}

/* A fact name this build does not know: skipped, and said to the host
 * (the report keeps it) and to the caller, who prints what reading found
 * (a snapshot's own warnings are from when it was taken). */
static void unknown_fact(struct rctx *c, struct host *h, const char *name)
{
	diag_add(&h->diags, DIAG_WARNING, c->origin, 0, 0, "unknown fact \"%s\" skipped", name);
	diag_add(c->d, DIAG_WARNING, c->origin, 0, 0, "unknown fact \"%s\" skipped", name);
}

static void read_fact(struct rctx *c, struct host *h, const char *name, json_object *v,
		      json_object *sources)
{
	const struct fact_def *d = fact_catalog_lookup(name);
	if (!d) {
		/* A newer collector's fact: keep going, but say so. */
		unknown_fact(c, h, name);
		return;
	}
	json_object *s;
	const char *src = "snapshot";
	if (sources && json_object_object_get_ex(sources, name, &s) &&
	    json_object_is_type(s, json_type_string))
		src = json_object_get_string(s);
	char *what = xasprintf("facts.%s", name);
	int64_t i;
	/* The type is checked here, so facts_put (by name: the key is the
	 * snapshot's) cannot refuse the value. */
	struct value fv = {.type = d->type};
	switch (d->type) {
	case FACT_INT:
		if (get_i64(c, v, what, &i)) {
			/* The same bounds as when the files are read (host.h). */
			int64_t max = !strncmp(name, "meminfo.", 8)  ? HOST_MAX_KB
				      : !strncmp(name, "vmstat.", 7) ? HOST_MAX_COUNTER
								     : INT64_MAX;
			if (max != INT64_MAX && (i < 0 || i > max)) {
				bad(c, "%s: impossible value %lld (0..%lld)", what, (long long)i, (long long)max);
				break;
			}
			int64_t lo, hi;
			bool kept; /* a snapshot is never the running kernel */
			const char *why = host_sysctl_impossible(d->id, i, false, &lo, &hi, &kept);
			if (why) {
				bad(c, "%s: impossible value %lld (%s, %lld..%lld)", what, (long long)i, why,
				    (long long)lo, (long long)hi);
				break;
			}
			fv.u.i = i;
			facts_put(h->facts, name, &fv, src);
		}
		break;
	case FACT_FLOAT:
		if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int)) {
			bad(c, "%s: expected a number", what);
		} else {
			/* json-c accepts NaN, Infinity and 1e999; the writer could not
			 * write them back and the rules must never see them. */
			double x = json_object_get_double(v);
			if (!isfinite(x))
				bad(c, "%s: not a finite number", what);
			else
				facts_put(h->facts, name, &(struct value){.type = FACT_FLOAT, .u.f = x}, src);
		}
		break;
	case FACT_STR:
		if (json_object_is_type(v, json_type_string)) {
			fv.u.s = json_object_get_string(v);
			facts_put(h->facts, name, &fv, src);
		}
		else
			bad(c, "%s: expected a string", what);
		break;
	case FACT_BOOL:
		if (json_object_is_type(v, json_type_boolean)) {
			fv.u.b = json_object_get_boolean(v);
			facts_put(h->facts, name, &fv, src);
		}
		else
			bad(c, "%s: expected true or false", what);
		break;
	}
	free(what);
}

/* The per-kernel ranges of the catalog's sysctls: the one policy a tree
 * and a dump get (host_sysctl_range_warnings, collect/host.h), here on
 * the facts as read.  A snapshot the collector wrote carries that warning
 * in its "warnings" (read into h as lines): it is said once.  A new one (a
 * snapshot edited, or written before the policy) is the host's, so a
 * report or a snapshot written from h keeps it, and goes to d too: the
 * caller prints what reading found, not what the snapshot carries. */
static void range_warnings(struct host *h, struct diag_list *d)
{
	struct host scratch = {.facts = h->facts};
	host_sysctl_range_warnings(&scratch);
	for (size_t i = 0; i < scratch.diags.n; i++) {
		const struct diag *w = &scratch.diags.v[i];
		char *line = diag_line(w);
		bool carried = false;
		for (size_t j = 0; j < h->diags.n && !carried; j++) {
			char *cl = diag_line(&h->diags.v[j]);
			carried = !strcmp(cl, line);
			free(cl);
		}
		free(line);
		if (carried)
			continue;
		diag_add(&h->diags, w->sev, w->origin, w->line, w->col, "%s", w->msg);
		diag_add(d, w->sev, w->origin, w->line, w->col, "%s", w->msg);
	}
	diag_list_clear(&scratch.diags);
}

/* Byte offset -> 1-based line and column. */
static void line_col(const char *buf, size_t off, unsigned *line, unsigned *col)
{
	unsigned l = 1, cl = 1;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			l++;
			cl = 1;
		} else {
			cl++;
		}
	}
	*line = l;
	*col = cl;
}

static json_object *member(struct rctx *c, json_object *root, const char *k, json_type t,
			   bool required)
{
	json_object *v;
	if (!json_object_object_get_ex(root, k, &v) || json_object_is_type(v, json_type_null)) {
		if (required)
			bad(c, "\"%s\" missing", k);
		return NULL;
	}
	if (!json_object_is_type(v, t)) {
		bad(c, "\"%s\": expected %s", k, json_type_to_name(t));
		return NULL;
	}
	return v;
}

int snapshot_parse(const char *buf, size_t len, const char *origin, struct host *out,
		   struct diag_list *d)
{
	struct rctx c = {.origin = origin, .d = d};
	if (len > SNAPSHOT_CAP || len > (size_t)INT32_MAX) {
		bad(&c, "too large for a snapshot (%zu bytes)", len);
		return -EINVAL;
	}
	if (memchr(buf, '\0', len)) {
		bad(&c, "binary content (a NUL byte): not a JSON snapshot");
		return -EINVAL;
	}
	json_tokener *tok = json_tokener_new();
	/* Strict: no trailing commas or other leniency a snapshot never needs. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	json_object *root = json_tokener_parse_ex(tok, buf, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	if (!root || jerr != json_tokener_success) {
		unsigned l, cl;
		size_t off = end;
		const char *msg = jerr == json_tokener_continue ? "unexpected end of input"
								 : json_tokener_error_desc(jerr);
		if (jerr == json_tokener_success && !root)
			msg = "the top level is null";
		/* json-c stops at the offending byte (or at the end). */
		line_col(buf, off <= len ? off : len, &l, &cl);
		diag_add(d, DIAG_ERROR, origin, l, cl, "not valid JSON: %s", msg);
		json_object_put(root);
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	for (size_t i = end; i < len; i++)
		if (!strchr(" \t\r\n", buf[i])) {
			unsigned l, cl;
			line_col(buf, i, &l, &cl);
			diag_add(d, DIAG_ERROR, origin, l, cl, "not valid JSON: data after the snapshot");
			json_object_put(root);
			return -EINVAL;
		}

	struct host h = {0};
	h.facts = facts_new();
	h.origin = xstrdup(origin);
	json_object *v;
	if (!json_object_is_type(root, json_type_object)) {
		bad(&c, "not a reclaim-advisor snapshot (the top level is not an object)");
		goto out;
	}
	if (!(v = member(&c, root, "schema", json_type_string, true)))
		goto out;
	if (strcmp(json_object_get_string(v), SNAPSHOT_SCHEMA)) {
		bad(&c, "not a reclaim-advisor snapshot (schema \"%.60s\")", json_object_get_string(v));
		goto out;
	}
	if (!(v = member(&c, root, "version", json_type_int, true)))
		goto out;
	if (json_object_get_int64(v) != SNAPSHOT_VERSION) {
		bad(&c, "snapshot version %lld is not supported (this build reads %d)",
		    (long long)json_object_get_int64(v), SNAPSHOT_VERSION);
		goto out;
	}
	json_object *facts = member(&c, root, "facts", json_type_object, true);
	json_object *sources = member(&c, root, "sources", json_type_object, false);
	if (facts) {
		json_object_object_foreach(facts, key, val)
		{
			read_fact(&c, &h, key, val, sources);
		}
	}
	if ((v = member(&c, root, "absent", json_type_object, false))) {
		json_object_object_foreach(v, key, val)
		{
			if (!json_object_is_type(val, json_type_string))
				bad(&c, "absent.%s: expected a reason string", key);
			else if (facts_put_absent(h.facts, key, json_object_get_string(val)))
				unknown_fact(&c, &h, key);
		}
	}
	if ((v = member(&c, root, "zones", json_type_array, false))) {
		size_t n = json_object_array_length(v);
		h.zi.zones = xcalloc(n ? n : 1, sizeof(struct zone));
		for (size_t i = 0; i < n; i++) {
			read_zone(&c, json_object_array_get_idx(v, i), i, &h.zi.zones[i]);
			h.zi.nzones++;
		}
		/* Duplicate (node, zone) or beyond the kernel's limits: the same
		 * refusal as for a zoneinfo file. */
		if (!c.err && zoneinfo_check(&h.zi, origin, d))
			c.err = -EINVAL; /* the host (and its zones) is freed below */
	}
	if ((v = member(&c, root, "node_stats", json_type_array, false))) {
		size_t n = json_object_array_length(v);
		h.zi.nodes = xcalloc(n ? n : 1, sizeof(struct node_stats));
		for (size_t i = 0; i < n; i++) {
			json_object *o = json_object_array_get_idx(v, i), *x;
			char *what = xasprintf("node_stats[%zu]", i);
			int64_t node;
			h.zi.nnodes++;
			if (!json_object_is_type(o, json_type_object))
				bad(&c, "%s: expected an object", what);
			else if (!json_object_object_get_ex(o, "node", &x) || !get_i64(&c, x, what, &node) ||
				 node < 0 || node > 65535)
				bad(&c, "%s: \"node\" missing or not a node number", what);
			else {
				h.zi.nodes[i].node = (int)node;
				if (json_object_object_get_ex(o, "counters", &x))
					read_counters(&c, x, what, &h.zi.nodes[i].counters,
						      &h.zi.nodes[i].ncounters);
			}
			free(what);
		}
	}
	if ((v = member(&c, root, "missing", json_type_object, false))) {
		json_object_object_foreach(v, key, val)
		{
			if (json_object_is_type(val, json_type_string))
				facts_add_missing(h.facts, key, json_object_get_string(val));
			else
				bad(&c, "missing.%s: expected a reason string", key);
		}
	}
	if ((v = member(&c, root, "warnings", json_type_array, false))) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			json_object *s = json_object_array_get_idx(v, i);
			if (!json_object_is_type(s, json_type_string)) {
				bad(&c, "warnings[%zu]: expected a string", i);
				continue;
			}
			const char *t = json_object_get_string(s);
			if (!strncmp(t, "note: ", 6))
				diag_add(&h.diags, DIAG_NOTE, NULL, 0, 0, "%s", t + 6);
			else
				diag_add(&h.diags, DIAG_WARNING, NULL, 0, 0, "%s", t);
		}
	}
	if (!c.err) {
		/* An error goes to the caller's list (the host is freed); a
		 * warning was recorded by the collector and travels in the
		 * snapshot's own "warnings", so it is not added twice. */
		struct diag_list tmp = {0};
		if (derive_check_sources(&h, origin, &tmp)) {
			diag_splice(d, &tmp);
			c.err = -EINVAL;
		} else {
			diag_list_clear(&tmp);
			free(tmp.v);
		}
	}
	if (!c.err)
		range_warnings(&h, d); /* last: a failed parse says only why */
out:
	json_object_put(root);
	if (c.err) {
		host_free(&h);
		return c.err;
	}
	*out = h;
	return 0;
}

int snapshot_read(const char *path, struct host *out, struct diag_list *d)
{
	char *buf = NULL;
	size_t len;
	int rc = file_read(path, SNAPSHOT_CAP, &buf, &len);
	if (rc == -EILSEQ) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "binary content (a NUL byte): not a JSON snapshot");
		return -EINVAL;
	}
	if (rc == -EFBIG) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "too large for a snapshot");
		return -EINVAL;
	}
	if (rc) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", fileio_strerror(rc));
		return rc;
	}
	rc = snapshot_parse(buf, len, path, out, d);
	free(buf);
	return rc;
}
