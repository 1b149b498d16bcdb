/* grid.c: the combinations of flag values a tuning run tries: --flag lists, grid files
 * (CSV, JSON, YAML), the Cartesian product and sampling */
#include "grid.h"
#include "json.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

void grid_init(struct grid *g) { memset(g, 0, sizeof *g); }

void grid_free(struct grid *g)
{
	for (size_t r = 0; r < g->nrows; r++) {
		for (size_t k = 0; k < g->nrowkeys; k++)
			free(g->rows[r][k]);
		free(g->rows[r]);
	}
	free(g->rows);
	for (size_t k = 0; k < g->nrowkeys; k++)
		free(g->rowkeys[k]);
	free(g->rowkeys);
	for (size_t a = 0; a < g->naxes; a++) {
		for (size_t i = 0; i < g->axes[a].n; i++)
			free(g->axes[a].vals[i]);
		free(g->axes[a].vals);
		free(g->axes[a].name);
	}
	free(g->axes);
	free(g->names);
	grid_init(g);
}

/* Rebuilds names: the row keys, then the axes. */
static void sync_names(struct grid *g)
{
	g->nnames = g->nrowkeys + g->naxes;
	g->names = xrealloc(g->names, (g->nnames + 1) * sizeof *g->names);
	for (size_t k = 0; k < g->nrowkeys; k++)
		g->names[k] = g->rowkeys[k];
	for (size_t a = 0; a < g->naxes; a++)
		g->names[g->nrowkeys + a] = g->axes[a].name;
}

static int find_name(const struct grid *g, const char *name)
{
	for (size_t k = 0; k < g->nnames; k++)
		if (!strcmp(g->names[k], name))
			return (int)k;
	return -1;
}

/* A flag name: not empty, no '=', no space or control character, not starting with '-'. */
static const char *bad_name(const char *s)
{
	if (!*s)
		return "an empty flag name";
	if (*s == '-')
		return "a flag name cannot start with '-'";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p == '=' || *p <= ' ' || *p == 0x7f)
			return "a flag name cannot contain '=', spaces or control characters";
	return NULL;
}

/* ---- YAML scalars ---- */

static const char *const yaml_words[] = {
	"~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
	"true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
};

static int yaml_word(const char *s)
{
	for (size_t i = 0; i < sizeof yaml_words / sizeof yaml_words[0]; i++)
		if (!strcmp(s, yaml_words[i]))
			return (int)i;
	return -1;
}

static int is_null_text(const char *s) { return !*s || (yaml_word(s) >= 0 && yaml_word(s) < 4); }

/* 1 true, 0 false, -1 neither (YAML 1.1 words, plus R's T and F). */
static int logical_text(const char *s)
{
	int w = yaml_word(s);
	if (w >= 4 && w < 4 + 22) {
		static const int truth[] = { 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0 };
		return truth[w - 4];
	}
	if (!strcmp(s, "T"))
		return 1;
	if (!strcmp(s, "F"))
		return 0;
	return -1;
}

int grid_plain_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!*p || yaml_word(s) >= 0)
		return 0;
	if (!(isalpha(*p) || *p == '_' || *p == '/' || *p >= 0x80))
		return 0;
	for (; *p; p++) {
		if (isalnum(*p) || *p >= 0x80 || strchr("_./-+()", *p))
			continue;
		if (*p == ' ' && p[1] && p[1] != ' ' && p[1] != '#')
			continue;
		return 0;
	}
	return 1;
}

char *grid_yaml_quote(const char *s)
{
	struct buf b = BUF_INIT;
	buf_putc(&b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_putc(&b, '\'');
		buf_putc(&b, *s);
	}
	buf_putc(&b, '\'');
	return buf_detach(&b);
}

/* A string value as YAML scalar text: as it is when it reads back as itself, else quoted. */
static char *string_scalar(const char *s)
{
	return grid_plain_string(s) ? xstrdup(s) : grid_yaml_quote(s);
}

