/* util.h: errors and warnings with locations, file reading, paths, atomic writes */
#ifndef TF_UTIL_H
#define TF_UTIL_H
#include <stddef.h>
#include <sys/types.h>
#include "buf.h"

/* Exit statuses (SPEC.md section 1). */
enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2, EXIT_TRAINING = 3 };

/* Prints "tfreport: path:line:col: message" (line/col omitted when 0, path when NULL)
 * on stderr and returns -1. The one place errors are printed. */
int tf_err(const char *path, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Same form, prefixed "warning: ". Returns 0. */
int tf_warn(const char *path, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Until called again with NULL, this thread's warnings and errors are appended to sink
 * instead of being printed. */
void tf_warn_capture(struct buf *sink);
/* Number of warnings printed so far (for tests and summaries). */
int tf_warn_count(void);

/* Reads a whole file into out (appending). Fails (returns -1, errno set, nothing printed,
 * out unchanged) on a directory (EISDIR) or if it is larger than max bytes (EFBIG). If dirfd
 * is AT_FDCWD, path is relative to the cwd. */
int read_file_at(int dirfd, const char *path, size_t max, struct buf *out);
int read_file(const char *path, size_t max, struct buf *out);

/* Calls fn for each entry of directory path (relative to dirfd, or AT_FDCWD) except "." and "..", with its d_type (DT_UNKNOWN
 * when the file system does not say); stops early when fn returns non-zero. One open and a
 * few getdents64 calls, no allocation. Returns 0, or -1 with errno set if path cannot be read. */
typedef int (*dir_fn)(void *ctx, const char *name, unsigned char type);
int dir_each_at(int dirfd, const char *path, dir_fn fn, void *ctx);
/* The same over an open directory, which stays open. */
int dir_each_fd(int fd, dir_fn fn, void *ctx);

/* Line and column (1-based) of byte offset off within text. */
void text_linecol(const char *text, size_t off, int *line, int *col);

/* Checks UTF-8; on invalid sequences returns a copy with each bad byte replaced by
 * U+FFFD and sets *bad_off to the first bad offset; else returns NULL. */
char *utf8_repair(const char *s, size_t len, size_t *bad_off);

/* "dir/name" (no doubled slash). */
char *path_join(const char *dir, const char *name);

/* Opens a new hidden temporary file beside path (".name.tmpXXXXXX", mode 0644), so that a
 * writer can rename it onto path when it is complete; readers listing the directory never
 * take it for a property or a run. Returns the descriptor and sets *tmp (malloc'd), or prints
 * the error and returns -1. */
int tmpfile_beside(const char *path, char **tmp);

/* Writes data to path atomically: a hidden temporary beside it, flush checked, rename(2).
 * Prints the error and returns -1 on failure. */
int write_file_atomic(const char *path, const void *data, size_t len);

/* Writes to stdout, remembering a failure; stdout_close() reports it (returns -1). */
void out_write(const void *p, size_t n);
int stdout_close(void);

#endif
