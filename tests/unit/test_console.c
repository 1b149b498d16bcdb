/* test_console.c: terminal output as HTML: escaping, SGR spans, \r and \b, cutting */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "console.h"

#define R "\xef\xbf\xbd" /* U+FFFD */
#define CUT_OPEN "<span class=\"console-omitted\">\xe2\x80\xa6 "
#define CUT_CLOSE " not shown \xe2\x80\xa6</span>\n"

/* Well-formed UTF-8 of n bytes at s: 1. */
static int utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = s[i] < 0x80 ? 1 : s[i] >= 0xf0 ? 4 : s[i] >= 0xe0 ? 3 : s[i] >= 0xc2 ? 2 : 0;
		if (!k || i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

/* What every output must be, whatever the input: tags only our own spans, never nested
 * and closed before every newline and at the end; entities only ours; no control bytes
 * but \n and \t; well-formed UTF-8. */
static void check_safe(const char *h, size_t n)
{
	static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	int open = 0;
	assert_true(utf8_ok((const unsigned char *)h, n));
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];
		assert_true(c >= 0x20 || c == '\n' || c == '\t');
		assert_true(c != '>' && c != '"' && c != '\'');
		if (c == '\n')
			assert_int_equal(open, 0);
		if (c == '&') {
			size_t k = 0;
			while (k < 5 && strncmp(h + i, ents[k], strlen(ents[k])))
				k++;
			assert_true(k < 5);
		}
		if (c != '<')
			continue;
		if (!strncmp(h + i, "</span>", 7)) {
			assert_int_equal(open--, 1);
			i += 6;
			continue;
		}
		assert_true(!strncmp(h + i, "<span class=\"", 13) || !strncmp(h + i, "<span style=\"", 13));
		assert_int_equal(open++, 0);
		for (i += 5; h[i] != '>'; i++)
			assert_true(strchr("abcdefghijklmnopqrstuvwxyz0123456789 -;:#=\"", h[i]) && h[i]);
	}
	assert_int_equal(open, 0);
}

static void check_n(const char *in, size_t n, size_t max, const char *want, size_t lines)
{
	struct buf b = BUF_INIT;
	struct console_opts o = { max };
	buf_puts(&b, "<pre>");
	assert_int_equal(console_html(&b, in, n, &o), lines);
	assert_string_equal(b.data + 5, want);
	check_safe(b.data + 5, b.len - 5);
	buf_free(&b);
}

static void check(const char *in, const char *want, size_t lines)
{
	check_n(in, strlen(in), 0, want, lines);
}

static void test_plain_text_escaped(void **state)
{
	(void)state;
	check("a <b> & \"c\" 'd'\n", "a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;\n", 1);
	check("tab\there\nno newline", "tab\there\nno newline", 2);
	check("", "", 0);
	check("\n\n", "\n\n", 2);
	struct buf b = BUF_INIT;
	assert_int_equal(console_html(&b, "x\n", 2, NULL), 1);
	assert_string_equal(b.data, "x\n");
	buf_free(&b);
}

static void test_script_end_tag(void **state)
{
	(void)state;
	check("</script><script>alert(1)</script>\n<!-- \"><img src=x onerror=alert(1)>\n",
	      "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n"
	      "&lt;!-- &quot;&gt;&lt;img src=x onerror=alert(1)&gt;\n", 2);
	/* A quote cannot reach an attribute: it ends the sequence and shows as text. */
	check("\x1b[38;2;255;0;0\";onmouseover=alert(1)mX\n", ";onmouseover=alert(1)mX\n", 1);
	check("\x1b[31\" style=\"x\"mX", "tyle=&quot;x&quot;mX", 1);
}

static void test_keras_progress(void **state)
{
	(void)state;
	check("1/3 [=>..]\r2/3 [==>.]\r3/3 [===]\n", "3/3 [===]\n", 1);
	/* keras' Progbar: backspaces over the old bar, then \r */
	check("Epoch 1/2\n1/3 [=>..]\b\b\b\b\b\b\b\b\b\b\r2/3 [==>.]\b\b\b\b\b\b\b\b\b\b\r"
	      "3/3 [===] - loss: 0.5\nEpoch 2/2\n",
	      "Epoch 1/2\n3/3 [===] - loss: 0.5\nEpoch 2/2\n", 3);
	/* tqdm: \r before each state; an erase-line after \r */
	check("\r  0%|     |\r 50%|##   |\r100%|#####|\n", "100%|#####|\n", 1);
	check("old text\r\x1b[Knew\n", "new\n", 1);
}

