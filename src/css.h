/* css.h: a CSS scanner that rewrites the URLs a style sheet could load, byte for byte otherwise */
#ifndef TF_CSS_H
#define TF_CSS_H
#include <stddef.h>
#include "buf.h"

/* Called with each URL found (decoded, NUL-terminated); returns the URL to write in its place
 * (allocated with malloc, freed by css_scan), or NULL to write "none". */
typedef char *(*css_url_fn)(void *ctx, const char *url);

/* Scans the CSS text s[0..n) (a style sheet, a <style> element's text or a declaration list
 * such as a style= value), calls fn(ctx, url) on every URL a browser could load from it, and
 * appends to out (if not NULL: with out NULL the scan only calls fn) a copy of s that is
 * byte for byte the same except for those URLs. The URLs are:
 * - url(...) tokens, quoted or not ("url" in any case, CSS escapes allowed in the name);
 *   a bad url( runs to the next ')', as browsers read it;
 * - the first quoted string after @import, unless a url(), ';', '{' or '}' comes first;
 * - quoted strings directly inside image-set(), image(), cross-fade() and their -webkit-
 *   forms (not inside a function or parentheses nested within them), and every quoted
 *   string inside 64 or more open parentheses.
 * The url passed to fn has quotes removed and CSS escapes decoded (\XX hex escapes as UTF-8,
 * NUL, surrogates and values over 0x10FFFF as U+FFFD; escaped newlines in strings dropped).
 * If fn returns a string equal to url, the token is copied as it was; otherwise it becomes
 * url("R") with control characters, DEL, '"', '\', '<' and '>' of R written as hex escapes
 * ("\22 "), or "none" when fn returns NULL. Comments are copied and never scanned; an
 * unterminated comment or string runs to the end of s (or the string to its line's end). */
void css_scan(const char *s, size_t n, css_url_fn fn, void *ctx, struct buf *out);

/* The value of the hex digit c (0-9, a-f, A-F; anything else gives a meaningless number). */
int css_hexval(int c);

#endif
