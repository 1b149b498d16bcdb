/* gridfile.c: the --grid files of a tuning run: CSV, JSON (array of objects, object of
 * lists) and YAML (list of mappings, mapping of lists) read into a grid */
#include "grid.h"
#include "gridfile.h"
#include "json.h"
#include "util.h"
#include "xalloc.h"
#include "yamldoc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A string value as YAML scalar text: as it is when it reads back as itself, else quoted. */
static char *string_scalar(const char *s)
{
	return grid_plain_string(s) ? xstrdup(s) : grid_yaml_quote(s);
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
	const char *why = grid_bad_name(key);
	if (why) {
		free(val);
		return tf_err(rb->path, line, 0, "%s", why);
	}
	int k = grid_find_name(g, key);
	if (k < 0)
		k = (int)grid_add_rowkey(g, key);
	else if ((size_t)k >= g->nrowkeys) {
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
		const char *why = grid_bad_name(head[i].text);
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
		const char *name = json_key(m), *why = grid_bad_name(name);
		if (why || grid_find_name(g, name) >= 0)
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
				grid_free_list(vals, n);
				return tf_err(path, jline(t, len, at, json_type(m) == J_ARR ? 2 : 1), 0,
					      "flag '%s': values must be numbers, strings or booleans", name);
			}
		}
		grid_add_axis(g, name, vals, n);
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
static char *yaml_scalar(const struct ynode *n)
{
	char *s = xstrndup(n->text, n->len);
	if (n->quoted) {
		char *q = string_scalar(s);
		free(s);
		return q;
	}
	if (grid_null_text(s)) {
		free(s);
		return NULL;
	}
	return s;
}

static int yaml_rows(struct grid *g, const char *path, const struct ynode *root)
{
	struct rowbuild rb = { g, NULL, path };
	int rc = 0;
	for (size_t i = 0; rc >= 0 && i < root->nitems; i++) {
		const struct ynode *e = root->items[i];
		if (e->kind != YNODE_MAPPING) {
			rc = tf_err(path, e->line, 0, "a row must be a mapping of flag names to values");
			break;
		}
		row_new(&rb);
		for (size_t j = 0; rc >= 0 && j < e->npairs; j++) {
			const struct ynode *k = e->pairs[j].key, *v = e->pairs[j].value;
			if (k->kind != YNODE_SCALAR)
				rc = tf_err(path, k->line, 0, "a flag name must be a scalar");
			else if (v->kind != YNODE_SCALAR)
				rc = tf_err(path, v->line, 0, "flag '%s': a list or a mapping is not a flag value",
					    k->text);
			else {
				char *val = yaml_scalar(v);
				if (val)
					rc = row_set(&rb, k->text, val, k->line);
			}
		}
	}
	rows_finish(&rb);
	return rc;
}

static int yaml_axes(struct grid *g, const char *path, const struct ynode *root)
{
	for (size_t j = 0; j < root->npairs; j++) {
		const struct ynode *k = root->pairs[j].key, *v = root->pairs[j].value;
		if (k->kind != YNODE_SCALAR)
			return tf_err(path, k->line, 0, "a flag name must be a scalar");
		const char *name = k->text, *why = grid_bad_name(name);
		if (why || grid_find_name(g, name) >= 0)
			return tf_err(path, k->line, 0, "%s", why ? why : "this flag is given twice");
		struct ynode *const *items = &root->pairs[j].value;
		size_t n = 1;
		if (v->kind == YNODE_SEQUENCE) {
			items = v->items;
			n = v->nitems;
		}
		if (!n || v->kind == YNODE_MAPPING)
			return tf_err(path, v->line, 0, "flag '%s': expected a list of values", name);
		char **vals = xcalloc(n, sizeof *vals);
		for (size_t i = 0; i < n; i++) {
			const struct ynode *e = items[i];
			vals[i] = e->kind == YNODE_SCALAR ? yaml_scalar(e) : NULL;
			if (!vals[i]) {
				grid_free_list(vals, n);
				return tf_err(path, e->line, 0, "flag '%s': values must be scalars, not null, lists or mappings", name);
			}
		}
		grid_add_axis(g, name, vals, n);
	}
	return 0;
}

static int parse_yaml(struct grid *g, const char *path, const char *t, size_t len)
{
	struct ydoc *d = ydoc_parse(path, t, len);
	if (!d)
		return -1;
	const struct ynode *root = d->root;
	int rc;
	if (root && root->kind == YNODE_SEQUENCE && root->nitems > 0)
		rc = yaml_rows(g, path, root);
	else if (root && root->kind == YNODE_MAPPING && root->npairs > 0)
		rc = yaml_axes(g, path, root);
	else
		rc = tf_err(path, root ? root->line : 0, 0,
			    "no combinations: expected a list of mappings (one per combination) "
			    "or a mapping of flag names to lists");
	ydoc_free(d);
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
