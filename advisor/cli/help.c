/* help: the command table and its printers (contract in help.h).
 *
 * Layout of a command's help, as GNU tools print theirs: a usage line, a
 * paragraph, the options with their text in a second column, the shared
 * host options, the exit status.  Nothing here is computed: the man pages
 * are written from this text. */
#include "help.h"

#include "commands.h"
#include "version.h"

#include "../render/fragment.h"

#include <string.h>

#define H_HELP {"-h, --help", "this text"}
#define H_END {NULL, NULL}

static const struct help_opt host_opts[] = {
	{"--root DIR", "read a captured tree instead of the live host (\"/\")"},
	{"--snapshot FILE", "read a JSON snapshot written by `collect` (not with --root)"},
	{"--sysctl-file FILE", "a `sysctl -a` dump for sysctls missing from the tree"},
	{"--kernel-log FILE", "dmesg or /var/log/messages text: OOM kills, allocation failures"},
	{"--page-size N", "page size of a captured tree without proc/self/smaps"},
	{"--interval S", "sample vmstat and PSI twice, S seconds apart (live host only)"},
	{"--baseline DIR|FILE", "an earlier capture or snapshot of the same host, for rates"},
	H_END,
};

static const struct help_opt collect_opts[] = {
	{"-o, --output FILE", "write the snapshot to FILE atomically instead of stdout"},
	{"--force", "replace a FILE that reclaim-advisor did not write"},
	H_HELP,
	H_END,
};

static const struct help_opt facts_opts[] = {
	{"--format text|json", "output format (default text)"},
	H_HELP,
	H_END,
};

static const struct help_opt watermarks_opts[] = {
	{"--set KEY=VALUE", "predict after writing vm.min_free_kbytes or\n"
			    "vm.watermark_scale_factor (repeatable; \"vm.\" optional)"},
	{"--format text|json", "output format (default text)"},
	H_HELP,
	H_END,
};

static const struct help_opt rules_opts[] = {
	{"--strict", "check: warnings are errors too"},
	{"--profile NAME", "list: the profile (default general)"},
	{"--rules DIR", "extra rule directory, after the installed rules and the drop-ins\n(repeatable)"},
	H_HELP,
	H_END,
};

static const struct help_opt explain_opts[] = {
	{"--profile NAME", "the profile the engine runs with (default general)"},
	{"--rules DIR", "extra rule directory, after the installed rules and the drop-ins\n(repeatable)"},
	H_HELP,
	H_END,
};

static const struct help_opt recommend_opts[] = {
	{"-o, --output FRAGMENT", "write the sysctl.d fragment (conventionally\n" FRAGMENT_DEFAULT_PATH ")"},
	{"--report FILE", "write the JSON rationale (schema/report.schema.json)"},
	{"--tmpfiles FILE", "write the sysfs settings the findings advise (THP defrag) as a\n"
			    "systemd-tmpfiles fragment (w PATH - - - - VALUE lines), like the\n"
			    "fragment: atomic, ours only unless --force, compared by --check/--diff"},
	{"--format text|json", "text: the summary (default); json: the rationale on stdout"},
	{"--check", "write nothing; exit 0 when the fragment on disk is up to date,\n"
		    "2 when it would change (default file:\n<root>" FRAGMENT_DEFAULT_PATH ")"},
	{"--diff", "like --check, and print a unified diff of the fragment on disk\nand the new one"},
	{"--apply", "after writing the fragment, write the values to <root>/proc/sys\n"
		    "and read them back (the live host only when the root is /)"},
	{"--force", "overwrite a fragment that does not carry the tool's header"},
	{"--profile NAME", "profile (default general; `rules list --profile` shows one)"},
	{"--rules DIR", "extra rule directory, after the shipped rules (repeatable)"},
	{"--template DIR", "fragment-header.tmpl and fragment-entry.tmpl from DIR (default:\n"
			   "$RECLAIM_ADVISOR_TEMPLATE_DIR, else\n" ADVISOR_DATADIR "/templates)"},
	{"--timestamp", "record the time in the fragment and the report (not deterministic)"},
	{"--host-id ID", "the host's identity in the report (default: a digest of\n"
			 "etc/machine-id under the root, else the hostname, else the root or\n"
			 "snapshot path, never a directory's name alone): fleet matches audit\n"
			 "and recommend reports by it and the hostname"},
	{"--history H", "a recorded history of this host (`record`, or a directory of\n"
			"timestamped captures): the kswapd headroom is sized by replaying\n"
			"its bursts (`whatif`), not from averages"},
	{"-v, --verbose", "also the kept values' boot precedence, overridden rules and the\n"
			  "rules that did not fire, with the facts they read"},
	H_HELP,
	H_END,
};

