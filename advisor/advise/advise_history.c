/* advise_history: a recorded history and the simulator's answer from it,
 * the request's history and sim (recommend --history).  Contract in
 * advise.h. */
#include "advise.h"

#include "../base/buf.h"
#include "../facts/facts.h"
#include "../model/watermark.h"
#include "../history/history.h"
#include "../base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>

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

/* One side of a comparison: what a history, or the host, says. */
struct side {
	const char *what;        /* "the host", "HISTORY" */
	int64_t page_size;       /* 0 unknown */
	const struct zoneinfo *zi;
	const char *kernel;      /* NULL unknown */
	enum wm_thp thp;
};

/* Whether the history hist (origin o) and the other side b are one host:
 * page size, populated zones and managed memory agree (-EINVAL with an
 * error); a kernel or THP mode that differs is a warning. */
static int same_host(const struct history *hist, const struct side *b, struct diag_list *d)
{
	const char *o = hist->origin;
	if (b->page_size && b->page_size != hist->p.page_size) {
		diag_add(d, DIAG_ERROR, o, 0, 0,
			 "--history: recorded with %" PRId64 "-byte pages, %s has %" PRId64 ": not this host",
			 hist->p.page_size, b->what, b->page_size);
		return -EINVAL;
	}
	if (!b->zi->nzones || !hist->zi.nzones) {
		diag_add(d, DIAG_WARNING, o, 0, 0,
			 "--history: the zones of %s are unknown (no zoneinfo): cannot check that the history is "
			 "this host's",
			 b->zi->nzones ? "the history" : b->what);
	} else {
		int64_t mh = managed_pages(&hist->zi), mo = managed_pages(b->zi);
		const double mib = (double)hist->p.page_size / 1048576.0;
		if (!same_zones(&hist->zi, b->zi)) {
			struct buf zh = {0}, zo = {0};
			zone_names(&hist->zi, &zh);
			zone_names(b->zi, &zo);
			diag_add(d, DIAG_ERROR, o, 0, 0, "--history: recorded on zones %s, %s has %s: not this host",
				 buf_str(&zh), b->what, buf_str(&zo));
			buf_free(&zh);
			buf_free(&zo);
			return -EINVAL;
		}
		/* the kernel's own managed counts move by a few pages between
		 * boots; a tenth is another machine or memory hot-plug */
		if (mh > 0 && (mo > mh + mh / 10 || mo < mh - mh / 10)) {
			diag_add(d, DIAG_ERROR, o, 0, 0,
				 "--history: its zones manage %.0f MiB, %s's %.0f MiB: another host, or memory "
				 "added or removed since; record a new history",
				 (double)mh * mib, b->what, (double)mo * mib);
			return -EINVAL;
		}
	}
	if (b->kernel && hist->kernel_release && strcmp(b->kernel, hist->kernel_release))
		diag_add(d, DIAG_WARNING, o, 0, 0,
			 "--history: recorded under kernel %s, %s %s %s: the replay models the recorded kernel's "
			 "reclaim",
			 hist->kernel_release, b->what, strcmp(b->what, "the host") ? "under" : "runs", b->kernel);
	if (b->thp != WM_THP_UNKNOWN && hist->p.thp != WM_THP_UNKNOWN && b->thp != hist->p.thp)
		diag_add(d, DIAG_WARNING, o, 0, 0,
			 "--history: recorded with THP %s, %s has %s: its answer assumed the recorded mode's "
			 "min_free_kbytes floor",
			 wm_thp_name(hist->p.thp), b->what, wm_thp_name(b->thp));
	return 0;
}

int advise_history_matches(const struct history *hist, const struct host *h, struct diag_list *d)
{
	int64_t ps = 0;
	const char *t = facts_get_str(h->facts, F_THP_ENABLED);
	struct side b = {.what = "the host", .zi = &h->zi, .kernel = facts_get_str(h->facts, F_KERNEL_OSRELEASE),
			 .thp = t ? wm_thp_parse(t) : WM_THP_UNKNOWN};
	if (!facts_get_int(h->facts, F_HOST_PAGE_SIZE, &ps))
		b.page_size = ps;
	return same_host(hist, &b, d);
}

