/* audit: expected vs live vs at-boot per key, states, findings, status.
 * The contract and the meaning of every state are in audit.h. */
#include "audit.h"

#include "../base/sysval.h"

#include "../base/textsafe.h"
#include "../base/xalloc.h"
#include "../collect/hostid.h"
#include "../model/sysctl_catalog.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[AST_COUNT] = {
	"compliant", "drift", "not-persistent", "shadowed", "not-applicable", "not-permitted",
};

const char *audit_state_name(enum audit_state s)
{
	return (unsigned)s < AST_COUNT ? state_names[s] : "?";
}

int audit_state_parse(const char *s, enum audit_state *out)
{
	for (int i = 0; s && i < AST_COUNT; i++)
		if (!strcmp(s, state_names[i])) {
			*out = (enum audit_state)i;
			return 0;
		}
	return -EINVAL;
}

const char *audit_status_name(enum audit_status s)
{
	return status_name((enum status)s);
}

/* ---------------------------------------------------------------- build */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s && s[1] ? s + 1 : p;
}

static void fill_host(struct audit_host *h, const struct host *src, const char *id)
{
	const struct facts *f = src->facts;
	const char *hostname = f ? facts_get_str(f, F_KERNEL_HOSTNAME) : NULL;
	h->id = host_id_derive(id, NULL, hostname, src->origin); /* the caller read machine-id */
	h->origin = text_safe(src->origin);
	h->hostname = text_safe(hostname);
	h->kernel = dup_or_null(f ? facts_get_str(f, F_KERNEL_OSRELEASE) : NULL);
	int64_t v;
	h->ram_bytes = -1;
	if (f && facts_get_int(f, F_MEMINFO_MEMTOTAL, &v) == 0 && v > 0)
		h->ram_bytes = v * 1024;
	else if (f && facts_get_int(f, F_MEM_TOTAL_MANAGED_BYTES, &v) == 0 && v > 0)
		h->ram_bytes = v;
	h->page_size = f && facts_get_int(f, F_HOST_PAGE_SIZE, &v) == 0 ? v : -1;
	h->numa_nodes = f && facts_get_int(f, F_HOST_NUMA_NODES, &v) == 0 ? v : -1;
	h->virt = dup_or_null(f ? facts_get_str(f, F_HOST_VIRT) : NULL);
	h->container = dup_or_null(f ? facts_get_str(f, F_HOST_CONTAINER) : NULL);
}

static void fill_reclaim(struct audit_reclaim *r, const struct facts *f, int64_t page_size)
{
	if (!f)
		return;
	double d;
	int64_t i;
	double ps = page_size > 0 ? (double)page_size : 4096.0;
	r->rate_kind = dup_or_null(facts_get_str(f, F_RATE_KIND));
	if (facts_get_num(f, F_RATE_WINDOW_S, &d) == 0) {
		r->has_window = true;
		r->window_s = d;
	}
	if (facts_get_num(f, F_RATE_ALLOCSTALL, &d) == 0) {
		r->has_allocstall = true;
		r->allocstall_per_s = d;
	}
	if (facts_get_num(f, F_RATE_PGSCAN_DIRECT, &d) == 0) {
		r->has_pgscan_direct = true;
		r->pgscan_direct_bytes_per_s = d * ps;
	}
	if (facts_get_num(f, F_RATE_PGSCAN_KSWAPD, &d) == 0) {
		r->has_pgscan_kswapd = true;
		r->pgscan_kswapd_bytes_per_s = d * ps;
	}
	if (r->has_pgscan_direct && r->has_pgscan_kswapd && r->pgscan_kswapd_bytes_per_s > 0) {
		r->has_ratio = true;
		r->direct_kswapd_ratio = r->pgscan_direct_bytes_per_s / r->pgscan_kswapd_bytes_per_s;
	}
	if (facts_get_int(f, F_RECLAIM_OOM_KILLS, &i) == 0 ||
	    facts_get_int(f, F_VMSTAT_OOM_KILL, &i) == 0) {
		r->has_oom = true;
		r->oom_kills = i;
	}
}

static bool reason_is_permission(const char *reason)
{
	return reason && (strstr(reason, "ermission") || strstr(reason, "not permitted") ||
			  strstr(reason, "EACCES") || strstr(reason, "EPERM"));
}

/* The live value of key from the fact store (NULL when absent: *absent
 * says which state that is, *reason why). */
