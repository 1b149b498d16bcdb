/* test_diff.c: diff.c and udiff.c against GNU patch, GNU diff --minimal and hand cases */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "diff.h"
#include "udiff.h"

#define PATCH "/usr/bin/patch"
#define DIFF "/usr/bin/diff"
#define SEED 20261128u

/* The temporary directory and the files the oracles use in it. */
struct tmp {
	char dir[64];
	char a[96], b[96], d[96], out[96], log[96];
	size_t pairs, patched, minimal, lcs; /* pairs checked, and by each oracle */
};

/* ---- files and processes ---- */

static void write_file(const char *path, const char *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	while (n) {
		ssize_t w = write(fd, p, n);
		assert_true(w > 0);
		p += w;
		n -= (size_t)w;
	}
	assert_int_equal(close(fd), 0);
}

static void read_file_all(const char *path, struct buf *out)
{
	char chunk[65536];
	ssize_t r;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	buf_reset(out);
	while ((r = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(out, chunk, (size_t)r);
	assert_int_equal(r, 0);
	close(fd);
}

/* Runs argv (no shell, a fixed environment) with stdout and stderr into the file out;
 * returns its exit status, or -1 if it did not exit. */
static int run(const char *const argv[], const char *out)
{
	static char *const env[] = { "LC_ALL=C", "PATH=/usr/bin:/bin", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st;

	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, env), 0);
	posix_spawn_file_actions_destroy(&fa);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- checks ---- */

static int line_eq(const struct diff_line *x, const struct diff_line *y)
{
	return x->len == y->len && !memcmp(x->p, y->p, x->len);
}

/* The edits are in order, non-empty, never adjacent, add up to nadd and ndel, and the
 * lines between them are equal in a and b: applying them to a gives b. */
static void check_edits(const struct diff_line *a, size_t na, const struct diff_line *b,
			size_t nb, const struct diff_result *r)
{
	size_t i = 0, j = 0, add = 0, del = 0;

	for (size_t k = 0; k < r->n; k++) {
		const struct diff_hunk_edit *e = &r->edits[k];
		assert_true(e->a0 <= e->a1 && e->b0 <= e->b1 && e->a1 <= na && e->b1 <= nb);
		assert_true(e->a1 > e->a0 || e->b1 > e->b0);
		assert_true(e->a0 >= i && e->b0 >= j);
		assert_true(k == 0 || e->a0 > i);
		assert_int_equal(e->a0 - i, e->b0 - j);
		for (; i < e->a0; i++, j++)
			assert_true(line_eq(&a[i], &b[j]));
		del += e->a1 - e->a0;
		add += e->b1 - e->b0;
		i = e->a1;
		j = e->b1;
	}
	assert_int_equal(na - i, nb - j);
	for (; i < na; i++, j++)
		assert_true(line_eq(&a[i], &b[j]));
	assert_int_equal(r->nadd, add);
	assert_int_equal(r->ndel, del);
}

/* The shortest edit script's length, by dynamic programming on the LCS. */
static size_t lcs_edits(const struct diff_line *a, size_t na, const struct diff_line *b,
			size_t nb)
{
	size_t *row = calloc((nb + 1) * 2, sizeof *row), *prev = row, *cur = row + nb + 1;

	for (size_t i = 1; i <= na; i++) {
		for (size_t j = 1; j <= nb; j++) {
			if (line_eq(&a[i - 1], &b[j - 1]))
				cur[j] = prev[j - 1] + 1;
			else
				cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
		}
		size_t *t = prev;
		prev = cur;
		cur = t;
	}
	size_t lcs = prev[nb];
	free(row);
	return na + nb - 2 * lcs;
}

static size_t parse_count(const char **s)
{
	char *end;
	size_t n = strtoul(*s, &end, 10);
	assert_true(end > *s);
	*s = end;
	return n;
}

/* Parses "@@ -l[,s] +l[,s] @@\n" at p; returns the counts in *na, *nb. */
static void parse_hunk_header(const char *p, size_t *na, size_t *nb)
{
	assert_memory_equal(p, "@@ -", 4);
	p += 4;
	parse_count(&p);
	*na = *p == ',' ? (p++, parse_count(&p)) : 1;
	assert_memory_equal(p, " +", 2);
	p += 2;
	parse_count(&p);
	*nb = *p == ',' ? (p++, parse_count(&p)) : 1;
	assert_memory_equal(p, " @@\n", 4);
}

/* Walks a unified diff (after skip header lines): each hunk's body holds as many lines as
 * its header says; counts hunks and the "+" and "-" lines. */
static void scan_udiff(const char *p, size_t len, int skip, size_t *hunks, size_t *add,
		       size_t *del)
{
	const char *end = p + len;
	size_t wa = 0, wb = 0;

	*hunks = *add = *del = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		assert_non_null(nl);
		if (skip > 0) {
			skip--;
		} else if (*p == '@') {
			assert_true(wa == 0 && wb == 0);
			parse_hunk_header(p, &wa, &wb);
			++*hunks;
		} else if (*p != '\\') {
			assert_true(*p == ' ' || *p == '-' || *p == '+');
			if (*p != '+')
				assert_true(wa-- > 0);
			if (*p != '-')
				assert_true(wb-- > 0);
			*add += *p == '+';
			*del += *p == '-';
		}
		p = nl + 1;
	}
	assert_true(wa == 0 && wb == 0);
}

/* Lines "+"/"-" in GNU diff --minimal -u's output for the files a and b. */
static size_t gnu_minimal_edits(const struct tmp *t)
{
	const char *argv[] = { DIFF, "--minimal", "-a", "-u", t->a, t->b, NULL };
	struct buf out = BUF_INIT;
	size_t hunks, add, del;

	int rc = run(argv, t->out);
	assert_true(rc == 0 || rc == 1);
	read_file_all(t->out, &out);
	scan_udiff(out.data, out.len, rc ? 2 : 0, &hunks, &add, &del);
	buf_free(&out);
	return add + del;
}

/* GNU patch, with no fuzz, applied to a with diff gives b, byte for byte, with every
 * hunk where its header says (patch reports nothing about any hunk). */
static void check_patch(const struct tmp *t, const char *b, size_t blen, const struct buf *d)
{
	const char *argv[] = { PATCH, "-f", "--binary", "-F0", "--no-backup-if-mismatch",
			       "-r", "-", "-o", t->out, "-i", t->d, t->a, NULL };
	struct buf got = BUF_INIT;

	write_file(t->d, d->data, d->len);
	unlink(t->out);
	int rc = run(argv, t->log);
	read_file_all(t->log, &got);
	if (rc != 0 || strstr(got.data, "Hunk"))
		fail_msg("patch exited %d: %s", rc, got.data);
	read_file_all(t->out, &got);
	assert_int_equal(got.len, blen);
	assert_memory_equal(got.data, b, blen);
	buf_free(&got);
}

enum { ORACLE_PATCH = 1, ORACLE_MINIMAL = 2, ORACLE_LCS = 4 };

/* Every check of one pair; returns nadd + ndel. */
/* diff_lines() on a and b: valid edits, and (ORACLE_LCS) as few as the LCS allows. */
static void check_lines(struct tmp *t, const char *a, size_t alen, const char *b, size_t blen,
			int oracles, struct diff_result *r)
{
	struct diff_line *la, *lb;
	size_t na = diff_split(a, alen, &la), nb = diff_split(b, blen, &lb);

	assert_int_equal(diff_lines(la, na, lb, nb, r), 0);
	check_edits(la, na, lb, nb, r);
	if (oracles & ORACLE_LCS) {
		assert_int_equal(r->nadd + r->ndel, lcs_edits(la, na, lb, nb));
		t->lcs++;
	}
	free(la);
	free(lb);
}

/* Every check of one pair; returns nadd + ndel. */
static size_t check_pair(struct tmp *t, const char *a, size_t alen, const char *b,
			 size_t blen, int oracles)
{
	struct diff_result r;
	struct udiff_opts o = { 3, alen ? "a/f" : "/dev/null", blen ? "b/f" : "/dev/null" };
	struct buf d = BUF_INIT;
	size_t add, del, hunks, sadd, sdel;
	int same = alen == blen && (!alen || !memcmp(a, b, alen));

	t->pairs++;
	check_lines(t, a, alen, b, blen, oracles, &r);
	size_t nh = udiff(&d, a, alen, b, blen, &o, &add, &del);
	assert_true(add == r.nadd && del == r.ndel);
	assert_true((d.len == 0) == same && (r.n == 0) == same);
	scan_udiff(d.data ? d.data : "", d.len, same ? 0 : 2, &hunks, &sadd, &sdel);
	assert_true(hunks == nh && sadd == add && sdel == del);
	if (oracles & (ORACLE_PATCH | ORACLE_MINIMAL))
		write_file(t->a, a, alen);
	if ((oracles & ORACLE_PATCH) && !same) {
		check_patch(t, b, blen, &d);
		t->patched++;
	}
	if (oracles & ORACLE_MINIMAL) {
		write_file(t->b, b, blen);
		assert_int_equal(add + del, gnu_minimal_edits(t));
		t->minimal++;
	}
	buf_free(&d);
	diff_result_free(&r);
	return add + del;
}

/* ---- random inputs ---- */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r) /* splitmix64 */
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static size_t below(struct rng *r, size_t n)
{
	return n ? (size_t)(rnd(r) % n) : 0;
}

