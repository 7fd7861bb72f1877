/* reclaim-advisor whatif: replay a history (record file or capture
 * directory) against the current watermarks, each --set given and a search
 * over wsf x min_free_kbytes; print what each would have done.  The model
 * is advisor/sim/sim.h; rendering advisor/render/whatif.h. */
#include "args.h"
#include "help.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "../base/buf.h"
#include "../base/numparse.h"
#include "../base/xalloc.h"
#include "../history/history.h"
#include "../model/wm_setting.h"
#include "../render/whatif.h"
#include "../sim/sim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A --set: the two watermark sysctls (wm_setting) and, for the simulator's
 * boost replay only, vm.watermark_boost_factor. */
struct given {
	struct wm_setting w;
	bool have_bf;
	int64_t bf;
};

static int parse_set(const char *arg, struct given *g)
{
	char *copy = xstrdup(arg), *save = NULL;
	int rc = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		const char *key = !strncmp(tok, "vm.", 3) ? tok + 3 : tok;
		if (!strncmp(key, "watermark_boost_factor=", 23)) {
			const char *end;
			if (parse_i64(key + 23, &end, &g->bf) || *end) {
				fprintf(stderr, "reclaim-advisor: whatif: --set %s: '%s' is not an integer\n", arg,
					key + 23);
				rc = -EDOM;
			}
			g->have_bf = true;
			continue;
		}
		rc = wm_setting_parse(tok, &g->w);
		if (rc == -EDOM)
			fprintf(stderr, "reclaim-advisor: whatif: --set %s: '%s' is not an integer\n", arg,
				strchr(tok, '=') + 1);
		else if (rc == -ENOENT)
			fprintf(stderr, "reclaim-advisor: whatif: --set %s: only vm.min_free_kbytes, "
					"vm.watermark_scale_factor and vm.watermark_boost_factor are simulated\n", arg);
	}
	if (rc == -EINVAL || (!rc && !g->w.have_mfk && !g->w.have_wsf && !g->have_bf)) {
		fprintf(stderr, "reclaim-advisor: whatif: --set %s: expected KEY=VALUE\n", arg);
		rc = -EINVAL;
	}
	free(copy);
	return rc;
}

int cmd_whatif(int argc, char **argv)
{
	/* --format text, json, svg */
	static const char *const formats[] = {"text", "json", "svg"};
	static void (*const render[])(const struct history *, const struct sim_result *, struct buf *) = {
		whatif_text, whatif_json, whatif_svg};
	struct cli_args a;
	int code = cli_parse("whatif", argc, argv, &a);
	const char *hist_path = cli_str(&a, OPT_whatif_history), *out_path = cli_str(&a, OPT_whatif_output);
	const char *fmt = cli_str(&a, OPT_whatif_format), *tgt = cli_str(&a, OPT_whatif_target), *end;
	size_t nset = a.n[OPT_whatif_set], format = 0;
	double target = 1.0;
	struct given *given = xcalloc(nset + 1, sizeof(*given));
	struct sim_opts so = {.search = !cli_flag(&a, OPT_whatif_no_search), .ngiven = nset};
	int rc;
	struct history h = {0};
	struct diag_list d = {0};
	struct sim_result r = {0};
	struct buf b = {0};
	struct sim_settings *set = NULL;
	for (size_t i = 0; !code && i < nset; i++)
		if (parse_set(a.v[OPT_whatif_set][i], &given[i]))
			code = EXIT_USAGE;
	if (!code && tgt && (parse_decimal(tgt, &end, &target) || *end || target < 0 || target > 100)) {
		fprintf(stderr, "reclaim-advisor: whatif: --target %s: expected a percentage 0..100\n", tgt);
		code = EXIT_USAGE;
	}
	while (fmt && format < 3 && strcmp(fmt, formats[format]))
		format++;
	if (!code && format == 3) {
		fprintf(stderr, "reclaim-advisor: whatif: --format %s: expected text, json or svg\n", fmt);
		code = EXIT_USAGE;
	}
	if (!code && (a.noperands || !hist_path)) {
		if (a.noperands)
			fprintf(stderr, "reclaim-advisor: whatif: unexpected argument '%s'\n", a.operands[0]);
		else
			fprintf(stderr, "reclaim-advisor: whatif: --history H is required\n");
		help_usage("whatif", stderr);
		code = EXIT_USAGE;
	}
	if (code)
		goto out;
	if ((rc = hist_read(hist_path, &h, &d))) {
		diag_print_all(stderr, &d);
		code = rc == -EINVAL ? EXIT_DATAERR : EXIT_NOINPUT;
		goto out;
	}
	/* a --set starts from the settings the history was recorded with */
	set = xcalloc(so.ngiven + 1, sizeof(*set));
	for (size_t i = 0; i < so.ngiven; i++) {
		set[i].min_free_kbytes = given[i].w.have_mfk ? given[i].w.mfk : h.p.min_free_kbytes;
		set[i].wsf = given[i].w.have_wsf ? given[i].w.wsf : h.p.wsf;
		set[i].boost_factor = given[i].have_bf ? given[i].bf : -1;
		if (set[i].min_free_kbytes < 0 || (given[i].w.have_wsf && h.p.kver && h.p.kver < KVER(4, 6, 0))) {
			fprintf(stderr, "reclaim-advisor: whatif: --set: %s\n",
				set[i].min_free_kbytes < 0 ? "the history does not say min_free_kbytes: give it too"
							   : "this kernel has no vm.watermark_scale_factor (before 4.6)");
			code = EXIT_USAGE;
			goto out;
		}
	}
	so.target_pct = target;
	so.given = set;
	rc = sim_run(&h, &so, &r, &d);
	diag_print_all(stderr, &d);
	if (rc) {
		code = rc == -ERANGE ? EXIT_USAGE : EXIT_DATAERR;
		goto out;
	}
	render[format](&h, &r, &b);
	code = cli_emit("whatif", out_path, buf_str(&b), b.len);
out:
	buf_free(&b);
	sim_result_free(&r);
	hist_free(&h);
	diag_list_clear(&d);
	free(set);
	free(given);
	cli_args_free(&a);
	return cli_exit(code);
}
