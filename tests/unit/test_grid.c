/* test_grid.c: the combinations of a tuning run: the Cartesian product's order (tfruns's
 * expand.grid), --flag values, the CSV, JSON and YAML grid files with their errors and
 * line numbers, --sample's sizes, messages and repeatable draws. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "util.h"
#include "xalloc.h"

/* Combination idx as "a=1 b=10" ("-" for an unset flag). */
static char *combo(const struct grid *g, size_t idx)
{
	const char **v = xcalloc(g->nnames + 1, sizeof *v);
	struct buf b = BUF_INIT;
	grid_combination(g, idx, v);
	buf_puts(&b, "");
	for (size_t k = 0; k < g->nnames; k++)
		buf_printf(&b, "%s%s=%s", k ? " " : "", g->names[k], v[k] ? v[k] : "-");
	free(v);
	return buf_detach(&b);
}

static void assert_combos(const struct grid *g, const char *const *want, size_t n)
{
	assert_int_equal(grid_total(g), n);
	for (size_t i = 0; i < n; i++) {
		char *c = combo(g, i);
		assert_string_equal(c, want[i]);
		free(c);
	}
}

/* Parses text; returns what was printed (errors), "" when nothing. */
static char *parse(struct grid *g, const char *path, const char *text, int want_rc)
{
	struct buf sink = BUF_INIT;
	buf_puts(&sink, "");
	tf_warn_capture(&sink);
	int rc = grid_parse(g, path, text, strlen(text), GRID_AUTO);
	tf_warn_capture(NULL);
	assert_int_equal(rc, want_rc);
	return buf_detach(&sink);
}

static void expect_error(const char *path, const char *text, const char *msg)
{
	struct grid g;
	grid_init(&g);
	char *err = parse(&g, path, text, -1);
	assert_string_equal(err, msg);
	free(err);
	grid_free(&g);
}

static void first_flag_varies_fastest(void **state)
{
	(void)state;
	struct grid g;
	grid_init(&g);
	assert_int_equal(grid_add_flag(&g, "a=1,2"), 0);
	assert_int_equal(grid_add_flag(&g, "b=10,20"), 0);
	static const char *const want[] = { "a=1 b=10", "a=2 b=10", "a=1 b=20", "a=2 b=20" };
	assert_combos(&g, want, 4);
	assert_int_equal(grid_add_flag(&g, "c=x,y,z"), 0);
	assert_int_equal(grid_total(&g), 12);
	char *c = combo(&g, 11);
	assert_string_equal(c, "a=2 b=20 c=z");
	free(c);
	c = combo(&g, 5);
	assert_string_equal(c, "a=2 b=10 c=y");
	free(c);
	grid_free(&g);
}

static void flag_values_split_at_commas_outside_quotes(void **state)
{
	(void)state;
	struct grid g;
	grid_init(&g);
	assert_int_equal(grid_add_flag(&g, "opt=adam,'a,b','it''s',\"x,\\\"y\",1e-5"), 0);
	assert_int_equal(g.axes[0].n, 5);
	assert_string_equal(g.axes[0].vals[0], "adam");
	assert_string_equal(g.axes[0].vals[1], "'a,b'");
	assert_string_equal(g.axes[0].vals[2], "'it''s'");
	assert_string_equal(g.axes[0].vals[3], "\"x,\\\"y\"");
	assert_string_equal(g.axes[0].vals[4], "1e-5");
	assert_int_equal(grid_add_flag(&g, "one=5"), 0);
	assert_int_equal(grid_total(&g), 5);

	struct buf sink = BUF_INIT;
	buf_puts(&sink, "");
	tf_warn_capture(&sink);
	assert_int_equal(grid_add_flag(&g, "opt=1,2"), -1);
	assert_int_equal(grid_add_flag(&g, "lr=0.1,,0.2"), -1);
	assert_int_equal(grid_add_flag(&g, "lr"), -1);
	assert_int_equal(grid_add_flag(&g, "=1,2"), -1);
	tf_warn_capture(NULL);
	assert_string_equal(sink.data,
			    "tfreport: opt=1,2: this flag is given twice\n"
			    "tfreport: lr=0.1,,0.2: empty value (use ~ for null)\n"
			    "tfreport: lr: expected NAME=V1,V2,...\n"
			    "tfreport: =1,2: an empty flag name\n");
	buf_free(&sink);
	assert_int_equal(g.naxes, 2);
	grid_free(&g);
}

