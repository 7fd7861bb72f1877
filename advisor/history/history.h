/* history: a time series of one host's reclaim counters, read from either
 * form the tool accepts, and the `record` file format.
 *
 * Two forms, one reader (hist_read):
 *   - a `record` file (docs/history.md): a header (page size, kernel, the
 *     sysctls the watermark model needs, the zoneinfo at the start, the
 *     vmstat keys kept), then one self-checking line per sample
 *     ("S seq t_ns values... crc32").  Append-only; a torn last line (the
 *     recorder killed mid-write, a crash) is detected by its missing newline
 *     or checksum and dropped with a warning; every complete sample stays
 *     readable.  A damaged line that is not the last is an error.
 *   - a directory of timestamped captures: subdirectories named by the
 *     sample time in seconds ("0.000", "0.250", ...), each laid out like a
 *     root (proc/vmstat, proc/zoneinfo, optionally proc/pressure/memory).
 *     The first one is collected like any --root tree for the settings
 *     (sysctls, kernel, THP, page size); the others for their counters.
 * Both fill the same struct history; the content of /proc files is parsed
 * by the collector's parsers (collect/parse.h).
 *
 * The record format's pieces are pure functions on buffers (hist_parse,
 * hist_format_header, hist_format_sample) so the recorder, the reader, the
 * tests and the fuzzer share them; hist_sample_root() reads one sample
 * under a root (the recorder's step and the directory form's reader).
 *
 * Ownership: a struct history owns everything in it (hist_free, NULL-safe).
 * Errors: 0 or -errno; on failure *out is untouched and an error naming
 * origin:line (record) or the sample directory is in d.
 */
#ifndef ADVISOR_HISTORY_H
#define ADVISOR_HISTORY_H

#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../collect/host.h"
#include "../model/watermark.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Version 2 adds watermark_boost_factor to the header and each zone's
 * watermark boost to every sample; version 1 files are still read (their
 * boosts are absent). */
#define HIST_MAGIC "reclaim-advisor-history 2"
#define HIST_MAGIC_V1 "reclaim-advisor-history 1"
#define HIST_ABSENT INT64_MIN  /* a value the sample did not have */
#define HIST_MAX_SAMPLES (1u << 24)
#define HIST_MAX_VM 256        /* vmstat keys kept (about 60 match today) */

enum hist_form { HIST_RECORD, HIST_DIR };

/* Which /proc/vmstat keys a history keeps: allocation, reclaim, stall,
 * compaction, working-set, swap and THP-fault counters (the list is in
 * history.c).  The recorder keeps these; the directory reader too. */
bool hist_vm_wanted(const char *name);

struct history {
	enum hist_form form;
	int version;             /* record format version read (1 or 2); 0 = built in memory (2) */
	char *origin;            /* file or directory, owned */
	struct wm_params p;      /* settings while recording (-1 = unknown, as watermark.h) */
	int64_t boost_factor;    /* vm.watermark_boost_factor while recording, -1 unknown */
	char *kernel_release;    /* owned, NULL when unknown */
	struct zoneinfo zi;      /* zone layout and printed watermarks at the first sample */
	char *zi_text;           /* that zoneinfo as the kernel printed it, owned (the record header keeps it) */
	size_t zi_len;
	int64_t interval_ns;     /* nominal interval, 0 = unknown (directory form) */
	char boot_id[40];        /* /proc/sys/kernel/random/boot_id when recorded, "" unknown (version 2) */
	int64_t mono_start_ns;   /* CLOCK_MONOTONIC of sample 0 (t_ns counts from it), -1 unknown (version 2) */
	size_t rec_header_len;   /* record form: bytes of the header, and ... */
	size_t rec_end;          /* ... of the header and every complete sample (a torn tail excluded) */
	char **vm;               /* kept vmstat keys, owned; nvm of them */
	size_t nvm;
	size_t n;                /* samples */
	int64_t *t_ns;           /* n sample times, monotonic, first = 0 or more, increasing */
	uint64_t *seq;           /* n sequence numbers (gaps = samples dropped by the ring) */
	int64_t *val;            /* n rows of hist_stride() values, HIST_ABSENT when missing */
	size_t dropped;          /* torn samples dropped (record form) */
};

