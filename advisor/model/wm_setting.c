/* wm_setting: settings for what-if watermarks (contract in wm_setting.h). */
#include "wm_setting.h"

#include "wmark_facts.h"
#include "../base/numparse.h"

#include <errno.h>
#include <string.h>

int wm_setting_parse(const char *kv, struct wm_setting *s)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv)
		return -EINVAL;
	size_t kl = (size_t)(eq - kv);
	if (kl > 3 && !strncmp(kv, "vm.", 3)) {
		kv += 3;
		kl -= 3;
	}
	int64_t v;
	const char *end;
	if (parse_i64(eq + 1, &end, &v) || *end)
		return -EDOM;
	if (kl == strlen("min_free_kbytes") && !strncmp(kv, "min_free_kbytes", kl)) {
		s->have_mfk = true;
		s->mfk = v;
	} else if (kl == strlen("watermark_scale_factor") && !strncmp(kv, "watermark_scale_factor", kl)) {
		s->have_wsf = true;
		s->wsf = v;
	} else {
		return -ENOENT;
	}
	return 0;
}

int wm_model_after(const struct zone *zones, size_t nzones, const struct wm_params *p,
		   const struct wm_model *m, const struct wm_setting *s, struct wm_model *after, char *msg,
		   size_t msglen, struct diag_list *d)
{
	if ((s->have_mfk && wm_check_setting(&m->k, "vm.min_free_kbytes", s->mfk, msg, msglen)) ||
	    (s->have_wsf && wm_check_setting(&m->k, "vm.watermark_scale_factor", s->wsf, msg, msglen)))
		return -ERANGE;
	struct wm_params p2 = *p;
	p2.kver = m->k.kver;
	if (s->have_mfk)
		p2.min_free_kbytes = s->mfk;
	if (s->have_wsf)
		p2.wsf = s->wsf;
	return wm_model_compute(zones, nzones, &p2, after, d);
}

const char *wm_setting_missing(const struct wm_model *after)
{
	if (after->p.min_free_kbytes < 0)
		return "vm.min_free_kbytes";
	if (!after->k.pre46 && after->p.wsf < 0)
		return "vm.watermark_scale_factor";
	return NULL;
}

int wm_model_host(const struct host *h, const struct wm_setting *s, struct wm_model *m, struct wm_model *after,
		  struct diag_list *d)
{
	struct wm_params p;
	char msg[200];
	bool have_after = s->have_mfk || s->have_wsf;
	memset(after, 0, sizeof(*after));
	if (!h->zi.nzones) {
		diag_add(d, DIAG_ERROR, h->origin ? h->origin : "host", 0, 0,
			 "no zones (proc/zoneinfo missing or empty)");
		return -ENODATA;
	}
	wmark_params_from_host(h, &p);
	int rc = wm_model_compute(h->zi.zones, h->zi.nzones, &p, m, d);
	if (!rc && have_after &&
	    (rc = wm_model_after(h->zi.zones, h->zi.nzones, &p, m, s, after, msg, sizeof(msg), d)) == -ERANGE)
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "%s", msg);
	if (rc) {
		wm_model_free(m);
		wm_model_free(after);
		return rc;
	}
	const char *missing = have_after ? wm_setting_missing(after) : NULL;
	if (missing)
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot predict: %s unknown on this host; give it with --set", missing);
	if (s->have_mfk && after->thp_floor_kbytes > s->mfk)
		diag_add(d, DIAG_NOTE, NULL, 0, 0,
			 "min_free_kbytes %lld is below THP's floor %lld kB; the next THP toggle or memory hot-plug "
			 "raises it again",
			 (long long)s->mfk, (long long)after->thp_floor_kbytes);
	return 0;
}
