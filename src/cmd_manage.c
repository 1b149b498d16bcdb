/* cmd_manage.c: `tfreport clean`, `purge` and `copy`: archive, delete and export runs without
 * ever losing one (tfruns clean_runs, purge_runs, copy_run, copy_run_files) */
#include "cli.h"
#include "fsops.h"
#include "listing.h"
#include "rundir.h"
#include "runs.h"
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

const struct optspec clean_opts[] = {
	{ "filter", 0, "EXPR", "the runs to move, selected as ls --filter selects them" },
	{ "yes", 'y', NULL, "do not ask on a terminal" },
	{ 0 },
};

const struct optspec purge_opts[] = {
	{ "yes", 'y', NULL, "do not ask on a terminal" },
	{ 0 },
};

const struct optspec copy_opts[] = {
	{ "to", 0, "DIR", "where to copy (default: the current directory; created if missing)" },
	{ "rename", 0, "NAME", "the copy's name, once per RUN in order (default: the run's name)" },
	{ "files-only", 0, NULL, "copy only the artifacts: leave out tfruns.d, plots and logs" },
	{ "yes", 'y', NULL, "do not ask on a terminal" },
	{ 0 },
};

/* A run to act on. */
struct item {
	char *shown; /* as the user or the listing named it */
	char *real;  /* realpath */
	char *name;  /* the name it gets (archive entry, copy) */
};

struct plan {
	struct item *v;
	size_t n;
};

static void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].shown);
		free(p->v[i].real);
		free(p->v[i].name);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

static void plan_add(struct plan *p, char *shown, char *real, char *name)
{
	p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
	p->v[p->n++] = (struct item){ shown, real, name };
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s && s[1] ? s + 1 : p;
}

static const char *runs_word(size_t n) { return n == 1 ? "run" : "runs"; }

/* A name for a run directory inside a directory: not empty, no '/', not . or ... */
static int bad_name(const char *what, const char *name)
{
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return tf_err(name, 0, 0, "%s must be a plain file name (no '/', not . or ..)", what);
	return 0;
}

