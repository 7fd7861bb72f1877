/* precedence: which sysctl.d file wins at boot, for every key.
 *
 * Reads, under a root, /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d,
 * /usr/lib/sysctl.d, /lib/sysctl.d (*.conf) and /etc/sysctl.conf, with the
 * two boot-time semantics that differ:
 *   - systemd-sysctl (sysctl.d(5)): files are ordered by *name* across all
 *     directories; a name in an earlier directory masks the same name in a
 *     later one; /etc/sysctl.conf is NOT read (only via the 99-sysctl.conf
 *     symlink Debian ships); the last assignment of a key wins.
 *   - procps `sysctl --system`: the same directories and name order, then
 *     /etc/sysctl.conf last, so it wins over every sysctl.d file.
 * Keys are normalised ('/' -> '.', leading '-' dropped).
 *
 * Ownership: a struct precedence owns every string in it.
 */
#ifndef ADVISOR_PRECEDENCE_H
#define ADVISOR_PRECEDENCE_H

#include "../base/diag.h"
#include "../base/fileio.h"

#include <stdbool.h>
#include <stddef.h>

struct sysctl_assign {
	char *file;    /* path as seen on the host ("/etc/sysctl.d/60-x.conf") */
	unsigned line;
	char *value;
};

struct sysctl_origin {
	char *key;                    /* "vm.swappiness" */
	bool has_systemd, has_procps;
	struct sysctl_assign systemd; /* the assignment systemd-sysctl applies last */
	struct sysctl_assign procps;  /* the assignment `sysctl --system` applies last */
	struct sysctl_assign *all;    /* every assignment in application order (procps order) */
	size_t nall;
};

struct precedence;

/* Scan the sysctl.d directories under r.  Unreadable files become warnings
 * in d; a missing directory is normal.  Returns 0 or -errno. */
int precedence_scan(const struct root *r, struct precedence **out, struct diag_list *d);

/* The origin of key, or NULL when no file sets it. */
const struct sysctl_origin *precedence_lookup(const struct precedence *p, const char *key);

/* The effective file list in systemd order (for reports). */
size_t precedence_nfiles(const struct precedence *p);
const char *precedence_file(const struct precedence *p, size_t i);

/* Our fragment F (a host path, "/etc/sysctl.d/60-reclaim-advisor.conf")
 * inserted among the scanned files: which file sets key at boot.  This is
 * the one answer to "does our fragment win" that recommend, audit and the
 * Ansible module share.
 *   ours      F sets key (the value is in the fragment) at line our_line;
 *   F's own earlier assignments and a same-named file F masks are ignored
 *   (F replaces them).  masked: a same-named file in an earlier directory
 *   hides F, so F is read by neither tool.  by: the assignment that wins
 *   over ours (the last sysctl.d one that sorts after F under both tools,
 *   else /etc/sysctl.conf under `sysctl --system` only), or NULL;
 *   by_systemd says which.  The strings point into p (and F). */
struct boot_winner {
	const char *systemd_file;   /* NULL: no file sets it */
	unsigned systemd_line;
	const char *systemd_value;  /* NULL when ours wins or no file sets it */
	const char *procps_file;
	unsigned procps_line;
	const char *procps_value;
	bool masked;
	const struct sysctl_assign *by;
	bool by_systemd;
};

/* The file that masks F (same name in an earlier directory), or NULL. */
const char *precedence_masker(const struct precedence *p, const char *F);
void precedence_at_boot(const struct precedence *p, const char *F, const char *key, bool ours,
			unsigned our_line, struct boot_winner *out);

void precedence_free(struct precedence *p);

#endif
