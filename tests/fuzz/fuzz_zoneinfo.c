/* libFuzzer harness for zoneinfo_parse.  Built with clang
 * -fsanitize=fuzzer by `make fuzz`, and with gcc plus tests/fuzz/replay.c
 * (-DFUZZ_REPLAY) by `make fuzz-replay` to replay the corpus in
 * tests/fuzz/corpus/zoneinfo/.
 *
 * Beyond "no crash, no leak", it checks the parser's contract: on success
 * at least one zone, every zone named, watermarks either absent or >= 0,
 * and no error diagnostic; on failure the output untouched and at least one
 * error naming the origin. */
#include "collect/parse.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The parser contract wants buf[len] == '\0'. */
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	struct zoneinfo zi = {0};
	struct diag_list d = {0};
	int rc = zoneinfo_parse(buf, size, "fuzz", &zi, &d);
	if (rc == 0) {
		if (zi.nzones == 0 || diag_count(&d, DIAG_ERROR))
			abort();
		for (size_t i = 0; i < zi.nzones; i++) {
			const struct zone *z = &zi.zones[i];
			if (!z->name || !z->name[0] || z->free < 0 || z->min < 0 || z->low < 0 ||
			    z->high < 0 || z->nprotection > ZONE_MAX_PROTECTION)
				abort();
			for (size_t k = 0; k < z->ncounters; k++)
				if (!z->counters[k].name || z->counters[k].value < 0)
					abort();
		}
		zoneinfo_free(&zi);
	} else {
		if (zi.nzones || zi.zones || zi.nnodes || zi.nodes)
			abort();
		if ((rc != -EINVAL && rc != -ERANGE) || !diag_count(&d, DIAG_ERROR) ||
		    strcmp(d.v[0].origin, "fuzz"))
			abort();
	}
	/* Print the diagnostics too: the caret printer reads src up to col,
	 * so a column past the stored source would show up here. */
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");
	if (sink)
		diag_print_all(sink, &d);
	diag_list_clear(&d);
	free(buf);
	return 0;
}
