/* fleet: aggregation of audit reports rendered by the real audit renderer,
 * hand-written recommend reports, and malformed or foreign documents. */
#include "testutil.h"

#include "base/xalloc.h"
#include "audit/audit.h"
#include "fleet/fleet.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An audit report for a host with the given RAM, swappiness live value and
 * OOM count, rendered through audit_render_json. */
static char *audit_report_named(const char *id, const char *hostname, const char *given, int64_t ram_kb,
				int64_t swappiness, int64_t ooms)
{
	struct host h;
	memset(&h, 0, sizeof(h));
	h.facts = facts_new();
	h.origin = xstrdup(id);
	if (hostname)
		facts_set_str(h.facts, F_KERNEL_HOSTNAME, hostname, "proc/sys/kernel/hostname");
	facts_set_int(h.facts, F_MEMINFO_MEMTOTAL, ram_kb, "proc/meminfo");
	facts_set_str(h.facts, F_KERNEL_OSRELEASE, "6.1.0", "x");
	facts_set_int(h.facts, F_SYSCTL_VM_SWAPPINESS, swappiness, "x");
	facts_set_int(h.facts, F_SYSCTL_VM_MIN_FREE_KBYTES, 67584, "x");
	if (ooms)
		facts_set_int(h.facts, F_RECLAIM_OOM_KILLS, ooms, "derived");
	struct decision d[2];
	memset(d, 0, sizeof(d));
	d[0].sysctl = (char *)"vm.min_free_kbytes";
	d[0].recommended.type = FACT_INT;
	d[0].recommended.u.i = 67584;
	d[0].rule = (char *)"r";
	d[1].sysctl = (char *)"vm.swappiness";
	d[1].recommended.type = FACT_INT;
	d[1].recommended.u.i = 60;
	d[1].has_default = true;
	d[1].kernel_default.type = FACT_INT;
	d[1].kernel_default.u.i = 60;
	d[1].rule = (char *)"r";
	struct finding f = {.rule = (char *)"oom-kills", .severity = SEV_CRITICAL, .reason = (char *)"x"};
	struct plan p;
	memset(&p, 0, sizeof(p));
	p.d = d;
	p.nd = 2;
	p.f = &f;
	p.nf = ooms ? 1 : 0;
	struct audit_input in = {.host = &h, .plan = &p, .host_id = given};
	struct audit *a = NULL;
	assert_int_equal(audit_build(&in, &a), 0);
	struct buf b = {0};
	audit_render_json(a, &b);
	audit_free(a);
	host_free(&h);
	return buf_steal(&b);
}

static char *audit_report(const char *id, int64_t ram_kb, int64_t swappiness, int64_t ooms)
{
	return audit_report_named(id, NULL, NULL, ram_kb, swappiness, ooms);
}

static const char *recommend_report =
	"{\"schema\": \"reclaim-advisor/report\", \"version\": 1,"
	" \"host\": {\"id\": \"rec-1\", \"facts\": {\"meminfo.MemTotal\": {\"value\": 16000000, \"unit\": \"kB\"},"
	" \"rate.allocstall\": 4.5}},"
	" \"recommendations\": [{\"sysctl\": \"vm.swappiness\", \"current\": 60, \"recommended\": 10, \"changed\": true},"
	" {\"sysctl\": \"vm.min_free_kbytes\", \"current\": 67584, \"recommended\": 67584, \"changed\": false}],"
	" \"findings\": [{\"rule\": \"direct-reclaim\", \"severity\": \"warning\", \"reason\": \"r\"}]}";

static void add(struct fleet *f, const char *doc, const char *origin, struct diag_list *d, int expect)
{
	assert_int_equal(fleet_add_report(f, doc, strlen(doc), origin, d), expect);
}