static void csv_rows_are_used_as_they_are(void **state)
{
	(void)state;
	struct grid g;
	grid_init(&g);
	char *err = parse(&g, "g.csv",
			  "\xef\xbb\xbflearning_rate, units ,optimizer\r\n"
			  "0.01,32,adam\r\n"
			  "\r\n"
			  "0.02, 64 ,\"sgd, momentum\"\r\n"
			  "0.03,,\"say \"\"hi\"\"\nthere\"\n"
			  "0.04,16,\"\"\n", 0);
	assert_string_equal(err, "");
	free(err);
	static const char *const want[] = {
		"learning_rate=0.01 units=32 optimizer=adam",
		"learning_rate=0.02 units=64 optimizer=sgd, momentum",
		"learning_rate=0.03 units=- optimizer=say \"hi\"\nthere",
		"learning_rate=0.04 units=16 optimizer=''",
	};
	assert_combos(&g, want, 4);
	/* --flag lists multiply the rows, which vary fastest */
	assert_int_equal(grid_add_flag(&g, "epochs=5,10"), 0);
	assert_int_equal(grid_total(&g), 8);
	char *c = combo(&g, 5);
	assert_string_equal(c, "learning_rate=0.02 units=64 optimizer=sgd, momentum epochs=10");
	free(c);
	struct buf sink = BUF_INIT;
	buf_puts(&sink, "");
	tf_warn_capture(&sink);
	assert_int_equal(grid_add_flag(&g, "units=1,2"), -1);
	tf_warn_capture(NULL);
	assert_string_equal(sink.data, "tfreport: units=1,2: this flag is given twice\n");
	buf_free(&sink);
	grid_free(&g);
}

static void csv_errors_name_the_line(void **state)
{
	(void)state;
	expect_error("g.csv", "a,b\n1,2\n3,4\n5\n", "tfreport: g.csv:4: 1 fields, but the header has 2\n");
	expect_error("g.csv", "a,b\n1,2\n3,\"4\n5,6\n", "tfreport: g.csv:3: a quoted field is not closed\n");
	expect_error("g.csv", "a,b\n1,\"2\"x\n", "tfreport: g.csv:2: unexpected text after a quoted field\n");
	expect_error("g.csv", "\n\na,a\n1,2\n", "tfreport: g.csv:3: column 2: a column name is given twice\n");
	expect_error("g.csv", "a,,b\n1,2,3\n", "tfreport: g.csv:1: column 2: an empty flag name\n");
	expect_error("g.csv", "a,b\n", "tfreport: g.csv: no combinations: the file has a header but no rows\n");
	expect_error("g.csv", "", "tfreport: g.csv: no header line: the file is empty\n");
}

static void json_rows_and_typed_values(void **state)
{
	(void)state;
	struct grid g;
	grid_init(&g);
	char *err = parse(&g, "g.json",
			  "[\n"
			  "  {\"lr\": 0.01, \"opt\": \"adam\", \"bn\": true},\n"
			  "  {\"lr\": 1e-05, \"opt\": \"yes\", \"bn\": null},\n"
			  "  {\"opt\": \"0.5\", \"extra\": \"it's here\"}\n"
			  "]\n", 0);
	assert_string_equal(err, "");
	free(err);
	/* strings that YAML would read as something else are quoted */
	static const char *const want[] = {
		"lr=0.01 opt=adam bn=true extra=-",
		"lr=1e-05 opt='yes' bn=- extra=-",
		"lr=- opt='0.5' bn=- extra='it''s here'",
	};
	assert_combos(&g, want, 3);
	grid_free(&g);

	grid_init(&g);
	err = parse(&g, "g.json", "{\"a\": [1, 2], \"b\": [\"x\", \"w\"], \"c\": 7}", 0);
	free(err);
	static const char *const prod[] = { "a=1 b=x c=7", "a=2 b=x c=7", "a=1 b=w c=7", "a=2 b=w c=7" };
	assert_combos(&g, prod, 4);
	grid_free(&g);
}

static void json_errors_name_the_line(void **state)
{
	(void)state;
	expect_error("g.json", "[\n  {\"a\": 1},\n  {\"a\": 2,}\n]\n", "tfreport: g.json:3:12: invalid JSON\n");
	expect_error("g.json", "[\n  {\"a\": 1},\n  [2]\n]\n",
		     "tfreport: g.json:3: row 2 is not an object of flag values\n");
	expect_error("g.json", "[\n  {\"a\": 1,\n   \"b\": \"x\"},\n  {\"a\": 1,\n   \"b\": {\"c\": [1, 2]}}\n]",
		     "tfreport: g.json:5: flag 'b': a list or an object is not a flag value\n");
	expect_error("g.json", "[{\"a\": 1,\n \"a\": 2}]", "tfreport: g.json:2: flag 'a' is given twice in this row\n");
	expect_error("g.json", "\n[]", "tfreport: g.json:2: no combinations: expected an array of objects "
		     "(one per combination) or an object of lists\n");
	expect_error("g.json", "{\"a\": [1],\n \"b\": []}", "tfreport: g.json:2: flag 'b': an empty list\n");
}

