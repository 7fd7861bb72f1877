/* advise_history: a recorded history and the simulator's answer from it,
 * the request's history and sim (recommend --history).  Contract in
 * advise.h. */
#include "advise.h"

#include "../history/history.h"

int advise_history(const char *path, struct history *hist, struct sim_result *sim, struct diag_list *d)
{
	/* whatif's default question: which settings bring direct reclaim to
	 * at most 1 % of what the current settings give. */
	struct sim_opts so = {.target_pct = 1, .search = true};
	int rc = hist_read(path, hist, d);
	return rc ? rc : sim_run(hist, &so, sim, d);
}
