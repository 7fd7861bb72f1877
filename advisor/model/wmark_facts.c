/* wmark_facts: see wmark_facts.h. */
#include "wmark_facts.h"

#include "../base/numparse.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SRC "watermark model"

static int64_t get_int(const struct facts *f, enum fact_id name, int64_t dflt)
{
	int64_t v;
	return facts_get_int(f, name, &v) == 0 ? v : dflt;
}

int wmark_parse_ratios(const char *s, int64_t *r, unsigned max, unsigned *n)
{
	unsigned k = 0;
	const char *p = s, *end;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		int64_t v;
		if (k >= max || parse_i64(p, &end, &v) || (*end && *end != ' ' && *end != '\t' && *end != '\n'))
			return -EINVAL;
		r[k++] = v;
		p = end;
	}
	*n = k;
	return 0;
}

void wmark_params_from_host(const struct host *h, struct wm_params *p)
{
	memset(p, 0, sizeof(*p));
	p->kver = get_int(h->facts, F_HOST_KERNEL_VERSION, 0);
	p->page_size = get_int(h->facts, F_HOST_PAGE_SIZE, 0);
	p->min_free_kbytes = get_int(h->facts, F_SYSCTL_VM_MIN_FREE_KBYTES, -1);
	p->wsf = get_int(h->facts, F_SYSCTL_VM_WATERMARK_SCALE_FACTOR, -1);
	p->thp = wm_thp_parse(facts_get_str(h->facts, F_THP_ENABLED));
	p->hpage_pmd_size = get_int(h->facts, F_THP_HPAGE_PMD_SIZE, 0);
	p->pageblock_order = get_int(h->facts, F_MEM_PAGEBLOCK_ORDER, 0);
	const char *lrr = facts_get_str(h->facts, F_SYSCTL_VM_LOWMEM_RESERVE_RATIO);
	if (lrr && wmark_parse_ratios(lrr, p->lrr, ZONE_MAX_PROTECTION, &p->nlrr))
		p->nlrr = 0;
}

static const enum fact_id all_facts[] = {
	F_WMARK_MIN_FREE_KBYTES_DEFAULT, F_WMARK_THP_FLOOR_KBYTES, F_WMARK_THP_LOWER_BOUND_KBYTES, F_WMARK_MIN_FREE_KBYTES_ORIGIN,
	F_WMARK_MIN_FREE_KBYTES_CAP_KBYTES, F_WMARK_WSF_MAX, F_WMARK_GAP_BYTES, F_WMARK_GAP_PAGES,
	F_WMARK_RESERVE_BYTES, F_WMARK_HIGH_BYTES, F_WMARK_BOOST_BYTES, F_WMARK_BRANCH, F_WMARK_MATCH,
	F_WMARK_WSF_BREAKEVEN, F_WMARK_MIN4_GAP_BYTES, F_WMARK_LOWMEM_MANAGED_BYTES, F_WMARK_ZONES,
	F_WMARK_TOTALRESERVE_BYTES, F_KERNEL_DEFAULT_MIN_FREE_KBYTES,
};

static void all_absent(struct facts *f, const char *reason)
{
	for (size_t i = 0; i < sizeof(all_facts) / sizeof(all_facts[0]); i++)
		facts_set_absent(f, all_facts[i], reason);
}

