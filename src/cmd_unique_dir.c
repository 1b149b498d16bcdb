/* cmd_unique_dir.c: `tfreport unique-dir`, tfruns unique_run_dir() for any language */
#include "cli.h"
#include "rundir.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct optspec unique_dir_opts[] = {
	{ "seconds-scale", 0, "N", "decimals of the second in the name, 0 to 9 (default 0, as tfruns)" },
	{ 0 },
};

int cmd_unique_dir(const struct ctx *ctx, const struct opts *o)
{
	int scale = 0;
	const char *s = opt_get(o, "seconds-scale");
	if (s) {
		char *end;
		long v = strtol(s, &end, 10);
		if (!*s || *end || v < 0 || v > 9)
			return tf_err(s, 0, 0, "--seconds-scale must be an integer from 0 to 9"), EXIT_USAGE;
		scale = (int)v;
	}
	char *dir = rundir_create_unique(ctx->runs_dir, scale);
	if (!dir)
		return EXIT_RUNTIME;
	printf("%s\n", dir);
	free(dir);
	return stdout_close() ? EXIT_RUNTIME : EXIT_OK;
}
