/* html.c: the one writer of page bytes: text, attributes, URLs and script-safe JSON */
#include "html.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

void html_text(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\0': rep = ""; break;
		default: continue;
		}
		buf_add(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_add(out, s + start, n - start);
}

void html_textz(struct buf *out, const char *s) { html_text(out, s, strlen(s)); }

/* The scheme of url in lower case (empty when relative), ignoring leading blanks and
 * the control characters browsers skip. */
static size_t scheme_of(const char *url, char *scheme, size_t cap)
{
	size_t k = 0;
	const char *p = url;
	while (*p && (unsigned char)*p <= ' ')
		p++;
	for (; *p && *p != ':' && *p != '/' && *p != '?' && *p != '#'; p++)
		if ((unsigned char)*p > ' ' && k + 1 < cap)
			scheme[k++] = (char)tolower((unsigned char)*p);
	scheme[k] = '\0';
	return *p == ':' ? k : 0;
}

static int url_allowed(const char *url)
{
	char scheme[32];
	if (!scheme_of(url, scheme, sizeof scheme))
		return 1; /* relative */
	if (!strcmp(scheme, "http") || !strcmp(scheme, "https"))
		return 1;
	if (strcmp(scheme, "data"))
		return 0;
	static const char *const images[] = { "image/png", "image/jpeg", "image/gif", "image/webp",
					      "image/svg+xml", NULL };
	const char *type = strchr(url, ':') + 1;
	for (int i = 0; images[i]; i++) {
		size_t k = strlen(images[i]);
		if (!strncasecmp(type, images[i], k) && (type[k] == ';' || type[k] == ','))
			return 1;
	}
	return 0;
}

int html_url(struct buf *out, const char *url)
{
	if (!url_allowed(url)) {
		buf_putc(out, '#');
		return -1;
	}
	html_textz(out, url);
	return 0;
}

void html_json(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		size_t skip = 1;
		if (s[i] == '<')
			rep = "\\u003c";
		else if (s[i] == '>')
			rep = "\\u003e";
		else if (s[i] == '&')
			rep = "\\u0026";
		else if ((unsigned char)s[i] == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			 ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
			rep = (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
			skip = 3;
		}
		if (!rep)
			continue;
		buf_add(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + skip;
		i += skip - 1;
	}
	buf_add(out, s + start, n - start);
}

void html_raw(struct buf *out, const char *s) { buf_puts(out, s); }

int html_safe_in_script(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '<')
			continue;
		if (i + 8 <= n && !strncasecmp(s + i, "</script", 8))
			return 0;
		if (i + 4 <= n && !strncmp(s + i, "<!--", 4))
			return 0;
	}
	return 1;
}
