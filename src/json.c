/* json.c: the JSON reader (a thin wrapper over cJSON, the only file that includes it) */
#include "json.h"
#include "util.h"
#include "xalloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define C(j) ((const cJSON *)(const void *)(j))
#define J(c) ((const struct json *)(const void *)(c))

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
