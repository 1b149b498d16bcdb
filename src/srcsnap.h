/* srcsnap.h: choosing and writing a run's tfruns.d/source.tar.gz (the archive: srcarchive.h) */
#ifndef TF_SRCSNAP_H
#define TF_SRCSNAP_H

#define SRCSNAP_MAX_FILES 1000
#define SRCSNAP_MAX_BYTES (10L * 1024 * 1024)

/* Writes dest (atomically: a temporary beside it, then rename) as a gzip-compressed tar whose
 * members are source/<name>: with nglobs > 0 the regular files matched by the glob patterns
 * (name: the path as matched, "./" removed; the base name for an absolute path or one with
 * ".."), else the regular files of the script's directory (not recursive) whose extension is
 * the script's, case-insensitively (name: the base name; a script without extension is taken
 * alone). The script comes first, the rest by name; at most SRCSNAP_MAX_FILES files and
 * SRCSNAP_MAX_BYTES bytes are kept (a warning says how many were left out); a pattern matching
 * nothing is a warning. script may be NULL (then only the globs count). *script_member (when
 * not NULL) gets the script's member name (malloc'd) if it is in the archive, else NULL.
 * Returns the number of files archived (0: nothing written), or -1 after printing an error. */
int srcsnap_write(const char *dest, const char *script, const char *const *globs, int nglobs,
		  char **script_member);

#endif
