/* recommend: host -> model -> rules -> plan -> fragment, report, summary.
 *
 * This is CLI code: it opens the output files, prints, and chooses the exit
 * code (exitcodes.h).  Everything it renders comes from the pure modules
 * (render/fragment, render/report, render/summary, recommend/apply,
 * recommend/precedence); this file only wires them and keeps the
 * write-safety rules in one place:
 *   - the fragment is written with fileio_write_atomic (temp file in the
 *     target directory, fsync, rename, fsync of the directory), mode 0644;
 *   - an existing file without the tool's marker is refused (EXIT_CANTCREAT)
 *     unless --force; an existing file that is up to date (the same bytes,
 *     or fragment_up_to_date: the same assignments from the same rule set
 *     and profile) is not rewritten, --check says 0 and --diff is empty;
 *   - on any error the old file is untouched (the rename is the commit).
 */
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "hostopts.h"
#include "version.h"

#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../collect/hostid.h"
#include "../model/watermark.h"
#include "../model/wmark_facts.h"
#include "../sysctld/apply.h"
#include "../sysctld/precedence.h"
#include "../render/fragment.h"
#include "../render/report.h"
#include "../render/summary.h"
#include "../rules/engine.h"
#include "../rules/ruleset.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
	OPT_PROFILE = 2000,
	OPT_RULES,
	OPT_REPORT,
	OPT_CHECK,
	OPT_DIFF,
	OPT_APPLY,
	OPT_FORCE,
	OPT_FORMAT,
	OPT_TEMPLATE,
	OPT_TIMESTAMP,
	OPT_HOST_ID,
	OPT_HELP,
};

static const char usage_text[] =
	"usage: reclaim-advisor recommend [--root DIR | --snapshot FILE] [--profile NAME]\n"
	"         [--rules DIR ...] [-o FRAGMENT] [--report FILE] [--check] [--diff]\n"
	"         [--apply] [--force] [--format text|json] [--template DIR] [--timestamp]\n"
	"         [--host-id ID]\n"
	"\n"
	"Without output options nothing is written: a summary is printed.\n"
	"  -o FRAGMENT       write the sysctl.d fragment (conventionally\n"
	"                    " FRAGMENT_DEFAULT_PATH ")\n"
	"  --report FILE     write the JSON rationale (schema/report.schema.json)\n"
	"  --format json     print the JSON rationale on stdout instead of the summary\n"
	"  --check           write nothing; exit 0 when the fragment on disk is up to date,\n"
	"                    2 when it would change (default file: <root>" FRAGMENT_DEFAULT_PATH ")\n"
	"  --diff            print a unified diff of the fragment on disk and the new one\n"
	"  --apply           after writing the fragment, write the values to <root>/proc/sys\n"
	"                    and read them back (the live host only when the root is /)\n"
	"  --force           overwrite a fragment that does not carry the tool's header\n"
	"  --profile NAME    profile (default: general)\n"
	"  --rules DIR       extra rule directory, after the shipped rules (repeatable)\n"
	"  --template DIR    fragment-header.tmpl and fragment-entry.tmpl from DIR (default:\n"
	"                    $RECLAIM_ADVISOR_TEMPLATE_DIR, else " ADVISOR_DATADIR "/templates)\n"
	"  --timestamp       record the time in the fragment and the report (not deterministic)\n"
	"  --host-id ID      the host's identity in the report (default: a digest of\n"
	"                    etc/machine-id under the root, else the last component of the\n"
	"                    root or snapshot path): fleet matches audit and recommend reports by it\n"
	"exit: 0 ok, 2 --check: would change, 64 usage, 65 bad input data, 66 input missing,\n"
	"      73 refusing a foreign file / cannot create, 74 write failed, 77 --apply not\n"
	"      permitted, 78 rules, profile or templates do not load, 1 other failure\n";

