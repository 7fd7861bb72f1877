/* Replay a libFuzzer corpus without libFuzzer: every file in the given
 * directories (or the files given) is fed once to LLVMFuzzerTestOneInput.
 * Built by `make fuzz-replay` with the default compiler, so CI exercises
 * the corpus (and any crash that was minimised into it) under gcc. */
#include "base/fileio.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t cap = 1 << 20, n;
	uint8_t *buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return 1;
	}
	n = fread(buf, 1, cap, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (run_file(argv[i]))
				return 1;
			count++;
			continue;
		}
		char **names;
		size_t n;
		if (dir_list(argv[i], &names, &n)) {
			perror(argv[i]);
			return 1;
		}
		for (size_t k = 0; k < n; k++) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", argv[i], names[k]);
			if (run_file(path)) {
				fileio_names_free(names);
				return 1;
			}
			count++;
		}
		fileio_names_free(names);
	}
	printf("replayed %zu inputs\n", count);
	return 0;
}
