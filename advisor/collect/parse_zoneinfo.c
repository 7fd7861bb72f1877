/* parse_zoneinfo: proc/zoneinfo, every generation from 2.6.14 to 6.x.
 *
 * The printer is mm/vmstat.c zoneinfo_show_print() (and, before 2.6.2x,
 * the same function in its older shape).  What changed over the years, and
 * how this parser copes:
 * - "Node %d, zone %8s" heads every zone block (name right-aligned, so it
 *   carries leading blanks; kept without them, unknown names as printed).
 * - 4.8+ prints "  per-node stats" and the node's counters under the first
 *   populated zone of each node (node-based LRU); an unmerged 2023 RFC put
 *   them under their own "Node %d, per-node stats" header.  Both land in
 *   struct node_stats; node counters are never mixed with zone counters.
 * - "pages free", then one "key value" line per watermark/size field:
 *   boost (5.x+), min, low, high, promo (6.x, optional), spanned, present,
 *   managed (3.8+), cma (5.x+).  Keys are matched on the first word, never
 *   on position, because fields were added in the middle over time.
 * - "protection: (a, b, ...)" is lowmem_reserve[] by zone index.
 * - Zone counters ("nr_free_pages 123", "numa_hit 5"; 2.6 printed per-zone
 *   LRU sizes "active"/"inactive" and "scanned 0 (a: 24 i: 4)") go to
 *   zone.counters under the printed name.  A counter line outside any zone
 *   block is the "zone block without a header" error.
 * - "pagesets" and everything after it up to the next "Node" line (per-CPU
 *   "cpu:", "count:", "high:", "batch:", "high_min:", "vm stats threshold:",
 *   "node_unreclaimable:", "start_pfn:", ...) is skipped, as are the
 *   "word:" lines old kernels printed outside it (all_unreclaimable:,
 *   prev_priority:, inactive_ratio:).
 * - RHEL 8's 4.18 prints one node counter with an empty name (a bare
 *   number, seen in the rhel8-coreos and pcp-qa-006 captures); it is skipped
 *   with a warning rather than failing a genuine kernel's file.
 * A zone block must have "pages free", min, low and high, the lines every
 * generation prints; a block without them is reported as truncated.
 */
#include "parse.h"

#include "../base/numparse.h"
#include "../base/textsafe.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Bits of struct zone fields seen, for the truncation check. */
enum { F_FREE = 1, F_MIN = 2, F_LOW = 4, F_HIGH = 8, F_REQUIRED = 15 };

/* The zones seen so far for one node (indexes into zi.zones). */
struct node_zones {
	unsigned n;
	size_t idx[ZONEINFO_MAX_ZONES_PER_NODE];
	unsigned line[ZONEINFO_MAX_ZONES_PER_NODE];
};

struct zstate {
	struct zoneinfo zi;
	struct node_zones *per_node; /* ZONEINFO_MAX_NODES entries, owned, allocated at the first zone */
	size_t zcap, ncap;
	size_t zcnt_cap; /* counters capacity of the current zone */
	size_t ncnt_cap; /* counters capacity of the current node block */
	long zone;       /* index of the zone being filled, -1 none */
	long node;       /* index of the node block receiving counters, -1 none */
	bool pagesets;   /* skipping until the next "Node" line */
	unsigned seen;   /* F_* of the current zone */
	unsigned zone_line;
};

static void counter_push(struct zone_counter **v, size_t *n, size_t *cap, const char *name,
			 size_t nlen, int64_t value)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[*n].name = xstrndup(name, nlen);
	(*v)[*n].value = value;
	(*n)++;
}

/* The current zone must have the fields every kernel prints; otherwise the
 * file was cut short (or garbled) inside this block. */
static int zone_finish(struct zstate *st, const char *origin, struct diag_list *d)
{
	if (st->zone < 0)
		return 0;
	unsigned missing = F_REQUIRED & ~st->seen;
	st->zone = -1;
	if (!missing)
		return 0;
	const struct zone *z = &st->zi.zones[st->zi.nzones - 1];
	const char *what = missing & F_FREE  ? "pages free"
			   : missing & F_MIN ? "min"
			   : missing & F_LOW ? "low"
					     : "high";
	diag_add(d, DIAG_ERROR, origin, st->zone_line, 0,
		 "node %d zone %s: no '%s' line in its block (truncated file?)", z->node, z->name,
		 what);
	return -EINVAL;
}

