/* sim_set: whatif's --set candidates, from text to the settings sim_run
 * replays (sim.h: sim_opts.given).
 *
 * A candidate is "KEY=VALUE[,KEY=VALUE...]" with KEY min_free_kbytes,
 * watermark_scale_factor (the two the watermark model follows,
 * model/wm_setting.h) or watermark_boost_factor (the boost replay only),
 * "vm." optional.  What a candidate does not name is taken from the
 * history's own settings.  No I/O: errors come back as text for the
 * caller to print.
 */
#ifndef ADVISOR_SIM_SET_H
#define ADVISOR_SIM_SET_H

#include "sim.h"
#include "../model/wm_setting.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_given {
	struct wm_setting w; /* min_free_kbytes and wsf, when given */
	bool have_bf;
	int64_t bf;          /* vm.watermark_boost_factor */
};

/* Parse one --set argument into *g (zeroed by the caller).  0; or -EINVAL
 * (not KEY=VALUE, or names nothing), -EDOM (a value is not an integer),
 * -ENOENT (a key that is not simulated), with *why (caller frees) saying
 * so for "--set ARG: why". */
int sim_given_parse(const char *arg, struct sim_given *g, char **why);

/* The settings of the n candidates g[0..n) against history h into
 * out[0..n): a value not given is the history's; a boost factor not given
 * is -1 (as recorded).  0; or -EINVAL with *why (static text) when the
 * history does not say min_free_kbytes and a candidate does not give it,
 * or a candidate sets wsf on a kernel without it (before 4.6). */
int sim_given_settings(const struct sim_given *g, size_t n, const struct history *h, struct sim_settings *out,
		       const char **why);

/* sim_run (sim.h) on h with the n candidates g[0..n) as o->given (their
 * settings from sim_given_settings; o->given and o->ngiven are ignored).
 * 0; sim_run's -EINVAL or -ERANGE with an error in d; also -ERANGE when a
 * candidate cannot be completed from h (the error "--set: why" in d at
 * the history), as a value outside the legal range is. */
int sim_run_given(const struct history *h, const struct sim_given *g, size_t n, const struct sim_opts *o,
		  struct sim_result *out, struct diag_list *d);

#endif
