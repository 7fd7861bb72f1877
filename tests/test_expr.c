/* Tests for the expression language (advisor/rules/expr*.c).
 *
 * The bulk is data: tests/expr_cases.txt, one case per line (format at the
 * top of that file), run through parse -> check -> eval against the fake
 * facts the file declares.  Every failing case is printed with its line
 * number before the test fails, so one run shows them all.  The direct
 * tests below cover what a one-line case cannot: caret diagnostics across
 * continuation lines, the tokenizer's purity, foreach_name, and evaluation
 * of unchecked trees. */
#include "testutil.h"

#include "base/buf.h"
#include "base/kver.h"
#include "rules/expr.h"
#include "rules/expr_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the fake fact set ---- */

struct tfact {
	char *name;
	enum fact_type type;
	enum { TF_PRESENT, TF_ABSENT, TF_UNSET } state;
	struct value v; /* TF_PRESENT; v.type may be int for a float fact */
	char *reason;
	char *str;      /* owns v.u.s */
};

struct tfacts {
	struct tfact *v;
	size_t n;
};

static struct tfact *tf_find(const struct tfacts *fs, const char *name)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].name, name) == 0)
			return &fs->v[i];
	return NULL;
}

static void tf_free(struct tfacts *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->v[i].name);
		free(fs->v[i].reason);
		free(fs->v[i].str);
	}
	free(fs->v);
	fs->v = NULL;
	fs->n = 0;
}

static int tf_lookup(void *ctx, const char *name, enum fact_type *type, int *slot)
{
	*slot = 0; /* names are looked up again by name below */
	struct tfact *f = tf_find(ctx, name);
	if (!f)
		return -ENOENT;
	*type = f->type;
	return 0;
}

static int tf_get(void *ctx, int slot, const char *name, struct value *out, const char **reason)
{
	(void)slot;
	struct tfact *f = tf_find(ctx, name);
	if (!f || f->state == TF_UNSET)
		return -ENOENT;
	if (f->state == TF_ABSENT) {
		*reason = f->reason;
		return -ENODATA;
	}
	*out = f->v;
	return 0;
}