static void yaml_rows_and_typed_values(void **state)
{
	(void)state;
	struct grid g;
	grid_init(&g);
	char *err = parse(&g, "g.yml",
			  "# three trials\n"
			  "- {lr: 0.01, opt: adam}\n"
			  "- lr: 1e-5\n"
			  "  opt: 'no'\n"
			  "  dropout: ~\n"
			  "- opt: \"sgd\"\n"
			  "  dropout: .5\n", 0);
	assert_string_equal(err, "");
	free(err);
	static const char *const want[] = {
		"lr=0.01 opt=adam dropout=-",
		"lr=1e-5 opt='no' dropout=-",
		"lr=- opt=sgd dropout=.5",
	};
	assert_combos(&g, want, 3);
	grid_free(&g);

	grid_init(&g);
	err = parse(&g, "g.yaml", "units: [16, 32]\nact:\n  - relu\n  - tanh\n", 0);
	free(err);
	static const char *const prod[] = { "units=16 act=relu", "units=32 act=relu",
					    "units=16 act=tanh", "units=32 act=tanh" };
	assert_combos(&g, prod, 4);
	grid_free(&g);
}

static void yaml_errors_name_the_line(void **state)
{
	(void)state;
	expect_error("g.yml", "- a: 1\n- a: [2\n- a: 3\n",
		     "tfreport: g.yml:3:4: did not find expected ',' or ']'\n");
	expect_error("g.yml", "- a: 1\n- just a string\n",
		     "tfreport: g.yml:2: a row must be a mapping of flag names to values\n");
	expect_error("g.yml", "- a: 1\n- a: 2\n  b:\n    c: 3\n",
		     "tfreport: g.yml:4: flag 'b': a list or a mapping is not a flag value\n");
	expect_error("g.yml", "- a: 1\n  a b: 2\n",
		     "tfreport: g.yml:2: a flag name cannot contain '=', spaces or control characters\n");
	expect_error("g.yml", "a: [1, 2]\nb: []\n", "tfreport: g.yml:2: flag 'b': expected a list of values\n");
	expect_error("g.yml", "# nothing\n", "tfreport: g.yml: no combinations: expected a list of mappings "
		     "(one per combination) or a mapping of flag names to lists\n");
}

static void format_comes_from_the_content_without_an_extension(void **state)
{
	(void)state;
	struct grid g;
	grid_init(&g);
	char *err = parse(&g, "grid.txt", "  [{\"a\": 1}]", 0);
	free(err);
	assert_int_equal(g.nrows, 1);
	grid_free(&g);
	grid_init(&g);
	err = parse(&g, "grid.txt", "- a: 1\n- a: 2\n", 0);
	free(err);
	assert_int_equal(g.nrows, 2);
	grid_free(&g);
	grid_init(&g);
	err = parse(&g, "grid.txt", "a,b\n1,2\n", 0);
	free(err);
	assert_int_equal(g.nrowkeys, 2);
	grid_free(&g);
}

static void sample_sizes_and_tfruns_errors(void **state)
{
	(void)state;
	assert_int_equal(grid_sample_size(12, 0.5), 6);
	assert_int_equal(grid_sample_size(4, 1), 4);
	assert_int_equal(grid_sample_size(4, 1e-6), 1);   /* tfruns#38: at least one */
	assert_int_equal(grid_sample_size(10, 0.25), 3);  /* ceiling */
	assert_int_equal(grid_sample_size(100, 0.07), 7); /* 7.000000000000001 is 7 */
	assert_int_equal(grid_sample_size(1000, 0.001), 1);
	double f;
	struct buf sink = BUF_INIT;
	buf_puts(&sink, "");
	tf_warn_capture(&sink);
	assert_int_equal(grid_sample_parse("1.1", &f), -1);
	assert_int_equal(grid_sample_parse("0", &f), -1);
	assert_int_equal(grid_sample_parse("-0.5", &f), -1);
	assert_int_equal(grid_sample_parse("half", &f), -1);
	assert_int_equal(grid_sample_parse("1", &f), 0);
	assert_int_equal(grid_sample_parse("1e-6", &f), 0);
	tf_warn_capture(NULL);
	assert_string_equal(sink.data,
			    "tfreport: --sample: sample must be a floating point value less or equal to 1\n"
			    "tfreport: --sample: sample must be a floating point value greater than 0\n"
			    "tfreport: --sample: sample must be a floating point value greater than 0\n"
			    "tfreport: --sample: expected a number, not 'half'\n");
	buf_free(&sink);
}

