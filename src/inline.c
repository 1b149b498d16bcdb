/* inline.c: libxml2: a run's HTML artifacts made self-contained; checks of generated pages */
#include "inline.h"
#include "css.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/globals.h>
#include <libxml/xmlerror.h>

/* XML_PARSE_HUGE lifts the 10 MB cap on one text node (an inline plotly.js is 3-5 MB). */
#define PARSE_OPTS (HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | \
		    HTML_PARSE_NOWARNING | HTML_PARSE_NODEFDTD | XML_PARSE_HUGE)
#define CSP "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; " \
	"style-src 'unsafe-inline'; img-src data: blob:; font-src data:; media-src data: blob:; " \
	"worker-src blob:; base-uri 'none'; form-action 'none'"
#define SHOWN 80          /* bytes of a URL quoted in a warning or report */
#define SRCDOC_DEPTH 4

static int streq(const xmlChar *a, const char *b) { return a && !strcasecmp((const char *)a, b); }

static int in_list(const xmlChar *name, const char *const *list)
{
	for (; *list; list++)
		if (streq(name, *list))
			return 1;
	return 0;
}

/* Case-insensitive search for pat in s[0..n). */
static const char *find_ci(const char *s, size_t n, const char *pat)
{
	size_t k = strlen(pat);
	for (size_t i = 0; i + k <= n; i++)
		if (!strncasecmp(s + i, pat, k))
			return s + i;
	return NULL;
}

/* Appends at most SHOWN bytes of s with control characters as '?' (for terminals). */
static void put_shown(struct buf *b, const char *s)
{
	size_t n = strnlen(s, SHOWN + 1);
	for (size_t i = 0; i < n && i < SHOWN; i++)
		buf_putc(b, (unsigned char)s[i] < ' ' || s[i] == 0x7f ? '?' : s[i]);
	if (n > SHOWN)
		buf_puts(b, "...");
}

/* --- parsing -------------------------------------------------------------------------- */

struct checker {
	struct buf *report;     /* NULL while parsing an artifact: errors are ignored */
	int count;
	int depth;              /* srcdoc nesting */
};

static void problem(struct checker *ck, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct checker *ck, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ck->count++;
	buf_printf(ck->report, "line %ld: ", line);
	if (ck->depth)
		buf_printf(ck->report, "in srcdoc (depth %d): ", ck->depth);
	buf_puts(ck->report, msg);
	buf_putc(ck->report, '\n');
}

static void on_error(void *ctx, xmlErrorPtr e)
{
	struct checker *ck = ctx;
	if (!ck || !ck->report || ck->depth || e->level < XML_ERR_ERROR ||
	    e->code == XML_HTML_UNKNOWN_TAG || (e->message && strstr(e->message, "embeds close tag")))
		return;
	const char *m = e->message ? e->message : "?";
	char *text = xstrndup(m, strcspn(m, "\n"));
	struct buf msg = BUF_INIT;
	buf_puts(&msg, "");
	put_shown(&msg, text);
	problem(ck, e->line, "parse error: %s", msg.data);
	buf_free(&msg);
	free(text);
}

static void init_once(void) { xmlInitParser(); }

/* Parses s with errors going to ck (NULL: dropped) rather than stderr. */
static htmlDocPtr parse(const char *s, size_t n, struct checker *ck)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, init_once);
	if (n > INT_MAX)
		return NULL;
	xmlStructuredErrorFunc old = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(ck, on_error);
	htmlDocPtr doc = htmlReadMemory(s, (int)n, "artifact.html", NULL, PARSE_OPTS);
	xmlSetStructuredErrorFunc(old_ctx, old);
	return doc;
}

