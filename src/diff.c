/* diff.c: Myers' O(ND) line diff over interned line ids (prepare, search, compact) */
#include "diff.h"
#include "xalloc.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The shape is git's xdiff (xprepare.c, xdiffi.c), itself after GNU diff:
 *
 * prepare   the common prefix and suffix are set aside; every other line is hashed and
 *           interned, so that lines compare as integers; a line that never occurs in the
 *           other file must be an insertion or a deletion in every script, so it is marked
 *           changed up front and left out of the search (this keeps the script minimal);
 * search    Myers' divide and conquer on the middle snake, in linear space, over the kept
 *           lines; a region whose edit distance exceeds a cost cap is split at the furthest
 *           point either search direction reached instead: every split point yields a
 *           correct script, this one just need not be minimal;
 * compact   each run of changed lines slides (over equal lines) down as far as it can,
 *           merging with the runs it meets, then back up to line up with a change in the
 *           other file when it can: the script keeps its length, the hunks get fewer and
 *           tidier;
 * collect   the two change maps are walked together into a[a0..a1) -> b[b0..b1) edits.
 */

/* The lowest cost cap (xdiff's XDL_MAX_COST_MIN); above it, sqrt(lines) is used. */
#define MIN_COST_CAP 256

#define MIN(x, y) ((x) < (y) ? (x) : (y))
#define MAX(x, y) ((x) > (y) ? (x) : (y))

/* ---- lines ---- */

size_t diff_split(const char *text, size_t len, struct diff_line **lines)
{
	const char *p = text, *end = text + len, *nl;
	size_t n = 0, cap = MIN(len / 32 + 16, (size_t)1 << 16); /* a guess; it grows */
	struct diff_line *l;

	*lines = NULL;
	if (!len)
		return 0;
	l = xmalloc(cap * sizeof *l);
	for (; p < end; p = nl) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		if (n == cap)
			l = xrealloc(l, (cap *= 2) * sizeof *l);
		l[n].p = p;
		l[n++].len = (size_t)(nl - p);
	}
	*lines = l;
	return n;
}

void diff_result_free(struct diff_result *r)
{
	if (!r)
		return;
	free(r->edits);
	r->edits = NULL;
	r->n = r->nadd = r->ndel = 0;
}

/* Lines are never empty: each holds at least its "\n" or one byte. */
static int line_eq(const struct diff_line *x, const struct diff_line *y)
{
	return x->len == y->len && !memcmp(x->p, y->p, x->len);
}

/* A 32-bit hash of a line, 8 bytes at a time. */
static uint32_t hash_line(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9u;
		h ^= h >> 31;
	}
	w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0x94d049bb133111ebu;
	return (uint32_t)(h ^ (h >> 32));
}

/* ---- prepare: intern, then keep only lines present on both sides ---- */

/* Interning is bound by the cache misses on its table: it prefetches the slot of the
 * line this many lines ahead. */
#define PREFETCH_AHEAD 16
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* The most lines (a and b together, prefix and suffix aside) searched; ids and indices
 * are 32-bit, half the memory to touch. Beyond, the middle is one replacement. */
#define MAX_SEARCH_LINES ((size_t)INT32_MAX - 8)

enum { SEEN_A = 1, SEEN_B = 2 };

struct rec {
	uint32_t h;
	uint32_t seen; /* SEEN_A | SEEN_B */
	const struct diff_line *l;
};

/* Open addressing, at most half full; a slot holds a rec index + 1, or 0. */
struct intern {
	struct rec *recs;
	uint32_t nrecs;
	uint32_t *slot;
	size_t mask;
};

/* The lines between the common prefix and suffix of one file. */
struct dfile {
	const struct diff_line *l;
	ptrdiff_t n;
	uint32_t *id;  /* id[i]: the interned id of l[i] (its hash, while interning) */
	char *chg;     /* chg[i]: l[i] is deleted (in a) or inserted (in b); chg[-1], chg[n] are 0 */
	ptrdiff_t nk;  /* the lines kept for the search: those also in the other file */
	uint32_t *kid; /* kid[k]: their ids */
	char *kchg;    /* kchg[k]: the search found the k-th kept line changed */
};

