/* test_srcarchive.c: unit tests for srcarchive.c (run from the repository root) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "srcarchive.h"
#include "util.h"
#include "xalloc.h"

#define FX "tests/unit/fixtures/srcarchive/"
#define BIG ((size_t)1 << 20)

/* srcarchive_read with stderr captured into *err (allocated). */
static int read_capture(const char *path, const char *script, int want_data, size_t max_file,
			size_t max_total, struct src_archive *out, char **err)
{
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stderr);
	int saved = dup(2);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), 2) >= 0);
	int rc = srcarchive_read(path, script, want_data, max_file, max_total, out);
	int e = errno;
	fflush(stderr);
	assert_true(dup2(saved, 2) >= 0);
	close(saved);
	long n = ftell(tmp);
	assert_true(n >= 0);
	rewind(tmp);
	*err = xmalloc((size_t)n + 1);
	assert_int_equal(fread(*err, 1, (size_t)n, tmp), (size_t)n);
	(*err)[n] = '\0';
	fclose(tmp);
	errno = e;
	return rc;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Asserts err is exactly one "truncated or corrupt" warning naming path. */
static void assert_one_warning(const char *err, const char *path)
{
	char *want = xasprintf("tfreport: %s: warning: truncated or corrupt archive: ", path);
	assert_int_equal(count_lines(err), 1);
	assert_true(strncmp(err, want, strlen(want)) == 0);
	assert_true(strlen(err) > strlen(want) + 1);  /* a message follows */
	free(want);
}

/* Every file is well formed: a name, and data (if any) NUL-terminated at len. */
static void assert_well_formed(const struct src_archive *a, int want_data)
{
	for (size_t i = 0; i < a->n; i++) {
		assert_non_null(a->files[i].name);
		if (!want_data) {
			assert_null(a->files[i].data);
			assert_int_equal(a->files[i].len, 0);
			continue;
		}
		assert_non_null(a->files[i].data);
		assert_true(a->files[i].data[a->files[i].len] == '\0');
	}
}

static void test_read_with_data(void **state)
{
	(void)state;
	struct src_archive a;
	char *err;
	assert_int_equal(read_capture(FX "two.tar.gz", "train.R", 1, BIG, BIG, &a, &err), 0);
	assert_string_equal(err, "");
	assert_int_equal(a.n, 2);
	assert_string_equal(a.files[0].name, "train.R");
	assert_int_equal(a.files[0].size, 505);
	assert_int_equal(a.files[0].len, 505);
	assert_int_equal(strlen(a.files[0].data), 505);
	assert_true(strncmp(a.files[0].data, "# version B of the script", 25) == 0);
	assert_string_equal(a.files[1].name, "helpers.R");
	assert_int_equal(a.files[1].size, 188);
	assert_int_equal(a.files[1].len, 188);
	assert_true(strncmp(a.files[1].data, "# helper added in version B", 27) == 0);
	srcarchive_free(&a);
	assert_null(a.files);
	assert_int_equal(a.n, 0);
	free(err);
}

static void test_listing_leaves_data_null(void **state)
{
	(void)state;
	struct src_archive a;
	char *err;
	assert_int_equal(read_capture(FX "one.tar.gz", "train.R", 0, 0, 0, &a, &err), 0);
	assert_string_equal(err, "");
	assert_int_equal(a.n, 1);
	assert_string_equal(a.files[0].name, "train.R");
	assert_int_equal(a.files[0].size, 1460);
	assert_null(a.files[0].data);
	assert_int_equal(a.files[0].len, 0);
	srcarchive_free(&a);
	free(err);
}

/* Names of a, in order, joined by spaces. */
static char *names(const struct src_archive *a)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < a->n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", a->files[i].name);
	return buf_detach(&b);
}

static void check_order(const char *script, const char *want)
{
	struct src_archive a;
	char *err;
	assert_int_equal(read_capture(FX "two.tar.gz", script, 0, 0, 0, &a, &err), 0);
	assert_string_equal(err, "");
	char *got = names(&a);
	assert_string_equal(got, want);
	free(got);
	srcarchive_free(&a);
	free(err);
}

static void test_script_first(void **state)
{
	(void)state;
	check_order(NULL, "helpers.R train.R");
	check_order("train.R", "train.R helpers.R");
	check_order("source/train.R", "train.R helpers.R");
	check_order("helpers.R", "helpers.R train.R");
	check_order("missing.R", "helpers.R train.R");
}

