/* engine: rules + profile + host -> plan.  Real captures are loaded with
 * host_load (fixtures/captures/...); the unit-formatting, kernel-version
 * and evaluation-error cases use a fact store filled by hand so that each
 * number in the expected text is chosen, not inherited from a capture. */
#include "testutil.h"

#include "base/xalloc.h"
#include "collect/load.h"
#include "rules/engine.h"
#include "rules/profile.h"

#include <errno.h>
#include <string.h>


#define CENTOS "fixtures/captures/centos-stream9-5.14-x86_64-do-droplet"
#define QEMU_MFK131072 "fixtures/qemu/6.1-2g-mfk131072-wsf50/after"
#define PROFIHOST "fixtures/captures/lkml-2019-profihost-4.19-x86_64-16g-vm"

struct fx {
	struct host h;
	struct ruleset *rs;
	struct profile *p;
	struct plan *plan;
	struct diag_list d;
};

static void fx_run(struct fx *x, const char *capture, const char *rules_dir, const char *const *dirs, size_t ndirs,
		   const char *profile)
{
	memset(x, 0, sizeof(*x));
	if (capture) {
		struct host_source o = {.root = capture};
		if (tu_load_failed(&o, &x->h))
			fail_msg("host_load %s failed", capture);
	}
	struct ruleset_opts ro = {.rules_dir = rules_dir, .sysconf_dir = "/nonexistent", .dirs = dirs, .ndirs = ndirs};
	if (ruleset_load(&ro, &x->rs, &x->d) || profile_load(x->rs, profile, &x->p, &x->d)) {
		diag_print_all(stderr, &x->d);
		fail_msg("loading rules failed");
	}
	assert_int_equal(engine_run(x->rs, x->p, capture ? &x->h : NULL, NULL, &x->plan), 0);
}

static void fx_free(struct fx *x)
{
	plan_free(x->plan);
	profile_free(x->p);
	ruleset_free(x->rs);
	host_free(&x->h);
	diag_list_clear(&x->d);
}

static const struct decision *dec(const struct plan *p, const char *sysctl)
{
	for (size_t i = 0; i < p->nd; i++)
		if (!strcmp(p->d[i].sysctl, sysctl))
			return &p->d[i];
	return NULL;
}

static const struct skipped *skipped(const struct plan *p, const char *rule)
{
	for (size_t i = 0; i < p->ns; i++)
		if (!strcmp(p->s[i].rule, rule))
			return &p->s[i];
	return NULL;
}

static const struct loser *loser(const struct decision *d, const char *rule)
{
	for (size_t i = 0; i < d->nlosers; i++)
		if (!strcmp(d->losers[i].rule, rule))
			return &d->losers[i];
	return NULL;
}

/* centos-stream9 droplet: 5.14, 771 MiB lowmem, no swap, swappiness 60,
 * wsf 10, min_free_kbytes 34548, no dirty_* files in the capture. */
