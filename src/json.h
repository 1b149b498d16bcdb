/* json.h: JSON reading, building and printing (a thin wrapper over cJSON: json.c is the only
 * file that includes it) */
#ifndef TF_JSON_H
#define TF_JSON_H
#include <stddef.h>
#include "buf.h"
#include "value.h"

struct json; /* an opaque node */

enum jtype { J_INVALID, J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

/* Parses len bytes of text. On a syntax error prints one warning "path:line:col: invalid
 * JSON" (path names the file) and returns NULL. */
struct json *json_parse(const char *text, size_t len, const char *path);
/* Same, but prints nothing; on error sets *err_off to the byte offset of the error. */
struct json *json_parse_quiet(const char *text, size_t len, size_t *err_off);
void json_free(struct json *j); /* accepts NULL */

enum jtype json_type(const struct json *j);
int json_bool(const struct json *j);
double json_num(const struct json *j);
const char *json_str(const struct json *j);
const char *json_key(const struct json *j);          /* key of an object member */
const struct json *json_child(const struct json *j); /* first element or member */
const struct json *json_next(const struct json *j);
size_t json_size(const struct json *j);              /* elements or members */
const struct json *json_get(const struct json *obj, const char *key);

/* A scalar as a value (null gives V_NA); arrays and objects become their compact JSON text. */
struct value json_value(const struct json *j);
/* Compact JSON text of any node, appended to out. */
void json_print(struct buf *out, const struct json *j);


/* ---- building documents (view models for templates, data embedded in pages) ---- */
struct json *json_new_object(void);
struct json *json_new_array(void);
/* Each adds a member to an object (key given) or an element to an array (key NULL) and
 * returns the new node. Strings are copied; a NAN or infinite number becomes null. */
struct json *json_add_object(struct json *parent, const char *key);
struct json *json_add_array(struct json *parent, const char *key);
void json_add_str(struct json *parent, const char *key, const char *s);
void json_add_num(struct json *parent, const char *key, double d);
void json_add_bool(struct json *parent, const char *key, int b);
void json_add_null(struct json *parent, const char *key);
/* A value: numbers, booleans, strings, times (as ISO text); V_NA becomes null. */
void json_add_value(struct json *parent, const char *key, const struct value *v);

/* ---- mutable trees (flags: flags.yml, overrides, typed values) ---- */
/* New unattached nodes, each freed with json_free unless added to a parent. Numbers are kept
 * as given (NAN and infinities too, printed as null). */
struct json *json_new_null(void);
struct json *json_new_bool(int b);
struct json *json_new_num(double d);
/* A number that was written as a float (YAML 1.1 float form): the mark survives json_dup
 * and tells an integer 5 from a float 5.0 when a flag's value becomes text, as in R. */
struct json *json_new_num_float(double d);
int json_num_is_float(const struct json *j); /* 1 for a number made by json_new_num_float */
struct json *json_new_str(const char *s);    /* s copied */
struct json *json_dup(const struct json *j); /* deep copy; NULL for NULL */
/* The member of obj named key (the first, compared exactly), mutable; NULL when absent. */
struct json *json_get_mut(struct json *obj, const char *key);
/* Appends v (taken over) as obj's member key (copied), or to the array arr. */
void json_obj_add(struct json *obj, const char *key, struct json *v);
void json_arr_add(struct json *arr, struct json *v);
/* Replaces the value of member key by v (taken over) where it stands, or appends it when
 * key is absent. */
void json_obj_replace(struct json *obj, const char *key, struct json *v);
/* Deletes member key (the first) when there is one. */
void json_obj_remove(struct json *obj, const char *key);
/* s as a JSON string literal (quotes and escapes as json_print gives them), appended. */
void json_print_str(struct buf *out, const char *s);

/* Fast reader for the shape tfruns writes metrics.json in: one object whose members are
 * arrays of numbers and nulls. Calls col for each member in order (null gives NAN). Returns 0,
 * or -1 as soon as the text is anything else (escapes in keys included), having called col for
 * nothing; the caller then parses it with json_parse for the general case and its errors. */
typedef void (*json_column_fn)(void *ctx, const char *key, const double *v, size_t n);
int json_number_columns(const char *text, size_t len, json_column_fn col, void *ctx);

#endif
