/* console.c: a run's captured terminal output as safe HTML for a <pre> element */
#include "console.h"
#include "html.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A style packed in 64 bits: 4 attribute bits, then the foreground and the background
 * colour in 26 bits each: 0 default, COL_BASIC | n (n 0-15) or COL_RGB | 0xrrggbb. */
typedef uint64_t style_t;
#define ST_ATTRS 4
#define ST_BOLD 1u
#define ST_FAINT 2u
#define ST_ITALIC 4u
#define ST_UNDERLINE 8u
#define COL_BITS 26
#define COL_MASK ((1u << COL_BITS) - 1)
#define COL_BASIC (1u << 24)
#define COL_RGB (2u << 24)

/* The current line holds UTF-8 text (no control characters but \t) and style marks:
 * MK_START, 16 bytes 0x10-0x1f (the nibbles of a style_t), MK_END. Marks are written
 * only before text and never two in a row, so backspace finds the last character in O(1). */
#define MK_START 0x01
#define MK_END 0x02
#define MK_LEN 18
#define SGR_MAX 32

struct term {
	struct buf *out;
	struct buf line;     /* the current line since its last \r */
	style_t style;       /* the SGR state */
	style_t line_style;  /* the style at the end of line (0 at its start) */
	size_t lines;
	style_t tag_style;   /* the style of tag, the last <span> opened */
	char tag[200];
};

static const char *const attr_class[ST_ATTRS] = { "ansi-bold", "ansi-faint", "ansi-italic",
						  "ansi-underline" };

/* --- styles ------------------------------------------------------------------------ */

static uint32_t style_colour(style_t st, int bg)
{
	return (uint32_t)(st >> (ST_ATTRS + (bg ? COL_BITS : 0))) & COL_MASK;
}

static void style_set_colour(style_t *st, int bg, uint32_t c)
{
	int shift = ST_ATTRS + (bg ? COL_BITS : 0);
	*st = (*st & ~((style_t)COL_MASK << shift)) | (style_t)c << shift;
}

/* Entry n (16-255) of the xterm 256-colour palette as 0xrrggbb. */
static uint32_t palette_rgb(unsigned n)
{
	static const unsigned char level[6] = { 0, 95, 135, 175, 215, 255 };
	if (n >= 232) {
		uint32_t g = 8 + 10 * (n - 232);
		return g << 16 | g << 8 | g;
	}
	n -= 16;
	return (uint32_t)level[n / 36] << 16 | (uint32_t)level[n / 6 % 6] << 8 | level[n % 6];
}

/* A code of an SGR sequence without arguments. */
static void sgr_code(style_t *st, int c)
{
	if (c == 0)
		*st = 0;
	else if (c >= 1 && c <= 4)
		*st |= 1u << (c - 1);
	else if (c == 22)
		*st &= ~(style_t)(ST_BOLD | ST_FAINT);
	else if (c == 23)
		*st &= ~(style_t)ST_ITALIC;
	else if (c == 24)
		*st &= ~(style_t)ST_UNDERLINE;
	else if (c == 39 || c == 49)
		style_set_colour(st, c == 49, 0);
	else if ((c >= 30 && c <= 37) || (c >= 40 && c <= 47))
		style_set_colour(st, c >= 40, COL_BASIC | (uint32_t)(c % 10));
	else if ((c >= 90 && c <= 97) || (c >= 100 && c <= 107))
		style_set_colour(st, c >= 100, COL_BASIC | (uint32_t)(c % 10 + 8));
}

/* The arguments a (na of them) after 38, 48 or 58 (underline colour, ignored): 5;N or
 * 2;R;G;B, in the colon form also 2:CS:R:G:B. Returns how many it uses. */
static size_t sgr_extended(style_t *st, int code, const int *a, size_t na, int colon)
{
	uint32_t c;
	size_t used;
	if (na == 0)
		return 0;
	if (a[0] == 5) {
		if (na < 2 || a[1] > 255)
			return na < 2 ? na : 2;
		c = a[1] < 16 ? COL_BASIC | (uint32_t)a[1] : COL_RGB | palette_rgb((unsigned)a[1]);
		used = 2;
	} else if (a[0] == 2) {
		const int *rgb = colon && na >= 5 ? a + 2 : a + 1;
		used = (size_t)(rgb - a) + 3;
		if (na < used || rgb[0] > 255 || rgb[1] > 255 || rgb[2] > 255)
			return na < used ? na : used;
		c = COL_RGB | (uint32_t)rgb[0] << 16 | (uint32_t)rgb[1] << 8 | (uint32_t)rgb[2];
	} else {
		return 1;
	}
	if (code != 58)
		style_set_colour(st, code == 48, c);
	return used;
}