static const struct help_opt audit_opts[] = {
	{"--profile NAME", "rule profile (default general)"},
	{"--rules DIR", "extra rule directory, after the shipped rules (repeatable)"},
	{"--fragment FILE", "expect the values of this deployed fragment; an absolute path\nis read under --root"},
	{"--format FMT", "text (default), json (schema/audit.schema.json) or prometheus\n"
			 "(node_exporter textfile; docs/audit.md)"},
	{"-o, --output FILE", "write to FILE atomically (temp file + rename) instead of stdout;\n"
			      "with --format prometheus and a directory: DIR/reclaim_advisor.prom\n"
			      "(DIR/reclaim_advisor_NAME.prom with --prom-instance NAME)"},
	{"--prom-instance NAME", "label every metric audit=\"NAME\" so two audits can share one\n"
				 "textfile directory (letters, digits, '_', '.', '-')"},
	{"--host-id ID", "identity for fleet reports (default: a digest of etc/machine-id,\n"
			 "else the hostname, else the root or snapshot path)"},
	{"--label KEY=VALUE", "a label for fleet reports (role=db, site=fra1); repeatable;\n"
			      "`fleet --group-by KEY` groups by it"},
	{"--force", "replace an -o FILE that reclaim-advisor did not write"},
	H_HELP,
	H_END,
};

static const struct help_opt fleet_opts[] = {
	{"--group-by FACT", "group hosts by a host field, label or fact (kernel, virt,\n"
			    "container, role, meminfo.MemTotal, ...); default: RAM class\n"
			    "(MemTotal rounded to a power of two)"},
	{"--format text|json", "output format (default text); json has one record per host"},
	{"-o, --output FILE", "write to FILE (atomically) instead of stdout"},
	{"--force", "replace a FILE that reclaim-advisor did not write"},
	{"--top N", "hosts or values listed per line in text (default 10)"},
	{"--threads N", "parser threads (default: online CPUs, at most 8)"},
	H_HELP,
	H_END,
};

static const struct help_opt record_opts[] = {
	{"-o, --output FILE", "the history file (default: standard output); an existing\n"
			      "file is replaced only when it is an earlier history"},
	{"--interval S", "seconds between samples, 0.1..3600 (default 1)"},
	{"--duration S", "stop after S seconds (default: until SIGINT or SIGTERM)"},
	{"--max-size BYTES", "keep the file under BYTES (suffix k, M, G): the oldest\nsamples are dropped (needs -o)"},
	{"--root DIR", "read DIR instead of / (a tree that changes, e.g. a mount)"},
	H_HELP,
	H_END,
};

static const struct help_opt whatif_opts[] = {
	{"--history H", "the history (required)"},
	{"--set KEY=VALUE", "a candidate: vm.min_free_kbytes and/or\n"
			    "vm.watermark_scale_factor (\"vm.\" optional; comma-join keys\n"
			    "for one candidate; repeat --set for several)"},
	{"--target PCT", "predicted direct reclaim <= PCT % of the current settings'\n(default 1)"},
	{"--no-search", "only the current settings and each --set"},
	{"--format text|json|svg", "output format (default text)"},
	{"-o, --output FILE", "write there (atomically) instead of standard output"},
	H_HELP,
	H_END,
};