static void test_carriage_returns(void **state)
{
	(void)state;
	check("a\r\nb\r\n", "a\nb\n", 2);
	check("a\r\r\nb", "a\nb", 2);
	check("50%\r100%\r", "100%", 1); /* \r at the very end keeps the line */
	check("abc\r\n\r", "abc\n", 1);
	check("abc\rx", "x", 1);
	check("abc\r\rx\n", "x\n", 1);
	/* the style reached in the dropped text still holds */
	check("\x1b[31mold\rnew\n", "<span class=\"ansi-fg-1\">new</span>\n", 1);
}

static void test_backspace(void **state)
{
	(void)state;
	check("abc\b\bX\n", "aX\n", 1);
	check("\xc3\xa9\xe2\x82\xac\bx", "\xc3\xa9x", 1);
	check("\bx\b\b\by", "y", 1);
	check("a\t\bb", "ab", 1);
	check("\x1b[31ma\x1b[32mb\b\bc", "<span class=\"ansi-fg-2\">c</span>", 1);
	check("ab\x1b[1m\b\bc", "<span class=\"ansi-bold\">c</span>", 1);
	check("\x1b[31mab\x1b[0m\bc", "<span class=\"ansi-fg-1\">a</span>c", 1);
	check("\x1b[31ma\b\n", "\n", 1);
	check("\x1b[31ma\b", "", 0);
	check("a\bb\n", "b\n", 1);
}

static void test_bold_red_reset(void **state)
{
	(void)state;
	check("\x1b[1;31mError:\x1b[0m bad\n", "<span class=\"ansi-bold ansi-fg-1\">Error:</span> bad\n", 1);
	check("\x1b[1;2;3;4;91;104mX\x1b[22;23mY\x1b[24;39;49mZ\n",
	      "<span class=\"ansi-bold ansi-faint ansi-italic ansi-underline ansi-fg-9 ansi-bg-12\">X</span>"
	      "<span class=\"ansi-underline ansi-fg-9 ansi-bg-12\">Y</span>Z\n", 1);
	check("\x1b[37;40ma\x1b[97;107mb\x1b[mc\x1b[32;1;39md", "<span class=\"ansi-fg-7 ansi-bg-0\">a</span>"
	      "<span class=\"ansi-fg-15 ansi-bg-15\">b</span>c<span class=\"ansi-bold\">d</span>", 1);
	/* same style again: one span; a change with no text between: no empty span */
	check("\x1b[31mab\x1b[31mc\x1b[32m\x1b[33md\x1b[0m\n",
	      "<span class=\"ansi-fg-1\">abc</span><span class=\"ansi-fg-3\">d</span>\n", 1);
	/* an empty parameter is 0; unknown codes ignored */
	check("\x1b[1;;4mA\x1b[5;7;9;53mB", "<span class=\"ansi-underline\">AB</span>", 1);
	check("\x1b[4:3mu\x1b[4:0mv", "<span class=\"ansi-underline\">u</span>v", 1);
}

static void test_256_and_truecolor(void **state)
{
	(void)state;
	check("\x1b[38;5;196mA\x1b[48;5;244mB\x1b[38;2;1;2;3mC\x1b[0mD\n",
	      "<span style=\"color:#ff0000\">A</span>"
	      "<span style=\"color:#ff0000;background-color:#808080\">B</span>"
	      "<span style=\"color:#010203;background-color:#808080\">C</span>D\n", 1);
	check("\x1b[38;5;21ma\x1b[38;5;231mb\x1b[38;5;232mc\x1b[38;5;255md\x1b[48;5;16me",
	      "<span style=\"color:#0000ff\">a</span><span style=\"color:#ffffff\">b</span>"
	      "<span style=\"color:#080808\">c</span><span style=\"color:#eeeeee\">d</span>"
	      "<span style=\"color:#eeeeee;background-color:#000000\">e</span>", 1);
	/* palette entries 0-15 are the basic colours */
	check("\x1b[38;5;9;48;5;4mx", "<span class=\"ansi-fg-9 ansi-bg-4\">x</span>", 1);
	check("\x1b[1;31;48;2;0;0;255mQ",
	      "<span class=\"ansi-bold ansi-fg-1\" style=\"background-color:#0000ff\">Q</span>", 1);
	/* colon forms */
	check("\x1b[38:2::10:20:30mX\x1b[48:2:1:2:3mY\x1b[38:5:208;49mZ",
	      "<span style=\"color:#0a141e\">X</span>"
	      "<span style=\"color:#0a141e;background-color:#010203\">Y</span>"
	      "<span style=\"color:#ff8700\">Z</span>", 1);
	/* out of range or cut short: no colour; underline colour (58) consumed, ignored */
	check("\x1b[38;2;300;0;0mX\x1b[38;5mY\x1b[38;2;1m\x1b[58;2;4;0;0mU\x1b[58;5;4mV\x1b[38;5;99999mW",
	      "XYUVW", 1);
	check("\x1b[38;5;1;4mx", "<span class=\"ansi-underline ansi-fg-1\">x</span>", 1);
}

