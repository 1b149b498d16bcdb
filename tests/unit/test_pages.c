/* test_pages.c: every page tfreport writes for the real corpus parses with libxml2's HTML
 * parser without an error and references nothing outside itself. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "inline.h"
#include "util.h"
#include "xalloc.h"

#define CORPUS "tests/corpus/tfruns-runs"

/* Runs `tfreport CMD [A [B]] -o FILE` in-process and returns the page. */
static char *page_of(const char *cmd, const char *a, const char *b2, size_t *len)
{
	char out[] = "/tmp/tfreport-page.XXXXXX";
	int fd = mkstemp(out);
	assert_true(fd >= 0);
	close(fd);
	char *argv[6] = { (char *)cmd };
	int argc = 1;
	if (a)
		argv[argc++] = (char *)a;
	if (b2)
		argv[argc++] = (char *)b2;
	argv[argc++] = "-o";
	argv[argc++] = out;
	struct opts o = { 0 };
	assert_int_equal(opts_parse(cmd_find(cmd), argc, argv, &o), 0);
	struct ctx ctx = { CORPUS };
	/* cmd_view prints the file name: keep it out of the test's own output. */
	fflush(stdout);
	int saved = dup(1), null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	int rc = cmd_find(cmd)->fn(&ctx, &o);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(null);
	assert_int_equal(rc, 0);
	opts_free(&o);
	struct buf b = BUF_INIT;
	assert_int_equal(read_file(out, 1 << 26, &b), 0);
	unlink(out);
	*len = b.len;
	return buf_detach(&b);
}

static void corpus_pages_parse_and_stand_alone(void **state)
{
	(void)state;
	DIR *d = opendir(CORPUS);
	assert_non_null(d);
	struct dirent *e;
	int pages = 0;
	while ((e = readdir(d))) {
		char *meta = xasprintf("%s/%s/tfruns.d", CORPUS, e->d_name);
		int is_run = e->d_name[0] != '.' && access(meta, F_OK) == 0;
		free(meta);
		if (!is_run)
			continue;
		size_t len;
		char *html = page_of("view", e->d_name, NULL, &len);
		struct buf report = BUF_INIT;
		int problems = inline_check_page(html, len, &report);
		if (problems)
			fail_msg("view %s: %d problems:\n%s", e->d_name, problems, report.data);
		buf_free(&report);
		free(html);
		pages++;
	}
	closedir(d);
	assert_int_equal(pages, 13);
}

static void check(const char *what, char *html, size_t len)
{
	struct buf report = BUF_INIT;
	int problems = inline_check_page(html, len, &report);
	if (problems)
		fail_msg("%s: %d problems:\n%s", what, problems, report.data);
	buf_free(&report);
	free(html);
}

static void compare_and_index_pages_parse_and_stand_alone(void **state)
{
	(void)state;
	size_t len;
	char *html = page_of("compare", "2026-11-28T01-50-11Z", "2026-11-28T01-50-12Z", &len);
	check("compare", html, len);
	html = page_of("compare", "2026-11-28T01-49-45Z", "experiment-alpha", &len);
	check("compare", html, len);
	html = page_of("index", NULL, NULL, &len);
	check("index", html, len);
}

/* The checker itself sees what it must: an external image and a parse error. */
static void checker_finds_external_references(void **state)
{
	(void)state;
	const char *bad = "<!DOCTYPE html><html><head><title>x</title></head><body>"
			  "<img src=\"https://example.com/a.png\"><a href=\"https://ok.example\">ok</a>"
			  "</body></html>";
	struct buf report = BUF_INIT;
	assert_int_equal(inline_check_page(bad, strlen(bad), &report), 1);
	assert_non_null(strstr(report.data, "example.com/a.png"));
	buf_free(&report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus_pages_parse_and_stand_alone),
		cmocka_unit_test(compare_and_index_pages_parse_and_stand_alone),
		cmocka_unit_test(checker_finds_external_references),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