/* Row layout: nvm vmstat values, one free-page count per zone (zi order),
 * PSI memory "some" and "full" totals (microseconds), one watermark boost
 * per zone (pages; absent in version 1 files). */
static inline size_t hist_stride(const struct history *h)
{
	return h->nvm + 2 * h->zi.nzones + 2;
}
/* Index in a row of zone z's boost. */
static inline size_t hist_boost_col(const struct history *h, size_t z)
{
	return h->nvm + h->zi.nzones + 2 + z;
}
static inline const int64_t *hist_row(const struct history *h, size_t i)
{
	return h->val + i * hist_stride(h);
}
/* Index of vmstat key name in h->vm, or -1. */
int hist_vm_index(const struct history *h, const char *name);

/* Read path as either form (a directory, or a record file).  cap bounds a
 * record file's size and each captured file.  Returns 0, -ENOENT/-EACCES
 * (cannot read), -EINVAL (malformed: see d), -ENODATA (fewer than 2
 * samples: nothing to replay). */
int hist_read(const char *path, struct history *out, struct diag_list *d);

/* Parse a record file held in buf[0..len) (NUL at buf[len]). */
int hist_parse(const char *buf, size_t len, const char *origin, struct history *out,
	       struct diag_list *d);

void hist_free(struct history *h);

/* Samples [from, to) of h (to - from >= 2, to <= h->n) as a history of its
 * own in *out: the same layout, settings and zones (the zoneinfo of h's
 * first sample: a history keeps no other), times counted from the slice's
 * first sample (monotonic_start moved with it), origin "ORIGIN [A-B s]".
 * 0, or -EINVAL (d says why: a range outside h, or h's zoneinfo text does
 * not parse again). */
int hist_slice(const struct history *h, size_t from, size_t to, struct history *out, struct diag_list *d);

/* Cut each of the *n histories in (*hs)[] into pieces of piece_s seconds
 * (whatif/recommend --split): one long recording as several, each fitted
 * alone (a kswapd rate fitted over minutes of changing load fits none of
 * them).  A last piece shorter than half piece_s joins the one before.
 * The array is replaced (the old histories freed); 0, or -EINVAL with d
 * saying which history has pieces of fewer than HIST_MIN_PIECE samples, or
 * that they would be more than HIST_MAX_PIECES. */
#define HIST_MIN_PIECE 10
/* At most this many pieces in all (-EINVAL): the choice replays the union
 * of every piece's candidates on every piece, so its memory grows with the
 * square of their number (33 pieces of a 2-minute recording: 11 MiB). */
#define HIST_MAX_PIECES 32
int hist_split(struct history **hs, size_t *n, double piece_s, struct diag_list *d);

/* ---- writing (the recorder) ---------------------------------------------- */

/* One sample as read from a root: vmstat values for the layout's keys,
 * free pages per zone, PSI totals.  Caller provides rows of
 * hist_stride(layout) values. */
int hist_sample_root(const struct root *r, const struct history *layout, int64_t *row,
		     struct diag_list *d);

/* Start a history layout from a root: settings from a collected host (the
 * caller runs collect_host once), the zoneinfo and vmstat keys from the
 * root now.  n = 0 samples.  0 or -errno (d says why). */
int hist_layout_from_root(const struct root *r, const struct host *h, int64_t interval_ns,
			  struct history *out, struct diag_list *d);

/* Whether a recorder with layout now may append to the earlier history old
 * (a restart): both version 2, the same boot (so CLOCK_MONOTONIC and the
 * counters continue), kernel, page size, sysctls, THP, interval, vmstat
 * keys and zones.  false with *why saying what differs. */
bool hist_can_append(const struct history *old, const struct history *now, const char **why);

/* The header of a record file for layout h, appended to b. */
void hist_format_header(const struct history *h, struct buf *b);
/* One sample line ("S ... crc\n") appended to b. */
void hist_format_sample(const struct history *h, uint64_t seq, int64_t t_ns, const int64_t *row,
			struct buf *b);

/* CRC-32 (IEEE 802.3, as zlib's crc32) of data, continuing from crc (0 to start). */
uint32_t hist_crc32(uint32_t crc, const void *data, size_t len);

#endif
