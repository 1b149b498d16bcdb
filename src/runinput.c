/* runinput.c: everything a page shows of a run read from disk: sources, files, plots, notes */
#include "inline.h"
#include "runinput.h"
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_SOURCE_FILE ((size_t)1 << 20)
#define MAX_SOURCES ((size_t)10 << 20)
#define MAX_PLOT ((size_t)20 << 20)

static int has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), k = strlen(ext);
	return n > k && !strcasecmp(name + n - k, ext);
}

static void read_sources(struct run_input *in)
{
	struct run *r = in->run;
	if (!(r->has & HAS_SOURCE))
		return;
	char *p = xasprintf("%s/tfruns.d/source.tar.gz", r->path);
	const struct value *script = run_prop(r, "script");
	if (srcarchive_read(p, script && script->type == V_STR ? script->str : NULL, 1,
			    MAX_SOURCE_FILE, MAX_SOURCES, &in->sources) < 0 && errno != ENOENT)
		tf_warn(p, 0, 0, "cannot read: %s", strerror(errno));
	free(p);
}

static void push_file(struct page_file **v, size_t *n, const char *name, struct buf *data)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n].name = xstrdup(name);
	(*v)[*n].len = data->len;
	(*v)[*n].data = buf_detach(data);
	(*n)++;
}

/* Images of plots/ as they are; HTML artifacts made self-contained (inline.c). */
static void read_plots(struct run_input *in)
{
	struct run_entries e;
	run_list_plots(in->run, &e);
	for (size_t i = 0; i < e.n; i++) {
		char *p = path_join(in->run->path, e.v[i].name);
		struct buf b = BUF_INIT;
		if (read_file(p, MAX_PLOT, &b) == 0)
			push_file(&in->plots, &in->nplots, e.v[i].name, &b);
		else
			tf_warn(p, 0, 0, "cannot read: %s", strerror(errno));
		buf_free(&b);
		free(p);
	}
	run_entries_free(&e);
	run_list_plot_pages(in->run, &e);
	for (size_t i = 0; i < e.n; i++) {
		char *p = path_join(in->run->path, e.v[i].name);
		struct buf b = BUF_INIT;
		if (has_ext(p, ".html") && inline_html(&b, p, in->run->path, MAX_PLOT) == 0)
			push_file(&in->html_plots, &in->nhtml_plots, e.v[i].name, &b);
		buf_free(&b);
		free(p);
	}
	run_entries_free(&e);
}

static void read_notes(struct run_input *in)
{
	char *p = xasprintf("%s/tfruns.d/notes.md", in->run->path);
	struct buf b = BUF_INIT;
	if (read_file(p, (size_t)4 << 20, &b) == 0) {
		size_t bad;
		char *fixed = utf8_repair(b.data, b.len, &bad);
		in->notes = fixed ? fixed : buf_detach(&b);
	} else if (errno != ENOENT) {
		tf_warn(p, 0, 0, "cannot read: %s", strerror(errno));
	}
	buf_free(&b);
	free(p);
}

void run_input_free(struct run_input *in)
{
	srcarchive_free(&in->sources);
	run_entries_free(&in->files);
	for (size_t i = 0; i < in->nplots; i++)
		free(in->plots[i].name), free(in->plots[i].data);
	for (size_t i = 0; i < in->nhtml_plots; i++)
		free(in->html_plots[i].name), free(in->html_plots[i].data);
	free(in->plots);
	free(in->html_plots);
	free(in->notes);
	run_free(in->run);
}

void run_input_load(struct run_input *in)
{
	read_sources(in);
	run_list_files(in->run, &in->files);
	read_plots(in);
	read_notes(in);
}
