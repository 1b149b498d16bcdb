/* css.c: a CSS scanner that rewrites the URLs a style sheet could load, byte for byte otherwise */
#include "css.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int css_hexval(int c) { return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10; }

struct css {
	const char *s;
	size_t n, i;
	css_url_fn fn;
	void *ctx;
	struct buf *out;        /* NULL when only looking */
};

static int css_name(unsigned char c) { return isalnum(c) || c == '-' || c == '_' || c >= 0x80; }

static int css_newline(char c) { return c == '\n' || c == '\r' || c == '\f'; }

static int css_escape_at(const struct css *c)
{
	return c->i + 1 < c->n && c->s[c->i] == '\\' && !css_newline(c->s[c->i + 1]);
}

static void put_utf8(struct buf *b, unsigned long cp)
{
	if (!cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (char)(0xC0 | cp >> 6));
		buf_putc(b, (char)(0x80 | (cp & 63)));
	} else if (cp < 0x10000) {
		buf_putc(b, (char)(0xE0 | cp >> 12));
		buf_putc(b, (char)(0x80 | (cp >> 6 & 63)));
		buf_putc(b, (char)(0x80 | (cp & 63)));
	} else {
		buf_putc(b, (char)(0xF0 | cp >> 18));
		buf_putc(b, (char)(0x80 | (cp >> 12 & 63)));
		buf_putc(b, (char)(0x80 | (cp >> 6 & 63)));
		buf_putc(b, (char)(0x80 | (cp & 63)));
	}
}

/* Decodes the escape at c->i (a backslash not before a newline) into b. */
static void css_escape(struct css *c, struct buf *b)
{
	unsigned long cp = 0;
	int k = 0;
	c->i++;
	while (k < 6 && c->i < c->n && isxdigit((unsigned char)c->s[c->i])) {
		cp = cp * 16 + (unsigned long)css_hexval((unsigned char)c->s[c->i++]);
		k++;
	}
	if (!k) {
		buf_putc(b, c->s[c->i++]);
		return;
	}
	if (c->i < c->n && (isspace((unsigned char)c->s[c->i])))
		c->i += c->s[c->i] == '\r' && c->i + 1 < c->n && c->s[c->i + 1] == '\n' ? 2 : 1;
	put_utf8(b, cp);
}

/* An identifier (escapes decoded, ASCII lower-cased) into b. */
static void css_ident(struct css *c, struct buf *b)
{
	while (c->i < c->n) {
		if (css_escape_at(c))
			css_escape(c, b);
		else if (css_name((unsigned char)c->s[c->i]))
			buf_putc(b, (char)tolower((unsigned char)c->s[c->i++]));
		else
			break;
	}
}

/* A quoted string at c->i, decoded into b. */
static void css_string(struct css *c, struct buf *b)
{
	char q = c->s[c->i++];
	buf_puts(b, "");
	while (c->i < c->n && c->s[c->i] != q && !css_newline(c->s[c->i])) {
		if (c->s[c->i] != '\\')
			buf_putc(b, c->s[c->i++]);
		else if (c->i + 1 >= c->n)
			c->i++;
		else if (css_newline(c->s[c->i + 1]))
			c->i += c->s[c->i + 1] == '\r' && c->i + 2 < c->n && c->s[c->i + 2] == '\n' ? 3 : 2;
		else
			css_escape(c, b);
	}
	if (c->i < c->n && c->s[c->i] == q)
		c->i++;
}

/* Writes url("...") for the replacement of url (the token from start as it was if url stays),
 * or none. */
static void css_replace(struct css *c, const char *url, size_t start)
{
	char *r = c->fn(c->ctx, url);
	if (c->out && r && !strcmp(r, url)) {
		buf_add(c->out, c->s + start, c->i - start);
		free(r);
		return;
	}
	if (c->out && !r)
		buf_puts(c->out, "none");
	if (c->out && r) {
		buf_puts(c->out, "url(\"");
		for (const char *p = r; *p; p++) {
			unsigned char ch = (unsigned char)*p;
			if (ch < ' ' || ch == 0x7f || ch == '"' || ch == '\\' || ch == '<' || ch == '>')
				buf_printf(c->out, "\\%x ", ch);
			else
				buf_putc(c->out, (char)ch);
		}
		buf_puts(c->out, "\")");
	}
	free(r);
}

