/* page_run.c: the single-run report: view model of a run, rendered by templates/run.html */
#include "page.h"
#include "chart.h"
#include "console.h"
#include "html.h"
#include "md.h"
#include "util.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const run_assets[] = {
	"uplot_css", "vendor/uPlot.min.css", "report_css", "assets/css/report.css",
	"uplot_js", "vendor/uPlot.iife.min.js", "hljs_js", "vendor/hljs.js",
	"page_js", "assets/js/run.js", NULL,
};

/* ---- small formats ---- */

static char *fmt_value(const struct value *v)
{
	struct buf b = BUF_INIT;
	if (v && v->type == V_NUM)
		page_fmt_num(&b, v->num);
	else if (v && v->type == V_TIME)
		page_fmt_time(&b, v->num);
	else if (v)
		value_text(&b, v);
	return buf_detach(&b);
}

static char *thousands(double d)
{
	char tmp[64], out[96];
	snprintf(tmp, sizeof tmp, "%.0f", d);
	size_t n = strlen(tmp), k = 0, lead = tmp[0] == '-';
	for (size_t i = 0; i < n; i++) {
		if (i > lead && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = tmp[i];
	}
	out[k] = '\0';
	return xstrdup(out);
}

/* A card row; full (the exact text) is shown on hover when it differs from value. */
static void row(struct json *rows, const char *key, const char *value, const char *full,
		const char *note)
{
	struct json *o = json_add_object(rows, NULL);
	json_add_str(o, "key", key);
	json_add_str(o, "value", value);
	if (full && strcmp(full, value))
		json_add_str(o, "full", full);
	if (note)
		json_add_str(o, "note", note);
}

static void row_value(struct json *rows, const char *key, const struct value *v)
{
	if (!v || v->type == V_NA)
		return;
	char *shown = fmt_value(v);
	struct buf full = BUF_INIT;
	value_text(&full, v);
	row(rows, key, shown, full.data, NULL);
	buf_free(&full);
	free(shown);
}

static struct json *card(struct json *cards, const char *title)
{
	struct json *c = json_add_object(cards, NULL);
	json_add_str(c, "title", title);
	return json_add_array(c, "rows");
}

/* ---- header and cards ---- */

static void add_header(struct json *view, struct run *r)
{
	struct json *h = json_add_object(view, "run");
	json_add_str(h, "name", r->name);
	json_add_str(h, "path", r->path);
	json_add_str(h, "status", run_status(r));
	const struct value *s = run_prop(r, "start"), *e = run_prop(r, "end");
	struct buf b = BUF_INIT;
	if (s && s->type == V_TIME) {
		page_fmt_time(&b, s->num);
		json_add_str(h, "started", b.data);
		buf_reset(&b);
		value_fmt_time(&b, s->num);
		json_add_str(h, "started_iso", b.data);
		buf_reset(&b);
		if (e && e->type == V_TIME) {
			page_fmt_duration(&b, e->num - s->num);
			json_add_str(h, "duration", b.data);
		}
	}
	buf_free(&b);
	const struct value *sc = run_prop(r, "script");
	if (sc && sc->type == V_STR)
		json_add_str(h, "script", sc->str);
	json_add_str(view, "title", r->name);
}

static void card_run(struct json *cards, struct run *r)
{
	struct json *rows = card(cards, "Run");
	row_value(rows, "context", run_prop(r, "context"));
	row_value(rows, "script", run_prop(r, "script"));
	row_value(rows, "started", run_prop(r, "start"));
	row_value(rows, "ended", run_prop(r, "end"));
	const struct value *s = run_prop(r, "start"), *e = run_prop(r, "end");
	if (s && e && s->type == V_TIME && e->type == V_TIME) {
		struct buf d = BUF_INIT;
		page_fmt_duration(&d, e->num - s->num);
		row(rows, "duration", d.data, NULL, NULL);
		buf_free(&d);
	}
	row(rows, "status", run_status(r), NULL, NULL);
}

static void card_metrics(struct json *cards, const struct run *r)
{
	const struct metrics *m = &r->metrics;
	struct json *rows = NULL;
	for (size_t i = 0; i < m->ncols; i++) {
		double best, last = series_last(&m->cols[i], m->nrows);
		size_t at;
		if (isnan(last) || !series_best(&m->cols[i], m->nrows, &best, &at))
			continue;
		rows = rows ? rows : card(cards, "Metrics");
		struct buf a = BUF_INIT, f = BUF_INIT, n = BUF_INIT;
		page_fmt_num(&a, last);
		value_fmt_num(&f, last);
		buf_puts(&n, "best ");
		page_fmt_num(&n, best);
		buf_puts(&n, " @ ");
		value_fmt_num(&n, run_epoch_of_row(r, at));
		row(rows, m->cols[i].name, a.data, f.data, n.data);
		buf_free(&a);
		buf_free(&f);
		buf_free(&n);
	}
}

static void card_fields(struct json *cards, const char *title, const struct field *f, size_t n)
{
	if (!n)
		return;
	struct json *rows = card(cards, title);
	for (size_t i = 0; i < n; i++)
		row_value(rows, f[i].name, &f[i].v);
}

static void card_optimization(struct json *cards, struct run *r)
{
	static const char *const keys[] = { "loss", "loss_function", "optimizer", "optimizer",
					    "learning rate", "learning_rate", NULL };
	struct json *rows = NULL;
	for (int i = 0; keys[i]; i += 2) {
		const struct value *v = run_prop(r, keys[i + 1]);
		if (v && v->type != V_NA) {
			rows = rows ? rows : card(cards, "Optimization");
			row_value(rows, keys[i], v);
		}
	}
}

static void card_training(struct json *cards, struct run *r)
{
	static const char *const keys[] = { "samples", "validation_samples", "epochs", "steps",
					    "batch_size", NULL };
	struct json *rows = NULL;
	const char *unit = run_progress_unit(r);
	for (int i = 0; keys[i]; i++) {
		const struct value *v = run_prop(r, keys[i]);
		if (!v || v->type != V_NUM)
			continue;
		rows = rows ? rows : card(cards, "Training");
		char *total = thousands(v->num);
		size_t done = run_metrics_completed(r);
		if (!strcmp(keys[i], unit) && r->metrics.nrows && (double)done < v->num) {
			char *d = thousands((double)done);
			char *both = xasprintf("%s/%s", d, total);
			row(rows, keys[i], both, NULL, NULL);
			free(both);
			free(d);
		} else {
			row(rows, keys[i], total, NULL, NULL);
		}
		free(total);
	}
}

/* Properties no other card shows; cloudml_* ones get their own card. */
static int shown_elsewhere(const char *name)
{
	static const char *const known[] = { "type", "context", "script", "start", "end",
		"completed", "output", "model", "loss_function", "optimizer", "learning_rate",
		"samples", "validation_samples", "epochs", "steps", "batch_size", NULL };
	for (int i = 0; known[i]; i++)
		if (!strcmp(name, known[i]))
			return 1;
	return 0;
}

static void card_properties(struct json *cards, struct run *r, int cloudml)
{
	struct json *rows = NULL;
	for (size_t i = 0; i < r->nprops; i++) {
		const char *name = r->props[i].name;
		int is_cloud = !strncmp(name, "cloudml_", 8);
		if (shown_elsewhere(name) || is_cloud != cloudml)
			continue;
		const struct value *v = run_prop(r, name);
		if (!v || v->type == V_NA)
			continue;
		rows = rows ? rows : card(cards, cloudml ? "CloudML" : "Properties");
		row_value(rows, cloudml ? name + 8 : name, v);
	}
}

static void add_cards(struct json *view, struct run *r)
{
	struct json *cards = json_add_array(view, "cards");
	card_properties(cards, r, 1);
	card_run(cards, r);
	card_metrics(cards, r);
	card_fields(cards, "Evaluation", r->eval, r->neval);
	card_fields(cards, "Flags", r->flags, r->nflags);
	card_optimization(cards, r);
	card_training(cards, r);
	card_properties(cards, r, 0);
}

/* ---- error, model, notes ---- */

static void add_error(struct json *view, const struct run *r)
{
	if (!r->error_message && !r->error_traceback && !(r->has & HAS_ERROR))
		return;
	struct json *e = json_add_object(view, "error");
	json_add_str(e, "message", r->error_message ? r->error_message : "the run failed");
	if (r->error_traceback)
		json_add_str(e, "traceback", r->error_traceback);
}

/* keras's summary without its leading "Model" line and rule, as tfruns shows it. */
static void add_model(struct json *view, struct run *r)
{
	const struct value *m = run_prop(r, "model");
	if (!m || m->type != V_STR)
		return;
	const char *s = m->str;
	if (!strncmp(s, "Model", 5) && strchr(s, '\n'))
		s = strchr(s, '\n') + 1;
	if (s[0] == '_' && strchr(s, '\n'))
		s = strchr(s, '\n') + 1;
	json_add_str(view, "model", s);
}

static void add_notes(struct json *view, const char *notes)
{
	if (!notes)
		return;
	struct buf b = BUF_INIT;
	md_render(&b, notes, strlen(notes)); /* cmark safe mode: no raw HTML passes */
	json_add_str(view, "notes_html", b.data ? b.data : "");
	buf_free(&b);
}

/* ---- charts ---- */

static const struct series *find_col(const struct metrics *m, const char *name)
{
	for (size_t i = 0; i < m->ncols; i++)
		if (!strcmp(m->cols[i].name, name))
			return &m->cols[i];
	return NULL;
}

/* acc/accuracy charts span 0..1 (tfruns), as do other accuracies whose values all lie there. */
static int unit_range(const struct series *s, size_t n)
{
	if (!strcmp(s->name, "acc") || !strcmp(s->name, "accuracy"))
		return 1;
	if (!strstr(s->name, "acc"))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(s->v[i]) && (s->v[i] < 0 || s->v[i] > 1))
			return 0;
	return 1;
}

