/* prom: node_exporter textfile rendering (contract in prom.h).
 *
 * The exposition format (prometheus/docs exposition_formats.md): one
 * "# HELP name text" and one "# TYPE name type" line per family, before its
 * samples; label values escape backslash, double quote and newline; a
 * sample value is a Go float (we print integers exactly and doubles with %.9g,
 * never NaN or Inf: a non-finite rate is left out instead). */
#include "prom.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define P "reclaim_advisor_"

void prom_escape_label(struct buf *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			buf_puts(out, "\\\\");
		else if (*s == '"')
			buf_puts(out, "\\\"");
		else if (*s == '\n')
			buf_puts(out, "\\n");
		else
			buf_putc(out, *s);
	}
}

static void family(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_printf(out, "# HELP " P "%s %s\n# TYPE " P "%s %s\n", name, help, name, type);
}

static void num(struct buf *out, double v)
{
	if (v == floor(v) && fabs(v) < 9e15)
		buf_printf(out, " %" PRId64 "\n", (int64_t)v);
	else
		buf_printf(out, " %.9g\n", v);
}

/* A sysctl value as one number, or false for "256 256 32" and words. */
static bool value_number(const char *s, double *out)
{
	if (!s || !*s)
		return false;
	char *end;
	long long v = strtoll(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end)
		return false;
	*out = (double)v;
	return true;
}

typedef const char *(*key_value_fn)(const struct audit_key *k);

static const char *k_live(const struct audit_key *k) { return k->live; }
static const char *k_expected(const struct audit_key *k) { return k->expected; }
static const char *k_boot(const struct audit_key *k) { return k->boot ? k->boot : k->boot_default; }

static void sysctl_family(struct buf *out, const struct audit *a, const char *name, const char *help,
			  key_value_fn get)
{
	bool any = false;
	double v;
	for (size_t i = 0; i < a->nkeys; i++) {
		if (!value_number(get(&a->keys[i]), &v))
			continue;
		if (!any)
			family(out, name, "gauge", help);
		any = true;
		buf_printf(out, P "%s{sysctl=\"", name);
		prom_escape_label(out, a->keys[i].sysctl);
		buf_puts(out, "\"}");
		num(out, v);
	}
}

enum wm { WM_MIN, WM_BUFFER, WM_TARGET, WM_BOOST, WM_FREE };

static bool zone_value(const struct zone *z, enum wm w, int64_t *pages)
{
	switch (w) {
	case WM_MIN:
		*pages = z->min;
		return z->min != ZONE_ABSENT;
	case WM_BUFFER:
		*pages = z->low - z->min;
		return z->low != ZONE_ABSENT && z->min != ZONE_ABSENT;
	case WM_TARGET:
		*pages = z->high - z->low;
		return z->high != ZONE_ABSENT && z->low != ZONE_ABSENT;
	case WM_BOOST:
		*pages = z->boost;
		return z->boost != ZONE_ABSENT;
	case WM_FREE:
		*pages = z->free;
		return z->free != ZONE_ABSENT;
	}
	return false;
}

static void zone_family(struct buf *out, const struct host *h, int64_t page_size, enum wm w,
			const char *name, const char *help)
{
	bool any = false;
	for (size_t i = 0; i < h->zi.nzones; i++) {
		const struct zone *z = &h->zi.zones[i];
		int64_t pages;
		/* An empty zone (no managed pages) has no watermarks worth showing. */
		if ((z->managed != ZONE_ABSENT && z->managed == 0) ||
		    (z->managed == ZONE_ABSENT && z->present == 0))
			continue;
		if (!zone_value(z, w, &pages))
			continue;
		if (!any)
			family(out, name, "gauge", help);
		any = true;
		buf_printf(out, P "%s{node=\"%d\",zone=\"", name, z->node);
		prom_escape_label(out, z->name);
		buf_printf(out, "\"} %" PRId64 "\n", pages * page_size);
	}
}

