/* advise: host -> model -> rules -> selection -> fragment -> precedence.
 * See advise.h.  Each step is one call into the module that owns it; this
 * file only orders them and keeps what the renderers read together. */
#include "advise.h"
#include "taken_back.h"
#include "../sim/sim_facts.h"

#include "../base/datadir.h"
#include "../base/fileio.h"
#include "../base/numparse.h"
#include "../base/sysval.h"
#include "../render/tmpfiles.h"
#include "../base/xalloc.h"
#include "../collect/hostid.h"
#include "../model/watermark.h"
#include "../model/wmark_facts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- templates ------------------------------------------------------------ */

static char *template_dir(const char *given)
{
	if (given)
		return xstrdup(given);
	char *d = datadir_find("RECLAIM_ADVISOR_TEMPLATE_DIR", ADVISOR_DATADIR "/templates", "templates");
	return d ? d : xstrdup(ADVISOR_DATADIR "/templates");
}

int advise_load_templates(const char *given, struct fragment_templates *t, struct diag_list *d)
{
	char *dir = template_dir(given);
	char *hp = xasprintf("%s/%s", dir, FRAGMENT_HEADER_TMPL);
	char *ep = xasprintf("%s/%s", dir, FRAGMENT_ENTRY_TMPL);
	char *h = NULL, *e = NULL;
	size_t hn = 0, en = 0;
	int rc = file_read(hp, 1u << 20, &h, &hn);
	if (rc)
		diag_add(d, DIAG_ERROR, hp, 0, 0, "cannot read template: %s", fileio_strerror(rc));
	int rc2 = file_read(ep, 1u << 20, &e, &en);
	if (rc2)
		diag_add(d, DIAG_ERROR, ep, 0, 0, "cannot read template: %s", fileio_strerror(rc2));
	if (!rc && !rc2)
		rc = fragment_templates_parse(h, hn, hp, e, en, ep, t, d);
	else
		rc = -ENOENT;
	free(h);
	free(e);
	free(hp);
	free(ep);
	free(dir);
	return rc;
}

/* ---- watermarks: the model before and after ------------------------------- */

static void wm_rows(const struct wm_model *m, struct rec_wmark *out)
{
	for (size_t i = 0; i < m->nzones; i++) {
		const struct wm_zone *z = &m->zones[i];
		out[i] = (struct rec_wmark){z->z->node, z->z->name, ZONE_ABSENT, ZONE_ABSENT, ZONE_ABSENT,
					    ZONE_ABSENT};
		if (z->predicted)
			out[i] = (struct rec_wmark){z->z->node, z->z->name, z->pred.min, z->pred.low,
						    z->pred.high, z->pred.promo};
	}
}

const struct decision *advice_decision(const struct advice *a, const char *key, size_t *index)
{
	for (size_t i = 0; a->plan && i < a->plan->nd; i++)
		if (!strcmp(a->plan->d[i].sysctl, key)) {
			if (index)
				*index = i;
			return &a->plan->d[i];
		}
	return NULL;
}

/* The watermarks before (the model with the live sysctls: mb, the run
 * wmark_add_facts kept, taken over here) and after (the desired host's
 * model, plan_model: the run the engine's no-op check made when it still
 * describes the plan, mb itself when the plan leaves both values as they
 * are live); a->wm_note says why when it cannot run. */
static void watermarks(struct advice *a, struct wm_model *mb, struct diag_list *d)
{
	const struct host *h = a->host;
	if (!h->zi.nzones) {
		a->wm_note = "no zoneinfo: watermarks not modelled";
		return;
	}
	/* mb is empty only when the model could not run for the facts (a page
	 * size it cannot use): running it here gives the same error in d. */
	if (!mb->nzones) {
		struct wm_params p;
		wmark_params_from_host(h, &p);
		if (wm_model_compute(h->zi.zones, h->zi.nzones, &p, mb, d)) {
			a->wm_note = "the watermark model could not run on this host";
			return;
		}
	}
	const struct wm_model *ma = plan_model(a->plan, h, mb, d);
	if (!ma) {
		a->wm_note = "the watermark model could not predict the recommended settings";
		return;
	}
	size_t n = mb->nzones;
	a->wm_before = xcalloc(n + 1, sizeof(*a->wm_before));
	a->wm_after = xcalloc(n + 1, sizeof(*a->wm_after));
	wm_rows(mb, a->wm_before);
	wm_rows(ma, a->wm_after);
	bool any = false;
	for (size_t i = 0; i < n; i++)
		any = any || mb->zones[i].predicted;
	if (!any)
		a->wm_note = "min_free_kbytes or watermark_scale_factor unknown: watermarks not predicted";
	a->nwm = n;
}

