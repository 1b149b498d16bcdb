/* test_filter.c: the --filter expression language: operators, NA rules, errors, carets */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "value.h"

struct cell {
	const char *name;
	struct value v;
};

/* One run. Lookups copy into a scratch value that the next lookup frees, as the listing
 * does, so an evaluator that holds on to a looked-up value is caught by ASan/valgrind. */
struct row {
	struct cell *cells;
	size_t n;
	struct value scratch;
};

static struct cell cells[8];
static struct row row;

static int setup(void **state)
{
	(void)state;
	size_t n = 0;
	cells[n++] = (struct cell){ "eval_acc", value_num(0.98) };
	cells[n++] = (struct cell){ "completed", value_bool(1) };
	cells[n++] = (struct cell){ "script", value_str("train.R") };
	cells[n++] = (struct cell){ "start", value_time(1795830612.2) };
	cells[n++] = (struct cell){ "steps_per_axis_unit", value_str("20") };
	cells[n++] = (struct cell){ "metric_val_top-5", value_num(0.5) };
	cells[n++] = (struct cell){ "flag_note", value_str("") };
	cells[n++] = (struct cell){ "flag_na", VALUE_NA }; /* present, but missing */
	row = (struct row){ cells, n, VALUE_NA };
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < row.n; i++)
		value_free(&cells[i].v);
	value_free(&row.scratch);
	return 0;
}

static const struct value *lookup(void *ctx, const char *column)
{
	struct row *r = ctx;
	value_free(&r->scratch);
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->cells[i].name, column)) {
			r->scratch = value_copy(&r->cells[i].v);
			return &r->scratch;
		}
	return NULL;
}

/* 1 or 0 for a valid expression; fails the test with the message for an invalid one. */
static int match(const char *expr)
{
	char *err = NULL;
	size_t off = 0;
	struct filter *f = filter_parse(expr, &err, &off);
	if (!f) {
		print_error("filter_parse(%s): %s at %zu\n", expr, err, off);
		free(err);
		fail();
	}
	int r = filter_eval(f, lookup, &row);
	filter_free(f);
	return r;
}

#define YES(expr) assert_int_equal(match(expr), 1)
#define NO(expr) assert_int_equal(match(expr), 0)

/* What the user sees: the message, and the caret under the right byte. */
static void error_is(const char *expr, const char *msg, size_t want_off)
{
	char *err = NULL;
	size_t off = 99999;
	struct filter *f = filter_parse(expr, &err, &off);
	if (f)
		print_error("filter_parse(%s) succeeded\n", expr);
	assert_null(f);
	assert_non_null(err);
	if (strncmp(err, msg, strlen(msg)) != 0)
		print_error("filter_parse(%s): got \"%s\"\n", expr, err);
	assert_true(strncmp(err, msg, strlen(msg)) == 0);
	if (off != want_off)
		print_error("filter_parse(%s): offset %zu, want %zu\n", expr, off, want_off);
	assert_int_equal(off, want_off);
	free(err);
}

static void caret_is(const char *expr, size_t off, const char *want)
{
	struct buf b = BUF_INIT;
	filter_caret(&b, expr, off);
	assert_string_equal(b.data, want);
	buf_free(&b);
}

static void test_numbers(void **state)
{
	(void)state;
	YES("eval_acc > 0.97");
	NO("eval_acc > 0.98");
	YES("eval_acc >= 0.98");
	YES("eval_acc == 0.98");
	NO("eval_acc != 0.98");
	YES("eval_acc != 1");
	YES("eval_acc < 1");
	YES("eval_acc <= 0.98");
	NO("eval_acc <= 0.5");
	YES("-2 < eval_acc");
	YES("eval_acc>-2");
	YES("1e-5 < eval_acc");
	YES("eval_acc == 9.8e-1");
	YES("eval_acc < 1E2");
	YES("123 == 123.0");
	YES(".5 == 0.5");
	YES("`metric_val_top-5` == 0.5");
}