static long node_block(struct zstate *st, int node)
{
	for (size_t i = 0; i < st->zi.nnodes; i++)
		if (st->zi.nodes[i].node == node) {
			/* A second block for the same node appends to the first.
			 * counter_push doubles from 32, so the array is resized to
			 * the capacity that sequence implies. */
			struct node_stats *ns = &st->zi.nodes[i];
			size_t c = 0;
			if (ns->ncounters) {
				for (c = 32; c < ns->ncounters; c *= 2)
					;
				ns->counters = xreallocarray(ns->counters, c, sizeof(*ns->counters));
			}
			st->ncnt_cap = c;
			return (long)i;
		}
	if (st->zi.nnodes == st->ncap) {
		st->ncap = st->ncap ? st->ncap * 2 : 4;
		st->zi.nodes = xreallocarray(st->zi.nodes, st->ncap, sizeof(*st->zi.nodes));
	}
	struct node_stats *ns = &st->zi.nodes[st->zi.nnodes++];
	memset(ns, 0, sizeof(*ns));
	ns->node = node;
	st->ncnt_cap = 0;
	return (long)(st->zi.nnodes - 1);
}

/* An unsigned number that fits int64 at p; *end after it. */
static int num_at(const char *p, const char *e, const char **end, int64_t *out)
{
	if (p >= e)
		return -EINVAL;
	uint64_t u;
	int rc = parse_u64(p, end, &u);
	if (rc)
		return rc;
	if (u > (uint64_t)INT64_MAX)
		return -ERANGE;
	*out = (int64_t)u;
	return 0;
}

static const char *num_error(int rc)
{
	return rc == -ERANGE ? "value does not fit in 64 bits" : "expected an unsigned number";
}

/* "Node N, zone NAME" or "Node N, per-node stats". */
static int header(struct zstate *st, const struct parse_line *l, const char *p, const char *e,
		  const char *origin, struct diag_list *d)
{
	int rc = zone_finish(st, origin, d);
	if (rc)
		return rc;
	st->node = -1;
	st->pagesets = false;
	const char *q = parse_skip_blank(p + 4, e), *end;
	int64_t node;
	rc = num_at(q, e, &end, &node);
	if (rc || node >= ZONEINFO_MAX_NODES) {
		parse_line_error(d, origin, l, q < e ? q : NULL, "node number: %s",
				 rc ? num_error(rc) : "beyond the kernel's MAX_NUMNODES (1024)");
		return rc ? rc : -ERANGE;
	}
	if (end >= e || *end != ',') {
		parse_line_error(d, origin, l, end < e ? end : NULL,
				 "expected 'Node N, zone NAME'");
		return -EINVAL;
	}
	q = parse_skip_blank(end + 1, e);
	const char *we = parse_word_end(q, e);
	if (parse_word_is(q, we, "per-node")) {
		const char *s = parse_skip_blank(we, e), *se = parse_word_end(s, e);
		if (!parse_word_is(s, se, "stats") || parse_skip_blank(se, e) != e) {
			parse_line_error(d, origin, l, s < e ? s : NULL,
					 "expected 'Node N, per-node stats'");
			return -EINVAL;
		}
		st->node = node_block(st, (int)node);
		return 0;
	}
	const char *name = parse_skip_blank(we, e), *ne = parse_word_end(name, e);
	if (!parse_word_is(q, we, "zone") || name == e || parse_skip_blank(ne, e) != e) {
		parse_line_error(d, origin, l, q < e ? q : NULL, "expected 'Node N, zone NAME'");
		return -EINVAL;
	}
	/* Duplicates and the per-node count, against the (at most 8) zones
	 * already seen for this node: linear in the file, whatever its order. */
	if (!st->per_node)
		st->per_node = xcalloc(ZONEINFO_MAX_NODES, sizeof(*st->per_node));
	struct node_zones *nz = &st->per_node[node];
	/* The name is kept safe for every output (textsafe.h). */
	char *zname = text_safe_n(name, (size_t)(ne - name));
	for (unsigned i = 0; i < nz->n; i++) {
		const struct zone *o = &st->zi.zones[nz->idx[i]];
		if (!strcmp(zname, o->name)) {
			parse_line_error(d, origin, l, name,
					 "node %d zone %s printed twice (first at line %u): a kernel "
					 "prints each zone once",
					 (int)node, o->name, nz->line[i]);
			free(zname);
			return -EINVAL;
		}
	}
	if (nz->n == ZONEINFO_MAX_ZONES_PER_NODE) {
		parse_line_error(d, origin, l, name,
				 "node %d: more than %d zones (the kernel's MAX_NR_ZONES)", (int)node,
				 ZONEINFO_MAX_ZONES_PER_NODE);
		free(zname);
		return -EINVAL;
	}
	nz->idx[nz->n] = st->zi.nzones;
	nz->line[nz->n++] = l->no;
	if (st->zi.nzones == st->zcap) {
		st->zcap = st->zcap ? st->zcap * 2 : 8;
		st->zi.zones = xreallocarray(st->zi.zones, st->zcap, sizeof(*st->zi.zones));
	}
	struct zone *z = &st->zi.zones[st->zi.nzones++];
	memset(z, 0, sizeof(*z));
	z->node = (int)node;
	z->name = zname;
	z->free = z->boost = z->min = z->low = z->high = z->promo = ZONE_ABSENT;
	z->spanned = z->present = z->managed = z->cma = ZONE_ABSENT;
	st->zone = (long)(st->zi.nzones - 1);
	st->zcnt_cap = 0;
	st->seen = 0;
	st->zone_line = l->no;
	return 0;
}

