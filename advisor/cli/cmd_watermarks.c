/* reclaim-advisor watermarks [--set KEY=VALUE ...] [--format text|json]:
 * the model (advisor/model/watermark.h) run on the host and, with --set,
 * for other settings (model/wm_setting.h); render/watermarks.h lays it out. */
#include "args.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "../model/wm_setting.h"
#include "../model/wmark_facts.h"
#include "../render/watermarks.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int parse_set(const char *arg, struct wm_setting *s)
{
	const char *eq = strchr(arg, '=');
	int rc = wm_setting_parse(arg, s);
	if (rc == -EINVAL)
		fprintf(stderr, "reclaim-advisor: watermarks: --set %s: expected KEY=VALUE\n", arg);
	else if (rc == -EDOM)
		fprintf(stderr, "reclaim-advisor: watermarks: --set %s: '%s' is not an integer\n", arg, eq + 1);
	else if (rc)
		fprintf(stderr, "reclaim-advisor: watermarks: --set %.*s: only vm.min_free_kbytes and "
				"vm.watermark_scale_factor can be predicted\n", (int)(eq - arg), arg);
	return rc;
}

int cmd_watermarks(int argc, char **argv)
{
	struct cli_args a;
	struct wm_setting set = {0};
	struct host h = {0};
	struct wm_model m = {0}, after = {0};
	struct buf b = {0};
	struct diag_list d = {0};
	struct wm_params p;
	char msg[200];
	int rc = 0, json = 0, code = cli_parse("watermarks", argc, argv, &a);
	for (size_t i = 0; !code && i < a.n[OPT_watermarks_set]; i++)
		if (parse_set(a.v[OPT_watermarks_set][i], &set))
			code = EXIT_USAGE;
	if (code || (code = cli_text_or_json("watermarks", cli_str(&a, OPT_watermarks_format), &json)) ||
	    (code = cli_no_operands("watermarks", &a)) || (code = cli_load_host(&a.host, &h)))
		goto out;
	bool have_after = set.have_mfk || set.have_wsf;
	if (!h.zi.nzones) {
		fprintf(stderr, "reclaim-advisor: watermarks: %s: no zones (proc/zoneinfo missing or empty)\n",
			h.origin ? h.origin : "host");
		code = EXIT_NOINPUT;
		goto out;
	}
	wmark_params_from_host(&h, &p);
	if (wm_model_compute(h.zi.zones, h.zi.nzones, &p, &m, &d) ||
	    (have_after && (rc = wm_model_after(h.zi.zones, h.zi.nzones, &p, &m, &set, &after, msg, sizeof(msg), &d)))) {
		if (have_after && rc == -ERANGE)
			fprintf(stderr, "reclaim-advisor: watermarks: %s\n", msg);
		diag_print_all(stderr, &d);
		code = have_after && rc == -ERANGE ? EXIT_USAGE : EXIT_DATAERR;
		goto out;
	}
	/* the report is still printed; the exit code says the prediction is missing */
	const char *missing = have_after ? wm_setting_missing(&after) : NULL;
	if (missing) {
		fprintf(stderr, "reclaim-advisor: watermarks: cannot predict: %s unknown on this host; "
				"give it with --set\n", missing);
		code = EXIT_NOINPUT;
	}
	if (have_after && set.have_mfk && after.thp_floor_kbytes > set.mfk)
		fprintf(stderr, "reclaim-advisor: watermarks: note: min_free_kbytes %lld is below THP's "
				"floor %lld kB; the next THP toggle or memory hot-plug raises it again\n",
			(long long)set.mfk, (long long)after.thp_floor_kbytes);
	(json ? watermarks_json : watermarks_text)(&h, &m, have_after ? &after : NULL, &b);
	int wc = cli_emit("watermarks", NULL, b.p, b.len);
	code = wc ? wc : code;
out:
	buf_free(&b);
	diag_list_clear(&d);
	wm_model_free(&after);
	wm_model_free(&m);
	host_free(&h);
	cli_args_free(&a);
	return cli_exit(code);
}
