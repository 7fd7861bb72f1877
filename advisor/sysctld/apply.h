/* apply: write recommended values to proc/sys under a root and read them back.
 *
 * For each request (key, value) apply_values reads the previous value of
 * proc/sys/<key with '.' -> '/'> under the root, writes the new one with
 * root_write_existing (confined to the root; no create; a regular file in a
 * captured tree is truncated so it holds exactly the new value), reads it
 * back and classifies the outcome:
 *   applied        the read-back value equals the written one
 *   refused        the kernel rejected the value (EINVAL, ERANGE) or kept
 *                  another one (read-back differs)
 *   not_permitted  EACCES, EPERM or EROFS: typically a container whose
 *                  /proc/sys is read-only, or no CAP_SYS_ADMIN
 *   absent         the key does not exist on this kernel (ENOENT)
 *   failed         any other error (errno kept)
 * Requests are processed in the given order and every one is attempted:
 * one refusal does not stop the rest.  The previous values are kept so the
 * report can say how to restore them; for a key with a mutually exclusive
 * partner (sysctl_catalog.h: vm.dirty_bytes and vm.dirty_ratio) the
 * partner's value is read too, before the write zeroes it in the kernel:
 * a bytes key's previous 0 only says the ratio was in use, and the ratio's
 * value is what restores that state (sysctl_pair_default).
 *
 * The live host is touched only when the root is "/" (the caller decides);
 * tests use a temporary tree with proc/sys/vm/<key> regular files.  Read
 * back compares the whole content with blanks and line breaks collapsed
 * (lowmem_reserve_ratio prints tab-separated values), so a file still
 * holding the tail of a longer old value is never "applied".
 *
 * Ownership: the entries and their strings belong to the caller
 * (apply_entries_free).
 */
#ifndef ADVISOR_APPLY_H
#define ADVISOR_APPLY_H

#include "../base/fileio.h"

#include <stdbool.h>
#include <stddef.h>

enum apply_result { APPLY_APPLIED, APPLY_REFUSED, APPLY_NOT_PERMITTED, APPLY_ABSENT, APPLY_FAILED };

struct apply_req {
	const char *sysctl; /* "vm.swappiness" */
	const char *value;  /* as written to the file, without newline */
};

struct apply_entry {
	char *sysctl;
	char *previous;  /* first line as read before writing, NULL if unreadable */
	char *written;
	char *readback;  /* NULL if unreadable */
	char *partner;   /* the catalog's mutually exclusive key, NULL when none */
	char *partner_previous; /* its value as read before writing, NULL if
				 * none or unreadable */
	enum apply_result result;
	int err;         /* positive errno of the failing step, 0 when none */
};

/* "applied", "refused", "not_permitted", "absent", "failed". */
const char *apply_result_name(enum apply_result r);

/* The path of key under a root: "vm.swappiness" -> "proc/sys/vm/swappiness".
 * Caller frees. */
char *apply_sysctl_path(const char *key);

/* Apply n requests; *out receives n entries.  Returns 0 (per-key outcomes
 * are in the entries, never in the return value). */
int apply_values(const struct root *r, const struct apply_req *req, size_t n, struct apply_entry **out);

/* apply_values under the directory dir (root_open, then root_close).  0,
 * or root_open's -errno with *out untouched. */
int apply_under(const char *dir, const struct apply_req *req, size_t n, struct apply_entry **out);

/* Any entry with that result? */
bool apply_any(const struct apply_entry *e, size_t n, enum apply_result r);

void apply_entries_free(struct apply_entry *e, size_t n);

#endif
