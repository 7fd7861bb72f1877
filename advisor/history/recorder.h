/* recorder: sample a root's reclaim counters at a fixed interval into a
 * history (history.h has the format, recfile.h the crash safety and the
 * ring), until a duration passes or the caller's stop flag is set.
 *
 * Timing: absolute CLOCK_MONOTONIC deadlines (clock_nanosleep
 * TIMER_ABSTIME), so the interval does not drift with the time a sample
 * takes; a tick missed entirely (the machine stalled) is skipped, and its
 * sequence number with it, so the reader sees the gap.  The settings
 * (sysctls, kernel, THP, page size) are read once, by the collector.
 *
 * A restart appends: when out_path holds an earlier history that
 * hist_can_append() accepts (same boot, kernel, settings, layout), the new
 * samples continue it (time from its first sample, sequence numbers after
 * its last, a torn tail cut off); anything else that is a history is
 * replaced, and a note says why.
 *
 * The library never installs a signal handler: the caller owns the flag
 * (set from its SIGINT/SIGTERM handler) and the recorder ends after the
 * current sample when it is nonzero, with the file synced.  A power cut
 * loses at most ten seconds; a killed process loses nothing.
 */
#ifndef ADVISOR_RECORDER_H
#define ADVISOR_RECORDER_H

#include "../base/diag.h"
#include "../base/fileio.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

struct record_opts {
	const char *out_path;  /* NULL: standard output */
	double interval;       /* seconds between samples, > 0 */
	double duration;       /* seconds, 0: until *stop */
	size_t max_size;       /* the file's bound (out_path only), 0: none */
	const volatile sig_atomic_t *stop; /* nonzero: end after the current sample */
};

/* Where a recording failed: what the caller's exit code depends on (the
 * diagnostics say what went wrong). */
enum record_stage {
	REC_LAYOUT,  /* reading the root's settings and counters (-EINVAL: malformed, or the page size unknown) */
	REC_SAMPLE,  /* a sample could not be read */
	REC_NO_ROOM, /* -ENOSPC: max_size leaves no room beside the header */
	REC_WRITE,   /* writing the output: -errno (-EEXIST: out_path is not a history) */
};

/* Record r until o->duration or *o->stop.  0, or -errno with *stage saying
 * where; every complete sample written before a failure stays readable.
 * d receives, in this order: the failed reading's diagnostics, a note on an
 * earlier history at out_path (continued, or replaced and why), and an
 * error saying why the recording ended early.  A successful reading's
 * warnings are dropped (they would repeat at every sample). */
int hist_record(const struct root *r, const struct record_opts *o, enum record_stage *stage,
		struct diag_list *d);

#endif
