/* filter.c: the --filter expression language: parsed once, evaluated for each run */
#include "filter.h"
#include "xalloc.h"

#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 200 /* nested parentheses and negations */

enum tok {
	T_EOF, T_NUM, T_STR, T_NAME, T_TRUE, T_FALSE, T_EXISTS,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_MATCH, T_NMATCH, /* comparisons: keep together */
	T_AND, T_OR, T_NOT, T_LP, T_RP,
};

struct token {
	enum tok t;
	size_t off, len; /* its bytes in the expression */
	double num;      /* T_NUM */
	char *text;      /* T_STR, T_NAME: decoded, owned until a node takes it */
};

enum nkind { N_LIT, N_COL, N_EXISTS, N_NOT, N_AND, N_OR, N_CMP, N_MATCH };

struct node {
	enum nkind kind;
	enum tok op;      /* N_CMP, N_MATCH */
	struct value lit; /* N_LIT */
	size_t col;       /* N_COL, N_EXISTS: index into the filter's columns */
	regex_t re;       /* N_MATCH, once has_re */
	int has_re;
	struct node *l, *r;
};

struct filter {
	struct node *root;
	char **cols;
	size_t *offs;
	size_t ncols;
};

struct parser {
	const char *src;
	size_t pos;
	struct token cur;
	size_t prev_off, prev_len; /* the token before cur (len 0: none yet) */
	int depth;
	struct filter *f;
	char *err;
	size_t err_off;
};

/* ---- errors ---- */

__attribute__((format(printf, 3, 4)))
static void fail(struct parser *p, size_t off, const char *fmt, ...)
{
	if (p->err)
		return; /* the first error wins */
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	p->err = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p->err, (size_t)n + 1, fmt, ap);
	va_end(ap);
	p->err_off = off;
}

/* Bytes of the UTF-8 character starting at s (1 for a stray byte). */
static int utf8_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	int n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	for (int i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

/* How many bytes of a token's source to quote in a message (at most about 40). */
static int quote_len(const char *s, size_t len)
{
	size_t n = 0;
	while (n < len && n < 40)
		n += (size_t)utf8_len(s + n);
	return (int)(n < len ? n : len);
}

/* ---- lexer ---- */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_name_start(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.';
}
static int is_name_char(int c) { return is_name_start(c) || is_digit(c); }

static int starts_number(const char *s)
{
	if (*s == '-')
		s++;
	return is_digit(s[0]) || (s[0] == '.' && is_digit(s[1]));
}

/* -?digits[.digits][e[+-]digits]; a name character straight after makes it invalid. */
static void lex_number(struct parser *p, struct token *t)
{
	const char *s = p->src + t->off, *e = s + (*s == '-');
	while (is_digit(*e))
		e++;
	if (*e == '.' && (is_digit(e[1]) || e > s + (*s == '-')))
		for (e++; is_digit(*e); e++)
			;
	if ((*e == 'e' || *e == 'E') && (is_digit(e[1]) || ((e[1] == '+' || e[1] == '-') && is_digit(e[2]))))
		for (e += 2; is_digit(*e); e++)
			;
	t->len = (size_t)(e - s);
	if (is_name_char(*e)) {
		while (is_name_char(*e))
			e++;
		fail(p, t->off, "invalid number '%.*s'", quote_len(s, (size_t)(e - s)), s);
		return;
	}
	char *copy = xstrndup(s, t->len);
	t->num = strtod(copy, NULL);
	free(copy);
	t->t = T_NUM;
}

/* A quoted string with the escapes \\ \" \' \n \t; other backslashes are kept as they are
 * (so regular expressions such as "\.R$" need no doubling). */
static void lex_string(struct parser *p, struct token *t)
{
	const char *s = p->src + t->off, *e = s + 1;
	struct buf b = BUF_INIT;
	for (; *e && *e != *s; e++) {
		if (*e != '\\') {
			buf_putc(&b, *e);
			continue;
		}
		if (!*++e)
			break;
		if (*e == 'n' || *e == 't')
			buf_putc(&b, *e == 'n' ? '\n' : '\t');
		else if (*e == '\\' || *e == '"' || *e == '\'')
			buf_putc(&b, *e);
		else {
			buf_putc(&b, '\\');
			buf_putc(&b, *e);
		}
	}
	if (*e != *s) {
		buf_free(&b);
		fail(p, t->off, "unterminated string");
		return;
	}
	t->len = (size_t)(e + 1 - s);
	t->text = buf_detach(&b);
	t->t = T_STR;
}

/* `any name`, no escapes. */
static void lex_backquoted(struct parser *p, struct token *t)
{
	const char *s = p->src + t->off, *e = strchr(s + 1, '`');
	if (!e) {
		fail(p, t->off, "unterminated column name (missing closing '`')");
		return;
	}
	if (e == s + 1) {
		fail(p, t->off, "empty column name");
		return;
	}
	t->len = (size_t)(e + 1 - s);
	t->text = xstrndup(s + 1, (size_t)(e - s - 1));
	t->t = T_NAME;
}

static void lex_word(struct parser *p, struct token *t)
{
	static const struct { const char *w; enum tok t; } words[] = {
		{ "and", T_AND }, { "or", T_OR }, { "not", T_NOT }, { "true", T_TRUE },
		{ "TRUE", T_TRUE }, { "false", T_FALSE }, { "FALSE", T_FALSE },
	};
	const char *s = p->src + t->off, *e = s;
	while (is_name_char(*e))
		e++;
	t->len = (size_t)(e - s);
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].w) == t->len && !memcmp(s, words[i].w, t->len)) {
			t->t = words[i].t;
			return;
		}
	e += strspn(e, " \t\r\n");
	if (t->len == 6 && !memcmp(s, "exists", 6) && *e == '(') {
		t->t = T_EXISTS;
		return;
	}
	t->text = xstrndup(s, t->len);
	t->t = T_NAME;
}