/* The string a quoted scalar stands for, or NULL when text is not quoted. */
static char *unquote(const char *t)
{
	size_t n = strlen(t);
	if (n < 2 || (t[0] != '\'' && t[0] != '"') || t[n - 1] != t[0])
		return NULL;
	struct buf b = BUF_INIT;
	buf_puts(&b, "");
	for (size_t i = 1; i < n - 1; i++) {
		if (t[0] == '\'' && t[i] == '\'' && t[i + 1] == '\'')
			i++;
		else if (t[0] == '"' && t[i] == '\\' && i + 1 < n - 1) {
			i++;
			char c = t[i] == 'n' ? '\n' : t[i] == 't' ? '\t' : t[i];
			buf_putc(&b, c);
			continue;
		}
		buf_putc(&b, t[i]);
	}
	return buf_detach(&b);
}

static int number_text(const char *s, double *d)
{
	char *end;
	if (!*s || isspace((unsigned char)*s))
		return 0;
	errno = 0;
	*d = strtod(s, &end);
	return !*end && !isnan(*d);
}

int grid_value_matches(const char *text, int type, const char *rec)
{
	if (!text || is_null_text(text)) /* unset: the run has whatever the flags file gave */
		return 1;
	if (type == GRID_REC_NONE)
		return 0;
	if (!strcmp(text, rec)) /* also a quoted value recorded as it was written */
		return 1;
	char *q = unquote(text);
	if (q) {
		int eq = !strcmp(q, rec);
		free(q);
		return eq;
	}
	double a, b;
	if (number_text(text, &a)) {
		if (type == GRID_REC_BOOL)
			return (a != 0) == !strcmp(rec, "true");
		return number_text(rec, &b) && a == b;
	}
	int l = logical_text(text);
	if (l >= 0 && (type == GRID_REC_BOOL || logical_text(rec) >= 0))
		return l == logical_text(rec);
	return !strcmp(text, rec);
}

/* ---- building ---- */

static int add_axis(struct grid *g, const char *name, char **vals, size_t n)
{
	g->axes = xrealloc(g->axes, (g->naxes + 1) * sizeof *g->axes);
	g->axes[g->naxes++] = (struct grid_axis){ xstrdup(name), vals, n };
	sync_names(g);
	return 0;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int grid_add_flag(struct grid *g, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq)
		return tf_err(arg, 0, 0, "expected NAME=V1,V2,...");
	char *name = xstrndup(arg, (size_t)(eq - arg));
	const char *why = bad_name(name);
	if (why || find_name(g, name) >= 0) {
		tf_err(arg, 0, 0, "%s", why ? why : "this flag is given twice");
		free(name);
		return -1;
	}
	char **vals = NULL;
	size_t n = 0;
	const char *p = eq + 1;
	for (;;) {
		const char *start = p;
		if (*p == '\'') {
			for (p++; *p; p++)
				if (*p == '\'' && *++p != '\'')
					break;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		}
		p += strcspn(p, ",");
		if (p == start) {
			free_list(vals, n);
			free(name);
			return tf_err(arg, 0, 0, "empty value (use ~ for null)");
		}
		vals = xrealloc(vals, (n + 1) * sizeof *vals);
		vals[n++] = xstrndup(start, (size_t)(p - start));
		if (!*p)
			break;
		p++;
	}
	add_axis(g, name, vals, n);
	free(name);
	return 0;
}

/* Rows are built cell by cell; keys may appear in any row (missing cells stay NULL). */
struct rowbuild {
	struct grid *g;
	size_t *len; /* cells allocated per row */
	const char *path;
};

static void row_new(struct rowbuild *rb)
{
	struct grid *g = rb->g;
	g->rows = xrealloc(g->rows, (g->nrows + 1) * sizeof *g->rows);
	rb->len = xrealloc(rb->len, (g->nrows + 1) * sizeof *rb->len);
	g->rows[g->nrows] = NULL;
	rb->len[g->nrows] = 0;
	g->nrows++;
}