static void test_unclosed_colour(void **state)
{
	(void)state;
	check("\x1b[32mok\nstill", "<span class=\"ansi-fg-2\">ok</span>\n<span class=\"ansi-fg-2\">still</span>", 2);
	check("\x1b[1;38;2;9;9;9mbold", "<span class=\"ansi-bold\" style=\"color:#090909\">bold</span>", 1);
	check("\x1b[41m\n\nx\n", "\n\n<span class=\"ansi-bg-1\">x</span>\n", 3);
}

static void test_other_sequences_removed(void **state)
{
	(void)state;
	check("\x1b[2K\x1b[1A\x1b[10;20Hup\x1b[?25l\x1b]0;title\x07x"
	      "\x1b]8;;http://e.com/\x1b\\link\x1b]8;;\x1b\\\x1b(B\x1b" "7y\x1b[>4;2mz\x1bPdcs\x1b\\!\x1b[0 q\n",
	      "upxlinkyz!\n", 1);
	/* an OSC cut short by a newline or another ESC ends there */
	check("\x1b]0;title\nnext\x1b]2;t\x1b[1mB\n", "\nnext<span class=\"ansi-bold\">B</span>\n", 2);
	/* a CSI interrupted by a byte that cannot belong to it */
	check_n("\x1b[3\x00" "1mX\x1b[\xc3\xa9", 11, 0, "1mX\xc3\xa9", 1);
	check("a\x1b\x1b[1mb\x1b\nc", "a<span class=\"ansi-bold\">b</span>\n<span class=\"ansi-bold\">c</span>", 2);
}

static void test_escape_at_end(void **state)
{
	(void)state;
	check("abc\x1b", "abc", 1);
	check("abc\x1b[", "abc", 1);
	check("abc\x1b[1;3", "abc", 1);
	check("abc\x1b[1;3 ", "abc", 1);
	check("abc\x1b]0;title", "abc", 1);
	check("abc\x1b(", "abc", 1);
	check("\x1b[31mabc\x1b[", "<span class=\"ansi-fg-1\">abc</span>", 1);
	check("\x1b", "", 0);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* one U+FFFD per maximal ill-formed subpart */
	check("a\xff" "b\xc3(c\xe2\x82\n\xed\xa0\x80\xc0\xaf\xf4\x90\x80\x80\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\n",
	      "a" R "b" R "(c" R "\n" R R R R R R R R R "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\n", 2);
	check("\xe2\x82", R, 1);
	check("\xf0\x9f\x98", R, 1);
	check("<\x80>", "&lt;" R "&gt;", 1);
}

static void test_nul_and_control_bytes(void **state)
{
	(void)state;
	check_n("a\0b\0\n\0", 6, 0, "ab\n", 1);
	check_n("\0\0\0", 3, 0, "", 0);
	/* BEL, FF, DEL, C1 (U+009B, U+0085) dropped */
	check("\x07" "be\x0cll\x7f\tx\xc2\x9by\xc2\x85z\xc2\xa0\n", "bell\txyz\xc2\xa0\n", 1);
}

