/* sysctl_catalog: the table from sysctl_catalog.def and the bounds that
 * depend on the kernel version and the host.  See sysctl_catalog.h. */
#include "sysctl_catalog.h"

#include <string.h>

static const struct sysctl_def table[] = {
#define SYSCTL(id_, name_, unit_, def_, lo_, hi_, since_, merge_, partner_)                    \
	{.id = SC_##id_, .name = name_, .fact = F_SYSCTL_VM_##id_, .unit = unit_, .def = def_,   \
	 .lo = lo_, .hi = hi_, .since = since_, .merge = merge_,                                 \
	 .partner = (partner_)[0] ? (partner_) : NULL},
#define SYSCTL_HI(id_, since_, until_, hi_)
#define SYSCTL_READ(id_, lo_, hi_)
#include "sysctl_catalog.def"
#undef SYSCTL
#undef SYSCTL_HI
#undef SYSCTL_READ
};

/* Raised upper bounds by kernel version range (SYSCTL_HI lines). */
static const struct {
	enum sysctl_id id;
	int64_t since, until, hi;
} hi_steps[] = {
#define SYSCTL(id_, name_, unit_, def_, lo_, hi_, since_, merge_, partner_)
#define SYSCTL_HI(id_, since_, until_, hi_) {SC_##id_, since_, until_, hi_},
#define SYSCTL_READ(id_, lo_, hi_)
#include "sysctl_catalog.def"
#undef SYSCTL
#undef SYSCTL_HI
#undef SYSCTL_READ
};

/* What older kernels let a host hold beyond the legal range (SYSCTL_READ). */
static const struct {
	enum sysctl_id id;
	int64_t lo, hi;
} read_ranges[] = {
#define SYSCTL(id_, name_, unit_, def_, lo_, hi_, since_, merge_, partner_)
#define SYSCTL_HI(id_, since_, until_, hi_)
#define SYSCTL_READ(id_, lo_, hi_) {SC_##id_, lo_, hi_},
#include "sysctl_catalog.def"
#undef SYSCTL
#undef SYSCTL_HI
#undef SYSCTL_READ
};

const struct sysctl_def *sysctl_def_of(enum sysctl_id id)
{
	return &table[id];
}

const struct sysctl_def *sysctl_catalog(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const struct sysctl_def *sysctl_catalog_lookup(const char *name)
{
	if (!name)
		return NULL;
	/* sysctl.d(5) accepts '/' as the separator too. */
	char norm[64];
	size_t len = strlen(name);
	if (len >= sizeof(norm))
		return NULL;
	for (size_t i = 0; i <= len; i++)
		norm[i] = name[i] == '/' ? '.' : name[i];
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].name, norm))
			return &table[i];
	return NULL;
}

const struct sysctl_def *sysctl_pair_default(const struct sysctl_def *sc)
{
	const struct sysctl_def *p = sc->partner ? sysctl_catalog_lookup(sc->partner) : NULL;
	if (!p)
		return NULL;
	return sc->def != 0 ? sc : p;
}

const char *sysctl_merge_name(enum sysctl_merge m)
{
	switch (m) {
	case MERGE_MAX:
		return "max";
	case MERGE_MIN:
		return "min";
	case MERGE_NONE:
		break;
	}
	return "none";
}

bool sysctl_applicable(const struct sysctl_def *sc, int64_t kv)
{
	return kv < 0 || kv >= sc->since;
}

void sysctl_legal_range(const struct sysctl_def *sc, int64_t kv, int64_t *lo, int64_t *hi)
{
	*lo = sc->lo;
	*hi = sc->hi;
	for (size_t i = 0; kv >= 0 && i < sizeof(hi_steps) / sizeof(hi_steps[0]); i++)
		if (hi_steps[i].id == sc->id && kv >= hi_steps[i].since &&
		    (!hi_steps[i].until || kv < hi_steps[i].until))
			*hi = hi_steps[i].hi;
}

bool sysctl_value_possible(const struct sysctl_def *sc, int64_t v, int64_t *lo, int64_t *hi)
{
	*lo = sc->lo;
	*hi = sc->hi;
	for (size_t i = 0; i < sizeof(hi_steps) / sizeof(hi_steps[0]); i++)
		if (hi_steps[i].id == sc->id && hi_steps[i].hi > *hi)
			*hi = hi_steps[i].hi;
	for (size_t i = 0; i < sizeof(read_ranges) / sizeof(read_ranges[0]); i++)
		if (read_ranges[i].id == sc->id) {
			*lo = read_ranges[i].lo;
			*hi = read_ranges[i].hi;
		}
	/* dirty_bytes below two pages: the write fails and the old value
	 * stays (dirty_bytes_min, mm/page-writeback.c; kernel-reclaim.md
	 * 4.1), and 4 KiB is the smallest page; 0 is the ratio in use. */
	if (sc->id == SC_DIRTY_BYTES && v > 0 && v < 2 * 4096) {
		*lo = 2 * 4096;
		return false;
	}
	return v >= *lo && v <= *hi;
}

