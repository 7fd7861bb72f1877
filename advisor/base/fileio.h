/* fileio: the only way the tool reaches files.
 *
 * A struct root is a directory opened once ("/" for the live host, or a
 * captured tree given with --root); every read and write under it is
 * relative to it and confined to it: a symbolic link or ".." that leads
 * outside a captured tree is refused (FILEIO_E_ESCAPE) instead of followed,
 * so a tree cannot make the tool read or --apply the live host or overwrite
 * a file elsewhere.  Links that stay inside the tree are followed; magic
 * /proc links never are.  openat2(RESOLVE_BENEATH) where the kernel has it,
 * a per-component O_NOFOLLOW walk where it does not.
 *
 * Every open is non-blocking and checked with fstat: only a regular file is
 * read or written (FILEIO_E_NOTREG for a FIFO, device or socket, -EISDIR
 * for a directory), so a FIFO in a tree cannot hang a monitoring check.
 * Reads loop until EOF (procfs reports st_size 0), retry EINTR, refuse more
 * than `cap` bytes and NUL-terminate.  Binary content (a NUL byte) is
 * reported, not parsed.
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
	bool no_openat2; /* resolve by the O_NOFOLLOW walk (tests set it) */
};

/* Errors of our own, beside the -errno values of open(2) and read(2). */
#define FILEIO_E_ESCAPE (-EXDEV)      /* a link or ".." leads out of the root */
#define FILEIO_E_NOTREG (-EMEDIUMTYPE) /* a FIFO, device or socket */

/* Text for any error these functions return (rc < 0), naming our own
 * errors plainly rather than by the errno they borrow. */
const char *fileio_strerror(int rc);

/* Open dir as a root.  Returns 0 or -errno; on failure r is untouched. */
int root_open(struct root *r, const char *dir);
void root_close(struct root *r);
/* Open the directory rel under parent as a root of its own, confined like a
 * read (a link or ".." out of parent is FILEIO_E_ESCAPE, not followed): the
 * samples of a capture-directory history, each laid out like a root, are
 * as untrusted as the tree that holds them.  out->path is parent's path
 * and rel joined.  Returns 0 or -errno; on failure out is untouched. */
int root_open_sub(const struct root *parent, const char *rel, struct root *out);

/* Read root/rel fully into a new NUL-terminated buffer (*out, *len), owned
 * by the caller.  Returns 0, -ENOENT/-EACCES/... from open/read, -EFBIG
 * when larger than cap, -EILSEQ when the content holds a NUL byte (binary).
 * *out and *len are written only on success. */
int root_read(const struct root *r, const char *rel, size_t cap, char **out, size_t *len);

/* Same for a path outside any root (a --snapshot file, a rule file, a
 * fleet report).  The path is the user's own: links in it are followed,
 * but it must end at a regular file.  An empty path is -ENOENT. */
int file_read(const char *path, size_t cap, char **out, size_t *len);

/* Like file_read, but a file larger than cap is not an error: its last cap
 * bytes are read, the partial first line dropped, and *truncated set (a
 * --kernel-log such as /var/log/messages is often larger than any cap). */
int file_read_tail(const char *path, size_t cap, char **out, size_t *len, bool *truncated);

/* Does root/rel exist (any type, confined like a read)? */
bool root_exists(const struct root *r, const char *rel);

/* fstat of root/rel (confined; the last component followed when it is a
 * link inside the root).  0 or -errno. */
struct stat;
int root_stat(const struct root *r, const char *rel, struct stat *st);

/* Replace path with data atomically: a temporary file in the same
 * directory, write (retrying short writes), fsync, fchmod(mode), rename over
 * path, fsync the directory.  On any error the temporary file is removed
 * and the old file is untouched.  An existing path that is not a regular
 * file (a device such as /dev/null, a symlink, a fifo) is never replaced:
 * -EEXIST (-EISDIR for a directory).  Returns 0 or -errno. */
int fileio_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

/* Could fileio_write_atomic(path) succeed?  0 when path is absent or a
 * regular file and its directory is writable; else the -errno the write
 * would fail with.  For checking every output before --apply changes the
 * host.  Stale temporaries (".NAME.XXXXXX" of ours, over a minute old,
 * left by a killed run) are removed by fileio_write_atomic itself. */
int fileio_check_writable(const char *path);

/* The path through which root/rel may be written, replaced or removed
 * (fileio_write_atomic, unlink) without leaving the root: rel's directory
 * resolved confined as a read is (a link or ".." out of a captured tree is
 * FILEIO_E_ESCAPE, also when rel's last component is such a link), given
 * as the canonical path of that directory plus rel's last component.  For
 * paths the tool derives under a root (the Ansible module's dest and
 * report), which are as untrusted as the tree.  -ENOENT when the directory
 * is absent, -EISDIR when rel names no file ("", ".", "..", "a/").
 * *out (owned by the caller) is written only on success. */
int root_path(const struct root *r, const char *rel, char **out);

/* The part of path that lies below the tree rootdir, by their text: both
 * made absolute from the working directory, repeated slashes and "."
 * dropped, ".." kept (a link before it gives it a physical meaning, which
 * root_path judges).  NULL when rootdir is NULL or "/" (the live host: no
 * tree to confine to) or path is not below it.  The caller frees it. */
char *root_rel_of(const char *rootdir, const char *path);

/* The path through which the tool writes an output the user named (-o,
 * --report, --tmpfiles, audit's and collect's -o, record's history) while
 * it reads the tree rootdir: a path below the tree (root_rel_of) is as
 * untrusted as the tree and reached through root_path (a link or ".." out
 * of it is FILEIO_E_ESCAPE; --force does not change that); any other path
 * (a live root, a file outside the tree) is the user's own, links
 * followed, and *out is a copy of it.  0 or -errno; *out (the caller
 * frees it) written only on success. */
int root_output_path(const char *rootdir, const char *path, char **out);

/* Write a value to an existing regular file under the root (a sysctl in
 * /proc/sys), confined like a read.  Never creates.  On the live root a
 * plain O_WRONLY write (procfs parses it at offset 0); under a captured
 * tree O_TRUNC, so the file holds exactly data afterwards. */
int root_write_existing(const struct root *r, const char *rel, const char *data, size_t len);

/* List the names in root/rel (a directory), sorted with strcmp, excluding
 * "." and "..".  *names is a NULL-terminated array the caller frees with
 * fileio_names_free.  Returns 0 or -errno. */
int root_list(const struct root *r, const char *rel, char ***names, size_t *n);
int dir_list(const char *dir, char ***names, size_t *n);
void fileio_names_free(char **names);

#endif
