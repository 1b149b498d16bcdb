/* metrics.h: a run's metric history as columns (metrics.json, then metrics.jsonl rows) */
#ifndef TF_METRICS_H
#define TF_METRICS_H
#include <stddef.h>

struct json;

/* One metric; NAN marks a row without a value. */
struct series {
	char *name;
	double *v;
};

struct metrics {
	struct series *cols; /* in file order, `epoch` excluded */
	size_t ncols;
	size_t nrows;
	size_t cap;          /* rows allocated in every column */
	double *epoch;       /* the `epoch` column (custom x values), or NULL */
};

/* Adds tfruns's metrics.json: an object of equal-length column arrays with null gaps (an
 * array of row objects is accepted too). Problems give one warning naming path. */
void metrics_from_columns(struct metrics *m, const struct json *j, const char *path);
/* The same from the text of metrics.json, read by a fast path when it has tfruns's shape. */
void metrics_from_text(struct metrics *m, const char *text, size_t len, const char *path);
/* Appends metrics.jsonl rows: one JSON object per line; a bad line gives a warning naming
 * path:line and is skipped. */
void metrics_append_lines(struct metrics *m, const char *text, size_t len, const char *path);
void metrics_free(struct metrics *m);

#endif
