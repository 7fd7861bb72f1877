/* ours: the marks every document this tool renders carries, and the test
 * a writer applies before replacing an existing file without --force.
 *
 * The fragment's header names the tool (fragment.h FRAGMENT_MARKER), JSON
 * documents carry "schema": "reclaim-advisor/...", a textfile's metrics
 * are reclaim_advisor_*, an audit's status line starts RECLAIM-ADVISOR,
 * and fleet's text summary starts "fleet: ".  A renderer that adds a new
 * kind of document keeps one of these marks near its start.
 */
#ifndef ADVISOR_RENDER_OURS_H
#define ADVISOR_RENDER_OURS_H

#include <stdbool.h>
#include <stddef.h>

/* Is text (an existing output file's content) one of ours?  Empty counts
 * as ours (nothing to lose); otherwise a mark within the first 4 KiB. */
bool render_is_ours(const char *text, size_t len);

#endif
