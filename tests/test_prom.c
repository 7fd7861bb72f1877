/* prom: textfile format, escaping, base units, determinism. */
#include "testutil.h"

#include "base/xalloc.h"
#include "render/prom.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void host_with_zones(struct host *h)
{
	memset(h, 0, sizeof(*h));
	h->facts = facts_new();
	h->origin = xstrdup("capture");
	facts_set_int(h->facts, F_HOST_PAGE_SIZE, 4096, "derived");
	facts_set_int(h->facts, F_SYSCTL_VM_SWAPPINESS, 60, "proc/sys/vm/swappiness");
	facts_set_str(h->facts, F_SYSCTL_VM_LOWMEM_RESERVE_RATIO, "256 256 32 0", "proc/sys/vm/lowmem_reserve_ratio");
	facts_set_float(h->facts, F_RATE_ALLOCSTALL, 2.5, "derived");
	facts_set_float(h->facts, F_RATE_PGSCAN_DIRECT, 100, "derived");
	facts_set_float(h->facts, F_RATE_PGSCAN_KSWAPD, 400, "derived");
	facts_set_float(h->facts, F_RATE_WINDOW_S, 10, "derived");
	facts_set_str(h->facts, F_RATE_KIND, "interval", "derived");
	facts_set_int(h->facts, F_RECLAIM_OOM_KILLS, 3, "derived");
	facts_set_int(h->facts, F_RECLAIM_ALLOCSTALL_TOTAL, 42, "derived");
	facts_set_int(h->facts, F_RECLAIM_PGSCAN_DIRECT_TOTAL, 100, "derived");
	facts_set_int(h->facts, F_SYSCTL_VM_MIN_FREE_KBYTES, 67584, "proc/sys/vm/min_free_kbytes");
	facts_set_int(h->facts, F_SYSCTL_VM_DIRTY_EXPIRE_CENTISECS, 3000, "proc/sys/vm/dirty_expire_centisecs");
	facts_set_int(h->facts, F_SYSCTL_VM_DIRTY_RATIO, 20, "proc/sys/vm/dirty_ratio");
	h->zi.nzones = 3;
	h->zi.zones = xcalloc(3, sizeof(struct zone));
	const char *names[3] = {"DMA32", "Normal", "Movable"};
	for (int i = 0; i < 3; i++) {
		struct zone *z = &h->zi.zones[i];
		z->node = i == 2 ? 1 : 0;
		z->name = xstrdup(names[i]);
		z->min = 100 * (i + 1);
		z->low = 125 * (i + 1);
		z->high = 150 * (i + 1);
		z->boost = i == 1 ? 7 : 0;
		z->promo = ZONE_ABSENT;
		z->free = 1000;
		z->managed = i == 2 ? 0 : 100000; /* Movable is empty */
		z->present = z->spanned = z->cma = ZONE_ABSENT;
	}
}

static struct audit *make_audit(struct host *h)
{
	static struct decision d[2];
	static struct finding f[2];
	static struct plan p;
	memset(d, 0, sizeof(d));
	d[0].sysctl = (char *)"vm.lowmem_reserve_ratio";
	d[0].recommended.type = FACT_STR;
	d[0].recommended.u.s = "256 256 32 0";
	d[0].rule = (char *)"r0";
	d[1].sysctl = (char *)"vm.swappiness";
	d[1].recommended.type = FACT_INT;
	d[1].recommended.u.i = 10;
	d[1].has_default = true;
	d[1].kernel_default.type = FACT_INT;
	d[1].kernel_default.u.i = 60;
	d[1].changed = true;
	d[1].rule = (char *)"r1";
	f[0].rule = (char *)"oom-kills";
	f[0].severity = SEV_CRITICAL;
	f[0].reason = (char *)"x";
	f[1].rule = (char *)"pressure";
	f[1].severity = SEV_WARNING;
	f[1].reason = (char *)"y";
	memset(&p, 0, sizeof(p));
	p.d = d;
	p.nd = 2;
	p.f = f;
	p.nf = 2;
	p.profile = (char *)"default";
	p.ruleset_digest = (char *)"ab\"c\\d\ne";
	struct audit_input in = {.host = h, .plan = &p};
	struct audit *a = NULL;
	assert_int_equal(audit_build(&in, &a), 0);
	return a;
}

/* Every sample belongs to a family declared just before with HELP and TYPE,
 * each family is declared once, no timestamps, no NaN. */
