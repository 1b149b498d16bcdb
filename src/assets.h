/* assets.h: templates, the project's JS/CSS and the npm front-end libraries, embedded at
 * build time (build/gen/assets.c, written by scripts/embed.c; see docs/assets.md) */
#ifndef TF_ASSETS_H
#define TF_ASSETS_H
#include <stddef.h>

struct asset {
	const char *name;          /* "templates/run.html", "vendor/uPlot.iife.min.js", "LICENSES" */
	const unsigned char *data; /* NUL-terminated */
	size_t len;
};

extern const struct asset assets[];
extern const size_t nassets;
const struct asset *asset_find(const char *name);

#endif
