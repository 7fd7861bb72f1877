/*
 * burst: the anonymous-memory half of the effectiveness benchmark's workload.
 * Runs only inside the throwaway QEMU guest (scripts/qemu/bench-init.sh starts
 * two of them), never on a host; linked statically so the busybox initramfs
 * needs no C library.
 *
 *   burst SEED BURSTS [MIN_MIB MAX_MIB HOLD_MS PAUSE_MS]
 *
 * BURSTS times: map an anonymous region of MIN..MAX MiB (default 32..64),
 * write one byte into every 4 KiB page (each write faults in a fresh page, as
 * an application filling a buffer does, and a non-zero byte keeps it from
 * being the shared zero page), hold it 0..HOLD_MS (default 200), unmap it,
 * pause 0..PAUSE_MS (default 300).  Sizes and times come from a xorshift
 * generator seeded by SEED, so every run of one seed asks for the same
 * sequence; what the kernel does with it (kswapd or direct reclaim) is the
 * measurement.  Prints one line per burst on stdout (for the guest log).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static uint64_t next(uint64_t *s)
{
	/* xorshift64: deterministic, no libc state shared between the two bursters. */
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int num(const char *text, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(text, &end, 10);
	return errno || end == text || *end ? -1 : 0;
}

static void sleep_ms(unsigned long ms)
{
	struct timespec t = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	unsigned long seed, bursts, lo = 32, hi = 64, hold = 200, pause = 300;

	if ((argc != 3 && argc != 7) || num(argv[1], &seed) || num(argv[2], &bursts) ||
	    (argc == 7 && (num(argv[3], &lo) || num(argv[4], &hi) || num(argv[5], &hold) ||
			   num(argv[6], &pause))) ||
	    lo == 0 || hi < lo || hi > 4096) {
		fprintf(stderr, "usage: burst SEED BURSTS [MIN_MIB MAX_MIB HOLD_MS PAUSE_MS]\n");
		return 64;
	}
	uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;
	for (unsigned long i = 0; i < bursts; i++) {
		size_t mib = lo + next(&s) % (hi - lo + 1);
		size_t len = mib << 20;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			fprintf(stderr, "burst %lu: mmap %zu MiB: %s\n", i, mib, strerror(errno));
			return 1;
		}
		for (size_t off = 0; off < len; off += 4096)
			p[off] = 1;
		sleep_ms(hold ? next(&s) % (hold + 1) : 0);
		munmap(p, len);
		printf("burst %lu: %zu MiB\n", i, mib);
		fflush(stdout);
		sleep_ms(pause ? next(&s) % (pause + 1) : 0);
	}
	return 0;
}