static void intern_init(struct intern *t, size_t maxrecs)
{
	size_t cap = 64;

	while (cap < 2 * maxrecs)
		cap *= 2;
	t->slot = xcalloc(cap, sizeof *t->slot);
	t->mask = cap - 1;
	t->recs = xmalloc(maxrecs * sizeof *t->recs);
	t->nrecs = 0;
}

static uint32_t intern(struct intern *t, const struct diff_line *l, uint32_t h, uint32_t side)
{
	for (size_t k = h & t->mask;; k = (k + 1) & t->mask) {
		uint32_t s = t->slot[k];
		if (!s) {
			t->recs[t->nrecs] = (struct rec){ h, side, l };
			t->slot[k] = ++t->nrecs;
			return t->nrecs - 1;
		}
		struct rec *r = &t->recs[s - 1];
		if (r->h == h && line_eq(r->l, l)) {
			r->seen |= side;
			return s - 1;
		}
	}
}

static void intern_file(struct intern *t, struct dfile *f, uint32_t side)
{
	for (ptrdiff_t i = 0; i < f->n; i++)
		f->id[i] = hash_line(f->l[i].p, f->l[i].len);
	for (ptrdiff_t i = 0; i < f->n; i++) {
		if (i + PREFETCH_AHEAD < f->n)
			PREFETCH(&t->slot[f->id[i + PREFETCH_AHEAD] & t->mask]);
		f->id[i] = intern(t, &f->l[i], f->id[i], side);
	}
}

static void dfile_init(struct dfile *f, const struct diff_line *l, size_t n)
{
	f->l = l;
	f->n = (ptrdiff_t)n;
	f->id = xmalloc(n * sizeof *f->id);
	f->chg = (char *)xcalloc(n + 2, 1) + 1;
	f->nk = 0;
	f->kid = NULL;
	f->kchg = NULL;
}

static void dfile_free(struct dfile *f)
{
	free(f->id);
	free(f->chg - 1);
	free(f->kid);
	free(f->kchg);
}

/* Marks the lines of f absent from the other file (bit other) changed; keeps the rest. */
static void dfile_keep(struct dfile *f, const struct intern *t, uint32_t other)
{
	f->kid = xmalloc((size_t)f->n * sizeof *f->kid);
	for (ptrdiff_t i = 0; i < f->n; i++) {
		if (t->recs[f->id[i]].seen & other)
			f->kid[f->nk++] = f->id[i];
		else
			f->chg[i] = 1;
	}
	f->kchg = xcalloc((size_t)f->nk + 1, 1);
}

/* Carries what the search found about the kept lines over to their places in chg. */
static void dfile_unkeep(struct dfile *f)
{
	for (ptrdiff_t i = 0, k = 0; i < f->n; i++)
		if (!f->chg[i])
			f->chg[i] = f->kchg[k++];
}

static void prepare(struct dfile *fa, struct dfile *fb)
{
	struct intern t;

	intern_init(&t, (size_t)(fa->n + fb->n));
	intern_file(&t, fa, SEEN_A);
	intern_file(&t, fb, SEEN_B);
	dfile_keep(fa, &t, SEEN_B);
	dfile_keep(fb, &t, SEEN_A);
	free(t.slot);
	free(t.recs);
}

/* ---- search: Myers' middle snake over the kept lines ---- */

struct myers {
	const uint32_t *a, *b; /* the kept ids of both files */
	struct dfile *fa, *fb;
	int32_t *kvf, *kvb;    /* per diagonal i1 - i2: furthest forward, backward i1 */
	ptrdiff_t cap;	      /* the cost from which a search may stop being minimal */
};

/* The region a[off1..lim1) against b[off2..lim2). */
struct box {
	ptrdiff_t off1, lim1, off2, lim2;
	int need_min;
};

struct split {
	ptrdiff_t i1, i2;
	int min_lo, min_hi;
};

/* The diagonals of a box, and those the forward and backward paths have reached. */
struct diags {
	ptrdiff_t dmin, dmax, fmin, fmax, bmin, bmax;
	int odd;
};