static void lex_operator(struct parser *p, struct token *t)
{
	static const struct { const char *s; enum tok t; } ops[] = {
		{ "==", T_EQ }, { "!=", T_NE }, { "<=", T_LE }, { ">=", T_GE }, { "!~", T_NMATCH },
		{ "&&", T_AND }, { "||", T_OR }, { "<", T_LT }, { ">", T_GT }, { "~", T_MATCH },
		{ "!", T_NOT }, { "(", T_LP }, { ")", T_RP },
	};
	const char *s = p->src + t->off;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t n = strlen(ops[i].s);
		if (!strncmp(s, ops[i].s, n)) {
			t->t = ops[i].t;
			t->len = n;
			return;
		}
	}
	if (*s == '=' || *s == '&' || *s == '|')
		fail(p, t->off, "unexpected '%c'; use '%s'", *s,
			*s == '=' ? "==" : *s == '&' ? "&&" : "||");
	else
		fail(p, t->off, "unexpected character '%.*s'", utf8_len(s), s);
}

/* Moves to the next token. After a lexical error cur is T_EOF and p->err is set. */
static void next(struct parser *p)
{
	struct token *t = &p->cur;
	if (t->len) {
		p->prev_off = t->off;
		p->prev_len = t->len;
	}
	free(t->text);
	*t = (struct token){ T_EOF, 0, 0, 0, NULL };
	p->pos += strspn(p->src + p->pos, " \t\r\n");
	t->off = p->pos;
	const char *s = p->src + p->pos;
	if (!*s || p->err)
		return;
	if (starts_number(s))
		lex_number(p, t);
	else if (*s == '"' || *s == '\'')
		lex_string(p, t);
	else if (*s == '`')
		lex_backquoted(p, t);
	else if (is_name_start((unsigned char)*s))
		lex_word(p, t);
	else
		lex_operator(p, t);
	if (p->err)
		t->t = T_EOF;
	p->pos += t->len;
}

/* ---- parser ---- */

static void node_free(struct node *n)
{
	if (!n)
		return;
	node_free(n->l);
	node_free(n->r);
	value_free(&n->lit);
	if (n->has_re)
		regfree(&n->re);
	free(n);
}

static struct node *new_node(enum nkind kind, struct node *l, struct node *r)
{
	struct node *n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->l = l;
	n->r = r;
	return n;
}

static struct node *lit_node(struct value v)
{
	struct node *n = new_node(N_LIT, NULL, NULL);
	n->lit = v;
	return n;
}