/* The same samples (a copy, or a link under another name); the layout
 * must match first for the rows to compare. */
static bool same_samples(const struct history *a, const struct history *b)
{
	if (a->n != b->n || a->nvm != b->nvm || a->zi.nzones != b->zi.nzones || !a->n)
		return false;
	for (size_t k = 0; k < a->nvm; k++)
		if (strcmp(a->vm[k], b->vm[k]))
			return false;
	return !memcmp(a->t_ns, b->t_ns, a->n * sizeof(*a->t_ns)) &&
	       !memcmp(a->val, b->val, a->n * hist_stride(a) * sizeof(*a->val));
}

int advise_histories_agree(const struct history *const *hs, size_t n, struct diag_list *d)
{
	if (n > HIST_MAX_PIECES) {
		diag_add(d, DIAG_ERROR, hs[n - 1]->origin, 0, 0,
			 "--history: %zu histories, at most %d (each is replayed against every other's candidates)", n,
			 HIST_MAX_PIECES);
		return -EINVAL;
	}
	for (size_t i = 1; i < n; i++) {
		const struct history *a = hs[0], *x = hs[i];
		/* one recording twice would count its bursts twice */
		if (!strcmp(a->origin, x->origin) ||
		    (a->boot_id[0] && !strcmp(a->boot_id, x->boot_id) && a->mono_start_ns >= 0 &&
		     a->mono_start_ns == x->mono_start_ns) ||
		    same_samples(a, x)) {
			diag_add(d, DIAG_ERROR, x->origin, 0, 0, "--history: the same recording as %s", a->origin);
			return -EINVAL;
		}
		struct side b = {.what = a->origin, .page_size = a->p.page_size, .zi = &a->zi,
				 .kernel = a->kernel_release, .thp = a->p.thp};
		int rc = same_host(x, &b, d);
		if (rc)
			return rc;
	}
	return 0;
}

int advise_histories(const char *const *paths, size_t n, double split_s, const struct host *host,
		     struct advise_histories *out, struct diag_list *d)
{
	struct sim_opts so = {.target_pct = 1, .search = true};
	struct buf o = {0};
	int rc = 0;
	*out = (struct advise_histories){.n = n};
	out->h = xcalloc(n, sizeof(*out->h));
	for (size_t i = 0; !rc && i < n; i++)
		if (!(rc = hist_read(paths[i], &out->h[i], d)))
			rc = advise_history_matches(&out->h[i], host, d);
	if (!rc && split_s > 0)
		rc = hist_split(&out->h, &out->n, split_s, d);
	out->hp = xcalloc(out->n, sizeof(*out->hp));
	for (size_t i = 0; i < out->n; i++)
		out->hp[i] = &out->h[i];
	if (!rc && out->n > 1)
		rc = advise_histories_agree(out->hp, out->n, d);
	if (!rc)
		rc = out->n == 1 ? sim_run(&out->h[0], &so, &out->one, d)
				 : sim_run_joint(out->hp, out->n, &so, &out->joint, d);
	/* the facts' source: the command that gives the same answer */
	buf_puts(&o, "whatif");
	for (size_t i = 0; i < n; i++)
		buf_printf(&o, " --history %s", paths[i]);
	if (split_s > 0)
		buf_printf(&o, " --split %g", split_s);
	snprintf(out->origin, sizeof(out->origin), "%s", buf_str(&o));
	buf_free(&o);
	return rc;
}

const struct sim_result *advise_histories_sim(const struct advise_histories *ah)
{
	return ah->n == 1 ? &ah->one : &ah->joint.joint;
}

void advise_histories_free(struct advise_histories *ah)
{
	if (!ah)
		return;
	for (size_t i = 0; ah->h && i < ah->n; i++)
		hist_free(&ah->h[i]);
	free(ah->h);
	free(ah->hp);
	sim_result_free(&ah->one);
	sim_joint_free(&ah->joint);
	memset(ah, 0, sizeof(*ah));
}
