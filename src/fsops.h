/* fsops.h: confined file-system operations: recursive copy and removal that never follow a
 * symbolic link and never leave the tree they were given */
#ifndef TF_FSOPS_H
#define TF_FSOPS_H
#include <stddef.h>
#include <sys/types.h>

/* The names in directory fd (without "." and ".."), sorted bytewise; an allocated,
 * NULL-terminated array (free with fs_names_free), or NULL with errno set. */
char **fs_names(int fd, size_t *n);
void fs_names_free(char **names);

/* Removes name (relative to the open directory dirfd) and everything under it. Nothing is
 * followed: a symbolic link is removed as a link, and a directory on another mounted device (a
 * mount point) is left in place with an error. A directory the user owns but may not write
 * into is made writable first. path names the entry in messages. Goes on after a failure
 * (printing one error per entry that stays) and returns 0, or -1 when anything stayed. */
int fs_remove_tree_at(int dirfd, const char *name, const char *path);

/* Copies the contents of the open directory src into the open, empty directory dst:
 * directories, regular files (data, permission bits, access and modification times) and
 * symbolic links (as links, their target text unchanged; never followed). Other file types
 * (devices, sockets, FIFOs) are left out with a warning. skip: top-level names to leave out,
 * NULL-terminated, or NULL. Finally gives dst the permission bits and times of src.
 * srcpath and dstpath name the two in messages. Returns 0, or -1 after printing an error
 * (the copy is then incomplete; the caller removes it). */
int fs_copy_dir(int src, int dst, const char *srcpath, const char *dstpath,
		const char *const *skip);

#endif
