/* cmd_tune.c: `tfreport tune`: one `tfreport run` per combination of flag values (tfruns
 * tuning_run), run here N at a time or written out for GNU parallel or Slurm */
#include "cli.h"
#include "columns.h"
#include "grid.h"
#include "rundir.h"
#include "runs.h"
#include "table.h"
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

const struct optspec tune_opts[] = {
	{ "flag", 0, "NAME=V1,V2,...", "values to try for a flag, comma-separated (repeatable; the first flag varies fastest)" },
	{ "grid", 0, "FILE", "combinations from a CSV, JSON or YAML file (one row each, or lists to combine)" },
	{ "sample", 0, "F", "run a random ceil(F*N) of the N combinations (0 < F <= 1)" },
	{ "seed", 0, "N", "seed of --sample's random choice, to repeat it" },
	{ "jobs", 'j', "N", "trials run at once (default 1)" },
	{ "yes", 'y', NULL, "do not ask before starting" },
	{ "dry-run", 'n', NULL, "print the plan (the combinations to run) and exit" },
	{ "emit", 0, "FILE", "write one `tfreport run` command per trial to FILE (- for stdout) instead of running them" },
	{ "tuning-id", 0, "ID", "the tuning_id property of the trials (default: a new one)" },
	{ "resume", 0, NULL, "skip the combinations that already have a completed run with this tuning_id" },
	{ "objective", 0, "[min:|max:]COL", "order the summary best first by this column (e.g. eval_acc, min:eval_loss)" },
	{ "flags-file", 0, "FILE", "passed to each run: the flags file (default flags.yml)" },
	{ "config", 0, "NAME", "passed to each run: the flags file's config section" },
	{ "property", 0, "KEY=VALUE", "passed to each run: a property to record (repeatable)" },
	{ "context", 0, "NAME", "passed to each run: the context property" },
	{ "source", 0, "GLOB", "passed to each run: source files to snapshot (repeatable)" },
	{ "artifacts-dir", 0, "DIR", "passed to each run: where to look for artifacts" },
	{ "no-artifacts", 0, NULL, "passed to each run: copy no artifacts" },
	{ "no-flag-args", 0, NULL, "passed to each run: do not append --name=value to the command" },
	{ 0 },
};

/* The options given on to every `tfreport run`, in this order. */
static const char *const passthrough[] = {
	"flags-file", "config", "property", "context", "source", "artifacts-dir", "no-artifacts",
	"no-flag-args",
};

struct tune {
	const struct ctx *ctx;
	const struct opts *o;
	struct grid g;
	const char *tuning_id;
	char *own_id;
	size_t *trials; /* combination indices to run, in order */
	size_t ntrials;
	size_t total;
	char *exe;      /* the program for the trials */
	int use_path;   /* exe is looked up in PATH */
	const char *objective;
	int minimise;
};

/* ---- argument vectors ---- */

struct argv {
	char **v;
	size_t n;
};

static void av_add(struct argv *a, char *s)
{
	a->v = xrealloc(a->v, (a->n + 2) * sizeof *a->v);
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

static void av_free(struct argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
}

/* The flag names as `tfreport run` records them ('-' read as '_'). */
static char *flag_key(const char *name)
{
	char *k = xstrdup(name);
	for (char *p = k; *p; p++)
		if (*p == '-')
			*p = '_';
	return k;
}

/* "a=1, b=10" */
static char *flags_text(const struct grid *g, const char **vals)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "");
	for (size_t k = 0; k < g->nnames; k++)
		if (vals[k])
			buf_printf(&b, "%s%s=%s", b.len ? ", " : "", g->names[k], vals[k]);
	return buf_detach(&b);
}

