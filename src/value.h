/* value.h: one cell of a run record (number, string, boolean, time or missing) */
#ifndef TF_VALUE_H
#define TF_VALUE_H
#include "buf.h"

enum vtype {
	V_NA = 0, /* missing */
	V_NUM,    /* double; integers are doubles with no fraction */
	V_BOOL,
	V_STR,    /* owned, NUL-terminated UTF-8 */
	V_TIME,   /* seconds since the epoch, UTC, shown as ISO 8601 */
};

struct value {
	enum vtype type;
	int b;
	double num;
	char *str;
};

#define VALUE_NA ((struct value){ V_NA, 0, 0, NULL })

struct value value_num(double d);
struct value value_bool(int b);
struct value value_time(double t);
struct value value_str(const char *s);      /* copies s */
struct value value_str_own(char *s);        /* takes ownership of s */
struct value value_copy(const struct value *v);
void value_free(struct value *v);

/* Text forms, appended to out. */
void value_fmt_num(struct buf *out, double d);          /* shortest round-trip */
void value_fmt_num_sig(struct buf *out, double d, int sig); /* at most sig significant digits */
void value_fmt_time(struct buf *out, double t);         /* 2017-10-02T14:23:38Z */
void value_text(struct buf *out, const struct value *v); /* full precision; NA gives nothing */
void value_json(struct buf *out, const struct value *v); /* JSON literal; NA gives null */

/* tfruns's spellings of a logical (TRUE true True T yes 1 / FALSE false False F no 0):
 * 1 or 0, and -1 for anything else. */
int value_parse_logical(const char *s);

/* Total order used for sorting: returns <0, 0, >0. NA is never passed. Numbers and
 * times compare numerically, strings by bytes, booleans false < true; across types
 * booleans < numbers/times < strings. */
int value_cmp(const struct value *a, const struct value *b);

#endif
