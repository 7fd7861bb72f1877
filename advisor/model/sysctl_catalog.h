/* sysctl_catalog: every sysctl a rule may set, and what the kernel and the
 * advisor allow for it.
 *
 * The table comes from sysctl_catalog.def (one line per key: fact holding
 * its current value, unit, kernel default, legal range per kernel version,
 * first kernel that has it, merge direction, mutually exclusive partner).
 * Two kinds of bounds:
 *   - the legal range: what the kernel's ctl_table accepts on a given kernel
 *     version (a write outside it fails with EINVAL);
 *   - the safety bounds: limits computed from host facts that no rule and no
 *     profile may cross (sysctl_safe_bounds documents each one).
 * The catalog is constant data; nothing here allocates or keeps state.
 */
#ifndef ADVISOR_SYSCTL_CATALOG_H
#define ADVISOR_SYSCTL_CATALOG_H

#include "../base/kver.h"
#include "../facts/facts.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_NOMAX INT64_MAX
#define SC_COMPUTED INT64_MIN /* the kernel computes the default at boot */

/* How a tie between rules of equal priority is settled. */
enum sysctl_merge {
	MERGE_NONE, /* no natural direction: file order decides */
	MERGE_MAX,  /* reserves: the larger value is the safer one */
	MERGE_MIN,  /* swappiness, dirty limits, ...: the smaller one */
};

enum sysctl_id {
#define SYSCTL(id, ...) SC_##id,
#define SYSCTL_HI(...)
#define SYSCTL_READ(...)
#include "sysctl_catalog.def"
#undef SYSCTL
#undef SYSCTL_HI
#undef SYSCTL_READ
	SC__COUNT
};

struct sysctl_def {
	enum sysctl_id id;
	const char *name;      /* "vm.min_free_kbytes" */
	enum fact_id fact;     /* F_SYSCTL_VM_<id>: the fact holding its current value */
	enum fact_unit unit;
	int64_t def;           /* kernel default, SC_COMPUTED when computed at boot */
	int64_t lo, hi;        /* legal range on every kernel with the key (hi may be SC_NOMAX);
				* SYSCTL_HI lines raise hi on some kernels (sysctl_legal_range) */
	int64_t since;         /* first kernel version with the key, 0 = always */
	enum sysctl_merge merge;
	const char *partner;   /* mutually exclusive key, NULL when none */
};

/* The whole table in .def order; *n receives its length. */
const struct sysctl_def *sysctl_catalog(size_t *n);
/* The entry for name ("vm.swappiness"; "vm/swappiness" is accepted too), or
 * NULL when the advisor does not know it. */
const struct sysctl_def *sysctl_catalog_lookup(const char *name);
/* The entry of id (a valid enum sysctl_id). */
const struct sysctl_def *sysctl_def_of(enum sysctl_id id);
const char *sysctl_merge_name(enum sysctl_merge m);

/* The member of sc's mutually exclusive pair (vm.dirty_ratio and
 * vm.dirty_bytes; vm.dirty_background_ratio and ..._bytes) the kernel uses
 * when nothing was set: the one whose default is not 0 (the ratio), sc
 * itself or its partner; NULL when sc has no partner.  Only one member of
 * a pair is in use and the other reads 0 (writing one zeroes the other,
 * mm/page-writeback.c), so a member read as 0 says which is in use, and 0
 * is no value to write back: the kernel refuses a dirty_bytes below two
 * pages, and a 0 ratio written over the bytes in use zeroes them. */
const struct sysctl_def *sysctl_pair_default(const struct sysctl_def *sc);

/* Does the key exist on kernel kv (host.kernel_version)?  kv < 0 means
 * unknown: then every key is assumed to exist. */
bool sysctl_applicable(const struct sysctl_def *sc, int64_t kv);

