/* libFuzzer harness for fleet's per-report JSON reader (fleet_add_report,
 * fleet/fleet.h).  Built with clang -fsanitize=fuzzer by `make fuzz`, and
 * with gcc plus tests/fuzz/replay.c (-DFUZZ_REPLAY) by `make fuzz-replay` to
 * replay tests/fuzz/corpus/fleet/.
 *
 * The bytes go to the reader as they are (no NUL appended: the contract is
 * (buf, len)).  Checks, beyond "no crash, no leak, no read past len":
 *   - the result is 0 (one host recorded) or -EINVAL (the report skipped,
 *     one warning naming the origin, no host recorded);
 *   - the same report read again from the same file is the same host (a
 *     second record of one id supersedes the first: still one host);
 *   - the text and JSON summaries render, and the JSON summary is one valid
 *     JSON document with "schema": "reclaim-advisor/fleet" (a value from a
 *     report must not break the output's syntax). */
#include "fleet/fleet.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy exactly len bytes long: ASan sees any read past it. */
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	struct fleet_opts o = {.threads = 1, .group_by = size && data[0] & 1 ? "kernel" : NULL};
	struct fleet *f = fleet_new(&o);
	struct diag_list d = {0};
	int rc = fleet_add_report(f, buf, size, "fuzz/a.json", &d);
	if (rc == 0) {
		if (fleet_nhosts(f) != 1 || fleet_nskipped(f) != 0 || diag_count(&d, DIAG_ERROR))
			abort();
		/* the same report again (the same origin: a report without
		 * host.id or host.origin is named after its file) */
		if (fleet_add_report(f, buf, size, "fuzz/a.json", &d) != 0 || fleet_nhosts(f) != 1)
			abort();
	} else {
		if (rc != -EINVAL || fleet_nhosts(f) != 0 || fleet_nskipped(f) != 1 || d.n != 1 ||
		    strcmp(d.v[0].origin, "fuzz/a.json"))
			abort();
	}
	struct buf t = {0};
	fleet_render_text(f, &t);
	buf_reset(&t);
	fleet_render_json(f, &t);
	json_object *doc = json_tokener_parse(buf_str(&t));
	if (!doc)
		abort();
	json_object *schema = NULL;
	if (!json_object_object_get_ex(doc, "schema", &schema) ||
	    strcmp(json_object_get_string(schema), FLEET_SCHEMA_ID))
		abort();
	json_object_put(doc);
	buf_free(&t);
	fleet_free(f);
	diag_list_clear(&d);
	free(buf);
	return 0;
}
