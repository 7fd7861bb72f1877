/* libFuzzer harness for the small parsers: the first byte selects one
 * (0 vmstat, 1 meminfo, 2 swaps, 3 psi, 4 sysctl dump, 5 sysctl dump
 * strict, 6 uptime, 7 sysctl_int, 8 klog, 9 buddyinfo; modulo 10), the rest is the file.
 * Built by `make fuzz` (clang -fsanitize=fuzzer) and by `make fuzz-replay`
 * (gcc + tests/fuzz/replay.c) against tests/fuzz/corpus/procfiles/.
 *
 * Contract checks: on failure an error diagnostic exists and the output is
 * untouched (a sentinel survives); on success no error diagnostic. */
#include "collect/frag.h"
#include "collect/parse.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int rc, const struct diag_list *d, bool untouched)
{
	if (rc == 0 && diag_count(d, DIAG_ERROR))
		abort();
	if (rc != 0 && ((rc != -EINVAL && rc != -ERANGE) || !diag_count(d, DIAG_ERROR) ||
			!untouched))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned which = data[0] % 10;
	size--;
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size);
	buf[size] = 0;
	struct diag_list d = {0};
	int rc;
	switch (which) {
	case 0:
	case 1: {
		struct kvlist l = {.n = 12345};
		rc = which ? meminfo_parse(buf, size, "fuzz", &l, &d)
			   : vmstat_parse(buf, size, "fuzz", &l, &d);
		check(rc, &d, l.n == 12345 && !l.v);
		if (!rc) {
			int64_t v;
			for (size_t i = 0; i < l.n; i++)
				if (l.v[i].value < 0)
					abort();
			/* one lookup, not n: the harness must not be quadratic */
			if (l.n && kvlist_get(&l, l.v[l.n - 1].key, &v))
				abort();
			kvlist_free(&l);
		}
		break;
	}
	case 2: {
		struct swaps s = {.n = 12345};
		rc = swaps_parse(buf, size, "fuzz", &s, &d);
		check(rc, &d, s.n == 12345 && !s.v);
		if (!rc) {
			for (size_t i = 0; i < s.n; i++)
				if (!s.v[i].name || s.v[i].size_kb < 0 || s.v[i].used_kb < 0)
					abort();
			swaps_free(&s);
		}
		break;
	}
	case 3: {
		struct psi p = {.some.total = 12345};
		rc = psi_parse(buf, size, "fuzz", &p, &d);
		check(rc, &d, p.some.total == 12345);
		if (!rc && ((p.some.present && !(p.some.avg10 >= 0)) ||
			    (p.full.present && !(p.full.avg300 >= 0))))
			abort();
		break;
	}
	case 4:
	case 5: {
		struct strkvlist l = {.n = 12345};
		rc = sysctl_dump_parse(buf, size, "fuzz", which == 5, &l, &d);
		check(rc, &d, l.n == 12345 && !l.v);
		if (!rc) {
			for (size_t i = 0; i < l.n; i++)
				if (!l.v[i].key[0] || l.v[i].line == 0 ||
				    (i && l.v[i].line <= l.v[i - 1].line))
					abort();
			if (l.n && strkvlist_get(&l, l.v[l.n - 1].key) != l.v[l.n - 1].value)
				abort();
			strkvlist_free(&l);
		}
		break;
	}
	case 6: {
		double up = -7;
		rc = uptime_parse(buf, size, "fuzz", &up, &d);
		check(rc, &d, up == -7);
		if (!rc && !(up >= 0))
			abort();
		break;
	}
	case 7: {
		int64_t v = 12345;
		rc = sysctl_int_parse(buf, size, "fuzz", &v, &d);
		check(rc, &d, v == 12345);
		break;
	}
	case 9: {
		uint64_t total = 12345, blocks = 12345;
		rc = buddyinfo_parse(buf, size, "fuzz", 9, &total, &blocks, &d);
		check(rc, &d, total == 12345 && blocks == 12345);
		if (!rc && blocks > total)
			abort();
		break;
	}
	default: {
		struct klog k = {.oom_kills = 12345};
		rc = klog_parse(buf, size, "fuzz", &k, &d);
		check(rc, &d, k.oom_kills == 12345);
		if (!rc) {
			if (k.atomic_alloc_failures > k.alloc_failures ||
			    k.high_alloc_failures + k.nowait_alloc_failures != k.atomic_alloc_failures ||
			    k.oom_kills_memcg > k.oom_kills ||
			    (k.alloc_failures && !k.alloc_failure_last) ||
			    (k.oom_kills && !k.oom_last) || k.max_order < -1)
				abort();
			klog_free(&k);
		}
		break;
	}
	}
	/* Print the diagnostics too: the caret printer reads src up to col,
	 * so a column past the stored source would show up here. */
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");
	if (sink)
		diag_print_all(sink, &d);
	diag_list_clear(&d);
	free(buf);
	return 0;
}
