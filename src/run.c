/* run.c: one run directory loaded (tfruns layout): properties, flags, metrics, evaluation, error */
#include "run.h"
#include "json.h"
#include "metrics.h"
#include "util.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_JSON ((size_t)64 << 20)
#define MAX_PROP ((size_t)1 << 20)
#define MAX_LONG_PROP ((size_t)256 << 20)

static char *meta_path(const struct run *r, const char *file)
{
	return xasprintf("%s/tfruns.d/%s", r->path, file);
}

/* Reads tfruns.d/<file> into out, noting in r->has that it exists; 0 on success, -1 after a
 * warning (or silently when absent). */
static int read_meta(struct run *r, const char *file, unsigned bit, size_t max, struct buf *out)
{
	char *p = meta_path(r, file);
	int rc = r->meta_fd >= 0 ? read_file_at(r->meta_fd, file, max, out) : read_file(p, max, out);
	if (rc == 0 || errno != ENOENT)
		r->has |= bit;
	if (rc < 0 && errno != ENOENT) {
		if (errno == EFBIG)
			tf_warn(p, 0, 0, "file too large (over %zu MB), ignored", max >> 20);
		else
			tf_warn(p, 0, 0, "cannot read: %s", strerror(errno));
	}
	free(p);
	return rc;
}

/* Parses tfruns.d/<file> as JSON; NULL (after one warning) if unreadable or invalid. */
static struct json *load_json(struct run *r, const char *file, unsigned bit)
{
	struct buf b = BUF_INIT;
	struct json *j = NULL;
	if (read_meta(r, file, bit, MAX_JSON, &b) == 0) {
		char *p = meta_path(r, file);
		j = json_parse(b.data, b.len, p);
		free(p);
	}
	buf_free(&b);
	return j;
}

static int prop_cmp(const void *a, const void *b)
{
	return strcmp(((const struct prop *)a)->name, ((const struct prop *)b)->name);
}

struct prop_scan {
	struct run *r;
	const char *dir;
	size_t cap;
};

static int note_prop(void *ctx, const char *name, unsigned char type)
{
	struct prop_scan *ps = ctx;
	struct run *r = ps->r;
	if (name[0] == '.')
		return 0;
	if (type == DT_DIR) {
		char *q = path_join(ps->dir, name);
		tf_warn(q, 0, 0, "a property must be a file, not a directory; ignored");
		free(q);
		return 0;
	}
	if (r->nprops == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 16;
		r->props = xrealloc(r->props, ps->cap * sizeof *r->props);
	}
	r->props[r->nprops++] = (struct prop){ xstrdup(name), 0, VALUE_NA };
	return 0;
}

static void scan_props(struct run *r)
{
	char *p = meta_path(r, "properties");
	struct prop_scan ps = { r, p, 0 };
	if (dir_each_at(r->meta_fd >= 0 ? r->meta_fd : AT_FDCWD, r->meta_fd >= 0 ? "properties" : p,
			note_prop, &ps) == 0)
		r->has |= HAS_PROPERTIES;
	else if (errno != ENOENT)
		r->has |= HAS_PROPERTIES, tf_warn(p, 0, 0, "cannot read: %s", strerror(errno));
	free(p);
	/* Directory order is the file system's; sort so that column order is reproducible. */
	if (r->nprops)
		qsort(r->props, r->nprops, sizeof *r->props, prop_cmp);
}

static void fields_from_object(const struct json *obj, struct field **out, size_t *n)
{
	size_t cap = json_size(obj);
	*out = xcalloc(cap, sizeof **out);
	*n = 0;
	for (const struct json *m = json_child(obj); m; m = json_next(m)) {
		const char *k = json_key(m);
		size_t i;
		for (i = 0; i < *n && strcmp((*out)[i].name, k); i++)
			;
		if (i < *n)
			continue; /* duplicate key: the first one counts */
		(*out)[(*n)++] = (struct field){ xstrdup(k), json_value(m) };
	}
}