/* tfreport --runs-dir DIR run --flag N=V... [options] --property tuning_id=ID -- COMMAND... */
static void trial_argv(const struct tune *t, size_t idx, struct argv *a)
{
	const char **vals = xcalloc(t->g.nnames + 1, sizeof *vals);
	grid_combination(&t->g, idx, vals);
	av_add(a, xstrdup(t->exe));
	av_add(a, xstrdup("--runs-dir"));
	av_add(a, xstrdup(t->ctx->runs_dir));
	av_add(a, xstrdup("run"));
	for (size_t k = 0; k < t->g.nnames; k++)
		if (vals[k]) {
			av_add(a, xstrdup("--flag"));
			av_add(a, xasprintf("%s=%s", t->g.names[k], vals[k]));
		}
	for (size_t i = 0; i < sizeof passthrough / sizeof passthrough[0]; i++) {
		const char *const *all = opt_all(t->o, passthrough[i], NULL);
		for (; *all; all++) {
			av_add(a, xasprintf("--%s", passthrough[i]));
			if (**all || strncmp(passthrough[i], "no-", 3))
				av_add(a, xstrdup(*all));
		}
	}
	av_add(a, xstrdup("--property"));
	av_add(a, xasprintf("tuning_id=%s", t->tuning_id));
	av_add(a, xstrdup("--"));
	for (int i = 0; i < t->o->nargs; i++)
		av_add(a, xstrdup(t->o->args[i]));
	free(vals);
}

/* ---- the program the trials run ---- */

static char *self_exe(void)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n > 0) {
		buf[n] = 0;
		return xstrdup(buf);
	}
	return NULL;
}

/* 1 when `tfreport` found in PATH is the file exe. */
static int path_finds(const char *exe)
{
	struct stat me, st;
	const char *path = getenv("PATH");
	if (!path || stat(exe, &me))
		return 0;
	while (*path) {
		size_t n = strcspn(path, ":");
		char *dir = n ? xstrndup(path, n) : xstrdup(".");
		char *f = path_join(dir, "tfreport");
		int found = !stat(f, &st) && !access(f, X_OK);
		free(dir);
		free(f);
		if (found)
			return st.st_dev == me.st_dev && st.st_ino == me.st_ino;
		path += n + (path[n] == ':');
	}
	return 0;
}

/* ---- shell quoting (for --emit) ---- */

static void shell_word(struct buf *b, const char *s)
{
	int plain = *s != 0;
	for (const char *p = s; *p && plain; p++)
		plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			strchr("_./=:,@%+-", *p);
	if (plain) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '\'');
	for (; *s; s++)
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *s);
	buf_putc(b, '\'');
}

/* ---- runs already recorded ---- */

/* The index of the combination run r was made with, or (size_t)-1. Among equal rows of a
 * grid file, the first one not yet done. */
static size_t run_combination(const struct grid *g, const struct run *r, const unsigned char *done)
{
	int *type = xcalloc(g->nnames + 1, sizeof *type);
	char **rec = xcalloc(g->nnames + 1, sizeof *rec);
	for (size_t k = 0; k < g->nnames; k++) {
		char *key = flag_key(g->names[k]);
		for (size_t i = 0; i < r->nflags; i++) {
			const struct value *v = &r->flags[i].v;
			if (strcmp(r->flags[i].name, key) || v->type == V_NA)
				continue;
			struct buf b = BUF_INIT;
			value_text(&b, v);
			buf_puts(&b, "");
			type[k] = v->type == V_NUM ? GRID_REC_NUM : v->type == V_BOOL ? GRID_REC_BOOL : GRID_REC_STR;
			rec[k] = buf_detach(&b);
		}
		free(key);
	}
	size_t rest = 0, scale = 1, found = (size_t)-1, R = g->nrows ? g->nrows : 1;
	int ok = 1;
	for (size_t a = 0; a < g->naxes && ok; a++) {
		size_t k = g->nrowkeys + a, v = 0;
		while (v < g->axes[a].n && !grid_value_matches(g->axes[a].vals[v], type[k], rec[k]))
			v++;
		ok = v < g->axes[a].n;
		rest += v * scale;
		scale *= g->axes[a].n;
	}
	for (size_t row = 0; ok && row < R; row++) {
		size_t k = 0;
		while (k < g->nrowkeys && grid_value_matches(g->rows[row][k], type[k], rec[k]))
			k++;
		if (k < g->nrowkeys)
			continue;
		size_t idx = row + R * rest;
		if (found == (size_t)-1)
			found = idx;
		if (!done || !done[idx]) {
			found = idx;
			break;
		}
	}
	for (size_t k = 0; k < g->nnames; k++)
		free(rec[k]);
	free(rec);
	free(type);
	return found;
}

