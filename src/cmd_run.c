/* cmd_run.c: `tfreport run`: a training command in a new run directory (tfruns training_run) */
#include "artifacts.h"
#include "cli.h"
#include "run.h"
#include "flags.h"
#include "page.h"
#include "rundir.h"
#include "runexec.h"
#include "runinput.h"
#include "srcsnap.h"
#include "util.h"
#include "value.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

const struct optspec run_opts[] = {
	{ "run-dir", 0, "DIR", "the run directory (default: a new, uniquely named one in the runs directory)" },
	{ "flag", 0, "NAME=VALUE", "a flag (YAML scalar) over those of the flags file; repeatable" },
	{ "flags-file", 0, "FILE", "the flags file (default: flags.yml, when it exists)" },
	{ "config", 0, "NAME", "the flags file's section (default: $TFRUNS_CONFIG, $R_CONFIG_ACTIVE, default)" },
	{ "property", 0, "KEY=VALUE", "a property recorded in the run; repeatable" },
	{ "context", 0, "NAME", "the run's context property (default: local)" },
	{ "source", 0, "GLOB", "files saved in source.tar.gz (default: the script's directory, files with "
			       "its extension); repeatable" },
	{ "artifacts-dir", 0, "DIR", "where files the command adds or changes are copied from (default: .)" },
	{ "no-artifacts", 0, NULL, "copy no artifacts" },
	{ "no-flag-args", 0, NULL, "do not append the flags to the command as --NAME=VALUE" },
	{ "view", 0, "save", "save: write the run's report to tfruns.d/view.html" },
	{ 0 },
};

/* Properties tfreport writes itself: --property cannot set them. */
static const char *const reserved[] = { "type", "context", "script", "start", "end", "completed",
	"output", "command", "exit_status", "signal", NULL };

#define SLOW_SNAPSHOT_S 2.0

struct runrec {
	char *dir;   /* the run directory, as created */
	char *meta;  /* dir/tfruns.d */
	char *props; /* dir/tfruns.d/properties */
	int made;    /* props created by this run */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) this process has used. */
static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Writes b (then freed) atomically to tfruns.d/NAME of the run. */
static int write_meta(const struct runrec *r, const char *name, struct buf *b)
{
	char *p = path_join(r->meta, name);
	int rc = write_file_atomic(p, b->data, b->len);
	free(p);
	buf_free(b);
	return rc;
}

static int write_prop(const struct runrec *r, const char *name, const char *value)
{
	char *p = path_join(r->props, name);
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s\n", value);
	int rc = write_file_atomic(p, b.data, b.len);
	buf_free(&b);
	free(p);
	return rc;
}

/* Epoch seconds as R prints them (15 significant digits: 1795830578.38227). */
static int write_time_prop(const struct runrec *r, const char *name, double t)
{
	struct buf b = BUF_INIT;
	value_fmt_num_sig(&b, t, 15);
	int rc = write_prop(r, name, b.data);
	buf_free(&b);
	return rc;
}

static int check_kv(const char *opt, const char *kv, int property)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv)
		return tf_err(kv, 0, 0, "--%s wants NAME=VALUE", opt);
	if (!property)
		return 0;
	size_t n = (size_t)(eq - kv);
	const char *why = run_prop_name_problem(kv, n);
	if (why)
		return tf_err(kv, 0, 0, "%s", why);
	for (const char *const *r = reserved; *r; r++)
		if (strlen(*r) == n && !strncmp(*r, kv, n))
			return tf_err(kv, 0, 0, "'%s' is written by tfreport itself%s", *r,
				      !strcmp(*r, "context") ? " (use --context)" : "");
	return 0;
}

