/* md.c: Markdown notes rendered to HTML by cmark, raw HTML never passed through */
#include "md.h"

#include <cmark.h>
#include <stdlib.h>

void md_render(struct buf *out, const char *text, size_t len)
{
	/* CMARK_OPT_UNSAFE is never set: cmark then omits raw HTML and dangerous URLs. */
	char *html = cmark_markdown_to_html(text, len, CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
	if (html) {
		buf_puts(out, html);
		free(html);
	}
}