static const char *run_tuning_id(struct run *r)
{
	const struct value *v = run_prop(r, "tuning_id");
	return v && v->type == V_STR ? v->str : NULL;
}

/* The runs of the runs dir (none when it does not exist yet). */
static int scan(const char *dir, struct runset *rs)
{
	struct stat st;
	memset(rs, 0, sizeof *rs);
	if (stat(dir, &st) && errno == ENOENT)
		return 0;
	return runs_scan(dir, 0, rs);
}

/* --resume: drops the trials whose combination has a completed run of this tuning; without
 * --tuning-id, first finds the newest tuning with a run of one of these combinations. */
static int resume(struct tune *t)
{
	struct runset rs;
	if (scan(t->ctx->runs_dir, &rs))
		return -1;
	if (!t->tuning_id) {
		for (size_t i = 0; i < rs.n && !t->tuning_id; i++) {
			const char *id = run_tuning_id(rs.v[i]);
			if (id && run_combination(&t->g, rs.v[i], NULL) != (size_t)-1)
				t->tuning_id = t->own_id = xstrdup(id);
		}
		if (!t->tuning_id)
			fprintf(stderr, "No earlier tuning run has these flags: starting a new one\n");
	}
	unsigned char *done = xcalloc(t->total, 1);
	for (size_t i = 0; t->tuning_id && i < rs.n; i++) {
		const char *id = run_tuning_id(rs.v[i]);
		if (!id || strcmp(id, t->tuning_id) || strcmp(run_status(rs.v[i]), "completed"))
			continue;
		size_t c = run_combination(&t->g, rs.v[i], done);
		if (c != (size_t)-1)
			done[c] = 1;
	}
	size_t k = 0;
	for (size_t i = 0; i < t->ntrials; i++)
		if (!done[t->trials[i]])
			t->trials[k++] = t->trials[i];
	if (t->tuning_id)
		fprintf(stderr, "Resuming tuning %s: %zu of %zu combinations already completed\n",
			t->tuning_id, t->ntrials - k, t->ntrials);
	t->ntrials = k;
	free(done);
	runset_free(&rs);
	return 0;
}

/* ---- the summary ---- */

struct srow {
	struct run *run;
	size_t comb;
	struct value key;
};

/* Rows with a value first, best first; then the grid's order. */
static int srow_cmp(const void *a, const void *b, void *minimise)
{
	const struct srow *x = a, *y = b;
	if ((x->key.type == V_NA) != (y->key.type == V_NA))
		return x->key.type == V_NA ? 1 : -1;
	if (x->key.type != V_NA) {
		int c = value_cmp(&x->key, &y->key);
		if (c)
			return *(const int *)minimise ? c : -c;
	}
	if (x->comb != y->comb)
		return x->comb < y->comb ? -1 : 1;
	return strcmp(x->run->name, y->run->name);
}

