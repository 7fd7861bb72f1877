/* frag: pageblock order, free-block sizes, LRU implementation.  Contract
 * in frag.h. */
#include "frag.h"
#include "parse.h"
#include "../base/kver.h"
#include "../base/numparse.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SMALL_CAP (1u << 20)

static bool refusal(int rc)
{
	return rc == FILEIO_E_ESCAPE || rc == FILEIO_E_NOTREG || rc == -ELOOP || rc == -EILSEQ ||
	       rc == -EFBIG;
}

/* 0 read, 1 missing (reason set), -1 refused (diagnostic added). */
static int fread_rel(const struct root *r, const char *rel, char **buf, size_t *len, struct diag_list *d,
		     char **reason)
{
	int rc = root_read(r, rel, SMALL_CAP * 16, buf, len);
	if (!rc && !*len) {
		/* pagetypeinfo is 0400 since 5.6: a capture by a user gets an
		 * empty file, which says nothing */
		free(*buf);
		*reason = xasprintf("%s: empty (read without permission?)", rel);
		return 1;
	}
	if (!rc)
		return 0;
	*reason = xasprintf("%s: %s", rel, fileio_strerror(rc));
	if (refusal(rc)) {
		diag_add(d, DIAG_ERROR, rel, 0, 0, "%s", fileio_strerror(rc));
		return -1;
	}
	return 1;
}

int buddyinfo_parse(const char *buf, size_t len, const char *origin, unsigned min_order,
		    uint64_t *free_pages, uint64_t *block_pages, struct diag_list *d)
{
	int rc = parse_check_text(buf, len, origin, d);
	if (rc)
		return rc;
	uint64_t total = 0, blocks = 0;
	size_t pos = 0;
	struct parse_line l = {0};
	bool any = false;
	while (parse_line_next(buf, len, &pos, &l)) {
		if (!l.len)
			continue;
		char *line = xstrndup(l.s, l.len);
		/* "Node 0, zone   Normal    123 45 ..." */
		const char *z = strstr(line, "zone");
		if (strncmp(line, "Node", 4) || !z) {
			parse_line_error(d, origin, &l, NULL, "expected 'Node N, zone NAME counts...'");
			free(line);
			return -EINVAL;
		}
		const char *p = z + 4;
		while (*p == ' ' || *p == '\t')
			p++;
		while (*p && *p != ' ' && *p != '\t')
			p++; /* the zone name */
		for (unsigned order = 0;; order++) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (!*p)
				break;
			uint64_t n;
			const char *end;
			if (order > 20 || parse_u64(p, &end, &n) || n > (UINT64_MAX >> 21) ||
			    (*end && *end != ' ' && *end != '\t')) {
				parse_line_error(d, origin, &l, NULL, "bad free block count");
				free(line);
				return -EINVAL;
			}
			uint64_t pages = n << order;
			total += pages;
			if (order >= min_order)
				blocks += pages;
			p = end;
		}
		any = true;
		free(line);
	}
	if (!any) {
		diag_add(d, DIAG_ERROR, origin, 0, 0, "no zone lines");
		return -EINVAL;
	}
	*free_pages = total;
	*block_pages = blocks;
	return 0;
}

static void collect_pageblock(const struct root *r, struct facts *f, struct diag_list *d, int *err,
			      int64_t *order)
{
	char *buf, *why = NULL;
	size_t len;
	*order = -1;
	int rc = fread_rel(r, "proc/pagetypeinfo", &buf, &len, d, &why);
	if (rc) {
		if (rc < 0)
			*err = -EINVAL;
		facts_set_absent(f, F_MEM_PAGEBLOCK_ORDER, why);
		free(why);
		return;
	}
	uint64_t v;
	const char *k = "Page block order:";
	if (!strncmp(buf, k, strlen(k)) && parse_u64(buf + strlen(k) + strspn(buf + strlen(k), " \t"), NULL, &v) == 0 &&
	    v >= 1 && v <= 20) {
		*order = (int64_t)v;
		facts_set_int(f, F_MEM_PAGEBLOCK_ORDER, *order, "proc/pagetypeinfo");
	} else {
		diag_add(d, DIAG_ERROR, "proc/pagetypeinfo", 1, 0, "expected 'Page block order: N' first");
		*err = -EINVAL;
		facts_set_absent(f, F_MEM_PAGEBLOCK_ORDER, "proc/pagetypeinfo: malformed");
	}
	free(buf);
}