static void check_format(const char *text)
{
	char fam[128] = "";
	char seen[64][128];
	int nseen = 0;
	const char *s = text;
	while (*s) {
		const char *nl = strchr(s, '\n');
		assert_non_null(nl);
		char line[1024];
		size_t n = (size_t)(nl - s);
		assert_true(n < sizeof(line));
		memcpy(line, s, n);
		line[n] = 0;
		if (!strncmp(line, "# HELP ", 7)) {
			sscanf(line + 7, "%127s", fam);
			for (int i = 0; i < nseen; i++)
				assert_string_not_equal(seen[i], fam);
			assert_true(nseen < 64);
			strcpy(seen[nseen++], fam);
			assert_int_equal(strncmp(fam, "reclaim_advisor_", 16), 0);
		} else if (!strncmp(line, "# TYPE ", 7)) {
			char t[128], ty[32];
			assert_int_equal(sscanf(line + 7, "%127s %31s", t, ty), 2);
			assert_string_equal(t, fam);
			assert_true(!strcmp(ty, "gauge") || !strcmp(ty, "counter"));
		} else {
			assert_int_equal(strncmp(line, fam, strlen(fam)), 0);
			char c = line[strlen(fam)];
			assert_true(c == ' ' || c == '{');
			/* value is the last field; exactly one value, no timestamp */
			const char *v = strrchr(line, ' ');
			assert_non_null(v);
			const char *close = strrchr(line, '}');
			if (close)
				assert_true(close + 1 == v);
			else
				assert_ptr_equal(strchr(line, ' '), v);
			assert_null(strstr(v, "nan"));
			assert_null(strstr(v, "inf"));
		}
		s = nl + 1;
	}
}

static void test_render(void **state)
{
	(void)state;
	struct host h;
	host_with_zones(&h);
	struct audit *a = make_audit(&h);
	struct buf b = {0};
	prom_render(a, &h, &(struct prom_opts){.version = "1.2.3"}, &b);
	const char *t = buf_str(&b);
	check_format(t);
	assert_non_null(strstr(t, "reclaim_advisor_info{version=\"1.2.3\",ruleset_digest=\"ab\\\"c\\\\d\\ne\",profile=\"default\"} 1\n"));
	assert_non_null(strstr(t, "reclaim_advisor_audit_status 2\n"));
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_value{sysctl=\"vm.swappiness\"} 60\n"));
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_expected_value{sysctl=\"vm.swappiness\"} 10\n"));
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_boot_value{sysctl=\"vm.swappiness\"} 60\n"));
	/* multi-field values are not numbers: no sample, but compliance is there */
	assert_null(strstr(t, "sysctl_value{sysctl=\"vm.lowmem_reserve_ratio\"}"));
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_compliant{sysctl=\"vm.lowmem_reserve_ratio\"} 1\n"));
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_compliant{sysctl=\"vm.swappiness\"} 0\n"));
	/* one series per key and state: 1 for the state, 0 for the others */
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_state{sysctl=\"vm.swappiness\",state=\"drift\"} 1\n"));
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_state{sysctl=\"vm.swappiness\",state=\"compliant\"} 0\n"));
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_state{sysctl=\"vm.swappiness\",state=\"unmanaged\"} 0\n"));
	/* a catalog key the advice does not cover keeps its series */
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_state{sysctl=\"vm.panic_on_oom\",state=\"unmanaged\"} 1\n"));
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_compliant{sysctl=\"vm.panic_on_oom\"} 1\n"));
	/* base units: kbytes -> bytes, centisecs -> seconds, percent -> ratio */
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_value{sysctl=\"vm.min_free_kbytes\"} 69206016\n"));
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_value{sysctl=\"vm.dirty_expire_centisecs\"} 30\n"));
	assert_non_null(strstr(t, "reclaim_advisor_sysctl_value{sysctl=\"vm.dirty_ratio\"} 0.2\n"));
	assert_non_null(strstr(t, "reclaim_advisor_keys{state=\"drift\"} 1\n"));
	/* Normal: min 200 pages, low 250, high 300, boost 7 (4 KiB pages) */
	assert_non_null(strstr(t, "reclaim_advisor_watermark_min_bytes{node=\"0\",zone=\"Normal\"} 819200\n"));
	assert_non_null(strstr(t, "reclaim_advisor_watermark_kswapd_buffer_bytes{node=\"0\",zone=\"Normal\"} 204800\n"));
	assert_non_null(strstr(t, "reclaim_advisor_watermark_reclaim_target_bytes{node=\"0\",zone=\"Normal\"} 204800\n"));
	assert_non_null(strstr(t, "reclaim_advisor_watermark_boost_bytes{node=\"0\",zone=\"Normal\"} 28672\n"));
	assert_non_null(strstr(t, "reclaim_advisor_watermark_min_bytes{node=\"0\",zone=\"DMA32\"} 409600\n"));
	assert_null(strstr(t, "zone=\"Movable\"")); /* empty zone left out */
	/* counters, not rates; no OOM kills (node_exporter has node_vmstat_oom_kill) */
	assert_non_null(strstr(t, "# TYPE reclaim_advisor_direct_reclaim_stalls_total counter\n"
				  "reclaim_advisor_direct_reclaim_stalls_total 42\n"));
	assert_non_null(strstr(t, "reclaim_advisor_direct_scanned_bytes_total 409600\n"));
	assert_null(strstr(t, "per_second"));
	assert_null(strstr(t, "oom_kills"));
	assert_null(strstr(t, "ratio "));
	assert_non_null(strstr(t, "reclaim_advisor_findings{severity=\"critical\"} 1\n"));
	assert_non_null(strstr(t, "reclaim_advisor_findings{severity=\"warning\"} 1\n"));
	assert_non_null(strstr(t, "reclaim_advisor_findings{severity=\"info\"} 0\n"));
	struct buf b2 = {0};
	prom_render(a, &h, &(struct prom_opts){.version = "1.2.3"}, &b2);
	assert_string_equal(t, buf_str(&b2));
	buf_free(&b);
	buf_free(&b2);
	audit_free(a);
	host_free(&h);
}

