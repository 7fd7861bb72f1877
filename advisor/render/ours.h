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

#include "../base/diag.h"

#include <stdbool.h>
#include <stddef.h>

/* Is text (an existing output file's content) one of ours?  Empty counts
 * as ours (nothing to lose); otherwise a mark within the first 4 KiB. */
bool render_is_ours(const char *text, size_t len);

/* The guard every writer of ours applies before replacing path (and
 * recommend --apply before changing anything): path can be replaced
 * (fileio_check_writable) and, unless force, is absent or ours
 * (render_is_ours).  0, or -errno with the reason as an error in d:
 * -EEXIST when the file there is not ours (or cannot be read to tell);
 * force_hint says how to replace it anyway ("use --force"). */
int render_output_ready(const char *path, bool force, const char *force_hint, struct diag_list *d);

/* render_output_ready, then path replaced atomically with data
 * (fileio_write_atomic: mode 0644, the old file unchanged on failure).
 * 0, or -errno with the reason as an error in d. */
int render_output_write(const char *path, const char *data, size_t len, bool force, const char *force_hint,
			struct diag_list *d);

#endif
