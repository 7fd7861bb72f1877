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
	X(UNIT_BYTES_PER_SEC, "bytes/s")

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

struct fact_def {
	const char *name;     /* full name, or a prefix ending in '.' for a family */
	enum fact_type type;
	enum fact_unit unit;
	const char *source;   /* file or "derived" */
	const char *help;
	bool family;
};

/* The catalog, in catalog.def order.  Lookup prefers an exact entry over a
 * family; NULL when the name is not in the catalog. */
const struct fact_def *fact_catalog(size_t *n);
const struct fact_def *fact_catalog_lookup(const char *name);
const char *fact_unit_name(enum fact_unit u);
const char *fact_type_name(enum fact_type t);

struct facts;

struct facts *facts_new(void);
void facts_free(struct facts *f);

/* Setters copy name, string and source.  The name must be in the catalog
 * and the type must match it (an int is accepted for a float fact): a
 * mismatch is a programmer error and returns -EINVAL.  Setting a fact again
 * replaces it (present or absent). */
int facts_set_int(struct facts *f, const char *name, int64_t v, const char *source);
int facts_set_float(struct facts *f, const char *name, double v, const char *source);
int facts_set_str(struct facts *f, const char *name, const char *v, const char *source);
int facts_set_bool(struct facts *f, const char *name, bool v, const char *source);
int facts_set_value(struct facts *f, const char *name, const struct value *v, const char *source);
/* Mark a fact absent with a reason ("proc/pressure/memory: not present"). */
int facts_set_absent(struct facts *f, const char *name, const char *reason);

/* 0 and *out on success; -ENODATA when absent (reason via facts_reason),
 * -ENOENT when never set.  String values are borrowed from f. */
int facts_get(const struct facts *f, const char *name, struct value *out);
/* Convenience: the value as int64 / double, -ENODATA/-ENOENT/-EINVAL
 * (wrong type; a float is not silently truncated). */
int facts_get_int(const struct facts *f, const char *name, int64_t *out);
int facts_get_num(const struct facts *f, const char *name, double *out);
const char *facts_get_str(const struct facts *f, const char *name); /* NULL if not a present string */
bool facts_has(const struct facts *f, const char *name); /* present (not absent) */
const char *facts_reason(const struct facts *f, const char *name);
const char *facts_source(const struct facts *f, const char *name);

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
