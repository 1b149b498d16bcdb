/* diffbench.c: times udiff() on two 100,000-line files against git diff and GNU diff -u
 *
 *   diffbench DIR [LINES [SEED]]
 *
 * Writes DIR/a.txt (LINES lines of R-like source, default 100000) and DIR/b.txt (the same
 * with 1% of the lines changed: 3 in 5 replaced, 1 in 5 deleted, 1 in 5 with a new line
 * inserted after it), from SEED (default 42), so the files depend on nothing else. Then:
 *
 *   ours   udiff() in this process on the two files already in memory (file reading is
 *          excluded; a second figure includes reading both files), after one warm-up;
 *   git    git diff --no-index --no-color DIR/a.txt DIR/b.txt
 *   diff   diff -u DIR/a.txt DIR/b.txt
 *
 * each the median wall time of 5 (git and diff: posix_spawnp, no shell, stdout to
 * /dev/null, after one warm-up run; exit status 1, "files differ", is fine). Hunks are
 * counted as lines starting with "@@" in one more run of each into DIR/{ours,git,gnu}.diff,
 * with the "+" and "-" lines of the hunks. Prints a table and the ratios to git and diff;
 * exits 0 unless something fails. Build:
 *
 *   cc -O2 -Isrc bench/diffbench.c src/diff.c src/udiff.c src/buf.c src/xalloc.c
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "udiff.h"

#define REPEAT 5

extern char **environ;

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

static unsigned below(struct rng *r, unsigned n)
{
	return (unsigned)(rnd(r) % n);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *t, size_t n)
{
	qsort(t, n, sizeof *t, cmp_double);
	return t[n / 2];
}

/* ---- data ---- */

/* One line of R-like source: a quarter of them short and repeated ("}", blank, ...), the
 * rest mostly unique statements. */
static void gen_line(struct rng *r, struct buf *out)
{
	static const char *const fixed[] = { "", "}", "  }", ")", "    )", "} else {",
					     "  return(x)", "# ----" };
	static const char *const tmpl[] = {
		"%*sx%u <- layer_dense(units = %u, activation = \"relu\")",
		"%*sif (epoch %%%% %u == 0) cat(\"epoch\", %u, \"\\n\")",
		"%*s# step %u: learning rate %u e-4",
		"%*smodel %%>%% fit(x_train[[%u]], y_train, epochs = %u)",
		"%*sFLAGS$dropout%u <- %u / 100",
	};
	if (below(r, 4) == 0) {
		buf_puts(out, fixed[below(r, sizeof fixed / sizeof fixed[0])]);
	} else {
		const char *t = tmpl[below(r, sizeof tmpl / sizeof tmpl[0])];
		int ind = 2 * (int)below(r, 4);
		buf_printf(out, t, ind, "", below(r, 100000), below(r, 1000));
	}
	buf_putc(out, '\n');
}

static void gen_files(unsigned lines, uint64_t seed, struct buf *a, struct buf *b)
{
	struct rng r = { seed };

	for (unsigned i = 0; i < lines; i++) {
		size_t at = a->len;
		gen_line(&r, a);
		if (below(&r, 100) != 0) {
			buf_add(b, a->data + at, a->len - at);
			continue;
		}
		unsigned op = below(&r, 5);
		if (op < 3) {
			gen_line(&r, b); /* replaced */
		} else if (op == 4) {
			buf_add(b, a->data + at, a->len - at);
			gen_line(&r, b); /* a line inserted after it */
		}			 /* op 3: deleted */
	}
}

static int write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

static int read_file(const char *path, struct buf *b)
{
	char chunk[1 << 16];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return -1;
	}
	buf_reset(b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	return bad ? -1 : 0;
}

/* ---- counting ---- */

struct counts {
	size_t hunks, add, del;
};

/* Hunks ("@@" lines) and the "+"/"-" lines after the first hunk header. */
static void count_udiff(const char *p, size_t len, struct counts *c)
{
	const char *end = p + len;
	int in_hunks = 0;

	memset(c, 0, sizeof *c);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (end - p >= 2 && p[0] == '@' && p[1] == '@') {
			c->hunks++;
			in_hunks = 1;
		} else if (in_hunks) {
			c->add += *p == '+';
			c->del += *p == '-';
		}
		p = nl ? nl + 1 : end;
	}
}

/* ---- timing ---- */

