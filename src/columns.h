/* columns.h: the columns of a listing (tfruns ls_runs names and order) and each run's values */
#ifndef TF_COLUMNS_H
#define TF_COLUMNS_H
#include <stddef.h>
#include "run.h"

enum colkind {
	C_RUN_DIR, C_EVAL, C_METRIC, C_BEST, C_BEST_EPOCH, C_FLAG, C_PROP, C_UNIT_COMPLETED,
	C_METRICS_PATH, C_SOURCE_CODE, C_ERROR_MESSAGE, C_ERROR_TRACEBACK, C_STATUS, C_DURATION,
};

struct column {
	char *name;
	enum colkind kind;
	const char *key; /* the name inside its file: "loss" for metric_loss (points into name) */
	int group;       /* position group of tfruns's return_runs (reference 2.4) */
	int rank;        /* fixed position inside the group, or 0 */
	size_t seen;     /* order of first appearance */
	int bulky;       /* output, model: never part of `all`, read only when asked for */
};

struct colset {
	struct column *v;
	size_t n, cap;
	size_t *slots; /* open-addressing hash of names: index + 1, 0 = empty */
	size_t nslots;
};

void colset_init(struct colset *cs);
void colset_free(struct colset *cs);
/* Registers every column run r has, in tfruns's first-seen order. */
void colset_add_run(struct colset *cs, const struct run *r);
const struct column *colset_find(const struct colset *cs, const char *name);
/* All columns in tfruns's order (run_dir, eval_*, metric_*, best_*, flag_*, ...). Returns
 * an allocated array of n pointers. */
const struct column **colset_ordered(const struct colset *cs, size_t *n);

/* The value of column c for run r: a pointer into the run, or to *scratch, which the caller
 * frees with value_free. NULL or a V_NA value when the run has none. */
const struct value *column_value(struct run *r, const struct column *c, struct value *scratch);

#endif