static void test_capture_general(void **state)
{
	(void)state;
	struct fx x;
	fx_run(&x, CENTOS, "tests/rules/good", NULL, 0, NULL);
	const struct plan *p = x.plan;
	assert_string_equal(p->profile, "general");
	assert_int_equal(strlen(p->ruleset_digest), 16);

	/* decisions sorted by name; dirty_ratio never next to dirty_bytes */
	assert_int_equal(p->nd, 5);
	assert_string_equal(p->d[0].sysctl, "vm.dirty_background_ratio");
	assert_string_equal(p->d[1].sysctl, "vm.dirty_bytes");
	assert_string_equal(p->d[2].sysctl, "vm.min_free_kbytes");
	assert_string_equal(p->d[3].sysctl, "vm.swappiness");
	assert_string_equal(p->d[4].sysctl, "vm.watermark_scale_factor");
	assert_null(dec(p, "vm.dirty_ratio"));

	const struct decision *sw = dec(p, "vm.swappiness");
	assert_true(sw->has_current);
	assert_int_equal(sw->current.u.i, 60);
	assert_int_equal(sw->recommended.u.i, 30);
	assert_true(sw->changed);
	assert_true(sw->has_default);
	assert_int_equal(sw->kernel_default.u.i, 60);
	assert_string_equal(sw->rule, "swap-high");
	assert_string_equal(sw->rule_file, "tests/rules/good/10-reserve.ini");
	assert_int_equal(sw->rule_line, 32);
	assert_string_equal(sw->reason, "swappiness 30");
	assert_int_equal(sw->nlosers, 0); /* swap-low is for the database profile */

	/* keep, and say so: ceil(0.753 * 10) = 8, clamped by the rule to 10 = current */
	const struct decision *wsf = dec(p, "vm.watermark_scale_factor");
	assert_int_equal(wsf->recommended.u.i, 10);
	assert_int_equal(wsf->current.u.i, 10);
	assert_false(wsf->changed);
	assert_false(wsf->clamped);
	assert_int_equal(wsf->confidence, CONF_LOW);
	/* 10 * 197488 / 10000 = 197.5 pages of 4 KiB; file_share as a percentage */
	assert_non_null(strstr(wsf->reason, "a gap of 197 pages (790 KiB) between min and low ("));
	assert_non_null(strstr(wsf->reason, "% of memory is page cache)"));
	/* evidence: every fact once, in first-use order, with its unit */
	assert_int_equal(wsf->nev, 3);
	assert_string_equal(wsf->ev[0].fact, "mem.lowmem_managed_bytes");
	assert_true(wsf->ev[0].present);
	assert_int_equal(wsf->ev[0].v.u.i, 808910848);
	assert_int_equal(wsf->ev[0].unit, UNIT_BYTES);
	assert_string_equal(wsf->ev[1].fact, "mem.lowmem_managed_pages");
	assert_string_equal(wsf->ev[2].fact, "mem.file_share");
	assert_int_equal(wsf->ev[2].unit, UNIT_RATIO);

	/* safety clamp: 131072 kB is more than 5% of 771 MiB lowmem */
	const struct decision *mfk = dec(p, "vm.min_free_kbytes");
	int64_t lo, hi;
	const char *why;
	sysctl_safe_bounds(sysctl_catalog_lookup("vm.min_free_kbytes"), x.h.facts, &lo, &hi, &why);
	assert_true(hi < 131072);
	assert_string_equal(mfk->rule, "reserve-big");
	assert_true(mfk->clamped);
	assert_int_equal(mfk->unclamped.u.i, 131072);
	assert_int_equal(mfk->recommended.u.i, hi);
	assert_non_null(strstr(mfk->clamp_reason, "safety bound"));
	assert_int_equal(mfk->current.u.i, 34548);
	assert_true(mfk->changed);
	/* reserve-low-prio proposed 1e9, clamped, and lost on priority */
	assert_int_equal(mfk->nlosers, 1);
	assert_string_equal(mfk->losers[0].rule, "reserve-low-prio");
	assert_int_equal(mfk->losers[0].value.u.i, hi);
	assert_non_null(strstr(mfk->losers[0].why, "lower priority (10 < 50"));
	assert_null(mfk->losers[0].sysctl);

	/* exclusive pair: dirty-bytes (60) beats dirty-ratio (50) */
	const struct decision *db = dec(p, "vm.dirty_bytes");
	assert_int_equal(db->recommended.u.i, 268435456);
	assert_false(db->has_current);
	assert_true(db->changed);
	assert_string_equal(db->zeroes, "vm.dirty_ratio");
	assert_string_equal(db->reason, "cap dirty data at 256 MiB; vm.dirty_ratio will read 0");
	const struct loser *dr = loser(db, "dirty-ratio");
	assert_non_null(dr);
	assert_string_equal(dr->sysctl, "vm.dirty_ratio");
	assert_int_equal(dr->value.u.i, 10);
	assert_non_null(strstr(dr->why, "mutually exclusive"));
	assert_null(dec(p, "vm.dirty_background_ratio")->zeroes);

	/* findings */
	assert_int_equal(p->nf, 1);
	assert_string_equal(p->f[0].rule, "no-swap");
	assert_int_equal(p->f[0].severity, SEV_CRITICAL);
	assert_string_equal(p->f[0].reason, "no swap configured: {literal braces}");
	assert_int_equal(p->f[0].nev, 1);
	assert_string_equal(p->f[0].ev[0].fact, "swap.total_bytes");

	/* skipped, in rule order */
	assert_int_equal(p->ns, 4);
	assert_string_equal(p->s[0].rule, "reserve-floor");
	assert_int_equal(p->s[0].kind, SKIP_NOT_FIRED);
	assert_string_equal(p->s[0].why, "when was false: mem.lowmem_managed_bytes > 1GiB "
					 "(mem.lowmem_managed_bytes = 808910848)");
	assert_string_equal(p->s[1].rule, "swap-low");
	assert_int_equal(p->s[1].kind, SKIP_NOT_IN_PROFILE);
	assert_string_equal(p->s[2].rule, "never-fires");
	assert_int_equal(p->s[3].kind, SKIP_EVAL_ERROR);
	assert_string_equal(p->s[3].rule, "absent-fact");
	assert_non_null(strstr(p->s[3].why, "psi.some.avg10"));
	fx_free(&x);
}

/* profihost 4.19, 16 GiB: both reserve rules fire at priority 50. */
static void test_tie_by_direction(void **state)
{
	(void)state;
	struct fx x;
	fx_run(&x, PROFIHOST, "tests/rules/good", NULL, 0, "narrow");
	/* narrow selects swap-* and no-swap only: swappiness MERGE_MIN */
	const struct decision *sw = dec(x.plan, "vm.swappiness");
	assert_int_equal(sw->recommended.u.i, 10);
	assert_string_equal(sw->rule, "swap-low");
	assert_non_null(strstr(loser(sw, "swap-high")->why, "tie at priority 50: vm.swappiness takes the smaller"));
	assert_false(sw->has_current); /* no swappiness file in this capture */
	assert_true(sw->changed);
	assert_int_equal(skipped(x.plan, "reserve-floor")->kind, SKIP_NOT_IN_PROFILE);
	fx_free(&x);

	fx_run(&x, PROFIHOST, "tests/rules/good", NULL, 0, NULL);
	const struct decision *mfk = dec(x.plan, "vm.min_free_kbytes");
	assert_string_equal(mfk->rule, "reserve-big");
	assert_int_equal(mfk->recommended.u.i, 131072);
	assert_false(mfk->clamped);
	assert_int_equal(mfk->current.u.i, 164231);
	const struct loser *l = loser(mfk, "reserve-floor");
	assert_int_equal(l->value.u.i, 65536);
	assert_non_null(strstr(l->why, "tie at priority 50: vm.min_free_kbytes takes the larger value"));
	/* 5% of 16817270784 bytes of lowmem, in kB (when the model's cap is absent) */
	l = loser(mfk, "reserve-low-prio");
	int64_t lo, hi;
	const char *why;
	sysctl_safe_bounds(sysctl_catalog_lookup("vm.min_free_kbytes"), x.h.facts, &lo, &hi, &why);
	assert_int_equal(l->value.u.i, hi);
	if (!facts_has(x.h.facts, F_WMARK_MIN_FREE_KBYTES_CAP_KBYTES))
		assert_int_equal(hi, 821155);
	/* 16 GiB: lowmem/1GiB*10 = 156.6 -> 157 */
	assert_int_equal(dec(x.plan, "vm.watermark_scale_factor")->recommended.u.i, 157);
	assert_int_equal(dec(x.plan, "vm.watermark_scale_factor")->confidence, CONF_HIGH);
	fx_free(&x);
}

