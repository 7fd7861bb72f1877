#include "fileio.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

const char *fileio_strerror(int rc)
{
	switch (rc) {
	case FILEIO_E_ESCAPE:
		return "a symbolic link or '..' leads outside the root";
	case FILEIO_E_NOTREG:
		return "not a regular file (a FIFO, device or socket is never opened)";
	case -ELOOP:
		return "too many levels of symbolic links (a loop)";
	case -EFBIG:
		return "file too large";
	case -EILSEQ:
		return "binary content (a NUL byte) in a text file";
	default:
		return strerror(rc < 0 ? -rc : rc);
	}
}

int root_open(struct root *r, const char *dir)
{
	if (!dir || !*dir)
		return -ENOENT;
	/* The root itself is the user's choice: a link to it is followed.
	 * O_PATH opens a FIFO without blocking; O_DIRECTORY refuses it. */
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st, rst;
	bool live = fstat(fd, &st) == 0 && stat("/", &rst) == 0 &&
		    st.st_dev == rst.st_dev && st.st_ino == rst.st_ino;
	r->dirfd = fd;
	r->path = xstrdup(dir);
	r->live = live;
	r->no_openat2 = false;
	return 0;
}

void root_close(struct root *r)
{
	if (!r)
		return;
	if (r->dirfd >= 0)
		close(r->dirfd);
	r->dirfd = -1;
	free(r->path);
	r->path = NULL;
}

/* Paths under a root are relative; a leading '/' would make openat ignore
 * the directory descriptor and escape the captured tree. */
static const char *strip_slash(const char *rel)
{
	while (*rel == '/')
		rel++;
	return *rel ? rel : ".";
}

static int root_openat(const struct root *r, const char *rel, int flags);

int root_open_sub(const struct root *parent, const char *rel, struct root *out)
{
	int fd = root_openat(parent, rel, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fd;
	/* confined, it is "/" only when the parent is the live root itself */
	struct stat st, rst;
	out->live = parent->live && fstat(fd, &st) == 0 && stat("/", &rst) == 0 && st.st_dev == rst.st_dev &&
		    st.st_ino == rst.st_ino;
	out->dirfd = fd;
	out->path = xasprintf("%s/%s", parent->path, strip_slash(rel));
	out->no_openat2 = parent->no_openat2;
	return 0;
}

/* ---- confined open ------------------------------------------------------
 *
 * A captured tree is untrusted: proc/sys/vm may be a link to the live
 * /proc/sys/vm, a sysctl file a link to /etc/passwd.  Resolution must stay
 * beneath the root, or --apply writes the live host or a file elsewhere.
 *
 * openat2(RESOLVE_BENEATH) does it in the kernel (5.6+): a relative link
 * that stays inside the tree is followed (sosreports link
 * etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf), an absolute link or a
 * ".." above the root fails with EXDEV, reported as FILEIO_E_ESCAPE.
 * Magic links (/proc/PID/fd/N) are never followed.  On "/" itself there is
 * nothing to escape to, so absolute links resolve as usual.
 *
 * Where openat2 is missing (ENOSYS, or EPERM from an old seccomp policy),
 * the same rules are applied by walking one component at a time with
 * O_NOFOLLOW and resolving each link by hand. */

#define WALK_MAX_LINKS 40 /* the kernel's MAXSYMLINKS */
#define WALK_MAX_DEPTH 256

static int open_final(int dirfd, const char *name, int flags)
{
	int fd = openat(dirfd, name, flags | O_NOFOLLOW);
	return fd < 0 ? -errno : fd;
}

/* Resolve rel under r by hand.  Returns an fd opened with flags, or -errno. */
static int walk_open(const struct root *r, const char *rel, int flags)
{
	int stack[WALK_MAX_DEPTH];
	size_t depth = 0, links = 0;
	/* The path still to resolve; symlink targets are spliced in front. */
	size_t cap = strlen(rel) + 1;
	char *rest = xmalloc(cap);
	memcpy(rest, rel, cap);
	int rc = 0;
	int cur = r->dirfd;
	char *p = rest;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p) {
			/* Path ended on a directory ("." or "a/"). */
			rc = open_final(cur, ".", flags);
			break;
		}
		char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char name[NAME_MAX + 1];
		if (n > NAME_MAX) {
			rc = -ENAMETOOLONG;
			break;
		}
		memcpy(name, p, n);
		name[n] = 0;
		p += n;
		bool last = true;
		for (const char *q = p; *q; q++)
			if (*q != '/') {
				last = false;
				break;
			}
		if (!strcmp(name, ".")) {
			if (last) {
				rc = open_final(cur, ".", flags);
				break;
			}
			continue;
		}
		if (!strcmp(name, "..")) {
			if (depth == 0) {
				if (!r->live) {
					rc = FILEIO_E_ESCAPE;
					break;
				}
				/* "/.." is "/". */
			} else {
				close(stack[--depth]);
				cur = depth ? stack[depth - 1] : r->dirfd;
			}
			if (last) {
				rc = open_final(cur, ".", flags);
				break;
			}
			continue;
		}
		struct stat st;
		if (fstatat(cur, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -errno;
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			if (++links > WALK_MAX_LINKS) {
				rc = -ELOOP;
				break;
			}
			char target[PATH_MAX];
			ssize_t k = readlinkat(cur, name, target, sizeof(target) - 1);
			if (k < 0) {
				rc = -errno;
				break;
			}
			target[k] = 0;
			if (target[0] == '/') {
				if (!r->live) {
					rc = FILEIO_E_ESCAPE;
					break;
				}
				while (depth)
					close(stack[--depth]);
				cur = r->dirfd;
			}
			/* rest = target + "/" + p */
			size_t tl = (size_t)k, pl = strlen(p);
			char *nr = xmalloc(tl + pl + 2);
			memcpy(nr, target, tl);
			nr[tl] = '/';
			memcpy(nr + tl + 1, p, pl + 1);
			if (!*p)
				nr[tl] = 0;
			free(rest);
			rest = p = nr;
			continue;
		}
		if (last) {
			rc = open_final(cur, name, flags);
			break;
		}
		if (!S_ISDIR(st.st_mode)) {
			rc = -ENOTDIR;
			break;
		}
		if (depth == WALK_MAX_DEPTH) {
			rc = -ENAMETOOLONG;
			break;
		}
		int fd = open_final(cur, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			rc = fd;
			break;
		}
		stack[depth++] = cur = fd;
	}
	while (depth)
		close(stack[--depth]);
	free(rest);
	return rc;
}

