/* listing.c: the ls pipeline shared by every command that lists runs: scan, --latest,
 * --filter, --order, --columns */
#include "listing.h"
#include "filter.h"
#include "util.h"
#include "xalloc.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct names {
	char **v;
	size_t n;
};

/* Splits "a, b,c" at commas, dropping blanks. */
static struct names split(const char *s)
{
	struct names r = { xcalloc(strlen(s) + 1, sizeof(char *)), 0 };
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, ",");
		const char *a = p, *b = p + n;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > a)
			r.v[r.n++] = xstrndup(a, (size_t)(b - a));
		p += n + (p[n] == ',');
	}
	return r;
}

static void names_free(struct names *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
}

struct row_ctx {
	struct run *run;
	const struct colset *cols;
	struct value scratch;
};

static const struct value *lookup(void *p, const char *name)
{
	struct row_ctx *rc = p;
	const struct column *c = colset_find(rc->cols, name);
	value_free(&rc->scratch);
	return c ? column_value(rc->run, c, &rc->scratch) : NULL;
}

static int bad_filter(const char *expr, const char *msg, size_t off)
{
	struct buf b = BUF_INIT;
	filter_caret(&b, expr, off);
	tf_err("--filter", 1, (int)off + 1, "%s", msg);
	fputs(b.data, stderr);
	buf_free(&b);
	return EXIT_USAGE;
}

/* 1 if the column at off is the argument of exists(): such a column may be unknown. */
static int in_exists(const char *expr, size_t off)
{
	size_t i = off;
	while (i > 0 && (expr[i - 1] == ' ' || expr[i - 1] == '\t'))
		i--;
	if (i == 0 || expr[--i] != '(')
		return 0;
	while (i > 0 && (expr[i - 1] == ' ' || expr[i - 1] == '\t'))
		i--;
	return i >= 6 && !strncmp(expr + i - 6, "exists", 6);
}

/* Keeps the rows matching the filter; EXIT_USAGE after an error. */
static int apply_filter(struct listing_result *res, const char *expr)
{
	char *err = NULL;
	size_t off = 0;
	struct filter *f = filter_parse(expr, &err, &off);
	if (!f) {
		int rc = bad_filter(expr, err, off);
		free(err);
		return rc;
	}
	for (size_t i = 0; res->runs.n && i < filter_ncolumns(f); i++)
		if (!colset_find(&res->cols, filter_column(f, i)) &&
		    !in_exists(expr, filter_column_offset(f, i))) {
			char *msg = xasprintf("unknown column '%s'", filter_column(f, i));
			int rc = bad_filter(expr, msg, filter_column_offset(f, i));
			free(msg);
			filter_free(f);
			return rc;
		}
	struct listing *l = &res->listing;
	size_t k = 0;
	for (size_t i = 0; i < l->nrows; i++) {
		struct row_ctx rc = { l->rows[i], &res->cols, VALUE_NA };
		if (filter_eval(f, lookup, &rc))
			l->rows[k++] = l->rows[i];
		value_free(&rc.scratch);
	}
	l->nrows = k;
	filter_free(f);
	return 0;
}

struct sort_row {
	struct run *run;
	size_t index;
	struct value *keys;
};

struct sort_spec {
	size_t nkeys;
	int dir;
};

/* Missing values last in either direction; ties keep the name order (newest first). */
static int row_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_row *x = a, *y = b;
	const struct sort_spec *sp = arg;
	for (size_t k = 0; k < sp->nkeys; k++) {
		const struct value *u = &x->keys[k], *v = &y->keys[k];
		if (u->type == V_NA || v->type == V_NA) {
			if (u->type != v->type)
				return u->type == V_NA ? 1 : -1;
			continue;
		}
		int c = value_cmp(u, v);
		if (c)
			return c * sp->dir;
	}
	return x->index < y->index ? -1 : x->index > y->index;
}

static void sort_rows(struct listing *l, const struct column **keys, size_t nkeys, int increasing)
{
	struct sort_row *rows = xcalloc(l->nrows, sizeof *rows);
	for (size_t i = 0; i < l->nrows; i++) {
		rows[i] = (struct sort_row){ l->rows[i], i, xcalloc(nkeys, sizeof(struct value)) };
		for (size_t k = 0; k < nkeys; k++) {
			struct value scratch;
			const struct value *v = column_value(l->rows[i], keys[k], &scratch);
			rows[i].keys[k] = v ? value_copy(v) : VALUE_NA;
			value_free(&scratch);
		}
	}
	struct sort_spec sp = { nkeys, increasing ? 1 : -1 };
	if (l->nrows)
	qsort_r(rows, l->nrows, sizeof *rows, row_cmp, &sp);
	for (size_t i = 0; i < l->nrows; i++) {
		l->rows[i] = rows[i].run;
		for (size_t k = 0; k < nkeys; k++)
			value_free(&rows[i].keys[k]);
		free(rows[i].keys);
	}
	free(rows);
}

