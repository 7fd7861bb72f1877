/* report: field order and presence, determinism, schema validation
 * (tests/validate_report.py, python3-jsonschema) of a hand-filled plan. */
#include "testutil.h"

#include "base/buf.h"
#include "base/xalloc.h"
#include "sysctld/apply.h"
#include "render/report.h"
#include "render/summary.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define I(x) ((struct value){.type = FACT_INT, .u.i = (x)})

static struct host host;
static struct zone zones[2];
static struct evidence ev[2];
static struct loser losers[1];
static struct decision dec[2];
static struct finding fnd[1];
static struct skipped skp[1];
static struct plan plan;
static struct rec_wmark before[2], after[2];
static struct rec_prec prec[2];
static struct apply_entry app[1];
static struct diag_list diags;
static bool sel[2] = {true, true};

static int setup(void **state)
{
	(void)state;
	host.facts = facts_new();
	facts_set_int(host.facts, F_MEMINFO_MEMTOTAL, 2029876, "t");
	facts_set_str(host.facts, F_KERNEL_OSRELEASE, "5.10.0", "t");
	facts_set_int(host.facts, F_HOST_PAGE_SIZE, 4096, "t");
	facts_set_int(host.facts, F_HOST_NUMA_NODES, 1, "t");
	host.origin = (char *)"fixtures/captures/x";
	zones[0] = (struct zone){.node = 0, .name = (char *)"DMA32"};
	zones[1] = (struct zone){.node = 0, .name = (char *)"Normal"};
	host.zi.zones = zones;
	host.zi.nzones = 2;

	ev[0] = (struct evidence){.fact = (char *)"meminfo.MemTotal", .present = true, .v = I(2029876), .unit = UNIT_KB};
	ev[1] = (struct evidence){.fact = (char *)"psi.some_avg10", .present = false, .unit = UNIT_PERCENT,
				  .reason = (char *)"proc/pressure/memory: not present"};
	losers[0] = (struct loser){.rule = (char *)"wsf-low", .value = I(50), .why = (char *)"lower priority (40 < 50)"};
	dec[0] = (struct decision){.sysctl = (char *)"vm.min_free_kbytes", .has_current = true, .current = I(45056),
				   .recommended = I(90112), .has_default = true, .kernel_default = I(45056),
				   .changed = true, .rule = (char *)"mfk", .rule_file = (char *)"r.ini", .rule_line = 3,
				   .severity = SEV_WARNING, .confidence = CONF_HIGH, .reason = (char *)"reserve",
				   .ev = ev, .nev = 2, .clamped = true, .unclamped = I(200000),
				   .clamp_reason = (char *)"5 % cap"};
	dec[1] = (struct decision){.sysctl = (char *)"vm.watermark_scale_factor", .has_current = true,
				   .current = I(10), .recommended = I(150), .has_default = true, .kernel_default = I(10),
				   .changed = true, .rule = (char *)"wsf", .rule_line = 9, .severity = SEV_INFO,
				   .confidence = CONF_MEDIUM, .reason = (char *)"gap", .losers = losers, .nlosers = 1,
				   .pinned_by = (char *)"db"};
	fnd[0] = (struct finding){.rule = (char *)"oom", .severity = SEV_CRITICAL, .confidence = CONF_LOW,
				  .reason = (char *)"OOM kills seen", .ev = ev, .nev = 1};
	skp[0] = (struct skipped){.rule = (char *)"numa", .kind = SKIP_NOT_FIRED, .why = (char *)"one node"};
	plan = (struct plan){.d = dec, .nd = 2, .f = fnd, .nf = 1, .s = skp, .ns = 1, .profile = (char *)"default",
			     .ruleset_digest = (char *)"0123abcd"};
	before[0] = (struct rec_wmark){0, "DMA32", 1000, 1250, 1500, ZONE_ABSENT};
	before[1] = (struct rec_wmark){0, "Normal", 7000, 8000, 9000, ZONE_ABSENT};
	after[0] = (struct rec_wmark){0, "DMA32", 2000, 2500, 3000, ZONE_ABSENT};
	after[1] = (struct rec_wmark){0, "Normal", 14000, 30000, 46000, ZONE_ABSENT};
	prec[0] = (struct rec_prec){.systemd_file = "/etc/sysctl.d/60-reclaim-advisor.conf", .systemd_line = 10,
				    .procps_file = "/etc/sysctl.conf", .procps_line = 2, .shadowed = true,
				    .shadowed_by = "/etc/sysctl.conf:2"};
	app[0] = (struct apply_entry){.sysctl = (char *)"vm.min_free_kbytes", .previous = (char *)"45056",
				      .written = (char *)"90112", .result = APPLY_NOT_PERMITTED, .err = 30};
	diag_add(&diags, DIAG_WARNING, "proc/vmstat", 3, 1, "odd line");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	facts_free(host.facts);
	diag_list_clear(&diags);
	return 0;
}

