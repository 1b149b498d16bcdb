/* rundir.h: creating run directories (tfruns unique_run_dir), race-free */
#ifndef TF_RUNDIR_H
#define TF_RUNDIR_H
#include <sys/types.h>

/* mkdir -p: creates path and its missing parents. Returns 0 (also when it exists as a
 * directory) or -1 with errno set; prints nothing. */
int mkdir_p(const char *path, mode_t mode);

/* The run name for a UTC time, as tfruns: "2017-10-02T14-23-38Z", or with seconds_scale n
 * > 0, n decimals of the second ("2017-10-02T14-23-38.123Z"; truncated, not rounded).
 * Writes into out (at least 40 bytes). */
void rundir_name(char *out, long long sec, long nsec, int seconds_scale);

/* Creates <runs_dir>/<name> for the current time (runs_dir and parents created). The
 * directory is unique because mkdir(2) fails with EEXIST when another process took the
 * name: then the name gets a finer timestamp (3, 6, then 9 decimals) and mkdir is tried
 * again. Returns the new path (malloc'd), or NULL after printing an error. */
char *rundir_create_unique(const char *runs_dir, int seconds_scale);

/* Orders run names as tfruns does (bytes, C locale), except that two timestamp names of one
 * second compare by their decimals: "…38Z" (no decimals) < "…38.120Z" < "…38.5Z". Runs
 * made in the same second get decimals (rundir_create_unique), and "latest" stays the one
 * made last. Returns <0, 0 or >0 like strcmp. */
int rundir_name_cmp(const char *a, const char *b);

#endif
