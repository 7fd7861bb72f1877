#include "cliutil.h"
#include "exitcodes.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../advise/advise.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_write_code(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
	case ENOENT:
	case ENOTDIR:
	case EISDIR:
	case EEXIST: /* the path is a device, symlink or fifo: never replaced */
	case -FILEIO_E_ESCAPE: /* a link or ".." out of the tree read */
	case -FILEIO_E_NOTREG:
	case EFBIG: /* an existing output too large to be ours */
	case EILSEQ:
		return EXIT_CANTCREAT;
	default:
		return EXIT_IOERR;
	}
}

int cli_written(const char *cmd, int rc, struct diag_list *d)
{
	char *prefix = xasprintf("reclaim-advisor: %s: ", cmd);
	diag_print_from(stderr, d, 0, DIAG_NOTE, prefix);
	free(prefix);
	diag_list_clear(d);
	return rc ? cli_write_code(-rc) : 0;
}

int cli_output_ready(const char *cmd, const char *root, const char *path, bool force)
{
	struct diag_list d = {0};
	return cli_written(cmd, path ? advise_output_ready(root, path, force, "use --force", &d) : 0, &d);
}

int cli_emit_to(const char *cmd, const char *root, const char *path, const char *data, size_t len, bool force)
{
	if (!path) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout)) {
			fprintf(stderr, "reclaim-advisor: %s: stdout: %s\n", cmd, strerror(errno));
			return EXIT_IOERR;
		}
		return 0;
	}
	struct diag_list d = {0};
	return cli_written(cmd, advise_output_write(root, path, data, len, force, "use --force", &d), &d);
}

int cli_emit(const char *cmd, const char *path, const char *data, size_t len)
{
	return cli_emit_to(cmd, NULL, path, data, len, false);
}

int cli_check(const char *cmd, const struct cli_rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].bad) {
			fprintf(stderr, "reclaim-advisor: %s: %s\n", cmd, r[i].why);
			return EXIT_USAGE;
		}
	return 0;
}

int cli_load_host(const struct host_source *src, struct host *out)
{
	struct diag_list d = {0};
	int rc = host_load(src, out, &d);
	/* errors and warnings; notes stay in the host (the snapshot keeps them),
	 * and a snapshot's are from when it was taken */
	if (!rc && !src->snapshot)
		diag_print_from(stderr, &out->diags, 0, DIAG_WARNING, "reclaim-advisor: ");
	diag_print_from(stderr, &d, 0, DIAG_WARNING, "reclaim-advisor: ");
	diag_list_clear(&d);
	return !rc ? EXIT_OK : rc == -EINVAL ? EXIT_USAGE : rc == -EBADMSG ? EXIT_DATAERR : EXIT_NOINPUT;
}
