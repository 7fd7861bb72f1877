/* audit: states, notes, status and renderers from hand-built plans, fact
 * stores and temporary sysctl.d trees. */
#include "testutil.h"

#include "base/xalloc.h"
#include "audit/audit.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpl[64];

static void put(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpl, rel);
	for (char *p = path + strlen(tmpl) + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(path, 0755);
			*p = '/';
		}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	strcpy(tmpl, "/tmp/test_audit.XXXXXX");
	assert_non_null(mkdtemp(tmpl));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	return system(cmd) == 0 ? 0 : -1;
}

static struct precedence *scan(void)
{
	struct root r;
	struct diag_list d = {0};
	assert_int_equal(root_open(&r, tmpl), 0);
	struct precedence *p = NULL;
	assert_int_equal(precedence_scan(&r, &p, &d), 0);
	root_close(&r);
	diag_list_clear(&d);
	free(d.v);
	return p;
}

static void host_init(struct host *h)
{
	memset(h, 0, sizeof(*h));
	h->facts = facts_new();
	h->origin = xstrdup("fixtures/captures/web-17");
	facts_set_int(h->facts, F_MEMINFO_MEMTOTAL, 16 * 1024 * 1024, "proc/meminfo");
	facts_set_str(h->facts, F_KERNEL_OSRELEASE, "6.1.0-18-amd64", "proc/sys/kernel/osrelease");
	facts_set_int(h->facts, F_HOST_PAGE_SIZE, 4096, "derived");
}

/* A plan of up to 4 decisions; fields the audit does not read stay zero. */
struct tplan {
	struct plan p;
	struct decision d[4];
	struct finding f[2];
};

static void add_decision(struct tplan *t, const char *key, int64_t rec, bool has_def, int64_t def,
			 enum severity sev)
{
	struct decision *d = &t->d[t->p.nd++];
	memset(d, 0, sizeof(*d));
	d->sysctl = (char *)key;
	d->recommended.type = FACT_INT;
	d->recommended.u.i = rec;
	d->has_default = has_def;
	d->kernel_default.type = FACT_INT;
	d->kernel_default.u.i = def;
	d->changed = true;
	d->rule = (char *)"test-rule";
	d->severity = sev;
	d->reason = (char *)"because";
	t->p.d = t->d;
}

static void add_finding(struct tplan *t, const char *rule, enum severity sev)
{
	struct finding *f = &t->f[t->p.nf++];
	memset(f, 0, sizeof(*f));
	f->rule = (char *)rule;
	f->severity = sev;
	f->reason = (char *)"3 OOM kills since boot";
	t->p.f = t->f;
}

static struct audit *run(struct host *h, struct tplan *t, const struct strkvlist *frag)
{
	struct precedence *p = scan();
	struct audit_input in = {.host = h, .plan = t ? &t->p : NULL, .prec = p, .fragment = frag};
	struct audit *a = NULL;
	assert_int_equal(audit_build(&in, &a), 0);
	precedence_free(p);
	return a;
}

static void test_compliant(void **state)
{
	(void)state;
	put("etc/sysctl.d/60-reclaim-advisor.conf", "vm.swappiness = 10\n");
	struct host h;
	host_init(&h);
	facts_set_int(h.facts, F_SYSCTL_VM_SWAPPINESS, 10, "proc/sys/vm/swappiness");
	struct tplan t = {0};
	add_decision(&t, "vm.swappiness", 10, true, 60, SEV_INFO);
	struct audit *a = run(&h, &t, NULL);
	assert_int_equal(a->nkeys, 1);
	assert_int_equal(a->keys[0].state, AST_COMPLIANT);
	assert_null(a->keys[0].note);
	assert_string_equal(a->keys[0].boot_file, "/etc/sysctl.d/60-reclaim-advisor.conf");
	assert_int_equal(a->status, ASTATUS_OK);
	assert_string_equal(a->host.id, "fixtures/captures/web-17"); /* the path, not a directory name */
	assert_int_equal(a->host.ram_bytes, (int64_t)16 << 30);
	audit_free(a);
	host_free(&h);
}

static void test_drift_runtime_change(void **state)
{
	(void)state;
	put("etc/sysctl.d/60-reclaim-advisor.conf", "vm.swappiness = 10\n");
	struct host h;
	host_init(&h);
	facts_set_int(h.facts, F_SYSCTL_VM_SWAPPINESS, 60, "proc/sys/vm/swappiness");
	struct tplan t = {0};
	add_decision(&t, "vm.swappiness", 10, true, 60, SEV_WARNING);
	struct audit *a = run(&h, &t, NULL);
	assert_int_equal(a->keys[0].state, AST_DRIFT);
	assert_non_null(strstr(a->keys[0].note, "run time"));
	assert_int_equal(a->status, ASTATUS_WARNING);
	assert_int_equal(a->count[AST_DRIFT], 1);
	audit_free(a);
	host_free(&h);
}