/* Extends every forward path by one edit and its snake; 1 when one meets a backward one. */
static int forward(const struct myers *m, const struct box *x, struct diags *g, struct split *s)
{
	int32_t *kv = m->kvf;

	/* Widen by one diagonal each side, or narrow to keep the parity at a box edge;
	 * the diagonal just outside gets -1 so that the choice below needs no test. */
	if (g->fmin > g->dmin)
		kv[--g->fmin - 1] = -1;
	else
		++g->fmin;
	if (g->fmax < g->dmax)
		kv[++g->fmax + 1] = -1;
	else
		--g->fmax;
	for (ptrdiff_t d = g->fmax; d >= g->fmin; d -= 2) {
		ptrdiff_t i1 = kv[d - 1] >= kv[d + 1] ? kv[d - 1] + 1 : kv[d + 1];
		ptrdiff_t i2 = i1 - d;
		while (i1 < x->lim1 && i2 < x->lim2 && m->a[i1] == m->b[i2])
			i1++, i2++;
		kv[d] = (int32_t)i1;
		if (g->odd && g->bmin <= d && d <= g->bmax && m->kvb[d] <= i1) {
			*s = (struct split){ i1, i2, 1, 1 };
			return 1;
		}
	}
	return 0;
}

/* The same from the end of the box towards its start. */
static int backward(const struct myers *m, const struct box *x, struct diags *g, struct split *s)
{
	int32_t *kv = m->kvb;

	if (g->bmin > g->dmin)
		kv[--g->bmin - 1] = INT32_MAX;
	else
		++g->bmin;
	if (g->bmax < g->dmax)
		kv[++g->bmax + 1] = INT32_MAX;
	else
		--g->bmax;
	for (ptrdiff_t d = g->bmax; d >= g->bmin; d -= 2) {
		ptrdiff_t i1 = kv[d - 1] < kv[d + 1] ? kv[d - 1] : kv[d + 1] - 1;
		ptrdiff_t i2 = i1 - d;
		while (i1 > x->off1 && i2 > x->off2 && m->a[i1 - 1] == m->b[i2 - 1])
			i1--, i2--;
		kv[d] = (int32_t)i1;
		if (!g->odd && g->fmin <= d && d <= g->fmax && i1 <= m->kvf[d]) {
			*s = (struct split){ i1, i2, 1, 1 };
			return 1;
		}
	}
	return 0;
}

/* Over the cost cap: splits at the point (by i1 + i2) furthest from its corner that either
 * direction reached; the part that search covered can still be done minimally. */
static void cut(const struct myers *m, const struct box *x, const struct diags *g, struct split *s)
{
	ptrdiff_t fbest = -1, fbest1 = -1, bbest = PTRDIFF_MAX, bbest1 = PTRDIFF_MAX;

	for (ptrdiff_t d = g->fmax; d >= g->fmin; d -= 2) {
		ptrdiff_t i1 = MIN(m->kvf[d], x->lim1), i2 = i1 - d;
		if (x->lim2 < i2)
			i1 = x->lim2 + d, i2 = x->lim2;
		if (fbest < i1 + i2)
			fbest = i1 + i2, fbest1 = i1;
	}
	for (ptrdiff_t d = g->bmax; d >= g->bmin; d -= 2) {
		ptrdiff_t i1 = MAX(x->off1, m->kvb[d]), i2 = i1 - d;
		if (i2 < x->off2)
			i1 = x->off2 + d, i2 = x->off2;
		if (i1 + i2 < bbest)
			bbest = i1 + i2, bbest1 = i1;
	}
	if ((x->lim1 + x->lim2) - bbest < fbest - (x->off1 + x->off2))
		*s = (struct split){ fbest1, fbest - fbest1, 1, 0 };
	else
		*s = (struct split){ bbest1, bbest - bbest1, 0, 1 };
}