static char *prop(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* The next node in document order; n's children are skipped when skip is set. */
static xmlNodePtr next_node(xmlNodePtr n, int skip)
{
	if (!skip && n->type == XML_ELEMENT_NODE && n->children)
		return n->children;
	while (n && !n->next)
		n = n->parent;
	return n ? n->next : NULL;
}

static int in_foreign(xmlNodePtr n)
{
	for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (streq(n->name, "svg") || streq(n->name, "math"))
			return 1;
	return 0;
}

/* --- URLs ----------------------------------------------------------------------------- */

enum { U_EMPTY, U_FRAGMENT, U_RELATIVE, U_PATH, U_DATA_IMAGE, U_DATA, U_LINK, U_EXTERNAL };

/* What kind of URL a browser sees in url: leading blanks and controls skipped, tabs and
 * newlines ignored anywhere (as browsers do). U_PATH is an absolute path, U_LINK http:,
 * https: or mailto:, U_EXTERNAL any other scheme, //host or \\host. */
static int url_kind(const char *url)
{
	char c[256];
	size_t k = 0;
	while (*url && (unsigned char)*url <= ' ')
		url++;
	for (; *url && k + 1 < sizeof c; url++)
		if (*url != '\t' && *url != '\n' && *url != '\r')
			c[k++] = (char)tolower((unsigned char)*url);
	c[k] = '\0';
	if (!k)
		return U_EMPTY;
	if (c[0] == '#')
		return U_FRAGMENT;
	if (c[0] == '/' || c[0] == '\\')
		return c[1] == '/' || c[1] == '\\' ? U_EXTERNAL : U_PATH;
	size_t i = 0;
	while (isalnum((unsigned char)c[i]) || c[i] == '+' || c[i] == '-' || c[i] == '.')
		i++;
	if (i == k && k + 1 == sizeof c)
		return U_EXTERNAL;  /* too long to tell: perhaps a scheme */
	if (!isalpha((unsigned char)c[0]) || c[i] != ':')
		return U_RELATIVE;
	if (!strncmp(c, "data:", 5))
		return !strncmp(c, "data:image/", 11) ? U_DATA_IMAGE : U_DATA;
	if (!strncmp(c, "http:", 5) || !strncmp(c, "https:", 6) || !strncmp(c, "mailto:", 7))
		return U_LINK;
	return U_EXTERNAL;
}

static int url_external(const char *url)
{
	int k = url_kind(url);
	return k == U_LINK || k == U_EXTERNAL;
}

/* The file path a relative URL names: blanks trimmed, tabs and newlines dropped, query and
 * fragment cut, %XX decoded, '\' read as '/'. NULL if it decodes to a NUL or is empty. */
static char *url_path(const char *url)
{
	struct buf b = BUF_INIT;
	while (*url && (unsigned char)*url <= ' ')
		url++;
	for (; *url && *url != '?' && *url != '#'; url++) {
		char ch = *url;
		if (ch == '\t' || ch == '\n' || ch == '\r')
			continue;
		if (ch == '%' && isxdigit((unsigned char)url[1]) && isxdigit((unsigned char)url[2])) {
			ch = (char)(css_hexval(url[1]) * 16 + css_hexval(url[2]));
			url += 2;
		}
		buf_putc(&b, ch == '\\' ? '/' : ch);
	}
	while (b.len && (unsigned char)b.data[b.len - 1] <= ' ')
		b.len--;
	if (!b.len || memchr(b.data, '\0', b.len)) {
		buf_free(&b);
		return NULL;
	}
	b.data[b.len] = '\0';
	return buf_detach(&b);
}

static const char *mime_of(const char *path)
{
	static const char *const types[][2] = {
		{ "png", "image/png" }, { "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" },
		{ "gif", "image/gif" }, { "svg", "image/svg+xml" }, { "webp", "image/webp" },
		{ "woff2", "font/woff2" }, { "woff", "font/woff" }, { "ttf", "font/ttf" },
		{ "otf", "font/otf" },
	};
	const char *dot = path ? strrchr(path, '.') : NULL;
	if (!dot || strchr(dot, '/'))
		return NULL;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (!strcasecmp(dot + 1, types[i][0]))
			return types[i][1];
	return NULL;
}

static char *data_uri(const char *mime, const unsigned char *p, size_t n)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct buf b = BUF_INIT;
	buf_printf(&b, "data:%s;base64,", mime);
	buf_grow(&b, (n + 2) / 3 * 4);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);
		char q[4] = { b64[v >> 18], b64[v >> 12 & 63],
			      i + 1 < n ? b64[v >> 6 & 63] : '=', i + 2 < n ? b64[v & 63] : '=' };
		buf_add(&b, q, 4);
	}
	return buf_detach(&b);
}

/* Calls fn on each candidate URL of a srcset value (url, its length, then the descriptors). */
typedef void (*srcset_fn)(void *ctx, const char *url, size_t n, const char *desc, size_t dn);