/* What random texts look like: lines from a small alphabet, so many repeat. */
struct shape {
	size_t maxlines; /* a has 0..maxlines lines */
	size_t alpha;	 /* distinct short lines ("" among them) */
	unsigned edit;	 /* chance in 100, per line of a, of an edit there */
	unsigned crlf;	 /* chance in 100 that a line ends in "\r\n" */
	unsigned lng;	 /* chance in 100 of a long line (2000 bytes, 3 kinds) */
	unsigned nonl;	 /* chance in 100 that a text has no final newline */
};

static void random_line(struct rng *r, const struct shape *s, struct buf *out)
{
	if (below(r, 100) < s->lng) {
		size_t at = out->len;
		buf_grow(out, 2000);
		memset(out->data + at, 'L', 1999);
		out->len += 1999;
		buf_putc(out, (char)('a' + below(r, 3)));
	} else {
		size_t k = below(r, s->alpha);
		if (k)
			buf_printf(out, "line %zu", k);
	}
	buf_puts(out, below(r, 100) < s->crlf ? "\r\n" : "\n");
}

static void random_text(struct rng *r, const struct shape *s, struct buf *out)
{
	size_t n = below(r, s->maxlines + 1);
	for (size_t i = 0; i < n; i++)
		random_line(r, s, out);
}