/* Every run of the tuning, best first by the objective, else in the grid's order. */
static int summary(const struct tune *t)
{
	struct runset rs;
	if (scan(t->ctx->runs_dir, &rs))
		return -1;
	struct srow *rows = xcalloc(rs.n + 1, sizeof *rows);
	size_t n = 0;
	struct colset cs;
	colset_init(&cs);
	for (size_t i = 0; i < rs.n; i++) {
		const char *id = run_tuning_id(rs.v[i]);
		if (!id || strcmp(id, t->tuning_id))
			continue;
		rows[n].run = rs.v[i];
		rows[n++].comb = run_combination(&t->g, rs.v[i], NULL);
		colset_add_run(&cs, rs.v[i]);
	}
	const struct column **cols = xcalloc(t->g.nnames + 4, sizeof *cols), *obj = NULL;
	size_t ncols = 0;
	cols[ncols++] = colset_find(&cs, "run_dir");
	for (size_t k = 0; k < t->g.nnames; k++) {
		char *key = flag_key(t->g.names[k]), *name = xasprintf("flag_%s", key);
		const struct column *c = colset_find(&cs, name);
		if (c)
			cols[ncols++] = c;
		free(key);
		free(name);
	}
	if ((cols[ncols] = colset_find(&cs, "status")))
		ncols++;
	if (t->objective && n) {
		obj = colset_find(&cs, t->objective);
		if (!obj)
			tf_warn("--objective", 0, 0, "no run of this tuning has a value for '%s'", t->objective);
		else if (strncmp(t->objective, "flag_", 5) && strcmp(t->objective, "status"))
			cols[ncols++] = obj;
	}
	for (size_t i = 0; i < n; i++) {
		struct value scratch = VALUE_NA;
		const struct value *v = obj ? column_value(rows[i].run, obj, &scratch) : NULL;
		rows[i].key = v && v->type != V_NA ? value_copy(v) : VALUE_NA;
		value_free(&scratch);
	}
	qsort_r(rows, n, sizeof *rows, srow_cmp, (void *)&t->minimise);
	if (n && cols[0]) {
		struct listing l = { xcalloc(n, sizeof(struct run *)), n, cols, ncols, NULL, 0 };
		for (size_t i = 0; i < n; i++)
			l.rows[i] = rows[i].run;
		struct buf out = BUF_INIT;
		listing_render(&out, &l, FMT_TABLE, cli_terminal_width());
		out_write(out.data, out.len);
		buf_free(&out);
		free(l.rows);
	}
	for (size_t i = 0; i < n; i++)
		value_free(&rows[i].key);
	free(rows);
	free(cols);
	colset_free(&cs);
	runset_free(&rs);
	return 0;
}

/* ---- running the trials ---- */

static volatile sig_atomic_t stop_signal;
static volatile pid_t running_pids[1024];

static void on_signal(int sig, siginfo_t *info, void *uctx)
{
	(void)uctx;
	stop_signal = sig;
	/* A Ctrl-C on the terminal reaches the trials by itself; anything sent to tune alone is
	 * passed on. */
	if (sig == SIGINT && info && info->si_code != SI_USER && info->si_code != SI_QUEUE)
		return;
	for (size_t i = 0; i < sizeof running_pids / sizeof running_pids[0]; i++)
		if (running_pids[i] > 0)
			kill(running_pids[i], sig);
}