/* Applies the parameters p (n bytes, only digits ; and :) of an SGR sequence. */
static void sgr_apply(style_t *st, const char *p, size_t n)
{
	int v[SGR_MAX], cur = 0, joined = 0;
	unsigned char colon[SGR_MAX];
	size_t nv = 0, k = 0, g;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && p[i] >= '0' && p[i] <= '9') {
			cur = cur < 10000 ? cur * 10 + (p[i] - '0') : cur;
			continue;
		}
		if (nv < SGR_MAX) {
			v[nv] = cur;
			colon[nv++] = (unsigned char)joined;
		}
		joined = i < n && p[i] == ':';
		cur = 0;
	}
	for (; k < nv; k += g) {
		for (g = 1; k + g < nv && colon[k + g]; g++)
			;
		if (v[k] == 38 || v[k] == 48 || v[k] == 58) {
			if (g > 1)
				sgr_extended(st, v[k], v + k + 1, g - 1, 1);
			else
				g += sgr_extended(st, v[k], v + k + 1, nv - k - 1, 0);
		} else if (g == 1) {
			sgr_code(st, v[k]);
		} else if (v[k] == 4) { /* 4:0 no underline, 4:1-5 underline styles */
			sgr_code(st, v[k + 1] == 0 ? 24 : 4);
		}
	}
}

/* --- escape sequences -------------------------------------------------------------- */

/* The length of the CSI sequence at s ("ESC ["); *sgr set when it is SGR. A byte that
 * cannot be part of it ends it early, unconsumed. */
static size_t csi_len(const char *s, size_t n, int *sgr)
{
	size_t i = 2, params;
	int plain = 1;
	for (; i < n && s[i] >= 0x30 && s[i] <= 0x3f; i++)
		plain &= (s[i] >= '0' && s[i] <= '9') || s[i] == ';' || s[i] == ':';
	params = i;
	while (i < n && s[i] >= 0x20 && s[i] <= 0x2f)
		i++;
	if (i >= n || s[i] < 0x40 || s[i] > 0x7e)
		return i;
	*sgr = plain && params == i && s[i] == 'm';
	return i + 1;
}

/* The length of the string sequence at s (OSC, DCS, SOS, PM, APC) up to BEL or ST; ESC or
 * a newline inside ends it early, unconsumed. */
static size_t string_len(const char *s, size_t n)
{
	for (size_t i = 2; i < n; i++) {
		if (s[i] == '\a')
			return i + 1;
		if (s[i] == 0x1b)
			return i + 1 < n && s[i + 1] == '\\' ? i + 2 : i;
		if (s[i] == '\n')
			return i;
	}
	return n;
}

/* The length of the escape sequence at s (s[0] is ESC, n >= 1); *sgr set for SGR. */
static size_t esc_len(const char *s, size_t n, int *sgr)
{
	size_t i = 1;
	*sgr = 0;
	if (n < 2)
		return n;
	if (s[1] == '[')
		return csi_len(s, n, sgr);
	if (s[1] && strchr("]PX^_", s[1]))
		return string_len(s, n);
	while (i < n && s[i] >= 0x20 && s[i] <= 0x2f)
		i++;
	return i < n && s[i] >= 0x30 && s[i] <= 0x7e ? i + 1 : i;
}

/* Applies the SGR sequences in s (n bytes) to *st, writing nothing. */
static void style_scan(style_t *st, const char *s, size_t n)
{
	const char *e;
	while ((e = memchr(s, 0x1b, n))) {
		int sgr;
		size_t k = esc_len(e, n - (size_t)(e - s), &sgr);
		if (sgr)
			sgr_apply(st, e + 2, k - 3);
		n -= (size_t)(e - s) + k;
		s = e + k;
	}
}

/* --- UTF-8 ------------------------------------------------------------------------- */

/* The code point at s (n >= 1 bytes), *len its length; -1 for ill-formed UTF-8, *len then
 * the length of the maximal ill-formed subpart (at least 1). */
static long utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t need;
	long cp;
	*len = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, cp = c & 0x0f, lo = c == 0xe0 ? 0xa0 : lo, hi = c == 0xed ? 0x9f : hi;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, cp = c & 0x07, lo = c == 0xf0 ? 0x90 : lo, hi = c == 0xf4 ? 0x8f : hi;
	else
		return -1;
	for (size_t k = 1; k <= need; k++, lo = 0x80, hi = 0xbf) {
		if (k >= n || s[k] < lo || s[k] > hi) {
			*len = k;
			return -1;
		}
		cp = cp << 6 | (s[k] & 0x3f);
	}
	*len = need + 1;
	return cp;
}