static void srcset_each(const char *v, srcset_fn fn, void *ctx)
{
	for (;;) {
		while (isspace((unsigned char)*v) || *v == ',')
			v++;
		if (!*v)
			return;
		const char *u = v;
		while (*v && !isspace((unsigned char)*v))
			v++;
		size_t n = (size_t)(v - u);
		const char *d = v;
		if (u[n - 1] == ',') {  /* no descriptors */
			while (n && u[n - 1] == ',')
				n--;
		} else {
			while (*v && *v != ',')
				v++;
		}
		fn(ctx, u, n, d, (size_t)(v - d));
	}
}

/* --- CSS -------------------------------------------------------------------------------- */

/* Attributes whose values are CSS that may hold url(). */
static const char *const css_attrs[] = { "style", "fill", "stroke", "filter", "mask", "clip-path",
					 "marker-start", "marker-mid", "marker-end", "cursor",
					 NULL };

/* --- inlining ----------------------------------------------------------------------------- */

enum why { W_OK, W_EXTERNAL, W_PATH, W_OUTSIDE, W_MISSING, W_LARGE, W_TYPE, W_UNSAFE, W_KIND, W_N };

static const char *const why_text[W_N] = {
	"", "scheme or host", "absolute path", "outside the run directory", "missing or unreadable",
	"over the size limit", "not an image or font", "unsafe to inline",
	"never inlined (frames, forms, media, <base>, refresh, non-stylesheet links)",
};

struct inliner {
	const char *path;       /* the HTML file, for the warning */
	char *dir;              /* its directory: relative references start there */
	char *root;             /* realpath of the run directory with a final '/' */
	size_t left;            /* bytes that may still be inlined */
	int count[W_N];
	char *first[W_N];       /* the first reference removed for each reason */
};

static void drop(struct inliner *in, int why, const char *what)
{
	if (!in->count[why]++)
		in->first[why] = xstrdup(what);
}

/* Why the reference url cannot be read as a file of the run (W_OK if it might). */
static int why_not_local(const char *url)
{
	int k = url_kind(url);
	if (k == U_RELATIVE)
		return W_OK;
	return k == U_PATH ? W_PATH : k == U_EMPTY || k == U_FRAGMENT ? W_MISSING : W_EXTERNAL;
}

/* Reads the run file that url names (relative to dir) into data; *file (if not NULL) gets
 * its path as written. Returns 0 or an enum why. */
static int fetch(struct inliner *in, const char *dir, const char *url, struct buf *data,
		 char **file)
{
	int why = why_not_local(url);
	char *rel = why ? NULL : url_path(url);
	if (why || !rel)
		return why ? why : W_MISSING;
	char *joined = path_join(dir, rel);
	char *real = realpath(joined, NULL);
	free(rel);
	if (!real)
		why = W_MISSING;
	else if (strncmp(real, in->root, strlen(in->root)))
		why = W_OUTSIDE;
	else if (read_file(real, in->left, data) < 0)
		why = errno == EFBIG ? W_LARGE : W_MISSING;
	else
		in->left -= data->len;
	free(real);
	if (file && !why)
		*file = joined;
	else
		free(joined);
	return why;
}

/* The data: URI that replaces an image or font reference, or NULL (reason counted). */
static char *image_ref(struct inliner *in, const char *dir, const char *url)
{
	int k = url_kind(url);
	if (k == U_DATA_IMAGE || k == U_FRAGMENT)
		return xstrdup(url);
	if (k == U_EMPTY)
		return NULL;
	char *rel = k == U_RELATIVE ? url_path(url) : NULL;
	const char *mime = mime_of(rel);
	free(rel);
	struct buf data = BUF_INIT;
	int why = k == U_RELATIVE && !mime ? W_TYPE : fetch(in, dir, url, &data, NULL);
	char *uri = why ? NULL : data_uri(mime, (const unsigned char *)data.data, data.len);
	if (why)
		drop(in, why, url);
	buf_free(&data);
	return uri;
}

struct css_ctx {
	struct inliner *in;
	const char *dir;
};

static char *css_inline_url(void *ctx, const char *url)
{
	struct css_ctx *c = ctx;
	return image_ref(c->in, c->dir, url);
}

static char *css_inline(struct inliner *in, const char *dir, const char *css, size_t n)
{
	struct css_ctx c = { in, dir };
	struct buf out = BUF_INIT;
	buf_puts(&out, "");
	css_scan(css, n, css_inline_url, &c, &out);
	return buf_detach(&out);
}

