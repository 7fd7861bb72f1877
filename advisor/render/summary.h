/* summary: the terminal text of `recommend` without output options.
 *
 * For each decision: the sysctl, current -> recommended, the change in
 * plain units (sizes in KiB/MiB/GiB, centiseconds as seconds, and for the
 * watermark sysctls the model's per-zone effect, e.g. "kswapd buffer in
 * Normal: 29 MiB -> 117 MiB"), the rule, its severity and confidence and
 * its one-line reason, where the key comes from at boot and whether the
 * fragment would be shadowed; then the findings without a sysctl; then the
 * rules that were skipped and why; then the --apply outcomes when present.
 * Deterministic: plan order, no times.  Pure: appends to a buffer.
 */
#ifndef ADVISOR_SUMMARY_H
#define ADVISOR_SUMMARY_H

#include "../base/buf.h"
#include "fragment.h"

void summary_render(const struct rec_input *in, struct buf *out);

#endif
