/* flags.c: not written yet (issue 6 is in progress): resolves nothing. */
#include "flags.h"
#include <stdlib.h>

const char *flags_active_config(const char *explicit_config)
{
	if (explicit_config)
		return explicit_config;
	const char *e = getenv("TFRUNS_CONFIG");
	if (!e || !*e)
		e = getenv("R_CONFIG_ACTIVE");
	return e && *e ? e : "default";
}

cJSON *flags_resolve_run(const char *file, const char *config, const char *const *kv, int nkv)
{
	(void)file;
	(void)config;
	(void)kv;
	(void)nkv;
	return cJSON_CreateObject();
}
