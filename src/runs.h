/* runs.h: the runs of a runs directory (tfruns list_run_dirs) and RUN arguments (as_run_dir) */
#ifndef TF_RUNS_H
#define TF_RUNS_H
#include <stddef.h>
#include "run.h"

struct runset {
	struct run **v;
	size_t n;
};

/* The runs dir: dir if given, else $TFRUNS_RUNS_DIR, else "runs". */
const char *runs_dir_default(const char *dir);

/* Loads every run of dir (children with a tfruns.d directory, hidden ones skipped), newest
 * name first (bytewise), keeping the first latest_n when latest_n > 0. A missing runs dir gives
 * a warning and no runs; returns -1 only when dir exists but cannot be listed (error printed). */
int runs_scan(const char *dir, size_t latest_n, struct runset *out);
void runset_free(struct runset *rs);

/* Resolves a RUN argument like tfruns's as_run_dir: an existing directory as given, else
 * <dir>/<arg>. Returns an allocated path, or NULL after printing "unknown run". */
char *runs_resolve(const char *dir, const char *arg);
/* Loads one run given as a RUN argument (resolved as above); NULL after an error. */
struct run *runs_load_arg(const char *dir, const char *arg);

#endif
