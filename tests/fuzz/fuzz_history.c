/* libFuzzer harness for hist_parse (the record file format).  Built with
 * clang -fsanitize=fuzzer by `make fuzz`, and with gcc plus
 * tests/fuzz/replay.c (-DFUZZ_REPLAY) by `make fuzz-replay` to replay
 * tests/fuzz/corpus/history/ (real recordings: this machine's live /proc,
 * a QEMU capture read with --root, and torn copies of them).
 *
 * Beyond "no crash, no leak", it checks the reader's contract: on success
 * every row has the header's width, times and sequence numbers increase,
 * values are absent or >= 0, at most one (the last) sample was dropped and
 * no error was reported; on failure the output is untouched and an error
 * names the origin.  A success is then written back with the format
 * functions and must parse to the same samples (round trip). */
#include "base/buf.h"
#include "history/history.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	struct history h;
	memset(&h, 0x5a, sizeof(h));
	struct diag_list d = {0};
	int rc = hist_parse(buf, size, "fuzz", &h, &d);
	if (rc == 0) {
		if (diag_count(&d, DIAG_ERROR) || h.dropped > 1 || !h.zi.nzones || h.p.page_size < 1024)
			abort();
		for (size_t i = 0; i < h.n; i++) {
			if (i && (h.t_ns[i] <= h.t_ns[i - 1] || h.seq[i] <= h.seq[i - 1]))
				abort();
			const int64_t *row = hist_row(&h, i);
			for (size_t k = 0; k < hist_stride(&h); k++)
				if (row[k] != HIST_ABSENT && row[k] < 0)
					abort();
		}
		struct buf b = {0};
		hist_format_header(&h, &b);
		for (size_t i = 0; i < h.n; i++)
			hist_format_sample(&h, h.seq[i], h.t_ns[i], hist_row(&h, i), &b);
		struct history g;
		struct diag_list d2 = {0};
		if (hist_parse(b.p, b.len, "again", &g, &d2) || g.n != h.n || g.nvm != h.nvm ||
		    g.zi.nzones != h.zi.nzones ||
		    (h.n && memcmp(g.val, h.val, h.n * hist_stride(&h) * sizeof(int64_t))))
			abort();
		hist_free(&g);
		diag_list_clear(&d2);
		buf_free(&b);
		hist_free(&h);
	} else {
		unsigned char *p = (unsigned char *)&h;
		for (size_t i = 0; i < sizeof(h); i++)
			if (p[i] != 0x5a)
				abort();
		if ((rc != -EINVAL && rc != -ERANGE) || !diag_count(&d, DIAG_ERROR))
			abort();
		for (size_t i = 0; i < d.n; i++)
			if (d.v[i].sev == DIAG_ERROR && (!d.v[i].origin || strcmp(d.v[i].origin, "fuzz")))
				abort();
	}
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");
	if (sink)
		diag_print_all(sink, &d);
	diag_list_clear(&d);
	free(buf);
	return 0;
}