static void add_series_values(struct json *arr, const double *v, const size_t *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_add_num(arr, NULL, v[rows[i]]);
}

static void noscript_row(struct json *table, const struct run *r, const struct series *s)
{
	double best;
	size_t at;
	struct json *o = json_add_object(table, NULL);
	json_add_str(o, "name", s->name);
	struct buf b = BUF_INIT;
	page_fmt_num(&b, series_last(s, r->metrics.nrows));
	json_add_str(o, "last", b.data);
	if (series_best(s, r->metrics.nrows, &best, &at)) {
		buf_reset(&b);
		page_fmt_num(&b, best);
		json_add_str(o, "best", b.data);
		json_add_num(o, "best_epoch", run_epoch_of_row(r, at));
	}
	buf_free(&b);
}

/* One chart: the metric and its val_ twin on rows chosen to keep every spike. */
static int add_chart(struct json *charts, struct json *data, const struct run *r,
		     const struct series *s, const struct series *val, size_t max_points)
{
	const struct metrics *m = &r->metrics;
	size_t *a = xcalloc(max_points + m->nrows + 1, sizeof *a);
	size_t *b = xcalloc(max_points + 1, sizeof *b);
	size_t *rows = xcalloc(2 * max_points + m->nrows + 1, sizeof *rows);
	size_t na = chart_reduce(s->v, m->nrows, max_points, a), n = na;
	memcpy(rows, a, na * sizeof *a);
	if (val) {
		size_t nb = chart_reduce(val->v, m->nrows, max_points, b);
		n = chart_merge_rows(a, na, b, nb, rows);
	}
	struct json *c = json_add_object(data, NULL);
	json_add_str(c, "metric", s->name);
	json_add_bool(c, "unit_range", unit_range(s, m->nrows) && (!val || unit_range(val, m->nrows)));
	struct json *x = json_add_array(c, "x");
	for (size_t i = 0; i < n; i++)
		json_add_num(x, NULL, run_epoch_of_row(r, rows[i]));
	struct json *ser = json_add_array(c, "series");
	const struct series *both[2] = { s, val };
	struct json *v = json_add_object(charts, NULL);
	json_add_str(v, "metric", s->name);
	if (val)
		json_add_str(v, "val", val->name);
	struct json *table = json_add_array(v, "table");
	for (int k = 0; k < 2 && both[k]; k++) {
		struct json *o = json_add_object(ser, NULL);
		json_add_str(o, "name", both[k]->name);
		add_series_values(json_add_array(o, "values"), both[k]->v, rows, n);
		noscript_row(table, r, both[k]);
	}
	free(a);
	free(b);
	free(rows);
	return m->nrows > max_points;
}

