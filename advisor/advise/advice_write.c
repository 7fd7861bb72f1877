/* advice_write: the advice's files, one writer for `recommend` (-o,
 * --tmpfiles, --report, --diff) and the Ansible module.  Contract in
 * advise.h. */
#include "advise.h"

#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../render/report.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>

bool advise_file_refused(const struct advise_deployed *dep, bool up_to_date, bool force)
{
	return dep->exists && !up_to_date && !force && !dep->ours;
}

int advise_file_write(const char *path, const struct buf *text, bool up_to_date)
{
	if (up_to_date)
		return 0;
	return fileio_write_atomic(path, buf_str(text), text->len, 0644);
}

int advise_file_put(const char *path, const struct buf *text, const struct advise_deployed *dep, bool up_to_date,
		    bool force, const char *force_hint, struct diag_list *d)
{
	if (advise_file_refused(dep, up_to_date, force)) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "%s exists and was not written by reclaim-advisor (no \"%s\" header); not overwriting it (%s)",
			 path, FRAGMENT_MARKER, force_hint);
		return -EEXIST;
	}
	int rc = advise_file_write(path, text, up_to_date);
	if (rc)
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot write %s: %s (the old file, if any, is unchanged)", path,
			 fileio_strerror(rc));
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
