/* rates: rate.* facts from two samples.  Contract in rates.h. */
#include "rates.h"
#include "derive.h"
#include "evidence.h"
#include "parse.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* rate fact <- vmstat sum (derive_vmstat_sum's names). */
static const struct {
	enum fact_id fact;
	const char *what;
} counters[] = {
	{F_RATE_PGALLOC, "pgalloc"},
	{F_RATE_ALLOCSTALL, "allocstall"},
	{F_RATE_PGSCAN_DIRECT, "pgscan_direct"},
	{F_RATE_PGSTEAL_DIRECT, "pgsteal_direct"},
	{F_RATE_PGSCAN_KSWAPD, "pgscan_kswapd"},
	{F_RATE_PGSTEAL_KSWAPD, "pgsteal_kswapd"},
	{F_RATE_KSWAPD_LOW_WMARK_HIT_QUICKLY, "kswapd_low_wmark_hit_quickly"},
	{F_RATE_COMPACT_STALL, "compact_stall"},
	{F_RATE_OOM_KILL, "oom_kill"},
	{F_RATE_PSWPIN, "pswpin"},
	{F_RATE_PSWPOUT, "pswpout"},
	{F_RATE_WORKINGSET_REFAULT, "workingset_refault"},
};
#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

struct sample {
	bool have[NCOUNTERS];
	int64_t v[NCOUNTERS];
	bool have_some, have_full; /* PSI totals, microseconds */
	int64_t some, full;
};

static void sample_from_facts(const struct facts *f, struct sample *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < NCOUNTERS; i++)
		s->have[i] = derive_vmstat_sum(f, counters[i].what, &s->v[i]) == 0;
	s->have_some = facts_get_int(f, F_PSI_SOME_TOTAL, &s->some) == 0;
	s->have_full = facts_get_int(f, F_PSI_FULL_TOTAL, &s->full) == 0;
}

static void all_absent(struct facts *f, const char *reason)
{
	facts_set_absent(f, F_RATE_KIND, reason);
	facts_set_absent(f, F_RATE_WINDOW_S, reason);
	facts_set_absent(f, F_RATE_ALLOC_BYTES, reason);
	facts_set_absent(f, F_RATE_PSI_SOME, reason);
	facts_set_absent(f, F_RATE_PSI_FULL, reason);
	for (size_t i = 0; i < NCOUNTERS; i++)
		facts_set_absent(f, counters[i].fact, reason);
	evidence_level(f);
}

static void psi_rate(struct facts *f, enum fact_id name, bool h0, int64_t v0, bool h1, int64_t v1,
		     double window, const char *src)
{
	if (!h0 || !h1)
		facts_set_absent(f, name, "PSI total absent in a sample");
	else if (v1 < v0)
		facts_set_absent(f, name, "PSI total went backwards");
	else
		/* total is in microseconds; the share of the window, in %. */
		facts_set_float(f, name, (double)(v1 - v0) / (window * 1e6) * 100.0, src);
}

static void set_rates(struct host *h, const char *kind, double window, const struct sample *s0,
		      const struct sample *s1, const char *src)
{
	struct facts *f = h->facts;
	facts_set_str(f, F_RATE_KIND, kind, src);
	facts_set_float(f, F_RATE_WINDOW_S, window, src);
	for (size_t i = 0; i < NCOUNTERS; i++) {
		if (!s0->have[i] || !s1->have[i]) {
			char *r = xasprintf("vmstat has no %s counter", counters[i].what);
			facts_set_absent(f, counters[i].fact, r);
			free(r);
		} else if (s1->v[i] < s0->v[i]) {
			facts_set_absent(f, counters[i].fact, "counter went backwards between samples");
		} else {
			facts_set_float(f, counters[i].fact, (double)(s1->v[i] - s0->v[i]) / window, src);
		}
	}
	double pg;
	int64_t ps;
	if (facts_get_num(f, F_RATE_PGALLOC, &pg) == 0 && facts_get_int(f, F_HOST_PAGE_SIZE, &ps) == 0)
		facts_set_float(f, F_RATE_ALLOC_BYTES, pg * (double)ps, src);
	else
		facts_set_absent(f, F_RATE_ALLOC_BYTES, "rate.pgalloc or host.page_size absent");
	psi_rate(f, F_RATE_PSI_SOME, s0->have_some, s0->some, s1->have_some, s1->some, window, src);
	psi_rate(f, F_RATE_PSI_FULL, s0->have_full, s0->full, s1->have_full, s1->full, window, src);
	evidence_level(f);
}