static struct rec_input input(void)
{
	return (struct rec_input){.plan = &plan, .host = &host, .version = "9.9.9",
				  .fragment_path = "/etc/sysctl.d/60-reclaim-advisor.conf", .selected = sel,
				  .prec = prec, .wm_before = before, .wm_after = after, .nwm = 2,
				  .apply = app, .napply = 1, .diags = &diags};
}

static char *render(const struct rec_input *in)
{
	struct json_object *doc = report_build(in);
	struct buf b = {0};
	report_to_text(doc, &b);
	json_object_put(doc);
	return buf_steal(&b);
}

static void validate(const char *text)
{
	if (access("/usr/bin/python3", X_OK)) {
		print_message("no /usr/bin/python3: schema validation skipped\n");
		return;
	}
	char path[] = "/tmp/test_report.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	char *cmd = xasprintf("/usr/bin/python3 tests/validate_report.py %s", path);
	int rc = system(cmd);
	free(cmd);
	unlink(path);
	assert_int_equal(rc, 0);
}

static void test_fields(void **state)
{
	(void)state;
	struct rec_input in = input();
	char *t = render(&in);
	/* Order of the top-level keys is part of the contract. */
	const char *order[] = {"\"schema\":\"reclaim-advisor/report\"", "\"version\":1", "\"tool\"", "\"host\"",
			       "\"profile\"", "\"ruleset\"", "\"watermarks\"", "\"fragment\"",
			       "\"recommendations\"", "\"findings\"", "\"skipped\"", "\"apply\"",
			       "\"diagnostics\"", "\"summary\""};
	const char *at = t;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *p = strstr(at, order[i]);
		if (!p)
			fail_msg("%s missing or out of order in\n%s", order[i], t);
		at = p;
	}
	assert_non_null(strstr(t, "\"origin\":\"fixtures/captures/x\""));            /* no \/ */
	/* host.id first in host, from the origin path when none is given and
	 * the host has no name (hostid.h) */
	assert_non_null(strstr(t, "\"host\":{\n    \"id\":\"fixtures/captures/x\",\n    \"hostname\":null,\n    \"origin\""));
	assert_non_null(strstr(t, "\"clamp_reason\":\"5 % cap\""));
	assert_non_null(strstr(t, "\"shadowed_by\":\"/etc/sysctl.conf:2\""));
	assert_non_null(strstr(t, "\"result\":\"not_permitted\""));
	assert_non_null(strstr(t, "\"absent_reason\":\"proc/pressure/memory: not present\""));
	assert_null(strstr(t, "generated_at"));
	validate(t);

	/* Deterministic: same inputs, same bytes. */
	char *t2 = render(&in);
	assert_string_equal(t, t2);
	free(t2);

	/* Minimal: no model, no precedence, no apply. */
	in.nwm = 0;
	in.wm_note = "watermark model not available";
	in.prec = NULL;
	in.apply = NULL;
	in.timestamp = "2026-11-29T09:00:00Z";
	in.host_id = "m-0123456789abcdef";
	char *t3 = render(&in);
	assert_non_null(strstr(t3, "\"id\":\"m-0123456789abcdef\""));
	assert_null(strstr(t3, "\"before\""));
	assert_null(strstr(t3, "\"apply\""));
	assert_non_null(strstr(t3, "\"generated_at\":\"2026-11-29T09:00:00Z\""));
	validate(t3);
	free(t3);
	free(t);
}

static void test_summary(void **state)
{
	(void)state;
	struct rec_input in = input();
	struct buf b = {0};
	summary_render(&in, true, &b);
	const char *s = buf_str(&b);
	assert_non_null(strstr(s, "vm.min_free_kbytes: 45056 (44 MiB) -> 90112 (88 MiB)\n"));
	assert_non_null(strstr(s, "    min watermark in node 0 Normal: 27 MiB -> 55 MiB\n"));
	assert_non_null(strstr(s, "    kswapd buffer in node 0 Normal: 3.9 MiB -> 62 MiB\n"));
	assert_non_null(strstr(s, "in the fragment is shadowed by /etc/sysctl.conf:2"));
	assert_non_null(strstr(s, "\nFindings (1):\n  critical oom: (low confidence) OOM kills seen\n"));
	assert_non_null(strstr(s, "\nRules that did not apply (1):\n  numa: one node\n"));
	assert_non_null(strstr(s, "not_permitted (Read-only file system)"));
	buf_free(&b);

	/* the default: changes in short, no skipped rules, no line too wide */
	summary_render(&in, false, &b);
	s = buf_str(&b);
	assert_non_null(strstr(s, "\nChanges ("));
	assert_non_null(strstr(s, "vm.min_free_kbytes: 45056 (44 MiB) -> 90112 (88 MiB)  ["));
	assert_non_null(strstr(s, "\nFindings (1):\n  critical oom: OOM kills seen\n"));
	assert_null(strstr(s, "numa"));
	for (const char *l = s; *l;) {
		const char *nl = strchr(l, '\n');
		assert_non_null(nl);
		assert_true(nl - l <= SUMMARY_WIDTH);
		l = nl + 1;
	}
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_summary),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