/* Resolves --order; NULL (after an error) on an unknown column. */
static const struct column **order_columns(const struct listing_result *res, const char *order,
					   size_t *n)
{
	struct names names = split(order ? order : "start");
	const struct column **v = xcalloc(names.n + 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; i < names.n; i++) {
		const struct column *c = colset_find(&res->cols, names.v[i]);
		if (!c && res->runs.n && order) {
			tf_err("--order", 0, 0, "unknown column '%s'", names.v[i]);
			names_free(&names);
			free(v);
			return NULL;
		}
		if (c)
			v[(*n)++] = c;
	}
	names_free(&names);
	return v;
}

static int shown(const struct column **v, size_t n, const struct column *c)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == c)
			return 1;
	return 0;
}

/* Adds the columns a --columns item names (a name or a glob), in tfruns order; 0 if none. */
static size_t add_matching(const struct column **all, size_t nall, const char *pat,
			   const struct column **v, size_t *n)
{
	size_t found = 0;
	for (size_t i = 0; i < nall; i++) {
		if (fnmatch(pat, all[i]->name, 0) != 0)
			continue;
		found++;
		if (!shown(v, *n, all[i]))
			v[(*n)++] = all[i];
	}
	return found;
}

/* The columns a --columns list names (globs that match nothing are no error), after run_dir;
 * NULL after an error for an unknown plain name. */
const struct column **listing_pick(const struct listing_result *res, const char *spec, size_t *n)
{
	size_t nall;
	const struct column **all = colset_ordered(&res->cols, &nall);
	const struct column **v = xcalloc(nall + 1, sizeof *v);
	*n = 0;
	const struct column *rd = colset_find(&res->cols, "run_dir");
	if (rd)
		v[(*n)++] = rd;
	struct names names = split(spec);
	for (size_t i = 0; i < names.n; i++)
		if (!add_matching(all, nall, names.v[i], v, n) && res->runs.n &&
		    !strpbrk(names.v[i], "*?[")) {
			tf_err("--columns", 0, 0, "unknown column '%s'", names.v[i]);
			free(v);
			v = NULL;
			break;
		}
	names_free(&names);
	free(all);
	return v;
}

/* Fills the shown and hidden columns of the listing; EXIT_USAGE on an unknown name. */
static int choose_columns(struct listing_result *res, const struct query *q,
			  const struct column **okeys, size_t nokeys)
{
	size_t nall, n = 0;
	const struct column **all = colset_ordered(&res->cols, &nall);
	const struct column **v;
	int defaults = !q->columns, everything = q->columns && !strcmp(q->columns, "all");
	if (defaults || everything) {
		v = xcalloc(nall + 1, sizeof *v);
		const struct column *rd = colset_find(&res->cols, "run_dir");
		if (rd)
			v[n++] = rd;
		if (defaults || q->order)
			for (size_t i = 0; i < nokeys; i++)
				if (!shown(v, n, okeys[i]))
					v[n++] = okeys[i];
		for (size_t i = 0; i < nall; i++) {
			const struct column *c = all[i];
			int take = everything ? !c->bulky : (c->kind == C_EVAL || c->kind == C_METRIC);
			if (take && !shown(v, n, c))
				v[n++] = c;
		}
	} else if (!(v = listing_pick(res, q->columns, &n))) {
		free(all);
		return EXIT_USAGE;
	}
	struct listing *l = &res->listing;
	l->cols = v;
	l->ncols = n;
	l->hidden = xcalloc(nall + 1, sizeof *l->hidden);
	for (size_t i = 0; i < nall; i++)
		if (!shown(v, n, all[i]))
			l->hidden[l->nhidden++] = all[i];
	free(all);
	return 0;
}

int listing_query(const char *runs_dir, const struct query *q, struct listing_result *res)
{
	memset(res, 0, sizeof *res);
	colset_init(&res->cols);
	if (runs_scan(runs_dir, q->latest, &res->runs) < 0) {
		listing_result_free(res);
		return EXIT_RUNTIME;
	}
	for (size_t i = 0; i < res->runs.n; i++)
		colset_add_run(&res->cols, res->runs.v[i]);
	struct listing *l = &res->listing;
	l->rows = xcalloc(res->runs.n + 1, sizeof *l->rows);
	for (size_t i = 0; i < res->runs.n; i++)
		l->rows[i] = res->runs.v[i];
	l->nrows = res->runs.n;
	int rc = q->filter ? apply_filter(res, q->filter) : 0;
	size_t nkeys = 0;
	const struct column **keys = rc ? NULL : order_columns(res, q->order, &nkeys);
	if (!rc && !keys)
		rc = EXIT_USAGE;
	if (!rc) {
		sort_rows(l, keys, nkeys, q->increasing);
		rc = choose_columns(res, q, keys, nkeys);
	}
	free(keys);
	if (rc)
		listing_result_free(res);
	return rc;
}

void listing_result_free(struct listing_result *res)
{
	free(res->listing.rows);
	free(res->listing.cols);
	free(res->listing.hidden);
	runset_free(&res->runs);
	colset_free(&res->cols);
	memset(res, 0, sizeof *res);
}
