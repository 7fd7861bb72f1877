/* The shipped rule set (rules/NN-topic.ini and rules/profiles/NAME.ini) against real
 * captures (issue 6).
 *
 * 1. Every shipped rule, found by iterating over the loaded rule set (a new
 *    rule without a row in `cases` fails the suite): one fixture where it
 *    fires (a decision, a loser or a finding) and one where its `when` is
 *    evaluated and false, both through host_load + wmark_add_facts +
 *    engine_run with the shipped rules and the rule's profile.
 * 2. The sweep: every capture in fixtures/captures, fixtures/qemu/CASE/before
 *    and after, fixtures/live-fc-6.18 and every fixtures/derived case under every shipped
 *    profile: the engine finishes, every recommended value lies inside the
 *    kernel's legal range and the catalog's safety bounds, a low-confidence
 *    change only happens under pressure, and a host with no sign of pressure
 *    gets no watermark change (the only exceptions being the two bound
 *    corrections, reserve-below-kernel-floor and reserve-oversized).
 * 3. Direct reclaim, classified before anything is prescribed (issue 13):
 *    compaction-driven (profihost 4.19, ubuntu14.04 3.13, the node_exporter
 *    composite) gets no watermark change, weak evidence (pcp-qa-005, a
 *    since-boot average over 30 s) is held at low confidence, and order-0
 *    kswapd lag measured over a window gets a wider gap sized from the
 *    host's own numbers, the arithmetic in the reason.  The panel
 *    (tests/panel/) checks the diagnosis on 38 hosts end to end.
 *
 * Fixtures under fixtures/derived/ say in their SOURCE.md how they were made
 * (QEMU guests run for these tests, or a real capture with one documented
 * change).  The kernel-log samples in fixtures/klog/ are the parser
 * engineer's, written from the kernel's message formats. */
#include "history/history.h"
#include "sim/sim.h"
#include "sim/sim_facts.h"
#include "testutil.h"

#include "base/xalloc.h"
#include "collect/load.h"
#include "collect/parse.h"
#include "collect/host.h"
#include "model/wmark_facts.h"
#include "rules/engine.h"
#include "rules/profile.h"
#include "model/sysctl_catalog.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


#define CAP "fixtures/captures/"
#define DER "fixtures/derived/"
#define QEMU "fixtures/qemu/"

/* A host as the tests load it: a tree, optionally a baseline tree (rates
 * over the uptime difference) and a kernel log. */
struct hostspec {
	const char *root;
	const char *baseline;
	const char *klog;
};

/* A root written "ROOT|HISTORY" also loads a recorded history and adds the
 * simulator's sim.* facts, as `recommend --history HISTORY` does (a
 * separator rather than a fourth field keeps every case above as it was). */
#define WITH_HISTORY(root, history) root "|" history

static struct ruleset *g_rs;

static int load_rules(void **state)
{
	(void)state;
	struct diag_list d = {0};
	struct ruleset_opts ro = {.rules_dir = "rules", .sysconf_dir = "/nonexistent"};
	if (ruleset_load(&ro, &g_rs, &d)) {
		diag_print_all(stderr, &d);
		diag_list_clear(&d);
		return -1;
	}
	diag_list_clear(&d);
	return 0;
}

static int free_rules(void **state)
{
	(void)state;
	ruleset_free(g_rs);
	g_rs = NULL;
	return 0;
}

static void load_host(const struct hostspec *hs, struct host *h)
{
	memset(h, 0, sizeof(*h));
	const char *bar = strchr(hs->root, '|');
	char *root = bar ? strndup(hs->root, (size_t)(bar - hs->root)) : strdup(hs->root);
	const char *history = bar ? bar + 1 : NULL;
	struct host_source o = {.root = root, .baseline = hs->baseline, .kernel_log = hs->klog};
	if (tu_load_failed(&o, h))
		fail_msg("host_load %s failed", hs->root);
	struct diag_list d = {0};
	wmark_add_facts(h, NULL, &d);
	if (history) {
		struct history hist;
		struct sim_result r;
		struct sim_opts so = {.target_pct = 1, .search = true};
		if (hist_read(history, &hist, &d) || sim_run(&hist, &so, &r, &d)) {
			diag_print_all(stderr, &d);
			fail_msg("history %s does not simulate", history);
		}
		char src[600];
		snprintf(src, sizeof(src), "whatif --history %s", hist.origin);
		sim_add_facts(h->facts, src, &r);
		sim_result_free(&r);
		hist_free(&hist);
	} else {
		sim_absent_facts(h->facts, "no history");
	}
	/* our deployed fragment, as advise reads it (fragment.vm.* facts: the
	 * -kept rules keep its values without the history) */
	char *frag = xasprintf("%s/etc/sysctl.d/60-reclaim-advisor.conf", root);
	struct stat st;
	if (stat(frag, &st) == 0) {
		size_t len;
		char *buf = tu_read(frag, &len);
		struct strkvlist kv = {0};
		if (sysctl_dump_parse(buf, len, frag, true, &kv, &d))
			fail_msg("%s does not parse", frag);
		for (size_t i = 0; i < kv.n; i++) {
			char *name = xasprintf("fragment.%s", kv.v[i].key);
			struct value v = {.type = FACT_INT, .u.i = strtoll(kv.v[i].value, NULL, 10)};
			assert_int_equal(facts_put(h->facts, name, &v, frag), 0);
			free(name);
		}
		strkvlist_free(&kv);
		free(buf);
	}
	free(frag);
	diag_list_clear(&d);
	free(root);
}

static struct plan *run(const struct hostspec *hs, const char *profile, struct host *h)
{
	struct diag_list d = {0};
	struct profile *p = NULL;
	if (profile_load(g_rs, profile, &p, &d)) {
		diag_print_all(stderr, &d);
		fail_msg("profile %s does not load", profile);
	}
	diag_list_clear(&d);
	load_host(hs, h);
	struct plan *plan = NULL;
	assert_int_equal(engine_run(g_rs, p, h, NULL, &plan), 0);
	profile_free(p);
	return plan;
}

