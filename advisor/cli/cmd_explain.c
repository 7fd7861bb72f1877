/* explain RULE-ID|SYSCTL [--profile NAME] [--rules DIR]... [host options]
 *
 * For a rule: its text, where it is defined (and what it replaced), every
 * fact it reads with the value on this host, and what the engine did with
 * it (fired and won, lost and why, a finding, or skipped and why).
 * For a sysctl: its catalog entry (legal range on this kernel, safety
 * bounds here, default, merge direction, exclusive partner), every rule
 * that sets it, and who wins. */
#include "../advise/advise.h"
#include "help.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "hostopts.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	help_usage("explain", f);
}

static void print_value(const struct value *v)
{
	switch (v->type) {
	case FACT_INT:
		printf("%lld", (long long)v->u.i);
		break;
	case FACT_FLOAT:
		printf("%g", v->u.f);
		break;
	case FACT_BOOL:
		printf("%s", v->u.b ? "true" : "false");
		break;
	case FACT_STR:
		printf("\"%s\"", v->u.s ? v->u.s : "");
		break;
	}
}

/* Text of a multi-line value, continuation lines indented under the first. */
static void print_text(const char *label, const char *text)
{
	printf("  %-11s ", label);
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			while (p[1] == ' ' || p[1] == '\t')
				p++;
			printf("\n  %-11s ", "");
		} else {
			putchar(*p);
		}
	}
	putchar('\n');
}

static void print_fact(void *ctx, const char *name)
{
	const struct facts *f = ctx;
	struct value v;
	const struct fact_def *fd = fact_catalog_lookup(name);
	printf("  %-36s ", name);
	int rc = facts_lookup(f, name, &v);
	if (rc == 0) {
		print_value(&v);
		if (fd && fd->unit != UNIT_NONE)
			printf(" %s", fact_unit_name(fd->unit));
	} else {
		const char *r = facts_lookup_reason(f, name);
		printf("absent (%s)", r ? r : "not collected on this host");
	}
	putchar('\n');
}

static const char *skip_kind_name(enum skip_kind k)
{
	switch (k) {
	case SKIP_NOT_FIRED:
		return "did not fire";
	case SKIP_EVAL_ERROR:
		return "skipped (evaluation error)";
	case SKIP_DISABLED:
		return "disabled";
	case SKIP_NOT_IN_PROFILE:
		return "not in the profile";
	case SKIP_WAIVED:
		return "waived";
	}
	return "skipped";
}

/* What the plan says about rule id. */
static void rule_outcome(const struct plan *p, const char *id, const char *ind)
{
	for (size_t i = 0; i < p->nd; i++) {
		const struct decision *d = &p->d[i];
		if (d->rule && !strcmp(d->rule, id)) {
			printf("%sfires and wins: %s = %lld", ind, d->sysctl, (long long)d->recommended.u.i);
			if (d->has_current)
				printf(" (current %lld%s)", (long long)d->current.u.i, d->changed ? "" : ", unchanged");
			printf("\n%sconfidence %s, severity %s\n", ind, confidence_name(d->confidence),
			       severity_name(d->severity));
			if (d->clamped)
				printf("%sclamped from %lld: %s\n", ind, (long long)d->unclamped.u.i, d->clamp_reason);
			printf("%swhy: %s\n", ind, d->reason);
			return;
		}
		for (size_t k = 0; k < d->nlosers; k++)
			if (!strcmp(d->losers[k].rule, id)) {
				printf("%sfires but loses: proposed %s = %lld; %s wins with %lld\n", ind,
				       d->losers[k].sysctl ? d->losers[k].sysctl : d->sysctl,
				       (long long)d->losers[k].value.u.i, d->rule, (long long)d->recommended.u.i);
				printf("%sbecause: %s\n", ind, d->losers[k].why);
				return;
			}
	}
	for (size_t i = 0; i < p->nf; i++)
		if (!strcmp(p->f[i].rule, id)) {
			printf("%sfires (finding, %s, confidence %s): %s\n", ind, severity_name(p->f[i].severity),
			       confidence_name(p->f[i].confidence), p->f[i].reason);
			return;
		}
	for (size_t i = 0; i < p->ns; i++)
		if (!strcmp(p->s[i].rule, id)) {
			printf("%s%s: %s\n", ind, skip_kind_name(p->s[i].kind), p->s[i].why);
			return;
		}
	printf("%sno outcome recorded\n", ind);
}