static void test_aggregate(void **state)
{
	(void)state;
	struct fleet_opts o = {.threads = 1};
	struct fleet *f = fleet_new(&o);
	struct diag_list d = {0};
	/* four 16 GiB hosts, one with swappiness 10 (outlier, drift), one 4 GiB host */
	const struct {
		const char *id;
		int64_t ram, swp, oom;
	} hosts[] = {
		{"web-1", 16303444, 60, 0}, {"web-2", 16303444, 60, 0}, {"web-3", 16303444, 10, 0},
		{"web-4", 16000000, 60, 2}, {"db-1", 4000000, 60, 0},
	};
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		char *r = audit_report(hosts[i].id, hosts[i].ram, hosts[i].swp, hosts[i].oom);
		add(f, r, hosts[i].id, &d, 0);
		free(r);
	}
	add(f, recommend_report, "rec.json", &d, 0);
	add(f, "{\"schema\": \"something/else\"}", "foreign.json", &d, -EINVAL);
	add(f, "{\"schema\": \"reclaim-advisor/audit\", \"host\": {}, \"keys\": [], ", "trunc.json", &d, -EINVAL);
	add(f, "not json at all", "junk.txt", &d, -EINVAL);
	add(f, "[1, 2]", "array.json", &d, -EINVAL);
	add(f, "{\"schema\": \"reclaim-advisor/audit\", \"host\": {\"id\": \"x\"}}", "nokeys.json", &d, -EINVAL);
	add(f, "{\"schema\": \"reclaim-advisor/audit\", \"host\": {}, \"keys\": [], \"status\": \"ok\"} x",
	    "trailing.json", &d, -EINVAL);
	assert_int_equal(fleet_nhosts(f), 6);
	assert_int_equal(fleet_nskipped(f), 6);
	assert_int_equal(d.n, 6);
	assert_non_null(strstr(d.v[0].msg, "foreign document: schema \"something/else\""));
	assert_string_equal(d.v[1].origin, "trunc.json");

	struct buf b = {0};
	fleet_render_text(f, &b);
	const char *t = buf_str(&b);
	assert_non_null(strstr(t, "fleet: 6 hosts from 6 reports, 6 skipped; groups by RAM class"));
	assert_non_null(strstr(t, "critical       1  web-4"));
	assert_non_null(strstr(t, "warning        2  rec-1, web-3"));
	assert_non_null(strstr(t, "ok             3"));
	assert_non_null(strstr(t, "vm.swappiness                         2 / 6      (drift 2)"));
	assert_non_null(strstr(t, "web-4                            OOM kills 2"));
	assert_non_null(strstr(t, "rec-1                            direct reclaim 4.5/s"));
	assert_non_null(strstr(t, "16GiB (5 hosts): vm.swappiness is 60 on 4 of 5; differs on 1: web-3=10"));
	assert_non_null(strstr(t, "vm.swappiness: 60 x5 10 x1"));
	assert_non_null(strstr(t, "junk.txt: not JSON"));
	buf_free(&b);

	fleet_render_json(f, &b);
	json_object *j = json_tokener_parse(buf_str(&b));
	assert_non_null(j);
	json_object *v, *x;
	assert_true(json_object_object_get_ex(j, "hosts_by_state", &v));
	assert_true(json_object_object_get_ex(v, "critical", &x));
	assert_int_equal(json_object_array_length(x), 1);
	assert_true(json_object_object_get_ex(j, "skipped", &v));
	assert_int_equal(json_object_array_length(v), 6);
	json_object_put(j);
	buf_free(&b);
	fleet_free(f);
	fleet_free(NULL);
	diag_list_clear(&d);
	free(d.v);
}

/* Two reports of one host: the audit counts, whatever the order. */
static void test_supersede(void **state)
{
	(void)state;
	struct fleet_opts o = {.threads = 1};
	struct fleet *f = fleet_new(&o);
	struct diag_list d = {0};
	char *r = audit_report("rec-1", 16000000, 60, 0);
	add(f, recommend_report, "a/rec.json", &d, 0);
	add(f, r, "b/audit.json", &d, 0);
	add(f, recommend_report, "c/rec.json", &d, 0);
	free(r);
	assert_int_equal(fleet_nhosts(f), 1);
	struct buf b = {0};
	fleet_render_text(f, &b);
	assert_non_null(strstr(buf_str(&b), "fleet: 1 hosts from 3 reports, 0 skipped"));
	assert_non_null(strstr(buf_str(&b), "ok             1")); /* the audit's status, not the report's */
	buf_free(&b);
	fleet_free(f);
	diag_list_clear(&d);
	free(d.v);
}

static void test_group_by(void **state)
{
	(void)state;
	struct fleet_opts o = {.group_by = "kernel", .threads = 1};
	struct fleet *f = fleet_new(&o);
	struct diag_list d = {0};
	for (int i = 0; i < 3; i++) {
		char id[16];
		snprintf(id, sizeof(id), "h%d", i);
		char *r = audit_report(id, 1000000 * (i + 1), i == 2 ? 1 : 60, 0);
		add(f, r, id, &d, 0);
		free(r);
	}
	struct buf b = {0};
	fleet_render_text(f, &b);
	assert_non_null(strstr(buf_str(&b), "6.1.0 (3 hosts): vm.swappiness is 60 on 2 of 3; differs on 1: h2=1"));
	buf_free(&b);
	fleet_free(f);
	diag_list_clear(&d);
	free(d.v);
}