const struct sysctl_def *sysctl_catalog_of_fact(enum fact_id id)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].fact == id)
			return &table[i];
	return NULL;
}

static bool fact_int(const struct facts *f, enum fact_id id, int64_t *out)
{
	return f && facts_get_int(f, id, out) == 0;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

void sysctl_safe_bounds(const struct sysctl_def *sc, const struct facts *f, int64_t *lo, int64_t *hi,
			const char **why)
{
	int64_t v;
	*lo = INT64_MIN;
	*hi = INT64_MAX;
	*why = "";
	switch (sc->id) {
	case SC_MIN_FREE_KBYTES:
		*lo = 1024;
		*why = "min_free_kbytes: at least the kernel's own choice (1 MiB, its default, the THP "
		       "floor), at most 5% of lowmem";
		if (fact_int(f, F_KERNEL_DEFAULT_MIN_FREE_KBYTES, &v))
			*lo = max64(*lo, v);
		if (fact_int(f, F_WMARK_MIN_FREE_KBYTES_CAP_KBYTES, &v) && v > 0)
			*hi = v;
		else if (fact_int(f, F_MEM_LOWMEM_MANAGED_BYTES, &v) && v > 0)
			*hi = v / 1024 / 20;
		if (*lo > *hi)
			*lo = *hi; /* too high a reserve OOMs the host: the cap wins */
		break;
	case SC_WATERMARK_SCALE_FACTOR:
		*hi = 1000;
		*why = "watermark_scale_factor stays at most 1000 (10% of each zone between min and low)";
		break;
	case SC_WATERMARK_BOOST_FACTOR:
		*hi = 30000;
		*why = "watermark_boost_factor stays at most 30000 (a boost of 3x the high watermark)";
		break;
	case SC_VFS_CACHE_PRESSURE:
		*lo = 1;
		*why = "vfs_cache_pressure stays at least 1 (0 never reclaims dentries and inodes)";
		break;
	case SC_DIRTY_RATIO:
		*lo = 1;
		*why = "dirty_ratio stays at least 1 (0 throttles every writer)";
		break;
	case SC_DIRTY_BYTES: {
		int64_t ps = 4096;
		if (fact_int(f, F_HOST_PAGE_SIZE, &v) && v > 0)
			ps = v;
		*lo = 2 * ps;
		*why = "dirty_bytes stays at least two pages (the kernel rejects less)";
		break;
	}
	case SC_DIRTY_BACKGROUND_BYTES: {
		int64_t ps = 4096;
		if (fact_int(f, F_HOST_PAGE_SIZE, &v) && v > 0)
			ps = v;
		*lo = ps;
		*why = "dirty_background_bytes stays at least one page";
		break;
	}
	case SC_DIRTY_WRITEBACK_CENTISECS:
		*lo = 1;
		*why = "dirty_writeback_centisecs stays at least 1 (0 disables periodic writeback)";
		break;
	case SC_ZONE_RECLAIM_MODE:
		*hi = 7;
		*why = "zone_reclaim_mode stays within the bits 1, 2 and 4";
		break;
	default:
		break;
	}
}

enum sysctl_bound sysctl_value_bound(const struct sysctl_def *sc, const struct facts *f, int64_t kv, int64_t v,
				     int64_t *lo, int64_t *hi, const char **why)
{
	*why = "";
	sysctl_legal_range(sc, kv, lo, hi);
	if (v < *lo || v > *hi)
		return SYSCTL_OUTSIDE_LEGAL;
	sysctl_safe_bounds(sc, f, lo, hi, why);
	return v < *lo || v > *hi ? SYSCTL_OUTSIDE_SAFE : SYSCTL_WITHIN;
}

bool sysctl_kernel_default(const struct sysctl_def *sc, const struct facts *f, int64_t *out)
{
	if (sc->def != SC_COMPUTED) {
		*out = sc->def;
		return true;
	}
	if (sc->id == SC_MIN_FREE_KBYTES) {
		/* What the kernel itself would set on this host: the sqrt default,
		 * raised by khugepaged's floor while THP is on.  Writing that value
		 * into a fragment would turn a kernel-managed number into an
		 * administrator's one (it would no longer follow THP or hotplug). */
		return fact_int(f, F_KERNEL_DEFAULT_MIN_FREE_KBYTES, out);
	}
	return false;
}
