/* page_index.h: the index of runs: a sortable, filterable table of the ls columns */
#ifndef TF_PAGE_INDEX_H
#define TF_PAGE_INDEX_H
#include "page.h"
#include "table.h"

struct index_input {
	const char *title;                /* the runs directory */
	const struct listing *all;        /* rows in order, every column the page carries */
	const struct column **visible;    /* shown at first */
	size_t nvisible;
	const char *const *links;         /* per row: its page ("runs/NAME.html") or NULL */
};

int page_index_render(struct buf *out, const struct index_input *in, const struct page_opts *o,
		      char **err);

#endif
