/* table.c: a listing of runs written as a terminal table, CSV, TSV, JSON or Markdown */
#include "table.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define CELL_MAX 32

int format_parse(const char *s)
{
	static const char *const names[] = { "table", "csv", "tsv", "json", "md" };
	for (int i = 0; i < 5; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

size_t text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

void cell_text(struct buf *out, const struct value *v, size_t max)
{
	if (!v || v->type == V_NA) {
		buf_puts(out, "NA");
		return;
	}
	if (v->type == V_NUM) {
		value_fmt_num_sig(out, v->num, 7);
		return;
	}
	struct buf t = BUF_INIT;
	value_text(&t, v);
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)t.data; *p; p++) {
		int lead = (*p & 0xC0) != 0x80;
		if (lead && ++w > max) {
			buf_puts(out, "\xE2\x80\xA6");
			break;
		}
		buf_putc(out, *p < 0x20 || *p == 0x7F ? ' ' : (char)*p);
	}
	buf_free(&t);
}

/* ---- machine formats ---- */

static void csv_field(struct buf *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		buf_puts(out, s);
		return;
	}
	buf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(out, '"');
		buf_putc(out, *s);
	}
	buf_putc(out, '"');
}

static void tsv_field(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\t': buf_puts(out, "\\t"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\r': buf_puts(out, "\\r"); break;
		case '\\': buf_puts(out, "\\\\"); break;
		default: buf_putc(out, *s);
		}
	}
}

static void md_field(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '`' || *s == '*' || *s == '_' || *s == '<')
			buf_putc(out, '\\');
		if (*s == '\n')
			buf_puts(out, "<br>");
		else if (*s != '\r')
			buf_putc(out, *s);
	}
}

typedef void (*field_fn)(struct buf *, const char *);

static void delimited(struct buf *out, const struct listing *l, char sep, field_fn field)
{
	for (size_t c = 0; c < l->ncols; c++) {
		if (c)
			buf_putc(out, sep);
		field(out, l->cols[c]->name);
	}
	buf_putc(out, '\n');
	struct buf t = BUF_INIT;
	for (size_t r = 0; r < l->nrows; r++) {
		for (size_t c = 0; c < l->ncols; c++) {
			struct value scratch;
			const struct value *v = column_value(l->rows[r], l->cols[c], &scratch);
			buf_reset(&t);
			if (v)
				value_text(&t, v);
			if (c)
				buf_putc(out, sep);
			field(out, t.data ? t.data : "");
			value_free(&scratch);
		}
		buf_putc(out, '\n');
	}
	buf_free(&t);
}

static void json_rows(struct buf *out, const struct listing *l)
{
	struct value name;
	buf_putc(out, '[');
	for (size_t r = 0; r < l->nrows; r++) {
		buf_puts(out, r ? ",\n  {" : "\n  {");
		int first = 1;
		for (size_t c = 0; c < l->ncols; c++) {
			struct value scratch;
			const struct value *v = column_value(l->rows[r], l->cols[c], &scratch);
			if (v && v->type != V_NA) {
				buf_puts(out, first ? "" : ", ");
				name = (struct value){ V_STR, 0, 0, l->cols[c]->name };
				value_json(out, &name);
				buf_puts(out, ": ");
				value_json(out, v);
				first = 0;
			}
			value_free(&scratch);
		}
		buf_putc(out, '}');
	}
	buf_puts(out, l->nrows ? "\n]\n" : "]\n");
}

static void markdown(struct buf *out, const struct listing *l)
{
	buf_putc(out, '|');
	for (size_t c = 0; c < l->ncols; c++) {
		buf_putc(out, ' ');
		md_field(out, l->cols[c]->name);
		buf_puts(out, " |");
	}
	buf_puts(out, "\n|");
	for (size_t c = 0; c < l->ncols; c++)
		buf_puts(out, " --- |");
	buf_putc(out, '\n');
	struct buf t = BUF_INIT;
	for (size_t r = 0; r < l->nrows; r++) {
		buf_putc(out, '|');
		for (size_t c = 0; c < l->ncols; c++) {
			struct value scratch;
			const struct value *v = column_value(l->rows[r], l->cols[c], &scratch);
			buf_reset(&t);
			if (v)
				value_text(&t, v);
			buf_putc(out, ' ');
			md_field(out, t.data ? t.data : "");
			buf_puts(out, " |");
			value_free(&scratch);
		}
		buf_putc(out, '\n');
	}
	buf_free(&t);
}

/* ---- terminal table ---- */

struct grid {
	char **cells; /* nrows x ncols, row-major */
	size_t *width;
	int *right;   /* right-aligned (numbers) */
};

