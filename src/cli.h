/* cli.h: the command table, option parsing and generated help */
#ifndef TF_CLI_H
#define TF_CLI_H

struct optspec {
	const char *name;  /* long name without "--" */
	char shortname;    /* or 0 */
	const char *arg;   /* argument name, NULL for a switch */
	const char *help;
};

struct ctx {
	const char *runs_dir; /* resolved: --runs-dir, $TFRUNS_RUNS_DIR or "runs" */
};

struct opts;

struct cmd {
	const char *name;
	int (*fn)(const struct ctx *ctx, const struct opts *o);
	const char *synopsis;    /* after the command name: "[--filter EXPR] ..." */
	const char *summary;     /* one line */
	const struct optspec *opts; /* terminated by a zeroed entry */
	int max_args;            /* positional arguments accepted; -1 for any number */
};

struct opts {
	const struct cmd *cmd;
	const char **val;  /* per optspec: the last value given ("" for a switch), or NULL */
	char **args;
	int nargs;
};

/* The command table. */
const struct cmd *cmd_find(const char *name);
void cli_usage(void);               /* the whole-program usage, to stdout */
void cli_help(const struct cmd *c); /* one command's help, to stdout */

/* Parses a command's arguments (argv[0] is the command name). Returns 0, 1 when --help was
 * printed, or -1 after printing a usage error. */
int opts_parse(const struct cmd *c, int argc, char **argv, struct opts *o);
void opts_free(struct opts *o);
const char *opt_get(const struct opts *o, const char *name);
int opt_has(const struct opts *o, const char *name);

/* Command implementations (cmd_*.c). */
int cmd_ls(const struct ctx *ctx, const struct opts *o);
int cmd_info(const struct ctx *ctx, const struct opts *o);
int cmd_latest(const struct ctx *ctx, const struct opts *o);
int cmd_view(const struct ctx *ctx, const struct opts *o);
int cmd_compare(const struct ctx *ctx, const struct opts *o);
int cmd_index(const struct ctx *ctx, const struct opts *o);
int cmd_site(const struct ctx *ctx, const struct opts *o);

#define TFREPORT_VERSION "0.1.0"

#endif