static const struct decision *find_dec(const struct plan *p, const char *sysctl)
{
	for (size_t i = 0; i < p->nd; i++)
		if (!strcmp(p->d[i].sysctl, sysctl))
			return &p->d[i];
	return NULL;
}

static const struct skipped *find_skip(const struct plan *p, const char *rule)
{
	for (size_t i = 0; i < p->ns; i++)
		if (!strcmp(p->s[i].rule, rule))
			return &p->s[i];
	return NULL;
}

/* Did rule id fire: the winner of a decision, a loser in one, or a finding? */
static bool fired(const struct plan *p, const char *id)
{
	for (size_t i = 0; i < p->nd; i++) {
		if (!strcmp(p->d[i].rule, id))
			return true;
		for (size_t k = 0; k < p->d[i].nlosers; k++)
			if (!strcmp(p->d[i].losers[k].rule, id))
				return true;
	}
	for (size_t i = 0; i < p->nf; i++)
		if (!strcmp(p->f[i].rule, id))
			return true;
	return false;
}

/* ---- 1. every rule fires somewhere and is false somewhere ------------- */

struct rule_case {
	const char *rule;
	const char *profile;
	struct hostspec fire, quiet;
	const char *fire_value; /* when set: the recommended value where it fires */
};

#define ZRAM DER "qemu-6.1-512m-zram-direct-reclaim/"
#define WSF500 DER "qemu-6.1-512m-zram-wsf500-direct-reclaim/"
#define THRASH DER "qemu-6.1-512m-zram-1cpu-thrashing/"
#define TWONODE DER "qemu-6.1-2node-2x1g-zone-reclaim/"
#define ADMIN DER "qemu-6.1-1g-panic-on-oom-overcommit2/"
#define LIVE "fixtures/live-fc-6.18"
#define CENTOS CAP "centos-stream9-5.14-x86_64-do-droplet"
#define PROFIHOST CAP "lkml-2019-profihost-4.19-x86_64-16g-vm"
#define UBUNTU14 CAP "ubuntu14.04-3.13-x86_64-8g-swap-allocstall"
#define DEBIAN11 CAP "debian11-5.10-x86_64-vm-2g-swap"
#define RHEL8 CAP "rhel8-coreos-sosreport-4.18-x86_64"
#define QEMU1G QEMU "6.1-1g-thp-wsf200/before"
#define KLOG "fixtures/klog/dmesg-5.10-x86_64.txt"
#define NOWAIT "fixtures/klog/lkml-2019-urezki-5.2rc3-gfp-nowait.txt"
#define COMPACT DER "qemu-6.1-1g-thp-compaction/"
#define MEMCGOOM DER "qemu-6.1-1g-memcg-oom/"
#define MEMCGHIGH DER "qemu-6.1-1g-memcg-high/"

#define HIST61 "fixtures/histories/6.1-thp-never/"
#define REC "fixtures/histories/"
#define IDLEREC "fixtures/recordings/live-fc-6.18-idle.history"

