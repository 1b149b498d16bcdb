/* table.h: a listing of runs written as a terminal table, CSV, TSV, JSON or Markdown */
#ifndef TF_TABLE_H
#define TF_TABLE_H
#include <stddef.h>
#include "buf.h"
#include "columns.h"

enum format { FMT_TABLE, FMT_CSV, FMT_TSV, FMT_JSON, FMT_MD };

struct listing {
	struct run **rows;
	size_t nrows;
	const struct column **cols;   /* shown, in order */
	size_t ncols;
	const struct column **hidden; /* the other columns, named under the table */
	size_t nhidden;
};

/* Parses "table", "csv", ...; -1 if unknown. */
int format_parse(const char *s);
/* Writes the listing. The terminal table fits in width characters: columns that do not fit
 * are dropped and named in the closing lines with the hidden ones. */
void listing_render(struct buf *out, const struct listing *l, enum format f, int width);

/* A cell as the table shows it: numbers to 7 significant digits, text on one line, cut to
 * max characters with an ellipsis. */
void cell_text(struct buf *out, const struct value *v, size_t max);
/* Display width of UTF-8 text (code points). */
size_t text_width(const char *s);

#endif