static void test_tie_by_file_order(void **state)
{
	(void)state;
	struct fx x;
	fx_run(&x, NULL, "tests/rules/tie", NULL, 0, NULL);
	/* overcommit_memory has no direction: the later file wins */
	const struct decision *oc = dec(x.plan, "vm.overcommit_memory");
	assert_string_equal(oc->rule, "overcommit-b");
	assert_int_equal(oc->recommended.u.i, 0);
	assert_non_null(strstr(loser(oc, "overcommit-a")->why, "and no merge direction: the rule loaded later"));
	/* equal values: the later rule wins, the earlier one is kept as loser */
	const struct decision *pc = dec(x.plan, "vm.page-cluster");
	assert_string_equal(pc->rule, "pc-b");
	assert_non_null(strstr(loser(pc, "pc-a")->why, "with the same value"));
	assert_false(pc->has_current);
	fx_free(&x);
}

static void test_profiles(void **state)
{
	(void)state;
	const char *numa[] = {"tests/rules/numa"};
	struct fx x;
	fx_run(&x, PROFIHOST, "tests/rules/good", numa, 1, "database");
	const struct plan *p = x.plan;
	assert_string_equal(p->profile, "database");
	/* pin without any rule */
	const struct decision *oc = dec(p, "vm.overcommit_memory");
	assert_string_equal(oc->pinned_by, "database");
	assert_int_equal(oc->recommended.u.i, 2);
	assert_string_equal(oc->rule, "profile:database");
	assert_string_equal(oc->rule_file, "tests/rules/good/profiles/database.ini");
	assert_int_equal(oc->rule_line, 5);
	/* [bounds] vm.min_free_kbytes >= 200000 lifts the 131072 of the rules */
	const struct decision *mfk = dec(p, "vm.min_free_kbytes");
	assert_int_equal(mfk->recommended.u.i, 200000);
	assert_true(mfk->clamped);
	assert_int_equal(mfk->unclamped.u.i, 131072);
	assert_non_null(strstr(mfk->clamp_reason, "profile database bounds vm.min_free_kbytes to >= 200000"));
	/* waiver */
	assert_null(dec(p, "vm.zone_reclaim_mode"));
	const struct skipped *zo = skipped(p, "zone-off");
	assert_int_equal(zo->kind, SKIP_WAIVED);
	assert_non_null(strstr(zo->why, "NUMA placement is managed by the database"));
	/* database selects swap-low; both swap rules tie, the smaller wins */
	assert_int_equal(dec(p, "vm.swappiness")->recommended.u.i, 10);
	char digest[17];
	strcpy(digest, p->ruleset_digest);
	fx_free(&x);

	/* olap: inherits database, pins swappiness, waives dirty_ratio */
	fx_run(&x, PROFIHOST, "tests/rules/good", numa, 1, "olap");
	p = x.plan;
	assert_string_not_equal(p->ruleset_digest, digest);
	const struct decision *sw = dec(p, "vm.swappiness");
	assert_int_equal(sw->recommended.u.i, 1);
	assert_string_equal(sw->pinned_by, "olap");
	assert_int_equal(sw->nlosers, 2);
	assert_string_equal(loser(sw, "swap-low")->why, "profile olap pins vm.swappiness = 1");
	assert_non_null(loser(sw, "swap-high"));
	assert_string_equal(dec(p, "vm.overcommit_memory")->pinned_by, "database");
	assert_int_equal(skipped(p, "zone-off")->kind, SKIP_WAIVED);
	/* dirty_ratio waived, and dirty_bytes would reset it: both left alone */
	assert_null(dec(p, "vm.dirty_ratio"));
	assert_null(dec(p, "vm.dirty_bytes"));
	assert_int_equal(skipped(p, "dirty-ratio")->kind, SKIP_WAIVED);
	assert_int_equal(skipped(p, "dirty-bytes")->kind, SKIP_WAIVED);
	assert_non_null(strstr(skipped(p, "dirty-bytes")->why, "would reset vm.dirty_ratio"));
	/* skipped stay in rule order even when waivers are added last */
	for (size_t i = 1; i < p->ns; i++)
		assert_true(ruleset_find(x.rs, p->s[i - 1].rule)->order < ruleset_find(x.rs, p->s[i].rule)->order);
	fx_free(&x);

	/* the same inputs give the same digest */
	fx_run(&x, PROFIHOST, "tests/rules/good", numa, 1, "database");
	assert_string_equal(x.plan->ruleset_digest, digest);
	fx_free(&x);
}

/* A plan from one rule buffer over a hand-filled fact store. */
static struct plan *run_text(const char *text, struct facts *f, struct ruleset **rsp)
{
	struct diag_list d = {0};
	struct ruleset *rs = ruleset_new();
	if (ruleset_add_buffer(rs, text, strlen(text), "t.ini", &d)) {
		diag_print_all(stderr, &d);
		fail_msg("rule text does not load");
	}
	struct host h = {.facts = f};
	struct plan *p = NULL;
	assert_int_equal(engine_run(rs, NULL, &h, NULL, &p), 0);
	diag_list_clear(&d);
	*rsp = rs;
	return p;
}