struct srcset_out {
	struct inliner *in;
	struct buf b;
};

static void srcset_inline(void *ctx, const char *url, size_t n, const char *desc, size_t dn)
{
	struct srcset_out *s = ctx;
	char *u = xstrndup(url, n);
	char *r = image_ref(s->in, s->in->dir, u);
	if (r) {
		buf_puts(&s->b, s->b.len ? ", " : "");
		buf_puts(&s->b, r);
		buf_add(&s->b, desc, dn);
	}
	free(r);
	free(u);
}

/* The new value of a srcset: candidates inlined, those that cannot be left out (NULL: none). */
static char *srcset_inline_all(struct inliner *in, const char *v)
{
	struct srcset_out s = { in, BUF_INIT };
	srcset_each(v, srcset_inline, &s);
	return s.b.len ? buf_detach(&s.b) : NULL;
}

/* 1 if text may sit between <script> and </script> (see inline.h). */
static int script_safe(const char *s, size_t n)
{
	return !find_ci(s, n, "</script") && !(find_ci(s, n, "<!--") && find_ci(s, n, "<script"));
}

static void set_text(xmlNodePtr n, const char *s, size_t len)
{
	while (n->children) {
		xmlNodePtr c = n->children;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	xmlAddChild(n, xmlNewDocTextLen(n->doc, (const xmlChar *)s, (int)len));
}

/* Removes every attribute of n but keep (may be NULL). */
static void strip_attrs(xmlNodePtr n, const char *keep)
{
	xmlAttrPtr next;
	for (xmlAttrPtr a = n->properties; a; a = next) {
		next = a->next;
		if (!keep || !streq(a->name, keep))
			xmlRemoveProp(a);
	}
}

/* A raw-text element (script, style) already in the document: 0 if it must go. */
static int raw_text_ok(struct inliner *in, xmlNodePtr n, int script)
{
	char *t = (char *)xmlNodeGetContent(n);
	size_t len = t ? strlen(t) : 0;
	int ok = !t || ((!script || script_safe(t, len)) && !(in_foreign(n) && memchr(t, '<', len)));
	if (ok && t && !script) {
		char *css = css_inline(in, in->dir, t, len);
		if (strcmp(css, t))
			set_text(n, css, strlen(css));
		free(css);
	}
	if (!ok)
		drop(in, W_UNSAFE, script ? "inline <script>" : "inline <style>");
	xmlFree(t);
	return ok;
}

static int fix_script(struct inliner *in, xmlNodePtr n)
{
	char *src = prop(n, "src");
	if (!src)
		return raw_text_ok(in, n, 1);
	struct buf js = BUF_INIT;
	int why = fetch(in, in->dir, src, &js, NULL);
	const char *text = js.data ? js.data : "";
	if (!why && (!script_safe(text, js.len) || (in_foreign(n) && memchr(text, '<', js.len))))
		why = W_UNSAFE;
	if (why) {
		drop(in, why, src);
	} else {
		set_text(n, text, js.len);
		xmlUnsetProp(n, BAD_CAST "src");
		xmlUnsetProp(n, BAD_CAST "integrity");
	}
	buf_free(&js);
	xmlFree(src);
	return !why;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
}

/* <link rel=stylesheet href=REL> turned into <style>; other links removed. */
static int fix_link(struct inliner *in, xmlNodePtr n)
{
	char *rel = prop(n, "rel"), *href = prop(n, "href");
	int sheet = rel && find_ci(rel, strlen(rel), "stylesheet") &&
		    !find_ci(rel, strlen(rel), "alternate");
	struct buf css = BUF_INIT;
	char *file = NULL;
	int why = !href ? -1 : sheet ? fetch(in, in->dir, href, &css, &file) : why_not_local(href);
	why = why ? why : !sheet ? W_KIND : 0;
	if (!why) {
		char *dir = dir_of(file);
		char *text = css_inline(in, dir, css.data, css.len);
		if (find_ci(text, strlen(text), "</style"))
			why = W_UNSAFE;
		else
			set_text(n, text, strlen(text));
		free(text);
		free(dir);
	}
	if (why > 0)
		drop(in, why, href);
	if (!why) {
		xmlNodeSetName(n, BAD_CAST "style");
		strip_attrs(n, "media");
	}
	free(file);
	buf_free(&css);
	xmlFree(rel);
	xmlFree(href);
	return !why;
}

/* Elements that load and are never inlined: 1 if n must go. <object>, <embed> and <applet>
 * become a bare <span> instead, keeping their children: fallback content, or for <embed>
 * (not void to libxml2's HTML 4 parser) the rest of the document. */
static int banned(struct inliner *in, xmlNodePtr n)
{
	static const char *const frames[] = { "iframe", "frame", "portal", "object", "embed",
					      "applet", NULL };
	static const char *const loads[] = { "src", "srcdoc", "data", "code", "codebase",
					     "classid", "archive", NULL };
	if (streq(n->name, "base")) {
		drop(in, W_KIND, "<base>");
		return 1;
	}
	if (streq(n->name, "meta")) {
		char *eq = prop(n, "http-equiv");
		int refresh = streq((xmlChar *)eq, "refresh");
		int charset = xmlHasProp(n, BAD_CAST "charset") || streq((xmlChar *)eq, "content-type");
		xmlFree(eq);
		if (refresh)
			drop(in, W_KIND, "<meta http-equiv=refresh>");
		return refresh || charset;
	}
	if (!in_list(n->name, frames))
		return 0;
	for (int i = 0; loads[i]; i++)
		if (xmlHasProp(n, BAD_CAST loads[i])) {
			char *what = xasprintf("<%s>", (const char *)n->name);
			drop(in, W_KIND, what);
			free(what);
			if (streq(n->name, "iframe") || streq(n->name, "frame") ||
			    streq(n->name, "portal"))
				return 1;
			xmlNodeSetName(n, BAD_CAST "span");
			strip_attrs(n, NULL);
			return 0;
		}
	return 0;
}

/* The new value of attribute a of n (allocated), the old one (same pointer) to keep it, or
 * NULL to remove it. */
static char *fix_value(struct inliner *in, xmlNodePtr n, const xmlChar *a, char *v)
{
	static const char *const images[] = { "img", "input", "source", "image", "feimage", NULL };
	static const char *const links[] = { "a", "area", NULL };
	static const char *const loads[] = { "action", "formaction", "background", "lowsrc",
					     "dynsrc", "data", "codebase", "archive", "manifest",
					     "ping", "longdesc", "classid", "profile", "icon", NULL };
	int k = url_kind(v);
	int href = streq(a, "href") || streq(a, "xlink:href");
	if (href && in_list(n->name, links)) {
		if (k != U_DATA && k != U_DATA_IMAGE && k != U_EXTERNAL)
			return v;
	} else if (streq(a, "poster") || ((streq(a, "src") || href) && in_list(n->name, images))) {
		return image_ref(in, in->dir, v);
	} else if (streq(a, "srcset") || streq(a, "imagesrcset")) {
		return srcset_inline_all(in, v);
	} else if (in_list(a, css_attrs)) {
		return css_inline(in, in->dir, v, strlen(v));
	} else if (!href && !streq(a, "src") && !in_list(a, loads)) {
		return v;
	} else if (k == U_EMPTY || k == U_FRAGMENT || k == U_DATA_IMAGE) {
		return v;
	}
	int why = why_not_local(v);
	drop(in, why ? why : W_KIND, v);
	return NULL;
}

static void fix_attrs(struct inliner *in, xmlNodePtr n)
{
	xmlAttrPtr next;
	for (xmlAttrPtr a = n->properties; a; a = next) {
		next = a->next;
		char *v = (char *)xmlNodeListGetString(n->doc, a->children, 1);
		char *val = v ? v : "";
		char *nv = fix_value(in, n, a->name, val);
		if (!nv)
			xmlRemoveProp(a);
		else if (nv != val && strcmp(nv, val))
			xmlSetProp(n, a->name, BAD_CAST nv);
		if (nv != val)
			free(nv);
		xmlFree(v);
	}
}

/* Makes node n self-contained; 0 if it must be removed. */
static int fix_node(struct inliner *in, xmlNodePtr n)
{
	if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE || n->type == XML_DTD_NODE)
		return 0;
	if (n->type != XML_ELEMENT_NODE)
		return 1;
	if (banned(in, n))
		return 0;
	int keep = streq(n->name, "script") ? fix_script(in, n)
		   : streq(n->name, "link") ? fix_link(in, n)
		   : streq(n->name, "style") ? raw_text_ok(in, n, 0) : 1;
	if (!keep)
		return 0;
	fix_attrs(in, n);
	return 1;
}