static void status_text(char *out, size_t n, int st)
{
	if (WIFSIGNALED(st))
		snprintf(out, n, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		snprintf(out, n, "exit status %d", WEXITSTATUS(st));
}

struct slot {
	pid_t pid;
	size_t i; /* trial number, from 0 */
};

static int spawn_trial(const struct tune *t, size_t i, int quiet_stdin, pid_t *pid)
{
	struct argv a = { 0 };
	const char **vals = xcalloc(t->g.nnames + 1, sizeof *vals);
	grid_combination(&t->g, t->trials[i], vals);
	char *ft = flags_text(&t->g, vals);
	fprintf(stderr, "Training run %zu/%zu (flags = %s)\n", i + 1, t->ntrials, ft);
	free(ft);
	free(vals);
	trial_argv(t, t->trials[i], &a);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (quiet_stdin)
		posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	free(a.v[0]);
	a.v[0] = xstrdup("tfreport");
	int e = t->use_path ? posix_spawnp(pid, t->exe, &fa, NULL, a.v, environ)
			    : posix_spawn(pid, t->exe, &fa, NULL, a.v, environ);
	posix_spawn_file_actions_destroy(&fa);
	av_free(&a);
	if (e)
		return tf_err(t->exe, 0, 0, "cannot start a trial: %s", strerror(e));
	return 0;
}

/* Runs the trials, jobs at a time. Returns the exit status. */
static int run_trials(const struct tune *t, int jobs)
{
	struct slot *slots = xcalloc((size_t)jobs, sizeof *slots);
	size_t next = 0, failed = 0, done = 0;
	int running = 0, usage = 0, broken = 0;
	struct sigaction sa = { 0 }, old_int, old_term, old_hup;
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	for (;;) {
		while (!stop_signal && !usage && !broken && running < jobs && next < t->ntrials) {
			int s = 0;
			while (slots[s].pid)
				s++;
			if (spawn_trial(t, next, jobs > 1, &slots[s].pid)) {
				slots[s].pid = 0;
				broken = 1;
				break;
			}
			slots[s].i = next++;
			running_pids[s] = slots[s].pid;
			running++;
		}
		if (!running)
			break;
		int st;
		pid_t pid = waitpid(-1, &st, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			tf_err(NULL, 0, 0, "waitpid: %s", strerror(errno));
			broken = 1;
			break;
		}
		int s = 0;
		while (s < jobs && slots[s].pid != pid)
			s++;
		if (s == jobs)
			continue;
		running_pids[s] = 0;
		slots[s].pid = 0;
		running--;
		done++;
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			char why[128];
			status_text(why, sizeof why, st);
			fprintf(stderr, "Training run %zu/%zu failed (%s)\n", slots[s].i + 1, t->ntrials, why);
			failed++;
			if (WIFEXITED(st) && WEXITSTATUS(st) == EXIT_USAGE)
				usage = 1;
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	free(slots);
	if (done < t->ntrials)
		fprintf(stderr, "%zu of %zu trials not run%s\n", t->ntrials - done, t->ntrials,
			stop_signal ? " (interrupted)" : usage ? " (tfreport run refused its options)" : "");
	fprintf(stderr, "Tuning %s: %zu trial%s run, %zu failed\n", t->tuning_id, done,
		done == 1 ? "" : "s", failed);
	if (broken)
		return EXIT_RUNTIME;
	if (usage)
		return EXIT_USAGE;
	return failed || done < t->ntrials ? EXIT_TRAINING : EXIT_OK;
}

/* ---- the plan, --emit ---- */

static void print_plan(const struct tune *t)
{
	const char **vals = xcalloc(t->g.nnames + 1, sizeof *vals);
	size_t *w = xcalloc(t->g.nnames + 1, sizeof *w);
	for (size_t k = 0; k < t->g.nnames; k++)
		w[k] = text_width(t->g.names[k]);
	for (size_t i = 0; i < t->ntrials; i++) {
		grid_combination(&t->g, t->trials[i], vals);
		for (size_t k = 0; k < t->g.nnames; k++)
			if (vals[k] && text_width(vals[k]) > w[k])
				w[k] = text_width(vals[k]);
	}
	printf("tuning_id %s: %zu trials\n%-7s", t->tuning_id, t->ntrials, "trial");
	for (size_t k = 0; k < t->g.nnames; k++)
		printf("  %s%*s", t->g.names[k], k + 1 < t->g.nnames ?
		       (int)(w[k] - text_width(t->g.names[k])) : 0, "");
	printf("\n");
	for (size_t i = 0; i < t->ntrials; i++) {
		char num[32];
		snprintf(num, sizeof num, "%zu", i + 1);
		printf("%-7s", num);
		grid_combination(&t->g, t->trials[i], vals);
		for (size_t k = 0; k < t->g.nnames; k++) {
			const char *v = vals[k] ? vals[k] : "-";
			printf("  %s%*s", v, k + 1 < t->g.nnames ? (int)(w[k] - text_width(v)) : 0, "");
		}
		printf("\n");
	}
	free(vals);
	free(w);
}

static int emit(const struct tune *t, const char *file)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < t->ntrials; i++) {
		struct argv a = { 0 };
		trial_argv(t, t->trials[i], &a);
		for (size_t k = 0; k < a.n; k++) {
			if (k)
				buf_putc(&b, ' ');
			shell_word(&b, a.v[k]);
		}
		buf_putc(&b, '\n');
		av_free(&a);
	}
	int rc = 0;
	if (!strcmp(file, "-"))
		out_write(b.data ? b.data : "", b.len);
	else if ((rc = write_file_atomic(file, b.data ? b.data : "", b.len)) == 0)
		fprintf(stderr, "Wrote %zu commands to %s (tuning_id %s)\n", t->ntrials, file, t->tuning_id);
	buf_free(&b);
	return rc ? EXIT_RUNTIME : EXIT_OK;
}

