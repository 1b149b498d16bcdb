/* tmpl.c: mustache templates (spec v1 core, no lambdas) over a JSON view model */
#include "tmpl.h"
#include "html.h"
#include "value.h"
#include "xalloc.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A template parses into a flat node list; a section's body is the nodes between it and
 * its N_END. Text, names and indentation point into the template source. */
enum ntype { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_END, N_PARTIAL };

struct node {
	enum ntype type;
	const char *s; /* text, or the tag's name */
	size_t n;
	const char *ind; /* N_PARTIAL on a standalone line: its indentation */
	size_t ind_n;
	size_t end; /* N_SECTION, N_INVERTED: index of the matching N_END */
	size_t off; /* byte offset of the tag, for errors */
};

struct tmpl {
	const char *name;
	const char *src;
	size_t len; /* of src */
	struct node *v;
	size_t n, cap;
};

/* One tag as scanned: kind is 0 for a variable, else one of { & ! # ^ / > = */
struct tag {
	char kind;
	size_t start, end; /* the opening delimiter; just past the closing one */
	const char *s;     /* content, trimmed */
	size_t n;
};

struct parser {
	struct tmpl *t;
	const char *otag, *ctag; /* current delimiters */
	size_t olen, clen;
	size_t pos; /* start of the text not yet emitted */
	size_t open[TMPL_MAX_SECTION_DEPTH];
	size_t nopen;
	char **err;
};

