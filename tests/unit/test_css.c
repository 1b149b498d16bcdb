/* test_css.c: the CSS scanner: which URLs it finds, how it rewrites them, what it leaves alone. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "css.h"
#include "xalloc.h"

/* Records each URL seen ("|"-separated) and answers with the URL of the same index in
 * map[] ("=" keeps it, NULL gives "none"); past the end of map, the URL itself. */
struct seen {
	struct buf urls;
	const char *const *map;
	size_t nmap, calls;
};

static char *record(void *ctx, const char *url)
{
	struct seen *s = ctx;
	buf_puts(&s->urls, s->calls ? "|" : "");
	buf_puts(&s->urls, url);
	size_t i = s->calls++;
	if (i < s->nmap && !s->map[i])
		return NULL;
	return xstrdup(i >= s->nmap || !strcmp(s->map[i], "=") ? url : s->map[i]);
}

/* Scans css with the replacements map; returns the output, *urls the URLs seen. */
static char *scan(const char *css, size_t n, const char *const *map, size_t nmap, char **urls)
{
	struct seen s = { BUF_INIT, map, nmap, 0 };
	struct buf out = BUF_INIT;
	buf_puts(&s.urls, "");
	buf_puts(&out, "");
	css_scan(css, n, record, &s, &out);
	*urls = buf_detach(&s.urls);
	return buf_detach(&out);
}

static void url_in_a_declaration_is_replaced(void **state)
{
	(void)state;
	static const char *const map[] = { "data:image/png;base64,AA", NULL };
	char *urls;
	const char *css = "a{background:url(x.png) no-repeat;b:URL( y.png )}";
	char *out = scan(css, strlen(css), map, 2, &urls);
	assert_string_equal(urls, "x.png|y.png");
	assert_string_equal(out, "a{background:url(\"data:image/png;base64,AA\") no-repeat;b:none}");
	free(out);
	free(urls);
}

static void quoted_url_with_escapes_is_decoded(void **state)
{
	(void)state;
	static const char *const map[] = { "=", "q\"<x>\\" };
	const char *css = "i{src:url('sp\\61 ce\\'s.png')} j{src:u\\72l(\"a\\\nb\")}";
	char *urls;
	char *out = scan(css, strlen(css), map, 2, &urls);
	assert_string_equal(urls, "space's.png|ab");
	/* kept as written when fn returns it unchanged; the replacement escaped */
	assert_string_equal(out, "i{src:url('sp\\61 ce\\'s.png')} j{src:url(\"q\\22 \\3c x\\3e \\5c \")}");
	free(out);
	free(urls);
}

static void import_string_is_a_url(void **state)
{
	(void)state;
	static const char *const map[] = { "y.css" };
	const char *css = "@import \"x.css\" screen; a::after{content:\"z.css\"}";
	char *urls;
	char *out = scan(css, strlen(css), map, 1, &urls);
	assert_string_equal(urls, "x.css");
	assert_string_equal(out, "@import url(\"y.css\") screen; a::after{content:\"z.css\"}");
	free(out);
	free(urls);
}

static void image_set_strings_are_urls(void **state)
{
	(void)state;
	const char *css = "a{b:-webkit-image-set(\"1.png\" 1x, url(2.png) 2x, type(\"t\"))}";
	char *urls;
	char *out = scan(css, strlen(css), NULL, 0, &urls);
	assert_string_equal(urls, "1.png|2.png");
	assert_string_equal(out, css);
	free(out);
	free(urls);
}

static void url_in_a_comment_is_left_alone(void **state)
{
	(void)state;
	const char *css = "/* url(x.png) @import \"y.css\"; */a{b:c}/* url(z.png)";
	char *urls;
	char *out = scan(css, strlen(css), NULL, 0, &urls);
	assert_string_equal(urls, "");
	assert_string_equal(out, css);
	free(out);
	free(urls);
}

static void text_without_urls_is_copied_byte_for_byte(void **state)
{
	(void)state;
	static const char css[] = "@media (min-width:10px){.a\\:b{content:\"\\41 \\\n\xc3\xa9\";"
				  "font:12px/1.5 'x y',\tserif}}\r\n\f\0#z{w:calc((1 + 2) * 3)}"
				  " @ \\ 'unterminated\n\"string";
	char *urls;
	char *out = scan(css, sizeof css - 1, NULL, 0, &urls);
	assert_string_equal(urls, "");
	assert_memory_equal(out, css, sizeof css - 1);
	free(out);
	free(urls);
}

static void looking_only_still_calls_fn(void **state)
{
	(void)state;
	struct seen s = { BUF_INIT, NULL, 0, 0 };
	const char *css = "x{a:url(http://h/a)}@import 'b'";
	css_scan(css, strlen(css), record, &s, NULL);
	assert_string_equal(s.urls.data, "http://h/a|b");
	buf_free(&s.urls);
	assert_int_equal(css_hexval('F') * 16 + css_hexval('a'), 0xfa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(url_in_a_declaration_is_replaced),
		cmocka_unit_test(quoted_url_with_escapes_is_decoded),
		cmocka_unit_test(import_string_is_a_url),
		cmocka_unit_test(image_set_strings_are_urls),
		cmocka_unit_test(url_in_a_comment_is_left_alone),
		cmocka_unit_test(text_without_urls_is_copied_byte_for_byte),
		cmocka_unit_test(looking_only_still_calls_fn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
