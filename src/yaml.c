/* yaml.c: the libyaml wrapper: flags.yml into JSON values (YAML 1.1 scalars), grid files into a tree */
#include "flags.h"
#include "yamldoc.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* A number, marked when written as a float. */
static struct json *num_new(double d, int is_float)
{
	return is_float ? json_new_num_float(d) : json_new_num(d);
}

static int in_list(const char *s, const char *const *l)
{
	for (; *l; l++)
		if (!strcmp(s, *l))
			return 1;
	return 0;
}

/* Digits of base b (with '_' separators, at least one digit) from s to its end. */
static int digits_value(const char *s, int base, double *out)
{
	double v = 0;
	int n = 0;
	for (; *s; s++) {
		if (*s == '_')
			continue;
		int d = isdigit((unsigned char)*s) ? *s - '0' :
			isxdigit((unsigned char)*s) ? tolower((unsigned char)*s) - 'a' + 10 : 99;
		if (d >= base)
			return -1;
		v = v * base + d;
		n++;
	}
	*out = v;
	return n ? 0 : -1;
}

/* Base 60 ("1:30" is 90): s holds digits, ':' groups of [0-5]?[0-9], optionally ".frac". */
static int sexagesimal(const char *s, int allow_frac, double *out)
{
	double v = 0;
	const char *p = s;
	int groups = 0;
	for (;;) {
		const char *q = p;
		double g = 0;
		while (isdigit((unsigned char)*q) || (*q == '_' && groups == 0 && q > p))
			g = *q == '_' ? g : g * 10 + (*q - '0'), q++;
		if (q == p || (groups > 0 && (q - p > 2 || g > 59)))
			return -1;
		v = v * 60 + g;
		groups++;
		p = q;
		if (*p == ':') {
			p++;
			continue;
		}
		break;
	}
	if (groups < 2)
		return -1;
	if (*p == '.' && allow_frac) {
		const char *f = p;
		for (p++; isdigit((unsigned char)*p) || *p == '_'; p++)
			;
		char *clean = xstrndup(f, (size_t)(p - f)), *w = clean;
		for (char *r = clean; *r; r++)
			if (*r != '_')
				*w++ = *r;
		*w = 0;
		v += strtod(clean, NULL);
		free(clean);
	} else if (allow_frac) {
		return -1;
	}
	if (*p)
		return -1;
	*out = v;
	return 0;
}

/* [0-9_]* from p; returns the end. */
static const char *skip_digits(const char *p, int *n)
{
	*n = 0;
	for (; isdigit((unsigned char)*p) || *p == '_'; p++)
		*n += *p != '_';
	return p;
}

/* YAML 1.1 float (also 1e-3, without a dot), base 10; 0 when s is one. */
static int float10(const char *s, double *out)
{
	const char *p = s;
	int nint, nfrac = 0, nexp;
	if (*p == '-' || *p == '+')
		p++;
	if (*p == '_')
		return -1;
	p = skip_digits(p, &nint);
	int dot = *p == '.';
	if (dot)
		p = skip_digits(p + 1, &nfrac);
	int exp = *p == 'e' || *p == 'E';
	if (exp) {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		p = skip_digits(p, &nexp);
		if (!nexp)
			return -1;
	}
	if (*p || (!dot && !exp) || nint + nfrac == 0 || (!nint && !dot))
		return -1;
	char *clean = xstrdup(s), *w = clean;
	for (char *r = clean; *r; r++)
		if (*r != '_')
			*w++ = *r;
	*w = 0;
	*out = strtod(clean, NULL);
	free(clean);
	return 0;
}

static struct json *int_or_float(const char *s)
{
	const char *p = s;
	double sign = 1, v;
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	if (p[0] == '0' && p[1] == 'b' && !digits_value(p + 2, 2, &v))
		return num_new(sign * v, 0);
	if (p[0] == '0' && p[1] == 'x' && !digits_value(p + 2, 16, &v))
		return num_new(sign * v, 0);
	if (p[0] == '0' && p[1] && p[1] != '_' && !digits_value(p + 1, 8, &v))
		return num_new(sign * v, 0);
	if (p[0] == '0' && p[1] == '_' && !digits_value(p + 1, 8, &v))
		return num_new(sign * v, 0);
	if (!strcmp(p, "0"))
		return num_new(0, 0);
	if (p[0] >= '1' && p[0] <= '9') {
		int n;
		if (!*skip_digits(p, &n)) {
			char *clean = xstrdup(p), *w = clean;
			for (char *r = clean; *r; r++)
				if (*r != '_')
					*w++ = *r;
			*w = 0;
			v = strtod(clean, NULL);
			free(clean);
			return num_new(sign * v, 0);
		}
		if (!sexagesimal(p, 0, &v))
			return num_new(sign * v, 0);
	}
	if (isdigit((unsigned char)p[0]) && !sexagesimal(p, 1, &v))
		return num_new(sign * v, 1);
	if (!float10(s, &v))
		return num_new(v, 1);
	return NULL;
}

