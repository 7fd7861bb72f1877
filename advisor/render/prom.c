/* prom: node_exporter textfile rendering (contract in prom.h).
 *
 * The exposition format (prometheus/docs exposition_formats.md): one
 * "# HELP name text" and one "# TYPE name type" line per family, before its
 * samples; label values escape backslash, double quote and newline; a
 * sample value is a Go float (we print integers exactly and doubles with %.9g,
 * never NaN or Inf: a non-finite value is left out instead). */
#include "prom.h"

#include "../base/xalloc.h"
#include "../model/sysctl_catalog.h"

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

bool prom_instance_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 64 || name[0] == '.')
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '.' || *p == '-'))
			return false;
	return true;
}

/* One sample at a time: begin() writes the name and the audit label,
 * label() adds one more, value() closes the braces and ends the line. */
struct emit {
	struct buf *out;
	const char *instance;
	int nlabels;
};

static void family(struct emit *e, const char *name, const char *type, const char *help)
{
	buf_printf(e->out, "# HELP " P "%s %s\n# TYPE " P "%s %s\n", name, help, name, type);
}

static void begin(struct emit *e, const char *name)
{
	buf_printf(e->out, P "%s", name);
	e->nlabels = 0;
	if (e->instance) {
		buf_puts(e->out, "{audit=\"");
		prom_escape_label(e->out, e->instance);
		buf_putc(e->out, '"');
		e->nlabels = 1;
	}
}

static void label(struct emit *e, const char *k, const char *v)
{
	buf_printf(e->out, "%s%s=\"", e->nlabels++ ? "," : "{", k);
	prom_escape_label(e->out, v);
	buf_putc(e->out, '"');
}

static void value(struct emit *e, double v)
{
	if (e->nlabels)
		buf_putc(e->out, '}');
	if (v == floor(v) && fabs(v) < 9e15)
		buf_printf(e->out, " %" PRId64 "\n", (int64_t)v);
	else
		buf_printf(e->out, " %.9g\n", v);
}

/* ------------------------------------------------------------ sysctls */

/* The states of reclaim_advisor_sysctl_state: the audit's, then
 * "unmanaged" for a key the advice does not cover this time. */
#define PROM_UNMANAGED AST_COUNT
#define PROM_NSTATES (AST_COUNT + 1)

static const char *prom_state_name(int s)
{
	return s == PROM_UNMANAGED ? "unmanaged" : audit_state_name((enum audit_state)s);
}

struct pkey {
	const char *name;
	const struct audit_key *k;      /* NULL: not audited */
	const struct sysctl_def *def;   /* NULL: not in the catalog */
};

static int pkey_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pkey *)a)->name, ((const struct pkey *)b)->name);
}

/* Every catalog key plus the audit's others, sorted by name. */
static struct pkey *key_set(const struct audit *a, size_t *n)
{
	size_t nc = 0;
	const struct sysctl_def *cat = sysctl_catalog(&nc);
	struct pkey *v = xcalloc(nc + a->nkeys + 1, sizeof(*v));
	size_t m = 0;
	for (size_t i = 0; i < nc; i++)
		v[m++] = (struct pkey){.name = cat[i].name, .def = &cat[i]};
	for (size_t i = 0; i < a->nkeys; i++) {
		const struct audit_key *k = &a->keys[i];
		size_t j = 0;
		while (j < m && strcmp(v[j].name, k->sysctl))
			j++;
		if (j == m)
			v[m++] = (struct pkey){.name = k->sysctl, .def = sysctl_catalog_lookup(k->sysctl)};
		v[j].k = k;
	}
	qsort(v, m, sizeof(*v), pkey_cmp);
	*n = m;
	return v;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* The factor from the kernel's unit to the base unit. */
static double base_factor(const struct pkey *p)
{
	enum fact_unit u = p->def ? p->def->unit : UNIT_NONE;
	if (u == UNIT_KB || (!p->def && ends_with(p->name, "_kbytes")))
		return 1024.0;
	if (u == UNIT_CENTISECS || (!p->def && ends_with(p->name, "_centisecs")))
		return 0.01;
	if (u == UNIT_PERCENT)
		return 0.01;
	return 1.0;
}

/* A sysctl value as one number, or false for "256 256 32" and words. */
static bool value_number(const char *s, double *out)
{
	if (!s || !*s)
		return false;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s)
		return false;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end)
		return false;
	*out = (double)v;
	return true;
}