static enum fact_type parse_type(const char *s)
{
	if (!strcmp(s, "int"))
		return FACT_INT;
	if (!strcmp(s, "float"))
		return FACT_FLOAT;
	if (!strcmp(s, "str"))
		return FACT_STR;
	if (!strcmp(s, "bool"))
		return FACT_BOOL;
	if (!strcmp(s, "version"))
		return EXPR_T_VERSION;
	return 0;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/* "fact NAME TYPE VALUE" | "fact NAME TYPE absent REASON" | "fact NAME TYPE unset" */
static bool tf_declare(struct tfacts *fs, char *line)
{
	char *name = strtok(line, " \t");
	char *type = strtok(NULL, " \t");
	char *val = strtok(NULL, "");
	if (!name || !type || !val || !parse_type(type))
		return false;
	val = trim(val);
	struct tfact *f = tf_find(fs, name);
	if (!f) {
		fs->v = realloc(fs->v, (fs->n + 1) * sizeof(*fs->v));
		f = &fs->v[fs->n++];
		memset(f, 0, sizeof(*f));
		f->name = strdup(name);
	}
	free(f->reason);
	free(f->str);
	f->reason = f->str = NULL;
	f->type = parse_type(type);
	f->state = TF_PRESENT;
	if (!strncmp(val, "absent", 6)) {
		f->state = TF_ABSENT;
		f->reason = strdup(trim(val + 6));
		return true;
	}
	if (!strcmp(val, "unset")) {
		f->state = TF_UNSET;
		return true;
	}
	f->v.type = f->type;
	if (f->type == EXPR_T_VERSION) {
		/* A kernel version: checked as version, served as an int. */
		f->v.type = FACT_INT;
		assert_true(kver_scan(val, strlen(val), 1, &f->v.u.i) == strlen(val));
		return true;
	}
	switch (f->type) {
	case FACT_INT:
		f->v.u.i = strtoll(val, NULL, 10);
		break;
	case FACT_FLOAT:
		/* Written without '.' or 'e': served as an int, to exercise
		 * the evaluator's widening of ints where float was checked. */
		if (!strpbrk(val, ".eEn")) {
			f->v.type = FACT_INT;
			f->v.u.i = strtoll(val, NULL, 10);
		} else {
			f->v.u.f = strtod(val, NULL);
		}
		break;
	case FACT_STR:
		f->str = strdup(val);
		f->v.u.s = f->str;
		break;
	case FACT_BOOL:
		f->v.u.b = !strcmp(val, "true");
		break;
	}
	return true;
}

/* ---- one case ---- */

static const char *code_name(int code)
{
	switch (code) {
	case -ENODATA: return "ENODATA";
	case -EDOM: return "EDOM";
	case -ERANGE: return "ERANGE";
	case -EINVAL: return "EINVAL";
	default: return "?";
	}
}

/* Compare positions "5" or "5+3" (col[+span]) list "5,9" against the
 * diagnostics.  Returns NULL or a description of the mismatch. */
static const char *match_positions(const char *want, const struct diag_list *d, char *buf, size_t n)
{
	size_t i = 0;
	const char *p = want;
	while (*p) {
		char *end;
		unsigned long col = strtoul(p, &end, 10);
		long span = -1;
		if (*end == '+')
			span = strtol(end + 1, &end, 10);
		if (i >= d->n) {
			snprintf(buf, n, "expected a diagnostic at col %lu, got only %zu", col, d->n);
			return buf;
		}
		if (d->v[i].col != col || (span >= 0 && d->v[i].span != (unsigned)span)) {
			snprintf(buf, n, "diagnostic %zu at col %u+%u, expected %lu%s: %s", i + 1, d->v[i].col,
				 d->v[i].span, col, span >= 0 ? "+span" : "", d->v[i].msg);
			return buf;
		}
		i++;
		p = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			break;
	}
	if (i != d->n) {
		snprintf(buf, n, "%zu diagnostics, expected %zu; extra: %s", d->n, i, d->v[i].msg);
		return buf;
	}
	return NULL;
}

static char *fmt_value(const struct value *v, char *buf, size_t n)
{
	switch (v->type) {
	case FACT_INT: snprintf(buf, n, "int %lld", (long long)v->u.i); break;
	case FACT_FLOAT: snprintf(buf, n, "float %.17g", v->u.f); break;
	case FACT_STR: snprintf(buf, n, "str \"%s\"", v->u.s); break;
	case FACT_BOOL: snprintf(buf, n, "bool %s", v->u.b ? "true" : "false"); break;
	default: snprintf(buf, n, "type %d", v->type); break;
	}
	return buf;
}

/* Run expr against want; NULL when it matches, else why not. */
static const char *run_case(const char *expr, char *want, struct tfacts *fs, char *buf, size_t n)
{
	struct expr_arena *a = expr_arena_new();
	struct diag_list d = { 0 };
	struct expr_src src = { .text = expr, .len = strlen(expr), .origin = "case", .line = 1, .col = 1 };
	struct expr_names names = { tf_lookup, fs };
	struct expr_env env = { tf_get, fs };
	struct expr *e = NULL;
	enum fact_type ty = 0;
	struct value v = { 0 };
	struct expr_error err;
	const char *why = NULL;
	char tmp[256];

	char *kind = strtok(want, " \t");
	char *arg = strtok(NULL, "");
	arg = arg ? trim(arg) : (char *)"";
	/* An optional quoted message substring after the position. */
	char *substr = NULL;
	char *q = strchr(arg, '"');
	if (q && strcmp(kind, "str") != 0) {
		substr = q + 1;
		char *qe = strrchr(substr, '"');
		if (qe)
			*qe = '\0';
		*q = '\0';
		arg = trim(arg);
	}

	int rc = expr_parse(a, &src, &e, &d);
	if (!strcmp(kind, "parse")) {
		if (rc != -EINVAL) {
			why = "expected a parse error, parsed fine";
			goto out;
		}
		why = match_positions(arg, &d, buf, n);
		goto msg;
	}
	if (rc) {
		snprintf(buf, n, "parse error: %s (col %u)", d.n ? d.v[0].msg : "?", d.n ? d.v[0].col : 0);
		why = buf;
		goto out;
	}
	rc = expr_check(e, &src, &names, &ty, &d);
	if (!strcmp(kind, "check")) {
		if (rc != -EINVAL) {
			why = "expected a check error, checked fine";
			goto out;
		}
		why = match_positions(arg, &d, buf, n);
		goto msg;
	}
	if (rc) {
		snprintf(buf, n, "check error: %s (col %u)", d.n ? d.v[0].msg : "?", d.n ? d.v[0].col : 0);
		why = buf;
		goto out;
	}
	rc = expr_eval(e, &env, &v, &err);
	if (!strcmp(kind, "ENODATA") || !strcmp(kind, "EDOM") || !strcmp(kind, "ERANGE") ||
	    !strcmp(kind, "EINVAL")) {
		if (!rc) {
			snprintf(buf, n, "expected %s, got %s", kind, fmt_value(&v, tmp, sizeof(tmp)));
			why = buf;
			goto out;
		}
		if (strcmp(code_name(rc), kind) || err.code != rc) {
			snprintf(buf, n, "expected %s, got %s: %s", kind, code_name(rc), err.msg);
			why = buf;
			goto out;
		}
		char *end;
		unsigned long col = strtoul(arg, &end, 10);
		long span = *end == '+' ? strtol(end + 1, NULL, 10) : -1;
		if (err.off + 1 != col || (span >= 0 && err.len != (size_t)span)) {
			snprintf(buf, n, "error at col %zu+%zu, expected %s: %s", err.off + 1, err.len, arg, err.msg);
			why = buf;
			goto out;
		}
		if (substr && !strstr(err.msg, substr)) {
			snprintf(buf, n, "message \"%s\" lacks \"%s\"", err.msg, substr);
			why = buf;
		}
		goto out;
	}
	if (rc) {
		snprintf(buf, n, "eval error %s: %s", code_name(rc), err.msg);
		why = buf;
		goto out;
	}
	if (v.type != ty && !(ty == EXPR_T_VERSION && v.type == FACT_INT)) {
		snprintf(buf, n, "value type %d differs from the checked type %d", v.type, ty);
		why = buf;
		goto out;
	}
	enum fact_type wt = parse_type(kind);
	if (!wt) {
		snprintf(buf, n, "bad expectation '%s'", kind);
		why = buf;
		goto out;
	}
	bool ok = v.type == wt;
	if (wt == EXPR_T_VERSION) {
		int64_t kv = -1;
		ok = ty == EXPR_T_VERSION && kver_scan(arg, strlen(arg), 1, &kv) == strlen(arg) && v.u.i == kv;
	} else if (ok) {
		switch (wt) {
		case FACT_INT:
			ok = v.u.i == strtoll(arg, NULL, 10);
			break;
		case FACT_FLOAT: {
			double w = strtod(arg, NULL);
			ok = v.u.f == w || fabs(v.u.f - w) <= 1e-12 * fabs(w);
			break;
		}
		case FACT_STR: {
			/* str "text" */
			size_t k = strlen(arg);
			ok = k >= 2 && arg[0] == '"' && arg[k - 1] == '"' && strlen(v.u.s) == k - 2 &&
			     !strncmp(v.u.s, arg + 1, k - 2);
			break;
		}
		case FACT_BOOL:
			ok = v.u.b == !strcmp(arg, "true");
			break;
		}
	}
	if (!ok) {
		snprintf(buf, n, "got %s, expected %s %s", fmt_value(&v, tmp, sizeof(tmp)), kind, arg);
		why = buf;
	}
	goto out;

msg:
	if (!why && substr && d.n && !strstr(d.v[0].msg, substr)) {
		snprintf(buf, n, "message \"%s\" lacks \"%s\"", d.v[0].msg, substr);
		why = buf;
	}
out:
	diag_list_clear(&d);
	expr_arena_free(a);
	return why;
}

static void test_cases_file(void **state)
{
	(void)state;
	FILE *f = fopen("tests/expr_cases.txt", "r");
	assert_non_null(f);
	struct tfacts fs = { 0 };
	char line[2048];
	unsigned lineno = 0, ncases = 0, nfail = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		if (!strncmp(s, "fact ", 5)) {
			if (!tf_declare(&fs, s + 5)) {
				print_error("expr_cases.txt:%u: bad fact line\n", lineno);
				nfail++;
			}
			continue;
		}
		char *sep = strstr(s, " => ");
		if (!sep) {
			print_error("expr_cases.txt:%u: no ' => ' in case\n", lineno);
			nfail++;
			continue;
		}
		/* The last " => " separates: an expression may contain "=>"
		 * only as an error case, and expectations never do. */
		char *next;
		while ((next = strstr(sep + 4, " => ")))
			sep = next;
		*sep = '\0';
		char *expr = s;
		/* `<empty>` stands for the empty expression, `<sp>` for blanks. */
		if (!strcmp(expr, "<empty>"))
			expr = (char *)"";
		else if (!strcmp(expr, "<sp>"))
			expr = (char *)"   ";
		char buf[512];
		const char *why = run_case(expr, sep + 4, &fs, buf, sizeof(buf));
		ncases++;
		if (why) {
			print_error("expr_cases.txt:%u: %s: %s\n", lineno, expr, why);
			nfail++;
		}
	}
	fclose(f);
	tf_free(&fs);
	print_message("expr_cases.txt: %u cases, %u failed\n", ncases, nfail);
	assert_true(ncases >= 150);
	assert_int_equal(nfail, 0);
}

