/* runfiles.h: what a run directory holds besides its metadata: files (artifacts) and plots */
#ifndef TF_RUNFILES_H
#define TF_RUNFILES_H
#include <stddef.h>
#include "run.h"

struct run_entry {
	char *name;      /* relative to the run directory */
	char kind;       /* 'f' file, 'd' directory, 'l' symbolic link, '?' other */
	long long size;  /* bytes; a directory's is the sum of what it holds (links not followed) */
};

struct run_entries {
	struct run_entry *v;
	size_t n;
};

/* Top-level entries of the run except tfruns.d, plots and logs (tfruns's Files card), by name.
 * Unreadable entries give a warning and are listed without a size. */
void run_list_files(const struct run *r, struct run_entries *out);
/* plots/ images (png, jpg, jpeg, gif, svg; not recursive), by name. */
void run_list_plots(const struct run *r, struct run_entries *out);
/* plots/ HTML pages (.html, .htm), by name. */
void run_list_plot_pages(const struct run *r, struct run_entries *out);
void run_entries_free(struct run_entries *e);

#endif