/* ---- options ---- */

static int parse_uint(const char *opt, const char *s, unsigned long long min, unsigned long long max,
		      unsigned long long *v)
{
	char *end;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (!*s || *s == '-' || *end || errno || *v < min || *v > max)
		return tf_err(opt, 0, 0, "expected a whole number from %llu to %llu, not '%s'", min, max, s);
	return 0;
}

static int check_options(struct tune *t)
{
	const struct opts *o = t->o;
	if (o->nargs == 0)
		return tf_err(NULL, 0, 0, "tune: missing COMMAND (see tfreport tune --help)");
	const char *id = opt_get(o, "tuning-id");
	if (id) {
		for (const unsigned char *p = (const unsigned char *)id; *p; p++)
			if (*p < ' ' || *p == 0x7f)
				return tf_err("--tuning-id", 0, 0, "the ID cannot contain control characters");
		if (!*id)
			return tf_err("--tuning-id", 0, 0, "the ID cannot be empty");
		t->tuning_id = id;
	}
	for (const char *const *p = opt_all(o, "property", NULL); *p; p++) {
		if (!strchr(*p, '='))
			return tf_err(*p, 0, 0, "expected KEY=VALUE");
		if (!strncmp(*p, "tuning_id=", 10))
			return tf_err(*p, 0, 0, "use --tuning-id to choose the tuning ID");
	}
	const char *obj = opt_get(o, "objective");
	if (obj) {
		int dir = 0;
		if (!strncmp(obj, "min:", 4) || !strncmp(obj, "max:", 4))
			dir = obj[1] == 'i' ? 1 : -1, obj += 4;
		if (!*obj)
			return tf_err("--objective", 0, 0, "expected a column name, e.g. eval_acc or min:eval_loss");
		t->objective = obj;
		t->minimise = dir ? dir > 0 : strstr(obj, "loss") || strstr(obj, "error") ||
			strstr(obj, "mae") || strstr(obj, "mse");
	}
	if (opt_has(o, "emit") && opt_has(o, "dry-run"))
		return tf_err("--emit", 0, 0, "--emit and --dry-run do not go together");
	return 0;
}

static char *new_tuning_id(void)
{
	struct timespec ts;
	char name[48];
	clock_gettime(CLOCK_REALTIME, &ts);
	rundir_name(name, (long long)ts.tv_sec, ts.tv_nsec, 0);
	return xasprintf("%s-%ld", name, (long)getpid());
}

/* "12,345 total combinations of flags " (tfruns's message, its trailing space included). */
static void print_total(size_t n)
{
	char num[32];
	int len = snprintf(num, sizeof num, "%zu", n), lead = (len - 1) % 3 + 1;
	fprintf(stderr, "%.*s", lead, num);
	for (int i = lead; i < len; i += 3)
		fprintf(stderr, ",%.3s", num + i);
	fprintf(stderr, " total combinations of flags \n");
}

/* The grid and the trials to run (all, or a sample), with tfruns's messages. Returns 0 or
 * an exit status. */
