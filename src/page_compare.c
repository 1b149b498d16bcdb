/* page_compare.c: two runs compared: the HTML page, the Markdown summary, the JSON form */
#include "compare.h"
#include "chart.h"
#include "html.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const compare_assets[] = {
	"uplot_css", "vendor/uPlot.min.css", "diff2html_css", "vendor/diff2html.min.css",
	"report_css", "assets/css/report.css", "uplot_js", "vendor/uPlot.iife.min.js",
	"hljs_js", "vendor/hljs.js", "diff2html_js", "vendor/diff2html-ui-base.min.js",
	"page_js", "assets/js/compare.js", NULL,
};

static char *text_of(const struct value *v)
{
	struct buf b = BUF_INIT;
	if (v->type == V_NUM)
		page_fmt_num(&b, v->num);
	else
		value_text(&b, v);
	return buf_detach(&b);
}

/* ---- HTML ---- */

static void side_row(struct json *rows, const struct cmp_row *r, int side)
{
	const struct value *v = side ? &r->b : &r->a;
	if (v->type == V_NA)
		return;
	struct json *o = json_add_object(rows, NULL);
	char *t = text_of(v);
	json_add_str(o, "key", r->name);
	json_add_str(o, "value", t);
	free(t);
	struct buf d = BUF_INIT;
	if (side)
		cmp_delta(&d, &r->a, &r->b);
	if (d.len)
		json_add_str(o, "note", d.data);
	buf_free(&d);
}

static void side_card(struct json *cards, const char *title, const struct cmp_row *rows, size_t n,
		      int side)
{
	if (!n)
		return;
	struct json *c = json_add_object(cards, NULL);
	json_add_str(c, "title", title);
	struct json *r = json_add_array(c, "rows");
	for (size_t i = 0; i < n; i++)
		side_row(r, &rows[i], side);
}

static void add_side(struct json *sides, struct run *r, const struct comparison *c, int side)
{
	struct json *s = json_add_object(sides, NULL);
	json_add_str(s, "name", r->name);
	json_add_str(s, "status", run_status(r));
	const struct value *st = run_prop(r, "start"), *en = run_prop(r, "end");
	struct buf b = BUF_INIT;
	if (st && st->type == V_TIME) {
		page_fmt_time(&b, st->num);
		json_add_str(s, "started", b.data);
		buf_reset(&b);
		if (en && en->type == V_TIME) {
			page_fmt_duration(&b, en->num - st->num);
			json_add_str(s, "duration", b.data);
		}
	}
	buf_free(&b);
	struct json *cards = json_add_array(s, "cards");
	side_card(cards, "Metrics (last value)", c->metrics, c->nmetrics, side);
	side_card(cards, "Evaluation", c->eval, c->neval, side);
}

static void add_flags(struct json *view, const struct comparison *c)
{
	struct json *f = json_add_array(view, "flags");
	for (size_t i = 0; i < c->nflags; i++) {
		struct json *o = json_add_object(f, NULL);
		char *a = text_of(&c->flags[i].a), *b = text_of(&c->flags[i].b);
		json_add_str(o, "name", c->flags[i].name);
		json_add_str(o, "a", c->flags[i].a.type == V_NA ? "–" : a);
		json_add_str(o, "b", c->flags[i].b.type == V_NA ? "–" : b);
		json_add_bool(o, "changed", cmp_row_changed(&c->flags[i]));
		free(a);
		free(b);
	}
	json_add_bool(view, "has_flags", c->nflags > 0);
}

/* The unified diff as lines, classed except context lines, for readers without JavaScript;
 * the page's script reads the diff back from the same text (no second copy in the page). */
static void udiff_lines(struct json *o, const char *text)
{
	struct json *lines = json_add_array(o, "lines");
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *t = xstrndup(p, n);
		const char *k = !strncmp(t, "---", 3) || !strncmp(t, "+++", 3) ? "head" :
				!strncmp(t, "@@", 2) ? "hunk" : t[0] == '+' ? "add" : t[0] == '-' ? "del" : "ctx";
		struct json *l = json_add_object(lines, NULL);
		if (strcmp(k, "ctx"))
			json_add_str(l, "k", k);
		json_add_str(l, "t", t);
		free(t);
		p += n + (nl != NULL);
	}
}

static void add_diffs(struct json *view, struct json *data, const struct comparison *c)
{
	struct json *d = json_add_array(view, "diffs"), *dd = json_add_array(data, "diffs");
	for (size_t i = 0; i < c->ndiffs; i++) {
		const struct cmp_diff *x = &c->diffs[i];
		struct json *o = json_add_object(d, NULL);
		json_add_num(o, "index", (double)i);
		json_add_str(o, "name", x->name);
		json_add_str(o, "status", x->status);
		json_add_num(o, "additions", (double)x->nadd);
		json_add_num(o, "deletions", (double)x->ndel);
		udiff_lines(o, x->text);
		struct json *q = json_add_object(dd, NULL);
		json_add_str(q, "name", x->name);
		json_add_str(q, "status", x->status);
	}
	json_add_bool(view, "has_diffs", c->ndiffs > 0);
}