static void collect_buddy(const struct root *r, struct facts *f, struct diag_list *d, int *err,
			  int64_t order)
{
	static const enum fact_id names[] = {F_BUDDY_FREE_PAGES, F_BUDDY_FREE_PAGEBLOCK_PAGES,
					     F_BUDDY_PAGEBLOCK_FREE_SHARE};
	char *buf, *why = NULL;
	size_t len;
	int rc = fread_rel(r, "proc/buddyinfo", &buf, &len, d, &why);
	if (rc) {
		if (rc < 0)
			*err = -EINVAL;
		for (size_t i = 0; i < 3; i++)
			facts_set_absent(f, names[i], why);
		free(why);
		return;
	}
	uint64_t total, blocks;
	/* 9: x86-64's pageblock order with 2 MiB THP, when pagetypeinfo is missing. */
	const char *src = order > 0 ? "proc/buddyinfo, proc/pagetypeinfo" : "proc/buddyinfo (pageblock order 9 assumed)";
	if (buddyinfo_parse(buf, len, "proc/buddyinfo", order > 0 ? (unsigned)order : 9, &total, &blocks, d)) {
		*err = -EINVAL;
		for (size_t i = 0; i < 3; i++)
			facts_set_absent(f, names[i], "proc/buddyinfo: malformed");
	} else {
		facts_set_int(f, names[0], (int64_t)total, "proc/buddyinfo");
		facts_set_int(f, names[1], (int64_t)blocks, src);
		if (total)
			facts_set_float(f, names[2], (double)blocks / (double)total, src);
		else
			facts_set_absent(f, names[2], "no free pages");
	}
	free(buf);
}

static void collect_lru(const struct root *r, struct facts *f, struct diag_list *d, int *err)
{
	const char *rel = "sys/kernel/mm/lru_gen/enabled";
	char *buf, *why = NULL;
	size_t len;
	int rc = fread_rel(r, rel, &buf, &len, d, &why);
	if (rc == 0) {
		const char *p = buf + strspn(buf, " \t");
		char *end = NULL;
		errno = 0;
		unsigned long long mask = !strncmp(p, "0x", 2) ? strtoull(p + 2, &end, 16) : 0;
		if (end && end > p + 2 && !errno && (*end == '\n' || !*end)) {
			facts_set_str(f, F_HOST_LRU, mask & 1 ? "mglru" : "classic", rel);
		} else {
			diag_add(d, DIAG_ERROR, rel, 1, 0, "expected a hex mask such as 0x0007");
			*err = -EINVAL;
			facts_set_absent(f, F_HOST_LRU, "sys/kernel/mm/lru_gen/enabled: malformed");
		}
		free(buf);
		return;
	}
	if (rc < 0)
		*err = -EINVAL;
	int64_t kv;
	if (facts_get_int(f, F_HOST_KERNEL_VERSION, &kv) == 0 && kv < KVER(6, 1, 0))
		facts_set_str(f, F_HOST_LRU, "classic", "host.kernel_version (MGLRU arrived in 6.1)");
	else
		facts_set_absent(f, F_HOST_LRU, why);
	free(why);
}

int frag_collect(const struct root *r, struct facts *f, struct diag_list *d)
{
	int err = 0;
	int64_t order;
	collect_pageblock(r, f, d, &err, &order);
	collect_buddy(r, f, d, &err, order);
	collect_lru(r, f, d, &err);
	return err;
}
