/* ours: which documents are ours (contract in ours.h). */
#include "ours.h"

#include "../base/fileio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool render_is_ours(const char *text, size_t len)
{
	if (len == 0)
		return true; /* nothing to lose */
	size_t n = len < 4096 ? len : 4096;
	static const char *const marks[] = {"reclaim-advisor", "reclaim_advisor", "RECLAIM-ADVISOR"};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (memmem(text, n, marks[i], strlen(marks[i])))
			return true;
	return len >= 7 && !memcmp(text, "fleet: ", 7);
}

/* fileio's reason, naming a path that is there but not a regular file */
static const char *why_not(int rc)
{
	return rc == -EEXIST ? "exists and is not a regular file" : fileio_strerror(rc);
}

int render_output_ready(const char *path, bool force, const char *force_hint, struct diag_list *d)
{
	int rc = fileio_check_writable(path);
	if (rc) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot write %s: %s", path, why_not(rc));
		return rc;
	}
	if (force)
		return 0;
	char *old = NULL;
	size_t len = 0;
	rc = file_read(path, FILEIO_DEFAULT_CAP, &old, &len);
	bool ours = !rc && render_is_ours(old, len);
	free(old);
	if (rc == -ENOENT || ours)
		return 0;
	diag_add(d, DIAG_ERROR, NULL, 0, 0, "%s exists and was not written by reclaim-advisor%s%s; not overwriting it (%s)",
		 path, rc ? ": " : "", rc ? fileio_strerror(rc) : "", force_hint);
	return -EEXIST;
}

int render_output_write(const char *path, const char *data, size_t len, bool force, const char *force_hint,
			struct diag_list *d)
{
	int rc = render_output_ready(path, force, force_hint, d);
	if (rc)
		return rc;
	rc = fileio_write_atomic(path, data, len, 0644);
	if (rc)
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "%s: %s (the old file, if any, is unchanged)", path, why_not(rc));
	return rc;
}
