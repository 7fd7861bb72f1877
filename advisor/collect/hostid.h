/* hostid: the identity of a host in audit and recommend reports.
 *
 * fleet matches the reports of one host by it (an audit supersedes a
 * recommend report of the same host), so every command derives it the same
 * way, here:
 *   1. the identity given by the user (--host-id, the Ansible host_id), else
 *   2. with a root (a captured tree, "/" for the live host): "m-" and the
 *      FNV-1a 64 digest of etc/machine-id under it, in 16 hex digits
 *      (machine-id is unique per installation and survives hostname
 *      changes; only a digest is published), else
 *   3. the last component of the origin (the root directory or the snapshot
 *      path), without a ".json" suffix: "/srv/captures/web-17" -> "web-17",
 *      "x/host.json" -> "host"; "/" -> "localhost".
 * Host names are never used.  Trailing blanks and newlines of machine-id
 * are ignored; an empty or unreadable file falls through to 3.
 *
 * Ownership: the returned strings are the caller's (free); never NULL.
 */
#ifndef ADVISOR_HOSTID_H
#define ADVISOR_HOSTID_H

/* Steps 1 to 3.  rootdir: the root to read etc/machine-id under, NULL for a
 * snapshot (no tree to read).  origin: for step 3 (NULL or "" like "/"). */
char *host_id_derive(const char *given, const char *rootdir, const char *origin);

/* Step 3 alone: pure, reads nothing. */
char *host_id_from_origin(const char *origin);

#endif