/* --group-by a label set with `audit --label role=...` */
static void test_group_by_label(void **state)
{
	(void)state;
	struct fleet_opts o = {.group_by = "role", .threads = 1};
	struct fleet *f = fleet_new(&o);
	struct diag_list d = {0};
#define LABEL_DOC "{\"schema\": \"reclaim-advisor/audit\", \"host\": {\"id\": \"%s\", \"labels\": {\"role\": \"%s\"}}," \
		  " \"status\": \"ok\", \"keys\": [{\"sysctl\": \"vm.swappiness\", \"live\": \"%s\", \"state\": \"compliant\"}]}"
	const char *rows[5][3] = {{"db1", "db", "10"}, {"db2", "db", "10"}, {"db3", "db", "60"},
				  {"web1", "web", "60"}, {"x", "", "60"}};
	for (int i = 0; i < 5; i++) {
		char doc[512];
		snprintf(doc, sizeof(doc), LABEL_DOC, rows[i][0], rows[i][1], rows[i][2]);
		if (i == 4) /* no labels at all */
			snprintf(doc, sizeof(doc), "{\"schema\": \"reclaim-advisor/audit\", \"host\": {\"id\": \"x\"}, "
						   "\"status\": \"ok\", \"keys\": []}");
		add(f, doc, rows[i][0], &d, 0);
	}
	struct buf b = {0};
	fleet_render_text(f, &b);
	assert_non_null(strstr(buf_str(&b), "db (3 hosts): vm.swappiness is 10 on 2 of 3; differs on 1: db3=60"));
	buf_free(&b);
	fleet_render_json(f, &b);
	assert_non_null(strstr(buf_str(&b), "\"group\": \"(none)\""));
	assert_non_null(strstr(buf_str(&b), "\"group\": \"web\""));
	buf_free(&b);
	fleet_free(f);
	diag_list_clear(&d);
	free(d.v);
}

/* fleet_load: the reports under a directory of golden recommend reports,
 * a path that does not exist (an error naming it, nothing loaded), and a
 * directory without reports (an empty fleet). */
static void test_load(void **state)
{
	(void)state;
	char *const dirs[] = {"tests/golden/shipped"}, *const missing[] = {"tests/golden/shipped", "/nonexistent/x"};
	struct fleet_opts o = {0};
	struct fleet *f = NULL;
	struct diag_list d = {0};
	size_t nfiles = 0;
	assert_int_equal(fleet_load(dirs, 1, &o, &f, &nfiles, &d), 0);
	assert_int_equal(fleet_nskipped(f), 0);
	assert_true(fleet_nhosts(f) >= 5 && nfiles >= fleet_nhosts(f)); /* a host's later reports count once */
	/* the same fleet as its steps one by one */
	char **paths = NULL, **refused = NULL;
	size_t npaths = 0, nrefused = 0, bad = 0;
	assert_int_equal(fleet_find_reports(dirs, 1, &paths, &npaths, &refused, &nrefused, &bad), 0);
	assert_int_equal(npaths, nfiles);
	assert_int_equal(nrefused, 0);
	fleet_paths_free(refused, nrefused);
	struct fleet *g = fleet_new(&o);
	fleet_add_files(g, paths, npaths, &d);
	struct buf b1 = {0}, b2 = {0};
	fleet_render_json(f, &b1);
	fleet_render_json(g, &b2);
	assert_string_equal(buf_str(&b1), buf_str(&b2));
	buf_free(&b1);
	buf_free(&b2);
	fleet_free(g);
	fleet_paths_free(paths, npaths);
	fleet_free(f);
	f = NULL;
	assert_int_equal(fleet_load(missing, 2, &o, &f, &nfiles, &d), -ENOENT);
	assert_null(f);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].origin, "/nonexistent/x");
	assert_string_equal(d.v[0].msg, "No such file or directory");
	diag_list_clear(&d);
	char dir[] = "/tmp/test_fleet.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *const empty[] = {dir};
	assert_int_equal(fleet_load(empty, 1, &o, &f, &nfiles, &d), 0);
	assert_int_equal(nfiles, 0);
	assert_int_equal(fleet_nhosts(f), 0);
	fleet_free(f);
	rmdir(dir);
}

