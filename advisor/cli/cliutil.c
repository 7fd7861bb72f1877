#include "cliutil.h"
#include "exitcodes.h"
#include "hostopts.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/xalloc.h"

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
	case -FILEIO_E_NOTREG:
	case EFBIG: /* an existing output too large to be ours */
	case EILSEQ:
		return EXIT_CANTCREAT;
	default:
		return EXIT_IOERR;
	}
}

int cli_emit(const char *cmd, const char *path, const char *data, size_t len)
{
	if (!path) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout)) {
			fprintf(stderr, "reclaim-advisor: %s: stdout: %s\n", cmd, strerror(errno));
			return EXIT_IOERR;
		}
		return 0;
	}
	int rc = fileio_write_atomic(path, data, len, 0644);
	if (rc) {
		fprintf(stderr, "reclaim-advisor: %s: %s: %s (the old file, if any, is unchanged)\n", cmd, path,
			rc == -EEXIST ? "exists and is not a regular file" : fileio_strerror(rc));
		return cli_write_code(-rc);
	}
	return 0;
}

int cli_other_option(struct hostopts *ho, int opt, const char *arg, void (*usage)(FILE *))
{
	int r = hostopts_handle(ho, opt, arg);
	if (r == 1)
		return 0;
	if (r == 0 && usage)
		usage(stderr);
	return EXIT_USAGE;
}

int cli_no_operands(const char *cmd, int argc, char **argv, void (*usage)(FILE *))
{
	if (optind >= argc)
		return 0;
	fprintf(stderr, "reclaim-advisor: %s: unexpected argument '%s'\n", cmd, argv[optind]);
	if (usage)
		usage(stderr);
	return EXIT_USAGE;
}

int cli_text_or_json(const char *cmd, const char *arg, int *json)
{
	if (!strcmp(arg, "json") || !strcmp(arg, "text")) {
		*json = !strcmp(arg, "json");
		return 0;
	}
	fprintf(stderr, "reclaim-advisor: %s: --format %s: expected text or json\n", cmd, arg);
	return EXIT_USAGE;
}
