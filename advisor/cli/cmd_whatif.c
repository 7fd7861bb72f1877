/* reclaim-advisor whatif: replay a history (record file or capture
 * directory) against the current watermarks, each --set given and a search
 * over wsf x min_free_kbytes; print what each would have done.  The model
 * is advisor/sim/sim.h; rendering advisor/render/whatif.h. */
#include "args.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "../base/buf.h"
#include "../base/xalloc.h"
#include "../history/history.h"
#include "../render/whatif.h"
#include "../sim/sim.h"
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
	const char *hist_path = cli_str(a, OPT_whatif_history), *out_path = cli_str(a, OPT_whatif_output);
	size_t nset = a->n[OPT_whatif_set];
	struct sim_given *given = xcalloc(nset + 1, sizeof(*given));
	struct sim_opts so = {.search = !cli_flag(a, OPT_whatif_no_search), .ngiven = nset};
	int rc, code = 0;
	struct history h = {0};
	struct diag_list d = {0};
	struct sim_result r = {0};
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
	if ((rc = hist_read(hist_path, &h, &d))) {
		diag_print_all(stderr, &d);
		code = rc == -EINVAL ? EXIT_DATAERR : EXIT_NOINPUT;
		goto out;
	}
	/* a --set starts from the settings the history was recorded with */
	so.target_pct = cli_num(a, OPT_whatif_target, 1.0);
	rc = sim_run_given(&h, given, nset, &so, &r, &d);
	diag_print_all(stderr, &d);
	if (rc) {
		code = rc == -ERANGE ? EXIT_USAGE : EXIT_DATAERR;
		goto out;
	}
	render[cli_choice(a, OPT_whatif_format)](&h, &r, &b);
	code = cli_emit("whatif", out_path, buf_str(&b), b.len);
out:
	buf_free(&b);
	sim_result_free(&r);
	hist_free(&h);
	diag_list_clear(&d);
	free(given);
	return code;
}