static void test_shadowed(void **state)
{
	(void)state;
	put("etc/sysctl.d/60-reclaim-advisor.conf", "vm.watermark_scale_factor = 125\n");
	put("usr/lib/sysctl.d/99-vendor.conf", "vm.watermark_scale_factor = 10\n");
	struct host h;
	host_init(&h);
	facts_set_int(h.facts, F_SYSCTL_VM_WATERMARK_SCALE_FACTOR, 10, "proc/sys/vm/watermark_scale_factor");
	struct tplan t = {0};
	add_decision(&t, "vm.watermark_scale_factor", 125, true, 10, SEV_WARNING);
	struct audit *a = run(&h, &t, NULL);
	assert_int_equal(a->keys[0].state, AST_SHADOWED);
	assert_non_null(strstr(a->keys[0].note, "/usr/lib/sysctl.d/99-vendor.conf:1"));
	assert_non_null(strstr(a->keys[0].note, "60-reclaim-advisor.conf:1"));
	assert_int_equal(a->status, ASTATUS_WARNING);
	audit_free(a);
	host_free(&h);
}

static void test_not_persistent(void **state)
{
	(void)state;
	put("usr/lib/sysctl.d/50-other.conf", "vm.dirty_ratio = 20\n");
	struct host h;
	host_init(&h);
	facts_set_int(h.facts, F_SYSCTL_VM_SWAPPINESS, 10, "proc/sys/vm/swappiness");
	facts_set_int(h.facts, F_SYSCTL_VM_DIRTY_RATIO, 10, "proc/sys/vm/dirty_ratio");
	struct tplan t = {0};
	add_decision(&t, "vm.swappiness", 10, true, 60, SEV_WARNING);
	add_decision(&t, "vm.dirty_ratio", 10, true, 20, SEV_WARNING);
	struct audit *a = run(&h, &t, NULL);
	assert_int_equal(a->nkeys, 2);
	/* sorted: dirty_ratio first */
	assert_string_equal(a->keys[0].sysctl, "vm.dirty_ratio");
	assert_int_equal(a->keys[0].state, AST_NOT_PERSISTENT);
	assert_non_null(strstr(a->keys[0].note, "50-other.conf:1"));
	assert_int_equal(a->keys[1].state, AST_NOT_PERSISTENT);
	assert_non_null(strstr(a->keys[1].note, "kernel default 60"));
	assert_int_equal(a->status, ASTATUS_WARNING);
	audit_free(a);
	host_free(&h);
}

/* min_free_kbytes raised by khugepaged comes back at every boot by itself;
 * an administrator's value does not. */
static void test_min_free_kbytes_thp(void **state)
{
	(void)state;
	struct host h;
	host_init(&h);
	facts_set_int(h.facts, F_SYSCTL_VM_MIN_FREE_KBYTES, 67584, "proc/sys/vm/min_free_kbytes");
	facts_set_str(h.facts, F_WMARK_MIN_FREE_KBYTES_ORIGIN, "thp", "derived");
	struct tplan t = {0};
	add_decision(&t, "vm.min_free_kbytes", 67584, true, 11429, SEV_INFO);
	struct audit *a = run(&h, &t, NULL);
	assert_int_equal(a->keys[0].state, AST_COMPLIANT);
	assert_string_equal(a->keys[0].boot_default, "67584");
	audit_free(a);
	facts_set_str(h.facts, F_WMARK_MIN_FREE_KBYTES_ORIGIN, "administrator", "derived");
	/* the model's one computation: max(sqrt default 11429, THP floor 45056) */
	facts_set_int(h.facts, F_KERNEL_DEFAULT_MIN_FREE_KBYTES, 45056, "derived");
	a = run(&h, &t, NULL);
	assert_int_equal(a->keys[0].state, AST_NOT_PERSISTENT);
	assert_string_equal(a->keys[0].boot_default, "45056");
	audit_free(a);
	host_free(&h);
}