static int check_opts(const struct opts *o)
{
	int n;
	const char *const *v = opt_all(o, "flag", &n);
	for (int i = 0; i < n; i++)
		if (check_kv("flag", v[i], 0) < 0)
			return -1;
	v = opt_all(o, "property", &n);
	for (int i = 0; i < n; i++)
		if (check_kv("property", v[i], 1) < 0)
			return -1;
	const char *view = opt_get(o, "view");
	if (view && strcmp(view, "save"))
		return tf_err(view, 0, 0, "--view takes 'save'");
	if (opt_has(o, "no-artifacts") && opt_has(o, "artifacts-dir"))
		return tf_err("--no-artifacts", 0, 0, "cannot be given with --artifacts-dir");
	const char *ad = opt_get(o, "artifacts-dir");
	struct stat st;
	if (ad && (stat(ad, &st) < 0 || !S_ISDIR(st.st_mode)))
		return tf_err(ad, 0, 0, "--artifacts-dir: %s", stat(ad, &st) < 0 ? strerror(errno)
										: "not a directory");
	if (!o->nargs)
		return tf_err(NULL, 0, 0, "run: no command given (see tfreport run --help)");
	return 0;
}

/* The script: the first argument naming an existing file (the command itself unless it is a
 * compiled program, such as the interpreter). */
static const char *find_script(char **args, int n)
{
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (stat(args[i], &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (i == 0) {
			char head[4] = { 0 };
			int fd = open(args[0], O_RDONLY | O_CLOEXEC);
			ssize_t got = fd >= 0 ? read(fd, head, 4) : -1;
			if (fd >= 0)
				close(fd);
			if (got == 4 && !memcmp(head, "\177ELF", 4))
				continue;
		}
		return args[i];
	}
	return NULL;
}

/* A flag's value as a command-line argument; NULL for null (the flag is not passed). */
static char *flag_text(const struct json *v)
{
	if (json_type(v) == J_STR)
		return xstrdup(json_str(v));
	if (json_type(v) == J_BOOL)
		return xstrdup(json_bool(v) ? "true" : "false");
	if (json_type(v) == J_NUM) {
		struct buf b = BUF_INIT;
		value_fmt_num(&b, json_num(v));
		return buf_detach(&b);
	}
	if (json_type(v) == J_NULL)
		return NULL;
	struct buf b = BUF_INIT;
	json_print(&b, v);
	return b.data ? buf_detach(&b) : xstrdup("");
}

/* flags.json as tfruns writes it: one "name": value per line. */
static int write_flags(const struct runrec *r, const struct json *flags)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "{");
	for (const struct json *f = json_child(flags); f; f = json_next(f)) {
		struct value k = value_str(json_key(f));
		buf_puts(&b, f == json_child(flags) ? "\n  " : ",\n  ");
		value_json(&b, &k);
		value_free(&k);
		buf_puts(&b, ": ");
		json_print(&b, f);
	}
	buf_puts(&b, "\n}\n");
	return write_meta(r, "flags.json", &b);
}

/* The command's argv: the arguments, then --name=value per flag. */
static char **build_argv(const struct opts *o, const struct json *flags)
{
	int n = o->nargs, nf = (int)json_size(flags), k = 0;
	char **v = xcalloc((size_t)(n + nf + 1), sizeof *v);
	for (int i = 0; i < n; i++)
		v[k++] = xstrdup(o->args[i]);
	if (!opt_has(o, "no-flag-args"))
		for (const struct json *f = json_child(flags); f; f = json_next(f)) {
			char *t = flag_text(f);
			if (t)
				v[k++] = xasprintf("--%s=%s", json_key(f), t);
			free(t);
		}
	return v;
}

static void free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* The command line as one property: arguments with anything unusual in single quotes. */
static char *command_line(char **argv)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; argv[i]; i++) {
		const char *a = argv[i];
		if (i)
			buf_putc(&b, ' ');
		if (*a && strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
				    "_-+=.,:/@%") == strlen(a)) {
			buf_puts(&b, a);
			continue;
		}
		buf_putc(&b, '\'');
		for (; *a; a++)
			*a == '\'' ? buf_puts(&b, "'\\''") : buf_putc(&b, *a);
		buf_putc(&b, '\'');
	}
	return buf_detach(&b);
}

static int env_is(const char *e, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(e, name, n) && e[n] == '=';
}

/* tfreport's environment with TFRUNS_RUN_DIR, TFRUNS_FLAGS and TFRUNS_CONFIG set, and
 * PYTHONUNBUFFERED=1 unless set (a pipe would make Python hold its output back). */
