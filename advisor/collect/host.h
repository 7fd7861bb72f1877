/* host: everything collected about one host, the input of every later stage.
 *
 * A struct host is produced by the collector (from a root) or by the
 * snapshot reader (from a JSON snapshot) and is read-only afterwards, except
 * that the watermark model adds its wmark.* facts before the rules run.
 * It owns its facts, its zones and its diagnostics.
 */
#ifndef ADVISOR_HOST_H
#define ADVISOR_HOST_H

#include "../base/diag.h"
#include "../facts/facts.h"

#include <stddef.h>
#include <stdint.h>

#define ZONE_ABSENT INT64_C(-1) /* a zoneinfo line the kernel did not print */
#define ZONE_MAX_PROTECTION 8
/* The kernel's own limits: node ids below MAX_NUMNODES (1 << NODES_SHIFT,
 * at most 10 bits in any shipped config) and at most 1 << ZONES_SHIFT (3
 * bits) zones per node.  A zoneinfo or snapshot beyond them is not from a
 * kernel; refusing it bounds every later stage's work. */
#define ZONEINFO_MAX_NODES 1024
/* The largest physically possible magnitudes, so that sums and products of
 * input values (over at most 8192 zones, times a page size) stay far from
 * int64 overflow, and a value beyond them is reported where it was read:
 * a zone's page counts (52-bit physical addresses / 4 KiB pages = 2^40),
 * meminfo kB (2^50 kB = 1 EiB), vmstat counters (2^56: a million events a
 * second for two thousand years). */
#define HOST_MAX_PAGES (INT64_C(1) << 40)
/* ... and over all zones, per field (a page size is at most 1 MiB = 2^20,
 * so a sum of pages in bytes stays below 2^62). */
#define HOST_MAX_TOTAL_PAGES (INT64_C(1) << 42)
#define HOST_MAX_KB (INT64_C(1) << 50)
#define HOST_MAX_COUNTER (INT64_C(1) << 56)
#define ZONEINFO_MAX_ZONES_PER_NODE 8

struct zone_counter {
	char *name;    /* "nr_free_pages", owned */
	int64_t value;
};

struct zone {
	int node;
	char *name;                 /* "DMA", "DMA32", "Normal", "HighMem", "Movable", "Device" or as printed; owned */
	int64_t free, boost, min, low, high, promo;   /* pages; ZONE_ABSENT when not printed */
	int64_t spanned, present, managed, cma;       /* pages; ZONE_ABSENT when not printed */
	int64_t protection[ZONE_MAX_PROTECTION];      /* lowmem_reserve[], by zone index */
	unsigned nprotection;                         /* 0 = no protection line */
	struct zone_counter *counters;                /* per-zone nr_* / numa_* lines, owned */
	size_t ncounters;
};

/* A zone's page counts, each once: name as zoneinfo and every document of
 * ours (snapshot, `facts --format json`) spell it, and where it lives.  The
 * snapshot writer and reader and zoneinfo_check iterate this table. */
struct zone_page_field {
	const char *name;
	size_t off; /* offsetof(struct zone, ...), an int64_t */
};
extern const struct zone_page_field zone_page_fields[];
extern const size_t zone_page_nfields;
/* The field of z that f names: its value, and the field to fill. */
static inline int64_t zone_page_get(const struct zone *z, const struct zone_page_field *f)
{
	return *(const int64_t *)((const char *)z + f->off);
}
static inline int64_t *zone_page_field_of(struct zone *z, const struct zone_page_field *f)
{
	return (int64_t *)((char *)z + f->off);
}

struct node_stats {
	int node;
	struct zone_counter *counters; /* the "per-node stats" block, owned */
	size_t ncounters;
};

struct zoneinfo {
	struct zone *zones;        /* in file order: node, then zone index */
	size_t nzones;
	struct node_stats *nodes;  /* one per node that printed a per-node block */
	size_t nnodes;
};

struct host {
	struct facts *facts;      /* owned */
	struct zoneinfo zi;       /* owned; nzones == 0 when zoneinfo is missing */
	struct diag_list diags;   /* warnings and notes from collection */
	char *origin;             /* root directory or snapshot path, owned */
};

void zoneinfo_free(struct zoneinfo *zi);
/* The zone set is one a kernel could print: every node id below
 * ZONEINFO_MAX_NODES, at most ZONEINFO_MAX_ZONES_PER_NODE zones per node,
 * no (node, zone name) twice, every page field's sum over all zones at
 * most HOST_MAX_TOTAL_PAGES.  0, or -EINVAL with an error in d at origin
 * (line 0: for snapshots; the zoneinfo parser checks as it reads). */
int zoneinfo_check(const struct zoneinfo *zi, const char *origin, struct diag_list *d);
/* Free everything the host owns and zero it.  NULL is a no-op. */
void host_free(struct host *h);

/* Could a kernel hold v for the sysctl fact id?  NULL when it could;
 * else why not, with the range it must lie in (*lo, *hi), for the caller's
 * "impossible value" error.  The watermark model's inputs
 * (min_free_kbytes, watermark_scale_factor, watermark_boost_factor) are C
 * ints the kernel keeps at 0 or above ("the kernel holds it in an int": a
 * tree with 2^31 or -5 reached the model, which refused it while the
 * advice went on without it); every key of the sysctl catalog lies in the
 * widest legal range any kernel enforces (sysctl_value_possible,
 * model/sysctl_catalog.h: "outside every kernel's legal range": swappiness
 * 500 or watermark_scale_factor 0 is from no kernel).  live: read from the
 * running kernel, which holds what it shows, so a value outside the
 * catalog's range is kept there (*kept true: the caller warns that the
 * catalog is out of date) where a tree, dump or snapshot is refused.
 * Other facts: NULL. */
const char *host_sysctl_impossible(enum fact_id id, int64_t v, bool live, int64_t *lo, int64_t *hi, bool *kept);

/* Warnings for the catalog's sysctls in h that some kernel can hold but h's
 * kernel (host.kernel_version, known) does not accept: swappiness 150 on
 * 5.4 (0..100; 5.8 raised it), a limit a distribution kernel may have
 * backported or a kernel version misread.  Kept, and said plainly, at the
 * fact's source. */
void host_sysctl_range_warnings(struct host *h);

/* Does h hold the current value of any sysctl of the catalog (the keys the
 * advisor sets)?  False for a tree whose proc/sys/vm lost them: then no
 * advice can call the host "as advised". */
bool host_sysctls_known(const struct host *h);

/* Zone kinds the watermark arithmetic distinguishes. */
enum zone_kind { ZK_DMA, ZK_DMA32, ZK_NORMAL, ZK_HIGHMEM, ZK_MOVABLE, ZK_DEVICE, ZK_OTHER };
enum zone_kind zone_kind_of(const char *name);

/* The pages a zone gives the allocator: managed, or present where the
 * kernel printed no managed line (before 3.8); 0 when neither (or a
 * hostile negative count).  A zone is populated when this is above 0. */
static inline int64_t zone_pages(const struct zone *z)
{
	return z->managed >= 0 ? z->managed : z->present >= 0 ? z->present : 0;
}

#endif