static int protection(struct zone *z, const struct parse_line *l, const char *p, const char *e,
		      const char *origin, struct diag_list *d)
{
	p = parse_skip_blank(p, e);
	if (p == e || *p != '(') {
		parse_line_error(d, origin, l, p < e ? p : NULL, "protection: expected '('");
		return -EINVAL;
	}
	int64_t v[ZONE_MAX_PROTECTION];
	unsigned n = 0;
	p++;
	for (;;) {
		const char *end;
		int64_t x;
		p = parse_skip_blank(p, e);
		int rc = num_at(p, e, &end, &x);
		if (!rc && x > HOST_MAX_PAGES)
			rc = -ERANGE;
		if (rc) {
			parse_line_error(d, origin, l, p < e ? p : NULL, "protection: %s",
					 rc == -ERANGE && x > HOST_MAX_PAGES ? "impossible page count (above 2^40 pages)"
									  : num_error(rc));
			return rc;
		}
		if (n == ZONE_MAX_PROTECTION) {
			parse_line_error(d, origin, l, p,
					 "protection: more than %d entries", ZONE_MAX_PROTECTION);
			return -EINVAL;
		}
		v[n++] = x;
		p = parse_skip_blank(end, e);
		if (p < e && *p == ',') {
			p++;
			continue;
		}
		if (p < e && *p == ')' && parse_skip_blank(p + 1, e) == e)
			break;
		parse_line_error(d, origin, l, p < e ? p : NULL, "protection: expected ',' or ')'");
		return -EINVAL;
	}
	memcpy(z->protection, v, n * sizeof(v[0]));
	z->nprotection = n;
	return 0;
}

struct zfield {
	const char *name;
	size_t off;   /* into struct zone */
	unsigned bit; /* F_* when every generation prints it */
};

static const struct zfield *zone_field(const char *w, const char *we)
{
	static const struct zfield f[] = {
		{"boost", offsetof(struct zone, boost), 0},
		{"min", offsetof(struct zone, min), F_MIN},
		{"low", offsetof(struct zone, low), F_LOW},
		{"high", offsetof(struct zone, high), F_HIGH},
		{"promo", offsetof(struct zone, promo), 0},
		{"spanned", offsetof(struct zone, spanned), 0},
		{"present", offsetof(struct zone, present), 0},
		{"managed", offsetof(struct zone, managed), 0},
		{"cma", offsetof(struct zone, cma), 0},
	};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (parse_word_is(w, we, f[i].name))
			return &f[i];
	return NULL;
}

