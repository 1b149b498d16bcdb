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
	int args_stop;           /* 1: options end at the first positional argument (COMMAND...) */
};

struct opts {
	const struct cmd *cmd;
	const char **val;  /* per optspec: the last value given ("" for a switch), or NULL */
	const char ***all; /* per optspec: every value given, in order, NULL-terminated, or NULL */
	int **seq;         /* per optspec: the command-line position of each value of all[] */
	int nseq;          /* options given */
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
/* Every value of a repeatable option (--flag A --flag B), in order; *n gets the count. Never
 * NULL: an empty, NULL-terminated list when the option was not given. */
const char *const *opt_all(const struct opts *o, const char *name, int *n);
/* The positions (0, 1, ... over all the options given) of the values opt_all returns, to
 * put the values of different options back in command-line order. NULL when not given. */
const int *opt_seq(const struct opts *o, const char *name);

/* tfruns's confirm = interactive(): asks "QUESTION [Y/n]: " on stderr only when standard input
 * is a terminal and the command has no --yes; an empty answer, y or yes goes ahead. Returns 1
 * to go ahead, 0 not to. */
int cli_confirm(const struct opts *o, const char *question);

/* The width tables are laid out for: $COLUMNS, else the terminal's, else 100. */
int cli_terminal_width(void);

/* Command implementations (cmd_*.c). */
int cmd_ls(const struct ctx *ctx, const struct opts *o);
int cmd_info(const struct ctx *ctx, const struct opts *o);
int cmd_latest(const struct ctx *ctx, const struct opts *o);
int cmd_view(const struct ctx *ctx, const struct opts *o);
int cmd_compare(const struct ctx *ctx, const struct opts *o);
int cmd_index(const struct ctx *ctx, const struct opts *o);
int cmd_site(const struct ctx *ctx, const struct opts *o);
int cmd_run(const struct ctx *ctx, const struct opts *o);        /* cmd_run.c */
int cmd_tune(const struct ctx *ctx, const struct opts *o);       /* cmd_tune.c */
int cmd_flags(const struct ctx *ctx, const struct opts *o);      /* cmd_flags.c */
int cmd_write(const struct ctx *ctx, const struct opts *o);      /* cmd_write.c */
int cmd_unique_dir(const struct ctx *ctx, const struct opts *o); /* cmd_unique_dir.c */
int cmd_clean(const struct ctx *ctx, const struct opts *o);      /* cmd_manage.c */
int cmd_purge(const struct ctx *ctx, const struct opts *o);      /* cmd_manage.c */
int cmd_copy(const struct ctx *ctx, const struct opts *o);       /* cmd_manage.c */

/* Option lists defined beside their commands. */
extern const struct optspec run_opts[], tune_opts[], flags_opts[], write_opts[],
	unique_dir_opts[], clean_opts[], purge_opts[], copy_opts[];

#define TFREPORT_VERSION "0.1.0"

#endif
