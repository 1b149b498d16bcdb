/* page_index.c: the index of runs: a sortable, filterable table of the ls columns */
#include "page_index.h"
#include "html.h"
#include "table.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATIC_ROWS 200

static const char *const index_assets[] = {
	"report_css", "assets/css/report.css", "page_js", "assets/js/index.js", NULL,
};

static int is_numeric(const struct listing *l, const struct column *c)
{
	int any = 0;
	for (size_t r = 0; r < l->nrows; r++) {
		struct value scratch;
		const struct value *v = column_value(l->rows[r], c, &scratch);
		int num = v && v->type == V_NUM, na = !v || v->type == V_NA;
		value_free(&scratch);
		if (!na && !num)
			return 0;
		any |= num;
	}
	return any;
}

static void add_data(struct json *data, const struct index_input *in)
{
	const struct listing *l = in->all;
	struct json *cols = json_add_array(data, "columns");
	int status = -1;
	for (size_t c = 0; c < l->ncols; c++) {
		struct json *o = json_add_object(cols, NULL);
		json_add_str(o, "name", l->cols[c]->name);
		json_add_bool(o, "numeric", is_numeric(l, l->cols[c]));
		if (l->cols[c]->kind == C_STATUS)
			status = (int)c;
	}
	json_add_num(data, "status", status);
	struct json *vis = json_add_array(data, "visible");
	for (size_t c = 0; c < in->nvisible; c++)
		json_add_str(vis, NULL, in->visible[c]->name);
	struct json *rows = json_add_array(data, "rows"), *links = json_add_array(data, "links");
	for (size_t r = 0; r < l->nrows; r++) {
		struct json *row = json_add_array(rows, NULL);
		for (size_t c = 0; c < l->ncols; c++) {
			struct value scratch;
			json_add_value(row, NULL, column_value(l->rows[r], l->cols[c], &scratch));
			value_free(&scratch);
		}
		if (in->links && in->links[r])
			json_add_str(links, NULL, in->links[r]);
		else
			json_add_null(links, NULL);
	}
}

/* The first rows as a plain table, for readers without JavaScript. */
static void add_static_rows(struct json *view, const struct index_input *in)
{
	const struct listing *l = in->all;
	struct json *vis = json_add_array(view, "visible"), *rows = json_add_array(view, "rows");
	for (size_t c = 0; c < in->nvisible; c++)
		json_add_str(vis, NULL, in->visible[c]->name);
	size_t n = l->nrows < STATIC_ROWS ? l->nrows : STATIC_ROWS;
	struct buf t = BUF_INIT;
	for (size_t r = 0; r < n; r++) {
		struct json *cells = json_add_array(json_add_object(rows, NULL), "cells");
		for (size_t c = 0; c < in->nvisible; c++) {
			const struct column *col = in->visible[c];
			struct value scratch;
			const struct value *v = column_value(l->rows[r], col, &scratch);
			buf_reset(&t);
			if (v && v->type != V_NA)
				cell_text(&t, v, (size_t)-1);
			struct json *o = json_add_object(cells, NULL);
			json_add_str(o, "t", t.data ? t.data : "");
			json_add_bool(o, "num", v && v->type == V_NUM);
			if (col->kind == C_RUN_DIR && in->links && in->links[r])
				json_add_str(o, "link", in->links[r]);
			if (col->kind == C_STATUS && t.data)
				json_add_str(o, "status", t.data);
			value_free(&scratch);
		}
	}
	buf_free(&t);
	if (l->nrows > n) {
		char *more = xasprintf("%zu more runs are in the page: turn on JavaScript to see, sort and "
				       "filter them all.", l->nrows - n);
		json_add_str(view, "more", more);
		free(more);
	}
}

int page_index_render(struct buf *out, const struct index_input *in, const struct page_opts *o,
		      char **err)
{
	struct json *view = json_new_object(), *data = json_new_object();
	json_add_str(view, "title", in->title);
	char *sum = xasprintf("%zu run%s", in->all->nrows, in->all->nrows == 1 ? "" : "s");
	json_add_str(view, "summary", sum);
	json_add_num(view, "nrows", (double)in->all->nrows);
	free(sum);
	add_static_rows(view, in);
	add_data(data, in);
	page_embed_data(view, data);
	int rc = page_render(out, "templates/index.html", view, index_assets, o, err);
	json_free(view);
	json_free(data);
	return rc;
}
