/* json.c: JSON reading, building and printing over cJSON (the only file that includes it) */
#include "json.h"
#include "util.h"
#include "xalloc.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define C(j) ((const cJSON *)(const void *)(j))
#define J(c) ((const struct json *)(const void *)(c))
#define M(j) ((cJSON *)(void *)(j))

struct json *json_parse_quiet(const char *text, size_t len, size_t *err_off)
{
	const char *end = NULL;
	/* cJSON needs a NUL-terminated buffer of len bytes; buffers here always are. */
	cJSON *c = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!c && err_off)
		*err_off = end && end >= text ? (size_t)(end - text) : 0;
	return (struct json *)(void *)c;
}

struct json *json_parse(const char *text, size_t len, const char *path)
{
	size_t off = 0;
	struct json *j = json_parse_quiet(text, len, &off);
	if (!j) {
		int line, col;
		text_linecol(text, off, &line, &col);
		tf_warn(path, line, col, "invalid JSON");
	}
	return j;
}

void json_free(struct json *j) { cJSON_Delete((cJSON *)(void *)j); }

enum jtype json_type(const struct json *j)
{
	const cJSON *c = C(j);
	if (!c)
		return J_INVALID;
	switch (c->type & 0xFF) {
	case cJSON_NULL: return J_NULL;
	case cJSON_False:
	case cJSON_True: return J_BOOL;
	case cJSON_Number: return J_NUM;
	case cJSON_String: return J_STR;
	case cJSON_Array: return J_ARR;
	case cJSON_Object: return J_OBJ;
	default: return J_INVALID;
	}
}

int json_bool(const struct json *j) { return cJSON_IsTrue(C(j)); }
double json_num(const struct json *j) { return C(j)->valuedouble; }
const char *json_str(const struct json *j) { return C(j)->valuestring; }
const char *json_key(const struct json *j) { return C(j)->string; }
const struct json *json_child(const struct json *j) { return J(C(j)->child); }
const struct json *json_next(const struct json *j) { return J(C(j)->next); }

size_t json_size(const struct json *j)
{
	size_t n = 0;
	for (const cJSON *c = C(j)->child; c; c = c->next)
		n++;
	return n;
}

const struct json *json_get(const struct json *obj, const char *key)
{
	return J(cJSON_GetObjectItemCaseSensitive(C(obj), key));
}

void json_print(struct buf *out, const struct json *j)
{
	char *s = cJSON_PrintUnformatted(C(j));
	if (s) {
		buf_puts(out, s);
		cJSON_free(s);
	}
}

struct value json_value(const struct json *j)
{
	switch (json_type(j)) {
	case J_BOOL: return value_bool(json_bool(j));
	case J_NUM: return value_num(json_num(j));
	case J_STR: return value_str(json_str(j));
	case J_ARR:
	case J_OBJ: {
		struct buf b = BUF_INIT;
		json_print(&b, j);
		return value_str_own(buf_detach(&b));
	}
	default: return VALUE_NA;
	}
}

/* ---- building ---- */

struct json *json_new_object(void) { return (struct json *)(void *)cJSON_CreateObject(); }
struct json *json_new_array(void) { return (struct json *)(void *)cJSON_CreateArray(); }

static struct json *attach(struct json *parent, const char *key, cJSON *item)
{
	if (!item) {
		fputs("tfreport: out of memory\n", stderr);
		abort();
	}
	cJSON *p = (cJSON *)(void *)parent;
	if (key)
		cJSON_AddItemToObject(p, key, item);
	else
		cJSON_AddItemToArray(p, item);
	return (struct json *)(void *)item;
}

struct json *json_add_object(struct json *parent, const char *key)
{
	return attach(parent, key, cJSON_CreateObject());
}

struct json *json_add_array(struct json *parent, const char *key)
{
	return attach(parent, key, cJSON_CreateArray());
}

void json_add_str(struct json *parent, const char *key, const char *s)
{
	attach(parent, key, cJSON_CreateString(s ? s : ""));
}

void json_add_num(struct json *parent, const char *key, double d)
{
	attach(parent, key, isfinite(d) ? cJSON_CreateNumber(d) : cJSON_CreateNull());
}

