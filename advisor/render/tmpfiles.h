/* tmpfiles: the systemd-tmpfiles fragment of the sysfs settings the
 * findings advise (issue 13: THP defrag for compaction stalls).
 *
 * A finding whose rule has a `tmpfiles` key (ruleset.h) names a sysfs file
 * and a value; at boot systemd-tmpfiles writes it with a line of type w
 * (tmpfiles.d(5)): "w PATH - - - - VALUE" (no mode, user, group or age).
 * The fragment is the tool's own file like the sysctl.d fragment: its
 * first lines carry FRAGMENT_MARKER (fragment.h), so fragment_is_ours
 * recognises it and the next run may rewrite it; it holds one line per
 * path (the first finding that advises it, in plan order), sorted by
 * path, each after a comment naming the rule and its reason.  No
 * timestamp: the same findings give the same bytes (it is compared byte
 * for byte to say "up to date").  With no setting advised it is the header
 * alone: desired state, so a line the advice no longer holds is removed -
 * except a line of our deployed fragment that is in effect (the sysfs file
 * reads its value) and that no finding advises otherwise: a rule that
 * fired on the stalls the old value caused no longer fires once ours is
 * live, and dropping the line would undo the advice at the next boot (the
 * fixpoint: apply, rerun, nothing changes).  The caller finds those
 * (kept); they are written after a comment saying so.
 *
 * Pure; buffers are the caller's.
 */
#ifndef ADVISOR_TMPFILES_H
#define ADVISOR_TMPFILES_H

#include "../base/buf.h"
#include "../rules/engine.h"

#include <stddef.h>

/* "w PATH - - - - VALUE"; caller frees. */
char *tmpfiles_line(const char *path, const char *value);

/* A setting of our deployed fragment that is in effect (see above). */
struct tmpfiles_kept {
	const char *path, *value;
};

/* The w lines of a tmpfiles fragment's text: *paths and *values get n
 * owned strings each (caller frees both arrays and their strings). */
size_t tmpfiles_parse(const char *text, size_t len, char ***paths, char ***values);

/* The fragment for the findings of p and the kept settings (a path a
 * finding advises is never kept); returns the number of lines.
 * version: the tool's version for the header, or NULL. */
size_t tmpfiles_render(const struct plan *p, const struct tmpfiles_kept *kept, size_t nkept, const char *version,
		       struct buf *out);

#endif