/* ---- the deployed fragment --------------------------------------------------- */

/* Read path; one under a captured tree (the host's fragment, the default
 * of --check and --diff, or -o naming it) is as untrusted as the tree and
 * read confined to it: its etc/sysctl.d may be a link to this machine's,
 * the fragment a link to /etc/shadow (then --diff would print it). */
static int read_output(const char *root, const char *path, char **text, size_t *len)
{
	char *rel = root_rel_of(root, path);
	if (!rel)
		return file_read(path, FILEIO_DEFAULT_CAP, text, len);
	struct root r;
	int rc = root_open(&r, root);
	if (!rc) {
		rc = root_read(&r, rel, FILEIO_DEFAULT_CAP, text, len);
		root_close(&r);
	}
	free(rel);
	return rc;
}

/* Read one of our output files (what: "fragment", "tmpfiles fragment") at
 * path (under root, or not) as it is before this run: whether it exists and
 * is ours.  0 (also when path is NULL or absent), or -EIO / -EEXIST with
 * the reason in d when it exists but cannot be read. */
static int read_ours(const char *root, const char *path, const char *what, struct advise_deployed *dep,
		     struct diag_list *d)
{
	if (!path)
		return 0;
	int rc = read_output(root, path, &dep->text, &dep->len);
	if (rc == -ENOENT)
		return 0;
	if (rc) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read the deployed %s: %s", what, fileio_strerror(rc));
		/* A FIFO or device at the output path, or a link out of the
		 * tree, is refused, not an I/O error. */
		return rc == FILEIO_E_NOTREG || rc == -EISDIR || rc == FILEIO_E_ESCAPE ? -EEXIST : -EIO;
	}
	dep->exists = true;
	dep->ours = fragment_is_ours(dep->text, dep->len);
	return 0;
}

/* Read the file at the fragment path as it is before this run, and its
 * assignments when it is ours. */
static int read_deployed(struct advice *a, const char *root, struct diag_list *d)
{
	struct advise_deployed *dep = &a->deployed;
	int rc = read_ours(root, a->deployed_file, "fragment", dep, d);
	if (rc || !dep->ours)
		return rc;
	dep->has_state = fragment_state_read(dep->text, dep->len, &dep->state) == 0;
	(void)fragment_base_read(dep->text, dep->len, &dep->base);
	struct diag_list pd = {0};
	if (sysctl_dump_parse(dep->text, dep->len, a->deployed_file, false, &dep->values, &pd))
		diag_add(d, DIAG_WARNING, a->deployed_file, 0, 0,
			 "our deployed fragment does not parse as sysctl.d: it is rewritten");
	diag_list_clear(&pd);
	return 0;
}

/* Does the sysfs file at path (absolute, read under root) hold value now:
 * its selected word ("always [defer+madvise] madvise"), else its text? */
static bool sysfs_reads(const char *rootdir, const char *path, const char *value)
{
	struct root r;
	if (path[0] != '/' || strncmp(path, "/sys/", 5) || root_open(&r, rootdir))
		return false;
	char *buf = NULL;
	size_t len = 0;
	bool same = false;
	if (root_read(&r, path + 1, 4096, &buf, &len) == 0) {
		const char *lb = memchr(buf, '[', len);
		const char *rb = lb ? memchr(lb, ']', len - (size_t)(lb - buf)) : NULL;
		char *now = lb && rb ? xstrndup(lb + 1, (size_t)(rb - lb - 1)) : sysval_normalize(buf, len);
		same = sysval_equal(now, value);
		free(now);
	}
	free(buf);
	root_close(&r);
	return same;
}

/* fragment.vm.* facts: what our deployed fragment sets (integers; the
 * last assignment of a key wins, as at boot) - when it was written for
 * this profile: another profile's values, applied or not, are not this
 * profile's to keep (its -kept rules would keep them; taken_back.h takes
 * back the live ones). */
