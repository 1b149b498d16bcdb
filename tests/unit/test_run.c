/* test_run.c: the run model: numbers, UTF-8 repair, properties, metrics files, status and
 * tfruns's column order. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "columns.h"
#include "json.h"
#include "run.h"
#include "util.h"
#include "xalloc.h"

static char *fmt_num(double d)
{
	struct buf b = BUF_INIT;
	value_fmt_num(&b, d);
	return buf_detach(&b);
}

static void numbers_round_trip_in_shortest_form(void **state)
{
	(void)state;
	static const struct { double d; const char *s; } cases[] = {
		{ 0.0765, "0.0765" }, { 48000, "48000" }, { 1e-05, "1e-05" }, { 2e-05, "2e-05" },
		{ 0.1 + 0.2, "0.30000000000000004" }, { 1795830612.24546, "1795830612.24546" },
		{ -3.5, "-3.5" }, { 0.0010000000474974513, "0.0010000000474974513" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = fmt_num(cases[i].d);
		assert_string_equal(s, cases[i].s);
		assert_true(strtod(s, NULL) == cases[i].d);
		free(s);
	}
}

static void times_print_as_iso_utc(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	value_fmt_time(&b, 1795830612.9);
	assert_string_equal(b.data, "2026-11-28T01:50:12Z");
	buf_free(&b);
}

static void invalid_utf8_is_replaced_and_located(void **state)
{
	(void)state;
	size_t off = 99;
	assert_null(utf8_repair("caf\xc3\xa9 \xf0\x9f\x98\x80", 10, &off));
	char *fixed = utf8_repair("ab\ncaf\xe9!", 8, &off);
	assert_string_equal(fixed, "ab\ncaf\xef\xbf\xbd!");
	assert_int_equal(off, 6);
	int line, col;
	text_linecol("ab\ncaf\xe9!", off, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 4);
	free(fixed);
	/* Overlong encodings and surrogates are invalid too. */
	fixed = utf8_repair("\xc0\xaf\xed\xa0\x80", 5, &off);
	assert_non_null(fixed);
	assert_int_equal(off, 0);
	free(fixed);
}

/* A scratch run directory with the given files (name, content pairs, NULL-terminated). */
static char *make_run(const char *const *files)
{
	char tmpl[] = "/tmp/tfreport-unit.XXXXXX";
	char *dir = xstrdup(mkdtemp(tmpl));
	char *meta = path_join(dir, "tfruns.d/properties");
	char *cmd = xasprintf("%s/tfruns.d", dir);
	mkdir(cmd, 0755);
	mkdir(meta, 0755);
	for (size_t i = 0; files[i]; i += 2) {
		char *p = xasprintf("%s/tfruns.d/%s", dir, files[i]);
		FILE *f = fopen(p, "w");
		assert_non_null(f);
		fputs(files[i + 1], f);
		fclose(f);
		free(p);
	}
	free(meta);
	free(cmd);
	return dir;
}

static void remove_run(char *dir)
{
	char *argv = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(argv), 0);
	free(argv);
	free(dir);
}

static void properties_convert_as_tfruns(void **state)
{
	(void)state;
	static const char *const files[] = {
		"properties/start", "1795830612.24546\n", "properties/epochs", "20.7\n",
		"properties/completed", "yes\n", "properties/learning_rate", "0.0010000000474974513\n",
		"properties/type", "local\n", "properties/index", "42\n",
		"properties/empty", "", "properties/model", "Model\n____\nline\n", NULL,
	};
	char *dir = make_run(files);
	struct run *r = run_load(dir, "x");
	assert_non_null(r);
	const struct value *v = run_prop(r, "start");
	assert_int_equal(v->type, V_TIME);
	assert_true(v->num == 1795830612.24546);
	assert_true(run_prop(r, "epochs")->num == 20);
	assert_int_equal(run_prop(r, "completed")->type, V_BOOL);
	assert_true(run_prop(r, "completed")->b);
	assert_true(run_prop(r, "learning_rate")->num == 0.0010000000474974513);
	assert_string_equal(run_prop(r, "type")->str, "training"); /* "local" migrates */
	assert_string_equal(run_prop(r, "context")->str, "local"); /* missing: default */
	assert_string_equal(run_prop(r, "index")->str, "42");      /* custom stays text */
	assert_int_equal(run_prop(r, "empty")->type, V_NA);        /* empty reads as missing */
	assert_string_equal(run_prop(r, "model")->str, "Model\n____\nline");
	assert_null(run_prop(r, "nope"));
	assert_string_equal(run_status(r), "completed");
	run_free(r);
	remove_run(dir);
}

static void status_follows_completed_end_and_error(void **state)
{
	(void)state;
	static const char *const failed[] = { "properties/completed", "FALSE\n",
		"properties/end", "1795830613\n", "error.json", "{\"message\": \"x\"}", NULL };
	static const char *const running[] = { "properties/completed", "FALSE\n", NULL };
	static const char *const done[] = { "properties/completed", "TRUE\n", NULL };
	const char *const *sets[] = { failed, running, done };
	const char *expect[] = { "failed", "running", "completed" };
	for (int i = 0; i < 3; i++) {
		char *dir = make_run(sets[i]);
		struct run *r = run_load(dir, "x");
		assert_string_equal(run_status(r), expect[i]);
		run_free(r);
		remove_run(dir);
	}
}