struct opts {
	struct hostopts host;
	const char *profile;
	const char **rules;
	size_t nrules;
	const char *out;
	const char *report;
	const char *template_dir;
	const char *host_id;
	bool check, diff, apply, force, json, timestamp;
};

static void usage(FILE *f)
{
	fputs(usage_text, f);
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
		{"help", no_argument, NULL, OPT_HELP},
		HOSTOPTS_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PROFILE:
			o->profile = optarg;
			break;
		case OPT_RULES:
			o->rules = xreallocarray(o->rules, o->nrules + 1, sizeof(*o->rules));
			o->rules[o->nrules++] = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case OPT_REPORT:
			o->report = optarg;
			break;
		case OPT_CHECK:
			o->check = true;
			break;
		case OPT_DIFF:
			o->diff = true;
			break;
		case OPT_APPLY:
			o->apply = true;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_FORMAT:
			if (cli_text_or_json("recommend", optarg, &json))
				return EXIT_USAGE;
			o->json = json;
			break;
		case OPT_TEMPLATE:
			o->template_dir = optarg;
			break;
		case OPT_TIMESTAMP:
			o->timestamp = true;
			break;
		case OPT_HOST_ID:
			o->host_id = optarg;
			break;
		case 'h':
		case OPT_HELP:
			printf("%s\n%s", usage_text, hostopts_usage);
			return -1;
		default:
			if (cli_other_option(&o->host, c, optarg, usage))
				return EXIT_USAGE;
			break;
		}
	}
	if (cli_no_operands("recommend", argc, argv, NULL))
		return EXIT_USAGE;
	if (o->check && (o->apply || o->report || o->json)) {
		fprintf(stderr, "reclaim-advisor: recommend: --check writes and prints nothing but the diff; "
				"it excludes --apply, --report and --format json\n");
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
	if ((o->check || o->diff) && !o->out && o->host.snapshot) {
		fprintf(stderr, "reclaim-advisor: recommend: --check and --diff with --snapshot need -o FRAGMENT\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* ---- watermarks: the model before and after ------------------------- */

static void wm_rows(const struct wm_model *m, struct rec_wmark *out)
{
	for (size_t i = 0; i < m->nzones; i++) {
		const struct wm_zone *z = &m->zones[i];
		out[i] = (struct rec_wmark){z->z->node, z->z->name, ZONE_ABSENT, ZONE_ABSENT, ZONE_ABSENT,
					    ZONE_ABSENT};
		if (z->predicted)
			out[i] = (struct rec_wmark){z->z->node, z->z->name, z->pred.min, z->pred.low,
						    z->pred.high, z->pred.promo};
	}
}

static const struct decision *find_decision(const struct plan *p, const char *key)
{
	for (size_t i = 0; i < p->nd; i++)
		if (!strcmp(p->d[i].sysctl, key))
			return &p->d[i];
	return NULL;
}

/* Fill before/after from the model; *note explains when it cannot. */
static size_t watermarks(const struct host *h, const struct plan *plan, struct rec_wmark **before,
			 struct rec_wmark **after, const char **note, struct diag_list *d)
{
	if (!h->zi.nzones) {
		*note = "no zoneinfo: watermarks not modelled";
		return 0;
	}
	struct wm_params p;
	wmark_params_from_host(h, &p);
	struct wm_model mb = {0}, ma = {0};
	if (wm_model_compute(h->zi.zones, h->zi.nzones, &p, &mb, d)) {
		*note = "the watermark model could not run on this host";
		return 0;
	}
	const struct decision *x = find_decision(plan, "vm.min_free_kbytes");
	if (x && x->recommended.type == FACT_INT)
		p.min_free_kbytes = x->recommended.u.i;
	x = find_decision(plan, "vm.watermark_scale_factor");
	if (x && x->recommended.type == FACT_INT)
		p.wsf = x->recommended.u.i;
	if (wm_model_compute(h->zi.zones, h->zi.nzones, &p, &ma, d)) {
		wm_model_free(&mb);
		*note = "the watermark model could not predict the recommended settings";
		return 0;
	}
	size_t n = mb.nzones;
	*before = xcalloc(n, sizeof(**before));
	*after = xcalloc(n, sizeof(**after));
	wm_rows(&mb, *before);
	wm_rows(&ma, *after);
	bool any = false;
	for (size_t i = 0; i < n; i++)
		any = any || mb.zones[i].predicted;
	if (!any)
		*note = "min_free_kbytes or watermark_scale_factor unknown: watermarks not predicted";
	wm_model_free(&mb);
	wm_model_free(&ma);
	return n;
}

/* ---- precedence --------------------------------------------------------- */

/* The fragment's path as the host will see it: on the live host -o as an
 * absolute path; -o under a --root loses the root prefix; elsewhere (and
 * from a snapshot) it is assumed to be installed in /etc/sysctl.d. */
static char *host_path(const char *root, const char *out)
{
	if (!out)
		return xstrdup(FRAGMENT_DEFAULT_PATH);
	if (!root) {
		/* A snapshot: the fragment is written here and deployed there. */
		const char *base = strrchr(out, '/');
		return xasprintf("/etc/sysctl.d/%s", base ? base + 1 : out);
	}
	if (!strcmp(root, "/")) {
		if (out[0] == '/')
			return xstrdup(out);
		char cwd[PATH_MAX];
		if (getcwd(cwd, sizeof(cwd)))
			return xasprintf("%s/%s", strcmp(cwd, "/") ? cwd : "", out);
		return xstrdup(out);
	}
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (!strncmp(out, root, n) && out[n] == '/')
		return xstrdup(out + n);
	const char *base = strrchr(out, '/');
	return xasprintf("/etc/sysctl.d/%s", base ? base + 1 : out);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static int dir_rank(const char *path)
{
	static const char *const dirs[] = {"/etc/sysctl.d/", "/run/sysctl.d/", "/usr/local/lib/sysctl.d/",
					   "/usr/lib/sysctl.d/", "/lib/sysctl.d/"};
	for (int i = 0; i < 5; i++)
		if (!strncmp(path, dirs[i], strlen(dirs[i])) && !strchr(path + strlen(dirs[i]), '/'))
			return i;
	return 5;
}

/* The line of "key = value" in the rendered fragment (0 if absent). */
static unsigned fragment_line_of(const char *text, const char *key)
{
	size_t kl = strlen(key);
	unsigned line = 1;
	for (const char *p = text; p && *p; line++) {
		if (!strncmp(p, key, kl) && (p[kl] == ' ' || p[kl] == '\t' || p[kl] == '='))
			return line;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

/* Which file sets each key at boot once the fragment F is installed, under
 * systemd-sysctl and under `sysctl --system` (precedence.h describes both
 * orders).  masked: a same-named file in an earlier directory hides F. */
static void precedence_of(const struct precedence *pr, const struct plan *plan, const bool *sel,
			  const char *F, const char *frag_text, struct rec_prec *out, char **strs,
			  struct diag_list *d)
{
	const char *B = base_name(F);
	int frank = dir_rank(F);
	const char *masker = NULL;
	for (size_t i = 0; i < precedence_nfiles(pr); i++) {
		const char *f = precedence_file(pr, i);
		if (strcmp(f, F) && !strcmp(base_name(f), B) && dir_rank(f) < frank)
			masker = f;
	}
	if (masker)
		diag_add(d, DIAG_WARNING, F, 0, 0,
			 "the fragment is masked by %s (same name in an earlier directory): neither "
			 "systemd-sysctl nor sysctl --system will read it",
			 masker);
	for (size_t i = 0; i < plan->nd; i++) {
		const char *key = plan->d[i].sysctl;
		const struct sysctl_origin *o = precedence_lookup(pr, key);
		bool ours = sel[i] && !masker;
		const struct sysctl_assign *sd = NULL, *conf = NULL;
		bool inserted = false;
		for (size_t k = 0; o && k < o->nall; k++) {
			const struct sysctl_assign *a = &o->all[k];
			if (!strcmp(a->file, F) || (!strcmp(base_name(a->file), B) && !masker))
				continue; /* our old copy, or a same-named file ours masks */
			if (!strcmp(a->file, "/etc/sysctl.conf")) {
				conf = a;
				continue;
			}
			if (ours && !inserted && strcmp(base_name(a->file), B) > 0)
				inserted = true;
			sd = a;
		}
		if (ours && !inserted)
			sd = NULL; /* ours is the last one */
		struct rec_prec *r = &out[i];
		unsigned our_line = fragment_line_of(frag_text, key);
		if (sd) {
			r->systemd_file = sd->file;
			r->systemd_line = sd->line;
		} else if (ours) {
			r->systemd_file = F;
			r->systemd_line = our_line;
		}
		if (conf) {
			r->procps_file = conf->file;
			r->procps_line = conf->line;
		} else {
			r->procps_file = r->systemd_file;
			r->procps_line = r->systemd_line;
		}
		if (!sel[i])
			continue;
		const struct sysctl_assign *by = masker ? NULL : sd ? sd : conf;
		if (masker) {
			r->shadowed = true;
			r->shadowed_by = masker;
		} else if (by) {
			r->shadowed = true;
			strs[i] = xasprintf("%s:%u (%s = %s)", by->file, by->line, key, by->value);
			r->shadowed_by = strs[i];
			diag_add(d, DIAG_WARNING, F, our_line, 0,
				 "%s would be overridden at boot by %s:%u (%s = %s) under %s", key, by->file,
				 by->line, key, by->value,
				 sd ? "systemd-sysctl and sysctl --system" : "sysctl --system");
		}
	}
}

/* ---- output files -------------------------------------------------------- */

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

int cmd_recommend(int argc, char **argv)
{
	struct opts o = {0};
	int code = parse_opts(argc, argv, &o);
	if (code) {
		free(o.rules);
		return code < 0 ? EXIT_OK : code;
	}

	struct host h = {0};
	struct diag_list d = {0};
	struct ruleset *rs = NULL;
	struct profile *prof = NULL;
	struct plan *plan = NULL;
	struct precedence *pr = NULL;
	struct fragment_templates tm = {0};
	struct rec_wmark *wb = NULL, *wa = NULL;
	struct rec_prec *prec = NULL;
	char **prec_strs = NULL;
	struct apply_entry *ap = NULL;
	size_t nap = 0;
	bool *sel = NULL;
	char *tdir = NULL, *F = NULL, *old = NULL, *out_path = NULL, *host_id = NULL;
	size_t oldlen = 0, printed = 0;
	struct buf frag = {0}, text = {0};
	struct root root = {.dirfd = -1};
	char ts[32];

	code = host_load(&o.host, &h);
	if (code)
		goto out;
	/* The host's diagnostics go into the report; host_load printed them. */
	diag_splice(&d, &h.diags);
	printed = d.n;

	/* Rules and profile: every error reported before failing. */
	struct ruleset_opts ro = {.dirs = o.rules, .ndirs = o.nrules};
	if (ruleset_load(&ro, &rs, &d) || profile_load(rs, o.profile, &prof, &d)) {
		print_diags(&d, printed, true);
		printed = d.n;
		code = EXIT_CONFIG;
		goto out;
	}
	/* The rules read the model's wmark.* facts (engine.h). */
	wmark_add_facts(&h, &d);
	if (engine_run(rs, prof, &h, &plan)) {
		fprintf(stderr, "reclaim-advisor: recommend: the rule engine failed\n");
		code = EXIT_FAIL;
		goto out;
	}
	diag_splice(&d, &plan->diags);

	sel = xcalloc(plan->nd + 1, sizeof(*sel));
	fragment_select(plan, sel, &d);

	/* The same identity audit reports (hostid.h), for fleet. */
	host_id = host_id_derive(o.host_id, o.host.snapshot ? NULL : o.host.root ? o.host.root : "/",
				 h.origin);
	struct rec_input in = {.plan = plan, .host = &h, .host_id = host_id, .version = ADVISOR_VERSION,
			       .selected = sel, .diags = &d};
	if (o.timestamp) {
		iso_now(ts, sizeof(ts));
		in.timestamp = ts;
	}
	in.nwm = watermarks(&h, plan, &wb, &wa, &in.wm_note, &d);
	in.wm_before = wb;
	in.wm_after = wa;

	/* The fragment: needed by -o, --check, --diff; rendered whenever the
	 * templates load (precedence reports its line numbers). */
	bool need_frag = o.out || o.check || o.diff;
	const char *rootdir = o.host.snapshot ? NULL : o.host.root ? o.host.root : "/";
	if (o.out)
		out_path = xstrdup(o.out);
	else if (rootdir && (o.check || o.diff))
		out_path = xasprintf("%s%s", strcmp(rootdir, "/") ? rootdir : "", FRAGMENT_DEFAULT_PATH);
	F = host_path(rootdir, out_path);
	in.fragment_path = F;
	tdir = cli_template_dir(o.template_dir);
	struct diag_list td = {0};
	if (cli_load_templates(tdir, &tm, &td) || fragment_render(&tm, &in, &frag, &td)) {
		if (need_frag || o.template_dir) {
			print_diags(&td, 0, true);
			diag_list_clear(&td);
			code = EXIT_CONFIG;
			goto out;
		}
		diag_add(&d, DIAG_WARNING, tdir, 0, 0, "templates do not load: fragment not rendered");
	}
	diag_list_clear(&td);

	/* Precedence: only with a root (a snapshot has no /etc). */
	if (rootdir && !root_open(&root, rootdir) && !precedence_scan(&root, &pr, &d)) {
		prec = xcalloc(plan->nd + 1, sizeof(*prec));
		prec_strs = xcalloc(plan->nd + 1, sizeof(*prec_strs));
		precedence_of(pr, plan, sel, F, buf_str(&frag), prec, prec_strs, &d);
		in.prec = prec;
	} else {
		diag_add(&d, DIAG_NOTE, rootdir ? rootdir : o.host.snapshot, 0, 0,
			 "boot-time precedence not computed: %s",
			 rootdir ? "the sysctl.d directories could not be read" : "a snapshot has no sysctl.d files");
	}

	/* The file on disk, for --check, --diff and the foreign-file rule. */
	bool exists = false;
	if (out_path) {
		int rc = file_read(out_path, FILEIO_DEFAULT_CAP, &old, &oldlen);
		exists = rc == 0;
		if (rc && rc != -ENOENT) {
			fprintf(stderr, "reclaim-advisor: recommend: %s: %s\n", out_path, strerror(-rc));
			code = rc == -EACCES ? EXIT_CANTCREAT : EXIT_IOERR;
			goto out;
		}
	}
	/* Up to date: the same assignments from the same rule set and profile
	 * (fragment.h); only the "was N" comments may differ, and they keep
	 * the values the file replaced when it was first written. */
	bool same = exists && fragment_up_to_date(&tm, old, oldlen, buf_str(&frag), frag.len);
	bool identical = same && oldlen == frag.len && !memcmp(old, buf_str(&frag), oldlen);
	if (o.diff && !same) {
		char *alabel = exists ? xstrdup(out_path) : xstrdup("/dev/null");
		char *blabel = xasprintf("%s (new)", out_path);
		fragment_diff(exists ? old : "", exists ? oldlen : 0, buf_str(&frag), frag.len, alabel, blabel,
			      &text);
		fputs(buf_str(&text), stdout);
		buf_reset(&text);
		free(alabel);
		free(blabel);
	}
	if (o.check) {
		code = same ? EXIT_OK : EXIT_CHANGED;
		goto out;
	}

	if (o.out && !same) {
		if (exists && !o.force && !fragment_is_ours(old, oldlen)) {
			fprintf(stderr,
				"reclaim-advisor: recommend: %s exists and was not written by reclaim-advisor "
				"(no \"%s\" header); not overwriting it (use --force)\n",
				o.out, FRAGMENT_MARKER);
			code = EXIT_CANTCREAT;
			goto out;
		}
		int rc = fileio_write_atomic(o.out, frag.p ? frag.p : "", frag.len, 0644);
		if (rc) {
			fprintf(stderr, "reclaim-advisor: recommend: cannot write %s: %s (the old file, if any, "
					"is unchanged)\n",
				o.out, strerror(-rc));
			code = cli_write_code(-rc);
			goto out;
		}
	}

	if (o.apply) {
		struct apply_req *req = xcalloc(plan->nd + 1, sizeof(*req));
		char **vals = xcalloc(plan->nd + 1, sizeof(*vals));
		for (size_t i = 0; i < plan->nd; i++) {
			if (!sel[i])
				continue;
			vals[nap] = rec_value_text(&plan->d[i].recommended);
			req[nap] = (struct apply_req){plan->d[i].sysctl, vals[nap]};
			nap++;
		}
		apply_values(&root, req, nap, &ap);
		for (size_t i = 0; i < nap; i++)
			free(vals[i]);
		free(vals);
		free(req);
		in.apply = ap;
		in.napply = nap;
	}

	if (o.report || o.json) {
		struct json_object *doc = report_build(&in);
		report_to_text(doc, &text);
		json_object_put(doc);
		if (o.report) {
			int rc = fileio_write_atomic(o.report, text.p, text.len, 0644);
			if (rc) {
				fprintf(stderr, "reclaim-advisor: recommend: cannot write %s: %s\n", o.report,
					strerror(-rc));
				code = cli_write_code(-rc);
				goto out;
			}
		}
		if (o.json)
			fputs(buf_str(&text), stdout);
		buf_reset(&text);
	}
	if (!o.json && !o.diff) {
		summary_render(&in, &text);
		size_t nsel = 0;
		for (size_t i = 0; i < plan->nd; i++)
			nsel += sel[i];
		if (o.out && !same)
			buf_printf(&text, "\nWrote %s (%zu setting(s)).\n", o.out, nsel);
		else if (o.out)
			buf_printf(&text, "\nUp to date, not rewritten: %s (%zu setting(s)%s).\n", o.out, nsel,
				   identical ? "" : "; same settings, rule set and profile, its comments kept");
		fputs(buf_str(&text), stdout);
	}
	code = EXIT_OK;
	if (ap && apply_any(ap, nap, APPLY_NOT_PERMITTED))
		code = EXIT_NOPERM;
	else if (ap && (apply_any(ap, nap, APPLY_REFUSED) || apply_any(ap, nap, APPLY_FAILED) ||
			apply_any(ap, nap, APPLY_ABSENT)))
		code = EXIT_FAIL;
out:
	print_diags(&d, printed, false);
	apply_entries_free(ap, nap);
	if (prec_strs)
		for (size_t i = 0; plan && i < plan->nd; i++)
			free(prec_strs[i]);
	free(prec_strs);
	free(prec);
	precedence_free(pr);
	root_close(&root);
	free(wb);
	free(wa);
	free(sel);
	free(tdir);
	free(F);
	free(old);
	free(out_path);
	free(host_id);
	buf_free(&frag);
	buf_free(&text);
	fragment_templates_free(&tm);
	plan_free(plan);
	profile_free(prof);
	ruleset_free(rs);
	host_free(&h);
	diag_list_clear(&d);
	free(o.rules);
	return code;
}