static void deployed_facts(const struct advice *a, struct host *h, bool snapshot, bool on_host, const char *profile)
{
	const struct strkvlist *l = &a->deployed.values;
	/* Every named fragment.* fact is decided: absent unless set below. */
	size_t n;
	const struct fact_def *cat = fact_catalog(&n);
	for (size_t i = 0; i < n; i++)
		if (!cat[i].family && !strncmp(cat[i].name, "fragment.", 9))
			facts_set_absent(h->facts, cat[i].id,
					 snapshot	     ? "a snapshot carries no sysctl.d files"
					 : !on_host	     ? "the fragment is written outside the root, not read as the host's"
					 : a->deployed.ours ? "our deployed fragment does not set it"
							    : "no deployed fragment of ours");
	if (!on_host)
		return;
	if (a->deployed.ours && a->deployed.has_state && strcmp(a->deployed.state.profile, profile)) {
		char *why = xasprintf("our deployed fragment was written for profile %s", a->deployed.state.profile);
		for (size_t i = 0; i < l->n; i++) {
			char *name = xasprintf("fragment.%s", l->v[i].key);
			if (!strncmp(l->v[i].key, "vm.", 3))
				(void)facts_put_absent(h->facts, name, why);
			free(name);
		}
		free(why);
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		if (strncmp(l->v[i].key, "vm.", 3))
			continue;
		char *name = xasprintf("fragment.%s", l->v[i].key);
		int64_t v;
		const char *end;
		struct value val = {.type = FACT_INT, .u.i = 0};
		if (!parse_i64(l->v[i].value, &end, &v) && !*end) {
			val.u.i = v;
			(void)facts_put(h->facts, name, &val, a->deployed_file); /* a key the catalog
										 * does not cover is no input */
		}
		free(name);
	}
}

/* ---- where the fragment is --------------------------------------------------- */

/* The directory part of the root prefix for host paths: "" for "/". */
static char *under_root(const char *root, const char *host_path)
{
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 1 && root[0] == '/')
		return xstrdup(host_path);
	return xasprintf("%.*s%s", (int)n, root, host_path);
}

/* ---- precedence ------------------------------------------------------------ */