/* The length of the run of printable, well-formed text at s (up to a control byte, C1
 * control or ill-formed UTF-8); *bad is the length of a C1 control or ill-formed part
 * that ends it (0 for none), *ill set for the latter. */
static size_t text_run(const unsigned char *s, size_t n, size_t *bad, int *ill)
{
	size_t i = 0, k;
	*bad = 0;
	while (i < n) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			i++;
			continue;
		}
		if (s[i] < 0x80)
			break;
		long cp = utf8_decode(s + i, n - i, &k);
		if (cp < 0xa0) {
			*bad = k;
			*ill = cp < 0;
			break;
		}
		i += k;
	}
	return i;
}

/* --- the current line -------------------------------------------------------------- */

static int line_ends_in_mark(const struct buf *l)
{
	return l->len >= MK_LEN && l->data[l->len - 1] == MK_END;
}

static void line_text(struct term *t, const char *s, size_t n)
{
	if (t->style != t->line_style) {
		char mk[MK_LEN];
		mk[0] = MK_START;
		for (int i = 0; i < 16; i++)
			mk[1 + i] = (char)(0x10 | (t->style >> (60 - 4 * i) & 0xf));
		mk[MK_LEN - 1] = MK_END;
		if (line_ends_in_mark(&t->line))
			t->line.len -= MK_LEN;
		buf_add(&t->line, mk, MK_LEN);
		t->line_style = t->style;
	}
	buf_add(&t->line, s, n);
}

/* Deletes the last character; a mark after it stays, one before it gives way. */
static void line_backspace(struct term *t)
{
	struct buf *l = &t->line;
	size_t mark = line_ends_in_mark(l) ? MK_LEN : 0, end = l->len - mark, s;
	if (end == 0)
		return;
	for (s = end - 1; s > 0 && ((unsigned char)l->data[s] & 0xc0) == 0x80; s--)
		;
	memmove(l->data + s, l->data + end, mark);
	l->len = s + mark;
	if (mark && s >= MK_LEN && l->data[s - 1] == MK_END) {
		memmove(l->data + s - MK_LEN, l->data + s, MK_LEN);
		l->len -= MK_LEN;
	}
	l->data[l->len] = '\0';
}

static void line_restart(struct term *t)
{
	buf_reset(&t->line);
	t->line_style = 0;
}

/* A fragment of a tag, built here from the program's own strings and numbers. */
struct frag {
	char s[200];
	size_t n;
};

