/* recommend: an adapter over advise_run (advise.h): options in, the
 * fragment, the report and the summary out, and the exit code.
 *
 * Write safety lives here: the fragment is written with fileio_write_atomic
 * (temp file, fsync, rename), mode 0644; an existing file without the tool's
 * marker is refused (EXIT_CANTCREAT) unless --force; a fragment that is up
 * to date (fragment.h: the same state line) is not rewritten.  --check and
 * --diff never write: 0 when up to date, 2 when not.
 */
#include "help.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "hostopts.h"
#include "version.h"

#include "../history/history.h"
#include "../sim/sim.h"
#include "../advise/advise.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../render/summary.h"
#include "../sysctld/apply.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OPT_PROFILE = 2000, OPT_RULES, OPT_REPORT, OPT_CHECK, OPT_DIFF, OPT_APPLY, OPT_FORCE, OPT_FORMAT,
       OPT_TEMPLATE, OPT_TIMESTAMP, OPT_HOST_ID, OPT_HISTORY, OPT_HELP, OPT_VERBOSE, OPT_TMPFILES,
       OPT_OVERRIDE };

struct opts {
	struct host_source host;
	const char *profile;
	const char **rules;
	size_t nrules;
	const char *out;
	const char *report;
	const char *template_dir;
	const char *host_id;
	const char *history;
	const char *tmpfiles;
	struct overrides overrides; /* --override */
	bool check, diff, apply, force, json, timestamp, verbose;
};