static int plan_trials(struct tune *t)
{
	const struct opts *o = t->o;
	unsigned long long seed = 0;
	double sample = 0;
	if (opt_has(o, "seed") && parse_uint("--seed", opt_get(o, "seed"), 0, UINT64_MAX, &seed))
		return EXIT_USAGE;
	if (opt_has(o, "grid") && grid_read_file(&t->g, opt_get(o, "grid")))
		return EXIT_USAGE;
	for (const char *const *f = opt_all(o, "flag", NULL); *f; f++)
		if (grid_add_flag(&t->g, *f))
			return EXIT_USAGE;
	if (!t->g.nnames)
		return tf_err(NULL, 0, 0, "tune: no flags to tune: give --flag NAME=V1,V2,... or --grid FILE"),
		       EXIT_USAGE;
	if (opt_has(o, "sample") && grid_sample_parse(opt_get(o, "sample"), &sample))
		return EXIT_USAGE;
	t->total = grid_total(&t->g);
	if (!t->total)
		return tf_err(NULL, 0, 0, "tune: more than %d combinations of flags", GRID_MAX), EXIT_USAGE;
	print_total(t->total);
	if (!opt_has(o, "sample")) {
		t->ntrials = t->total;
		t->trials = grid_sample(t->total, 0, 0);
		fprintf(stderr, "(use --sample to run a random subset)\n");
		return 0;
	}
	if (!opt_has(o, "seed")) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_nsec * 1000003u ^ (uint64_t)ts.tv_sec ^ (uint64_t)getpid() << 32;
	}
	t->ntrials = grid_sample_size(t->total, sample);
	t->trials = grid_sample(t->total, t->ntrials, seed);
	fprintf(stderr, "(sampled to %zu combinations)\n", t->ntrials);
	return 0;
}

/* The program each trial runs: this one (/proc/self/exe), else argv[0]. */
static void choose_exe(struct tune *t)
{
	t->exe = self_exe();
	if (!t->exe || access(t->exe, X_OK)) {
		free(t->exe);
		t->exe = xstrdup(program_invocation_name);
		t->use_path = !strchr(t->exe, '/');
	}
}

/* The plan; then --dry-run, --emit, or the trials and the summary. */
static int tune_main(struct tune *t)
{
	const struct opts *o = t->o;
	unsigned long long jobs = 1;
	if (check_options(t))
		return EXIT_USAGE;
	if (opt_has(o, "jobs") && parse_uint("--jobs", opt_get(o, "jobs"), 1, 1024, &jobs))
		return EXIT_USAGE;
	int rc = plan_trials(t);
	if (rc)
		return rc;
	if (opt_has(o, "resume") && resume(t))
		return EXIT_RUNTIME;
	if (!t->tuning_id)
		t->tuning_id = t->own_id = new_tuning_id();
	choose_exe(t);
	if (opt_has(o, "dry-run")) {
		print_plan(t);
		return EXIT_OK;
	}
	if (opt_has(o, "emit")) {
		if (path_finds(t->exe)) {
			free(t->exe);
			t->exe = xstrdup("tfreport");
		}
		return emit(t, opt_get(o, "emit"));
	}
	if (!t->ntrials)
		fprintf(stderr, "Nothing to run: every combination has a completed run\n");
	else if (!cli_confirm(o, "Proceed with tuning run?"))
		return EXIT_OK;
	rc = t->ntrials ? run_trials(t, (int)jobs) : EXIT_OK;
	if (summary(t))
		rc = rc ? rc : EXIT_RUNTIME;
	return rc;
}

int cmd_tune(const struct ctx *ctx, const struct opts *o)
{
	struct tune t = { .ctx = ctx, .o = o };
	grid_init(&t.g);
	int rc = tune_main(&t);
	grid_free(&t.g);
	free(t.trials);
	free(t.own_id);
	free(t.exe);
	return rc;
}
