/* listing.h: the ls pipeline shared by every command that lists runs: scan, --latest,
 * --filter, --order, --columns */
#ifndef TF_LISTING_H
#define TF_LISTING_H
#include <stddef.h>
#include "columns.h"
#include "runs.h"
#include "table.h"

struct query {
	const char *filter;  /* expression or NULL */
	const char *order;   /* "col,col" or NULL for start */
	const char *columns; /* "a,b,flag_*", "all" or NULL for the default set */
	int increasing;
	size_t latest;       /* 0: all */
};

struct listing_result {
	struct runset runs;  /* every run read */
	struct colset cols;
	struct listing listing;
};

/* Runs the query over runs_dir. Returns 0, or an exit status after printing the error
 * (EXIT_USAGE for a bad expression or an unknown column); res is then already freed. */
int listing_query(const char *runs_dir, const struct query *q, struct listing_result *res);
void listing_result_free(struct listing_result *res);
/* run_dir and the columns a comma-separated list names (names or globs) in the listing's
 * runs; an allocated array of *n, or NULL after an error for an unknown name. */
const struct column **listing_pick(const struct listing_result *res, const char *spec, size_t *n);

#endif
