/* flags.c: tfruns flags resolved: flags.yml sections and inherits, the script's command
 * line, typed declarations with tfruns's coercions and messages, help and flags.json */
#include "flags.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

const char *flags_active_config(const char *explicit_config)
{
	if (explicit_config)
		return explicit_config;
	const char *e = getenv("TFRUNS_CONFIG");
	if (!e || !*e)
		e = getenv("R_CONFIG_ACTIVE");
	return e && *e ? e : "default";
}

/* ---- merging and config sections ---- */

void flags_merge(struct json *base, const struct json *overlay)
{
	for (const struct json *e = overlay ? json_child(overlay) : NULL; e; e = json_next(e)) {
		if (json_type(e) == J_NULL)
			continue;
		struct json *b = json_get_mut(base, json_key(e));
		if (b && json_type(b) == J_OBJ && json_type(e) == J_OBJ) {
			flags_merge(b, e);
		} else {
			json_obj_remove(base, json_key(e)); /* the new value goes to the end */
			json_obj_add(base, json_key(e), json_dup(e));
		}
	}
}

struct section_stack {
	const char *name;
	const struct section_stack *up;
};

/* A section with its inherits resolved (without the default section under it). */
static struct json *section(const struct json *top, const char *name,
			    const struct section_stack *up, const char *path)
{
	for (const struct section_stack *s = up; s; s = s->up)
		if (!strcmp(s->name, name)) {
			tf_err(path, 0, 0, "Configuration %s inherits from itself!", name);
			return NULL;
		}
	const struct json *sec = json_get(top, name);
	struct json *r = json_new_object();
	if (json_type(sec) != J_OBJ)
		return r;
	const struct json *inh = json_get(sec, "inherits");
	struct section_stack me = { name, up };
	if (inh && json_type(inh) != J_STR && json_type(inh) != J_ARR) {
		tf_err(path, 0, 0, "section '%s': inherits must name a section or list sections", name);
		json_free(r);
		return NULL;
	}
	const struct json *one = json_type(inh) == J_STR ? inh : inh ? json_child(inh) : NULL;
	for (; one; one = json_type(inh) == J_STR ? NULL : json_next(one)) {
		if (json_type(one) != J_STR) {
			tf_err(path, 0, 0, "section '%s': inherits must name a section or list sections", name);
			json_free(r);
			return NULL;
		}
		struct json *parent = section(top, json_str(one), &me, path);
		if (!parent) {
			json_free(r);
			return NULL;
		}
		flags_merge(r, parent);
		json_free(parent);
	}
	struct json *own = json_dup(sec);
	json_obj_remove(own, "inherits");
	flags_merge(r, own);
	json_free(own);
	return r;
}

static int is_profile(const struct json *top)
{
	for (const struct json *e = json_child(top); e; e = json_next(e))
		if (json_type(e) != J_OBJ)
			return 0;
	return 1;
}

struct json *flags_resolve_file(const char *file, const char *config, const struct json *defaults)
{
	struct json *r = defaults ? json_dup(defaults) : json_new_object();
	const char *path = file ? file : "flags.yml";
	struct stat st;
	if (stat(path, &st)) {
		if (file)
			tf_warn(NULL, 0, 0, "configuration file '%s' does not exist", file);
		return r;
	}
	struct json *top = flags_yaml_load(path);
	if (!top) {
		json_free(r);
		return NULL;
	}
	if (json_type(top) != J_OBJ) {
		tf_err(path, 1, 0, "expected a mapping of flag names to values (or of sections)");
		json_free(top);
		json_free(r);
		return NULL;
	}
	const char *active = flags_active_config(config);
	if (is_profile(top)) {
		const struct json *def = json_get(top, "default");
		struct json *d = def ? json_dup(def) : json_new_object();
		json_obj_remove(d, "inherits");
		flags_merge(r, d);
		json_free(d);
	} else {
		flags_merge(r, top);
	}
	if (strcmp(active, "default")) {
		struct json *sec = section(top, active, NULL, path);
		if (!sec) {
			json_free(top);
			json_free(r);
			return NULL;
		}
		flags_merge(r, sec);
		json_free(sec);
	}
	json_obj_remove(r, "inherits");
	json_free(top);
	return r;
}