static void load_flags(struct run *r)
{
	struct json *j = load_json(r, "flags.json", HAS_FLAGS);
	if (!j)
		return;
	if (json_type(j) == J_OBJ) {
		fields_from_object(j, &r->flags, &r->nflags);
	} else if (!(json_type(j) == J_ARR && json_size(j) == 0)) {
		char *p = meta_path(r, "flags.json");
		tf_warn(p, 1, 1, "expected a JSON object of flags; ignored");
		free(p);
	}
	json_free(j);
}

/* evaluation.json: an object; a bare array gives eval_1, eval_2, ... and one warning. */
static void load_eval(struct run *r)
{
	struct json *j = load_json(r, "evaluation.json", HAS_EVALUATION);
	if (!j)
		return;
	char *p = meta_path(r, "evaluation.json");
	if (json_type(j) == J_OBJ) {
		fields_from_object(j, &r->eval, &r->neval);
	} else if (json_type(j) == J_ARR) {
		tf_warn(p, 1, 1, "expected a JSON object; array values named 1, 2, ...");
		r->eval = xcalloc(json_size(j), sizeof *r->eval);
		for (const struct json *m = json_child(j); m; m = json_next(m), r->neval++)
			r->eval[r->neval] = (struct field){ xasprintf("%zu", r->neval + 1), json_value(m) };
	} else {
		tf_warn(p, 1, 1, "expected a JSON object; ignored");
	}
	free(p);
	json_free(j);
}

static void load_error(struct run *r)
{
	struct json *j = load_json(r, "error.json", HAS_ERROR);
	if (!j)
		return;
	const struct json *m = json_type(j) == J_OBJ ? json_get(j, "message") : NULL;
	const struct json *tb = json_type(j) == J_OBJ ? json_get(j, "traceback") : NULL;
	if (m && json_type(m) == J_STR)
		r->error_message = xstrdup(json_str(m));
	if (tb && json_type(tb) == J_ARR) {
		struct buf b = BUF_INIT;
		for (const struct json *f = json_child(tb); f; f = json_next(f)) {
			if (b.len)
				buf_putc(&b, '\n');
			struct value v = json_value(f);
			value_text(&b, &v);
			value_free(&v);
		}
		r->error_traceback = buf_detach(&b);
	} else if (tb && json_type(tb) == J_STR) {
		r->error_traceback = xstrdup(json_str(tb));
	}
	if (!r->error_message && !r->error_traceback) {
		char *p = meta_path(r, "error.json");
		tf_warn(p, 1, 1, "expected an object with \"message\" and \"traceback\"");
		free(p);
	}
	json_free(j);
}

static void load_metrics(struct run *r)
{
	{
		struct buf b = BUF_INIT;
		if (read_meta(r, "metrics.json", HAS_METRICS, MAX_JSON, &b) == 0) {
			char *p = meta_path(r, "metrics.json");
			metrics_from_text(&r->metrics, b.data, b.len, p);
			free(p);
		}
		buf_free(&b);
	}
	{
		struct buf b = BUF_INIT;
		if (read_meta(r, "metrics.jsonl", HAS_METRICS_JSONL, MAX_LONG_PROP, &b) == 0) {
			char *p = meta_path(r, "metrics.jsonl");
			metrics_append_lines(&r->metrics, b.data, b.len, p);
			free(p);
		}
		buf_free(&b);
	}
}

struct run *run_load(const char *path, const char *name)
{
	char *meta = xasprintf("%s/tfruns.d", path);
	/* Files of tfruns.d are opened relative to it (one path lookup for all), and simply
	 * tried: a missing one costs less than listing the directory. */
	int fd = open(meta, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(meta);
	if (fd < 0 && errno != EACCES)
		return NULL; /* no tfruns.d: not a run */
	struct run *r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path);
	r->name = xstrdup(name);
	r->meta_fd = fd;
	if (fd < 0) { /* the run dir or its tfruns.d is unreadable: list it with nothing known */
		tf_warn(path, 0, 0, "cannot read run directory: %s", strerror(errno));
		return r;
	}
	scan_props(r);
	load_flags(r);
	load_eval(r);
	load_metrics(r);
	load_error(r);
	if (faccessat(fd, "source.tar.gz", F_OK, 0) == 0 || errno != ENOENT)
		r->has |= HAS_SOURCE;
	run_prop(r, "start"); /* the default order: read now, with the rest */
	close(fd);
	r->meta_fd = -1;
	return r;
}

