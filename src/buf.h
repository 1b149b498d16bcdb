/* buf.h: growable byte buffer, always NUL-terminated */
#ifndef TF_BUF_H
#define TF_BUF_H
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
/* Returns the data (NUL-terminated, never NULL) and leaves b empty. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);

#endif