int wmark_add_facts(struct host *h, struct wm_model *keep, struct diag_list *d)
{
	struct facts *f = h->facts;
	if (keep)
		memset(keep, 0, sizeof(*keep));
	if (!h->zi.nzones) {
		all_absent(f, "proc/zoneinfo: no zones");
		return 0;
	}
	struct wm_params p;
	wmark_params_from_host(h, &p);
	if (p.page_size <= 0) {
		all_absent(f, "host.page_size: unknown");
		return 0;
	}
	struct wm_model m;
	struct diag_list tmp = {0};
	int rc = wm_model_compute(h->zi.zones, h->zi.nzones, &p, &m, &tmp);
	if (rc) {
		if (d)
			diag_splice(d, &tmp);
		diag_list_clear(&tmp);
		all_absent(f, "watermark model: unusable page size");
		return rc;
	}
	const int64_t ps = p.page_size;
	const char *no_mfk = "sysctl.vm.min_free_kbytes: absent";
	const char *no_pred = p.min_free_kbytes < 0 ? no_mfk : "sysctl.vm.watermark_scale_factor: absent";
	bool pred = m.largest != (size_t)-1 && m.zones[m.largest].predicted;

	facts_set_int(f, F_WMARK_MIN_FREE_KBYTES_DEFAULT, m.default_kbytes, SRC);
	/* What the kernel itself sets at boot (the model's kernel_kbytes, the
	 * one computation): the rules, the sysctl catalog's default and audit
	 * read this fact. */
	const char *ksrc = m.thp_floor_kbytes > m.default_kbytes ? "watermark model: THP floor"
								  : "watermark model: int_sqrt(lowmem kB x 16)";
	facts_set_int(f, F_KERNEL_DEFAULT_MIN_FREE_KBYTES, m.kernel_kbytes, ksrc);
	if (m.thp_floor_kbytes >= 0) {
		facts_set_int(f, F_WMARK_THP_FLOOR_KBYTES, m.thp_floor_kbytes, SRC);
		facts_set_int(f, F_WMARK_THP_LOWER_BOUND_KBYTES, m.thp_lower_kbytes, SRC);
	} else {
		const char *why = p.thp == WM_THP_NEVER ? "THP is off (enabled = never)"
				  : p.thp == WM_THP_UNKNOWN ? "thp.enabled: unknown"
							    : "thp.hpage_pmd_size: unknown";
		facts_set_absent(f, F_WMARK_THP_FLOOR_KBYTES, why);
		facts_set_absent(f, F_WMARK_THP_LOWER_BOUND_KBYTES, why);
	}
	if (m.origin)
		facts_set_str(f, F_WMARK_MIN_FREE_KBYTES_ORIGIN, m.origin, SRC);
	else
		facts_set_absent(f, F_WMARK_MIN_FREE_KBYTES_ORIGIN, no_mfk);
	facts_set_int(f, F_WMARK_MIN_FREE_KBYTES_CAP_KBYTES, m.cap_kbytes, SRC);
	if (m.k.wsf_max)
		facts_set_int(f, F_WMARK_WSF_MAX, m.k.wsf_max, SRC);
	else
		facts_set_absent(f, F_WMARK_WSF_MAX, "no watermark_scale_factor before Linux 4.6");
	if (m.t.observed) {
		facts_set_int(f, F_WMARK_GAP_BYTES, m.t.gap_pages * ps, SRC);
		facts_set_int(f, F_WMARK_GAP_PAGES, m.t.gap_pages, SRC);
		facts_set_int(f, F_WMARK_RESERVE_BYTES, m.t.reserve_pages * ps, SRC);
		facts_set_int(f, F_WMARK_HIGH_BYTES, m.t.high_pages * ps, SRC);
		facts_set_int(f, F_WMARK_BOOST_BYTES, m.t.boost_pages * ps, SRC);
		facts_set_int(f, F_WMARK_TOTALRESERVE_BYTES, m.t.totalreserve_pages * ps, SRC);
	} else {
		const char *r = "proc/zoneinfo: no min/low/high lines";
		facts_set_absent(f, F_WMARK_GAP_BYTES, r);
		facts_set_absent(f, F_WMARK_GAP_PAGES, r);
		facts_set_absent(f, F_WMARK_RESERVE_BYTES, r);
		facts_set_absent(f, F_WMARK_HIGH_BYTES, r);
		facts_set_absent(f, F_WMARK_BOOST_BYTES, r);
		facts_set_absent(f, F_WMARK_TOTALRESERVE_BYTES, r);
	}
	/* without the sysctls the branch is still read from the printed gap */
	if (pred || (m.largest != (size_t)-1 && m.zones[m.largest].branch_observed))
		facts_set_str(f, F_WMARK_BRANCH, wm_branch_name(m.zones[m.largest].branch), SRC);
	else
		facts_set_absent(f, F_WMARK_BRANCH, m.largest == (size_t)-1 ? "no populated lowmem zone" : no_pred);
	if (pred)
		facts_set_int(f, F_WMARK_MIN4_GAP_BYTES, m.t.min4_gap_pages * ps, SRC);
	else
		facts_set_absent(f, F_WMARK_MIN4_GAP_BYTES, m.largest == (size_t)-1 ? "no populated lowmem zone" : no_pred);
	if (pred && m.t.observed)
		facts_set_bool(f, F_WMARK_MATCH, m.all_match, SRC);
	else
		facts_set_absent(f, F_WMARK_MATCH, !m.t.observed ? "proc/zoneinfo: no min/low/high lines" : no_pred);
	if (m.wsf_breakeven >= 0)
		facts_set_int(f, F_WMARK_WSF_BREAKEVEN, m.wsf_breakeven, SRC);
	else
		facts_set_absent(f, F_WMARK_WSF_BREAKEVEN,
				 m.k.pre46 ? "no watermark_scale_factor before Linux 4.6"
				 : m.largest == (size_t)-1 ? "no populated lowmem zone" : no_pred);
	facts_set_int(f, F_WMARK_LOWMEM_MANAGED_BYTES, m.t.lowmem_pages * ps, SRC);
	facts_set_int(f, F_WMARK_ZONES, m.t.populated, SRC);
	if (keep)
		*keep = m;
	else
		wm_model_free(&m);
	return 0;
}