void json_add_bool(struct json *parent, const char *key, int b)
{
	attach(parent, key, cJSON_CreateBool(b));
}

void json_add_null(struct json *parent, const char *key) { attach(parent, key, cJSON_CreateNull()); }

void json_add_value(struct json *parent, const char *key, const struct value *v)
{
	switch (v ? v->type : V_NA) {
	case V_NUM: json_add_num(parent, key, v->num); break;
	case V_BOOL: json_add_bool(parent, key, v->b); break;
	case V_STR: json_add_str(parent, key, v->str); break;
	case V_TIME: {
		struct buf t = BUF_INIT;
		value_fmt_time(&t, v->num);
		json_add_str(parent, key, t.data);
		buf_free(&t);
		break;
	}
	default: json_add_null(parent, key);
	}
}

/* ---- mutable trees ---- */

/* A float's mark: a number node's valuestring, which cJSON ignores for numbers but copies
 * and frees with the node. */
#define FLOAT_MARK "float"

static struct json *made(cJSON *c)
{
	if (!c) {
		fputs("tfreport: out of memory\n", stderr);
		abort();
	}
	return (struct json *)(void *)c;
}

struct json *json_new_null(void) { return made(cJSON_CreateNull()); }
struct json *json_new_bool(int b) { return made(cJSON_CreateBool(b)); }
struct json *json_new_num(double d) { return made(cJSON_CreateNumber(d)); }
struct json *json_new_str(const char *s) { return made(cJSON_CreateString(s)); }

struct json *json_new_num_float(double d)
{
	struct json *j = json_new_num(d);
	M(j)->valuestring = xstrdup(FLOAT_MARK);
	return j;
}

int json_num_is_float(const struct json *j)
{
	const cJSON *c = C(j);
	return cJSON_IsNumber(c) && c->valuestring && !strcmp(c->valuestring, FLOAT_MARK);
}

struct json *json_dup(const struct json *j)
{
	return j ? made(cJSON_Duplicate(C(j), 1)) : NULL;
}

struct json *json_get_mut(struct json *obj, const char *key)
{
	return (struct json *)(void *)cJSON_GetObjectItemCaseSensitive(M(obj), key);
}

void json_obj_add(struct json *obj, const char *key, struct json *v)
{
	cJSON_AddItemToObject(M(obj), key, M(v));
}

void json_arr_add(struct json *arr, struct json *v)
{
	cJSON_AddItemToArray(M(arr), M(v));
}

void json_obj_replace(struct json *obj, const char *key, struct json *v)
{
	if (json_get(obj, key))
		cJSON_ReplaceItemInObjectCaseSensitive(M(obj), key, M(v));
	else
		json_obj_add(obj, key, v);
}

void json_obj_remove(struct json *obj, const char *key)
{
	cJSON_DeleteItemFromObjectCaseSensitive(M(obj), key);
}

void json_print_str(struct buf *out, const char *s)
{
	struct json *k = json_new_str(s);
	json_print(out, k);
	json_free(k);
}

/* ---- fast path for metrics.json ---- */

struct scan {
	const char *p, *end;
};

static void ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
		s->p++;
}

static int eat(struct scan *s, char c)
{
	ws(s);
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return 1;
	}
	return 0;
}

