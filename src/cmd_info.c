/* cmd_info.c: `tfreport info` and `tfreport latest`: everything known about a run */
#include "cli.h"
#include "columns.h"
#include "page.h"
#include "runfiles.h"
#include "runs.h"
#include "srcarchive.h"
#include "table.h"
#include "util.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY_WIDTH 20

static size_t count_lines(const char *s)
{
	size_t n = *s ? 1 : 0;
	for (; *s; s++)
		n += *s == '\n' && s[1];
	return n;
}

/* "key   value", later lines of a multi-line value indented under the first. */
static void text_field(struct buf *out, const char *key, const char *val)
{
	buf_printf(out, "%-*s ", KEY_WIDTH, key);
	for (const char *p = val; *p; p++) {
		buf_putc(out, *p);
		if (*p == '\n')
			buf_printf(out, "%-*s ", KEY_WIDTH, "");
	}
	buf_putc(out, '\n');
}

static void text_columns(struct buf *out, struct run *r)
{
	struct colset cs;
	colset_init(&cs);
	colset_add_run(&cs, r);
	size_t n;
	const struct column **cols = colset_ordered(&cs, &n);
	struct buf t = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		struct value scratch;
		const struct value *v = column_value(r, cols[i], &scratch);
		if (v && v->type != V_NA) {
			buf_reset(&t);
			if (cols[i]->bulky) {
				buf_printf(&t, "(%s: %zu lines, ", cols[i]->key[0] == 'o' ? "console output"
					   : "model summary", count_lines(v->str));
				page_fmt_size(&t, (long long)strlen(v->str));
				buf_puts(&t, "; --format json shows it)");
			} else {
				value_text(&t, v);
			}
			text_field(out, cols[i]->name, t.data);
		}
		value_free(&scratch);
	}
	buf_free(&t);
	free(cols);
	colset_free(&cs);
}

static void text_metrics(struct buf *out, const struct run *r)
{
	const struct metrics *m = &r->metrics;
	if (!m->ncols)
		return;
	buf_printf(out, "\nmetrics (%zu rows, %zu with values)\n", m->nrows, run_metrics_completed(r));
	buf_printf(out, "  %-22s %12s %12s %10s\n", "name", "last", "best", "best epoch");
	for (size_t i = 0; i < m->ncols; i++) {
		double best = NAN;
		size_t row = 0;
		struct buf a = BUF_INIT, b = BUF_INIT, e = BUF_INIT;
		struct value last = value_num(series_last(&m->cols[i], m->nrows));
		if (isnan(last.num))
			last = VALUE_NA;
		cell_text(&a, &last, 12);
		struct value bv = VALUE_NA;
		if (series_best(&m->cols[i], m->nrows, &best, &row)) {
			bv = value_num(best);
			value_fmt_num(&e, run_epoch_of_row(r, row));
		}
		cell_text(&b, &bv, 12);
		buf_printf(out, "  %-22s %12s %12s %10s\n", m->cols[i].name, a.data, b.data,
			   e.data ? e.data : "");
		buf_free(&a);
		buf_free(&b);
		buf_free(&e);
	}
}

static void text_entries(struct buf *out, const char *title, const struct run_entries *e)
{
	if (!e->n)
		return;
	buf_printf(out, "\n%s\n", title);
	for (size_t i = 0; i < e->n; i++) {
		struct buf s = BUF_INIT;
		if (e->v[i].size >= 0)
			page_fmt_size(&s, e->v[i].size);
		buf_printf(out, "  %-40s %s%s\n", e->v[i].name, e->v[i].kind == 'd' ? "dir " :
			   e->v[i].kind == 'l' ? "link " : "", s.data ? s.data : "");
		buf_free(&s);
	}
}

/* Source files of the run as entries (names and sizes only). */
static void source_entries(struct run *r, struct run_entries *out)
{
	memset(out, 0, sizeof *out);
	if (!(r->has & HAS_SOURCE))
		return;
	char *p = xasprintf("%s/tfruns.d/source.tar.gz", r->path);
	const struct value *script = run_prop(r, "script");
	struct src_archive a = { 0 };
	if (srcarchive_read(p, script && script->type == V_STR ? script->str : NULL, 0, 0, 0, &a) == 0) {
		out->v = xcalloc(a.n + 1, sizeof *out->v);
		for (size_t i = 0; i < a.n; i++)
			out->v[out->n++] = (struct run_entry){ xstrdup(a.files[i].name), 'f', a.files[i].size };
	}
	srcarchive_free(&a);
	free(p);
}

struct extras {
	struct run_entries sources, files, plots;
};

static void extras_load(struct run *r, struct extras *x)
{
	source_entries(r, &x->sources);
	run_list_files(r, &x->files);
	run_list_plots(r, &x->plots);
}

static void extras_free(struct extras *x)
{
	run_entries_free(&x->sources);
	run_entries_free(&x->files);
	run_entries_free(&x->plots);
}

static void info_text(struct buf *out, struct run *r)
{
	struct extras x;
	extras_load(r, &x);
	text_columns(out, r);
	text_metrics(out, r);
	text_entries(out, "sources (tfruns.d/source.tar.gz)", &x.sources);
	text_entries(out, "files", &x.files);
	text_entries(out, "plots", &x.plots);
	extras_free(&x);
}

static void info_key(struct buf *out, const char *k, int *first)
{
	struct value v = { V_STR, 0, 0, (char *)k };
	buf_puts(out, *first ? "\n  " : ",\n  ");
	value_json(out, &v);
	buf_puts(out, ": ");
	*first = 0;
}