void run_free(struct run *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nprops; i++) {
		free(r->props[i].name);
		value_free(&r->props[i].v);
	}
	free(r->props);
	for (size_t i = 0; i < r->neval; i++) {
		free(r->eval[i].name);
		value_free(&r->eval[i].v);
	}
	free(r->eval);
	for (size_t i = 0; i < r->nflags; i++) {
		free(r->flags[i].name);
		value_free(&r->flags[i].v);
	}
	free(r->flags);
	metrics_free(&r->metrics);
	free(r->error_message);
	free(r->error_traceback);
	free(r->path);
	free(r->name);
	free(r);
}

/* ---- properties ---- */

static struct prop *find_prop(const struct run *r, const char *name)
{
	size_t lo = 0, hi = r->nprops;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, r->props[mid].name);
		if (!c)
			return &r->props[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int run_has_prop(const struct run *r, const char *name) { return find_prop(r, name) != NULL; }

enum pkind { P_TEXT, P_NUM, P_INT, P_TIME, P_BOOL };

static enum pkind prop_kind(const char *name)
{
	static const char *const nums[] = { "learning_rate", "cloudml_ml_units", NULL };
	static const char *const ints[] = { "samples", "validation_samples", "epochs", "steps",
					    "batch_size", NULL };
	static const char *const times[] = { "start", "end", "cloudml_created", "cloudml_start",
					     "cloudml_end", NULL };
	for (int i = 0; nums[i]; i++)
		if (!strcmp(name, nums[i]))
			return P_NUM;
	for (int i = 0; ints[i]; i++)
		if (!strcmp(name, ints[i]))
			return P_INT;
	for (int i = 0; times[i]; i++)
		if (!strcmp(name, times[i]))
			return P_TIME;
	return strcmp(name, "completed") ? P_TEXT : P_BOOL;
}

static struct value convert_prop(const char *name, char *text, const char *path)
{
	enum pkind k = prop_kind(name);
	if (k == P_TEXT)
		return value_str_own(text);
	char *s = text + strspn(text, " \t\r\n");
	size_t n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		s[--n] = '\0';
	struct value v = VALUE_NA;
	if (k == P_BOOL) {
		int b = value_parse_logical(s);
		if (b >= 0)
			v = value_bool(b);
	} else {
		char *end;
		double d = strtod(s, &end);
		if (end != s && !*end && !isnan(d)) {
			if (k == P_INT)
				d = trunc(d);
			v = k == P_TIME ? value_time(d) : value_num(d);
		}
	}
	if (v.type == V_NA)
		tf_warn(path, 1, 1, "cannot read '%s' as %s", s,
			k == P_BOOL ? "TRUE or FALSE" : k == P_INT ? "an integer" : "a number");
	free(text);
	return v;
}

static struct value read_prop(const struct run *r, const char *name)
{
	char *p = xasprintf("%s/tfruns.d/properties/%s", r->path, name);
	struct buf b = BUF_INIT;
	int longtext = !strcmp(name, "output") || !strcmp(name, "model");
	struct value v = VALUE_NA;
	int rc;
	if (r->meta_fd >= 0) { /* while loading: relative to tfruns.d */
		char *rel = xasprintf("properties/%s", name);
		rc = read_file_at(r->meta_fd, rel, longtext ? MAX_LONG_PROP : MAX_PROP, &b);
		free(rel);
	} else {
		rc = read_file(p, longtext ? MAX_LONG_PROP : MAX_PROP, &b);
	}
	if (rc < 0) {
		if (errno == EFBIG)
			tf_warn(p, 0, 0, "file too large, ignored");
		else
			tf_warn(p, 0, 0, "cannot read: %s", strerror(errno));
	} else {
		if (b.len && b.data[b.len - 1] == '\n')
			b.data[--b.len] = '\0';
		size_t bad = 0;
		char *fixed = utf8_repair(b.data, b.len, &bad);
		if (fixed) {
			int line, col;
			text_linecol(b.data, bad, &line, &col);
			tf_warn(p, line, col, "not valid UTF-8; bad bytes shown as U+FFFD");
			buf_free(&b);
			b.data = fixed;
			b.len = strlen(fixed);
		}
		/* An empty property file reads as missing (a deliberate difference from tfruns). */
		if (b.len)
			v = convert_prop(name, xstrndup(b.data, b.len), p) /* exact size */;
	}
	buf_free(&b);
	free(p);
	return v;
}

static const struct value default_type = { V_STR, 0, 0, (char *)"training" };
static const struct value default_context = { V_STR, 0, 0, (char *)"local" };

const char *run_prop_name_problem(const char *name, size_t n)
{
	if (n == 0)
		return "a property name cannot be empty";
	if (name[0] == '.')
		return "a property name cannot start with '.' (readers skip such files)";
	for (size_t i = 0; i < n; i++) {
		if (name[i] == '/')
			return "a property name cannot contain '/'";
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return "a property name cannot contain control characters";
	}
	return NULL;
}

const struct value *run_prop(struct run *r, const char *name)
{
	struct prop *p = find_prop(r, name);
	if (p && !p->loaded) {
		p->v = read_prop(r, name);
		p->loaded = 1;
	}
	int props = (r->has & HAS_PROPERTIES) != 0;
	if (!strcmp(name, "type") && props &&
	    (!p || p->v.type == V_NA || (p->v.type == V_STR && !strcmp(p->v.str, "local"))))
		return &default_type;
	if (!strcmp(name, "context") && props && (!p || p->v.type == V_NA))
		return &default_context;
	return p ? &p->v : NULL;
}

/* ---- derived values ---- */

size_t run_metrics_completed(const struct run *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->metrics.nrows; i++)
		for (size_t c = 0; c < r->metrics.ncols; c++)
			if (!isnan(r->metrics.cols[c].v[i])) {
				n++;
				break;
			}
	return n;
}