static void test_caps(void **state)
{
	(void)state;
	struct src_archive a;
	char *err;
	/* the total goes in archive order: helpers.R (first member) keeps 100 bytes of 188,
	 * train.R the 50 left */
	assert_int_equal(read_capture(FX "two.tar.gz", "train.R", 1, 100, 150, &a, &err), 0);
	assert_string_equal(err, "");
	assert_int_equal(a.n, 2);
	assert_string_equal(a.files[0].name, "train.R");
	assert_int_equal(a.files[0].size, 505);
	assert_int_equal(a.files[0].len, 50);
	assert_int_equal(strlen(a.files[0].data), 50);
	assert_true(strncmp(a.files[0].data, "# version B of the script", 25) == 0);
	assert_int_equal(a.files[1].size, 188);
	assert_int_equal(a.files[1].len, 100);
	assert_int_equal(strlen(a.files[1].data), 100);
	srcarchive_free(&a);
	free(err);
	/* nothing left for either */
	assert_int_equal(read_capture(FX "two.tar.gz", NULL, 1, BIG, 0, &a, &err), 0);
	assert_int_equal(a.n, 2);
	assert_string_equal(a.files[0].data, "");
	assert_string_equal(a.files[1].data, "");
	srcarchive_free(&a);
	free(err);
}

static void test_plain_tar(void **state)
{
	(void)state;
	struct src_archive a;
	char *err;
	assert_int_equal(read_capture(FX "plain.tar", "train.R", 1, BIG, BIG, &a, &err), 0);
	assert_string_equal(err, "");
	char *got = names(&a);
	assert_string_equal(got, "train.R helpers.R");
	assert_int_equal(a.files[0].len, 505);
	free(got);
	srcarchive_free(&a);
	free(err);
}

static void test_odd_members(void **state)
{
	(void)state;
	struct src_archive a;
	char *err;
	assert_int_equal(read_capture(FX "odd.tar.gz", "train.R", 1, BIG, BIG, &a, &err), 0);
	assert_string_equal(err, "");
	/* no "../evil.R", "/abs.R", link.R (symlink) or directories; "./source/" stripped */
	char *got = names(&a);
	assert_string_equal(got, "train.R dup.R sub/hard.R sub/util.R");
	free(got);
	assert_string_equal(a.files[0].data, "x <- 1\n");
	assert_string_equal(a.files[1].data, "second\n");  /* the later of the two */
	assert_string_equal(a.files[2].data, "u <- 2\n");
	assert_string_equal(a.files[3].data, "u <- 2\n");  /* hard link to sub/hard.R */
	assert_int_equal(a.files[3].size, 7);
	srcarchive_free(&a);
	free(err);
}

static void test_truncated(void **state)
{
	(void)state;
	const char *path = FX "truncated.tar.gz";
	for (int want = 0; want < 2; want++) {
		struct src_archive a;
		char *err;
		assert_int_equal(read_capture(path, "train.R", want, BIG, BIG, &a, &err), 0);
		assert_one_warning(err, path);
		/* libarchive's gzip reader yields nothing of a 64 KiB block it cannot finish */
		assert_int_equal(a.n, 0);
		srcarchive_free(&a);
		free(err);
	}
}

static void test_truncated_keeps_earlier_members(void **state)
{
	(void)state;
	const char *path = FX "big-truncated.tar.gz";
	struct src_archive a;
	char *err;
	assert_int_equal(read_capture(path, NULL, 1, BIG, BIG, &a, &err), 0);
	assert_one_warning(err, path);
	assert_int_equal(a.n, 1);  /* big.txt, damaged while read, is dropped */
	assert_string_equal(a.files[0].name, "a.R");
	assert_string_equal(a.files[0].data, "a <- 1\n");
	srcarchive_free(&a);
	free(err);
	/* listing: big.txt's header came before the damage */
	assert_int_equal(read_capture(path, NULL, 0, 0, 0, &a, &err), 0);
	assert_one_warning(err, path);
	char *got = names(&a);
	assert_string_equal(got, "a.R big.txt");
	free(got);
	srcarchive_free(&a);
	free(err);
}

