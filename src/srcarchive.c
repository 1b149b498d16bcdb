/* srcarchive.c: reading and writing a run's tfruns.d/source.tar.gz (read in memory) */
#include "srcarchive.h"
#include "buf.h"
#include "util.h"
#include "xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK 65536
#define NO_DETAIL "unreadable data"

/* Two libarchive readers are stacked: raw decompresses the file (format "raw", any filter),
 * and a reads the archive from raw's byte stream. The stream passes through here so that the
 * gzip CRC-32 and length can be checked: libarchive's gzip filter does not check them, and a
 * corrupt deflate stream often decodes to wrong bytes without any error. */
struct reader {
	struct archive *raw, *a;
	const char *path;
	char *chunk;            /* CHUNK bytes: raw's output, given to a */
	uint32_t crc;           /* CRC-32 and length of raw's output so far */
	uint64_t len;
	int want_data;
	size_t max_file, left;  /* per-file cap, what remains of the total cap */
	size_t cap;             /* allocated length of out->files */
	struct src_archive *out;
};

static uint32_t crc32_add(uint32_t crc, const unsigned char *p, size_t n)
{
	static const uint32_t tab[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
		0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ tab[crc & 15];
		crc = (crc >> 4) ^ tab[crc & 15];
	}
	return ~crc;
}

/* A libarchive status that means damage. ARCHIVE_WARN does not; ARCHIVE_RETRY does (tar
 * gives it for a header with a bad checksum: "Damaged tar archive"). */
static int bad(long long st)
{
	return st < ARCHIVE_OK && st != ARCHIVE_WARN;
}

/* Prints the one warning for a damaged archive, with the message libarchive left in x. */
static void damaged(struct reader *r, struct archive *x)
{
	const char *m = archive_error_string(x);
	tf_warn(r->path, 0, 0, "truncated or corrupt archive: %s", m ? m : NO_DETAIL);
}

/* The member path p normalised (see srcarchive.h), or NULL if it is to be skipped. */
static char *norm_name(const char *p)
{
	if (!p || *p == '/')
		return NULL;
	struct buf b = BUF_INIT;
	int first = 1;
	for (;;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			buf_free(&b);
			return NULL;
		}
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* empty or "." component: dropped */
		} else if (first && n == 6 && !memcmp(p, "source", 6) && p[6] == '/') {
			first = 0;
		} else {
			if (b.len)
				buf_putc(&b, '/');
			buf_add(&b, p, n);
			first = 0;
		}
		if (!p[n])
			break;
		p += n + 1;
	}
	if (!b.len) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* Read callback of r->a: the next piece of r->raw's decompressed stream. */
static la_ssize_t stream_read(struct archive *a, void *client, const void **p)
{
	struct reader *r = client;
	la_ssize_t n = archive_read_data(r->raw, r->chunk, CHUNK);
	if (n < 0) {
		const char *m = archive_error_string(r->raw);
		int e = archive_errno(r->raw);
		archive_set_error(a, e ? e : EIO, "%s", m ? m : NO_DETAIL);
		return ARCHIVE_FATAL;
	}
	r->crc = crc32_add(r->crc, (const unsigned char *)r->chunk, (size_t)n);
	r->len += (uint64_t)n;
	*p = r->chunk;
	return n;
}

/* Reads up to limit bytes of the current member into b (NUL-terminated). Returns -1 on
 * damage; ARCHIVE_WARN ends the member quietly. */
static int read_data(struct archive *a, long long size, size_t limit, struct buf *b)
{
	buf_grow(b, size > 0 && (unsigned long long)size < limit ? (size_t)size : 0);
	while (b->len < limit) {
		size_t want = limit - b->len < CHUNK ? limit - b->len : CHUNK;
		buf_grow(b, want);
		la_ssize_t n = archive_read_data(a, b->data + b->len, want);
		if (bad(n))
			return -1;
		if (n <= 0)
			break;
		b->len += (size_t)n;
	}
	b->data[b->len] = '\0';
	return 0;
}

static void push(struct reader *r, struct src_file f)
{
	struct src_archive *out = r->out;
	if (out->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		out->files = xrealloc(out->files, r->cap * sizeof *out->files);
	}
	out->files[out->n++] = f;
}

/* A hard link named name (taken): a copy of the member kept under target, if any. */
static void take_link(struct reader *r, char *name, const char *target)
{
	char *t = norm_name(target);
	const struct src_file *f = NULL;
	for (size_t i = r->out->n; t && !f && i-- > 0;)
		if (!strcmp(r->out->files[i].name, t))
			f = &r->out->files[i];
	free(t);
	if (!f) {
		free(name);
		return;
	}
	struct src_file c = { name, NULL, 0, f->size };
	if (f->data) {
		c.len = f->len < r->left ? f->len : r->left;
		c.data = xstrndup(f->data, c.len);
		r->left -= c.len;
	}
	push(r, c);
}

