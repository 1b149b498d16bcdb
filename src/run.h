/* run.h: one run directory loaded (tfruns layout): properties, flags, metrics, evaluation, error */
#ifndef TF_RUN_H
#define TF_RUN_H
#include <stddef.h>
#include "metrics.h"
#include "value.h"

/* A named value (evaluation entry, flag, property). */
struct field {
	char *name;
	struct value v;
};

/* One property file. Values are read on first use (run_prop), since a listing rarely needs
 * all of them and `output` can be large. */
struct prop {
	char *name;
	int loaded;
	struct value v;
};

/* Which files tfruns.d holds. */
enum {
	HAS_PROPERTIES = 1 << 0,
	HAS_FLAGS = 1 << 1,
	HAS_METRICS = 1 << 2,
	HAS_METRICS_JSONL = 1 << 3,
	HAS_EVALUATION = 1 << 4,
	HAS_ERROR = 1 << 5,
	HAS_SOURCE = 1 << 6,
};

struct run {
	char *path;  /* as given: <runs_dir>/<name> or the user's path */
	char *name;  /* basename */
	unsigned has;
	struct prop *props;
	size_t nprops;
	struct field *eval;
	size_t neval;
	struct field *flags;
	size_t nflags;
	struct metrics metrics;
	char *error_message;   /* NULL when absent */
	char *error_traceback; /* frames joined by "\n", NULL when absent */
	int meta_fd;           /* tfruns.d, open while loading (paths resolve from it), else -1 */
};

/* Loads what the listing needs: the list of property files (values on demand), flags.json,
 * evaluation.json, metrics.json + metrics.jsonl, error.json. Never fails: a file that cannot
 * be read or parsed gives one warning naming it, and the run keeps what could be read.
 * Returns NULL (errno set, nothing printed) when path has no tfruns.d: it is not a run. A run
 * whose directory cannot be read is returned empty, after a warning. */
struct run *run_load(const char *path, const char *name);
void run_free(struct run *r);

/* The property's value (read and converted on first use), or NULL if there is no such file.
 * Conversions follow tfruns: start/end/cloudml dates are times, learning_rate and
 * cloudml_ml_units numbers, samples/validation_samples/epochs/steps/batch_size integers,
 * completed a boolean; `type` local/missing reads "training", `context` missing "local". */
const struct value *run_prop(struct run *r, const char *name);
/* Why the first n bytes of name cannot name a property file (tfruns.d/properties/NAME), or
 * NULL when they can: not empty, no '/', no control character, no leading '.' (readers skip
 * hidden files). */
const char *run_prop_name_problem(const char *name, size_t n);
int run_has_prop(const struct run *r, const char *name);

/* Rows in which at least one metric has a value (the <unit>_completed count). */
size_t run_metrics_completed(const struct run *r);
/* "steps" when a steps property exists, else "epochs" when an epochs property exists, else "steps". */
const char *run_progress_unit(const struct run *r);
/* Last non-missing value of a metric column; NAN when none. */
double series_last(const struct series *s, size_t n);
/* Best value (min for names containing loss, error, mae or mse, max otherwise) and the row
 * it came from; returns 0 when the column has no value. */
int series_best(const struct series *s, size_t n, double *best, size_t *row);
/* x value of a row: the epoch column, else row + 1. */
double run_epoch_of_row(const struct run *r, size_t row);

/* completed, failed, running or interrupted (SPEC.md section 3). */
const char *run_status(struct run *r);

#endif