static void fix_tree(struct inliner *in, xmlDocPtr doc)
{
	xmlNodePtr n = doc->children;
	while (n) {
		int keep = fix_node(in, n);
		xmlNodePtr next = next_node(n, !keep);
		if (!keep) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		}
		n = next;
	}
}

/* The Content-Security-Policy meta as the first thing in <head> (made if missing). */
static void add_csp(xmlDocPtr doc)
{
	xmlNodePtr html = xmlDocGetRootElement(doc), head;
	if (!html)
		return;
	for (head = html->children; head && !streq(head->name, "head"); head = head->next)
		;
	if (!head) {
		head = xmlNewDocNode(doc, NULL, BAD_CAST "head", NULL);
		if (html->children)
			xmlAddPrevSibling(html->children, head);
		else
			xmlAddChild(html, head);
	}
	xmlNodePtr meta = xmlNewDocNode(doc, NULL, BAD_CAST "meta", NULL);
	xmlNewProp(meta, BAD_CAST "http-equiv", BAD_CAST "Content-Security-Policy");
	xmlNewProp(meta, BAD_CAST "content", BAD_CAST CSP);
	if (head->children)
		xmlAddPrevSibling(head->children, meta);
	else
		xmlAddChild(head, meta);
}

static int write_buf(void *ctx, const char *p, int n)
{
	buf_add(ctx, p, (size_t)n);
	return n;
}

