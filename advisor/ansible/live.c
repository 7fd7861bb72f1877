/* live: the Ansible module's live values (apply: true, state=absent) and
 * the restore point kept in the report.  Contract in ansible.h. */
#include "ansible.h"

#include "../advise/advise.h"
#include "../base/fileio.h"
#include "../base/kver.h"
#include "../base/numparse.h"
#include "../base/xalloc.h"
#include "../collect/host.h"
#include "../model/sysctl_catalog.h"
#include "../render/fragment.h"
#include "../render/ours.h"
#include "../sysctld/apply.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *jstring(json_object *v)
{
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

void ansible_apply(const struct ansible_args *a, const struct advice *adv, struct ansible_result *r,
		   struct apply_entry **out, size_t *nout)
{
	struct apply_req *req = NULL;
	size_t n = advice_apply_reqs(adv, true, &req);
	struct apply_entry *ap = NULL;
	r->changed = r->changed || n;
	if (!a->check && n)
		apply_under(a->root, req, n, &ap);
	json_object_object_add(r->o, "applied", ansible_result_entries(req, n, ap, "would-apply"));
	for (size_t i = 0; ap && i < n; i++)
		if (ap[i].result != APPLY_APPLIED)
			ansible_result_warn(r, "%s: %s (%s)", req[i].sysctl, apply_result_name(ap[i].result),
					    ap[i].err ? strerror(ap[i].err) : "read back differs");
	*out = ap;
	*nout = ap ? n : 0;
	advice_apply_reqs_free(req, n);
}

/* The report's "apply" entries that were applied, or NULL (a new reference):
 * only from a report of ours (render_is_ours) unless force, and only for
 * the sysctls the catalog knows, since state=absent writes them back.
 * text: the report as read (NUL-terminated), or NULL. */
static json_object *report_applied(const char *text, size_t len, bool force)
{
	json_object *doc = text && (force || render_is_ours(text, len)) ? json_tokener_parse(text) : NULL;
	json_object *arr = NULL;
	if (!doc || !json_object_object_get_ex(doc, "apply", &arr) || !json_object_is_type(arr, json_type_array)) {
		json_object_put(doc);
		return NULL;
	}
	json_object *out = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i), *v;
		if (json_object_object_get_ex(e, "result", &v) && jstring(v) && !strcmp(jstring(v), "applied") &&
		    json_object_object_get_ex(e, "sysctl", &v) && jstring(v) && sysctl_catalog_lookup(jstring(v)))
			json_object_array_add(out, json_object_get(e));
	}
	json_object_put(doc);
	return out;
}

void ansible_keep_first_previous(const char *report_path, struct apply_entry **ap, size_t *n)
{
	char *text = NULL;
	size_t len = 0;
	json_object *old = file_read(report_path, 1u << 24, &text, &len) ? NULL : report_applied(text, len, false);
	free(text);
	if (!old)
		return;
	for (size_t i = 0; i < json_object_array_length(old); i++) {
		json_object *e = json_object_array_get_idx(old, i), *v;
		json_object_object_get_ex(e, "sysctl", &v);
		const char *key = jstring(v);
		const char *prev = json_object_object_get_ex(e, "previous", &v) ? jstring(v) : NULL;
		const char *written = json_object_object_get_ex(e, "written", &v) ? jstring(v) : NULL;
		const char *pprev = json_object_object_get_ex(e, "partner_previous", &v) ? jstring(v) : NULL;
		size_t j = 0;
		while (j < *n && strcmp((*ap)[j].sysctl, key))
			j++;
		if (j == *n) {
			*ap = xreallocarray(*ap, *n + 1, sizeof(**ap));
			(*ap)[j] = (struct apply_entry){.sysctl = xstrdup(key), .written = xstrdup(written ? written : ""),
							.readback = written ? xstrdup(written) : NULL,
							.result = APPLY_APPLIED};
			(*n)++;
		} else {
			free((*ap)[j].previous);
			free((*ap)[j].partner_previous);
		}
		(*ap)[j].previous = prev ? xstrdup(prev) : NULL;
		/* The partner as it was at that first apply too (NULL from a
		 * report that predates it: this run's reading is no restore
		 * point, the first write may have zeroed it). */
		(*ap)[j].partner_previous = pprev ? xstrdup(pprev) : NULL;
		if (!(*ap)[j].partner && sysctl_catalog_lookup(key)->partner)
			(*ap)[j].partner = xstrdup(sysctl_catalog_lookup(key)->partner);
	}
	json_object_put(old);
}

