/* fnv: FNV-1a 64, the one non-cryptographic digest the tool publishes
 * (rule set digests, fragment state lines, host ids).  Stable across runs
 * and machines; not for anything an adversary must not forge.
 *
 * Start with FNV1A64_INIT and feed bytes with fnv1a64(); pure, no state
 * beyond the running value. */
#ifndef ADVISOR_FNV_H
#define ADVISOR_FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A64_INIT UINT64_C(0xcbf29ce484222325)
#define FNV1A64_PRIME UINT64_C(0x100000001b3)

static inline uint64_t fnv1a64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV1A64_PRIME;
	return h;
}

#endif