static void test_not_applicable_and_not_permitted(void **state)
{
	(void)state;
	struct host h;
	host_init(&h);
	facts_set_absent(h.facts, F_SYSCTL_VM_WATERMARK_BOOST_FACTOR,
			 "proc/sys/vm/watermark_boost_factor: No such file or directory");
	facts_set_absent(h.facts, F_SYSCTL_VM_SWAPPINESS, "proc/sys/vm/swappiness: Permission denied");
	facts_set_int(h.facts, F_SYSCTL_VM_MIN_FREE_KBYTES, 67584, "proc/sys/vm/min_free_kbytes");
	struct tplan t = {0};
	add_decision(&t, "vm.watermark_boost_factor", 0, true, 15000, SEV_INFO);
	struct audit *a = run(&h, &t, NULL);
	/* swappiness: no rule set it (the rules could not read it), yet it
	 * has its row: an unreadable key never vanishes from the audit. */
	assert_int_equal(a->nkeys, 2);
	assert_string_equal(a->keys[0].sysctl, "vm.swappiness");
	assert_int_equal(a->keys[0].state, AST_NOT_PERMITTED);
	assert_string_equal(a->keys[0].expected, "unknown");
	assert_int_equal(a->keys[1].state, AST_NOT_APPLICABLE);
	/* Nothing else expected: nothing could be audited, never OK. */
	assert_int_equal(a->status, ASTATUS_UNKNOWN);
	assert_non_null(strstr(a->summary, "nothing could be audited"));
	audit_free(a);
	add_decision(&t, "vm.swappiness", 10, true, 60, SEV_INFO);
	a = run(&h, &t, NULL);
	assert_int_equal(a->keys[0].state, AST_NOT_PERMITTED); /* sorted: swappiness first */
	assert_int_equal(a->status, ASTATUS_UNKNOWN);          /* still no live value read */
	audit_free(a);
	add_decision(&t, "vm.min_free_kbytes", 67584, false, 0, SEV_INFO);
	t.d[2].changed = false;
	a = run(&h, &t, NULL);
	assert_int_equal(a->keys[0].state, AST_COMPLIANT); /* min_free_kbytes */
	assert_int_equal(a->keys[1].state, AST_NOT_PERMITTED);
	assert_int_equal(a->keys[2].state, AST_NOT_APPLICABLE);
	assert_int_equal(a->status, ASTATUS_WARNING); /* could not read a key: at least WARNING */
	audit_free(a);
	/* Not applicable beside a compliant key is not a failure. */
	facts_set_int(h.facts, F_SYSCTL_VM_SWAPPINESS, 60, "proc/sys/vm/swappiness");
	struct tplan t2 = {0};
	add_decision(&t2, "vm.watermark_boost_factor", 0, true, 15000, SEV_INFO);
	add_decision(&t2, "vm.min_free_kbytes", 67584, false, 0, SEV_INFO);
	t2.d[1].changed = false;
	a = run(&h, &t2, NULL);
	assert_int_equal(a->status, ASTATUS_OK);
	audit_free(a);
	host_free(&h);
}

static void test_critical(void **state)
{
	(void)state;
	struct host h;
	host_init(&h);
	facts_set_int(h.facts, F_SYSCTL_VM_MIN_FREE_KBYTES, 67584, "proc/sys/vm/min_free_kbytes");
	struct tplan t = {0};
	add_decision(&t, "vm.min_free_kbytes", 67584, false, 0, SEV_INFO);
	t.d[0].changed = false;
	struct audit *a = run(&h, &t, NULL);
	assert_int_equal(a->keys[0].state, AST_COMPLIANT); /* kernel's own value, nothing to persist */
	assert_int_equal(a->status, ASTATUS_OK);
	audit_free(a);
	add_finding(&t, "oom-kills", SEV_CRITICAL);
	a = run(&h, &t, NULL);
	assert_int_equal(a->status, ASTATUS_CRITICAL);
	assert_non_null(strstr(a->summary, "1 critical"));
	audit_free(a);
	/* sustained direct reclaim with a key in drift: critical; since boot: not */
	struct tplan t3 = {0};
	add_decision(&t3, "vm.min_free_kbytes", 90112, false, 0, SEV_WARNING);
	facts_set_float(h.facts, F_RATE_ALLOCSTALL, 5, "derived");
	facts_set_str(h.facts, F_RATE_KIND, "since-boot", "derived");
	a = run(&h, &t3, NULL);
	assert_int_equal(a->status, ASTATUS_WARNING);
	audit_free(a);
	facts_set_str(h.facts, F_RATE_KIND, "interval", "derived");
	a = run(&h, &t3, NULL);
	assert_int_equal(a->status, ASTATUS_CRITICAL);
	assert_non_null(strstr(a->summary, "sustained direct reclaim (5/s) with the advice not applied"));
	audit_free(a);
	facts_set_float(h.facts, F_RATE_ALLOCSTALL, 0.5, "derived");
	a = run(&h, &t3, NULL);
	assert_int_equal(a->status, ASTATUS_WARNING);
	audit_free(a);
	/* critical advice in drift is critical even without a finding */
	struct tplan t2 = {0};
	add_decision(&t2, "vm.min_free_kbytes", 90112, false, 0, SEV_CRITICAL);
	a = run(&h, &t2, NULL);
	assert_int_equal(a->keys[0].state, AST_DRIFT);
	assert_int_equal(a->status, ASTATUS_CRITICAL);
	audit_free(a);
	host_free(&h);
}