const char *run_progress_unit(const struct run *r)
{
	if (run_has_prop(r, "steps"))
		return "steps";
	return run_has_prop(r, "epochs") ? "epochs" : "steps";
}

double series_last(const struct series *s, size_t n)
{
	while (n-- > 0)
		if (!isnan(s->v[n]))
			return s->v[n];
	return NAN;
}

static int lower_is_better(const char *name)
{
	static const char *const words[] = { "loss", "error", "mae", "mse", NULL };
	for (int i = 0; words[i]; i++)
		if (strcasestr(name, words[i]))
			return 1;
	return 0;
}

int series_best(const struct series *s, size_t n, double *best, size_t *row)
{
	int low = lower_is_better(s->name), found = 0;
	for (size_t i = 0; i < n; i++) {
		double x = s->v[i];
		if (isnan(x))
			continue;
		if (!found || (low ? x < *best : x > *best)) {
			*best = x;
			*row = i;
			found = 1;
		}
	}
	return found;
}

double run_epoch_of_row(const struct run *r, size_t row)
{
	if (r->metrics.epoch && !isnan(r->metrics.epoch[row]))
		return r->metrics.epoch[row];
	return (double)row + 1;
}

const char *run_status(struct run *r)
{
	const struct value *c = run_prop(r, "completed");
	if (c && c->type == V_BOOL && c->b)
		return "completed";
	if (r->has & HAS_ERROR)
		return "failed";
	const struct value *end = run_prop(r, "end");
	return end && end->type != V_NA ? "interrupted" : "running";
}
