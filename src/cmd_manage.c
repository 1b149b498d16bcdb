/* cmd_manage.c: not written yet (issue 6 is in progress) */
#include "cli.h"
#include "util.h"

const struct optspec clean_opts[] = { { 0 } };

int cmd_clean(const struct ctx *ctx, const struct opts *o)
{
	(void)ctx;
	(void)o;
	return tf_err(NULL, 0, 0, "%s: not implemented yet", o->cmd->name), EXIT_RUNTIME;
}

const struct optspec purge_opts[] = { { 0 } };

int cmd_purge(const struct ctx *ctx, const struct opts *o)
{
	(void)ctx;
	(void)o;
	return tf_err(NULL, 0, 0, "%s: not implemented yet", o->cmd->name), EXIT_RUNTIME;
}

const struct optspec copy_opts[] = { { 0 } };

int cmd_copy(const struct ctx *ctx, const struct opts *o)
{
	(void)ctx;
	(void)o;
	return tf_err(NULL, 0, 0, "%s: not implemented yet", o->cmd->name), EXIT_RUNTIME;
}