/* Final newline: dropped from a text that has one, added to one that has none. */
static void flip_final_newline(struct rng *r, const struct shape *s, struct buf *t)
{
	if (below(r, 100) >= s->nonl || !t->len)
		return;
	if (t->data[t->len - 1] == '\n')
		t->data[--t->len] = '\0';
	else
		buf_putc(t, '\n');
}

/* b: a with random deletions, insertions and replacements of 1..3 lines. */
static void mutate(struct rng *r, const struct shape *s, const char *a, size_t alen,
		   struct buf *b)
{
	struct diff_line *l;
	size_t n = diff_split(a, alen, &l);

	for (size_t i = 0; i <= n;) {
		unsigned op = below(r, 100) < s->edit ? 1 + (unsigned)below(r, 3) : 0;
		size_t del = op & 1 ? 1 + below(r, 3) : 0; /* ops 1 and 3 delete */
		if (op >= 2)				   /* ops 2 and 3 insert */
			for (size_t k = 1 + below(r, 3); k; k--)
				random_line(r, s, b);
		if (!del && i < n)
			buf_add(b, l[i].p, l[i].len);
		i += del ? del : 1;
	}
	free(l);
}

static void random_pair(struct rng *r, const struct shape *s, struct buf *a, struct buf *b)
{
	buf_reset(a);
	buf_reset(b);
	random_text(r, s, a);
	mutate(r, s, a->data ? a->data : "", a->len, b);
	flip_final_newline(r, s, a);
	flip_final_newline(r, s, b);
}

static size_t random_pairs(struct tmp *t, const struct shape *s, size_t count,
			   uint64_t seed, int oracles)
{
	struct rng r = { seed };
	struct buf a = BUF_INIT, b = BUF_INIT;
	size_t edits = 0;

	for (size_t i = 0; i < count; i++) {
		random_pair(&r, s, &a, &b);
		edits += check_pair(t, a.data ? a.data : "", a.len, b.data ? b.data : "", b.len,
				    oracles);
	}
	buf_free(&a);
	buf_free(&b);
	return edits;
}