static const struct help_cmd commands[] = {
	{"collect", cmd_collect, "read a host into a JSON snapshot", "collect [options] [host options]",
	 "Read the host (the live one by default) and print a JSON snapshot:\n"
	 "facts, zones, absent facts with reasons, missing sources and warnings.\n"
	 "Nothing on the host is changed.",
	 collect_opts, true, "exit: 0 done, 64 bad option, 65 malformed input, 66 input missing, 73/74 cannot write"},
	{"facts", cmd_facts, "list every fact with value, unit and source", "facts [--format text|json] [host options]",
	 "List every fact with its value, unit and source, then the absent facts\n"
	 "with the reason, the missing sources, and a summary of the zones.",
	 facts_opts, true, "exit: 0 done, 64 bad option, 65 malformed input, 66 input missing"},
	{"watermarks", cmd_watermarks, "observed and predicted min/low/high/promo per zone",
	 "watermarks [--set KEY=VALUE ...] [--format text|json] [host options]",
	 "For every node and zone: the min/low/high/promo watermarks zoneinfo prints, the\n"
	 "values the kernel's arithmetic gives for the current sysctls, whether they match,\n"
	 "which term sets the gap (min/4 or wsf) and why a zone differs.",
	 watermarks_opts, true,
	 "exit: 0 done, 64 bad option or --set value outside the kernel's range (the\n"
	 "range is printed), 65 malformed input, 66 no zoneinfo, or --set cannot be\n"
	 "predicted because the host lacks the other sysctl (the report is still printed)"},
	{"rules", cmd_rules, "check or list the rule set (rules check|list)",
	 "rules check [--strict] [DIR ...] [--rules DIR]...\n"
	 "rules list [--profile NAME] [--rules DIR]...",
	 "check   load and type-check every rule file and profile; print every error.\n"
	 "        With DIRs, only those directories are read.\n"
	 "list    the active rules after drop-ins and the profile (default general)\n\n"
	 "Rules are read from $RECLAIM_ADVISOR_RULES_DIR or the installed rules directory,\n"
	 "then <sysconfdir>/reclaim-advisor/rules.d/*.ini ($RECLAIM_ADVISOR_SYSCONFDIR\n"
	 "replaces /etc), then every --rules DIR.",
	 rules_opts, false, "exit: 0 clean, 64 bad option, 78 an error (--strict: or a warning)"},
	{"explain", cmd_explain, "show a rule or sysctl, its facts and whether it fires",
	 "explain RULE-ID|SYSCTL [--profile NAME] [--rules DIR]... [host options]",
	 "Show a rule (its file, condition, the facts it reads with their values on this\n"
	 "host, and whether it fires and wins) or a sysctl (every rule that sets it).",
	 explain_opts, true, "exit: 0 done, 64 bad option or unknown rule/sysctl, 78 rules do not load"},
	{"recommend", cmd_recommend, "recommend sysctls; write a sysctl.d fragment and a report",
	 "recommend [-o FRAGMENT] [--report FILE] [--tmpfiles FILE] [--check | --diff]\n"
	 " [--apply] [options] [host options]",
	 "Diagnose the host's memory reclaim and say which sysctls it should have.\n"
	 "Without output options nothing is written: the changes, the findings and\n"
	 "one closing line (what was written, or what to run next) are printed.",
	 recommend_opts, true,
	 "exit: 0 ok, 2 --check/--diff: would change, 64 usage, 65 bad input data, 66 input\n"
	 "missing, 73 refusing a foreign file / cannot create, 74 write failed, 77 --apply\n"
	 "not permitted, 78 rules, profile or templates do not load, 79 values applied but the\n"
	 "report not written (restore lines on stderr), 1 other failure"},
	{"audit", cmd_audit, "check a host against the advice (monitoring exit codes)",
	 "audit [--format text|json|prometheus] [-o FILE] [--fragment FILE]\n"
	 " [options] [host options]",
	 "Compare, per recommended sysctl, the expected value (the recommendation, or the\n"
	 "deployed fragment's value with --fragment), the live value and the value the next\n"
	 "boot applies (sysctl.d precedence), and report the reclaim findings.  The text\n"
	 "starts with a Nagios status line with performance data.",
	 audit_opts, true,
	 "exit: 0 OK, 1 WARNING (drift, not persistent, shadowed, warning findings),\n"
	 "2 CRITICAL (critical findings, critical advice not applied), 3 UNKNOWN (could not\n"
	 "collect, bad options, rules or fragment not loadable)"},
	{"fleet", cmd_fleet, "summarise many audit or recommend reports",
	 "fleet FILE|DIR ... [--group-by FACT] [--format text|json] [-o FILE]",
	 "Summarise audit (`audit --format json`) and recommend (`recommend --report`)\n"
	 "reports: hosts by state, the keys that drift most, hosts with direct reclaim or\n"
	 "OOM kills, outliers against a majority within a group (byte-valued keys within\n"
	 "their RAM class), per-key value histograms.  Directories are walked recursively\n"
	 "for *.json; malformed or foreign files are named and skipped.",
	 fleet_opts, false,
	 "exit: 0 at least one report read, 64 bad option, 65 every report skipped,\n"
	 "66 a path does not exist, 73/74 cannot write"},
	{"record", cmd_record, "sample reclaim counters at a fixed interval into a history",
	 "record [-o FILE] [--interval S] [--duration S]\n"
	 " [--max-size BYTES] [--root DIR]",
	 "Sample /proc/vmstat (allocation, reclaim, stall, compaction, working-set, swap\n"
	 "counters), each zone's free pages and /proc/pressure/memory at a fixed interval\n"
	 "into a history for `whatif --history` and `recommend --history`.\n"
	 "A killed recorder leaves every complete sample readable.",
	 record_opts, false,
	 "exit: 0 done (duration reached or stopped by a signal), 64 bad option,\n"
	 "65 malformed /proc content, 66 root unreadable, 73/74 cannot write the file"},
	{"whatif", cmd_whatif, "replay a history against other watermark settings",
	 "whatif --history H [--set KEY=VALUE[,KEY=VALUE] ...] [--target PCT]\n"
	 "       [--format text|json|svg] [-o FILE]",
	 "Replay the allocation demand recorded in H (a `record` file or a directory of\n"
	 "timestamped captures) against other watermarks: the current settings, each --set\n"
	 "and a search over vm.watermark_scale_factor and vm.min_free_kbytes.  Predicts\n"
	 "direct-reclaim entries and pages, time below min, kswapd's running time and the\n"
	 "memory held back, and chooses the smallest that meets the target.",
	 whatif_opts, false,
	 "exit: 0 done, 64 bad option or --set outside the kernel's range, 65 malformed\n"
	 "history, 66 history missing or too short, 73/74 cannot write the output"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct help_cmd *help_commands(size_t *n)
{
	*n = NCOMMANDS;
	return commands;
}

const struct help_cmd *help_find(const char *name)
{
	for (size_t i = 0; name && i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void help_choices(FILE *f, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", v[i]);
}

void help_print_global(FILE *f)
{
	fprintf(f, "usage: reclaim-advisor COMMAND [options]\n"
		   "       reclaim-advisor help [COMMAND] | --version\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].brief);
	fprintf(f, "\n`reclaim-advisor help COMMAND` (or `COMMAND --help`) shows its options.\n"
		   "Without --apply nothing on the host is changed.\n");
}

/* "  flags   text" with the text in a column; continuation lines of the
 * text (and a text after long flags) start in that column. */
static void print_opts(FILE *f, const struct help_opt *o)
{
	enum { COL = 24 };
	for (; o->flags; o++) {
		int w = fprintf(f, "  %s", o->flags);
		const char *t = o->text;
		if (w >= COL - 1) {
			fputc('\n', f);
			w = 0;
		}
		for (bool first = true; *t; first = false) {
			const char *nl = strchr(t, '\n');
			size_t len = nl ? (size_t)(nl - t) : strlen(t);
			fprintf(f, "%*s%.*s\n", first ? COL - w : COL, "", (int)len, t);
			t += len + (nl != NULL);
		}
	}
}

/* Every line of text, indented by prefix from the second line on. */
static void print_lines(FILE *f, const char *first, const char *prefix, const char *text)
{
	fputs(first, f);
	for (const char *t = text; *t;) {
		const char *nl = strchr(t, '\n');
		size_t len = nl ? (size_t)(nl - t) : strlen(t);
		fprintf(f, "%.*s\n", (int)len, t);
		t += len + (nl != NULL);
		if (*t)
			fputs(prefix, f);
	}
}

/* Synopsis lines: each a form of the command, or (starting with a blank)
 * the continuation of the one before. */
static void print_synopsis(FILE *f, const char *text)
{
	const char *lead = "usage: reclaim-advisor ";
	int indent = (int)(strlen(lead) + strcspn(text, " \n") + 1);
	for (const char *t = text; *t;) {
		const char *nl = strchr(t, '\n');
		size_t len = nl ? (size_t)(nl - t) : strlen(t);
		if (*t == ' ') {
			size_t sp = strspn(t, " ");
			fprintf(f, "%*s%.*s\n", indent, "", (int)(len - sp), t + sp);
		} else {
			fprintf(f, "%s%.*s\n", lead, (int)len, t);
		}
		lead = "       reclaim-advisor ";
		t += len + (nl != NULL);
	}
}

void help_print(const struct help_cmd *c, FILE *f)
{
	print_synopsis(f, c->synopsis);
	if (c->description)
		print_lines(f, "\n", "", c->description);
	fputs("\noptions:\n", f);
	print_opts(f, c->opts);
	if (c->host_options) {
		fputs("\nhost options:\n", f);
		print_opts(f, host_opts);
	}
	if (c->notes)
		print_lines(f, "\n", "", c->notes);
}

void help_hint(const char *name)
{
	fprintf(stderr, "Try 'reclaim-advisor help %s' for its options.\n", name);
}

void help_usage(const char *name, FILE *f)
{
	const struct help_cmd *c = help_find(name);
	if (f == stdout && c)
		help_print(c, f);
	else
		help_hint(name);
}