/* ---- the script's command line ---- */

int flags_wants_help(int argc, char *const *argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help"))
			return 1;
	return 0;
}

static void set_value(struct json *into, const char *key, size_t klen, const char *val,
		      const struct json *typed)
{
	char *k = xstrndup(key, klen);
	for (char *p = k; *p; p++)
		if (*p == '-')
			*p = '_';
	struct json *v = NULL;
	const struct json *t = typed ? json_get(typed, k) : NULL;
	if (t) {
		struct buf b = BUF_INIT;
		flags_value_text(&b, t);
		if (b.data && !strcmp(b.data, val))
			v = json_dup(t);
		buf_free(&b);
	}
	if (!v)
		v = flags_yaml_value(val);
	if (json_type(v) == J_NULL) {
		json_free(v);
		json_obj_remove(into, k);
	} else {
		json_obj_replace(into, k, v); /* where it stands, or appended */
	}
	free(k);
}

int flags_parse_args(struct json *into, int argc, char *const *argv, const struct json *typed)
{
	struct json *cl = json_new_object();
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--args"))
			break;
		if (strncmp(a, "--", 2))
			continue;
		const char *eq = strchr(a + 2, '=');
		if (eq) {
			set_value(cl, a + 2, (size_t)(eq - a - 2), eq + 1, typed);
		} else if (i + 1 < argc) {
			set_value(cl, a + 2, strlen(a + 2), argv[++i], typed);
		} else {
			json_free(cl);
			return tf_err(NULL, 0, 0, "missing value for %s", a);
		}
	}
	flags_merge(into, cl);
	json_free(cl);
	return 0;
}

struct json *flags_resolve_run(const char *file, const char *config, const char *const *kv, int nkv)
{
	struct json *r = flags_resolve_file(file, config, NULL);
	for (int i = 0; r && i < nkv; i++) {
		const char *eq = strchr(kv[i], '=');
		if (!eq || eq == kv[i]) {
			tf_err(kv[i], 0, 0, "expected NAME=VALUE");
			json_free(r);
			return NULL;
		}
		char *name = xstrndup(kv[i], (size_t)(eq - kv[i]));
		for (char *p = name; *p; p++)
			if (*p == '-')
				*p = '_';
		struct json *v = flags_yaml_value(eq + 1);
		if (json_type(v) == J_NULL) {
			json_obj_remove(r, name);
		} else {
			struct json *one = json_new_object();
			json_obj_add(one, name, v);
			v = NULL;
			flags_merge(r, one);
			json_free(one);
		}
		json_free(v);
		free(name);
	}
	return r;
}

/* ---- text forms ---- */

/* R's as.character of a double: the fewest significant digits (at most 15) that give the
 * same value at 15 digits, fixed notation unless scientific is narrower. */
static void r_double(struct buf *out, double x)
{
	if (isnan(x)) {
		buf_puts(out, "NaN");
		return;
	}
	if (isinf(x)) {
		buf_puts(out, x > 0 ? "Inf" : "-Inf");
		return;
	}
	if (x == 0) {
		buf_puts(out, "0");
		return;
	}
	char ref[40], b[40];
	snprintf(ref, sizeof ref, "%.14e", x);
	double want = strtod(ref, NULL);
	int nsig = 1;
	for (; nsig < 15; nsig++) {
		snprintf(b, sizeof b, "%.*e", nsig - 1, x);
		if (strtod(b, NULL) == want)
			break;
	}
	snprintf(b, sizeof b, "%.*e", nsig - 1, x);
	int kp = atoi(strchr(b, 'e') + 1), neg = x < 0;
	int wsci = neg + (nsig > 1 ? nsig + 1 : 1) + (abs(kp) >= 100 ? 5 : 4);
	int rgt = kp >= 0 ? (nsig - 1 - kp > 0 ? nsig - 1 - kp : 0) : nsig - 1 - kp;
	int wfix = neg + (kp >= 0 ? kp + 1 : 1) + (rgt ? rgt + 1 : 0);
	if (wfix <= wsci)
		buf_printf(out, "%.*f", rgt, x);
	else
		buf_puts(out, b);
}

