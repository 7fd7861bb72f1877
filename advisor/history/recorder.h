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
 * replaced, and st->why_replaced says why.
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

/* Where a recording failed, for the caller's message and exit code. */
enum record_stage {
	REC_LAYOUT,    /* reading the root's settings and counters: rc -EINVAL malformed, else unreadable; d */
	REC_PAGE_SIZE, /* the root's page size is unknown */
	REC_SAMPLE,    /* a sample could not be read (d) */
	REC_NO_ROOM,   /* -ENOSPC: max_size leaves no room beside the header */
	REC_WRITE,     /* writing the output: -errno (-EEXIST: out_path is not a history) */
};

struct record_status {
	enum record_stage stage;  /* valid when hist_record fails */
	bool appended;            /* an earlier history was continued */
	const char *why_replaced; /* an earlier history was replaced: why it could not be continued, or NULL */
	size_t header_len, least; /* REC_NO_ROOM: the header's size, the smallest max_size that fits */
};

/* Record r until o->duration or *o->stop.  0, or -errno with st->stage
 * saying where (and diagnostics in d); every complete sample written before
 * a failure stays readable. */
int hist_record(const struct root *r, const struct record_opts *o, struct record_status *st,
		struct diag_list *d);

#endif
