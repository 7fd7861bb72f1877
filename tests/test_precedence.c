/* precedence: sysctl.d ordering under systemd-sysctl and `sysctl --system`,
 * on temporary root trees (never the host's /etc). */
#include "testutil.h"

#include "sysctld/precedence.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpl[64];

static void mkparents(char *path)
{
	for (char *p = path + strlen(tmpl) + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(path, 0755);
			*p = '/';
		}
}

static void put(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpl, rel);
	mkparents(path);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *rel, const char *target)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpl, rel);
	mkparents(path);
	assert_int_equal(symlink(target, path), 0);
}

static int setup(void **state)
{
	(void)state;
	strcpy(tmpl, "/tmp/test_precedence.XXXXXX");
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

static struct precedence *scan(struct diag_list *d)
{
	struct root r;
	assert_int_equal(root_open(&r, tmpl), 0);
	struct precedence *p = NULL;
	assert_int_equal(precedence_scan(&r, &p, d), 0);
	root_close(&r);
	assert_non_null(p);
	return p;
}

static void test_empty_root(void **state)
{
	(void)state;
	struct diag_list d = {0};
	struct precedence *p = scan(&d);
	assert_int_equal(precedence_nfiles(p), 0);
	assert_null(precedence_lookup(p, "vm.swappiness"));
	assert_int_equal(d.n, 0);
	precedence_free(p);
	diag_list_clear(&d);
	free(d.v);
}

/* Name order across directories: /usr/lib/sysctl.d/99-x sorts after
 * /etc/sysctl.d/60-y, so the vendor file wins although /etc is "first". */
static void test_name_order_across_dirs(void **state)
{
	(void)state;
	put("etc/sysctl.d/60-reclaim-advisor.conf", "# generated\nvm.swappiness = 10\n");
	put("usr/lib/sysctl.d/99-vendor.conf", "vm.swappiness=60\nvm.min_free_kbytes = 67584\n");
	put("usr/lib/sysctl.d/10-early.conf", "vm.swappiness = 1\n");
	put("run/sysctl.d/README", "vm.swappiness = 99\n"); /* not *.conf */
	struct diag_list d = {0};
	struct precedence *p = scan(&d);
	assert_int_equal(precedence_nfiles(p), 3);
	assert_string_equal(precedence_file(p, 0), "/usr/lib/sysctl.d/10-early.conf");
	assert_string_equal(precedence_file(p, 1), "/etc/sysctl.d/60-reclaim-advisor.conf");
	assert_string_equal(precedence_file(p, 2), "/usr/lib/sysctl.d/99-vendor.conf");
	assert_null(precedence_file(p, 3));
	const struct sysctl_origin *o = precedence_lookup(p, "vm.swappiness");
	assert_non_null(o);
	assert_true(o->has_systemd);
	assert_string_equal(o->systemd.file, "/usr/lib/sysctl.d/99-vendor.conf");
	assert_int_equal(o->systemd.line, 1);
	assert_string_equal(o->systemd.value, "60");
	assert_string_equal(o->procps.value, "60");
	assert_int_equal(o->nall, 3);
	assert_string_equal(o->all[0].value, "1");
	assert_string_equal(o->all[1].value, "10");
	assert_int_equal(o->all[1].line, 2);
	o = precedence_lookup(p, "vm.min_free_kbytes");
	assert_non_null(o);
	assert_string_equal(o->systemd.value, "67584");
	assert_int_equal(o->systemd.line, 2);
	assert_int_equal(d.n, 0);
	precedence_free(p);
	diag_list_clear(&d);
	free(d.v);
}

/* The same name in /etc masks the vendor file entirely; /run masks /usr. */
static void test_same_name_masks(void **state)
{
	(void)state;
	put("usr/lib/sysctl.d/50-default.conf", "vm.swappiness = 60\nvm.overcommit_memory = 1\n");
	put("etc/sysctl.d/50-default.conf", "vm.swappiness = 30\n");
	put("lib/sysctl.d/70-lib.conf", "vm.dirty_ratio = 10\n");
	put("run/sysctl.d/70-lib.conf", "vm.dirty_ratio = 20\n");
	put("usr/local/lib/sysctl.d/70-lib.conf", "vm.dirty_ratio = 30\n");
	struct diag_list d = {0};
	struct precedence *p = scan(&d);
	assert_int_equal(precedence_nfiles(p), 2);
	assert_string_equal(precedence_file(p, 0), "/etc/sysctl.d/50-default.conf");
	assert_string_equal(precedence_file(p, 1), "/run/sysctl.d/70-lib.conf");
	assert_string_equal(precedence_lookup(p, "vm.swappiness")->systemd.value, "30");
	assert_null(precedence_lookup(p, "vm.overcommit_memory"));
	assert_string_equal(precedence_lookup(p, "vm.dirty_ratio")->systemd.value, "20");
	precedence_free(p);
	diag_list_clear(&d);
	free(d.v);
}

/* /etc/sysctl.conf: procps reads it last, systemd not at all. */
static void test_sysctl_conf_procps_only(void **state)
{
	(void)state;
	put("etc/sysctl.d/60-reclaim-advisor.conf", "vm.watermark_scale_factor = 125\n");
	put("etc/sysctl.conf", "# local\n\nvm.watermark_scale_factor=10\nvm.page-cluster = 0\n");
	struct diag_list d = {0};
	struct precedence *p = scan(&d);
	assert_int_equal(precedence_nfiles(p), 1);
	const struct sysctl_origin *o = precedence_lookup(p, "vm.watermark_scale_factor");
	assert_non_null(o);
	assert_true(o->has_systemd && o->has_procps);
	assert_string_equal(o->systemd.value, "125");
	assert_string_equal(o->systemd.file, "/etc/sysctl.d/60-reclaim-advisor.conf");
	assert_string_equal(o->procps.value, "10");
	assert_string_equal(o->procps.file, "/etc/sysctl.conf");
	assert_int_equal(o->procps.line, 3);
	assert_int_equal(o->nall, 2);
	o = precedence_lookup(p, "vm.page-cluster");
	assert_non_null(o);
	assert_false(o->has_systemd);
	assert_true(o->has_procps);
	precedence_free(p);
	diag_list_clear(&d);
	free(d.v);
}

/* Debian's 99-sysctl.conf -> ../sysctl.conf brings it into systemd's list. */
static void test_debian_symlink_and_mask(void **state)
{
	(void)state;
	put("etc/sysctl.conf", "vm.swappiness = 5\n");
	put("usr/lib/sysctl.d/50-pid-max.conf", "vm.swappiness = 70\nkernel.pid_max = 4194304\n");
	link_to("etc/sysctl.d/99-sysctl.conf", "../sysctl.conf");
	link_to("etc/sysctl.d/50-pid-max.conf", "/dev/null");
	put("usr/lib/sysctl.d/80-abs.conf", "");
	put("srv/abs.conf", "vm.dirty_bytes = 1048576\n");
	link_to("etc/sysctl.d/80-abs.conf", "/srv/abs.conf"); /* absolute: resolved in the root */
	struct diag_list d = {0};
	struct precedence *p = scan(&d);
	assert_int_equal(d.n, 0);
	assert_int_equal(precedence_nfiles(p), 3);
	assert_string_equal(precedence_file(p, 2), "/etc/sysctl.d/99-sysctl.conf");
	const struct sysctl_origin *o = precedence_lookup(p, "vm.swappiness");
	assert_string_equal(o->systemd.value, "5");
	assert_string_equal(o->systemd.file, "/etc/sysctl.d/99-sysctl.conf");
	assert_string_equal(o->procps.file, "/etc/sysctl.conf");
	assert_int_equal(o->nall, 2); /* masked vendor file contributes nothing */
	assert_null(precedence_lookup(p, "kernel.pid_max"));
	assert_string_equal(precedence_lookup(p, "vm.dirty_bytes")->systemd.value, "1048576");
	precedence_free(p);
	diag_list_clear(&d);
	free(d.v);
}

/* Syntax: comments, '-' prefix, slash keys, blanks, CRLF, non-assignments. */
static void test_syntax(void **state)
{
	(void)state;
	put("etc/sysctl.d/10-syntax.conf",
	    "; semicolon comment\r\n"
	    "  # indented comment\n"
	    "-vm.swappiness = 20\n"
	    "vm/dirty_ratio=15\r\n"
	    "net/ipv4/conf/eth0.100/rp_filter = 2\n"
	    "this line is junk\n"
	    "vm.laptop_mode =   \n"
	    "\tvm.min_free_kbytes\t=\t90112   # not a comment in sysctl.d\n"
	    "vm.overcommit_ratio = 50");
	struct diag_list d = {0};
	struct precedence *p = scan(&d);
	assert_string_equal(precedence_lookup(p, "vm.swappiness")->systemd.value, "20");
	assert_string_equal(precedence_lookup(p, "vm.dirty_ratio")->systemd.value, "15");
	assert_int_equal(precedence_lookup(p, "vm.dirty_ratio")->systemd.line, 4);
	assert_non_null(precedence_lookup(p, "net.ipv4.conf.eth0/100.rp_filter"));
	assert_string_equal(precedence_lookup(p, "vm.laptop_mode")->systemd.value, "");
	assert_string_equal(precedence_lookup(p, "vm.min_free_kbytes")->systemd.value,
			    "90112   # not a comment in sysctl.d");
	assert_string_equal(precedence_lookup(p, "vm.overcommit_ratio")->systemd.value, "50");
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].sev, DIAG_WARNING);
	assert_int_equal(d.v[0].line, 6);
	assert_string_equal(d.v[0].origin, "/etc/sysctl.d/10-syntax.conf");
	precedence_free(p);
	diag_list_clear(&d);
	free(d.v);
}

