/* reclaim-advisor whatif: replay a history (record file or capture
 * directory) against the current watermarks, each --set given and a search
 * over wsf x min_free_kbytes; print what each would have done.  Several
 * --history: one choice over all of them (sim_joint.h).  The model is
 * advisor/sim/sim.h; rendering advisor/render/whatif.h. */
#include "args.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "../advise/advise.h"
#include "../base/buf.h"
#include "../base/xalloc.h"
#include "../history/history.h"
#include "../render/whatif.h"
#include "../sim/sim.h"
#include "../sim/sim_joint.h"
#include "../sim/sim_set.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_whatif(const struct cli_args *a)
{
	/* --format text|json|svg */
	static void (*const render[])(const struct history *, const struct sim_result *, struct buf *) = {
		whatif_text, whatif_json, whatif_svg};
	static void (*const render_joint[])(const struct sim_joint *, struct buf *) = {
		whatif_text_joint, whatif_json_joint, whatif_svg_joint};
	const char *out_path = cli_str(a, OPT_whatif_output);
	size_t nset = a->n[OPT_whatif_set], nh = a->n[OPT_whatif_history];
	struct sim_given *given = xcalloc(nset + 1, sizeof(*given));
	struct sim_opts so = {.search = !cli_flag(a, OPT_whatif_no_search), .ngiven = nset};
	int rc, code = 0;
	struct history *h = xcalloc(nh, sizeof(*h));
	const struct history **hp = xcalloc(nh, sizeof(*hp));
	struct sim_settings *gs = NULL;
	struct diag_list d = {0};
	struct sim_result r = {0};
	struct sim_joint j = {0};
	struct buf b = {0};
	for (size_t i = 0; !code && i < nset; i++) {
		char *why;
		if (sim_given_parse(a->v[OPT_whatif_set][i], &given[i], &why)) {
			fprintf(stderr, "reclaim-advisor: whatif: --set %s: %s\n", a->v[OPT_whatif_set][i], why);
			code = EXIT_USAGE;
		}
		free(why);
	}
	if (code)
		goto out;
	for (size_t i = 0; i < nh; i++) {
		if ((rc = hist_read(a->v[OPT_whatif_history][i], &h[i], &d))) {
			diag_print_all(stderr, &d);
			code = rc == -EINVAL ? EXIT_DATAERR : EXIT_NOINPUT;
			goto out;
		}
	}
	if (a->n[OPT_whatif_split] && hist_split(&h, &nh, cli_num(a, OPT_whatif_split, 0), &d)) {
		diag_print_all(stderr, &d);
		code = EXIT_DATAERR;
		goto out;
	}
	hp = xreallocarray(hp, nh, sizeof(*hp));
	for (size_t i = 0; i < nh; i++)
		hp[i] = &h[i];
	so.target_pct = cli_num(a, OPT_whatif_target, 1.0);
	if (nh == 1) {
		/* a --set starts from the settings the history was recorded with */
		rc = sim_run_given(&h[0], given, nset, &so, &r, &d);
	} else if (!(rc = advise_histories_agree(hp, nh, &d))) {
		/* one host: a --set starts from the first history's settings */
		const char *why = NULL;
		gs = xcalloc(nset + 1, sizeof(*gs));
		if (sim_given_settings(given, nset, &h[0], gs, &why)) {
			diag_add(&d, DIAG_ERROR, h[0].origin, 0, 0, "--set: %s", why);
			rc = -ERANGE;
		} else {
			so.given = gs;
			rc = sim_run_joint(hp, nh, &so, &j, &d);
		}
	}
	diag_print_all(stderr, &d);
	if (rc) {
		code = rc == -ERANGE ? EXIT_USAGE : EXIT_DATAERR;
		goto out;
	}
	if (nh == 1)
		render[cli_choice(a, OPT_whatif_format)](&h[0], &r, &b);
	else
		render_joint[cli_choice(a, OPT_whatif_format)](&j, &b);
	code = cli_emit("whatif", out_path, buf_str(&b), b.len);
out:
	buf_free(&b);
	sim_result_free(&r);
	sim_joint_free(&j);
	for (size_t i = 0; i < nh; i++)
		hist_free(&h[i]);
	free(h);
	free(hp);
	free(gs);
	diag_list_clear(&d);
	free(given);
	return code;
}