static const struct rule_case cases[] = {
	/* 10-kswapd-headroom */
	{"kswapd-headroom-from-history", "general", {WITH_HISTORY(HIST61 "end", HIST61 "history"), NULL, NULL},
	 {QEMU1G, NULL, NULL}, "270"},
	/* the idle recording (wsf 100) is short: sim.confidence low, so the engine
	 * holds the live 10 (issue 13: no change at low confidence) */
	/* THP always: the memory budget stops at THP's floor; every profile says
	 * so, the latency profile goes under it (mfk 8192 + wsf 629) */
	{"kswapd-headroom-thp-floor-limit", "general",
	 {WITH_HISTORY(REC "6.1-thp-always-record2/end", REC "6.1-thp-always-record2/history"), NULL, NULL},
	 {WITH_HISTORY(REC "6.1-thp-never-record2/end", REC "6.1-thp-never-record2/history"), NULL, NULL}, "442"},
	{"kswapd-headroom-under-thp-floor", "latency",
	 {WITH_HISTORY(REC "6.1-thp-always-record2/end", REC "6.1-thp-always-record2/history"), NULL, NULL},
	 {WITH_HISTORY(REC "6.1-thp-never-record2/end", REC "6.1-thp-never-record2/history"), NULL, NULL}, "629"},
	/* our fragment's pair without the history; quiet on the tree without it */
	{"kswapd-headroom-under-thp-floor-kept", "latency", {DER "6.1-thp-always-latency-fragment", NULL, NULL},
	 {REC "6.1-thp-always-record2/end", NULL, NULL}, "629"},
	{"kswapd-headroom-from-history-keep", "general", {WITH_HISTORY(LIVE, IDLEREC), NULL, NULL},
	 {WITH_HISTORY(HIST61 "end", HIST61 "history"), NULL, NULL}, "10"},
	{"kswapd-headroom-from-rates", "general", {ZRAM "after", ZRAM "before", NULL}, {QEMU1G, NULL, NULL}, "28"},
	/* pcp-qa-005: 125 entries, no uptime: fires, and the engine holds it at
	 * the kernel default (low confidence); Profihost is compaction-driven */
	{"kswapd-headroom-from-counters", "general", {CAP "pcp-qa-005-x86_64-16g-laptop-4.13-allocstall", NULL, NULL},
	 {PROFIHOST, NULL, NULL}, "10"},
	/* Ubuntu 14.04 (3.13): fires, and the engine holds it (since-boot totals,
	 * no uptime: low); the 3.2 capture has no direct reclaim */
	{"kswapd-headroom-pre46", "general", {UBUNTU14, NULL, NULL}, {CAP "ubuntu12.04-3.2-x86_64-8g-swap", NULL, NULL},
	 "67584"},
	{"kswapd-headroom-keep", "general", {CENTOS, NULL, NULL}, {PROFIHOST, NULL, NULL}, "10"},
	/* a week without direct reclaim halves wsf 1000; the same capture
	 * with its real 15 s of uptime is too little evidence */
	{"kswapd-headroom-oversized", "general", {DER "qemu-6.12-1g-wsf1000-week-uptime", NULL, NULL},
	 {QEMU "6.12-1g-promo-wsf1000/after", NULL, NULL}, "500"},
	{"kswapd-headroom-above-ceiling", "general", {QEMU "6.12-1g-promo-wsf1000/after", NULL, NULL},
	 {QEMU "6.12-1g-promo-wsf1000/before", NULL, NULL}, "500"},
	/* 20-emergency-reserve: 4096 written by the guest vs the boot-time
	 * default 2008 (xilinx) that today's managed puts 1 kB higher */
	{"reserve-below-kernel-floor", "general", {QEMU "6.1-3g-q35-thp-never-mfk4096/after", NULL, NULL},
	 {CAP "xilinx-zynq-4.4-arm32-256m-cma", NULL, NULL}, NULL},
	{"reserve-atomic-failures", "general", {CENTOS, NULL, KLOG}, {CENTOS, NULL, NOWAIT}, "39497"},
	{"reserve-oversized", "general", {CAP "weiyang-blog-qemu-x86_64-4g-5.x-minfree-excerpts/minfree3000000", NULL, NULL},
	 {PROFIHOST, NULL, NULL}, NULL},
	/* 724 kB, the kernel's own default on a 32 MiB board, is below the
	 * catalog's 1 MiB floor: no keep decision (it would become a raise) */
	{"reserve-administrator-large", "general", {PROFIHOST, NULL, NULL}, {LIVE, NULL, NULL}, NULL},
	{"reserve-under-thp-floor", "latency",
	 {WITH_HISTORY(REC "6.1-thp-always-record2/end", REC "6.1-thp-always-record2/history"), NULL, NULL},
	 {WITH_HISTORY(REC "6.1-thp-never-record2/end", REC "6.1-thp-never-record2/history"), NULL, NULL}, "8192"},
	{"reserve-under-thp-floor-kept", "latency", {DER "6.1-thp-always-latency-fragment", NULL, NULL},
	 {REC "6.1-thp-always-record2/end", NULL, NULL}, "8192"},
	/* our fragment's 8192 where the pair does not apply: back to THP's
	 * floor.  The rule is fed the fragment's facts directly (load_host);
	 * advise hides another profile's fragment facts (advise.c,
	 * deployed_facts), so in the product it fires for the fragment of the
	 * profile itself (rule_partners.sh: latency-site, wsf waived later) */
	{"reserve-back-to-thp-floor", "general", {DER "6.1-thp-always-latency-fragment", NULL, NULL},
	 {REC "6.1-thp-always-record2/end", NULL, NULL}, "45056"},
	{"reserve-keep", "general", {PROFIHOST, NULL, NULL}, {CAP "arm720t-2.6.16-embedded", NULL, NULL}, "164231"},
	/* 30-watermark-boost */
	{"boost-off-zram", "general", {ZRAM "after", ZRAM "before", NULL}, {LIVE, NULL, NULL}, "0"},
	{"boost-off-cache-heavy", "general", {DER "live-fc-6.18-boost-visible", NULL, NULL}, {LIVE, NULL, NULL}, "0"},
	{"boost-keep-for-thp", "general", {QEMU1G, NULL, NULL}, {LIVE, NULL, NULL}, NULL},
	/* the benchmark's recordings: boosting seen and wsf raised; THP never
	 * turns it off beside wsf 445, THP always keeps it */
	{"boost-off-wide-buffer", "general",
	 {WITH_HISTORY(REC "6.1-thp-never-record2/end", REC "6.1-thp-never-record2/history"), NULL, NULL},
	 {WITH_HISTORY(REC "6.1-thp-always-record2/end", REC "6.1-thp-always-record2/history"), NULL, NULL}, "0"},
	/* our fragment's boost 0 kept without the history, on the tree it was
	 * applied to; quiet on the tree before */
	{"boost-off-wide-buffer-kept", "general", {DER "6.1-thp-never-general-applied", NULL, NULL},
	 {REC "6.1-thp-never-record2/end", NULL, NULL}, "0"},
	/* 35-compaction */
	{"compaction-thp-defrag", "general", {COMPACT "after", COMPACT "before", NULL}, {ZRAM "after", NULL, NULL}, NULL},
	{"compaction-thp-defrag-old", "general", {UBUNTU14, NULL, NULL}, {PROFIHOST, NULL, NULL}, NULL},

	/* 40-swap */
	{"swappiness-zram", "general", {ZRAM "after", ZRAM "before", NULL}, {LIVE, NULL, NULL}, "180"},
	{"swappiness-zram-old-kernel", "general", {DER "ubuntu14.04-3.13-zram", NULL, NULL}, {ZRAM "after", NULL, NULL},
	 "100"},
	{"page-cluster-zram", "general", {ZRAM "after", NULL, NULL}, {LIVE, NULL, NULL}, "0"},
	{"swappiness-database-disk", "database", {UBUNTU14, NULL, NULL}, {ZRAM "after", NULL, NULL}, "10"},
	{"anon-heavy-no-swap", "general", {PROFIHOST, NULL, NULL}, {CENTOS, NULL, NULL}, NULL},
	{"capacity-thrashing", "general", {THRASH "after", THRASH "before", NULL}, {ZRAM "after", ZRAM "before", NULL},
	 NULL},
	/* 50-dirty: the 128 GiB two-node Xeon lets 45 GiB get dirty */
	{"dirty-background-bytes", "general", {CAP "pcp-qa-002-x86_64-128g-2node-xeon-e5", NULL, NULL}, {CENTOS, NULL, NULL},
	 "536870912"},
	{"dirty-bytes", "general", {CAP "pcp-qa-002-x86_64-128g-2node-xeon-e5", NULL, NULL}, {CENTOS, NULL, NULL},
	 "2147483648"},
	/* 60-numa: the guest wrote zone_reclaim_mode=1 between its captures */
	/* desired 0 on every multi-node host, whatever the live value */
	{"zone-reclaim-off", "general", {TWONODE "after", NULL, NULL}, {CENTOS, NULL, NULL}, "0"},
	/* node 3 of the 4-node capture: 47 MiB free, below its high marks; node 0 has 20 GiB */
	{"numa-node-pressure", "general", {CAP "ncollectd-zoneinfo-3.10ish-x86_64-190g-4node", NULL, NULL},
	 {CAP "pcp-qa-002-x86_64-128g-2node-xeon-e5", NULL, NULL}, NULL},
	/* 70-oom-pressure */
	{"oom-kills", "general", {CAP "arm64-64k-4.18-256g-thp-leak-oom", NULL, NULL}, {PROFIHOST, NULL, NULL}, NULL},
	{"oom-kills-global", "general", {CENTOS, NULL, KLOG}, {MEMCGOOM "after", NULL, MEMCGOOM "guest/dmesg.txt"}, NULL},
	{"oom-kills-memcg", "general", {MEMCGOOM "after", NULL, MEMCGOOM "guest/dmesg.txt"}, {CENTOS, NULL, NULL}, NULL},
	{"memcg-throttled", "general", {MEMCGHIGH "after", MEMCGHIGH "before", NULL}, {COMPACT "after", NULL, NULL},
	 NULL},
	{"nowait-allocation-failures", "general", {CENTOS, NULL, NOWAIT}, {CENTOS, NULL, KLOG}, NULL},
	{"no-pressure", "general", {CENTOS, NULL, NULL}, {PROFIHOST, NULL, NULL}, NULL},
	{"weak-evidence", "general", {DER "qemu-6.1-512m-zram-3-stalls/after", DER "qemu-6.1-512m-zram-3-stalls/before",
	 NULL}, {ZRAM "after", ZRAM "before", NULL}, NULL},
	{"psi-full-stall", "general", {ZRAM "after", ZRAM "before", NULL}, {DEBIAN11, NULL, NULL}, NULL},
	{"psi-some-stall", "general", {THRASH "after", THRASH "before", NULL}, {DEBIAN11, NULL, NULL}, NULL},
	{"direct-reclaim-seen", "general", {PROFIHOST, NULL, NULL}, {CENTOS, NULL, NULL}, NULL},
	{"atomic-allocation-failures", "general", {CENTOS, NULL, KLOG}, {CENTOS, NULL, NULL}, NULL},
	/* 80-containers */
	{"container-host-keys", "general", {"fixtures/container-like", NULL, NULL}, {LIVE, NULL, NULL}, NULL},
	/* 90-workloads, each under its profile */
	/* kubelet's and Redis' requirements hold on every host of their
	 * profile (desired state, whatever the live value): no quiet case */
	{"kubelet-overcommit", "kubernetes-node", {LIVE, NULL, NULL}, {NULL, NULL, NULL}, "1"},
	{"kubelet-panic-on-oom", "kubernetes-node", {ADMIN "after", NULL, NULL}, {NULL, NULL, NULL}, "0"},
	{"kubelet-swap-node", "kubernetes-node", {UBUNTU14, NULL, NULL}, {LIVE, NULL, NULL}, NULL},
	{"redis-overcommit", "cache", {LIVE, NULL, NULL}, {NULL, NULL, NULL}, "1"},
	{"redis-thp", "cache", {QEMU1G, NULL, NULL}, {LIVE, NULL, NULL}, NULL},
	{"postgres-overcommit", "database", {ADMIN "before", NULL, NULL}, {ADMIN "after", NULL, NULL}, NULL},
	/* quiet before 4.6: no watermark_scale_factor to widen */
	{"latency-kswapd-headroom", "latency", {LIVE, NULL, NULL}, {UBUNTU14, NULL, NULL}, "100"},
	{"desktop-zram-headroom", "desktop-zram", {ZRAM "after", ZRAM "before", NULL}, {LIVE, NULL, NULL}, "125"},
};

