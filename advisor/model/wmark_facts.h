/* wmark_facts: the watermark model's results as wmark.* facts on a host.
 *
 * wmark_add_facts() reads h->zi and the facts sysctl.vm.min_free_kbytes,
 * sysctl.vm.watermark_scale_factor, sysctl.vm.lowmem_reserve_ratio,
 * host.page_size, host.kernel_version, thp.enabled, thp.hpage_pmd_size (any
 * may be absent), runs the model (watermark.h) and sets every wmark.* fact
 * of catalog_wmark.def: present when its inputs were, otherwise absent with
 * the reason.  It never fails on missing input; it returns -EINVAL only
 * when the host's page size is not usable (every wmark.* fact is then
 * absent) and appends a warning to d (may be NULL) in that case.
 * keep (may be NULL) receives the model it ran, with the host's live
 * values, owned by the caller (wm_model_free), so the advice's watermarks
 * before are this same model, not a second run; when the model could not
 * run (no zones, unusable page size) *keep is zeroed (nzones 0).
 *
 * wmark_params_from_host() is the input half, for callers that run the
 * model themselves (the watermarks command): it fills p from h's facts.
 */
#ifndef ADVISOR_WMARK_FACTS_H
#define ADVISOR_WMARK_FACTS_H

#include "../base/diag.h"
#include "../collect/host.h"
#include "watermark.h"

void wmark_params_from_host(const struct host *h, struct wm_params *p);
/* "256 256 32 0 0" -> r[], *n; 0, or -EINVAL on anything but integers. */
int wmark_parse_ratios(const char *s, int64_t *r, unsigned max, unsigned *n);
int wmark_add_facts(struct host *h, struct wm_model *keep, struct diag_list *d);

#endif
