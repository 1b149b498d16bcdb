/* test_fsops.c: unit tests for fsops.c: copy and removal never follow a link out of the tree */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fsops.h"
#include "util.h"
#include "xalloc.h"

static char root[64];

static void put(const char *rel, const char *text, mode_t mode)
{
	char *p = path_join(root, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(p, mode), 0);
	free(p);
}

static void dir(const char *rel, mode_t mode)
{
	char *p = path_join(root, rel);
	assert_int_equal(mkdir(p, mode), 0);
	free(p);
}

static void link_(const char *target, const char *rel)
{
	char *p = path_join(root, rel);
	assert_int_equal(symlink(target, p), 0);
	free(p);
}

static int exists(const char *rel)
{
	char *p = path_join(root, rel);
	struct stat st;
	int ok = lstat(p, &st) == 0;
	free(p);
	return ok;
}

static struct stat lst(const char *rel)
{
	char *p = path_join(root, rel);
	struct stat st;
	assert_int_equal(lstat(p, &st), 0);
	free(p);
	return st;
}

static char *slurp(const char *rel)
{
	char *p = path_join(root, rel);
	struct buf b = BUF_INIT;
	assert_int_equal(read_file(p, 1 << 20, &b), 0);
	free(p);
	return buf_detach(&b);
}

static int open_dir(const char *rel)
{
	char *p = path_join(root, rel);
	int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	free(p);
	return fd;
}

static int setup(void **state)
{
	(void)state;
	strcpy(root, "/tmp/tfreport-fsops.XXXXXX");
	assert_non_null(mkdtemp(root));
	/* outside/: what the links point at; run/: the tree copied and removed. */
	dir("outside", 0755);
	put("outside/keep.txt", "outside\n", 0644);
	dir("run", 0755);
	dir("run/tfruns.d", 0755);
	put("run/tfruns.d/flags.json", "{}\n", 0644);
	dir("run/plots", 0755);
	put("run/model.bin", "weights\n", 0640);
	dir("run/sub", 0700);
	put("run/sub/extra.dat", "extra\n", 0600);
	link_("../outside", "run/link-dir");
	link_("../../outside/keep.txt", "run/sub/link-file");
	link_("loop", "run/loop");
	link_("/nonexistent/target", "run/dangling");
	dir("run/ro", 0755);
	put("run/ro/f", "ro\n", 0444);
	char *ro = path_join(root, "run/ro");
	assert_int_equal(chmod(ro, 0555), 0);
	free(ro);
	struct timespec ts[2] = { { 1000000000, 5 }, { 1200000000, 123456789 } };
	char *m = path_join(root, "run/model.bin");
	assert_int_equal(utimensat(AT_FDCWD, m, ts, 0), 0);
	free(m);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(fs_remove_tree_at(fd, root + 5, root), 0);
	close(fd);
	return 0;
}

static void test_names_sorted(void **state)
{
	(void)state;
	int fd = open_dir("run");
	size_t n = 0;
	char **names = fs_names(fd, &n);
	assert_non_null(names);
	const char *want[] = { "dangling", "link-dir", "loop", "model.bin", "plots", "ro", "sub",
			       "tfruns.d" };
	assert_int_equal(n, 8);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(names[i], want[i]);
	assert_null(names[n]);
	fs_names_free(names);
	close(fd);
}

static void test_copy_keeps_links_modes_times(void **state)
{
	(void)state;
	dir("copy", 0700);
	int s = open_dir("run"), d = open_dir("copy");
	assert_int_equal(fs_copy_dir(s, d, "run", "copy", NULL), 0);
	close(s);
	close(d);
	char *t = slurp("copy/sub/extra.dat");
	assert_string_equal(t, "extra\n");
	free(t);
	assert_int_equal(lst("copy/model.bin").st_mode & 07777, 0640);
	assert_int_equal(lst("copy/sub").st_mode & 07777, 0700);
	assert_int_equal(lst("copy/ro").st_mode & 07777, 0555);
	assert_int_equal(lst("copy/ro/f").st_mode & 07777, 0444);
	assert_int_equal(lst("copy").st_mode & 07777, 0755); /* the top takes the source's mode */
	struct stat m = lst("copy/model.bin");
	assert_int_equal(m.st_mtim.tv_sec, 1200000000);
	assert_int_equal(m.st_mtim.tv_nsec, 123456789);
	assert_int_equal(m.st_atim.tv_sec, 1000000000);
	/* Links are links with the same target text, even dangling or looping ones. */
	char buf[PATH_MAX];
	const char *links[][2] = { { "copy/link-dir", "../outside" },
				   { "copy/sub/link-file", "../../outside/keep.txt" },
				   { "copy/loop", "loop" },
				   { "copy/dangling", "/nonexistent/target" } };
	for (size_t i = 0; i < 4; i++) {
		assert_true(S_ISLNK(lst(links[i][0]).st_mode));
		char *p = path_join(root, links[i][0]);
		ssize_t n = readlink(p, buf, sizeof buf - 1);
		free(p);
		assert_true(n > 0);
		buf[n] = '\0';
		assert_string_equal(buf, links[i][1]);
	}
}

