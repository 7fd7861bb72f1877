#include "facts.h"
#include "../base/sysval.h"
#include "../base/textsafe.h"
#include "../base/sorted.h"
#include "../base/xalloc.h"

#include <assert.h>
#include <inttypes.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *name;
	struct value v;      /* v.u.s owned when FACT_STR and present */
	bool present;
	char *source;        /* when present */
	char *reason;        /* when absent */
};

struct missing {
	char *source, *reason;
};

struct facts {
	struct entry *e; /* sorted by name */
	size_t n, cap;
	struct missing *m;
	size_t nm, capm;
};

struct facts *facts_new(void)
{
	return xcalloc(1, sizeof(struct facts));
}

struct facts *facts_clone(const struct facts *f)
{
	struct facts *c = facts_new();
	c->cap = c->n = f->n;
	c->e = xcalloc(f->n ? f->n : 1, sizeof(*c->e));
	for (size_t i = 0; i < f->n; i++) {
		const struct entry *e = &f->e[i];
		struct entry *d = &c->e[i];
		*d = *e;
		d->name = xstrdup(e->name);
		if (e->present && e->v.type == FACT_STR)
			d->v.u.s = xstrdup(e->v.u.s);
		d->source = e->source ? xstrdup(e->source) : NULL;
		d->reason = e->reason ? xstrdup(e->reason) : NULL;
	}
	for (size_t i = 0; i < f->nm; i++)
		facts_add_missing(c, f->m[i].source, f->m[i].reason);
	return c;
}

static void entry_clear(struct entry *e)
{
	if (e->present && e->v.type == FACT_STR)
		free((char *)e->v.u.s);
	free(e->source);
	free(e->reason);
	e->source = e->reason = NULL;
}

void facts_free(struct facts *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		entry_clear(&f->e[i]);
		free(f->e[i].name);
	}
	for (size_t i = 0; i < f->nm; i++) {
		free(f->m[i].source);
		free(f->m[i].reason);
	}
	free(f->e);
	free(f->m);
	free(f);
}

/* The index of name, or where it would go (base/sorted.h). */
static size_t find(const struct facts *f, const char *name, bool *found)
{
	return sorted_find(f->e, f->n, sizeof(*f->e), offsetof(struct entry, name), name, found);
}

/* The entry for name, emptied (a fact set again replaces its value). */
static struct entry *slot(struct facts *f, const char *name)
{
	bool found;
	struct entry *e = sorted_slot(&f->e, &f->n, &f->cap, sizeof(*f->e), offsetof(struct entry, name), 256,
				      name, &found);
	if (found)
		entry_clear(e);
	return e;
}

/* Store v under name after checking it against d: 0 or -EINVAL. */
static int put(struct facts *f, const struct fact_def *d, const char *name, const struct value *v,
	       const char *source)
{
	struct value nv = *v;
	if (d->type == FACT_FLOAT && v->type == FACT_INT) {
		nv.type = FACT_FLOAT;
		nv.u.f = (double)v->u.i;
	} else if (d->type != v->type || (v->type == FACT_STR && !v->u.s)) {
		return -EINVAL;
	}
	struct entry *e = slot(f, name);
	e->v = nv;
	if (nv.type == FACT_STR)
		e->v.u.s = text_safe(nv.u.s); /* from another machine's files (textsafe.h) */
	e->present = true;
	e->source = xstrdup(source ? source : d->source);
	return 0;
}

static void put_absent(struct facts *f, const struct fact_def *d, const char *name, const char *reason)
{
	struct entry *e = slot(f, name);
	e->v.type = d->type;
	e->v.u.i = 0;
	e->present = false;
	e->reason = xstrdup(reason ? reason : "not collected");
}

/* A named fact's entry; a family id here is a programmer error. */
static const struct fact_def *named(enum fact_id id)
{
	const struct fact_def *d = fact_def_of(id);
	assert(!d->family);
	return d;
}

void facts_set_value(struct facts *f, enum fact_id id, const struct value *v, const char *source)
{
	const struct fact_def *d = named(id);
	int rc = put(f, d, d->name, v, source);
	assert(rc == 0); /* the type is the catalog's: fixed by the code, not the input */
	(void)rc;
}

void facts_set_int(struct facts *f, enum fact_id id, int64_t v, const char *source)
{
	struct value x = {.type = FACT_INT, .u.i = v};
	facts_set_value(f, id, &x, source);
}

void facts_set_float(struct facts *f, enum fact_id id, double v, const char *source)
{
	struct value x = {.type = FACT_FLOAT, .u.f = v};
	facts_set_value(f, id, &x, source);
}

void facts_set_str(struct facts *f, enum fact_id id, const char *v, const char *source)
{
	struct value x = {.type = FACT_STR, .u.s = v};
	facts_set_value(f, id, &x, source);
}

void facts_set_bool(struct facts *f, enum fact_id id, bool v, const char *source)
{
	struct value x = {.type = FACT_BOOL, .u.b = v};
	facts_set_value(f, id, &x, source);
}