void rates_since_boot(struct host *h)
{
	double up;
	if (facts_get_num(h->facts, F_PROC_UPTIME, &up) || !(up > 0)) {
		const char *r = facts_reason(h->facts, F_PROC_UPTIME);
		char *reason = xasprintf("no uptime for since-boot averages (%s)",
					 r ? r : "proc.uptime not positive");
		all_absent(h->facts, reason);
		free(reason);
		return;
	}
	/* Every counter and PSI total starts at zero at boot. */
	struct sample s0, s1;
	sample_from_facts(h->facts, &s1);
	memset(&s0, 0, sizeof(s0));
	memcpy(s0.have, s1.have, sizeof(s0.have));
	s0.have_some = s1.have_some;
	s0.have_full = s1.have_full;
	set_rates(h, "since-boot", up, &s0, &s1, "since boot (proc/uptime)");
}

int rates_baseline(const struct host *earlier, struct host *h, struct diag_list *d)
{
	double u0, u1;
	const char *why = NULL;
	if (facts_get_num(earlier->facts, F_PROC_UPTIME, &u0))
		why = "the baseline has no proc/uptime";
	else if (facts_get_num(h->facts, F_PROC_UPTIME, &u1))
		why = "this capture has no proc/uptime";
	else if (!(u1 > u0))
		why = "the baseline's uptime is not smaller than this one's (a different boot?)";
	if (why) {
		diag_add(d, DIAG_ERROR, earlier->origin, 0, 0, "--baseline: %s", why);
		char *r = xasprintf("--baseline: %s", why);
		all_absent(h->facts, r);
		free(r);
		return -EINVAL;
	}
	/* Same host?  Only the kernel release can be compared cheaply; a
	 * different one means a reboot in between, which the uptime check
	 * normally catches, or another machine. */
	const char *k0 = facts_get_str(earlier->facts, F_KERNEL_OSRELEASE);
	const char *k1 = facts_get_str(h->facts, F_KERNEL_OSRELEASE);
	if (k0 && k1 && strcmp(k0, k1))
		diag_add(d, DIAG_WARNING, earlier->origin, 0, 0,
			 "--baseline: kernel %s there, %s here: is this the same host?", k0, k1);
	struct sample s0, s1;
	sample_from_facts(earlier->facts, &s0);
	sample_from_facts(h->facts, &s1);
	char *src = xasprintf("baseline %s", earlier->origin ? earlier->origin : "?");
	set_rates(h, "baseline", u1 - u0, &s0, &s1, src);
	free(src);
	return 0;
}

/* vmstat and PSI totals under r, into a throwaway fact store. */
static int sample_root(const struct root *r, struct sample *s, struct diag_list *d)
{
	struct facts *f = facts_new();
	char *buf = NULL;
	size_t len;
	struct kvlist kv = {0};
	int rc = root_read(r, "proc/vmstat", FILEIO_DEFAULT_CAP, &buf, &len);
	if (rc) {
		diag_add(d, DIAG_ERROR, "proc/vmstat", 0, 0, "cannot read: %s", strerror(-rc));
		goto out;
	}
	rc = vmstat_parse(buf, len, "proc/vmstat", &kv, d);
	free(buf);
	buf = NULL;
	if (rc)
		goto out;
	for (size_t i = 0; i < kv.n; i++) {
		char *name = xasprintf("vmstat.%s", kv.v[i].key);
		struct value v = {.type = FACT_INT, .u.i = kv.v[i].value};
		facts_put(f, name, &v, "proc/vmstat"); /* a vmstat. member: always an int */
		free(name);
	}
	kvlist_free(&kv);
	struct psi p;
	if (root_read(r, "proc/pressure/memory", 1u << 20, &buf, &len) == 0) {
		struct diag_list tmp = {0};
		if (psi_parse(buf, len, "proc/pressure/memory", &p, &tmp) == 0) {
			if (p.some.present)
				facts_set_int(f, F_PSI_SOME_TOTAL, (int64_t)p.some.total, "psi");
			if (p.full.present)
				facts_set_int(f, F_PSI_FULL_TOTAL, (int64_t)p.full.total, "psi");
		}
		diag_list_clear(&tmp);
		free(buf);
	}
	sample_from_facts(f, s);
out:
	facts_free(f);
	return rc;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int rates_interval(const struct root *r, double seconds, struct host *h, struct diag_list *d)
{
	struct sample s0, s1;
	if (!(seconds > 0) || !isfinite(seconds)) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "--interval must be a positive number of seconds");
		return -EINVAL;
	}
	double t0 = now_s();
	int rc = sample_root(r, &s0, d);
	if (rc)
		return rc;
	struct timespec req = {.tv_sec = (time_t)seconds,
			       .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9)};
	while (nanosleep(&req, &req) == -1 && errno == EINTR)
		;
	double t1 = now_s();
	rc = sample_root(r, &s1, d);
	if (rc)
		return rc;
	char *src = xasprintf("interval %.3gs (proc/vmstat, proc/pressure/memory)", seconds);
	set_rates(h, "interval", t1 - t0, &s0, &s1, src);
	free(src);
	return 0;
}
