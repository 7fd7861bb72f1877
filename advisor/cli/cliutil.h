/* cliutil: what every command does the same way at its edge.
 *
 * Writing an output document (stdout, or a file replaced atomically) and
 * turning a write error into the documented exit code live here once, so
 * `collect -o`, `recommend -o/--report`, `audit -o` and `fleet -o` cannot
 * drift apart in how they fail.
 */
#ifndef ADVISOR_CLIUTIL_H
#define ADVISOR_CLIUTIL_H

#include <stddef.h>
#include <stdio.h>

struct diag_list;
struct hostopts;

/* The `default:` branch of a command's getopt_long loop: an option the
 * command does not define is consumed when it is a host option (returns 0);
 * otherwise prints the usage to stderr (when usage is non-NULL, and the
 * option was unknown rather than badly argued) and returns EXIT_USAGE. */
int cli_other_option(struct hostopts *ho, int opt, const char *arg, void (*usage)(FILE *));

/* After the options: operands left over are a usage error (message naming
 * the first one, usage when non-NULL, EXIT_USAGE); none: 0. */
int cli_no_operands(const char *cmd, int argc, char **argv, void (*usage)(FILE *));

/* --format text|json: *json set, 0; anything else: a message, EXIT_USAGE. */
int cli_text_or_json(const char *cmd, const char *arg, int *json);

/* errno (positive) of a failed write -> EXIT_CANTCREAT when the file cannot
 * be created or replaced there (permissions, missing directory, not a
 * regular file), EXIT_IOERR when writing itself failed (disk full, I/O
 * error, read-only file system). */
int cli_write_code(int err);

/* Write data to stdout when path is NULL, else atomically to path (mode
 * 0644).  On failure prints "reclaim-advisor: CMD: PATH: reason (the old
 * file, if any, is unchanged)" and returns the exit code; 0 on success. */
int cli_emit(const char *cmd, const char *path, const char *data, size_t len);

#endif
