/* whatif: the simulator's answer (sim.h) as text, JSON or an SVG picture.
 *
 * JSON ("schema": "reclaim-advisor/whatif", "version": 1): samples,
 * span_seconds, bursts, observed, model, target_percent, candidates
 * [{source, settings, predicted {direct_reclaim_entries,
 * direct_reclaim_pages, seconds_below_min, seconds_kswapd},
 * held_back_bytes, held_min_bytes, watermarks, meets_target}], chosen
 * {index, settings, target_met, note}, confidence {level, why}.  Fixed key
 * order; nothing time-dependent.
 *
 * SVG: free pages of the simulated zones over time (observed, and the
 * lowest simulated value of each interval for the current and the chosen
 * settings) against both sets of min/low/high, with the stalls marked
 * (observed above the axis, predicted below it).  Self-contained, no
 * scripts, no external references; text from the history is escaped.
 *
 * Pure: each appends to b; h and r are borrowed.
 */
#ifndef ADVISOR_RENDER_WHATIF_H
#define ADVISOR_RENDER_WHATIF_H

#include "../base/buf.h"
#include "../history/history.h"
#include "../sim/sim.h"
#include "../sim/sim_joint.h"

void whatif_text(const struct history *h, const struct sim_result *r, struct buf *b);
void whatif_json(const struct history *h, const struct sim_result *r, struct buf *b);
void whatif_svg(const struct history *h, const struct sim_result *r, struct buf *b);

/* Several histories (sim_joint.h): text, a table of the candidates with
 * each history's predicted entries; JSON, the document above with
 * "histories" (the origins) for "history", every candidate's
 * "predicted_per_history" and "per_history" (each history's document with
 * the choice forced, and "alone": what it chose alone); SVG, one picture
 * per history, stacked. */
void whatif_text_joint(const struct sim_joint *j, struct buf *b);
void whatif_json_joint(const struct sim_joint *j, struct buf *b);
void whatif_svg_joint(const struct sim_joint *j, struct buf *b);

#endif