static void test_copy_skip_top_level(void **state)
{
	(void)state;
	static const char *const skip[] = { "tfruns.d", "plots", "logs", NULL };
	dir("files", 0700);
	int s = open_dir("run"), d = open_dir("files");
	assert_int_equal(fs_copy_dir(s, d, "run", "files", skip), 0);
	close(s);
	close(d);
	assert_false(exists("files/tfruns.d"));
	assert_false(exists("files/plots"));
	assert_true(exists("files/model.bin"));
	assert_true(exists("files/sub/extra.dat"));
}

static void test_copy_fifo_left_out_with_warning(void **state)
{
	(void)state;
	char *p = path_join(root, "run/fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	dir("withfifo", 0700);
	int s = open_dir("run"), d = open_dir("withfifo");
	struct buf warn = BUF_INIT;
	tf_warn_capture(&warn);
	int rc = fs_copy_dir(s, d, "run", "withfifo", NULL);
	tf_warn_capture(NULL);
	close(s);
	close(d);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(warn.data, "run/fifo: warning: not a file, directory or link"));
	assert_false(exists("withfifo/fifo"));
	assert_true(exists("withfifo/model.bin"));
	buf_free(&warn);
	unlink(p);
	free(p);
}

static void test_copy_existing_entry_fails(void **state)
{
	(void)state;
	dir("busy", 0700);
	put("busy/model.bin", "mine\n", 0644);
	int s = open_dir("run"), d = open_dir("busy");
	struct buf err = BUF_INIT;
	tf_warn_capture(&err);
	int rc = fs_copy_dir(s, d, "run", "busy", NULL);
	tf_warn_capture(NULL);
	close(s);
	close(d);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err.data, "busy/model.bin: cannot create: File exists"));
	char *t = slurp("busy/model.bin");
	assert_string_equal(t, "mine\n"); /* never overwritten */
	free(t);
	buf_free(&err);
}

static void test_remove_never_follows(void **state)
{
	(void)state;
	int fd = open_dir(".");
	assert_int_equal(fs_remove_tree_at(fd, "run", "run"), 0);
	close(fd);
	assert_false(exists("run"));
	char *t = slurp("outside/keep.txt");
	assert_string_equal(t, "outside\n");
	free(t);
	assert_true(S_ISDIR(lst("outside").st_mode));
}

static void test_remove_link_as_link(void **state)
{
	(void)state;
	link_("outside", "top-link");
	int fd = open_dir(".");
	assert_int_equal(fs_remove_tree_at(fd, "top-link", "top-link"), 0);
	assert_int_equal(fs_remove_tree_at(fd, "missing", "missing"), 0);
	close(fd);
	assert_false(exists("top-link"));
	assert_true(exists("outside/keep.txt"));
}

static void test_deep_tree(void **state)
{
	(void)state;
	struct buf rel = BUF_INIT;
	buf_puts(&rel, "deep");
	dir("deep", 0755);
	for (int i = 0; i < 300; i++) {
		buf_puts(&rel, "/d");
		dir(rel.data, 0755);
	}
	buf_puts(&rel, "/leaf");
	put(rel.data, "leaf\n", 0644);
	dir("deepcopy", 0755);
	int s = open_dir("deep"), d = open_dir("deepcopy");
	assert_int_equal(fs_copy_dir(s, d, "deep", "deepcopy", NULL), 0);
	close(s);
	close(d);
	char *t = slurp(rel.data);
	assert_string_equal(t, "leaf\n");
	free(t);
	int fd = open_dir(".");
	assert_int_equal(fs_remove_tree_at(fd, "deep", "deep"), 0);
	assert_int_equal(fs_remove_tree_at(fd, "deepcopy", "deepcopy"), 0);
	close(fd);
	assert_false(exists("deep"));
	assert_false(exists("deepcopy"));
	buf_free(&rel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_keeps_links_modes_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_skip_top_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_fifo_left_out_with_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_existing_entry_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_never_follows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_link_as_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_tree, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
