/* facts: the typed, named values every later stage reads.
 *
 * Stages after the collector never open files; they read facts.  A fact has
 * a name from the catalog (catalog.def: name, type, unit, source, help), a
 * typed value, and the source it came from.  Raw facts keep the kernel's
 * spelling under a prefix ("meminfo.MemTotal", "vmstat.allocstall_normal",
 * "sysctl.vm.min_free_kbytes"); the catalog names them either one by one or
 * as a family ("vmstat." covers every counter the kernel prints).  Derived
 * facts live under their own prefixes ("reclaim.", "mem.", "host.", ...).
 *
 * A fact can be *absent*: its source was missing or unreadable.  Absent is
 * never zero: facts_get returns -ENODATA and the reason is kept.  The store
 * also keeps the list of missing sources (source -> reason).
 *
 * Ownership: a struct facts owns every string in it (names, string values,
 * sources, reasons).  Pointers returned by the getters stay valid until the
 * fact is overwritten or the store is freed.
 */
#ifndef ADVISOR_FACTS_H
#define ADVISOR_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fact_type { FACT_INT = 1, FACT_FLOAT, FACT_STR, FACT_BOOL };

#define FACT_UNITS(X)                                   \
	X(UNIT_NONE, "")                                \
	X(UNIT_BYTES, "bytes")                          \
	X(UNIT_KB, "kB")                                \
	X(UNIT_PAGES, "pages")                          \
	X(UNIT_COUNT, "count")                          \
	X(UNIT_PERCENT, "%")                            \
	X(UNIT_RATIO, "ratio")                          \
	X(UNIT_SECONDS, "s")                            \
	X(UNIT_USEC, "us")                              \
	X(UNIT_CENTISECS, "cs")                         \
	X(UNIT_PER_SEC, "1/s")                          \
	X(UNIT_PAGES_PER_SEC, "pages/s")                \
	X(UNIT_BYTES_PER_SEC, "bytes/s")                \
	X(UNIT_KVER, "version") /* an int in base/kver.h's encoding */

enum fact_unit {
#define X(e, s) e,
	FACT_UNITS(X)
#undef X
};

struct value {
	enum fact_type type;
	union {
		int64_t i;
		double f;
		const char *s; /* borrowed from its owner */
		bool b;
	} u;
};

/* A value as sysctl.d and /proc/sys spell it: ints in decimal, floats
 * "%.17g", bools 1/0, strings as they are (a multi-value key's fields stay
 * as given).  The one spelling; caller frees. */
char *value_sysctl_text(const struct value *v);
/* Equal as sysctl values: their texts compared by sysval_equal
 * (base/sysval.h: field by field, blanks and leading zeros aside). */
bool value_sysctl_equal(const struct value *a, const struct value *b);

/* Every fact and family the catalog names, one id each, in catalog order:
 * F_<NAME> for a fact, FAM_<PREFIX> for a family (catalog_raw.def says how
 * the id is spelt).  Generated from the *.def files; there is no other list. */
enum fact_id {
#define FACT(id, name, type, unit, source, help) id,
#define FAMILY(id, prefix, type, unit, source, help) id,
#include "catalog_raw.def"
#include "catalog_derived.def"
#include "catalog_wmark.def"
#undef FACT
#undef FAMILY
	FACT_ID_COUNT
};

struct fact_def {
	enum fact_id id;
	const char *name;     /* full name, or a prefix ending in '.' for a family */
	enum fact_type type;
	enum fact_unit unit;
	const char *source;   /* file or "derived" */
	const char *help;
	bool family;
};

/* The catalog, in catalog.def order (catalog[i].id == i). */
const struct fact_def *fact_catalog(size_t *n);
/* The entry of id; id must be a valid enum fact_id. */
const struct fact_def *fact_def_of(enum fact_id id);
/* The catalog entry that covers name: a named fact, else the longest family
 * whose prefix it extends (a member needs a non-empty name after the
 * prefix); NULL when the catalog does not cover name.  For text from
 * outside (snapshots, /proc listings); C code uses ids. */
const struct fact_def *fact_catalog_lookup(const char *name);
/* The id of a named fact (not a family member): 0 and *id, or -ENOENT.
 * This is how rule text becomes ids at load time. */
int fact_id_lookup(const char *name, enum fact_id *id);
const char *fact_unit_name(enum fact_unit u);
const char *fact_type_name(enum fact_type t);

struct facts;

struct facts *facts_new(void);
/* A deep copy of f: every fact (present or absent, with its source or
 * reason) and every missing input; the caller owns it (facts_free). */
struct facts *facts_clone(const struct facts *f);
void facts_free(struct facts *f);

/* Setters by id copy the string and source (NULL source: the catalog's).
 * id must name a fact (not a family) and the value must have its catalog
 * type (an int is accepted for a float fact): anything else is a
 * programmer error and asserts.  Setting a fact again replaces it
 * (present or absent). */
void facts_set_int(struct facts *f, enum fact_id id, int64_t v, const char *source);
void facts_set_float(struct facts *f, enum fact_id id, double v, const char *source);
void facts_set_str(struct facts *f, enum fact_id id, const char *v, const char *source);
void facts_set_bool(struct facts *f, enum fact_id id, bool v, const char *source);
void facts_set_value(struct facts *f, enum fact_id id, const struct value *v, const char *source);
/* Mark a fact absent with a reason ("proc/pressure/memory: not present"). */
void facts_set_absent(struct facts *f, enum fact_id id, const char *reason);

/* 0 and *out on success; -ENODATA when absent (reason via facts_reason),
 * -ENOENT when never set.  String values are borrowed from f. */
int facts_get(const struct facts *f, enum fact_id id, struct value *out);
/* Convenience: the value as int64 / double, -ENODATA/-ENOENT/-EINVAL
 * (wrong type; a float is not silently truncated). */
int facts_get_int(const struct facts *f, enum fact_id id, int64_t *out);
int facts_get_num(const struct facts *f, enum fact_id id, double *out);
const char *facts_get_str(const struct facts *f, enum fact_id id); /* NULL if not a present string */
bool facts_has(const struct facts *f, enum fact_id id); /* present (not absent) */
const char *facts_reason(const struct facts *f, enum fact_id id);
const char *facts_source(const struct facts *f, enum fact_id id);

/* By name, for names that come from outside the C code: a family member
 * the kernel printed ("vmstat.pgalloc_dma32", "sysctl.vm.numa_stat"), a
 * snapshot's keys, a rule's evidence list.  A name the catalog covers
 * (fact_catalog_lookup) with a value of its type: 0, else -EINVAL (input
 * errors are possible here, so they are returned). */
int facts_put(struct facts *f, const char *name, const struct value *v, const char *source);
int facts_put_absent(struct facts *f, const char *name, const char *reason);
/* facts_get / facts_reason by name. */
int facts_lookup(const struct facts *f, const char *name, struct value *out);
const char *facts_lookup_reason(const struct facts *f, const char *name);

/* Iterate in name order, absent facts included (value.type is the catalog
 * type, *present false). */
size_t facts_count(const struct facts *f);
const char *facts_at(const struct facts *f, size_t i, struct value *v, bool *present,
		     const char **source_or_reason);

/* Missing sources: one entry per file that could not be read. */
void facts_add_missing(struct facts *f, const char *source, const char *reason);
size_t facts_missing_count(const struct facts *f);
void facts_missing_at(const struct facts *f, size_t i, const char **source, const char **reason);

#endif
