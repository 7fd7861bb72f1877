/* libFuzzer harness for a whole --root tree: zoneinfo + meminfo + vmstat +
 * vm sysctls are written as files under a temporary root, then the path a
 * user's tree takes runs end to end: collect_host (fileio, parsers,
 * validation, derived facts) -> advise_run (watermark model, the shipped
 * rules, engine, selection, watermarks before/after, the fragment) -> the
 * fragment text.  Built with clang -fsanitize=fuzzer by `make fuzz`, and
 * with gcc plus tests/fuzz/replay.c by `make fuzz-replay` (corpus in
 * tests/fuzz/corpus/tree/).  Run from the repository root (the shipped
 * rules/ and templates/ are found there).
 *
 * Input: sections separated by a line "@@":
 *   1 proc/zoneinfo, 2 proc/meminfo, 3 proc/vmstat,
 *   4 sysctls, one "name value" per line -> proc/sys/vm/<name> (names of
 *     [a-z_-], at most 32 files; the value is the rest of the line + "\n"),
 *   5 proc/sys/kernel/osrelease.
 * A missing or empty section is a missing file.
 *
 * Beyond "no crash, no leak, no UB", the contract checked:
 *   - collection fails only with -EINVAL and at least one error diagnostic;
 *   - when advice is produced, every assignment in the fragment is a key of
 *     the sysctl catalog with an integer value inside the kernel's legal
 *     range for the collected kernel version (the safety rule: never a
 *     value outside the legal range, whatever the tree says). */
#include "advise/advise.h"
#include "base/fileio.h"
#include "collect/collect.h"
#include "collect/parse.h"
#include "model/sysctl_catalog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SYSCTLS 32

static char tree[64];
static char sysctl_names[MAX_SYSCTLS][48];
static size_t nsysctl_names;

static void put(const char *rel, const char *p, size_t n)
{
	char path[160];
	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		abort();
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k <= 0)
			abort();
		p += k;
		n -= (size_t)k;
	}
	close(fd);
}

static void drop(const char *rel)
{
	char path[160];
	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	unlink(path);
}

static void setup(void)
{
	if (tree[0])
		return;
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(tree, sizeof(tree), "%s/fuzz-tree.XXXXXX", base);
	if (!mkdtemp(tree))
		abort();
	const char *dirs[] = {"proc", "proc/sys", "proc/sys/vm", "proc/sys/kernel"};
	for (size_t i = 0; i < 4; i++) {
		char p[160];
		snprintf(p, sizeof(p), "%s/%s", tree, dirs[i]);
		if (mkdir(p, 0755) && errno != EEXIST)
			abort();
	}
}

/* The next section of [*p, e): up to a line "@@" (or the end). */
static bool section(const char **p, const char *e, const char **s, size_t *n)
{
	if (*p > e)
		return false;
	const char *q = *p;
	for (const char *l = q; l < e;) {
		const char *nl = memchr(l, '\n', (size_t)(e - l));
		const char *le = nl ? nl : e;
		if (le - l == 2 && l[0] == '@' && l[1] == '@') {
			*s = q;
			*n = (size_t)(l - q);
			*p = nl ? nl + 1 : e + 1;
			return true;
		}
		l = nl ? nl + 1 : e;
	}
	*s = q;
	*n = (size_t)(e - q);
	*p = e + 1;
	return true;
}

static void write_sysctls(const char *s, size_t n)
{
	for (size_t i = 0; i < nsysctl_names; i++) {
		char rel[80];
		snprintf(rel, sizeof(rel), "proc/sys/vm/%.47s", sysctl_names[i]);
		drop(rel);
	}
	nsysctl_names = 0;
	const char *e = s + n;
	while (s < e && nsysctl_names < MAX_SYSCTLS) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));
		const char *le = nl ? nl : e;
		const char *sp = memchr(s, ' ', (size_t)(le - s));
		size_t nl_len = sp ? (size_t)(sp - s) : 0;
		bool ok = nl_len > 0 && nl_len < sizeof(sysctl_names[0]);
		for (size_t i = 0; ok && i < nl_len; i++)
			ok = (s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' || s[i] == '-';
		if (ok) {
			memcpy(sysctl_names[nsysctl_names], s, nl_len);
			sysctl_names[nsysctl_names][nl_len] = 0;
			char rel[80];
			snprintf(rel, sizeof(rel), "proc/sys/vm/%.47s", sysctl_names[nsysctl_names]);
			size_t vl = (size_t)(le - sp - 1);
			char *v = malloc(vl + 2);
			memcpy(v, sp + 1, vl);
			v[vl] = '\n';
			put(rel, v, vl + 1);
			free(v);
			nsysctl_names++;
		}
		s = nl ? nl + 1 : e;
	}
}

static void check_fragment(const struct advice *a, const struct host *h)
{
	if (!a->have_fragment)
		return;
	int64_t kv = -1;
	facts_get_int(h->facts, F_HOST_KERNEL_VERSION, &kv);
	struct strkvlist kvs = {0};
	struct diag_list d = {0};
	if (sysctl_dump_parse(buf_str(&a->fragment), a->fragment.len, "fragment", true, &kvs, &d)) {
		diag_print_all(stderr, &d);
		abort();
	}
	for (size_t i = 0; i < kvs.n; i++) {
		const struct sysctl_def *sc = sysctl_catalog_lookup(kvs.v[i].key);
		if (!sc) {
			fprintf(stderr, "fragment sets %s, not in the sysctl catalog\n", kvs.v[i].key);
			abort();
		}
		char *end;
		errno = 0;
		long long x = strtoll(kvs.v[i].value, &end, 10);
		if (errno || *end)
			continue; /* vector values (lowmem_reserve_ratio) */
		int64_t lo, hi;
		sysctl_legal_range(sc, kv, &lo, &hi);
		if (x < lo || x > hi) {
			fprintf(stderr, "%s = %lld outside the legal range %lld..%lld\n", kvs.v[i].key, x,
				(long long)lo, (long long)hi);
			abort();
		}
	}
	strkvlist_free(&kvs);
	diag_list_clear(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	const char *p = (const char *)data, *e = p + size;
	static const char *const files[] = {"proc/zoneinfo", "proc/meminfo", "proc/vmstat", NULL,
					    "proc/sys/kernel/osrelease"};
	for (size_t i = 0; i < 5; i++) {
		const char *s;
		size_t n;
		bool have = section(&p, e, &s, &n);
		if (i == 3)
			write_sysctls(have ? s : "", have ? n : 0);
		else if (have && n)
			put(files[i], s, n);
		else
			drop(files[i]);
	}

	struct root r;
	if (root_open(&r, tree))
		abort();
	struct collect_opts co = {.page_size = 4096};
	struct host h;
	int rc = collect_host(&r, &co, &h);
	root_close(&r);
	if (rc) {
		if (getenv("FUZZ_TREE_VERBOSE"))
			diag_print_all(stderr, &h.diags);
		if (rc != -EINVAL || !diag_count(&h.diags, DIAG_ERROR))
			abort();
		host_free(&h);
		return 0;
	}
	struct diag_list d = {0};
	struct advice *a = NULL;
	struct advise_request req = {.host = &h, .root = tree, .need_fragment = true};
	if (advise_run(&req, &a, &d) == 0) {
		if (getenv("FUZZ_TREE_VERBOSE"))
			fprintf(stderr, "advice: %zu selected, fragment %zu bytes\n", a->nselected, a->fragment.len);
		check_fragment(a, &h);
		advice_free(a);
	}
	diag_list_clear(&d);
	free(d.v);
	host_free(&h);
	return 0;
}