static void check_corrupt(const char *path)
{
	for (int want = 0; want < 2; want++) {
		struct src_archive a;
		char *err;
		assert_int_equal(read_capture(path, "train.R", want, BIG, BIG, &a, &err), 0);
		assert_one_warning(err, path);
		assert_true(a.n <= 2);
		assert_well_formed(&a, want);
		srcarchive_free(&a);
		free(err);
	}
}

static void test_corrupt(void **state)
{
	(void)state;
	check_corrupt(FX "corrupt.tar.gz");
	/* here only the gzip CRC-32 shows the damage: libarchive does not check it */
	check_corrupt(FX "corrupt-crc.tar.gz");
	struct src_archive a;
	char *err;
	assert_int_equal(read_capture(FX "corrupt-crc.tar.gz", NULL, 0, 0, 0, &a, &err), 0);
	assert_non_null(strstr(err, ": gzip CRC mismatch\n"));
	srcarchive_free(&a);
	free(err);
}

static void test_missing(void **state)
{
	(void)state;
	struct src_archive a = { (struct src_file *)&a, 7 };  /* garbage: must be reset */
	char *err;
	errno = 0;
	assert_int_equal(read_capture(FX "no-such.tar.gz", "train.R", 1, BIG, BIG, &a, &err), -1);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(err, "");
	assert_null(a.files);
	assert_int_equal(a.n, 0);
	srcarchive_free(&a);
	free(err);
	errno = 0;
	assert_int_equal(read_capture(FX, NULL, 0, 0, 0, &a, &err), -1);
	assert_int_equal(errno, EISDIR);
	assert_string_equal(err, "");
	free(err);
}

static void test_free_null(void **state)
{
	(void)state;
	srcarchive_free(NULL);
	struct src_archive a = { NULL, 0 };
	srcarchive_free(&a);
	srcarchive_free(&a);
	assert_null(a.files);
}

/* A scratch directory for srcarchive_write: a few source files and the archive. */
struct scratch {
	char dir[32];
	char *train, *zeta, *alpha, *dest;
};

