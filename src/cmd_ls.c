/* cmd_ls.c: `tfreport ls`: list, filter and sort runs (tfruns ls_runs) */
#include "cli.h"
#include "columns.h"
#include "filter.h"
#include "listing.h"
#include "runs.h"
#include "table.h"
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A positive count for --latest; 0 when absent, -1 after an error. */
static long parse_count(const char *opt, const char *s)
{
	if (!s)
		return 0;
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (errno || end == s || *end || n <= 0)
		return tf_err(opt, 0, 0, "expected a positive whole number, not '%s'", s);
	return n;
}

int cmd_ls(const struct ctx *ctx, const struct opts *o)
{
	struct query q = { 0 };
	const char *fmt = opt_get(o, "format");
	int f = fmt ? format_parse(fmt) : FMT_TABLE;
	if (f < 0) {
		tf_err("--format", 0, 0, "unknown format '%s' (table, csv, tsv, json or md)", fmt);
		return EXIT_USAGE;
	}
	long latest = parse_count("--latest", opt_get(o, "latest"));
	if (latest < 0)
		return EXIT_USAGE;
	q.filter = opt_get(o, "filter");
	q.order = opt_get(o, "order");
	q.columns = opt_get(o, "columns");
	q.increasing = opt_has(o, "increasing");
	q.latest = (size_t)latest;
	struct listing_result res;
	int rc = listing_query(ctx->runs_dir, &q, &res);
	if (rc)
		return rc;
	struct buf out = BUF_INIT;
	listing_render(&out, &res.listing, (enum format)f, cli_terminal_width());
	out_write(out.data, out.len);
	buf_free(&out);
	listing_result_free(&res);
	return EXIT_OK;
}
