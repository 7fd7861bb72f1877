/* ours: which documents are ours (contract in ours.h). */
#include "ours.h"

#include <string.h>

bool render_is_ours(const char *text, size_t len)
{
	if (len == 0)
		return true; /* nothing to lose */
	size_t n = len < 4096 ? len : 4096;
	static const char *const marks[] = {"reclaim-advisor", "reclaim_advisor", "RECLAIM-ADVISOR"};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (memmem(text, n, marks[i], strlen(marks[i])))
			return true;
	return len >= 7 && !memcmp(text, "fleet: ", 7);
}
