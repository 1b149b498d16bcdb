/* runinput.h: everything a page shows of a run read from disk: sources, files, plots, notes */
#ifndef TF_RUNINPUT_H
#define TF_RUNINPUT_H
#include "page.h"

/* Reads what a page of in->run shows (in->run set, the rest zeroed); problems are warnings. */
void run_input_load(struct run_input *in);
/* Frees all of it, the run too. */
void run_input_free(struct run_input *in);

#endif
