/* wm_model_host (model/wm_setting.h): the `watermarks` command's models of
 * a real QEMU capture (fixtures/qemu/6.1-1g-thp-wsf200/before, THP always,
 * min_free_kbytes 45056, wsf 10), with and without other settings,
 * and each refusal with its diagnostic. */
#include "testutil.h"

#include "base/xalloc.h"
#include "model/wm_setting.h"

#include <errno.h>
#include <string.h>

#define FIXTURE "fixtures/qemu/6.1-1g-thp-wsf200/before"

static char tmpdir[] = "/tmp/test_wm_setting.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	int rc = tu_rm_rf(tmpdir);
	return rc;
}

static void load(const char *root, struct host *h)
{
	struct host_source src = {.root = root};
	assert_false(tu_load_failed(&src, h));
}

static struct wm_setting parse(const char *a, const char *b)
{
	struct wm_setting s = {0};
	if (a)
		assert_int_equal(wm_setting_parse(a, &s), 0);
	if (b)
		assert_int_equal(wm_setting_parse(b, &s), 0);
	return s;
}

/* No setting: the host's model only, nothing said. */
static void test_host_only(void **state)
{
	(void)state;
	struct host h = {0};
	struct wm_model m = {0}, after = {0};
	struct diag_list d = {0};
	struct wm_setting s = {0};
	load(FIXTURE, &h);
	assert_int_equal(wm_model_host(&h, &s, &m, &after, &d), 0);
	assert_int_equal(d.n, 0);
	assert_true(m.nzones > 0);
	assert_int_equal(m.p.min_free_kbytes, 45056);
	assert_int_equal(m.p.wsf, 10);
	assert_int_equal(after.nzones, 0);
	wm_model_free(&m);
	host_free(&h);
}

/* Both values given: the model after them, the host's kernel kept; a
 * min_free_kbytes below THP's floor gets the note. */
static void test_after_and_thp_note(void **state)
{
	(void)state;
	struct host h = {0};
	struct wm_model m = {0}, after = {0};
	struct diag_list d = {0};
	struct wm_setting s = parse("vm.min_free_kbytes=90000", "watermark_scale_factor=50");
	load(FIXTURE, &h);
	assert_int_equal(wm_model_host(&h, &s, &m, &after, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(after.p.min_free_kbytes, 90000);
	assert_int_equal(after.p.wsf, 50);
	assert_int_equal(after.k.kver, m.k.kver);
	assert_null(wm_setting_missing(&after));
	wm_model_free(&after);
	wm_model_free(&m);

	s = parse("min_free_kbytes=1024", NULL);
	assert_int_equal(wm_model_host(&h, &s, &m, &after, &d), 0);
	assert_true(after.thp_floor_kbytes > 1024);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].sev, DIAG_NOTE);
	char *want = xasprintf("min_free_kbytes 1024 is below THP's floor %lld kB; the next THP toggle or memory "
			       "hot-plug raises it again",
			       (long long)after.thp_floor_kbytes);
	assert_string_equal(d.v[0].msg, want);
	free(want);
	diag_list_clear(&d);
	wm_model_free(&after);
	wm_model_free(&m);
	host_free(&h);
}

/* A value outside the kernel's range: -ERANGE, the range said, nothing kept. */
static void test_out_of_range(void **state)
{
	(void)state;
	struct host h = {0};
	struct wm_model m = {0}, after = {0};
	struct diag_list d = {0};
	struct wm_setting s = parse("watermark_scale_factor=99999", NULL);
	load(FIXTURE, &h);
	assert_int_equal(wm_model_host(&h, &s, &m, &after, &d), -ERANGE);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].sev, DIAG_ERROR);
	assert_null(d.v[0].origin);
	assert_non_null(strstr(d.v[0].msg, "vm.watermark_scale_factor"));
	assert_int_equal(m.nzones, 0);
	assert_int_equal(after.nzones, 0);
	diag_list_clear(&d);
	host_free(&h);
}

/* The host lacks the sysctl the setting does not name: the report of the
 * host still stands, with an error that the prediction is missing. */
static void test_missing_sysctl(void **state)
{
	(void)state;
	struct host h = {0};
	struct wm_model m = {0}, after = {0};
	struct diag_list d = {0};
	char *root = xasprintf("%s/nowsf", tmpdir);
	char *cmd = xasprintf("cp -a %s %s && rm %s/proc/sys/vm/watermark_scale_factor", FIXTURE, root, root);
	assert_int_equal(system(cmd), 0);
	struct wm_setting s = parse("min_free_kbytes=90000", NULL);
	load(root, &h);
	assert_int_equal(wm_model_host(&h, &s, &m, &after, &d), 0);
	assert_string_equal(wm_setting_missing(&after), "vm.watermark_scale_factor");
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].sev, DIAG_ERROR);
	assert_string_equal(d.v[0].msg,
			    "cannot predict: vm.watermark_scale_factor unknown on this host; give it with --set");
	diag_list_clear(&d);
	wm_model_free(&after);
	wm_model_free(&m);
	host_free(&h);
	free(cmd);
	free(root);
}

/* No zones: -ENODATA naming the host. */
static void test_no_zones(void **state)
{
	(void)state;
	struct host h = {0};
	struct wm_model m = {0}, after = {0};
	struct diag_list d = {0};
	char *root = xasprintf("%s/nozones", tmpdir);
	char *cmd = xasprintf("cp -a %s %s && rm %s/proc/zoneinfo", FIXTURE, root, root);
	assert_int_equal(system(cmd), 0);
	struct wm_setting s = {0};
	load(root, &h);
	assert_int_equal(wm_model_host(&h, &s, &m, &after, &d), -ENODATA);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].sev, DIAG_ERROR);
	assert_string_equal(d.v[0].origin, root);
	assert_string_equal(d.v[0].msg, "no zones (proc/zoneinfo missing or empty)");
	diag_list_clear(&d);
	host_free(&h);
	free(cmd);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_only),	cmocka_unit_test(test_after_and_thp_note),
		cmocka_unit_test(test_out_of_range),	cmocka_unit_test(test_missing_sysctl),
		cmocka_unit_test(test_no_zones),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
