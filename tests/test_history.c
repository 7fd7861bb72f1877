/* Tests of the history reader and the record format: a header and samples
 * from a real QEMU capture round-trip; a torn last sample is dropped and
 * every earlier one kept; a damaged middle sample or header is an error
 * naming the line; the directory form reads the same counters; the ring
 * keeps the file under its bound with the newest samples readable. */
#include "testutil.h"

#include "base/buf.h"
#include "collect/collect.h"
#include "history/history.h"
#include "history/recfile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROOT_A "fixtures/qemu/6.1-1g-thp-wsf200/before"
#define ROOT_B "fixtures/qemu/6.1-1g-thp-wsf200/after"

/* A layout and one real row per capture (before, after). */
static void layout(struct history *lay, int64_t rows[2][512])
{
	struct root r;
	struct host h = {0};
	struct diag_list d = {0};
	struct collect_opts o = {0};
	assert_int_equal(root_open(&r, ROOT_A), 0);
	collect_host(&r, &o, &h);
	assert_int_equal(hist_layout_from_root(&r, &h, 1000000000, lay, &d), 0);
	host_free(&h);
	assert_true(hist_stride(lay) <= 512);
	assert_int_equal(hist_sample_root(&r, lay, rows[0], &d), 0);
	root_close(&r);
	assert_int_equal(root_open(&r, ROOT_B), 0);
	assert_int_equal(hist_sample_root(&r, lay, rows[1], &d), 0);
	root_close(&r);
	diag_list_clear(&d);
}

