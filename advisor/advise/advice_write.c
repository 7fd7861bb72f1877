/* advice_write: the advice's files, one writer for `recommend` (-o,
 * --tmpfiles, --report, --diff) and the Ansible module.  Contract in
 * advise.h. */
#include "advise.h"

#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../render/ours.h"
#include "../render/report.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>

/* fileio's reason, naming a path that is there but not a regular file */
static const char *why_not(int rc)
{
	return rc == -EEXIST ? "exists and is not a regular file" : fileio_strerror(rc);
}

/* path as root_output_path reaches it, in *out; -errno with the reason in d */
static int output_path(const char *root, const char *path, char **out, struct diag_list *d)
{
	int rc = root_output_path(root, path, out);
	if (rc)
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot write %s: %s", path, fileio_strerror(rc));
	return rc;
}

/* advise_output_ready on the path reached (p); path as the user named it */
static int output_ready(const char *p, const char *path, bool force, const char *force_hint, struct diag_list *d)
{
	int rc = fileio_check_writable(p);
	if (rc) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot write %s: %s", path, why_not(rc));
		return rc;
	}
	if (force)
		return 0;
	char *old = NULL;
	size_t len = 0;
	rc = file_read(p, FILEIO_DEFAULT_CAP, &old, &len);
	bool ours = !rc && render_is_ours(old, len);
	free(old);
	if (rc == -ENOENT || ours)
		return 0;
	diag_add(d, DIAG_ERROR, NULL, 0, 0, "%s exists and was not written by reclaim-advisor%s%s; not overwriting it (%s)",
		 path, rc ? ": " : "", rc ? fileio_strerror(rc) : "", force_hint);
	return -EEXIST;
}

int advise_output_ready(const char *root, const char *path, bool force, const char *force_hint,
			struct diag_list *d)
{
	char *p = NULL;
	int rc = output_path(root, path, &p, d);
	if (!rc)
		rc = output_ready(p, path, force, force_hint, d);
	free(p);
	return rc;
}

int advise_output_write(const char *root, const char *path, const char *data, size_t len, bool force,
			const char *force_hint, struct diag_list *d)
{
	char *p = NULL;
	int rc = output_path(root, path, &p, d);
	if (!rc)
		rc = output_ready(p, path, force, force_hint, d);
	if (!rc && (rc = fileio_write_atomic(p, data, len, 0644)))
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "%s: %s (the old file, if any, is unchanged)", path, why_not(rc));
	free(p);
	return rc;
}

int advise_file_check(const char *path, const struct advise_deployed *dep, bool up_to_date, bool force,
		      const char *force_hint, struct diag_list *d)
{
	if (!dep->exists || up_to_date || force || dep->ours)
		return 0;
	diag_add(d, DIAG_ERROR, NULL, 0, 0,
		 "%s exists and was not written by reclaim-advisor (no \"%s\" header); not overwriting it (%s)", path,
		 FRAGMENT_MARKER, force_hint);
	return -EEXIST;
}

int advise_file_put(const char *root, const char *path, const struct buf *text, const struct advise_deployed *dep,
		    bool up_to_date, bool force, const char *force_hint, struct diag_list *d)
{
	int rc = advise_file_check(path, dep, up_to_date, force, force_hint, d);
	if (rc || up_to_date)
		return rc;
	char *p = NULL;
	rc = output_path(root, path, &p, d);
	if (!rc && (rc = fileio_write_atomic(p, buf_str(text), text->len, 0644)))
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot write %s: %s (the old file, if any, is unchanged)", path,
			 fileio_strerror(rc));
	free(p);
	return rc;
}

void advise_file_diff(const char *path, const struct buf *text, const struct advise_deployed *dep, bool up_to_date,
		      struct buf *out)
{
	if (up_to_date)
		return;
	char *alabel = xstrdup(dep->exists ? path : "/dev/null");
	char *blabel = xasprintf("%s (new)", path);
	fragment_diff(dep->exists ? dep->text : "", dep->len, buf_str(text), text->len, alabel, blabel, out);
	free(alabel);
	free(blabel);
}

bool advice_files_current(const struct advice *a, const char *fragment_file, const char *tmpfiles_file,
			  struct buf *diff)
{
	if (diff && fragment_file)
		advise_file_diff(fragment_file, &a->fragment, &a->deployed, a->up_to_date, diff);
	if (diff && tmpfiles_file)
		advise_file_diff(tmpfiles_file, &a->tmpfiles, &a->tmpfiles_deployed, a->tmpfiles_up_to_date, diff);
	return (!fragment_file || a->up_to_date) && (!tmpfiles_file || a->tmpfiles_up_to_date);
}

void advice_report_text(const struct advice *a, struct buf *out)
{
	json_object *doc = report_build(&a->in);
	report_to_text(doc, out);
	json_object_put(doc);
}