static void usage(FILE *f)
{
	help_usage("recommend", f);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int json = 0;
	static const struct option longopts[] = {
		{"profile", required_argument, NULL, OPT_PROFILE},
		{"rules", required_argument, NULL, OPT_RULES},
		{"output", required_argument, NULL, 'o'},
		{"report", required_argument, NULL, OPT_REPORT},
		{"check", no_argument, NULL, OPT_CHECK},
		{"diff", no_argument, NULL, OPT_DIFF},
		{"apply", no_argument, NULL, OPT_APPLY},
		{"force", no_argument, NULL, OPT_FORCE},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"template", required_argument, NULL, OPT_TEMPLATE},
		{"timestamp", no_argument, NULL, OPT_TIMESTAMP},
		{"host-id", required_argument, NULL, OPT_HOST_ID},
		{"history", required_argument, NULL, OPT_HISTORY},
		{"override", required_argument, NULL, OPT_OVERRIDE},
		{"help", no_argument, NULL, OPT_HELP},
		{"verbose", no_argument, NULL, OPT_VERBOSE},
		{"tmpfiles", required_argument, NULL, OPT_TMPFILES},
		HOSTOPTS_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:hv", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PROFILE: o->profile = optarg; break;
		case OPT_RULES:
			o->rules = xreallocarray(o->rules, o->nrules + 1, sizeof(*o->rules));
			o->rules[o->nrules++] = optarg;
			break;
		case 'o': o->out = optarg; break;
		case OPT_REPORT: o->report = optarg; break;
		case OPT_CHECK: o->check = true; break;
		case OPT_DIFF: o->diff = true; break;
		case OPT_APPLY: o->apply = true; break;
		case OPT_FORCE: o->force = true; break;
		case OPT_FORMAT:
			if (cli_text_or_json("recommend", optarg, &json))
				return EXIT_USAGE;
			o->json = json;
			break;
		case OPT_TEMPLATE: o->template_dir = optarg; break;
		case OPT_TIMESTAMP: o->timestamp = true; break;
		case OPT_HOST_ID: o->host_id = optarg; break;
		case 'v':
		case OPT_VERBOSE: o->verbose = true; break;
		case OPT_HISTORY: o->history = optarg; break;
		case OPT_TMPFILES: o->tmpfiles = optarg; break;
		case OPT_OVERRIDE: {
			char bad[64];
			if (overrides_add(&o->overrides, optarg, bad, sizeof(bad))) {
				fprintf(stderr, "reclaim-advisor: recommend: --override: '%s' is not a sysctl the advisor "
						"sets (KEY[,KEY...] or all; `rules list` shows them)\n", bad);
				return EXIT_USAGE;
			}
			break;
		}
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return -1;
		default:
			if (cli_other_option(&o->host, c, optarg, usage))
				return EXIT_USAGE;
			break;
		}
	}
	if (cli_no_operands("recommend", argc, argv, usage))
		return EXIT_USAGE;
	if ((o->out && cli_nonempty("recommend", "-o", o->out)) ||
	    (o->report && cli_nonempty("recommend", "--report", o->report)) ||
	    (o->host_id && cli_nonempty("recommend", "--host-id", o->host_id)) ||
	    (o->tmpfiles && cli_nonempty("recommend", "--tmpfiles", o->tmpfiles)) ||
	    cli_outputs_distinct("recommend", "-o", o->out, "--report", o->report) ||
	    cli_outputs_distinct("recommend", "-o", o->out, "--tmpfiles", o->tmpfiles) ||
	    cli_outputs_distinct("recommend", "--tmpfiles", o->tmpfiles, "--report", o->report))
		return EXIT_USAGE;
	if ((o->check || o->diff) && (o->apply || o->report || o->json)) {
		fprintf(stderr, "reclaim-advisor: recommend: --check and --diff write nothing; "
				"they exclude --apply, --report and --format json\n");
		return EXIT_USAGE;
	}
	if (o->apply && !o->out) {
		fprintf(stderr, "reclaim-advisor: recommend: --apply needs -o FRAGMENT (the values must "
				"survive a reboot)\n");
		return EXIT_USAGE;
	}
	if (o->apply && o->host.snapshot) {
		fprintf(stderr, "reclaim-advisor: recommend: --apply needs a root, not a snapshot\n");
		return EXIT_USAGE;
	}
	if ((o->check || o->diff) && !o->out && !o->tmpfiles && o->host.snapshot) {
		fprintf(stderr, "reclaim-advisor: recommend: --check and --diff with --snapshot need -o FRAGMENT\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static void iso_now(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Print from entry `from` on (host_load printed the host's own). */
static void print_diags(const struct diag_list *l, size_t from, bool notes)
{
	for (size_t i = from; i < l->n; i++)
		if (notes || l->v[i].sev != DIAG_NOTE)
			diag_print(stderr, &l->v[i]);
}

/* Write one of our files (the sysctl.d fragment, the tmpfiles fragment)
 * at path unless it is up to date; refuse a foreign file (dep: the file
 * there before this run). */
static int write_ours(const char *path, const struct buf *text, const struct advise_deployed *dep,
		      bool up_to_date, bool force)
{
	if (advise_file_refused(dep, up_to_date, force)) {
		fprintf(stderr,
			"reclaim-advisor: recommend: %s exists and was not written by reclaim-advisor "
			"(no \"%s\" header); not overwriting it (use --force)\n",
			path, FRAGMENT_MARKER);
		return EXIT_CANTCREAT;
	}
	int rc = advise_file_write(path, text, up_to_date);
	if (rc) {
		fprintf(stderr, "reclaim-advisor: recommend: cannot write %s: %s (the old file, if any, is unchanged)\n",
			path, fileio_strerror(rc));
		return cli_write_code(-rc);
	}
	return EXIT_OK;
}

/* Write the advice's live values to <root>/proc/sys; the exit code of the outcome. */
static int apply(const struct advice *a, const char *rootdir, struct apply_entry **ap, size_t *nap)
{
	struct apply_req *req = NULL;
	size_t n = advice_apply_reqs(a, false, &req);
	struct root root = {.dirfd = -1};
	int code = EXIT_OK;
	if (root_open(&root, rootdir)) {
		fprintf(stderr, "reclaim-advisor: recommend: --apply: cannot open %s\n", rootdir);
		code = EXIT_NOINPUT;
	} else {
		apply_values(&root, req, n, ap);
		*nap = n;
		if (apply_any(*ap, n, APPLY_NOT_PERMITTED))
			code = EXIT_NOPERM;
		else if (apply_any(*ap, n, APPLY_REFUSED) || apply_any(*ap, n, APPLY_FAILED) ||
			 apply_any(*ap, n, APPLY_ABSENT))
			code = EXIT_FAIL;
	}
	root_close(&root);
	advice_apply_reqs_free(req, n);
	return code;
}

int cmd_recommend(int argc, char **argv)
{
	struct opts o = {0};
	int code = parse_opts(argc, argv, &o);
	if (code) {
		free(o.rules);
		overrides_free(&o.overrides);
		return code < 0 ? EXIT_OK : code;
	}
	struct host h = {0};
	struct diag_list d = {0};
	struct history hist = {0};
	struct sim_result simr = {0};
	struct advice *a = NULL;
	struct apply_entry *ap = NULL;
	size_t nap = 0, printed = 0;
	char *F = NULL, *out_path = NULL;
	struct buf text = {0};
	char ts[32];

	code = cli_load_host(&o.host, &h);
	if (code)
		goto out;
	/* The host's diagnostics go into the report; host_load printed them. */
	diag_splice(&d, &h.diags);
	printed = d.n;

	/* The history's simulation: its answer reaches the rules as sim.* facts */
	if (o.history) {
		int hr = advise_history(o.history, &hist, &simr, &d);
		if (hr) {
			print_diags(&d, printed, true);
			printed = d.n;
			code = hr == -EINVAL ? EXIT_DATAERR : EXIT_NOINPUT;
			goto out;
		}
	}

	const char *rootdir = o.host.snapshot ? NULL : o.host.root ? o.host.root : "/";
	if (o.out)
		out_path = xstrdup(o.out);
	else if (rootdir && (o.check || o.diff) && !o.tmpfiles) /* --tmpfiles alone: that file */
		out_path = xasprintf("%s%s", strcmp(rootdir, "/") ? rootdir : "", FRAGMENT_DEFAULT_PATH);
	F = advise_fragment_host_path(rootdir, out_path);
	if (o.timestamp)
		iso_now(ts, sizeof(ts));
	struct advise_request req = {
		.host = &h, .root = rootdir, .profile = o.profile, .rules = o.rules, .nrules = o.nrules,
		.template_dir = o.template_dir, .need_fragment = o.out || o.check || o.diff,
		.fragment_path = F, .deployed_file = out_path, .host_id = o.host_id, .tmpfiles_file = o.tmpfiles,
		.timestamp = o.timestamp ? ts : NULL, .version = ADVISOR_VERSION,
		.history = o.history ? &hist : NULL, .sim = o.history ? &simr : NULL,
		.overrides = &o.overrides,
	};
	int rc = advise_run(&req, &a, &d);
	if (rc) {
		print_diags(&d, printed, true);
		printed = d.n;
		code = rc == -EINVAL ? EXIT_CONFIG : rc == -EIO ? EXIT_IOERR : rc == -EEXIST ? EXIT_CANTCREAT : EXIT_FAIL;
		goto out;
	}
	/* --check and --diff compare and never write: 0 up to date, 2 not. */
	if (o.check || o.diff) {
		if (o.diff) {
			if (out_path)
				advise_file_diff(out_path, &a->fragment, &a->deployed, a->up_to_date, &text);
			if (o.tmpfiles)
				advise_file_diff(o.tmpfiles, &a->tmpfiles, &a->tmpfiles_deployed, a->tmpfiles_up_to_date, &text);
			fputs(buf_str(&text), stdout);
		}
		code = (!out_path || a->up_to_date) && (!o.tmpfiles || a->tmpfiles_up_to_date) ? EXIT_OK : EXIT_CHANGED;
		goto out;
	}
	/* Every output is checked before anything is written or applied, so
	 * --apply never changes the host and then fails to record it. */
	if (o.report && (code = cli_output_ready("recommend", o.report, o.force)))
		goto out;
	if (o.out && (code = write_ours(o.out, &a->fragment, &a->deployed, a->up_to_date, o.force)))
		goto out;
	if (o.tmpfiles && (code = write_ours(o.tmpfiles, &a->tmpfiles, &a->tmpfiles_deployed,
					     a->tmpfiles_up_to_date, o.force)))
		goto out;
	if (o.apply) {
		code = apply(a, rootdir, &ap, &nap);
		a->in.apply = ap;
		a->in.napply = nap;
	}
	if (o.report || o.json) {
		advice_report_text(a, &text);
		int wc = o.report ? cli_emit_to("recommend", o.report, text.p, text.len, o.force) : 0;
		if (wc && apply_any(ap, nap, APPLY_APPLIED)) {
			buf_reset(&text);
			summary_restore_hint(ap, nap, &text);
			fputs(buf_str(&text), stderr);
			code = EXIT_APPLIED_UNRECORDED;
			goto out;
		}
		if (wc) {
			code = wc;
			goto out;
		}
		if (o.json)
			fputs(buf_str(&text), stdout);
		buf_reset(&text);
	}
	if (!o.json) {
		summary_render(&a->in, o.verbose, &text);
		buf_putc(&text, '\n');
		bool root_live = !o.host.root || !strcmp(o.host.root, "/");
		struct summary_next next = {.out = o.out, .up_to_date = a->up_to_date, .identical = a->identical,
					    .apply = o.apply, .apply_ok = code == EXIT_OK, .root_live = root_live,
					    .live = root_live && !o.host.snapshot, .verbose = o.verbose,
					    .nselected = a->nselected};
		summary_closing_line(&a->in, &next, &text);
		if (o.tmpfiles)
			buf_printf(&text, "%s: %zu sysfs setting(s) for systemd-tmpfiles%s.\n", o.tmpfiles, a->ntmpfiles,
				   a->tmpfiles_up_to_date ? ", up to date" : ", written");
		fputs(buf_str(&text), stdout);
	}
out:
	print_diags(&d, printed, false);
	apply_entries_free(ap, nap);
	advice_free(a);
	free(F);
	free(out_path);
	buf_free(&text);
	host_free(&h);
	sim_result_free(&simr);
	hist_free(&hist);
	diag_list_clear(&d);
	free(o.rules);
	overrides_free(&o.overrides);
	return code;
}
