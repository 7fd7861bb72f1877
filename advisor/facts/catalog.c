/* The fact catalog: every fact the tool knows, named once.
 *
 * The entries live in the *.def files (X-macro lists): catalog_raw.def for
 * what the collector reads, catalog_derived.def for what it computes,
 * catalog_wmark.def for the watermark model's facts.  The rule checker, the
 * `facts` listing and the snapshot order all come from this one table.
 */
#include "facts.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

static const struct fact_def catalog[FACT_ID_COUNT] = {
#define FACT(id, name, type, unit, source, help) [id] = {id, name, type, unit, source, help, false},
#define FAMILY(id, prefix, type, unit, source, help) [id] = {id, prefix, type, unit, source, help, true},
#include "catalog_raw.def"
#include "catalog_derived.def"
#include "catalog_wmark.def"
#undef FACT
#undef FAMILY
};

const struct fact_def *fact_catalog(size_t *n)
{
	*n = sizeof(catalog) / sizeof(catalog[0]);
	return catalog;
}

const struct fact_def *fact_def_of(enum fact_id id)
{
	assert((unsigned)id < FACT_ID_COUNT);
	return &catalog[id];
}

int fact_id_lookup(const char *name, enum fact_id *id)
{
	for (size_t i = 0; i < FACT_ID_COUNT; i++)
		if (!catalog[i].family && !strcmp(catalog[i].name, name)) {
			*id = (enum fact_id)i;
			return 0;
		}
	return -ENOENT;
}

const struct fact_def *fact_catalog_lookup(const char *name)
{
	const struct fact_def *fam = NULL;
	size_t famlen = 0;
	for (size_t i = 0; i < sizeof(catalog) / sizeof(catalog[0]); i++) {
		const struct fact_def *d = &catalog[i];
		if (!d->family) {
			if (!strcmp(d->name, name))
				return d;
			continue;
		}
		size_t l = strlen(d->name);
		/* The longest matching family wins, and the family needs a
		 * non-empty member name after its prefix. */
		if (l > famlen && !strncmp(d->name, name, l) && name[l]) {
			fam = d;
			famlen = l;
		}
	}
	return fam;
}

const char *fact_unit_name(enum fact_unit u)
{
	static const char *const names[] = {
#define X(e, s) s,
		FACT_UNITS(X)
#undef X
	};
	return (unsigned)u < sizeof(names) / sizeof(names[0]) ? names[u] : "?";
}

const char *fact_type_name(enum fact_type t)
{
	switch (t) {
	case FACT_INT: return "int";
	case FACT_FLOAT: return "float";
	case FACT_STR: return "string";
	case FACT_BOOL: return "bool";
	}
	return "?";
}