/* The legal range on kernel kv (the SYSCTL_HI lines of sysctl_catalog.def,
 * stable backports included).  With kv < 0 (unknown kernel) the narrower
 * old range is returned, so a recommendation is valid on any kernel.  The
 * only home of these ranges: the watermark model, explain and
 * `watermarks --set` all read them here. */
void sysctl_legal_range(const struct sysctl_def *sc, int64_t kv, int64_t *lo, int64_t *hi);

/* Could a host show v for sc when its file is read: within the widest
 * legal range of any kernel (the SYSCTL line with every SYSCTL_HI raise),
 * or of the SYSCTL_READ line where older kernels enforced less?  A value
 * outside it comes from no kernel (a forged or corrupt tree or snapshot).
 * *lo and *hi get that range.  vm.dirty_bytes has a hole: 0 (the ratio in
 * use) or at least two pages of the smallest page size, 8192 (the kernel
 * refuses less); for 1..8191 the range is 8192..max. */
bool sysctl_value_possible(const struct sysctl_def *sc, int64_t v, int64_t *lo, int64_t *hi);
/* The entry whose current value is the fact id (sc->fact), or NULL. */
const struct sysctl_def *sysctl_catalog_of_fact(enum fact_id id);

/* The hard safety bounds on this host, from facts (f may be NULL: only the
 * fact-independent bounds apply).  Always succeeds; *lo <= *hi.  *why gets
 * a static text naming where each bound comes from ("" when none).
 *   min_free_kbytes   lo = max(1024, kernel.default.min_free_kbytes): below the kernel's own
 *                          choice THP or hot-plug would raise it again, and
 *                          below 1 MiB PF_MEMALLOC allocations fail (vm.rst);
 *                     hi = wmark.min_free_kbytes_cap_kbytes, else 5 % of
 *                          mem.lowmem_managed_bytes (the cap THP itself uses);
 *                          when lo > hi the cap wins (too high OOMs the host)
 *   watermark_scale_factor  hi = 1000 (10 % of each zone between min and low,
 *                          the pre-5.17 maximum)
 *   watermark_boost_factor  hi = 30000 (boost up to 3x the high mark)
 *   vfs_cache_pressure lo = 1 (0 never reclaims dentries/inodes: OOM risk)
 *   dirty_ratio        lo = 1 (0 throttles every writer)
 *   dirty_bytes        lo = 2 pages (host.page_size, else 4096: the kernel
 *                          rejects less)
 *   dirty_background_bytes  lo = 1 page
 *   dirty_writeback_centisecs lo = 1 (0 disables periodic writeback)
 *   zone_reclaim_mode  hi = 7 (the bits 1, 2 and 4)
 * Other keys: the legal range only. */
void sysctl_safe_bounds(const struct sysctl_def *sc, const struct facts *f, int64_t *lo, int64_t *hi,
			const char **why);

/* Where v stands for sc on this host: within both bounds, outside the
 * legal range on kernel kv (sysctl_legal_range: a write fails with EINVAL),
 * or inside it but outside the safety bounds from f (sysctl_safe_bounds).
 * The one check of a value the advisor did not choose itself (an
 * administrator's, a restore point's).  Outside, *lo and *hi get the
 * range crossed and *why (safety only, else "") its static text. */
enum sysctl_bound {
	SYSCTL_WITHIN,
	SYSCTL_OUTSIDE_LEGAL,
	SYSCTL_OUTSIDE_SAFE,
};
enum sysctl_bound sysctl_value_bound(const struct sysctl_def *sc, const struct facts *f, int64_t kv, int64_t v,
				     int64_t *lo, int64_t *hi, const char **why);

/* The kernel default on this host: the static one, or for computed defaults
 * what the kernel would compute on this host (min_free_kbytes:
 * kernel.default.min_free_kbytes, the model's one computation).  Returns false
 * when unknown. */
bool sysctl_kernel_default(const struct sysctl_def *sc, const struct facts *f, int64_t *out);

#endif