static void record_text(struct buf *b, size_t nsamples)
{
	struct history lay = {0};
	static int64_t rows[2][512];
	layout(&lay, rows);
	hist_format_header(&lay, b);
	for (size_t i = 0; i < nsamples; i++)
		hist_format_sample(&lay, i, (int64_t)i * 1000000000, rows[i % 2], b);
	hist_free(&lay);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct history lay = {0};
	static int64_t rows[2][512];
	layout(&lay, rows);
	assert_int_equal(lay.p.page_size, 4096);
	assert_int_equal(lay.p.min_free_kbytes, 45056);
	assert_int_equal(lay.p.wsf, 10);
	assert_true(lay.nvm > 20);
	int ix = hist_vm_index(&lay, "pgalloc_dma32");
	assert_true(ix >= 0);
	assert_true(rows[1][ix] > rows[0][ix]); /* the guest ran its pressure workload in between */

	struct buf b = {0};
	hist_format_header(&lay, &b);
	hist_format_sample(&lay, 0, 0, rows[0], &b);
	hist_format_sample(&lay, 1, 250000000, rows[1], &b);
	struct history h;
	struct diag_list d = {0};
	assert_int_equal(hist_parse(b.p, b.len, "rt", &h, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.nvm, lay.nvm);
	assert_int_equal(h.zi.nzones, lay.zi.nzones);
	assert_int_equal(h.p.min_free_kbytes, 45056);
	assert_int_equal(h.p.thp, lay.p.thp);
	assert_int_equal(h.p.nlrr, lay.p.nlrr);
	assert_string_equal(h.kernel_release, lay.kernel_release);
	assert_int_equal(h.t_ns[1], 250000000);
	assert_memory_equal(hist_row(&h, 0), rows[0], hist_stride(&h) * sizeof(int64_t));
	assert_memory_equal(hist_row(&h, 1), rows[1], hist_stride(&h) * sizeof(int64_t));
	hist_free(&h);
	hist_free(&lay);
	buf_free(&b);
}

/* Every cut inside the last sample line leaves the earlier samples readable. */
static void test_torn_last_sample(void **state)
{
	(void)state;
	struct buf b = {0};
	record_text(&b, 3);
	size_t last = b.len - 1;
	while (b.p[last - 1] != '\n')
		last--;
	for (size_t cut = last + 1; cut < b.len; cut += 7) {
		char *copy = strndup(b.p, cut);
		struct history h;
		struct diag_list d = {0};
		assert_int_equal(hist_parse(copy, cut, "torn", &h, &d), 0);
		assert_int_equal(h.n, 2);
		assert_int_equal(h.dropped, 1);
		assert_int_equal(d.n, 1);
		assert_int_equal(d.v[0].sev, DIAG_WARNING);
		assert_non_null(strstr(d.v[0].msg, "last sample incomplete"));
		hist_free(&h);
		diag_list_clear(&d);
		free(copy);
	}
	/* a whole last line with a flipped digit: checksum, dropped */
	b.p[last + 4] = b.p[last + 4] == '1' ? '2' : '1';
	struct history h;
	struct diag_list d = {0};
	assert_int_equal(hist_parse(b.p, b.len, "flip", &h, &d), 0);
	assert_int_equal(h.n, 2);
	assert_non_null(strstr(d.v[0].msg, "checksum mismatch"));
	hist_free(&h);
	diag_list_clear(&d);
	buf_free(&b);
}

/* A damaged sample that is not the last is an error with its line. */
static void test_damaged_middle(void **state)
{
	(void)state;
	struct buf b = {0};
	record_text(&b, 3);
	size_t last = b.len - 1;
	while (b.p[last - 1] != '\n')
		last--;
	size_t mid = last - 1;
	while (b.p[mid - 1] != '\n')
		mid--;
	unsigned line = 1;
	for (size_t i = 0; i < mid; i++)
		line += b.p[i] == '\n';
	b.p[mid + 2] = b.p[mid + 2] == '7' ? '8' : '7';
	struct history h = {0};
	struct diag_list d = {0};
	assert_int_equal(hist_parse(b.p, b.len, "mid", &h, &d), -EINVAL);
	assert_int_equal(h.n, 0);
	assert_int_equal(d.v[d.n - 1].line, line);
	assert_non_null(strstr(d.v[d.n - 1].msg, "damaged sample"));
	diag_list_clear(&d);
	buf_free(&b);
}

static void test_bad_header(void **state)
{
	(void)state;
	struct buf b = {0};
	record_text(&b, 2);
	struct history h = {0};
	struct diag_list d = {0};
	/* min_free_kbytes 45056 -> 45057: the header checksum catches it */
	char *p = strstr(b.p, "min_free_kbytes 45056");
	assert_non_null(p);
	p[strlen("min_free_kbytes 4505")] = '7';
	assert_int_equal(hist_parse(b.p, b.len, "hdr", &h, &d), -EINVAL);
	assert_non_null(strstr(d.v[d.n - 1].msg, "header checksum"));
	diag_list_clear(&d);
	/* a header cut short (the recorder died before the rename cannot do
	 * this, but a copy can) */
	assert_int_equal(hist_parse(b.p, 80, "short", &h, &d), -EINVAL);
	diag_list_clear(&d);
	/* not a history */
	assert_int_equal(hist_parse("hello\n", 6, "x", &h, &d), -EINVAL);
	assert_non_null(strstr(d.v[0].msg, "not a reclaim-advisor history"));
	diag_list_clear(&d);
	buf_free(&b);
}

static void copy_file(const char *from, const char *to)
{
	size_t n;
	char *buf = tu_read(from, &n);
	FILE *f = fopen(to, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	fclose(f);
	free(buf);
}

/* The directory form: the same captures as timestamped subdirectories. */
static void test_directory_form(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_history.XXXXXX";
	assert_non_null(mkdtemp(dir));
	const char *names[] = {"0.000", "0.250"}, *roots[] = {ROOT_A, ROOT_B};
	char p[512], q[512];
	for (int i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "%s/%s/proc", dir, names[i]);
		mkdir(p, 0755);
		const char *files[] = {"vmstat", "zoneinfo"};
		for (int k = 0; k < 2; k++) {
			snprintf(p, sizeof(p), "%s/proc/%s", roots[i], files[k]);
			snprintf(q, sizeof(q), "%s/%s/proc/%s", dir, names[i], files[k]);
			copy_file(p, q);
		}
	}
	snprintf(p, sizeof(p), "%s/README", dir); /* not a sample: ignored */
	copy_file(ROOT_A "/proc/vmstat", p);
	struct history h;
	struct diag_list d = {0};
	assert_int_equal(hist_read(dir, &h, &d), 0);
	assert_int_equal(h.form, HIST_DIR);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.t_ns[0], 0);
	assert_int_equal(h.t_ns[1], 250000000);
	struct history lay = {0};
	static int64_t rows[2][512];
	layout(&lay, rows);
	assert_int_equal(h.nvm, lay.nvm);
	/* no PSI copied: absent, not 0 */
	assert_true(hist_row(&h, 0)[h.nvm + h.zi.nzones] == HIST_ABSENT);
	assert_memory_equal(hist_row(&h, 1), rows[1], (h.nvm + h.zi.nzones) * sizeof(int64_t));
	hist_free(&lay);
	hist_free(&h);
	diag_list_clear(&d);
	/* one sample is not a history */
	snprintf(p, sizeof(p), "rm -rf %s/0.250", dir);
	assert_int_equal(system(p), 0);
	assert_int_equal(hist_read(dir, &h, &d), -ENODATA);
	diag_list_clear(&d);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

/* The ring: the file stays under max, keeps its header and the newest
 * samples, and reads back at every step. */
static void test_ring(void **state)
{
	(void)state;
	struct history lay = {0};
	static int64_t rows[2][512];
	layout(&lay, rows);
	struct buf hdr = {0}, line = {0};
	hist_format_header(&lay, &hdr);
	hist_format_sample(&lay, 0, 0, rows[0], &line);
	char path[] = "/tmp/test_history_ring.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct recfile rf;
	size_t least = 0;
	/* too small a bound is refused with the least usable one */
	assert_int_equal(recfile_create(path, hdr.p, hdr.len, hdr.len + 10, line.len, &rf, &least), -ENOSPC);
	assert_true(least > hdr.len);
	size_t max = hdr.len + 40 * line.len;
	assert_int_equal(recfile_create(path, hdr.p, hdr.len, max, line.len, &rf, &least), 0);
	for (uint64_t i = 0; i < 200; i++) {
		buf_reset(&line);
		hist_format_sample(&lay, i, (int64_t)i * 1000000, rows[i % 2], &line);
		assert_int_equal(recfile_append(&rf, line.p, line.len), 0);
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_true((size_t)st.st_size <= max);
	}
	assert_true(rf.trims > 0);
	assert_int_equal(recfile_close(&rf), 0);
	struct history h;
	struct diag_list d = {0};
	assert_int_equal(hist_read(path, &h, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(h.seq[h.n - 1], 199);
	assert_true(h.n >= 8 && h.n <= 40);
	for (size_t i = 1; i < h.n; i++)
		assert_int_equal(h.seq[i], h.seq[i - 1] + 1);
	hist_free(&h);
	/* an existing file that is not a history is never replaced */
	FILE *f = fopen(path, "w");
	fputs("precious\n", f);
	fclose(f);
	assert_int_equal(recfile_create(path, hdr.p, hdr.len, 0, line.len, &rf, &least), -EEXIST);
	unlink(path);
	hist_free(&lay);
	buf_free(&hdr);
	buf_free(&line);
}

/* A version 1 file (recorded before boosts were kept) is still read: every
 * sample's boosts are absent, the boost factor unknown; written again it
 * becomes version 2 with the same values. */
static void test_version1(void **state)
{
	(void)state;
	size_t n;
	char *buf = tu_read("fixtures/recordings/live-fc-6.18-idle.history", &n);
	assert_non_null(strstr(buf, "reclaim-advisor-history 1\n"));
	struct history h;
	struct diag_list d = {0};
	assert_int_equal(hist_parse(buf, n, "v1", &h, &d), 0);
	assert_int_equal(h.version, 1);
	assert_true(h.n > 10);
	assert_true(h.boost_factor == -1);
	for (size_t i = 0; i < h.n; i++)
		for (size_t z = 0; z < h.zi.nzones; z++)
			assert_true(hist_row(&h, i)[hist_boost_col(&h, z)] == HIST_ABSENT);
	struct buf b = {0};
	hist_format_header(&h, &b);
	for (size_t i = 0; i < h.n; i++)
		hist_format_sample(&h, h.seq[i], h.t_ns[i], hist_row(&h, i), &b);
	assert_non_null(strstr(b.p, "reclaim-advisor-history 2\n"));
	assert_non_null(strstr(b.p, "\nwatermark_boost_factor -\n"));
	struct history g;
	assert_int_equal(hist_parse(b.p, b.len, "v2", &g, &d), 0);
	assert_int_equal(g.version, 2);
	assert_int_equal(g.n, h.n);
	assert_memory_equal(g.val, h.val, h.n * hist_stride(&h) * sizeof(int64_t));
	hist_free(&g);
	hist_free(&h);
	buf_free(&b);
	free(buf);
	diag_list_clear(&d);
}


/* hist_slice and hist_split on a real recording (the zram guest's, record
 * form, 0.1 s): each piece is its samples exactly, its times count from
 * its first, its monotonic start moves with it, consecutive pieces share
 * their boundary sample (every interval in one piece), a short rest joins
 * the last piece, and pieces too short to fit are refused. */
static void test_slice_and_split(void **state)
{
	(void)state;
	const char *path = "fixtures/histories/6.1-zram-record2/history";
	struct history h;
	struct diag_list d = {0};
	assert_int_equal(hist_read(path, &h, &d), 0);
	assert_true(h.n > 150);
	struct history s;
	assert_int_equal(hist_slice(&h, 10, 60, &s, &d), 0);
	assert_int_equal(s.n, 50);
	assert_int_equal(s.t_ns[0], 0);
	assert_int_equal(s.t_ns[49], h.t_ns[59] - h.t_ns[10]);
	assert_int_equal(s.seq[0], h.seq[10]);
	assert_memory_equal(s.val, h.val + 10 * hist_stride(&h), 50 * hist_stride(&h) * sizeof(*s.val));
	assert_int_equal(s.zi.nzones, h.zi.nzones);
	assert_int_equal(s.p.min_free_kbytes, h.p.min_free_kbytes);
	if (h.mono_start_ns >= 0)
		assert_int_equal(s.mono_start_ns, h.mono_start_ns + h.t_ns[10]);
	assert_non_null(strstr(s.origin, " [1.0-5.9 s]"));
	hist_free(&s);
	assert_int_equal(hist_slice(&h, 10, 11, &s, &d), -EINVAL);
	assert_int_equal(hist_slice(&h, 0, h.n + 1, &s, &d), -EINVAL);
	diag_list_clear(&d);

	/* pieces of 5 s over a ~19 s recording */
	size_t n = 1;
	struct history *hs = calloc(1, sizeof(*hs));
	assert_int_equal(hist_read(path, &hs[0], &d), 0);
	double span = (double)(hs[0].t_ns[hs[0].n - 1]) / 1e9;
	assert_int_equal(hist_split(&hs, &n, 5, &d), 0);
	size_t want = (size_t)floor(span / 5 + 0.5); /* a rest under 2.5 s joins the last piece */
	assert_int_equal(n, want ? want : 1);
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		total += hs[i].n - 1; /* intervals */
		if (i + 1 < n) {
			assert_true(hs[i].t_ns[hs[i].n - 1] >= (int64_t)(5e9 - 2e8));
			/* the boundary sample is both pieces' */
			assert_memory_equal(hs[i].val + (hs[i].n - 1) * hist_stride(&h), hs[i + 1].val,
					    hist_stride(&h) * sizeof(*h.val));
		}
	}
	assert_int_equal(total, h.n - 1);
	for (size_t i = 0; i < n; i++)
		hist_free(&hs[i]);
	free(hs);
	/* pieces of fewer than HIST_MIN_PIECE samples: refused, nothing lost */
	n = 1;
	hs = calloc(1, sizeof(*hs));
	assert_int_equal(hist_read(path, &hs[0], &d), 0);
	assert_int_equal(hist_split(&hs, &n, 0.5, &d), -EINVAL);
	assert_int_equal(n, 1);
	assert_int_equal(hs[0].n, h.n);
	hist_free(&hs[0]);
	free(hs);
	diag_list_clear(&d);
	hist_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_torn_last_sample),
		cmocka_unit_test(test_damaged_middle), cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_directory_form), cmocka_unit_test(test_ring),
		cmocka_unit_test(test_version1),
		cmocka_unit_test(test_slice_and_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
