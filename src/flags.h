/* flags.h: tfruns flags (reference section 3): flags.yml with config sections and inherits,
 * command-line overrides as YAML 1.1 scalars, typed declarations with tfruns's coercion
 * rules and error messages, and the --help layout. */
#ifndef TF_FLAGS_H
#define TF_FLAGS_H
#include <cJSON.h>

/* The active config section: explicit when not NULL, else $TFRUNS_CONFIG, else
 * $R_CONFIG_ACTIVE, else "default". */
const char *flags_active_config(const char *explicit_config);

/* The flags a `tfreport run` records, without declarations (the script declares them):
 * the flags file (file; when NULL, "flags.yml" in the current directory if it exists) with
 * its default and active section resolved (inherits, deep merge), then each "NAME=VALUE" of
 * kv merged over it in order (NAME with '-' read as '_'; VALUE a YAML 1.1 scalar; a null
 * VALUE removes NAME). Returns a new object in resolution order, or NULL after printing a
 * one-line error naming the file. */
cJSON *flags_resolve_run(const char *file, const char *config, const char *const *kv, int nkv);

#endif