/* Finds where to split a box that starts and ends with a difference on both sides. */
static void split(const struct myers *m, const struct box *x, struct split *s)
{
	ptrdiff_t fmid = x->off1 - x->off2, bmid = x->lim1 - x->lim2;
	struct diags g = { x->off1 - x->lim2, x->lim1 - x->off2, fmid, fmid, bmid, bmid,
			   (fmid - bmid) % 2 != 0 };

	m->kvf[fmid] = (int32_t)x->off1;
	m->kvb[bmid] = (int32_t)x->lim1;
	for (ptrdiff_t ec = 1;; ec++) {
		if (forward(m, x, &g, s) || backward(m, x, &g, s))
			return;
		if (!x->need_min && ec >= m->cap) {
			cut(m, x, &g, s);
			return;
		}
	}
}

/* Marks what remains of a box once one side is empty. */
static void mark(const struct myers *m, const struct box *x)
{
	memset(m->fa->kchg + x->off1, 1, (size_t)(x->lim1 - x->off1));
	memset(m->fb->kchg + x->off2, 1, (size_t)(x->lim2 - x->off2));
}

/* Divide and conquer, with a stack of boxes in place of recursion. */
static void search(struct myers *m, struct box top)
{
	size_t n = 0, cap = 32;
	struct box *stk = xmalloc(cap * sizeof *stk);

	stk[n++] = top;
	while (n) {
		struct box x = stk[--n];
		struct split s;
		while (x.off1 < x.lim1 && x.off2 < x.lim2 && m->a[x.off1] == m->b[x.off2])
			x.off1++, x.off2++;
		while (x.off1 < x.lim1 && x.off2 < x.lim2 && m->a[x.lim1 - 1] == m->b[x.lim2 - 1])
			x.lim1--, x.lim2--;
		if (x.off1 == x.lim1 || x.off2 == x.lim2) {
			mark(m, &x);
			continue;
		}
		split(m, &x, &s);
		if (n + 2 > cap)
			stk = xrealloc(stk, (cap *= 2) * sizeof *stk);
		stk[n++] = (struct box){ s.i1, x.lim1, s.i2, x.lim2, s.min_hi };
		stk[n++] = (struct box){ x.off1, s.i1, x.off2, s.i2, s.min_lo };
	}
	free(stk);
}

static ptrdiff_t isqrt(size_t n)
{
	size_t x = n, y = (n + 1) / 2;

	while (y < x) {
		x = y;
		y = (x + n / x) / 2;
	}
	return (ptrdiff_t)x;
}

static void run_search(struct dfile *fa, struct dfile *fb)
{
	size_t nd = (size_t)(fa->nk + fb->nk) + 3; /* diagonals -nkb-1 .. nka+1 */
	int32_t *kv = xmalloc(2 * nd * sizeof *kv);
	struct myers m = { fa->kid, fb->kid, fa, fb, kv + fb->nk + 1, kv + nd + fb->nk + 1,
			   MAX(MIN_COST_CAP, isqrt(nd)) };

	search(&m, (struct box){ 0, fa->nk, 0, fb->nk, 0 });
	free(kv);
	dfile_unkeep(fa);
	dfile_unkeep(fb);
}

/* ---- compact: slide runs of changes over equal lines ---- */

struct group {
	ptrdiff_t start, end;
};

/* The groups of f and of o move in step (as many unchanged lines precede each): a step
 * that fails to is a bug in this file. */
#define IN_STEP(expr)                      \
	do {                               \
		int out_of_step_ = (expr); \
		assert(!out_of_step_);     \
		(void)out_of_step_;        \
	} while (0)

static void group_init(const struct dfile *f, struct group *g)
{
	g->start = g->end = 0;
	while (f->chg[g->end])
		g->end++;
}

static int group_next(const struct dfile *f, struct group *g)
{
	if (g->end == f->n)
		return -1;
	g->start = g->end + 1;
	for (g->end = g->start; f->chg[g->end]; g->end++)
		;
	return 0;
}

static int group_prev(const struct dfile *f, struct group *g)
{
	if (g->start == 0)
		return -1;
	g->end = g->start - 1;
	for (g->start = g->end; f->chg[g->start - 1]; g->start--)
		;
	return 0;
}

static int slide_down(struct dfile *f, struct group *g)
{
	if (g->end >= f->n || f->id[g->start] != f->id[g->end])
		return -1;
	f->chg[g->start++] = 0;
	f->chg[g->end++] = 1;
	while (f->chg[g->end])
		g->end++;
	return 0;
}