static void grid_fill(struct grid *g, const struct listing *l)
{
	g->cells = xcalloc(l->nrows * l->ncols + 1, sizeof *g->cells);
	g->width = xcalloc(l->ncols + 1, sizeof *g->width);
	g->right = xcalloc(l->ncols + 1, sizeof *g->right);
	struct buf t = BUF_INIT;
	for (size_t c = 0; c < l->ncols; c++) {
		g->width[c] = text_width(l->cols[c]->name);
		int numeric = 1;
		for (size_t r = 0; r < l->nrows; r++) {
			struct value scratch;
			const struct value *v = column_value(l->rows[r], l->cols[c], &scratch);
			buf_reset(&t);
			cell_text(&t, v, l->cols[c]->kind == C_RUN_DIR ? (size_t)-1 : CELL_MAX);
			g->cells[r * l->ncols + c] = xstrdup(t.data);
			size_t w = text_width(t.data);
			g->width[c] = w > g->width[c] ? w : g->width[c];
			if (v && v->type != V_NA)
				numeric &= v->type == V_NUM;
			value_free(&scratch);
		}
		g->right[c] = numeric; /* columns of numbers or of NA only */
	}
	buf_free(&t);
}

static void pad(struct buf *out, size_t n)
{
	while (n--)
		buf_putc(out, ' ');
}

static void put_cell(struct buf *out, const char *s, size_t width, int right)
{
	size_t w = text_width(s);
	if (right)
		pad(out, width - w);
	buf_puts(out, s);
	if (!right)
		pad(out, width - w);
}

/* Words after "# " wrapped at width, continuation lines "#   ". */
static void wrapped(struct buf *out, const char *head, const char **words, size_t n, int width)
{
	buf_printf(out, "# %s", head);
	size_t col = 2 + text_width(head);
	for (size_t i = 0; i < n; i++) {
		size_t w = text_width(words[i]) + (i + 1 < n ? 1 : 0);
		if (col + 1 + w > (size_t)width && col > 4) {
			buf_puts(out, "\n#  ");
			col = 4;
		}
		buf_putc(out, ' ');
		buf_puts(out, words[i]);
		if (i + 1 < n)
			buf_putc(out, ',');
		col += 1 + w;
	}
	buf_putc(out, '\n');
}

static void table(struct buf *out, const struct listing *l, int width)
{
	struct grid g;
	grid_fill(&g, l);
	/* Keep columns left to right while they fit; run_dir always stays. */
	size_t nshow = 0, used = 0;
	while (nshow < l->ncols && (nshow == 0 || used + 2 + g.width[nshow] <= (size_t)width))
		used += (nshow ? 2 : 0) + g.width[nshow], nshow++;
	for (size_t c = 0; c < nshow; c++) {
		if (c)
			buf_puts(out, "  ");
		if (c + 1 == nshow && !g.right[c])
			buf_puts(out, l->cols[c]->name);
		else
			put_cell(out, l->cols[c]->name, g.width[c], g.right[c]);
	}
	buf_putc(out, '\n');
	for (size_t r = 0; r < l->nrows; r++) {
		for (size_t c = 0; c < nshow; c++) {
			if (c)
				buf_puts(out, "  ");
			const char *s = g.cells[r * l->ncols + c];
			if (c + 1 == nshow && !g.right[c])
				buf_puts(out, s); /* no trailing blanks */
			else
				put_cell(out, s, g.width[c], g.right[c]);
		}
		buf_putc(out, '\n');
	}
	size_t nh = l->ncols - nshow + l->nhidden;
	if (nh) {
		const char **names = xcalloc(nh, sizeof *names);
		size_t k = 0;
		for (size_t c = nshow; c < l->ncols; c++)
			names[k++] = l->cols[c]->name;
		for (size_t c = 0; c < l->nhidden; c++)
			names[k++] = l->hidden[c]->name;
		char *head = xasprintf("%zu more column%s:", nh, nh == 1 ? "" : "s");
		wrapped(out, head, names, nh, width);
		free(head);
		free(names);
	}
	for (size_t i = 0; i < l->nrows * l->ncols; i++)
		free(g.cells[i]);
	free(g.cells);
	free(g.width);
	free(g.right);
}

void listing_render(struct buf *out, const struct listing *l, enum format f, int width)
{
	switch (f) {
	case FMT_TABLE:
		if (!l->nrows)
			buf_puts(out, "No training runs found.\n");
		else
			table(out, l, width);
		break;
	case FMT_CSV: delimited(out, l, ',', csv_field); break;
	case FMT_TSV: delimited(out, l, '\t', tsv_field); break;
	case FMT_JSON: json_rows(out, l); break;
	case FMT_MD: markdown(out, l); break;
	}
}