/* ---- direct tests ---- */

static int fixed_lookup(void *ctx, const char *name, enum fact_type *type, int *slot)
{
	*slot = 0; /* names are looked up again by name below */
	(void)ctx;
	if (!strcmp(name, "mem.total_managed_bytes") || !strcmp(name, "vmstat.oom_kill")) {
		*type = FACT_INT;
		return 0;
	}
	if (!strcmp(name, "rate.allocstall")) {
		*type = FACT_FLOAT;
		return 0;
	}
	return -ENOENT;
}

static int fixed_get(void *ctx, int slot, const char *name, struct value *out, const char **reason)
{
	(void)slot;
	(void)ctx;
	if (!strcmp(name, "vmstat.oom_kill")) {
		*reason = "proc/vmstat not present";
		return -ENODATA;
	}
	if (!strcmp(name, "mem.total_managed_bytes")) {
		*out = (struct value){ .type = FACT_INT, .u.i = 8LL << 30 };
		return 0;
	}
	if (!strcmp(name, "rate.allocstall")) {
		*out = (struct value){ .type = FACT_FLOAT, .u.f = 12.5 };
		return 0;
	}
	return -ENOENT;
}

/* The first line of an expression sits after "key = " in the file: the
 * column is the file's, and the source line is padded so the caret printed
 * by diag_print lands under the culprit. */
