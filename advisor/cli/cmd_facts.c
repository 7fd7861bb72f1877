/* reclaim-advisor facts: every fact with value, unit and source
 * (render/facts.h). */
#include "args.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "../render/facts.h"

int cmd_facts(int argc, char **argv)
{
	struct cli_args a;
	struct host h = {0};
	struct buf b = {0};
	int json = 0, code = cli_parse("facts", argc, argv, &a);
	if (code || (code = cli_text_or_json("facts", cli_str(&a, OPT_facts_format), &json)) ||
	    (code = cli_no_operands("facts", &a)) || (code = cli_load_host(&a.host, &h)))
		goto out;
	(json ? facts_render_json : facts_render_text)(&h, &b);
	code = cli_emit("facts", NULL, b.p, b.len);
out:
	buf_free(&b);
	host_free(&h);
	cli_args_free(&a);
	return cli_exit(code);
}