static void json_entries(struct buf *out, const char *key, const struct run_entries *e, int *first)
{
	info_key(out, key, first);
	buf_putc(out, '[');
	for (size_t i = 0; i < e->n; i++) {
		struct value name = { V_STR, 0, 0, e->v[i].name };
		buf_puts(out, i ? ", {\"name\": " : "{\"name\": ");
		value_json(out, &name);
		buf_printf(out, ", \"type\": \"%s\"", e->v[i].kind == 'd' ? "directory" :
			   e->v[i].kind == 'l' ? "link" : e->v[i].kind == 'f' ? "file" : "other");
		if (e->v[i].size >= 0)
			buf_printf(out, ", \"size\": %lld", e->v[i].size);
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
}

static void json_series(struct buf *out, const double *v, size_t n)
{
	buf_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(out, ", ");
		struct value x = isnan(v[i]) ? VALUE_NA : value_num(v[i]);
		value_json(out, &x);
	}
	buf_putc(out, ']');
}

static void json_metrics(struct buf *out, const struct metrics *m, int *first)
{
	info_key(out, "history", first);
	buf_putc(out, '{');
	int f = 1;
	if (m->epoch) {
		buf_puts(out, "\"epoch\": ");
		json_series(out, m->epoch, m->nrows);
		f = 0;
	}
	for (size_t i = 0; i < m->ncols; i++) {
		struct value k = { V_STR, 0, 0, m->cols[i].name };
		buf_puts(out, f ? "" : ", ");
		value_json(out, &k);
		buf_puts(out, ": ");
		json_series(out, m->cols[i].v, m->nrows);
		f = 0;
	}
	buf_putc(out, '}');
}

static void info_json(struct buf *out, struct run *r)
{
	struct colset cs;
	colset_init(&cs);
	colset_add_run(&cs, r);
	size_t n;
	const struct column **cols = colset_ordered(&cs, &n);
	int first = 1;
	buf_putc(out, '{');
	for (size_t i = 0; i < n; i++) {
		struct value scratch;
		const struct value *v = column_value(r, cols[i], &scratch);
		if (v && v->type != V_NA) {
			info_key(out, cols[i]->name, &first);
			value_json(out, v);
		}
		value_free(&scratch);
	}
	free(cols);
	colset_free(&cs);
	json_metrics(out, &r->metrics, &first);
	struct extras x;
	extras_load(r, &x);
	json_entries(out, "sources", &x.sources, &first);
	json_entries(out, "files", &x.files, &first);
	json_entries(out, "plots", &x.plots, &first);
	extras_free(&x);
	buf_puts(out, "\n}");
}

enum { OUT_TEXT, OUT_JSON, OUT_PATH };

static int parse_out(const char *fmt, const char *alt, int alt_val)
{
	if (!fmt || !strcmp(fmt, alt))
		return alt_val;
	if (!strcmp(fmt, "json"))
		return OUT_JSON;
	tf_err("--format", 0, 0, "unknown format '%s' (%s or json)", fmt, alt);
	return -1;
}

/* Loads the latest run (greatest name) of the runs dir; NULL after an error. */
static struct run *latest_run(const char *dir)
{
	struct runset rs;
	if (access(dir, F_OK) != 0) {
		tf_err(dir, 0, 0, "no runs directory here");
		return NULL;
	}
	if (runs_scan(dir, 1, &rs) < 0)
		return NULL;
	if (!rs.n) {
		tf_err(dir, 0, 0, "no runs here");
		runset_free(&rs);
		return NULL;
	}
	struct run *r = rs.v[0];
	rs.n = 0;
	runset_free(&rs);
	return r;
}

static void render(struct buf *out, struct run *r, int how, size_t i, size_t n)
{
	if (how == OUT_JSON) {
		buf_puts(out, n > 1 ? (i ? ",\n" : "[\n") : "");
		info_json(out, r);
		buf_puts(out, n > 1 && i + 1 == n ? "\n]\n" : n > 1 ? "" : "\n");
	} else if (how == OUT_PATH) {
		buf_printf(out, "%s\n", r->path);
	} else {
		buf_puts(out, i ? "\n" : "");
		info_text(out, r);
	}
}

int cmd_info(const struct ctx *ctx, const struct opts *o)
{
	int how = parse_out(opt_get(o, "format"), "text", OUT_TEXT);
	if (how < 0)
		return EXIT_USAGE;
	size_t n = o->nargs ? (size_t)o->nargs : 1;
	struct run **runs = xcalloc(n, sizeof *runs);
	int rc = EXIT_OK;
	for (size_t i = 0; i < n && rc == EXIT_OK; i++) {
		runs[i] = o->nargs ? runs_load_arg(ctx->runs_dir, o->args[i]) : latest_run(ctx->runs_dir);
		if (!runs[i])
			rc = o->nargs ? EXIT_USAGE : EXIT_RUNTIME;
	}
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < n && rc == EXIT_OK; i++)
		render(&out, runs[i], how, i, n);
	out_write(out.data, out.len);
	buf_free(&out);
	for (size_t i = 0; i < n; i++)
		run_free(runs[i]);
	free(runs);
	return rc;
}

int cmd_latest(const struct ctx *ctx, const struct opts *o)
{
	int how = parse_out(opt_get(o, "format"), "path", OUT_PATH);
	if (how < 0)
		return EXIT_USAGE;
	struct run *r = latest_run(ctx->runs_dir);
	if (!r)
		return EXIT_RUNTIME;
	struct buf out = BUF_INIT;
	render(&out, r, how, 0, 1);
	out_write(out.data, out.len);
	buf_free(&out);
	run_free(r);
	return EXIT_OK;
}
