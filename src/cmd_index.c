/* cmd_index.c: `tfreport index`: one sortable, filterable page of all runs */
#include "cli.h"
#include "listing.h"
#include "page_index.h"
#include "util.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_VISIBLE "status,start,duration,eval_*,metric_*"

/* The directory of the page, "" for the current one. */
static char *dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	return slash ? xstrndup(file, (size_t)(slash - file + 1)) : xstrdup("");
}

/* Each run's page when it sits where a site puts it: DIR/runs/NAME.html. */
static char **find_links(const struct listing *l, const char *dest)
{
	char **links = xcalloc(l->nrows + 1, sizeof *links);
	char *dir = dir_of(dest);
	for (size_t r = 0; r < l->nrows; r++) {
		char *rel = xasprintf("runs/%s.html", l->rows[r]->name);
		char *p = xasprintf("%s%s", dir, rel);
		if (access(p, F_OK) == 0)
			links[r] = rel;
		else
			free(rel);
		free(p);
	}
	free(dir);
	return links;
}

int cmd_index(const struct ctx *ctx, const struct opts *o)
{
	struct query q = { .filter = opt_get(o, "filter"), .order = opt_get(o, "order"),
			   .columns = "all", .increasing = opt_has(o, "increasing") };
	struct listing_result res;
	int rc = listing_query(ctx->runs_dir, &q, &res);
	if (rc)
		return rc;
	const char *spec = opt_get(o, "columns");
	size_t nvis;
	const struct column **vis = listing_pick(&res, spec ? spec : DEFAULT_VISIBLE, &nvis);
	if (!vis) {
		listing_result_free(&res);
		return EXIT_USAGE;
	}
	const char *dest = opt_get(o, "output");
	dest = dest ? dest : "index.html";
	char **links = find_links(&res.listing, strcmp(dest, "-") ? dest : "./index.html");
	struct index_input in = { ctx->runs_dir, &res.listing, vis, nvis, (const char *const *)links };
	struct buf page = BUF_INIT;
	char *err = NULL;
	if (page_index_render(&page, &in, NULL, &err) < 0) {
		tf_err(NULL, 0, 0, "%s", err);
		rc = EXIT_RUNTIME;
	} else if (!strcmp(dest, "-")) {
		out_write(page.data, page.len);
	} else if (write_file_atomic(dest, page.data, page.len) < 0) {
		rc = EXIT_RUNTIME;
	} else {
		printf("%s\n", dest);
	}
	for (size_t r = 0; r < res.listing.nrows; r++)
		free(links[r]);
	free(links);
	free(err);
	free(vis);
	buf_free(&page);
	listing_result_free(&res);
	return rc;
}
