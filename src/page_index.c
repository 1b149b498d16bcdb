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

/* 1 when column c has values and all of them are of type t (numbers: right-aligned, sorted
 * as numbers; times: shown as "2026-11-28 01:50:12"). */
static int all_of_type(const struct listing *l, const struct column *c, enum vtype t)
{
	int any = 0;
	for (size_t r = 0; r < l->nrows; r++) {
		struct value scratch;
		const struct value *v = column_value(l->rows[r], c, &scratch);
		int is = v && v->type == t, na = !v || v->type == V_NA;
		value_free(&scratch);
		if (!na && !is)
			return 0;
		any |= is;
	}
	return any;
}

/* A cell as people read it: times without the T and Z of ISO 8601 (UTC, as the page says), a
 * duration as 12.3 s or 1:02:03; everything else as ls shows it. index.js does the same. */
static void readable(struct buf *t, const struct column *col, const struct value *v)
{
	if (v->type == V_TIME) {
		value_fmt_time(t, v->num);
		for (size_t i = 0; i < t->len; i++)
			if (t->data[i] == 'T')
				t->data[i] = ' ';
		if (t->len && t->data[t->len - 1] == 'Z')
			t->data[--t->len] = '\0';
	} else if (col->kind == C_DURATION && v->type == V_NUM) {
		page_fmt_duration(t, v->num);
	} else {
		cell_text(t, v, (size_t)-1);
	}
}


/* ---- the data, encoded to be small (a page of 10,000 runs is parsed before it paints) ----
 * Each column (and the links) is an object: string values lose the prefix and suffix they all
 * share ("p", "s": put back by the script), then a column of few distinct values is a
 * dictionary "d" with one index per row "i" (none when all rows have d[0]), a column equal
 * to an earlier one after the cut (the paths under each run_dir) "same": its index, any other
 * the values themselves "v". */

static char *string_form(const struct value *v)
{
	if (v->type == V_STR)
		return xstrdup(v->str);
	if (v->type == V_TIME) {
		struct buf b = BUF_INIT;
		value_fmt_time(&b, v->num);
		return buf_detach(&b);
	}
	return NULL;
}

/* Moves k back to the start of a UTF-8 sequence, so that a cut never splits a character
 * (continuation bytes are 10xxxxxx in every string, so a cut valid in one is in all). */
