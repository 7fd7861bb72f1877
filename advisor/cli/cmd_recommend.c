/* recommend: an adapter over advise_run (advise.h): options in, the
 * fragment, the report and the summary out, and the exit code.
 *
 * Write safety (advise_file_put, advise_output_write): the fragment is
 * written with fileio_write_atomic (temp file, fsync, rename), mode 0644; an
 * existing file without the tool's marker is refused (EXIT_CANTCREAT) unless
 * --force; a fragment that is up to date (fragment.h: the same state line) is
 * not rewritten.  --check and --diff never write: 0 when up to date, 2 when
 * not.
 */
#include "args.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "version.h"

#include "../history/history.h"
#include "../sim/sim.h"
#include "../advise/advise.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/xalloc.h"
#include "../render/summary.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct opts {
	const struct cli_args *a;
	const char *profile, *out, *report, *template_dir, *host_id, *tmpfiles;
	struct overrides overrides; /* --override */
	bool check, diff, apply, force, json, timestamp, verbose;
};

static int parse_opts(const struct cli_args *a, struct opts *o)
{
	*o = (struct opts){
		.a = a, .profile = cli_str(a, OPT_recommend_profile), .out = cli_str(a, OPT_recommend_output),
		.report = cli_str(a, OPT_recommend_report), .template_dir = cli_str(a, OPT_recommend_template),
		.host_id = cli_str(a, OPT_recommend_host_id),
		.tmpfiles = cli_str(a, OPT_recommend_tmpfiles), .check = cli_flag(a, OPT_recommend_check),
		.diff = cli_flag(a, OPT_recommend_diff), .apply = cli_flag(a, OPT_recommend_apply),
		.force = cli_flag(a, OPT_recommend_force), .json = cli_is(a, OPT_recommend_format, "json"),
		.timestamp = cli_flag(a, OPT_recommend_timestamp), .verbose = cli_flag(a, OPT_recommend_verbose),
	};
	for (size_t i = 0; i < a->n[OPT_recommend_override]; i++) {
		char bad[64];
		if (overrides_add(&o->overrides, a->v[OPT_recommend_override][i], bad, sizeof(bad))) {
			fprintf(stderr, "reclaim-advisor: recommend: --override: '%s' is not a sysctl the advisor "
					"sets (KEY[,KEY...] or all; `rules list` shows them)\n", bad);
			return EXIT_USAGE;
		}
	}
	const struct cli_rule rules[] = {
		{(o->check || o->diff) && (o->apply || o->report || o->json),
		 "--check and --diff write nothing; they exclude --apply, --report and --format json"},
		{o->apply && !o->out, "--apply needs -o FRAGMENT (the values must survive a reboot)"},
		{a->n[OPT_recommend_split] && !a->n[OPT_recommend_history], "--split needs --history"},
		{o->apply && a->host.snapshot, "--apply needs a root, not a snapshot"},
		{(o->check || o->diff) && !o->out && !o->tmpfiles && a->host.snapshot,
		 "--check and --diff with --snapshot need -o FRAGMENT"},
	};
	return cli_check("recommend", rules, sizeof(rules) / sizeof(rules[0]));
}