static const struct rule_case *case_of(const char *id)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(cases[i].rule, id))
			return &cases[i];
	return NULL;
}

static void test_every_rule_has_a_case(void **state)
{
	(void)state;
	size_t missing = 0;
	for (size_t i = 0; i < ruleset_count(g_rs); i++) {
		const struct rule *r = ruleset_rule(g_rs, i);
		if (!case_of(r->id)) {
			fprintf(stderr, "rule %s (%s:%u) has no fire/quiet case in tests/test_shipped_rules.c\n", r->id,
				r->file, r->line);
			missing++;
		}
		if (!r->ref || !*r->ref) {
			fprintf(stderr, "rule %s has no ref\n", r->id);
			missing++;
		}
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!ruleset_find(g_rs, cases[i].rule)) {
			fprintf(stderr, "case for %s, which is not a shipped rule\n", cases[i].rule);
			missing++;
		}
	assert_int_equal(missing, 0);
}

static void value_text(const struct value *v, char *buf, size_t n)
{
	if (v->type == FACT_INT)
		snprintf(buf, n, "%lld", (long long)v->u.i);
	else if (v->type == FACT_STR)
		snprintf(buf, n, "%s", v->u.s);
	else
		snprintf(buf, n, "?");
}

static void test_every_rule_fires_and_is_quiet(void **state)
{
	(void)state;
	size_t bad = 0;
	for (size_t i = 0; i < ruleset_count(g_rs); i++) {
		const struct rule *r = ruleset_rule(g_rs, i);
		const struct rule_case *c = case_of(r->id);
		if (!c)
			continue; /* reported by test_every_rule_has_a_case */
		struct host h;
		struct plan *p = run(&c->fire, c->profile, &h);
		if (!fired(p, r->id)) {
			const struct skipped *s = find_skip(p, r->id);
			fprintf(stderr, "%s does not fire on %s: %s\n", r->id, c->fire.root, s ? s->why : "(not listed)");
			bad++;
		} else if (c->fire_value && r->set) {
			const struct decision *d = find_dec(p, r->set->name);
			char got[64] = "";
			if (d)
				value_text(&d->recommended, got, sizeof(got));
			if (!d || strcmp(got, c->fire_value) || strcmp(d->rule, r->id)) {
				fprintf(stderr, "%s on %s: %s = %s by %s, expected %s by this rule\n", r->id, c->fire.root,
					r->set->name, got, d ? d->rule : "(none)", c->fire_value);
				bad++;
			}
		}
		plan_free(p);
		host_free(&h);

		if (!c->quiet.root)
			continue;
		p = run(&c->quiet, c->profile, &h);
		const struct skipped *s = find_skip(p, r->id);
		if (fired(p, r->id) || !s || s->kind != SKIP_NOT_FIRED) {
			fprintf(stderr, "%s is not quiet on %s: %s\n", r->id, c->quiet.root,
				s ? s->why : "it fired");
			bad++;
		}
		plan_free(p);
		host_free(&h);
	}
	assert_int_equal(bad, 0);
}

