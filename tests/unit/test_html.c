/* test_html.c: the one escaping writer: text, URLs, script-safe JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "html.h"

static char *text(const char *s)
{
	struct buf b = BUF_INIT;
	html_text(&b, s, strlen(s));
	return buf_detach(&b);
}

static void text_escapes_markup_and_quotes(void **state)
{
	(void)state;
	char *s = text("</script><img src=x onerror=\"alert('1')\">&amp;");
	assert_string_equal(s, "&lt;/script&gt;&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;amp;");
	free(s);
	struct buf b = BUF_INIT;
	html_text(&b, "a\0b", 3); /* NUL never reaches a page */
	assert_string_equal(b.data, "ab");
	buf_free(&b);
}

static void urls_pass_only_safe_schemes(void **state)
{
	(void)state;
	static const struct { const char *url; const char *out; int rc; } cases[] = {
		{ "https://example.com/a?b=1&c=2", "https://example.com/a?b=1&amp;c=2", 0 },
		{ "http://x", "http://x", 0 },
		{ "plots/a.png", "plots/a.png", 0 },
		{ "#summary", "#summary", 0 },
		{ "data:image/png;base64,AAAA", "data:image/png;base64,AAAA", 0 },
		{ "javascript:alert(1)", "#", -1 },
		{ " JaVaScRiPt:alert(1)", "#", -1 },
		{ "java\tscript:alert(1)", "#", -1 },
		{ "vbscript:x", "#", -1 },
		{ "data:text/html,<script>", "#", -1 },
		{ "file:///etc/passwd", "#", -1 },
		{ "\"onmouseover=\"x", "&quot;onmouseover=&quot;x", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = BUF_INIT;
		assert_int_equal(html_url(&b, cases[i].url), cases[i].rc);
		assert_string_equal(b.data, cases[i].out);
		buf_free(&b);
	}
}

static void json_cannot_end_a_script(void **state)
{
	(void)state;
	const char *j = "{\"a\":\"</script><!--&\xe2\x80\xa8\xe2\x80\xa9\"}";
	struct buf b = BUF_INIT;
	html_json(&b, j, strlen(j));
	assert_string_equal(b.data, "{\"a\":\"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029\"}");
	assert_true(html_safe_in_script(b.data, b.len));
	assert_false(html_safe_in_script("x</SCRIPT >", 11));
	assert_false(html_safe_in_script("<!--", 4));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_escapes_markup_and_quotes),
		cmocka_unit_test(urls_pass_only_safe_schemes),
		cmocka_unit_test(json_cannot_end_a_script),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
