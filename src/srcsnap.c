/* srcsnap.c: choosing the files of a run's tfruns.d/source.tar.gz (srcarchive.c writes it) */
#include "srcsnap.h"
#include "buf.h"
#include "srcarchive.h"
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

struct src {
	char *path;   /* to open */
	char *member; /* name under source/ */
};

struct srclist {
	struct src *v;
	size_t n, cap;
};

/* Adds path when it is a regular file (a link to one counts). */
static void add(struct srclist *l, const char *path, const char *member)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n].path = xstrdup(path);
	l->v[l->n].member = xstrdup(member);
	l->n++;
}

static void list_free(struct srclist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].member);
	}
	free(l->v);
}

/* The member name of a path given by the user or matched by a glob. */
static char *member_of(const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		for (path += 2; *path == '/';)
			path++;
	const char *p = path;
	int dotdot = 0;
	for (;;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			dotdot = 1;
		if (!p[n])
			break;
		p += n + 1;
	}
	if (path[0] == '/' || dotdot || !*path) {
		const char *slash = strrchr(path, '/');
		return xstrdup(slash ? slash + 1 : path);
	}
	return xstrdup(path);
}

static const char *extension(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && dot != name ? dot + 1 : NULL;
}

struct dirlist {
	struct buf names; /* NUL-separated */
	const char *ext;
};

static int on_name(void *ctx, const char *name, unsigned char type)
{
	struct dirlist *d = ctx;
	const char *e = extension(name);
	if ((type == DT_REG || type == DT_LNK || type == DT_UNKNOWN) && e && !strcasecmp(e, d->ext))
		buf_add(&d->names, name, strlen(name) + 1);
	return 0;
}

static int cmp_src(const void *a, const void *b)
{
	return strcmp(((const struct src *)a)->member, ((const struct src *)b)->member);
}

/* The default sources: the script's siblings with its extension. */
static void list_default(struct srclist *l, const char *script)
{
	char *copy = xstrdup(script), *copy2 = xstrdup(script);
	const char *dir = dirname(copy), *base = basename(copy2);
	add(l, script, base);
	struct dirlist d = { BUF_INIT, extension(base) };
	if (d.ext && dir_each_at(AT_FDCWD, dir, on_name, &d) < 0)
		tf_warn(dir, 0, 0, "cannot list the sources: %s", strerror(errno));
	size_t first = l->n;
	for (size_t i = 0; i < d.names.len; i += strlen(d.names.data + i) + 1) {
		if (!strcmp(d.names.data + i, base))
			continue;
		char *p = strcmp(dir, ".") ? path_join(dir, d.names.data + i) : xstrdup(d.names.data + i);
		add(l, p, d.names.data + i);
		free(p);
	}
	qsort(l->v + first, l->n - first, sizeof *l->v, cmp_src);
	buf_free(&d.names);
	free(copy);
	free(copy2);
}

static void list_globs(struct srclist *l, const char *script, const char *const *globs, int n)
{
	struct srclist all = { NULL, 0, 0 };
	for (int i = 0; i < n; i++) {
		glob_t g;
		int rc = glob(globs[i], GLOB_BRACE, NULL, &g);
		size_t before = all.n;
		for (size_t k = 0; rc == 0 && k < g.gl_pathc; k++) {
			char *m = member_of(g.gl_pathv[k]);
			add(&all, g.gl_pathv[k], m);
			free(m);
		}
		if (rc == 0)
			globfree(&g);
		if (all.n == before)
			tf_warn(globs[i], 0, 0, "--source matches no file");
	}
	qsort(all.v, all.n, sizeof *all.v, cmp_src);
	size_t k = 0; /* one file per member name */
	for (size_t i = 0; i < all.n; i++) {
		if (k && !strcmp(all.v[k - 1].member, all.v[i].member)) {
			free(all.v[i].path);
			free(all.v[i].member);
		} else {
			all.v[k++] = all.v[i];
		}
	}
	all.n = k;
	/* the script first, when matched */
	struct stat ss, st;
	size_t s = all.n;
	if (script && stat(script, &ss) == 0)
		for (size_t i = 0; i < all.n && s == all.n; i++)
			if (stat(all.v[i].path, &st) == 0 && st.st_dev == ss.st_dev && st.st_ino == ss.st_ino)
				s = i;
	if (s < all.n)
		add(l, all.v[s].path, all.v[s].member);
	for (size_t i = 0; i < all.n; i++)
		if (i != s)
			add(l, all.v[i].path, all.v[i].member);
	list_free(&all);
}

/* Writes the listed files to dest through srcarchive.c. */
static int write_archive(const char *dest, const struct srclist *l)
{
	struct srcarchive_member *m = xcalloc(l->n, sizeof *m);
	for (size_t i = 0; i < l->n; i++)
		m[i] = (struct srcarchive_member){ l->v[i].path, l->v[i].member };
	int rc = srcarchive_write(dest, m, l->n, SRCSNAP_MAX_BYTES);
	free(m);
	return rc;
}

/* Keeps what fits in the limits, in order; warns about the rest. */
static void apply_limits(struct srclist *l, const char *dest)
{
	long total = 0;
	size_t kept = 0, dropped = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct stat st;
		long sz = stat(l->v[i].path, &st) == 0 ? (long)st.st_size : 0;
		if (kept < SRCSNAP_MAX_FILES && total + sz <= SRCSNAP_MAX_BYTES) {
			total += sz;
			l->v[kept++] = l->v[i];
		} else {
			dropped++;
			free(l->v[i].path);
			free(l->v[i].member);
		}
	}
	l->n = kept;
	if (dropped)
		tf_warn(dest, 0, 0, "%zu source files left out (at most %d files and %ld MB are saved)",
			dropped, SRCSNAP_MAX_FILES, SRCSNAP_MAX_BYTES >> 20);
}

int srcsnap_write(const char *dest, const char *script, const char *const *globs, int nglobs,
		  char **script_member)
{
	struct srclist l = { NULL, 0, 0 };
	if (script_member)
		*script_member = NULL;
	if (nglobs > 0)
		list_globs(&l, script, globs, nglobs);
	else if (script)
		list_default(&l, script);
	apply_limits(&l, dest);
	int rc = l.n ? write_archive(dest, &l) : 0;
	if (rc == 0 && script_member && l.n && script) {
		struct stat ss, st;
		if (stat(script, &ss) == 0 && stat(l.v[0].path, &st) == 0 && st.st_dev == ss.st_dev &&
		    st.st_ino == ss.st_ino)
			*script_member = xstrdup(l.v[0].member);
	}
	if (rc == 0)
		rc = (int)l.n;
	list_free(&l);
	return rc;
}