/* A node for the column named by token t (whose text it takes). */
static struct node *column_node(struct parser *p, enum nkind kind, struct token *t)
{
	struct filter *f = p->f;
	struct node *n = new_node(kind, NULL, NULL);
	for (n->col = 0; n->col < f->ncols; n->col++)
		if (!strcmp(f->cols[n->col], t->text))
			return n;
	f->cols = xrealloc(f->cols, (f->ncols + 1) * sizeof *f->cols);
	f->offs = xrealloc(f->offs, (f->ncols + 1) * sizeof *f->offs);
	f->cols[f->ncols] = t->text;
	f->offs[f->ncols++] = t->off;
	t->text = NULL;
	return n;
}

static struct node *parse_or(struct parser *p);

static void *expected_value(struct parser *p)
{
	const struct token *t = &p->cur;
	if (!p->prev_len && t->t == T_EOF)
		fail(p, 0, "empty expression");
	else if (!p->prev_len)
		fail(p, t->off, "unexpected '%.*s'", quote_len(p->src + t->off, t->len), p->src + t->off);
	else
		fail(p, t->off, "expected a value after '%.*s'",
			quote_len(p->src + p->prev_off, p->prev_len), p->src + p->prev_off);
	return NULL;
}

/* After a complete operand: cur is neither an operator nor what closes it. */
static void *expected_operator(struct parser *p, const char *or_what)
{
	const struct token *t = &p->cur;
	int n = quote_len(p->src + t->off, t->len);
	const char *s = p->src + t->off;
	if (t->t == T_RP || t->t == T_NOT)
		fail(p, t->off, "unexpected '%.*s'", n, s);
	else if (*s == '-' && t->off && is_name_char(s[-1]))
		fail(p, t->off, "expected an operator%s before '%.*s' (quote a column name "
			"containing '-' in backquotes: `a-b`)", or_what, n, s);
	else
		fail(p, t->off, "expected an operator%s before '%.*s'", or_what, n, s);
	return NULL;
}

static int enter(struct parser *p)
{
	if (++p->depth <= MAX_DEPTH)
		return 0;
	fail(p, p->cur.off, "expression nested too deeply");
	return -1;
}

static struct node *parse_paren(struct parser *p)
{
	size_t open = p->cur.off;
	if (enter(p) < 0)
		return NULL;
	next(p);
	struct node *e = parse_or(p);
	p->depth--;
	if (!e)
		return NULL;
	if (p->cur.t == T_RP) {
		next(p);
		return e;
	}
	if (p->cur.t == T_EOF)
		fail(p, open, "unclosed '('");
	else
		expected_operator(p, " or ')'");
	node_free(e);
	return NULL;
}

/* exists(column); the lexer made "exists" a T_EXISTS only when '(' follows. */
static struct node *parse_exists(struct parser *p)
{
	next(p);
	next(p);
	if (p->cur.t != T_NAME) {
		fail(p, p->cur.off, "expected a column name in exists()");
		return NULL;
	}
	struct node *n = column_node(p, N_EXISTS, &p->cur);
	next(p);
	if (p->cur.t != T_RP) {
		fail(p, p->cur.off, "expected ')' to close 'exists('");
		node_free(n);
		return NULL;
	}
	next(p);
	return n;
}

static struct node *parse_primary(struct parser *p)
{
	struct token *t = &p->cur;
	struct node *n;
	switch (t->t) {
	case T_NUM: n = lit_node(value_num(t->num)); break;
	case T_STR: n = lit_node(value_str_own(t->text)); t->text = NULL; break;
	case T_TRUE: case T_FALSE: n = lit_node(value_bool(t->t == T_TRUE)); break;
	case T_NAME: n = column_node(p, N_COL, t); break;
	case T_LP: return parse_paren(p);
	case T_EXISTS: return parse_exists(p);
	default: return expected_value(p);
	}
	next(p);
	return n;
}

static int is_cmp(enum tok t) { return t >= T_EQ && t <= T_NMATCH; }

/* The right side of ~ and !~ must be a string literal; compiled here, once. */
static int compile_regex(struct parser *p, struct node *n, size_t roff)
{
	const struct node *r = n->r;
	if (r->kind != N_LIT || r->lit.type != V_STR) {
		fail(p, roff, "the right side of '%s' must be a string (a regular expression)",
			n->op == T_MATCH ? "~" : "!~");
		return -1;
	}
	int rc = regcomp(&n->re, r->lit.str, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char msg[256];
		regerror(rc, &n->re, msg, sizeof msg);
		fail(p, roff, "invalid regular expression: %s", msg);
		return -1;
	}
	n->has_re = 1;
	return 0;
}

