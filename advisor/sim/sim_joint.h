/* sim_joint: one choice from several histories of one host.
 *
 * Why: the choice one history gives depends on which recording it is.  On
 * the effectiveness guests, 147 recordings with the kernel's defaults gave
 * wsf 167-494 on one scenario (docs/whatif.md, "The choice follows the
 * recording"): a burst pattern one recording lacks is one the next may
 * hold.  Several recordings size for the bursts each of them saw.
 *
 * How (docs/whatif.md, "Several histories"):
 *   1. each history alone: sim_run with its search (its own choice and
 *      frontier);
 *   2. the union of those candidates (each history's current settings,
 *      every --set, every search candidate), replayed on every history;
 *   3. the choice: the smallest Σ high that meets each history's own
 *      target within its memory budget and, where a history's choice was
 *      the budget's edge (its replay no evidence of the headroom needed),
 *      holds back at least that edge, and where it had nothing to size, at
 *      least its settings; else the widest single choice, the target not
 *      met;
 *   4. each history once more with that choice forced (its view: the
 *      picture, and what it would have chosen alone).
 *
 * sim_run_joint borrows the histories; the result owns everything else
 * (sim_joint_free, NULL-safe).  No I/O.
 */
#ifndef ADVISOR_SIM_JOINT_H
#define ADVISOR_SIM_JOINT_H

#include "sim.h"

struct sim_joint {
	size_t n;                 /* histories */
	const struct history *const *h; /* borrowed */
	struct sim_result *view;  /* [n]: history i with the joint choice forced (view[i].c[chosen]);
				   * view[i].c[alone] is what it chose alone */
	/* The joint answer as one result, so the renderers and the sim.*
	 * facts read it as they read one history's: counts summed over the
	 * histories; c[0] the first history's current settings, then the
	 * candidates (each history's own choice, the union's choice) with
	 * predictions summed and Σ high the largest; no trace. */
	struct sim_result joint;
	struct sim_pred *per;     /* [joint.nc * n]: candidate k on history i at per[k * n + i] */
	bool *meets;              /* [joint.nc * n]: likewise, meets history i's target within its budget */
	size_t binding;           /* the history whose own choice holds back the most */
	unsigned met_on;          /* histories whose target the choice meets */
	char origins[512];        /* "A, B and C" (shortened when long), for sources and text */
};

/* Run the n >= 1 histories h[0..n) (one host: the caller checks) with o
 * (its given and search apply to each; force_given is ignored).  0; or
 * sim_run's -EINVAL/-ERANGE for the first history that fails, with the
 * error in d. */
int sim_run_joint(const struct history *const *h, size_t n, const struct sim_opts *o, struct sim_joint *out,
		  struct diag_list *d);
void sim_joint_free(struct sim_joint *j);

#endif
