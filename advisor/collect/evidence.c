/* evidence: the confidence table.  Contract in evidence.h. */
#include "evidence.h"
#include "../base/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW_MEDIUM_S 10.0
#define WINDOW_HIGH_S 60.0
#define UPTIME_MEDIUM_S 86400.0

void evidence_level(struct facts *f)
{
	const char *lru = facts_get_str(f, F_HOST_LRU);
	bool mglru = lru && !strcmp(lru, "mglru");
	int64_t n = mglru ? 50 : 10;
	const char *lru_txt = mglru ? "MGLRU" : lru ? "classic LRU" : "LRU unknown, classic assumed";
	const char *kind = facts_get_str(f, F_RATE_KIND);
	double window = 0, rate = 0;
	int64_t total = 0;
	bool have_total = facts_get_int(f, F_RECLAIM_ALLOCSTALL_TOTAL, &total) == 0;
	const char *level = "low";
	char *why;
	int64_t stalls;
	if (kind && strcmp(kind, "since-boot") && facts_get_num(f, F_RATE_WINDOW_S, &window) == 0 &&
	    facts_get_num(f, F_RATE_ALLOCSTALL, &rate) == 0) {
		stalls = llround(rate * window);
		if (stalls >= n && window >= WINDOW_HIGH_S)
			level = "high";
		else if (stalls >= n && window >= WINDOW_MEDIUM_S)
			level = "medium";
		why = xasprintf("%lld direct reclaim entries in a %.3g s window (%s: medium needs %lld in %.0f s, "
				"high %lld in %.0f s)",
				(long long)stalls, window, lru_txt, (long long)n, WINDOW_MEDIUM_S, (long long)n,
				WINDOW_HIGH_S);
	} else if (kind && facts_get_num(f, F_RATE_WINDOW_S, &window) == 0 && have_total) {
		stalls = total;
		if (stalls >= 10 * n && window >= UPTIME_MEDIUM_S)
			level = "medium";
		why = xasprintf("%lld direct reclaim entries in %.3g days since boot (%s: medium needs %lld and a "
				"day of uptime; since-boot averages are never high)",
				(long long)stalls, window / 86400.0, lru_txt, (long long)(10 * n));
	} else if (have_total) {
		stalls = total;
		why = xasprintf("%lld direct reclaim entries since boot, but no uptime and no window: totals are "
				"not rates (low)",
				(long long)stalls);
	} else {
		facts_set_str(f, F_EVIDENCE_LEVEL, "low", "derived");
		facts_set_absent(f, F_EVIDENCE_STALLS, "no allocstall counters");
		facts_set_str(f, F_EVIDENCE_WHY, "no direct reclaim counters in the capture (low)", "derived");
		return;
	}
	facts_set_str(f, F_EVIDENCE_LEVEL, level, "derived");
	facts_set_int(f, F_EVIDENCE_STALLS, stalls, "derived");
	facts_set_str(f, F_EVIDENCE_WHY, why, "derived");
	free(why);
}