static void test_strings(void **state)
{
	(void)state;
	YES("script == \"train.R\"");
	YES("script == 'train.R'");
	NO("script == 'train.r'");
	YES("script != 'train.py'");
	YES("script < 'u'");
	YES("script > 'train'");
	NO("script >= 'z'");
	YES("'it\\'s' == \"it's\"");
	YES("\"say \\\"hi\\\"\" == 'say \"hi\"'");
	YES("'a\\\\b' ~ '^a[\\\\]b$'");
	YES("'tab\\there' == 'tab\there'");
	YES("'two\\nlines' ~ '^two.lines$'");
	YES("script == script");
	NO("script != script");
}

static void test_booleans(void **state)
{
	(void)state;
	YES("completed");
	YES("completed == true");
	YES("completed == TRUE");
	NO("completed == false");
	YES("completed != FALSE");
	YES("false < true");
	YES("completed == 1");
	NO("completed == 0");
}

static void test_logic_and_precedence(void **state)
{
	(void)state;
	YES("eval_acc > 0.97 && completed");
	NO("eval_acc > 0.99 && completed");
	YES("eval_acc > 0.99 || completed");
	NO("eval_acc > 0.99 || !completed");
	YES("eval_acc > 0.97 and script == 'train.R'");
	YES("eval_acc > 0.99 or completed");
	NO("not completed");
	YES("not not completed");
	YES("!!completed");
	/* || binds looser than &&: true || (false && false) */
	YES("true || false && false");
	YES("completed || eval_acc > 1 && script == 'x'");
	NO("(completed || eval_acc > 1) && script == 'x'");
	YES("false && false || true");
	/* ! binds looser than comparisons: !(eval_acc > 1) */
	YES("! eval_acc > 1");
	YES("not eval_acc == 0.5");
	NO("not eval_acc == 0.98 and completed");
	YES("!(eval_acc > 1) && (script ~ 'R$' || false)");
	YES("((((completed))))");
	YES("(completed) == true");
	YES("(eval_acc > 0.5) == completed");
}

static void test_missing_values(void **state)
{
	(void)state;
	NO("missing == 1");
	NO("missing != 1");
	NO("missing > 1");
	NO("missing < 1");
	YES("!(missing > 1)");
	NO("missing");
	YES("!missing");
	YES("not missing");
	NO("missing == missing");
	NO("flag_na != 'x'");
	NO("flag_na == flag_na");
	NO("'x' != flag_na");
	NO("flag_na");
	NO("missing ~ '.*'");
	NO("missing !~ 'x'");
	YES("missing > 1 || completed");
	NO("missing < 1 && completed");
}

static void test_regex(void **state)
{
	(void)state;
	YES("script ~ '^train'");
	NO("script ~ '^test'");
	YES("script ~ \"\\\\.R$\"");
	YES("script ~ '\\.R$'");
	NO("script ~ '\\.py$'");
	YES("script !~ 'py$'");
	NO("script !~ 'R$'");
	YES("script ~ '(train|test)\\.(R|py)'");
	YES("eval_acc ~ '^0\\.98$'");
	YES("start ~ '^2026-11-28T01:50:12Z$'");
	YES("completed ~ '^true$'");
	YES("`metric_val_top-5` ~ '^0.5$'");
	YES("flag_note ~ '^$'");
	NO("flag_note !~ '^$'");
}

static void test_exists(void **state)
{
	(void)state;
	YES("exists(eval_acc)");
	YES("exists (script)");
	YES("exists( `metric_val_top-5` )");
	YES("exists(flag_note)");
	NO("exists(missing)");
	NO("exists(flag_na)");
	YES("!exists(missing)");
	YES("not exists(missing) and exists(completed)");
	YES("exists(eval_acc) == true");
}