/* operand [op operand], not chained. */
static struct node *parse_cmp(struct parser *p)
{
	struct node *l = parse_primary(p);
	if (!l || !is_cmp(p->cur.t))
		return l;
	enum tok op = p->cur.t;
	next(p);
	size_t roff = p->cur.off;
	struct node *r = parse_primary(p);
	if (!r) {
		node_free(l);
		return NULL;
	}
	struct node *n = new_node(op == T_MATCH || op == T_NMATCH ? N_MATCH : N_CMP, l, r);
	n->op = op;
	if (n->kind == N_MATCH && compile_regex(p, n, roff) < 0) {
		node_free(n);
		return NULL;
	}
	if (is_cmp(p->cur.t)) {
		fail(p, p->cur.off, "comparisons cannot be chained; combine them with '&&'");
		node_free(n);
		return NULL;
	}
	return n;
}

static struct node *parse_not(struct parser *p)
{
	if (p->cur.t != T_NOT)
		return parse_cmp(p);
	if (enter(p) < 0)
		return NULL;
	next(p);
	struct node *e = parse_not(p);
	p->depth--;
	return e ? new_node(N_NOT, e, NULL) : NULL;
}

static struct node *parse_and(struct parser *p)
{
	struct node *l = parse_not(p);
	while (l && p->cur.t == T_AND) {
		next(p);
		struct node *r = parse_not(p);
		if (!r) {
			node_free(l);
			return NULL;
		}
		l = new_node(N_AND, l, r);
	}
	return l;
}

static struct node *parse_or(struct parser *p)
{
	struct node *l = parse_and(p);
	while (l && p->cur.t == T_OR) {
		next(p);
		struct node *r = parse_and(p);
		if (!r) {
			node_free(l);
			return NULL;
		}
		l = new_node(N_OR, l, r);
	}
	return l;
}

struct filter *filter_parse(const char *expr, char **err, size_t *err_off)
{
	struct parser p = { .src = expr, .f = xcalloc(1, sizeof(struct filter)) };
	next(&p);
	struct node *root = parse_or(&p);
	if (root && p.cur.t != T_EOF)
		expected_operator(&p, "");
	if (!root && !p.err)
		fail(&p, 0, "invalid expression");
	free(p.cur.text);
	if (p.err) {
		node_free(root);
		filter_free(p.f);
		if (err_off)
			*err_off = p.err_off;
		if (err)
			*err = p.err;
		else
			free(p.err);
		return NULL;
	}
	p.f->root = root;
	return p.f;
}

/* ---- evaluation ---- */

struct evalctx {
	const struct filter *f;
	filter_lookup_fn lookup;
	void *ctx;
};

static int eval_bool(const struct node *n, const struct evalctx *e);

static int truthy(const struct value *v)
{
	switch (v->type) {
	case V_BOOL: return v->b;
	case V_NUM:
	case V_TIME: return v->num != 0 && !isnan(v->num);
	case V_STR: return v->str[0] != '\0';
	default: return 0;
	}
}

static const struct value *column_value_of(const struct node *n, const struct evalctx *e)
{
	return e->lookup(e->ctx, e->f->cols[n->col]);
}

/* An operand's value, to be released with value_free: a column's value is copied because
 * the next lookup may overwrite it; a literal's is borrowed (the copy is shallow). */
static struct value operand(const struct node *n, const struct evalctx *e)
{
	if (n->kind == N_LIT)
		return n->lit;
	if (n->kind != N_COL)
		return value_bool(eval_bool(n, e));
	const struct value *v = column_value_of(n, e);
	return v ? value_copy(v) : VALUE_NA;
}

static void release(const struct node *n, struct value *v)
{
	if (n->kind != N_LIT)
		value_free(v);
}

static int num_cmp(double a, double b, int *c)
{
	if (isnan(a) || isnan(b))
		return 0;
	*c = (a > b) - (a < b);
	return 1;
}

static int sign(int x) { return (x > 0) - (x < 0); }

