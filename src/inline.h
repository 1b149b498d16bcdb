/* inline.h: libxml2: a run's HTML artifacts made self-contained; checks of generated pages */
#ifndef TF_INLINE_H
#define TF_INLINE_H
#include <stddef.h>
#include "buf.h"

/* Reads the HTML file at path (inside the run directory run_root; both are paths on disk) with
 * libxml2's HTML parser and appends to out a self-contained HTML document (UTF-8, starting
 * "<!DOCTYPE html>"), meant for an iframe's srcdoc (the caller escapes it with html_text):
 * - <script src=REL> becomes an inline <script> holding the file's text (src and integrity
 *   removed); refused (element removed) if the text holds "</script" in any case, or both
 *   "<!--" and "<script" (which make a browser read past the end tag);
 * - <link rel=stylesheet href=REL> becomes <style> (keeping media) with the file's text, its
 *   url()s resolved from the CSS file's directory; refused if it holds "</style";
 * - <img src>, <input src>, <source src>, <video poster>, srcset candidates, SVG <image href>
 *   and url() / image-set() strings in CSS (<style>, style= and SVG paint attributes such as
 *   fill= and clip-path=) become data: URIs: png, jpeg, gif, svg+xml, webp (and woff, woff2,
 *   ttf, otf fonts) by extension; data:image/ URIs stay, url(#id) stays;
 * - REL is a relative URL (query and fragment ignored, %XX decoded) whose target's realpath
 *   lies under realpath(run_root) + "/" ("../" is fine while it stays inside); absolute paths,
 *   symlinks out of the run, a scheme (http:, file:, data: other than data:image/,
 *   javascript: ...) or a host (//host, \\host) are never read: the attribute is removed (a
 *   CSS url() becomes "none");
 * - removed outright: <base>, <meta http-equiv=refresh>, meta charsets, <link> other than
 *   inlined stylesheets, <iframe>/<frame>/<object>/<embed>/<applet>/<portal> with any
 *   src/srcdoc/data/code, form actions, ping=, background= and the like, comments and
 *   processing instructions, <script>/<style> inside <svg>/<math> holding "<";
 *   <a href> and <area href> stay (http:, https:, mailto:, relative, #) but are not followed;
 *   other schemes (javascript:) are removed;
 * - a <meta http-equiv=Content-Security-Policy> that allows only inline scripts and styles and
 *   data:/blob: images, fonts and media (no connect, no frames, no forms) opens <head>, so
 *   that scripts in the artifact cannot fetch anything either;
 * - referenced files are inlined while their total stays within max_bytes (the HTML file
 *   itself may be max_bytes too); the rest are removed.
 * Removed references give one warning via tf_warn(path, 0, 0, ...) summarising the counts by
 * reason, with the first reference of each.
 * Returns 0, or -1 with one warning printed (out unchanged) when path cannot be read (or is
 * larger than max_bytes), is not HTML libxml2 can parse (e.g. empty), or run_root cannot be
 * resolved. */
int inline_html(struct buf *out, const char *path, const char *run_root, size_t max_bytes);

/* Checks a generated page: parses html (len bytes) with libxml2's HTML parser and returns the
 * number of problems, appending one line per problem to report ("line N: ..."):
 * - parse errors (level >= XML_ERR_ERROR), except two that are libxml2's HTML 4 view, not
 *   errors in HTML5: unknown tags (XML_HTML_UNKNOWN_TAG: nav, main, svg, template ...) and
 *   "Element script embeds close tag" ("</div>" inside a script);
 * - external references: a URL with a scheme other than data: (http:, https:, file:, ftp:,
 *   javascript: ...) or a host (//host) in src, href, xlink:href, action, formaction, poster,
 *   data, background, ping, manifest, codebase, ... attributes, srcset / imagesrcset
 *   candidates, <meta http-equiv=refresh> targets, and CSS url(), @import and image-set()
 *   strings in <style> elements, style= and SVG paint attributes (CSS escapes decoded).
 *   <a href> links may point anywhere. A srcdoc attribute is checked the same way,
 *   recursively (its external references count, its parse errors do not). */
int inline_check_page(const char *html, size_t len, struct buf *report);

#endif
