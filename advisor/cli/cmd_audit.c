/* reclaim-advisor audit: is this host configured as advised?
 *
 * An adapter over advise_run (advise.h): host -> advice -> audit (expected
 * values: --fragment FILE, else our deployed fragment, else the advice) ->
 * text | json | prometheus.  Exit codes follow the monitoring-plugin
 * convention (exitcodes.h AUDIT_*): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 * Everything that stops the audit (bad options, a root that does not exist,
 * rules that do not load, a fragment that does not parse) is UNKNOWN, and
 * the chosen format is still produced so a textfile collector or a fleet
 * run sees the host as unknown instead of silently stale. */
#include "args.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "version.h"

#include "../base/buf.h"
#include "../advise/advise.h"
#include "../collect/hostid.h"
#include "../render/audit_format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where the document goes: stdout (path NULL) or a file, replaced only when
 * it is ours unless --force. */
struct output {
	const char *path;
	const char *root; /* the tree read: a path inside it is confined to it */
	bool force;
};

/* 0 or an EXIT_* code (message printed); audit turns any failure into UNKNOWN. */
static int emit(const struct buf *b, const struct output *out)
{
	return cli_emit_to("audit", out->root, out->path, buf_str(b), b->len, out->force);
}

/* Produce the UNKNOWN document of a host that was not collected in the
 * requested format and return 3. */
static int unknown(const char *origin, const char *host_id, enum audit_format fmt, const struct prom_opts *po,
		   const struct output *out, const char *why)
{
	struct audit *a = audit_unknown(origin, host_id, why);
	struct buf b = {0};
	audit_format_render(a, NULL, fmt, po, &b);
	emit(&b, out);
	buf_free(&b);
	audit_free(a);
	return AUDIT_UNKNOWN;
}

int cmd_audit(const struct cli_args *args)
{
	/* A bad command line still yields the UNKNOWN document in the
	 * requested format (docs/audit.md): main runs audit on a refused one
	 * too (TAKES_REFUSED), and the parser read every option, so --format
	 * and -o are known; then the audit stops. */
	int code = 0;
	const struct host_source *ho = &args->host;
	const char *profile = cli_str(args, OPT_audit_profile), *fragment = cli_str(args, OPT_audit_fragment);
	const char *host_id_opt = cli_str(args, OPT_audit_host_id);
	struct output out = {cli_str(args, OPT_audit_output), host_source_dir(&args->host), cli_flag(args, OPT_audit_force)};
	enum audit_format fmt = AUDIT_FMT_TEXT;
	struct prom_opts po = {.version = ADVISOR_VERSION, .instance = cli_str(args, OPT_audit_prom_instance)};
	struct host host = {0};
	bool have_host = false;
	struct audit *a = NULL;
	char *derived_id = NULL, *outpath = NULL, *msg = NULL;
	struct diag_list d = {0};
	struct buf b = {0};

	if (cli_flag(args, OPT_audit_format)) /* checked: audit_format_known */
		audit_format_parse(cli_str(args, OPT_audit_format), &fmt);
	/* A textfile directory: one file name per audit instance, so two
	 * audits writing there never replace each other's file. */
	struct stat ost;
	if (out.path && fmt == AUDIT_FMT_PROM && stat(out.path, &ost) == 0 && S_ISDIR(ost.st_mode))
		out.path = outpath = audit_textfile_path(out.path, po.instance);

	const char *origin = ho->snapshot ? ho->snapshot : ho->root ? ho->root : "/";
	/* The identity fleet matches reports by (hostid.h), as recommend. */
	derived_id = host_id_derive(host_id_opt, host_source_dir(ho), NULL, origin);
	if (args->refused) {
		code = unknown(origin, derived_id, fmt, &po, &out, "bad command line (see stderr)");
		goto out;
	}

	if (cli_load_host(ho, &host) != EXIT_OK) {
		code = unknown(origin, derived_id, fmt, &po, &out, "could not collect the host (see stderr)");
		goto out;
	}
	have_host = true;
	/* The advice: also with --fragment, for the findings and the reasons
	 * behind each key; without it our deployed fragment is the expected
	 * state when there is one (advise.h). */
	struct audit_host_request ar = {
		.advise = {.host = &host, .root = host_source_dir(ho), .profile = profile, .rules = args->v[OPT_audit_rules],
			   .nrules = args->n[OPT_audit_rules], .host_id = host_id_opt, .version = ADVISOR_VERSION},
		.origin = origin, .tree = ho->root, .snapshot = ho->snapshot != NULL, .fragment = fragment,
		.labels = args->v[OPT_audit_label], .nlabels = args->n[OPT_audit_label]};
	int rc = advise_audit_host(&ar, &a, &msg, &d);
	if (msg)
		fprintf(stderr, "reclaim-advisor: audit: %s\n", msg);
	else /* collection notes were printed by host_load: only what the rules and the sysctl.d scan said */
		diag_print_all(stderr, &d);
	audit_format_render(a, &host, fmt, &po, &b);
	code = emit(&b, &out) || rc ? AUDIT_UNKNOWN : (int)a->status;

out:
	buf_free(&b);
	audit_free(a);
	free(msg);
	if (have_host)
		host_free(&host);
	diag_list_clear(&d);
	free(d.v);
	free(derived_id);
	free(outpath);
	return code;
}
