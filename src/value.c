/* value.c: one cell of a run record, its text and JSON forms and ordering */
#include "value.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct value value_num(double d) { return (struct value){ V_NUM, 0, d, NULL }; }
struct value value_bool(int b) { return (struct value){ V_BOOL, b != 0, 0, NULL }; }
struct value value_time(double t) { return (struct value){ V_TIME, 0, t, NULL }; }
struct value value_str(const char *s) { return (struct value){ V_STR, 0, 0, xstrdup(s) }; }
struct value value_str_own(char *s) { return (struct value){ V_STR, 0, 0, s }; }

struct value value_copy(const struct value *v)
{
	struct value c = *v;
	if (v->type == V_STR)
		c.str = xstrdup(v->str);
	return c;
}

void value_free(struct value *v)
{
	if (v && v->type == V_STR)
		free(v->str);
	if (v)
		*v = VALUE_NA;
}

void value_fmt_num(struct buf *out, double d)
{
	char tmp[40];
	if (isnan(d)) {
		buf_puts(out, "NaN");
		return;
	}
	if (isinf(d)) {
		buf_puts(out, d > 0 ? "Inf" : "-Inf");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_puts(out, tmp);
}

void value_fmt_num_sig(struct buf *out, double d, int sig)
{
	if (!isfinite(d)) {
		value_fmt_num(out, d);
		return;
	}
	buf_printf(out, "%.*g", sig, d);
}

void value_fmt_time(struct buf *out, double t)
{
	time_t secs = (time_t)floor(t);
	struct tm tm;
	char tmp[40];
	if (!gmtime_r(&secs, &tm) || !strftime(tmp, sizeof tmp, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		value_fmt_num(out, t);
		return;
	}
	buf_puts(out, tmp);
}

void value_text(struct buf *out, const struct value *v)
{
	switch (v->type) {
	case V_NA: break;
	case V_NUM: value_fmt_num(out, v->num); break;
	case V_BOOL: buf_puts(out, v->b ? "true" : "false"); break;
	case V_STR: buf_puts(out, v->str); break;
	case V_TIME: value_fmt_time(out, v->num); break;
	}
}

static void json_string(struct buf *out, const char *s)
{
	buf_putc(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': buf_puts(out, "\\\""); break;
		case '\\': buf_puts(out, "\\\\"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\r': buf_puts(out, "\\r"); break;
		case '\t': buf_puts(out, "\\t"); break;
		default:
			if (*p < 0x20)
				buf_printf(out, "\\u%04x", *p);
			else
				buf_putc(out, (char)*p);
		}
	}
	buf_putc(out, '"');
}

void value_json(struct buf *out, const struct value *v)
{
	switch (v->type) {
	case V_NA: buf_puts(out, "null"); break;
	case V_NUM:
		if (isfinite(v->num))
			value_fmt_num(out, v->num);
		else
			buf_puts(out, "null");
		break;
	case V_BOOL: buf_puts(out, v->b ? "true" : "false"); break;
	case V_STR: json_string(out, v->str); break;
	case V_TIME: {
		struct buf t = BUF_INIT;
		value_fmt_time(&t, v->num);
		json_string(out, t.data);
		buf_free(&t);
		break;
	}
	}
}

static int rank(enum vtype t)
{
	switch (t) {
	case V_BOOL: return 0;
	case V_NUM:
	case V_TIME: return 1;
	case V_STR: return 2;
	default: return 3;
	}
}

int value_cmp(const struct value *a, const struct value *b)
{
	int ra = rank(a->type), rb = rank(b->type);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	switch (ra) {
	case 0: return a->b - b->b;
	case 1: return a->num < b->num ? -1 : a->num > b->num ? 1 : 0;
	case 2: return strcmp(a->str, b->str);
	default: return 0;
	}
}

int value_parse_logical(const char *s)
{
	static const char *const t[] = { "TRUE", "true", "True", "T", "yes", "1", NULL };
	static const char *const f[] = { "FALSE", "false", "False", "F", "no", "0", NULL };
	for (int i = 0; t[i]; i++) {
		if (!strcmp(s, t[i]))
			return 1;
		if (!strcmp(s, f[i]))
			return 0;
	}
	return -1;
}