static void explain_rule(const struct rule *r, const struct plan *p, const struct host *h)
{
	printf("rule %s (%s:%u)\n", r->id, r->file, r->line);
	if (r->replaced_file)
		printf("  replaces the definition at %s:%u\n", r->replaced_file, r->replaced_line);
	if (r->enabled_by)
		printf("  switched %s by %s:%u\n", r->enabled ? "on" : "off", r->enabled_by, r->enabled_line);
	if (*r->description)
		print_text("description", r->description);
	print_text("when", r->when.text ? r->when.text : "true (always)");
	if (r->set) {
		printf("  %-11s %s\n", "set", r->set->name);
		print_text("value", r->value.text);
	} else {
		printf("  %-11s (none: a finding)\n", "set");
	}
	printf("  %-11s %d\n", "priority", r->priority);
	printf("  %-11s %s\n", "severity", severity_name(r->severity));
	if (r->conf_is_expr)
		print_text("confidence", r->conf.text);
	else
		printf("  %-11s %s\n", "confidence", confidence_name(r->confidence));
	if (*r->why_text)
		print_text("why", r->why_text);
	if (r->ref)
		printf("  %-11s %s\n", "ref", r->ref);
	if (r->nprofiles) {
		printf("  %-11s", "profiles");
		for (size_t i = 0; i < r->nprofiles; i++)
			printf("%s%s", i ? ", " : " ", r->profiles[i]);
		putchar('\n');
	}
	printf("facts on this host (%s):\n", h->origin ? h->origin : "?");
	rule_foreach_fact(r, print_fact, h->facts);
	printf("outcome (profile %s):\n", p->profile);
	rule_outcome(p, r->id, "  ");
}

static void explain_sysctl(const struct sysctl_def *sc, const struct ruleset *rs, const struct profile *prof,
			   const struct plan *p, const struct host *h)
{
	int64_t kv = -1, lo, hi, slo, shi, def;
	const char *swhy;
	if (facts_get_int(h->facts, F_HOST_KERNEL_VERSION, &kv) || kv <= 0)
		kv = -1;
	printf("sysctl %s\n", sc->name);
	printf("  %-13s ", "current");
	struct value v;
	if (facts_get(h->facts, sc->fact, &v) == 0)
		print_value(&v);
	else
		printf("absent (%s)", facts_reason(h->facts, sc->fact) ? facts_reason(h->facts, sc->fact)
								: "not collected on this host");
	putchar('\n');
	if (sysctl_kernel_default(sc, h->facts, &def))
		printf("  %-13s %lld\n", "default", (long long)def);
	else
		printf("  %-13s computed at boot\n", "default");
	if (!sysctl_applicable(sc, kv))
		printf("  %-13s not on this kernel (new in %lld.%lld)\n", "applicable", (long long)kver_major(sc->since),
		       (long long)kver_minor(sc->since));
	sysctl_legal_range(sc, kv, &lo, &hi);
	printf("  %-13s %lld..", "legal range", (long long)lo);
	if (hi == SC_NOMAX)
		printf("(no maximum)");
	else
		printf("%lld", (long long)hi);
	printf("%s\n", kv < 0 ? " (kernel unknown: the older range)" : "");
	sysctl_safe_bounds(sc, h->facts, &slo, &shi, &swhy);
	if (*swhy) {
		printf("  %-13s ", "safety bound");
		if (slo != INT64_MIN)
			printf(">= %lld ", (long long)slo);
		if (shi != INT64_MAX)
			printf("<= %lld ", (long long)shi);
		printf("(%s)\n", swhy);
	}
	printf("  %-13s %s\n", "tie-break", sc->merge == MERGE_MAX	 ? "the larger value"
					    : sc->merge == MERGE_MIN ? "the smaller value"
								 : "the rule loaded later");
	if (sc->partner)
		printf("  %-13s %s (writing one resets the other to 0)\n", "exclusive", sc->partner);
	const struct profile_pin *pin = profile_pin(prof, sc);
	const struct profile_bound *b = profile_bound(prof, sc);
	const struct profile_waiver *w = profile_waiver(prof, sc);
	if (pin)
		printf("  profile %s pins it to %lld (%s:%u)\n", pin->from, (long long)pin->value, pin->file, pin->line);
	if (b) {
		printf("  profile %s bounds it", b->from);
		if (b->has_lo)
			printf(" >= %lld", (long long)b->lo);
		if (b->has_hi)
			printf(" <= %lld", (long long)b->hi);
		printf(" (%s:%u)\n", b->file, b->line);
	}
	if (w)
		printf("  profile %s waives it: %s (%s:%u)\n", w->from, w->reason, w->file, w->line);

	printf("rules that set it:\n");
	size_t n = 0;
	for (size_t i = 0; i < ruleset_count(rs); i++) {
		const struct rule *r = ruleset_rule(rs, i);
		if (r->set != sc)
			continue;
		n++;
		printf("  %-28s priority %-5d %s:%u\n", r->id, r->priority, r->file, r->line);
		rule_outcome(p, r->id, "    ");
	}
	if (!n)
		printf("  (none)\n");
	printf("decision (profile %s):\n", p->profile);
	for (size_t i = 0; i < p->nd; i++) {
		const struct decision *d = &p->d[i];
		if (strcmp(d->sysctl, sc->name))
			continue;
		printf("  %s = %lld by %s%s\n", d->sysctl, (long long)d->recommended.u.i, d->rule,
		       d->changed ? "" : " (already set: keep)");
		if (d->clamped)
			printf("  clamped from %lld: %s\n", (long long)d->unclamped.u.i, d->clamp_reason);
		printf("  why: %s\n", d->reason);
		for (size_t k = 0; k < d->nlosers; k++)
			printf("  lost: %s (%lld%s%s): %s\n", d->losers[k].rule, (long long)d->losers[k].value.u.i,
			       d->losers[k].sysctl ? " for " : "", d->losers[k].sysctl ? d->losers[k].sysctl : "",
			       d->losers[k].why);
		return;
	}
	for (size_t i = 0; i < p->nd; i++)
		for (size_t k = 0; k < p->d[i].nlosers; k++)
			if (p->d[i].losers[k].sysctl && !strcmp(p->d[i].losers[k].sysctl, sc->name)) {
				printf("  none: %s wins the exclusive pair (%s)\n", p->d[i].sysctl, p->d[i].rule);
				return;
			}
	printf("  none: no rule recommends a value on this host\n");
}

int cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{"rules", required_argument, NULL, 'r'},
		{"profile", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		HOSTOPTS_LONGOPTS,
		{0},
	};
	struct hostopts ho = {0};
	const char **dirs = calloc((size_t)argc + 1, sizeof(*dirs));
	if (!dirs)
		return EXIT_FAIL;
	size_t ndirs = 0;
	const char *profile = NULL;
	int c, code = EXIT_OK;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			dirs[ndirs++] = optarg;
			break;
		case 'p':
			profile = optarg;
			break;
		case 'h':
			usage(stdout);
			free(dirs);
			return EXIT_OK;
		default:
			if (cli_other_option(&ho, c, optarg, usage)) {
				free(dirs);
				return EXIT_USAGE;
			}
			break;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "reclaim-advisor: explain: %s\n",
			optind >= argc ? "which rule or sysctl? (explain RULE-ID|SYSCTL)" : "one rule or sysctl at a time");
		usage(stderr);
		free(dirs);
		return EXIT_USAGE;
	}
	const char *what = argv[optind];

	struct diag_list d = {0};
	struct advice *a = NULL;
	struct host h = {0};
	code = host_load(&ho, &h);
	if (code != EXIT_OK)
		goto out;
	struct advise_request req = {.host = &h, .root = ho.snapshot ? NULL : ho.root ? ho.root : "/",
				     .profile = profile, .rules = dirs, .nrules = ndirs};
	int rc = advise_run(&req, &a, &d);
	if (rc) {
		diag_print_all(stderr, &d);
		code = rc == -EINVAL ? EXIT_CONFIG : EXIT_FAIL;
		goto out;
	}
	const struct rule *r = ruleset_find(a->rs, what);
	const struct sysctl_def *sc = r ? NULL : sysctl_catalog_lookup(what);
	if (r)
		explain_rule(r, a->plan, &h);
	else if (sc)
		explain_sysctl(sc, a->rs, a->prof, a->plan, &h);
	else {
		fprintf(stderr, "reclaim-advisor: explain: no rule or sysctl named '%s'\n", what);
		code = EXIT_USAGE;
	}
out:
	advice_free(a);
	host_free(&h);
	diag_list_clear(&d);
	free(dirs);
	return code;
}
