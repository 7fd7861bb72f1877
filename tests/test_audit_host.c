/* advise_audit_host (advise.h): `audit` on a collected host, on a real
 * QEMU capture (a copy of fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/before),
 * with and without --fragment, and each step that can fail giving an
 * UNKNOWN audit that says which. */
#include "testutil.h"

#include "advise/advise.h"
#include "base/xalloc.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIXTURE "fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/before"

static char tmpdir[] = "/tmp/test_audit_host.XXXXXX";
static char *root; /* a copy of FIXTURE: fragments are written into its etc/sysctl.d */

/* Write text to ROOT/rel; the absolute path an --fragment names. */
static const char *put(const char *rel, const char *text)
{
	char *p = xasprintf("%s%s", root, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
	return rel;
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	setenv("RECLAIM_ADVISOR_SYSCONFDIR", tmpdir, 1); /* no site drop-ins from this machine */
	setenv("RECLAIM_ADVISOR_RULES_DIR", "rules", 1);
	setenv("RECLAIM_ADVISOR_TEMPLATE_DIR", "templates", 1);
	root = xasprintf("%s/root", tmpdir);
	char *cmd = xasprintf("cp -a %s %s && mkdir -p %s/etc/sysctl.d", FIXTURE, root, root);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	int rc = tu_rm_rf(tmpdir);
	free(root);
	return rc;
}

/* Audit ROOT with fragment (NULL: none) and profile; the audit's status. */
static int run(const char *fragment, const char *profile, int want_rc, char **msg, struct audit **a,
	       struct diag_list *d)
{
	struct host_source src = {.root = root};
	struct host h = {0};
	assert_false(tu_load_failed(&src, &h));
	struct audit_host_request r = {
		.advise = {.host = &h, .root = root, .profile = profile, .host_id = "test-host"},
		.origin = root, .tree = root, .fragment = fragment};
	int rc = advise_audit_host(&r, a, msg, d);
	if ((rc != 0) != (want_rc != 0))
		diag_print_all(stderr, d);
	assert_int_equal(rc != 0, want_rc != 0);
	assert_non_null(*a);
	assert_string_equal((*a)->host.id, "test-host");
	int status = (int)(*a)->status;
	host_free(&h);
	return status;
}

static void audited(void **state)
{
	(void)state;
	char *msg = NULL;
	struct audit *a = NULL;
	struct diag_list d = {0};
	/* the advice wants changes this host does not have: not OK */
	assert_int_not_equal(run(NULL, NULL, 0, &msg, &a, &d), ASTATUS_UNKNOWN);
	assert_int_not_equal(a->status, ASTATUS_OK);
	assert_null(msg);
	audit_free(a);
	diag_list_clear(&d);

	/* --fragment: the values of a fragment we wrote, as `recommend -o` would */
	run(put("/etc/sysctl.d/f.conf", "vm.swappiness = 100\n"), NULL, 0, &msg, &a, &d);
	assert_null(msg);
	bool seen = false;
	for (size_t i = 0; i < a->nkeys; i++)
		if (!strcmp(a->keys[i].sysctl, "vm.swappiness")) {
			seen = true;
			assert_string_equal(a->keys[i].expected, "100");
		}
	assert_true(seen);
	audit_free(a);
	diag_list_clear(&d);
}

static void unknown(void **state)
{
	(void)state;
	char *msg = NULL;
	struct audit *a = NULL;
	struct diag_list d = {0};
	/* a fragment that is not there: the message is for the caller to print */
	assert_int_equal(run("/etc/sysctl.d/none.conf", NULL, -ENOENT, &msg, &a, &d), ASTATUS_UNKNOWN);
	/* read under the root (an absolute path is the host's): said so */
	char *want = xasprintf("--fragment /etc/sysctl.d/none.conf (under the root %s): No such file or directory", root);
	assert_string_equal(msg, want);
	free(want);
	free(msg);
	msg = NULL;
	audit_free(a);
	diag_list_clear(&d);

	/* a fragment that does not parse: the errors are in d */
	const char *bad = put("/etc/sysctl.d/bad.conf", "vm.swappiness 100 and more\n");
	assert_int_equal(run(bad, NULL, -EINVAL, &msg, &a, &d), ASTATUS_UNKNOWN);
	assert_null(msg);
	assert_true(diag_count(&d, DIAG_ERROR) > 0);
	audit_free(a);
	diag_list_clear(&d);

	/* a profile that does not exist */
	assert_int_equal(run(NULL, "no-such-profile", -EINVAL, &msg, &a, &d), ASTATUS_UNKNOWN);
	assert_null(msg);
	assert_true(diag_count(&d, DIAG_ERROR) > 0);
	audit_free(a);
	diag_list_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(audited),
		cmocka_unit_test(unknown),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