/* Is text an integer other than 0? */
static bool nonzero_int(const char *text)
{
	const char *end;
	int64_t v;
	return text && !parse_i64(text, &end, &v) && !*end && v != 0;
}

/* What state=absent writes back for key's previous value in the report
 * (contract in ansible.h): 0 with *okey and *out, the key and value to
 * write (value itself; the kernel's default on h when value is legal but
 * outside the safety bounds; for a pair member - sysctl_pair_default -
 * whose previous is 0, or whose default 0 would replace it, the partner's
 * value pprev recorded beside it, else the kernel's default state of the
 * pair: then *warn says so; *out and *warn owned by the caller, *warn NULL
 * otherwise), or -ERANGE with the reason (naming the report rep and the
 * key) in d. */
static int restore_value(const char *rep, const char *key, const char *value, const char *pprev,
			 const struct host *h, const char *nohost, const char **okey, char **out, char **warn,
			 struct diag_list *d)
{
	const struct sysctl_def *sc = sysctl_catalog_lookup(key); /* report_applied kept only these */
	const char *end;
	int64_t v, kv = -1, lo, hi, def;
	const char *swhy;
	*warn = NULL;
	*okey = sc->name;
	if (!h) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "%s: %s: the previous value %s cannot be checked against the host's bounds (the host "
			 "under the root cannot be read: %s); nothing restored or removed",
			 rep, key, value, nohost);
		return -ERANGE;
	}
	if (parse_i64(value, &end, &v) || *end) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "%s: %s: the previous value %s is not an integer; nothing restored or removed (a report "
			 "of ours never records one: edited, or not ours)",
			 rep, key, value);
		return -ERANGE;
	}
	if (facts_get_int(h->facts, F_HOST_KERNEL_VERSION, &kv))
		kv = -1;
	bool has_def = sysctl_kernel_default(sc, h->facts, &def);
	enum sysctl_bound b = has_def && v == def ? SYSCTL_WITHIN /* what the host runs with no setting */
						  : sysctl_value_bound(sc, h->facts, kv, v, &lo, &hi, &swhy);
	if (b == SYSCTL_OUTSIDE_LEGAL) {
		/* This kernel cannot have run with it: not this host's restore point. */
		char k[32] = "older kernels";
		if (kv >= 0)
			kver_format(kv, k, sizeof(k));
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "%s: %s: the previous value %s is outside the kernel's legal range %lld..%lld (%s%s), so "
			 "this host never ran with it; nothing restored or removed (the report is edited or from "
			 "another host)",
			 rep, key, value, (long long)lo, (long long)hi, kv >= 0 ? "kernel " : "", k);
		return -ERANGE;
	}
	/* A value the host may have run with (an administrator's, or a
	 * forged one) that the advisor would never set: the kernel's own. */
	if (b == SYSCTL_OUTSIDE_SAFE && !has_def) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "%s: %s: the previous value %s is outside the safety bound %lld..%lld on this host (%s) "
			 "and the kernel's default here is unknown; nothing restored or removed",
			 rep, key, value, (long long)lo, (long long)hi, swhy);
		return -ERANGE;
	}
	const struct sysctl_def *pd = sysctl_pair_default(sc);
	if (!pd || (v != 0 && (b == SYSCTL_WITHIN || def != 0))) {
		if (b == SYSCTL_WITHIN) {
			*out = xstrdup(value);
			return 0;
		}
		*out = xasprintf("%lld", (long long)def);
		*warn = xasprintf("%s: %s: the previous value %s is outside the safety bound %lld..%lld on this host "
				  "(%s): the kernel's default %lld is restored instead (set %s by hand if the host "
				  "needs it)",
				  rep, key, value, (long long)lo, (long long)hi, swhy, (long long)def, value);
		return 0;
	}
	/* A pair member at 0, or that 0 in place of an unsafe value: 0 writes
	 * back nothing (sysctl_pair_default), the partner was in use.  The
	 * partner's value read beside it restores that state, checked as any
	 * previous value; without one, the pair's default state. */
	bool zero = v == 0; /* else a value outside the safety bounds, whose default is 0 */
	char *why = zero ? xasprintf("%s: %s: the previous value %s means %s was in use (0 is no value to write "
					"back)",
					rep, key, value, sc->partner)
			    : xasprintf("%s: %s: the previous value %s is outside the safety bound %lld..%lld on this host "
					"(%s)",
					rep, key, value, (long long)lo, (long long)hi, swhy);
	if (nonzero_int(pprev)) {
		char *pwarn = NULL;
		int rc = restore_value(rep, sc->partner, pprev, NULL, h, nohost, okey, out, &pwarn, d);
		if (!rc && (!zero || pwarn))
			*warn = xasprintf("%s: %s = %s, read beside it, is restored instead%s%s", why, *okey, *out,
					  pwarn ? "; " : "", pwarn ? pwarn : "");
		free(pwarn);
		free(why);
		return rc;
	}
	int64_t pdef;
	if (!sysctl_kernel_default(pd, h->facts, &pdef)) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "%s, and the kernel's default %s here is unknown; nothing restored or removed",
			 why, pd->name);
		free(why);
		return -ERANGE;
	}
	*okey = pd->name;
	*out = xasprintf("%lld", (long long)pdef);
	*warn = xasprintf("%s, and the report does not record the value of %s: the kernel's default %s = %lld is "
			  "restored instead (set %s by hand if the host ran with another)",
			  why, sc->partner, pd->name, (long long)pdef, pd->name);
	free(why);
	return 0;
}

