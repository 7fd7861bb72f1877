#include "report.h"
#include "tmpfiles.h"

#include "../collect/hostid.h"
#include "../base/xalloc.h"
#include "../sysctld/apply.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct json_object J;

static void put(J *o, const char *k, J *v)
{
	json_object_object_add(o, k, v);
}

static J *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static J *value_json(const struct value *v)
{
	switch (v->type) {
	case FACT_INT:
		return json_object_new_int64(v->u.i);
	case FACT_FLOAT:
		return json_object_new_double(v->u.f);
	case FACT_BOOL:
		return json_object_new_boolean(v->u.b);
	case FACT_STR:
		return json_object_new_string(v->u.s ? v->u.s : "");
	}
	return NULL;
}

static J *evidence_json(const struct evidence *ev, size_t n)
{
	J *a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		J *e = json_object_new_object();
		put(e, "fact", json_object_new_string(ev[i].fact));
		put(e, "value", ev[i].present ? value_json(&ev[i].v) : NULL);
		put(e, "unit", json_object_new_string(fact_unit_name(ev[i].unit)));
		if (!ev[i].present)
			put(e, "absent_reason", json_object_new_string(ev[i].reason ? ev[i].reason : "absent"));
		json_object_array_add(a, e);
	}
	return a;
}

static J *host_json(const struct rec_input *in)
{
	const struct facts *f = in->host->facts;
	J *h = json_object_new_object();
	int64_t v;
	/* The identity fleet matches an audit and a recommend report of one
	 * host by; the caller derives it (hostid.h reads machine-id). */
	const char *hostname = f ? facts_get_str(f, F_KERNEL_HOSTNAME) : NULL;
	char *id = host_id_derive(in->host_id, NULL, hostname, in->host->origin);
	put(h, "id", json_object_new_string(id));
	free(id);
	put(h, "hostname", str_or_null(hostname));
	put(h, "origin", str_or_null(in->host->origin));
	put(h, "mem_total_kb", f && !facts_get_int(f, F_MEMINFO_MEMTOTAL, &v) ? json_object_new_int64(v) : NULL);
	put(h, "managed_bytes",
	    f && !facts_get_int(f, F_MEM_TOTAL_MANAGED_BYTES, &v) ? json_object_new_int64(v) : NULL);
	put(h, "kernel", str_or_null(f ? facts_get_str(f, F_KERNEL_OSRELEASE) : NULL));
	put(h, "kernel_version",
	    f && !facts_get_int(f, F_HOST_KERNEL_VERSION, &v) ? json_object_new_int64(v) : NULL);
	put(h, "page_size", f && !facts_get_int(f, F_HOST_PAGE_SIZE, &v) ? json_object_new_int64(v) : NULL);
	put(h, "zones", json_object_new_int64((int64_t)in->host->zi.nzones));
	put(h, "numa_nodes", f && !facts_get_int(f, F_HOST_NUMA_NODES, &v) ? json_object_new_int64(v) : NULL);
	return h;
}

static J *wm_opt(int64_t v)
{
	return v == ZONE_ABSENT ? NULL : json_object_new_int64(v);
}

static J *wmarks_json(const struct rec_wmark *w, size_t n)
{
	J *a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		J *z = json_object_new_object();
		put(z, "node", json_object_new_int64(w[i].node));
		put(z, "zone", json_object_new_string(w[i].zone));
		put(z, "min", wm_opt(w[i].min));
		put(z, "low", wm_opt(w[i].low));
		put(z, "high", wm_opt(w[i].high));
		put(z, "promo", wm_opt(w[i].promo));
		json_object_array_add(a, z);
	}
	return a;
}

static J *assign_json(const char *file, unsigned line)
{
	if (!file)
		return NULL;
	J *o = json_object_new_object();
	put(o, "file", json_object_new_string(file));
	put(o, "line", json_object_new_int64(line));
	return o;
}

/* A sysfs setting as systemd-tmpfiles writes it at boot (tmpfiles.d(5): type
 * w, no mode/user/group/age, the value as the argument). */
static J *tmpfile_json(const struct finding *f)
{
	J *o = json_object_new_object();
	put(o, "path", json_object_new_string(f->tmpfiles_path));
	put(o, "value", json_object_new_string(f->tmpfiles_value));
	char *line = tmpfiles_line(f->tmpfiles_path, f->tmpfiles_value);
	put(o, "line", json_object_new_string(line));
	free(line);
	put(o, "rule", json_object_new_string(f->rule));
	return o;
}

