/* test_flags.c: tfruns flags (reference section 3): YAML 1.1 scalars, flags.yml styles,
 * config sections and inherits, the command line, coercions and messages, help, flags.json */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "flags.h"
#include "json.h"
#include "util.h"

/* ---- helpers ---- */

static char home[PATH_MAX], scratch[PATH_MAX];
static struct buf errs;

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

/* Each test runs in a fresh directory with no config in the environment, errors captured. */
static int setup(void **state)
{
	(void)state;
	assert_non_null(getcwd(home, sizeof home));
	snprintf(scratch, sizeof scratch, "/tmp/tfreport-test-flags.XXXXXX");
	assert_non_null(mkdtemp(scratch));
	assert_int_equal(chdir(scratch), 0);
	unsetenv("TFRUNS_CONFIG");
	unsetenv("R_CONFIG_ACTIVE");
	buf_reset(&errs);
	tf_warn_capture(&errs);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tf_warn_capture(NULL);
	buf_free(&errs);
	assert_int_equal(chdir(home), 0);
	nftw(scratch, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static const char *errors(void) { return errs.data ? errs.data : ""; }

static void put(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Compact JSON text of v (malloc'd). */
static char *compact(const struct json *v)
{
	struct buf b = BUF_INIT;
	json_print(&b, v);
	return b.data ? buf_detach(&b) : strdup("");
}

static struct json *parse(const char *text) { return json_parse_quiet(text, strlen(text), NULL); }

/* Compact JSON of v (freed); "NULL" for NULL. Asserts it equals want. */
static void expect_json(struct json *v, const char *want)
{
	char *s = v ? compact(v) : NULL;
	if (s ? strcmp(s, want) != 0 : strcmp(want, "NULL") != 0)
		fail_msg("got %s, want %s (errors: %s)", s ? s : "NULL", want, errors());
	free(s);
	json_free(v);
}

static void expect_scalar(const char *text, const char *want_json, int is_float)
{
	struct json *v = flags_yaml_scalar(text);
	if (json_num_is_float(v) != is_float)
		fail_msg("'%s': float marker %d, want %d", text, json_num_is_float(v), is_float);
	char *s = compact(v);
	if (strcmp(s, want_json))
		fail_msg("'%s' read as %s, want %s", text, s, want_json);
	free(s);
	json_free(v);
}

/* The tfruns test fixture: define_flags() of tests/testthat. */
static void tfruns_decls(struct flag_decls *d)
{
	assert_int_equal(flags_declare(d, FLAG_NUMERIC, "learning_rate=0.01:Initial learning rate."), 0);
	assert_int_equal(flags_declare(d, FLAG_INTEGER, "max_steps=5000:Number of steps to run trainer."), 0);
	assert_int_equal(flags_declare(d, FLAG_STRING, "data_dir=MNIST-data:Directory for training data"), 0);
	assert_int_equal(flags_declare(d, FLAG_BOOLEAN, "fake_data=FALSE:If true, use fake data for testing"), 0);
}

/* Resolves as `tfreport flags` does (file, config, no $TFRUNS_FLAGS, args) and returns the
 * typed object or NULL. */
static struct json *resolve(const struct flag_decls *d, const char *file, const char *config,
			    int argc, char *const *argv)
{
	struct json *defs = flags_defaults(d);
	struct json *m = flags_resolve_file(file, config, defs);
	json_free(defs);
	if (!m)
		return NULL;
	struct json *r = NULL;
	if (!flags_parse_args(m, argc, argv, NULL))
		r = flags_validate(d, m);
	json_free(m);
	return r;
}

/* One declared flag of type t (default def) given the command-line value val. */
static struct json *one(enum flag_type t, const char *def, const char *val)
{
	struct flag_decls d = { 0 };
	char spec[256];
	snprintf(spec, sizeof spec, "x=%s", def);
	assert_int_equal(flags_declare(&d, t, spec), 0);
	char *argv[] = { "--x", (char *)val };
	struct json *r = resolve(&d, NULL, NULL, val ? 2 : 0, argv);
	flags_decls_free(&d);
	return r;
}

static void expect_one(enum flag_type t, const char *def, const char *val, const char *want)
{
	expect_json(one(t, def, val), want);
	assert_string_equal(errors(), "");
}

static void expect_one_error(enum flag_type t, const char *def, const char *val, const char *msg)
{
	struct json *r = one(t, def, val);
	if (r)
		expect_json(r, "an error");
	assert_string_equal(errors(), msg);
	buf_reset(&errs);
}

/* ---- YAML 1.1 scalars (3.4) ---- */

static void test_scalars(void **state)
{
	(void)state;
	expect_scalar("5000", "5000", 0);
	expect_scalar("-12", "-12", 0);
	expect_scalar("1_000", "1000", 0);
	expect_scalar("0x1A", "26", 0);
	expect_scalar("017", "15", 0);
	expect_scalar("0b101", "5", 0);
	expect_scalar("1:30", "90", 0);
	expect_scalar("0.02", "0.02", 1);
	expect_scalar(".5", "0.5", 1);
	expect_scalar("-1.5e-3", "-0.0015", 1);
	expect_scalar("2e-5", "2e-05", 1);
	expect_scalar("1.", "1", 1);
	expect_scalar(".inf", "null", 1); /* cJSON prints infinities as null */
	const char *bools[] = { "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" };
	for (size_t i = 0; i < sizeof bools / sizeof *bools; i++)
		expect_scalar(bools[i], "true", 0);
	const char *nos[] = { "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF" };
	for (size_t i = 0; i < sizeof nos / sizeof *nos; i++)
		expect_scalar(nos[i], "false", 0);
	expect_scalar("~", "null", 0);
	expect_scalar("null", "null", 0);
	expect_scalar("NULL", "null", 0);
	expect_scalar("", "null", 0);
	/* strings: not YAML 1.1 types */
	expect_scalar("yEs", "\"yEs\"", 0);
	expect_scalar("y", "\"y\"", 0);
	expect_scalar("T", "\"T\"", 0);
	expect_scalar("09", "\"09\"", 0);
	expect_scalar("1.2.3", "\"1.2.3\"", 0);
	expect_scalar(".", "\".\"", 0);
	expect_scalar("MNIST-data", "\"MNIST-data\"", 0);
	expect_scalar("gs://bucket/x", "\"gs://bucket/x\"", 0);
	expect_scalar("1e", "\"1e\"", 0);
	struct json *v = flags_yaml_scalar("-.Inf");
	assert_true(json_type(v) == J_NUM && json_num(v) < 0 && !(json_num(v) > -1e308));
	json_free(v);
	v = flags_yaml_scalar(".NaN");
	assert_true(json_type(v) == J_NUM && json_num(v) != json_num(v));
	json_free(v);
}

static void expect_cl_value(const char *text, const char *want_json)
{
	struct json *v = flags_yaml_value(text);
	char *s = compact(v);
	if (strcmp(s, want_json))
		fail_msg("'%s' read as %s, want %s", text, s, want_json);
	free(s);
	json_free(v);
}

/* Command-line values: quoted scalars are strings, flow lists and maps are structures (tfruns
 * parses each value as YAML), anything else a plain scalar read whole. */
static void test_command_line_values(void **state)
{
	(void)state;
	expect_cl_value("'5000'", "\"5000\"");
	expect_cl_value("\"yes\"", "\"yes\"");
	expect_cl_value("'it''s'", "\"it's\"");
	expect_cl_value("\"tab\\there\"", "\"tab\\there\"");
	expect_cl_value("[0.1, 0.2]", "[0.1,0.2]");
	expect_cl_value("{a: 1}", "{\"a\":1}");
	expect_cl_value("5000", "5000");
	expect_cl_value("a: b", "\"a: b\"");
	expect_cl_value("run #3", "\"run #3\"");
	expect_cl_value("'unterminated", "\"'unterminated\"");
	expect_cl_value("\"a\" b", "\"\\\"a\\\" b\"");
	expect_cl_value("[1,", "\"[1,\"");
	expect_cl_value("[*x]", "\"[*x]\"");
	expect_cl_value("'a'\n--- 'b'", "\"'a'\\n--- 'b'\"");
	assert_string_equal(errors(), "");
}

/* ---- flags_resolve_run: what `tfreport run` records ---- */

static void test_resolve_run(void **state)
{
	(void)state;
	/* no flags.yml: nothing, silently */
	expect_json(flags_resolve_run(NULL, NULL, NULL, 0), "{}");
	assert_string_equal(errors(), "");
	put("flags.yml", "learning_rate: 0.01\nunits: 128\nactivation: relu\nnested:\n  a: 1\n");
	/* a replaced value goes to the end (config::merge); a null VALUE removes NAME */
	const char *kv[] = { "learning-rate=0.05", "units=~", "extra=yes", "name='quoted'", "nested=3" };
	expect_json(flags_resolve_run(NULL, NULL, kv, 5),
		    "{\"activation\":\"relu\",\"learning_rate\":0.05,\"extra\":true,\"name\":\"quoted\","
		    "\"nested\":3}");
	/* later NAME=VALUE wins; the config section applies */
	put("other.yml", "default:\n  lr: 0.1\nbig:\n  lr: 0.5\n  units: 512\n");
	const char *kv2[] = { "lr=0.2", "lr=0.3" };
	expect_json(flags_resolve_run("other.yml", NULL, kv2, 2), "{\"lr\":0.3}");
	expect_json(flags_resolve_run("other.yml", "big", NULL, 0), "{\"lr\":0.5,\"units\":512}");
	setenv("TFRUNS_CONFIG", "big", 1);
	expect_json(flags_resolve_run("other.yml", NULL, NULL, 0), "{\"lr\":0.5,\"units\":512}");
	unsetenv("TFRUNS_CONFIG");
	assert_string_equal(errors(), "");
	/* errors name their source */
	const char *bad[] = { "noequals" };
	expect_json(flags_resolve_run(NULL, NULL, bad, 1), "NULL");
	assert_string_equal(errors(), "tfreport: noequals: expected NAME=VALUE\n");
	buf_reset(&errs);
	expect_json(flags_resolve_run("missing.yml", NULL, NULL, 0), "{}");
	assert_string_equal(errors(), "tfreport: warning: configuration file 'missing.yml' does not exist\n");
}

static void test_active_config(void **state)
{
	(void)state;
	assert_string_equal(flags_active_config(NULL), "default");
	setenv("R_CONFIG_ACTIVE", "r", 1);
	assert_string_equal(flags_active_config(NULL), "r");
	setenv("TFRUNS_CONFIG", "tf", 1);
	assert_string_equal(flags_active_config(NULL), "tf");
	assert_string_equal(flags_active_config("explicit"), "explicit");
	setenv("TFRUNS_CONFIG", "", 1);
	assert_string_equal(flags_active_config(NULL), "r");
	unsetenv("TFRUNS_CONFIG");
	unsetenv("R_CONFIG_ACTIVE");
}

/* ---- flags.yml (3.3) ---- */

static void test_file_flat_and_profile(void **state)
{
	(void)state;
	struct flag_decls d = { 0 };
	tfruns_decls(&d);
	/* the tfruns tests: flat, profile with config, profile with default config */
	put("flat.yml", "learning_rate: 0.02\n");
	expect_json(resolve(&d, "flat.yml", NULL, 0, NULL),
		    "{\"learning_rate\":0.02,\"max_steps\":5000,\"data_dir\":\"MNIST-data\",\"fake_data\":false}");
	put("profile.yml", "myconfig:\n  learning_rate: 0.03\n");
	expect_json(resolve(&d, "profile.yml", "myconfig", 0, NULL),
		    "{\"learning_rate\":0.03,\"max_steps\":5000,\"data_dir\":\"MNIST-data\",\"fake_data\":false}");
	expect_json(resolve(&d, "profile.yml", "default", 0, NULL),
		    "{\"learning_rate\":0.01,\"max_steps\":5000,\"data_dir\":\"MNIST-data\",\"fake_data\":false}");
	/* default: section under the active one; a missing section is just default */
	put("flags.yml", "default:\n  max_steps: 100\n  fake_data: yes\nbig:\n  max_steps: 9000\n");
	expect_json(resolve(&d, NULL, "big", 0, NULL),
		    "{\"learning_rate\":0.01,\"max_steps\":9000,\"data_dir\":\"MNIST-data\",\"fake_data\":true}");
	expect_json(resolve(&d, NULL, "nosuch", 0, NULL),
		    "{\"learning_rate\":0.01,\"max_steps\":100,\"data_dir\":\"MNIST-data\",\"fake_data\":true}");
	/* training_run(flags = "flags-learning-rate.yml") */
	put("flags-learning-rate.yml", "learning_rate: 0.05\n");
	expect_json(resolve(&d, "flags-learning-rate.yml", NULL, 0, NULL),
		    "{\"learning_rate\":0.05,\"max_steps\":5000,\"data_dir\":\"MNIST-data\",\"fake_data\":false}");
	/* quoted YAML scalars stay strings; an empty file changes nothing */
	put("quoted.yml", "data_dir: '5000'\n");
	expect_json(resolve(&d, "quoted.yml", NULL, 0, NULL),
		    "{\"learning_rate\":0.01,\"max_steps\":5000,\"data_dir\":\"5000\",\"fake_data\":false}");
	put("empty.yml", "");
	expect_json(resolve(&d, "empty.yml", "x", 0, NULL),
		    "{\"learning_rate\":0.01,\"max_steps\":5000,\"data_dir\":\"MNIST-data\",\"fake_data\":false}");
	assert_string_equal(errors(), "");
	/* a mixed file is flat: its section names become (undeclared) flags */
	put("mixed.yml", "learning_rate: 0.02\nmyconfig:\n  learning_rate: 0.03\n");
	expect_json(resolve(&d, "mixed.yml", "myconfig", 0, NULL), "NULL");
	assert_string_equal(errors(), "tfreport: The following flags were provided but not declared: myconfig\n");
	flags_decls_free(&d);
}

static void test_file_missing_and_precision(void **state)
{
	(void)state;
	struct flag_decls d = { 0 };
	assert_int_equal(flags_declare(&d, FLAG_NUMERIC, "lr=0.123456789"), 0);
	expect_json(resolve(&d, NULL, NULL, 0, NULL), "{\"lr\":0.123456789}");
	assert_string_equal(errors(), "");
	expect_json(resolve(&d, "nope.yml", NULL, 0, NULL), "{\"lr\":0.123456789}");
	assert_string_equal(errors(), "tfreport: warning: configuration file 'nope.yml' does not exist\n");
	buf_reset(&errs);
	/* with a file, no 7-digit rounding (tfruns rounds: the Rec. is full precision) */
	put("flags.yml", "other: 1\n");
	struct flag_decls d2 = { 0 };
	assert_int_equal(flags_declare(&d2, FLAG_NUMERIC, "lr=0.123456789"), 0);
	assert_int_equal(flags_declare(&d2, FLAG_NUMERIC, "other=0"), 0);
	expect_json(resolve(&d2, NULL, NULL, 0, NULL), "{\"lr\":0.123456789,\"other\":1}");
	flags_decls_free(&d);
	flags_decls_free(&d2);
}

static void test_inherits(void **state)
{
	(void)state;
	struct flag_decls d = { 0 };
	assert_int_equal(flags_declare(&d, FLAG_NUMERIC, "a=0"), 0);
	assert_int_equal(flags_declare(&d, FLAG_NUMERIC, "b=0"), 0);
	assert_int_equal(flags_declare(&d, FLAG_NUMERIC, "c=0"), 0);
	put("flags.yml",
	    "default:\n  a: 1\n"
	    "p1:\n  b: 10\n  c: 10\n"
	    "p2:\n  c: 20\n"
	    "one:\n  inherits: p1\n  a: 5\n"
	    "list:\n  inherits: [p1, p2]\n"
	    "own:\n  inherits: [p1, p2]\n  c: 30\n"
	    "chain:\n  inherits: one\n  b: 99\n"
	    "self:\n  inherits: self\n"
	    "loop1:\n  inherits: loop2\n"
	    "loop2:\n  inherits: [p1, loop1]\n"
	    "ghost:\n  inherits: nosuch\n  b: 2\n");
	expect_json(resolve(&d, NULL, "one", 0, NULL), "{\"a\":5,\"b\":10,\"c\":10}");
	expect_json(resolve(&d, NULL, "list", 0, NULL), "{\"a\":1,\"b\":10,\"c\":20}");
	expect_json(resolve(&d, NULL, "own", 0, NULL), "{\"a\":1,\"b\":10,\"c\":30}");
	expect_json(resolve(&d, NULL, "chain", 0, NULL), "{\"a\":5,\"b\":99,\"c\":10}");
	expect_json(resolve(&d, NULL, "ghost", 0, NULL), "{\"a\":1,\"b\":2,\"c\":0}");
	assert_string_equal(errors(), "");
	expect_json(resolve(&d, NULL, "self", 0, NULL), "NULL");
	assert_string_equal(errors(), "tfreport: flags.yml: Configuration self inherits from itself!\n");
	buf_reset(&errs);
	expect_json(resolve(&d, NULL, "loop1", 0, NULL), "NULL");
	assert_string_equal(errors(), "tfreport: flags.yml: Configuration loop1 inherits from itself!\n");
	buf_reset(&errs);
	/* inherits never becomes a flag, not even in the default section */
	put("d.yml", "default:\n  inherits: p1\n  a: 3\np1:\n  b: 4\n");
	expect_json(resolve(&d, "d.yml", NULL, 0, NULL), "{\"a\":3,\"b\":0,\"c\":0}");
	assert_string_equal(errors(), "");
	flags_decls_free(&d);
}

static void test_deep_merge(void **state)
{
	(void)state;
	struct json *base = parse("{\"a\":1,\"m\":{\"x\":1,\"y\":{\"p\":1,\"q\":2}},\"s\":\"k\"}");
	struct json *over = parse("{\"m\":{\"y\":{\"q\":3},\"z\":4},\"s\":{\"now\":\"map\"},\"a\":null,\"n\":[1,2]}");
	flags_merge(base, over);
	expect_json(base, "{\"a\":1,\"m\":{\"x\":1,\"y\":{\"p\":1,\"q\":3},\"z\":4},\"s\":{\"now\":\"map\"},\"n\":[1,2]}");
	json_free(over);
	put("profile.yml", "default:\n  opt:\n    lr: 0.1\n    beta: 0.9\nx:\n  opt:\n    lr: 0.5\n");
	expect_json(flags_resolve_run("profile.yml", "x", NULL, 0), "{\"opt\":{\"beta\":0.9,\"lr\":0.5}}");
}

static void test_yaml_features_and_errors(void **state)
{
	(void)state;
	put("a.yml", "base: &b\n  lr: 0.1\n  units: 64\n"
		     "big:\n  <<: *b\n  units: 512\n"
		     "tagged:\n  s: !!str 5000\n  f: !!float 3\n  q: \"yes\"\n  l: |\n    text\n");
	expect_json(flags_yaml_load("a.yml"),
		    "{\"base\":{\"lr\":0.1,\"units\":64},\"big\":{\"units\":512,\"lr\":0.1},"
		    "\"tagged\":{\"s\":\"5000\",\"f\":3,\"q\":\"yes\",\"l\":\"text\\n\"}}");
	assert_string_equal(errors(), "");
	/* a list of merged mappings: the earlier one wins, the mapping's own keys over both */
	put("m.yml", "x: &x {lr: 1, units: 8}\ny: &y {lr: 2, drop: 0.5}\nz:\n  <<: [*x, *y]\n  units: 9\n");
	expect_json(flags_yaml_load("m.yml"),
		    "{\"x\":{\"lr\":1,\"units\":8},\"y\":{\"lr\":2,\"drop\":0.5},\"z\":{\"units\":9,\"lr\":1,\"drop\":0.5}}");
	put("m2.yml", "a: 1\nz:\n  <<: 5\n");
	expect_json(flags_yaml_load("m2.yml"), "NULL");
	assert_string_equal(errors(), "tfreport: m2.yml:3: a '<<' merge key needs a mapping or a list of mappings\n");
	buf_reset(&errs);
	put("bad.yml", "a: 1\nb: [1, 2\nc: 3\n");
	expect_json(flags_yaml_load("bad.yml"), "NULL");
	assert_string_equal(errors(), "tfreport: bad.yml:3: while parsing a flow sequence, did not find expected ',' or ']'\n");
	buf_reset(&errs);
	put("bad2.yml", "a: 1\n  b: 2\n");
	expect_json(flags_yaml_load("bad2.yml"), "NULL");
	assert_string_equal(errors(), "tfreport: bad2.yml:2: mapping values are not allowed in this context\n");
	buf_reset(&errs);
	put("dup.yml", "a: 1\nb: 2\na: 3\n");
	expect_json(flags_yaml_load("dup.yml"), "NULL");
	assert_string_equal(errors(), "tfreport: dup.yml:3: duplicate key 'a'\n");
	buf_reset(&errs);
	put("expr.yml", "a: 1\nb: !expr Sys.time()\n");
	expect_json(flags_yaml_load("expr.yml"), "NULL");
	assert_string_equal(errors(), "tfreport: expr.yml:2: the tag '!expr' is not supported\n");
	buf_reset(&errs);
	put("alias.yml", "a: *nowhere\n");
	expect_json(flags_yaml_load("alias.yml"), "NULL");
	assert_string_equal(errors(), "tfreport: alias.yml:1: unknown alias '*nowhere'\n");
	buf_reset(&errs);
	/* nested aliases ("billion laughs"): refused, not a billion nodes */
	put("laughs.yml", "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
			  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
			  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
			  "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
			  "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
			  "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n");
	expect_json(flags_yaml_load("laughs.yml"), "NULL");
	assert_string_equal(errors(), "tfreport: laughs.yml:5: aliases copy more than 100000 values\n");
	buf_reset(&errs);
	put("list.yml", "- 1\n- 2\n");
	expect_json(flags_resolve_run("list.yml", NULL, NULL, 0), "NULL");
	assert_string_equal(errors(), "tfreport: list.yml:1: expected a mapping of flag names to values (or of sections)\n");
	buf_reset(&errs);
	/* a syntax error in the default file is reported, not skipped */
	put("flags.yml", "lr: [\n");
	expect_json(flags_resolve_run(NULL, NULL, NULL, 0), "NULL");
	assert_non_null(strstr(errors(), "tfreport: flags.yml:2: "));
}

/* ---- the command line (3.4) ---- */

static void test_command_line(void **state)
{
	(void)state;
	struct flag_decls d = { 0 };
	tfruns_decls(&d);
	assert_int_equal(flags_declare(&d, FLAG_NUMERIC, "gradient_descent_optimizer=0.5"), 0);
	char *a1[] = { "--learning-rate", "0.02" };
	expect_json(resolve(&d, NULL, NULL, 2, a1),
		    "{\"learning_rate\":0.02,\"max_steps\":5000,\"data_dir\":\"MNIST-data\",\"fake_data\":false,"
		    "\"gradient_descent_optimizer\":0.5}");
	char *a3[] = { "--gradient-descent-optimizer", "0.47", "--args", "--job-dir", "gs://bucket/job" };
	expect_json(resolve(&d, NULL, NULL, 5, a3),
		    "{\"learning_rate\":0.01,\"max_steps\":5000,\"data_dir\":\"MNIST-data\",\"fake_data\":false,"
		    "\"gradient_descent_optimizer\":0.47}");
	/* --key=value split at the first '='; --key takes the next argument whatever it is;
	 * positional and single-dash arguments skipped; later wins; null keeps the default */
	char *a4[] = { "train.py", "-v", "--data-dir=a=b", "--max-steps", "10", "-x", "7",
		       "--max-steps=20", "--learning-rate", "~", "--fake-data=yes" };
	expect_json(resolve(&d, NULL, NULL, 11, a4),
		    "{\"learning_rate\":0.01,\"max_steps\":20,\"data_dir\":\"a=b\",\"fake_data\":true,"
		    "\"gradient_descent_optimizer\":0.5}");
	char *a5[] = { "--data-dir", "--fake-data" };
	expect_json(resolve(&d, NULL, NULL, 2, a5),
		    "{\"learning_rate\":0.01,\"max_steps\":5000,\"data_dir\":\"--fake-data\",\"fake_data\":false,"
		    "\"gradient_descent_optimizer\":0.5}");
	char *a6[] = { "--learning-rate=" };
	expect_json(resolve(&d, NULL, NULL, 1, a6),
		    "{\"learning_rate\":0.01,\"max_steps\":5000,\"data_dir\":\"MNIST-data\",\"fake_data\":false,"
		    "\"gradient_descent_optimizer\":0.5}");
	assert_string_equal(errors(), "");
	char *a2[] = { "--learn-rate", "0.02" };
	expect_json(resolve(&d, NULL, NULL, 2, a2), "NULL");
	assert_string_equal(errors(), "tfreport: The following flags were provided but not declared: learn_rate\n");
	buf_reset(&errs);
	char *a7[] = { "--zeta=1", "--max-steps", "3", "--alpha", "2" };
	expect_json(resolve(&d, NULL, NULL, 5, a7), "NULL");
	assert_string_equal(errors(), "tfreport: The following flags were provided but not declared: zeta, alpha\n");
	buf_reset(&errs);
	char *a8[] = { "--max-steps", "3", "--learning-rate" };
	expect_json(resolve(&d, NULL, NULL, 3, a8), "NULL");
	assert_string_equal(errors(), "tfreport: missing value for --learning-rate\n");
	buf_reset(&errs);
	char *h1[] = { "a", "--args", "--help" }, *h2[] = { "--help=1", "-help" };
	assert_true(flags_wants_help(3, h1));
	assert_false(flags_wants_help(2, h2));
	flags_decls_free(&d);
}

static void test_typed_args_keep_their_type(void **state)
{
	(void)state;
	struct flag_decls d = { 0 };
	assert_int_equal(flags_declare(&d, FLAG_STRING, "answer=no"), 0);
	assert_int_equal(flags_declare(&d, FLAG_NUMERIC, "lr=0"), 0);
	struct json *typed = parse("{\"answer\":\"yes\",\"lr\":0.5}");
	struct json *m = flags_defaults(&d);
	char *argv[] = { "--answer=yes", "--lr=0.5" };
	assert_int_equal(flags_parse_args(m, 2, argv, typed), 0);
	expect_json(flags_validate(&d, m), "{\"answer\":\"yes\",\"lr\":0.5}");
	json_free(m);
	/* without the typed value, "yes" is a YAML bool: as.character gives "TRUE" (tfruns) */
	m = flags_defaults(&d);
	assert_int_equal(flags_parse_args(m, 2, argv, NULL), 0);
	expect_json(flags_validate(&d, m), "{\"answer\":\"TRUE\",\"lr\":0.5}");
	json_free(m);
	json_free(typed);
	flags_decls_free(&d);
}

/* ---- coercion table and errors (3.6) ---- */

static void test_coerce_numeric(void **state)
{
	(void)state;
	expect_one(FLAG_NUMERIC, "1", "5000", "{\"x\":5000}");
	expect_one(FLAG_NUMERIC, "1", "0.02", "{\"x\":0.02}");
	expect_one(FLAG_NUMERIC, "1", "true", "{\"x\":1}");
	expect_one(FLAG_NUMERIC, "1", "off", "{\"x\":0}");
	expect_one(FLAG_NUMERIC, "1", "0x1A", "{\"x\":26}");
	expect_one(FLAG_NUMERIC, "1", "1e-6", "{\"x\":1e-06}");
	struct json *r = one(FLAG_NUMERIC, "1", "Inf");
	assert_true(json_num(json_get(r, "x")) > 1e308);
	json_free(r);
	r = one(FLAG_NUMERIC, "1", "-.inf");
	assert_true(json_num(json_get(r, "x")) < -1e308);
	json_free(r);
	put("flags.yml", "x: ' 12.5 '\n");
	expect_one(FLAG_NUMERIC, "1", NULL, "{\"x\":12.5}");
	put("flags.yml", "x: '0X1a'\n");
	expect_one(FLAG_NUMERIC, "1", NULL, "{\"x\":26}");
	remove("flags.yml");
	expect_one_error(FLAG_NUMERIC, "1", "abc",
			 "tfreport: Unable to convert flag 'x' with value 'abc' to type numeric\n");
	expect_one_error(FLAG_NUMERIC, "1", ".nan",
			 "tfreport: Unable to convert flag 'x' with value 'NaN' to type numeric\n");
	expect_one_error(FLAG_NUMERIC, "1", "NaN",
			 "tfreport: Unable to convert flag 'x' with value 'NaN' to type numeric\n");
	expect_one_error(FLAG_NUMERIC, "1", "NA",
			 "tfreport: Unable to convert flag 'x' with value 'NA' to type numeric\n");
	expect_one_error(FLAG_NUMERIC, "1", "1.2.3",
			 "tfreport: Unable to convert flag 'x' with value '1.2.3' to type numeric\n");
}

static void test_coerce_integer(void **state)
{
	(void)state;
	expect_one(FLAG_INTEGER, "1", "5000", "{\"x\":5000}");
	expect_one(FLAG_INTEGER, "1", "2.7", "{\"x\":2}");
	expect_one(FLAG_INTEGER, "1", "-2.7", "{\"x\":-2}");
	expect_one(FLAG_INTEGER, "1", "-0.5", "{\"x\":0}");
	expect_one(FLAG_INTEGER, "1", "yes", "{\"x\":1}");
	expect_one(FLAG_INTEGER, "1", "FALSE", "{\"x\":0}");
	expect_one(FLAG_INTEGER, "1", "0x10", "{\"x\":16}");
	expect_one(FLAG_INTEGER, "1", "2147483647", "{\"x\":2147483647}");
	expect_one(FLAG_INTEGER, "1", "-2147483647", "{\"x\":-2147483647}");
	put("flags.yml", "x: '2.7'\n");
	expect_one(FLAG_INTEGER, "1", NULL, "{\"x\":2}");
	put("flags.yml", "x: '1e3'\n");
	expect_one(FLAG_INTEGER, "1", NULL, "{\"x\":1000}");
	remove("flags.yml");
	expect_one_error(FLAG_INTEGER, "1", "2147483648",
			 "tfreport: Unable to convert flag 'x' with value '2147483648' to type integer\n");
	expect_one_error(FLAG_INTEGER, "1", "-2147483648",
			 "tfreport: Unable to convert flag 'x' with value '-2147483648' to type integer\n");
	expect_one_error(FLAG_INTEGER, "1", "3.0e9",
			 "tfreport: Unable to convert flag 'x' with value '3e+09' to type integer\n");
	expect_one_error(FLAG_INTEGER, "1", "many",
			 "tfreport: Unable to convert flag 'x' with value 'many' to type integer\n");
	expect_one_error(FLAG_INTEGER, "1", "Inf",
			 "tfreport: Unable to convert flag 'x' with value 'Inf' to type integer\n");
}

static void test_coerce_boolean(void **state)
{
	(void)state;
	expect_one(FLAG_BOOLEAN, "false", "0", "{\"x\":false}");
	expect_one(FLAG_BOOLEAN, "false", "2", "{\"x\":true}");
	expect_one(FLAG_BOOLEAN, "false", "-0.5", "{\"x\":true}");
	expect_one(FLAG_BOOLEAN, "false", "0.0", "{\"x\":false}");
	const char *t[] = { "TRUE", "true", "True", "T", "yes", "on" };
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		expect_one(FLAG_BOOLEAN, "false", t[i], "{\"x\":true}");
	const char *f[] = { "FALSE", "false", "False", "F", "no", "OFF" };
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		expect_one(FLAG_BOOLEAN, "true", f[i], "{\"x\":false}");
	put("flags.yml", "x: 'T'\n");
	expect_one(FLAG_BOOLEAN, "false", NULL, "{\"x\":true}");
	put("flags.yml", "x: 'yes'\n");
	expect_one_error(FLAG_BOOLEAN, "false", NULL,
			 "tfreport: Unable to convert flag 'x' with value 'yes' to type boolean\n");
	remove("flags.yml");
	expect_one_error(FLAG_BOOLEAN, "false", "t",
			 "tfreport: Unable to convert flag 'x' with value 't' to type boolean\n");
	expect_one_error(FLAG_BOOLEAN, "false", "1x",
			 "tfreport: Unable to convert flag 'x' with value '1x' to type boolean\n");
	expect_one_error(FLAG_BOOLEAN, "false", ".nan",
			 "tfreport: Unable to convert flag 'x' with value 'NaN' to type boolean\n");
}

static void test_coerce_string(void **state)
{
	(void)state;
	expect_one(FLAG_STRING, "d", "0.02", "{\"x\":\"0.02\"}");
	expect_one(FLAG_STRING, "d", "1e5", "{\"x\":\"1e+05\"}");
	expect_one(FLAG_STRING, "d", "100000.0", "{\"x\":\"1e+05\"}");
	expect_one(FLAG_STRING, "d", "100000", "{\"x\":\"100000\"}");
	expect_one(FLAG_STRING, "d", "123456.0", "{\"x\":\"123456\"}");
	expect_one(FLAG_STRING, "d", "0.0001", "{\"x\":\"1e-04\"}");
	expect_one(FLAG_STRING, "d", "0.001", "{\"x\":\"0.001\"}");
	expect_one(FLAG_STRING, "d", "2e-5", "{\"x\":\"2e-05\"}");
	expect_one(FLAG_STRING, "d", "0.1234567890123456", "{\"x\":\"0.123456789012346\"}");
	expect_one(FLAG_STRING, "d", "-1.5", "{\"x\":\"-1.5\"}");
	expect_one(FLAG_STRING, "d", "0x1A", "{\"x\":\"26\"}");
	expect_one(FLAG_STRING, "d", "yes", "{\"x\":\"TRUE\"}");
	expect_one(FLAG_STRING, "d", "False", "{\"x\":\"FALSE\"}");
	expect_one(FLAG_STRING, "d", ".inf", "{\"x\":\"Inf\"}");
	expect_one(FLAG_STRING, "d", "relu", "{\"x\":\"relu\"}");
	expect_one(FLAG_STRING, "d", "3000000000", "{\"x\":\"3e+09\"}");
	expect_one(FLAG_STRING, "d", "1234567890123", "{\"x\":\"1234567890123\"}");
}

static void test_messages(void **state)
{
	(void)state;
	struct flag_decls d = { 0 };
	assert_int_equal(flags_declare(&d, FLAG_NUMERIC, "lr=0.1"), 0);
	assert_int_equal(flags_declare(&d, FLAG_STRING, "lr=x"), -1);
	assert_string_equal(errors(), "tfreport: A flag named 'lr' has already been defined\n");
	buf_reset(&errs);
	assert_int_equal(flags_declare(&d, FLAG_NUMERIC, "bad=abc"), -1);
	assert_string_equal(errors(), "tfreport: Unable to convert flag 'bad' with value 'abc' to type numeric\n");
	buf_reset(&errs);
	assert_int_equal(flags_declare(&d, FLAG_INTEGER, "none="), -1);
	assert_string_equal(errors(), "tfreport: Unable to convert flag 'none' with value 'NA' to type integer\n");
	buf_reset(&errs);
	assert_int_equal(flags_declare(&d, FLAG_INTEGER, "nodefault"), -1);
	assert_string_equal(errors(), "tfreport: nodefault: expected NAME=DEFAULT[:DESCRIPTION]\n");
	buf_reset(&errs);
	assert_int_equal(d.n, 1);
	assert_int_equal(flags_declare(&d, FLAG_INTEGER, "n=1"), 0);
	put("flags.yml", "lr: [0.1, 0.2]\n");
	expect_json(resolve(&d, NULL, NULL, 0, NULL), "NULL");
	assert_string_equal(errors(), "tfreport: flag \"lr\" has length > 1 (only scalar flag values are supported)\n");
	buf_reset(&errs);
	put("flags.yml", "n: 2\nlr:\n  a: 1\n"); /* flat: not every value is a mapping */
	expect_json(resolve(&d, NULL, NULL, 0, NULL), "NULL");
	assert_string_equal(errors(), "tfreport: flag \"lr\" has length > 1 (only scalar flag values are supported)\n");
	buf_reset(&errs);
	/* undeclared names in merged-map order: the file's first, then the command line's */
	put("flags.yml", "b: 1\nlr: 0.3\na: 2\n");
	char *argv[] = { "--c", "3" };
	expect_json(resolve(&d, NULL, NULL, 2, argv), "NULL");
	assert_string_equal(errors(), "tfreport: The following flags were provided but not declared: b, a, c\n");
	buf_reset(&errs);
	/* an empty name is a name too */
	put("flags.yml", "lr: 0.3\n\"\": 2\n");
	expect_json(resolve(&d, NULL, NULL, 0, NULL), "NULL");
	assert_string_equal(errors(), "tfreport: The following flags were provided but not declared: \n");
	buf_reset(&errs);
	put("flags.yml", "b: 1\nlr: 0.3\na: 2\n");
	/* b given again on the command line goes to the end of the merged map (config::merge) */
	char *argv2[] = { "--b", "5", "--c", "3" };
	expect_json(resolve(&d, NULL, NULL, 4, argv2), "NULL");
	assert_string_equal(errors(), "tfreport: The following flags were provided but not declared: a, b, c\n");
	flags_decls_free(&d);
}

static void test_declarations(void **state)
{
	(void)state;
	struct flag_decls d = { 0 };
	assert_int_equal(flags_declare(&d, FLAG_STRING, "url=gs\\://bucket/x:Where it goes: far"), 0);
	assert_int_equal(flags_declare(&d, FLAG_STRING, "s=yes"), 0);
	assert_int_equal(flags_declare(&d, FLAG_INTEGER, "n=2.9"), 0);
	assert_int_equal(flags_declare(&d, FLAG_BOOLEAN, "b=T"), 0);
	assert_int_equal(flags_declare(&d, FLAG_NUMERIC, "f=1e5"), 0);
	assert_string_equal(d.v[0].desc, "Where it goes: far");
	assert_null(d.v[1].desc);
	expect_json(flags_defaults(&d), "{\"url\":\"gs://bucket/x\",\"s\":\"yes\",\"n\":2,\"b\":true,\"f\":100000}");
	flags_decls_free(&d);
}

/* ---- help (3.7) ---- */

static void test_help_layout(void **state)
{
	(void)state;
	struct flag_decls d = { 0 };
	struct buf b = BUF_INIT;
	flags_help(&b, &d);
	assert_int_equal(b.len, 0);
	tfruns_decls(&d);
	flags_help(&b, &d);
	assert_string_equal(b.data,
			    "\n"
			    "Options:\n"
			    "  --learning-rate    Initial learning rate. (0.01)\n"
			    "  --max-steps        Number of steps to run trainer. (5000)\n"
			    "  --data-dir         Directory for training data (MNIST-data)\n"
			    "  --fake-data        If true, use fake data for testing (FALSE)\n"
			    "\n");
	buf_reset(&b);
	struct flag_decls e = { 0 };
	assert_int_equal(flags_declare(&e, FLAG_NUMERIC, "big=100000"), 0);
	assert_int_equal(flags_declare(&e, FLAG_BOOLEAN, "verbose_output=yes:"), 0);
	flags_help(&b, &e);
	assert_string_equal(b.data,
			    "\nOptions:\n"
			    "  --big               (1e+05)\n"
			    "  --verbose-output    (TRUE)\n"
			    "\n");
	buf_free(&b);
	flags_decls_free(&d);
	flags_decls_free(&e);
}

/* ---- flags.json (1.5) ---- */

static void test_flags_json(void **state)
{
	(void)state;
	struct json *f = parse("{\"learning_rate\":2e-05,\"decay\":1e-06,\"max_steps\":5000,"
			       "\"data_dir\":\"MNIST-data\",\"fake_data\":false,\"q\":\"a\\\"b\"}");
	json_obj_add(f, "inf", flags_yaml_scalar("-.inf"));
	char *s = flags_json_text(f);
	assert_string_equal(s, "{\n  \"learning_rate\": 2e-05,\n  \"decay\": 1e-06,\n  \"max_steps\": 5000,\n"
			       "  \"data_dir\": \"MNIST-data\",\n  \"fake_data\": false,\n  \"q\": \"a\\\"b\",\n"
			       "  \"inf\": \"-Inf\"\n}\n");
	free(s);
	assert_int_equal(flags_record("run1", f), -1);
	assert_string_equal(errors(), "tfreport: run1: $TFRUNS_RUN_DIR is not a directory\n");
	assert_int_equal(access("run1", F_OK), -1);
	assert_int_equal(mkdir("run1", 0777), 0);
	assert_int_equal(flags_record("run1", f), 0);
	struct buf b = BUF_INIT;
	assert_int_equal(read_file("run1/tfruns.d/flags.json", 1 << 20, &b), 0);
	struct json *back = parse(b.data);
	assert_true(json_num(json_get(back, "learning_rate")) == 2e-05);
	assert_true(json_num(json_get(back, "decay")) == 1e-06);
	json_free(back);
	buf_free(&b);
	json_free(f);
	f = json_new_object();
	s = flags_json_text(f);
	assert_string_equal(s, "{}\n");
	free(s);
	json_free(f);
	f = parse("{\"n\":{\"a\":[1,0.1]}}");
	s = flags_json_text(f);
	assert_string_equal(s, "{\n  \"n\": {\n    \"a\": [\n      1,\n      0.1\n    ]\n  }\n}\n");
	free(s);
	json_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scalars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_line_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_active_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_flat_and_profile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_missing_and_precision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inherits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yaml_features_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_typed_args_keep_their_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coerce_numeric, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coerce_integer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coerce_boolean, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coerce_string, setup, teardown),
		cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_declarations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flags_json, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
