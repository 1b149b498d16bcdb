/* cli.c: the command table, option parsing and generated help */
#include "cli.h"
#include "util.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const struct optspec ls_opts[] = {
	{ "filter", 0, "EXPR", "keep the runs for which EXPR holds, e.g. 'eval_acc > 0.97 && completed'" },
	{ "order", 0, "COLS", "sort by these columns, comma-separated (default: start)" },
	{ "increasing", 0, NULL, "sort in increasing order (default: decreasing, newest first)" },
	{ "latest", 0, "N", "keep the N newest runs by name, before filtering (as tfruns)" },
	{ "columns", 0, "LIST", "columns to show, comma-separated (globs like 'flag_*'), or 'all'" },
	{ "format", 0, "FMT", "table (default), csv, tsv, json or md" },
	{ 0 },
};

static const struct optspec info_opts[] = {
	{ "format", 0, "FMT", "text (default) or json" },
	{ 0 },
};

static const struct optspec latest_opts[] = {
	{ "format", 0, "FMT", "path (default): the run's directory; json: everything, as info" },
	{ 0 },
};

static const struct optspec view_opts[] = {
	{ "output", 'o', "FILE", "where to write the page (default: run-<name>.html; - for stdout)" },
	{ 0 },
};

static const struct optspec compare_opts[] = {
	{ "output", 'o', "FILE", "where to write (html default: compare-<a>-<b>.html; md and json: stdout; - for stdout)" },
	{ "format", 0, "FMT", "html (default), md (a pull-request comment) or json" },
	{ 0 },
};

static const struct optspec index_opts[] = {
	{ "output", 'o', "FILE", "where to write the page (default: index.html; - for stdout)" },
	{ "filter", 0, "EXPR", "keep the runs for which EXPR holds (as ls)" },
	{ "order", 0, "COLS", "first order of the rows (default: start, newest first)" },
	{ "increasing", 0, NULL, "increasing order" },
	{ "columns", 0, "LIST", "columns shown at first (default: status, start, duration, eval_*, metric_*)" },
	{ 0 },
};

static const struct optspec site_opts[] = {
	{ "output", 'o', "DIR", "the site's directory (created; pages of an earlier build are updated)" },
	{ "filter", 0, "EXPR", "only the runs for which EXPR holds (as ls)" },
	{ "jobs", 'j', "N", "pages rendered at once (default: the number of cores)" },
	{ "self-contained", 0, NULL, "inline the scripts and styles into every page instead of DIR/assets/" },
	{ 0 },
};

