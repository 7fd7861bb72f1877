/* explain RULE-ID|SYSCTL [--profile NAME] [--rules DIR]... [host options]:
 * advise_run on the host, then render/explain.h says what the engine did
 * with the rule or sysctl. */
#include "../advise/advise.h"
#include "../render/explain.h"
#include "args.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"

#include <errno.h>
#include <stdio.h>

int cmd_explain(const struct cli_args *a)
{
	struct diag_list d = {0};
	struct advice *adv = NULL;
	struct host h = {0};
	struct buf b = {0};
	int code = cli_load_host(&a->host, &h);
	if (code != EXIT_OK) /* one operand: commands.def */
		goto out;
	struct advise_request req = {.host = &h, .root = host_source_dir(&a->host),
				     .profile = cli_str(a, OPT_explain_profile), .rules = a->v[OPT_explain_rules],
				     .nrules = a->n[OPT_explain_rules]};
	int rc = advise_run(&req, &adv, &d);
	if (rc) {
		diag_print_all(stderr, &d);
		code = rc == -EINVAL ? EXIT_CONFIG : EXIT_FAIL;
	} else if (explain_render(adv, &h, a->operands[0], &b)) {
		fprintf(stderr, "reclaim-advisor: explain: no rule or sysctl named '%s'\n", a->operands[0]);
		code = EXIT_USAGE;
	} else {
		code = cli_emit("explain", NULL, b.p, b.len);
	}
out:
	buf_free(&b);
	advice_free(adv);
	host_free(&h);
	diag_list_clear(&d);
	return code;
}