static int whole_int32(double d) { return d == trunc(d) && fabs(d) <= INT_MAX; }

void flags_r_text(struct buf *out, const struct json *v)
{
	if (json_type(v) == J_BOOL)
		buf_puts(out, json_bool(v) ? "TRUE" : "FALSE");
	else if (json_type(v) == J_NUM && !json_num_is_float(v) && whole_int32(json_num(v)))
		buf_printf(out, "%d", (int)json_num(v));
	else if (json_type(v) == J_NUM)
		r_double(out, json_num(v));
	else if (json_type(v) == J_STR)
		buf_puts(out, json_str(v));
	else if (json_type(v) == J_NULL)
		buf_puts(out, "NA");
	else
		flags_value_text(out, v);
}

static void num_text(struct buf *out, double d)
{
	if (isnan(d) || isinf(d)) {
		buf_puts(out, isnan(d) ? "NaN" : d > 0 ? "Inf" : "-Inf");
		return;
	}
	char b[40];
	snprintf(b, sizeof b, "%.15g", d);
	if (strtod(b, NULL) != d)
		snprintf(b, sizeof b, "%.17g", d);
	buf_puts(out, b);
}

void flags_value_text(struct buf *out, const struct json *v)
{
	if (json_type(v) == J_NUM) {
		num_text(out, json_num(v));
	} else if (json_type(v) == J_BOOL) {
		buf_puts(out, json_bool(v) ? "true" : "false");
	} else if (json_type(v) == J_STR) {
		buf_puts(out, json_str(v));
	} else if (json_type(v) == J_NULL) {
		buf_puts(out, "null");
	} else {
		json_print(out, v);
	}
}

static void pretty(struct buf *out, const struct json *v, int indent)
{
	if (json_type(v) == J_NUM && (isnan(json_num(v)) || isinf(json_num(v)))) {
		buf_putc(out, '"');
		num_text(out, json_num(v));
		buf_putc(out, '"');
	} else if (json_type(v) == J_NUM) {
		num_text(out, json_num(v));
	} else if ((json_type(v) == J_OBJ || json_type(v) == J_ARR) && json_child(v)) {
		int obj = json_type(v) == J_OBJ;
		buf_putc(out, obj ? '{' : '[');
		for (const struct json *e = json_child(v); e; e = json_next(e)) {
			buf_printf(out, "\n%*s", indent + 2, "");
			if (obj) {
				json_print_str(out, json_key(e));
				buf_puts(out, ": ");
			}
			pretty(out, e, indent + 2);
			if (json_next(e))
				buf_putc(out, ',');
		}
		buf_printf(out, "\n%*s%c", indent, "", obj ? '}' : ']');
	} else {
		json_print(out, v);
	}
}

char *flags_json_text(const struct json *flags)
{
	struct buf b = BUF_INIT;
	pretty(&b, flags, 0);
	buf_putc(&b, '\n');
	return buf_detach(&b);
}

int flags_record(const char *run_dir, const struct json *flags)
{
	struct stat st;
	if (stat(run_dir, &st) || !S_ISDIR(st.st_mode))
		return tf_err(run_dir, 0, 0, "$TFRUNS_RUN_DIR is not a directory");
	char *d = path_join(run_dir, "tfruns.d");
	if (mkdir(d, 0777) && errno != EEXIST) {
		tf_err(d, 0, 0, "cannot create: %s", strerror(errno));
		free(d);
		return -1;
	}
	if (lstat(d, &st) || !S_ISDIR(st.st_mode)) {
		tf_err(d, 0, 0, "not a directory of the run (a symbolic link is not followed)");
		free(d);
		return -1;
	}
	char *p = path_join(d, "flags.json"), *text = flags_json_text(flags);
	int rc = write_file_atomic(p, text, strlen(text));
	free(text);
	free(p);
	free(d);
	return rc;
}