static int slide_up(struct dfile *f, struct group *g)
{
	if (g->start == 0 || f->id[g->start - 1] != f->id[g->end - 1])
		return -1;
	f->chg[--g->start] = 1;
	f->chg[--g->end] = 0;
	while (f->chg[g->start - 1])
		g->start--;
	return 0;
}

/* Slides group g of f (go: the matching group of o) up, then down as far as it goes,
 * merging what it meets; returns the lowest end index that lines up with a change in o,
 * or -1. *earliest: the end index at the highest position. */
static ptrdiff_t slide_group(struct dfile *f, struct group *g, const struct dfile *o,
			     struct group *go, ptrdiff_t *earliest)
{
	ptrdiff_t size, match;

	do {
		size = g->end - g->start;
		match = -1;
		while (!slide_up(f, g))
			IN_STEP(group_prev(o, go));
		*earliest = g->end;
		if (go->end > go->start)
			match = g->end;
		while (!slide_down(f, g)) {
			IN_STEP(group_next(o, go));
			if (go->end > go->start)
				match = g->end;
		}
	} while (size != g->end - g->start);
	return match;
}

static void compact(struct dfile *f, const struct dfile *o)
{
	struct group g, go;
	ptrdiff_t earliest, match;

	group_init(f, &g);
	group_init(o, &go);
	for (;;) {
		if (g.end != g.start) {
			match = slide_group(f, &g, o, &go, &earliest);
			/* Now as low as it goes; back up to the change in o it can face. */
			if (g.end != earliest && match != -1) {
				while (go.end == go.start) {
					IN_STEP(slide_up(f, &g));
					IN_STEP(group_prev(o, &go));
				}
			}
		}
		if (group_next(f, &g))
			break;
		IN_STEP(group_next(o, &go));
	}
}

/* ---- collect ---- */

static void add_edit(struct diff_result *out, size_t *cap, struct diff_hunk_edit e)
{
	if (out->n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		out->edits = xrealloc(out->edits, *cap * sizeof *out->edits);
	}
	out->edits[out->n++] = e;
	out->ndel += e.a1 - e.a0;
	out->nadd += e.b1 - e.b0;
}

static void collect(const struct dfile *fa, const struct dfile *fb, size_t pre,
		    struct diff_result *out)
{
	ptrdiff_t i = 0, j = 0;
	size_t cap = 0;

	for (;;) {
		while (i < fa->n && j < fb->n && !fa->chg[i] && !fb->chg[j])
			i++, j++;
		if (i == fa->n && j == fb->n)
			break;
		struct diff_hunk_edit e = { pre + (size_t)i, 0, pre + (size_t)j, 0 };
		while (fa->chg[i])
			i++;
		while (fb->chg[j])
			j++;
		e.a1 = pre + (size_t)i;
		e.b1 = pre + (size_t)j;
		assert(e.a1 > e.a0 || e.b1 > e.b0);
		add_edit(out, &cap, e);
	}
}

int diff_lines(const struct diff_line *a, size_t na, const struct diff_line *b, size_t nb,
	       struct diff_result *out)
{
	size_t pre = 0, suf = 0, cap = 0;
	struct dfile fa, fb;

	memset(out, 0, sizeof *out);
	while (pre < na && pre < nb && line_eq(&a[pre], &b[pre]))
		pre++;
	while (suf < na - pre && suf < nb - pre && line_eq(&a[na - 1 - suf], &b[nb - 1 - suf]))
		suf++;
	na -= pre + suf;
	nb -= pre + suf;
	if (!na || !nb || na + nb > MAX_SEARCH_LINES) {
		if (na || nb)
			add_edit(out, &cap, (struct diff_hunk_edit){ pre, pre + na, pre, pre + nb });
		return 0;
	}
	dfile_init(&fa, a + pre, na);
	dfile_init(&fb, b + pre, nb);
	prepare(&fa, &fb);
	run_search(&fa, &fb);
	compact(&fa, &fb);
	compact(&fb, &fa);
	collect(&fa, &fb, pre, out);
	dfile_free(&fa);
	dfile_free(&fb);
	return 0;
}
