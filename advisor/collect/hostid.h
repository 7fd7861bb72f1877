/* hostid: the identity of a host in audit and recommend reports.
 *
 * fleet matches the reports of one host by it (an audit supersedes a
 * recommend report of the same host), so every command derives it the same
 * way, here, from what the host says about itself:
 *   1. the identity given by the user (--host-id, the Ansible host_id), else
 *   2. with a root (a captured tree, "/" for the live host): "m-" and the
 *      FNV-1a 64 digest (base/fnv.h) of etc/machine-id under it, in 16 hex
 *      digits (machine-id is unique per installation and survives hostname
 *      changes; only a digest is published), else
 *   3. the host's name (kernel.hostname, else etc/hostname), else
 *   4. the origin as given (the root directory or the snapshot path),
 *      trailing slashes removed; "/" (or none) -> "localhost".
 * Never a directory's name alone: captures are laid out as
 * CASE/before, CASE/after, RUN/start, so a last component names a moment,
 * not a host, and every such tree would become one host in fleet.
 * Trailing blanks and newlines of machine-id are ignored; an empty or
 * unreadable file falls through to 3.
 *
 * A cloned image shares its machine-id: reports carry the hostname beside
 * the id, and fleet keeps hosts with one id and different names apart
 * (fleet.h).
 *
 * Ownership: the returned strings are the caller's (free); never NULL.
 */
#ifndef ADVISOR_HOSTID_H
#define ADVISOR_HOSTID_H

/* Steps 1 to 4.  rootdir: the root to read etc/machine-id under, NULL for a
 * snapshot (no tree to read).  hostname: the host's name (NULL or "" when
 * unknown).  origin: for step 4 (NULL or "" like "/"). */
char *host_id_derive(const char *given, const char *rootdir, const char *hostname, const char *origin);

/* Step 4 alone: pure, reads nothing. */
char *host_id_from_origin(const char *origin);

#endif
