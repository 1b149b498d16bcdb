/* page.c: what every page shares: template rendering with the embedded assets, formats */
#include "page.h"
#include "assets.h"
#include "cli.h"
#include "html.h"
#include "tmpl.h"
#include "xalloc.h"

#include <math.h>
#include <pthread.h>
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

/* Content hashes of the embedded assets, computed once (the assets never change at run time). */
static unsigned long long *asset_hashes;
static pthread_once_t hashes_once = PTHREAD_ONCE_INIT;

static void hash_assets(void)
{
	asset_hashes = xcalloc(nassets + 1, sizeof *asset_hashes);
	for (size_t k = 0; k < nassets; k++) {
		unsigned long long h = 1469598103934665603ULL;
		for (size_t i = 0; i < assets[k].len; i++)
			h = (h ^ assets[k].data[i]) * 1099511628211ULL;
		asset_hashes[k] = h;
	}
}

char *page_asset_file(const char *asset_name)
{
	pthread_once(&hashes_once, hash_assets);
	const struct asset *a = asset_find(asset_name);
	unsigned long long h = a ? asset_hashes[a - assets] : 1469598103934665603ULL;
	const char *base = strrchr(asset_name, '/');
	base = base ? base + 1 : asset_name;
	const char *dot = strrchr(base, '.');
	size_t stem = dot ? (size_t)(dot - base) : strlen(base);
	return xasprintf("%.*s-%016llx%s", (int)stem, base, h, dot ? dot : "");
}

static void add_links(struct json *view, const char *const *pairs, const char *prefix)
{
	struct json *l = json_add_object(view, "links");
	struct json *styles = json_add_array(l, "styles"), *scripts = json_add_array(l, "scripts");
	for (size_t i = 0; pairs && pairs[i]; i += 2) {
		if (!asset_find(pairs[i + 1]))
			continue;
		char *file = page_asset_file(pairs[i + 1]);
		char *url = xasprintf("%s%s", prefix, file);
		size_t n = strlen(file);
		json_add_str(n > 4 && !strcmp(file + n - 4, ".css") ? styles : scripts, NULL, url);
		free(url);
		free(file);
	}
}

static void add_nav(struct json *view, const struct site_nav *nav)
{
	struct json *n = json_add_object(view, "nav");
	const char *keys[] = { "nav_index", "nav_run", "nav_run_label", "nav_prev", "nav_next" };
	const char *vals[] = { nav->index, nav->run, nav->run_label, nav->prev, nav->next };
	for (int i = 0; i < 5; i++)
		if (vals[i])
			json_add_str(n, keys[i], vals[i]);
}

int page_render(struct buf *out, const char *name, struct json *view,
		const char *const *asset_pairs, const struct page_opts *o, char **err)
{
	const struct asset *t = asset_find(name);
	if (!t) {
		*err = xasprintf("%s: no such template", name);
		return -1;
	}
	json_add_str(view, "version", TFREPORT_VERSION);
	if (o && o->nav)
		add_nav(view, o->nav);
	if (o && o->asset_prefix) {
		add_links(view, asset_pairs, o->asset_prefix);
		asset_pairs = NULL;
	}
	struct json *as = json_add_object(view, "assets");
	for (size_t i = 0; asset_pairs && asset_pairs[i]; i += 2) {
		const struct asset *a = asset_find(asset_pairs[i + 1]);
		json_add_str(as, asset_pairs[i], a ? (const char *)a->data : "");
	}
	struct tmpl_opts opts = { escape, NULL, partial, NULL };
	return tmpl_render(out, name, (const char *)t->data, view, &opts, err);
}

void page_embed_data(struct json *view, const struct json *data)
{
	struct buf dj = BUF_INIT, safe = BUF_INIT;
	json_print(&dj, data);
	html_json(&safe, dj.data, dj.len); /* inert inside <script> */
	json_add_str(view, "data_json", safe.data);
	buf_free(&dj);
	buf_free(&safe);
}

void page_fmt_duration(struct buf *out, double seconds)
{
	if (!isfinite(seconds) || seconds < 0)
		return;
	if (seconds < 59.95) { /* a short run's length matters to the tenth */
		buf_printf(out, "%.3g s", seconds < 0.001 ? 0 : seconds);
		return;
	}
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
