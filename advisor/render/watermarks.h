/* watermarks: the report of the `watermarks` command.
 *
 * Text: the inputs (kernel, min_free_kbytes and where it came from, the
 * kernel default, THP floor and cap, watermark_scale_factor and its
 * break-even), then per node and zone the observed and predicted
 * min/low/high/promo in pages and MiB, the branch that sets the gap and why
 * a zone differs, then the totals.  JSON: the same as "inputs", "zones",
 * "totals", "defaults" in a fixed key order.
 *
 * With after (the model run for other settings, wm_setting.h): its rows and
 * columns, and the change against what the kernel holds now (the printed
 * watermarks minus boost).  after, when given, has m's zones in m's order.
 * Pure: appends to b; h, m and after are borrowed.
 */
#ifndef ADVISOR_RENDER_WATERMARKS_H
#define ADVISOR_RENDER_WATERMARKS_H

#include "../base/buf.h"
#include "../collect/host.h"
#include "../model/watermark.h"

void watermarks_text(const struct host *h, const struct wm_model *m, const struct wm_model *after,
		     struct buf *b);
void watermarks_json(const struct host *h, const struct wm_model *m, const struct wm_model *after,
		     struct buf *b);

#endif
