/* page.h: what every page shares: the view input, template rendering, embedded assets */
#ifndef TF_PAGE_H
#define TF_PAGE_H
#include <stddef.h>
#include "buf.h"
#include "json.h"
#include "run.h"
#include "runfiles.h"
#include "srcarchive.h"

/* A file of the run read for a page (a plot image, an HTML artifact made self-contained). */
struct page_file {
	char *name;
	char *data;
	size_t len;
};

/* Everything a run page shows, read by the command (pages never touch the file system). */
struct run_input {
	struct run *run;
	struct src_archive sources;  /* with contents, script first */
	struct run_entries files;    /* top-level artifacts */
	struct page_file *plots;     /* images */
	size_t nplots;
	struct page_file *html_plots; /* HTML pages of plots/, made self-contained (inline.c) */
	size_t nhtml_plots;
	char *notes;                 /* notes.md, or NULL */
};

/* Links between the pages of a site (relative URLs; NULL: no such link). */
struct site_nav {
	const char *index;
	const char *run, *run_label; /* compare pages: back to a run */
	const char *prev, *next;     /* run pages: comparisons with the neighbouring runs */
};

struct page_opts {
	size_t max_points;        /* per metric series drawn (default 5000) */
	size_t max_console;       /* console bytes shown (default 2 MB) */
	const char *asset_prefix; /* NULL: assets inlined; else "../assets/": linked, shared */
	const struct site_nav *nav;
};

/* The file name a shared asset gets in a site: "uPlot.iife.min-0123456789abcdef.js" (its
 * content's hash, so a changed asset never meets a stale cache). */
char *page_asset_file(const char *asset_name);

/* Renders the embedded template `name` ("templates/run.html") with view. Adds to view the
 * program version and the embedded assets listed as key/asset-name pairs (NULL-terminated)
 * under view.assets. Returns 0, or -1 with *err set ("templates/run.html:12: ..."). */
int page_render(struct buf *out, const char *name, struct json *view,
		const char *const *asset_pairs, const struct page_opts *o, char **err);

/* Puts data into view.data_json as JSON safe inside <script> (< > & U+2028 U+2029 escaped). */
void page_embed_data(struct json *view, const struct json *data);

/* Display forms shared by pages. */
void page_fmt_duration(struct buf *out, double seconds);   /* 0.314 s, 12.3 s, 0:01:05, 1d 02:03:04 */
void page_fmt_time(struct buf *out, double t);             /* 2026-11-28 01:50:12 UTC */
void page_fmt_size(struct buf *out, long long bytes);      /* 2.0 KB */
void page_fmt_num(struct buf *out, double d);              /* 6 significant digits */

/* The single-run report (page_run.c). */
int page_run_render(struct buf *out, const struct run_input *in, const struct page_opts *o,
		    char **err);

#endif
