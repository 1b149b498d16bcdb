/* compare.h: what changed between two runs: flags, metrics, evaluation and unified diffs of
 * flags (as YAML), sources and console output, shared by the HTML, Markdown and JSON forms */
#ifndef TF_COMPARE_H
#define TF_COMPARE_H
#include <stddef.h>
#include "page.h"

struct compare_input {
	struct run_input a, b; /* a started first */
};

struct cmp_diff {
	char *name;         /* "flags.yml", "train.R", "console output" */
	const char *status; /* "changed", "added", "deleted" */
	char *text;         /* unified diff */
	size_t nadd, ndel, hunks;
};

struct cmp_row {
	char *name;
	struct value a, b; /* V_NA where a run has none */
};

struct comparison {
	struct cmp_diff *diffs;
	size_t ndiffs;
	struct cmp_row *flags, *metrics, *eval;
	size_t nflags, nmetrics, neval;
};

void compare_compute(struct comparison *c, const struct compare_input *in);
void compare_free(struct comparison *c);
/* 1 when the two values differ (text compared: 0.1 and 0.10 are the same). */
int cmp_row_changed(const struct cmp_row *r);
/* b - a as "+0.0123" / "-2", or nothing when either is not a number. */
void cmp_delta(struct buf *out, const struct value *a, const struct value *b);

int page_compare_render(struct buf *out, const struct compare_input *in,
			const struct comparison *c, const struct page_opts *o, char **err);
/* Markdown for a pull-request comment, under max_chars (long parts cut with a note). */
void page_compare_md(struct buf *out, const struct compare_input *in, const struct comparison *c,
		     size_t max_chars);
void page_compare_json(struct buf *out, const struct compare_input *in, const struct comparison *c);

#endif
