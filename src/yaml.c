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

#define FLOAT_MARK "float"

/* A number; a float keeps the marker string (cJSON frees and copies it with the node). */
static cJSON *num_new(double d, int is_float)
{
	cJSON *n = cJSON_CreateNumber(d);
	if (is_float)
		n->valuestring = xstrdup(FLOAT_MARK);
	return n;
}

int flags_num_is_float(const cJSON *n)
{
	return cJSON_IsNumber(n) && n->valuestring && !strcmp(n->valuestring, FLOAT_MARK);
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

static cJSON *int_or_float(const char *s)
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

cJSON *flags_yaml_scalar(const char *s)
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
		return cJSON_CreateNull();
	if (in_list(s, yes))
		return cJSON_CreateTrue();
	if (in_list(s, no))
		return cJSON_CreateFalse();
	if (in_list(s, infs))
		return num_new(INFINITY, 1);
	if (in_list(s, neginfs))
		return num_new(-INFINITY, 1);
	if (in_list(s, nans))
		return num_new(NAN, 1);
	if (strchr("+-.0123456789", *s)) {
		cJSON *n = int_or_float(s);
		if (n)
			return n;
	}
	return cJSON_CreateString(s);
}

/* ---- the YAML reader: libyaml events to cJSON ---- */

struct anchor {
	char *name;
	cJSON *v;
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

static size_t count_nodes(const cJSON *v)
{
	size_t n = 1;
	for (const cJSON *c = v->child; c; c = c->next)
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

static void anchor_set(struct yl *y, const yaml_char_t *name, const cJSON *v)
{
	if (!name)
		return;
	y->anch = xrealloc(y->anch, (y->nanch + 1) * sizeof *y->anch);
	y->anch[y->nanch].name = xstrdup((const char *)name);
	y->anch[y->nanch].size = count_nodes(v);
	y->anch[y->nanch++].v = cJSON_Duplicate(v, 1);
}

static cJSON *scalar(struct yl *y, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	if (tag && !ev->data.scalar.plain_implicit && !ev->data.scalar.quoted_implicit) {
		static const char pre[] = "tag:yaml.org,2002:";
		const char *t = strncmp(tag, pre, sizeof pre - 1) ? NULL : tag + sizeof pre - 1;
		if (t && !strcmp(t, "str"))
			return cJSON_CreateString(v);
		if (!t || (strcmp(t, "int") && strcmp(t, "float") && strcmp(t, "bool") &&
			   strcmp(t, "null"))) {
			yl_err(y, ev_line(ev), "the tag '%s' is not supported", tag);
			return NULL;
		}
		cJSON *r = flags_yaml_scalar(v);
		int ok = !strcmp(t, "null") ? cJSON_IsNull(r) : !strcmp(t, "bool") ? cJSON_IsBool(r) :
			 cJSON_IsNumber(r);
		if (!ok) {
			yl_err(y, ev_line(ev), "'%s' is not a valid !!%s", v, t);
			cJSON_Delete(r);
			return NULL;
		}
		if (!strcmp(t, "float") && cJSON_IsNumber(r) && !flags_num_is_float(r))
			r->valuestring = xstrdup(FLOAT_MARK);
		return r;
	}
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		return flags_yaml_scalar(v);
	return cJSON_CreateString(v);
}

static cJSON *node(struct yl *y, yaml_event_t *ev, int depth);

static cJSON *sequence(struct yl *y, int depth)
{
	cJSON *a = cJSON_CreateArray();
	for (;;) {
		yaml_event_t ev;
		if (yl_next(y, &ev))
			break;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return a;
		}
		cJSON *c = node(y, &ev, depth + 1);
		if (!c)
			break;
		cJSON_AddItemToArray(a, c);
	}
	cJSON_Delete(a);
	return NULL;
}

/* YAML merge keys: members of src (a mapping or a list of them) not already in m. */
static int merge_key(struct yl *y, cJSON *m, const cJSON *src, int line)
{
	if (cJSON_IsArray(src)) {
		for (const cJSON *e = src->child; e; e = e->next)
			if (merge_key(y, m, e, line))
				return -1;
		return 0;
	}
	if (!cJSON_IsObject(src))
		return yl_err(y, line, "a '<<' merge key needs a mapping or a list of mappings");
	for (const cJSON *e = src->child; e; e = e->next)
		if (!cJSON_GetObjectItemCaseSensitive(m, e->string))
			cJSON_AddItemToObject(m, e->string, cJSON_Duplicate(e, 1));
	return 0;
}

static cJSON *mapping(struct yl *y, int depth)
{
	cJSON *m = cJSON_CreateObject(), *merges = cJSON_CreateArray(); /* values of "<<" keys */
	int merge_line = 0;
	for (;;) {
		yaml_event_t ev;
		if (yl_next(y, &ev))
			break;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			int bad = 0;
			for (const cJSON *s = merges->child; s && !bad; s = s->next)
				bad = merge_key(y, m, s, merge_line);
			cJSON_Delete(merges);
			if (!bad)
				return m;
			cJSON_Delete(m);
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
		cJSON *v = NULL;
		if (!yl_next(y, &ev))
			v = node(y, &ev, depth + 1);
		if (v && is_merge) {
			merge_line = merge_line ? merge_line : line;
			cJSON_AddItemToArray(merges, v);
		} else if (v && cJSON_GetObjectItemCaseSensitive(m, key)) {
			yl_err(y, line, "duplicate key '%s'", key);
			cJSON_Delete(v);
			v = NULL;
		} else if (v) {
			cJSON_AddItemToObject(m, key, v);
		}
		free(key);
		if (!v)
			break;
	}
	cJSON_Delete(merges);
	cJSON_Delete(m);
	return NULL;
}

/* The node that starts with ev (consumed). */
static cJSON *node(struct yl *y, yaml_event_t *ev, int depth)
{
	cJSON *r = NULL;
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
					r = cJSON_Duplicate(y->anch[i].v, 1);
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
static cJSON *load_text(struct yl *y, const char *text, size_t len, int *ok)
{
	yaml_parser_initialize(&y->p);
	yaml_parser_set_input_string(&y->p, (const unsigned char *)text, len);
	cJSON *root = NULL;
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
		cJSON_Delete(y->anch[i].v);
	}
	free(y->anch);
	if (!*ok) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

cJSON *flags_yaml_load(const char *path)
{
	struct buf text = BUF_INIT;
	if (read_file(path, 16u << 20, &text)) {
		tf_err(path, 0, 0, "cannot read: %s", strerror(errno));
		buf_free(&text);
		return NULL;
	}
	struct yl y = { .path = path };
	int ok;
	cJSON *root = load_text(&y, text.data ? text.data : "", text.len, &ok);
	buf_free(&text);
	if (!ok)
		return NULL;
	if (!root || cJSON_IsNull(root)) {
		cJSON_Delete(root);
		return cJSON_CreateObject();
	}
	return root;
}

cJSON *flags_yaml_value(const char *text)
{
	if (*text == '\'' || *text == '"' || *text == '[' || *text == '{') {
		struct yl y = { .path = "", .quiet = 1 };
		int ok, quoted = *text == '\'' || *text == '"';
		cJSON *v = load_text(&y, text, strlen(text), &ok);
		if (v && (quoted ? cJSON_IsString(v) : cJSON_IsArray(v) || cJSON_IsObject(v)))
			return v;
		cJSON_Delete(v);
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