static void test_caret_first_line(void **state)
{
	(void)state;
	const char *text = "mem.total_managed_bytes > 1GiB and foo.bar";
	struct expr_src src = { text, strlen(text), "rules/x.ini", 7, 12 };
	struct expr_arena *a = expr_arena_new();
	struct diag_list d = { 0 };
	struct expr *e;
	enum fact_type t;
	struct expr_names names = { fixed_lookup, NULL };
	assert_int_equal(expr_parse(a, &src, &e, &d), 0);
	assert_int_equal(expr_check(e, &src, &names, &t, &d), -EINVAL);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].origin, "rules/x.ini");
	assert_int_equal(d.v[0].line, 7);
	assert_int_equal(d.v[0].col, 12 + 35);
	assert_int_equal(d.v[0].span, 7);
	assert_string_equal(d.v[0].msg, "unknown name 'foo.bar'");
	assert_int_equal(strlen(d.v[0].src), 11 + strlen(text));
	assert_memory_equal(d.v[0].src, "           mem.total", 20);

	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	diag_print(f, &d.v[0]);
	fclose(f);
	const char *want = "rules/x.ini:7:47: error: unknown name 'foo.bar'\n"
			   "             mem.total_managed_bytes > 1GiB and foo.bar\n"
			   "                                                ^^^^^^^\n";
	assert_string_equal(out, want);
	free(out);
	diag_list_clear(&d);
	expr_arena_free(a);
}

