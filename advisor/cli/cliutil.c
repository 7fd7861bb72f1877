#include "cliutil.h"
#include "exitcodes.h"
#include "../base/fileio.h"

#include <errno.h>
#include <stdio.h>
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
			rc == -EEXIST ? "exists and is not a regular file" : strerror(-rc));
		return cli_write_code(-rc);
	}
	return 0;
}
