/* reclaim-advisor collect: a host as a JSON snapshot (collect/snapshot.h). */
#include "args.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "../base/buf.h"
#include "../collect/snapshot.h"

int cmd_collect(const struct cli_args *a)
{
	struct host h = {0};
	struct buf b = {0};
	const char *output = cli_str(a, OPT_collect_output);
	bool force = cli_flag(a, OPT_collect_force);
	int code;
	/* Refuse a foreign or unwritable output before the (maybe long,
	 * --interval) collection. */
	const char *root = host_source_dir(&a->host);
	if ((code = cli_output_ready("collect", root, output, force)) || (code = cli_load_host(&a->host, &h)))
		goto out;
	struct snapshot_inputs in = {
		.root = a->host.snapshot ? a->host.snapshot : (a->host.root ? a->host.root : "/"),
		.page_size = a->host.page_size,
		.interval = a->host.interval,
	};
	snapshot_write(&h, &in, &b);
	code = cli_emit_to("collect", root, output, buf_str(&b), b.len, force);
out:
	buf_free(&b);
	host_free(&h);
	return code;
}
