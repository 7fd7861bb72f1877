/* cliutil: what every command does the same way at its edge.
 *
 * Writing an output document (stdout, or a file replaced atomically) and
 * turning a write error into the documented exit code live here once, so
 * `collect -o`, `recommend -o/--report`, `audit -o` and `fleet -o` cannot
 * drift apart in how they fail.
 */
#ifndef ADVISOR_CLIUTIL_H
#define ADVISOR_CLIUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct diag_list;
struct host_source;

/* The `default:` branch of a command's getopt_long loop: an option the
 * command does not define is consumed when it is a host option (returns 0);
 * otherwise prints the usage to stderr (when usage is non-NULL, and the
 * option was unknown rather than badly argued) and returns EXIT_USAGE. */
int cli_other_option(struct host_source *ho, int opt, const char *arg, void (*usage)(FILE *));

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

/* Is an existing output file one of ours (so it may be replaced without
 * --force)?  Empty, or it names the tool near its start (every document we
 * write does). */
bool cli_output_is_ours(const char *text, size_t len);

/* The guard every writer applies before writing (and recommend --apply
 * before changing anything): path (NULL: stdout, 0) can be replaced
 * (fileio_check_writable) and, unless force, is absent or ours.  0, or a
 * message on stderr and EXIT_CANTCREAT / EXIT_IOERR. */
int cli_output_ready(const char *cmd, const char *path, bool force);

/* Two output options naming one file (the same string, or one existing
 * inode): a message and EXIT_USAGE; else 0.  NULL never clashes. */
int cli_outputs_distinct(const char *cmd, const char *opt_a, const char *a, const char *opt_b, const char *b);

/* An option whose value must not be empty (-o '', --host-id ''): a message
 * and EXIT_USAGE; else 0. */
int cli_nonempty(const char *cmd, const char *opt, const char *arg);

/* Write data to stdout when path is NULL, else, after cli_output_ready,
 * atomically to path (mode 0644; stale temporaries of ours are removed).
 * On failure prints "reclaim-advisor: CMD: PATH: reason (the old file, if
 * any, is unchanged)" and returns the exit code; 0 on success. */
int cli_emit_to(const char *cmd, const char *path, const char *data, size_t len, bool force);
/* cli_emit_to without --force. */
int cli_emit(const char *cmd, const char *path, const char *data, size_t len);

#endif
