/* ra-load: the memory load of the throwaway QEMU pressure guests
 * (scripts/qemu/pressure-init.sh).  Built static by pressure-case.sh and run
 * only inside the guest, never on a host.
 *
 *   ra-load anon MB          touch MB of anonymous memory (4 KiB pages), twice,
 *                            then exit (a cgroup's memory.high throttles it,
 *                            memory.max OOM-kills it)
 *   ra-load stalls N MB      touch anonymous memory 1 MiB at a time until the
 *                            sum of /proc/vmstat allocstall_* has grown by N
 *                            (or MB are touched), then exit: a host with a
 *                            handful of direct reclaim entries, no more
 *   ra-load fragment MB      touch MB with THP disabled for the range, free every
 *                            other 4 KiB page and mlock the rest: free memory is
 *                            scattered in order-0 holes between pinned pages
 *                            (with vm.compact_unevictable_allowed=0 compaction
 *                            may not move them); then wait for a signal
 *   ra-load thp MB           touch MB of THP-eligible anonymous memory
 *                            (MADV_HUGEPAGE, 2 MiB aligned), then exit
 * Progress lines go to stdout ("ra-load: ...").  Exit 0, or 1 with a message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MiB (1024UL * 1024UL)

static unsigned long allocstalls(void)
{
	FILE *f = fopen("/proc/vmstat", "r");
	char name[64];
	unsigned long v, sum = 0;
	if (!f)
		return 0;
	while (fscanf(f, "%63s %lu", name, &v) == 2)
		if (!strncmp(name, "allocstall", 10))
			sum += v;
	fclose(f);
	return sum;
}

static void touch(char *p, size_t len)
{
	for (size_t off = 0; off < len; off += 4096)
		p[off] = (char)(off >> 12) | 1;
}

static char *map(size_t len, int advice)
{
	/* 2 MiB aligned, so THP can back every aligned range of a thp mapping. */
	size_t pad = 2 * MiB;
	char *p = mmap(NULL, len + pad, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "ra-load: mmap %zu MiB: %s\n", len / MiB, strerror(errno));
		exit(1);
	}
	char *a = (char *)(((unsigned long)p + pad - 1) & ~(pad - 1));
	if (advice >= 0 && madvise(a, len, advice))
		fprintf(stderr, "ra-load: madvise: %s\n", strerror(errno));
	return a;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ra-load anon|stalls|fragment|thp ARGS\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *mode = argv[1];
	if (!strcmp(mode, "anon")) {
		size_t len = strtoul(argv[2], NULL, 10) * MiB;
		char *p = map(len, MADV_NOHUGEPAGE);
		touch(p, len);
		touch(p, len);
		printf("ra-load: touched %zu MiB twice\n", len / MiB);
		return 0;
	}
	if (!strcmp(mode, "stalls") && argc == 4) {
		unsigned long want = strtoul(argv[2], NULL, 10), base = allocstalls(), got = 0;
		size_t max = strtoul(argv[3], NULL, 10), mb;
		for (mb = 0; mb < max && got < want; mb++) {
			touch(map(MiB, MADV_NOHUGEPAGE), MiB);
			got = allocstalls() - base;
		}
		printf("ra-load: %lu direct reclaim entries after %zu MiB\n", got, mb);
		return 0;
	}
	if (!strcmp(mode, "fragment")) {
		size_t len = strtoul(argv[2], NULL, 10) * MiB;
		char *p = map(len, MADV_NOHUGEPAGE);
		touch(p, len);
		size_t freed = 0;
		for (size_t off = 4096; off < len; off += 8192)
			if (!madvise(p + off, 4096, MADV_DONTNEED))
				freed++;
		/* Lock what is resident, not the holes (mlock would fault them back
		 * in); one VMA, so no split per page against vm.max_map_count. */
		if (mlock2(p, len, MLOCK_ONFAULT))
			fprintf(stderr, "ra-load: mlock2: %s\n", strerror(errno));
		printf("ra-load: fragmented %zu MiB, %zu pages freed in holes\n", len / MiB, freed);
		pause();
		return 0;
	}
	if (!strcmp(mode, "thp")) {
		size_t len = strtoul(argv[2], NULL, 10) * MiB;
		char *p = map(len, MADV_HUGEPAGE);
		touch(p, len);
		printf("ra-load: touched %zu MiB of THP-eligible memory\n", len / MiB);
		return 0;
	}
	fprintf(stderr, "ra-load: unknown mode %s\n", mode);
	return 1;
}
