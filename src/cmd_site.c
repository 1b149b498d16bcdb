/* cmd_site.c: `tfreport site`: the runs directory as a static site */
#include "cli.h"
#include "site.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int cmd_site(const struct ctx *ctx, const struct opts *o)
{
	const char *out = opt_get(o, "output");
	if (!out) {
		tf_err(NULL, 0, 0, "site needs -o DIR (see tfreport site --help)");
		return EXIT_USAGE;
	}
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	const char *j = opt_get(o, "jobs");
	if (j) {
		char *end;
		errno = 0;
		jobs = strtol(j, &end, 10);
		if (errno || *end || jobs < 1 || jobs > 256) {
			tf_err("--jobs", 0, 0, "expected a number from 1 to 256, not '%s'", j);
			return EXIT_USAGE;
		}
	}
	struct site_opts so = { ctx->runs_dir, out, opt_get(o, "filter"), jobs > 0 ? (int)jobs : 1,
				opt_has(o, "self-contained"), isatty(STDOUT_FILENO) };
	struct site_stats st;
	int rc = site_build(&so, &st);
	if (rc == EXIT_OK)
		printf("%s/index.html (%zu pages written, %zu unchanged, %zu removed)\n", out, st.written,
		       st.unchanged, st.removed);
	return rc;
}