/* Sets key to val (taken) in the last row; -1 after an error at line. */
static int row_set(struct rowbuild *rb, const char *key, char *val, int line)
{
	struct grid *g = rb->g;
	const char *why = bad_name(key);
	if (why) {
		free(val);
		return tf_err(rb->path, line, 0, "%s", why);
	}
	int k = find_name(g, key);
	if (k < 0) {
		g->rowkeys = xrealloc(g->rowkeys, (g->nrowkeys + 1) * sizeof *g->rowkeys);
		g->rowkeys[g->nrowkeys++] = xstrdup(key);
		sync_names(g);
		k = (int)g->nrowkeys - 1;
	} else if ((size_t)k >= g->nrowkeys) {
		free(val);
		return tf_err(rb->path, line, 0, "flag '%s' is also given with --flag", key);
	}
	size_t r = g->nrows - 1;
	if (rb->len[r] <= (size_t)k) {
		g->rows[r] = xrealloc(g->rows[r], ((size_t)k + 1) * sizeof **g->rows);
		for (size_t i = rb->len[r]; i <= (size_t)k; i++)
			g->rows[r][i] = NULL;
		rb->len[r] = (size_t)k + 1;
	} else if (g->rows[r][k]) {
		free(val);
		return tf_err(rb->path, line, 0, "flag '%s' is given twice in this row", key);
	}
	g->rows[r][k] = val;
	return 0;
}

/* Every row as long as the keys. */
static void rows_finish(struct rowbuild *rb)
{
	struct grid *g = rb->g;
	for (size_t r = 0; r < g->nrows; r++) {
		g->rows[r] = xrealloc(g->rows[r], (g->nrowkeys + 1) * sizeof **g->rows);
		for (size_t i = rb->len[r]; i < g->nrowkeys; i++)
			g->rows[r][i] = NULL;
	}
	free(rb->len);
	rb->len = NULL;
}

/* ---- CSV ---- */

struct field {
	char *text;
	int quoted;
};

static void fields_free(struct field *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i].text);
	free(f);
}

/* Reads one record starting at *pos (line *line). Returns 1, 0 at the end, -1 after an error. */
static int csv_record(const char *path, const char *t, size_t len, size_t *pos, int *line,
		      struct field **out, size_t *nout)
{
	size_t p = *pos, n = 0;
	struct field *f = NULL;
	if (p >= len)
		return 0;
	for (;;) {
		struct buf b = BUF_INIT;
		int quoted = 0;
		buf_puts(&b, "");
		while (p < len && (t[p] == ' ' || t[p] == '\t'))
			p++;
		if (p < len && t[p] == '"') {
			int open_line = *line;
			quoted = 1;
			for (p++;; p++) {
				if (p >= len) {
					buf_free(&b);
					fields_free(f, n);
					return tf_err(path, open_line, 0, "a quoted field is not closed");
				}
				if (t[p] == '"' && p + 1 < len && t[p + 1] == '"')
					p++;
				else if (t[p] == '"')
					break;
				else if (t[p] == '\n')
					++*line;
				buf_putc(&b, t[p]);
			}
			for (p++; p < len && (t[p] == ' ' || t[p] == '\t'); p++)
				;
			if (p < len && t[p] != ',' && t[p] != '\n' && t[p] != '\r') {
				buf_free(&b);
				fields_free(f, n);
				return tf_err(path, *line, 0, "unexpected text after a quoted field");
			}
		} else {
			size_t s = p;
			while (p < len && t[p] != ',' && t[p] != '\n' && t[p] != '\r')
				p++;
			size_t e = p;
			while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t'))
				e--;
			buf_add(&b, t + s, e - s);
		}
		f = xrealloc(f, (n + 1) * sizeof *f);
		f[n++] = (struct field){ buf_detach(&b), quoted };
		if (p < len && t[p] == ',') {
			p++;
			continue;
		}
		if (p < len && t[p] == '\r')
			p++;
		if (p < len && t[p] == '\n')
			p++;
		++*line;
		break;
	}
	*pos = p;
	*out = f;
	*nout = n;
	return 1;
}

