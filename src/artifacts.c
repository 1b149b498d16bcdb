/* artifacts.c: snapshot of a working directory and copy of what a run's command changed */
#include "artifacts.h"
#include "buf.h"
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IGNORE_FILE ".tfreportignore"
#define MAX_EXCLUDE 8

/* One file or link. The path lives in the snapshot's name arena at off. */
struct entry {
	uint64_t ino;
	int64_t size, mtime_ns;
	uint32_t off, hash, mode;
};

struct pattern {
	char *pat;
	int anchored; /* has a '/': matched against the whole relative path */
	int dir_only; /* ended with '/' */
};

struct snapshot {
	char *dir;
	struct { dev_t dev; ino_t ino; } excl[MAX_EXCLUDE];
	int nexcl;
	struct pattern *ign;
	size_t nign;
	struct buf names;    /* NUL-terminated relative paths */
	struct entry *e;
	size_t n, cap;
	uint32_t *table;     /* open addressing: entry index + 1, 0 = empty */
	size_t tcap;         /* power of two */
};

static uint32_t hash_path(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

static void table_put(struct snapshot *s, uint32_t idx)
{
	size_t mask = s->tcap - 1, i = s->e[idx].hash & mask;
	while (s->table[i])
		i = (i + 1) & mask;
	s->table[i] = idx + 1;
}

static const struct entry *table_get(const struct snapshot *s, const char *p, size_t n,
				     uint32_t h)
{
	if (!s->tcap)
		return NULL;
	size_t mask = s->tcap - 1;
	for (size_t i = h & mask; s->table[i]; i = (i + 1) & mask) {
		const struct entry *e = &s->e[s->table[i] - 1];
		const char *q = s->names.data + e->off;
		if (e->hash == h && !memcmp(q, p, n) && q[n] == '\0')
			return e;
	}
	return NULL;
}

static void entry_fill(struct entry *e, const struct stat *st)
{
	e->ino = (uint64_t)st->st_ino;
	e->size = (int64_t)st->st_size;
	e->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	e->mode = (uint32_t)st->st_mode;
}

static int ignored(const struct snapshot *s, const char *name, const char *rel, int is_dir)
{
	for (size_t i = 0; i < s->nign; i++) {
		const struct pattern *p = &s->ign[i];
		if (p->dir_only && !is_dir)
			continue;
		if (p->anchored ? !fnmatch(p->pat, rel, FNM_PATHNAME)
				: !fnmatch(p->pat, name, 0))
			return 1;
	}
	return 0;
}

static int excluded_dir(const struct snapshot *s, const struct stat *st)
{
	for (int i = 0; i < s->nexcl; i++)
		if (s->excl[i].dev == st->st_dev && s->excl[i].ino == st->st_ino)
			return 1;
	return 0;
}

/* ---- the walk: a few threads share a queue of directories ---- */

#define MAX_WORKERS 4

struct pool {
	struct snapshot *s;  /* exclusions and patterns; in compare mode the table too */
	int root, compare;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char **q;            /* directories to list: "" (the root) or "a/b/" */
	size_t qn, qcap;
	int active, err;
};

/* What one thread found: entries whose paths live in its own arena, or changed paths. */
struct worker {
	struct pool *p;
	pthread_t tid;
	int fd;
	struct buf names;
	struct entry *e;
	size_t n, cap;
	struct buf changed;
	struct buf path, subdirs;
};

static void record(struct worker *w, const char *p, size_t n, const struct stat *st)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 4096;
		w->e = xrealloc(w->e, w->cap * sizeof *w->e);
	}
	struct entry *e = &w->e[w->n++];
	entry_fill(e, st);
	e->off = (uint32_t)w->names.len;
	e->hash = hash_path(p, n);
	buf_add(&w->names, p, n + 1);
}