static void test_why_units(void **state)
{
	(void)state;
	struct facts *f = facts_new();
	facts_set_int(f, F_HOST_PAGE_SIZE, 4096, "test");
	facts_set_int(f, F_HOST_KERNEL_VERSION, KVER(5, 10, 0), "test");
	facts_set_absent(f, F_PSI_SOME_AVG10, "proc/pressure/memory: not present");
	const char text[] = "[u]\n"
			    "set = vm.dirty_bytes\n"
			    "value = 117MiB\n"
			    "why = {value : bytes}|{1536 * 1024 : bytes}|{65536 : kB}|{1000 : pages}|{1 : pages}\n"
			    "  |{12.5 : percent}|{0.25 : ratio}|{7 : raw}|{host.page_size}|{1.0 / 3}\n"
			    "  |{500 : bytes}|{3GiB : bytes}|{psi.some.avg10 : percent}|{\"a:b}\"}\n";
	struct ruleset *rs;
	struct plan *p = run_text(text, f, &rs);
	assert_int_equal(p->nd, 1);
	assert_string_equal(p->d[0].reason, "117 MiB|1.5 MiB|64 MiB|1000 pages (3.9 MiB)|1 page (4 KiB)"
					    " |12.5%|25%|7|4096|0.333"
					    " |500 bytes|3 GiB|(unknown: psi.some.avg10 is absent: proc/pressure/memory: "
					    "not present)|a:b}; vm.dirty_ratio will read 0");
	plan_free(p);
	ruleset_free(rs);
	facts_free(f);
}

static void test_kernel_versions_and_errors(void **state)
{
	(void)state;
	const char text[] = "[cp]\nset = vm.compaction_proactiveness\nvalue = 0\nwhy = x\n"
			    "[sw]\nset = vm.swappiness\nvalue = 150\nwhy = x\n"
			    "[wsf]\nset = vm.watermark_scale_factor\nvalue = 2500\nwhy = x\n"
			    "[div]\nset = vm.page-cluster\nvalue = int(10 / (host.numa_nodes - 1))\nwhy = x\n"
			    "[conf]\nwhy = x\nconfidence = if(true, \"sure\", \"low\")\n"
			    "[off]\nenabled = no\nwhy = x\n"
			    "[ratio]\nset = vm.dirty_background_ratio\nvalue = 5\nwhy = r\n";
	struct facts *f = facts_new();
	facts_set_int(f, F_HOST_KERNEL_VERSION, KVER(5, 4, 0), "test");
	facts_set_int(f, F_HOST_NUMA_NODES, 1, "test");
	facts_set_int(f, F_SYSCTL_VM_SWAPPINESS, 60, "test");
	facts_set_int(f, F_SYSCTL_VM_DIRTY_BACKGROUND_BYTES, 100000000, "test");
	struct ruleset *rs;
	struct plan *p = run_text(text, f, &rs);
	const struct skipped *s = skipped(p, "cp");
	assert_int_equal(s->kind, SKIP_NOT_FIRED);
	assert_string_equal(s->why, "not applicable: vm.compaction_proactiveness is new in 5.9.0, this kernel is 5.4.0");
	const struct decision *sw = dec(p, "vm.swappiness");
	assert_int_equal(sw->recommended.u.i, 100);
	assert_true(sw->clamped);
	assert_int_equal(sw->unclamped.u.i, 150);
	assert_non_null(strstr(sw->clamp_reason, "legal maximum 100"));
	const struct decision *wsf = dec(p, "vm.watermark_scale_factor");
	assert_int_equal(wsf->recommended.u.i, 1000);
	assert_true(wsf->clamped);
	assert_int_equal(skipped(p, "div")->kind, SKIP_EVAL_ERROR);
	assert_non_null(strstr(skipped(p, "div")->why, "value: "));
	assert_int_equal(skipped(p, "conf")->kind, SKIP_EVAL_ERROR);
	assert_non_null(strstr(skipped(p, "conf")->why, "\"sure\""));
	assert_int_equal(skipped(p, "off")->kind, SKIP_DISABLED);
	/* the ratio form: the bytes value in use will read 0 after the write */
	const struct decision *r = dec(p, "vm.dirty_background_ratio");
	assert_string_equal(r->zeroes, "vm.dirty_background_bytes");
	assert_string_equal(r->reason, "r; vm.dirty_background_bytes will read 0");
	plan_free(p);

	/* 6.1: compaction_proactiveness exists, swappiness may be 150, wsf 3000 */
	facts_set_int(f, F_HOST_KERNEL_VERSION, KVER(6, 1, 0), "test");
	struct host h = {.facts = f};
	assert_int_equal(engine_run(rs, NULL, &h, NULL, &p), 0);
	assert_int_equal(dec(p, "vm.compaction_proactiveness")->recommended.u.i, 0);
	assert_int_equal(dec(p, "vm.swappiness")->recommended.u.i, 150);
	assert_false(dec(p, "vm.swappiness")->clamped);
	/* the safety bound, not the legal maximum of 3000, holds wsf */
	assert_int_equal(dec(p, "vm.watermark_scale_factor")->recommended.u.i, 1000);
	assert_non_null(strstr(dec(p, "vm.watermark_scale_factor")->clamp_reason, "safety bound"));
	plan_free(p);
	ruleset_free(rs);
	facts_free(f);
}

/* A pin beats a rule in an exclusive pair, whatever the rule's priority;
 * a waiver on the bytes form also stops the ratio form. */