/* Continuation lines: a '\n' inside the text starts the next file line at
 * column 1 (the loader keeps the indentation). */
static void test_caret_continuation(void **state)
{
	(void)state;
	const char *text = "clamp(rate.allocstall * 2,\n         10, \"x\")";
	struct expr_src src = { text, strlen(text), "r.ini", 3, 10 };
	struct expr_arena *a = expr_arena_new();
	struct diag_list d = { 0 };
	struct expr *e;
	enum fact_type t;
	struct expr_names names = { fixed_lookup, NULL };
	assert_int_equal(expr_parse(a, &src, &e, &d), 0);
	assert_int_equal(expr_check(e, &src, &names, &t, &d), -EINVAL);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 4);
	assert_int_equal(d.v[0].col, 14);
	assert_int_equal(d.v[0].span, 3);
	assert_string_equal(d.v[0].src, "         10, \"x\")");
	assert_non_null(strstr(d.v[0].msg, "argument 3 of clamp() is str"));
	diag_list_clear(&d);
	expr_arena_free(a);
}

/* Every lexical error is reported, not only the first; and errors inside
 * argument lists are recovered from. */
static void test_all_errors_reported(void **state)
{
	(void)state;
	struct expr_arena *a = expr_arena_new();
	struct diag_list d = { 0 };
	struct expr *e;
	const char *t1 = "a = 1 ; b";
	struct expr_src s1 = { t1, strlen(t1), "f", 1, 1 };
	assert_int_equal(expr_parse(a, &s1, &e, &d), -EINVAL);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].col, 3);
	assert_int_equal(d.v[1].col, 7);
	assert_non_null(strstr(d.v[1].msg, "inline comments"));
	diag_list_clear(&d);

	const char *t2 = "clamp(1 +, 2, * 3)";
	struct expr_src s2 = { t2, strlen(t2), "f", 1, 1 };
	assert_int_equal(expr_parse(a, &s2, &e, &d), -EINVAL);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].col, 10);
	assert_int_equal(d.v[1].col, 15);
	diag_list_clear(&d);

	/* The checker goes on after the first error too. */
	const char *t3 = "nope1 + 1 > 2 and nope2 or \"s\" * 2 == 1";
	struct expr_src s3 = { t3, strlen(t3), "f", 1, 1 };
	struct expr_names names = { fixed_lookup, NULL };
	enum fact_type ty;
	assert_int_equal(expr_parse(a, &s3, &e, &d), 0);
	assert_int_equal(expr_check(e, &s3, &names, &ty, &d), -EINVAL);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].col, 1);
	assert_int_equal(d.v[1].col, 19);
	assert_int_equal(d.v[2].col, 32);
	diag_list_clear(&d);
	expr_arena_free(a);
}

/* An error at the very end points one past the last byte. */
static void test_caret_at_end(void **state)
{
	(void)state;
	struct expr_arena *a = expr_arena_new();
	struct diag_list d = { 0 };
	struct expr *e;
	const char *t = "1 +";
	struct expr_src s = { t, 3, "f", 2, 5 };
	assert_int_equal(expr_parse(a, &s, &e, &d), -EINVAL);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 2);
	assert_int_equal(d.v[0].col, 8);
	assert_int_equal(d.v[0].span, 1);
	assert_string_equal(d.v[0].src, "    1 +");
	assert_non_null(strstr(d.v[0].msg, "end of expression"));
	diag_list_clear(&d);
	expr_arena_free(a);
}