/* ---- tests: splitting and hand cases ---- */

static void split_keeps_newlines_and_cr(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t n;
		size_t len[3];
	} cases[] = {
		{ "", 0, { 0 } },	       { "a", 1, { 1 } },	   { "a\n", 1, { 2 } },
		{ "a\nb", 2, { 2, 1 } },       { "\n\n", 2, { 1, 1 } },	   { "\r", 1, { 1 } },
		{ "a\r\nb\r\n", 2, { 3, 3 } }, { "x\n\ny", 3, { 2, 1, 1 } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct diff_line *l;
		size_t n = diff_split(cases[i].text, strlen(cases[i].text), &l);
		assert_int_equal(n, cases[i].n);
		const char *p = cases[i].text;
		for (size_t k = 0; k < n; k++) {
			assert_ptr_equal(l[k].p, p);
			assert_int_equal(l[k].len, cases[i].len[k]);
			p += l[k].len;
		}
		if (!n)
			assert_null(l);
		free(l);
	}
}

static void udiff_hand_cases(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		int ctx;
		const char *al, *bl, *want;
		size_t hunks, add, del;
	} cases[] = {
		{ "", "x\n", 3, "/dev/null", "b/f", "--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+x\n", 1, 1, 0 },
		{ "x\n", "", 3, "a/f", "/dev/null", "--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n", 1, 0, 1 },
		{ "", "x\ny", 3, "/dev/null", "b/f",
		  "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n\\ No newline at end of file\n", 1, 2, 0 },
		{ "a\n", "b\n", 3, "a/f", "b/f", "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n", 1, 1, 1 },
		{ "a\nb\nc", "a\nb\nc\n", 3, "a/f", "b/f",
		  "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n b\n-c\n\\ No newline at end of file\n+c\n",
		  1, 1, 1 },
		{ "a\nb\n", "a\nb", 3, "a/f", "b/f",
		  "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n", 1, 1, 1 },
		{ "a\nb", "a\nc", 3, "a/f", "b/f",
		  "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
		  "+c\n\\ No newline at end of file\n",
		  1, 1, 1 },
		{ "a\nb\nc", "x\nb\nc", 3, "a/f", "b/f",
		  "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n-a\n+x\n b\n c\n\\ No newline at end of file\n", 1, 1, 1 },
		{ "a\r\nb\r\n", "a\r\nc\r\n", 3, "a/f", "b/f",
		  "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n", 1, 1, 1 },
		{ "a\r\n", "a\n", 3, "a/f", "b/f", "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\r\n+a\n", 1, 1, 1 },
		{ "a\nb\n", "a\nx\nb\n", 0, "a", "b", "--- a\n+++ b\n@@ -1,0 +2 @@\n+x\n", 1, 1, 0 },
		{ "a\nx\nb\n", "a\nb\n", 0, "a", "b", "--- a\n+++ b\n@@ -2 +1,0 @@\n-x\n", 1, 0, 1 },
		{ "x\na\n", "a\n", 1, "a", "b", "--- a\n+++ b\n@@ -1,2 +1 @@\n-x\n a\n", 1, 0, 1 },
		{ "a\n", "a\n", 3, "a/f", "b/f", "", 0, 0, 0 },
		{ "", "", 3, "a/f", "b/f", "", 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct udiff_opts o = { cases[i].ctx, cases[i].al, cases[i].bl };
		struct buf out = BUF_INIT;
		size_t add = 99, del = 99;
		size_t n = udiff(&out, cases[i].a, strlen(cases[i].a), cases[i].b, strlen(cases[i].b),
				 &o, &add, &del);
		assert_string_equal(out.data ? out.data : "", cases[i].want);
		assert_int_equal(n, cases[i].hunks);
		assert_int_equal(add, cases[i].add);
		assert_int_equal(del, cases[i].del);
		buf_free(&out);
	}
}

/* "l1\n" .. "l20\n" with lines k (1-based) in changed[] made "X\n". */
static void twenty(struct buf *b, const int *changed)
{
	for (int i = 1; i <= 20; i++) {
		int c = 0;
		for (const int *k = changed; *k; k++)
			c |= *k == i;
		if (c)
			buf_puts(b, "X\n");
		else
			buf_printf(b, "l%d\n", i);
	}
}

