/* reclaim-advisor whatif: replay a history (record file or capture
 * directory) against the current watermarks, each --set given and a search
 * over wsf x min_free_kbytes; print what each would have done.  The model
 * is advisor/sim/sim.h; rendering advisor/render/whatif.h. */
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
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	help_usage("whatif", f);
}

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
	enum { O_HISTORY = 1000, O_SET, O_TARGET, O_FORMAT, O_NOSEARCH };
	static const struct option opts[] = {
		{"history", required_argument, NULL, O_HISTORY},
		{"set", required_argument, NULL, O_SET},
		{"target", required_argument, NULL, O_TARGET},
		{"format", required_argument, NULL, O_FORMAT},
		{"no-search", no_argument, NULL, O_NOSEARCH},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	/* --format text, json, svg */
	static void (*const render[])(const struct history *, const struct sim_result *, struct buf *) = {
		whatif_text, whatif_json, whatif_svg};
	const char *hist_path = NULL, *out_path = NULL, *end;
	double target = 1.0;
	struct given *given = xcalloc((size_t)argc + 1, sizeof(*given));
	struct sim_opts so = {.search = true};
	int c, rc, format = 0, code = EXIT_USAGE;
	struct history h = {0};
	struct diag_list d = {0};
	struct sim_result r = {0};
	struct buf b = {0};
	struct sim_settings *set = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case O_HISTORY: hist_path = optarg; break;
		case O_SET:
			if (parse_set(optarg, &given[so.ngiven++]))
				goto out;
			break;
		case O_TARGET:
			if (parse_decimal(optarg, &end, &target) || *end || target < 0 || target > 100) {
				fprintf(stderr, "reclaim-advisor: whatif: --target %s: expected a percentage 0..100\n",
					optarg);
				goto out;
			}
			break;
		case O_FORMAT:
			format = !strcmp(optarg, "json") ? 1 : !strcmp(optarg, "svg") ? 2 : strcmp(optarg, "text") ? -1 : 0;
			if (format < 0) {
				fprintf(stderr, "reclaim-advisor: whatif: --format %s: expected text, json or svg\n", optarg);
				goto out;
			}
			break;
		case O_NOSEARCH: so.search = false; break;
		case 'o': out_path = optarg; break;
		default:
			usage(c == 'h' ? stdout : stderr);
			code = c == 'h' ? EXIT_OK : EXIT_USAGE;
			goto out;
		}
	}
	if (optind < argc || !hist_path) {
		if (optind < argc)
			fprintf(stderr, "reclaim-advisor: whatif: unexpected argument '%s'\n", argv[optind]);
		else
			fprintf(stderr, "reclaim-advisor: whatif: --history H is required\n");
		usage(stderr);
		goto out;
	}
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
	return code;
}
