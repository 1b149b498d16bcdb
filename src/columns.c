/* columns.c: the columns of a listing (tfruns ls_runs names and order) and each run's values */
#include "columns.h"
#include "xalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Properties with a fixed place (reference 2.4), as group * 100 + rank. */
static const struct { const char *name; int pos; } fixed[] = {
	{ "samples", 700 }, { "validation_samples", 701 }, { "batch_size", 800 },
	{ "steps", 900 }, { "steps_completed", 901 }, { "epochs", 902 },
	{ "epochs_completed", 903 }, { "metrics", 1000 }, { "model", 1100 },
	{ "loss_function", 1101 }, { "optimizer", 1102 }, { "learning_rate", 1103 },
	{ "script", 1200 }, { "source", 1201 }, { "start", 1300 }, { "end", 1301 },
	{ "completed", 1302 }, { "status", 1303 }, { "duration", 1304 }, { "output", 1400 },
	{ "error_message", 1401 }, { "error_traceback", 1402 }, { "source_code", 1500 },
	{ "context", 1600 }, { "type", 1601 },
};
enum { G_RUN_DIR = 1, G_EVAL = 3, G_METRIC = 4, G_BEST = 5, G_FLAG = 6, G_OTHER = 17 };

/* Column names the program derives; a property file of the same name does not shadow them. */
static int derived_name(const char *name)
{
	static const char *const names[] = { "run_dir", "metrics", "source_code", "error_message",
		"error_traceback", "status", "duration", "steps_completed", "epochs_completed", NULL };
	for (int i = 0; names[i]; i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

void colset_init(struct colset *cs) { memset(cs, 0, sizeof *cs); }

void colset_free(struct colset *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free(cs->v[i].name);
	free(cs->v);
	free(cs->slots);
	memset(cs, 0, sizeof *cs);
}

static size_t *slot_of(const struct colset *cs, const char *name)
{
	size_t i = hash(name) & (cs->nslots - 1);
	while (cs->slots[i] && strcmp(cs->v[cs->slots[i] - 1].name, name))
		i = (i + 1) & (cs->nslots - 1);
	return &cs->slots[i];
}

const struct column *colset_find(const struct colset *cs, const char *name)
{
	if (!cs->nslots)
		return NULL;
	size_t s = *slot_of(cs, name);
	return s ? &cs->v[s - 1] : NULL;
}

static void rehash(struct colset *cs)
{
	free(cs->slots);
	cs->nslots = cs->nslots ? cs->nslots * 2 : 64;
	cs->slots = xcalloc(cs->nslots, sizeof *cs->slots);
	for (size_t i = 0; i < cs->n; i++)
		*slot_of(cs, cs->v[i].name) = i + 1;
}

static void place(struct column *c)
{
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (!strcmp(c->name, fixed[i].name)) {
			c->group = fixed[i].pos / 100;
			c->rank = fixed[i].pos % 100;
			return;
		}
	c->group = G_OTHER;
}

static void add(struct colset *cs, enum colkind kind, const char *prefix, const char *key,
		int group)
{
	char small[256];
	size_t np = strlen(prefix), nk = strlen(key);
	char *name = np + nk < sizeof small ? small : xmalloc(np + nk + 1);
	memcpy(name, prefix, np);
	memcpy(name + np, key, nk + 1);
	if (colset_find(cs, name)) {
		if (name != small)
			free(name);
		return;
	}
	if (name == small)
		name = xstrdup(small);
	if ((cs->n + 1) * 2 > cs->nslots)
		rehash(cs);
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 64;
		cs->v = xrealloc(cs->v, cs->cap * sizeof *cs->v);
	}
	struct column *c = &cs->v[cs->n];
	*c = (struct column){ name, kind, name + strlen(prefix), group, 0, cs->n, 0 };
	if (!group)
		place(c);
	c->bulky = kind == C_PROP && (!strcmp(key, "output") || !strcmp(key, "model"));
	*slot_of(cs, name) = ++cs->n;
}

static void add_metrics(struct colset *cs, const struct run *r)
{
	const struct metrics *m = &r->metrics;
	for (size_t i = 0; i < m->ncols; i++)
		if (!isnan(series_last(&m->cols[i], m->nrows)))
			add(cs, C_METRIC, "metric_", m->cols[i].name, G_METRIC);
	for (size_t i = 0; i < m->ncols; i++)
		if (!isnan(series_last(&m->cols[i], m->nrows))) {
			add(cs, C_BEST, "best_", m->cols[i].name, G_BEST);
			char *e = xasprintf("%s_epoch", m->cols[i].name);
			add(cs, C_BEST_EPOCH, "best_", e, G_BEST);
			free(e);
		}
}

void colset_add_run(struct colset *cs, const struct run *r)
{
	add(cs, C_RUN_DIR, "", "run_dir", G_RUN_DIR);
	for (size_t i = 0; i < r->nprops; i++)
		if (!derived_name(r->props[i].name))
			add(cs, C_PROP, "", r->props[i].name, 0);
	if (r->has & HAS_PROPERTIES) { /* tfruns fills these in when properties/ exists */
		add(cs, C_PROP, "", "type", 0);
		add(cs, C_PROP, "", "context", 0);
	}
	for (size_t i = 0; i < r->neval; i++)
		add(cs, C_EVAL, "eval_", r->eval[i].name, G_EVAL);
	add_metrics(cs, r);
	add(cs, C_UNIT_COMPLETED, "", !strcmp(run_progress_unit(r), "steps") ?
	    "steps_completed" : "epochs_completed", 0);
	for (size_t i = 0; i < r->nflags; i++)
		add(cs, C_FLAG, "flag_", r->flags[i].name, G_FLAG);
	if (r->has & HAS_METRICS)
		add(cs, C_METRICS_PATH, "", "metrics", 0);
	if (r->has & HAS_SOURCE)
		add(cs, C_SOURCE_CODE, "", "source_code", 0);
	if (r->error_message)
		add(cs, C_ERROR_MESSAGE, "", "error_message", 0);
	if (r->error_traceback)
		add(cs, C_ERROR_TRACEBACK, "", "error_traceback", 0);
	add(cs, C_STATUS, "", "status", 0);
	if (run_has_prop(r, "start") && run_has_prop(r, "end"))
		add(cs, C_DURATION, "", "duration", 0);
}

static int ordered_cmp(const void *a, const void *b)
{
	const struct column *x = *(const struct column *const *)a;
	const struct column *y = *(const struct column *const *)b;
	if (x->group != y->group)
		return x->group - y->group;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return x->seen < y->seen ? -1 : x->seen > y->seen;
}

const struct column **colset_ordered(const struct colset *cs, size_t *n)
{
	const struct column **v = xcalloc(cs->n, sizeof *v);
	for (size_t i = 0; i < cs->n; i++)
		v[i] = &cs->v[i];
	if (cs->n)
	qsort(v, cs->n, sizeof *v, ordered_cmp);
	*n = cs->n;
	return v;
}

static const struct value *field_value(const struct field *f, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].name, key))
			return &f[i].v;
	return NULL;
}