static char **build_env(const char *run_dir, const struct json *flags, const char *config)
{
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	char **v = xcalloc(n + 5, sizeof *v);
	int py = 0;
	for (size_t i = 0; i < n; i++) {
		if (env_is(environ[i], "TFRUNS_RUN_DIR") || env_is(environ[i], "TFRUNS_FLAGS") ||
		    env_is(environ[i], "TFRUNS_CONFIG"))
			continue;
		py |= env_is(environ[i], "PYTHONUNBUFFERED");
		v[k++] = xstrdup(environ[i]);
	}
	char *abs = realpath(run_dir, NULL);
	struct buf json = BUF_INIT;
	json_print(&json, flags);
	v[k++] = xasprintf("TFRUNS_RUN_DIR=%s", abs ? abs : run_dir);
	v[k++] = xasprintf("TFRUNS_FLAGS=%s", json.data ? json.data : "{}");
	v[k++] = xasprintf("TFRUNS_CONFIG=%s", config);
	if (!py)
		v[k++] = xstrdup("PYTHONUNBUFFERED=1");
	free(abs);
	buf_free(&json);
	return v;
}

static int write_error_json(const struct runrec *r, const char *message, const char *tail)
{
	struct buf b = BUF_INIT;
	struct value m = { V_STR, 0, 0, (char *)message };
	buf_puts(&b, "{\n  \"message\": ");
	value_json(&b, &m);
	buf_puts(&b, ",\n  \"traceback\": [");
	int first = 1;
	for (const char *p = tail; p && *p;) {
		size_t n = strcspn(p, "\n");
		struct value l = { V_STR, 0, 0, xstrndup(p, n) };
		buf_puts(&b, first ? "" : ", ");
		value_json(&b, &l);
		free(l.str);
		first = 0;
		p += n + (p[n] == '\n');
	}
	buf_puts(&b, "]\n}\n");
	return write_meta(r, "error.json", &b);
}

static char *signal_name(int sig)
{
	const char *a = sigabbrev_np(sig);
	return a ? xasprintf("SIG%s", a) : xasprintf("%d", sig);
}

/* Records how the command ended. Returns the exit status of `tfreport run`. */
static int close_run(const struct runrec *r, const struct exec_result *res, const char *cmd)
{
	int ok = !res->spawn_errno && !res->interrupted && WIFEXITED(res->status) &&
		 WEXITSTATUS(res->status) == 0;
	char *msg = NULL;
	if (res->spawn_errno) {
		msg = xasprintf("cannot start %s: %s", cmd, strerror(res->spawn_errno));
	} else if (WIFEXITED(res->status)) {
		char n[16];
		snprintf(n, sizeof n, "%d", WEXITSTATUS(res->status));
		write_prop(r, "exit_status", n);
		msg = xasprintf("the command exited with status %s", n);
	} else if (WIFSIGNALED(res->status)) {
		int sig = WTERMSIG(res->status);
		char *name = signal_name(sig);
		write_prop(r, "signal", name);
		msg = xasprintf("the command was killed by signal %d (%s: %s)", sig, name, strsignal(sig));
		free(name);
	}
	if (!ok && !res->interrupted)
		write_error_json(r, msg ? msg : "the command failed", res->tail);
	write_prop(r, "completed", ok ? "TRUE" : "FALSE");
	write_time_prop(r, "end", now_s());
	int rc = ok ? EXIT_OK : res->spawn_errno ? EXIT_RUNTIME : EXIT_TRAINING;
	if (res->interrupted) {
		char *name = signal_name(res->interrupted);
		tf_err(r->dir, 0, 0, "run interrupted (%s received): %s", name,
		       msg ? msg : "the command ended");
		free(name);
	} else if (!ok) {
		tf_err(r->dir, 0, 0, "run failed: %s", msg ? msg : "the command failed");
	}
	free(msg);
	return rc;
}