static void hunks_join_when_contexts_touch(void **state)
{
	(void)state;
	static const int none[] = { 0 }, gap6[] = { 5, 12, 0 }, gap7[] = { 5, 13, 0 };
	struct buf a = BUF_INIT, b = BUF_INIT, out = BUF_INIT;

	twenty(&a, none);
	twenty(&b, gap6);
	assert_int_equal(udiff(&out, a.data, a.len, b.data, b.len, NULL, NULL, NULL), 1);
	assert_non_null(strstr(out.data, "--- a\n+++ b\n@@ -2,14 +2,14 @@\n l2\n l3\n l4\n-l5\n+X\n"));
	buf_reset(&b);
	buf_reset(&out);
	twenty(&b, gap7);
	assert_int_equal(udiff(&out, a.data, a.len, b.data, b.len, NULL, NULL, NULL), 2);
	assert_non_null(strstr(out.data, "\n l8\n@@ -10,7 +10,7 @@\n l10\n"));
	buf_reset(&out);
	struct udiff_opts o = { 0, "a/f", "b/f" };
	assert_int_equal(udiff(&out, a.data, a.len, b.data, b.len, &o, NULL, NULL), 2);
	assert_string_equal(out.data, "--- a/f\n+++ b/f\n@@ -5 +5 @@\n-l5\n+X\n@@ -13 +13 @@\n-l13\n+X\n");
	buf_reset(&out);
	o.context = 100;
	assert_int_equal(udiff(&out, a.data, a.len, b.data, b.len, &o, NULL, NULL), 1);
	assert_non_null(strstr(out.data, "@@ -1,20 +1,20 @@\n"));
	buf_free(&a);
	buf_free(&b);
	buf_free(&out);
}

/* A run of changes slides over equal lines to merge with its neighbour (one hunk, the
 * inserted block as a whole) rather than splitting around a repeated line. */
static void changes_slide_into_one_block(void **state)
{
	(void)state;
	const char *a = "f() {\n}\n";
	const char *b = "f() {\n}\n\ng() {\n}\n";
	struct buf out = BUF_INIT;

	assert_int_equal(udiff(&out, a, strlen(a), b, strlen(b), NULL, NULL, NULL), 1);
	assert_string_equal(out.data, "--- a\n+++ b\n@@ -1,2 +1,5 @@\n f() {\n }\n+\n+g() {\n+}\n");
	buf_free(&out);
}

/* ---- tests: oracles over generated pairs ---- */

/* Small pairs: GNU patch gives b back, and the edit count is GNU diff --minimal's and the
 * LCS's. */
static void small_pairs_are_exact_and_minimal(void **state)
{
	struct tmp *t = *state;
	static const struct shape shapes[] = {
		{ 12, 3, 25, 0, 0, 20 },  { 30, 4, 15, 10, 0, 20 }, { 60, 6, 10, 0, 5, 25 },
		{ 60, 2, 30, 20, 0, 30 }, { 40, 12, 40, 0, 0, 20 }, { 60, 5, 5, 50, 10, 50 },
	};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		random_pairs(t, &shapes[i], 70, SEED + i, ORACLE_PATCH | ORACLE_MINIMAL | ORACLE_LCS);
}

/* Many more small pairs, in process only: valid edits, minimal by the LCS. */
static void many_pairs_minimal_by_lcs(void **state)
{
	struct tmp *t = *state;
	static const struct shape shapes[] = {
		{ 8, 2, 30, 0, 0, 20 }, { 40, 3, 20, 10, 0, 20 }, { 80, 5, 10, 0, 2, 20 },
		{ 80, 20, 50, 0, 0, 20 },
	};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		random_pairs(t, &shapes[i], 1500, SEED + 100 + i, ORACLE_LCS);
}

/* Larger pairs, GNU patch only. */
static void medium_pairs_patch_exactly(void **state)
{
	struct tmp *t = *state;
	static const struct shape shapes[] = {
		{ 400, 8, 5, 5, 1, 20 }, { 3000, 30, 2, 0, 0, 20 }, { 2000, 3, 20, 0, 0, 20 },
		{ 1500, 200, 1, 0, 0, 20 },
	};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		random_pairs(t, &shapes[i], 25, SEED + 200 + i, ORACLE_PATCH);
}