/* A non-string a against the string s (see filter_parse's documentation in filter.h). */
static int cmp_with_str(const struct value *a, const char *s, int *c)
{
	struct buf t = BUF_INIT;
	char *end;
	if (a->type == V_BOOL) {
		int b = value_parse_logical(s);
		*c = a->b - b;
		return b >= 0;
	}
	if (isnan(a->num))
		return 0;
	if (a->type == V_NUM) {
		double d = strtod(s, &end);
		if (end != s && !*end)
			return num_cmp(a->num, d, c);
		value_fmt_num(&t, a->num);
	} else
		value_fmt_time(&t, a->num);
	*c = sign(strcmp(t.data, s));
	buf_free(&t);
	return 1;
}

/* Three-way comparison into *c; 0 when the values are not comparable (NA, NaN, a string
 * that is no logical against a bool), which makes every comparison false. */
static int compare(const struct value *a, const struct value *b, int *c)
{
	*c = 0;
	if (a->type == V_NA || b->type == V_NA)
		return 0;
	if (a->type == V_STR && b->type == V_STR) {
		*c = sign(strcmp(a->str, b->str));
		return 1;
	}
	if (b->type == V_STR)
		return cmp_with_str(a, b->str, c);
	if (a->type == V_STR) {
		int ok = cmp_with_str(b, a->str, c);
		*c = -*c;
		return ok;
	}
	double x = a->type == V_BOOL ? a->b : a->num, y = b->type == V_BOOL ? b->b : b->num;
	return num_cmp(x, y, c);
}

static int eval_cmp(const struct node *n, const struct evalctx *e)
{
	struct value a = operand(n->l, e), b = operand(n->r, e);
	int c, ok = compare(&a, &b, &c);
	release(n->l, &a);
	release(n->r, &b);
	if (!ok)
		return 0;
	switch (n->op) {
	case T_EQ: return c == 0;
	case T_NE: return c != 0;
	case T_LT: return c < 0;
	case T_LE: return c <= 0;
	case T_GT: return c > 0;
	case T_GE: return c >= 0;
	default: return 0;
	}
}

static int eval_match(const struct node *n, const struct evalctx *e)
{
	struct value v = operand(n->l, e);
	int r = 0;
	if (v.type != V_NA) {
		struct buf t = BUF_INIT;
		value_text(&t, &v);
		int m = regexec(&n->re, t.data ? t.data : "", 0, NULL, 0) == 0;
		r = n->op == T_MATCH ? m : !m;
		buf_free(&t);
	}
	release(n->l, &v);
	return r;
}

static int eval_bool(const struct node *n, const struct evalctx *e)
{
	const struct value *v;
	switch (n->kind) {
	case N_LIT: return truthy(&n->lit);
	case N_COL: return (v = column_value_of(n, e)) && truthy(v);
	case N_EXISTS: return (v = column_value_of(n, e)) && v->type != V_NA;
	case N_NOT: return !eval_bool(n->l, e);
	case N_AND: return eval_bool(n->l, e) && eval_bool(n->r, e);
	case N_OR: return eval_bool(n->l, e) || eval_bool(n->r, e);
	case N_CMP: return eval_cmp(n, e);
	case N_MATCH: return eval_match(n, e);
	}
	return 0;
}

int filter_eval(const struct filter *f, filter_lookup_fn lookup, void *ctx)
{
	struct evalctx e = { f, lookup, ctx };
	return eval_bool(f->root, &e);
}

/* ---- columns, freeing, carets ---- */

size_t filter_ncolumns(const struct filter *f) { return f->ncols; }
const char *filter_column(const struct filter *f, size_t i) { return f->cols[i]; }
size_t filter_column_offset(const struct filter *f, size_t i) { return f->offs[i]; }

void filter_free(struct filter *f)
{
	if (!f)
		return;
	node_free(f->root);
	for (size_t i = 0; i < f->ncols; i++)
		free(f->cols[i]);
	free(f->cols);
	free(f->offs);
	free(f);
}

void filter_caret(struct buf *out, const char *expr, size_t off)
{
	size_t len = strlen(expr);
	if (off > len)
		off = len;
	buf_puts(out, "  ");
	for (const unsigned char *s = (const unsigned char *)expr; *s; s++)
		buf_putc(out, *s < 0x20 || *s == 0x7f ? ' ' : (char)*s);
	buf_puts(out, "\n  ");
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)expr[i] & 0xC0) != 0x80)
			buf_putc(out, ' ');
	buf_puts(out, "^\n");
}
