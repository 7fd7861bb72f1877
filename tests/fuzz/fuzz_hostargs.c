/* libFuzzer harness for the two readers no other harness reaches: the
 * kernel version from a tree (proc/sys/kernel/osrelease with
 * kver_from_release, then the Debian upstream version in proc/version with
 * kver_from_proc_version) and the Ansible module's arguments
 * (ansible_args_parse on the JSON document Ansible writes; a play's vars
 * may come from anywhere).  The first byte selects (0 version, 1 module
 * arguments; modulo 2), the rest is the text.  Built by `make fuzz` (clang
 * -fsanitize=fuzzer) and by `make fuzz-replay` (gcc + tests/fuzz/replay.c)
 * against tests/fuzz/corpus/hostargs/.
 *
 * Contract checks (abort on violation):
 *  - version: the first line is the release; on success the version's
 *    fields are in range, and proc/version only ever raises the patch
 *    level of an x.y.0 release, never its major or minor;
 *  - arguments: success leaves a known state and absolute dest (and
 *    report); failure says why in an error diagnostic. */
#include "ansible/ansible.h"
#include "base/kver.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void version(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);
	size_t rl = nl ? (size_t)(nl - buf) : len;
	char *release = malloc(rl + 1);
	if (!release)
		return;
	memcpy(release, buf, rl);
	release[rl] = 0;
	int64_t kv = -1, up = -1;
	if (kver_from_release(release, &kv) == 0) {
		if (kv < 0 || kver_major(kv) > 255 || kver_minor(kv) > 255 || kver_patch(kv) > 255)
			abort();
		const char *rest = nl ? nl + 1 : buf + len;
		if (kver_from_proc_version(rest, len - (size_t)(rest - buf), kv, &up) == 0 &&
		    (kver_patch(kv) != 0 || kver_major(up) != kver_major(kv) || kver_minor(up) != kver_minor(kv) ||
		     up < kv))
			abort();
		char text[32];
		kver_format(kv, text, sizeof(text));
	}
	free(release);
}

static void module_args(const char *buf)
{
	json_object *doc = json_tokener_parse(buf);
	struct ansible_args a;
	struct diag_list d = {0};
	int rc = ansible_args_parse(doc, &a, &d);
	if (rc == 0) {
		if (diag_count(&d, DIAG_ERROR) || !a.state || !a.root || !a.dest || a.dest[0] != '/' ||
		    (a.report && a.report[0] != '/') ||
		    (strcmp(a.state, "recommend") && strcmp(a.state, "audit") && strcmp(a.state, "absent")))
			abort();
	} else if (!diag_count(&d, DIAG_ERROR)) {
		abort();
	}
	ansible_args_free(&a);
	diag_list_clear(&d);
	json_object_put(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned which = data[0] % 2;
	char *buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = 0;
	if (which == 0)
		version(buf, size - 1);
	else
		module_args(buf);
	free(buf);
	return 0;
}