/* UTF-8 as it is: htmlDocDumpMemory would turn non-ASCII into entities, even in scripts. */
static void serialize(xmlDocPtr doc, struct buf *out)
{
	buf_puts(out, "<!DOCTYPE html>\n");
	xmlOutputBufferPtr o = xmlOutputBufferCreateIO(write_buf, NULL, out, NULL);
	if (!o)
		abort();  /* out of memory */
	htmlDocContentDumpFormatOutput(o, doc, NULL, 0);
	xmlOutputBufferClose(o);
}

static void warn_dropped(const struct inliner *in)
{
	struct buf b = BUF_INIT;
	int total = 0;
	for (int i = 0; i < W_N; i++) {
		if (!in->count[i])
			continue;
		total += in->count[i];
		buf_printf(&b, "%s%s: %d (first \"", b.len ? "; " : "", why_text[i], in->count[i]);
		put_shown(&b, in->first[i]);
		buf_puts(&b, "\")");
	}
	if (total)
		tf_warn(in->path, 0, 0, "%d reference%s removed, not inlined: %s", total,
			total == 1 ? "" : "s", b.data);
	buf_free(&b);
}

static int inliner_init(struct inliner *in, const char *path, const char *run_root, size_t max)
{
	memset(in, 0, sizeof *in);
	char *root = realpath(run_root, NULL);
	if (!root)
		return -1;
	in->root = xasprintf("%s%s", root, strcmp(root, "/") ? "/" : "");
	free(root);
	in->path = path;
	in->dir = dir_of(path);
	in->left = max < INT_MAX ? max : INT_MAX;  /* libxml2 text lengths are ints */
	return 0;
}

static void inliner_free(struct inliner *in)
{
	for (int i = 0; i < W_N; i++)
		free(in->first[i]);
	free(in->dir);
	free(in->root);
}

int inline_html(struct buf *out, const char *path, const char *run_root, size_t max_bytes)
{
	struct inliner in;
	if (inliner_init(&in, path, run_root, max_bytes) < 0) {
		tf_warn(path, 0, 0, "cannot resolve the run directory %s: %s", run_root,
			strerror(errno));
		return -1;
	}
	struct buf src = BUF_INIT;
	if (read_file(path, max_bytes, &src) < 0) {
		tf_warn(path, 0, 0, "cannot read HTML artifact: %s",
			errno == EFBIG ? "over the size limit" : strerror(errno));
		buf_free(&src);
		inliner_free(&in);
		return -1;
	}
	htmlDocPtr doc = parse(src.data, src.len, NULL);
	buf_free(&src);
	if (!doc) {
		tf_warn(path, 0, 0, "cannot parse HTML artifact (empty?)");
		inliner_free(&in);
		return -1;
	}
	fix_tree(&in, doc);
	add_csp(doc);
	serialize(doc, out);
	xmlFreeDoc(doc);
	warn_dropped(&in);
	inliner_free(&in);
	return 0;
}