static void test_truncation(void **state)
{
	(void)state;
	const char *ten = "line 0\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nline 9\n";
	check_n(ten, 70, 30, "line 0\nline 1\n" CUT_OPEN "6 lines (42 bytes)" CUT_CLOSE "line 8\nline 9\n", 5);
	check_n(ten, 70, 0, ten, 10);
	check_n(ten, 70, 70, ten, 10);
	check_n(ten, 70, 69, "line 0\nline 1\nline 2\nline 3\n" CUT_OPEN "2 lines (14 bytes)" CUT_CLOSE
		"line 6\nline 7\nline 8\nline 9\n", 9);
	check_n(ten, 70, 1, CUT_OPEN "10 lines (70 bytes)" CUT_CLOSE, 1);
	/* the colour set in the omitted part holds after it */
	check_n("a\n\x1b[32mb\nc\nd\ne\n", 15, 8, "a\n" CUT_OPEN "2 lines (9 bytes)" CUT_CLOSE
		"<span class=\"ansi-fg-2\">d</span>\n<span class=\"ansi-fg-2\">e</span>\n", 4);
	/* no line boundary: after a \r, else between characters */
	check_n("p1\rp2\rp3\rp4\rp5\rp6\n", 18, 8, "p1\n" CUT_OPEN "1 line (12 bytes)" CUT_CLOSE "p6\n", 3);
	check_n("abcdefghij", 10, 4, "ab\n" CUT_OPEN "1 line (6 bytes)" CUT_CLOSE "ij", 3);
	check_n("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 10, 6,
		"\xc3\xa9\n" CUT_OPEN "1 line (6 bytes)" CUT_CLOSE "\xc3\xa9", 3);
	check_n("x\nabcdefghijklmnopqrstuvwxyz", 28, 8, "x\n" CUT_OPEN "1 line (22 bytes)" CUT_CLOSE "wxyz", 3);
}

static void test_long_progress_line(void **state)
{
	(void)state;
	struct buf in = BUF_INIT, out = BUF_INIT;
	for (size_t i = 0; in.len < 10u << 20; i++)
		buf_printf(&in, "%6zu/100000 [%.*s>%.*s] - loss: 0.%04zu\r", i, (int)(i % 30),
			   "==============================", (int)(29 - i % 30), ".............................",
			   i % 10000);
	const char *last = "100000/100000 [==============================] - loss: 0.0999\n";
	buf_puts(&in, last);
	assert_int_equal(console_html(&out, in.data, in.len, NULL), 1);
	assert_string_equal(out.data, last);
	/* one 10 MB line without \r, then 10 MB of backspaces over it */
	buf_reset(&in);
	buf_reset(&out);
	for (size_t i = 0; i < 5u << 20; i++)
		buf_add(&in, "a<", 2);
	buf_add(&in, "\x1b[31m", 5);
	size_t n = in.len - 5;
	buf_grow(&in, n);
	memset(in.data + in.len, '\b', n);
	in.len += n;
	buf_add(&in, "ok\n", 3);
	assert_int_equal(console_html(&out, in.data, in.len, NULL), 1);
	assert_string_equal(out.data, "<span class=\"ansi-fg-1\">ok</span>\n");
	buf_free(&in);
	buf_free(&out);
}

/* Random bytes from an alphabet of troublemakers: the output is always safe and spans
 * always balanced, with and without cutting. */
static void test_random_input_stays_safe(void **state)
{
	(void)state;
	static const char alpha[] = "\x1b\x1b\x1b[[]];;;:3845210mmK\r\r\n\n\b\a\\a<&\"\0\xc3\xa9\xff\xe2\x80\t(P";
	uint32_t seed = 12345;
	char *in = malloc(1 << 16);
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t)round * 300 + 1;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = alpha[(seed >> 16) % (sizeof alpha - 1)];
		}
		struct buf b = BUF_INIT;
		struct console_opts o = { round % 3 ? 0 : (size_t)round * 37 };
		size_t lines = console_html(&b, in, n, &o);
		check_safe(b.data ? b.data : "", b.len);
		size_t nl = 0;
		for (size_t i = 0; i < b.len; i++)
			nl += b.data[i] == '\n';
		assert_true(lines == nl || lines == nl + 1);
		buf_free(&b);
	}
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_escaped),
		cmocka_unit_test(test_script_end_tag),
		cmocka_unit_test(test_keras_progress),
		cmocka_unit_test(test_carriage_returns),
		cmocka_unit_test(test_backspace),
		cmocka_unit_test(test_bold_red_reset),
		cmocka_unit_test(test_256_and_truecolor),
		cmocka_unit_test(test_unclosed_colour),
		cmocka_unit_test(test_other_sequences_removed),
		cmocka_unit_test(test_escape_at_end),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_nul_and_control_bytes),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_long_progress_line),
		cmocka_unit_test(test_random_input_stays_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
