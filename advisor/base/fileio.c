#include "fileio.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int root_open(struct root *r, const char *dir)
{
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st, rst;
	bool live = fstat(fd, &st) == 0 && stat("/", &rst) == 0 &&
		    st.st_dev == rst.st_dev && st.st_ino == rst.st_ino;
	r->dirfd = fd;
	r->path = xstrdup(dir);
	r->live = live;
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

int root_read(const struct root *r, const char *rel, size_t cap, char **out, size_t *len)
{
	int fd = openat(r->dirfd, strip_slash(rel), O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	int rc = read_fd(fd, cap, out, len);
	close(fd);
	return rc;
}

int file_read(const char *path, size_t cap, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	int rc = read_fd(fd, cap, out, len);
	close(fd);
	return rc;
}

bool root_exists(const struct root *r, const char *rel)
{
	return faccessat(r->dirfd, strip_slash(rel), F_OK, 0) == 0;
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

int fileio_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
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

int root_write_atomic(const struct root *r, const char *rel, const void *data, size_t len, mode_t mode)
{
	if (!r)
		return fileio_write_atomic(rel, data, len, mode);
	char *p = xasprintf("%s/%s", strcmp(r->path, "/") ? r->path : "", strip_slash(rel));
	int rc = fileio_write_atomic(p, data, len, mode);
	free(p);
	return rc;
}

int root_write_existing(const struct root *r, const char *rel, const char *data, size_t len)
{
	int fd = openat(r->dirfd, strip_slash(rel), O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	int rc = write_all(fd, data, len);
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

int root_list(const struct root *r, const char *rel, char ***names, size_t *n)
{
	int fd = openat(r->dirfd, strip_slash(rel), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return list_fd(fd, names, n);
}

int dir_list(const char *dir, char ***names, size_t *n)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
