/* libFuzzer harness for the fragment templates (render/template.h) and the
 * up-to-date test built on them (fragment_up_to_date).  Built with clang
 * -fsanitize=fuzzer by `make fuzz`, and with gcc plus tests/fuzz/replay.c
 * (-DFUZZ_REPLAY) by `make fuzz-replay` to replay tests/fuzz/corpus/template/.
 *
 * Input: TEMPLATE [0xFF TEXT].  The template bytes go to tmpl_parse as
 * they are (NULs included: a template is a file and may hold anything), with
 * the header and entry holes allowed.  TEXT plays an existing fragment on
 * disk.  Checks, beyond "no crash, no leak, no read past a buffer":
 *   - parse failure: -EINVAL, *out untouched, at least one error, every
 *     error naming the origin with a line >= 1;
 *   - parse success: rendering with every hole filled succeeds; a rendering
 *     (hole values without '\n') is always matched by tmpl_match, within
 *     its length, unless the search gives up (-E2BIG); every value
 *     tmpl_match reads back holds no '\n' and re-rendering the template
 *     with them reproduces the matched prefix when no hole repeats;
 *   - tmpl_match on TEXT: 0, -ENOENT or -E2BIG, the matched prefix within
 *     TEXT;
 *   - fragment_up_to_date: a rendering is up to date with itself, and the
 *     call on (TEXT, rendering) returns without error either way. */
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

/* Does the template use any hole twice?  (Then tmpl_match keeps the first
 * occurrence and re-rendering may differ from the text.) */
static bool repeats_hole(const struct tmpl *t)
{
	bool rep = false;
	for (size_t i = 0; all_holes[i] && !rep; i++) {
		/* Render with only hole i marked: count its occurrences. */
		struct tmpl_vars one = {0};
		for (size_t k = 0; all_holes[k]; k++)
			tmpl_vars_set(&one, all_holes[k], k == i ? "\x01" : "");
		struct buf b = {0};
		if (tmpl_render(t, &one, &b))
			abort();
		size_t n = 0;
		for (size_t k = 0; k < b.len; k++)
			n += b.p[k] == '\x01';
		/* the template text itself may contain \x01: compare with none */
		struct tmpl_vars none = {0};
		for (size_t k = 0; all_holes[k]; k++)
			tmpl_vars_set(&none, all_holes[k], "");
		struct buf c = {0};
		if (tmpl_render(t, &none, &c))
			abort();
		size_t base = 0;
		for (size_t k = 0; k < c.len; k++)
			base += c.p[k] == '\x01';
		rep = n - base > 1;
		buf_free(&b);
		buf_free(&c);
		tmpl_vars_free(&one);
		tmpl_vars_free(&none);
	}
	return rep;
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

	/* A rendering matches its template. */
	struct tmpl_vars back = {0};
	size_t matched = (size_t)-1;
	rc = tmpl_match(t, r.p ? r.p : "", r.len, &back, &matched);
	if (rc != 0 && rc != -E2BIG)
		abort();
	if (rc == 0) {
		if (matched > r.len)
			abort();
		for (size_t i = 0; i < back.n; i++)
			if (strchr(back.v[i].value, '\n'))
				abort();
		if (!repeats_hole(t)) {
			/* every hole the template uses was read back */
			struct buf again = {0};
			for (size_t i = 0; all_holes[i]; i++)
				if (!tmpl_has_hole(t, all_holes[i]))
					tmpl_vars_set(&back, all_holes[i], "");
			if (tmpl_render(t, &back, &again))
				abort();
			if (again.len != matched || memcmp(again.p ? again.p : "", r.p ? r.p : "", matched))
				abort();
			buf_free(&again);
		}
	}
	tmpl_vars_free(&back);

	/* tmpl_match on arbitrary text. */
	matched = (size_t)-1;
	rc = tmpl_match(t, text, textlen, &back, &matched);
	if (rc != 0 && rc != -ENOENT && rc != -E2BIG)
		abort();
	if (rc == 0 && matched > textlen)
		abort();
	if (rc != 0 && (matched != (size_t)-1 || back.n))
		abort();
	tmpl_vars_free(&back);

	/* The up-to-date test with this template as the header. */
	struct fragment_templates ft = {.header = t, .entry = NULL};
	if (!fragment_up_to_date(&ft, r.p ? r.p : "", r.len, r.p ? r.p : "", r.len))
		abort();
	(void)fragment_up_to_date(&ft, text, textlen, r.p ? r.p : "", r.len);
	(void)fragment_up_to_date(&ft, r.p ? r.p : "", r.len, text, textlen);

	buf_free(&r);
	tmpl_vars_free(&m);
	tmpl_free(t);
	return 0;
}