static void add_charts(struct json *view, struct json *data, const struct run *r, size_t max_points)
{
	const struct metrics *m = &r->metrics;
	struct json *charts = json_add_array(view, "charts");
	struct json *dc = json_add_array(data, "charts");
	json_add_str(data, "x_label", m->epoch ? "epoch" : run_progress_unit(r)[0] == 's' ?
		     "step" : "epoch");
	int reduced = 0, any = 0;
	for (size_t i = 0; i < m->ncols; i++) {
		const struct series *s = &m->cols[i];
		if (isnan(series_last(s, m->nrows)))
			continue;
		if (!strncmp(s->name, "val_", 4) && find_col(m, s->name + 4))
			continue; /* drawn with its training twin */
		char *vn = xasprintf("val_%s", s->name);
		const struct series *val = find_col(m, vn);
		free(vn);
		if (val && isnan(series_last(val, m->nrows)))
			val = NULL;
		reduced |= add_chart(charts, dc, r, s, val, max_points);
		any = 1;
	}
	json_add_bool(view, "has_charts", any);
	if (reduced) {
		char *rows = thousands((double)m->nrows), *pts = thousands((double)max_points);
		char *note = xasprintf("%s rows: each series is drawn with at most %s points, keeping "
				       "the first, last, lowest and highest of every bucket, so spikes show.",
				       rows, pts);
		json_add_str(view, "reduced", note);
		free(note);
		free(rows);
		free(pts);
	}
}