/* ---- typed declarations ---- */

const char *flags_type_name(enum flag_type t)
{
	static const char *const names[] = { "numeric", "integer", "boolean", "string" };
	return names[t];
}

/* R's as.numeric of a string (R_strtod): blanks around, decimal, scientific, hex,
 * Inf/infinity and NaN in any case. Returns -1 for NA. */
static int r_strtod(const char *s, double *out)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	char *t = xstrndup(s, n), *p = t, *end;
	int rc = -1;
	double sign = 1;
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	if (!strcasecmp(p, "nan")) {
		*out = NAN, rc = 0;
	} else if (!strcasecmp(p, "inf") || !strcasecmp(p, "infinity")) {
		*out = sign * INFINITY, rc = 0;
	} else if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
		double v = strtod(p, &end);
		if (!*end)
			*out = sign * v, rc = 0;
	} else {
		const char *q = p;
		int nd = 0;
		while (isdigit((unsigned char)*q))
			q++, nd++;
		if (*q == '.')
			for (q++; isdigit((unsigned char)*q); q++)
				nd++;
		if (nd && (*q == 'e' || *q == 'E')) {
			q++;
			if (*q == '-' || *q == '+')
				q++;
			if (!isdigit((unsigned char)*q))
				nd = 0;
			while (isdigit((unsigned char)*q))
				q++;
		}
		if (nd && !*q)
			*out = sign * strtod(p, NULL), rc = 0;
	}
	free(t);
	return rc;
}

/* v coerced to type t as R does (3.6); NULL when the result would be NA. */
static struct json *coerce(const struct json *v, enum flag_type t)
{
	double d = 0;
	int num = json_type(v) == J_NUM, str = json_type(v) == J_STR;
	if (json_type(v) == J_BOOL)
		d = json_bool(v);
	else if (num)
		d = json_num(v);
	else if (str && t != FLAG_STRING && t != FLAG_BOOLEAN && r_strtod(json_str(v), &d))
		return NULL;
	else if (!str)
		return NULL;
	switch (t) {
	case FLAG_NUMERIC:
		return isnan(d) ? NULL : json_new_num(d);
	case FLAG_INTEGER:
		if (isnan(d) || d >= 2147483648.0 || d <= -2147483648.0)
			return NULL;
		return json_new_num(trunc(d) + 0.0);
	case FLAG_BOOLEAN:
		if (str) {
			static const char *const t_[] = { "TRUE", "true", "True", "T" };
			static const char *const f_[] = { "FALSE", "false", "False", "F" };
			for (int i = 0; i < 4; i++)
				if (!strcmp(json_str(v), t_[i]) || !strcmp(json_str(v), f_[i]))
					return json_new_bool(!strcmp(json_str(v), t_[i]));
			return NULL;
		}
		return isnan(d) ? NULL : json_new_bool(d != 0);
	case FLAG_STRING: {
		struct buf b = BUF_INIT;
		flags_r_text(&b, v);
		struct json *s = json_new_str(b.data ? b.data : "");
		buf_free(&b);
		return s;
	}
	}
	return NULL;
}

static int convert_error(const char *name, const struct json *v, enum flag_type t)
{
	struct buf b = BUF_INIT;
	flags_r_text(&b, v);
	tf_err(NULL, 0, 0, "Unable to convert flag '%s' with value '%s' to type %s", name,
	       b.data ? b.data : "", flags_type_name(t));
	buf_free(&b);
	return -1;
}

/* Splits NAME=DEFAULT[:DESCRIPTION]; the default loses its escapes. */
static int split_spec(const char *spec, char **name, char **def, char **desc)
{
	const char *eq = strchr(spec, '=');
	if (!eq || eq == spec)
		return -1;
	*name = xstrndup(spec, (size_t)(eq - spec));
	struct buf b = BUF_INIT;
	const char *p = eq + 1;
	for (; *p && *p != ':'; p++) {
		if (*p == '\\' && (p[1] == ':' || p[1] == '\\'))
			p++;
		buf_putc(&b, *p);
	}
	*def = b.data ? buf_detach(&b) : xstrdup("");
	*desc = *p == ':' && p[1] ? xstrdup(p + 1) : NULL;
	return 0;
}

