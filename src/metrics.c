/* metrics.c: a run's metric history as columns (metrics.json, then metrics.jsonl rows) */
#include "metrics.h"
#include "json.h"
#include "util.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void reserve(struct metrics *m, size_t rows)
{
	if (rows <= m->cap)
		return;
	size_t cap = m->cap * 2 > rows ? m->cap * 2 : rows;
	for (size_t c = 0; c < m->ncols; c++)
		m->cols[c].v = xrealloc(m->cols[c].v, cap * sizeof(double));
	if (m->epoch)
		m->epoch = xrealloc(m->epoch, cap * sizeof(double));
	m->cap = cap;
}

static double *new_column(struct metrics *m)
{
	double *v = xmalloc((m->cap ? m->cap : 1) * sizeof(double));
	for (size_t i = 0; i < m->nrows; i++)
		v[i] = NAN;
	return v;
}

/* The column named name, created (filled with NAN) if new. */
static double *column(struct metrics *m, const char *name)
{
	if (!strcmp(name, "epoch")) {
		if (!m->epoch)
			m->epoch = new_column(m);
		return m->epoch;
	}
	for (size_t c = 0; c < m->ncols; c++)
		if (!strcmp(m->cols[c].name, name))
			return m->cols[c].v;
	m->cols = xrealloc(m->cols, (m->ncols + 1) * sizeof *m->cols);
	m->cols[m->ncols] = (struct series){ xstrdup(name), new_column(m) };
	return m->cols[m->ncols++].v;
}

static void set_rows(struct metrics *m, size_t rows)
{
	reserve(m, rows);
	for (size_t r = m->nrows; r < rows; r++) {
		for (size_t c = 0; c < m->ncols; c++)
			m->cols[c].v[r] = NAN;
		if (m->epoch)
			m->epoch[r] = NAN;
	}
	m->nrows = rows;
}

/* A metric cell: numbers as they are, true/false as 1/0, null as missing; 0 if not a number. */
static int cell(const struct json *e, double *out)
{
	switch (json_type(e)) {
	case J_NUM: *out = json_num(e); return 1;
	case J_BOOL: *out = json_bool(e); return 1;
	case J_NULL: *out = NAN; return 1;
	default: *out = NAN; return 0;
	}
}

/* Adds one row object; returns the number of members that were not numbers. */
static int add_row(struct metrics *m, const struct json *obj)
{
	int bad = 0;
	size_t r = m->nrows;
	set_rows(m, r + 1);
	for (const struct json *e = json_child(obj); e; e = json_next(e)) {
		double *col = column(m, json_key(e));
		bad += !cell(e, &col[r]);
	}
	return bad;
}

static void from_rows(struct metrics *m, const struct json *j, const char *path)
{
	int bad = 0;
	for (const struct json *row = json_child(j); row; row = json_next(row)) {
		if (json_type(row) != J_OBJ)
			bad++;
		else
			bad += add_row(m, row);
	}
	if (bad)
		tf_warn(path, 1, 1, "%d metric values are not numbers; read as missing", bad);
}

void metrics_from_columns(struct metrics *m, const struct json *j, const char *path)
{
	if (json_type(j) == J_ARR) {
		from_rows(m, j, path);
		return;
	}
	if (json_type(j) != J_OBJ) {
		tf_warn(path, 1, 1, "expected an object of metric columns; ignored");
		return;
	}
	size_t base = m->nrows, longest = 0, shortest = (size_t)-1;
	int bad = 0;
	for (const struct json *c = json_child(j); c; c = json_next(c)) {
		size_t n = json_type(c) == J_ARR ? json_size(c) : 1;
		longest = n > longest ? n : longest;
		shortest = n < shortest ? n : shortest;
	}
	set_rows(m, base + longest);
	for (const struct json *c = json_child(j); c; c = json_next(c)) {
		double *col = column(m, json_key(c));
		if (json_type(c) != J_ARR) { /* a one-row history unboxed to a scalar */
			bad += !cell(c, &col[base]);
			continue;
		}
		size_t i = base;
		for (const struct json *e = json_child(c); e; e = json_next(e))
			bad += !cell(e, &col[i++]);
	}
	if (longest && shortest != longest)
		tf_warn(path, 1, 1, "metric columns have unequal lengths (%zu to %zu rows); "
			"short ones padded with missing values", shortest, longest);
	if (bad)
		tf_warn(path, 1, 1, "%d metric values are not numbers; read as missing", bad);
}

struct fast {
	struct metrics *m;
	size_t base, longest, shortest;
	int any;
};

static void fast_column(void *ctx, const char *key, const double *v, size_t n)
{
	struct fast *f = ctx;
	if (f->base + n > f->m->nrows)
		set_rows(f->m, f->base + n);
	double *col = column(f->m, key);
	if (n)
		memcpy(col + f->base, v, n * sizeof *v);
	f->longest = n > f->longest ? n : f->longest;
	f->shortest = !f->any || n < f->shortest ? n : f->shortest;
	f->any = 1;
}

void metrics_from_text(struct metrics *m, const char *text, size_t len, const char *path)
{
	struct fast f = { m, m->nrows, 0, 0, 0 };
	if (json_number_columns(text, len, fast_column, &f) == 0) {
		if (f.longest && f.shortest != f.longest)
			tf_warn(path, 1, 1, "metric columns have unequal lengths (%zu to %zu rows); "
				"short ones padded with missing values", f.shortest, f.longest);
		return;
	}
	struct json *j = json_parse(text, len, path);
	if (j)
		metrics_from_columns(m, j, path);
	json_free(j);
}

void metrics_append_lines(struct metrics *m, const char *text, size_t len, const char *path)
{
	size_t off = 0;
	int line = 0;
	while (off < len) {
		const char *s = text + off;
		const char *nl = memchr(s, '\n', len - off);
		size_t n = nl ? (size_t)(nl - s) : len - off;
		off += n + (nl != NULL);
		line++;
		size_t k = strspn(s, " \t\r");
		if (k >= n)
			continue;
		char *copy = xstrndup(s, n);
		size_t err = 0;
		struct json *j = json_parse_quiet(copy, n, &err);
		if (!j || json_type(j) != J_OBJ)
			tf_warn(path, line, j ? 1 : (int)err + 1, "%s; line skipped",
				j ? "expected a JSON object" : "invalid JSON");
		else if (add_row(m, j))
			tf_warn(path, line, 1, "metric values that are not numbers read as missing");
		json_free(j);
		free(copy);
	}
}

void metrics_free(struct metrics *m)
{
	for (size_t c = 0; c < m->ncols; c++) {
		free(m->cols[c].name);
		free(m->cols[c].v);
	}
	free(m->cols);
	free(m->epoch);
	memset(m, 0, sizeof *m);
}
