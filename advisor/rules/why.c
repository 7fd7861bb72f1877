/* why: the words of a plan (contract in engine_int.h).  A rule's why
 * template rendered for one host with each value in its unit, the facts a
 * rule read as evidence, the "when was false" explanation.  Pure text
 * building over the facts; the engine (engine.c) decides what is said. */
#include "engine_int.h"
#include "names.h"

#include "../base/bytefmt.h"
#include "../base/kver.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void fmt_num(struct buf *b, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		buf_printf(b, "%.0f", v);
	else if (fabs(v) >= 100)
		buf_printf(b, "%.0f", v);
	else if (fabs(v) >= 1)
		buf_printf(b, "%.1f", v);
	else
		buf_printf(b, "%.3g", v);
}

static double num_of(const struct value *v)
{
	switch (v->type) {
	case FACT_INT:
		return (double)v->u.i;
	case FACT_FLOAT:
		return v->u.f;
	case FACT_BOOL:
		return v->u.b;
	case FACT_STR:
		break;
	}
	return 0;
}

static void fmt_value(struct buf *b, const struct value *v)
{
	switch (v->type) {
	case FACT_INT:
		buf_printf(b, "%lld", (long long)v->u.i);
		break;
	case FACT_FLOAT:
		fmt_num(b, v->u.f);
		break;
	case FACT_BOOL:
		buf_puts(b, v->u.b ? "true" : "false");
		break;
	case FACT_STR:
		buf_puts(b, v->u.s ? v->u.s : "");
		break;
	}
}

static void fmt_unit(struct buf *b, const struct value *v, enum why_unit u, const struct facts *f)
{
	if (v->type == FACT_STR || v->type == FACT_BOOL) {
		fmt_value(b, v);
		return;
	}
	double x = num_of(v);
	switch (u) {
	case WHY_PLAIN:
		fmt_value(b, v);
		break;
	case WHY_RAW:
		if (v->type == FACT_INT)
			buf_printf(b, "%lld", (long long)v->u.i);
		else
			buf_printf(b, "%g", v->u.f);
		break;
	case WHY_BYTES:
		bytefmt_put(b, x, BYTEFMT_PROSE);
		break;
	case WHY_KB:
		bytefmt_put(b, x * 1024, BYTEFMT_PROSE);
		break;
	case WHY_PAGES: {
		int64_t ps = 0;
		fmt_num(b, x);
		buf_puts(b, fabs(x) == 1 ? " page" : " pages");
		if (f && facts_get_int(f, F_HOST_PAGE_SIZE, &ps) == 0 && ps > 0) {
			buf_puts(b, " (");
			bytefmt_put(b, x * (double)ps, BYTEFMT_PROSE);
			buf_puts(b, ")");
		}
		break;
	}
	case WHY_PERCENT:
		fmt_num(b, x);
		buf_puts(b, "%");
		break;
	case WHY_RATIO:
		fmt_num(b, x * 100);
		buf_puts(b, "%");
		break;
	}
}

/* Literal text of a why or when: a continuation ("\n" + indentation)
 * reads as one space. */
static void put_flat(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n') {
			while (s[1] == ' ' || s[1] == '\t')
				s++;
			buf_putc(b, ' ');
		} else {
			buf_putc(b, *s);
		}
	}
}

char *why_flat(const char *s)
{
	struct buf b = {0};
	put_flat(&b, s);
	return b.p ? buf_steal(&b) : xstrdup("");
}

char *why_render(const struct rule *r, const struct facts *f, bool has_value, int64_t value)
{
	struct buf b = {0};
	for (size_t i = 0; i < r->nwhy; i++) {
		const struct why_part *w = &r->why[i];
		if (w->text) {
			put_flat(&b, w->text);
			continue;
		}
		struct value v;
		struct expr_error err;
		if (!w->x.e || engine_eval(&w->x, f, has_value, value, &v, &err)) {
			buf_puts(&b, "(unknown: ");
			buf_puts(&b, w->x.e ? err.msg : "not parsed");
			buf_puts(&b, ")");
			continue;
		}
		fmt_unit(&b, &v, w->unit, f);
	}
	return b.p ? buf_steal(&b) : xstrdup("");
}

/* ---- evidence ---- */

void why_evidence(const struct rule *r, const struct facts *f, struct evidence **out, size_t *n)
{
	struct names ns = {0};
	rule_foreach_fact(r, names_collect, &ns);
	struct evidence *ev = ns.n ? xcalloc(ns.n, sizeof(*ev)) : NULL;
	for (size_t i = 0; i < ns.n; i++) {
		const struct fact_def *fd = fact_catalog_lookup(ns.v[i]);
		ev[i].fact = xstrdup(ns.v[i]);
		ev[i].unit = fd ? fd->unit : UNIT_NONE;
		ev[i].v.type = fd ? fd->type : FACT_INT;
		struct value v;
		int rc = f ? facts_lookup(f, ns.v[i], &v) : -ENOENT;
		if (rc == 0) {
			ev[i].present = true;
			ev[i].v = v;
			if (v.type == FACT_STR)
				ev[i].v.u.s = xstrdup(v.u.s ? v.u.s : "");
		} else {
			const char *reason = rc == -ENODATA ? facts_lookup_reason(f, ns.v[i]) : NULL;
			ev[i].reason = xstrdup(reason ? reason : "not collected on this host");
		}
	}
	*out = ev;
	*n = ns.n;
	names_free(&ns);
}

void why_evidence_free(struct evidence *ev, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(ev[i].fact);
		free(ev[i].reason);
		if (ev[i].present && ev[i].v.type == FACT_STR)
			free((char *)ev[i].v.u.s);
	}
	free(ev);
}

char **why_fact_names(const struct rule_expr *x, size_t *n)
{
	struct names ns = {0};
	expr_foreach_name(x->e, names_collect, &ns);
	*n = ns.n;
	return ns.v;
}

/* "rate.allocstall = 0, host.numa_nodes = 1": the facts a rule read, for
 * the "when was false" explanation. */
void why_facts_used(struct buf *b, const struct rule_expr *x, const struct facts *f)
{
	struct names ns = {0};
	expr_foreach_name(x->e, names_collect, &ns);
	for (size_t i = 0; i < ns.n; i++) {
		buf_puts(b, i ? ", " : " (");
		buf_printf(b, "%s = ", ns.v[i]);
		struct value v;
		const struct fact_def *fd = fact_catalog_lookup(ns.v[i]);
		char kb[32];
		if (f && facts_lookup(f, ns.v[i], &v) == 0 && fd && fd->unit == UNIT_KVER && v.type == FACT_INT)
			buf_puts(b, kver_format(v.u.i, kb, sizeof(kb))); /* as the rule writes it */
		else if (f && facts_lookup(f, ns.v[i], &v) == 0)
			fmt_value(b, &v);
		else
			buf_puts(b, "absent");
	}
	if (ns.n)
		buf_puts(b, ")");
	names_free(&ns);
}