static void test_pin_and_pairs(void **state)
{
	(void)state;
	const char rules[] = "[bytes]\nset = vm.dirty_bytes\nvalue = 1GiB\npriority = 90\nwhy = b\n"
			     "[bg-bytes]\nset = vm.dirty_background_bytes\nvalue = 64MiB\nwhy = bb\n"
			     "[bg-ratio]\nset = vm.dirty_background_ratio\nvalue = 5\npriority = 70\nwhy = br\n"
			     "[desc-only]\ndescription = add swap\n"
			     "[bare]\nwhen = true\n";
	const char prof[] = "[pin]\nvm.dirty_ratio = 15\n[waive]\nvm.dirty_background_bytes = not ours\n";
	struct diag_list d = {0};
	struct ruleset *rs = ruleset_new();
	assert_int_equal(ruleset_add_buffer(rs, rules, strlen(rules), "r.ini", &d), 0);
	struct profile *p = NULL;
	assert_int_equal(profile_load_buffer(NULL, "site", prof, strlen(prof), "site.ini", &p, &d), 0);
	struct facts *f = facts_new();
	facts_set_int(f, F_SYSCTL_VM_DIRTY_RATIO, 20, "test");
	facts_set_int(f, F_SYSCTL_VM_DIRTY_BYTES, 0, "test");
	struct host h = {.facts = f};
	struct plan *pl = NULL;
	assert_int_equal(engine_run(rs, p, &h, NULL, &pl), 0);
	assert_null(dec(pl, "vm.dirty_bytes"));
	const struct decision *dr = dec(pl, "vm.dirty_ratio");
	assert_non_null(dr);
	assert_int_equal(dr->recommended.u.i, 15);
	assert_string_equal(dr->pinned_by, "site");
	assert_true(dr->changed);
	const struct loser *l = loser(dr, "bytes");
	assert_non_null(l);
	assert_string_equal(l->sysctl, "vm.dirty_bytes");
	assert_int_equal(l->value.u.i, INT64_C(1) << 30);
	/* dirty_bytes reads 0 already: nothing to reset, no note */
	assert_null(dr->zeroes);
	/* the background pair: bytes waived, and the ratio form would reset it */
	assert_null(dec(pl, "vm.dirty_background_bytes"));
	assert_null(dec(pl, "vm.dirty_background_ratio"));
	assert_int_equal(skipped(pl, "bg-bytes")->kind, SKIP_WAIVED);
	assert_int_equal(skipped(pl, "bg-ratio")->kind, SKIP_WAIVED);
	assert_non_null(strstr(skipped(pl, "bg-ratio")->why, "would reset vm.dirty_background_bytes"));
	/* a finding without why says its description, else its id */
	assert_int_equal(pl->nf, 2);
	assert_string_equal(pl->f[0].reason, "add swap");
	assert_string_equal(pl->f[1].reason, "bare");
	plan_free(pl);
	profile_free(p);
	ruleset_free(rs);
	facts_free(f);
	diag_list_clear(&d);
}

/* requires_rules (engine.c step 8): a pair that is advice only together
 * (min_free_kbytes under THP's floor and the wider wsf for the same sum of
 * high) is made whole or not at all; a dropped rule's key goes to the next
 * rule, and the skipped entry says which partner did not apply and why. */
#define PAIR_RULES                                                                                     \
	"[low-mfk]\nset = vm.min_free_kbytes\nvalue = 8192\npriority = 65\nwhy = m\n"                  \
	"requires_rules = wide-wsf\n"                                                                  \
	"[wide-wsf]\nset = vm.watermark_scale_factor\nvalue = 629\npriority = 65\nwhy = w\n"            \
	"requires_rules = low-mfk\n"                                                                   \
	"[mfk-keep]\nset = vm.min_free_kbytes\nvalue = 45056\npriority = 10\nwhy = k\n"                 \
	"[wsf-floor]\nset = vm.watermark_scale_factor\nvalue = 442\npriority = 60\nwhy = f\n"

static struct plan *capture_text(const char *capture, const char *rules, const char *prof, struct host *h);

static struct plan *pair_plan(const char *extra, const char *prof)
{
	struct diag_list d = {0};
	struct ruleset *rs = ruleset_new();
	const char rules[] = PAIR_RULES;
	assert_int_equal(ruleset_add_buffer(rs, rules, strlen(rules), "pair.ini", &d), 0);
	if (extra)
		assert_int_equal(ruleset_add_buffer(rs, extra, strlen(extra), "extra.ini", &d), 0);
	assert_int_equal(ruleset_check_requires(rs, &d), 0);
	struct profile *p = NULL;
	if (prof)
		assert_int_equal(profile_load_buffer(NULL, "site", prof, strlen(prof), "site.ini", &p, &d), 0);
	struct facts *f = facts_new();
	struct host h = {.facts = f};
	struct plan *pl = NULL;
	assert_int_equal(engine_run(rs, p, &h, NULL, &pl), 0);
	profile_free(p);
	ruleset_free(rs);
	facts_free(f);
	diag_list_clear(&d);
	return pl;
}

static void expect_decision(const struct plan *pl, const char *sysctl, const char *rule, int64_t v)
{
	const struct decision *x = dec(pl, sysctl);
	if (!x)
		fail_msg("no %s decision", sysctl);
	assert_string_equal(x->rule, rule);
	assert_int_equal(x->recommended.u.i, v);
}

static void expect_dropped(const struct plan *pl, const char *rule, const char *partner, const char *why)
{
	const struct skipped *s = skipped(pl, rule);
	if (!s || s->kind != SKIP_PARTNER)
		fail_msg("%s is not dropped for its partner", rule);
	char *head = xasprintf("requires %s (requires_rules), which ", partner);
	if (strncmp(s->why, head, strlen(head)) || !strstr(s->why, why))
		fail_msg("%s: %s", rule, s->why);
	free(head);
}