void facts_set_absent(struct facts *f, enum fact_id id, const char *reason)
{
	const struct fact_def *d = named(id);
	put_absent(f, d, d->name, reason);
}

int facts_put(struct facts *f, const char *name, const struct value *v, const char *source)
{
	const struct fact_def *d = fact_catalog_lookup(name);
	return d ? put(f, d, name, v, source) : -EINVAL;
}

int facts_put_absent(struct facts *f, const char *name, const char *reason)
{
	const struct fact_def *d = fact_catalog_lookup(name);
	if (!d)
		return -EINVAL;
	put_absent(f, d, name, reason);
	return 0;
}

static const struct entry *get(const struct facts *f, const char *name)
{
	bool found;
	size_t i = find(f, name, &found);
	return found ? &f->e[i] : NULL;
}

static const struct entry *get_id(const struct facts *f, enum fact_id id)
{
	return get(f, named(id)->name);
}

static int entry_value(const struct entry *e, struct value *out)
{
	if (!e)
		return -ENOENT;
	if (!e->present)
		return -ENODATA;
	*out = e->v;
	return 0;
}

int facts_get(const struct facts *f, enum fact_id id, struct value *out)
{
	return entry_value(get_id(f, id), out);
}

int facts_lookup(const struct facts *f, const char *name, struct value *out)
{
	return entry_value(get(f, name), out);
}

const char *facts_lookup_reason(const struct facts *f, const char *name)
{
	const struct entry *e = get(f, name);
	return e && !e->present ? e->reason : NULL;
}

int facts_get_int(const struct facts *f, enum fact_id id, int64_t *out)
{
	struct value v;
	int rc = facts_get(f, id, &v);
	if (rc)
		return rc;
	if (v.type == FACT_INT)
		*out = v.u.i;
	else if (v.type == FACT_BOOL)
		*out = v.u.b;
	else
		return -EINVAL;
	return 0;
}

int facts_get_num(const struct facts *f, enum fact_id id, double *out)
{
	struct value v;
	int rc = facts_get(f, id, &v);
	if (rc)
		return rc;
	if (v.type == FACT_INT)
		*out = (double)v.u.i;
	else if (v.type == FACT_FLOAT)
		*out = v.u.f;
	else
		return -EINVAL;
	return 0;
}

const char *facts_get_str(const struct facts *f, enum fact_id id)
{
	const struct entry *e = get_id(f, id);
	return e && e->present && e->v.type == FACT_STR ? e->v.u.s : NULL;
}

bool facts_has(const struct facts *f, enum fact_id id)
{
	const struct entry *e = get_id(f, id);
	return e && e->present;
}

const char *facts_reason(const struct facts *f, enum fact_id id)
{
	const struct entry *e = get_id(f, id);
	return e && !e->present ? e->reason : NULL;
}

const char *facts_source(const struct facts *f, enum fact_id id)
{
	const struct entry *e = get_id(f, id);
	return e && e->present ? e->source : NULL;
}

size_t facts_count(const struct facts *f)
{
	return f->n;
}

const char *facts_at(const struct facts *f, size_t i, struct value *v, bool *present,
		     const char **source_or_reason)
{
	const struct entry *e = &f->e[i];
	if (v)
		*v = e->v;
	if (present)
		*present = e->present;
	if (source_or_reason)
		*source_or_reason = e->present ? e->source : e->reason;
	return e->name;
}

void facts_add_missing(struct facts *f, const char *source, const char *reason)
{
	for (size_t i = 0; i < f->nm; i++)
		if (!strcmp(f->m[i].source, source))
			return;
	if (f->nm == f->capm) {
		f->capm = f->capm ? f->capm * 2 : 16;
		f->m = xreallocarray(f->m, f->capm, sizeof(*f->m));
	}
	f->m[f->nm].source = xstrdup(source);
	f->m[f->nm].reason = xstrdup(reason);
	f->nm++;
}

size_t facts_missing_count(const struct facts *f)
{
	return f->nm;
}

void facts_missing_at(const struct facts *f, size_t i, const char **source, const char **reason)
{
	*source = f->m[i].source;
	*reason = f->m[i].reason;
}

char *value_sysctl_text(const struct value *v)
{
	switch (v->type) {
	case FACT_INT: return xasprintf("%" PRId64, v->u.i);
	case FACT_FLOAT: return xasprintf("%.17g", v->u.f);
	case FACT_BOOL: return xstrdup(v->u.b ? "1" : "0");
	case FACT_STR: return xstrdup(v->u.s ? v->u.s : "");
	}
	return xstrdup("");
}

bool value_sysctl_equal(const struct value *a, const struct value *b)
{
	char *x = value_sysctl_text(a), *y = value_sysctl_text(b);
	bool eq = sysval_equal(x, y);
	free(x);
	free(y);
	return eq;
}
