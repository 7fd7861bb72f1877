/* libFuzzer harness for the tmpfiles fragment reader (tmpfiles_parse,
 * render/tmpfiles.h): a deployed file of ours is read back to keep the
 * settings that are in effect.  Built with clang -fsanitize=fuzzer by `make
 * fuzz`, with gcc plus tests/fuzz/replay.c (-DFUZZ_REPLAY) by `make
 * fuzz-replay` over tests/fuzz/corpus/tmpfiles/.  Checks, beyond "no crash,
 * no leak, no read past the buffer": every pair read is a non-empty path
 * and value without blanks, and rendering them as kept settings gives a
 * fragment that reads back as the same pairs (sorted by path, duplicates
 * after the first dropped). */
#include "render/tmpfiles.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **p = NULL, **v = NULL;
	size_t n = tmpfiles_parse((const char *)data, size, &p, &v);
	struct tmpfiles_kept *k = calloc(n + 1, sizeof(*k));
	for (size_t i = 0; i < n; i++) {
		if (!*p[i] || !*v[i] || strpbrk(p[i], " \t\n") || strpbrk(v[i], " \t\n"))
			abort();
		k[i] = (struct tmpfiles_kept){p[i], v[i]};
	}
	struct plan none = {0};
	struct buf out = {0};
	size_t m = tmpfiles_render(&none, k, n, NULL, &out);
	char **p2 = NULL, **v2 = NULL;
	size_t n2 = tmpfiles_parse(buf_str(&out), out.len, &p2, &v2);
	if (n2 != m || m > n)
		abort();
	for (size_t i = 0; i < n2; i++) {
		size_t j = 0;
		while (j < n && strcmp(p[j], p2[i]))
			j++;
		if (j == n || strcmp(v[j], v2[i]) || (i && strcmp(p2[i - 1], p2[i]) >= 0))
			abort();
	}
	for (size_t i = 0; i < n2; i++) {
		free(p2[i]);
		free(v2[i]);
	}
	free(p2);
	free(v2);
	buf_free(&out);
	for (size_t i = 0; i < n; i++) {
		free(p[i]);
		free(v[i]);
	}
	free(p);
	free(v);
	free(k);
	return 0;
}