/* --view save: the report `tfreport view` writes, as tfruns.d/view.html. */
static int save_view(const struct runrec *r)
{
	struct run_input in = { 0 };
	char *copy = xstrdup(r->dir);
	in.run = run_load(r->dir, basename(copy));
	free(copy);
	if (!in.run)
		return tf_err(r->dir, 0, 0, "cannot read the run back: %s", strerror(errno));
	run_input_load(&in);
	struct buf page = BUF_INIT;
	char *err = NULL;
	int rc = page_run_render(&page, &in, NULL, &err);
	if (rc < 0) {
		tf_err(NULL, 0, 0, "%s", err);
	} else {
		char *p = path_join(r->meta, "view.html");
		rc = write_file_atomic(p, page.data, page.len);
		free(p);
	}
	free(err);
	buf_free(&page);
	run_input_free(&in);
	return rc;
}

/* Creates the run directory, tfruns.d/properties and plots/. */
static int make_run(const struct ctx *ctx, const struct opts *o, struct runrec *r)
{
	const char *given = opt_get(o, "run-dir");
	if (given) {
		if (mkdir_p(given, 0777) < 0)
			return tf_err(given, 0, 0, "unable to create the run directory: %s", strerror(errno));
		r->dir = xstrdup(given);
	} else if (!(r->dir = rundir_create_unique(ctx->runs_dir, 0))) {
		return -1;
	}
	r->meta = path_join(r->dir, "tfruns.d");
	r->props = path_join(r->meta, "properties");
	if (mkdir(r->meta, 0777) < 0)
		return tf_err(r->meta, 0, 0, errno == EEXIST ? "the directory holds a run already"
							     : "cannot create: %s", strerror(errno));
	char *plots = path_join(r->dir, "plots");
	int rc = mkdir(r->props, 0777) < 0 ? tf_err(r->props, 0, 0, "cannot create: %s", strerror(errno))
					   : 0;
	r->made = rc == 0;
	if (rc == 0 && mkdir(plots, 0777) < 0 && errno != EEXIST)
		rc = tf_err(plots, 0, 0, "cannot create: %s", strerror(errno));
	free(plots);
	return rc;
}

/* Properties known before the command starts, and the sources. */
static int record_start(const struct opts *o, const struct runrec *r, const char *script,
			char **argv)
{
	const char *ctxname = opt_get(o, "context");
	if (write_prop(r, "type", "training") < 0 ||
	    write_prop(r, "context", ctxname ? ctxname : "local") < 0)
		return -1;
	int n;
	const char *const *kv = opt_all(o, "property", &n);
	for (int i = 0; i < n; i++) {
		char *name = xstrndup(kv[i], strcspn(kv[i], "="));
		int rc = write_prop(r, name, kv[i] + strlen(name) + 1);
		free(name);
		if (rc < 0)
			return -1;
	}
	int ng;
	const char *const *globs = opt_all(o, "source", &ng);
	char *member = NULL, *dest = path_join(r->meta, "source.tar.gz");
	int rc = srcsnap_write(dest, script, globs, ng, &member);
	free(dest);
	if (rc < 0)
		return -1;
	char *copy = script ? xstrdup(script) : NULL;
	const char *sname = member ? member : script ? basename(copy) : o->args[0];
	char *cmd = command_line(argv);
	rc = write_prop(r, "script", sname) < 0 || write_prop(r, "command", cmd) < 0 ? -1 : 0;
	free(cmd);
	free(copy);
	free(member);
	return rc;
}

static struct snapshot *take_snapshot(const struct ctx *ctx, const struct opts *o,
				      const struct runrec *r)
{
	if (opt_has(o, "no-artifacts"))
		return NULL;
	const char *dir = opt_get(o, "artifacts-dir");
	const char *excl[2] = { ctx->runs_dir, r->dir };
	double t0 = now_s(), c0 = cpu_s();
	struct snapshot *s = snapshot_take(dir ? dir : ".", excl, 2);
	double dt = now_s() - t0;
	if (s && getenv("TFREPORT_TIMING"))
		fprintf(stderr, "tfreport: timing: artifacts snapshot: %zu files in %.3f s (cpu %.3f s)\n",
			snapshot_count(s), dt, cpu_s() - c0);
	if (s && dt > SLOW_SNAPSHOT_S)
		tf_warn(dir ? dir : ".", 0, 0, "looking for artifacts among %zu files took %.1f s "
			"(--artifacts-dir, --no-artifacts or .tfreportignore make it shorter)",
			snapshot_count(s), dt);
	return s;
}