/* Open rel under r with open(2) flags, confined as described above.
 * Returns an fd or -errno (FILEIO_E_ESCAPE for a way out of the root). */
static int root_openat(const struct root *r, const char *rel, int flags)
{
	rel = strip_slash(rel);
	if (!r->no_openat2) {
		struct open_how how = {
			.flags = (uint64_t)flags,
			.resolve = RESOLVE_NO_MAGICLINKS | (r->live ? 0 : RESOLVE_BENEATH),
		};
		long fd = syscall(SYS_openat2, r->dirfd, rel, &how, sizeof(how));
		if (fd >= 0)
			return (int)fd;
		if (errno == EXDEV)
			return FILEIO_E_ESCAPE;
		if (errno != ENOSYS && errno != EPERM)
			return -errno;
	}
	return walk_open(r, rel, flags);
}

/* A descriptor is usable as a file only when it is a regular file: a FIFO
 * or a device would block or never end.  The open was O_NONBLOCK, so even a
 * FIFO without a writer got here. */
static int check_regular(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	return S_ISREG(st.st_mode) ? 0 : FILEIO_E_NOTREG;
}

static int read_fd(int fd, size_t cap, char **out, size_t *len)
{
	size_t n = 0, sz = 4096;
	char *p = xmalloc(sz);
	for (;;) {
		if (n + 1 >= sz) {
			if (sz > cap) {
				free(p);
				return -EFBIG;
			}
			sz *= 2;
			p = xreallocarray(p, sz, 1);
		}
		ssize_t k = read(fd, p + n, sz - n - 1);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			int e = -errno;
			free(p);
			return e;
		}
		if (k == 0)
			break;
		n += (size_t)k;
		if (n > cap) {
			free(p);
			return -EFBIG;
		}
	}
	p[n] = 0;
	if (memchr(p, 0, n)) {
		free(p);
		return -EILSEQ;
	}
	*out = p;
	*len = n;
	return 0;
}

static int read_opened(int fd, size_t cap, char **out, size_t *len)
{
	if (fd < 0)
		return fd;
	int rc = check_regular(fd);
	if (!rc)
		rc = read_fd(fd, cap, out, len);
	close(fd);
	return rc;
}

#define READ_FLAGS (O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)

int root_read(const struct root *r, const char *rel, size_t cap, char **out, size_t *len)
{
	return read_opened(root_openat(r, rel, READ_FLAGS), cap, out, len);
}

int file_read(const char *path, size_t cap, char **out, size_t *len)
{
	if (!path || !*path)
		return -ENOENT;
	int fd = open(path, READ_FLAGS);
	return read_opened(fd < 0 ? -errno : fd, cap, out, len);
}