struct json *flags_yaml_scalar(const char *s)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const yes[] = { "yes", "Yes", "YES", "true", "True", "TRUE",
					   "on", "On", "ON", NULL };
	static const char *const no[] = { "no", "No", "NO", "false", "False", "FALSE",
					  "off", "Off", "OFF", NULL };
	static const char *const infs[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL };
	static const char *const neginfs[] = { "-.inf", "-.Inf", "-.INF", NULL };
	static const char *const nans[] = { ".nan", ".NaN", ".NAN", NULL };
	if (in_list(s, nulls))
		return json_new_null();
	if (in_list(s, yes))
		return json_new_bool(1);
	if (in_list(s, no))
		return json_new_bool(0);
	if (in_list(s, infs))
		return num_new(INFINITY, 1);
	if (in_list(s, neginfs))
		return num_new(-INFINITY, 1);
	if (in_list(s, nans))
		return num_new(NAN, 1);
	if (strchr("+-.0123456789", *s)) {
		struct json *n = int_or_float(s);
		if (n)
			return n;
	}
	return json_new_str(s);
}

/* ---- the YAML reader: libyaml events to JSON values ---- */

struct anchor {
	char *name;
	struct json *v;
	size_t size; /* nodes in v */
};

/* Values that aliases may copy in all, so that a few nested aliases cannot make millions. */
#define ALIAS_BUDGET 100000

struct yl {
	yaml_parser_t p;
	const char *path;
	struct anchor *anch;
	size_t nanch;
	size_t aliased; /* nodes copied by aliases so far */
	int quiet;      /* errors not printed (a command-line value that may not be YAML) */
};

static int yl_err(struct yl *y, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int yl_err(struct yl *y, int line, const char *fmt, ...)
{
	if (y->quiet)
		return -1;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return tf_err(y->path, line, 0, "%s", msg);
}

static size_t count_nodes(const struct json *v)
{
	size_t n = 1;
	for (const struct json *c = json_child(v); c; c = json_next(c))
		n += count_nodes(c);
	return n;
}

static int yl_next(struct yl *y, yaml_event_t *ev)
{
	if (yaml_parser_parse(&y->p, ev))
		return 0;
	const char *problem = y->p.problem ? y->p.problem : "invalid YAML";
	int line = (int)y->p.problem_mark.line + 1;
	if (y->p.error == YAML_READER_ERROR)
		return yl_err(y, 0, "%s (at byte %zu)", problem, y->p.problem_offset);
	if (y->p.context)
		return yl_err(y, line, "%s, %s", y->p.context, problem);
	return yl_err(y, line, "%s", problem);
}

static int ev_line(const yaml_event_t *ev) { return (int)ev->start_mark.line + 1; }

static void anchor_set(struct yl *y, const yaml_char_t *name, const struct json *v)
{
	if (!name)
		return;
	y->anch = xrealloc(y->anch, (y->nanch + 1) * sizeof *y->anch);
	y->anch[y->nanch].name = xstrdup((const char *)name);
	y->anch[y->nanch].size = count_nodes(v);
	y->anch[y->nanch++].v = json_dup(v);
}

static struct json *scalar(struct yl *y, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	if (tag && !ev->data.scalar.plain_implicit && !ev->data.scalar.quoted_implicit) {
		static const char pre[] = "tag:yaml.org,2002:";
		const char *t = strncmp(tag, pre, sizeof pre - 1) ? NULL : tag + sizeof pre - 1;
		if (t && !strcmp(t, "str"))
			return json_new_str(v);
		if (!t || (strcmp(t, "int") && strcmp(t, "float") && strcmp(t, "bool") &&
			   strcmp(t, "null"))) {
			yl_err(y, ev_line(ev), "the tag '%s' is not supported", tag);
			return NULL;
		}
		struct json *r = flags_yaml_scalar(v);
		enum jtype want = !strcmp(t, "null") ? J_NULL : !strcmp(t, "bool") ? J_BOOL : J_NUM;
		int ok = json_type(r) == want;
		if (!ok) {
			yl_err(y, ev_line(ev), "'%s' is not a valid !!%s", v, t);
			json_free(r);
			return NULL;
		}
		if (!strcmp(t, "float") && !json_num_is_float(r)) {
			struct json *f = json_new_num_float(json_num(r));
			json_free(r);
			r = f;
		}
		return r;
	}
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		return flags_yaml_scalar(v);
	return json_new_str(v);
}

static struct json *node(struct yl *y, yaml_event_t *ev, int depth);

static struct json *sequence(struct yl *y, int depth)
{
	struct json *a = json_new_array();
	for (;;) {
		yaml_event_t ev;
		if (yl_next(y, &ev))
			break;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return a;
		}
		struct json *c = node(y, &ev, depth + 1);
		if (!c)
			break;
		json_arr_add(a, c);
	}
	json_free(a);
	return NULL;
}