/* ---- 2. the sweep ------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_dir(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

/* Every host fixture: each capture (and the trees inside an excerpt folder
 * such as weiyang's), each QEMU case's before/ and after/ (after with
 * before as its baseline), live, container-like, the sosreport, and each
 * derived case (a tree, or before/ and after/ like the QEMU cases). */
struct sweep_host {
	char root[512];
	char baseline[512];
	char sysctl_file[512];
};

static void add_host(struct sweep_host **v, size_t *n, const char *root, const char *base, const char *sysctl_file)
{
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	assert_non_null(*v);
	struct sweep_host *s = &(*v)[(*n)++];
	snprintf(s->root, sizeof(s->root), "%s", root);
	snprintf(s->baseline, sizeof(s->baseline), "%s", base ? base : "");
	snprintf(s->sysctl_file, sizeof(s->sysctl_file), "%s", sysctl_file ? sysctl_file : "");
}

static size_t list_dir(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;
	if (!d)
		fail_msg("cannot open %s", dir);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	*out = names;
	return n;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static size_t sweep_hosts(struct sweep_host **out)
{
	struct sweep_host *v = NULL;
	size_t n = 0;
	char **names, path[512], sub[600], base[600];
	size_t nn = list_dir("fixtures/captures", &names);
	for (size_t i = 0; i < nn; i++) {
		snprintf(path, sizeof(path), CAP "%s", names[i]);
		if (!is_dir(path))
			continue;
		snprintf(sub, sizeof(sub), "%s/proc", path);
		if (is_dir(sub)) {
			add_host(&v, &n, path, NULL, NULL);
			continue;
		}
		char **inner;
		size_t ni = list_dir(path, &inner); /* excerpt folders: one tree each */
		for (size_t k = 0; k < ni; k++) {
			snprintf(sub, sizeof(sub), "%s/%s/proc", path, inner[k]);
			if (is_dir(sub)) {
				snprintf(sub, sizeof(sub), "%s/%s", path, inner[k]);
				add_host(&v, &n, sub, NULL, NULL);
			}
		}
		free_names(inner, ni);
	}
	free_names(names, nn);
	nn = list_dir("fixtures/qemu", &names);
	for (size_t i = 0; i < nn; i++) {
		snprintf(sub, sizeof(sub), QEMU "%s/before", names[i]);
		if (!is_dir(sub))
			continue;
		add_host(&v, &n, sub, NULL, NULL);
		snprintf(base, sizeof(base), "%s", sub);
		snprintf(sub, sizeof(sub), QEMU "%s/after", names[i]);
		add_host(&v, &n, sub, base, NULL);
	}
	free_names(names, nn);
	add_host(&v, &n, LIVE, NULL, NULL);
	add_host(&v, &n, "fixtures/container-like", NULL, NULL);
	add_host(&v, &n, "fixtures/sosreport-rhel8", NULL, "fixtures/sosreport-rhel8/sos_commands/kernel/sysctl_-a");
	nn = list_dir("fixtures/derived", &names);
	for (size_t i = 0; i < nn; i++) {
		snprintf(sub, sizeof(sub), DER "%s/proc", names[i]);
		if (is_dir(sub)) {
			snprintf(sub, sizeof(sub), DER "%s", names[i]);
			add_host(&v, &n, sub, NULL, NULL);
			continue;
		}
		snprintf(base, sizeof(base), DER "%s/before", names[i]);
		snprintf(sub, sizeof(sub), DER "%s/after", names[i]);
		if (is_dir(base) && is_dir(sub)) {
			add_host(&v, &n, base, NULL, NULL);
			add_host(&v, &n, sub, base, NULL);
		}
	}
	free_names(names, nn);
	*out = v;
	return n;
}

static int64_t fact_int(const struct host *h, enum fact_id name, int64_t dflt)
{
	double v;
	return facts_get_num(h->facts, name, &v) ? dflt : (int64_t)v;
}

/* Any sign of memory pressure on this host: direct reclaim since boot,
 * OOM kills, PSI, atomic allocation failures. */
static bool under_pressure(const struct host *h)
{
	double v;
	if (fact_int(h, F_RECLAIM_ALLOCSTALL_TOTAL, 0) > 0 || fact_int(h, F_RECLAIM_OOM_KILLS, 0) > 0 ||
	    fact_int(h, F_KLOG_ALLOC_FAILURES, 0) > 0)
		return true;
	if (!facts_get_num(h->facts, F_PSI_SOME_AVG300, &v) && v >= 1)
		return true;
	if (!facts_get_num(h->facts, F_RATE_PSI_SOME, &v) && v >= 1)
		return true;
	return false;
}

/* Does writing the plan's watermark_scale_factor move any zone's low-min
 * gap, at the plan's own min_free_kbytes?  (No no-ops: the engine must
 * never make a wsf change this says moves nothing.)  -1 when the model
 * cannot tell. */
static int wsf_moves(const struct host *h, const struct plan *plan, const struct decision *w)
{
	struct wm_params p;
	wmark_params_from_host(h, &p);
	const struct decision *m = find_dec(plan, "vm.min_free_kbytes");
	if (m)
		p.min_free_kbytes = m->recommended.u.i;
	if (!h->zi.nzones || p.min_free_kbytes < 0)
		return -1;
	struct wm_model a = {0}, b = {0};
	p.wsf = w->has_current ? w->current.u.i : w->kernel_default.u.i;
	int rc = wm_model_compute(h->zi.zones, h->zi.nzones, &p, &b, NULL);
	p.wsf = w->recommended.u.i;
	if (!rc)
		rc = wm_model_compute(h->zi.zones, h->zi.nzones, &p, &a, NULL);
	int moved = rc ? -1 : 0;
	for (size_t i = 0; !rc && i < a.nzones; i++)
		if (a.zones[i].predicted && b.zones[i].predicted && a.zones[i].delta != b.zones[i].delta)
			moved = 1;
	wm_model_free(&a);
	wm_model_free(&b);
	return moved;
}

static const char *const profiles[] = {"general", "database", "kubernetes-node", "cache", "desktop-zram", "latency"};

static void test_sweep_every_fixture(void **state)
{
	(void)state;
	struct sweep_host *hosts;
	size_t nh = sweep_hosts(&hosts), bad = 0, ndec = 0, nquiet = 0, nnoop = 0;
	assert_true(nh >= 45);
	for (size_t i = 0; i < nh; i++) {
		struct hostspec hs = {hosts[i].root, hosts[i].baseline[0] ? hosts[i].baseline : NULL, NULL};
		for (size_t k = 0; k < sizeof(profiles) / sizeof(profiles[0]); k++) {
			struct host h;
			struct diag_list d = {0};
			struct profile *p = NULL;
			assert_int_equal(profile_load(g_rs, profiles[k], &p, &d), 0);
			diag_list_clear(&d);
			memset(&h, 0, sizeof(h));
			struct host_source o = {.root = hs.root, .baseline = hs.baseline,
					     .sysctl_file = hosts[i].sysctl_file[0] ? hosts[i].sysctl_file : NULL};
			if (tu_load_failed(&o, &h)) {
				fprintf(stderr, "%s: host_load failed\n", hs.root);
				bad++;
				profile_free(p);
				continue;
			}
			wmark_add_facts(&h, NULL, &d);
			diag_list_clear(&d);
			struct plan *plan = NULL;
			if (engine_run(g_rs, p, &h, NULL, &plan)) {
				fprintf(stderr, "%s [%s]: engine_run failed\n", hs.root, profiles[k]);
				bad++;
				goto next;
			}
			int64_t kv = fact_int(&h, F_HOST_KERNEL_VERSION, -1);
			bool pressure = under_pressure(&h);
			for (size_t j = 0; j < plan->nd; j++) {
				const struct decision *dc = &plan->d[j];
				const struct sysctl_def *sc = sysctl_catalog_lookup(dc->sysctl);
				int64_t lo, hi, slo, shi, v = dc->recommended.u.i;
				const char *why;
				ndec++;
				assert_non_null(sc);
				assert_int_equal(dc->recommended.type, FACT_INT);
				sysctl_legal_range(sc, kv, &lo, &hi);
				sysctl_safe_bounds(sc, h.facts, &slo, &shi, &why);
				if (v < lo || v > hi || v < slo || v > shi) {
					fprintf(stderr, "%s [%s]: %s = %lld outside legal %lld..%lld / safe %lld..%lld (%s)\n",
						hs.root, profiles[k], dc->sysctl, (long long)v, (long long)lo, (long long)hi,
						(long long)slo, (long long)shi, dc->rule);
					bad++;
				}
				/* low confidence changes nothing, except back toward the
				 * kernel default (the engine enforces it) */
				bool toward = dc->has_default && dc->has_current &&
					      ((v < dc->current.u.i && v >= dc->kernel_default.u.i) ||
					       (v > dc->current.u.i && v <= dc->kernel_default.u.i));
				if (dc->changed && dc->confidence == CONF_LOW && !toward) {
					fprintf(stderr, "%s [%s]: low-confidence change of %s by %s without pressure\n",
						hs.root, profiles[k], dc->sysctl, dc->rule);
					bad++;
				}
				/* no pressure: no watermark change.  The exceptions are
				 * corrections: raising a reserve below the kernel's own
				 * floor, lowering an oversized reserve or kswapd buffer
				 * (never raising), and what the latency and desktop-zram
				 * profiles ask for by definition. */
				bool wmark_key = !strcmp(dc->sysctl, "vm.watermark_scale_factor") ||
						 !strcmp(dc->sysctl, "vm.min_free_kbytes");
				bool lowering = dc->has_current && v < dc->current.u.i;
				bool allowed = !strcmp(dc->rule, "reserve-below-kernel-floor") ||
					       (lowering && (!strcmp(dc->rule, "reserve-oversized") ||
							     !strcmp(dc->rule, "kswapd-headroom-oversized") ||
							     !strcmp(dc->rule, "kswapd-headroom-above-ceiling"))) ||
					       !strcmp(dc->rule, "latency-kswapd-headroom") ||
					       !strcmp(dc->rule, "desktop-zram-headroom");
				if (wmark_key && !pressure && dc->changed && !allowed) {
					fprintf(stderr, "%s [%s]: %s changed by %s on a host with no sign of pressure\n",
						hs.root, profiles[k], dc->sysctl, dc->rule);
					bad++;
				}
				if (wmark_key && !pressure && !dc->changed)
					nquiet++;
				/* no no-ops: every wsf change the engine makes moves a
				 * zone's gap at the plan's own min_free_kbytes */
				nnoop += dc->noop;
				if (!strcmp(dc->sysctl, "vm.watermark_scale_factor") && dc->changed && !dc->pinned_by &&
				    (dc->has_current || dc->has_default) && wsf_moves(&h, plan, dc) == 0) {
					fprintf(stderr, "%s [%s]: watermark_scale_factor %lld by %s moves no gap\n", hs.root,
						profiles[k], (long long)v, dc->rule);
					bad++;
				}
				/* never both of an exclusive pair */
				if (sc->partner && find_dec(plan, sc->partner)) {
					fprintf(stderr, "%s [%s]: both %s and %s\n", hs.root, profiles[k], dc->sysctl,
						sc->partner);
					bad++;
				}
				if (!dc->ref || !dc->reason || !*dc->reason) {
					fprintf(stderr, "%s [%s]: %s without ref or reason\n", hs.root, profiles[k], dc->sysctl);
					bad++;
				}
			}
			for (size_t j = 0; j < plan->ns; j++)
				if (plan->s[j].kind == SKIP_EVAL_ERROR && strstr(plan->s[j].why, "division by zero")) {
					fprintf(stderr, "%s [%s]: %s: %s\n", hs.root, profiles[k], plan->s[j].rule,
						plan->s[j].why);
					bad++;
				}
			plan_free(plan);
		next:
			profile_free(p);
			host_free(&h);
		}
	}
	free(hosts);
	fprintf(stderr, "sweep: %zu hosts x %zu profiles, %zu decisions, %zu unchanged watermark keys without pressure, "
		"%zu wsf no-ops withheld\n",
		nh, sizeof(profiles) / sizeof(profiles[0]), ndec, nquiet, nnoop);
	assert_true(nquiet > 20);
	assert_true(nnoop > 0);
	assert_int_equal(bad, 0);
}

/* ---- 3. no pressure, heavy pressure ---------------------------------- */

/* Hosts with no sign of pressure: the watermark sysctls they report are
 * kept, said so by the keep rules. */
static void test_no_pressure_keeps_watermarks(void **state)
{
	(void)state;
	static const struct hostspec quiet[] = {
		{CENTOS, NULL, NULL},
		{RHEL8, NULL, NULL},
		{LIVE, NULL, NULL},
		{QEMU "6.12-q35-2node-2x2g-mfk131072/before", NULL, NULL},
		{QEMU "6.1-1g-thp-wsf200/after", QEMU "6.1-1g-thp-wsf200/before", NULL},
		{TWONODE "after", NULL, NULL},
	};
	for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		struct host h;
		struct plan *p = run(&quiet[i], "general", &h);
		const struct decision *w = find_dec(p, "vm.watermark_scale_factor");
		const struct decision *m = find_dec(p, "vm.min_free_kbytes");
		if (!w || w->changed || strcmp(w->rule, "kswapd-headroom-keep"))
			fail_msg("%s: wsf %s by %s", quiet[i].root, w && w->changed ? "changed" : "missing",
				 w ? w->rule : "-");
		if (!m || m->changed || strcmp(m->rule, "reserve-keep"))
			fail_msg("%s: min_free_kbytes %s by %s", quiet[i].root, m && m->changed ? "changed" : "missing",
				 m ? m->rule : "-");
		assert_non_null(strstr(w->reason, "no change"));
		plan_free(p);
		host_free(&h);
	}
}