J *report_admin_json(const struct decision *x)
{
	if (!x->admin_source)
		return NULL;
	J *ad = json_object_new_object();
	put(ad, "source", json_object_new_string(x->admin_source));
	put(ad, "value", json_object_new_int64(x->admin_value.u.i));
	put(ad, "kept", json_object_new_boolean(x->admin_kept));
	if (x->admin_kept)
		put(ad, "advisor", json_object_new_int64(x->advisor_value.u.i));
	if (x->admin_overridden_by)
		put(ad, "overridden_by", json_object_new_string(x->admin_overridden_by));
	return ad;
}

static J *decision_json(const struct rec_input *in, size_t i)
{
	const struct decision *x = &in->plan->d[i];
	J *o = json_object_new_object();
	put(o, "sysctl", json_object_new_string(x->sysctl));
	put(o, "current", x->has_current ? value_json(&x->current) : NULL);
	put(o, "recommended", value_json(&x->recommended));
	put(o, "kernel_default", x->has_default ? value_json(&x->kernel_default) : NULL);
	put(o, "changed", json_object_new_boolean(x->changed));
	put(o, "in_fragment", json_object_new_boolean(in->selected && in->selected[i]));
	put(o, "rule", json_object_new_string(x->rule));
	put(o, "rule_file", str_or_null(x->rule_file));
	put(o, "rule_line", json_object_new_int64(x->rule_line));
	put(o, "severity", json_object_new_string(severity_name(x->severity)));
	put(o, "confidence", json_object_new_string(rec_confidence_name(x->confidence)));
	if (x->cause != CAUSE_NONE)
		put(o, "cause", json_object_new_string(cause_name(x->cause)));
	if (x->held)
		put(o, "held", json_object_new_boolean(true));
	if (x->noop)
		put(o, "noop", json_object_new_boolean(true));
	if (x->admin_source)
		put(o, "administrator", report_admin_json(x));
	put(o, "reason", json_object_new_string(x->reason ? x->reason : ""));
	if (x->ref)
		put(o, "ref", json_object_new_string(x->ref));
	put(o, "evidence", evidence_json(x->ev, x->nev));
	J *ov = json_object_new_array();
	for (size_t k = 0; k < x->nlosers; k++) {
		J *l = json_object_new_object();
		put(l, "rule", json_object_new_string(x->losers[k].rule));
		put(l, "value", value_json(&x->losers[k].value));
		put(l, "why", json_object_new_string(x->losers[k].why ? x->losers[k].why : ""));
		json_object_array_add(ov, l);
	}
	put(o, "overridden", ov);
	put(o, "clamped", json_object_new_boolean(x->clamped));
	if (x->clamped) {
		put(o, "unclamped", value_json(&x->unclamped));
		put(o, "clamp_reason", json_object_new_string(x->clamp_reason ? x->clamp_reason : ""));
	}
	if (x->pinned_by)
		put(o, "pinned_by", json_object_new_string(x->pinned_by));
	if (in->prec) {
		const struct rec_prec *p = &in->prec[i];
		J *pr = json_object_new_object();
		put(pr, "systemd", assign_json(p->systemd_file, p->systemd_line));
		put(pr, "procps", assign_json(p->procps_file, p->procps_line));
		put(pr, "shadowed", json_object_new_boolean(p->shadowed));
		if (p->shadowed_by)
			put(pr, "shadowed_by", json_object_new_string(p->shadowed_by));
		put(o, "precedence", pr);
	}
	return o;
}

static J *diags_json(const struct diag_list *l)
{
	J *a = json_object_new_array();
	for (size_t i = 0; l && i < l->n; i++) {
		const struct diag *d = &l->v[i];
		J *o = json_object_new_object();
		put(o, "origin", str_or_null(d->origin));
		put(o, "line", json_object_new_int64(d->line));
		put(o, "col", json_object_new_int64(d->col));
		put(o, "severity", json_object_new_string(diag_sev_name(d->sev)));
		put(o, "message", json_object_new_string(d->msg));
		json_object_array_add(a, o);
	}
	return a;
}

struct json_object *report_build(const struct rec_input *in)
{
	const struct plan *p = in->plan;
	J *doc = json_object_new_object();
	put(doc, "schema", json_object_new_string(REPORT_SCHEMA));
	put(doc, "version", json_object_new_int64(REPORT_VERSION));
	J *tool = json_object_new_object();
	put(tool, "name", json_object_new_string("reclaim-advisor"));
	put(tool, "version", json_object_new_string(in->version));
	put(doc, "tool", tool);
	if (in->timestamp)
		put(doc, "generated_at", json_object_new_string(in->timestamp));
	put(doc, "host", host_json(in));
	put(doc, "profile", json_object_new_string(p->profile ? p->profile : "default"));
	J *rs = json_object_new_object();
	put(rs, "digest", str_or_null(p->ruleset_digest));
	put(doc, "ruleset", rs);