static char *live_value(const struct facts *f, const char *key, char **reason, enum audit_state *absent)
{
	char *name = xasprintf("sysctl.%s", key);
	struct value v;
	char *out = NULL;
	/* key comes from a file (a fragment, a report): looked up by name. */
	int rc = f ? facts_lookup(f, name, &v) : -ENOENT;
	if (rc == 0) {
		out = value_sysctl_text(&v);
	} else {
		const char *r = rc == -ENODATA ? facts_lookup_reason(f, name) : NULL;
		*absent = reason_is_permission(r) ? AST_NOT_PERMITTED : AST_NOT_APPLICABLE;
		*reason = r ? xasprintf("%s", r) : xasprintf("%s: not in the collected tree", key);
	}
	free(name);
	return out;
}

static char *file_line(const char *file, unsigned line)
{
	return line ? xasprintf("%s:%u", file, line) : xstrdup(file);
}

/* Decide the state of one key from its values and the precedence origin.
 * pinned_by_file: the file that carries the expected value for "shadowed"
 * (the fragment path). */
static void decide(struct audit_key *k, const struct sysctl_origin *o, const char *frag_path,
		   bool changed, bool have_prec)
{
	if (!k->live) {
		k->note = xasprintf("%s: %s", k->state == AST_NOT_PERMITTED ? "cannot read the live value" :
					      "the key does not exist on this kernel",
				    k->live_reason);
		return;
	}
	bool boot_ok = k->boot ? sysval_equal(k->boot, k->expected) : false;
	bool live_ok = sysval_equal(k->live, k->expected);
	if (!have_prec) {
		k->state = live_ok ? AST_COMPLIANT : AST_DRIFT;
		if (!live_ok)
			k->note = xasprintf("live %s, expected %s (the boot configuration was not read: "
					    "no sysctl.d tree)",
					    k->live, k->expected);
		return;
	}

	/* shadowed: some file asks for the expected value (the fragment, or any
	 * file) but the winner at boot says otherwise. */
	if (o && k->boot && !boot_ok) {
		const struct sysctl_assign *loser = NULL;
		for (size_t i = 0; i < o->nall; i++) {
			const struct sysctl_assign *as = &o->all[i];
			if (frag_path && !strcmp(as->file, frag_path)) {
				loser = as;
				break;
			}
			if (!loser && sysval_equal(as->value, k->expected))
				loser = as;
		}
		if (loser) {
			char *lf = file_line(loser->file, loser->line);
			char *wf = file_line(k->boot_file, k->boot_line);
			k->state = AST_SHADOWED;
			k->note = xasprintf("%s sets %s = %s, but %s sets %s and wins at boot (sysctl.d "
					    "applies files by name, the last assignment wins); live is %s",
					    lf, k->sysctl, loser->value, wf, k->boot, k->live);
			free(lf);
			free(wf);
			return;
		}
	}
	if (!live_ok) {
		k->state = AST_DRIFT;
		if (boot_ok) {
			char *wf = file_line(k->boot_file, k->boot_line);
			k->note = xasprintf("live %s, expected %s; %s sets %s for the next boot, so the value "
					    "was changed at run time (or the file was not applied yet: "
					    "`sysctl --system`)",
					    k->live, k->expected, wf, k->expected);
			free(wf);
		} else if (k->boot) {
			char *wf = file_line(k->boot_file, k->boot_line);
			k->note = xasprintf("live %s, expected %s; at boot %s sets %s: the advice is not "
					    "deployed",
					    k->live, k->expected, wf, k->boot);
			free(wf);
		} else {
			k->note = xasprintf("live %s, expected %s; no sysctl.d file sets %s: the advice is "
					    "not deployed",
					    k->live, k->expected, k->sysctl);
		}
		return;
	}
	if (k->boot && !boot_ok) {
		char *wf = file_line(k->boot_file, k->boot_line);
		k->state = AST_NOT_PERSISTENT;
		k->note = xasprintf("live is right, but at boot %s sets %s: the value is lost on reboot",
				    wf, k->boot);
		free(wf);
		return;
	}
	if (!k->boot) {
		if (k->boot_default && !sysval_equal(k->boot_default, k->expected)) {
			k->state = AST_NOT_PERSISTENT;
			k->note = xasprintf("live is right, but no sysctl.d file sets %s: the kernel "
					    "default %s returns on reboot",
					    k->sysctl, k->boot_default);
			return;
		}
		if (!k->boot_default && changed) {
			k->state = AST_NOT_PERSISTENT;
			k->note = xasprintf("no sysctl.d file sets %s: the value is lost on reboot", k->sysctl);
			return;
		}
	}
	k->state = AST_COMPLIANT;
	if (k->procps) {
		char *pf = file_line(k->procps_file, k->procps_line);
		k->note = xasprintf("systemd-sysctl applies %s at boot, but `sysctl --system` would apply "
				    "%s from %s",
				    k->boot ? k->boot : "nothing", k->procps, pf);
		free(pf);
	}
}

