/* grid.h: the combinations of flag values a tuning run tries (tfruns tuning_run): the
 * Cartesian product of --flag lists, the rows of a grid file (CSV, JSON, YAML), sampling */
#ifndef TF_GRID_H
#define TF_GRID_H
#include <stddef.h>
#include <stdint.h>

/* Combinations beyond this are refused (a grid is run, not just counted). */
#define GRID_MAX 1000000

/* One list of values whose every element is tried: --flag NAME=V1,V2,... or a grid file's
 * mapping of NAME to a list. */
struct grid_axis {
	char *name;
	char **vals;
	size_t n;
};

/* Values are YAML scalars as text, given to `tfreport run --flag NAME=VALUE` as they are
 * (strings from JSON or quoted YAML are single-quoted when they would read otherwise). */
struct grid {
	const char **names; /* every flag name, in order: the rows' keys, then the axes' names */
	size_t nnames;
	char **rowkeys;     /* the keys of the rows, in order of first appearance */
	size_t nrowkeys;
	char ***rows;       /* rows[r][k] for rowkeys[k]; NULL where the row does not set it */
	size_t nrows;     /* 0 when there are no rows (then the product is over the axes only) */
	struct grid_axis *axes;
	size_t naxes;
};

enum grid_format { GRID_AUTO, GRID_CSV, GRID_JSON, GRID_YAML };

void grid_init(struct grid *g);
void grid_free(struct grid *g);

/* Adds an axis from "NAME=V1,V2,...": values split at commas, except inside a single- or
 * double-quoted value ('a,b' stays one value, quotes kept for the YAML reading). Returns 0,
 * or -1 after printing an error naming the argument. */
int grid_add_flag(struct grid *g, const char *arg);

/* Reads a grid file (gridfile.c): a CSV file with a header line, a JSON array of objects, a YAML list of
 * mappings (each row one combination, used as it is), or a JSON object / YAML mapping of
 * NAME to a list of values (a Cartesian product, as --flag). The format comes from the
 * extension (.csv, .json, .yml, .yaml), else from the first character. Returns 0, or -1
 * after printing "tfreport: FILE:LINE: message". */
int grid_read_file(struct grid *g, const char *path);
/* The same over text in memory; path is only used in messages. */
int grid_parse(struct grid *g, const char *path, const char *text, size_t len, enum grid_format f);

/* The number of combinations: rows (or 1) times the product of the axis lengths; 0 when
 * more than GRID_MAX. */
size_t grid_total(const struct grid *g);
/* Combination idx (0 <= idx < total): vals[k] for names[k], NULL when not set. The rows vary
 * fastest, then the first axis, and so on: a=1,2 b=10,20 gives (1,10) (2,10) (1,20) (2,20). */
void grid_combination(const struct grid *g, size_t idx, const char **vals);

/* --sample F: 0 < F <= 1, with tfruns's messages. Returns 0, or -1 after printing. */
int grid_sample_parse(const char *s, double *f);
/* ceil(F * total) (a product that misses an integer by rounding error counts as it), >= 1. */
size_t grid_sample_size(size_t total, double f);
/* k of the indices 0..total-1, drawn uniformly without replacement, in random order, from a
 * generator seeded with seed (the same seed gives the same draw). An allocated array. */
size_t *grid_sample(size_t total, size_t k, uint64_t seed);

/* 1 when text, read as a YAML 1.1 plain scalar, is the string text itself (not a number,
 * boolean, null, or something needing quotes). */
int grid_plain_string(const char *s);
/* Single-quotes s for YAML ('' for a quote); allocated. */
char *grid_yaml_quote(const char *s);
/* Whether a recorded flag value (as text: strings as they are, numbers in shortest form,
 * booleans true/false; NULL when the run lacks the flag) is what the YAML scalar text gave:
 * the same text, or numbers as numbers, booleans as booleans, quoted strings unquoted. A
 * combination that leaves the flag unset (text NULL or null) matches any value. */
int grid_value_matches(const char *text, int recorded_type, const char *recorded);
enum { GRID_REC_NONE, GRID_REC_NUM, GRID_REC_BOOL, GRID_REC_STR };

#endif
