/* recfile: create with an atomic header, append one line per write(),
 * rewrite atomically to keep the newest samples under a size bound. */
#include "recfile.h"
#include "history.h"

#include "../base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (w == 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static void sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
}

/* May path be (re)created?  Nothing there, or an earlier history. */
static int may_replace(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EEXIST;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	char head[sizeof(HIST_MAGIC)];
	ssize_t n = read(fd, head, sizeof(head));
	close(fd);
	/* both versions have magics of one length */
	if (n == (ssize_t)sizeof(head) &&
	    (!memcmp(head, HIST_MAGIC "\n", sizeof(head)) || !memcmp(head, HIST_MAGIC_V1 "\n", sizeof(head))))
		return 0;
	return st.st_size == 0 ? 0 : -EEXIST;
}

/* Write header + src[from, to) into a temporary file beside path, rename it
 * over path; the new descriptor (O_APPEND) in *fd_out. */
static int replace(const char *path, const char *header, size_t hlen, int src, off_t from, off_t to,
		   int *fd_out)
{
	char *dir = dir_of(path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	free(dir);
	int rc = 0;
	int fd = mkostemp(tmp, O_CLOEXEC | O_APPEND);
	if (fd < 0) {
		rc = -errno;
		free(tmp);
		return rc;
	}
	rc = write_all(fd, header, hlen);
	char chunk[65536];
	for (off_t off = from; !rc && off < to;) {
		size_t want = (size_t)(to - off) < sizeof(chunk) ? (size_t)(to - off) : sizeof(chunk);
		ssize_t r = pread(src, chunk, want, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = r < 0 ? -errno : -EIO;
			break;
		}
		rc = write_all(fd, chunk, (size_t)r);
		off += r;
	}
	if (!rc && fchmod(fd, 0644) < 0)
		rc = -errno;
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc) {
		close(fd);
		unlink(tmp);
	} else {
		sync_dir(path);
		*fd_out = fd;
	}
	free(tmp);
	return rc;
}

int recfile_create(const char *path, const char *header, size_t header_len, size_t max,
		   size_t line_hint, struct recfile *out, size_t *min_max)
{
	if (max) {
		size_t need = header_len + 8 * (line_hint ? line_hint : 512);
		size_t least = need + need / 3 + 1; /* kept = 3/4 max >= need */
		if (max / 4 * 3 < need) {
			if (min_max)
				*min_max = least;
			return -ENOSPC;
		}
	}
	int rc = may_replace(path);
	if (rc)
		return rc;
	int fd;
	rc = replace(path, header, header_len, -1, 0, 0, &fd);
	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	out->fd = fd;
	out->path = xstrdup(path);
	out->header = xmalloc(header_len);
	memcpy(out->header, header, header_len);
	out->header_len = header_len;
	out->size = (off_t)header_len;
	out->max = max;
	return 0;
}

int recfile_open_append(const char *path, size_t header_len, size_t end, size_t max, struct recfile *out)
{
	int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ELOOP ? -EEXIST : -errno;
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) < 0)
		rc = -errno;
	else if (S_ISDIR(st.st_mode))
		rc = -EISDIR;
	else if (!S_ISREG(st.st_mode) || header_len > end || (off_t)end > st.st_size)
		rc = -EEXIST;
	else if ((off_t)end < st.st_size && ftruncate(fd, (off_t)end) < 0)
		rc = -errno;
	char *header = NULL;
	if (!rc) {
		header = xmalloc(header_len ? header_len : 1);
		for (size_t got = 0; got < header_len;) {
			ssize_t r = pread(fd, header + got, header_len - got, (off_t)got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				rc = r < 0 ? -errno : -EIO;
				break;
			}
			got += (size_t)r;
		}
	}
	if (rc) {
		free(header);
		close(fd);
		return rc;
	}
	memset(out, 0, sizeof(*out));
	out->fd = fd;
	out->path = xstrdup(path);
	out->header = header;
	out->header_len = header_len;
	out->size = (off_t)end;
	out->max = max;
	return 0;
}

/* Keep the newest whole lines that fit in 3/4 of max beside the header. */
static int trim(struct recfile *rf)
{
	off_t keep = (off_t)(rf->max / 4 * 3) - (off_t)rf->header_len;
	off_t from = rf->size - keep;
	if (from < (off_t)rf->header_len)
		from = (off_t)rf->header_len;
	/* advance to the start of a line: the byte after the first '\n' at or after from-1 */
	char c;
	for (off_t off = from - 1; off < rf->size; off++) {
		ssize_t r = pread(rf->fd, &c, 1, off);
		if (r < 0 && errno == EINTR) {
			off--;
			continue;
		}
		if (r != 1)
			return r < 0 ? -errno : -EIO;
		if (c == '\n') {
			from = off + 1;
			break;
		}
	}
	int fd;
	int rc = replace(rf->path, rf->header, rf->header_len, rf->fd, from, rf->size, &fd);
	if (rc)
		return rc;
	close(rf->fd);
	rf->fd = fd;
	rf->size = (off_t)rf->header_len + (rf->size - from);
	rf->trims++;
	return 0;
}

int recfile_append(struct recfile *rf, const char *line, size_t len)
{
	if (rf->max && (size_t)rf->size + len > rf->max) {
		int rc = trim(rf);
		if (rc)
			return rc;
	}
	/* one write(): with O_APPEND the line lands whole or, if the process
	 * dies inside the call, as a torn tail the reader drops */
	ssize_t w;
	do
		w = write(rf->fd, line, len);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return -errno;
	rf->size += w;
	if ((size_t)w != len)
		return -ENOSPC; /* short write on a regular file: the disk is full */
	return 0;
}

int recfile_sync(struct recfile *rf)
{
	return fdatasync(rf->fd) < 0 ? -errno : 0;
}

int recfile_close(struct recfile *rf)
{
	if (!rf || !rf->path)
		return 0;
	int rc = 0;
	if (fsync(rf->fd) < 0)
		rc = -errno;
	if (close(rf->fd) < 0 && !rc)
		rc = -errno;
	free(rf->path);
	free(rf->header);
	memset(rf, 0, sizeof(*rf));
	rf->fd = -1;
	return rc;
}