/* ---- output tab ---- */

static void base64(struct buf *out, const unsigned char *p, size_t n)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	buf_grow(out, (n + 2) / 3 * 4);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);
		char q[4] = { t[v >> 18 & 63], t[v >> 12 & 63], i + 1 < n ? t[v >> 6 & 63] : '=',
			      i + 2 < n ? t[v & 63] : '=' };
		buf_add(out, q, 4);
	}
}

static const char *image_mime(const char *name)
{
	static const char *const map[] = { ".png", "image/png", ".jpg", "image/jpeg",
		".jpeg", "image/jpeg", ".gif", "image/gif", ".svg", "image/svg+xml", NULL };
	size_t n = strlen(name);
	for (int i = 0; map[i]; i += 2) {
		size_t k = strlen(map[i]);
		if (n > k && !strcasecmp(name + n - k, map[i]))
			return map[i + 1];
	}
	return "application/octet-stream";
}

static void add_files(struct json *view, const struct run_entries *e)
{
	struct json *files = json_add_array(view, "files");
	for (size_t i = 0; i < e->n; i++) {
		struct json *f = json_add_object(files, NULL);
		json_add_str(f, "name", e->v[i].name);
		json_add_str(f, "kind", e->v[i].kind == 'd' ? "dir" : e->v[i].kind == 'l' ? "link" : "file");
		struct buf b = BUF_INIT;
		if (e->v[i].size >= 0)
			page_fmt_size(&b, e->v[i].size);
		json_add_str(f, "size", b.data ? b.data : "");
		buf_free(&b);
	}
	json_add_bool(view, "has_files", e->n > 0);
}

