/* recfile: the file a recorder appends to, with an optional size bound.
 *
 * Crash safety: the header is written to a temporary file, fsynced and
 * renamed into place, so the path never holds half a header.  Each sample
 * is appended with one write() on an O_APPEND descriptor; a recorder
 * killed mid-write leaves at most the last line torn, which the reader
 * (history.h) drops.
 *
 * Ring semantics (--max-size): when the next sample would take the file
 * past max bytes, the file is rewritten as header + the newest samples
 * that fill three quarters of max (temporary file, fsync, rename: at every
 * instant the path holds a complete, readable history), then appended to
 * again.  One file rather than rotating segments, so a history is always
 * one path a user can copy and give to `whatif`; the cost is copying 3/4
 * of max every max/4 bytes of samples (three bytes copied per byte
 * recorded), small against reading /proc.  Sample lines keep their
 * sequence numbers, so the reader sees where the ring cut.
 *
 * A struct recfile owns its descriptor and path copy (recfile_close).
 */
#ifndef ADVISOR_RECFILE_H
#define ADVISOR_RECFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct recfile {
	int fd;
	char *path;
	char *header;      /* owned copy, rewritten at each trim */
	size_t header_len;
	off_t size;        /* bytes in the file */
	size_t max;        /* 0 = unbounded */
	unsigned trims;    /* how often the ring dropped old samples */
};

/* Create path with header: refuses (-EEXIST) an existing path unless it is
 * a regular file that starts with HIST_MAGIC (an earlier history, replaced);
 * a directory is -EISDIR.  max = 0 means no bound; else max must leave room
 * for the header and at least 8 lines of line_hint bytes in the kept three
 * quarters: -ENOSPC otherwise (*min_max then holds the smallest usable
 * bound).  0 or -errno; on failure nothing is left behind. */
int recfile_create(const char *path, const char *header, size_t header_len, size_t max,
		   size_t line_hint, struct recfile *out, size_t *min_max);

/* Continue an earlier history at path (a recorder's restart): its first
 * header_len bytes are the header (kept for the ring's rewrites), the
 * first end bytes its header and complete samples; a torn tail after them
 * is cut off (ftruncate) so the next line follows a whole one.  Refuses
 * what is not a regular file (-EEXIST, -EISDIR).  0 or -errno. */
int recfile_open_append(const char *path, size_t header_len, size_t end, size_t max, struct recfile *out);

/* Append one line (one write()); trims first when the bound needs it.
 * 0 or -errno (the file then still holds every sample before this one). */
int recfile_append(struct recfile *rf, const char *line, size_t len);

/* fdatasync; 0 or -errno. */
int recfile_sync(struct recfile *rf);
/* Sync and close; 0 or -errno.  NULL or closed is a no-op. */
int recfile_close(struct recfile *rf);

#endif
