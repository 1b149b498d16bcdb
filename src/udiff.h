/* udiff.h: unified-diff text (as GNU diff -u prints it) */
#ifndef TF_UDIFF_H
#define TF_UDIFF_H
#include <stddef.h>

#include "buf.h"

/* context: lines of context around each change (GNU diff's -U; negative counts as 0);
 * labels: the names after "---" and "+++", such as "a/train.R", or "/dev/null" for the
 * side of an added or deleted file; NULL stands for "a" and "b". A NULL opts means
 * context 3 and those labels. */
struct udiff_opts {
	int context;
	const char *a_label;
	const char *b_label;
};

#define UDIFF_OPTS_INIT { 3, NULL, NULL }

/* Appends the unified diff of a and b to out (nothing when identical); returns the number
 * of hunks. *nadd and *ndel (either may be NULL) get the lines added and deleted. Bytes
 * are data: "\r" stays in its line, a last line without "\n" is followed by
 * "\ No newline at end of file". */
size_t udiff(struct buf *out, const char *a, size_t alen, const char *b, size_t blen,
	     const struct udiff_opts *o, size_t *nadd, size_t *ndel);

#endif
