/* chart.h: long metric series reduced for drawing, keeping every spike (min/max per bucket) */
#ifndef TF_CHART_H
#define TF_CHART_H
#include <stddef.h>

/* Chooses at most max_points rows of y[0..n) to draw: for each of max_points/4 buckets of
 * consecutive rows, its first and last row and the rows of its minimum and maximum (missing
 * values, NAN, are never a minimum or maximum). Writes the chosen row numbers, increasing,
 * into rows (room for max_points) and returns how many. With n <= max_points every row is
 * kept. */
size_t chart_reduce(const double *y, size_t n, size_t max_points, size_t *rows);

/* Merges two increasing row lists (a, na) and (b, nb) into out (room for na + nb), without
 * duplicates; returns the count. */
size_t chart_merge_rows(const size_t *a, size_t na, const size_t *b, size_t nb, size_t *out);

#endif