/* Does the report's applied list hold an entry for key whose previous is
 * a value other than 0 (the member of a pair that was in use)? */
static bool partner_recorded(json_object *applied, const char *key)
{
	for (size_t i = 0; i < json_object_array_length(applied); i++) {
		json_object *e = json_object_array_get_idx(applied, i), *v;
		if (json_object_object_get_ex(e, "sysctl", &v) && !strcmp(jstring(v), key) &&
		    json_object_object_get_ex(e, "previous", &v) && nonzero_int(jstring(v)))
			return true;
	}
	return false;
}

/* Write back the previous values the report (rtext, or NULL; rep its
 * path) lists, every one decided first (restore_value: one refused writes
 * nothing, -ERANGE); adds "restored" and the warnings of values replaced
 * by the kernel's default or by a pair partner's.  0 and *nrestored, or
 * -ERANGE. */
static int restore(const struct ansible_args *a, const char *rep, const char *rtext, size_t rlen,
		   const struct host *h, const char *nohost, struct ansible_result *r, json_object **restored,
		   size_t *nrestored, struct diag_list *d)
{
	json_object *applied = report_applied(rtext, rlen, a->force);
	size_t n = applied ? json_object_array_length(applied) : 0;
	struct apply_req *req = xcalloc(n + 1, sizeof(*req));
	char **vals = xcalloc(n + 1, sizeof(*vals)), **warns = xcalloc(n + 1, sizeof(*warns));
	size_t nreq = 0;
	int rc = 0;
	struct apply_entry *ap = NULL;
	for (size_t i = 0; i < n && !rc; i++) {
		json_object *e = json_object_array_get_idx(applied, i), *k, *v, *pp;
		json_object_object_get_ex(e, "sysctl", &k);
		if (!json_object_object_get_ex(e, "previous", &v) || !jstring(v))
			continue;
		/* A pair member at 0 beside its partner's own entry: that entry
		 * holds the value in use, and restores the pair. */
		const char *partner = sysctl_catalog_lookup(jstring(k))->partner;
		if (partner && !nonzero_int(jstring(v)) && partner_recorded(applied, partner))
			continue;
		const char *pprev = json_object_object_get_ex(e, "partner_previous", &pp) ? jstring(pp) : NULL;
		const char *key;
		rc = restore_value(rep, jstring(k), jstring(v), pprev, h, nohost, &key, &vals[nreq], &warns[nreq], d);
		if (rc)
			break;
		size_t j = 0;
		while (j < nreq && strcmp(req[j].sysctl, key))
			j++;
		if (j < nreq) { /* the pair's default state, once */
			free(vals[nreq]);
			free(warns[nreq]);
			vals[nreq] = warns[nreq] = NULL;
			continue;
		}
		req[nreq] = (struct apply_req){key, vals[nreq]};
		nreq++;
	}
	for (size_t i = 0; i < nreq && !rc; i++)
		if (warns[i])
			ansible_result_warn(r, "%s", warns[i]);
	if (rc)
		goto out;
	if (!a->check && nreq)
		apply_under(a->root, req, nreq, &ap);
	*restored = ansible_result_entries(req, nreq, ap, "would-restore");
	for (size_t i = 0; ap && i < nreq; i++)
		if (ap[i].result != APPLY_APPLIED)
			ansible_result_warn(r, "%s: could not restore %s: %s", req[i].sysctl, req[i].value,
					    apply_result_name(ap[i].result));
	apply_entries_free(ap, ap ? nreq : 0);
	*nrestored = nreq;
out:
	for (size_t i = 0; i < nreq; i++) {
		free(vals[i]);
		free(warns[i]);
	}
	free(vals);
	free(warns);
	free(req);
	json_object_put(applied);
	return rc;
}