/* Direct reclaim, classified (issue 13): a wider gap only for order-0
 * kswapd lag with enough evidence; compaction-driven reclaim gets no
 * watermark decision, weak evidence is held (recommended = current or the
 * kernel default, changed false, held true). */
/* Boost off as the simulator evaluated it.  On the benchmark's THP-never
 * recording the simulator chose wsf 396 with the boost off (472 with it
 * kept): both are advised.  The same recording with the simulator's choice
 * made the recorded wsf with the boost off (sim.wsf = sim.recorded_wsf:
 * boost 0 alone met the target, as it may on a host whose stalls the boost
 * makes) must get boost 0 alone - the cheaper fix the replay evaluated -
 * not nothing.  No history records that choice, so the one fact is set by
 * hand on the real tree and history.  A site profile that takes wsf away
 * (waive) leaves the boost at the kernel's too: the pair is one candidate. */
static struct plan *boost_plan(const char *profile_text, bool alone, struct host *h)
{
	struct hostspec hs = {WITH_HISTORY(REC "6.1-thp-never-record2/end", REC "6.1-thp-never-record2/history"), NULL,
			      NULL};
	load_host(&hs, h);
	int64_t rec = 0, bf = -1;
	assert_int_equal(facts_get_int(h->facts, F_SIM_RECORDED_WSF, &rec), 0);
	assert_int_equal(facts_get_int(h->facts, F_SIM_BOOST_FACTOR, &bf), 0);
	assert_int_equal(bf, 0);
	if (alone)
		facts_set_int(h->facts, F_SIM_WSF, rec, "test: the simulator's choice at the recorded wsf");
	struct diag_list d = {0};
	struct profile *p = NULL;
	if (profile_text)
		assert_int_equal(profile_load_buffer(g_rs, "site", profile_text, strlen(profile_text), "site.ini", &p, &d),
				 0);
	struct plan *plan = NULL;
	assert_int_equal(engine_run(g_rs, p, h, NULL, &plan), 0);
	profile_free(p);
	diag_list_clear(&d);
	return plan;
}