static void samples_repeat_with_a_seed_and_are_uniform(void **state)
{
	(void)state;
	size_t *a = grid_sample(12, 6, 1), *b = grid_sample(12, 6, 1), *c = grid_sample(12, 6, 2);
	assert_memory_equal(a, b, 6 * sizeof *a);
	assert_memory_not_equal(a, c, 6 * sizeof *a);
	int seen[12] = { 0 }, ascending = 1;
	for (size_t i = 0; i < 6; i++) {
		assert_true(a[i] < 12);
		assert_int_equal(seen[a[i]]++, 0); /* without replacement */
		if (i && a[i] < a[i - 1])
			ascending = 0;
	}
	assert_false(ascending); /* in random order, not the grid's */
	free(a);
	free(b);
	free(c);
	/* every combination equally likely: 8,000 draws of one out of 8 */
	int count[8] = { 0 };
	for (uint64_t s = 0; s < 8000; s++) {
		size_t *v = grid_sample(8, 1, s);
		count[v[0]]++;
		free(v);
	}
	for (int i = 0; i < 8; i++)
		assert_in_range(count[i], 850, 1150);
	/* and every position of a full shuffle */
	size_t *all = grid_sample(5, 5, 42);
	int hit[5] = { 0 };
	for (int i = 0; i < 5; i++)
		hit[all[i]]++;
	for (int i = 0; i < 5; i++)
		assert_int_equal(hit[i], 1);
	free(all);
}

static void too_many_combinations_are_refused(void **state)
{
	(void)state;
	struct grid g;
	grid_init(&g);
	const char *list = "x=0,1,2,3,4,5,6,7,8,9";
	for (int i = 0; i < 6; i++) {
		char *f = xasprintf("%c%s", 'a' + i, list + 1);
		assert_int_equal(grid_add_flag(&g, f), 0);
		free(f);
	}
	assert_int_equal(grid_total(&g), 1000000);
	assert_int_equal(grid_add_flag(&g, "z=1,2"), 0);
	assert_int_equal(grid_total(&g), 0);
	grid_free(&g);
}

static void recorded_values_match_their_yaml_text(void **state)
{
	(void)state;
	assert_true(grid_value_matches("0.01", GRID_REC_NUM, "0.01"));
	assert_true(grid_value_matches("1e-2", GRID_REC_NUM, "0.01"));
	assert_true(grid_value_matches("10", GRID_REC_NUM, "10"));
	assert_false(grid_value_matches("10", GRID_REC_NUM, "100"));
	assert_true(grid_value_matches("yes", GRID_REC_BOOL, "true"));
	assert_true(grid_value_matches("FALSE", GRID_REC_BOOL, "false"));
	assert_false(grid_value_matches("on", GRID_REC_BOOL, "false"));
	assert_true(grid_value_matches("'yes'", GRID_REC_STR, "yes"));
	assert_true(grid_value_matches("'it''s'", GRID_REC_STR, "it's"));
	assert_true(grid_value_matches("'yes'", GRID_REC_STR, "'yes'"));
	assert_false(grid_value_matches("'yes'", GRID_REC_STR, "no"));
	assert_true(grid_value_matches("adam", GRID_REC_STR, "adam"));
	assert_false(grid_value_matches("adam", GRID_REC_STR, "sgd"));
	assert_false(grid_value_matches("adam", GRID_REC_NONE, NULL));
	assert_true(grid_value_matches(NULL, GRID_REC_NONE, NULL));
	assert_true(grid_value_matches(NULL, GRID_REC_NUM, "5")); /* unset: the file's default */
	assert_true(grid_value_matches("~", GRID_REC_NONE, NULL));
	assert_true(grid_plain_string("adam"));
	assert_true(grid_plain_string("sgd momentum"));
	assert_false(grid_plain_string("yes"));
	assert_false(grid_plain_string("0.5"));
	assert_false(grid_plain_string("a: b"));
	assert_false(grid_plain_string(""));
	char *q = grid_yaml_quote("it's");
	assert_string_equal(q, "'it''s'");
	free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_flag_varies_fastest),
		cmocka_unit_test(flag_values_split_at_commas_outside_quotes),
		cmocka_unit_test(csv_rows_are_used_as_they_are),
		cmocka_unit_test(csv_errors_name_the_line),
		cmocka_unit_test(json_rows_and_typed_values),
		cmocka_unit_test(json_errors_name_the_line),
		cmocka_unit_test(yaml_rows_and_typed_values),
		cmocka_unit_test(yaml_errors_name_the_line),
		cmocka_unit_test(format_comes_from_the_content_without_an_extension),
		cmocka_unit_test(sample_sizes_and_tfruns_errors),
		cmocka_unit_test(samples_repeat_with_a_seed_and_are_uniform),
		cmocka_unit_test(too_many_combinations_are_refused),
		cmocka_unit_test(recorded_values_match_their_yaml_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