/* Evaluation errors carry a span and name the fact and the reason. */
static void test_eval_error_message(void **state)
{
	(void)state;
	struct expr_arena *a = expr_arena_new();
	struct diag_list d = { 0 };
	struct expr *e;
	enum fact_type ty;
	struct expr_names names = { fixed_lookup, NULL };
	struct expr_env env = { fixed_get, NULL };
	const char *t = "rate.allocstall > 0 and vmstat.oom_kill > 0";
	struct expr_src s = { t, strlen(t), "f", 1, 1 };
	assert_int_equal(expr_parse(a, &s, &e, &d), 0);
	assert_int_equal(expr_check(e, &s, &names, &ty, &d), 0);
	assert_int_equal(ty, FACT_BOOL);
	struct value v;
	struct expr_error err;
	assert_int_equal(expr_eval(e, &env, &v, &err), -ENODATA);
	assert_int_equal(err.code, -ENODATA);
	assert_int_equal(err.off, 24);
	assert_int_equal(err.len, 15);
	assert_string_equal(err.msg, "vmstat.oom_kill is absent: proc/vmstat not present");

	/* expr_diag_at turns it into a caret diagnostic. */
	expr_diag_at(&d, DIAG_WARNING, &s, err.off, err.len, "%s", err.msg);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].col, 25);
	assert_int_equal(d.v[0].span, 15);
	assert_int_equal(d.v[0].sev, DIAG_WARNING);
	diag_list_clear(&d);
	expr_arena_free(a);
}

/* The tokenizer is a pure function of the position: lexing from any token
 * start gives the same tokens as lexing from the beginning. */
static void test_lexer_pure(void **state)
{
	(void)state;
	const char *t = "clamp(sysctl.vm.page-cluster-1, 64KiB, 0.5e1) >= \"a\\\"b\" or not x";
	size_t len = strlen(t);
	struct expr_tok toks[64];
	size_t n = 0, pos = 0;
	do {
		pos = expr_lex(t, len, pos, &toks[n]);
	} while (toks[n++].kind != TK_EOF && n < 64);
	enum expr_tok_kind want[] = { TK_NAME, TK_LPAREN, TK_NAME, TK_MINUS, TK_INT, TK_COMMA, TK_SIZE,
				      TK_COMMA, TK_FLOAT, TK_RPAREN, TK_GE, TK_STRING, TK_OR, TK_NOT,
				      TK_NAME, TK_EOF };
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(toks[i].kind, want[i]);
	assert_int_equal(toks[2].len, strlen("sysctl.vm.page-cluster"));
	assert_int_equal(toks[6].v.i, 65536);
	assert_true(toks[8].v.f == 5.0);
	for (size_t i = 0; i + 1 < n; i++) {
		struct expr_tok again;
		size_t next = expr_lex(t, len, toks[i].off, &again);
		assert_int_equal(again.kind, toks[i].kind);
		assert_int_equal(again.len, toks[i].len);
		assert_int_equal(next, toks[i].off + toks[i].len);
	}
}

static void collect_name(void *ctx, const char *name)
{
	struct buf *b = ctx;
	if (b->len)
		buf_putc(b, ' ');
	buf_puts(b, name);
}

static void test_foreach_name(void **state)
{
	(void)state;
	struct expr_arena *a = expr_arena_new();
	struct diag_list d = { 0 };
	struct expr *e;
	const char *t = "has(\"vmstat.oom_kill\") and max(b, a.x) > b or if(c, d, -e)";
	struct expr_src s = { t, strlen(t), "f", 1, 1 };
	assert_int_equal(expr_parse(a, &s, &e, &d), 0);
	struct buf b = { 0 };
	expr_foreach_name(e, collect_name, &b);
	assert_string_equal(buf_str(&b), "vmstat.oom_kill b a.x b c d e");
	buf_free(&b);
	expr_foreach_name(NULL, collect_name, &b);
	assert_int_equal(b.len, 0);
	expr_arena_free(a);
}