enum which { LIVE, EXPECTED, BOOT };

static bool key_value(const struct pkey *p, const struct host *h, enum which w, double *out)
{
	double v;
	const struct audit_key *k = p->k;
	switch (w) {
	case LIVE:
		if (k) {
			if (!value_number(k->live, &v))
				return false;
		} else if (!h || !h->facts || !p->def || facts_get_num(h->facts, p->def->fact, &v)) {
			return false;
		}
		break;
	case EXPECTED:
		if (!k || !value_number(k->expected, &v))
			return false;
		break;
	case BOOT:
		if (!k || !value_number(k->boot ? k->boot : k->boot_default, &v))
			return false;
		break;
	}
	v *= base_factor(p);
	if (!isfinite(v))
		return false;
	*out = v;
	return true;
}

static void sysctl_family(struct emit *e, const struct pkey *keys, size_t n, const struct host *h,
			  enum which w, const char *name, const char *help)
{
	bool any = false;
	double v;
	for (size_t i = 0; i < n; i++) {
		if (!key_value(&keys[i], h, w, &v))
			continue;
		if (!any)
			family(e, name, "gauge", help);
		any = true;
		begin(e, name);
		label(e, "sysctl", keys[i].name);
		value(e, v);
	}
}

static void sysctl_families(struct emit *e, const struct audit *a, const struct host *h)
{
	size_t n = 0;
	struct pkey *keys = key_set(a, &n);
	bool unknown = a->status == ASTATUS_UNKNOWN;

	family(e, "sysctl_state", "gauge",
	       "1 for the audit state of the sysctl, 0 for the other states; unmanaged: the advice does "
	       "not cover the key; all 0 when the audit is unknown.");
	for (size_t i = 0; i < n; i++) {
		int st = unknown ? -1 : keys[i].k ? (int)keys[i].k->state : PROM_UNMANAGED;
		for (int s = 0; s < PROM_NSTATES; s++) {
			begin(e, "sysctl_state");
			label(e, "sysctl", keys[i].name);
			label(e, "state", prom_state_name(s));
			value(e, s == st);
		}
	}
	family(e, "sysctl_compliant", "gauge",
	       "1 when the sysctl is compliant, not applicable or not covered by the advice, else 0 "
	       "(also 0 when the audit is unknown).");
	for (size_t i = 0; i < n; i++) {
		const struct audit_key *k = keys[i].k;
		bool ok = !unknown && (!k || k->state == AST_COMPLIANT || k->state == AST_NOT_APPLICABLE);
		begin(e, "sysctl_compliant");
		label(e, "sysctl", keys[i].name);
		value(e, ok);
	}
	sysctl_family(e, keys, n, h, LIVE, "sysctl_value",
		      "Live value of the vm sysctl in base units (kbytes as bytes, centisecs as seconds, "
		      "percentages as 0..1 ratios; numeric sysctls only).");
	sysctl_family(e, keys, n, h, EXPECTED, "sysctl_expected_value",
		      "Value the advice expects for the vm sysctl (recommendation or deployed fragment), "
		      "in base units like reclaim_advisor_sysctl_value.");
	sysctl_family(e, keys, n, h, BOOT, "sysctl_boot_value",
		      "Value systemd-sysctl applies at the next boot (the kernel default when no file sets it), "
		      "in base units like reclaim_advisor_sysctl_value.");
	free(keys);
}

/* -------------------------------------------------------------- zones */

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

static void zone_family(struct emit *e, const struct host *h, int64_t page_size, enum wm w,
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
			family(e, name, "gauge", help);
		any = true;
		char node[24];
		snprintf(node, sizeof(node), "%d", z->node);
		begin(e, name);
		label(e, "node", node);
		label(e, "zone", z->name);
		value(e, (double)pages * (double)page_size);
	}
}

/* ----------------------------------------------------------- counters */

/* Since-boot reclaim counters (the derived totals sum the per-zone
 * allocstall_* and the pgscan/pgsteal variants, collect/derive.c).  Bytes
 * for pages: a counter of bytes stays a counter. */