static void test_requires_rules(void **state)
{
	(void)state;
	/* both apply */
	struct plan *pl = pair_plan(NULL, NULL);
	expect_decision(pl, "vm.min_free_kbytes", "low-mfk", 8192);
	expect_decision(pl, "vm.watermark_scale_factor", "wide-wsf", 629);
	assert_null(skipped(pl, "low-mfk"));
	plan_free(pl);

	/* wsf waived: the low reserve is not made, its key goes to mfk-keep */
	pl = pair_plan(NULL, "[waive]\nvm.watermark_scale_factor = ours\n");
	assert_null(dec(pl, "vm.watermark_scale_factor"));
	expect_decision(pl, "vm.min_free_kbytes", "mfk-keep", 45056);
	assert_int_equal(skipped(pl, "wide-wsf")->kind, SKIP_WAIVED);
	expect_dropped(pl, "low-mfk", "wide-wsf", "was waived: vm.watermark_scale_factor is waived by profile site: ours");
	assert_null(loser(dec(pl, "vm.min_free_kbytes"), "low-mfk"));
	plan_free(pl);

	/* and the reverse: min_free_kbytes waived, wsf goes to the floor's 442 */
	pl = pair_plan(NULL, "[waive]\nvm.min_free_kbytes = ours\n");
	assert_null(dec(pl, "vm.min_free_kbytes"));
	expect_decision(pl, "vm.watermark_scale_factor", "wsf-floor", 442);
	expect_dropped(pl, "wide-wsf", "low-mfk", "was waived");
	plan_free(pl);

	/* a pin of the partner's key */
	pl = pair_plan(NULL, "[pin]\nvm.watermark_scale_factor = 200\n");
	expect_decision(pl, "vm.min_free_kbytes", "mfk-keep", 45056);
	expect_dropped(pl, "low-mfk", "wide-wsf", "lost vm.watermark_scale_factor to profile site's pin (200)");
	plan_free(pl);

	/* a bound that moves the partner's value: not what was evaluated;
	 * the second pass drops the other half too */
	pl = pair_plan(NULL, "[bounds]\nvm.watermark_scale_factor <= 500\n");
	expect_decision(pl, "vm.min_free_kbytes", "mfk-keep", 45056);
	expect_decision(pl, "vm.watermark_scale_factor", "wsf-floor", 442);
	expect_dropped(pl, "low-mfk", "wide-wsf", "vm.watermark_scale_factor is 500, not its 629 (profile site bounds");
	expect_dropped(pl, "wide-wsf", "low-mfk", "was dropped too");
	plan_free(pl);

	/* a drop-in switching the partner off, and a partner beaten on priority */
	pl = pair_plan("[wide-wsf]\nenabled = no\n", NULL);
	expect_decision(pl, "vm.min_free_kbytes", "mfk-keep", 45056);
	expect_dropped(pl, "low-mfk", "wide-wsf", "is switched off: disabled by extra.ini:2");
	plan_free(pl);
	pl = pair_plan("[louder]\nset = vm.watermark_scale_factor\nvalue = 300\npriority = 90\nwhy = l\n", NULL);
	expect_decision(pl, "vm.watermark_scale_factor", "louder", 300);
	expect_decision(pl, "vm.min_free_kbytes", "mfk-keep", 45056);
	expect_dropped(pl, "low-mfk", "wide-wsf", "lost vm.watermark_scale_factor to louder: lower priority (65 < 90");
	plan_free(pl);

	/* one-way: a rule that names no partner is not tied to the one that
	 * names it (the drop-in replaces wide-wsf without requires_rules) */
	pl = pair_plan("[wide-wsf]\nset = vm.watermark_scale_factor\nvalue = 629\npriority = 65\nwhy = w\n",
		       "[waive]\nvm.min_free_kbytes = ours\n");
	expect_decision(pl, "vm.watermark_scale_factor", "wide-wsf", 629);
	plan_free(pl);

	/* an administrator's wsf kept after the plan (engine_administrators):
	 * the reserve that needed the partner's 629 stays at its current
	 * value (droplet: 34548) and says why */
	struct host h;
	const char rules[] = PAIR_RULES;
	pl = capture_text(CENTOS, rules, NULL, &h);
	struct diag_list d = {0};
	struct ruleset *rs = ruleset_new();
	assert_int_equal(ruleset_add_buffer(rs, rules, strlen(rules), "pair.ini", &d), 0);
	const struct admin_value av = {"vm.watermark_scale_factor", 150, "/etc/sysctl.d/99-site.conf:1"};
	engine_administrators(pl, rs, h.facts, &av, 1, NULL);
	const struct decision *w = dec(pl, "vm.watermark_scale_factor");
	const struct decision *m = dec(pl, "vm.min_free_kbytes");
	assert_true(w->admin_kept);
	assert_int_equal(w->recommended.u.i, 150);
	assert_int_equal(m->recommended.u.i, 34548);
	assert_false(m->changed);
	assert_non_null(strstr(m->reason, "not made: it requires wide-wsf (requires_rules), whose "
					  "vm.watermark_scale_factor is kept at an administrator's explicit value"));
	plan_free(pl);
	host_free(&h);
	/* an administrator's min_free_kbytes: the wsf is taken back to 10 */
	pl = capture_text(CENTOS, rules, NULL, &h);
	const struct admin_value am = {"vm.min_free_kbytes", 36000, "/etc/sysctl.d/99-site.conf:2"};
	engine_administrators(pl, rs, h.facts, &am, 1, NULL);
	assert_true(dec(pl, "vm.min_free_kbytes")->admin_kept);
	assert_int_equal(dec(pl, "vm.watermark_scale_factor")->recommended.u.i, 10);
	plan_free(pl);
	host_free(&h);
	ruleset_free(rs);
	diag_list_clear(&d);
}

