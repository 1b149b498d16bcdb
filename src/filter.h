/* filter.h: the --filter expression language (comparisons, regex, and/or/not, exists) */
#ifndef TF_FILTER_H
#define TF_FILTER_H
#include <stddef.h>
#include "buf.h"
#include "value.h"

struct filter;
typedef const struct value *(*filter_lookup_fn)(void *ctx, const char *column);
/* Parses expr. On error returns NULL, sets *err to an allocated message (no location
 * prefix, e.g. "expected a value after '>'", "unexpected ')'", "unterminated string",
 * "invalid regular expression: ...") and *err_off to the byte offset in expr to put the caret under. */
struct filter *filter_parse(const char *expr, char **err, size_t *err_off);
/* 1 if the row matches, else 0. lookup returns NULL or a V_NA value for a missing column. */
int filter_eval(const struct filter *f, filter_lookup_fn lookup, void *ctx);
/* The distinct column names the expression references (in order of first use), and the byte
 * offset of the first use of each (so the caller can put a caret under an unknown column). */
size_t filter_ncolumns(const struct filter *f);
const char *filter_column(const struct filter *f, size_t i);
size_t filter_column_offset(const struct filter *f, size_t i);
void filter_free(struct filter *f);   /* accepts NULL */

/* Appends "  <expr>\n" and "  <spaces>^\n" with the caret under byte off (spaces count
 * UTF-8 characters; control characters in expr are shown as spaces). */
void filter_caret(struct buf *out, const char *expr, size_t off);

#endif