static void fill_boot(struct audit_key *k, const struct sysctl_origin *o)
{
	if (!o)
		return;
	if (o->has_systemd) {
		k->boot = xstrdup(o->systemd.value);
		k->boot_file = xstrdup(o->systemd.file);
		k->boot_line = o->systemd.line;
	}
	if (o->has_procps &&
	    (!o->has_systemd || !sysval_equal(o->procps.value, o->systemd.value))) {
		k->procps = xstrdup(o->procps.value);
		k->procps_file = xstrdup(o->procps.file);
		k->procps_line = o->procps.line;
	}
}

static const struct decision *plan_decision(const struct plan *p, const char *key)
{
	if (!p)
		return NULL;
	for (size_t i = 0; i < p->nd; i++)
		if (p->d[i].sysctl && !strcmp(p->d[i].sysctl, key))
			return &p->d[i];
	return NULL;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct audit_key *)a)->sysctl, ((const struct audit_key *)b)->sysctl);
}

static void add_key(struct audit *a, const struct audit_input *in, const char *key,
		    const char *expected, const char *expected_src, const struct decision *d)
{
	a->keys = xreallocarray(a->keys, a->nkeys + 1, sizeof(*a->keys));
	struct audit_key *k = &a->keys[a->nkeys++];
	memset(k, 0, sizeof(*k));
	k->sysctl = xstrdup(key);
	k->expected = xstrdup(expected);
	k->expected_src = xstrdup(expected_src);
	if (d) {
		k->rule = dup_or_null(d->rule);
		k->severity = d->severity;
		k->reason = dup_or_null(d->reason);
		if (d->has_default)
			k->boot_default = value_sysctl_text(&d->kernel_default);
	}
	enum audit_state absent = AST_NOT_APPLICABLE;
	k->live = live_value(in->host->facts, key, &k->live_reason, &absent);
	if (!k->live)
		k->state = absent;
	/* min_free_kbytes is computed by the kernel at every boot: int_sqrt of
	 * lowmem, then raised by khugepaged to its floor when THP is on
	 * (mm/khugepaged.c set_recommended_min_free_kbytes only raises).  So when
	 * no file sets it, the boot value is the larger of the two, and a live
	 * value the model attributes to the kernel or to THP comes back by
	 * itself: it is not "lost on reboot". */
	if (!strcmp(key, "vm.min_free_kbytes")) {
		const struct facts *hf = in->host->facts;
		int64_t floor_kb = -1;
		if (facts_get_int(hf, F_KERNEL_DEFAULT_MIN_FREE_KBYTES, &floor_kb))
			floor_kb = -1;
		const char *origin = facts_get_str(hf, F_WMARK_MIN_FREE_KBYTES_ORIGIN);
		if (k->live && origin && (!strcmp(origin, "thp") || !strcmp(origin, "kernel-default"))) {
			free(k->boot_default);
			k->boot_default = xstrdup(k->live);
		} else if (floor_kb >= 0 && (!k->boot_default || strtoll(k->boot_default, NULL, 10) < floor_kb)) {
			free(k->boot_default);
			k->boot_default = xasprintf("%" PRId64, floor_kb);
		}
	}
	const struct sysctl_origin *o = in->prec ? precedence_lookup(in->prec, key) : NULL;
	fill_boot(k, o);
	const char *frag = in->fragment_path ? in->fragment_path : AUDIT_DEFAULT_FRAGMENT;
	decide(k, o, frag, d ? d->changed : true, in->prec != NULL);
}

/* A key expected from the plan: the decision's desired value. */
static void add_plan_key(struct audit *a, const struct audit_input *in, const struct decision *d)
{
	char *exp = value_sysctl_text(&d->recommended);
	char *src = xasprintf("rule %s", d->rule ? d->rule : "?");
	add_key(a, in, d->sysctl, exp, src, d);
	free(exp);
	free(src);
}

