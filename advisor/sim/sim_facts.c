/* sim_facts: sim.* facts from a simulation (see sim_facts.h). */
#include "sim_facts.h"

#include "../base/xalloc.h"

#include <stdlib.h>

static const enum fact_id ids[] = {
	F_SIM_SAMPLES, F_SIM_SPAN_SECONDS, F_SIM_BURSTS, F_SIM_STALL_EPISODES, F_SIM_OBSERVED_DIRECT_ENTRIES, F_SIM_CURRENT_DIRECT_ENTRIES, F_SIM_DIRECT_ENTRIES, F_SIM_RECORDED_WSF, F_SIM_RECORDED_MIN_FREE_KBYTES, F_SIM_WSF, F_SIM_MIN_FREE_KBYTES, F_SIM_HELD_BACK_BYTES, F_SIM_RECORDED_HELD_BACK_BYTES, F_SIM_TARGET_MET, F_SIM_SIZED_TO_BUDGET, F_SIM_CONFIDENCE, F_SIM_ENTRIES_ABOVE_LOW, F_SIM_BOOST_RISES_PAGEBLOCKS, F_SIM_BOOST_FACTOR, F_SIM_FLOOR_FREE_MIN_FREE_KBYTES, F_SIM_FLOOR_FREE_WSF,
	F_SIM_FLOOR_FREE_DIRECT_ENTRIES, F_SIM_FLOOR_FREE_HELD_BACK_BYTES, F_SIM_FLOOR_FREE_TARGET_MET,
};

void sim_absent_facts(struct facts *f, const char *reason)
{
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		facts_set_absent(f, ids[i], reason);
}

void sim_add_facts(struct facts *f, const char *source, const struct sim_result *r)
{
	char *src = xstrdup(source);
	const struct sim_candidate *cur = &r->c[0], *ch = &r->c[r->chosen];
	facts_set_int(f, F_SIM_SAMPLES, (int64_t)r->samples, src);
	facts_set_float(f, F_SIM_SPAN_SECONDS, r->span_s, src);
	facts_set_int(f, F_SIM_BURSTS, r->bursts, src);
	facts_set_int(f, F_SIM_STALL_EPISODES, r->stall_episodes, src);
	facts_set_int(f, F_SIM_OBSERVED_DIRECT_ENTRIES, (int64_t)r->obs_entries, src);
	facts_set_int(f, F_SIM_CURRENT_DIRECT_ENTRIES, (int64_t)cur->pred.direct_entries, src);
	facts_set_int(f, F_SIM_DIRECT_ENTRIES, (int64_t)ch->pred.direct_entries, src);
	if (cur->s.wsf >= 0) {
		facts_set_int(f, F_SIM_RECORDED_WSF, cur->s.wsf, src);
		facts_set_int(f, F_SIM_WSF, ch->s.wsf, src);
	} else {
		facts_set_absent(f, F_SIM_RECORDED_WSF, "the kernel has no watermark_scale_factor (before 4.6)");
		facts_set_absent(f, F_SIM_WSF, "the kernel has no watermark_scale_factor (before 4.6)");
	}
	facts_set_int(f, F_SIM_RECORDED_MIN_FREE_KBYTES, cur->s.min_free_kbytes, src);
	facts_set_int(f, F_SIM_MIN_FREE_KBYTES, ch->s.min_free_kbytes, src);
	facts_set_int(f, F_SIM_HELD_BACK_BYTES, ch->held_high * r->page_size, src);
	facts_set_int(f, F_SIM_RECORDED_HELD_BACK_BYTES, cur->held_high * r->page_size, src);
	facts_set_bool(f, F_SIM_TARGET_MET, r->target_met, src);
	facts_set_bool(f, F_SIM_SIZED_TO_BUDGET, r->sized_to_budget, src);
	facts_set_str(f, F_SIM_CONFIDENCE, r->confidence, src);
	facts_set_int(f, F_SIM_ENTRIES_ABOVE_LOW, (int64_t)r->obs_entries_above_low, src);
	if (r->boost_recorded)
		facts_set_float(f, F_SIM_BOOST_RISES_PAGEBLOCKS, r->boost_rises_pageblocks, src);
	else
		facts_set_absent(f, F_SIM_BOOST_RISES_PAGEBLOCKS, "the history does not record the zones' boost");
	if (r->boost_sysctl)
		facts_set_int(f, F_SIM_BOOST_FACTOR, sim_boost_of(r, ch), src);
	else
		facts_set_absent(f, F_SIM_BOOST_FACTOR, "the kernel has no watermark_boost_factor (before 5.0)");
	static const enum fact_id floor_ids[] = {F_SIM_FLOOR_FREE_MIN_FREE_KBYTES, F_SIM_FLOOR_FREE_WSF,
						 F_SIM_FLOOR_FREE_DIRECT_ENTRIES, F_SIM_FLOOR_FREE_HELD_BACK_BYTES,
						 F_SIM_FLOOR_FREE_TARGET_MET};
	if (r->floor_free != (size_t)-1) {
		const struct sim_candidate *x = &r->c[r->floor_free];
		facts_set_int(f, F_SIM_FLOOR_FREE_MIN_FREE_KBYTES, x->s.min_free_kbytes, src);
		facts_set_int(f, F_SIM_FLOOR_FREE_WSF, x->s.wsf, src);
		facts_set_int(f, F_SIM_FLOOR_FREE_DIRECT_ENTRIES, (int64_t)x->pred.direct_entries, src);
		facts_set_int(f, F_SIM_FLOOR_FREE_HELD_BACK_BYTES, x->held_high * r->page_size, src);
		facts_set_bool(f, F_SIM_FLOOR_FREE_TARGET_MET, x->meets, src);
	} else {
		const char *why = r->thp_floor_kbytes < 0 ? "THP is off (or unknown): no min_free_kbytes floor"
				  : cur->s.min_free_kbytes < r->thp_floor_kbytes
					  ? "the recorded min_free_kbytes is below THP's floor: the floor did not set it"
				  : r->target_met && !r->sized_to_budget
					  ? "the choice at or above THP's floor meets the target"
					  : "no candidate under THP's floor within the memory budget";
		for (size_t i = 0; i < sizeof(floor_ids) / sizeof(floor_ids[0]); i++)
			facts_set_absent(f, floor_ids[i], why);
	}
	free(src);
}