static void test_mixed_types(void **state)
{
	(void)state;
	/* times: numeric against numbers, ISO text against strings */
	YES("start > 1795830612");
	YES("start < 1795830613");
	YES("start >= '2026-11-28'");
	YES("start < '2026-11-29'");
	NO("start < '2026-11-28'");
	YES("start == '2026-11-28T01:50:12Z'");
	YES("'2026' < start");
	/* a string holding a number compares numerically */
	YES("steps_per_axis_unit == 20");
	YES("steps_per_axis_unit > 3"); /* bytewise "20" < "3" */
	YES("20.0 == steps_per_axis_unit");
	YES("eval_acc == '0.98'");
	YES("eval_acc > '1e-3'");
	/* else the number's text against the string, bytewise */
	YES("eval_acc < 'abc'");
	NO("eval_acc == 'abc'");
	YES("eval_acc != 'abc'");
	YES("script > 5");
	/* bools against the tfruns spellings of a logical */
	YES("completed == 'yes'");
	YES("completed == 'T'");
	YES("completed == 'TRUE'");
	YES("completed != 'no'");
	YES("'1' == completed");
	NO("completed == 'maybe'");
	NO("completed != 'maybe'");
}

static void test_truthiness(void **state)
{
	(void)state;
	YES("1");
	YES("-2");
	NO("0");
	YES("'x'");
	NO("''");
	NO("false");
	YES("TRUE");
	YES("eval_acc");
	YES("script");
	NO("flag_note");
	YES("start");
}

static void test_columns(void **state)
{
	(void)state;
	const char *expr = "eval_acc > 0.9 && (script ~ 'R' || eval_acc < 1) && "
		"exists(`metric_val_top-5`) && `script` != 'x' && 'eval_acc' == 1";
	char *err = NULL;
	size_t off = 0;
	struct filter *f = filter_parse(expr, &err, &off);
	assert_non_null(f);
	assert_int_equal(filter_ncolumns(f), 3);
	assert_string_equal(filter_column(f, 0), "eval_acc");
	assert_int_equal(filter_column_offset(f, 0), 0);
	assert_string_equal(filter_column(f, 1), "script");
	assert_int_equal(filter_column_offset(f, 1), 19);
	assert_string_equal(filter_column(f, 2), "metric_val_top-5");
	assert_int_equal(filter_column_offset(f, 2), 59);
	filter_free(f);
	filter_free(NULL);

	f = filter_parse("1 < 2", &err, &off);
	assert_non_null(f);
	assert_int_equal(filter_ncolumns(f), 0);
	assert_int_equal(filter_eval(f, lookup, &row), 1);
	filter_free(f);
}

static void test_lexical_errors(void **state)
{
	(void)state;
	error_is("script == \"train", "unterminated string", 10);
	error_is("script == 'it\\'", "unterminated string", 10);
	error_is("script == 'x\\", "unterminated string", 10);
	error_is("`metric_val_top-5 > 1", "unterminated column name (missing closing '`')", 0);
	error_is("`` > 1", "empty column name", 0);
	error_is("eval_acc = 1", "unexpected '='; use '=='", 9);
	error_is("a & b", "unexpected '&'; use '&&'", 2);
	error_is("a | b", "unexpected '|'; use '||'", 2);
	error_is("eval_acc > 1 @", "unexpected character '@'", 13);
	error_is("eval_acc > 1 # note", "unexpected character '#'", 13);
	error_is("a - 1", "unexpected character '-'", 2);
	error_is("'é' == é", "unexpected character 'é'", 8);
	error_is("eval_acc > 1abc", "invalid number '1abc'", 11);
	error_is("eval_acc > 1.2.3", "invalid number '1.2.3'", 11);
	error_is("eval_acc > 0x10", "invalid number '0x10'", 11);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	error_is("eval_acc >", "expected a value after '>'", 10);
	error_is("eval_acc >> 1", "expected a value after '>'", 10);
	error_is("eval_acc > 1 &&", "expected a value after '&&'", 15);
	error_is("eval_acc > 1 and  ", "expected a value after 'and'", 18);
	error_is("completed && )", "expected a value after '&&'", 13);
	error_is("()", "expected a value after '('", 1);
	error_is("", "empty expression", 0);
	error_is("   ", "empty expression", 0);
	error_is("> 1", "unexpected '>'", 0);
	error_is("(a", "unclosed '('", 0);
	error_is("(a && (b || c)", "unclosed '('", 0);
	error_is("((a) && (b || c)", "unclosed '('", 0);
	error_is("a)", "unexpected ')'", 1);
	error_is("(a))", "unexpected ')'", 3);
	error_is("a b", "expected an operator before 'b'", 2);
	error_is("(a 1)", "expected an operator or ')' before '1'", 3);
	error_is("a not b", "unexpected 'not'", 2);
	error_is("metric_val_top-5 > 0.4",
		"expected an operator before '-5' (quote a column name containing '-' "
		"in backquotes: `a-b`)", 14);
	error_is("a < b < c", "comparisons cannot be chained; combine them with '&&'", 6);
	error_is("a == b != c", "comparisons cannot be chained", 7);
	error_is("a ~ 'x' ~ 'y'", "comparisons cannot be chained", 8);
}

