/* Shared helpers for the cmocka tests.  Tests run from the repository root
 * (make test does), so fixture paths are relative: fixtures/captures/... */
#ifndef ADVISOR_TESTUTIL_H
#define ADVISOR_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/fileio.h"
#include "collect/load.h"
#include "base/xalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* Read a fixture fully; fails the test when it cannot.  Caller frees. */
static inline char *tu_read(const char *path, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	int rc = file_read(path, FILEIO_DEFAULT_CAP, &buf, &n);
	if (rc)
		fail_msg("cannot read fixture %s: %d", path, rc);
	if (len)
		*len = n;
	return buf;
}

/* host_load with its errors on stderr; true when it failed. */
static inline bool tu_load_failed(const struct host_source *src, struct host *h)
{
	struct diag_list d = {0};
	int rc = host_load(src, h, &d);
	diag_print_all(stderr, &d);
	diag_list_clear(&d);
	return rc != 0;
}

/* Remove a test's scratch tree (made with mkdtemp under /tmp); the
 * system() status, 0 when it is gone. */
static inline int tu_rm_rf(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

#endif