/* --- checking generated pages ----------------------------------------------------------- */

struct check_ctx {
	struct checker *ck;
	xmlNodePtr n;
	const char *attr;       /* or NULL for a <style> element */
};

static void report_url(struct checker *ck, xmlNodePtr n, const char *attr, const char *url)
{
	struct buf u = BUF_INIT;
	put_shown(&u, url);
	char *where = attr ? xasprintf("<%s %s>", (const char *)n->name, attr)
			   : xasprintf("<%s> CSS", (const char *)n->name);
	problem(ck, xmlGetLineNo(n), "external reference in %s: %s", where, u.data ? u.data : "");
	free(where);
	buf_free(&u);
}

static char *css_check_url(void *ctx, const char *url)
{
	struct check_ctx *c = ctx;
	if (url_external(url))
		report_url(c->ck, c->n, c->attr, url);
	return NULL;
}

static void srcset_check(void *ctx, const char *url, size_t n, const char *desc, size_t dn)
{
	(void)desc, (void)dn;
	char *u = xstrndup(url, n);
	css_check_url(ctx, u);
	free(u);
}

/* The URL of a refresh: "5; url=X", "5;X" or "5, 'X'". */
static const char *refresh_url(const char *content)
{
	const char *p = content + strspn(content, " \t\n\r0123456789.");
	p += strspn(p, " \t\n\r;,");
	if (!strncasecmp(p, "url", 3) && p[3 + strspn(p + 3, " \t\n\r")] == '=')
		p += 3 + strspn(p + 3, " \t\n\r") + 1;
	return p + strspn(p, " \t\n\r'\"");
}

static void check_doc(struct checker *ck, xmlDocPtr doc);

static void check_attr(struct checker *ck, xmlNodePtr n, const xmlChar *a, const char *v)
{
	static const char *const loads[] = { "src", "href", "xlink:href", "action", "formaction",
					     "poster", "data", "background", "lowsrc", "dynsrc",
					     "codebase", "manifest", "ping", "longdesc", "icon",
					     "classid", "profile", "archive", NULL };
	struct check_ctx c = { ck, n, (const char *)a };
	if (streq(a, "srcdoc") && ck->depth < SRCDOC_DEPTH) {
		struct checker inner = { ck->report, 0, ck->depth + 1 };
		htmlDocPtr d = parse(v, strlen(v), NULL);
		if (d)
			check_doc(&inner, d);
		xmlFreeDoc(d);
		ck->count += inner.count;
	} else if (streq(a, "href") && streq(n->name, "a")) {
		return;
	} else if (in_list(a, loads)) {
		css_check_url(&c, v);
	} else if (streq(a, "srcset") || streq(a, "imagesrcset")) {
		srcset_each(v, srcset_check, &c);
	} else if (in_list(a, css_attrs)) {
		css_scan(v, strlen(v), css_check_url, &c, NULL);
	} else if (streq(a, "content") && streq(n->name, "meta")) {
		char *eq = prop(n, "http-equiv");
		if (streq((xmlChar *)eq, "refresh"))
			css_check_url(&c, refresh_url(v));
		xmlFree(eq);
	}
}

static void check_doc(struct checker *ck, xmlDocPtr doc)
{
	for (xmlNodePtr n = doc->children; n; n = next_node(n, 0)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (xmlAttrPtr a = n->properties; a; a = a->next) {
			char *v = (char *)xmlNodeListGetString(doc, a->children, 1);
			check_attr(ck, n, a->name, v ? v : "");
			xmlFree(v);
		}
		if (streq(n->name, "style")) {
			char *t = (char *)xmlNodeGetContent(n);
			struct check_ctx c = { ck, n, NULL };
			if (t)
				css_scan(t, strlen(t), css_check_url, &c, NULL);
			xmlFree(t);
		}
	}
}

int inline_check_page(const char *html, size_t len, struct buf *report)
{
	struct checker ck = { report, 0, 0 };
	htmlDocPtr doc = parse(html, len, &ck);
	if (!doc) {
		problem(&ck, 0, "not a document libxml2 can parse (empty?)");
		return ck.count;
	}
	check_doc(&ck, doc);
	xmlFreeDoc(doc);
	return ck.count;
}