/* YAML merge keys: members of src (a mapping or a list of them) not already in m. */
static int merge_key(struct yl *y, struct json *m, const struct json *src, int line)
{
	if (json_type(src) == J_ARR) {
		for (const struct json *e = json_child(src); e; e = json_next(e))
			if (merge_key(y, m, e, line))
				return -1;
		return 0;
	}
	if (json_type(src) != J_OBJ)
		return yl_err(y, line, "a '<<' merge key needs a mapping or a list of mappings");
	for (const struct json *e = json_child(src); e; e = json_next(e))
		if (!json_get(m, json_key(e)))
			json_obj_add(m, json_key(e), json_dup(e));
	return 0;
}

static struct json *mapping(struct yl *y, int depth)
{
	struct json *m = json_new_object(), *merges = json_new_array(); /* values of "<<" keys */
	int merge_line = 0;
	for (;;) {
		yaml_event_t ev;
		if (yl_next(y, &ev))
			break;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			int bad = 0;
			for (const struct json *s = json_child(merges); s && !bad; s = json_next(s))
				bad = merge_key(y, m, s, merge_line);
			json_free(merges);
			if (!bad)
				return m;
			json_free(m);
			return NULL;
		}
		int line = ev_line(&ev);
		if (ev.type != YAML_SCALAR_EVENT) {
			yl_err(y, line, "a key must be a plain value, not a list or mapping");
			yaml_event_delete(&ev);
			break;
		}
		char *key = xstrdup((const char *)ev.data.scalar.value);
		int is_merge = !strcmp(key, "<<") && ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		yaml_event_delete(&ev);
		struct json *v = NULL;
		if (!yl_next(y, &ev))
			v = node(y, &ev, depth + 1);
		if (v && is_merge) {
			merge_line = merge_line ? merge_line : line;
			json_arr_add(merges, v);
		} else if (v && json_get(m, key)) {
			yl_err(y, line, "duplicate key '%s'", key);
			json_free(v);
			v = NULL;
		} else if (v) {
			json_obj_add(m, key, v);
		}
		free(key);
		if (!v)
			break;
	}
	json_free(merges);
	json_free(m);
	return NULL;
}

/* The node that starts with ev (consumed). */
static struct json *node(struct yl *y, yaml_event_t *ev, int depth)
{
	struct json *r = NULL;
	int line = ev_line(ev);
	yaml_char_t *anchor = NULL;
	if (depth > 64) {
		yl_err(y, line, "nested too deeply");
		yaml_event_delete(ev);
		return NULL;
	}
	switch (ev->type) {
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		for (size_t i = y->nanch; i-- > 0;)
			if (!strcmp(y->anch[i].name, name)) {
				y->aliased += y->anch[i].size;
				if (y->aliased <= ALIAS_BUDGET)
					r = json_dup(y->anch[i].v);
				break;
			}
		if (!r)
			yl_err(y, line, y->aliased > ALIAS_BUDGET ?
			       "aliases copy more than 100000 values" : "unknown alias '*%s'", name);
		break;
	}
	case YAML_SCALAR_EVENT:
		r = scalar(y, ev);
		if (r)
			anchor_set(y, ev->data.scalar.anchor, r);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int seq = ev->type == YAML_SEQUENCE_START_EVENT;
		const yaml_char_t *a = seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
		anchor = a ? (yaml_char_t *)xstrdup((const char *)a) : NULL;
		yaml_event_delete(ev);
		r = seq ? sequence(y, depth) : mapping(y, depth);
		if (r)
			anchor_set(y, anchor, r);
		free(anchor);
		return r;
	}
	default:
		yl_err(y, line, "unexpected YAML structure");
		break;
	}
	yaml_event_delete(ev);
	return r;
}

/* The one YAML document of text as JSON values (NULL for an empty stream). */
static struct json *load_text(struct yl *y, const char *text, size_t len, int *ok)
{
	yaml_parser_initialize(&y->p);
	yaml_parser_set_input_string(&y->p, (const unsigned char *)text, len);
	struct json *root = NULL;
	int docs = 0;
	*ok = 0;
	for (;;) {
		yaml_event_t ev;
		if (yl_next(y, &ev))
			break;
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			*ok = 1;
			break;
		}
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT ||
		    t == YAML_DOCUMENT_END_EVENT) {
			if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
				yl_err(y, ev_line(&ev), "more than one YAML document");
				yaml_event_delete(&ev);
				break;
			}
			yaml_event_delete(&ev);
			continue;
		}
		root = node(y, &ev, 0);
		if (!root)
			break;
	}
	yaml_parser_delete(&y->p);
	for (size_t i = 0; i < y->nanch; i++) {
		free(y->anch[i].name);
		json_free(y->anch[i].v);
	}
	free(y->anch);
	if (!*ok) {
		json_free(root);
		return NULL;
	}
	return root;
}

