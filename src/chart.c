/* chart.c: long metric series reduced for drawing, keeping every spike (min/max per bucket) */
#include "chart.h"

#include <math.h>

static void bucket(const double *y, size_t lo, size_t hi, size_t *rows, size_t *k)
{
	size_t mn = lo, mx = lo;
	int found = 0;
	for (size_t i = lo; i < hi; i++) {
		if (isnan(y[i]))
			continue;
		if (!found || y[i] < y[mn])
			mn = i;
		if (!found || y[i] > y[mx])
			mx = i;
		found = 1;
	}
	size_t pick[4] = { lo, mn < mx ? mn : mx, mn < mx ? mx : mn, hi - 1 };
	for (int j = 0; j < 4; j++)
		if (*k == 0 || rows[*k - 1] < pick[j])
			rows[(*k)++] = pick[j];
}

size_t chart_reduce(const double *y, size_t n, size_t max_points, size_t *rows)
{
	if (n <= max_points) {
		for (size_t i = 0; i < n; i++)
			rows[i] = i;
		return n;
	}
	size_t nb = max_points / 4 ? max_points / 4 : 1, k = 0;
	for (size_t b = 0; b < nb; b++) {
		size_t lo = n * b / nb, hi = n * (b + 1) / nb;
		if (hi > lo)
			bucket(y, lo, hi, rows, &k);
	}
	return k;
}

size_t chart_merge_rows(const size_t *a, size_t na, const size_t *b, size_t nb, size_t *out)
{
	size_t i = 0, j = 0, k = 0;
	while (i < na || j < nb) {
		size_t v = j >= nb || (i < na && a[i] <= b[j]) ? a[i] : b[j];
		if (i < na && a[i] == v)
			i++;
		if (j < nb && b[j] == v)
			j++;
		out[k++] = v;
	}
	return k;
}
