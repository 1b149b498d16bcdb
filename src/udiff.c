/* udiff.c: unified-diff text from diff.c's edits, byte for byte as GNU diff -u */
#include "udiff.h"
#include "diff.h"

#include <stdlib.h>

#define NO_NEWLINE "\n\\ No newline at end of file\n"

struct sides {
	const struct diff_line *a, *b;
	size_t na, nb;
	size_t ctx;
};

static void put_line(struct buf *out, char sign, const struct diff_line *l)
{
	buf_grow(out, l->len + sizeof NO_NEWLINE);
	out->data[out->len++] = sign;
	buf_add(out, l->p, l->len);
	if (l->p[l->len - 1] != '\n')
		buf_add(out, NO_NEWLINE, sizeof NO_NEWLINE - 1);
}

static void put_lines(struct buf *out, char sign, const struct diff_line *l, size_t from,
		      size_t to)
{
	for (size_t i = from; i < to; i++)
		put_line(out, sign, &l[i]);
}

/* GNU diff's ranges: "l,n"; "l" when n is 1; "l,0" when empty, l the line before. */
static void put_range(struct buf *out, size_t start, size_t count)
{
	if (count == 1)
		buf_printf(out, "%zu", start + 1);
	else if (count == 0)
		buf_printf(out, "%zu,0", start);
	else
		buf_printf(out, "%zu,%zu", start + 1, count);
}

/* The number of edits from e on that share one hunk: those apart by at most 2 * ctx
 * unchanged lines, whose contexts touch or overlap. */
static size_t hunk_edits(const struct diff_hunk_edit *e, size_t n, size_t ctx)
{
	size_t k = 1;

	while (k < n && e[k].a0 - e[k - 1].a1 <= 2 * ctx)
		k++;
	return k;
}

/* Writes one hunk of edits e[0..k). Before the first edit and after the last the
 * unchanged lines are the same in a and b, and as many. */
static void put_hunk(struct buf *out, const struct sides *s, const struct diff_hunk_edit *e,
		     size_t k)
{
	const struct diff_hunk_edit *last = &e[k - 1];
	size_t pre = e->a0 < s->ctx ? e->a0 : s->ctx;
	size_t post = s->na - last->a1 < s->ctx ? s->na - last->a1 : s->ctx;
	size_t a0 = e->a0 - pre, b0 = e->b0 - pre, i = a0;

	buf_puts(out, "@@ -");
	put_range(out, a0, last->a1 + post - a0);
	buf_puts(out, " +");
	put_range(out, b0, last->b1 + post - b0);
	buf_puts(out, " @@\n");
	for (size_t j = 0; j < k; j++) {
		put_lines(out, ' ', s->a, i, e[j].a0);
		put_lines(out, '-', s->a, e[j].a0, e[j].a1);
		put_lines(out, '+', s->b, e[j].b0, e[j].b1);
		i = e[j].a1;
	}
	put_lines(out, ' ', s->a, i, last->a1 + post);
}

size_t udiff(struct buf *out, const char *a, size_t alen, const char *b, size_t blen,
	     const struct udiff_opts *o, size_t *nadd, size_t *ndel)
{
	static const struct udiff_opts defaults = UDIFF_OPTS_INIT;
	struct diff_line *la, *lb;
	struct diff_result r;
	size_t nh = 0;

	if (!o)
		o = &defaults;
	struct sides s = { NULL, NULL, diff_split(a, alen, &la), diff_split(b, blen, &lb),
			   o->context > 0 ? (size_t)o->context : 0 };
	s.a = la;
	s.b = lb;
	diff_lines(la, s.na, lb, s.nb, &r);
	if (r.n) {
		buf_printf(out, "--- %s\n+++ %s\n", o->a_label ? o->a_label : "a",
			   o->b_label ? o->b_label : "b");
	}
	for (size_t i = 0, k; i < r.n; i += k, nh++) {
		k = hunk_edits(r.edits + i, r.n - i, s.ctx);
		put_hunk(out, &s, r.edits + i, k);
	}
	if (nadd)
		*nadd = r.nadd;
	if (ndel)
		*ndel = r.ndel;
	diff_result_free(&r);
	free(la);
	free(lb);
	return nh;
}
