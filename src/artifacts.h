/* artifacts.h: the files a run's command added or changed under a working directory, copied
 * into the run (tfruns's artifact rule, reference section 4.2) */
#ifndef TF_ARTIFACTS_H
#define TF_ARTIFACTS_H
#include <signal.h>
#include <stddef.h>

struct snapshot;

/* Records path -> (size, mtime, mode, inode) of every regular file and symbolic link under
 * dir, walking with openat/getdents and never following a symbolic link. Left out: the
 * directories named in exclude (matched by device and inode, whatever their names; paths that
 * do not exist are ignored), every entry named .git, and the paths matched by the patterns of
 * dir/.tfreportignore (one fnmatch pattern a line, # comments, blank lines; a pattern without
 * '/' matches a name at any depth, one with '/' the path from dir; a trailing '/' matches
 * directories only; a matched directory is left out whole). One allocation per few thousand
 * files. Returns NULL after printing an error when dir cannot be read. */
struct snapshot *snapshot_take(const char *dir, const char *const *exclude, int nexclude);
/* Files and links recorded. */
size_t snapshot_count(const struct snapshot *s);
void snapshot_free(struct snapshot *s);

/* Walks the directory of s again (same exclusions) and copies every file or link added or
 * changed since s (any difference in size, mtime, mode or inode) to run_dir at the same
 * relative path: directories created as needed, never through a symbolic link, links copied
 * as links, an existing file in the run never overwritten (a warning says so). Stops early,
 * with a warning, when *stop becomes non-zero. *copied gets the number copied. Returns 0, or
 * -1 after printing an error when a directory cannot be read or run_dir opened; a file that
 * cannot be copied is a warning and the copy goes on. */
int artifacts_copy(const struct snapshot *s, const char *run_dir, volatile sig_atomic_t *stop,
		   size_t *copied);

#endif