static const struct cmd commands[] = {
	{ "compare", cmd_compare, "[RUN_A RUN_B] [-o FILE] [--format html|md|json]",
	  "compare two runs (default: the two latest; the earlier start goes left)",
	  compare_opts, 2, 0 },
	{ "view", cmd_view, "[RUN] [-o FILE]",
	  "write a run's report as one self-contained HTML file (default: the latest run)",
	  view_opts, 1, 0 },
	{ "index", cmd_index, "[-o FILE] [--filter EXPR] [--order COLS] [--columns LIST]",
	  "write a sortable, filterable page of all runs", index_opts, 0, 0 },
	{ "site", cmd_site, "-o DIR [--filter EXPR] [--jobs N] [--self-contained]",
	  "write the runs as a static site: index, every run, each run against the one before",
	  site_opts, 0, 0 },
	{ "ls", cmd_ls, "[--filter EXPR] [--order COLS] [--increasing] [--latest N] "
	  "[--columns LIST|all] [--format table|csv|tsv|json|md]",
	  "list runs, newest first (tfruns ls_runs)", ls_opts, 0, 0 },
	{ "info", cmd_info, "[RUN...] [--format text|json]",
	  "everything known about runs (default: the latest) (tfruns run_info)", info_opts, -1, 0 },
	{ "latest", cmd_latest, "[--format path|json]",
	  "the latest run (tfruns latest_run)", latest_opts, 0, 0 },
	{ "run", cmd_run, "[--run-dir DIR] [--flag NAME=VALUE]... [--flags-file FILE] [--config NAME] "
	  "[--property KEY=VALUE]... [--context NAME] [--source GLOB]... [--artifacts-dir DIR | "
	  "--no-artifacts] [--no-flag-args] [--view save] [--] COMMAND [ARG...]",
	  "run a training command in a new run directory (tfruns training_run)", run_opts, -1, 1 },
	{ "tune", cmd_tune, "[run options] [--flag NAME=V1,V2,...]... [--grid FILE] [--sample F] "
	  "[--seed N] [--jobs N] [--yes] [--dry-run] [--emit FILE] [--tuning-id ID] [--resume] "
	  "[--objective [min:|max:]COL] "
	  "[--] COMMAND [ARG...]",
	  "run a command once per combination of flag values (tfruns tuning_run)", tune_opts, -1, 1 },
	{ "flags", cmd_flags, "[--numeric|--integer|--boolean|--string NAME=DEFAULT[:DESCRIPTION]]... "
	  "[--file FILE] [--config NAME] [--format json|sh|env] [-- ARGS...]",
	  "resolve a script's typed flags, as tfruns flags() (for scripts in any language)",
	  flags_opts, -1, 0 },
	{ "write", cmd_write, "metrics|evaluation|properties|error [--run RUN] [--step N] "
	  "[--replace] [--traceback FILE] [KEY=VALUE... | MESSAGE]",
	  "record metrics, evaluation, properties or an error into the active run", write_opts, -1, 0 },
	{ "unique-dir", cmd_unique_dir, "[--seconds-scale N]",
	  "create a new, uniquely named run directory and print its path", unique_dir_opts, 0, 0 },
	{ "clean", cmd_clean, "[RUN...] [--filter EXPR] [--yes]",
	  "move runs into <runs-dir>/archive (tfruns clean_runs)", clean_opts, -1, 0 },
	{ "purge", cmd_purge, "[--yes]",
	  "permanently delete the runs in <runs-dir>/archive (tfruns purge_runs)", purge_opts, 0, 0 },
	{ "copy", cmd_copy, "RUN... [--to DIR] [--rename NAME]... [--files-only] [--yes]",
	  "copy runs, or only their artifacts, to a directory (tfruns copy_run)", copy_opts, -1, 0 },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

const struct cmd *cmd_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void cli_usage(void)
{
	printf("usage: tfreport [--runs-dir DIR] COMMAND [OPTIONS] [ARGS]\n"
	       "       tfreport --version | --licenses | --help\n\n"
	       "Lists, compares and publishes training runs kept in tfruns run directories.\n\n"
	       "commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\nglobal options:\n"
	       "  --runs-dir DIR   the runs directory (default: $TFRUNS_RUNS_DIR, else ./runs)\n"
	       "  -h, --help       show help; `tfreport COMMAND --help` for a command\n"
	       "  --version        show the version\n"
	       "  --licenses       show the licences of the libraries built into tfreport\n\n"
	       "exit status: 0 success, 1 runtime error, 2 usage error, 3 training command failed.\n"
	       "See tfreport(1).\n");
}

static void opt_line(const char *left, const char *help)
{
	if (strlen(left) < 22)
		printf("  %-22s %s\n", left, help);
	else
		printf("  %s\n  %-22s %s\n", left, "", help);
}

void cli_help(const struct cmd *c)
{
	printf("usage: tfreport [--runs-dir DIR] %s %s\n\n%c%s.\n\noptions:\n", c->name,
	       c->synopsis, c->summary[0] >= 'a' && c->summary[0] <= 'z' ? c->summary[0] - 32 :
	       c->summary[0], c->summary + 1);
	for (const struct optspec *s = c->opts; s->name; s++) {
		char left[80];
		snprintf(left, sizeof left, "%s%c%s--%s%s%s", s->shortname ? "-" : "",
			 s->shortname ? s->shortname : ' ', s->shortname ? ", " : "", s->name,
			 s->arg ? " " : "", s->arg ? s->arg : "");
		opt_line(s->shortname ? left : left + 1, s->help);
	}
	opt_line("-h, --help", "show this help");
}

static const struct optspec *find_long(const struct cmd *c, const char *name, size_t n)
{
	for (const struct optspec *s = c->opts; s->name; s++)
		if (strlen(s->name) == n && !strncmp(s->name, name, n))
			return s;
	return NULL;
}

static const struct optspec *find_short(const struct cmd *c, char ch)
{
	for (const struct optspec *s = c->opts; s->name; s++)
		if (s->shortname == ch)
			return s;
	return NULL;
}

/* Handles one option argument at argv[*i]; returns 0, 1 (help) or -1 (usage error). */
static int parse_one(const struct cmd *c, int argc, char **argv, int *i, struct opts *o)
{
	const char *a = argv[*i], *inl = NULL;
	const struct optspec *s;
	if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
		cli_help(c);
		return 1;
	}
	if (a[1] == '-') {
		const char *eq = strchr(a + 2, '=');
		size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		s = find_long(c, a + 2, n);
		inl = eq ? eq + 1 : NULL;
	} else {
		s = a[2] ? NULL : find_short(c, a[1]);
	}
	if (!s)
		return tf_err(a, 0, 0, "unknown option for '%s' (see tfreport %s --help)", c->name,
			      c->name);
	if (!s->arg && inl)
		return tf_err(a, 0, 0, "this option takes no value");
	if (s->arg && !inl) {
		if (*i + 1 >= argc)
			return tf_err(a, 0, 0, "missing %s", s->arg);
		inl = argv[++*i];
	}
	size_t k = (size_t)(s - c->opts), n = 0;
	o->val[k] = s->arg ? inl : "";
	while (o->all[k] && o->all[k][n])
		n++;
	o->all[k] = xrealloc(o->all[k], (n + 2) * sizeof *o->all[k]);
	o->all[k][n] = o->val[k];
	o->all[k][n + 1] = NULL;
	o->seq[k] = xrealloc(o->seq[k], (n + 1) * sizeof *o->seq[k]);
	o->seq[k][n] = o->nseq++;
	return 0;
}