struct json *flags_yaml_load(const char *path)
{
	struct buf text = BUF_INIT;
	if (read_file(path, 16u << 20, &text)) {
		tf_err(path, 0, 0, "cannot read: %s", strerror(errno));
		buf_free(&text);
		return NULL;
	}
	struct yl y = { .path = path };
	int ok;
	struct json *root = load_text(&y, text.data ? text.data : "", text.len, &ok);
	buf_free(&text);
	if (!ok)
		return NULL;
	if (!root || json_type(root) == J_NULL) {
		json_free(root);
		return json_new_object();
	}
	return root;
}

struct json *flags_yaml_value(const char *text)
{
	if (*text == '\'' || *text == '"' || *text == '[' || *text == '{') {
		struct yl y = { .path = "", .quiet = 1 };
		int ok, quoted = *text == '\'' || *text == '"';
		struct json *v = load_text(&y, text, strlen(text), &ok);
		enum jtype t = json_type(v);
		if (v && (quoted ? t == J_STR : t == J_ARR || t == J_OBJ))
			return v;
		json_free(v);
	}
	return flags_yaml_scalar(text);
}

/* ---- a document as a tree of nodes (grid files): libyaml's loaded document, copied ---- */

/* Node n from libyaml's y; node ids are 1-based indexes into libyaml's nodes, and so into
 * d->nodes (an alias is the id of the node it names). */
static void ynode_fill(struct ydoc *d, struct ynode *n, const yaml_node_t *y)
{
	n->line = (int)y->start_mark.line + 1;
	switch (y->type) {
	case YAML_SEQUENCE_NODE: {
		const yaml_node_item_t *it = y->data.sequence.items.start;
		n->kind = YNODE_SEQUENCE;
		n->nitems = (size_t)(y->data.sequence.items.top - it);
		n->items = xcalloc(n->nitems ? n->nitems : 1, sizeof *n->items);
		for (size_t i = 0; i < n->nitems; i++)
			n->items[i] = &d->nodes[it[i] - 1];
		break;
	}
	case YAML_MAPPING_NODE: {
		const yaml_node_pair_t *p = y->data.mapping.pairs.start;
		n->kind = YNODE_MAPPING;
		n->npairs = (size_t)(y->data.mapping.pairs.top - p);
		n->pairs = xcalloc(n->npairs ? n->npairs : 1, sizeof *n->pairs);
		for (size_t i = 0; i < n->npairs; i++) {
			n->pairs[i].key = &d->nodes[p[i].key - 1];
			n->pairs[i].value = &d->nodes[p[i].value - 1];
		}
		break;
	}
	default:
		n->kind = YNODE_SCALAR;
		n->len = y->data.scalar.length;
		n->text = xmalloc(n->len + 1);
		memcpy(n->text, y->data.scalar.value, n->len);
		n->text[n->len] = 0;
		n->quoted = y->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		break;
	}
}

struct ydoc *ydoc_parse(const char *path, const char *text, size_t len)
{
	yaml_parser_t ps;
	yaml_document_t yd;
	yaml_parser_initialize(&ps);
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
	if (!yaml_parser_load(&ps, &yd)) {
		tf_err(path, (int)ps.problem_mark.line + 1, (int)ps.problem_mark.column + 1, "%s",
		       ps.problem ? ps.problem : "invalid YAML");
		yaml_parser_delete(&ps);
		return NULL;
	}
	struct ydoc *d = xcalloc(1, sizeof *d);
	d->nnodes = (size_t)(yd.nodes.top - yd.nodes.start);
	d->nodes = xcalloc(d->nnodes ? d->nnodes : 1, sizeof *d->nodes);
	for (size_t i = 0; i < d->nnodes; i++)
		ynode_fill(d, &d->nodes[i], &yd.nodes.start[i]);
	if (yaml_document_get_root_node(&yd))
		d->root = &d->nodes[0];
	yaml_document_delete(&yd);
	yaml_parser_delete(&ps);
	return d;
}

void ydoc_free(struct ydoc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nnodes; i++) {
		free(d->nodes[i].text);
		free(d->nodes[i].items);
		free(d->nodes[i].pairs);
	}
	free(d->nodes);
	free(d);
}
