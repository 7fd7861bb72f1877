#include "host.h"
#include "../base/kver.h"
#include "../base/xalloc.h"
#include "../model/sysctl_catalog.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void counters_free(struct zone_counter *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].name);
	free(c);
}

const struct zone_page_field zone_page_fields[] = {
	{"free", offsetof(struct zone, free)},       {"boost", offsetof(struct zone, boost)},
	{"min", offsetof(struct zone, min)},         {"low", offsetof(struct zone, low)},
	{"high", offsetof(struct zone, high)},       {"promo", offsetof(struct zone, promo)},
	{"spanned", offsetof(struct zone, spanned)}, {"present", offsetof(struct zone, present)},
	{"managed", offsetof(struct zone, managed)}, {"cma", offsetof(struct zone, cma)},
};
const size_t zone_page_nfields = sizeof(zone_page_fields) / sizeof(zone_page_fields[0]);

void zoneinfo_free(struct zoneinfo *zi)
{
	if (!zi)
		return;
	for (size_t i = 0; i < zi->nzones; i++) {
		free(zi->zones[i].name);
		counters_free(zi->zones[i].counters, zi->zones[i].ncounters);
	}
	for (size_t i = 0; i < zi->nnodes; i++)
		counters_free(zi->nodes[i].counters, zi->nodes[i].ncounters);
	free(zi->zones);
	free(zi->nodes);
	memset(zi, 0, sizeof(*zi));
}

int zoneinfo_check(const struct zoneinfo *zi, const char *origin, struct diag_list *d)
{
	/* Per node, the indexes of its zones seen so far: at most 8, so the
	 * duplicate check is linear in the zone count. */
	struct seen {
		unsigned n;
		size_t idx[ZONEINFO_MAX_ZONES_PER_NODE];
	} *per = NULL;
	int rc = 0;
	for (size_t i = 0; i < zi->nzones && !rc; i++) {
		const struct zone *z = &zi->zones[i];
		if (z->node < 0 || z->node >= ZONEINFO_MAX_NODES) {
			diag_add(d, DIAG_ERROR, origin, 0, 0,
				 "zone %zu: node %d outside 0..%d (the kernel's MAX_NUMNODES)", i, z->node,
				 ZONEINFO_MAX_NODES - 1);
			rc = -EINVAL;
			break;
		}
		if (!per)
			per = xcalloc(ZONEINFO_MAX_NODES, sizeof(*per));
		struct seen *pn = &per[z->node];
		for (unsigned k = 0; k < pn->n && !rc; k++)
			if (!strcmp(zi->zones[pn->idx[k]].name, z->name)) {
				diag_add(d, DIAG_ERROR, origin, 0, 0,
					 "node %d zone %s appears twice (zones %zu and %zu): a kernel has "
					 "each zone once",
					 z->node, z->name, pn->idx[k], i);
				rc = -EINVAL;
			}
		if (!rc && pn->n == ZONEINFO_MAX_ZONES_PER_NODE) {
			diag_add(d, DIAG_ERROR, origin, 0, 0,
				 "node %d: more than %d zones (the kernel's MAX_NR_ZONES)", z->node,
				 ZONEINFO_MAX_ZONES_PER_NODE);
			rc = -EINVAL;
		}
		if (!rc)
			pn->idx[pn->n++] = i;
	}
	free(per);
	/* Each field is bounded per zone (the parsers, the snapshot reader);
	 * their sums bound every total the model and the renderers form. */
	for (size_t f = 0; f < zone_page_nfields && !rc; f++) {
		const struct zone_page_field *fields = zone_page_fields;
		int64_t sum = 0;
		for (size_t i = 0; i < zi->nzones; i++) {
			int64_t v = zone_page_get(&zi->zones[i], &fields[f]);
			if (v > 0 && (__builtin_add_overflow(sum, v, &sum) || sum > HOST_MAX_TOTAL_PAGES)) {
				diag_add(d, DIAG_ERROR, origin, 0, 0,
					 "the zones' '%s' pages add up to more than 2^42 (no machine has that much "
					 "memory)",
					 fields[f].name);
				rc = -EINVAL;
				break;
			}
		}
	}
	return rc;
}

void host_free(struct host *h)
{
	if (!h)
		return;
	facts_free(h->facts);
	zoneinfo_free(&h->zi);
	diag_list_clear(&h->diags);
	free(h->origin);
	memset(h, 0, sizeof(*h));
}

enum zone_kind zone_kind_of(const char *name)
{
	static const struct {
		const char *n;
		enum zone_kind k;
	} t[] = {
		{"DMA", ZK_DMA},         {"DMA32", ZK_DMA32},     {"Normal", ZK_NORMAL},
		{"HighMem", ZK_HIGHMEM}, {"Movable", ZK_MOVABLE}, {"Device", ZK_DEVICE},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(t[i].n, name))
			return t[i].k;
	return ZK_OTHER;
}

const char *host_sysctl_impossible(enum fact_id id, int64_t v, bool live, int64_t *lo, int64_t *hi, bool *kept)
{
	*kept = false;
	if (id == F_SYSCTL_VM_MIN_FREE_KBYTES || id == F_SYSCTL_VM_WATERMARK_SCALE_FACTOR ||
	    id == F_SYSCTL_VM_WATERMARK_BOOST_FACTOR) {
		*lo = 0;
		*hi = INT32_MAX;
		if (v < 0 || v > INT32_MAX)
			return "the kernel holds it in an int";
	}
	const struct sysctl_def *sc = sysctl_catalog_of_fact(id);
	if (sc && !sysctl_value_possible(sc, v, lo, hi)) {
		/* the running kernel holds what it shows: there the
		 * catalog's range is what is out of date */
		*kept = live;
		return v > 0 && v < *lo && sysctl_pair_default(sc) != sc
			       ? "below the two pages any kernel takes, and not the 0 that says the ratio is in use"
			       : "outside every kernel's legal range";
	}
	return NULL;
}

void host_sysctl_range_warnings(struct host *h)
{
	int64_t kv, v, lo, hi;
	if (facts_get_int(h->facts, F_HOST_KERNEL_VERSION, &kv))
		return; /* unknown: only the widest range applies (host_sysctl_impossible) */
	size_t n;
	const struct sysctl_def *cat = sysctl_catalog(&n);
	for (size_t i = 0; i < n; i++) {
		const struct sysctl_def *sc = &cat[i];
		if (facts_get_int(h->facts, sc->fact, &v) || !sysctl_applicable(sc, kv))
			continue;
		/* outside every kernel's range: set_sysctl said so already
		 * (an error, or on the live host the catalog's own warning) */
		if (!sysctl_value_possible(sc, v, &lo, &hi))
			continue;
		sysctl_legal_range(sc, kv, &lo, &hi);
		if (v >= lo && v <= hi)
			continue;
		char k[32];
		kver_format(kv, k, sizeof(k));
		diag_add(&h->diags, DIAG_WARNING, facts_source(h->facts, sc->fact), 0, 0,
			 "%s %lld is outside the range %lld..%lld that kernel %s accepts; kept: some kernel "
			 "accepts it (a distribution kernel may carry a later limit), or the kernel version "
			 "was misread",
			 sc->name, (long long)v, (long long)lo, (long long)hi, k);
	}
}

bool host_sysctls_known(const struct host *h)
{
	size_t n;
	const struct sysctl_def *cat = sysctl_catalog(&n);
	for (size_t i = 0; i < n; i++)
		if (facts_has(h->facts, cat[i].fact))
			return true;
	return false;
}