int file_read_tail(const char *path, size_t cap, char **out, size_t *len, bool *truncated)
{
	if (!path || !*path)
		return -ENOENT;
	int fd = open(path, READ_FLAGS);
	if (fd < 0)
		return -errno;
	int rc = check_regular(fd);
	struct stat st;
	bool cut = false;
	if (!rc && fstat(fd, &st) == 0 && (uint64_t)st.st_size > cap) {
		/* Start cap bytes before the end, then drop the partial first
		 * line so no parser sees half a record. */
		if (lseek(fd, st.st_size - (off_t)cap, SEEK_SET) < 0)
			rc = -errno;
		cut = true;
	}
	char *buf = NULL;
	size_t n = 0;
	if (!rc)
		rc = read_fd(fd, cap, &buf, &n);
	close(fd);
	if (rc)
		return rc;
	if (cut) {
		char *nl = memchr(buf, '\n', n);
		size_t skip = nl ? (size_t)(nl + 1 - buf) : n;
		memmove(buf, buf + skip, n - skip + 1);
		n -= skip;
	}
	*out = buf;
	*len = n;
	*truncated = cut;
	return 0;
}

int root_stat(const struct root *r, const char *rel, struct stat *st)
{
	int fd = root_openat(r, rel, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return fd;
	int rc = fstat(fd, st) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

bool root_exists(const struct root *r, const char *rel)
{
	struct stat st;
	return root_stat(r, rel, &st) == 0;
}

int root_path(const struct root *r, const char *rel, char **out)
{
	rel = strip_slash(rel);
	const char *slash = strrchr(rel, '/');
	const char *base = slash ? slash + 1 : rel;
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return -EISDIR;
	char *dir = slash ? xstrndup(rel, (size_t)(slash - rel)) : xstrdup(".");
	int rc = 0;
	char *joined = NULL, *real = NULL;
	int dfd = root_openat(r, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		rc = dfd;
		goto out;
	}
	/* A last component that is a link is followed by a read but never by
	 * our writers (they refuse to replace a link); one that leads out is
	 * refused here, so the caller says why. */
	struct stat st, dst;
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
		int fd = root_openat(r, rel, O_PATH | O_CLOEXEC);
		if (fd == FILEIO_E_ESCAPE) {
			rc = fd;
			goto out;
		}
		if (fd >= 0)
			close(fd);
	}
	/* The directory as a path: the text root/dir resolved by the kernel
	 * must be the directory the confined walk reached (it is, unless the
	 * tree changes under us: then refused, never followed). */
	joined = xasprintf("%s/%s", r->path, dir);
	real = realpath(joined, NULL);
	if (!real) {
		rc = -errno;
		goto out;
	}
	if (fstat(dfd, &dst) < 0 || stat(real, &st) < 0 || st.st_dev != dst.st_dev || st.st_ino != dst.st_ino) {
		rc = FILEIO_E_ESCAPE;
		goto out;
	}
	*out = xasprintf("%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
out:
	if (dfd >= 0)
		close(dfd);
	free(real);
	free(joined);
	free(dir);
	return rc;
}

/* path made absolute from the working directory, repeated slashes and
 * "." components dropped, a trailing slash kept; NULL when the working
 * directory cannot be named. */
static char *abs_clean(const char *path)
{
	char *cwd = NULL, *full;
	if (path[0] == '/')
		full = xstrdup(path);
	else if ((cwd = getcwd(NULL, 0)))
		full = xasprintf("%s/%s", cwd, path);
	else
		return NULL;
	free(cwd);
	size_t n = 0, len = strlen(full);
	char *o = xmalloc(len + 2);
	for (const char *s = full; *s;) {
		while (*s == '/')
			s++;
		const char *e = strchrnul(s, '/');
		size_t k = (size_t)(e - s);
		if (k && !(k == 1 && s[0] == '.')) {
			o[n++] = '/';
			memcpy(o + n, s, k);
			n += k;
		}
		s = e;
	}
	if (!n || (len > 1 && full[len - 1] == '/'))
		o[n++] = '/';
	o[n] = 0;
	free(full);
	return o;
}

char *root_rel_of(const char *rootdir, const char *path)
{
	if (!rootdir || !path || !*rootdir || !*path)
		return NULL;
	char *r = abs_clean(rootdir), *p = abs_clean(path), *rel = NULL;
	if (r && p) {
		size_t n = strlen(r);
		while (n > 1 && r[n - 1] == '/')
			n--;
		if (!(n == 1 && r[0] == '/') && !strncmp(p, r, n) && p[n] == '/' && p[n + 1])
			rel = xstrdup(p + n + 1);
	}
	free(r);
	free(p);
	return rel;
}

int root_output_path(const char *rootdir, const char *path, char **out)
{
	char *rel = root_rel_of(rootdir, path);
	if (!rel) {
		*out = xstrdup(path);
		return 0;
	}
	struct root r;
	int rc = root_open(&r, rootdir);
	if (!rc) {
		rc = root_path(&r, rel, out);
		root_close(&r);
	}
	free(rel);
	return rc;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t k = write(fd, p, len);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

/* Remove our own temporaries for base left behind in dirfd by a killed run
 * (".BASE.XXXXXX", a regular file we own, untouched for a minute: a
 * concurrent writer finishes well within that). */
static void clean_stale_temps(const char *dir, const char *base)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	size_t bl = strlen(base);
	time_t now = time(NULL);
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (n[0] != '.' || strncmp(n + 1, base, bl) || n[1 + bl] != '.' || strlen(n + 2 + bl) != 6)
			continue;
		struct stat st;
		if (fstatat(dfd, n, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
		    st.st_uid == geteuid() && now - st.st_mtime > 60)
			unlinkat(dfd, n, 0);
	}
	closedir(d);
}

int fileio_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	if (!path || !*path)
		return -ENOENT;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : path;
	if (!*base) {
		free(dir);
		return -EISDIR;
	}
	if (slash == dir)
		dir[1] = 0;
	else if (slash)
		*slash = 0;
	else
		strcpy(dir, ".");
	/* rename() replaces the directory entry itself: over /dev/null or a
	 * symlink it would swap the device node or the link for a regular file.
	 * Only a regular file (or nothing) may be replaced. */
	struct stat st;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		free(dir);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EEXIST;
	}
	clean_stale_temps(dir, base);
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	int rc = 0, dfd = -1;
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	rc = write_all(fd, data, len);
	if (!rc && fchmod(fd, mode) < 0)
		rc = -errno;
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc) {
		unlink(tmp);
		goto out;
	}
	/* The rename is durable only once the directory entry is on disk. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
out:
	free(tmp);
	free(dir);
	return rc;
}

int fileio_check_writable(const char *path)
{
	if (!path || !*path)
		return -ENOENT;
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (!S_ISREG(st.st_mode))
			return -EEXIST;
	} else if (errno != ENOENT) {
		return -errno;
	}
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = 0;
	else if (slash)
		*slash = 0;
	else
		strcpy(dir, ".");
	/* The temporary file is created in the directory: that is the
	 * permission the write needs (the file's own mode does not matter to
	 * rename). */
	int rc = 0;
	if (stat(dir, &st) < 0)
		rc = -errno;
	else if (!S_ISDIR(st.st_mode))
		rc = -ENOTDIR;
	else if (access(dir, W_OK | X_OK) < 0)
		rc = -errno;
	free(dir);
	return rc;
}