static void test_function_and_regex_errors(void **state)
{
	(void)state;
	error_is("script ~ '('", "invalid regular expression: ", 9);
	error_is("script ~ 'a[b' || completed", "invalid regular expression: ", 9);
	error_is("script !~ '[[:nope:]]'", "invalid regular expression: ", 10);
	error_is("script ~ 1", "the right side of '~' must be a string (a regular expression)", 9);
	error_is("script !~ script", "the right side of '!~' must be a string", 10);
	error_is("script ~", "expected a value after '~'", 8);
	error_is("exists(1)", "expected a column name in exists()", 7);
	error_is("exists()", "expected a column name in exists()", 7);
	error_is("exists(a", "expected ')' to close 'exists('", 8);
	error_is("exists(a b)", "expected ')' to close 'exists('", 9);
	/* "exists" without '(' is an ordinary column name */
	NO("exists");
	NO("exists == 1");
}

static void test_deep_nesting(void **state)
{
	(void)state;
	char expr[2100];
	memset(expr, '(', 1000);
	strcpy(expr + 1000, "completed");
	memset(expr + 1009, ')', 1000);
	expr[2009] = '\0';
	error_is(expr, "expression nested too deeply", 200);
	memset(expr, '!', 2000);
	strcpy(expr + 2000, "completed");
	error_is(expr, "expression nested too deeply", 200);
	memset(expr, '(', 150);
	strcpy(expr + 150, "completed");
	memset(expr + 159, ')', 150);
	expr[309] = '\0';
	YES(expr);
}

static void test_caret(void **state)
{
	(void)state;
	caret_is("eval_acc >> 1", 10, "  eval_acc >> 1\n            ^\n");
	caret_is("eval_acc >", 10, "  eval_acc >\n            ^\n");
	caret_is("(a", 0, "  (a\n  ^\n");
	caret_is("x", 50, "  x\n   ^\n");
	/* UTF-8: one space per character, not per byte */
	caret_is("'é' == é", 8, "  'é' == é\n         ^\n");
	/* control characters would break the two-line layout */
	caret_is("a >\n\t@", 5, "  a >  @\n       ^\n");

	char *err = NULL;
	size_t off = 0;
	const char *expr = "script ~ '(' && completed";
	assert_null(filter_parse(expr, &err, &off));
	struct buf b = BUF_INIT;
	filter_caret(&b, expr, off);
	assert_string_equal(b.data, "  script ~ '(' && completed\n           ^\n");
	buf_free(&b);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_logic_and_precedence),
		cmocka_unit_test(test_missing_values),
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_exists),
		cmocka_unit_test(test_mixed_types),
		cmocka_unit_test(test_truthiness),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_lexical_errors),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_function_and_regex_errors),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_caret),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