static void summarise(struct audit *a)
{
	size_t nf[3] = {0};
	enum audit_status st = ASTATUS_OK;
	bool crit_key = false;
	for (size_t i = 0; i < a->nkeys; i++) {
		const struct audit_key *k = &a->keys[i];
		a->count[k->state]++;
		switch (k->state) {
		case AST_DRIFT:
		case AST_SHADOWED:
			if (k->severity == SEV_CRITICAL)
				crit_key = true;
			/* fall through */
		case AST_NOT_PERSISTENT:
		case AST_NOT_PERMITTED:
			if (st < ASTATUS_WARNING)
				st = ASTATUS_WARNING;
			break;
		case AST_COMPLIANT:
		case AST_NOT_APPLICABLE:
			break;
		}
	}
	for (size_t i = 0; i < a->nfindings; i++)
		nf[a->findings[i].severity <= SEV_CRITICAL ? a->findings[i].severity : SEV_INFO]++;
	if (nf[SEV_WARNING] && st < ASTATUS_WARNING)
		st = ASTATUS_WARNING;
	/* Sustained direct reclaim (measured over an interval or against a
	 * baseline, not averaged since boot) while a key the advice sets is not
	 * in effect: the host stalls now and the fix is known but not applied. */
	const struct audit_reclaim *r = &a->reclaim;
	bool sustained = r->has_allocstall && r->allocstall_per_s >= AUDIT_DIRECT_RECLAIM_CRITICAL &&
			 r->rate_kind && strcmp(r->rate_kind, "since-boot") != 0;
	bool not_applied = a->count[AST_DRIFT] + a->count[AST_SHADOWED] > 0;
	bool crit_reclaim = sustained && not_applied;
	if (nf[SEV_CRITICAL] || crit_key || crit_reclaim)
		st = ASTATUS_CRITICAL;
	/* "Could not look" is never OK: when no key's live value could be read
	 * (an empty tree, proc/ unreadable, no key the advice names exists),
	 * nothing was audited.  A critical finding stands: its evidence was
	 * read. */
	size_t looked = a->nkeys - a->count[AST_NOT_APPLICABLE] - a->count[AST_NOT_PERMITTED];
	bool blind = looked == 0;
	if (blind && st != ASTATUS_CRITICAL)
		st = ASTATUS_UNKNOWN;
	a->status = st;

	struct buf b = {0};
	if (blind)
		buf_printf(&b, "nothing could be audited (%s); ",
			   a->nkeys ? "no live value of an expected key could be read" : "no key expected");
	size_t bad = a->count[AST_DRIFT] + a->count[AST_NOT_PERSISTENT] + a->count[AST_SHADOWED] +
		     a->count[AST_NOT_PERMITTED];
	if (bad) {
		buf_printf(&b, "%zu of %zu keys not compliant (", bad, a->nkeys);
		const char *sep = "";
		for (int s = AST_DRIFT; s < AST_COUNT; s++) {
			if (s == AST_NOT_APPLICABLE || !a->count[s])
				continue;
			buf_printf(&b, "%s%s %zu", sep, state_names[s], a->count[s]);
			sep = ", ";
		}
		buf_puts(&b, ")");
	} else {
		buf_printf(&b, "%zu of %zu keys compliant", a->count[AST_COMPLIANT], a->nkeys);
	}
	if (a->count[AST_NOT_APPLICABLE])
		buf_printf(&b, ", %zu not applicable", a->count[AST_NOT_APPLICABLE]);
	if (crit_key)
		buf_puts(&b, "; critical advice not applied");
	if (crit_reclaim)
		buf_printf(&b, "; sustained direct reclaim (%.3g/s) with the advice not applied",
			   r->allocstall_per_s);
	buf_printf(&b, "; findings: %zu critical, %zu warning, %zu info", nf[SEV_CRITICAL],
		   nf[SEV_WARNING], nf[SEV_INFO]);
	a->summary = buf_steal(&b);
}

/* A key the advice could have set but whose live value could not be read
 * (an unprivileged user, a mode-000 file) never fired a rule, so it is in
 * no plan: without a row it would vanish and the audit say OK.  Every key
 * of the sysctl catalog whose fact is absent for lack of permission gets a
 * not-permitted row (the expected value is unknown: the rules could not
 * look). */