void prom_render(const struct audit *a, const struct host *h, const char *version, struct buf *out)
{
	family(out, "info", "gauge", "Tool version, rule-set digest and profile of the audit that wrote this file.");
	buf_puts(out, P "info{version=\"");
	prom_escape_label(out, version ? version : "");
	buf_puts(out, "\",ruleset_digest=\"");
	prom_escape_label(out, a->ruleset_digest ? a->ruleset_digest : "");
	buf_puts(out, "\",profile=\"");
	prom_escape_label(out, a->profile ? a->profile : "");
	buf_puts(out, "\"} 1\n");

	family(out, "audit_status", "gauge",
	       "Audit status as the monitoring-plugin exit code: 0 ok, 1 warning, 2 critical, 3 unknown.");
	buf_printf(out, P "audit_status %d\n", (int)a->status);

	family(out, "keys", "gauge", "Audited sysctl keys per state.");
	for (int s = 0; s < AST_COUNT; s++)
		buf_printf(out, P "keys{state=\"%s\"} %zu\n", audit_state_name((enum audit_state)s), a->count[s]);

	sysctl_family(out, a, "sysctl_value", "Live value of the vm sysctl (numeric sysctls only).", k_live);
	sysctl_family(out, a, "sysctl_expected_value",
		      "Value the advice expects for the vm sysctl (recommendation or deployed fragment).",
		      k_expected);
	sysctl_family(out, a, "sysctl_boot_value",
		      "Value systemd-sysctl applies at the next boot (the kernel default when no file sets it).",
		      k_boot);
	if (a->nkeys) {
		family(out, "sysctl_compliant", "gauge",
		       "1 when the sysctl is compliant (live and boot values as expected), else 0; the state label says why.");
		for (size_t i = 0; i < a->nkeys; i++) {
			const struct audit_key *k = &a->keys[i];
			buf_puts(out, P "sysctl_compliant{sysctl=\"");
			prom_escape_label(out, k->sysctl);
			buf_printf(out, "\",state=\"%s\"} %d\n", audit_state_name(k->state),
				   k->state == AST_COMPLIANT || k->state == AST_NOT_APPLICABLE);
		}
	}

	if (h && h->zi.nzones) {
		int64_t ps = a->host.page_size > 0 ? a->host.page_size : 4096;
		zone_family(out, h, ps, WM_MIN, "watermark_min_bytes",
			    "Min watermark of the zone in bytes: the emergency reserve (vm.min_free_kbytes share).");
		zone_family(out, h, ps, WM_BUFFER, "watermark_kswapd_buffer_bytes",
			    "Low minus min watermark in bytes: how far kswapd runs ahead of direct reclaim.");
		zone_family(out, h, ps, WM_TARGET, "watermark_reclaim_target_bytes",
			    "High minus low watermark in bytes: what kswapd frees before it sleeps again.");
		zone_family(out, h, ps, WM_BOOST, "watermark_boost_bytes",
			    "Current watermark boost of the zone in bytes (vm.watermark_boost_factor).");
		zone_family(out, h, ps, WM_FREE, "zone_free_bytes", "Free memory of the zone in bytes.");
	}

	const struct audit_reclaim *r = &a->reclaim;
	if (r->has_allocstall && isfinite(r->allocstall_per_s)) {
		family(out, "direct_reclaim_stalls_per_second", "gauge",
		       "Direct reclaim entries (allocstall) per second over the rate window.");
		buf_puts(out, P "direct_reclaim_stalls_per_second");
		num(out, r->allocstall_per_s);
	}
	if (r->has_pgscan_direct && isfinite(r->pgscan_direct_bytes_per_s)) {
		family(out, "direct_scan_bytes_per_second", "gauge",
		       "Bytes scanned by direct reclaim per second over the rate window.");
		buf_puts(out, P "direct_scan_bytes_per_second");
		num(out, r->pgscan_direct_bytes_per_s);
	}
	if (r->has_pgscan_kswapd && isfinite(r->pgscan_kswapd_bytes_per_s)) {
		family(out, "kswapd_scan_bytes_per_second", "gauge",
		       "Bytes scanned by kswapd per second over the rate window.");
		buf_puts(out, P "kswapd_scan_bytes_per_second");
		num(out, r->pgscan_kswapd_bytes_per_s);
	}
	if (r->has_ratio && isfinite(r->direct_kswapd_ratio)) {
		family(out, "direct_kswapd_scan_ratio", "gauge",
		       "Pages scanned by direct reclaim per page scanned by kswapd (0 is ideal).");
		buf_puts(out, P "direct_kswapd_scan_ratio");
		num(out, r->direct_kswapd_ratio);
	}
	if (r->has_window && isfinite(r->window_s)) {
		family(out, "rate_window_seconds", "gauge",
		       "Length of the window the rates were computed over; kind is interval, baseline or since-boot.");
		buf_puts(out, P "rate_window_seconds{kind=\"");
		prom_escape_label(out, r->rate_kind ? r->rate_kind : "");
		buf_puts(out, "\"}");
		num(out, r->window_s);
	}
	if (r->has_oom) {
		family(out, "oom_kills_total", "counter", "OOM kills since boot (vmstat oom_kill, else the kernel log).");
		buf_printf(out, P "oom_kills_total %" PRId64 "\n", r->oom_kills);
	}

	size_t nf[3] = {0};
	for (size_t i = 0; i < a->nfindings; i++)
		if ((unsigned)a->findings[i].severity <= SEV_CRITICAL)
			nf[a->findings[i].severity]++;
	family(out, "findings", "gauge", "Reclaim findings of the audit per severity.");
	for (int s = SEV_INFO; s <= SEV_CRITICAL; s++)
		buf_printf(out, P "findings{severity=\"%s\"} %zu\n", audit_severity_name((enum severity)s),
			   nf[s]);
}
