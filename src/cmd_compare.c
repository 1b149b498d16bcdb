/* cmd_compare.c: `tfreport compare`: two runs side by side (tfruns compare_runs) */
#include "cli.h"
#include "compare.h"
#include "runinput.h"
#include "runs.h"
#include "util.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MD_MAX_CHARS 60000

/* The two runs named, or the two latest (by name, as tfruns's ls_runs(latest_n = 2)). */
static int pick_runs(const struct ctx *ctx, const struct opts *o, struct run **a, struct run **b)
{
	*a = *b = NULL;
	if (o->nargs == 2) {
		*a = runs_load_arg(ctx->runs_dir, o->args[0]);
		*b = *a ? runs_load_arg(ctx->runs_dir, o->args[1]) : NULL;
		return *a && *b ? EXIT_OK : EXIT_USAGE;
	}
	if (o->nargs) {
		tf_err(NULL, 0, 0, "compare needs two runs, or none for the two latest");
		return EXIT_USAGE;
	}
	struct runset rs;
	if (runs_scan(ctx->runs_dir, 2, &rs) < 0)
		return EXIT_RUNTIME;
	if (rs.n < 2) {
		tf_err(ctx->runs_dir, 0, 0, "compare needs two runs; there %s %zu here",
		       rs.n == 1 ? "is" : "are", rs.n);
		runset_free(&rs);
		return EXIT_RUNTIME;
	}
	*a = rs.v[0];
	*b = rs.v[1];
	rs.n = 0;
	runset_free(&rs);
	return EXIT_OK;
}

static double start_of(struct run *r)
{
	const struct value *s = run_prop(r, "start");
	return s && s->type == V_TIME ? s->num : 0;
}

/* The earlier start goes left; equal or unknown starts keep the name order. */
static void order_runs(struct run **a, struct run **b)
{
	double sa = start_of(*a), sb = start_of(*b);
	if (sb < sa || (sb == sa && strcmp((*b)->name, (*a)->name) < 0)) {
		struct run *t = *a;
		*a = *b;
		*b = t;
	}
}

static int emit(const char *dest, const struct buf *page)
{
	if (!strcmp(dest, "-")) {
		out_write(page->data, page->len);
		return EXIT_OK;
	}
	if (write_file_atomic(dest, page->data, page->len) < 0)
		return EXIT_RUNTIME;
	printf("%s\n", dest);
	return EXIT_OK;
}

static int render(const struct compare_input *in, const char *fmt, const char *dest)
{
	struct comparison c;
	compare_compute(&c, in);
	struct buf out = BUF_INIT;
	char *err = NULL, *def = NULL;
	int rc = EXIT_OK;
	if (!strcmp(fmt, "md")) {
		page_compare_md(&out, in, &c, MD_MAX_CHARS);
	} else if (!strcmp(fmt, "json")) {
		page_compare_json(&out, in, &c);
	} else if (page_compare_render(&out, in, &c, NULL, &err) < 0) {
		tf_err(NULL, 0, 0, "%s", err);
		rc = EXIT_RUNTIME;
	}
	if (!dest && !strcmp(fmt, "html"))
		dest = def = xasprintf("compare-%s-%s.html", in->a.run->name, in->b.run->name);
	if (rc == EXIT_OK)
		rc = emit(dest ? dest : "-", &out);
	free(def);
	free(err);
	buf_free(&out);
	compare_free(&c);
	return rc;
}

int cmd_compare(const struct ctx *ctx, const struct opts *o)
{
	const char *fmt = opt_get(o, "format");
	fmt = fmt ? fmt : "html";
	if (strcmp(fmt, "html") && strcmp(fmt, "md") && strcmp(fmt, "json")) {
		tf_err("--format", 0, 0, "unknown format '%s' (html, md or json)", fmt);
		return EXIT_USAGE;
	}
	struct compare_input in = { 0 };
	int rc = pick_runs(ctx, o, &in.a.run, &in.b.run);
	if (rc == EXIT_OK) {
		order_runs(&in.a.run, &in.b.run);
		run_input_load(&in.a);
		run_input_load(&in.b);
		rc = render(&in, fmt, opt_get(o, "output"));
	}
	if (in.a.run)
		run_input_free(&in.a);
	if (in.b.run)
		run_input_free(&in.b);
	return rc;
}
