/* util.c: errors and warnings with locations, file reading, paths, atomic writes */
#include "util.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int warnings;
/* Where this thread's warnings go instead of stderr (runs loaded in parallel keep theirs, so
 * they print in a fixed order); thread-local, set only by tf_warn_capture. */
static __thread struct buf *warn_sink;

void tf_warn_capture(struct buf *sink) { warn_sink = sink; }

static void vreport(const char *kind, const char *path, int line, int col,
		    const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "tfreport: ");
	if (path) {
		buf_puts(&b, path);
		if (line > 0)
			buf_printf(&b, ":%d", line);
		if (line > 0 && col > 0)
			buf_printf(&b, ":%d", col);
		buf_puts(&b, ": ");
	}
	buf_puts(&b, kind);
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	buf_puts(&b, msg);
	buf_putc(&b, '\n');
	if (warn_sink) {
		buf_add(warn_sink, b.data, b.len);
	} else {
		fflush(stdout);
		fwrite(b.data, 1, b.len, stderr);
	}
	buf_free(&b);
}

int tf_err(const char *path, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("", path, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

int tf_warn(const char *path, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("warning: ", path, line, col, fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&warnings, 1, __ATOMIC_RELAXED);
	return 0;
}

int tf_warn_count(void) { return warnings; }

/* Reads fd to its end into out; a short read of a regular file is its end, so small files
 * cost one read(2) and no fstat(2). */
static int read_fd(int fd, size_t max, struct buf *out)
{
	size_t start = out->len;
	for (;;) {
		if (out->cap - out->len < 2048)
			buf_grow(out, out->len - start < 8192 ? 4096 : out->len - start);
		size_t want = out->cap - out->len - 1;
		ssize_t n = read(fd, out->data + out->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		if (out->len - start > max) {
			errno = EFBIG;
			return -1;
		}
		if ((size_t)n < want)
			return 0;
	}
}

int read_file_at(int dirfd, const char *path, size_t max, struct buf *out)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	size_t start = out->len;
	int rc = read_fd(fd, max, out);
	int e = errno;
	close(fd);
	if (rc < 0) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		errno = e;
	}
	return rc;
}

int read_file(const char *path, size_t max, struct buf *out)
{
	return read_file_at(AT_FDCWD, path, max, out);
}

int dir_each_fd(int fd, dir_fn fn, void *ctx)
{
	char b[8192] __attribute__((aligned(8)));
	ssize_t n;
	int stop = 0;
	while (!stop && (n = getdents64(fd, b, sizeof b)) > 0) {
		for (ssize_t off = 0; !stop && off < n;) {
			struct dirent64 *e = (struct dirent64 *)(void *)(b + off);
			off += e->d_reclen;
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				stop = fn(ctx, e->d_name, e->d_type);
		}
	}
	return n < 0 ? -1 : 0;
}

int dir_each_at(int dirfd, const char *path, dir_fn fn, void *ctx)
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = dir_each_fd(fd, fn, ctx);
	int err = errno;
	close(fd);
	errno = err;
	return rc;
}

void text_linecol(const char *text, size_t off, int *line, int *col)
{
	int l = 1, c = 1;
	for (size_t i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; }
	else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; }
	else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; }
	else return 0;
	if (n < len)
		return 0;
	unsigned cp = c & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

char *utf8_repair(const char *s, size_t len, size_t *bad_off)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t k = utf8_seq(u + i, len - i);
		if (!k)
			break;
		i += k;
	}
	if (i >= len)
		return NULL;
	*bad_off = i;
	struct buf b = BUF_INIT;
	buf_add(&b, s, i);
	while (i < len) {
		size_t k = utf8_seq(u + i, len - i);
		if (k) {
			buf_add(&b, s + i, k);
			i += k;
		} else {
			buf_puts(&b, "\xEF\xBF\xBD");
			i++;
		}
	}
	return buf_detach(&b);
}

char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	if (n == 0)
		return xstrdup(name);
	if (dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

int tmpfile_beside(const char *path, char **tmp)
{
	const char *slash = strrchr(path, '/');
	*tmp = slash ? xasprintf("%.*s/.%s.tmpXXXXXX", (int)(slash - path), path, slash + 1)
		     : xasprintf(".%s.tmpXXXXXX", path);
	int fd = mkstemp(*tmp);
	if (fd < 0) {
		tf_err(path, 0, 0, "cannot create temporary file: %s", strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	fchmod(fd, 0644);
	return fd;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp;
	int fd = tmpfile_beside(path, &tmp);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "wb");
	int ok = f && fwrite(data, 1, len, f) == len && fflush(f) == 0 && !ferror(f);
	int e = errno;
	if (f) {
		if (fclose(f) != 0)
			ok = 0;
	} else {
		close(fd);
	}
	if (ok && fchmodat(AT_FDCWD, tmp, 0644, 0) == 0 && rename(tmp, path) == 0) {
		free(tmp);
		return 0;
	}
	if (ok)
		e = errno;
	unlink(tmp);
	free(tmp);
	return tf_err(path, 0, 0, "cannot write: %s", strerror(e));
}

static int stdout_failed;

void out_write(const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, stdout) != n)
		stdout_failed = 1;
}

int stdout_close(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || stdout_failed) {
		if (errno == EPIPE)
			return 0;
		return tf_err("stdout", 0, 0, "write error: %s", strerror(errno));
	}
	return 0;
}
