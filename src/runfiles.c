/* runfiles.c: what a run directory holds besides its metadata: files (artifacts) and plots */
#include "runfiles.h"
#include "util.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 64

/* Total size under directory fd, never following symbolic links. */
static long long tree_size(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	long long total = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
			int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0)
				total += tree_size(sub, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			total += st.st_size;
		}
	}
	closedir(d);
	return total;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct run_entry *)a)->name, ((const struct run_entry *)b)->name);
}

static void push(struct run_entries *out, size_t *cap, struct run_entry e)
{
	if (out->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		out->v = xrealloc(out->v, *cap * sizeof *out->v);
	}
	out->v[out->n++] = e;
}

static struct run_entry describe(int dfd, const char *name, const char *shown, const char *dir)
{
	struct run_entry e = { xstrdup(shown), '?', -1 };
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		char *p = path_join(dir, name);
		tf_warn(p, 0, 0, "cannot read: %s", strerror(errno));
		free(p);
		return e;
	}
	if (S_ISLNK(st.st_mode)) {
		e.kind = 'l';
		e.size = st.st_size;
	} else if (S_ISDIR(st.st_mode)) {
		e.kind = 'd';
		int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		e.size = sub >= 0 ? tree_size(sub, 1) : -1;
	} else if (S_ISREG(st.st_mode)) {
		e.kind = 'f';
		e.size = st.st_size;
	}
	return e;
}

typedef int (*keep_fn)(const char *name);

static void list_dir(const char *dir, const char *prefix, keep_fn keep, struct run_entries *out)
{
	memset(out, 0, sizeof *out);
	DIR *d = opendir(dir);
	if (!d) {
		if (errno != ENOENT)
			tf_warn(dir, 0, 0, "cannot read: %s", strerror(errno));
		return;
	}
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !keep(e->d_name))
			continue;
		char *shown = xasprintf("%s%s", prefix, e->d_name);
		push(out, &cap, describe(dirfd(d), e->d_name, shown, dir));
		free(shown);
	}
	closedir(d);
	if (out->n)
	qsort(out->v, out->n, sizeof *out->v, entry_cmp);
}

static int not_system(const char *name)
{
	return strcmp(name, "tfruns.d") && strcmp(name, "plots") && strcmp(name, "logs");
}

static int is_image(const char *name)
{
	static const char *const ext[] = { ".png", ".jpg", ".jpeg", ".gif", ".svg", NULL };
	size_t n = strlen(name);
	for (int i = 0; ext[i]; i++) {
		size_t k = strlen(ext[i]);
		if (n > k && !strcasecmp(name + n - k, ext[i]))
			return 1;
	}
	return 0;
}

void run_list_files(const struct run *r, struct run_entries *out)
{
	list_dir(r->path, "", not_system, out);
}

void run_list_plots(const struct run *r, struct run_entries *out)
{
	char *dir = path_join(r->path, "plots");
	list_dir(dir, "plots/", is_image, out);
	free(dir);
}

static int is_page(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && !strcasecmp(name + n - 5, ".html")) || (n > 4 && !strcasecmp(name + n - 4, ".htm"));
}

void run_list_plot_pages(const struct run *r, struct run_entries *out)
{
	char *dir = path_join(r->path, "plots");
	list_dir(dir, "plots/", is_page, out);
	free(dir);
}

void run_entries_free(struct run_entries *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].name);
	free(e->v);
	memset(e, 0, sizeof *e);
}