static int execute(const struct opts *o, const struct runrec *r, char **argv, char **envp,
		   struct snapshot *snap)
{
	char *out = path_join(r->props, "output");
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		tf_warn(out, 0, 0, "the output is not recorded: %s", strerror(errno));
	fprintf(stderr, "Using run directory %s\n", r->dir);
	struct exec_result res;
	int rc = EXIT_RUNTIME;
	if (runexec(argv, envp, fd, &res) == 0) {
		if (res.output_errno)
			tf_warn(out, 0, 0, "the output is recorded only in part: %s",
				strerror(res.output_errno));
		rc = close_run(r, &res, argv[0]);
		size_t copied = 0;
		double t0 = now_s(), c0 = cpu_s();
		if (snap && artifacts_copy(snap, r->dir, &runexec_stop, &copied) < 0 && rc == EXIT_OK)
			rc = EXIT_RUNTIME;
		if (snap && getenv("TFREPORT_TIMING"))
			fprintf(stderr, "tfreport: timing: artifacts copy: %zu files copied in %.3f s "
				"(cpu %.3f s)\n", copied, now_s() - t0, cpu_s() - c0);
		free(res.tail);
	} else {
		write_error_json(r, "tfreport could not start the command", NULL);
		write_prop(r, "completed", "FALSE");
		write_time_prop(r, "end", now_s());
	}
	runexec_done();
	if (fd >= 0 && close(fd) < 0)
		tf_warn(out, 0, 0, "the output is recorded only in part: %s", strerror(errno));
	free(out);
	if (opt_has(o, "view") && save_view(r) < 0 && rc == EXIT_OK)
		rc = EXIT_RUNTIME;
	if (rc == EXIT_OK)
		fprintf(stderr, "Run completed: %s\n", r->dir);
	return rc;
}

int cmd_run(const struct ctx *ctx, const struct opts *o)
{
	if (check_opts(o) < 0)
		return EXIT_USAGE;
	int nkv;
	const char *const *kv = opt_all(o, "flag", &nkv);
	const char *config = flags_active_config(opt_get(o, "config"));
	struct json *flags = flags_resolve_run(opt_get(o, "flags-file"), config, kv, nkv);
	if (!flags) /* the --flag forms were checked: a flags file that cannot be read or parsed */
		return EXIT_RUNTIME;
	const char *script = find_script(o->args, o->nargs);
	struct runrec r = { NULL, NULL, NULL, 0 };
	char **argv = build_argv(o, flags), **envp = NULL;
	struct snapshot *snap = NULL;
	int rc = EXIT_RUNTIME, started = 0;
	if (make_run(ctx, o, &r) < 0)
		goto out;
	if ((json_size(flags) && write_flags(&r, flags) < 0) ||
	    record_start(o, &r, script, argv) < 0)
		goto out;
	snap = take_snapshot(ctx, o, &r);
	if (!snap && !opt_has(o, "no-artifacts"))
		goto out;
	if (write_time_prop(&r, "start", now_s()) < 0 || write_prop(&r, "completed", "FALSE") < 0)
		goto out;
	envp = build_env(r.dir, flags, config);
	rc = execute(o, &r, argv, envp, snap);
	started = 1;
out:
	if (!started && r.made) {
		/* closed as a failed run, so that it is never taken for a running one */
		write_error_json(&r, "tfreport could not prepare the run", NULL);
		write_prop(&r, "completed", "FALSE");
		write_time_prop(&r, "end", now_s());
	}
	snapshot_free(snap);
	free_strv(argv);
	free_strv(envp);
	json_free(flags);
	free(r.dir);
	free(r.meta);
	free(r.props);
	return rc;
}