	J *wm = json_object_new_object();
	put(wm, "unit", json_object_new_string("pages"));
	if (in->nwm) {
		put(wm, "before", wmarks_json(in->wm_before, in->nwm));
		put(wm, "after", wmarks_json(in->wm_after, in->nwm));
	}
	if (in->wm_note)
		put(wm, "note", json_object_new_string(in->wm_note));
	put(doc, "watermarks", wm);

	J *frag = json_object_new_object();
	size_t written = 0, changed = 0;
	for (size_t i = 0; i < p->nd; i++) {
		written += in->selected && in->selected[i];
		changed += p->d[i].changed;
	}
	put(frag, "path", str_or_null(in->fragment_path));
	put(frag, "entries", json_object_new_int64((int64_t)written));
	put(doc, "fragment", frag);

	J *recs = json_object_new_array();
	for (size_t i = 0; i < p->nd; i++)
		json_object_array_add(recs, decision_json(in, i));
	put(doc, "recommendations", recs);

	size_t bysev[SEV_COUNT] = {0}, ntmp = 0;
	J *fa = json_object_new_array();
	for (size_t i = 0; i < p->nf; i++) {
		const struct finding *f = &p->f[i];
		J *o = json_object_new_object();
		put(o, "rule", json_object_new_string(f->rule));
		put(o, "severity", json_object_new_string(severity_name(f->severity)));
		put(o, "confidence", json_object_new_string(rec_confidence_name(f->confidence)));
		if (f->cause != CAUSE_NONE)
			put(o, "cause", json_object_new_string(cause_name(f->cause)));
		put(o, "reason", json_object_new_string(f->reason ? f->reason : ""));
		if (f->ref)
			put(o, "ref", json_object_new_string(f->ref));
		put(o, "evidence", evidence_json(f->ev, f->nev));
		if (f->tmpfiles_path) {
			put(o, "tmpfiles", tmpfile_json(f));
			ntmp++;
		}
		json_object_array_add(fa, o);
		if ((unsigned)f->severity < 3)
			bysev[f->severity]++;
	}
	put(doc, "findings", fa);
	if (ntmp) {
		J *ta = json_object_new_array();
		for (size_t i = 0; i < p->nf; i++)
			if (p->f[i].tmpfiles_path)
				json_object_array_add(ta, tmpfile_json(&p->f[i]));
		put(doc, "tmpfiles", ta);
	}

	J *sa = json_object_new_array();
	for (size_t i = 0; i < p->ns; i++) {
		J *o = json_object_new_object();
		put(o, "rule", json_object_new_string(p->s[i].rule));
		put(o, "kind", json_object_new_string(skip_kind_name(p->s[i].kind)));
		put(o, "why", json_object_new_string(p->s[i].why ? p->s[i].why : ""));
		json_object_array_add(sa, o);
	}
	put(doc, "skipped", sa);

	if (in->apply) {
		const struct apply_entry *e = in->apply;
		J *aa = json_object_new_array();
		for (size_t i = 0; i < in->napply; i++) {
			J *o = json_object_new_object();
			put(o, "sysctl", json_object_new_string(e[i].sysctl));
			put(o, "previous", str_or_null(e[i].previous));
			put(o, "written", json_object_new_string(e[i].written));
			put(o, "readback", str_or_null(e[i].readback));
			put(o, "result", json_object_new_string(apply_result_name(e[i].result)));
			if (e[i].partner) {
				put(o, "partner", json_object_new_string(e[i].partner));
				put(o, "partner_previous", str_or_null(e[i].partner_previous));
			}
			if (e[i].err)
				put(o, "error", json_object_new_string(strerror(e[i].err)));
			json_object_array_add(aa, o);
		}
		put(doc, "apply", aa);
	}

	put(doc, "diagnostics", diags_json(in->diags));

	J *sum = json_object_new_object();
	put(sum, "recommendations", json_object_new_int64((int64_t)p->nd));
	put(sum, "changed", json_object_new_int64((int64_t)changed));
	put(sum, "in_fragment", json_object_new_int64((int64_t)written));
	J *fs = json_object_new_object();
	for (int sv = SEV_INFO; sv < SEV_COUNT; sv++)
		put(fs, severity_name((enum severity)sv), json_object_new_int64((int64_t)bysev[sv]));
	put(sum, "findings", fs);
	put(sum, "skipped", json_object_new_int64((int64_t)p->ns));
	put(doc, "summary", sum);
	return doc;
}

void report_to_text(struct json_object *doc, struct buf *b)
{
	/* The one place output flags are chosen: pretty for review in a pull
	 * request, no "\/" escaping of paths. */
	buf_puts(b, json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_putc(b, '\n');
}
