/* ansible_result: the Ansible module's result object.  Contract in
 * ansible_result.h. */
#include "ansible_result.h"

#include "../advise/advise.h"
#include "../base/xalloc.h"
#include "../sysctld/apply.h"
#include "fragment.h"
#include "report.h"
#include "../base/severity.h"

#include <stdarg.h>
#include <stdlib.h>

void ansible_result_init(struct ansible_result *r)
{
	*r = (struct ansible_result){.o = json_object_new_object(), .warnings = json_object_new_array()};
}

void ansible_result_warn(struct ansible_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	json_object_array_add(r->warnings, json_object_new_string(msg));
	free(msg);
}

void ansible_result_warn_diags(struct ansible_result *r, const struct diag_list *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		if (g->sev == DIAG_NOTE)
			continue;
		if (g->line)
			ansible_result_warn(r, "%s:%u: %s", g->origin ? g->origin : "", g->line, g->msg);
		else
			ansible_result_warn(r, "%s: %s", g->origin ? g->origin : "", g->msg);
	}
}

char *ansible_diag_errors(const struct diag_list *d)
{
	struct buf b = {0};
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].sev != DIAG_ERROR)
			continue;
		const char *o = d->v[i].origin ? d->v[i].origin : "";
		if (d->v[i].line)
			buf_printf(&b, "%s%s:%u: %s", b.len ? "; " : "", o, d->v[i].line, d->v[i].msg);
		else
			buf_printf(&b, "%s%s: %s", b.len ? "; " : "", o, d->v[i].msg);
	}
	return b.len ? buf_steal(&b) : xstrdup("no error reported");
}

static json_object *value_json(const struct value *v)
{
	char *s = value_sysctl_text(v);
	json_object *o = json_object_new_string(s);
	free(s);
	return o;
}

static json_object *string_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

void ansible_result_advice(struct ansible_result *r, const struct advice *adv, const char *dest)
{
	const struct plan *p = adv->plan;
	json_object *recs = json_object_new_array();
	for (size_t i = 0; i < p->nd; i++) {
		const struct decision *d = &p->d[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "sysctl", json_object_new_string(d->sysctl));
		json_object_object_add(o, "current", d->has_current ? value_json(&d->current) : NULL);
		json_object_object_add(o, "recommended", value_json(&d->recommended));
		json_object_object_add(o, "changed", json_object_new_boolean(d->changed));
		json_object_object_add(o, "selected", json_object_new_boolean(adv->selected ? adv->selected[i] : false));
		json_object_object_add(o, "rule", string_or_null(d->rule));
		json_object_object_add(o, "severity", json_object_new_string(severity_name(d->severity)));
		json_object_object_add(o, "reason", string_or_null(d->reason));
		/* an administrator's explicit value: kept unless `override` */
		if (d->admin_source)
			json_object_object_add(o, "administrator", report_admin_json(d));
		json_object_array_add(recs, o);
	}
	json_object *findings = json_object_new_array();
	for (size_t i = 0; i < p->nf; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "rule", json_object_new_string(p->f[i].rule));
		json_object_object_add(o, "severity", json_object_new_string(severity_name(p->f[i].severity)));
		json_object_object_add(o, "reason", json_object_new_string(p->f[i].reason ? p->f[i].reason : ""));
		json_object_array_add(findings, o);
	}
	json_object_object_add(r->o, "recommendations", recs);
	json_object_object_add(r->o, "findings", findings);
	json_object_object_add(r->o, "fragment", json_object_new_string(dest));
	json_object_object_add(r->o, "profile", json_object_new_string(p->profile ? p->profile : ""));
	json_object_object_add(r->o, "ruleset_digest", json_object_new_string(p->ruleset_digest ? p->ruleset_digest : ""));
}

void ansible_result_diff(struct ansible_result *r, const char *dest, const char *before, const char *after)
{
	json_object *diff = json_object_new_object();
	json_object_object_add(diff, "before_header", json_object_new_string(dest));
	json_object_object_add(diff, "after_header", json_object_new_string(dest));
	json_object_object_add(diff, "before", json_object_new_string(before));
	json_object_object_add(diff, "after", json_object_new_string(after));
	json_object_object_add(r->o, "diff", diff);
}

void ansible_result_audit(struct ansible_result *r, const struct audit *au)
{
	struct buf b = {0};
	audit_render_json(au, &b);
	json_object_object_add(r->o, "status", json_object_new_string(audit_status_name(au->status)));
	json_object_object_add(r->o, "exit_code", json_object_new_int((int)au->status));
	json_object_object_add(r->o, "audit", json_tokener_parse(buf_str(&b)));
	buf_free(&b);
}

json_object *ansible_result_entries(const struct apply_req *req, size_t n, const struct apply_entry *ap,
				    const char *planned)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "sysctl", json_object_new_string(req[i].sysctl));
		json_object_object_add(o, "value", json_object_new_string(req[i].value));
		json_object_object_add(o, "result", json_object_new_string(ap ? apply_result_name(ap[i].result) : planned));
		json_object_array_add(arr, o);
	}
	return arr;
}

void ansible_result_finish(struct ansible_result *r, const char *msg, struct buf *out)
{
	json_object_object_add(r->o, "changed", json_object_new_boolean(r->changed));
	json_object_object_add(r->o, "failed", json_object_new_boolean(r->failed));
	json_object_object_add(r->o, "msg", json_object_new_string(msg));
	json_object_object_add(r->o, "warnings", r->warnings);
	buf_puts(out, json_object_to_json_string_ext(r->o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(r->o);
	r->o = r->warnings = NULL;
}