static void add_plots(struct json *view, const struct run_input *in)
{
	struct json *plots = json_add_array(view, "plots");
	for (size_t i = 0; i < in->nplots; i++) {
		struct buf uri = BUF_INIT;
		buf_printf(&uri, "data:%s;base64,", image_mime(in->plots[i].name));
		base64(&uri, (const unsigned char *)in->plots[i].data, in->plots[i].len);
		struct json *p = json_add_object(plots, NULL);
		json_add_str(p, "name", in->plots[i].name);
		json_add_str(p, "uri", uri.data); /* built here: base64 only, safe raw */
		buf_free(&uri);
	}
	json_add_bool(view, "has_plots", in->nplots > 0);
	struct json *hp = json_add_array(view, "html_plots");
	for (size_t i = 0; i < in->nhtml_plots; i++) {
		struct json *p = json_add_object(hp, NULL);
		json_add_str(p, "name", in->html_plots[i].name);
		json_add_str(p, "srcdoc", in->html_plots[i].data);
	}
}

static void add_console(struct json *view, struct run *r, size_t max)
{
	const struct value *o = run_prop(r, "output");
	if (!o || o->type != V_STR)
		return;
	size_t len = strlen(o->str);
	struct buf b = BUF_INIT;
	struct console_opts co = { max };
	size_t lines = console_html(&b, o->str, len, &co);
	json_add_bool(view, "has_console", 1);
	json_add_str(view, "console_html", b.data ? b.data : "");
	if (max && len > max) {
		struct buf note = BUF_INIT;
		buf_puts(&note, "The output is ");
		page_fmt_size(&note, (long long)len);
		buf_printf(&note, " long; its beginning and end are shown (%zu lines).", lines);
		json_add_str(view, "console_note", note.data);
		buf_free(&note);
	}
	buf_free(&b);
}

/* ---- code tab ---- */

static const char *language(const char *name)
{
	static const char *const map[] = { ".R", "r", ".r", "r", ".py", "python", ".sh", "bash",
		".bash", "bash", ".yml", "yaml", ".yaml", "yaml", ".json", "json", ".c", "c",
		".h", "c", ".cpp", "cpp", ".cc", "cpp", ".hpp", "cpp", NULL };
	size_t n = strlen(name);
	for (int i = 0; map[i]; i += 2) {
		size_t k = strlen(map[i]);
		if (n > k && !strcmp(name + n - k, map[i]))
			return map[i + 1];
	}
	return "plaintext";
}

static void add_sources(struct json *view, const struct src_archive *a)
{
	struct json *src = json_add_array(view, "sources");
	for (size_t i = 0; i < a->n; i++) {
		const struct src_file *f = &a->files[i];
		struct json *o = json_add_object(src, NULL);
		json_add_str(o, "name", f->name);
		json_add_str(o, "lang", language(f->name));
		size_t bad;
		char *fixed = f->data ? utf8_repair(f->data, f->len, &bad) : NULL;
		json_add_str(o, "text", fixed ? fixed : f->data ? f->data : "");
		free(fixed);
	}
	json_add_num(view, "nsources", (double)a->n);
	json_add_bool(view, "has_code", a->n > 0);
}

/* ---- the page ---- */

int page_run_render(struct buf *out, const struct run_input *in, const struct page_opts *o,
		    char **err)
{
	struct run *r = in->run;
	size_t max_points = o && o->max_points ? o->max_points : 5000;
	size_t max_console = o && o->max_console ? o->max_console : (size_t)2 << 20;
	struct json *view = json_new_object(), *data = json_new_object();
	add_header(view, r);
	add_cards(view, r);
	add_error(view, r);
	add_charts(view, data, r, max_points);
	add_model(view, r);
	add_notes(view, in->notes);
	add_files(view, &in->files);
	add_plots(view, in);
	add_console(view, r, max_console);
	add_sources(view, &in->sources);
	json_add_bool(view, "has_output", in->files.n || in->nplots || in->nhtml_plots ||
		      run_has_prop(r, "output"));
	page_embed_data(view, data);
	int rc = page_render(out, "templates/run.html", view, run_assets, o, err);
	json_free(view);
	json_free(data);
	return rc;
}