static const struct series *series_of(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->metrics.ncols; i++)
		if (!strcmp(r->metrics.cols[i].name, name))
			return &r->metrics.cols[i];
	return NULL;
}

static void add_values(struct json *arr, const struct series *s, size_t nrows, const size_t *rows,
		       size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_add_num(arr, NULL, s && rows[i] < nrows ? s->v[rows[i]] : NAN);
}

/* One chart per metric, both runs on rows 1..N of the longer one, reduced like the run page. */
static void add_chart(struct json *charts, struct json *dc, const struct compare_input *in,
		      const char *metric, size_t max_points)
{
	const struct run *ra = in->a.run, *rb = in->b.run;
	const struct series *sa = series_of(ra, metric), *sb = series_of(rb, metric);
	size_t na = ra->metrics.nrows, nb = rb->metrics.nrows, n = na > nb ? na : nb;
	size_t *x = xcalloc(max_points + 1, sizeof *x), *y = xcalloc(max_points + 1, sizeof *y);
	size_t *rows = xcalloc(2 * max_points + 2, sizeof *rows);
	size_t nx = sa ? chart_reduce(sa->v, na, max_points, x) : 0;
	size_t ny = sb ? chart_reduce(sb->v, nb, max_points, y) : 0;
	size_t nr = chart_merge_rows(x, nx, y, ny, rows);
	(void)n;
	struct json *v = json_add_object(charts, NULL);
	json_add_str(v, "metric", metric);
	struct json *c = json_add_object(dc, NULL);
	json_add_str(c, "metric", metric);
	struct json *xs = json_add_array(c, "x");
	for (size_t i = 0; i < nr; i++)
		json_add_num(xs, NULL, (double)rows[i] + 1);
	struct json *ser = json_add_array(c, "series");
	struct json *a = json_add_object(ser, NULL), *b = json_add_object(ser, NULL);
	json_add_str(a, "name", ra->name);
	add_values(json_add_array(a, "values"), sa, na, rows, nr);
	json_add_str(b, "name", rb->name);
	add_values(json_add_array(b, "values"), sb, nb, rows, nr);
	free(x);
	free(y);
	free(rows);
}

int page_compare_render(struct buf *out, const struct compare_input *in,
			const struct comparison *c, const struct page_opts *o, char **err)
{
	size_t max_points = o && o->max_points ? o->max_points : 5000;
	struct run *a = in->a.run, *b = in->b.run;
	struct json *view = json_new_object(), *data = json_new_object();
	char *title = xasprintf("%s → %s", a->name, b->name);
	json_add_str(view, "title", title);
	free(title);
	struct json *ja = json_add_object(view, "a"), *jb = json_add_object(view, "b");
	json_add_str(ja, "name", a->name);
	json_add_str(ja, "path", a->path);
	json_add_str(jb, "name", b->name);
	json_add_str(jb, "path", b->path);
	size_t nflags = 0, nfiles = 0;
	for (size_t i = 0; i < c->nflags; i++)
		nflags += (size_t)cmp_row_changed(&c->flags[i]);
	for (size_t i = 0; i < c->ndiffs; i++)
		nfiles += strcmp(c->diffs[i].name, "flags.yml") && strcmp(c->diffs[i].name, "console output");
	char *sum = xasprintf("%zu flag%s changed · %zu source file%s changed", nflags,
			      nflags == 1 ? "" : "s", nfiles, nfiles == 1 ? "" : "s");
	json_add_str(view, "summary", sum);
	free(sum);
	struct json *sides = json_add_array(view, "sides");
	add_side(sides, a, c, 0);
	add_side(sides, b, c, 1);
	add_flags(view, c);
	struct json *charts = json_add_array(view, "charts"), *dc = json_add_array(data, "charts");
	json_add_str(data, "x_label", "epoch");
	for (size_t i = 0; i < c->nmetrics; i++)
		add_chart(charts, dc, in, c->metrics[i].name, max_points);
	json_add_bool(view, "has_charts", c->nmetrics > 0);
	add_diffs(view, data, c);
	page_embed_data(view, data);
	int rc = page_render(out, "templates/compare.html", view, compare_assets, o, err);
	json_free(view);
	json_free(data);
	return rc;
}

/* ---- Markdown ---- */

static void md_cell(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (strchr("|\\`*_<>[]", *s))
			buf_putc(out, '\\');
		buf_putc(out, *s == '\n' ? ' ' : *s);
	}
}

static void md_value(struct buf *out, const struct value *v)
{
	if (v->type == V_NA) {
		buf_puts(out, "–");
		return;
	}
	char *t = text_of(v);
	md_cell(out, t);
	free(t);
}

