/* flags.h: tfruns flags (reference section 3): flags.yml with config sections and inherits,
 * command-line overrides as YAML 1.1 scalars, typed declarations with tfruns's coercion
 * rules and error messages, and the --help layout. */
#ifndef TF_FLAGS_H
#define TF_FLAGS_H
#include "buf.h"
#include "json.h"

/* The active config section: explicit when not NULL, else $TFRUNS_CONFIG, else
 * $R_CONFIG_ACTIVE, else "default". */
const char *flags_active_config(const char *explicit_config);

/* The flags a `tfreport run` records, without declarations (the script declares them):
 * the flags file (file; when NULL, "flags.yml" in the current directory if it exists) with
 * its default and active section resolved (inherits, deep merge), then each "NAME=VALUE" of
 * kv merged over it in order (NAME with '-' read as '_'; VALUE a YAML 1.1 scalar; a null
 * VALUE removes NAME). Returns a new object in resolution order, or NULL after printing a
 * one-line error naming the file. */
struct json *flags_resolve_run(const char *file, const char *config, const char *const *kv,
			       int nkv);

/* ---- the pieces (all print their own one-line error and return NULL/-1) ---- */

/* A plain YAML 1.1 scalar: null (~, null, empty), bool (yes/no/on/off/true/false in
 * lower, Capitalised or UPPER case), int (decimal, 0x hex, 0 octal, 0b binary, base 60,
 * '_' separators), float (1.5, .5, 1.5e-3, 1e-3, .inf, -.Inf, .nan, base 60), else a string.
 * Floats are made with json_new_num_float (an integer 5 and a float 5.0 differ only when
 * turned into text for a string flag, as in R). */
struct json *flags_yaml_scalar(const char *text);
/* A value given on a command line: a single- or double-quoted YAML scalar is its string
 * ('5000' is the string 5000), a YAML flow list or mapping ([1, 2], {a: 1}) that parses is
 * that, anything else the plain scalar above (no comments or "key: value" read in it). */
struct json *flags_yaml_value(const char *text);

/* A whole YAML file as JSON values (mappings in file order, anchors and aliases, "<<" merge
 * keys). An empty file gives an empty object. Errors: "path:LINE: message". */
struct json *flags_yaml_load(const char *path);

/* Deep merge (config::merge): where both are maps they merge recursively, else overlay's
 * value replaces base's and goes to the end (as config does: the order shows in the list
 * of undeclared flags); a null in overlay leaves base's value. */
void flags_merge(struct json *base, const struct json *overlay);

/* flags.yml resolved (reference 3.3): defaults (may be NULL) deep-merged with the file's
 * top level (flat file) or its default: section (every top-level value a mapping), then the
 * active section config with its inherits (one name or a list, parents merged left to right,
 * own values last; a cycle is "Configuration X inherits from itself!"). "inherits" never
 * becomes a flag. file NULL: "flags.yml" when it exists; an explicit file that does not
 * exist gives the warning "configuration file 'F' does not exist" and is skipped. */
struct json *flags_resolve_file(const char *file, const char *config, const struct json *defaults);

/* The script's command line (reference 3.4) merged into into: --key=value, --key value
 * (the next argument whatever it is), '-' in keys read as '_', "--args" stops, other
 * arguments skipped; values are YAML scalars, null removes the key. When typed is not NULL
 * (the JSON of $TFRUNS_FLAGS) and a value's text is exactly flags_value_text of typed's
 * value for that key, typed's value is taken (so a string "yes" passed by `tfreport run`
 * stays a string). Error: "missing value for --key". */
int flags_parse_args(struct json *into, int argc, char *const *argv, const struct json *typed);
/* 1 when an argument is exactly "--help". */
int flags_wants_help(int argc, char *const *argv);

/* ---- typed declarations ---- */
enum flag_type { FLAG_NUMERIC, FLAG_INTEGER, FLAG_BOOLEAN, FLAG_STRING };

struct flag_decl {
	char *name;
	enum flag_type type;
	struct json *def;  /* the default, already of the type */
	char *desc;  /* or NULL */
};

struct flag_decls {
	struct flag_decl *v;
	int n;
};

const char *flags_type_name(enum flag_type t); /* "numeric", "integer", ... */
/* Adds NAME=DEFAULT[:DESCRIPTION] ("\:" for a ':' in the default, "\\" for '\'). A string
 * default is taken as written; the others are read as YAML scalars and coerced as 3.6.
 * Errors: "A flag named 'x' has already been defined", "Unable to convert ...". */
int flags_declare(struct flag_decls *d, enum flag_type t, const char *spec);
void flags_decls_free(struct flag_decls *d);
/* The declared defaults as an object in declaration order. */
struct json *flags_defaults(const struct flag_decls *d);
/* The merged values checked and coerced (3.6): undeclared keys, non-scalars, conversions,
 * with tfruns's messages. Returns the typed object in declaration order. */
struct json *flags_validate(const struct flag_decls *d, const struct json *merged);
/* The --help text of 3.7 (declared defaults), nothing when no flag is declared. */
void flags_help(struct buf *out, const struct flag_decls *d);

/* ---- text ---- */
/* R's as.character of a value (15 significant digits, "1e+05", "TRUE"). */
void flags_r_text(struct buf *out, const struct json *v);
/* A scalar as a command-line value: numbers shortest round trip (Inf, -Inf, NaN), true and
 * false, strings as they are; arrays and objects as compact JSON. */
void flags_value_text(struct buf *out, const struct json *v);
/* flags.json as tfruns writes it: pretty, two-space indent, "key": value, final newline;
 * an infinite or NaN number as the string "Inf", "-Inf" or "NaN". */
char *flags_json_text(const struct json *flags);
/* Writes RUN_DIR/tfruns.d/flags.json atomically (tfruns.d created when missing; RUN_DIR
 * must exist; a tfruns.d that is a symbolic link is refused). */
int flags_record(const char *run_dir, const struct json *flags);

#endif