static bool counter_name_ok(const char *p, const char *e)
{
	for (; p < e; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static int line(struct zstate *st, const struct parse_line *l, const char *origin,
		struct diag_list *d)
{
	const char *e = l->s + l->len, *p = parse_skip_blank(l->s, e);
	if (p == e)
		return 0;
	const char *we = parse_word_end(p, e);
	if (parse_word_is(p, we, "Node"))
		return header(st, l, p, e, origin, d);
	if (st->pagesets)
		return 0;
	struct zone *z = st->zone >= 0 ? &st->zi.zones[st->zone] : NULL;
	int wl = (int)(we - p > 40 ? 40 : we - p);

	if (parse_word_is(p, we, "per-node")) {
		const char *s = parse_skip_blank(we, e), *se = parse_word_end(s, e);
		if (!parse_word_is(s, se, "stats") || parse_skip_blank(se, e) != e) {
			parse_line_error(d, origin, l, s < e ? s : NULL, "expected 'per-node stats'");
			return -EINVAL;
		}
		if (!z) {
			parse_line_error(d, origin, l, p,
					 "'per-node stats' before any 'Node N, zone NAME' header");
			return -EINVAL;
		}
		st->node = node_block(st, z->node);
		return 0;
	}
	if (parse_word_is(p, we, "pagesets")) {
		st->pagesets = true;
		st->node = -1;
		return 0;
	}
	if (parse_word_is(p, we, "protection:")) {
		if (!z) {
			parse_line_error(d, origin, l, p,
					 "'protection:' before any 'Node N, zone NAME' header");
			return -EINVAL;
		}
		st->node = -1;
		return protection(z, l, we, e, origin, d);
	}
	if (we[-1] == ':')
		return 0; /* all_unreclaimable:, prev_priority:, start_pfn:, ... */

	/* A watermark or size field ends a per-node block: those are printed
	 * after the node counters and before the zone counters. */
	const char *v = parse_skip_blank(we, e);
	struct zfield pages_free = {"pages free", offsetof(struct zone, free), F_FREE};
	const struct zfield *f = zone_field(p, we);
	if (parse_word_is(p, we, "pages")) {
		const char *fe = parse_word_end(v, e);
		if (!parse_word_is(v, fe, "free")) {
			parse_line_error(d, origin, l, v < e ? v : NULL, "expected 'pages free N'");
			return -EINVAL;
		}
		v = parse_skip_blank(fe, e);
		f = &pages_free;
	}
	if (f) {
		if (!z)
			goto no_zone;
		const char *end;
		int64_t x;
		int rc = num_at(v, e, &end, &x);
		if (!rc && parse_skip_blank(end, e) != e)
			rc = -EINVAL;
		if (rc) {
			parse_line_error(d, origin, l, v < e ? v : NULL, "'%s': %s", f->name,
					 num_error(rc));
			return rc;
		}
		if (x > HOST_MAX_PAGES) {
			parse_line_error(d, origin, l, v, "'%s': impossible page count %lld (above 2^40 pages)",
					 f->name, (long long)x);
			return -ERANGE;
		}
		*(int64_t *)((char *)z + f->off) = x;
		st->seen |= f->bit;
		st->node = -1;
		return 0;
	}

	if (*p >= '0' && *p <= '9') {
		/* RHEL 8.x: a node counter with an empty name. */
		diag_add(d, DIAG_WARNING, origin, l->no, 0,
			 "counter line without a name ignored");
		return 0;
	}
	if (!counter_name_ok(p, we)) {
		parse_line_error(d, origin, l, p, "unrecognised line");
		return -EINVAL;
	}
	const char *end;
	int64_t x;
	int rc = num_at(v, e, &end, &x);
	if (rc) {
		parse_line_error(d, origin, l, v < e ? v : NULL, "'%.*s': %s", wl, p,
				 num_error(rc));
		return rc;
	}
	end = parse_skip_blank(end, e);
	/* 2.6's "scanned  0 (a: 24 i: 4)" carries a parenthesised tail. */
	if (end != e && *end != '(') {
		parse_line_error(d, origin, l, end, "'%.*s': unexpected text after the value", wl,
				 p);
		return -EINVAL;
	}
	if (st->node >= 0) {
		struct node_stats *ns = &st->zi.nodes[st->node];
		counter_push(&ns->counters, &ns->ncounters, &st->ncnt_cap, p, (size_t)(we - p), x);
		return 0;
	}
	if (z) {
		counter_push(&z->counters, &z->ncounters, &st->zcnt_cap, p, (size_t)(we - p), x);
		return 0;
	}
no_zone:
	parse_line_error(d, origin, l, p,
			 "'%.*s' before any 'Node N, zone NAME' header (a zone block without "
			 "a header)",
			 wl, p);
	return -EINVAL;
}

int zoneinfo_parse(const char *buf, size_t len, const char *origin, struct zoneinfo *out,
		   struct diag_list *d)
{
	int rc = parse_check_text(buf, len, origin, d);
	if (rc)
		return rc;
	struct zstate st = {.zone = -1, .node = -1};
	size_t pos = 0;
	struct parse_line l = {0};
	while (parse_line_next(buf, len, &pos, &l)) {
		rc = line(&st, &l, origin, d);
		if (rc)
			goto fail;
	}
	rc = zone_finish(&st, origin, d);
	if (rc)
		goto fail;
	if (st.zi.nzones == 0) {
		diag_add(d, DIAG_ERROR, origin, l.no ? l.no : 1, 0,
			 "no 'Node N, zone NAME' header: not a zoneinfo file");
		rc = -EINVAL;
		goto fail;
	}
	free(st.per_node);
	*out = st.zi;
	return 0;
fail:
	free(st.per_node);
	zoneinfo_free(&st.zi);
	return rc;
}