static void compare(struct worker *w, const char *p, size_t n, const struct stat *st)
{
	const struct entry *old = table_get(w->p->s, p, n, hash_path(p, n));
	struct entry now;
	entry_fill(&now, st);
	if (old && old->ino == now.ino && old->size == now.size && old->mtime_ns == now.mtime_ns &&
	    old->mode == now.mode)
		return;
	buf_add(&w->changed, p, n + 1);
}

/* dir_each_fd callback: one entry of w->fd. */
static int on_entry(void *ctx, const char *name, unsigned char type)
{
	struct worker *w = ctx;
	const struct snapshot *s = w->p->s;
	if (!strcmp(name, ".git"))
		return 0;
	size_t base = w->path.len;
	buf_puts(&w->path, name);
	struct stat st;
	int is_dir = type == DT_DIR;
	if (!is_dir) {
		if (fstatat(w->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			goto out; /* gone meanwhile */
		is_dir = S_ISDIR(st.st_mode);
	}
	if (s->nign && ignored(s, name, w->path.data, is_dir))
		goto out;
	if (is_dir)
		buf_add(&w->subdirs, w->path.data, w->path.len + 1);
	else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
		(w->p->compare ? compare : record)(w, w->path.data, w->path.len, &st);
out:
	w->path.len = base;
	w->path.data[base] = '\0';
	return 0;
}

/* Opens rel under the root without following any symbolic link (openat2 where the kernel
 * has it; else only the last component is checked, the others were directories when found). */
static int open_dir(int root, const char *rel)
{
	if (!*rel)
		return dup(root);
	struct open_how how = { O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0,
				RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH };
	long fd = syscall(SYS_openat2, root, rel, &how, sizeof how);
	if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
		return (int)fd;
	return openat(root, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Lists one directory; queues its subdirectories. */
static void list_dir(struct worker *w, const char *rel)
{
	struct pool *p = w->p;
	int fd = open_dir(p->root, rel);
	struct stat st;
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
			tf_warn(*rel ? rel : ".", 0, 0, "cannot list artifacts: %s", strerror(errno));
		return;
	}
	if (fstat(fd, &st) < 0 || excluded_dir(p->s, &st)) {
		close(fd);
		return;
	}
	buf_reset(&w->path);
	buf_puts(&w->path, rel);
	w->subdirs.len = 0;
	w->fd = fd;
	if (dir_each_fd(fd, on_entry, w) < 0) {
		tf_warn(*rel ? rel : ".", 0, 0, "cannot list artifacts: %s", strerror(errno));
		p->err = -1;
	}
	close(fd);
	if (!w->subdirs.len)
		return;
	pthread_mutex_lock(&p->mu);
	for (size_t i = 0; i < w->subdirs.len; i += strlen(w->subdirs.data + i) + 1) {
		if (p->qn == p->qcap) {
			p->qcap = p->qcap ? p->qcap * 2 : 256;
			p->q = xrealloc(p->q, p->qcap * sizeof *p->q);
		}
		p->q[p->qn++] = xasprintf("%s/", w->subdirs.data + i);
	}
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->p;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->qn && p->active)
			pthread_cond_wait(&p->cv, &p->mu);
		if (!p->qn)
			break; /* nothing queued, nobody listing: done */
		char *rel = p->q[--p->qn];
		p->active++;
		pthread_mutex_unlock(&p->mu);
		list_dir(w, rel);
		free(rel);
		pthread_mutex_lock(&p->mu);
		if (!--p->active)
			pthread_cond_broadcast(&p->cv);
	}
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static int nworkers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

/* Moves what the workers recorded into s, and builds the table. */
static void merge(struct snapshot *s, struct worker *w, int nw)
{
	size_t total = 0, bytes = 0;
	for (int i = 0; i < nw; i++) {
		total += w[i].n;
		bytes += w[i].names.len;
	}
	s->e = xmalloc((total ? total : 1) * sizeof *s->e);
	buf_grow(&s->names, bytes);
	for (int i = 0; i < nw; i++) {
		uint32_t base = (uint32_t)s->names.len;
		buf_add(&s->names, w[i].names.data, w[i].names.len);
		for (size_t k = 0; k < w[i].n; k++) {
			s->e[s->n] = w[i].e[k];
			s->e[s->n++].off += base;
		}
	}
	s->cap = total;
	for (s->tcap = 4096; s->tcap < 2 * s->n;)
		s->tcap *= 2;
	s->table = xcalloc(s->tcap, sizeof *s->table);
	for (size_t i = 0; i < s->n; i++)
		table_put(s, (uint32_t)i);
}

/* Walks s->dir: records into s, or (changed not NULL) lists what differs from s. */
static int walk_root(struct snapshot *s, struct buf *changed)
{
	struct pool p = { .s = s, .compare = changed != NULL };
	p.root = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p.root < 0)
		return tf_err(s->dir, 0, 0, "cannot read the artifacts directory: %s", strerror(errno));
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	p.q = xmalloc(sizeof *p.q);
	p.q[p.qn++] = xstrdup("");
	p.qcap = 1;
	int nw = nworkers();
	struct worker *w = xcalloc((size_t)nw, sizeof *w);
	for (int i = 0; i < nw; i++) {
		w[i].p = &p;
		if (i && pthread_create(&w[i].tid, NULL, work, &w[i]) != 0) {
			nw = i;
			break;
		}
	}
	work(&w[0]);
	for (int i = 1; i < nw; i++)
		pthread_join(w[i].tid, NULL);
	if (!changed)
		merge(s, w, nw);
	for (int i = 0; i < nw; i++) {
		if (changed)
			buf_add(changed, w[i].changed.data, w[i].changed.len);
		buf_free(&w[i].names);
		free(w[i].e);
		buf_free(&w[i].changed);
		buf_free(&w[i].path);
		buf_free(&w[i].subdirs);
	}
	free(w);
	free(p.q);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	close(p.root);
	return p.err;
}

static void load_ignore(struct snapshot *s)
{
	char *path = path_join(s->dir, IGNORE_FILE);
	struct buf b = BUF_INIT;
	if (read_file(path, 1 << 20, &b) < 0) {
		if (errno != ENOENT)
			tf_warn(path, 0, 0, "cannot read: %s", strerror(errno));
		free(path);
		return;
	}
	free(path);
	char *save = NULL;
	for (char *l = strtok_r(b.data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(l);
		while (n && (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\r'))
			l[--n] = '\0';
		if (!n || l[0] == '#')
			continue;
		struct pattern p = { NULL, 0, 0 };
		if (l[n - 1] == '/') {
			p.dir_only = 1;
			l[--n] = '\0';
		}
		while (*l == '/') {
			p.anchored = 1;
			l++;
		}
		if (!*l)
			continue;
		if (strchr(l, '/'))
			p.anchored = 1;
		p.pat = xstrdup(l);
		s->ign = xrealloc(s->ign, (s->nign + 1) * sizeof *s->ign);
		s->ign[s->nign++] = p;
	}
	buf_free(&b);
}

struct snapshot *snapshot_take(const char *dir, const char *const *exclude, int nexclude)
{
	struct snapshot *s = xcalloc(1, sizeof *s);
	s->dir = xstrdup(dir);
	for (int i = 0; i < nexclude && s->nexcl < MAX_EXCLUDE; i++) {
		struct stat st;
		if (exclude[i] && stat(exclude[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			s->excl[s->nexcl].dev = st.st_dev;
			s->excl[s->nexcl].ino = st.st_ino;
			s->nexcl++;
		}
	}
	load_ignore(s);
	if (walk_root(s, NULL) < 0 && !s->n) {
		snapshot_free(s);
		return NULL;
	}
	return s;
}

size_t snapshot_count(const struct snapshot *s)
{
	return s ? s->n : 0;
}

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nign; i++)
		free(s->ign[i].pat);
	free(s->ign);
	buf_free(&s->names);
	free(s->e);
	free(s->table);
	free(s->dir);
	free(s);
}

/* ---- copying ---- */

/* Opens (creating as needed) the directory of rel's parent under root, each step without
 * following a symbolic link. Returns a directory fd (root itself, not to be closed, when rel
 * has no '/'), or -1. *base gets rel's last component. */
static int open_parent(int root, const char *rel, const char **base)
{
	int fd = root;
	const char *p = rel;
	for (const char *slash; (slash = strchr(p, '/'));) {
		char comp[256];
		size_t n = (size_t)(slash - p);
		if (n >= sizeof comp) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (mkdirat(fd, comp, 0777) < 0 && errno != EEXIST)
			goto fail;
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd != root)
			close(fd);
		fd = next;
		if (fd < 0)
			return -1;
		p = slash + 1;
	}
	*base = p;
	return fd;
fail:
	if (fd != root) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return -1;
}

static int copy_data(int in, int out)
{
	for (;;) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
		if (n == 0)
			return 0;
		if (n > 0)
			continue;
		if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)
			break;
		return -1;
	}
	char b[65536];
	for (;;) {
		ssize_t n = read(in, b, sizeof b);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t m = write(out, b + off, (size_t)(n - off));
			if (m < 0 && errno != EINTR)
				return -1;
			off += m > 0 ? m : 0;
		}
	}
}