static int parse_csv(struct grid *g, const char *path, const char *t, size_t len)
{
	size_t pos = 0, nh = 0, n;
	int line = 1, rc = 0;
	struct field *head = NULL, *f;
	struct rowbuild rb = { g, NULL, path };
	int head_line = 1;
	/* the header: the first line that is not blank */
	for (;;) {
		head_line = line;
		rc = csv_record(path, t, len, &pos, &line, &head, &nh);
		if (rc <= 0)
			return rc < 0 ? -1 : tf_err(path, 0, 0, "no header line: the file is empty");
		if (nh > 1 || head[0].quoted || head[0].text[0])
			break;
		fields_free(head, nh);
	}
	for (size_t i = 0; i < nh; i++) {
		const char *why = bad_name(head[i].text);
		for (size_t j = 0; !why && j < i; j++)
			if (!strcmp(head[i].text, head[j].text))
				why = "a column name is given twice";
		if (why) {
			fields_free(head, nh);
			return tf_err(path, head_line, 0, "column %zu: %s", i + 1, why);
		}
	}
	for (;;) {
		int at = line;
		rc = csv_record(path, t, len, &pos, &line, &f, &n);
		if (rc <= 0)
			break;
		if (n == 1 && !f[0].quoted && !f[0].text[0]) {
			fields_free(f, n);
			continue;
		}
		if (n != nh) {
			fields_free(f, n);
			rc = tf_err(path, at, 0, "%zu fields, but the header has %zu", n, nh);
			break;
		}
		row_new(&rb);
		for (size_t i = 0; i < n && rc >= 0; i++) {
			if (!f[i].quoted && !f[i].text[0])
				continue;
			char *v = f[i].text;
			f[i].text = NULL;
			if (f[i].quoted && !v[0]) {
				free(v);
				v = xstrdup("''");
			}
			rc = row_set(&rb, head[i].text, v, at);
		}
		fields_free(f, n);
		if (rc < 0)
			break;
	}
	fields_free(head, nh);
	rows_finish(&rb);
	if (rc >= 0 && !g->nrows)
		rc = tf_err(path, 0, 0, "no combinations: the file has a header but no rows");
	return rc < 0 ? -1 : 0;
}

/* ---- JSON ---- */

static size_t jws(const char *t, size_t len, size_t p)
{
	while (p < len && strchr(" \t\r\n", t[p]))
		p++;
	return p;
}

/* The end of the (valid) value at p. */
static size_t jskip(const char *t, size_t len, size_t p)
{
	int depth = 0;
	while (p < len) {
		char c = t[p];
		if (c == '"') {
			for (p++; p < len && t[p] != '"'; p++)
				if (t[p] == '\\')
					p++;
			p++;
		} else if (c == '[' || c == '{') {
			depth++, p++;
		} else if (c == ']' || c == '}') {
			if (!depth)
				return p;
			depth--, p++;
		} else if (!depth && (c == ',' || strchr(" \t\r\n", c))) {
			return p;
		} else {
			p++;
		}
		if (!depth && (c == '"' || c == ']' || c == '}'))
			return p;
	}
	return p;
}

/* The line of the value at a path of positions (element i of an array, member i of an
 * object) in valid JSON text. */
static int jline(const char *t, size_t len, const size_t *path, size_t npath)
{
	size_t p = jws(t, len, 0);
	for (size_t d = 0; d < npath && p < len && (t[p] == '[' || t[p] == '{'); d++) {
		int obj = t[p] == '{';
		p = jws(t, len, p + 1);
		for (size_t i = 0; i <= path[d]; i++) {
			if (obj) {
				p = jws(t, len, jskip(t, len, p));
				p = jws(t, len, p + 1);
			}
			if (i == path[d])
				break;
			p = jws(t, len, jskip(t, len, p));
			if (p < len && t[p] == ',')
				p = jws(t, len, p + 1);
		}
	}
	int line, col;
	text_linecol(t, p, &line, &col);
	return line;
}