/* No no-ops (rules/README.md): on a host whose min_free_kbytes is large
 * (THP's own value here) each zone's low-min gap is min/4 until
 * watermark_scale_factor passes the break-even, so a smaller wsf is not
 * made.  The check runs at the min_free_kbytes the same plan desires. */
static struct plan *capture_text(const char *capture, const char *rules, const char *prof, struct host *h)
{
	struct diag_list d = {0};
	struct host_source o = {.root = capture};
	memset(h, 0, sizeof(*h));
	if (tu_load_failed(&o, h))
		fail_msg("host_load %s failed", capture);
	struct ruleset *rs = ruleset_new();
	assert_int_equal(ruleset_add_buffer(rs, rules, strlen(rules), "r.ini", &d), 0);
	struct profile *p = NULL;
	if (prof)
		assert_int_equal(profile_load_buffer(NULL, "site", prof, strlen(prof), "site.ini", &p, &d), 0);
	struct plan *pl = NULL;
	assert_int_equal(engine_run(rs, p, h, NULL, &pl), 0);
	profile_free(p);
	ruleset_free(rs);
	diag_list_clear(&d);
	return pl;
}

#define WSF_RULE(v) "[wide]\nset = vm.watermark_scale_factor\nvalue = " #v "\nconfidence = high\nwhy = w\n"
#define MFK_RULE(v) "[mfk]\nset = vm.min_free_kbytes\nvalue = " #v "\nconfidence = high\nwhy = m\n"

static void test_wsf_noop(void **state)
{
	(void)state;
	struct host h;
	/* the droplet: min_free_kbytes 34548 (THP's), wsf 10, break-even 110 */
	struct plan *pl = capture_text(CENTOS, WSF_RULE(100), NULL, &h);
	const struct decision *w = dec(pl, "vm.watermark_scale_factor");
	assert_non_null(w);
	assert_true(w->noop);
	assert_false(w->changed);
	assert_int_equal(w->recommended.u.i, 10);
	assert_non_null(strstr(w->reason, "break-even 110, so 100 would move no watermark"));
	plan_free(pl);
	host_free(&h);
	/* at the break-even the wsf term sets the largest zone's gap: made */
	pl = capture_text(CENTOS, WSF_RULE(110), NULL, &h);
	w = dec(pl, "vm.watermark_scale_factor");
	assert_false(w->noop);
	assert_true(w->changed);
	assert_int_equal(w->recommended.u.i, 110);
	plan_free(pl);
	host_free(&h);
	/* a profile's bound is checked the same way (latency's >= 100) */
	pl = capture_text(CENTOS, WSF_RULE(20), "[bounds]\nvm.watermark_scale_factor >= 100\n", &h);
	w = dec(pl, "vm.watermark_scale_factor");
	assert_true(w->noop);
	assert_int_equal(w->recommended.u.i, 10);
	plan_free(pl);
	host_free(&h);
	/* a pin is the profile's explicit order: kept */
	pl = capture_text(CENTOS, WSF_RULE(20), "[pin]\nvm.watermark_scale_factor = 100\n", &h);
	w = dec(pl, "vm.watermark_scale_factor");
	assert_false(w->noop);
	assert_int_equal(w->recommended.u.i, 100);
	plan_free(pl);
	host_free(&h);
}

/* The same plan raising min_free_kbytes turns a wsf that moves the gap
 * today into a no-op, and lowering it turns a no-op into a move: the check
 * uses the desired value, so applying the plan and asking again gives the
 * same plan. */
static void test_wsf_noop_desired_min(void **state)
{
	(void)state;
	struct host h;
	/* droplet: 120 is above today's break-even (110), below the one at the
	 * raised reserve (the catalog's cap, 5 % of lowmem) */
	struct plan *pl = capture_text(CENTOS, WSF_RULE(120) MFK_RULE(60000), NULL, &h);
	const struct decision *m = dec(pl, "vm.min_free_kbytes");
	const struct decision *w = dec(pl, "vm.watermark_scale_factor");
	assert_true(m->changed);
	assert_int_equal(m->recommended.u.i, 39497);
	assert_non_null(strstr(w->reason, "with min_free_kbytes 39497 every zone's low-min gap is min/4"));
	assert_non_null(strstr(w->reason, "break-even 126, so 120"));
	assert_true(w->noop);
	assert_int_equal(w->recommended.u.i, 10);
	plan_free(pl);
	host_free(&h);
	/* 2 GiB guest with min_free_kbytes 131072 and wsf 50: 140 is below
	 * today's break-even, above the one at 65536 */
	pl = capture_text(QEMU_MFK131072, WSF_RULE(140) MFK_RULE(65536), NULL, &h);
	m = dec(pl, "vm.min_free_kbytes");
	w = dec(pl, "vm.watermark_scale_factor");
	assert_int_equal(m->recommended.u.i, 65536);
	assert_false(w->noop);
	assert_true(w->changed);
	assert_int_equal(w->recommended.u.i, 140);
	plan_free(pl);
	host_free(&h);
	pl = capture_text(QEMU_MFK131072, WSF_RULE(140), NULL, &h);
	w = dec(pl, "vm.watermark_scale_factor");
	assert_non_null(strstr(w->reason, "with min_free_kbytes 131072 every zone's low-min gap is min/4"));
	assert_non_null(strstr(w->reason, "break-even 163, so 140"));
	assert_true(w->noop);
	assert_int_equal(w->recommended.u.i, 50);
	plan_free(pl);
	host_free(&h);
}

/* Administrators' explicit values (issue 13): kept unless --override, the
 * profile or the rule says otherwise; each way says so. */
