/* wm_setting: other values for the two sysctls the watermarks follow, as
 * `watermarks --set` and `whatif --set` take them, and the model after
 * writing them.
 *
 * A setting names vm.min_free_kbytes, vm.watermark_scale_factor or both;
 * what it does not name stays as the host has it.  Parsing is syntax only:
 * the legal range depends on the kernel, checked by wm_model_after (and by
 * sim/ for whatif).
 */
#ifndef ADVISOR_WM_SETTING_H
#define ADVISOR_WM_SETTING_H

#include "watermark.h"
#include "../collect/host.h"

#include <stdbool.h>
#include <stdint.h>

struct wm_setting {
	bool have_mfk, have_wsf;
	int64_t mfk, wsf;
};

/* One "KEY=VALUE" (KEY min_free_kbytes or watermark_scale_factor, "vm."
 * optional; VALUE an integer) added to s.  0; -EINVAL no KEY before '=';
 * -EDOM VALUE is not an integer; -ENOENT another key.  s is written only
 * on success. */
int wm_setting_parse(const char *kv, struct wm_setting *s);

/* The model m (computed from zones and p) after writing s: each value of s
 * checked against m's kernel (-ERANGE, msg holds the legal range), then the
 * model run on the same zones with the kernel generation m settled on
 * (given or inferred) kept, whatever the new values add to the evidence.
 * 0 with *after owned by the caller (wm_model_free), -ERANGE, or the
 * model's -EINVAL with the error in d.  *after predicts nothing when the
 * host lacks the sysctl s does not name: wm_setting_missing says which. */
int wm_model_after(const struct zone *zones, size_t nzones, const struct wm_params *p,
		   const struct wm_model *m, const struct wm_setting *s, struct wm_model *after, char *msg,
		   size_t msglen, struct diag_list *d);

/* The sysctl ("vm.min_free_kbytes", "vm.watermark_scale_factor") whose
 * unknown value kept after from predicting, or NULL. */
const char *wm_setting_missing(const struct wm_model *after);

/* The `watermarks` command's models of host h: *m from its zones and live
 * settings and, when s names a value, *after (wm_model_after); *after is
 * zeroed when s names nothing.  0 with both owned by the caller
 * (wm_model_free); -ENODATA the host has no zones; -ERANGE a value of s
 * outside the kernel's legal range; -EINVAL the model failed; the reason
 * is an error in d.  On success d may still hold an error saying that
 * *after predicts nothing (wm_setting_missing: the report shows the host
 * as it is) and a note when s->mfk is below THP's floor (the kernel raises
 * it again at the next THP toggle). */
int wm_model_host(const struct host *h, const struct wm_setting *s, struct wm_model *m, struct wm_model *after,
		  struct diag_list *d);

#endif
