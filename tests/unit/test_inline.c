/* test_inline.c: unit tests for inline.c (run from the repository root) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inline.h"
#include "util.h"
#include "xalloc.h"

#define FX "tests/unit/fixtures/inline/"
#define RUN FX "run"
#define HISTORY RUN "/plots/history.html"
#define BIG ((size_t)1 << 20)
#define DOT_PNG "data:image/png;base64,iVBORw0KGgo"

/* inline_html with warnings captured: returns the document (allocated), *rc and *warn
 * (allocated) set. */
static char *inline_capture(const char *path, const char *root, size_t max, int *rc, char **warn)
{
	struct buf out = BUF_INIT, sink = BUF_INIT;
	tf_warn_capture(&sink);
	*rc = inline_html(&out, path, root, max);
	tf_warn_capture(NULL);
	*warn = buf_detach(&sink);
	return buf_detach(&out);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static size_t count_of(const char *s, const char *pat)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, pat)); p += strlen(pat))
		n++;
	return n;
}

/* Asserts that inline_check_page finds want problems in html, one line each (the report
 * and html are printed otherwise). */
static void check(const char *html, int want)
{
	struct buf report = BUF_INIT;
	buf_puts(&report, "");
	int n = inline_check_page(html, strlen(html), &report);
	if (n != want)
		print_message("%s\n%s", html, report.data);
	assert_int_equal(n, want);
	assert_int_equal(count_lines(report.data), n);
	buf_free(&report);
}

/* Nothing a browser would fetch, no script URL. */
static void assert_clean(const char *doc)
{
	check(doc, 0);
	assert_null(strstr(doc, "evil.example"));
	assert_null(strstr(doc, "javascript:"));
}

static void assert_prefix(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)))
		print_message("%.*s\n", (int)strlen(prefix) + 20, s);
	assert_true(!strncmp(s, prefix, strlen(prefix)));
}

/* --- a temporary run directory --------------------------------------------------------- */

static char tmp_base[64];

static void put(const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", tmp_base, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	free(p);
}

static void dir(const char *rel)
{
	char *p = xasprintf("%s/%s", tmp_base, rel);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
}

static void link_to(const char *target, const char *rel)
{
	char *p = xasprintf("%s/%s", tmp_base, rel);
	assert_int_equal(symlink(target, p), 0);
	free(p);
}

static char *tmp_path(const char *rel) { return xasprintf("%s/%s", tmp_base, rel); }

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(p);
}

static int make_tmp(void **state)
{
	(void)state;
	strcpy(tmp_base, "/tmp/tfreport-inline-XXXXXX");
	if (!mkdtemp(tmp_base))
		return -1;
	return 0;
}

