/* reclaim-advisor watermarks [--set KEY=VALUE ...] [--format text|json]:
 * the model (advisor/model/watermark.h) run on the host and, with --set,
 * for other settings (model/wm_setting.h); render/watermarks.h lays it out. */
#include "args.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "../model/wm_setting.h"
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

int cmd_watermarks(const struct cli_args *a)
{
	struct wm_setting set = {0};
	struct host h = {0};
	struct wm_model m = {0}, after = {0};
	struct buf b = {0};
	struct diag_list d = {0};
	int rc = 0, code = 0;
	for (size_t i = 0; !code && i < a->n[OPT_watermarks_set]; i++)
		if (parse_set(a->v[OPT_watermarks_set][i], &set))
			code = EXIT_USAGE;
	if (code || (code = cli_load_host(&a->host, &h)))
		goto out;
	bool have_after = set.have_mfk || set.have_wsf;
	rc = wm_model_host(&h, &set, &m, &after, &d);
	diag_print_from(stderr, &d, 0, DIAG_NOTE, "reclaim-advisor: watermarks: ");
	if (rc) {
		code = rc == -ENODATA ? EXIT_NOINPUT : rc == -ERANGE ? EXIT_USAGE : EXIT_DATAERR;
		goto out;
	}
	/* the report is still printed; the exit code says the prediction is missing */
	if (have_after && wm_setting_missing(&after))
		code = EXIT_NOINPUT;
	bool json = cli_is(a, OPT_watermarks_format, "json");
	(json ? watermarks_json : watermarks_text)(&h, &m, have_after ? &after : NULL, &b);
	int wc = cli_emit("watermarks", NULL, b.p, b.len);
	code = wc ? wc : code;
out:
	buf_free(&b);
	diag_list_clear(&d);
	wm_model_free(&after);
	wm_model_free(&m);
	host_free(&h);
	return code;
}