static void test_procps_note_and_fragment(void **state)
{
	(void)state;
	put("etc/sysctl.d/60-reclaim-advisor.conf", "vm.swappiness = 10\nvm.page-cluster = 0\n");
	put("etc/sysctl.conf", "vm.swappiness = 60\n");
	struct host h;
	host_init(&h);
	facts_set_int(h.facts, F_SYSCTL_VM_SWAPPINESS, 10, "proc/sys/vm/swappiness");
	facts_set_int(h.facts, F_SYSCTL_VM_PAGE_CLUSTER, 3, "proc/sys/vm/page-cluster");
	struct strkv kv[2] = {{(char *)"vm.swappiness", (char *)"10", 1},
			      {(char *)"vm.page-cluster", (char *)"0", 2}};
	struct strkvlist frag = {kv, 2};
	struct audit *a = run(&h, NULL, &frag);
	assert_string_equal(a->expected_from, "fragment");
	assert_int_equal(a->nkeys, 2);
	assert_string_equal(a->keys[0].sysctl, "vm.page-cluster");
	assert_int_equal(a->keys[0].state, AST_DRIFT);
	assert_string_equal(a->keys[0].expected_src, AUDIT_DEFAULT_FRAGMENT ":2");
	assert_int_equal(a->keys[1].state, AST_COMPLIANT);
	assert_non_null(a->keys[1].procps);
	assert_string_equal(a->keys[1].procps_file, "/etc/sysctl.conf");
	assert_non_null(strstr(a->keys[1].note, "sysctl --system"));

	struct buf b = {0};
	audit_render_text(a, &b);
	const char *s = buf_str(&b);
	assert_non_null(strstr(s, "RECLAIM-ADVISOR WARNING - 1 of 2 keys not compliant (drift 1)"));
	/* Nagios performance data on the status line, after '|' */
	const char *nl = strchr(s, '\n');
	const char *bar = strchr(s, '|');
	assert_true(bar && bar < nl);
	assert_non_null(strstr(bar, "| keys=2;;;0 not_compliant=1;0;;0;2 findings_critical="));
	assert_null(strchr(bar + 1, '|') < nl ? strchr(bar + 1, '|') : NULL);
	assert_non_null(strstr(s, "vm.page-cluster"));
	assert_non_null(strstr(s, "drift [1]"));
	assert_non_null(strstr(s, "compliant [2]"));
	assert_non_null(strstr(s, "[1] vm.page-cluster (drift): live 3, expected 0"));
	assert_non_null(strstr(s, "status: warning (exit 1)"));
	buf_free(&b);

	audit_render_json(a, &b);
	json_object *o = json_tokener_parse(buf_str(&b));
	assert_non_null(o);
	json_object *v;
	assert_true(json_object_object_get_ex(o, "schema", &v));
	assert_string_equal(json_object_get_string(v), "reclaim-advisor/audit");
	assert_true(json_object_object_get_ex(o, "exit_code", &v));
	assert_int_equal(json_object_get_int(v), 1);
	assert_true(json_object_object_get_ex(o, "status", &v));
	assert_string_equal(json_object_get_string(v), "warning");
	assert_true(json_object_object_get_ex(o, "keys", &v));
	assert_int_equal(json_object_array_length(v), 2);
	json_object *k1 = json_object_array_get_idx(v, 1), *ab, *pp;
	assert_true(json_object_object_get_ex(k1, "at_boot", &ab));
	assert_true(json_object_object_get_ex(ab, "procps", &pp));
	json_object_put(o);
	/* deterministic */
	struct buf b2 = {0};
	audit_render_json(a, &b2);
	assert_string_equal(buf_str(&b), buf_str(&b2));
	buf_free(&b);
	buf_free(&b2);
	audit_free(a);
	host_free(&h);
}

static void test_unknown(void **state)
{
	(void)state;
	struct audit *a = audit_unknown("/nonexistent", NULL, "cannot open root: No such file");
	assert_int_equal(a->status, ASTATUS_UNKNOWN);
	assert_string_equal(a->host.id, "/nonexistent");
	struct buf b = {0};
	audit_render_text(a, &b);
	assert_non_null(strstr(buf_str(&b), "RECLAIM-ADVISOR UNKNOWN - cannot open root: No such file | keys=0;;;0 "));
	buf_free(&b);
	audit_render_json(a, &b);
	assert_non_null(strstr(buf_str(&b), "\"exit_code\": 3"));
	buf_free(&b);
	audit_free(a);
	audit_free(NULL);
	struct audit_input in = {0};
	assert_int_equal(audit_build(&in, &a), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_compliant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drift_runtime_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shadowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_persistent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_min_free_kbytes_thp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_applicable_and_not_permitted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_critical, setup, teardown),
		cmocka_unit_test_setup_teardown(test_procps_note_and_fragment, setup, teardown),
		cmocka_unit_test(test_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