static int remove_tmp(void **state)
{
	(void)state;
	return nftw(tmp_base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* --- inline_html ---------------------------------------------------------------------------- */

static void test_fixture_run_inlined(void **state)
{
	(void)state;
	int rc;
	char *warn, *doc = inline_capture(HISTORY, RUN, BIG, &rc, &warn);
	assert_int_equal(rc, 0);
	assert_prefix(doc, "<!DOCTYPE html>\n<html>\n<head><meta http-equiv=\"Content-Security-Policy\" "
			   "content=\"default-src 'none'; script-src 'unsafe-inline'");
	/* local script, stylesheet (its url() from the CSS file's directory) and images */
	assert_non_null(strstr(doc, "<script>/* plot.js: stands for plotly.js"));
	assert_non_null(strstr(doc, "window.PLOT_JS_MARKER = \"é ✓\";"));  /* UTF-8 as is */
	assert_non_null(strstr(doc, "i < xs.length && xs[i] > 0"));        /* not escaped */
	assert_non_null(strstr(doc, "<style>@import none;\n/* CSS_MARKER"));
	assert_non_null(strstr(doc, ".dot { background: url(\"" DOT_PNG));
	assert_non_null(strstr(doc, ".remote { background-image: none; }"));
	assert_non_null(strstr(doc, "<img id=\"dot\" src=\"" DOT_PNG));
	assert_non_null(strstr(doc, "<source srcset=\"" DOT_PNG));
	assert_int_equal(count_of(doc, DOT_PNG), 6);  /* css, <style>, style=, img, srcset, img */
	assert_non_null(strstr(doc, "<a id=\"docs\" href=\"https://example.com/docs\">"));
	assert_non_null(strstr(doc, "<a id=\"js\">js</a>"));
	assert_non_null(strstr(doc, "<img alt=\"passwd\">"));
	assert_non_null(strstr(doc, "<img alt=\"outside\">"));
	assert_non_null(strstr(doc, "<form><input name=\"q\"></form>"));
	assert_non_null(strstr(doc, "window.INLINE_OK = \"é\""));
	/* nothing outside the run, nothing external, no script that closes early */
	assert_null(strstr(doc, "root:"));
	assert_null(strstr(doc, "SECRET-OUTSIDE-THE-RUN"));
	assert_null(strstr(doc, "BAD_JS_MARKER"));
	assert_null(strstr(doc, "<base"));
	assert_null(strstr(doc, "refresh"));
	assert_null(strstr(doc, "<iframe"));
	assert_null(strstr(doc, "<link"));
	assert_null(strstr(doc, "<!--"));
	assert_clean(doc);
	/* one warning, by reason */
	assert_int_equal(count_lines(warn), 1);
	assert_non_null(strstr(warn, "tfreport: " HISTORY ": warning: 16 references removed"));
	assert_non_null(strstr(warn, "scheme or host: 9 (first \"http://cdn.evil.example/"));
	assert_non_null(strstr(warn, "absolute path: 1 (first \"/etc/passwd\")"));
	assert_non_null(strstr(warn, "outside the run directory: 2 (first \"../../secret.txt\")"));
	assert_non_null(strstr(warn, "unsafe to inline: 1 (first \"lib/bad.js\")"));
	assert_non_null(strstr(warn, "never inlined (frames, forms, media, <base>, refresh, "
				     "non-stylesheet links): 3 (first \"<base>\")"));
	free(doc);
	free(warn);
}

/* Symlinks out of the run (a file and a directory) are refused; "../" and symlinks that stay
 * inside are followed. */
static void test_symlinks_out_of_run_refused(void **state)
{
	(void)state;
	dir("outside");
	put("outside/secret.js", "var SECRET_OUTSIDE = 1;\n");
	put("outside/secret.png", "\x89PNG-SECRET-OUTSIDE");
	dir("run");
	dir("run/lib");
	dir("run/plots");
	put("run/lib/in.js", "var IN_RUN = 1;\n");
	link_to("../../outside/secret.js", "run/lib/evil.js");
	link_to("../outside", "run/escape");
	link_to("in.js", "run/lib/alias.js");
	link_to("/etc/passwd", "run/plots/passwd.png");
	put("run/plots/p.html",
	    "<script src=\"../lib/in.js\"></script><script src=\"../lib/alias.js\"></script>"
	    "<script src=\"../lib/evil.js\"></script><script src=\"../escape/secret.js\"></script>"
	    "<script src=\"%2e%2e/%2e%2e/outside/secret.js\"></script>"
	    "<img src=\"../escape/secret.png\"><img src=\"passwd.png\"><p>end</p>");
	char *page = tmp_path("run/plots/p.html"), *root = tmp_path("run");
	int rc;
	char *warn, *doc = inline_capture(page, root, BIG, &rc, &warn);
	assert_int_equal(rc, 0);
	assert_int_equal(count_of(doc, "var IN_RUN = 1;"), 2);
	assert_null(strstr(doc, "SECRET"));
	assert_null(strstr(doc, "root:"));
	assert_null(strstr(doc, "src="));
	assert_clean(doc);
	assert_int_equal(count_lines(warn), 1);
	assert_non_null(strstr(warn, "5 references removed, not inlined: outside the run "
				     "directory: 5 (first \"../lib/evil.js\")"));
	free(doc);
	free(warn);
	free(page);
	free(root);
}

/* Files are inlined while their total stays within max_bytes. */
static void test_size_limit(void **state)
{
	(void)state;
	char js[101];
	memset(js, 'x', 99);
	js[99] = '\n';
	js[100] = '\0';
	dir("big");
	put("big/a.js", js);
	put("big/b.js", js);
	put("big/c.js", js);
	put("big/p.html", "<script src=a.js></script><script src=b.js></script>"
			  "<script src=c.js></script>");
	char *page = tmp_path("big/p.html"), *root = tmp_path("big");
	int rc;
	char *warn, *doc = inline_capture(page, root, 250, &rc, &warn);
	assert_int_equal(rc, 0);
	assert_int_equal(count_of(doc, js), 2);
	assert_non_null(strstr(warn, "1 reference removed, not inlined: over the size limit: 1 "
				     "(first \"c.js\")"));
	free(doc);
	free(warn);
	/* the HTML file itself over the limit */
	doc = inline_capture(page, root, 20, &rc, &warn);
	assert_int_equal(rc, -1);
	assert_string_equal(doc, "");
	assert_int_equal(count_lines(warn), 1);
	assert_non_null(strstr(warn, "cannot read HTML artifact: over the size limit"));
	free(doc);
	free(warn);
	free(page);
	free(root);
}

static void test_unreadable_gives_one_warning(void **state)
{
	(void)state;
	const char *cases[][3] = {
		{ FX "missing.html", RUN, "cannot read HTML artifact: No such file or directory" },
		{ RUN "/plots", RUN, "cannot read HTML artifact: Is a directory" },
		{ HISTORY, FX "no-such-run", "cannot resolve the run directory" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc;
		char *warn, *doc = inline_capture(cases[i][0], cases[i][1], BIG, &rc, &warn);
		assert_int_equal(rc, -1);
		assert_string_equal(doc, "");
		assert_int_equal(count_lines(warn), 1);
		assert_non_null(strstr(warn, cases[i][2]));
		free(doc);
		free(warn);
	}
	put("empty.html", "");
	char *page = tmp_path("empty.html");
	int rc;
	char *warn, *doc = inline_capture(page, tmp_base, BIG, &rc, &warn);
	assert_int_equal(rc, -1);
	assert_int_equal(count_lines(warn), 1);
	assert_non_null(strstr(warn, "cannot parse HTML artifact"));
	free(doc);
	free(warn);
	free(page);
}

/* Script text that would end early or make a browser read past </script>. */
static void test_unsafe_scripts_dropped(void **state)
{
	(void)state;
	dir("scripts");
	put("scripts/close.js", "a = '</ScRiPt >';\n");
	put("scripts/escape.js", "a = '<!--<script>';\n");
	put("scripts/comment.js", "a = '<!-- fine alone -->';\n");
	put("scripts/p.html",
	    "<script src=close.js></script><script src=escape.js></script>"
	    "<script src=comment.js></script>"
	    "<script>b = '<!--<script>';</script>"
	    "<svg><script>&lt;img src=x&gt;</script><style>a{}</style></svg>"
	    "<svg><script><img src=\"http://evil.example/\"></script></svg>");
	char *page = tmp_path("scripts/p.html"), *root = tmp_path("scripts");
	int rc;
	char *warn, *doc = inline_capture(page, root, BIG, &rc, &warn);
	assert_int_equal(rc, 0);
	assert_null(strstr(doc, "</ScRiPt"));
	assert_null(strstr(doc, "<!--<script"));
	assert_non_null(strstr(doc, "<script>a = '<!-- fine alone -->';\n</script>"));
	/* entities stay text in an SVG script; markup inside one would not be */
	assert_non_null(strstr(doc, "<svg><script>&lt;img src=x&gt;</script><style>a{}</style></svg>"));
	assert_null(strstr(doc, "<img"));
	assert_int_equal(count_of(doc, "<script"), 2);
	assert_non_null(strstr(warn, "unsafe to inline: 4 (first \"close.js\")"));
	assert_clean(doc);
	free(doc);
	free(warn);
	free(page);
	free(root);
}

/* Comments, tricky URLs, CSS escapes and attributes that load. */
static void test_hostile_markup(void **state)
{
	(void)state;
	dir("hostile");
	put("hostile/p.html",
	    "<p>a<!-- x --!><img src=\"http://evil.example/1\"> --></p>"
	    "<img src=\" jav&#9;ascript:alert(1)\"><img src=\"\\\\evil.example\\x.png\">"
	    "<img src=\"HTTPS://evil.example/2\"><img src=\"data:text/html,<b>\">"
	    "<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" id=keep>"
	    "<div style=\"background: u\\72l(http://evil.example/3)\"></div>"
	    "<div style=\"background-image: image-set('http://evil.example/4' 1x)\"></div>"
	    "<svg><rect fill=\"url(http://evil.example/5#g)\"/><rect fill=\"url(#g)\"/>"
	    "<use href=\"#g\"/><image href=\"https://evil.example/6\"/></svg>"
	    "<video poster=\"http://evil.example/7\" src=\"movie.mp4\"></video>"
	    "<object data=\"x.swf\"></object><embed src=\"x.swf\"><frameset></frameset>"
	    "<a href=\"data:text/html,x\" ping=\"http://evil.example/8\">d</a>"
	    "<button formaction=\"https://evil.example/9\">b</button>"
	    "<link rel=preload href=x.js><meta http-equiv=Refresh content=0>");
	char *page = tmp_path("hostile/p.html"), *root = tmp_path("hostile");
	int rc;
	char *warn, *doc = inline_capture(page, root, BIG, &rc, &warn);
	assert_int_equal(rc, 0);
	assert_null(strstr(doc, "ascript"));
	assert_null(strstr(doc, "data:text"));
	assert_non_null(strstr(doc, "src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" id=\"keep\""));
	assert_non_null(strstr(doc, "fill=\"url(#g)\""));
	assert_non_null(strstr(doc, "<use href=\"#g\">"));
	assert_non_null(strstr(doc, "style=\"background: none\""));
	assert_null(strstr(doc, "<object"));
	assert_null(strstr(doc, "<embed"));
	/* <embed> is not void to libxml2: what follows it is kept, inside a bare <span> */
	assert_non_null(strstr(doc, "<span></span><span><frameset></frameset><a>d</a>"
				    "<button>b</button></span>"));
	assert_null(strstr(doc, "Refresh"));
	assert_null(strstr(doc, "<link"));
	assert_null(strstr(doc, "<!--"));
	assert_clean(doc);
	assert_int_equal(count_lines(warn), 1);
	assert_non_null(strstr(warn, "18 references removed, not inlined: scheme or host: 13 "
				     "(first \"http://evil.example/1\"); never inlined"));
	free(doc);
	free(warn);
	free(page);
	free(root);
}

/* --- inline_check_page ----------------------------------------------------------------- */

static void test_check_finds_external_references(void **state)
{
	(void)state;
	const char *bad[] = {
		"<img src=\"http://x\">",
		"<link rel=stylesheet href=\"https://x\">",
		"<div style=\"background:url(http://x)\"></div>",
		"<div style=\"background:URL( 'HTTP://x' )\"></div>",
		"<div style=\"background:u\\72 l(http://x)\"></div>",
		"<style>@import \"https://x/a.css\";</style>",
		"<style>a { background: image-set(\"//x/a.png\" 1x) }</style>",
		"<style>a { background: url(ftp://x/a.png) }</style>",
		"<script src=\"//x/a.js\"></script>",
		"<img srcset=\"a.png 1x, https://x/b.png 2x\">",
		"<video poster=\"file:///etc/x.png\"></video>",
		"<form action=\"https://x\"></form>",
		"<object data=\"http://x\"></object>",
		"<meta http-equiv=\"refresh\" content=\"0; URL='https://x'\">",
		"<iframe srcdoc=\"<img src=&quot;http://x&quot;>\"></iframe>",
		"<svg><image xlink:href=\"https://x\"/></svg>",
		"<a href=\"#\" ping=\"https://x\">a</a>",
		"<img src=\" java\tscript:x\">",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		check(bad[i], 1);
	}
}

static void test_check_finds_parse_errors(void **state)
{
	(void)state;
	const char *bad[] = {
		"<div></span></div>",           /* Unexpected end tag : span */
		"<p a<b=1>x</p>",                 /* error parsing attribute name */
		"<div id=a id=b></div>",        /* Attribute id redefined */
		"<p>a & b</p>",                   /* htmlParseEntityRef: no name */
		"<p>x<!--> y</p>",                /* Comment not terminated */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct buf report = BUF_INIT;
		assert_int_equal(inline_check_page(bad[i], strlen(bad[i]), &report), 1);
		assert_true(!strncmp(report.data, "line 1: parse error: ", 21));
		buf_free(&report);
	}
	struct buf report = BUF_INIT;
	assert_int_equal(inline_check_page("", 0, &report), 1);
	buf_free(&report);
}

static void test_check_accepts(void **state)
{
	(void)state;
	const char *good =
		"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>t</title>"
		"<style>a { background: url(data:image/png;base64,AAAA); mask: url(#m) }</style>"
		"</head><body><header><nav><a href=\"https://x/docs\">docs</a>"
		"<a href=\"javascript:void 0\">js</a><a href=\"../index.html\">up</a></nav></header>"
		"<main><section><template><p>t</p></template>"
		"<img src=\"data:image/png;base64,AAAA\" alt=\"\"><img src=\"plots/a.png\" alt=\"\">"
		"<svg viewBox=\"0 0 1 1\"><use href=\"#m\"/><path d=\"M0 0\"/></svg>"
		"<iframe sandbox srcdoc=\"&lt;img src=&quot;data:image/png;base64,AA&quot;&gt;\"></iframe>"
		"</section></main>"
		"<script>var s = \"</div>\"; if (1 < 2 && 3 > 2) {}</script></body></html>\n";
	check(good, 0);
}

/* The document inline_html writes parses without errors and passes as srcdoc too. */
static void test_output_as_srcdoc(void **state)
{
	(void)state;
	int rc;
	char *warn, *doc = inline_capture(HISTORY, RUN, BIG, &rc, &warn);
	assert_int_equal(rc, 0);
	struct buf page = BUF_INIT;
	buf_puts(&page, "<!DOCTYPE html>\n<title>run</title><iframe sandbox=\"allow-scripts\" srcdoc=\"");
	for (const char *p = doc; *p; p++) {
		if (*p == '&' || *p == '"' || *p == '<' || *p == '>' || *p == '\'')
			buf_printf(&page, "&#%d;", *p);
		else
			buf_putc(&page, *p);
	}
	buf_puts(&page, "\"></iframe>\n");
	check(page.data, 0);
	/* an external reference inside the srcdoc is found */
	char *img = strstr(page.data, "&#60;img id=&#34;dot&#34; src=&#34;data:");
	assert_non_null(img);
	memcpy(strstr(img, "data:"), "http:", 5);
	check(page.data, 1);
	buf_free(&page);
	free(doc);
	free(warn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_run_inlined),
		cmocka_unit_test(test_symlinks_out_of_run_refused),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_unreadable_gives_one_warning),
		cmocka_unit_test(test_unsafe_scripts_dropped),
		cmocka_unit_test(test_hostile_markup),
		cmocka_unit_test(test_check_finds_external_references),
		cmocka_unit_test(test_check_finds_parse_errors),
		cmocka_unit_test(test_check_accepts),
		cmocka_unit_test(test_output_as_srcdoc),
	};
	return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
