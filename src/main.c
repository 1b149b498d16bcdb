/* main.c: global options, then dispatch to the command */
#include "assets.h"
#include "cli.h"
#include "runs.h"
#include "util.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static int run_command(const char *runs_dir, int argc, char **argv)
{
	const struct cmd *c = cmd_find(argv[0]);
	if (!c) {
		tf_err(NULL, 0, 0, "unknown command '%s' (see tfreport --help)", argv[0]);
		return EXIT_USAGE;
	}
	struct opts o = { 0 };
	int rc = opts_parse(c, argc, argv, &o);
	if (rc == 0) {
		struct ctx ctx = { runs_dir_default(runs_dir) };
		rc = c->fn(&ctx, &o);
	} else {
		rc = rc > 0 ? EXIT_OK : EXIT_USAGE;
	}
	opts_free(&o);
	return rc;
}

int main(int argc, char **argv)
{
	const char *runs_dir = NULL;
	int i = 1;
	signal(SIGPIPE, SIG_IGN);
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--version")) {
			printf("tfreport %s\n", TFREPORT_VERSION);
			return stdout_close() ? EXIT_RUNTIME : EXIT_OK;
		} else if (!strcmp(a, "--licenses")) {
			const struct asset *l = asset_find("LICENSES");
			out_write(l->data, l->len);
			return stdout_close() ? EXIT_RUNTIME : EXIT_OK;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cli_usage();
			return stdout_close() ? EXIT_RUNTIME : EXIT_OK;
		} else if (!strcmp(a, "--runs-dir")) {
			if (i + 1 >= argc) {
				tf_err(a, 0, 0, "missing DIR");
				return EXIT_USAGE;
			}
			runs_dir = argv[++i];
		} else if (!strncmp(a, "--runs-dir=", 11)) {
			runs_dir = a + 11;
		} else {
			tf_err(a, 0, 0, "unknown global option (see tfreport --help)");
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		cli_usage();
		return EXIT_USAGE;
	}
	int rc = run_command(runs_dir, argc - i, argv + i);
	if (stdout_close() && rc == EXIT_OK)
		rc = EXIT_RUNTIME;
	return rc;
}