static void test_boost_off_as_evaluated(void **state)
{
	(void)state;
	struct host h;
	struct plan *pl = boost_plan(NULL, false, &h);
	const struct decision *w = find_dec(pl, "vm.watermark_scale_factor");
	const struct decision *b = find_dec(pl, "vm.watermark_boost_factor");
	assert_non_null(w);
	assert_non_null(b);
	assert_int_equal(w->recommended.u.i, 396);
	assert_string_equal(b->rule, "boost-off-wide-buffer");
	assert_int_equal(b->recommended.u.i, 0);
	plan_free(pl);
	host_free(&h);

	pl = boost_plan(NULL, true, &h);
	w = find_dec(pl, "vm.watermark_scale_factor");
	b = find_dec(pl, "vm.watermark_boost_factor");
	assert_non_null(w);
	assert_non_null(b);
	assert_string_equal(w->rule, "kswapd-headroom-from-history");
	assert_int_equal(w->recommended.u.i, 10);
	assert_false(w->changed);
	if (strcmp(b->rule, "boost-off-wide-buffer") || b->recommended.u.i != 0 || !b->changed)
		fail_msg("boost 0 alone, as the simulator chose it, is not advised: %s = %lld: %s", b->rule,
			 (long long)b->recommended.u.i, b->reason);
	plan_free(pl);
	host_free(&h);

	pl = boost_plan("[profile]\ninclude = general\n[waive]\nvm.watermark_scale_factor = ours\n", false, &h);
	b = find_dec(pl, "vm.watermark_boost_factor");
	if (b && b->recommended.u.i == 0)
		fail_msg("boost 0 without the simulator's wsf: %s", b->reason);
	const struct skipped *sk = NULL;
	for (size_t i = 0; i < pl->ns; i++)
		if (!strcmp(pl->s[i].rule, "boost-off-wide-buffer"))
			sk = &pl->s[i];
	assert_non_null(sk);
	assert_int_equal(sk->kind, SKIP_PARTNER);
	assert_non_null(strstr(sk->why, "requires kswapd-headroom-from-history (requires_rules), which was waived"));
	plan_free(pl);
	host_free(&h);

	/* the fragment boost 0 alone writes (wsf at its default is not
	 * written), rerun without the history: kept (the fixpoint); and not
	 * once the live buffer is narrower than our fragment's */
	struct hostspec hs = {REC "6.1-thp-never-record2/end", NULL, NULL};
	for (int narrower = 0; narrower < 2; narrower++) {
		load_host(&hs, &h);
		struct value v = {.type = FACT_INT, .u.i = 0};
		assert_int_equal(facts_put(h.facts, "fragment.vm.watermark_boost_factor", &v, "test"), 0);
		if (narrower) {
			v.u.i = 396;
			assert_int_equal(facts_put(h.facts, "fragment.vm.watermark_scale_factor", &v, "test"), 0);
		}
		assert_int_equal(engine_run(g_rs, NULL, &h, NULL, &pl), 0);
		b = find_dec(pl, "vm.watermark_boost_factor");
		/* (boost-off-cache-heavy may still turn it off here: 95 % page
		 * cache, its own evidence) */
		if (narrower) {
			bool quiet = false;
			for (size_t i = 0; i < pl->ns; i++)
				quiet |= !strcmp(pl->s[i].rule, "boost-off-wide-buffer-kept") &&
					 pl->s[i].kind == SKIP_NOT_FIRED;
			if (!quiet)
				fail_msg("boost-off-wide-buffer-kept fires beside a narrower buffer than our fragment's");
		}
		else if (!b || b->recommended.u.i != 0 || strcmp(b->rule, "boost-off-wide-buffer-kept"))
			fail_msg("our fragment's boost 0 alone is not kept without the history");
		plan_free(pl);
		host_free(&h);
	}
}

