/* hostid: the identity audit and recommend reports carry (and fleet
 * matches by): given, else a machine-id digest under the root, else the
 * host's name, else the origin path; never a directory's name alone. */
#include "testutil.h"

#include "collect/hostid.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *origin, *id;
} origins[] = {
	{"/srv/captures/web-17", "/srv/captures/web-17"},
	{"/srv/captures/web-17/", "/srv/captures/web-17"},
	{"x/host.json", "x/host.json"},
	{"host.json", "host.json"},
	{"/", "localhost"},
	{"", "localhost"},
	{NULL, "localhost"},
	/* the layout of a before/after capture: the moment is not the host */
	{"fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/before",
	 "fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/before"},
	{"fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/after/",
	 "fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/after"},
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
		id = host_id_derive(NULL, NULL, NULL, origins[i].origin);
		assert_string_equal(id, origins[i].id);
		free(id);
		/* a host name comes before any path */
		id = host_id_derive(NULL, NULL, "db-7", origins[i].origin);
		assert_string_equal(id, "db-7");
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

	/* no etc/machine-id: the root's path, not its last component */
	char *id = host_id_derive(NULL, dir, NULL, dir);
	assert_string_equal(id, dir);
	free(id);

	assert_int_equal(mkdir(etc, 0755), 0);
	write_file(mid, "0123456789abcdef0123456789abcdef\n");
	id = host_id_derive(NULL, dir, NULL, dir);
	/* FNV-1a 64 of the 32 digits (what audit published before: stable) */
	assert_string_equal(id, "m-4bbb216e77ba8f73");
	char *again = host_id_derive(NULL, dir, "web-1", "/elsewhere/other-name");
	assert_string_equal(id, again); /* neither the name nor the origin matters */
	free(again);
	write_file(mid, "0123456789abcdef0123456789abcdef  \n\n");
	again = host_id_derive(NULL, dir, NULL, dir);
	assert_string_equal(id, again); /* trailing blanks ignored */
	free(again);
	write_file(mid, "fedcba9876543210fedcba9876543210\n");
	again = host_id_derive(NULL, dir, NULL, dir);
	assert_string_not_equal(id, again);
	free(again);
	free(id);

	/* given wins; an empty machine-id falls through to the origin */
	id = host_id_derive("db-1", dir, "web-1", dir);
	assert_string_equal(id, "db-1");
	free(id);
	write_file(mid, "\n");
	id = host_id_derive(NULL, dir, NULL, "/x/y.json");
	assert_string_equal(id, "/x/y.json");
	free(id);
	id = host_id_derive(NULL, dir, "web-1", "/x/y.json");
	assert_string_equal(id, "web-1");
	free(id);
	/* a root that does not exist: the origin */
	id = host_id_derive(NULL, "/nonexistent/root", NULL, "/nonexistent/root");
	assert_string_equal(id, "/nonexistent/root");
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
