/* compare.c: what changed between two runs: flags, metrics, evaluation and unified diffs of
 * flags (as YAML), sources and console output */
#include "compare.h"
#include "udiff.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONSOLE_DIFF ((size_t)1 << 20)

/* ---- rows ---- */

static struct cmp_row *row_for(struct cmp_row **v, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].name, name))
			return &(*v)[i];
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n] = (struct cmp_row){ xstrdup(name), VALUE_NA, VALUE_NA };
	return &(*v)[(*n)++];
}

static void fields_rows(struct cmp_row **v, size_t *n, const struct field *fa, size_t na,
			const struct field *fb, size_t nb)
{
	for (size_t i = 0; i < na; i++)
		row_for(v, n, fa[i].name)->a = value_copy(&fa[i].v);
	for (size_t i = 0; i < nb; i++)
		row_for(v, n, fb[i].name)->b = value_copy(&fb[i].v);
}

static void metric_rows(struct comparison *c, const struct run *a, const struct run *b)
{
	const struct run *both[2] = { a, b };
	for (int k = 0; k < 2; k++) {
		const struct metrics *m = &both[k]->metrics;
		for (size_t i = 0; i < m->ncols; i++) {
			double last = series_last(&m->cols[i], m->nrows);
			if (isnan(last))
				continue;
			struct cmp_row *r = row_for(&c->metrics, &c->nmetrics, m->cols[i].name);
			*(k ? &r->b : &r->a) = value_num(last);
		}
	}
}

int cmp_row_changed(const struct cmp_row *r)
{
	struct buf x = BUF_INIT, y = BUF_INIT;
	value_json(&x, &r->a);
	value_json(&y, &r->b);
	int changed = strcmp(x.data, y.data) != 0;
	buf_free(&x);
	buf_free(&y);
	return changed;
}

void cmp_delta(struct buf *out, const struct value *a, const struct value *b)
{
	if (a->type != V_NUM || b->type != V_NUM)
		return;
	double d = b->num - a->num;
	if (d >= 0)
		buf_putc(out, '+');
	value_fmt_num_sig(out, d, 4);
}

/* ---- diffs ---- */

/* A flag value as YAML: plain when unambiguous, else double-quoted. */
static void yaml_scalar(struct buf *out, const struct value *v)
{
	if (v->type != V_STR) {
		value_text(out, v);
		return;
	}
	const char *s = v->str;
	char *end;
	int plain = *s && !strpbrk(s, ":#{}[],&*!|>'\"%@`\n\r\t") && s[0] != ' ' &&
		    s[strlen(s) - 1] != ' ' && s[0] != '-' && s[0] != '?' &&
		    value_parse_logical(s) < 0 && strcmp(s, "null") && strcmp(s, "~");
	if (plain) {
		strtod(s, &end);
		plain = *end != '\0';
	}
	if (plain) {
		buf_puts(out, s);
		return;
	}
	value_json(out, v);
}

static char *flags_yaml(const struct run *r)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < r->nflags; i++) {
		buf_printf(&b, "%s: ", r->flags[i].name);
		yaml_scalar(&b, &r->flags[i].v);
		buf_putc(&b, '\n');
	}
	return buf_detach(&b);
}

static void add_diff(struct comparison *c, const char *name, const char *status,
		     const char *a, size_t alen, const char *b, size_t blen)
{
	char *la = !strcmp(status, "added") ? xstrdup("/dev/null") : xasprintf("a/%s", name);
	char *lb = !strcmp(status, "deleted") ? xstrdup("/dev/null") : xasprintf("b/%s", name);
	struct udiff_opts o = { 3, la, lb };
	struct buf out = BUF_INIT;
	size_t nadd = 0, ndel = 0;
	size_t hunks = udiff(&out, a, alen, b, blen, &o, &nadd, &ndel);
	free(la);
	free(lb);
	if (!hunks) {
		buf_free(&out);
		return;
	}
	c->diffs = xrealloc(c->diffs, (c->ndiffs + 1) * sizeof *c->diffs);
	c->diffs[c->ndiffs++] = (struct cmp_diff){ xstrdup(name), status, buf_detach(&out),
						   nadd, ndel, hunks };
}

static const struct src_file *find_src(const struct src_archive *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->files[i].name, name))
			return &s->files[i];
	return NULL;
}

static void source_diffs(struct comparison *c, const struct src_archive *a,
			 const struct src_archive *b)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct src_file *fa = &a->files[i], *fb = find_src(b, fa->name);
		add_diff(c, fa->name, fb ? "changed" : "deleted", fa->data ? fa->data : "", fa->len,
			 fb && fb->data ? fb->data : "", fb ? fb->len : 0);
	}
	for (size_t i = 0; i < b->n; i++)
		if (!find_src(a, b->files[i].name))
			add_diff(c, b->files[i].name, "added", "", 0,
				 b->files[i].data ? b->files[i].data : "", b->files[i].len);
}

/* The end of a long console output: that is where runs differ in their results. */
static const char *console_tail(struct run *r, size_t *len)
{
	const struct value *o = run_prop(r, "output");
	if (!o || o->type != V_STR) {
		*len = 0;
		return "";
	}
	size_t n = strlen(o->str);
	const char *s = o->str;
	if (n > MAX_CONSOLE_DIFF) {
		s += n - MAX_CONSOLE_DIFF;
		const char *nl = memchr(s, '\n', MAX_CONSOLE_DIFF);
		s = nl ? nl + 1 : s;
	}
	*len = strlen(s);
	return s;
}

void compare_compute(struct comparison *c, const struct compare_input *in)
{
	memset(c, 0, sizeof *c);
	struct run *a = in->a.run, *b = in->b.run;
	fields_rows(&c->flags, &c->nflags, a->flags, a->nflags, b->flags, b->nflags);
	fields_rows(&c->eval, &c->neval, a->eval, a->neval, b->eval, b->neval);
	metric_rows(c, a, b);
	char *fa = flags_yaml(a), *fb = flags_yaml(b);
	add_diff(c, "flags.yml", "changed", fa, strlen(fa), fb, strlen(fb));
	free(fa);
	free(fb);
	source_diffs(c, &in->a.sources, &in->b.sources);
	size_t la, lb;
	const char *oa = console_tail(a, &la), *ob = console_tail(b, &lb);
	add_diff(c, "console output", "changed", oa, la, ob, lb);
}

static void rows_free(struct cmp_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		value_free(&v[i].a);
		value_free(&v[i].b);
	}
	free(v);
}

void compare_free(struct comparison *c)
{
	for (size_t i = 0; i < c->ndiffs; i++) {
		free(c->diffs[i].name);
		free(c->diffs[i].text);
	}
	free(c->diffs);
	rows_free(c->flags, c->nflags);
	rows_free(c->metrics, c->nmetrics);
	rows_free(c->eval, c->neval);
	memset(c, 0, sizeof *c);
}