/* A dangling link is a warning, not a failure; the other files still count. */
static void test_unreadable(void **state)
{
	(void)state;
	link_to("etc/sysctl.d/20-gone.conf", "/nowhere/x.conf");
	put("etc/sysctl.d/30-ok.conf", "vm.swappiness = 1\n");
	char path[512];
	snprintf(path, sizeof(path), "%s/etc/sysctl.d/25-binary.conf", tmpl);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fwrite("vm.swappiness = 7\n\0\1\2", 1, 21, f);
	fclose(f);
	struct diag_list d = {0};
	struct precedence *p = scan(&d);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].sev, DIAG_WARNING);
	assert_non_null(strstr(d.v[0].origin, "20-gone.conf"));
	assert_int_equal(d.v[1].sev, DIAG_WARNING);
	assert_non_null(strstr(d.v[1].origin, "25-binary.conf"));
	assert_int_equal(precedence_lookup(p, "vm.swappiness")->nall, 1); /* nothing from the binary file */
	assert_string_equal(precedence_lookup(p, "vm.swappiness")->systemd.value, "1");
	precedence_free(p);
	precedence_free(NULL);
	diag_list_clear(&d);
	free(d.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_order_across_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_name_masks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sysctl_conf_procps_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debian_symlink_and_mask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
