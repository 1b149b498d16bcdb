/* cmd_write.c: not written yet (issue 6 is in progress) */
#include "cli.h"
#include "util.h"

const struct optspec write_opts[] = { { 0 } };

int cmd_write(const struct ctx *ctx, const struct opts *o)
{
	(void)ctx;
	(void)o;
	return tf_err(NULL, 0, 0, "%s: not implemented yet", o->cmd->name), EXIT_RUNTIME;
}
