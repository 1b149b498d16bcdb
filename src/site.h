/* site.h: a runs directory as a static site: index, run pages and comparisons, incremental */
#ifndef TF_SITE_H
#define TF_SITE_H
#include <stddef.h>

struct site_opts {
	const char *runs_dir;
	const char *out_dir;
	const char *filter;   /* NULL: every run */
	int jobs;             /* threads rendering pages */
	int self_contained;   /* inline every asset instead of DIR/assets/ */
	int progress;         /* draw a progress bar (stdout is a terminal) */
};

struct site_stats {
	size_t written, removed, unchanged;
};

/* Builds or updates the site. Returns 0 or an exit status after printing the error. */
int site_build(const struct site_opts *o, struct site_stats *st);

#endif
