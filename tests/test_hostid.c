/* hostid: the identity audit and recommend reports carry (and fleet
 * matches by): given, else a machine-id digest under the root, else the
 * origin's last path component. */
#include "testutil.h"

#include "collect/hostid.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *origin, *id;
} origins[] = {
	{"/srv/captures/web-17", "web-17"},
	{"/srv/captures/web-17/", "web-17"},
	{"x/host.json", "host"},
	{"host.json", "host"},
	{".json", ".json"},
	{"/", "localhost"},
	{"", "localhost"},
	{NULL, "localhost"},
	{"fixtures/captures/lkml-2019", "lkml-2019"},
};

static void test_from_origin(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(origins) / sizeof(origins[0]); i++) {
		char *id = host_id_from_origin(origins[i].origin);
		if (strcmp(id, origins[i].id))
			fail_msg("%s: %s, expected %s", origins[i].origin ? origins[i].origin : "NULL", id,
				 origins[i].id);
		free(id);
		/* without a root, derive is the same */
		id = host_id_derive(NULL, NULL, origins[i].origin);
		assert_string_equal(id, origins[i].id);
		free(id);
	}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_machine_id(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_hostid.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char etc[64], mid[96];
	snprintf(etc, sizeof(etc), "%s/etc", dir);
	snprintf(mid, sizeof(mid), "%s/etc/machine-id", dir);

	/* no etc/machine-id: the root's name */
	char *id = host_id_derive(NULL, dir, dir);
	assert_string_equal(id, dir + 5);
	free(id);

	assert_int_equal(mkdir(etc, 0755), 0);
	write_file(mid, "0123456789abcdef0123456789abcdef\n");
	id = host_id_derive(NULL, dir, dir);
	/* FNV-1a 64 of the 32 digits (what audit published before: stable) */
	assert_string_equal(id, "m-4bbb216e77ba8f73");
	char *again = host_id_derive(NULL, dir, "/elsewhere/other-name");
	assert_string_equal(id, again); /* the origin does not matter */
	free(again);
	write_file(mid, "0123456789abcdef0123456789abcdef  \n\n");
	again = host_id_derive(NULL, dir, dir);
	assert_string_equal(id, again); /* trailing blanks ignored */
	free(again);
	write_file(mid, "fedcba9876543210fedcba9876543210\n");
	again = host_id_derive(NULL, dir, dir);
	assert_string_not_equal(id, again);
	free(again);
	free(id);

	/* given wins; an empty machine-id falls through to the origin */
	id = host_id_derive("db-1", dir, dir);
	assert_string_equal(id, "db-1");
	free(id);
	write_file(mid, "\n");
	id = host_id_derive(NULL, dir, "/x/y.json");
	assert_string_equal(id, "y");
	free(id);
	/* a root that does not exist: the origin */
	id = host_id_derive(NULL, "/nonexistent/root", "/nonexistent/root");
	assert_string_equal(id, "root");
	free(id);

	unlink(mid);
	rmdir(etc);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_origin),
		cmocka_unit_test(test_machine_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