int flags_declare(struct flag_decls *d, enum flag_type t, const char *spec)
{
	char *name, *def, *desc;
	if (split_spec(spec, &name, &def, &desc))
		return tf_err(spec, 0, 0, "expected NAME=DEFAULT[:DESCRIPTION]");
	int rc = 0;
	struct json *val = NULL;
	for (int i = 0; i < d->n && !rc; i++)
		if (!strcmp(d->v[i].name, name))
			rc = tf_err(NULL, 0, 0, "A flag named '%s' has already been defined", name);
	if (!rc && t == FLAG_STRING) {
		val = json_new_str(def);
	} else if (!rc) {
		struct json *raw = flags_yaml_value(def);
		val = json_type(raw) == J_NULL ? NULL : coerce(raw, t);
		if (!val)
			rc = convert_error(name, raw, t);
		json_free(raw);
	}
	free(def);
	if (rc) {
		free(name);
		free(desc);
		return -1;
	}
	d->v = xrealloc(d->v, (size_t)(d->n + 1) * sizeof *d->v);
	d->v[d->n++] = (struct flag_decl){ name, t, val, desc };
	return 0;
}

void flags_decls_free(struct flag_decls *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->v[i].name);
		free(d->v[i].desc);
		json_free(d->v[i].def);
	}
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

struct json *flags_defaults(const struct flag_decls *d)
{
	struct json *o = json_new_object();
	for (int i = 0; i < d->n; i++)
		json_obj_add(o, d->v[i].name, json_dup(d->v[i].def));
	return o;
}

static const struct flag_decl *find_decl(const struct flag_decls *d, const char *name)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].name, name))
			return &d->v[i];
	return NULL;
}

struct json *flags_validate(const struct flag_decls *d, const struct json *merged)
{
	struct buf und = BUF_INIT;
	int nund = 0;
	for (const struct json *e = json_child(merged); e; e = json_next(e))
		if (!find_decl(d, json_key(e)))
			buf_printf(&und, "%s%s", nund++ ? ", " : "", json_key(e));
	if (nund)
		tf_err(NULL, 0, 0, "The following flags were provided but not declared: %s", und.data);
	buf_free(&und);
	if (nund)
		return NULL;
	struct json *r = json_new_object();
	for (int i = 0; i < d->n; i++) {
		const struct flag_decl *f = &d->v[i];
		const struct json *v = json_get(merged, f->name);
		if (!v)
			v = f->def;
		if (json_type(v) == J_ARR || json_type(v) == J_OBJ) {
			tf_err(NULL, 0, 0, "flag \"%s\" has length > 1 (only scalar flag values are supported)",
			       f->name);
			json_free(r);
			return NULL;
		}
		struct json *c = coerce(v, f->type);
		if (!c) {
			convert_error(f->name, v, f->type);
			json_free(r);
			return NULL;
		}
		json_obj_add(r, f->name, c);
	}
	return r;
}

/* Characters (UTF-8 code points) in s. */
static size_t width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

void flags_help(struct buf *out, const struct flag_decls *d)
{
	if (!d->n)
		return;
	size_t max = 0;
	for (int i = 0; i < d->n; i++)
		if (width(d->v[i].name) > max)
			max = width(d->v[i].name);
	buf_puts(out, "\nOptions:\n");
	for (int i = 0; i < d->n; i++) {
		const struct flag_decl *f = &d->v[i];
		buf_puts(out, "  --");
		for (const char *p = f->name; *p; p++)
			buf_putc(out, *p == '_' ? '-' : *p);
		buf_printf(out, "%*s    ", (int)(max - width(f->name)), "");
		if (f->desc)
			buf_printf(out, "%s ", f->desc);
		buf_putc(out, '(');
		if (f->type == FLAG_NUMERIC)
			r_double(out, json_num(f->def));
		else
			flags_r_text(out, f->def);
		buf_puts(out, ")\n");
	}
	buf_putc(out, '\n');
}
