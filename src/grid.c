/* grid.c: the combinations of flag values a tuning run tries: --flag lists, the Cartesian
 * product and sampling (grid files are read in gridfile.c) */
#include "grid.h"
#include "gridfile.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

int grid_find_name(const struct grid *g, const char *name)
{
	for (size_t k = 0; k < g->nnames; k++)
		if (!strcmp(g->names[k], name))
			return (int)k;
	return -1;
}

const char *grid_bad_name(const char *s)
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

int grid_null_text(const char *s) { return !*s || (yaml_word(s) >= 0 && yaml_word(s) < 4); }

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
	if (!text || grid_null_text(text)) /* unset: the run has whatever the flags file gave */
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

void grid_add_axis(struct grid *g, const char *name, char **vals, size_t n)
{
	g->axes = xrealloc(g->axes, (g->naxes + 1) * sizeof *g->axes);
	g->axes[g->naxes++] = (struct grid_axis){ xstrdup(name), vals, n };
	sync_names(g);
}

size_t grid_add_rowkey(struct grid *g, const char *key)
{
	g->rowkeys = xrealloc(g->rowkeys, (g->nrowkeys + 1) * sizeof *g->rowkeys);
	g->rowkeys[g->nrowkeys++] = xstrdup(key);
	sync_names(g);
	return g->nrowkeys - 1;
}

void grid_free_list(char **v, size_t n)
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
	const char *why = grid_bad_name(name);
	if (why || grid_find_name(g, name) >= 0) {
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
			grid_free_list(vals, n);
			free(name);
			return tf_err(arg, 0, 0, "empty value (use ~ for null)");
		}
		vals = xrealloc(vals, (n + 1) * sizeof *vals);
		vals[n++] = xstrndup(start, (size_t)(p - start));
		if (!*p)
			break;
		p++;
	}
	grid_add_axis(g, name, vals, n);
	free(name);
	return 0;
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