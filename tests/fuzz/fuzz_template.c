/* libFuzzer harness for the fragment templates (render/template.h) and the
 * up-to-date test and state line reader (fragment_up_to_date).  Built with clang
 * -fsanitize=fuzzer by `make fuzz`, and with gcc plus tests/fuzz/replay.c
 * (-DFUZZ_REPLAY) by `make fuzz-replay` to replay tests/fuzz/corpus/template/.
 *
 * Input: TEMPLATE [0xFF TEXT].  The template bytes go to tmpl_parse as
 * they are (NULs included: a template is a file and may hold anything), with
 * the header and entry holes allowed.  TEXT plays an existing fragment on
 * disk.  Checks, beyond "no crash, no leak, no read past a buffer":
 *   - parse failure: -EINVAL, *out untouched, at least one error, every
 *     error naming the origin with a line >= 1;
 *   - parse success: rendering with every hole filled succeeds;
 *   - fragment_up_to_date: a rendering is up to date with itself, and the
 *     call on (TEXT, rendering) returns either way;
 *   - fragment_state_read on TEXT: 0 (a well-formed line), -ENOENT or
 *     -EINVAL;
 *   - fragment_base_read on TEXT: every line read has a key and, with
 *     "ours", a profile. */
#include "render/fragment.h"
#include "render/template.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *all_holes[64];

static void init_holes(void)
{
	if (all_holes[0])
		return;
	size_t n = 0;
	for (size_t i = 0; fragment_header_holes[i]; i++)
		all_holes[n++] = fragment_header_holes[i];
	for (size_t i = 0; fragment_entry_holes[i]; i++)
		all_holes[n++] = fragment_entry_holes[i];
	all_holes[n] = NULL;
}

/* A value for hole number i: a few bytes of TEXT (deterministic), without
 * '\n' (rendered values are single lines) and without NUL (C strings). */
static char *value_for(size_t i, const char *text, size_t tlen)
{
	size_t len = tlen ? (i * 7 + 3) % 13 : 0;
	char *v = malloc(len + 1);
	if (!v)
		abort();
	for (size_t k = 0; k < len; k++) {
		char c = text[(i * 5 + k) % tlen];
		v[k] = c == '\n' || c == 0 ? ' ' : c;
	}
	v[len] = 0;
	return v;
}

static FILE *sink(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init_holes();
	const char *in = (const char *)data;
	const char *sep = memchr(in, 0xFF, size);
	size_t tlen = sep ? (size_t)(sep - in) : size;
	const char *text = sep ? sep + 1 : "";
	size_t textlen = sep ? size - tlen - 1 : 0;

	struct diag_list d = {0};
	struct tmpl *t = NULL;
	int rc = tmpl_parse(in, tlen, "fuzz", all_holes, &t, &d);
	if (sink())
		diag_print_all(sink(), &d);
	if (rc) {
		if (rc != -EINVAL || t || !diag_count(&d, DIAG_ERROR))
			abort();
		for (size_t i = 0; i < d.n; i++)
			if (strcmp(d.v[i].origin, "fuzz") || d.v[i].line < 1)
				abort();
		diag_list_clear(&d);
		return 0;
	}
	if (diag_count(&d, DIAG_ERROR))
		abort();
	diag_list_clear(&d);

	/* Render with every hole filled. */
	struct tmpl_vars m = {0};
	for (size_t i = 0; all_holes[i]; i++) {
		char *v = value_for(i, text, textlen);
		tmpl_vars_set(&m, all_holes[i], v);
		free(v);
	}
	struct buf r = {0};
	if (tmpl_render(t, &m, &r))
		abort();

	/* The up-to-date test and the state line reader on arbitrary text. */
	if (!fragment_up_to_date(r.p ? r.p : "", r.len, r.p ? r.p : "", r.len))
		abort();
	(void)fragment_up_to_date(text, textlen, r.p ? r.p : "", r.len);
	(void)fragment_up_to_date(r.p ? r.p : "", r.len, text, textlen);
	struct fragment_state st;
	rc = fragment_state_read(text, textlen, &st);
	if (rc != 0 && rc != -ENOENT && rc != -EINVAL)
		abort();
	if (rc == 0 && (strlen(st.assignments) != 16 || !*st.ruleset || !*st.profile))
		abort();
	struct fragment_base_list bl = {0};
	size_t nb = fragment_base_read(text, textlen, &bl);
	if (nb != bl.n)
		abort();
	for (size_t i = 0; i < bl.n; i++)
		if (!*bl.v[i].key || (bl.v[i].has_ours && !*bl.v[i].profile) || fragment_base_get(&bl, bl.v[i].key) == NULL)
			abort();
	fragment_base_list_free(&bl);

	buf_free(&r);
	tmpl_vars_free(&m);
	tmpl_free(t);
	return 0;
}
