/* runs.c: the runs of a runs directory (tfruns list_run_dirs) and RUN arguments (as_run_dir) */
#include "runs.h"
#include "rundir.h"
#include "util.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *runs_dir_default(const char *dir)
{
	if (dir && *dir)
		return dir;
	const char *env = getenv("TFRUNS_RUNS_DIR");
	return env && *env ? env : "runs";
}

static int name_desc(const void *a, const void *b)
{
	return rundir_name_cmp(*(char *const *)b, *(char *const *)a);
}

static char **list_names(DIR *d, size_t *n)
{
	char **names = NULL;
	size_t cap = 0;
	*n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (e->d_type != DT_DIR && e->d_type != DT_LNK && e->d_type != DT_UNKNOWN)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[(*n)++] = xstrdup(e->d_name);
	}
	if (*n)
		qsort(names, *n, sizeof *names, name_desc);
	return names;
}

struct loader {
	const char *dir;
	char **names;
	size_t n;
	struct run **runs;
	int *errs;
	struct buf *warns;
	size_t next; /* next name to load, taken atomically */
};

static void load_one(struct loader *l, size_t i)
{
	char *p = path_join(l->dir, l->names[i]);
	l->runs[i] = run_load(p, l->names[i]);
	l->errs[i] = l->runs[i] ? 0 : errno;
	free(p);
}

static void *load_worker(void *arg)
{
	struct loader *l = arg;
	size_t i;
	while ((i = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED)) < l->n) {
		tf_warn_capture(&l->warns[i]);
		load_one(l, i);
		tf_warn_capture(NULL);
	}
	return NULL;
}

/* Loads every name, on as many threads as there are cores; warnings come out in name order. */
static void load_parallel(struct loader *l)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = cpus > 1 ? (size_t)(cpus < 8 ? cpus : 8) : 1;
	if (l->n < 64)
		nt = 1;
	pthread_t *t = xcalloc(nt, sizeof *t);
	size_t started = 0;
	for (size_t k = 1; k < nt; k++)
		if (pthread_create(&t[k], NULL, load_worker, l) == 0)
			started = k;
	load_worker(l);
	for (size_t k = 1; k <= started; k++)
		pthread_join(t[k], NULL);
	free(t);
	for (size_t i = 0; i < l->n; i++) {
		fwrite(l->warns[i].data ? l->warns[i].data : "", 1, l->warns[i].len, stderr);
		buf_free(&l->warns[i]);
	}
}

static void keep_runs(struct loader *l, struct runset *out)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->runs[i]) {
			out->v[out->n++] = l->runs[i];
		} else if (l->errs[i] != ENOENT && l->errs[i] != ENOTDIR) {
			char *p = path_join(l->dir, l->names[i]);
			tf_warn(p, 0, 0, "cannot read run directory: %s", strerror(l->errs[i]));
			free(p);
		}
	}
}

int runs_scan(const char *dir, size_t latest_n, struct runset *out)
{
	out->v = NULL;
	out->n = 0;
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return tf_warn(dir, 0, 0, "no runs directory here (no runs)");
		return tf_err(dir, 0, 0, "cannot read the runs directory: %s", strerror(errno));
	}
	size_t n;
	char **names = list_names(d, &n);
	closedir(d);
	size_t keep = latest_n && latest_n < n ? latest_n : n;
	out->v = xcalloc(keep + 1, sizeof *out->v);
	if (!latest_n) {
		struct loader l = { dir, names, n, xcalloc(n + 1, sizeof(struct run *)),
				    xcalloc(n + 1, sizeof(int)), xcalloc(n + 1, sizeof(struct buf)), 0 };
		fflush(stdout);
		load_parallel(&l);
		keep_runs(&l, out);
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		free(l.runs);
		free(l.errs);
		free(l.warns);
		return 0;
	}
	/* Newest name first; directories without tfruns.d are not runs and do not count. */
	for (size_t i = 0; i < n; i++) {
		if (out->n < keep) {
			char *p = path_join(dir, names[i]);
			struct run *r = run_load(p, names[i]);
			if (r)
				out->v[out->n++] = r;
			else if (errno != ENOENT && errno != ENOTDIR)
				tf_warn(p, 0, 0, "cannot read run directory: %s", strerror(errno));
			free(p);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

void runset_free(struct runset *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		run_free(rs->v[i]);
	free(rs->v);
	rs->v = NULL;
	rs->n = 0;
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *runs_resolve(const char *dir, const char *arg)
{
	if (is_dir(arg))
		return xstrdup(arg);
	char *p = path_join(dir, arg);
	if (is_dir(p))
		return p;
	free(p);
	tf_err(arg, 0, 0, "unknown run (not a directory, nor a run in %s)", dir);
	return NULL;
}

static const char *base_name(const char *p)
{
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		n--;
	size_t s = n;
	while (s > 0 && p[s - 1] != '/')
		s--;
	return p + s;
}

struct run *runs_load_arg(const char *dir, const char *arg)
{
	char *p = runs_resolve(dir, arg);
	if (!p)
		return NULL;
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	struct run *r = run_load(p, base_name(p));
	if (!r && (errno == ENOENT || errno == ENOTDIR))
		tf_err(p, 0, 0, "not a run directory (it has no tfruns.d)");
	else if (!r)
		tf_err(p, 0, 0, "cannot read run directory: %s", strerror(errno));
	free(p);
	return r;
}