/* A key without escapes, copied into key (cap bytes); 0 if anything else. */
static int scan_key(struct scan *s, char *key, size_t cap)
{
	if (!eat(s, '"'))
		return 0;
	const char *q = s->p;
	while (q < s->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
		q++;
	if (q >= s->end || *q != '"' || (size_t)(q - s->p) >= cap)
		return 0;
	memcpy(key, s->p, (size_t)(q - s->p));
	key[q - s->p] = '\0';
	s->p = q + 1;
	return 1;
}

/* A plain decimal such as -0.5133 with at most 15 digits, exactly as strtod would give it:
 * the digits form an exact integer and one division by an exact power of ten rounds
 * correctly (Clinger's fast path). 0 for anything else (exponents, long numbers). */
static int fast_decimal(struct scan *s, double *out)
{
	static const double p10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
				      1e11, 1e12, 1e13, 1e14, 1e15 };
	const char *p = s->p;
	int neg = p < s->end && *p == '-';
	p += neg;
	unsigned long long m = 0;
	int digits = 0, frac = 0, dot = 0;
	for (; p < s->end; p++) {
		if (*p >= '0' && *p <= '9') {
			m = m * 10 + (unsigned)(*p - '0');
			frac += dot;
			if (++digits > 15)
				return 0;
		} else if (*p == '.' && !dot) {
			dot = 1;
		} else {
			break;
		}
	}
	if (!digits || (p < s->end && (*p == 'e' || *p == 'E' || *p == '.')) || (dot && !frac))
		return 0;
	double d = (double)m / p10[frac];
	*out = neg ? -d : d;
	s->p = p;
	return 1;
}

static int scan_number(struct scan *s, double *out)
{
	ws(s);
	if (s->end - s->p >= 4 && !memcmp(s->p, "null", 4)) {
		s->p += 4;
		*out = NAN;
		return 1;
	}
	if (s->p >= s->end || !(*s->p == '-' || (*s->p >= '0' && *s->p <= '9')))
		return 0;
	if (fast_decimal(s, out))
		return 1;
	char *e;
	*out = strtod(s->p, &e); /* the buffer is NUL-terminated */
	if (e == s->p || e > s->end || strspn(s->p, "0123456789+-.eE") < (size_t)(e - s->p))
		return 0;
	s->p = e;
	return 1;
}

struct colbuf {
	char *keys;      /* NUL-separated */
	size_t *ends;    /* per column: index into vals after its last value */
	size_t *koffs;   /* per column: offset of its key in keys */
	size_t n, cap;
	struct buf kb;
	double *vals;
	size_t nvals, vcap;
};

static void push_val(struct colbuf *c, double d)
{
	if (c->nvals == c->vcap)
		c->vals = xrealloc(c->vals, (c->vcap = c->vcap ? c->vcap * 2 : 256) * sizeof *c->vals);
	c->vals[c->nvals++] = d;
}

static void push_col(struct colbuf *c, const char *key)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->ends = xrealloc(c->ends, c->cap * sizeof *c->ends);
		c->koffs = xrealloc(c->koffs, c->cap * sizeof *c->koffs);
	}
	c->koffs[c->n] = c->kb.len;
	buf_add(&c->kb, key, strlen(key) + 1);
	c->ends[c->n++] = c->nvals;
}

static int scan_columns(struct scan *s, struct colbuf *c)
{
	char key[256];
	if (eat(s, '}'))
		return 1;
	int ok;
	do {
		ok = scan_key(s, key, sizeof key) && eat(s, ':') && eat(s, '[');
		push_col(c, key);
		if (ok && !eat(s, ']')) {
			do {
				double d = NAN;
				ok = scan_number(s, &d);
				push_val(c, d);
			} while (ok && eat(s, ','));
			ok = ok && eat(s, ']');
		}
		c->ends[c->n - 1] = c->nvals;
	} while (ok && eat(s, ','));
	return ok && eat(s, '}');
}

int json_number_columns(const char *text, size_t len, json_column_fn col, void *ctx)
{
	struct scan s = { text, text + len };
	struct colbuf c = { 0 };
	c.vcap = len / 4 + 16; /* a value takes at least 4 bytes ("0, "): one allocation */
	c.vals = xmalloc(c.vcap * sizeof *c.vals);
	int ok = eat(&s, '{') && scan_columns(&s, &c);
	ws(&s);
	ok = ok && s.p == s.end;
	/* col sees the columns only once the whole file has the expected shape. */
	for (size_t i = 0; ok && i < c.n; i++) {
		size_t start = i ? c.ends[i - 1] : 0;
		col(ctx, c.kb.data + c.koffs[i], c.vals + start, c.ends[i] - start);
	}
	free(c.ends);
	free(c.koffs);
	free(c.vals);
	buf_free(&c.kb);
	return ok ? 0 : -1;
}