static void edge_pairs_patch_exactly(void **state)
{
	struct tmp *t = *state;
	static const char *const texts[] = {
		"",	     "\n",	     "\n\n",	      "x",	     "x\n",	      "x\r\n",
		"x\r",	     "a\nb\nc",	     "a\nb\nc\n",     "a\r\nb\r\nc", "c\nb\na\n",     "a\na\na\n",
		"a\na\na",   "\r\n\r\n",     "b\n",	      "a\nb\n",	     "b\na",	      "a\n\nb\n",
	};
	size_t n = sizeof texts / sizeof texts[0];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			check_pair(t, texts[i], strlen(texts[i]), texts[j], strlen(texts[j]),
				   ORACLE_PATCH | ORACLE_LCS);
}

static void fill_lines(struct buf *b, size_t n, const char *fmt)
{
	for (size_t i = 0; i < n; i++)
		buf_printf(b, fmt, i);
}

/* 10,000 lines all changed, both without a final newline; then 10,000 lines each side
 * drawn from 3 kinds, independently: the edit distance is far over the cost cap, and the
 * script must still be exact. */
static void large_pairs_patch_exactly(void **state)
{
	struct tmp *t = *state;
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct rng r = { SEED };

	fill_lines(&a, 10000, "old line %zu\n");
	fill_lines(&b, 10000, "new line %zu\r\n");
	a.data[--a.len] = '\0';
	b.data[--b.len] = '\0';
	assert_int_equal(check_pair(t, a.data, a.len, b.data, b.len, ORACLE_PATCH), 20000);
	buf_reset(&a);
	buf_reset(&b);
	for (size_t i = 0; i < 10000; i++) {
		buf_printf(&a, "%c\n", (char)('a' + below(&r, 3)));
		buf_printf(&b, "%c\n", (char)('a' + below(&r, 3)));
	}
	size_t ours = check_pair(t, a.data, a.len, b.data, b.len, ORACLE_PATCH);
	write_file(t->b, b.data, b.len);
	size_t least = gnu_minimal_edits(t);
	print_message("10,000 lines of 3 kinds: %zu edits, GNU diff --minimal %zu\n", ours, least);
	assert_true(ours >= least);
	buf_free(&a);
	buf_free(&b);
}

/* ---- setup ---- */

static int make_tmp(void **state)
{
	static struct tmp t;
	const char *base = getenv("TMPDIR");

	if (!base || !*base || strlen(base) > 40)
		base = "/tmp";
	snprintf(t.dir, sizeof t.dir, "%s/tfreport-diff-XXXXXX", base);
	if (!mkdtemp(t.dir))
		return -1;
	snprintf(t.a, sizeof t.a, "%s/a", t.dir);
	snprintf(t.b, sizeof t.b, "%s/b", t.dir);
	snprintf(t.d, sizeof t.d, "%s/d", t.dir);
	snprintf(t.out, sizeof t.out, "%s/out", t.dir);
	snprintf(t.log, sizeof t.log, "%s/log", t.dir);
	*state = &t;
	return 0;
}

static int remove_tmp(void **state)
{
	const struct tmp *t = *state;
	const char *files[] = { t->a, t->b, t->d, t->out, t->log };

	print_message("%zu pairs: %zu through GNU patch, %zu against GNU diff --minimal, "
		      "%zu against the LCS\n", t->pairs, t->patched, t->minimal, t->lcs);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		unlink(files[i]);
	return rmdir(t->dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_keeps_newlines_and_cr),
		cmocka_unit_test(udiff_hand_cases),
		cmocka_unit_test(hunks_join_when_contexts_touch),
		cmocka_unit_test(changes_slide_into_one_block),
		cmocka_unit_test(small_pairs_are_exact_and_minimal),
		cmocka_unit_test(many_pairs_minimal_by_lcs),
		cmocka_unit_test(medium_pairs_patch_exactly),
		cmocka_unit_test(edge_pairs_patch_exactly),
		cmocka_unit_test(large_pairs_patch_exactly),
	};
	return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