/* Sets *err to "name:line: message" and returns -1. */
static int errf(const struct tmpl *t, size_t off, char **err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int errf(const struct tmpl *t, size_t off, char **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	int line, col;
	text_linecol(t->src, off, &line, &col);
	if (t->name)
		*err = xasprintf("%s:%d: %s", t->name, line, msg);
	else
		*err = xasprintf("line %d: %s", line, msg);
	free(msg);
	return -1;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static struct node *add_node(struct tmpl *t, enum ntype type, const char *s, size_t n,
			     size_t off)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	struct node *nd = &t->v[t->n++];
	*nd = (struct node){ type, s, n, NULL, 0, 0, off };
	return nd;
}

static void add_text(struct parser *p, size_t from, size_t to)
{
	if (to > from)
		add_node(p->t, N_TEXT, p->t->src + from, to - from, from);
}

/* Offset of the first ctag at or after from that is preceded by `before` (when not 0)
 * at or after from, pointing at `before`; or -1. */
static long find_close(const struct parser *p, size_t from, char before)
{
	const char *src = p->t->src;
	size_t len = p->t->len;
	size_t at = before ? from + 1 : from;
	while (at <= len) {
		const char *m = memmem(src + at, len - at, p->ctag, p->clen);
		if (!m)
			return -1;
		size_t i = (size_t)(m - src);
		if (!before)
			return (long)i;
		if (src[i - 1] == before)
			return (long)(i - 1);
		at = i + 1;
	}
	return -1;
}

/* Scans the tag whose opening delimiter is at start. */
static int scan_tag(struct parser *p, size_t start, struct tag *tg)
{
	const char *src = p->t->src;
	size_t body = start + p->olen;
	char c = src[body];
	tg->kind = c && strchr("{&!#^/>=", c) ? c : 0;
	tg->start = start;
	if (tg->kind)
		body++;
	char before = tg->kind == '{' ? '}' : tg->kind == '=' ? '=' : 0;
	long close = find_close(p, body, before);
	if (close < 0)
		return errf(p->t, start, p->err, "unclosed tag");
	size_t a = body, b = (size_t)close;
	while (a < b && is_space(src[a]))
		a++;
	while (b > a && is_space(src[b - 1]))
		b--;
	tg->s = src + a;
	tg->n = b - a;
	tg->end = (size_t)close + (before ? 1 : 0) + p->clen;
	return 0;
}

/* Whether the tag stands alone on its line; if so, [*ls, *le) is the whole line. */
static int standalone(const struct parser *p, const struct tag *tg, size_t *ls, size_t *le)
{
	const char *src = p->t->src;
	if (!tg->kind || !strchr("!#^/>=", tg->kind))
		return 0;
	size_t a = tg->start, b = tg->end;
	while (a > p->pos && (src[a - 1] == ' ' || src[a - 1] == '\t'))
		a--;
	if (a > 0 && src[a - 1] != '\n')
		return 0;
	while (src[b] == ' ' || src[b] == '\t')
		b++;
	if (src[b] == '\r' && src[b + 1] == '\n')
		b += 2;
	else if (src[b] == '\n')
		b++;
	else if (src[b])
		return 0;
	*ls = a;
	*le = b;
	return 1;
}

/* {{=<% %>=}}: the two new delimiters, non-empty, without whitespace or '='. */
static int set_delims(struct parser *p, const struct tag *tg)
{
	const char *s = tg->s, *e = tg->s + tg->n;
	const char *o = s;
	while (s < e && !is_space(*s))
		s++;
	size_t olen = (size_t)(s - o);
	while (s < e && is_space(*s))
		s++;
	const char *c = s;
	while (s < e && !is_space(*s))
		s++;
	size_t clen = (size_t)(s - c);
	if (!olen || !clen || s != e || memchr(o, '=', olen) || memchr(c, '=', clen))
		return errf(p->t, tg->start, p->err, "bad delimiter '%.*s'", (int)tg->n, tg->s);
	p->otag = o;
	p->olen = olen;
	p->ctag = c;
	p->clen = clen;
	return 0;
}

static int close_section(struct parser *p, const struct tag *tg)
{
	if (!p->nopen)
		return errf(p->t, tg->start, p->err, "unexpected {{/%.*s}}", (int)tg->n, tg->s);
	size_t i = p->open[--p->nopen];
	struct node *sec = &p->t->v[i];
	if (sec->n != tg->n || memcmp(sec->s, tg->s, tg->n))
		return errf(p->t, tg->start, p->err, "expected {{/%.*s}}, found {{/%.*s}}",
			    (int)sec->n, sec->s, (int)tg->n, tg->s);
	sec->end = p->t->n;
	add_node(p->t, N_END, tg->s, tg->n, tg->start);
	return 0;
}

/* Adds the node(s) for one scanned tag; ind/ind_n is a standalone line's indentation. */
static int add_tag(struct parser *p, const struct tag *tg, const char *ind, size_t ind_n)
{
	if (tg->kind == '!')
		return 0;
	if (tg->kind == '=')
		return set_delims(p, tg);
	if (!tg->n)
		return errf(p->t, tg->start, p->err, "empty tag");
	if (tg->kind == '/')
		return close_section(p, tg);
	if (tg->kind == '#' || tg->kind == '^') {
		if (p->nopen == TMPL_MAX_SECTION_DEPTH)
			return errf(p->t, tg->start, p->err, "sections nested deeper than %d",
				    TMPL_MAX_SECTION_DEPTH);
		p->open[p->nopen++] = p->t->n;
		add_node(p->t, tg->kind == '#' ? N_SECTION : N_INVERTED, tg->s, tg->n, tg->start);
		return 0;
	}
	enum ntype type = tg->kind == '>' ? N_PARTIAL : tg->kind ? N_RAW : N_VAR;
	struct node *nd = add_node(p->t, type, tg->s, tg->n, tg->start);
	nd->ind = ind;
	nd->ind_n = ind_n;
	return 0;
}

static void tmpl_free(struct tmpl *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

/* Parses src (which must outlive t) into t. On error t is left empty. */
static int tmpl_parse(struct tmpl *t, const char *name, const char *src, char **err)
{
	*t = (struct tmpl){ name, src, strlen(src), NULL, 0, 0 };
	struct parser p = { t, "{{", "}}", 2, 2, 0, { 0 }, 0, err };
	const char *m;
	while ((m = memmem(src + p.pos, t->len - p.pos, p.otag, p.olen))) {
		struct tag tg = { 0 };
		size_t ls = 0, le = 0;
		if (scan_tag(&p, (size_t)(m - src), &tg) < 0)
			goto fail;
		int alone = standalone(&p, &tg, &ls, &le);
		add_text(&p, p.pos, alone ? ls : tg.start);
		if (add_tag(&p, &tg, alone ? src + ls : NULL, alone ? tg.start - ls : 0) < 0)
			goto fail;
		p.pos = alone ? le : tg.end;
	}
	add_text(&p, p.pos, t->len);
	if (p.nopen) {
		const struct node *sec = &t->v[p.open[p.nopen - 1]];
		errf(t, sec->off, err, "unclosed section '%.*s'", (int)sec->n, sec->s);
		goto fail;
	}
	return 0;
fail:
	tmpl_free(t);
	return -1;
}

/* ---- rendering ---- */

/* The context stack, innermost first; it lives on the C stack. */
struct ctx {
	const struct json *v;
	const struct ctx *up;
};

/* A partial as parsed for one indentation; entries never move once made. */
struct pentry {
	char *name;
	char *ind;
	char *src; /* the indented copy, or NULL when the source is used as is */
	struct tmpl t;
};

struct render {
	struct buf *out;
	const struct tmpl_opts *o;
	char **err;
	int depth; /* partials being rendered */
	struct pentry **pc;
	size_t npc, cappc;
};

static int render_nodes(struct render *r, const struct tmpl *t, size_t i, size_t end,
			const struct ctx *ctx);

void tmpl_html_escape(struct buf *out, const char *s, size_t n, void *ctx)
{
	(void)ctx;
	html_text(out, s, n); /* the one escaping writer */
}

/* The member of obj named k[0..n), or NULL (also when obj is not an object). */
static const struct json *member(const struct json *obj, const char *k, size_t n)
{
	if (json_type(obj) != J_OBJ)
		return NULL;
	for (const struct json *c = json_child(obj); c; c = json_next(c)) {
		const char *key = json_key(c);
		if (!strncmp(key, k, n) && key[n] == '\0')
			return c;
	}
	return NULL;
}

/* Resolves a name: "." is the top context; the first part of a dotted name is looked up
 * through the stack, the rest only within what it found. NULL for a miss. */
static const struct json *lookup(const struct ctx *ctx, const char *s, size_t n)
{
	if (n == 1 && s[0] == '.')
		return ctx->v;
	const char *dot = memchr(s, '.', n);
	size_t k = dot ? (size_t)(dot - s) : n;
	const struct json *v = NULL;
	for (const struct ctx *c = ctx; c && !v; c = c->up)
		v = member(c->v, s, k);
	while (v && dot) {
		s = dot + 1;
		n -= k + 1;
		dot = memchr(s, '.', n);
		k = dot ? (size_t)(dot - s) : n;
		v = member(v, s, k);
	}
	return v;
}

static int truthy(const struct json *v)
{
	switch (json_type(v)) {
	case J_INVALID:
	case J_NULL: return 0;
	case J_BOOL: return json_bool(v);
	case J_ARR: return json_child(v) != NULL;
	default: return 1;
	}
}

static void interpolate(struct render *r, const struct node *nd, const struct ctx *ctx)
{
	const struct json *v = lookup(ctx, nd->s, nd->n);
	struct buf tmp = BUF_INIT;
	switch (json_type(v)) {
	case J_STR: buf_puts(&tmp, json_str(v)); break;
	case J_NUM: value_fmt_num(&tmp, json_num(v)); break;
	case J_BOOL: buf_puts(&tmp, json_bool(v) ? "true" : "false"); break;
	case J_ARR:
	case J_OBJ: json_print(&tmp, v); break;
	default: break;
	}
	if (tmp.len && nd->type == N_RAW)
		buf_add(r->out, tmp.data, tmp.len);
	else if (tmp.len && r->o->escape)
		r->o->escape(r->out, tmp.data, tmp.len, r->o->escape_ctx);
	else if (tmp.len)
		tmpl_html_escape(r->out, tmp.data, tmp.len, NULL);
	buf_free(&tmp);
}

static int section(struct render *r, const struct tmpl *t, size_t i, const struct ctx *ctx)
{
	const struct node *nd = &t->v[i];
	const struct json *v = lookup(ctx, nd->s, nd->n);
	if (nd->type == N_INVERTED)
		return truthy(v) ? 0 : render_nodes(r, t, i + 1, nd->end, ctx);
	if (!truthy(v))
		return 0;
	if (json_type(v) != J_ARR) {
		struct ctx c = { v, ctx };
		return render_nodes(r, t, i + 1, nd->end, &c);
	}
	for (const struct json *e = json_child(v); e; e = json_next(e)) {
		struct ctx c = { e, ctx };
		if (render_nodes(r, t, i + 1, nd->end, &c) < 0)
			return -1;
	}
	return 0;
}

/* src with ind before each line (not after a final newline). */
static char *indent_copy(const char *src, const char *ind, size_t n)
{
	struct buf b = BUF_INIT;
	while (*src) {
		const char *nl = strchr(src, '\n');
		size_t len = nl ? (size_t)(nl - src) + 1 : strlen(src);
		buf_add(&b, ind, n);
		buf_add(&b, src, len);
		src += len;
	}
	return buf_detach(&b);
}

/* The parsed partial `name` at indentation ind[0..n); *out is NULL if there is none. */
static int get_partial(struct render *r, const char *name, const char *ind, size_t n,
		       const struct tmpl **out)
{
	*out = NULL;
	if (!ind)
		ind = "";
	for (size_t i = 0; i < r->npc; i++) {
		struct pentry *e = r->pc[i];
		if (!strcmp(e->name, name) && strlen(e->ind) == n && !memcmp(e->ind, ind, n)) {
			*out = &e->t;
			return 0;
		}
	}
	const char *src = r->o->partial ? r->o->partial(name, r->o->partial_ctx) : NULL;
	if (!src)
		return 0;
	struct pentry *e = xcalloc(1, sizeof *e);
	e->name = xstrdup(name);
	e->ind = xstrndup(ind, n);
	e->src = n ? indent_copy(src, ind, n) : NULL;
	if (r->npc == r->cappc) {
		r->cappc = r->cappc ? r->cappc * 2 : 8;
		r->pc = xrealloc(r->pc, r->cappc * sizeof *r->pc);
	}
	r->pc[r->npc++] = e; /* kept even if it fails to parse, to be freed */
	if (tmpl_parse(&e->t, e->name, e->src ? e->src : src, r->err) < 0)
		return -1;
	*out = &e->t;
	return 0;
}

static int partial(struct render *r, const struct tmpl *t, const struct node *nd,
		   const struct ctx *ctx)
{
	if (r->depth >= TMPL_MAX_PARTIAL_DEPTH)
		return errf(t, nd->off, r->err, "partial '%.*s' nested deeper than %d",
			    (int)nd->n, nd->s, TMPL_MAX_PARTIAL_DEPTH);
	char *name = xstrndup(nd->s, nd->n);
	const struct tmpl *pt;
	int rc = get_partial(r, name, nd->ind, nd->ind_n, &pt);
	free(name);
	if (rc < 0 || !pt)
		return rc;
	r->depth++;
	rc = render_nodes(r, pt, 0, pt->n, ctx);
	r->depth--;
	return rc;
}

static int render_nodes(struct render *r, const struct tmpl *t, size_t i, size_t end,
			const struct ctx *ctx)
{
	for (; i < end; i++) {
		const struct node *nd = &t->v[i];
		switch (nd->type) {
		case N_TEXT: buf_add(r->out, nd->s, nd->n); break;
		case N_VAR:
		case N_RAW: interpolate(r, nd, ctx); break;
		case N_SECTION:
		case N_INVERTED:
			if (section(r, t, i, ctx) < 0)
				return -1;
			i = nd->end;
			break;
		case N_PARTIAL:
			if (partial(r, t, nd, ctx) < 0)
				return -1;
			break;
		case N_END: break;
		}
	}
	return 0;
}

static void render_free(struct render *r)
{
	for (size_t i = 0; i < r->npc; i++) {
		struct pentry *e = r->pc[i];
		tmpl_free(&e->t);
		free(e->name);
		free(e->ind);
		free(e->src);
		free(e);
	}
	free(r->pc);
}

int tmpl_render(struct buf *out, const char *name, const char *tmpl, const struct json *view,
		const struct tmpl_opts *opts, char **err)
{
	static const struct tmpl_opts defaults;
	char *ignored = NULL;
	if (!err)
		err = &ignored;
	*err = NULL;
	struct render r = { out, opts ? opts : &defaults, err, 0, NULL, 0, 0 };
	size_t len0 = out->len;
	struct tmpl t;
	int rc = tmpl_parse(&t, name, tmpl, err);
	if (rc == 0) {
		struct ctx top = { view, NULL };
		rc = render_nodes(&r, &t, 0, t.n, &top);
	}
	tmpl_free(&t);
	render_free(&r);
	if (rc < 0 && out->data) {
		out->len = len0;
		out->data[len0] = '\0';
	}
	free(ignored);
	return rc;
}
