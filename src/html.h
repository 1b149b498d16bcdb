/* html.h: the one writer of page bytes: text, attributes, URLs and script-safe JSON */
#ifndef TF_HTML_H
#define TF_HTML_H
#include <stddef.h>
#include "buf.h"

/* Text content or a double-quoted attribute value: & < > " ' escaped; NUL dropped. */
void html_text(struct buf *out, const char *s, size_t n);
void html_textz(struct buf *out, const char *s);
/* A URL for href/src: http:, https:, data:image/(png|jpeg|gif|webp|svg+xml) and relative URLs
 * pass (escaped as an attribute); anything else (javascript:, vbscript:, data:text/html...)
 * writes "#" and returns -1. */
int html_url(struct buf *out, const char *url);
/* JSON text made safe inside <script>: < > & U+2028 U+2029 written as \u escapes (only ever
 * inside JSON strings, so the JSON means the same). */
void html_json(struct buf *out, const char *json, size_t n);
/* Literals and fragments the program itself built. */
void html_raw(struct buf *out, const char *s);
/* 0 if a script body holds "</script" (any case) or "<!--", which could end it early. */
int html_safe_in_script(const char *s, size_t n);

#endif