/* Files through worker threads give the same result as one by one. */
static void test_files_threads(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_fleet.XXXXXX";
	assert_non_null(mkdtemp(dir));
	enum { N = 700 };
	char **paths = xcalloc(N + 1, sizeof(*paths));
	for (int i = 0; i < N; i++) {
		paths[i] = xasprintf("%s/r%04d.json", dir, i);
		char id[16];
		snprintf(id, sizeof(id), "n%04d", i);
		char *r = i == 500 ? xstrdup("{") : audit_report(id, 8000000, i % 7 ? 60 : 30, i % 100 == 0);
		FILE *fp = fopen(paths[i], "w");
		assert_non_null(fp);
		fputs(r, fp);
		fclose(fp);
		free(r);
	}
	paths[N] = xasprintf("%s/missing.json", dir);
	struct buf out[2] = {{0}, {0}};
	for (int t = 0; t < 2; t++) {
		struct fleet_opts o = {.threads = t ? 4 : 1};
		struct fleet *f = fleet_new(&o);
		struct diag_list d = {0};
		assert_int_equal(fleet_add_files(f, paths, N + 1, &d), N - 1);
		assert_int_equal(fleet_nskipped(f), 2);
		fleet_render_json(f, &out[t]);
		fleet_free(f);
		diag_list_clear(&d);
		free(d.v);
	}
	assert_string_equal(buf_str(&out[0]), buf_str(&out[1]));
	assert_non_null(strstr(buf_str(&out[0]), "cannot read: No such file or directory"));
	buf_free(&out[0]);
	buf_free(&out[1]);
	for (int i = 0; i <= N; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
	free(paths);
	rmdir(dir);
}

/* Numbers no report writes (found by tests/fuzz/fuzz_fleet.c): 1e308
 * bytes of RAM, 1e300 OOM kills, NaN: no undefined conversion, the host
 * is read, its RAM class is unknown and the count saturates. */
static void test_absurd_numbers(void **state)
{
	(void)state;
	struct fleet_opts o = {.threads = 1};
	struct fleet *f = fleet_new(&o);
	struct diag_list d = {0};
	const char *doc = "{\"schema\": \"reclaim-advisor/audit\", \"host\": {\"id\": \"x\", \"ram_bytes\": 1e308},"
			  " \"status\": \"critical\", \"keys\": [],"
			  " \"reclaim\": {\"allocstall_per_second\": NaN, \"oom_kills\": 1e300}}";
	add(f, doc, "x.json", &d, 0);
	struct buf b = {0};
	fleet_render_json(f, &b);
	assert_non_null(strstr(buf_str(&b), "ram-unknown"));
	assert_non_null(strstr(buf_str(&b), "9223372036854775807"));
	buf_free(&b);
	fleet_free(f);
	diag_list_clear(&d);
}

#define KEY_DOC "{\"schema\": \"reclaim-advisor/audit\", \"host\": {\"id\": \"%s\", \"ram_bytes\": %lld," \
		" \"kernel\": \"6.1.0\"}, \"status\": \"ok\", \"keys\": [" \
		"{\"sysctl\": \"vm.swappiness\", \"live\": \"%s\", \"state\": \"compliant\"}," \
		"{\"sysctl\": \"vm.min_free_kbytes\", \"live\": \"%s\", \"state\": \"compliant\"}]}"

static struct fleet *fleet_of(const char *group_by, const char *const rows[][4], size_t n)
{
	struct fleet_opts o = {.group_by = group_by, .threads = 1};
	struct fleet *f = fleet_new(&o);
	struct diag_list d = {0};
	for (size_t i = 0; i < n; i++) {
		char doc[1024];
		snprintf(doc, sizeof(doc), KEY_DOC, rows[i][0], atoll(rows[i][1]), rows[i][2], rows[i][3]);
		add(f, doc, rows[i][0], &d, 0);
	}
	diag_list_clear(&d);
	free(d.v);
	return f;
}

/* Host lists in natural order (host8 before host10), whatever the input
 * order; per-host records in the JSON. */
static void test_natural_order_records(void **state)
{
	(void)state;
	static const char *const rows[][4] = {
		{"host10", "17179869184", "10", "67584"},
		{"host8", "17179869184", "10", "67584"},
		{"host9", "17179869184", "60", "67584"},
		{"host1", "17179869184", "10", "67584"},
	};
	struct fleet *f = fleet_of(NULL, rows, 4);
	struct buf b = {0};
	fleet_render_text(f, &b);
	assert_non_null(strstr(buf_str(&b), "ok             4  host1, host8, host9, host10") ||
			strstr(buf_str(&b), "ok             4\n"));
	assert_non_null(strstr(buf_str(&b), "vm.swappiness is 10 on 3 of 4; differs on 1: host9=60"));
	buf_free(&b);
	fleet_render_json(f, &b);
	json_object *j = json_tokener_parse(buf_str(&b));
	json_object *v, *x, *id;
	assert_true(json_object_object_get_ex(j, "hosts_by_state", &v));
	assert_true(json_object_object_get_ex(v, "ok", &x));
	const char *want[] = {"host1", "host8", "host9", "host10"};
	for (int i = 0; i < 4; i++)
		assert_string_equal(json_object_get_string(json_object_array_get_idx(x, i)), want[i]);
	assert_true(json_object_object_get_ex(j, "host_records", &v));
	assert_int_equal(json_object_array_length(v), 4);
	x = json_object_array_get_idx(v, 3);
	assert_true(json_object_object_get_ex(x, "id", &id));
	assert_string_equal(json_object_get_string(id), "host10");
	assert_true(json_object_object_get_ex(x, "ram_bytes", &id));
	assert_int_equal(json_object_get_int64(id), 17179869184LL);
	assert_true(json_object_object_get_ex(x, "keys", &id));
	assert_int_equal(json_object_array_length(id), 2);
	assert_non_null(strstr(json_object_to_json_string(id), "\"sysctl\": \"vm.swappiness\""));
	json_object_put(j);
	buf_free(&b);
	fleet_free(f);
}

/* No majority, no outliers: 2 x 10 and 2 x 60 name nobody. */
static void test_no_majority(void **state)
{
	(void)state;
	static const char *const rows[][4] = {
		{"a1", "17179869184", "10", "67584"}, {"a2", "17179869184", "10", "67584"},
		{"a3", "17179869184", "60", "67584"}, {"a4", "17179869184", "60", "67584"},
	};
	struct fleet *f = fleet_of(NULL, rows, 4);
	struct buf b = {0};
	fleet_render_text(f, &b);
	assert_null(strstr(buf_str(&b), "differs on"));
	assert_non_null(strstr(buf_str(&b), "16GiB (4 hosts): vm.swappiness has 2 values on 4 hosts; the most common one on 2"));
	buf_free(&b);
	fleet_render_json(f, &b);
	const char *nm = strstr(buf_str(&b), "\"no_majority\"");
	assert_non_null(nm);
	assert_non_null(strstr(nm, "\"sysctl\": \"vm.swappiness\""));
	assert_null(strstr(buf_str(&b), "\"outliers\": [ {")); /* no outlier object anywhere */
	buf_free(&b);
	fleet_free(f);
}

/* min_free_kbytes scales with RAM: the kernel's own sqrt(lowmem x 16)
 * differs a little between hosts of one RAM class (15.6 vs 16.4 GiB) and
 * is no outlier; a hand-set 1 GiB reserve is.  With --group-by kernel the
 * comparison stays within a RAM class: a 4 GiB host's smaller default is
 * not compared with the 16 GiB ones. */
static void test_ram_scaled(void **state)
{
	(void)state;
	static const char *const rows[][4] = {
		{"h1", "16750372864", "60", "15974"}, {"h2", "17179869184", "60", "16384"},
		{"h3", "17609365504", "60", "16584"}, {"h4", "16750372864", "60", "15974"},
		{"h5", "17179869184", "60", "1048576"}, {"h6", "17179869184", "60", "16384"},
		{"h7", "16106127360", "60", "15872"}, {"s1", "4294967296", "60", "8192"},
	};
	struct fleet *f = fleet_of(NULL, rows, 8);
	struct buf b = {0};
	fleet_render_text(f, &b);
	const char *t = buf_str(&b);
	assert_non_null(strstr(t, "16GiB (7 hosts): vm.min_free_kbytes is within 1.5x of 16384 on 6 of 7; differs on 1: h5=1048576"));
	assert_null(strstr(t, "h1="));
	buf_free(&b);
	fleet_free(f);

	f = fleet_of("kernel", rows, 8);
	fleet_render_text(f, &b);
	t = buf_str(&b);
	assert_non_null(strstr(t, "6.1.0 (8 hosts): vm.min_free_kbytes on the 16GiB hosts is within 1.5x of 16384 on 6 of 7; differs on 1: h5=1048576"));
	assert_null(strstr(t, "s1="));
	buf_free(&b);
	fleet_free(f);
}

/* A key only a superseded report had leaves no empty row behind. */
static void test_no_empty_rows(void **state)
{
	(void)state;
	struct fleet_opts o = {.threads = 1};
	struct fleet *f = fleet_new(&o);
	struct diag_list d = {0};
	const char *rec = "{\"schema\": \"reclaim-advisor/report\", \"version\": 1, \"host\": {\"id\": \"n1\"},"
			  " \"recommendations\": [{\"sysctl\": \"vm.page-cluster\", \"current\": 3, \"changed\": true}],"
			  " \"findings\": []}";
	char doc[1024];
	snprintf(doc, sizeof(doc), KEY_DOC, "n1", 17179869184LL, "60", "67584");
	add(f, rec, "a.json", &d, 0);
	add(f, doc, "b.json", &d, 0);
	struct buf b = {0};
	fleet_render_text(f, &b);
	assert_null(strstr(buf_str(&b), "vm.page-cluster"));
	buf_free(&b);
	fleet_render_json(f, &b);
	assert_null(strstr(buf_str(&b), "vm.page-cluster"));
	buf_free(&b);
	fleet_free(f);
	diag_list_clear(&d);
	free(d.v);
}

/* Three clones of one image (one machine-id digest, three names) and a
 * host whose two reports carry its name: the clones stay three hosts,
 * listed as sharing the id; the two reports of one host are one host. */
static void test_cloned(void **state)
{
	(void)state;
	struct fleet_opts o = {.threads = 1};
	struct fleet *f = fleet_new(&o);
	struct diag_list d = {0};
	const char *names[] = {"web-10", "web-9", "web-1"};
	for (size_t i = 0; i < 3; i++) {
		char *r = audit_report_named("/srv/capture", names[i], "m-4bbb216e77ba8f73", 16303444, 60, 0);
		add(f, r, names[i], &d, 0);
		free(r);
	}
	for (int i = 0; i < 2; i++) {
		char *r = audit_report_named("/srv/capture", "db-1", NULL, 16303444, 60, 0);
		add(f, r, "db-1.json", &d, 0);
		free(r);
	}
	assert_int_equal(fleet_nhosts(f), 4);
	struct buf b = {0};
	fleet_render_text(f, &b);
	const char *t = buf_str(&b);
	assert_non_null(strstr(t, "fleet: 4 hosts from 5 reports, 0 skipped"));
	assert_non_null(strstr(t, "hosts sharing one id (1 ids;"));
	assert_non_null(strstr(t, "  m-4bbb216e77ba8f73: 3 hosts: web-1, web-9, web-10\n"));
	buf_free(&b);
	fleet_render_json(f, &b);
	json_object *j = json_tokener_parse(buf_str(&b));
	assert_non_null(j);
	json_object *sh = json_object_object_get(j, "shared_ids");
	assert_int_equal(json_object_array_length(sh), 1);
	json_object *s0 = json_object_array_get_idx(sh, 0);
	assert_string_equal(json_object_get_string(json_object_object_get(s0, "id")), "m-4bbb216e77ba8f73");
	json_object *hn = json_object_object_get(s0, "hostnames");
	assert_int_equal(json_object_array_length(hn), 3);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(hn, 2)), "web-10");
	json_object *recs = json_object_object_get(j, "host_records");
	assert_int_equal(json_object_array_length(recs), 4);
	json_object *r0 = json_object_array_get_idx(recs, 0);
	assert_string_equal(json_object_get_string(json_object_object_get(r0, "id")), "db-1");
	assert_string_equal(json_object_get_string(json_object_object_get(r0, "hostname")), "db-1");
	json_object *r1 = json_object_array_get_idx(recs, 1);
	assert_string_equal(json_object_get_string(json_object_object_get(r1, "host")), "m-4bbb216e77ba8f73 (web-1)");
	json_object_put(j);
	buf_free(&b);
	fleet_free(f);
	diag_list_clear(&d);
	free(d.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cloned),
		cmocka_unit_test(test_aggregate),
		cmocka_unit_test(test_supersede),
		cmocka_unit_test(test_group_by),
		cmocka_unit_test(test_group_by_label),
		cmocka_unit_test(test_files_threads),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_absurd_numbers),
		cmocka_unit_test(test_natural_order_records),
		cmocka_unit_test(test_no_majority),
		cmocka_unit_test(test_ram_scaled),
		cmocka_unit_test(test_no_empty_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
