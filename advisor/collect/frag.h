/* frag: the state that tells high-order trouble from order-0 trouble, and
 * which LRU the kernel runs.
 *
 * - mem.pageblock_order from proc/pagetypeinfo's first line ("Page block
 *   order: 9"): 9 on x86-64 with 2 MiB THP, 10 on kernels built without
 *   hugetlb (MAX_ORDER - 1), which is what THP's min_free_kbytes floor
 *   (set_recommended_min_free_kbytes, 11 pageblocks per zone) is made of.
 * - buddy.free_pages, buddy.free_pageblock_pages, buddy.pageblock_free_share
 *   from proc/buddyinfo: free memory, and how much of it is in blocks of at
 *   least a pageblock (what a THP fault needs without compaction).  The
 *   order is mem.pageblock_order, else 9 (x86-64's, said in the source).
 * - host.lru: "mglru" when sys/kernel/mm/lru_gen/enabled has bit 0
 *   (LRU_GEN_CORE) set, "classic" when it is clear or the kernel predates
 *   6.1 (MGLRU's release); absent otherwise.  Direct reclaim's batch differs
 *   by orders of magnitude between the two (shrink_lruvec versus
 *   lru_gen_shrink_node), so evidence thresholds depend on it.
 * frag_collect sets them (absent with the reason when the source is
 * missing) and returns 0, or -EINVAL when a file was refused or malformed
 * (recorded in d).  host.kernel_version must already be set or absent.
 */
#ifndef ADVISOR_FRAG_H
#define ADVISOR_FRAG_H

#include "../base/diag.h"
#include "../base/fileio.h"
#include "../facts/facts.h"

int frag_collect(const struct root *r, struct facts *f, struct diag_list *d);

/* Parse proc/buddyinfo: the sum of free pages, and of free pages in blocks
 * of order >= min_order.  0, or -EINVAL (a diagnostic in d). */
int buddyinfo_parse(const char *buf, size_t len, const char *origin, unsigned min_order,
		    uint64_t *free_pages, uint64_t *block_pages, struct diag_list *d);

#endif
