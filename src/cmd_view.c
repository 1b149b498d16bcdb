/* cmd_view.c: `tfreport view`: write the single-run report (tfruns view_run/save_run_view) */
#include "cli.h"
#include "page.h"
#include "runinput.h"
#include "runs.h"
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The RUN argument, or the latest run. */
static struct run *pick_run(const struct ctx *ctx, const struct opts *o, int *rc)
{
	if (o->nargs) {
		struct run *r = runs_load_arg(ctx->runs_dir, o->args[0]);
		*rc = r ? EXIT_OK : EXIT_USAGE;
		return r;
	}
	struct runset rs;
	*rc = EXIT_RUNTIME;
	if (runs_scan(ctx->runs_dir, 1, &rs) < 0)
		return NULL;
	struct run *r = rs.n ? rs.v[0] : NULL;
	if (!r)
		tf_err(ctx->runs_dir, 0, 0, "no runs here");
	rs.n = 0;
	runset_free(&rs);
	*rc = r ? EXIT_OK : EXIT_RUNTIME;
	return r;
}

int cmd_view(const struct ctx *ctx, const struct opts *o)
{
	int rc;
	struct run_input in = { 0 };
	in.run = pick_run(ctx, o, &rc);
	if (!in.run)
		return rc;
	run_input_load(&in);
	struct buf page = BUF_INIT;
	char *err = NULL;
	if (page_run_render(&page, &in, NULL, &err) < 0) {
		rc = EXIT_RUNTIME;
		tf_err(NULL, 0, 0, "%s", err);
	} else {
		const char *dest = opt_get(o, "output");
		char *def = dest ? NULL : xasprintf("run-%s.html", in.run->name);
		dest = dest ? dest : def;
		if (!strcmp(dest, "-"))
			out_write(page.data, page.len);
		else if (write_file_atomic(dest, page.data, page.len) < 0)
			rc = EXIT_RUNTIME;
		else
			printf("%s\n", dest);
		free(def);
	}
	free(err);
	buf_free(&page);
	run_input_free(&in);
	return rc;
}
