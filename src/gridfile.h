/* gridfile.h: what the grid file readers (gridfile.c) use of grid.c to build a grid; the
 * readers' own entry points, grid_read_file and grid_parse, are declared in grid.h */
#ifndef TF_GRIDFILE_H
#define TF_GRIDFILE_H
#include "grid.h"

/* Why s is not a flag name (empty, starts with '-', holds '=', a space or a control
 * character), or NULL when it is one. */
const char *grid_bad_name(const char *s);
/* The index of name in g->names, or -1. */
int grid_find_name(const struct grid *g, const char *name);
/* Appends an axis NAME with vals (taken, n of them). */
void grid_add_axis(struct grid *g, const char *name, char **vals, size_t n);
/* Appends a row key (copied); returns its index in g->rowkeys. Rows are not extended. */
size_t grid_add_rowkey(struct grid *g, const char *key);
/* Frees n strings and the array. */
void grid_free_list(char **v, size_t n);
/* 1 when YAML scalar text s is null: empty, ~, null, Null, NULL. */
int grid_null_text(const char *s);

#endif