static void md_rows(struct buf *out, const char *title, const struct cmp_row *r, size_t n,
		    const struct compare_input *in, int only_changed, int delta)
{
	size_t shown = 0;
	for (size_t i = 0; i < n; i++)
		shown += !only_changed || cmp_row_changed(&r[i]);
	if (!shown)
		return;
	buf_printf(out, "\n**%s**\n\n| | ", title);
	md_cell(out, in->a.run->name);
	buf_puts(out, " | ");
	md_cell(out, in->b.run->name);
	buf_puts(out, delta ? " | Δ |\n|---|---|---|---|\n" : " |\n|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		if (only_changed && !cmp_row_changed(&r[i]))
			continue;
		buf_puts(out, "| ");
		md_cell(out, r[i].name);
		buf_puts(out, " | ");
		md_value(out, &r[i].a);
		buf_puts(out, " | ");
		md_value(out, &r[i].b);
		if (delta) {
			buf_puts(out, " | ");
			cmp_delta(out, &r[i].a, &r[i].b);
		}
		buf_puts(out, " |\n");
	}
}

void page_compare_md(struct buf *out, const struct compare_input *in, const struct comparison *c,
		     size_t max_chars)
{
	size_t start = out->len;
	buf_puts(out, "### tfreport: `");
	md_cell(out, in->a.run->name);
	buf_puts(out, "` → `");
	md_cell(out, in->b.run->name);
	buf_puts(out, "`\n");
	md_rows(out, "Flags that changed", c->flags, c->nflags, in, 1, 0);
	md_rows(out, "Metrics (last value)", c->metrics, c->nmetrics, in, 0, 1);
	md_rows(out, "Evaluation", c->eval, c->neval, in, 0, 1);
	buf_puts(out, c->ndiffs ? "\n**Changed files**\n\n" : "\nNo flag, source or output changed.\n");
	for (size_t i = 0; i < c->ndiffs; i++) {
		buf_puts(out, "- ");
		md_cell(out, c->diffs[i].name);
		buf_printf(out, " (%s, +%zu −%zu)\n", c->diffs[i].status, c->diffs[i].nadd, c->diffs[i].ndel);
	}
	buf_puts(out, "\nFull report with charts and diffs: `tfreport compare ");
	md_cell(out, in->a.run->name);
	buf_putc(out, ' ');
	md_cell(out, in->b.run->name);
	buf_puts(out, " -o compare.html`\n");
	if (max_chars && out->len - start > max_chars) {
		static const char note[] = "\n\n_(cut: the summary is longer than fits in a comment; "
					   "see the HTML report)_\n";
		size_t keep = max_chars - sizeof note;
		while (keep > 0 && (out->data[start + keep] & 0xC0) == 0x80)
			keep--;
		out->len = start + keep;
		buf_puts(out, note);
	}
}

/* ---- JSON ---- */

static void json_rows(struct json *parent, const char *key, const struct cmp_row *r, size_t n)
{
	struct json *arr = json_add_array(parent, key);
	for (size_t i = 0; i < n; i++) {
		struct json *o = json_add_object(arr, NULL);
		json_add_str(o, "name", r[i].name);
		json_add_value(o, "a", &r[i].a);
		json_add_value(o, "b", &r[i].b);
		json_add_bool(o, "changed", cmp_row_changed(&r[i]));
		if (r[i].a.type == V_NUM && r[i].b.type == V_NUM)
			json_add_num(o, "delta", r[i].b.num - r[i].a.num);
	}
}

void page_compare_json(struct buf *out, const struct compare_input *in, const struct comparison *c)
{
	struct json *j = json_new_object();
	const struct run *runs[2] = { in->a.run, in->b.run };
	for (int k = 0; k < 2; k++) {
		struct json *r = json_add_object(j, k ? "run_b" : "run_a");
		json_add_str(r, "name", runs[k]->name);
		json_add_str(r, "path", runs[k]->path);
		json_add_str(r, "status", run_status((struct run *)runs[k]));
		json_add_value(r, "start", run_prop((struct run *)runs[k], "start"));
	}
	json_rows(j, "flags", c->flags, c->nflags);
	json_rows(j, "metrics", c->metrics, c->nmetrics);
	json_rows(j, "evaluation", c->eval, c->neval);
	struct json *d = json_add_array(j, "diffs");
	for (size_t i = 0; i < c->ndiffs; i++) {
		struct json *o = json_add_object(d, NULL);
		json_add_str(o, "name", c->diffs[i].name);
		json_add_str(o, "status", c->diffs[i].status);
		json_add_num(o, "additions", (double)c->diffs[i].nadd);
		json_add_num(o, "deletions", (double)c->diffs[i].ndel);
		json_add_num(o, "hunks", (double)c->diffs[i].hunks);
		json_add_str(o, "diff", c->diffs[i].text);
	}
	json_print(out, j);
	buf_putc(out, '\n');
	json_free(j);
}