/* An unchecked tree still evaluates safely: type errors become -EINVAL. */
static void test_unchecked_eval(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int rc;
	} cases[] = {
		{ "1 + \"a\"", -EINVAL }, { "not 3", -EINVAL }, { "nosuch(1)", -EINVAL },
		{ "1 and true", -EINVAL }, { "true < false", -EINVAL }, { "min(1)", -EINVAL },
		{ "has(1)", -EINVAL }, { "if(1, 2, 3)", -EINVAL }, { "1.5 % 2", -EINVAL },
		{ "3 / 2", 0 }, { "x", -ENODATA }, { "sqrt(\"a\")", -EINVAL },
	};
	struct expr_arena *a = expr_arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diag_list d = { 0 };
		struct expr *e;
		struct expr_src s = { cases[i].text, strlen(cases[i].text), "f", 1, 1 };
		assert_int_equal(expr_parse(a, &s, &e, &d), 0);
		struct value v;
		struct expr_error err;
		int rc = expr_eval(e, NULL, &v, &err);
		if (rc != cases[i].rc)
			fail_msg("%s: %d, expected %d (%s)", cases[i].text, rc, cases[i].rc, err.msg);
		diag_list_clear(&d);
	}
	expr_arena_free(a);
}

/* Deep nesting is refused by the parser, not by the stack. */
static void test_depth_limit(void **state)
{
	(void)state;
	struct expr_arena *a = expr_arena_new();
	struct diag_list d = { 0 };
	struct expr *e;
	struct buf b = { 0 };
	for (int i = 0; i < 5000; i++)
		buf_putc(&b, '(');
	buf_putc(&b, '1');
	for (int i = 0; i < 5000; i++)
		buf_putc(&b, ')');
	struct expr_src s = { b.p, b.len, "f", 1, 1 };
	assert_int_equal(expr_parse(a, &s, &e, &d), -EINVAL);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg, "nested too deeply"));
	diag_list_clear(&d);

	buf_reset(&b);
	buf_putc(&b, '1');
	for (int i = 0; i < 5000; i++)
		buf_puts(&b, " + 1");
	s.text = b.p;
	s.len = b.len;
	assert_int_equal(expr_parse(a, &s, &e, &d), -EINVAL);
	assert_non_null(strstr(d.v[0].msg, "nested too deeply"));
	diag_list_clear(&d);

	/* 90 levels are fine. */
	buf_reset(&b);
	for (int i = 0; i < 90; i++)
		buf_puts(&b, "-(");
	buf_putc(&b, '7');
	for (int i = 0; i < 90; i++)
		buf_putc(&b, ')');
	s.text = b.p;
	s.len = b.len;
	assert_int_equal(expr_parse(a, &s, &e, &d), 0);
	struct value v;
	struct expr_error err;
	assert_int_equal(expr_eval(e, NULL, &v, &err), 0);
	assert_int_equal(v.u.i, 7);
	buf_free(&b);
	expr_arena_free(a);
}

static void test_printable(void **state)
{
	(void)state;
	char b[8];
	expr_printable("ab\x1b[c", 5, b, sizeof(b));
	assert_string_equal(b, "ab?[c");
	expr_printable("abcdefghij", 10, b, sizeof(b));
	assert_string_equal(b, "abcd...");
	expr_printable("abcdefg", 7, b, sizeof(b));
	assert_string_equal(b, "abcdefg");
	expr_printable("abc", 3, b, 3);
	assert_string_equal(b, "..");
	expr_printable("", 0, b, 1);
	assert_string_equal(b, "");
}

static void test_arena(void **state)
{
	(void)state;
	expr_arena_free(NULL);
	struct expr_arena *a = expr_arena_new();
	char *big = expr_arena_alloc(a, 100000);
	memset(big, 'x', 100000);
	for (int i = 0; i < 10000; i++) {
		char *p = expr_arena_strndup(a, "abcdef", 3);
		assert_string_equal(p, "abc");
		assert_true(((uintptr_t)p % _Alignof(max_align_t)) == 0);
	}
	expr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases_file),
		cmocka_unit_test(test_caret_first_line),
		cmocka_unit_test(test_caret_continuation),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_caret_at_end),
		cmocka_unit_test(test_eval_error_message),
		cmocka_unit_test(test_lexer_pure),
		cmocka_unit_test(test_foreach_name),
		cmocka_unit_test(test_unchecked_eval),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_arena),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
