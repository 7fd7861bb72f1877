/* libFuzzer harness for snapshot_parse.  Built with clang -fsanitize=fuzzer
 * by `make fuzz`, and with gcc plus tests/fuzz/replay.c (-DFUZZ_REPLAY) by
 * `make fuzz-replay` to replay the corpus in tests/fuzz/corpus/snapshot/.
 *
 * The bytes go to the parser as they are (no NUL appended: the contract is
 * (buf, len), and ASan sees any read past len).  Beyond "no crash, no leak",
 * it checks the contract in snapshot.h:
 *   - failure: -EINVAL, at least one error naming the origin, *out untouched;
 *   - success: no error in d, every zone named, page counts absent or >= 0,
 *     at most ZONE_MAX_PROTECTION protection entries;
 *   - success, round trip: what snapshot_write makes of the host parses
 *     again, and writing that second host gives the same bytes (a value the
 *     reader accepts but the writer cannot express would show up here). */
#include "collect/snapshot.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_host(const struct host *h)
{
	if (!h->facts || !h->origin || strcmp(h->origin, "fuzz"))
		abort();
	if ((h->zi.nzones && !h->zi.zones) || (h->zi.nnodes && !h->zi.nodes))
		abort();
	for (size_t i = 0; i < h->zi.nzones; i++) {
		const struct zone *z = &h->zi.zones[i];
		const int64_t f[] = {z->free,    z->boost,   z->min,     z->low, z->high,
				     z->promo,   z->spanned, z->present, z->managed, z->cma};
		if (!z->name || z->node < 0 || z->nprotection > ZONE_MAX_PROTECTION)
			abort();
		for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++)
			if (f[k] < 0 && f[k] != ZONE_ABSENT)
				abort();
		for (size_t k = 0; k < z->ncounters; k++)
			if (!z->counters[k].name)
				abort();
	}
	for (size_t i = 0; i < h->zi.nnodes; i++)
		for (size_t k = 0; k < h->zi.nodes[i].ncounters; k++)
			if (!h->zi.nodes[i].counters[k].name)
				abort();
}

static void sink_diags(const struct diag_list *d)
{
	/* Print too: the printer reads the source line up to the column, so a
	 * position past the buffer would show up under ASan. */
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");
	if (sink)
		diag_print_all(sink, d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A sentinel host: a failed parse must leave every byte of it alone. */
	struct host sentinel, h;
	memset(&sentinel, 0xa5, sizeof(sentinel));
	h = sentinel;
	struct diag_list d = {0};
	int rc = snapshot_parse((const char *)data, size, "fuzz", &h, &d);
	sink_diags(&d);
	if (rc) {
		if (rc != -EINVAL || !diag_count(&d, DIAG_ERROR) || !d.v[0].origin ||
		    strcmp(d.v[0].origin, "fuzz") || memcmp(&h, &sentinel, sizeof(h)))
			abort();
		diag_list_clear(&d);
		return 0;
	}
	if (diag_count(&d, DIAG_ERROR))
		abort();
	check_host(&h);
	sink_diags(&h.diags);

	struct buf w1 = {0}, w2 = {0};
	snapshot_write(&h, NULL, &w1);
	struct host h2 = {0};
	struct diag_list d2 = {0};
	if (snapshot_parse(buf_str(&w1), w1.len, "fuzz", &h2, &d2)) {
		/* The reader refused what the writer made of an accepted input. */
		diag_print_all(stderr, &d2);
		abort();
	}
	snapshot_write(&h2, NULL, &w2);
	if (w1.len != w2.len || memcmp(buf_str(&w1), buf_str(&w2), w1.len)) {
		fprintf(stderr, "round trip differs:\n--- first write\n%s--- second write\n%s",
			buf_str(&w1), buf_str(&w2));
		abort();
	}
	buf_free(&w1);
	buf_free(&w2);
	host_free(&h2);
	diag_list_clear(&d2);
	host_free(&h);
	diag_list_clear(&d);
	return 0;
}