static void iso_now(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int cmd_recommend(const struct cli_args *args)
{
	struct opts o = {0};
	int code = parse_opts(args, &o);
	if (code) {
		overrides_free(&o.overrides);
		return code;
	}
	struct host h = {0};
	struct diag_list d = {0}, wd = {0};
	struct advise_delivery dl = {0};
	struct advise_histories ah = {0};
	size_t nhist = o.a->n[OPT_recommend_history];
	struct advice *a = NULL;
	size_t printed = 0;
	char *F = NULL, *out_path = NULL;
	struct buf text = {0};
	char ts[32];

	code = cli_load_host(&o.a->host, &h);
	if (code)
		goto out;
	/* The host's diagnostics go into the report; host_load printed them. */
	diag_splice(&d, &h.diags);
	printed = d.n;

	/* The history's simulation: its answer reaches the rules as sim.* facts */
	if (nhist) {
		int hr = advise_histories(o.a->v[OPT_recommend_history], nhist, cli_num(o.a, OPT_recommend_split, 0), &h, &ah,
					  &d);
		if (hr) {
			diag_print_from(stderr, &d, printed, DIAG_NOTE, NULL);
			printed = d.n;
			code = hr == -EINVAL ? EXIT_DATAERR : EXIT_NOINPUT;
			goto out;
		}
	}

	const char *rootdir = host_source_dir(&o.a->host);
	if (o.out)
		out_path = xstrdup(o.out);
	else if (rootdir && (o.check || o.diff) && !o.tmpfiles) /* --tmpfiles alone: that file */
		out_path = xasprintf("%s%s", strcmp(rootdir, "/") ? rootdir : "", FRAGMENT_DEFAULT_PATH);
	F = advise_fragment_host_path(rootdir, out_path);
	if (o.timestamp)
		iso_now(ts, sizeof(ts));
	struct advise_request req = {
		.host = &h, .root = rootdir, .profile = o.profile, .rules = o.a->v[OPT_recommend_rules], .nrules = o.a->n[OPT_recommend_rules],
		.template_dir = o.template_dir, .need_fragment = o.out || o.check || o.diff,
		.fragment_path = F, .deployed_file = out_path, .host_id = o.host_id, .tmpfiles_file = o.tmpfiles,
		.timestamp = o.timestamp ? ts : NULL, .version = ADVISOR_VERSION,
		.history = nhist ? &ah.h[0] : NULL, .sim = nhist ? advise_histories_sim(&ah) : NULL,
		.sim_origin = nhist ? ah.origin : NULL,
		.overrides = &o.overrides,
	};
	int rc = advise_run(&req, &a, &d);
	if (rc) {
		diag_print_from(stderr, &d, printed, DIAG_NOTE, NULL);
		printed = d.n;
		code = rc == -EINVAL ? EXIT_CONFIG : rc == -EIO ? EXIT_IOERR : rc == -EEXIST ? EXIT_CANTCREAT : EXIT_FAIL;
		goto out;
	}
	/* --check and --diff compare and never write: 0 up to date, 2 not. */
	if (o.check || o.diff) {
		code = advice_files_current(a, out_path, o.tmpfiles, o.diff ? &text : NULL) ? EXIT_OK : EXIT_CHANGED;
		fputs(buf_str(&text), stdout);
		goto out;
	}
	/* The writes and the apply, in the order that records every change
	 * (advise_deliver); then the exit code of its outcome. */
	struct advise_delivery_request dr = {.fragment_file = o.out, .tmpfiles_file = o.tmpfiles,
					     .report_file = o.report, .root = rootdir, .report = o.json,
					     .apply_root = o.apply ? rootdir : NULL, .force = o.force,
					     .force_hint = "use --force"};
	enum advise_outcome oc = advise_deliver(a, &dr, &dl, &wd);
	cli_written("recommend", 0, &wd);
	fputs(buf_str(&dl.restore), stderr);
	static const int codes[] = {[ADVISE_APPLIED_UNRECORDED] = EXIT_APPLIED_UNRECORDED,
				    [ADVISE_APPLY_NO_ROOT] = EXIT_NOINPUT, [ADVISE_APPLY_NOT_PERMITTED] = EXIT_NOPERM,
				    [ADVISE_APPLY_INCOMPLETE] = EXIT_FAIL};
	code = oc == ADVISE_NOT_WRITTEN ? cli_write_code(-dl.err) : codes[oc];
	if (oc == ADVISE_NOT_WRITTEN || oc == ADVISE_APPLIED_UNRECORDED)
		goto out;
	if (o.json) {
		fputs(buf_str(&dl.report), stdout);
		goto out;
	}
	bool root_live = !o.a->host.root || !strcmp(o.a->host.root, "/");
	struct summary_next next = {.out = o.out, .up_to_date = a->up_to_date, .identical = a->identical,
				    .apply = o.apply, .apply_ok = code == EXIT_OK, .root_live = root_live,
				    .live = root_live && !o.a->host.snapshot, .verbose = o.verbose,
				    .nselected = a->nselected, .tmpfiles = o.tmpfiles, .ntmpfiles = a->ntmpfiles,
				    .tmpfiles_up_to_date = a->tmpfiles_up_to_date,
				    .live_unknown = !host_sysctls_known(&h)};
	summary_text(&a->in, &next, &text);
	fputs(buf_str(&text), stdout);
out:
	diag_print_from(stderr, &d, printed, DIAG_WARNING, NULL); /* host_load printed the host's own */
	advise_delivery_free(&dl);
	advice_free(a);
	free(F);
	free(out_path);
	buf_free(&text);
	host_free(&h);
	advise_histories_free(&ah);
	diag_list_clear(&d);
	overrides_free(&o.overrides);
	return code;
}