/* A JSON scalar as YAML scalar text; NULL for null. Sets *bad for arrays and objects. */
static char *json_scalar(const struct json *j, int *bad)
{
	struct buf b = BUF_INIT;
	*bad = 0;
	switch (json_type(j)) {
	case J_STR: return string_scalar(json_str(j));
	case J_NUM: value_fmt_num(&b, json_num(j)); return buf_detach(&b);
	case J_BOOL: return xstrdup(json_bool(j) ? "true" : "false");
	case J_NULL: return NULL;
	default: *bad = 1; return NULL;
	}
}

static int json_rows(struct grid *g, const char *path, const char *t, size_t len,
		     const struct json *root)
{
	struct rowbuild rb = { g, NULL, path };
	size_t i = 0;
	int rc = 0;
	for (const struct json *e = json_child(root); e && rc >= 0; e = json_next(e), i++) {
		size_t at[2] = { i, 0 };
		if (json_type(e) != J_OBJ) {
			rc = tf_err(path, jline(t, len, at, 1), 0, "row %zu is not an object of flag values", i + 1);
			break;
		}
		row_new(&rb);
		for (const struct json *m = json_child(e); m && rc >= 0; m = json_next(m), at[1]++) {
			int bad;
			char *v = json_scalar(m, &bad);
			if (bad)
				rc = tf_err(path, jline(t, len, at, 2), 0, "flag '%s': a list or an object is not a flag value", json_key(m));
			else if (v)
				rc = row_set(&rb, json_key(m), v, jline(t, len, at, 2));
		}
	}
	rows_finish(&rb);
	return rc;
}

static int json_axes(struct grid *g, const char *path, const char *t, size_t len,
		     const struct json *root)
{
	size_t i = 0;
	for (const struct json *m = json_child(root); m; m = json_next(m), i++) {
		size_t at[2] = { i, 0 };
		const char *name = json_key(m), *why = bad_name(name);
		if (why || find_name(g, name) >= 0)
			return tf_err(path, jline(t, len, at, 1), 0, "%s", why ? why : "this flag is given twice");
		size_t n = json_type(m) == J_ARR ? json_size(m) : 1;
		if (!n)
			return tf_err(path, jline(t, len, at, 1), 0, "flag '%s': an empty list", name);
		char **vals = xcalloc(n, sizeof *vals);
		const struct json *e = json_type(m) == J_ARR ? json_child(m) : m;
		for (size_t k = 0; k < n; k++, e = json_next(e)) {
			int bad;
			at[1] = k;
			vals[k] = json_scalar(e, &bad);
			if (bad || !vals[k]) {
				free_list(vals, n);
				return tf_err(path, jline(t, len, at, json_type(m) == J_ARR ? 2 : 1), 0,
					      "flag '%s': values must be numbers, strings or booleans", name);
			}
		}
		add_axis(g, name, vals, n);
	}
	return 0;
}

static int parse_json(struct grid *g, const char *path, const char *t, size_t len)
{
	size_t off = 0;
	struct json *root = json_parse_quiet(t, len, &off);
	if (!root) {
		int line, col;
		text_linecol(t, off, &line, &col);
		return tf_err(path, line, col, "invalid JSON");
	}
	int rc;
	if (json_type(root) == J_ARR && json_size(root))
		rc = json_rows(g, path, t, len, root);
	else if (json_type(root) == J_OBJ && json_size(root))
		rc = json_axes(g, path, t, len, root);
	else
		rc = tf_err(path, jline(t, len, NULL, 0), 0,
			    "no combinations: expected an array of objects (one per combination) "
			    "or an object of lists");
	json_free(root);
	return rc < 0 ? -1 : 0;
}

/* ---- YAML ---- */

/* A scalar node as YAML scalar text; NULL for null. */
static char *yaml_scalar(const yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;
	char *s = xstrndup(v, n->data.scalar.length);
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		char *q = string_scalar(s);
		free(s);
		return q;
	}
	if (is_null_text(s)) {
		free(s);
		return NULL;
	}
	return s;
}

static int yline(const yaml_node_t *n) { return (int)n->start_mark.line + 1; }