int root_write_existing(const struct root *r, const char *rel, const char *data, size_t len)
{
	/* procfs parses a sysctl write at offset 0 and needs no truncation; a
	 * regular file in a test tree does (15000 -> 0 must not leave 0\n000). */
	int flags = O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | (r->live ? 0 : O_TRUNC);
	int fd = root_openat(r, rel, flags);
	if (fd == -ENXIO) {
		/* A FIFO without a reader refuses a non-blocking writer: say
		 * what it is rather than "No such device or address". */
		struct stat st;
		if (root_stat(r, rel, &st) == 0 && !S_ISREG(st.st_mode))
			return FILEIO_E_NOTREG;
	}
	if (fd < 0)
		return fd;
	int rc = check_regular(fd);
	if (!rc)
		rc = write_all(fd, data, len);
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_fd(int fd, char ***names, size_t *n)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = -errno;
		close(fd);
		return e;
	}
	size_t cnt = 0, cap = 16;
	char **v = xmalloc(cap * sizeof(*v));
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (cnt + 1 >= cap) {
			cap *= 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[cnt++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(v, cnt, sizeof(*v), cmp_names);
	v[cnt] = NULL;
	*names = v;
	*n = cnt;
	return 0;
}

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC)

int root_list(const struct root *r, const char *rel, char ***names, size_t *n)
{
	int fd = root_openat(r, rel, DIR_FLAGS);
	if (fd < 0)
		return fd;
	return list_fd(fd, names, n);
}

int dir_list(const char *dir, char ***names, size_t *n)
{
	int fd = open(dir, DIR_FLAGS);
	if (fd < 0)
		return -errno;
	return list_fd(fd, names, n);
}

void fileio_names_free(char **names)
{
	if (!names)
		return;
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}