static int is_run_dir(int dirfd, const char *path, int follow)
{
	char *meta = path_join(path, "tfruns.d");
	struct stat st;
	int ok = fstatat(dirfd, meta, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0 &&
		 S_ISDIR(st.st_mode);
	free(meta);
	return ok;
}

/* rename(2) that never replaces: a directory moved onto an empty one would replace it. */
static int rename_new(int fromfd, const char *from, int tofd, const char *to)
{
	if (renameat2(fromfd, from, tofd, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	struct stat st; /* a file system without RENAME_NOREPLACE: check, then rename */
	if (fstatat(tofd, to, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		errno = EEXIST;
		return -1;
	}
	return renameat(fromfd, from, tofd, to);
}

/* ---- clean ---- */

/* The runs dir's real path; NULL when it does not exist (*rc 0) or after an error. */
static char *real_runs_dir(const struct ctx *ctx, int *rc)
{
	char *rd = realpath(ctx->runs_dir, NULL);
	*rc = 0;
	if (!rd && errno != ENOENT)
		*rc = (tf_err(ctx->runs_dir, 0, 0, "cannot resolve the runs directory: %s",
			      strerror(errno)), EXIT_RUNTIME);
	return rd;
}

/* Adds the run at path to the plan if it is a run directly inside the runs dir rd; else
 * prints why not and returns EXIT_USAGE. */
static int confine(struct plan *p, const char *rd, const char *path)
{
	char *real = realpath(path, NULL);
	if (!real)
		return tf_err(path, 0, 0, "cannot resolve: %s", strerror(errno)), EXIT_USAGE;
	size_t n = strcmp(rd, "/") ? strlen(rd) : 0;
	const char *name = !strncmp(real, rd, n) && real[n] == '/' ? real + n + 1 : NULL;
	int rc = EXIT_OK;
	if (!name || !*name || strchr(name, '/'))
		rc = (tf_err(path, 0, 0, "resolves to %s, which is not a run in the runs directory "
			     "%s; refusing to move it", real, rd), EXIT_USAGE);
	else if (!strcmp(name, "archive"))
		rc = (tf_err(path, 0, 0, "is the archive itself"), EXIT_USAGE);
	else if (!is_run_dir(AT_FDCWD, real, 0))
		rc = (tf_err(path, 0, 0, "not a run directory (it has no tfruns.d)"), EXIT_USAGE);
	for (size_t i = 0; rc == EXIT_OK && i < p->n; i++)
		if (!strcmp(p->v[i].real, real)) { /* named twice, or a link to a run named too */
			free(real);
			return EXIT_OK;
		}
	if (rc != EXIT_OK) {
		free(real);
		return rc;
	}
	plan_add(p, xstrdup(path), real, xstrdup(name));
	return EXIT_OK;
}

/* The runs named by RUN arguments, by --filter, or all of them. */
static int clean_targets(const struct ctx *ctx, const struct opts *o, const char *rd,
			 struct plan *p)
{
	int rc = EXIT_OK;
	if (o->nargs) {
		for (int i = 0; i < o->nargs; i++) {
			char *path = runs_resolve(ctx->runs_dir, o->args[i]);
			int r = path ? confine(p, rd, path) : EXIT_USAGE;
			rc = rc ? rc : r;
			free(path);
		}
		return rc;
	}
	struct query q = { 0 };
	q.filter = opt_get(o, "filter");
	struct listing_result res;
	if ((rc = listing_query(ctx->runs_dir, &q, &res)))
		return rc;
	for (size_t i = 0; i < res.listing.nrows; i++) {
		int r = confine(p, rd, res.listing.rows[i]->path);
		rc = rc ? rc : r;
	}
	listing_result_free(&res);
	return rc;
}

/* Every run's archive name must be free before anything moves. */
static int archive_free(const char *archive, const struct plan *p)
{
	struct stat st;
	if (lstat(archive, &st) < 0)
		return errno == ENOENT ? 0 : tf_err(archive, 0, 0, "%s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return tf_err(archive, 0, 0, "exists and is not a directory; nothing moved");
	int rc = 0;
	for (size_t i = 0; i < p->n; i++) {
		char *dst = path_join(archive, p->v[i].name);
		if (lstat(dst, &st) == 0 || errno != ENOENT)
			rc = tf_err(dst, 0, 0, "already exists; nothing moved (rename or purge it first)");
		free(dst);
	}
	return rc;
}

static int clean_move(const struct ctx *ctx, const char *rd, const struct plan *p)
{
	char *archive = path_join(rd, "archive");
	char *shown = path_join(ctx->runs_dir, "archive");
	int rc = EXIT_OK;
	if (mkdir(archive, 0777) < 0 && errno != EEXIST)
		rc = (tf_err(shown, 0, 0, "cannot create: %s", strerror(errno)), EXIT_RUNTIME);
	int from = rc ? -1 : open(rd, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int to = rc ? -1 : open(archive, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (!rc && (from < 0 || to < 0))
		rc = (tf_err(from < 0 ? rd : shown, 0, 0, "cannot open: %s", strerror(errno)),
		      EXIT_RUNTIME);
	size_t moved = 0;
	for (size_t i = 0; !rc && i < p->n; i++) {
		if (rename_new(from, p->v[i].name, to, p->v[i].name) == 0) {
			moved++;
			continue;
		}
		char *dst = path_join(shown, p->v[i].name);
		tf_err(p->v[i].shown, 0, 0, "cannot move to %s: %s", dst, strerror(errno));
		free(dst);
		rc = EXIT_RUNTIME;
	}
	if (moved)
		printf("Moved %zu %s to %s (tfreport purge to remove permanently)\n", moved,
		       runs_word(moved), shown);
	if (from >= 0)
		close(from);
	if (to >= 0)
		close(to);
	free(archive);
	free(shown);
	return rc;
}

int cmd_clean(const struct ctx *ctx, const struct opts *o)
{
	if (o->nargs && opt_has(o, "filter")) {
		tf_err("--filter", 0, 0, "give RUN arguments or --filter, not both");
		return EXIT_USAGE;
	}
	int rc;
	char *rd = real_runs_dir(ctx, &rc);
	if (!rd) {
		if (!rc && o->nargs)
			rc = (tf_err(ctx->runs_dir, 0, 0, "no such runs directory"), EXIT_USAGE);
		if (!rc)
			printf("No runs found to clean.\n");
		return rc;
	}
	struct plan p = { 0 };
	rc = clean_targets(ctx, o, rd, &p);
	char *archive = path_join(rd, "archive");
	if (!rc && !p.n)
		printf("No runs found to clean.\n");
	else if (!rc && archive_free(archive, &p))
		rc = EXIT_RUNTIME;
	if (!rc && p.n) {
		char *q = xasprintf("Move %zu run %s to %s/archive?", p.n,
				    p.n == 1 ? "directory" : "directories", ctx->runs_dir);
		if (isatty(STDIN_FILENO) && !opt_has(o, "yes"))
			for (size_t i = 0; i < p.n; i++)
				printf("  %s\n", p.v[i].shown);
		if (cli_confirm(o, q))
			rc = clean_move(ctx, rd, &p);
		else
			rc = (fprintf(stderr, "Nothing moved.\n"), EXIT_RUNTIME);
		free(q);
	}
	free(archive);
	plan_free(&p);
	free(rd);
	return rc;
}

/* ---- purge ---- */

/* The run directories inside the archive (open as archfd): real directories, not links,
 * with a tfruns.d directory. Counts the other entries in *others. */
static void purge_targets(int archfd, const char *shown, struct plan *p, size_t *others)
{
	size_t n;
	char **names = fs_names(archfd, &n);
	*others = 0;
	for (size_t i = 0; names && names[i]; i++) {
		struct stat st;
		if (names[i][0] != '.' && fstatat(archfd, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISDIR(st.st_mode) && is_run_dir(archfd, names[i], 0))
			plan_add(p, path_join(shown, names[i]), NULL, xstrdup(names[i]));
		else
			++*others;
	}
	if (!names)
		tf_err(shown, 0, 0, "cannot read: %s", strerror(errno));
	fs_names_free(names);
}

int cmd_purge(const struct ctx *ctx, const struct opts *o)
{
	int rc;
	char *rd = real_runs_dir(ctx, &rc);
	char *shown = path_join(ctx->runs_dir, "archive");
	int archfd = -1;
	if (rd) {
		int rdfd = open(rd, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		/* The archive itself must be a directory of the runs dir, not a link elsewhere. */
		archfd = rdfd < 0 ? -1 : openat(rdfd, "archive", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						O_CLOEXEC);
		if (archfd < 0 && errno != ENOENT)
			rc = (tf_err(shown, 0, 0, "%s; nothing removed", errno == ELOOP || errno == ENOTDIR
				     ? "not a directory (a symbolic link?)" : strerror(errno)), EXIT_RUNTIME);
		if (rdfd >= 0)
			close(rdfd);
	}
	struct plan p = { 0 };
	size_t others = 0;
	if (archfd >= 0)
		purge_targets(archfd, shown, &p, &others);
	if (!rc && !p.n)
		printf("No runs found to purge.\n");
	if (!rc && p.n) {
		char *q = xasprintf("Permanently remove %zu run %s from %s?", p.n,
				    p.n == 1 ? "directory" : "directories", shown);
		if (isatty(STDIN_FILENO) && !opt_has(o, "yes"))
			for (size_t i = 0; i < p.n; i++)
				printf("  %s\n", p.v[i].shown);
		if (cli_confirm(o, q)) {
			size_t removed = 0;
			for (size_t i = 0; i < p.n; i++) {
				if (fs_remove_tree_at(archfd, p.v[i].name, p.v[i].shown) == 0)
					removed++;
				else
					rc = EXIT_RUNTIME;
			}
			printf("Permanently removed %zu %s\n", removed, runs_word(removed));
		} else {
			rc = (fprintf(stderr, "Nothing removed.\n"), EXIT_RUNTIME);
		}
		free(q);
	}
	if (others && !rc)
		printf("Left %zu %s in %s that %s not run directories\n", others,
		       others == 1 ? "entry" : "entries", shown, others == 1 ? "is" : "are");
	if (archfd >= 0)
		close(archfd);
	plan_free(&p);
	free(shown);
	free(rd);
	return rc;
}

/* ---- copy ---- */

static int copy_plan(const struct ctx *ctx, const struct opts *o, const char *to, struct plan *p)
{
	int nren;
	const char *const *ren = opt_all(o, "rename", &nren);
	if (nren && nren != o->nargs)
		return tf_err("--rename", 0, 0, "give one NAME per RUN (%d %s, %d %s), as tfruns: the "
			      "rename parameter must have the same length as the run_dir parameter",
			      o->nargs, o->nargs == 1 ? "run" : "runs", nren,
			      nren == 1 ? "name" : "names"), EXIT_USAGE;
	int rc = EXIT_OK;
	for (int i = 0; i < o->nargs; i++) {
		char *path = runs_resolve(ctx->runs_dir, o->args[i]);
		char *real = path ? realpath(path, NULL) : NULL;
		int r = EXIT_OK;
		if (!path)
			r = EXIT_USAGE;
		else if (!real)
			r = (tf_err(path, 0, 0, "cannot resolve: %s", strerror(errno)), EXIT_USAGE);
		else if (!is_run_dir(AT_FDCWD, real, 1))
			r = (tf_err(path, 0, 0, "not a run directory (it has no tfruns.d)"), EXIT_USAGE);
		else if (nren && bad_name("--rename", ren[i]))
			r = EXIT_USAGE;
		if (r) {
			free(path);
			free(real);
			rc = rc ? rc : r;
			continue;
		}
		const char *name = nren ? ren[i] : base_name(real);
		for (size_t k = 0; k < p->n; k++)
			if (!strcmp(p->v[k].name, name))
				r = (tf_err(o->args[i], 0, 0, "two runs would be copied to %s/%s; give "
					    "--rename", to, name), EXIT_USAGE);
		rc = rc ? rc : r;
		plan_add(p, path, real, xstrdup(name));
	}
	return rc;
}

/* Nothing is copied when a destination exists or lies inside a run being copied. */
static int copy_check(const char *to, const struct plan *p)
{
	char *realto = realpath(to, NULL);
	if (!realto)
		return tf_err(to, 0, 0, "cannot resolve: %s", strerror(errno));
	int rc = 0;
	for (size_t i = 0; i < p->n; i++) {
		size_t n = strlen(p->v[i].real);
		if (!strncmp(realto, p->v[i].real, n) && (realto[n] == '/' || !realto[n]))
			rc = tf_err(to, 0, 0, "is inside the run %s; nothing copied", p->v[i].shown);
		char *dst = path_join(to, p->v[i].name);
		struct stat st;
		if (lstat(dst, &st) == 0 || errno != ENOENT)
			rc = tf_err(dst, 0, 0, "already exists; nothing copied (copy never overwrites)");
		free(dst);
	}
	free(realto);
	return rc;
}

/* Copies one run into a hidden temporary beside its destination, then renames it into
 * place: a destination is either complete or absent. */
static int copy_one(const char *to, const struct item *it, int files_only)
{
	static const char *const system_dirs[] = { "tfruns.d", "plots", "logs", NULL };
	char *dst = path_join(to, it->name);
	char *tmpname = xasprintf(".%s.tfreport-copy-XXXXXX", it->name);
	char *tmp = path_join(to, tmpname);
	int rc = 0;
	if (!mkdtemp(tmp)) {
		free(tmpname);
		free(tmp);
		rc = tf_err(to, 0, 0, "cannot create a directory: %s", strerror(errno));
		free(dst);
		return rc;
	}
	int src = open(it->real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int out = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (src < 0 || out < 0)
		rc = tf_err(src < 0 ? it->shown : tmp, 0, 0, "cannot open: %s", strerror(errno));
	if (!rc)
		rc = fs_copy_dir(src, out, it->shown, dst, files_only ? system_dirs : NULL);
	if (!rc && rename_new(AT_FDCWD, tmp, AT_FDCWD, dst) < 0)
		rc = tf_err(dst, 0, 0, "cannot rename the copy into place: %s", strerror(errno));
	if (rc) {
		int tofd = open(to, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (tofd >= 0) {
			fs_remove_tree_at(tofd, base_name(tmp), tmp);
			close(tofd);
		}
	}
	if (src >= 0)
		close(src);
	if (out >= 0)
		close(out);
	free(tmpname);
	free(tmp);
	free(dst);
	return rc;
}

int cmd_copy(const struct ctx *ctx, const struct opts *o)
{
	if (!o->nargs) {
		tf_err(NULL, 0, 0, "copy: give the RUN(s) to copy (see tfreport copy --help)");
		return EXIT_USAGE;
	}
	int nto;
	opt_all(o, "to", &nto);
	if (nto > 1) {
		tf_err("--to", 0, 0, "give a single --to directory");
		return EXIT_USAGE;
	}
	const char *to = opt_has(o, "to") ? opt_get(o, "to") : ".";
	if (!*to) {
		tf_err("--to", 0, 0, "expected a directory");
		return EXIT_USAGE;
	}
	struct plan p = { 0 };
	int rc = copy_plan(ctx, o, to, &p);
	struct stat st;
	int existed = stat(to, &st) == 0;
	if (!rc && mkdir_p(to, 0777) < 0)
		rc = (tf_err(to, 0, 0, "cannot create: %s", strerror(errno)), EXIT_RUNTIME);
	if (!rc && copy_check(to, &p)) {
		if (!existed) /* leave no trace of a refused copy */
			rmdir(to);
		rc = EXIT_RUNTIME;
	}
	if (!rc) {
		char *q = xasprintf("Copy %zu %s to %s?", p.n, runs_word(p.n), to);
		if (isatty(STDIN_FILENO) && !opt_has(o, "yes"))
			for (size_t i = 0; i < p.n; i++) {
				char *dst = path_join(to, p.v[i].name);
				printf("  %s -> %s\n", p.v[i].shown, dst);
				free(dst);
			}
		if (cli_confirm(o, q)) {
			size_t copied = 0;
			for (size_t i = 0; i < p.n; i++) {
				if (copy_one(to, &p.v[i], opt_has(o, "files-only")) == 0)
					copied++;
				else
					rc = EXIT_RUNTIME;
			}
			if (opt_has(o, "files-only"))
				printf("Copied the artifacts of %zu %s to %s\n", copied, runs_word(copied), to);
			else
				printf("Copied %zu %s to %s\n", copied, runs_word(copied), to);
		} else {
			rc = (fprintf(stderr, "Nothing copied.\n"), EXIT_RUNTIME);
		}
		free(q);
	}
	plan_free(&p);
	return rc;
}