static int yaml_rows(struct grid *g, const char *path, yaml_document_t *d, yaml_node_t *root)
{
	struct rowbuild rb = { g, NULL, path };
	int rc = 0;
	for (yaml_node_item_t *it = root->data.sequence.items.start;
	     rc >= 0 && it < root->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(d, *it);
		if (e->type != YAML_MAPPING_NODE) {
			rc = tf_err(path, yline(e), 0, "a row must be a mapping of flag names to values");
			break;
		}
		row_new(&rb);
		for (yaml_node_pair_t *p = e->data.mapping.pairs.start;
		     rc >= 0 && p < e->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(d, p->key);
			yaml_node_t *v = yaml_document_get_node(d, p->value);
			if (k->type != YAML_SCALAR_NODE)
				rc = tf_err(path, yline(k), 0, "a flag name must be a scalar");
			else if (v->type != YAML_SCALAR_NODE)
				rc = tf_err(path, yline(v), 0, "flag '%s': a list or a mapping is not a flag value",
					    (const char *)k->data.scalar.value);
			else {
				char *val = yaml_scalar(v);
				if (val)
					rc = row_set(&rb, (const char *)k->data.scalar.value, val, yline(k));
			}
		}
	}
	rows_finish(&rb);
	return rc;
}

static int yaml_axes(struct grid *g, const char *path, yaml_document_t *d, yaml_node_t *root)
{
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		yaml_node_t *v = yaml_document_get_node(d, p->value);
		if (k->type != YAML_SCALAR_NODE)
			return tf_err(path, yline(k), 0, "a flag name must be a scalar");
		const char *name = (const char *)k->data.scalar.value, *why = bad_name(name);
		if (why || find_name(g, name) >= 0)
			return tf_err(path, yline(k), 0, "%s", why ? why : "this flag is given twice");
		yaml_node_item_t one = p->value, *items = &one, *end = &one + 1;
		if (v->type == YAML_SEQUENCE_NODE) {
			items = v->data.sequence.items.start;
			end = v->data.sequence.items.top;
		}
		size_t n = (size_t)(end - items);
		if (!n || v->type == YAML_MAPPING_NODE)
			return tf_err(path, yline(v), 0, "flag '%s': expected a list of values", name);
		char **vals = xcalloc(n, sizeof *vals);
		for (size_t i = 0; i < n; i++) {
			yaml_node_t *e = yaml_document_get_node(d, items[i]);
			vals[i] = e->type == YAML_SCALAR_NODE ? yaml_scalar(e) : NULL;
			if (!vals[i]) {
				free_list(vals, n);
				return tf_err(path, yline(e), 0, "flag '%s': values must be scalars, not null, lists or mappings", name);
			}
		}
		add_axis(g, name, vals, n);
	}
	return 0;
}

static int parse_yaml(struct grid *g, const char *path, const char *t, size_t len)
{
	yaml_parser_t ps;
	yaml_document_t d;
	yaml_parser_initialize(&ps);
	yaml_parser_set_input_string(&ps, (const unsigned char *)t, len);
	if (!yaml_parser_load(&ps, &d)) {
		tf_err(path, (int)ps.problem_mark.line + 1, (int)ps.problem_mark.column + 1, "%s",
		       ps.problem ? ps.problem : "invalid YAML");
		yaml_parser_delete(&ps);
		return -1;
	}
	yaml_node_t *root = yaml_document_get_root_node(&d);
	int rc;
	if (root && root->type == YAML_SEQUENCE_NODE &&
	    root->data.sequence.items.top > root->data.sequence.items.start)
		rc = yaml_rows(g, path, &d, root);
	else if (root && root->type == YAML_MAPPING_NODE &&
		 root->data.mapping.pairs.top > root->data.mapping.pairs.start)
		rc = yaml_axes(g, path, &d, root);
	else
		rc = tf_err(path, root ? yline(root) : 0, 0,
			    "no combinations: expected a list of mappings (one per combination) "
			    "or a mapping of flag names to lists");
	yaml_document_delete(&d);
	yaml_parser_delete(&ps);
	return rc < 0 ? -1 : 0;
}

