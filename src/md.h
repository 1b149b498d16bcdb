/* md.h: Markdown notes rendered to HTML by cmark, raw HTML never passed through */
#ifndef TF_MD_H
#define TF_MD_H
#include <stddef.h>
#include "buf.h"

/* Appends the HTML of a Markdown text: raw HTML is dropped and unsafe link schemes
 * (javascript:, vbscript:, file:, data: other than images) are removed (cmark's safe mode). */
void md_render(struct buf *out, const char *text, size_t len);

#endif
