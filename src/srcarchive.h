/* srcarchive.h: a run's tfruns.d/source.tar.gz, read in memory (never extracted) and written */
#ifndef TF_SRCARCHIVE_H
#define TF_SRCARCHIVE_H
#include <stddef.h>

struct src_file {
	char *name;      /* member path with the leading "source/" removed */
	char *data;      /* NUL-terminated contents, or NULL when only listing */
	size_t len;      /* bytes read into data (0 when listing) */
	long long size;  /* size recorded in the archive (-1 if the archive records none) */
};

struct src_archive {
	struct src_file *files;
	size_t n;
};

/* Reads the archive at path (any format and compression libarchive knows, e.g. a gzip or a
 * raw tar). Regular-file members only (directories, symlinks, devices skipped; a hard link is
 * a copy of the earlier member it names, or skipped if there is none); names are normalised:
 * leading "./", empty and "." components and a first "source/" removed; members with ".."
 * components or absolute paths are skipped. A name given twice keeps its last member.
 * With want_data, contents are read, each capped at max_file bytes (longer files keep their
 * first max_file bytes, so len < size) and the total at max_total, spent in archive order
 * (files past it get "").
 * Files are ordered: the member named `script` (may be NULL; normalised likewise) first, then
 * the rest by name (strcmp).
 * On a truncated or corrupt archive (including a gzip CRC-32 or length mismatch, which
 * libarchive does not check) it prints ONE warning via tf_warn(path, 0, 0, ...)
 * ("truncated or corrupt archive: <libarchive message>") and keeps the members read before
 * the damage was found (not a member whose contents were being read); returns 0 in that case
 * too. libarchive decompresses gzip 64 KiB at a time and yields nothing of a block it cannot
 * finish, so a truncated archive under 64 KiB uncompressed keeps no members. Returns -1
 * (printing nothing) only if path cannot be opened (errno set, e.g. ENOENT; EISDIR for a
 * directory, EINVAL for another non-regular file); out is then empty. */
int srcarchive_read(const char *path, const char *script, int want_data,
		    size_t max_file, size_t max_total, struct src_archive *out);
/* Frees everything a holds; accepts NULL; leaves a empty. */
void srcarchive_free(struct src_archive *a);

/* One file to archive: the contents of path, stored as the member source/<name>. */
struct srcarchive_member {
	const char *path; /* file on disk, opened for reading */
	const char *name; /* member name under source/ */
};

/* Writes dest atomically (a temporary beside it, then rename(2)) as a gzip-compressed tar
 * (pax restricted) holding the n members in the order given, each with the file's permission
 * bits and modification time. Contents count against max_bytes in that order: a file past
 * what is left keeps its first bytes (files after it are empty), and a file that shrinks
 * while read is padded with NUL bytes to the size it had. A path that cannot be opened or is
 * not a regular file is left out with a warning via tf_warn(path, 0, 0, ...) ("source not
 * saved: <reason>"). Returns 0 (also when every member was left out: dest then holds an
 * empty archive), or -1 after printing an error via tf_err(dest, ...); dest is then
 * untouched and the temporary removed. The choice of files is srcsnap.h's. */
int srcarchive_write(const char *dest, const struct srcarchive_member *members, size_t n,
		     long max_bytes);

#endif
