/* advise_history: a recorded history and the simulator's answer from it,
 * the request's history and sim (recommend --history).  Contract in
 * advise.h. */
#include "advise.h"

#include "../base/buf.h"
#include "../facts/facts.h"
#include "../model/watermark.h"
#include "../history/history.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

int advise_history(const char *path, struct history *hist, struct sim_result *sim, struct diag_list *d)
{
	/* whatif's default question: which settings bring direct reclaim to
	 * at most 1 % of what the current settings give. */
	struct sim_opts so = {.target_pct = 1, .search = true};
	int rc = hist_read(path, hist, d);
	return rc ? rc : sim_run(hist, &so, sim, d);
}

/* Pages the populated zones manage (zone_pages). */
static int64_t managed_pages(const struct zoneinfo *zi)
{
	int64_t n = 0;
	for (size_t i = 0; i < zi->nzones; i++)
		n += zone_pages(&zi->zones[i]);
	return n;
}

/* Whether zone z of a is populated in b too (same node and name). */
static bool populated_in(const struct zone *z, const struct zoneinfo *b)
{
	for (size_t j = 0; j < b->nzones; j++)
		if (b->zones[j].node == z->node && !strcmp(b->zones[j].name, z->name))
			return zone_pages(&b->zones[j]) > 0;
	return false;
}

/* The populated zones of a and b, by node and name, are the same. */
static bool same_zones(const struct zoneinfo *a, const struct zoneinfo *b)
{
	for (size_t i = 0; i < a->nzones; i++)
		if (zone_pages(&a->zones[i]) > 0 && !populated_in(&a->zones[i], b))
			return false;
	for (size_t j = 0; j < b->nzones; j++)
		if (zone_pages(&b->zones[j]) > 0 && !populated_in(&b->zones[j], a))
			return false;
	return true;
}

/* "0/DMA 0/DMA32" for the populated zones, into b. */
static void zone_names(const struct zoneinfo *zi, struct buf *b)
{
	for (size_t i = 0; i < zi->nzones; i++)
		if (zone_pages(&zi->zones[i]) > 0)
			buf_printf(b, "%s%d/%s", b->len ? " " : "", zi->zones[i].node, zi->zones[i].name);
}

int advise_history_matches(const struct history *hist, const struct host *h, struct diag_list *d)
{
	const char *o = hist->origin;
	int64_t ps = 0;
	if (!facts_get_int(h->facts, F_HOST_PAGE_SIZE, &ps) && ps != hist->p.page_size) {
		diag_add(d, DIAG_ERROR, o, 0, 0,
			 "--history: recorded with %" PRId64 "-byte pages, the host has %" PRId64 ": not this host",
			 hist->p.page_size, ps);
		return -EINVAL;
	}
	if (!h->zi.nzones || !hist->zi.nzones) {
		diag_add(d, DIAG_WARNING, o, 0, 0,
			 "--history: the host's zones are unknown (no zoneinfo): cannot check that the history is "
			 "this host's");
	} else {
		int64_t mh = managed_pages(&hist->zi), mo = managed_pages(&h->zi);
		const double mib = (double)hist->p.page_size / 1048576.0;
		if (!same_zones(&hist->zi, &h->zi)) {
			struct buf zh = {0}, zo = {0};
			zone_names(&hist->zi, &zh);
			zone_names(&h->zi, &zo);
			diag_add(d, DIAG_ERROR, o, 0, 0, "--history: recorded on zones %s, the host has %s: not this host",
				 buf_str(&zh), buf_str(&zo));
			buf_free(&zh);
			buf_free(&zo);
			return -EINVAL;
		}
		/* the kernel's own managed counts move by a few pages between
		 * boots; a tenth is another machine or memory hot-plug */
		if (mh > 0 && (mo > mh + mh / 10 || mo < mh - mh / 10)) {
			diag_add(d, DIAG_ERROR, o, 0, 0,
				 "--history: its zones manage %.0f MiB, the host's %.0f MiB: another host, or memory "
				 "added or removed since; record a new history",
				 (double)mh * mib, (double)mo * mib);
			return -EINVAL;
		}
	}
	const char *k = facts_get_str(h->facts, F_KERNEL_OSRELEASE);
	if (k && hist->kernel_release && strcmp(k, hist->kernel_release))
		diag_add(d, DIAG_WARNING, o, 0, 0,
			 "--history: recorded under kernel %s, the host runs %s: the replay models the recorded "
			 "kernel's reclaim",
			 hist->kernel_release, k);
	const char *t = facts_get_str(h->facts, F_THP_ENABLED);
	enum wm_thp ht = t ? wm_thp_parse(t) : WM_THP_UNKNOWN;
	if (ht != WM_THP_UNKNOWN && hist->p.thp != WM_THP_UNKNOWN && ht != hist->p.thp)
		diag_add(d, DIAG_WARNING, o, 0, 0,
			 "--history: recorded with THP %s, the host has %s: its answer assumed the recorded "
			 "mode's min_free_kbytes floor",
			 wm_thp_name(hist->p.thp), wm_thp_name(ht));
	return 0;
}