static void add_unreadable_keys(struct audit *a, const struct audit_input *in)
{
	size_t n;
	const struct sysctl_def *cat = sysctl_catalog(&n);
	for (size_t i = 0; i < n; i++) {
		const char *key = cat[i].name;
		bool have = false;
		for (size_t j = 0; j < a->nkeys && !have; j++)
			have = !strcmp(a->keys[j].sysctl, key);
		if (have)
			continue;
		struct value v;
		bool unreadable = facts_get(in->host->facts, cat[i].fact, &v) == -ENODATA &&
				  reason_is_permission(facts_reason(in->host->facts, cat[i].fact));
		if (unreadable)
			add_key(a, in, key, "unknown", "not evaluated: the live value could not be read", NULL);
	}
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int audit_build(const struct audit_input *in, struct audit **out)
{
	if (!in || !out || !in->host || (!in->plan && !in->fragment))
		return -EINVAL;
	struct audit *a = xcalloc(1, sizeof(*a));
	fill_host(&a->host, in->host, in->host_id);
	if (in->nlabels) {
		a->host.labels = xcalloc(in->nlabels, sizeof(*a->host.labels));
		for (size_t i = 0; i < in->nlabels; i++)
			a->host.labels[a->host.nlabels++] = text_safe(in->labels[i]);
		qsort(a->host.labels, a->host.nlabels, sizeof(*a->host.labels), str_cmp);
	}
	fill_reclaim(&a->reclaim, in->host->facts, a->host.page_size);
	if (in->plan) {
		a->profile = dup_or_null(in->plan->profile);
		a->ruleset_digest = dup_or_null(in->plan->ruleset_digest);
	}
	a->expected_from = xstrdup(in->fragment ? "fragment" : "recommendation");
	a->boot_known = in->prec != NULL;
	a->fragment = dup_or_null(in->fragment ? (in->fragment_path ? in->fragment_path
								     : AUDIT_DEFAULT_FRAGMENT)
					       : NULL);
	if (in->fragment) {
		const struct strkvlist *fl = in->fragment;
		const char *fp = a->fragment;
		for (size_t i = 0; i < fl->n; i++) {
			/* later lines win: skip a key that appears again further down */
			bool later = false;
			for (size_t j = i + 1; j < fl->n && !later; j++)
				later = !strcmp(fl->v[j].key, fl->v[i].key);
			if (later)
				continue;
			char *src = xasprintf("%s:%u", fp, fl->v[i].line);
			add_key(a, in, fl->v[i].key, fl->v[i].value, src, plan_decision(in->plan, fl->v[i].key));
			free(src);
		}
		/* The fragment holds only what differs from the kernel default
		 * and is not an administrator's: the rest of the desired state
		 * is audited too, or an empty fragment of ours audits nothing. */
		for (size_t i = 0; in->beside && in->plan && i < in->plan->nd; i++) {
			const struct decision *d = &in->plan->d[i];
			if (!in->beside[i] || strkvlist_get(fl, d->sysctl))
				continue;
			add_plan_key(a, in, d);
			a->nbeside++;
		}
	} else {
		for (size_t i = 0; i < in->plan->nd; i++)
			add_plan_key(a, in, &in->plan->d[i]);
	}
	add_unreadable_keys(a, in);
	if (a->nkeys)
		qsort(a->keys, a->nkeys, sizeof(*a->keys), key_cmp);
	size_t nf = in->plan ? in->plan->nf : 0;
	if (in->advice_changed) {
		a->findings = xcalloc(nf + 1, sizeof(*a->findings));
		a->findings[0].rule = xstrdup("advice-changed");
		a->findings[0].severity = SEV_WARNING;
		a->findings[0].reason = xasprintf("advice has changed since the fragment was written: %s",
						  in->advice_changed);
		a->nfindings = 1;
	}
	if (in->plan && in->plan->nf) {
		if (!a->findings)
			a->findings = xcalloc(in->plan->nf, sizeof(*a->findings));
		for (size_t i = 0; i < in->plan->nf; i++) {
			const struct finding *f = &in->plan->f[i];
			struct audit_finding *af = &a->findings[a->nfindings++];
			af->rule = xstrdup(f->rule ? f->rule : "?");
			af->severity = f->severity;
			af->reason = xstrdup(f->reason ? f->reason : "");
		}
	}
	summarise(a);
	*out = a;
	return 0;
}

struct audit *audit_unknown(const char *origin, const char *host_id, const char *why)
{
	struct audit *a = xcalloc(1, sizeof(*a));
	a->host.id = host_id_derive(host_id, NULL, NULL, origin);
	a->host.origin = text_safe(origin);
	a->host.ram_bytes = a->host.page_size = a->host.numa_nodes = -1;
	a->expected_from = xstrdup("recommendation");
	a->status = ASTATUS_UNKNOWN;
	a->summary = xstrdup(why ? why : "unknown error");
	*a->count = 0;
	return a;
}

struct audit *audit_unknown_host(const struct host *h, const char *host_id, const char *why)
{
	struct audit *a = audit_unknown(h->origin, host_id, why);
	free(a->host.id);
	free(a->host.hostname);
	free(a->host.origin);
	fill_host(&a->host, h, host_id);
	fill_reclaim(&a->reclaim, h->facts, a->host.page_size);
	return a;
}

void audit_free(struct audit *a)
{
	if (!a)
		return;
	free(a->host.id);
	free(a->host.hostname);
	free(a->host.origin);
	free(a->host.kernel);
	free(a->host.virt);
	free(a->host.container);
	for (size_t i = 0; i < a->host.nlabels; i++)
		free(a->host.labels[i]);
	free(a->host.labels);
	free(a->reclaim.rate_kind);
	free(a->profile);
	free(a->ruleset_digest);
	free(a->expected_from);
	free(a->fragment);
	for (size_t i = 0; i < a->nkeys; i++) {
		struct audit_key *k = &a->keys[i];
		free(k->sysctl);
		free(k->expected);
		free(k->expected_src);
		free(k->rule);
		free(k->reason);
		free(k->live);
		free(k->live_reason);
		free(k->boot);
		free(k->boot_file);
		free(k->boot_default);
		free(k->procps);
		free(k->procps_file);
		free(k->note);
	}
	free(a->keys);
	for (size_t i = 0; i < a->nfindings; i++) {
		free(a->findings[i].rule);
		free(a->findings[i].reason);
	}
	free(a->findings);
	free(a->summary);
	diag_list_clear(&a->diags);
	free(a->diags.v);
	free(a);
}

/* ----------------------------------------------------------------- text */

static char *boot_cell(const struct audit *a, const struct audit_key *k)
{
	if (!a->boot_known)
		return xstrdup("? (not read)");
	if (k->boot)
		return xasprintf("%s (%s)", k->boot, base_name(k->boot_file));
	if (k->boot_default)
		return xasprintf("%s (kernel default)", k->boot_default);
	return xstrdup("- (no file)");
}

static int width(const char *s)
{
	return (int)strlen(s ? s : "-");
}

/* Performance data after the status line, as the monitoring-plugins
 * guidelines write it ('label'=value[UOM];[warn];[crit];[min];[max], a
 * threshold "0" meaning "alert above 0"): keys audited and not compliant,
 * findings per severity, the direct reclaim rate of the audit's window and
 * the since-boot OOM kill counter ("c").  The thresholds are the ones the
 * status itself applies, so a grapher shows where WARNING and CRITICAL begin. */
static void perfdata(const struct audit *a, struct buf *out)
{
	size_t bad = a->count[AST_DRIFT] + a->count[AST_NOT_PERSISTENT] + a->count[AST_SHADOWED] +
		     a->count[AST_NOT_PERMITTED];
	size_t nf[3] = {0};
	for (size_t i = 0; i < a->nfindings; i++)
		if ((unsigned)a->findings[i].severity <= SEV_CRITICAL)
			nf[a->findings[i].severity]++;
	buf_printf(out, " | keys=%zu;;;0 not_compliant=%zu;0;;0;%zu", a->nkeys, bad, a->nkeys);
	buf_printf(out, " findings_critical=%zu;;0;0 findings_warning=%zu;0;;0 findings_info=%zu;;;0",
		   nf[SEV_CRITICAL], nf[SEV_WARNING], nf[SEV_INFO]);
	const struct audit_reclaim *r = &a->reclaim;
	if (r->has_allocstall && isfinite(r->allocstall_per_s) && r->allocstall_per_s >= 0)
		buf_printf(out, " direct_reclaim_per_second=%.6g;;;0", r->allocstall_per_s);
	if (r->has_oom && r->oom_kills >= 0)
		buf_printf(out, " oom_kills=%" PRId64 "c;;;0", r->oom_kills);
}

void audit_render_text(const struct audit *a, struct buf *out)
{
	buf_printf(out, "RECLAIM-ADVISOR %s - ", status_plugin_name((enum status)a->status));
	/* '|' starts the performance data: none may come from the summary */
	for (const char *c = a->summary ? a->summary : ""; *c; c++)
		buf_putc(out, *c == '|' ? '/' : *c);
	perfdata(a, out);
	buf_putc(out, '\n');
	buf_printf(out, "host %s (%s), kernel %s", a->host.id, a->host.origin ? a->host.origin : "-",
		   a->host.kernel ? a->host.kernel : "unknown");
	if (a->host.ram_bytes > 0)
		buf_printf(out, ", RAM %.1f GiB", (double)a->host.ram_bytes / (1024.0 * 1024 * 1024));
	buf_printf(out, "; expected values from the %s", a->expected_from);
	if (a->fragment)
		buf_printf(out, " %s", a->fragment);
	else if (a->profile)
		buf_printf(out, " (profile %s)", a->profile);
	if (a->nbeside)
		buf_printf(out, " and the advice's %zu value%s it leaves out (kernel defaults, administrators' values)",
			   a->nbeside, a->nbeside == 1 ? "" : "s");
	buf_puts(out, "\n\n");

	if (!a->nkeys) {
		buf_puts(out, "no keys to audit\n");
	} else {
		int wk = 3, we = 8, wl = 4, wb = 7;
		char **boots = xcalloc(a->nkeys, sizeof(*boots));
		for (size_t i = 0; i < a->nkeys; i++) {
			const struct audit_key *k = &a->keys[i];
			boots[i] = boot_cell(a, k);
			if (width(k->sysctl) > wk) wk = width(k->sysctl);
			if (width(k->expected) > we) we = width(k->expected);
			if (width(k->live) > wl) wl = width(k->live);
			if (width(boots[i]) > wb) wb = width(boots[i]);
		}
		buf_printf(out, "%-*s  %-*s  %-*s  %-*s  %s\n", wk, "key", we, "expected", wl, "live", wb,
			   "at boot", "state");
		unsigned note = 0;
		for (size_t i = 0; i < a->nkeys; i++) {
			const struct audit_key *k = &a->keys[i];
			buf_printf(out, "%-*s  %-*s  %-*s  %-*s  %s", wk, k->sysctl, we, k->expected, wl,
				   k->live ? k->live : "-", wb, boots[i], audit_state_name(k->state));
			if (k->note)
				buf_printf(out, " [%u]", ++note);
			buf_putc(out, '\n');
			free(boots[i]);
		}
		free(boots);
		if (note) {
			buf_putc(out, '\n');
			note = 0;
			for (size_t i = 0; i < a->nkeys; i++) {
				const struct audit_key *k = &a->keys[i];
				if (!k->note)
					continue;
				buf_printf(out, "[%u] %s (%s): %s.", ++note, k->sysctl,
					   audit_state_name(k->state), k->note);
				if (k->state != AST_COMPLIANT && k->state != AST_NOT_APPLICABLE &&
				    k->state != AST_NOT_PERMITTED) {
					buf_printf(out, " Expected from %s", k->expected_src);
					if (k->reason)
						buf_printf(out, ": %s", k->reason);
					buf_putc(out, '.');
				}
				buf_putc(out, '\n');
			}
		}
	}
	if (a->nfindings) {
		buf_puts(out, "\nfindings:\n");
		for (size_t i = 0; i < a->nfindings; i++) {
			const struct audit_finding *f = &a->findings[i];
			buf_printf(out, "  %-8s %s: %s\n", severity_name(f->severity), f->rule, f->reason);
		}
	}
	const struct audit_reclaim *r = &a->reclaim;
	if (r->has_allocstall || r->has_oom || r->has_ratio) {
		buf_puts(out, "\nreclaim:");
		if (r->has_allocstall)
			buf_printf(out, " direct reclaim %.3g/s", r->allocstall_per_s);
		if (r->has_ratio)
			buf_printf(out, ", direct/kswapd scan ratio %.3g", r->direct_kswapd_ratio);
		if (r->has_oom)
			buf_printf(out, "%s OOM kills %" PRId64, r->has_allocstall || r->has_ratio ? "," : "",
				   r->oom_kills);
		if (r->rate_kind)
			buf_printf(out, " (rates: %s)", r->rate_kind);
		buf_putc(out, '\n');
	}
	buf_printf(out, "\nstatus: %s (exit %d)\n", audit_status_name(a->status), (int)a->status);
}

/* ----------------------------------------------------------------- JSON */

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *jint_or_null(int64_t v)
{
	return v >= 0 ? json_object_new_int64(v) : NULL;
}

/* Doubles with a fixed, locale-free rendering so reports are byte-stable. */
static json_object *jdouble(double d)
{
	if (!isfinite(d))
		return NULL;
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%.6g", d);
	return json_object_new_double_s(d, tmp);
}

void audit_render_json(const struct audit *a, struct buf *out)
{
	json_object *root = json_object_new_object();
	json_object_object_add(root, "schema", json_object_new_string(AUDIT_SCHEMA_ID));
	json_object_object_add(root, "version", json_object_new_int(AUDIT_SCHEMA_VERSION));
	json_object_object_add(root, "tool_version", json_object_new_string(ADVISOR_VERSION));

	json_object *h = json_object_new_object();
	json_object_object_add(h, "id", jstr(a->host.id));
	json_object_object_add(h, "hostname", jstr(a->host.hostname));
	json_object_object_add(h, "origin", jstr(a->host.origin));
	json_object_object_add(h, "kernel", jstr(a->host.kernel));
	json_object_object_add(h, "ram_bytes", jint_or_null(a->host.ram_bytes));
	json_object_object_add(h, "page_size", jint_or_null(a->host.page_size));
	json_object_object_add(h, "numa_nodes", jint_or_null(a->host.numa_nodes));
	json_object_object_add(h, "virt", jstr(a->host.virt));
	json_object_object_add(h, "container", jstr(a->host.container));
	json_object *lb = json_object_new_object();
	for (size_t i = 0; i < a->host.nlabels; i++) {
		const char *eq = strchr(a->host.labels[i], '=');
		if (!eq)
			continue;
		char *k = xstrndup(a->host.labels[i], (size_t)(eq - a->host.labels[i]));
		json_object_object_add(lb, k, json_object_new_string(eq + 1));
		free(k);
	}
	json_object_object_add(h, "labels", lb);
	json_object_object_add(root, "host", h);

	json_object_object_add(root, "profile", jstr(a->profile));
	json_object_object_add(root, "ruleset_digest", jstr(a->ruleset_digest));
	json_object_object_add(root, "expected_from", jstr(a->expected_from));
	json_object_object_add(root, "fragment", jstr(a->fragment));
	json_object_object_add(root, "boot_known", json_object_new_boolean(a->boot_known));

	json_object *keys = json_object_new_array();
	for (size_t i = 0; i < a->nkeys; i++) {
		const struct audit_key *k = &a->keys[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "sysctl", jstr(k->sysctl));
		json_object_object_add(o, "expected", jstr(k->expected));
		json_object_object_add(o, "expected_source", jstr(k->expected_src));
		json_object_object_add(o, "live", jstr(k->live));
		if (!k->live)
			json_object_object_add(o, "live_reason", jstr(k->live_reason));
		json_object *b = json_object_new_object();
		json_object_object_add(b, "value", jstr(k->boot));
		json_object_object_add(b, "file", jstr(k->boot_file));
		json_object_object_add(b, "line", k->boot_file ? json_object_new_int((int)k->boot_line) : NULL);
		json_object_object_add(b, "kernel_default", jstr(k->boot_default));
		if (k->procps) {
			json_object *p = json_object_new_object();
			json_object_object_add(p, "value", jstr(k->procps));
			json_object_object_add(p, "file", jstr(k->procps_file));
			json_object_object_add(p, "line", json_object_new_int((int)k->procps_line));
			json_object_object_add(b, "procps", p);
		}
		json_object_object_add(o, "at_boot", b);
		json_object_object_add(o, "state", json_object_new_string(audit_state_name(k->state)));
		json_object_object_add(o, "rule", jstr(k->rule));
		json_object_object_add(o, "severity", json_object_new_string(severity_name(k->severity)));
		json_object_object_add(o, "reason", jstr(k->reason));
		json_object_object_add(o, "note", jstr(k->note));
		json_object_array_add(keys, o);
	}
	json_object_object_add(root, "keys", keys);

	json_object *fs = json_object_new_array();
	for (size_t i = 0; i < a->nfindings; i++) {
		const struct audit_finding *f = &a->findings[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "rule", jstr(f->rule));
		json_object_object_add(o, "severity", json_object_new_string(severity_name(f->severity)));
		json_object_object_add(o, "reason", jstr(f->reason));
		json_object_array_add(fs, o);
	}
	json_object_object_add(root, "findings", fs);

	const struct audit_reclaim *r = &a->reclaim;
	json_object *rc = json_object_new_object();
	json_object_object_add(rc, "rate_kind", jstr(r->rate_kind));
	json_object_object_add(rc, "window_seconds", r->has_window ? jdouble(r->window_s) : NULL);
	json_object_object_add(rc, "allocstall_per_second",
			       r->has_allocstall ? jdouble(r->allocstall_per_s) : NULL);
	json_object_object_add(rc, "pgscan_direct_bytes_per_second",
			       r->has_pgscan_direct ? jdouble(r->pgscan_direct_bytes_per_s) : NULL);
	json_object_object_add(rc, "pgscan_kswapd_bytes_per_second",
			       r->has_pgscan_kswapd ? jdouble(r->pgscan_kswapd_bytes_per_s) : NULL);
	json_object_object_add(rc, "direct_kswapd_scan_ratio",
			       r->has_ratio ? jdouble(r->direct_kswapd_ratio) : NULL);
	json_object_object_add(rc, "oom_kills", r->has_oom ? json_object_new_int64(r->oom_kills) : NULL);
	json_object_object_add(root, "reclaim", rc);

	json_object *counts = json_object_new_object();
	for (int s = 0; s < AST_COUNT; s++)
		json_object_object_add(counts, state_names[s], json_object_new_int64((int64_t)a->count[s]));
	json_object_object_add(root, "counts", counts);

	json_object *dg = json_object_new_array();
	for (size_t i = 0; i < a->diags.n; i++) {
		const struct diag *d = &a->diags.v[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "origin", jstr(d->origin));
		json_object_object_add(o, "line", json_object_new_int((int)d->line));
		json_object_object_add(o, "severity", json_object_new_string(diag_sev_name(d->sev)));
		json_object_object_add(o, "message", jstr(d->msg));
		json_object_array_add(dg, o);
	}
	json_object_object_add(root, "diagnostics", dg);

	json_object_object_add(root, "summary", jstr(a->summary));
	json_object_object_add(root, "status", json_object_new_string(audit_status_name(a->status)));
	json_object_object_add(root, "exit_code", json_object_new_int((int)a->status));

	buf_puts(out, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_SPACED |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_putc(out, '\n');
	json_object_put(root);
}