static const struct series *find_series(const struct run *r, const char *key)
{
	for (size_t i = 0; i < r->metrics.ncols; i++)
		if (!strcmp(r->metrics.cols[i].name, key))
			return &r->metrics.cols[i];
	return NULL;
}

static struct value best_value(const struct run *r, const struct column *c)
{
	size_t klen = strlen(c->key);
	char *key = c->kind == C_BEST ? xstrdup(c->key) : xstrndup(c->key, klen - 6);
	const struct series *s = find_series(r, key);
	free(key);
	double best;
	size_t row;
	if (!s || !series_best(s, r->metrics.nrows, &best, &row))
		return VALUE_NA;
	return value_num(c->kind == C_BEST ? best : run_epoch_of_row(r, row));
}

static struct value duration(struct run *r)
{
	const struct value *s = run_prop(r, "start"), *e = run_prop(r, "end");
	if (!s || !e || s->type != V_TIME || e->type != V_TIME)
		return VALUE_NA;
	return value_num(e->num - s->num);
}

const struct value *column_value(struct run *r, const struct column *c, struct value *scratch)
{
	*scratch = VALUE_NA;
	switch (c->kind) {
	case C_RUN_DIR: *scratch = value_str(r->path); break;
	case C_EVAL: return field_value(r->eval, r->neval, c->key);
	case C_FLAG: return field_value(r->flags, r->nflags, c->key);
	case C_PROP: return run_prop(r, c->key);
	case C_METRIC: {
		const struct series *s = find_series(r, c->key);
		double v = s ? series_last(s, r->metrics.nrows) : NAN;
		if (!isnan(v))
			*scratch = value_num(v);
		break;
	}
	case C_BEST:
	case C_BEST_EPOCH: *scratch = best_value(r, c); break;
	case C_UNIT_COMPLETED:
		if (!strncmp(c->name, run_progress_unit(r), 5))
			*scratch = value_num((double)run_metrics_completed(r));
		break;
	case C_METRICS_PATH:
		if (r->has & HAS_METRICS)
			*scratch = value_str_own(xasprintf("%s/tfruns.d/metrics.json", r->path));
		break;
	case C_SOURCE_CODE:
		if (r->has & HAS_SOURCE)
			*scratch = value_str_own(xasprintf("%s/tfruns.d/source.tar.gz", r->path));
		break;
	case C_ERROR_MESSAGE:
		if (r->error_message)
			*scratch = value_str(r->error_message);
		break;
	case C_ERROR_TRACEBACK:
		if (r->error_traceback)
			*scratch = value_str(r->error_traceback);
		break;
	case C_STATUS: *scratch = value_str(run_status(r)); break;
	case C_DURATION: *scratch = duration(r); break;
	}
	return scratch;
}
