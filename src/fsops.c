/* fsops.c: confined file-system operations: recursive copy and removal that never follow a
 * symbolic link and never leave the tree they were given */
#include "fsops.h"
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct names {
	char **v;
	size_t n, cap;
};

static int add_name(void *ctx, const char *name, unsigned char type)
{
	(void)type;
	struct names *ns = ctx;
	if (ns->n + 1 >= ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 16;
		ns->v = xrealloc(ns->v, ns->cap * sizeof *ns->v);
	}
	ns->v[ns->n++] = xstrdup(name);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fs_names(int fd, size_t *n)
{
	struct names ns = { NULL, 0, 0 };
	/* dir_each_fd reads from the current offset: start from the beginning. */
	if (lseek(fd, 0, SEEK_SET) < 0 || dir_each_fd(fd, add_name, &ns) < 0) {
		int e = errno;
		ns.v = ns.v ? ns.v : xcalloc(1, sizeof *ns.v);
		ns.v[ns.n] = NULL;
		fs_names_free(ns.v);
		errno = e;
		return NULL;
	}
	if (!ns.v)
		ns.v = xcalloc(1, sizeof *ns.v);
	ns.v[ns.n] = NULL;
	if (ns.n > 1)
		qsort(ns.v, ns.n, sizeof *ns.v, name_cmp);
	if (n)
		*n = ns.n;
	return ns.v;
}

void fs_names_free(char **names)
{
	if (!names)
		return;
	for (size_t i = 0; names[i]; i++)
		free(names[i]);
	free(names);
}

/* ---- removal ---- */

static int remove_entry(int dirfd, const char *name, const char *path, dev_t dev)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : tf_err(path, 0, 0, "cannot remove: %s", strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
			return tf_err(path, 0, 0, "cannot remove: %s", strerror(errno));
		return 0;
	}
	if (st.st_dev != dev)
		return tf_err(path, 0, 0, "another file system is mounted here; left in place");
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return tf_err(path, 0, 0, "cannot open directory: %s", strerror(errno));
	/* A read-only directory of the user's (a Go module cache, say): make it writable. */
	if ((st.st_mode & S_IRWXU) != S_IRWXU && st.st_uid == geteuid())
		(void)fchmod(fd, (st.st_mode & 07777) | S_IRWXU);
	int rc = 0;
	char **names = fs_names(fd, NULL);
	if (!names) {
		rc = tf_err(path, 0, 0, "cannot read directory: %s", strerror(errno));
	} else {
		for (size_t i = 0; names[i]; i++) {
			char *p = path_join(path, names[i]);
			if (remove_entry(fd, names[i], p, dev) < 0)
				rc = -1;
			free(p);
		}
	}
	fs_names_free(names);
	close(fd);
	if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		rc = tf_err(path, 0, 0, "cannot remove directory: %s", strerror(errno));
	return rc;
}

int fs_remove_tree_at(int dirfd, const char *name, const char *path)
{
	struct stat parent;
	if (fstat(dirfd, &parent) < 0)
		return tf_err(path, 0, 0, "cannot remove: %s", strerror(errno));
	return remove_entry(dirfd, name, path, parent.st_dev);
}

/* ---- copy ---- */

static int copy_data(int in, int out)
{
	int fast = 1;
	char *b = NULL;
	for (;;) {
		ssize_t n;
		if (fast) {
			n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
			if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
				      errno == EOPNOTSUPP || errno == EPERM)) {
				fast = 0;
				continue;
			}
		} else {
			if (!b)
				b = xmalloc(1 << 17);
			n = read(in, b, 1 << 17);
			for (ssize_t off = 0; n > 0 && off < n;) {
				ssize_t w = write(out, b + off, (size_t)(n - off));
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0) {
					n = -1;
					break;
				}
				off += w;
			}
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(b);
			return n < 0 ? -1 : 0;
		}
	}
}

static int copy_file(int sfd, int dfd, const char *name, const struct stat *st,
		     const char *spath, const char *dpath)
{
	int in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return tf_err(spath, 0, 0, "cannot read: %s", strerror(errno));
	int out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		int e = errno;
		close(in);
		return tf_err(dpath, 0, 0, "cannot create: %s", strerror(e));
	}
	int rc = 0;
	if (copy_data(in, out) < 0)
		rc = tf_err(spath, 0, 0, "cannot copy to %s: %s", dpath, strerror(errno));
	struct timespec ts[2] = { st->st_atim, st->st_mtim };
	if (rc == 0 && (fchmod(out, st->st_mode & 07777) < 0 || futimens(out, ts) < 0))
		rc = tf_err(dpath, 0, 0, "cannot set mode and times: %s", strerror(errno));
	if (close(out) < 0 && rc == 0)
		rc = tf_err(dpath, 0, 0, "cannot write: %s", strerror(errno));
	close(in);
	return rc;
}