/* Runs argv with stdout to path; returns 0 if it exited 0 or 1. */
static int run(char *const argv[], const char *path)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		fprintf(stderr, "diffbench: cannot run %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) > 1) {
		fprintf(stderr, "diffbench: %s failed\n", argv[0]);
		return -1;
	}
	return 0;
}

/* Median seconds of REPEAT runs of argv (after a warm-up), and its counts from one more
 * run into out. */
static int time_cmd(char *const argv[], const char *out, double *secs, struct counts *c)
{
	double t[REPEAT];
	struct buf b = BUF_INIT;

	if (run(argv, "/dev/null"))
		return -1;
	for (int i = 0; i < REPEAT; i++) {
		double t0 = now();
		if (run(argv, "/dev/null"))
			return -1;
		t[i] = now() - t0;
	}
	*secs = median(t, REPEAT);
	if (run(argv, out) || read_file(out, &b))
		return -1;
	count_udiff(b.data, b.len, c);
	buf_free(&b);
	return 0;
}

/* Median seconds of udiff() over a and b in memory (with_read: reading both files too). */
static double time_ours(const char *pa, const char *pb, struct buf *a, struct buf *b,
			struct buf *out, int with_read, struct counts *c)
{
	double t[REPEAT];
	struct udiff_opts o = { 3, "a/a.txt", "b/b.txt" };

	for (int i = -1; i < REPEAT; i++) {
		double t0 = now();
		if (with_read && (read_file(pa, a) || read_file(pb, b)))
			exit(1);
		buf_reset(out);
		c->hunks = udiff(out, a->data, a->len, b->data, b->len, &o, &c->add, &c->del);
		if (i >= 0)
			t[i] = now() - t0;
	}
	return median(t, REPEAT);
}

static void row(const char *name, double secs, const struct counts *c)
{
	printf("%-46s %9.1f %7zu %7zu %7zu\n", name, secs * 1e3, c->hunks, c->add, c->del);
}

/* DIR/name, in a buffer that lives until exit. */
static char *path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (!p)
		exit(1);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Times the three and prints the table; 0 or -1. */
static int bench(const char *dir, struct buf *a, struct buf *b)
{
	char *pa = path(dir, "a.txt"), *pb = path(dir, "b.txt");
	char *git[] = { "git", "diff", "--no-index", "--no-color", pa, pb, NULL };
	char *gnu[] = { "diff", "-u", pa, pb, NULL };
	struct counts cours, cread, cgit, cgnu;
	struct buf out = BUF_INIT;
	double tours, tread, tgit, tgnu;

	if (write_file(pa, a) || write_file(pb, b))
		return -1;
	tours = time_ours(pa, pb, a, b, &out, 0, &cours);
	if (write_file(path(dir, "ours.diff"), &out))
		return -1;
	tread = time_ours(pa, pb, a, b, &out, 1, &cread);
	if (time_cmd(git, path(dir, "git.diff"), &tgit, &cgit) ||
	    time_cmd(gnu, path(dir, "gnu.diff"), &tgnu, &cgnu))
		return -1;
	printf("%-46s %9s %7s %7s %7s\n", "median of 5", "ms", "hunks", "+lines", "-lines");
	row("tfreport udiff() in process, files in memory", tours, &cours);
	row("tfreport udiff() in process, reading files", tread, &cread);
	row("git diff --no-index --no-color (process)", tgit, &cgit);
	row("diff -u (process)", tgnu, &cgnu);
	printf("ratio ours/git %.2f, ours/diff %.2f (files in memory); %.2f, %.2f (reading)\n",
	       tours / tgit, tours / tgnu, tread / tgit, tread / tgnu);
	printf("budget: no slower than git: %s\n", tread <= tgit ? "ok" : "OVER BUDGET");
	buf_free(&out);
	return 0;
}

int main(int argc, char **argv)
{
	struct buf a = BUF_INIT, b = BUF_INIT;

	if (argc < 2 || argc > 4) {
		fputs("usage: diffbench DIR [LINES [SEED]]\n", stderr);
		return 2;
	}
	unsigned lines = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 100000;
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
	gen_files(lines, seed, &a, &b);
	printf("diffbench: %u lines, 1%% changed (seed %llu): a.txt %zu bytes, b.txt %zu bytes\n",
	       lines, (unsigned long long)seed, a.len, b.len);
	int rc = bench(argv[1], &a, &b);
	buf_free(&a);
	buf_free(&b);
	return rc ? 1 : 0;
}