static void metrics_merge_json_and_jsonl_rows(void **state)
{
	(void)state;
	static const char *const files[] = {
		"metrics.json", "{\"loss\": [0.5, 0.4, null], \"epoch\": [1, 2, 3]}",
		"metrics.jsonl", "{\"epoch\": 4, \"loss\": 0.3, \"acc\": 0.9}\n\n{\"epoch\": 5, \"loss\": 0.35}\n",
		NULL,
	};
	char *dir = make_run(files);
	struct run *r = run_load(dir, "x");
	const struct metrics *m = &r->metrics;
	assert_int_equal(m->nrows, 5);
	assert_int_equal(m->ncols, 2);
	assert_string_equal(m->cols[0].name, "loss");
	assert_string_equal(m->cols[1].name, "acc");
	assert_true(isnan(m->cols[0].v[2]));
	assert_true(isnan(m->cols[1].v[0]));
	assert_true(m->cols[1].v[3] == 0.9);
	assert_true(series_last(&m->cols[0], m->nrows) == 0.35);
	double best;
	size_t row;
	assert_true(series_best(&m->cols[0], m->nrows, &best, &row));
	assert_true(best == 0.3);
	assert_true(run_epoch_of_row(r, row) == 4);
	assert_int_equal(run_metrics_completed(r), 4); /* row 3 has no value at all */
	run_free(r);
	remove_run(dir);
}

static void columns_follow_tfruns_order(void **state)
{
	(void)state;
	/* The keras run of tfruns's vignette (reference 2.4), with tfreport's additions. */
	static const char *const expect[] = {
		"run_dir", "eval_loss", "eval_acc", "metric_loss", "metric_acc", "metric_val_loss",
		"metric_val_acc", "best_loss", "best_loss_epoch", "best_acc", "best_acc_epoch",
		"best_val_loss", "best_val_loss_epoch", "best_val_acc", "best_val_acc_epoch",
		"flag_dropout1", "flag_dropout2", "samples", "validation_samples", "batch_size",
		"epochs", "epochs_completed", "metrics", "model", "loss_function", "optimizer",
		"learning_rate", "script", "start", "end", "completed", "status", "duration",
		"output", "source_code", "context", "type", NULL,
	};
	struct run *r = run_load("tests/corpus/tfruns-runs/2026-11-28T01-49-44Z", "x");
	struct colset cs;
	colset_init(&cs);
	colset_add_run(&cs, r);
	size_t n;
	const struct column **cols = colset_ordered(&cs, &n);
	size_t i = 0;
	for (; expect[i] && i < n; i++)
		assert_string_equal(cols[i]->name, expect[i]);
	assert_null(expect[i]);
	assert_int_equal(i, n);
	free(cols);
	colset_free(&cs);
	run_free(r);
}

struct collected {
	double v[64];
	size_t n;
};

static void collect(void *ctx, const char *key, const double *v, size_t n)
{
	(void)key;
	struct collected *c = ctx;
	for (size_t i = 0; i < n && c->n < 64; i++)
		c->v[c->n++] = v[i];
}

/* The metrics.json fast path reads every number exactly as strtod does. */
static void metric_numbers_read_exactly(void **state)
{
	(void)state;
	srand(7);
	for (int round = 0; round < 2000; round++) {
		struct buf nums = BUF_INIT;
		for (int i = 0; i < 8; i++) {
			int digits = 1 + rand() % 17, dot = rand() % (digits + 1);
			buf_reset(&nums);
			if (rand() % 4 == 0)
				buf_putc(&nums, '-');
			for (int d = 0; d < digits; d++) {
				if (d == dot && d > 0)
					buf_putc(&nums, '.');
				buf_putc(&nums, (char)('0' + (d == 0 && dot > 1 ? 1 + rand() % 9 : rand() % 10)));
			}
			if (rand() % 8 == 0)
				buf_printf(&nums, "e%d", rand() % 40 - 20);
			struct collected c = { { 0 }, 0 };
			char one[128];
			snprintf(one, sizeof one, "{\"x\": [%s]}", nums.data);
			assert_int_equal(json_number_columns(one, strlen(one), collect, &c), 0);
			assert_int_equal(c.n, 1);
			if (c.v[0] != strtod(nums.data, NULL))
				fail_msg("%s read as %.17g", nums.data, c.v[0]);
		}
		buf_free(&nums);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_round_trip_in_shortest_form),
		cmocka_unit_test(times_print_as_iso_utc),
		cmocka_unit_test(invalid_utf8_is_replaced_and_located),
		cmocka_unit_test(properties_convert_as_tfruns),
		cmocka_unit_test(status_follows_completed_end_and_error),
		cmocka_unit_test(metrics_merge_json_and_jsonl_rows),
		cmocka_unit_test(columns_follow_tfruns_order),
		cmocka_unit_test(metric_numbers_read_exactly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
