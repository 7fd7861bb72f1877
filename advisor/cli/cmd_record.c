/* reclaim-advisor record: sample the host's reclaim counters at a fixed
 * interval into a history file (advisor/history/recorder.h has the loop,
 * history.h the format, recfile.h the crash safety and the ring).  This
 * adapter owns the signal handling: SIGINT and SIGTERM set the flag the
 * recorder checks, ending the recording after the current sample. */
#include "args.h"
#include "cliutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "../base/fileio.h"
#include "../history/recorder.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

int cmd_record(const struct cli_args *a)
{
	const char *out_path = cli_str(a, OPT_record_output), *root_dir = cli_str(a, OPT_record_root);
	double interval = cli_num(a, OPT_record_interval, 1.0), duration = cli_num(a, OPT_record_duration, 0);
	size_t max_size = cli_bytes(a, OPT_record_max_size);
	int code;
	if (max_size && !out_path) {
		fprintf(stderr, "reclaim-advisor: record: --max-size needs -o FILE (a pipe cannot drop old samples)\n");
		return EXIT_USAGE;
	}
	root_dir = root_dir ? root_dir : "/";

	struct root r = {.dirfd = -1};
	struct diag_list d = {0};
	enum record_stage stage;
	int rc = root_open(&r, root_dir);
	if (rc) {
		fprintf(stderr, "reclaim-advisor: record: %s: %s\n", root_dir, strerror(-rc));
		return EXIT_NOINPUT;
	}
	/* A history file inside the tree sampled is as untrusted as the tree:
	 * reached without leaving it (root_output_path), like recommend's
	 * outputs. */
	char *out_real = NULL;
	if (out_path && (rc = root_output_path(root_dir, out_path, &out_real))) {
		fprintf(stderr, "reclaim-advisor: record: cannot write %s: %s\n", out_path, fileio_strerror(rc));
		root_close(&r);
		return cli_write_code(-rc);
	}
	/* before the first write: a SIGTERM from now on ends the file cleanly */
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	struct record_opts ro = {.out_path = out_real, .interval = interval, .duration = duration,
				 .max_size = max_size, .stop = &stop_signal};
	rc = hist_record(&r, &ro, &stage, &d);
	diag_print_from(stderr, &d, 0, DIAG_NOTE, "reclaim-advisor: record: ");
	code = !rc ? EXIT_OK
	       : stage == REC_LAYOUT ? (rc == -EINVAL ? EXIT_DATAERR : EXIT_NOINPUT)
	       : stage == REC_SAMPLE ? EXIT_DATAERR
	       : stage == REC_NO_ROOM ? EXIT_USAGE
	       : cli_write_code(-rc);
	diag_list_clear(&d);
	root_close(&r);
	free(out_real);
	return code;
}
