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

#endif
