/* libFuzzer harness for the expression language: the input is the
 * expression text (not NUL-terminated: the stages must honour len).  It is
 * tokenised from every byte offset, parsed, evaluated unchecked, checked,
 * and evaluated again against a fixed fake fact set; every diagnostic is
 * printed, so the caret printer meets every line/column the stages make.
 * Built by `make fuzz` (clang -fsanitize=fuzzer) and by `make fuzz-replay`
 * (gcc + tests/fuzz/replay.c) against tests/fuzz/corpus/expr/.
 *
 * Contract checks (abort on violation):
 *  - the tokenizer always makes progress and stays inside the text;
 *  - parse/check fail exactly when they add an error diagnostic, and each
 *    diagnostic's column lies within its (padded) source line + 1;
 *  - an evaluation error has a known code and a span inside the text;
 *  - a checked expression evaluates to a value of the checked type. */
#include "rules/expr.h"
#include "rules/expr_int.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	enum fact_type type;
	int state; /* 0 present, 1 absent, 2 never collected */
	struct value v;
} facts[] = {
	{ "a", FACT_INT, 0, { .type = FACT_INT, .u.i = 10 } },
	{ "b", FACT_INT, 0, { .type = FACT_INT, .u.i = 0 } },
	{ "big", FACT_INT, 0, { .type = FACT_INT, .u.i = INT64_MAX } },
	{ "small", FACT_INT, 0, { .type = FACT_INT, .u.i = INT64_MIN } },
	{ "f", FACT_FLOAT, 0, { .type = FACT_FLOAT, .u.f = 0.25 } },
	{ "fi", FACT_FLOAT, 0, { .type = FACT_INT, .u.i = 3 } },
	{ "s", FACT_STR, 0, { .type = FACT_STR, .u.s = "zram" } },
	{ "t", FACT_BOOL, 0, { .type = FACT_BOOL, .u.b = true } },
	{ "vmstat.oom_kill", FACT_INT, 1, { 0 } },
	{ "rate.psi_some", FACT_FLOAT, 1, { 0 } },
	{ "sysctl.vm.page-cluster", FACT_INT, 0, { .type = FACT_INT, .u.i = 3 } },
	{ "u", FACT_STR, 2, { 0 } },
};

static int find(const char *name)
{
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++)
		if (strcmp(facts[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int lookup(void *ctx, const char *name, enum fact_type *type, int *slot)
{
	*slot = 0; /* names are looked up again by name below */
	(void)ctx;
	int i = find(name);
	if (i < 0)
		return -ENOENT;
	*type = facts[i].type;
	return 0;
}

static int get(void *ctx, int slot, const char *name, struct value *out, const char **reason)
{
	(void)slot;
	(void)ctx;
	int i = find(name);
	if (i < 0 || facts[i].state == 2)
		return -ENOENT;
	if (facts[i].state == 1) {
		*reason = "proc/vmstat not present";
		return -ENODATA;
	}
	*out = facts[i].v;
	return 0;
}

static void name_cb(void *ctx, const char *name)
{
	size_t *n = ctx;
	*n += strlen(name);
}

static void check_diags(const struct diag_list *d, size_t from)
{
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	for (size_t i = from; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		if (g->sev != DIAG_ERROR || !g->msg || g->line < 1 || g->col < 1 || g->span < 1)
			abort();
		if (g->src && g->col > strlen(g->src) + 1)
			abort();
		if (devnull)
			diag_print(devnull, g);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	/* An exact-size copy: a read past len is an ASan report. */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);

	for (size_t pos = 0; pos <= size; pos++) {
		struct expr_tok t;
		size_t next = expr_lex(text, size, pos, &t);
		if (t.kind == TK_EOF ? next != size : (next <= pos || next > size || t.off + t.len > size ||
						       t.len == 0 || t.off < pos))
			abort();
	}

	/* Odd columns exercise the padding of the first source line. */
	struct expr_src src = { text, size, "fuzz.ini", 3, size ? 1 + data[0] % 16 : 1 };
	struct expr_names names = { lookup, NULL };
	struct expr_env env = { get, NULL };
	struct expr_arena *a = expr_arena_new();
	struct diag_list d = { 0 };
	struct expr *e = NULL;
	int rc = expr_parse(a, &src, &e, &d);
	if ((rc == 0) != (d.n == 0) || (rc && rc != -EINVAL))
		abort();
	check_diags(&d, 0);
	if (rc == 0) {
		size_t n = 0;
		expr_foreach_name(e, name_cb, &n);

		struct value v;
		struct expr_error err;
		rc = expr_eval(e, &env, &v, &err);
		if (rc && (err.code != rc || err.off + err.len > size || !err.msg[0]))
			abort();

		enum fact_type ty = 0;
		size_t before = d.n;
		rc = expr_check(e, &src, &names, &ty, &d);
		if ((rc == 0) != (d.n == before) || (rc && rc != -EINVAL))
			abort();
		check_diags(&d, before);
		if (rc == 0) {
			rc = expr_eval(e, &env, &v, &err);
			if (rc == 0 && v.type != ty)
				abort();
			if (rc && (err.code != rc || err.off + err.len > size || !err.msg[0] ||
				   (rc != -ENODATA && rc != -EDOM && rc != -ERANGE)))
				abort();
			if (rc == 0 && v.type == FACT_STR && !v.u.s)
				abort();
			if (rc)
				expr_diag_at(&d, DIAG_ERROR, &src, err.off, err.len, "%s", err.msg);
			check_diags(&d, before);
		}
	}
	diag_list_clear(&d);
	expr_arena_free(a);
	free(text);
	return 0;
}
