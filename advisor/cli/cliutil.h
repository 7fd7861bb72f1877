/* cliutil: what every command does the same way at its edge.
 *
 * Writing an output document (stdout, or a file replaced atomically) and
 * turning a write error into the documented exit code live here once, so
 * `collect -o`, `recommend -o/--report`, `audit -o` and `fleet -o` cannot
 * drift apart in how they fail.
 */
#ifndef ADVISOR_CLIUTIL_H
#define ADVISOR_CLIUTIL_H

#include "args.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cli_args;
struct diag_list;
struct host;
struct host_source;

/* A check across options: when bad, the command line is refused with why. */
struct cli_rule {
	bool bad;
	const char *why;
};
/* The first bad rule of r[0..n): "reclaim-advisor: CMD: why", EXIT_USAGE;
 * none: 0. */
int cli_check(const char *cmd, const struct cli_rule *r, size_t n);

/* host_load (collect/load.h) for a command: its errors and warnings on
 * stderr ("reclaim-advisor: " and the diagnostic; a snapshot's, from when
 * it was taken, and notes stay in the host); an EXIT_* code. */
int cli_load_host(const struct host_source *src, struct host *out);

/* errno (positive) of a failed write -> EXIT_CANTCREAT when the file cannot
 * be created or replaced there (permissions, missing directory, not a
 * regular file), EXIT_IOERR when writing itself failed (disk full, I/O
 * error, read-only file system). */
int cli_write_code(int err);

/* The guard every writer applies before writing (and recommend --apply
 * before changing anything): advise_output_ready (advise.h) on path
 * (NULL: stdout, 0), confined to the tree root when it lies inside it
 * (NULL: no tree).  0, or its message on stderr and the exit code. */
int cli_output_ready(const char *cmd, const char *root, const char *path, bool force);

/* A writer's result (advise_output_*, advise_file_put): d's diagnostics on
 * stderr as "reclaim-advisor: CMD: ...", d cleared; 0, or the exit code
 * of the error -rc (cli_write_code). */
int cli_written(const char *cmd, int rc, struct diag_list *d);

/* Write data to stdout when path is NULL, else, after cli_output_ready,
 * advise_output_write (advise.h: the guard, confined to the tree root
 * when path lies inside it, then atomically, mode 0644).  0, or the
 * message on stderr and the exit code. */
int cli_emit_to(const char *cmd, const char *root, const char *path, const char *data, size_t len, bool force);
/* cli_emit_to without a tree or --force. */
int cli_emit(const char *cmd, const char *path, const char *data, size_t len);

#endif
