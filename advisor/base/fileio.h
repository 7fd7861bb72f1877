/* fileio: the only way the tool reaches files.
 *
 * A struct root is a directory opened once ("/" for the live host, or a
 * captured tree given with --root); every read is relative to it through
 * openat(), so no module holds an absolute /proc path.  Reads loop until EOF
 * (procfs reports st_size 0), retry EINTR, refuse more than `cap` bytes and
 * NUL-terminate.  Binary content (a NUL byte) is reported, not parsed.
 *
 * Atomic writes (temp file in the target directory, fsync, rename, fsync of
 * the directory) live here too, so every writer gets them right once.
 */
#ifndef ADVISOR_FILEIO_H
#define ADVISOR_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define FILEIO_DEFAULT_CAP (16u << 20) /* 16 MiB: a 1024-CPU zoneinfo is ~10 MiB */

struct root {
	int dirfd;   /* O_PATH|O_DIRECTORY descriptor, -1 when closed */
	char *path;  /* as given, owned */
	bool live;   /* path resolves to "/" */
};

/* Open dir as a root.  Returns 0 or -errno; on failure r is untouched. */
int root_open(struct root *r, const char *dir);
void root_close(struct root *r);

/* Read root/rel fully into a new NUL-terminated buffer (*out, *len), owned
 * by the caller.  Returns 0, -ENOENT/-EACCES/... from open/read, -EFBIG
 * when larger than cap, -EILSEQ when the content holds a NUL byte (binary).
 * *out and *len are written only on success. */
int root_read(const struct root *r, const char *rel, size_t cap, char **out, size_t *len);

/* Same for a path outside any root (a --snapshot file, a --kernel-log). */
int file_read(const char *path, size_t cap, char **out, size_t *len);

/* Does root/rel exist (any type)? */
bool root_exists(const struct root *r, const char *rel);

/* Write data to a regular file relative to the root (rel) or to an absolute
 * or cwd-relative path (root == NULL) via fileio_write_atomic. */
int root_write_atomic(const struct root *r, const char *rel, const void *data, size_t len, mode_t mode);

/* Replace path with data atomically: a temporary file in the same
 * directory, write (retrying short writes), fsync, fchmod(mode), rename over
 * path, fsync the directory.  On any error the temporary file is removed
 * and the old file is untouched.  An existing path that is not a regular
 * file (a device such as /dev/null, a symlink, a fifo) is never replaced:
 * -EEXIST (-EISDIR for a directory).  Returns 0 or -errno. */
int fileio_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

/* Write a value to an existing file (sysctl in /proc/sys): open O_WRONLY
 * without O_CREAT|O_TRUNC semantics that procfs would not honour. */
int root_write_existing(const struct root *r, const char *rel, const char *data, size_t len);

/* List the names in root/rel (a directory), sorted with strcmp, excluding
 * "." and "..".  *names is a NULL-terminated array the caller frees with
 * fileio_names_free.  Returns 0 or -errno. */
int root_list(const struct root *r, const char *rel, char ***names, size_t *n);
int dir_list(const char *dir, char ***names, size_t *n);
void fileio_names_free(char **names);

#endif
