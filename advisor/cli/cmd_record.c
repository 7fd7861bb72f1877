/* reclaim-advisor record: sample the host's reclaim counters at a fixed
 * interval into a history file (advisor/history/history.h has the format,
 * recfile.h the crash safety and the ring).
 *
 * Timing: absolute CLOCK_MONOTONIC deadlines (clock_nanosleep
 * TIMER_ABSTIME), so the interval does not drift with the time a sample
 * takes; a tick missed entirely (the machine stalled) is skipped, and its
 * sequence number with it, so the reader sees the gap.  SIGINT and SIGTERM
 * end the recording after the current sample, with the file synced. */
#include "help.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "../base/buf.h"
#include "../base/fileio.h"
#include "../base/numparse.h"
#include "../base/xalloc.h"
#include "../collect/collect.h"
#include "../history/history.h"
#include "../history/recfile.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
	help_usage("record", f);
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static int parse_seconds(const char *opt, const char *arg, double lo, double hi, double *out)
{
	double v;
	const char *end;
	if (parse_decimal(arg, &end, &v) || *end || v < lo || v > hi) {
		fprintf(stderr, "reclaim-advisor: record: %s %s: expected seconds in %g..%g\n", opt, arg, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_size(const char *arg, size_t *out)
{
	uint64_t v;
	const char *end;
	if (parse_u64(arg, &end, &v))
		goto bad;
	uint64_t mult = 1;
	if (*end == 'k' || *end == 'K')
		mult = 1024;
	else if (*end == 'M')
		mult = 1024 * 1024;
	else if (*end == 'G')
		mult = 1024 * 1024 * 1024;
	if (mult > 1)
		end++;
	if (*end || v > SIZE_MAX / mult || v == 0)
		goto bad;
	*out = (size_t)(v * mult);
	return 0;
bad:
	fprintf(stderr, "reclaim-advisor: record: --max-size %s: expected a positive byte count "
			"(suffix k, M or G)\n", arg);
	return -1;
}

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

int cmd_record(int argc, char **argv)
{
	enum { O_INTERVAL = 1000, O_DURATION, O_MAXSIZE, O_ROOT };
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"interval", required_argument, NULL, O_INTERVAL},
		{"duration", required_argument, NULL, O_DURATION},
		{"max-size", required_argument, NULL, O_MAXSIZE},
		{"root", required_argument, NULL, O_ROOT},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *out_path = NULL, *root_dir = "/";
	double interval = 1.0, duration = 0;
	size_t max_size = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out_path = optarg; break;
		case O_INTERVAL:
			if (parse_seconds("--interval", optarg, 0.1, 3600, &interval))
				return EXIT_USAGE;
			break;
		case O_DURATION:
			if (parse_seconds("--duration", optarg, 0, 1e9, &duration))
				return EXIT_USAGE;
			break;
		case O_MAXSIZE:
			if (parse_size(optarg, &max_size))
				return EXIT_USAGE;
			break;
		case O_ROOT: root_dir = optarg; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "reclaim-advisor: record: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (max_size && !out_path) {
		fprintf(stderr, "reclaim-advisor: record: --max-size needs -o FILE (a pipe cannot drop old samples)\n");
		return EXIT_USAGE;
	}

	int code = EXIT_OK, rc;
	struct root r = {.dirfd = -1};
	struct host h = {0};
	struct history layout = {0};
	struct diag_list d = {0};
	struct buf b = {0};
	struct recfile rf = {.fd = -1};
	int64_t *row = NULL;

	rc = root_open(&r, root_dir);
	if (rc) {
		fprintf(stderr, "reclaim-advisor: record: %s: %s\n", root_dir, strerror(-rc));
		return EXIT_NOINPUT;
	}
	/* the settings (sysctls, kernel, THP, page size) once, by the collector */
	struct collect_opts co = {0};
	collect_host(&r, &co, &h);
	const int64_t step = (int64_t)llround(interval * 1e9);
	rc = hist_layout_from_root(&r, &h, step, &layout, &d);
	host_free(&h);
	if (rc) {
		diag_print_all(stderr, &d);
		code = rc == -EINVAL ? EXIT_DATAERR : EXIT_NOINPUT;
		goto out;
	}
	if (layout.p.page_size < 1024) {
		fprintf(stderr, "reclaim-advisor: record: %s: page size unknown\n", root_dir);
		code = EXIT_DATAERR;
		goto out;
	}
	row = xcalloc(hist_stride(&layout), sizeof(*row));

	/* signals before the first write: a SIGTERM from now on ends the file cleanly */
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	int64_t t0 = now_ns();
	if ((rc = hist_sample_root(&r, &layout, row, &d))) {
		diag_print_all(stderr, &d);
		code = EXIT_DATAERR;
		goto out;
	}
	hist_format_header(&layout, &b);
	size_t hlen = b.len;
	hist_format_sample(&layout, 0, 0, row, &b);
	if (out_path) {
		size_t least = 0;
		rc = recfile_create(out_path, b.p, hlen, max_size, b.len - hlen, &rf, &least);
		if (rc == -ENOSPC) {
			fprintf(stderr, "reclaim-advisor: record: --max-size %zu leaves no room for samples beside "
					"the %zu-byte header: use at least %zu\n", max_size, hlen, least);
			code = EXIT_USAGE;
			goto out;
		}
		if (!rc)
			rc = recfile_append(&rf, b.p + hlen, b.len - hlen);
	} else {
		rc = write_stdout(b.p, b.len);
	}
	if (rc)
		goto write_error;

	int64_t deadline = t0, last_sync = t0;
	const int64_t end = duration > 0 ? t0 + (int64_t)llround(duration * 1e9) : INT64_MAX;
	uint64_t seq = 0;
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
		if (deadline > end || stop_signal)
			break;
		struct timespec ts = {.tv_sec = deadline / 1000000000, .tv_nsec = deadline % 1000000000};
		int e;
		while ((e = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)) == EINTR && !stop_signal)
			;
		if (stop_signal)
			break;
		int64_t t = now_ns();
		if ((rc = hist_sample_root(&r, &layout, row, &d))) {
			diag_print_all(stderr, &d);
			code = EXIT_DATAERR;
			goto out;
		}
		buf_reset(&b);
		hist_format_sample(&layout, seq, t - t0, row, &b);
		rc = out_path ? recfile_append(&rf, b.p, b.len) : write_stdout(b.p, b.len);
		if (rc)
			goto write_error;
		/* a power cut loses at most ten seconds; a killed process loses nothing */
		if (out_path && t - last_sync >= INT64_C(10000000000)) {
			recfile_sync(&rf);
			last_sync = t;
		}
	}
	if (out_path && (rc = recfile_close(&rf)))
		goto write_error;
	goto out;
write_error:
	fprintf(stderr, "reclaim-advisor: record: %s: %s (samples before this one are kept)\n",
		out_path ? out_path : "stdout", strerror(-rc));
	code = cli_write_code(-rc);
	if (rc == -EEXIST)
		fprintf(stderr, "reclaim-advisor: record: %s exists and is not a history; "
				"remove it or choose another name\n", out_path);
out:
	recfile_close(&rf);
	free(row);
	buf_free(&b);
	hist_free(&layout);
	diag_list_clear(&d);
	root_close(&r);
	return code;
}