static int copy_link(int sfd, int dfd, const char *name, const struct stat *st,
		     const char *spath, const char *dpath)
{
	size_t cap = (size_t)st->st_size + 2;
	char *target;
	ssize_t n;
	for (;;) {
		target = xmalloc(cap);
		n = readlinkat(sfd, name, target, cap);
		if (n < 0 || (size_t)n < cap)
			break;
		free(target);
		cap *= 2;
	}
	if (n < 0) {
		int e = errno;
		free(target);
		return tf_err(spath, 0, 0, "cannot read the link: %s", strerror(e));
	}
	target[n] = '\0';
	int rc = 0;
	struct timespec ts[2] = { st->st_atim, st->st_mtim };
	if (symlinkat(target, dfd, name) < 0)
		rc = tf_err(dpath, 0, 0, "cannot create the link: %s", strerror(errno));
	else
		(void)utimensat(dfd, name, ts, AT_SYMLINK_NOFOLLOW);
	free(target);
	return rc;
}

static int copy_tree(int src, int dst, const char *spath, const char *dpath,
		     const char *const *skip);

static int copy_subdir(int sfd, int dfd, const char *name, const char *spath, const char *dpath)
{
	if (mkdirat(dfd, name, 0700) < 0)
		return tf_err(dpath, 0, 0, "cannot create directory: %s", strerror(errno));
	int s = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s < 0)
		return tf_err(spath, 0, 0, "cannot open directory: %s", strerror(errno));
	int d = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d < 0) {
		int e = errno;
		close(s);
		return tf_err(dpath, 0, 0, "cannot open directory: %s", strerror(e));
	}
	int rc = copy_tree(s, d, spath, dpath, NULL);
	close(s);
	close(d);
	return rc;
}

static int copy_entry(int sfd, int dfd, const char *name, const char *spath, const char *dpath)
{
	struct stat st;
	if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return tf_err(spath, 0, 0, "cannot read: %s", strerror(errno));
	switch (st.st_mode & S_IFMT) {
	case S_IFREG: return copy_file(sfd, dfd, name, &st, spath, dpath);
	case S_IFLNK: return copy_link(sfd, dfd, name, &st, spath, dpath);
	case S_IFDIR: return copy_subdir(sfd, dfd, name, spath, dpath);
	default:
		tf_warn(spath, 0, 0, "not a file, directory or link; not copied");
		return 0;
	}
}

static int skipped(const char *name, const char *const *skip)
{
	for (size_t i = 0; skip && skip[i]; i++)
		if (!strcmp(name, skip[i]))
			return 1;
	return 0;
}

static int copy_tree(int src, int dst, const char *spath, const char *dpath,
		     const char *const *skip)
{
	char **names = fs_names(src, NULL);
	if (!names)
		return tf_err(spath, 0, 0, "cannot read directory: %s", strerror(errno));
	int rc = 0;
	for (size_t i = 0; rc == 0 && names[i]; i++) {
		if (skipped(names[i], skip))
			continue;
		char *sp = path_join(spath, names[i]), *dp = path_join(dpath, names[i]);
		rc = copy_entry(src, dst, names[i], sp, dp);
		free(sp);
		free(dp);
	}
	fs_names_free(names);
	if (rc)
		return rc;
	/* Mode and times last: the copying itself changed the times, and a read-only directory
	 * could not have been filled. */
	struct stat st;
	if (fstat(src, &st) < 0)
		return tf_err(spath, 0, 0, "cannot read: %s", strerror(errno));
	struct timespec ts[2] = { st.st_atim, st.st_mtim };
	if (fchmod(dst, st.st_mode & 07777) < 0 || futimens(dst, ts) < 0)
		return tf_err(dpath, 0, 0, "cannot set mode and times: %s", strerror(errno));
	return 0;
}

int fs_copy_dir(int src, int dst, const char *srcpath, const char *dstpath,
		const char *const *skip)
{
	return copy_tree(src, dst, srcpath, dstpath, skip);
}
