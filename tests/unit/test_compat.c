/* test_compat.c: over the real tfruns corpus, `ls --format json --columns all` agrees with
 * what tfruns's own ls_runs() made of it (tests/corpus/tfruns-runs.ls.json), column by
 * column, except for the deliberate differences named below. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "util.h"

#define CORPUS "tests/corpus/tfruns-runs"

/* Columns tfreport adds, or that the reference file leaves out (its note: output, model,
 * error_traceback, metrics and source_code). */
static int added_column(const char *name)
{
	static const char *const names[] = { "status", "duration", "metrics", "source_code",
					     "error_traceback", NULL };
	for (int i = 0; names[i]; i++)
		if (!strcmp(name, names[i]))
			return 1;
	return !strncmp(name, "best_", 5);
}

static cJSON *ours(void)
{
	struct query q = { .columns = "all" };
	struct listing_result res;
	assert_int_equal(listing_query(CORPUS, &q, &res), 0);
	struct buf b = BUF_INIT;
	listing_render(&b, &res.listing, FMT_JSON, 100);
	listing_result_free(&res);
	cJSON *j = cJSON_Parse(b.data);
	buf_free(&b);
	assert_non_null(j);
	return j;
}

static cJSON *reference(void)
{
	struct buf b = BUF_INIT;
	assert_int_equal(read_file("tests/corpus/tfruns-runs.ls.json", 1 << 20, &b), 0);
	cJSON *j = cJSON_Parse(b.data);
	buf_free(&b);
	assert_non_null(j);
	return j;
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static cJSON *find_run(cJSON *runs, const char *name)
{
	cJSON *r;
	cJSON_ArrayForEach(r, runs)
		if (!strcmp(base(cJSON_GetObjectItem(r, "run_dir")->valuestring), name))
			return r;
	return NULL;
}

/* R's CSV dates "2026-11-28 01:50:15" against ours "2026-11-28T01:50:15Z". */
static int same_date(const char *theirs, const char *mine)
{
	char t[64];
	snprintf(t, sizeof t, "%s", mine);
	char *p = strchr(t, 'T');
	if (p)
		*p = ' ';
	size_t n = strlen(t);
	if (n && t[n - 1] == 'Z')
		t[n - 1] = '\0';
	return !strcmp(theirs, t);
}

static void check_value(const char *run, const char *key, const cJSON *a, const cJSON *b)
{
	if (!b)
		fail_msg("%s: %s missing (tfruns: %s)", run, key, cJSON_PrintUnformatted(a));
	if (cJSON_IsNumber(a)) {
		/* Deliberate: a custom property stays text, as tfruns reads it (reference 1.3:
		 * `index` stays "42"); the reference listing went through R's CSV, which made
		 * steps_per_axis_unit a number. */
		double y = cJSON_IsString(b) && !added_column(key) ? strtod(b->valuestring, NULL)
			   : b->valuedouble;
		if (!cJSON_IsNumber(b) && !cJSON_IsString(b))
			fail_msg("%s: %s is not a number", run, key);
		double x = a->valuedouble;
		if (fabs(x - y) > 1e-12 * fabs(x))
			fail_msg("%s: %s is %.17g, tfruns %.17g", run, key, y, x);
	} else if (cJSON_IsString(a) && (!strcmp(key, "start") || !strcmp(key, "end"))) {
		if (!same_date(a->valuestring, b->valuestring))
			fail_msg("%s: %s is %s, tfruns %s", run, key, b->valuestring, a->valuestring);
	} else if (!cJSON_Compare(a, b, 1)) {
		fail_msg("%s: %s is %s, tfruns %s", run, key, cJSON_PrintUnformatted(b),
			 cJSON_PrintUnformatted(a));
	}
}

static void every_run_column_and_value(void **state)
{
	(void)state;
	cJSON *ref = reference(), *mine = ours();
	cJSON *runs = cJSON_GetObjectItem(ref, "runs");
	assert_int_equal(cJSON_GetArraySize(runs), cJSON_GetArraySize(mine));
	int i = 0;
	cJSON *r;
	cJSON_ArrayForEach(r, runs) {
		const char *name = cJSON_GetObjectItem(r, "run_dir")->valuestring;
		/* Same rows in the same order (newest start first). */
		assert_string_equal(base(cJSON_GetArrayItem(mine, i++)->child->valuestring), name);
		cJSON *m = find_run(mine, name);
		assert_non_null(m);
		for (cJSON *c = r->child; c; c = c->next)
			if (strcmp(c->string, "run_dir"))
				check_value(name, c->string, c, cJSON_GetObjectItem(m, c->string));
		for (cJSON *c = m->child; c; c = c->next)
			if (!cJSON_GetObjectItem(r, c->string) && !added_column(c->string))
				fail_msg("%s: column %s is not in tfruns's listing", name, c->string);
	}
	cJSON_Delete(ref);
	cJSON_Delete(mine);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_run_column_and_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
