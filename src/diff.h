/* diff.h: line diff (Myers' O(ND) over interned line ids, linear space, cost-capped) */
#ifndef TF_DIFF_H
#define TF_DIFF_H
#include <stddef.h>

/* A line including its "\n" if it has one. */
struct diff_line {
	const char *p;
	size_t len;
};

/* a[a0..a1) replaced by b[b0..b1); at least one of the two ranges is non-empty. */
struct diff_hunk_edit {
	size_t a0, a1, b0, b1;
};

/* The edits in order, none adjacent to another; nadd and ndel count the lines added
 * (from b) and deleted (from a). */
struct diff_result {
	struct diff_hunk_edit *edits;
	size_t n;
	size_t nadd, ndel;
};

/* Splits text into lines (the last without "\n" if the text does not end with one; CRLF
 * stays inside the line: "\r" is data). Returns the number of lines; *lines (NULL when
 * there are none) points into text and is released with free(). */
size_t diff_split(const char *text, size_t len, struct diff_line **lines);

/* Computes the edits turning a into b, in order; returns 0. The edit script is minimal
 * unless the edit distance is large (over about max(256, sqrt(na + nb)) in one region),
 * where a cheaper split is taken: the result is then still exact, just not minimal.
 * (Past 2^31 lines between the common prefix and suffix, that middle is one edit.)
 * out is overwritten; free it with diff_result_free(). */
int diff_lines(const struct diff_line *a, size_t na, const struct diff_line *b, size_t nb,
	       struct diff_result *out);

/* Frees the edits; accepts NULL and a zeroed result. */
void diff_result_free(struct diff_result *r);

#endif
