/* recorder: the sampling loop of `record` (contract in recorder.h). */
#include "recorder.h"

#include "history.h"
#include "recfile.h"
#include "../base/buf.h"
#include "../base/xalloc.h"
#include "../collect/collect.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int write_stdout(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(STDOUT_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Why the recording ended early, after the failed reading's diagnostics
 * and the note on an earlier history (recorder.h). */
static void ended(const struct record_opts *o, enum record_stage stage, int rc, size_t header_len, size_t least,
		  struct diag_list *d)
{
	const char *out = o->out_path ? o->out_path : "stdout";
	if (stage == REC_NO_ROOM)
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "--max-size %zu leaves no room for samples beside the %zu-byte header: use at least %zu",
			 o->max_size, header_len, least);
	else if (stage == REC_WRITE && rc == -EEXIST)
		diag_add(d, DIAG_ERROR, out, 0, 0, "exists and is not a history; remove it or choose another name");
	else if (stage == REC_WRITE)
		diag_add(d, DIAG_ERROR, out, 0, 0, "%s (samples before this one are kept)", strerror(-rc));
}

int hist_record(const struct root *r, const struct record_opts *o, enum record_stage *stage,
		struct diag_list *d)
{
	struct host h = {0};
	struct history layout = {0};
	struct buf b = {0};
	struct recfile rf = {.fd = -1};
	struct history old = {0};
	struct diag_list rd = {0}; /* the current reading's: kept only when it fails */
	int64_t *row = NULL;
	const char *why_replaced = NULL;
	bool append = false, appended = false;
	size_t hlen = 0, least = 0;
	struct collect_opts co = {0};
	collect_host(r, &co, &h);
	const int64_t step = (int64_t)llround(o->interval * 1e9);
	int rc = hist_layout_from_root(r, &h, step, &layout, &rd);
	host_free(&h);
	*stage = REC_LAYOUT;
	if (rc)
		goto out;
	diag_list_clear(&rd);
	if (layout.p.page_size < 1024) {
		diag_add(&rd, DIAG_ERROR, r->path, 0, 0, "page size unknown");
		rc = -EINVAL;
		goto out;
	}
	row = xcalloc(hist_stride(&layout), sizeof(*row));

	/* a restart continues a compatible earlier history */
	if (o->out_path) {
		char *ob;
		size_t on;
		struct diag_list od = {0};
		if (file_read(o->out_path, (size_t)1 << 30, &ob, &on) == 0) {
			if (hist_parse(ob, on, o->out_path, &old, &od) == 0) {
				append = old.n > 0 && hist_can_append(&old, &layout, &why_replaced);
				if (!append && !why_replaced)
					why_replaced = "it holds no complete sample";
			}
			free(ob);
		}
		diag_list_clear(&od);
	}
	int64_t t_start = now_ns(), t0 = t_start;
	uint64_t seq = 0;
	if (append) {
		t0 = old.mono_start_ns;
		seq = old.seq[old.n - 1] + 1;
		if (t_start > t0 && layout.interval_ns > 0 && (uint64_t)((t_start - t0) / layout.interval_ns) > seq)
			seq = (uint64_t)((t_start - t0) / layout.interval_ns);
		if (t_start - t0 <= old.t_ns[old.n - 1])
			append = false; /* the clock does not continue: not the same boot after all */
	}
	layout.mono_start_ns = t0;
	*stage = REC_SAMPLE;
	if ((rc = hist_sample_root(r, &layout, row, &rd)))
		goto out;
	diag_list_clear(&rd);
	hist_format_header(&layout, &b);
	hlen = b.len;
	hist_format_sample(&layout, seq, t_start - t0, row, &b);
	*stage = REC_WRITE;
	if (o->out_path && append) {
		rc = recfile_open_append(o->out_path, old.rec_header_len, old.rec_end, o->max_size, &rf);
		if (!rc) {
			appended = true;
			rc = recfile_append(&rf, b.p + hlen, b.len - hlen);
		}
	} else if (o->out_path) {
		rc = recfile_create(o->out_path, b.p, hlen, o->max_size, b.len - hlen, &rf, &least);
		if (rc == -ENOSPC) {
			*stage = REC_NO_ROOM;
			goto out;
		}
		if (!rc)
			rc = recfile_append(&rf, b.p + hlen, b.len - hlen);
	} else {
		rc = write_stdout(b.p, b.len);
	}
	if (rc)
		goto out;

	int64_t deadline = t_start, last_sync = t_start;
	const int64_t end = o->duration > 0 ? t_start + (int64_t)llround(o->duration * 1e9) : INT64_MAX;
	for (;;) {
		deadline += step;
		seq++;
		int64_t now = now_ns();
		if (now > deadline) {
			/* late by whole ticks: skip them (their sequence numbers too) */
			int64_t missed = (now - deadline) / step;
			deadline += missed * step;
			seq += (uint64_t)missed;
		}
		if (deadline > end || *o->stop)
			break;
		struct timespec ts = {.tv_sec = deadline / 1000000000, .tv_nsec = deadline % 1000000000};
		int e;
		while ((e = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)) == EINTR && !*o->stop)
			;
		if (*o->stop)
			break;
		int64_t t = now_ns();
		*stage = REC_SAMPLE;
		if ((rc = hist_sample_root(r, &layout, row, &rd)))
			goto out;
		diag_list_clear(&rd);
		*stage = REC_WRITE;
		buf_reset(&b);
		hist_format_sample(&layout, seq, t - t0, row, &b);
		rc = o->out_path ? recfile_append(&rf, b.p, b.len) : write_stdout(b.p, b.len);
		if (rc)
			goto out;
		if (o->out_path && t - last_sync >= INT64_C(10000000000)) {
			recfile_sync(&rf);
			last_sync = t;
		}
	}
	if (o->out_path)
		rc = recfile_close(&rf);
out:
	diag_splice(d, &rd);
	if (appended)
		diag_add(d, DIAG_NOTE, o->out_path, 0, 0, "continued (an earlier history of this boot)");
	else if (why_replaced)
		diag_add(d, DIAG_NOTE, o->out_path, 0, 0, "an earlier history replaced: %s", why_replaced);
	if (rc)
		ended(o, *stage, rc, hlen, least, d);
	recfile_close(&rf);
	hist_free(&old);
	free(row);
	buf_free(&b);
	hist_free(&layout);
	return rc;
}