int opts_parse(const struct cmd *c, int argc, char **argv, struct opts *o)
{
	size_t nopts = 0;
	while (c->opts[nopts].name)
		nopts++;
	o->cmd = c;
	o->val = xcalloc(nopts + 1, sizeof *o->val);
	o->all = xcalloc(nopts + 1, sizeof *o->all);
	o->seq = xcalloc(nopts + 1, sizeof *o->seq);
	o->nseq = 0;
	o->args = xcalloc((size_t)argc + 1, sizeof *o->args);
	o->nargs = 0;
	int only_args = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_args && !strcmp(a, "--")) {
			only_args = 1;
		} else if (!only_args && c->args_stop && o->nargs == 0 && (a[0] != '-' || !a[1])) {
			only_args = 1;
			o->args[o->nargs++] = argv[i];
		} else if (!only_args && a[0] == '-' && a[1]) {
			int rc = parse_one(c, argc, argv, &i, o);
			if (rc)
				return rc;
		} else {
			o->args[o->nargs++] = argv[i];
		}
	}
	if (c->max_args >= 0 && o->nargs > c->max_args)
		return tf_err(o->args[c->max_args], 0, 0, "unexpected argument (see tfreport %s --help)",
			      c->name);
	return 0;
}

void opts_free(struct opts *o)
{
	if (o->all && o->cmd)
		for (size_t k = 0; o->cmd->opts[k].name; k++)
			free(o->all[k]);
	if (o->seq && o->cmd)
		for (size_t k = 0; o->cmd->opts[k].name; k++)
			free(o->seq[k]);
	free(o->all);
	free(o->seq);
	o->all = NULL;
	o->seq = NULL;
	free(o->val);
	free(o->args);
	o->val = NULL;
	o->args = NULL;
}

const char *opt_get(const struct opts *o, const char *name)
{
	for (const struct optspec *s = o->cmd->opts; s->name; s++)
		if (!strcmp(s->name, name))
			return o->val[s - o->cmd->opts];
	return NULL;
}

int opt_has(const struct opts *o, const char *name) { return opt_get(o, name) != NULL; }

const char *const *opt_all(const struct opts *o, const char *name, int *n)
{
	static const char *const none[] = { NULL };
	const char *const *l = none;
	for (const struct optspec *s = o->cmd->opts; s->name; s++)
		if (!strcmp(s->name, name) && o->all[s - o->cmd->opts])
			l = o->all[s - o->cmd->opts];
	if (n)
		for (*n = 0; l[*n]; ++*n)
			;
	return l;
}

const int *opt_seq(const struct opts *o, const char *name)
{
	for (const struct optspec *s = o->cmd->opts; s->name; s++)
		if (!strcmp(s->name, name))
			return o->seq[s - o->cmd->opts];
	return NULL;
}

int cli_confirm(const struct opts *o, const char *question)
{
	if (opt_has(o, "yes") || !isatty(STDIN_FILENO))
		return 1;
	fflush(stdout);
	fprintf(stderr, "%s [Y/n]: ", question);
	fflush(stderr);
	char line[64];
	if (!fgets(line, sizeof line, stdin)) {
		fputc('\n', stderr);
		return 0;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return !line[0] || !strcasecmp(line, "y") || !strcasecmp(line, "yes");
}

int cli_terminal_width(void)
{
	const char *env = getenv("COLUMNS");
	if (env && atoi(env) >= 20)
		return atoi(env);
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 100;
}