static unsigned fragment_line_of(const char *text, const char *key)
{
	size_t kl = strlen(key);
	unsigned line = 1;
	for (const char *p = text; p && *p; line++) {
		if (!strncmp(p, key, kl) && (p[kl] == ' ' || p[kl] == '\t' || p[kl] == '='))
			return line;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

/* Which file sets each decided key at boot with our fragment in place
 * (precedence_at_boot decides; the same answer the Ansible module gives). */
static void boot_precedence(struct advice *a, struct diag_list *d)
{
	const struct plan *plan = a->plan;
	const char *F = a->fragment_path;
	const char *masker = precedence_masker(a->prec, F);
	if (masker)
		diag_add(d, DIAG_WARNING, F, 0, 0,
			 "the fragment is masked by %s (same name in an earlier directory): neither "
			 "systemd-sysctl nor sysctl --system will read it",
			 masker);
	a->boot = xcalloc(plan->nd + 1, sizeof(*a->boot));
	a->boot_strs = xcalloc(plan->nd + 1, sizeof(*a->boot_strs));
	const char *text = buf_str(&a->fragment);
	for (size_t i = 0; i < plan->nd; i++) {
		const struct decision *x = &plan->d[i];
		struct boot_winner w;
		unsigned line = fragment_line_of(text, x->sysctl);
		precedence_at_boot(a->prec, F, x->sysctl, a->selected[i], line, &w);
		struct rec_prec *r = &a->boot[i];
		r->systemd_file = w.systemd_file;
		r->systemd_line = w.systemd_line;
		r->procps_file = w.procps_file;
		r->procps_line = w.procps_line;
		if (!a->selected[i])
			continue;
		if (w.masked) {
			r->shadowed = true;
			r->shadowed_by = masker;
		} else if (w.by) {
			r->shadowed = true;
			a->boot_strs[i] = xasprintf("%s:%u (%s = %s)", w.by->file, w.by->line, x->sysctl, w.by->value);
			r->shadowed_by = a->boot_strs[i];
			diag_add(d, DIAG_WARNING, F, line, 0, "%s would be overridden at boot by %s:%u (%s = %s) under %s",
				 x->sysctl, w.by->file, w.by->line, x->sysctl, w.by->value,
				 w.by_systemd ? "systemd-sysctl and sysctl --system" : "sysctl --system");
		}
	}
}

/* Decisions whose key another file (not ours) sets at boot to a value
 * other than the desired one: written even when the desired value is the
 * kernel default.  This reads the files, not the live value, so it holds
 * after the fragment is applied.  NULL without a scan. */
static bool *overridden_elsewhere(const struct advice *a)
{
	if (!a->prec)
		return NULL;
	bool *force = xcalloc(a->plan->nd + 1, sizeof(*force));
	for (size_t i = 0; i < a->plan->nd; i++) {
		const struct decision *x = &a->plan->d[i];
		struct boot_winner w;
		precedence_at_boot(a->prec, a->fragment_path, x->sysctl, false, 0, &w);
		char *want = value_sysctl_text(&x->recommended);
		force[i] = (w.systemd_value && !sysval_equal(w.systemd_value, want)) ||
			   (w.procps_value && !sysval_equal(w.procps_value, want));
		free(want);
	}
	return force;
}

/* ---- administrators' explicit values ------------------------------------------ */

/* The decided keys an administrator set: a file under /etc (a sysctl.d file
 * that is not ours, or /etc/sysctl.conf) sets the key at boot (file:line,
 * systemd-sysctl's winner, else procps'; a vendor file in /usr/lib wins
 * nothing here),
 * else, with no file setting it and our deployed fragment not setting it,
 * a live value that is not the kernel's default (min_free_kbytes: one the
 * model calls an administrator's, not the boot default or THP's).  out and
 * strs have plan->nd entries; returns how many are filled. */
static size_t administrators(const struct advice *a, const struct host *h, const struct taken_back_set *tb,
			     struct admin_value *out, char **strs)
{
	size_t n = 0;
	for (size_t i = 0; i < a->plan->nd; i++) {
		const struct decision *x = &a->plan->d[i];
		/* a key our fragment on the host sets is ours (an earlier
		 * --override, or the advice before an administrator's file
		 * appeared): the advice stays a fixpoint without the option;
		 * so is a live value an earlier fragment of ours set */
		if (a->deployed_on_host && a->deployed.ours &&
		    (strkvlist_get(&a->deployed.values, x->sysctl) || taken_back_ours(tb, x->sysctl)))
			continue;
		/* the value systemd-sysctl applies at boot (a key named in a file
		 * beats a glob), else the one sysctl --system applies last */
		const struct sysctl_origin *o = a->prec ? precedence_lookup(a->prec, x->sysctl) : NULL;
		const struct sysctl_assign *as = !o ? NULL : o->has_systemd ? &o->systemd : o->has_procps ? &o->procps : NULL;
		if (a->prec) {
			const char *file = as ? as->file : NULL, *val = as ? as->value : NULL;
			unsigned line = as ? as->line : 0;
			if (file) {
				int64_t v;
				const char *end;
				/* /etc is the administrator's (sysctl.d(5)); /usr/lib and
				 * /run are the vendor's and the runtime's */
				if (!strncmp(file, "/etc/", 5) && val && !parse_i64(val, &end, &v) && !*end) {
					strs[n] = xasprintf("%s:%u", file, line);
					out[n] = (struct admin_value){x->sysctl, v, strs[n]};
					n++;
				}
				continue;
			}
		}
		if (!x->has_current || x->current.type != FACT_INT)
			continue;
		if (!strcmp(x->sysctl, "vm.min_free_kbytes")) {
			const char *origin = facts_get_str(h->facts, F_WMARK_MIN_FREE_KBYTES_ORIGIN);
			if (!origin || strcmp(origin, "administrator"))
				continue;
		} else if (!x->has_default || x->current.u.i == x->kernel_default.u.i) {
			continue;
		}
		strs[n] = xstrdup(a->prec ? "the live value; no sysctl.d file sets it"
					  : "the live value; the sysctl.d files were not read");
		out[n] = (struct admin_value){x->sysctl, x->current.u.i, strs[n]};
		n++;
	}
	return n;
}

static void keep_administrators(struct advice *a, const struct advise_request *req, const struct taken_back_set *tb)
{
	struct admin_value *v = xcalloc(a->plan->nd + 1, sizeof(*v));
	char **strs = xcalloc(a->plan->nd + 1, sizeof(*strs));
	size_t n = administrators(a, req->host, tb, v, strs);
	engine_administrators(a->plan, a->rs, req->host->facts, v, n, req->overrides);
	for (size_t i = 0; i < n; i++)
		free(strs[i]);
	free(strs);
	free(v);
}

/* ---- the pipeline ------------------------------------------------------------ */

int advise_run(const struct advise_request *req, struct advice **out, struct diag_list *d)
{
	struct advice *a = xcalloc(1, sizeof(*a));
	a->host = req->host;
	struct wm_model live = {0}; /* the model with the live values */
	struct taken_back_set tb = {0}; /* the live values of ours (taken_back.h) */
	int rc;

	/* Rules and profile: every error reported before failing. */
	struct ruleset_opts ro = {.rules_dir = req->rules_dir, .dirs = req->rules, .ndirs = req->nrules};
	if (ruleset_load(&ro, &a->rs, d) || profile_load(a->rs, req->profile, &a->prof, d)) {
		rc = -EINVAL;
		goto fail;
	}
	a->fragment_path = xstrdup(req->fragment_path ? req->fragment_path : FRAGMENT_DEFAULT_PATH);
	if (req->deployed_file)
		a->deployed_file = xstrdup(req->deployed_file);
	else if (req->root)
		a->deployed_file = under_root(req->root, a->fragment_path);
	if ((rc = read_deployed(a, req->root, d)))
		goto fail;
	/* Only the fragment on the host is an input to the advice; a file
	 * written elsewhere (-o outside the root) is only compared with. */
	char *on_host = req->root ? under_root(req->root, a->fragment_path) : NULL;
	a->deployed_on_host = on_host && a->deployed_file && !strcmp(on_host, a->deployed_file);
	deployed_facts(a, req->host, !req->root, a->deployed_on_host, a->prof ? a->prof->name : "general");
	free(on_host);
	/* The model once with the live values: the rules read its wmark.*
	 * facts (engine.h), the engine's no-op check reads the run itself when
	 * the plan keeps min_free_kbytes, and watermarks() below takes it as
	 * the watermarks before (and as the after when the plan changes
	 * neither value: plan_model). */
	wmark_add_facts(req->host, &live, d);
	/* A history's simulation, when given: the headroom rules read sim.* */
	if (req->sim && req->history) {
		char *src = req->sim_origin ? xstrdup(req->sim_origin) : xasprintf("whatif --history %s", req->history->origin);
		sim_add_facts(req->host->facts, src, req->sim);
		free(src);
	}
	else
		sim_absent_facts(req->host->facts, "no history: `recommend --history H` (see `record`)");
	/* The sysctl.d files (not for a snapshot): they decide which values
	 * equal to the kernel default must still be written, and what a key
	 * is without our fragment. */
	struct root root = {.dirfd = -1};
	bool scanned = req->root && !root_open(&root, req->root) && !precedence_scan(&root, &a->prec, d);
	root_close(&root);
	/* Desired state across profiles (taken_back.h): the rules see the
	 * host without the values another profile's fragment of ours left
	 * live, and the plan is then told the live ones. */
	if (advise_taken_back(a, req->host, a->prof ? a->prof->name : "general", &tb)) {
		struct host base = *req->host;
		struct wm_model bm = {0};
		struct diag_list bd = {0}; /* the live model's diagnostics are already in d */
		base.facts = taken_back_facts(req->host, &tb);
		/* the model again only when a value it reads is taken back */
		bool model = false;
		for (size_t i = 0; i < tb.n; i++)
			model = model || !strcmp(tb.v[i].sysctl, "vm.min_free_kbytes") ||
				!strcmp(tb.v[i].sysctl, "vm.watermark_scale_factor");
		if (model)
			wmark_add_facts(&base, &bm, &bd);
		rc = engine_run(a->rs, a->prof, &base, model ? &bm : &live, &a->plan);
		if (!rc)
			engine_taken_back(a->plan, req->host->facts, a->fragment_path, tb.v, tb.n);
		diag_list_clear(&bd);
		wm_model_free(&bm);
		facts_free(base.facts);
	} else {
		rc = engine_run(a->rs, a->prof, req->host, &live, &a->plan);
	}
	if (rc)
		goto fail;
	diag_splice(d, &a->plan->diags);
	keep_administrators(a, req, &tb);
	a->selected = xcalloc(a->plan->nd + 1, sizeof(*a->selected));
	bool *force = overridden_elsewhere(a);
	a->nselected = advise_select(a->plan, force, a->selected, d);
	a->live = xcalloc(a->plan->nd + 1, sizeof(*a->live));
	advise_select_live(a->plan, a->selected, a->live);
	free(force);
	/* what the fresh fragment records as the values without ours */
	taken_back_bases(a, req->host, &tb, &a->base);
	taken_back_set_free(&tb);
	watermarks(a, &live, d);
	wm_model_free(&live);

	const char *hn = facts_get_str(req->host->facts, F_KERNEL_HOSTNAME);
	a->host_id = host_id_derive(req->host_id, req->root, hn, req->root ? req->root : req->host->origin);
	a->hostname = hn ? xstrdup(hn) : NULL;

	a->in = (struct rec_input){.plan = a->plan, .host = req->host, .host_id = a->host_id,
				   .version = req->version, .timestamp = req->timestamp,
				   .fragment_path = a->fragment_path, .selected = a->selected,
				   .wm_before = a->wm_before, .wm_after = a->wm_after, .nwm = a->nwm,
				   .wm_note = a->wm_note, .diags = d, .base = a->base.v, .nbase = a->base.n};

	/* The fragment: rendered whenever the templates load (precedence
	 * reports its line numbers); an error only when the caller needs it. */
	struct diag_list td = {0};
	if (advise_load_templates(req->template_dir, &a->tm, &td) ||
	    fragment_render(&a->tm, &a->in, &a->fragment, &td)) {
		if (req->need_fragment || req->template_dir) {
			diag_splice(d, &td);
			rc = -EINVAL;
			goto fail;
		}
		diag_add(d, DIAG_WARNING, "templates", 0, 0, "templates do not load: fragment not rendered");
		buf_reset(&a->fragment);
	} else {
		a->have_fragment = true;
	}
	diag_list_clear(&td);
	if (a->have_fragment && a->deployed.exists) {
		const char *f = buf_str(&a->fragment);
		a->up_to_date = fragment_up_to_date(a->deployed.text, a->deployed.len, f, a->fragment.len);
		a->identical = a->deployed.len == a->fragment.len && !memcmp(a->deployed.text, f, a->fragment.len);
	}

	/* The tmpfiles fragment (tmpfiles.h): compared byte for byte, it has
	 * no state line and no timestamp. */
	if (req->tmpfiles_file) {
		if ((rc = read_ours(req->root, req->tmpfiles_file, "tmpfiles fragment", &a->tmpfiles_deployed, d)))
			goto fail;
		struct tmpfiles_kept *kept = NULL;
		char **kp = NULL, **kv = NULL;
		size_t nk = 0, nkept = 0;
		if (a->tmpfiles_deployed.ours && req->root) {
			nk = tmpfiles_parse(a->tmpfiles_deployed.text, a->tmpfiles_deployed.len, &kp, &kv);
			kept = xcalloc(nk + 1, sizeof(*kept));
			for (size_t i = 0; i < nk; i++)
				if (sysfs_reads(req->root, kp[i], kv[i]))
					kept[nkept++] = (struct tmpfiles_kept){kp[i], kv[i]};
		}
		a->ntmpfiles = tmpfiles_render(a->plan, kept, nkept, req->version, &a->tmpfiles);
		for (size_t i = 0; i < nk; i++) {
			free(kp[i]);
			free(kv[i]);
		}
		free(kp);
		free(kv);
		free(kept);
		a->tmpfiles_up_to_date = a->tmpfiles_deployed.ours && a->tmpfiles_deployed.len == a->tmpfiles.len &&
					 !memcmp(a->tmpfiles_deployed.text, buf_str(&a->tmpfiles), a->tmpfiles.len);
	}

	/* Precedence with our fragment inserted: its line numbers are known now. */
	if (scanned) {
		boot_precedence(a, d);
		a->in.prec = a->boot;
	} else {
		diag_add(d, DIAG_NOTE, req->root ? req->root : req->host->origin, 0, 0,
			 "boot-time precedence not computed: %s",
			 req->root ? "the sysctl.d directories could not be read" : "a snapshot has no sysctl.d files");
	}
	*out = a;
	return 0;
fail:
	taken_back_set_free(&tb);
	wm_model_free(&live);
	advice_free(a);
	return rc;
}

/* ---- against the deployed fragment ------------------------------------------ */

size_t advice_changes(const struct advice *a, struct buf *out)
{
	if (!a->deployed.ours)
		return 0;
	const struct strkvlist *dv = &a->deployed.values;
	size_t n = 0;
	for (size_t i = 0; i < a->plan->nd; i++) {
		const struct decision *x = &a->plan->d[i];
		const char *was = strkvlist_get(dv, x->sysctl);
		char *now = a->selected[i] ? value_sysctl_text(&x->recommended) : NULL;
		if (was || now) {
			if (!was || !now || !sysval_equal(was, now)) {
				buf_printf(out, "%s%s: fragment %s, now ", n++ ? "; " : "", x->sysctl, was ? was : "none");
				if (now) {
					buf_puts(out, now);
				} else if (x->has_default && value_sysctl_equal(&x->recommended, &x->kernel_default)) {
					/* desired, but the boot gives it: not written */
					char *def = value_sysctl_text(&x->kernel_default);
					buf_printf(out, "the kernel default %s (not written)", def);
					free(def);
				} else {
					buf_puts(out, "none");
				}
			}
		}
		free(now);
	}
	for (size_t i = 0; i < dv->n; i++) {
		const char *k = dv->v[i].key;
		bool later = false;
		for (size_t j = i + 1; j < dv->n && !later; j++)
			later = !strcmp(dv->v[j].key, k);
		if (!later && !advice_decision(a, k, NULL))
			buf_printf(out, "%s%s: fragment %s, now none", n++ ? "; " : "", k, dv->v[i].value);
	}
	return n;
}

int advice_audit(const struct advice *a, const struct strkvlist *fragment, const char *fragment_path,
		 const char *const *labels, size_t nlabels, struct audit **out)
{
	struct audit_input in = {.host = a->host, .plan = a->plan, .prec = a->prec, .fragment = fragment,
				 .fragment_path = fragment_path, .host_id = a->host_id, .labels = labels,
				 .nlabels = nlabels};
	struct buf changed = {0};
	bool *beside = NULL;
	if (!fragment && a->deployed.ours) {
		in.fragment = &a->deployed.values;
		in.fragment_path = a->fragment_path;
		if (advice_changes(a, &changed))
			in.advice_changed = buf_str(&changed);
		/* what the host was told to be: the fragment, and the desired
		 * values it leaves out by design (advise_select: a kernel
		 * default is the boot's, an administrator's kept value theirs).
		 * A default the advice now writes (another file sets the key at
		 * boot) is still desired: audited, and named by the finding. */
		beside = xcalloc(a->plan->nd + 1, sizeof(*beside));
		for (size_t i = 0; i < a->plan->nd; i++) {
			const struct decision *x = &a->plan->d[i];
			beside[i] = x->admin_kept || (a->live[i] && x->has_default &&
						      value_sysctl_equal(&x->recommended, &x->kernel_default));
		}
		in.beside = beside;
	}
	int rc = audit_build(&in, out);
	free(beside);
	buf_free(&changed);
	return rc;
}

void advice_free(struct advice *a)
{
	if (!a)
		return;
	if (a->boot_strs)
		for (size_t i = 0; a->plan && i < a->plan->nd; i++)
			free(a->boot_strs[i]);
	free(a->boot_strs);
	free(a->boot);
	precedence_free(a->prec);
	free(a->wm_before);
	free(a->wm_after);
	free(a->selected);
	free(a->live);
	free(a->fragment_path);
	free(a->deployed_file);
	free(a->deployed.text);
	strkvlist_free(&a->deployed.values);
	fragment_base_list_free(&a->deployed.base);
	fragment_base_list_free(&a->base);
	buf_free(&a->fragment);
	free(a->tmpfiles_deployed.text);
	buf_free(&a->tmpfiles);
	fragment_templates_free(&a->tm);
	free(a->host_id);
	free(a->hostname);
	plan_free(a->plan);
	profile_free(a->prof);
	ruleset_free(a->rs);
	free(a);
}