static char *put_text(const char *dir, const char *name, const char *text)
{
	char *p = path_join(dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return p;
}

static void scratch_open(struct scratch *s)
{
	strcpy(s->dir, "/tmp/tfreport-unit.XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	s->train = put_text(s->dir, "train.R", "x <- 1\n");
	s->zeta = put_text(s->dir, "zeta.R", "z <- 26\n");
	s->alpha = put_text(s->dir, "alpha.R", "a <- 'first'\n");
	s->dest = path_join(s->dir, "source.tar.gz");
}

/* Removes the files and the directory, which must hold nothing else (no temporary left). */
static void scratch_close(struct scratch *s)
{
	char *v[] = { s->train, s->zeta, s->alpha, s->dest };
	for (size_t i = 0; i < 4; i++) {
		unlink(v[i]);
		free(v[i]);
	}
	assert_int_equal(rmdir(s->dir), 0);
}

/* srcarchive_write with warnings and errors captured into *err (allocated). */
static int write_capture(const char *dest, const struct srcarchive_member *m, size_t n,
			 long max_bytes, char **err)
{
	struct buf sink = BUF_INIT;
	tf_warn_capture(&sink);
	int rc = srcarchive_write(dest, m, n, max_bytes);
	tf_warn_capture(NULL);
	buf_putc(&sink, '\0');
	*err = buf_detach(&sink);
	return rc;
}

static void test_write_read_back(void **state)
{
	(void)state;
	struct scratch s;
	scratch_open(&s);
	const struct srcarchive_member m[] = {
		{ s.train, "train.R" }, { s.zeta, "zeta.R" }, { s.alpha, "sub/alpha.R" },
	};
	char *err;
	assert_int_equal(write_capture(s.dest, m, 3, 1 << 20, &err), 0);
	assert_string_equal(err, "");
	free(err);
	struct src_archive a;
	assert_int_equal(read_capture(s.dest, "train.R", 1, BIG, BIG, &a, &err), 0);
	assert_string_equal(err, "");
	free(err);
	char *got = names(&a);
	assert_string_equal(got, "train.R sub/alpha.R zeta.R");
	free(got);
	assert_string_equal(a.files[0].data, "x <- 1\n");
	assert_int_equal(a.files[0].size, 7);
	assert_string_equal(a.files[1].data, "a <- 'first'\n");
	assert_int_equal(a.files[1].size, 13);
	assert_string_equal(a.files[2].data, "z <- 26\n");
	assert_int_equal(a.files[2].size, 8);
	srcarchive_free(&a);
	/* the reader spends its total in archive order: train.R, zeta.R, then sub/alpha.R */
	assert_int_equal(read_capture(s.dest, NULL, 1, BIG, 7 + 8, &a, &err), 0);
	assert_string_equal(err, "");
	free(err);
	assert_string_equal(a.files[0].name, "sub/alpha.R");
	assert_string_equal(a.files[0].data, "");
	assert_string_equal(a.files[1].data, "x <- 1\n");
	assert_string_equal(a.files[2].data, "z <- 26\n");
	srcarchive_free(&a);
	scratch_close(&s);
}

static void test_write_max_bytes(void **state)
{
	(void)state;
	struct scratch s;
	scratch_open(&s);
	/* 7 bytes fit, zeta.R keeps 3 of its 8, alpha.R nothing */
	const struct srcarchive_member m[] = {
		{ s.train, "train.R" }, { s.zeta, "zeta.R" }, { s.alpha, "alpha.R" },
	};
	char *err;
	assert_int_equal(write_capture(s.dest, m, 3, 10, &err), 0);
	assert_string_equal(err, "");
	free(err);
	struct src_archive a;
	assert_int_equal(read_capture(s.dest, "train.R", 1, BIG, BIG, &a, &err), 0);
	assert_string_equal(err, "");
	free(err);
	char *got = names(&a);
	assert_string_equal(got, "train.R alpha.R zeta.R");
	free(got);
	assert_string_equal(a.files[0].data, "x <- 1\n");
	assert_int_equal(a.files[1].size, 0);
	assert_string_equal(a.files[1].data, "");
	assert_int_equal(a.files[2].size, 3);
	assert_string_equal(a.files[2].data, "z <");
	srcarchive_free(&a);
	scratch_close(&s);
}

static void test_write_skips_unreadable(void **state)
{
	(void)state;
	struct scratch s;
	scratch_open(&s);
	char *missing = path_join(s.dir, "missing.R");
	const struct srcarchive_member m[] = {
		{ missing, "missing.R" }, { s.dir, "dir.R" }, { s.zeta, "zeta.R" },
	};
	char *err;
	assert_int_equal(write_capture(s.dest, m, 3, 1 << 20, &err), 0);
	char *want = xasprintf("tfreport: %s: warning: source not saved: %s\n"
			       "tfreport: %s: warning: source not saved: not a file\n",
			       missing, strerror(ENOENT), s.dir);
	assert_string_equal(err, want);
	free(want);
	free(err);
	free(missing);
	struct src_archive a;
	assert_int_equal(read_capture(s.dest, NULL, 1, BIG, BIG, &a, &err), 0);
	assert_string_equal(err, "");
	free(err);
	assert_int_equal(a.n, 1);
	assert_string_equal(a.files[0].name, "zeta.R");
	assert_string_equal(a.files[0].data, "z <- 26\n");
	srcarchive_free(&a);
	scratch_close(&s);
}

static void test_write_error(void **state)
{
	(void)state;
	struct scratch s;
	scratch_open(&s);
	char *dest = path_join(s.dir, "no-such-dir/source.tar.gz");
	const struct srcarchive_member m[] = { { s.train, "train.R" } };
	char *err;
	assert_int_equal(write_capture(dest, m, 1, 1 << 20, &err), -1);
	char *want = xasprintf("tfreport: %s", dest);
	assert_true(strncmp(err, want, strlen(want)) == 0);
	assert_int_equal(count_lines(err), 1);
	free(want);
	free(err);
	free(dest);
	scratch_close(&s);  /* asserts no temporary was left */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_with_data),
		cmocka_unit_test(test_listing_leaves_data_null),
		cmocka_unit_test(test_script_first),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_plain_tar),
		cmocka_unit_test(test_odd_members),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_truncated_keeps_earlier_members),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_free_null),
		cmocka_unit_test(test_write_read_back),
		cmocka_unit_test(test_write_max_bytes),
		cmocka_unit_test(test_write_skips_unreadable),
		cmocka_unit_test(test_write_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
