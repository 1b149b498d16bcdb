/* page.c: what every page shares: template rendering with the embedded assets, formats */
#include "page.h"
#include "assets.h"
#include "cli.h"
#include "html.h"
#include "tmpl.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *partial(const char *name, void *ctx)
{
	(void)ctx;
	char path[256];
	snprintf(path, sizeof path, "templates/partials/%s.html", name);
	const struct asset *a = asset_find(path);
	return a ? (const char *)a->data : NULL;
}

static void escape(struct buf *out, const char *s, size_t n, void *ctx)
{
	(void)ctx;
	html_text(out, s, n);
}

int page_render(struct buf *out, const char *name, struct json *view,
		const char *const *asset_pairs, char **err)
{
	const struct asset *t = asset_find(name);
	if (!t) {
		*err = xasprintf("%s: no such template", name);
		return -1;
	}
	json_add_str(view, "version", TFREPORT_VERSION);
	struct json *as = json_add_object(view, "assets");
	for (size_t i = 0; asset_pairs && asset_pairs[i]; i += 2) {
		const struct asset *a = asset_find(asset_pairs[i + 1]);
		json_add_str(as, asset_pairs[i], a ? (const char *)a->data : "");
	}
	struct tmpl_opts opts = { escape, NULL, partial, NULL };
	return tmpl_render(out, name, (const char *)t->data, view, &opts, err);
}

void page_fmt_duration(struct buf *out, double seconds)
{
	if (!isfinite(seconds) || seconds < 0)
		return;
	long long s = (long long)floor(seconds + 0.5);
	if (s >= 86400)
		buf_printf(out, "%lldd ", s / 86400);
	buf_printf(out, "%lld:%02lld:%02lld", s % 86400 / 3600, s % 3600 / 60, s % 60);
}

void page_fmt_time(struct buf *out, double t)
{
	time_t secs = (time_t)floor(t);
	struct tm tm;
	char tmp[64];
	if (gmtime_r(&secs, &tm) && strftime(tmp, sizeof tmp, "%Y-%m-%d %H:%M:%S UTC", &tm))
		buf_puts(out, tmp);
}

void page_fmt_size(struct buf *out, long long n)
{
	static const char *const units[] = { "B", "KB", "MB", "GB", "TB" };
	double d = (double)n;
	int u = 0;
	while (d >= 1024 && u < 4)
		d /= 1024, u++;
	if (u == 0)
		buf_printf(out, "%lld B", n);
	else
		buf_printf(out, "%.1f %s", d, units[u]);
}

void page_fmt_num(struct buf *out, double d)
{
	value_fmt_num_sig(out, d, 6);
}