static size_t char_start(const char *s, size_t k)
{
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

struct dict {
	char **keys;   /* JSON text of each distinct value */
	size_t *slots; /* open addressing: index + 1, 0 empty */
	size_t n, nslots;
};

static size_t dict_index(struct dict *d, char *key)
{
	size_t h = 1469598103934665603ULL;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (size_t i = h & (d->nslots - 1);; i = (i + 1) & (d->nslots - 1)) {
		if (!d->slots[i]) {
			d->keys[d->n] = key;
			d->slots[i] = ++d->n;
			return d->n - 1;
		}
		if (!strcmp(d->keys[d->slots[i] - 1], key)) {
			free(key);
			return d->slots[i] - 1;
		}
	}
}

static void add_cell(struct json *arr, const struct value *v, const char *str)
{
	if (str)
		json_add_str(arr, NULL, str);
	else
		json_add_value(arr, NULL, v);
}

/* seqs[0..nseq) are the row texts of the columns encoded before, "\0"-separated; this
 * column's are stored in seqs[nseq] when seqs is not NULL. A column whose texts (prefix and
 * suffix cut) equal those of an earlier column written as values refers to it: "same": k. */
static void add_encoded(struct json *parent, const char *key, const struct value *vals, size_t n,
			struct buf *seqs, size_t nseq, const int *plain)
{
	struct json *o = json_add_object(parent, key);
	char **strs = xcalloc(n + 1, sizeof *strs);
	size_t pre = (size_t)-1, suf = (size_t)-1, minlen = (size_t)-1, nstr = 0;
	const char *first = NULL;
	for (size_t r = 0; r < n; r++) {
		if (!(strs[r] = string_form(&vals[r])))
			continue;
		size_t len = strlen(strs[r]);
		if (len < minlen)
			minlen = len;
		if (!first) {
			first = strs[r];
			pre = suf = len;
		} else {
			size_t fl = strlen(first), k = 0;
			while (k < pre && strs[r][k] == first[k])
				k++;
			pre = k;
			k = 0;
			while (k < suf && k < len && k < fl && strs[r][len - 1 - k] == first[fl - 1 - k])
				k++;
			suf = k;
		}
		nstr++;
	}
	if (nstr < 2)
		pre = suf = 0;
	else {
		size_t fl = strlen(first);
		pre = char_start(first, pre); /* a common prefix is never longer than minlen */
		if (pre + suf > minlen)
			suf = minlen - pre;
		while (suf > 0 && ((unsigned char)first[fl - suf] & 0xC0) == 0x80)
			suf--;
	}
	if (pre) {
		char *p = xstrndup(first, pre);
		json_add_str(o, "p", p);
		free(p);
	}
	if (suf)
		json_add_str(o, "s", first + strlen(first) - suf);
	for (size_t r = 0; r < n; r++)
		if (strs[r] && (pre || suf)) {
			size_t len = strlen(strs[r]);
			memmove(strs[r], strs[r] + pre, len - pre - suf);
			strs[r][len - pre - suf] = '\0';
		}
	struct dict d = { xcalloc(n + 1, sizeof(char *)), NULL, 0, 16 };
	while (d.nslots < 2 * n)
		d.nslots *= 2;
	d.slots = xcalloc(d.nslots, sizeof *d.slots);
	size_t *idx = xcalloc(n + 1, sizeof *idx), *firstrow = xcalloc(n + 1, sizeof *firstrow);
	for (size_t r = 0; r < n; r++) {
		struct buf b = BUF_INIT;
		if (strs[r]) {
			struct value sv = { V_STR, 0, 0, strs[r] };
			value_json(&b, &sv);
		} else {
			value_json(&b, &vals[r]);
		}
		if (seqs)
			buf_add(&seqs[nseq], b.data, b.len + 1); /* with its NUL */
		size_t before = d.n;
		idx[r] = dict_index(&d, buf_detach(&b));
		if (d.n > before)
			firstrow[idx[r]] = r;
	}
	size_t same = nseq;
	for (size_t k = 0; seqs && k < nseq && same == nseq; k++)
		if (plain[k] && seqs[k].len == seqs[nseq].len &&
		    !memcmp(seqs[k].data, seqs[nseq].data, seqs[k].len))
			same = k;
	if (n >= 8 && d.n * 4 <= n) {
		struct json *dv = json_add_array(o, "d");
		for (size_t k = 0; k < d.n; k++)
			add_cell(dv, &vals[firstrow[k]], strs[firstrow[k]]);
		if (d.n > 1) { /* one value: every row has it */
			struct json *iv = json_add_array(o, "i");
			for (size_t r = 0; r < n; r++)
				json_add_num(iv, NULL, (double)idx[r]);
		}
	} else if (same < nseq) {
		json_add_num(o, "same", (double)same);
	} else {
		struct json *vv = json_add_array(o, "v");
		for (size_t r = 0; r < n; r++)
			add_cell(vv, &vals[r], strs[r]);
	}
	for (size_t k = 0; k < d.n; k++)
		free(d.keys[k]);
	free(d.keys);
	free(d.slots);
	free(idx);
	free(firstrow);
	for (size_t r = 0; r < n; r++)
		free(strs[r]);
	free(strs);
}

static void add_data(struct json *data, const struct index_input *in)
{
	const struct listing *l = in->all;
	struct json *cols = json_add_array(data, "columns");
	int status = -1;
	for (size_t c = 0; c < l->ncols; c++) {
		struct json *o = json_add_object(cols, NULL);
		json_add_str(o, "name", l->cols[c]->name);
		json_add_bool(o, "numeric", all_of_type(l, l->cols[c], V_NUM));
		if (l->cols[c]->kind == C_DURATION)
			json_add_str(o, "fmt", "duration");
		else if (all_of_type(l, l->cols[c], V_TIME))
			json_add_str(o, "fmt", "time");
		if (l->cols[c]->kind == C_STATUS)
			status = (int)c;
	}
	json_add_num(data, "status", status);
	json_add_num(data, "n", (double)l->nrows);
	struct json *vis = json_add_array(data, "visible");
	for (size_t c = 0; c < in->nvisible; c++)
		json_add_str(vis, NULL, in->visible[c]->name);
	struct value *vals = xcalloc(l->nrows + 1, sizeof *vals);
	struct buf *seqs = xcalloc(l->ncols + 1, sizeof *seqs);
	int *plain = xcalloc(l->ncols + 1, sizeof *plain);
	struct json *enc = json_add_array(data, "cols");
	for (size_t c = 0; c < l->ncols; c++) {
		for (size_t r = 0; r < l->nrows; r++) {
			struct value scratch;
			const struct value *v = column_value(l->rows[r], l->cols[c], &scratch);
			vals[r] = v ? value_copy(v) : VALUE_NA;
			value_free(&scratch);
		}
		add_encoded(enc, NULL, vals, l->nrows, seqs, c, plain);
		const struct json *last = json_child(enc);
		while (json_next(last))
			last = json_next(last);
		plain[c] = json_get(last, "v") != NULL;
		for (size_t r = 0; r < l->nrows; r++)
			value_free(&vals[r]);
	}
	for (size_t c = 0; c < l->ncols; c++)
		buf_free(&seqs[c]);
	free(seqs);
	free(plain);
	for (size_t r = 0; r < l->nrows; r++)
		vals[r] = in->links && in->links[r] ? value_str(in->links[r]) : VALUE_NA;
	add_encoded(data, "links", vals, l->nrows, NULL, 0, NULL);
	for (size_t r = 0; r < l->nrows; r++)
		value_free(&vals[r]);
	free(vals);
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
				readable(&t, col, v);
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