/* ---- files ---- */

static enum grid_format guess(const char *path, const char *t, size_t len)
{
	const char *dot = strrchr(path, '.');
	if (dot && !strcasecmp(dot, ".csv"))
		return GRID_CSV;
	if (dot && !strcasecmp(dot, ".json"))
		return GRID_JSON;
	if (dot && (!strcasecmp(dot, ".yml") || !strcasecmp(dot, ".yaml")))
		return GRID_YAML;
	size_t p = jws(t, len, 0);
	if (p < len && (t[p] == '[' || t[p] == '{'))
		return GRID_JSON;
	if (p < len && (t[p] == '-' || t[p] == '#' || memchr(t, ':', len)))
		return GRID_YAML;
	return GRID_CSV;
}

int grid_parse(struct grid *g, const char *path, const char *text, size_t len, enum grid_format f)
{
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		text += 3, len -= 3;
	if (f == GRID_AUTO)
		f = guess(path, text, len);
	switch (f) {
	case GRID_CSV: return parse_csv(g, path, text, len);
	case GRID_JSON: return parse_json(g, path, text, len);
	default: return parse_yaml(g, path, text, len);
	}
}

int grid_read_file(struct grid *g, const char *path)
{
	struct buf b = BUF_INIT;
	if (read_file(path, 64u << 20, &b) < 0)
		return tf_err(path, 0, 0, "%s", strerror(errno));
	int rc = grid_parse(g, path, b.data ? b.data : "", b.len, GRID_AUTO);
	buf_free(&b);
	return rc;
}

/* ---- combinations ---- */

size_t grid_total(const struct grid *g)
{
	size_t n = g->nrows ? g->nrows : 1;
	for (size_t a = 0; a < g->naxes; a++) {
		if (g->axes[a].n && n > GRID_MAX / g->axes[a].n)
			return 0;
		n *= g->axes[a].n;
	}
	return n > GRID_MAX ? 0 : n;
}

void grid_combination(const struct grid *g, size_t idx, const char **vals)
{
	size_t k = 0;
	if (g->nrows) {
		for (; k < g->nrowkeys; k++)
			vals[k] = g->rows[idx % g->nrows][k];
		idx /= g->nrows;
	}
	for (size_t a = 0; a < g->naxes; a++) {
		vals[k++] = g->axes[a].vals[idx % g->axes[a].n];
		idx /= g->axes[a].n;
	}
}

int grid_sample_parse(const char *s, double *f)
{
	char *end;
	errno = 0;
	*f = strtod(s, &end);
	if (!*s || *end || errno || isnan(*f))
		return tf_err("--sample", 0, 0, "expected a number, not '%s'", s);
	if (*f > 1)
		return tf_err("--sample", 0, 0, "sample must be a floating point value less or equal to 1");
	if (*f <= 0)
		return tf_err("--sample", 0, 0, "sample must be a floating point value greater than 0");
	return 0;
}

size_t grid_sample_size(size_t total, double f)
{
	double x = f * (double)total, r = nearbyint(x);
	size_t k = fabs(x - r) < 1e-9 * (x > 1 ? x : 1) ? (size_t)r : (size_t)ceil(x);
	return k < 1 ? 1 : k > total ? total : k;
}

/* splitmix64 */
static uint64_t next_random(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), without modulo bias. */
static uint64_t below(uint64_t *s, uint64_t n)
{
	uint64_t min = -n % n, r;
	do
		r = next_random(s);
	while (r < min);
	return r % n;
}

size_t *grid_sample(size_t total, size_t k, uint64_t seed)
{
	size_t *v = xmalloc((total ? total : 1) * sizeof *v);
	for (size_t i = 0; i < total; i++)
		v[i] = i;
	uint64_t s = seed;
	for (size_t i = 0; i < k && i < total; i++) {
		size_t j = i + (size_t)below(&s, total - i);
		size_t t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
	return v;
}