/* Copies one file or link; returns 1 when copied, 0 when it vanished or is in the run
 * already (warned), -1 on an error (warned). */
static int copy_one(int src_root, int dst_root, const char *rel, const char *run_dir)
{
	struct stat st;
	if (fstatat(src_root, rel, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	const char *base;
	int dir = open_parent(dst_root, rel, &base), rc = -1, in = -1, out = -1;
	if (dir < 0)
		goto fail;
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlinkat(src_root, rel, target, sizeof target - 1);
		if (n < 0)
			goto fail;
		target[n] = '\0';
		if (symlinkat(target, dir, base) < 0)
			goto fail;
		rc = 1;
		goto done;
	}
	in = openat(src_root, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		goto fail;
	out = openat(dir, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     st.st_mode & 0777);
	if (out < 0 || copy_data(in, out) < 0)
		goto fail;
	rc = 1;
	goto done;
fail:
	if (errno == EEXIST) {
		char *p = path_join(run_dir, rel);
		tf_warn(p, 0, 0, "artifact not copied: the run already has this file");
		free(p);
		rc = 0;
	} else if (errno == ENOENT) {
		rc = 0;
	} else {
		tf_warn(rel, 0, 0, "cannot copy the artifact into %s: %s", run_dir, strerror(errno));
	}
done:
	if (out >= 0 && close(out) < 0 && rc == 1) {
		tf_warn(rel, 0, 0, "cannot copy the artifact into %s: %s", run_dir, strerror(errno));
		rc = -1;
	}
	if (in >= 0)
		close(in);
	if (dir >= 0 && dir != dst_root)
		close(dir);
	return rc;
}

int artifacts_copy(const struct snapshot *s, const char *run_dir, volatile sig_atomic_t *stop,
		   size_t *copied)
{
	*copied = 0;
	struct buf changed = BUF_INIT;
	int rc = walk_root((struct snapshot *)s, &changed);
	int src = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int dst = open(run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (src < 0 || dst < 0) {
		rc = tf_err(src < 0 ? s->dir : run_dir, 0, 0, "cannot copy artifacts: %s",
			    strerror(errno));
		changed.len = 0;
	}
	for (size_t i = 0; i < changed.len; i += strlen(changed.data + i) + 1) {
		if (stop && *stop) {
			tf_warn(run_dir, 0, 0, "artifact copy interrupted after %zu files", *copied);
			break;
		}
		if (copy_one(src, dst, changed.data + i, run_dir) > 0)
			++*copied;
	}
	if (src >= 0)
		close(src);
	if (dst >= 0)
		close(dst);
	buf_free(&changed);
	return rc;
}