static void css_skip_space(struct css *c)
{
	while (c->i < c->n && isspace((unsigned char)c->s[c->i]))
		c->i++;
}

/* url( at c->i (the token began at start), quoted or not, through to its ')'. */
static void css_url(struct css *c, size_t start)
{
	struct buf v = BUF_INIT;
	buf_puts(&v, "");
	c->i++;
	css_skip_space(c);
	if (c->i < c->n && (c->s[c->i] == '"' || c->s[c->i] == '\''))
		css_string(c, &v);
	while (c->i < c->n && c->s[c->i] != ')' && !isspace((unsigned char)c->s[c->i])) {
		if (css_escape_at(c))
			css_escape(c, &v);
		else
			buf_putc(&v, c->s[c->i++]);
	}
	while (c->i < c->n && c->s[c->i] != ')')  /* a bad url: browsers skip to ')' */
		c->i++;
	if (c->i < c->n)
		c->i++;
	css_replace(c, v.data, start);
	buf_free(&v);
}

static int css_image_fn(const char *name)
{
	static const char *const fns[] = { "image-set", "-webkit-image-set", "image", "-webkit-image",
					   "cross-fade", "-webkit-cross-fade", NULL };
	for (int i = 0; fns[i]; i++)
		if (!strcmp(name, fns[i]))
			return 1;
	return 0;
}

/* An identifier, at-keyword or function at c->i; *depth and *bits track open parentheses
 * (bit d: strings at depth d are URLs), *import an @import awaiting its URL. */
static void css_word(struct css *c, int *depth, unsigned long long *bits, int *import)
{
	size_t start = c->i;
	int at = c->s[c->i] == '@';
	struct buf name = BUF_INIT;
	buf_puts(&name, "");
	c->i += at;
	css_ident(c, &name);
	if (at && !strcmp(name.data, "import"))
		*import = 1;
	if (!at && c->i < c->n && c->s[c->i] == '(' && !strcmp(name.data, "url")) {
		css_url(c, start);
		*import = 0;
		buf_free(&name);
		return;
	}
	if (!at && c->i < c->n && c->s[c->i] == '(') {
		c->i++;
		if (++*depth < 64)
			*bits = css_image_fn(name.data) ? *bits | 1ULL << *depth
							 : *bits & ~(1ULL << *depth);
	}
	if (c->i == start)  /* a lone '@' */
		c->i++;
	if (c->out)
		buf_add(c->out, c->s + start, c->i - start);
	buf_free(&name);
}

/* A quoted string: a URL after @import and inside image-set() and the like. */
static void css_quoted(struct css *c, int depth, unsigned long long bits, int *import)
{
	size_t start = c->i;
	struct buf v = BUF_INIT;
	css_string(c, &v);
	if (*import || depth >= 64 || (bits >> depth & 1))
		css_replace(c, v.data, start);
	else if (c->out)
		buf_add(c->out, c->s + start, c->i - start);
	*import = 0;
	buf_free(&v);
}

/* Copies css to out (if not NULL), passing every URL it could load through fn (css.h). */
void css_scan(const char *s, size_t n, css_url_fn fn, void *ctx, struct buf *out)
{
	struct css c = { s, n, 0, fn, ctx, out };
	int depth = 0, import = 0;
	unsigned long long bits = 0;
	while (c.i < c.n) {
		size_t start = c.i;
		char ch = s[c.i];
		if (ch == '/' && c.i + 1 < n && s[c.i + 1] == '*') {
			const char *end = memmem(s + c.i + 2, n - c.i - 2, "*/", 2);
			c.i = end ? (size_t)(end - s) + 2 : n;
		} else if (ch == '"' || ch == '\'') {
			css_quoted(&c, depth, bits, &import);
			continue;
		} else if (ch == '@' || css_name((unsigned char)ch) || css_escape_at(&c)) {
			css_word(&c, &depth, &bits, &import);
			continue;
		} else {
			if (ch == '(' && ++depth < 64)
				bits &= ~(1ULL << depth);
			if (ch == ')' && depth > 0)
				depth--;
			if (ch == ';' || ch == '{' || ch == '}')
				import = 0;
			c.i++;
		}
		if (out)
			buf_add(out, s + start, c.i - start);
	}
}