static void test_administrators(void **state)
{
	(void)state;
	const char rules[] = "[zram]\nset = vm.swappiness\nvalue = 180\nconfidence = high\nwhy = z\n"
			     "[big]\nset = vm.watermark_scale_factor\nvalue = 500\nconfidence = high\n"
			     "overrides_administrator = yes\nwhy = w\n"
			     "[db]\nset = vm.dirty_ratio\nvalue = 10\nconfidence = high\nprofiles = site\nwhy = d\n";
	struct host h;
	struct plan *pl = capture_text(CENTOS, rules, NULL, &h);
	const struct admin_value v[] = {
		{"vm.swappiness", 0, "/etc/sysctl.d/99-site.conf:2"},
		{"vm.watermark_scale_factor", 1000, "the live value; no sysctl.d file sets it"},
		{"vm.dirty_ratio", 40, "/etc/sysctl.conf:7"},
	};
	engine_administrators(pl, NULL, h.facts, v, 3, NULL);
	const struct decision *s = dec(pl, "vm.swappiness");
	assert_true(s->admin_kept);
	assert_int_equal(s->recommended.u.i, 0);
	assert_int_equal(s->advisor_value.u.i, 180);
	assert_true(s->changed); /* the droplet runs 60: the file's 0 is the desired state */
	assert_string_equal(s->admin_source, "/etc/sysctl.d/99-site.conf:2");
	assert_non_null(strstr(s->reason, "kept: an administrator's explicit 0 (/etc/sysctl.d/99-site.conf:2); the "
					  "advisor would choose 180 (recommend --override vm.swappiness"));
	/* without the rule set no rule is known to override: every value kept */
	assert_true(dec(pl, "vm.watermark_scale_factor")->admin_kept);
	plan_free(pl);
	host_free(&h);

	/* with the rule set: the rule that corrects a value whoever set it */
	struct diag_list d = {0};
	struct ruleset *rs = ruleset_new();
	assert_int_equal(ruleset_add_buffer(rs, rules, strlen(rules), "r.ini", &d), 0);
	pl = capture_text(CENTOS, rules, NULL, &h);
	engine_administrators(pl, rs, h.facts, v, 3, NULL);
	const struct decision *w = dec(pl, "vm.watermark_scale_factor");
	assert_false(w->admin_kept);
	assert_int_equal(w->recommended.u.i, 500);
	assert_non_null(strstr(w->admin_overridden_by, "rule big corrects it whoever set it"));
	assert_non_null(strstr(w->reason, "this overrides an administrator's explicit 1000"));
	assert_true(dec(pl, "vm.swappiness")->admin_kept);
	plan_free(pl);
	host_free(&h);

	/* a value outside the safety bounds is never kept (a glob "vm.* = 5"
	 * would give min_free_kbytes 5) */
	const char mrules[] = "[m]\nset = vm.min_free_kbytes\nvalue = 34548\nconfidence = high\nwhy = m\n";
	pl = capture_text(CENTOS, mrules, NULL, &h);
	const struct admin_value tiny = {"vm.min_free_kbytes", 5, "/etc/sysctl.d/99-glob.conf:1"};
	engine_administrators(pl, NULL, h.facts, &tiny, 1, NULL);
	const struct decision *m = dec(pl, "vm.min_free_kbytes");
	assert_false(m->admin_kept);
	assert_int_equal(m->recommended.u.i, 34548);
	assert_non_null(strstr(m->admin_overridden_by, "outside the safety bound"));
	plan_free(pl);
	host_free(&h);

	/* --override: one key, then all; a bad key is refused */
	struct overrides o = {0};
	char bad[64];
	assert_int_equal(overrides_add(&o, "swappiness", bad, sizeof(bad)), 0);
	assert_int_equal(o.n, 1);
	assert_string_equal(o.keys[0], "vm.swappiness");
	assert_int_equal(overrides_add(&o, "vm.page-cluster,vm.nonesuch", bad, sizeof(bad)), -EINVAL);
	assert_string_equal(bad, "vm.nonesuch");
	assert_int_equal(o.n, 2);
	pl = capture_text(CENTOS, rules, NULL, &h);
	engine_administrators(pl, rs, h.facts, v, 3, &o);
	s = dec(pl, "vm.swappiness");
	assert_false(s->admin_kept);
	assert_int_equal(s->recommended.u.i, 180);
	assert_string_equal(s->admin_overridden_by, "--override vm.swappiness");
	plan_free(pl);
	host_free(&h);
	assert_int_equal(overrides_add(&o, "all", bad, sizeof(bad)), 0);
	assert_true(o.all);
	overrides_free(&o);
	overrides_free(NULL);

	/* a rule of the active profile, and a pin */
	pl = capture_text(CENTOS, rules, "[pin]\nvm.swappiness = 150\n", &h);
	engine_administrators(pl, rs, h.facts, v, 3, NULL);
	s = dec(pl, "vm.swappiness");
	assert_int_equal(s->recommended.u.i, 150);
	assert_string_equal(s->admin_overridden_by, "profile site pins it");
	const struct decision *dr = dec(pl, "vm.dirty_ratio");
	assert_non_null(dr);
	assert_false(dr->admin_kept);
	assert_string_equal(dr->admin_overridden_by, "rule db of profile site");
	plan_free(pl);
	host_free(&h);
	ruleset_free(rs);
	diag_list_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_general),	 cmocka_unit_test(test_tie_by_direction),
		cmocka_unit_test(test_tie_by_file_order), cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_why_units),	 cmocka_unit_test(test_kernel_versions_and_errors),
		cmocka_unit_test(test_pin_and_pairs),	 cmocka_unit_test(test_wsf_noop),
		cmocka_unit_test(test_wsf_noop_desired_min), cmocka_unit_test(test_administrators),
		cmocka_unit_test(test_requires_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