/* Handles the current member e. Returns -1 if the archive proved damaged while reading it. */
static int take_member(struct reader *r, struct archive_entry *e)
{
	/* tar gives a hard link file type 0 and no data; cpio gives its last link the data */
	const char *link = archive_entry_hardlink(e);
	int data_link = link && archive_entry_size(e) > 0;
	if (archive_entry_filetype(e) != AE_IFREG && !(link && archive_entry_filetype(e) == 0))
		return 0;
	const char *p = archive_entry_pathname(e);
	char *name = norm_name(p ? p : archive_entry_pathname_utf8(e));
	if (!name)
		return 0;
	if (link && !data_link) {
		take_link(r, name, link);
		return 0;
	}
	struct src_file f = { name, NULL, 0, -1 };
	if (archive_entry_size_is_set(e))
		f.size = (long long)archive_entry_size(e);
	if (r->want_data) {
		struct buf b = BUF_INIT;
		if (read_data(r->a, f.size, r->max_file < r->left ? r->max_file : r->left, &b) < 0) {
			buf_free(&b);
			free(name);
			return -1;
		}
		r->left -= b.len;
		f.len = b.len;
		f.data = buf_detach(&b);
	}
	push(r, f);
	return 0;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* After the last member: reads the rest of the stream and, for gzip, checks the trailer (the
 * file's last 8 bytes; a multi-member gzip or trailing garbage would fail this). */
static void check_stream(struct reader *r, int fd, off_t size)
{
	const void *p;
	la_ssize_t n;
	while ((n = stream_read(r->a, r, &p)) > 0)
		;
	if (n < 0) {
		damaged(r, r->a);
		return;
	}
	unsigned char t[8];
	if (archive_filter_code(r->raw, 0) != ARCHIVE_FILTER_GZIP || size < 18 ||
	    pread(fd, t, 8, size - 8) != 8)
		return;
	if (le32(t) != r->crc || le32(t + 4) != (uint32_t)r->len)
		tf_warn(r->path, 0, 0, "truncated or corrupt archive: gzip %s mismatch",
			le32(t) != r->crc ? "CRC" : "length");
}

/* Opens r->raw on fd and r->a on raw's stream. Returns 0, 1 on an empty stream, or -1 after
 * warning. */
static int open_readers(struct reader *r, int fd)
{
	struct archive_entry *e;
	archive_read_support_filter_all(r->raw);
	archive_read_support_format_raw(r->raw);
	if (bad(archive_read_open_fd(r->raw, fd, CHUNK))) {
		damaged(r, r->raw);
		return -1;
	}
	int st = archive_read_next_header(r->raw, &e);
	if (st == ARCHIVE_EOF)
		return 1;
	if (bad(st)) {
		damaged(r, r->raw);
		return -1;
	}
	archive_read_support_format_all(r->a);
	if (bad(archive_read_open(r->a, r, NULL, stream_read, NULL))) {
		damaged(r, r->a);
		return -1;
	}
	return 0;
}

/* Reads every member into r->out; warns once on damage. */
static void read_members(struct reader *r, int fd, off_t size)
{
	if (open_readers(r, fd) != 0)
		return;
	for (;;) {
		struct archive_entry *e;
		int st = archive_read_next_header(r->a, &e);
		if (st == ARCHIVE_EOF) {
			check_stream(r, fd, size);
			return;
		}
		if (bad(st) || take_member(r, e) < 0) {
			damaged(r, r->a);
			return;
		}
	}
}

static void file_free(struct src_file *f)
{
	free(f->name);
	free(f->data);
}

struct seq_file {
	struct src_file f;
	size_t seq;
};

static int seq_cmp(const void *pa, const void *pb)
{
	const struct seq_file *a = pa, *b = pb;
	int c = strcmp(a->f.name, b->f.name);
	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Sorts out by name, keeping the last member of each name. */
static void sort_dedup(struct src_archive *out)
{
	struct seq_file *v = xcalloc(out->n, sizeof *v);
	for (size_t i = 0; i < out->n; i++)
		v[i] = (struct seq_file){ out->files[i], i };
	qsort(v, out->n, sizeof *v, seq_cmp);
	size_t k = 0;
	for (size_t i = 0; i < out->n; i++) {
		if (i + 1 < out->n && !strcmp(v[i].f.name, v[i + 1].f.name))
			file_free(&v[i].f);
		else
			out->files[k++] = v[i].f;
	}
	out->n = k;
	free(v);
}

/* Sorts out by name and moves the member named script (normalised) to the front. */
static void order(struct src_archive *out, const char *script)
{
	if (out->n > 1)
		sort_dedup(out);
	char *s = script ? norm_name(script) : NULL;
	for (size_t i = 0; s && i < out->n; i++) {
		if (strcmp(out->files[i].name, s))
			continue;
		struct src_file f = out->files[i];
		memmove(out->files + 1, out->files, i * sizeof *out->files);
		out->files[0] = f;
		break;
	}
	free(s);
}

/* Opens path for reading if it is a regular file; -1 with errno set otherwise. */
static int open_regular(const char *path, off_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	struct stat st;
	int e = 0;
	if (fstat(fd, &st) < 0)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	if (e) {
		close(fd);
		errno = e;
		return -1;
	}
	*size = st.st_size;
	return fd;
}

int srcarchive_read(const char *path, const char *script, int want_data,
		    size_t max_file, size_t max_total, struct src_archive *out)
{
	out->files = NULL;
	out->n = 0;
	off_t size;
	int fd = open_regular(path, &size);
	if (fd < 0)
		return -1;
	if (size == 0) {
		/* libarchive takes an empty file for an empty archive; tfruns never writes one */
		tf_warn(path, 0, 0, "truncated or corrupt archive: empty file");
		close(fd);
		return 0;
	}
	struct reader r = { archive_read_new(), archive_read_new(), path, xmalloc(CHUNK), 0, 0,
			    want_data, max_file, max_total, 0, out };
	if (!r.raw || !r.a) {
		tf_err(NULL, 0, 0, "out of memory");
		abort();
	}
	read_members(&r, fd, size);
	archive_read_free(r.a);
	archive_read_free(r.raw);
	free(r.chunk);
	close(fd);
	order(out, script);
	return 0;
}

void srcarchive_free(struct src_archive *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		file_free(&a->files[i]);
	free(a->files);
	a->files = NULL;
	a->n = 0;
}

/* Adds the member m with the contents of its file, at most *left bytes (taken off *left).
 * Returns 0, or -1 (libarchive error) / 1 (file unreadable: skipped, warned). */
static int put_file(struct archive *a, const struct srcarchive_member *m, char *buf,
		    size_t bufsz, long *left)
{
	int fd = open(m->path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		tf_warn(m->path, 0, 0, "source not saved: %s", fd < 0 ? strerror(errno) : "not a file");
		if (fd >= 0)
			close(fd);
		return 1;
	}
	long long size = st.st_size > *left ? *left : st.st_size;
	*left -= (long)size;
	struct archive_entry *e = archive_entry_new();
	char *name = xasprintf("source/%s", m->name);
	archive_entry_set_pathname(e, name);
	free(name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, st.st_mode & 0777);
	archive_entry_set_size(e, size);
	archive_entry_set_mtime(e, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	int rc = archive_write_header(a, e) == ARCHIVE_OK ? 0 : -1;
	archive_entry_free(e);
	for (long long done = 0; rc == 0 && done < size;) {
		size_t want = size - done < (long long)bufsz ? (size_t)(size - done) : bufsz;
		ssize_t n = read(fd, buf, want);
		if (n <= 0)
			break; /* shrank meanwhile: libarchive pads the member */
		if (archive_write_data(a, buf, (size_t)n) < 0)
			rc = -1;
		done += n;
	}
	close(fd);
	return rc;
}

int srcarchive_write(const char *dest, const struct srcarchive_member *members, size_t n,
		     long max_bytes)
{
	char *tmp;
	int fd = tmpfile_beside(dest, &tmp);
	if (fd < 0)
		return -1;
	struct archive *a = archive_write_new();
	archive_write_add_filter_gzip(a);
	archive_write_set_format_pax_restricted(a);
	int rc = archive_write_open_fd(a, fd) == ARCHIVE_OK ? 0 : -1;
	char *chunk = xmalloc(CHUNK);
	long left = max_bytes;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (put_file(a, &members[i], chunk, CHUNK, &left) < 0)
			rc = -1;
	free(chunk);
	if (archive_write_close(a) != ARCHIVE_OK)
		rc = -1;
	if (rc < 0)
		tf_err(dest, 0, 0, "cannot write: %s", archive_error_string(a) ? archive_error_string(a)
									    : strerror(errno));
	archive_write_free(a);
	if (close(fd) < 0 && rc == 0)
		rc = tf_err(dest, 0, 0, "cannot write: %s", strerror(errno));
	if (rc == 0 && rename(tmp, dest) < 0)
		rc = tf_err(dest, 0, 0, "cannot write: %s", strerror(errno));
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}
