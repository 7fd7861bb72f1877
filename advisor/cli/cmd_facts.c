/* reclaim-advisor facts: every fact with value, unit and source
 * (render/facts.h). */
#include "args.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "../render/facts.h"

int cmd_facts(const struct cli_args *a)
{
	struct host h = {0};
	struct buf b = {0};
	int code = cli_load_host(&a->host, &h);
	if (code)
		goto out;
	(cli_is(a, OPT_facts_format, "json") ? facts_render_json : facts_render_text)(&h, &b);
	code = cli_emit("facts", NULL, b.p, b.len);
out:
	buf_free(&b);
	host_free(&h);
	return code;
}
