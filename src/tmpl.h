/* tmpl.h: mustache templates (spec v1 core, no lambdas) over a JSON view model */
#ifndef TF_TMPL_H
#define TF_TMPL_H
#include <stddef.h>
#include "buf.h"
#include "json.h"

/* Partials may nest this deep (a recursive partial past it is an error). */
#define TMPL_MAX_PARTIAL_DEPTH 64
/* Sections may nest this deep within one template. */
#define TMPL_MAX_SECTION_DEPTH 128

struct tmpl_opts {
	/* Appends s[0..n) to out, escaped; used for {{x}}, never for {{{x}}} or {{& x}}.
	 * NULL means tmpl_html_escape. */
	void (*escape)(struct buf *out, const char *s, size_t n, void *ctx);
	void *escape_ctx;
	/* Source of the partial `name`, or NULL if there is none (it renders as nothing).
	 * The string must stay valid until tmpl_render returns. NULL means no partials. */
	const char *(*partial)(const char *name, void *ctx);
	void *partial_ctx;
};

/* The spec's HTML escaping: & < > " ' become &amp; &lt; &gt; &quot; &#39;. */
void tmpl_html_escape(struct buf *out, const char *s, size_t n, void *ctx);

/* Renders tmpl with view (NULL: an empty context) into out; opts may be NULL. Returns 0,
 * or -1 with out left as it was and *err set to an allocated message "NAME:LINE: ..."
 * ("line N: ..." when name is NULL): unclosed section 'x', expected {{/a}}, found {{/b}},
 * unexpected {{/b}}, unclosed tag, bad delimiter, empty tag, nesting too deep. An error
 * inside a partial names the partial. Strings render as they are, numbers in their
 * shortest round-trip form, booleans as true/false, arrays and objects as compact JSON,
 * null and misses as nothing. Falsy: missing, null, false, []. */
int tmpl_render(struct buf *out, const char *name, const char *tmpl, const struct json *view,
		const struct tmpl_opts *opts, char **err);

#endif