int ansible_host_file(const struct ansible_args *a, const char *host_path, char **out, struct diag_list *d)
{
	if (!strcmp(a->root, "/")) {
		*out = xstrdup(host_path);
		return 0;
	}
	struct root r;
	int rc = root_open(&r, a->root);
	if (!rc) {
		rc = root_path(&r, host_path, out);
		root_close(&r);
	}
	/* An absent directory cannot lead anywhere: the writers say so in
	 * their own words (and check mode writes no report at all). */
	if (rc == -ENOENT) {
		*out = xasprintf("%s%s", a->root, host_path);
		return 0;
	}
	if (rc)
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "%s under %s: %s", host_path, a->root, fileio_strerror(rc));
	return rc;
}

int ansible_absent(const struct ansible_args *a, const struct host *h, const char *nohost, struct ansible_result *r,
		   char **msg, struct diag_list *d)
{
	char *frag = NULL, *rep = NULL;
	char *text = NULL;
	size_t len = 0;
	json_object *restored = NULL;
	int rc = ansible_host_file(a, a->dest, &frag, d);
	if (!rc && a->report)
		rc = ansible_host_file(a, a->report, &rep, d);
	if (rc)
		goto out;
	rc = file_read(frag, 1u << 24, &text, &len);
	bool exists = !rc;
	if (rc && rc != -ENOENT) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot read %s: %s", frag, fileio_strerror(rc));
		goto out;
	}
	rc = 0;
	if (exists && !strstr(text, FRAGMENT_MARKER) && !a->force) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "%s was not written by reclaim-advisor (no \"%s\" header); not removing it "
			 "(force: true to remove it)",
			 frag, FRAGMENT_MARKER);
		rc = -EEXIST;
		goto out;
	}
	/* The report is removed too, read once: the same refusal when it is
	 * not ours, and the values to restore from it. */
	char *rtext = NULL;
	size_t rlen = 0;
	bool rep_exists = rep && access(rep, F_OK) == 0;
	bool rep_read = rep_exists && !file_read(rep, 1u << 24, &rtext, &rlen);
	if (rep_exists && !a->force && (!rep_read || !render_is_ours(rtext, rlen))) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "%s was not written by reclaim-advisor; not removing it (force: true to remove it)", rep);
		free(rtext);
		rc = -EEXIST;
		goto out;
	}
	size_t nreq = 0;
	rc = restore(a, rep, rtext, rlen, h, nohost, r, &restored, &nreq, d);
	free(rtext);
	if (rc)
		goto out;
	r->changed = exists || nreq || rep_exists;
	if (!a->check) {
		if (exists && unlink(frag) && errno != ENOENT) {
			rc = -errno;
			diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot remove %s: %s", frag, strerror(errno));
			goto out;
		}
		if (rep_exists && unlink(rep) && errno != ENOENT)
			ansible_result_warn(r, "cannot remove the report");
	}
	ansible_result_diff(r, a->dest, exists ? text : "", "");
	json_object_object_add(r->o, "fragment", json_object_new_string(a->dest));
	json_object_object_add(r->o, "removed", json_object_new_boolean(exists && !a->check));
	json_object_object_add(r->o, "restored", restored);
	restored = NULL;
	*msg = !r->changed ? xasprintf("%s is absent; nothing to restore", a->dest)
			   : xasprintf("%s %s; %zu live value(s) %s", a->dest,
				       exists ? (a->check ? "would be removed" : "removed") : "was absent", nreq,
				       a->check ? "would be restored" : "restored");
out:
	json_object_put(restored);
	free(text);
	free(frag);
	free(rep);
	return rc;
}
