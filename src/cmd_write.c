/* cmd_write.c: `tfreport write`: record metrics, evaluation, properties or an error into a run
 * (tfruns write_run_metadata, for scripts in any language) */
#include "cli.h"
#include "run.h"
#include "json.h"
#include "runs.h"
#include "util.h"
#include "value.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

const struct optspec write_opts[] = {
	{ "run", 0, "RUN", "the run to write into (default: $TFRUNS_RUN_DIR)" },
	{ "step", 0, "N", "metrics: the epoch or step of the row, recorded as \"epoch\"" },
	{ "replace", 0, NULL, "evaluation: replace the whole file (default: merge the keys given)" },
	{ "traceback", 0, "FILE", "error: the traceback, one frame per line of FILE (- for stdin)" },
	{ 0 },
};

#define MAX_EVAL (64u << 20)
#define MAX_TRACEBACK (16u << 20)

/* The target run's tfruns.d, opened (created when the run has none yet). */
struct target {
	char *meta; /* <run>/tfruns.d */
	int fd;
};

static int open_target(const struct ctx *ctx, const struct opts *o, struct target *t)
{
	const char *arg = opt_get(o, "run");
	const char *env = getenv("TFRUNS_RUN_DIR");
	char *dir;
	if (arg) {
		if (!(dir = runs_resolve(ctx->runs_dir, arg)))
			return EXIT_USAGE;
	} else if (env && *env) {
		struct stat st;
		if (stat(env, &st) < 0 || !S_ISDIR(st.st_mode)) {
			tf_err(env, 0, 0, "$TFRUNS_RUN_DIR is not a directory");
			return EXIT_USAGE;
		}
		dir = xstrdup(env);
	} else {
		tf_err(NULL, 0, 0, "no run to write into: give --run RUN or set TFRUNS_RUN_DIR "
		       "(tfreport run sets it for the command it runs)");
		return EXIT_USAGE;
	}
	t->meta = path_join(dir, "tfruns.d");
	free(dir);
	if (mkdir(t->meta, 0777) < 0 && errno != EEXIST) {
		tf_err(t->meta, 0, 0, "cannot create: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	/* Never written through a symbolic link out of the run. */
	t->fd = open(t->meta, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (t->fd < 0) {
		tf_err(t->meta, 0, 0, "%s", errno == ELOOP || errno == ENOTDIR
		       ? "not a directory (a symbolic link?); not written" : strerror(errno));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

static void target_close(struct target *t)
{
	if (t->fd >= 0)
		close(t->fd);
	free(t->meta);
}

/* ---- KEY=VALUE arguments ---- */

struct pair {
	char *key;
	const char *val;
};

static int bad_key(const char *arg, const char *key, int property)
{
	if (!*key)
		return tf_err(arg, 0, 0, "expected KEY=VALUE with a non-empty KEY");
	if (property) {
		const char *why = run_prop_name_problem(key, strlen(key));
		return why ? tf_err(arg, 0, 0, "%s", why) : 0;
	}
	if (strchr(key, '/'))
		return tf_err(arg, 0, 0, "a key cannot contain '/'");
	for (const char *p = key; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return tf_err(arg, 0, 0, "a key cannot contain control characters");
	return 0;
}

/* Splits args[from..] at their first '='; keys validated and distinct. NULL after an error. */
static struct pair *parse_pairs(const struct opts *o, int from, int property, size_t *n)
{
	struct pair *v = xcalloc((size_t)o->nargs + 1, sizeof *v);
	*n = 0;
	for (int i = from; i < o->nargs; i++) {
		const char *a = o->args[i], *eq = strchr(a, '=');
		int bad = !eq ? tf_err(a, 0, 0, "expected KEY=VALUE") : 0;
		char *key = eq ? xstrndup(a, (size_t)(eq - a)) : NULL;
		if (!bad)
			bad = bad_key(a, key, property);
		for (size_t k = 0; !bad && k < *n; k++)
			if (!strcmp(v[k].key, key))
				bad = tf_err(a, 0, 0, "the key '%s' is given twice", key);
		if (bad) {
			free(key);
			for (size_t k = 0; k < *n; k++)
				free(v[k].key);
			free(v);
			*n = 0;
			return NULL;
		}
		v[(*n)++] = (struct pair){ key, eq + 1 };
	}
	if (!*n) {
		tf_err(NULL, 0, 0, "write %s: give at least one KEY=VALUE", o->args[0]);
		free(v);
		return NULL;
	}
	return v;
}

static void pairs_free(struct pair *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

/* The words that mean "no value": JSON has no NaN or infinity, so these become null. */
static int is_missing_word(const char *s)
{
	static const char *const w[] = { "null", "NA", "nan", "-nan", "inf", "+inf", "-inf",
					 "infinity", "+infinity", "-infinity", NULL };
	for (int i = 0; w[i]; i++)
		if (!strcasecmp(s, w[i]))
			return !strcmp(w[i], "NA") ? !strcmp(s, "NA") : 1;
	return 0;
}

/* A decimal number (as JSON, Python or R print one, also with a leading '+' or '.'): 1 and
 * *out set, 0 if s is not one, -1 if it is out of range. */
static int parse_number(const char *s, double *out)
{
	const char *p = s + (*s == '+' || *s == '-');
	if (!(*p >= '0' && *p <= '9') && !(*p == '.' && p[1] >= '0' && p[1] <= '9'))
		return 0;
	for (const char *q = p; *q; q++)
		if (!strchr("0123456789.eE+-", *q))
			return 0;
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (end == s || *end)
		return 0;
	if (errno == ERANGE && isinf(d))
		return -1;
	*out = d;
	return 1;
}

/* A KEY=VALUE value as JSON: numbers as numbers, true/false as booleans, the missing-value
 * words as null, anything else as a string. */
static void typed_json(struct buf *out, const char *s)
{
	double d;
	int r = parse_number(s, &d);
	if (r > 0) {
		value_fmt_num(out, d == 0 ? 0 : d);
	} else if (!strcmp(s, "true") || !strcmp(s, "TRUE") || !strcmp(s, "True")) {
		buf_puts(out, "true");
	} else if (!strcmp(s, "false") || !strcmp(s, "FALSE") || !strcmp(s, "False")) {
		buf_puts(out, "false");
	} else if (is_missing_word(s)) {
		buf_puts(out, "null");
	} else {
		struct value v = value_str(s);
		value_json(out, &v);
		value_free(&v);
	}
}

static void json_key_text(struct buf *out, const char *key)
{
	struct value k = value_str(key);
	value_json(out, &k);
	value_free(&k);
	buf_puts(out, ": ");
}

/* What to write, checked and built before the run is touched: a failed call changes
 * nothing, not even by creating tfruns.d. */
struct job {
	struct pair *p; /* KEY=VALUE arguments (metrics, evaluation, properties) */
	size_t n;
	struct buf text; /* metrics: the line; error: the whole file */
};

/* ---- metrics ---- */

static int metrics_line(const struct opts *o, struct job *j)
{
	const char *step = opt_get(o, "step");
	struct buf *line = &j->text;
	buf_putc(line, '{');
	if (step) {
		double d;
		if (parse_number(step, &d) <= 0 || !isfinite(d))
			return tf_err("--step", 0, 0, "expected a number, not '%s'", step), EXIT_USAGE;
		buf_puts(line, "\"epoch\": ");
		value_fmt_num(line, d);
	}
	for (size_t i = 0; i < j->n; i++) {
		const struct pair *p = &j->p[i];
		char *arg = xasprintf("%s=%s", p->key, p->val);
		double d = 0;
		int r = parse_number(p->val, &d), rc = EXIT_OK;
		if (step && !strcmp(p->key, "epoch"))
			rc = (tf_err(arg, 0, 0, "'epoch' is given by --step already"), EXIT_USAGE);
		else if (r < 0)
			rc = (tf_err(arg, 0, 0, "number out of range"), EXIT_USAGE);
		else if (r == 0 && !is_missing_word(p->val))
			rc = (tf_err(arg, 0, 0, "a metric value must be a number (or nan, inf, NA, null "
				    "for a missing value)"), EXIT_USAGE);
		free(arg);
		if (rc)
			return rc;
		if (line->len > 1)
			buf_puts(line, ", ");
		json_key_text(line, p->key);
		if (r > 0)
			value_fmt_num(line, d == 0 ? 0 : d);
		else
			buf_puts(line, "null");
	}
	buf_puts(line, "}\n");
	return EXIT_OK;
}

static int append_metrics(const struct opts *o, struct target *t, struct job *j)
{
	(void)o;
	struct buf *line = &j->text;
	char *path = path_join(t->meta, "metrics.jsonl");
	int rc = EXIT_OK;
	int fd = openat(t->fd, "metrics.jsonl", O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
			0644);
	if (fd < 0) {
		rc = (tf_err(path, 0, 0, "cannot open for appending: %s", strerror(errno)), EXIT_RUNTIME);
	} else {
		/* A line cut short by a writer that died must not swallow this one. The lock keeps
		 * other tfreport writers from being seen mid-write (the size of a file grows page
		 * by page during a write(2)). */
		(void)flock(fd, LOCK_EX);
		struct stat st;
		char last = '\n';
		if (fstat(fd, &st) == 0 && st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) == 1 &&
		    last != '\n') {
			char *fixed = xasprintf("\n%s", line->data);
			buf_reset(line);
			buf_puts(line, fixed);
			free(fixed);
		}
		/* One write(2) of the whole line: with O_APPEND, lines of concurrent writers never
		 * interleave. */
		ssize_t w = write(fd, line->data, line->len);
		if (w != (ssize_t)line->len)
			rc = (tf_err(path, 0, 0, "cannot append: %s",
				    w < 0 ? strerror(errno) : "short write"), EXIT_RUNTIME);
		if (close(fd) < 0 && !rc)
			rc = (tf_err(path, 0, 0, "cannot append: %s", strerror(errno)), EXIT_RUNTIME);
	}
	free(path);
	return rc;
}

/* ---- evaluation ---- */

/* Adds the members of the existing evaluation.json to out ("  key: value" lines), the keys
 * given on the command line replacing theirs in place; marks those in used. */
static int merge_existing(struct target *t, const char *path, struct pair *p, size_t n,
			  char *used, struct buf *out)
{
	struct buf text = BUF_INIT;
	if (read_file_at(t->fd, "evaluation.json", MAX_EVAL, &text) < 0) {
		buf_free(&text);
		if (errno == ENOENT)
			return 0;
		return tf_err(path, 0, 0, "cannot read: %s", strerror(errno));
	}
	size_t off = 0;
	struct json *j = text.len ? json_parse_quiet(text.data, text.len, &off) : NULL;
	int rc = 0;
	if (text.len && (!j || json_type(j) != J_OBJ)) {
		int line, col;
		text_linecol(text.data, off, &line, &col);
		rc = j ? tf_err(path, 0, 0, "not a JSON object; not changed (--replace overwrites it)")
		       : tf_err(path, line, col, "invalid JSON; not changed (--replace overwrites it)");
	}
	for (const struct json *m = j && !rc ? json_child(j) : NULL; m; m = json_next(m)) {
		if (out->len > 2)
			buf_puts(out, ",\n");
		buf_puts(out, "  ");
		json_key_text(out, json_key(m));
		size_t k = 0;
		while (k < n && strcmp(p[k].key, json_key(m)))
			k++;
		if (k < n) {
			typed_json(out, p[k].val);
			used[k] = 1;
		} else {
			json_print(out, m);
		}
	}
	json_free(j);
	buf_free(&text);
	return rc;
}

static int write_evaluation(const struct opts *o, struct target *t, struct job *j)
{
	struct pair *p = j->p;
	size_t n = j->n;
	char *path = path_join(t->meta, "evaluation.json");
	char *used = xcalloc(n + 1, 1);
	struct buf out = BUF_INIT;
	buf_puts(&out, "{\n");
	/* Concurrent writers merge one after another: the lock is on tfruns.d itself, since the
	 * file is replaced by rename(2). */
	int rc = flock(t->fd, LOCK_EX) < 0 ? tf_err(t->meta, 0, 0, "cannot lock: %s", strerror(errno))
					   : 0;
	if (!rc && !opt_has(o, "replace"))
		rc = merge_existing(t, path, p, n, used, &out);
	for (size_t k = 0; !rc && k < n; k++) {
		if (used[k])
			continue;
		if (out.len > 2)
			buf_puts(&out, ",\n");
		buf_puts(&out, "  ");
		json_key_text(&out, p[k].key);
		typed_json(&out, p[k].val);
	}
	buf_puts(&out, "\n}\n");
	if (!rc)
		rc = write_file_atomic(path, out.data, out.len);
	flock(t->fd, LOCK_UN);
	buf_free(&out);
	free(used);
	free(path);
	return rc ? EXIT_RUNTIME : EXIT_OK;
}

/* ---- properties ---- */

static int write_properties(const struct opts *o, struct target *t, struct job *j)
{
	(void)o;
	char *dir = path_join(t->meta, "properties");
	int rc = 0;
	if (mkdirat(t->fd, "properties", 0777) < 0 && errno != EEXIST)
		rc = tf_err(dir, 0, 0, "cannot create: %s", strerror(errno));
	struct stat st;
	if (!rc && (fstatat(t->fd, "properties", &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode)))
		rc = tf_err(dir, 0, 0, "not a directory (a symbolic link?); not written");
	/* As tfruns: one file per property, the value and a newline. */
	for (size_t i = 0; !rc && i < j->n; i++) {
		char *path = path_join(dir, j->p[i].key);
		char *text = xasprintf("%s\n", j->p[i].val);
		rc = write_file_atomic(path, text, strlen(text));
		free(text);
		free(path);
	}
	free(dir);
	return rc ? EXIT_RUNTIME : EXIT_OK;
}

/* ---- error ---- */

static int read_traceback(const char *file, struct buf *out)
{
	struct buf text = BUF_INIT;
	int rc = 0;
	if (!strcmp(file, "-")) {
		char chunk[8192];
		size_t got;
		while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0 && text.len < MAX_TRACEBACK)
			buf_add(&text, chunk, got);
		if (ferror(stdin))
			rc = tf_err("-", 0, 0, "cannot read standard input");
	} else if (read_file(file, MAX_TRACEBACK, &text) < 0) {
		rc = tf_err(file, 0, 0, "cannot read: %s", strerror(errno));
	}
	int first = 1;
	for (const char *s = text.data; !rc && s && *s;) {
		size_t len = strcspn(s, "\n");
		size_t k = len;
		if (k && s[k - 1] == '\r')
			k--;
		char *frame = xstrndup(s, k);
		struct value v = value_str(frame);
		buf_puts(out, first ? "" : ", ");
		value_json(out, &v);
		value_free(&v);
		free(frame);
		first = 0;
		s += len + (s[len] == '\n');
	}
	buf_free(&text);
	return rc;
}

static int error_text(const struct opts *o, struct job *j)
{
	struct buf msg = BUF_INIT;
	for (int i = 1; i < o->nargs; i++) {
		if (i > 1)
			buf_putc(&msg, ' ');
		buf_puts(&msg, o->args[i]);
	}
	if (!msg.len) {
		buf_free(&msg);
		return tf_err(NULL, 0, 0, "write error: give the MESSAGE"), EXIT_USAGE;
	}
	struct buf *out = &j->text;
	struct value m = value_str(msg.data);
	buf_puts(out, "{\n  \"message\": ");
	value_json(out, &m);
	value_free(&m);
	buf_free(&msg);
	buf_puts(out, ",\n  \"traceback\": [");
	const char *tb = opt_get(o, "traceback");
	if (tb && read_traceback(tb, out))
		return EXIT_RUNTIME;
	buf_puts(out, "]\n}\n");
	return EXIT_OK;
}

static int write_error(const struct opts *o, struct target *t, struct job *j)
{
	(void)o;
	char *path = path_join(t->meta, "error.json");
	int rc = write_file_atomic(path, j->text.data, j->text.len);
	free(path);
	return rc ? EXIT_RUNTIME : EXIT_OK;
}

/* ---- the command ---- */

enum kind { K_METRICS, K_EVALUATION, K_PROPERTIES, K_ERROR };

static int prepare(const struct opts *o, enum kind k, struct job *j)
{
	if (k == K_ERROR)
		return error_text(o, j);
	if (!(j->p = parse_pairs(o, 1, k == K_PROPERTIES, &j->n)))
		return EXIT_USAGE;
	return k == K_METRICS ? metrics_line(o, j) : EXIT_OK;
}

int cmd_write(const struct ctx *ctx, const struct opts *o)
{
	static const char *const kinds[] = { "metrics", "evaluation", "properties", "error", NULL };
	int (*const commit[])(const struct opts *, struct target *, struct job *) = {
		append_metrics, write_evaluation, write_properties, write_error,
	};
	if (o->nargs < 1) {
		tf_err(NULL, 0, 0, "write: give what to write: metrics, evaluation, properties or error");
		return EXIT_USAGE;
	}
	int k = 0;
	while (kinds[k] && strcmp(kinds[k], o->args[0]))
		k++;
	if (!kinds[k]) {
		tf_err(o->args[0], 0, 0, "unknown kind (metrics, evaluation, properties or error)");
		return EXIT_USAGE;
	}
	const char *only[] = { "step", "metrics", "replace", "evaluation", "traceback", "error" };
	for (size_t i = 0; i < sizeof only / sizeof *only; i += 2)
		if (opt_has(o, only[i]) && strcmp(o->args[0], only[i + 1])) {
			char *opt = xasprintf("--%s", only[i]);
			tf_err(opt, 0, 0, "only for write %s", only[i + 1]);
			free(opt);
			return EXIT_USAGE;
		}
	struct job j = { NULL, 0, BUF_INIT };
	struct target t = { NULL, -1 };
	int rc = prepare(o, (enum kind)k, &j);
	if (rc == EXIT_OK)
		rc = open_target(ctx, o, &t);
	if (rc == EXIT_OK)
		rc = commit[k](o, &t, &j);
	target_close(&t);
	pairs_free(j.p, j.n);
	buf_free(&j.text);
	return rc;
}