static void test_direct_reclaim_classified(void **state)
{
	(void)state;
	static const struct {
		struct hostspec hs;
		const char *sysctl, *rule, *value; /* rule NULL: no decision for the key */
		bool held;
		const char *reason_has[2];
	} cases2[] = {
		/* 205761 compaction stalls against 1.98 M entries: THP-driven */
		{{PROFIHOST, NULL, NULL}, "vm.watermark_scale_factor", NULL, NULL, false, {NULL, NULL}},
		{{CAP "node-exporter-fixtures-composite", NULL, NULL}, "vm.watermark_scale_factor", NULL, NULL, false,
		 {NULL, NULL}},
		/* 3.13: 308 stalls against 2852 entries, defrag always by default */
		{{UBUNTU14, NULL, NULL}, "vm.min_free_kbytes", "kswapd-headroom-pre46", "67584", true,
		 {"low confidence, so not changed from 67584", NULL}},
		/* 125 entries, no uptime: low, held at the kernel default (10) */
		{{CAP "pcp-qa-005-x86_64-16g-laptop-4.13-allocstall", NULL, NULL}, "vm.watermark_scale_factor",
		 "kswapd-headroom-from-counters", "10", true, {"ceil(20 + 80 x 0.00623381) = 21", "low confidence"}},
		/* since-boot over 30 s: low, held at the current 10 */
		{{ZRAM "after", NULL, NULL}, "vm.watermark_scale_factor", "kswapd-headroom-from-rates", "10", true,
		 {"since boot", "low confidence, so not changed from 10"}},
		/* three entries in 5 s */
		{{DER "qemu-6.1-512m-zram-3-stalls/after", DER "qemu-6.1-512m-zram-3-stalls/before", NULL},
		 "vm.watermark_scale_factor", "kswapd-headroom-from-rates", "10", true, {"3 direct reclaim entries", NULL}},
		/* no global direct reclaim, but 849 memory.high events: the
		 * keep says what the counters do not see (kernel-reclaim.md
		 * §11, global versus memcg) instead of "kswapd keeps up" alone */
		{{MEMCGHIGH "after", MEMCGHIGH "before", NULL}, "vm.watermark_scale_factor", "kswapd-headroom-keep", "10",
		 false, {"the cgroups' own memory.high and memory.max did force reclaim here (memcg-throttled)", NULL}},
		/* 55 entries measured over 23.5 s: medium, widened; 2.34
		 * entries/s took 143 pages/s (61 per entry: the classic LRU's
		 * proportional scan), the shortfall counted is 32 pages per
		 * entry (75 pages/s): 672 KiB + 2 s x 300 KiB/s -> 28 (39 when
		 * the pages taken were read as the shortfall) */
		{{ZRAM "after", ZRAM "before", NULL}, "vm.watermark_scale_factor", "kswapd-headroom-from-rates", "28", false,
		 {"the shortfall counted is at most 32 pages per entry: 74.", "ceil(buffer x 10000 / lowmem) = 28"}},
	};
	for (size_t i = 0; i < sizeof(cases2) / sizeof(cases2[0]); i++) {
		struct host h;
		struct plan *p = run(&cases2[i].hs, "general", &h);
		const struct decision *d = find_dec(p, cases2[i].sysctl);
		if (!cases2[i].rule) {
			if (d)
				fail_msg("%s: %s decided by %s", cases2[i].hs.root, cases2[i].sysctl, d->rule);
		} else {
			if (!d)
				fail_msg("%s: no %s decision", cases2[i].hs.root, cases2[i].sysctl);
			char got[64];
			value_text(&d->recommended, got, sizeof(got));
			if (strcmp(d->rule, cases2[i].rule) || strcmp(got, cases2[i].value) || d->held != cases2[i].held)
				fail_msg("%s: %s = %s by %s (held %d)", cases2[i].hs.root, cases2[i].sysctl, got, d->rule,
					 d->held);
			for (size_t k = 0; k < 2; k++)
				if (cases2[i].reason_has[k] && !strstr(d->reason, cases2[i].reason_has[k]))
					fail_msg("%s: reason lacks \"%s\": %s", cases2[i].hs.root, cases2[i].reason_has[k],
						 d->reason);
		}
		plan_free(p);
		host_free(&h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_rule_has_a_case),
		cmocka_unit_test(test_every_rule_fires_and_is_quiet),
		cmocka_unit_test(test_no_pressure_keeps_watermarks),
		cmocka_unit_test(test_direct_reclaim_classified),
		cmocka_unit_test(test_boost_off_as_evaluated),
		cmocka_unit_test(test_sweep_every_fixture),
	};
	return cmocka_run_group_tests(tests, load_rules, free_rules);
}