static const struct {
	enum fact_id fact;
	const char *name, *help;
	bool pages;
} counters[] = {
	{F_RECLAIM_ALLOCSTALL_TOTAL, "direct_reclaim_stalls_total",
	 "Direct reclaim entries since boot (vmstat allocstall*): an allocating task stalled to reclaim itself.", false},
	{F_RECLAIM_PGSCAN_DIRECT_TOTAL, "direct_scanned_bytes_total",
	 "Bytes scanned by direct reclaim since boot (vmstat pgscan_direct x page size).", true},
	{F_RECLAIM_PGSTEAL_DIRECT_TOTAL, "direct_reclaimed_bytes_total",
	 "Bytes reclaimed by direct reclaim since boot (vmstat pgsteal_direct x page size).", true},
	{F_RECLAIM_PGSCAN_KSWAPD_TOTAL, "kswapd_scanned_bytes_total",
	 "Bytes scanned by kswapd since boot (vmstat pgscan_kswapd x page size).", true},
	{F_RECLAIM_PGSTEAL_KSWAPD_TOTAL, "kswapd_reclaimed_bytes_total",
	 "Bytes reclaimed by kswapd since boot (vmstat pgsteal_kswapd x page size).", true},
};

static void counter_families(struct emit *e, const struct host *h, int64_t page_size)
{
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		int64_t v;
		if (facts_get_int(h->facts, counters[i].fact, &v) || v < 0)
			continue;
		family(e, counters[i].name, "counter", counters[i].help);
		begin(e, counters[i].name);
		value(e, counters[i].pages ? (double)v * (double)page_size : (double)v);
	}
}

/* ---------------------------------------------------------------- all */

void prom_render(const struct audit *a, const struct host *h, const struct prom_opts *o, struct buf *out)
{
	struct emit e = {.out = out, .instance = o ? o->instance : NULL};

	family(&e, "info", "gauge", "Tool version, rule-set digest and profile of the audit that wrote this file.");
	begin(&e, "info");
	label(&e, "version", o && o->version ? o->version : "");
	label(&e, "ruleset_digest", a->ruleset_digest ? a->ruleset_digest : "");
	label(&e, "profile", a->profile ? a->profile : "");
	value(&e, 1);

	family(&e, "audit_status", "gauge",
	       "Audit status as the monitoring-plugin exit code: 0 ok, 1 warning, 2 critical, 3 unknown.");
	begin(&e, "audit_status");
	value(&e, (int)a->status);

	family(&e, "keys", "gauge", "Audited sysctl keys per state.");
	for (int s = 0; s < AST_COUNT; s++) {
		begin(&e, "keys");
		label(&e, "state", audit_state_name((enum audit_state)s));
		value(&e, (double)a->count[s]);
	}

	size_t nf[3] = {0};
	for (size_t i = 0; i < a->nfindings; i++)
		if ((unsigned)a->findings[i].severity <= SEV_CRITICAL)
			nf[a->findings[i].severity]++;
	family(&e, "findings", "gauge", "Reclaim findings of the audit per severity.");
	for (int s = SEV_INFO; s <= SEV_CRITICAL; s++) {
		begin(&e, "findings");
		label(&e, "severity", severity_name((enum severity)s));
		value(&e, (double)nf[s]);
	}

	sysctl_families(&e, a, h);

	int64_t ps = a->host.page_size > 0 ? a->host.page_size : 4096;
	if (h && h->zi.nzones) {
		zone_family(&e, h, ps, WM_MIN, "watermark_min_bytes",
			    "Min watermark of the zone in bytes: the emergency reserve (vm.min_free_kbytes share).");
		zone_family(&e, h, ps, WM_BUFFER, "watermark_kswapd_buffer_bytes",
			    "Low minus min watermark in bytes: how far kswapd runs ahead of direct reclaim.");
		zone_family(&e, h, ps, WM_TARGET, "watermark_reclaim_target_bytes",
			    "High minus low watermark in bytes: what kswapd frees before it sleeps again.");
		zone_family(&e, h, ps, WM_BOOST, "watermark_boost_bytes",
			    "Current watermark boost of the zone in bytes (vm.watermark_boost_factor).");
		zone_family(&e, h, ps, WM_FREE, "zone_free_bytes", "Free memory of the zone in bytes.");
	}
	if (h && h->facts)
		counter_families(&e, h, ps);
}