__attribute__((format(printf, 2, 3))) static void frag_add(struct frag *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(f->s + f->n, sizeof f->s - f->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		f->n += (size_t)k;
}

static void colour_frag(uint32_t c, const char *kind, const char *prop, struct frag *cls,
			struct frag *css)
{
	if (c & COL_BASIC)
		frag_add(cls, " ansi-%s-%u", kind, (unsigned)(c & 0xf));
	else if (c & COL_RGB)
		frag_add(css, ";%s:#%06x", prop, (unsigned)(c & 0xffffff));
}

/* Writes the opening tag for st (not 0), built once for a run of the same style. */
static void span_open(struct term *t, style_t st)
{
	if (st != t->tag_style) {
		struct frag cls = { "", 0 }, css = { "", 0 }, tag = { "", 0 };
		for (int i = 0; i < ST_ATTRS; i++)
			if (st >> i & 1)
				frag_add(&cls, " %s", attr_class[i]);
		colour_frag(style_colour(st, 0), "fg", "color", &cls, &css);
		colour_frag(style_colour(st, 1), "bg", "background-color", &cls, &css);
		frag_add(&tag, "<span");
		if (cls.n)
			frag_add(&tag, " class=\"%s\"", cls.s + 1);
		if (css.n)
			frag_add(&tag, " style=\"%s\"", css.s + 1);
		frag_add(&tag, ">");
		memcpy(t->tag, tag.s, tag.n + 1);
		t->tag_style = st;
	}
	html_raw(t->out, t->tag);
}

static style_t mark_decode(const char *m)
{
	style_t st = 0;
	for (int i = 1; i <= 16; i++)
		st = st << 4 | ((unsigned char)m[i] & 0xf);
	return st;
}

/* Writes the line s (n bytes, with marks); 1 if it showed any text. */
static int line_render(struct term *t, const char *s, size_t n)
{
	struct buf *out = t->out;
	style_t want = 0, open = 0;
	int text = 0;
	for (size_t i = 0; i < n;) {
		const char *m = memchr(s + i, MK_START, n - i);
		size_t e = m ? (size_t)(m - s) : n;
		if (e > i) {
			if (want != open && open)
				html_raw(out, "</span>");
			if (want != open && want)
				span_open(t, want);
			open = want;
			html_text(out, s + i, e - i);
			text = 1;
		}
		if (!m)
			break;
		want = mark_decode(m);
		i = e + MK_LEN;
	}
	if (open)
		html_raw(out, "</span>");
	return text;
}

static void line_end(struct term *t, int newline)
{
	int text = line_render(t, t->line.data, t->line.len);
	if (newline)
		html_raw(t->out, "\n");
	t->lines += newline || text;
	line_restart(t);
}

/* --- the input --------------------------------------------------------------------- */

/* \r: a newline when only more \r come before \n, or when it ends the input. */
static size_t carriage_return(struct term *t, const char *s, size_t n)
{
	size_t k = 1;
	while (k < n && s[k] == '\r')
		k++;
	if (k < n && s[k] != '\n')
		line_restart(t);
	return k;
}

static size_t control(struct term *t, const char *s, size_t n)
{
	int sgr;
	size_t k;
	switch (s[0]) {
	case '\n': line_end(t, 1); return 1;
	case '\t': line_text(t, "\t", 1); return 1;
	case '\b': line_backspace(t); return 1;
	case '\r': return carriage_return(t, s, n);
	case 0x1b:
		k = esc_len(s, n, &sgr);
		if (sgr)
			sgr_apply(&t->style, s + 2, k - 3);
		return k;
	default: return 1;
	}
}

static void feed(struct term *t, const char *s, size_t n)
{
	for (size_t i = 0, k, bad; i < n; i += k + bad) {
		unsigned char c = (unsigned char)s[i];
		int ill = 0;
		if (c < 0x20 || c == 0x7f) {
			k = control(t, s + i, n - i);
			bad = 0;
			continue;
		}
		k = text_run((const unsigned char *)s + i, n - i, &bad, &ill);
		if (k)
			line_text(t, s + i, k);
		if (ill) /* else a C1 control, dropped */
			line_text(t, "\xef\xbf\xbd", 3);
	}
}

/* --- cutting ----------------------------------------------------------------------- */

/* Where the kept head ends: after the last \n in s[0, half), else after the last \r,
 * else between two UTF-8 characters. */
static size_t head_cut(const char *s, size_t half)
{
	for (const char *brk = "\n\r"; *brk; brk++)
		for (size_t i = half; i > 0; i--)
			if (s[i - 1] == *brk)
				return i;
	while (half > 0 && ((unsigned char)s[half] & 0xc0) == 0x80)
		half--;
	return half;
}

/* Where the kept tail starts: after the first \n in s[len - half - 1, len - 1), else
 * after the first \r, else between two UTF-8 characters. */
static size_t tail_cut(const char *s, size_t len, size_t half)
{
	size_t from = len - half;
	for (const char *brk = "\n\r"; *brk; brk++)
		for (size_t i = from; i < len; i++)
			if (s[i - 1] == *brk)
				return i;
	while (from < len && ((unsigned char)s[from] & 0xc0) == 0x80)
		from++;
	return from;
}

static void omitted_line(struct term *t, const char *s, size_t n)
{
	size_t lines = 0;
	char note[128];
	for (const char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s))); p++)
		lines++;
	if (n && s[n - 1] != '\n')
		lines++;
	snprintf(note, sizeof note, "\xe2\x80\xa6 %zu line%s (%zu byte%s) not shown \xe2\x80\xa6",
		 lines, lines == 1 ? "" : "s", n, n == 1 ? "" : "s");
	html_raw(t->out, "<span class=\"console-omitted\">");
	html_textz(t->out, note);
	html_raw(t->out, "</span>\n");
	t->lines++;
}

size_t console_html(struct buf *out, const char *text, size_t len, const struct console_opts *o)
{
	struct term t = { out, BUF_INIT, 0, 0, 0, 0, "" };
	size_t max = o ? o->max_bytes : 0;
	if (!max || len <= max) {
		feed(&t, text, len);
	} else {
		size_t head = head_cut(text, max / 2), tail = tail_cut(text, len, max / 2);
		feed(&t, text, head);
		if (t.line.len)
			line_end(&t, 1);
		style_scan(&t.style, text + head, tail - head);
		omitted_line(&t, text + head, tail - head);
		feed(&t, text + tail, len - tail);
	}
	if (t.line.len)
		line_end(&t, 0);
	buf_free(&t.line);
	return t.lines;
}