static void test_unknown_minimal(void **state)
{
	(void)state;
	struct audit *a = audit_unknown("/nope", NULL, "no root");
	struct buf b = {0};
	prom_render(a, NULL, &(struct prom_opts){.version = "1.0"}, &b);
	check_format(buf_str(&b));
	assert_non_null(strstr(buf_str(&b), "reclaim_advisor_audit_status 3\n"));
	/* the series stay, all 0: no state is known */
	assert_non_null(strstr(buf_str(&b), "reclaim_advisor_sysctl_compliant{sysctl=\"vm.swappiness\"} 0\n"));
	assert_non_null(strstr(buf_str(&b), "reclaim_advisor_sysctl_state{sysctl=\"vm.swappiness\",state=\"unmanaged\"} 0\n"));
	const char *t = buf_str(&b);
	for (const char *s = t; (s = strstr(s, "} 1\n")); s++) {
		const char *line = s;
		while (line > t && line[-1] != '\n')
			line--;
		assert_int_equal(strncmp(line, "reclaim_advisor_info{", 21), 0); /* the only 1 */
	}
	buf_free(&b);
	audit_free(a);
}

/* --prom-instance: every sample carries the audit label first. */
static void test_instance(void **state)
{
	(void)state;
	struct host h;
	host_with_zones(&h);
	struct audit *a = make_audit(&h);
	struct buf b = {0};
	prom_render(a, &h, &(struct prom_opts){.version = "1", .instance = "db"}, &b);
	check_format(buf_str(&b));
	for (const char *s = buf_str(&b); *s;) {
		const char *nl = strchr(s, '\n');
		if (*s != '#') {
			const char *brace = strchr(s, '{');
			assert_true(brace && brace < nl);
			assert_int_equal(strncmp(brace, "{audit=\"db\"", 11), 0);
		}
		s = nl + 1;
	}
	assert_non_null(strstr(buf_str(&b), "reclaim_advisor_audit_status{audit=\"db\"} 2\n"));
	assert_true(prom_instance_valid("db-2.a_b"));
	assert_false(prom_instance_valid(""));
	assert_false(prom_instance_valid(".x"));
	assert_false(prom_instance_valid("a/b"));
	assert_false(prom_instance_valid("a b"));
	buf_free(&b);
	audit_free(a);
	host_free(&h);
}

static void test_escape(void **state)
{
	(void)state;
	struct buf b = {0};
	prom_escape_label(&b, "a\\b\"c\nd");
	assert_string_equal(buf_str(&b), "a\\\\b\\\"c\\nd");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_unknown_minimal),
		cmocka_unit_test(test_instance),
		cmocka_unit_test(test_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
