/* site.c: a runs directory as a static site: index, run pages and comparisons, incremental.
 * A manifest (DIR/.tfreport-site) records a hash of each page's inputs: the run files' names,
 * sizes and modification times, the neighbours it links to, and the program's own templates
 * and assets. A page is rewritten only when that hash changes. */
#include "site.h"
#include "assets.h"
#include "cli.h"
#include "compare.h"
#include "listing.h"
#include "page_index.h"
#include "runinput.h"
#include "util.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANIFEST ".tfreport-site"

typedef unsigned long long hash_t;

static hash_t mix(hash_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 1099511628211ULL;
	return h;
}

static hash_t mix_str(hash_t h, const char *s) { return mix(h, s ? s : "\1", s ? strlen(s) + 1 : 1); }

/* ---- fingerprints of runs ---- */

struct fp_ctx {
	int dfd;
	hash_t h;
};

static int fp_entry(void *ctx, const char *name, unsigned char type)
{
	(void)type;
	struct fp_ctx *f = ctx;
	struct stat st;
	if (fstatat(f->dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	hash_t e = mix_str(1469598103934665603ULL, name);
	long long v[3] = { (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec };
	f->h += mix(e, v, sizeof v); /* order-free: directory order may change */
	return 0;
}

static hash_t fp_dir(const char *path)
{
	struct fp_ctx f = { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), 0 };
	if (f.dfd < 0)
		return 0;
	dir_each_fd(f.dfd, fp_entry, &f);
	close(f.dfd);
	return f.h;
}

/* What a run's pages show changes only with the files of these directories. */
static hash_t run_fingerprint(const char *path)
{
	static const char *const sub[] = { "", "/tfruns.d", "/tfruns.d/properties", "/plots", NULL };
	hash_t h = 1469598103934665603ULL;
	for (int i = 0; sub[i]; i++) {
		char *p = xasprintf("%s%s", path, sub[i]);
		hash_t d = fp_dir(p);
		h = mix(h, &d, sizeof d);
		free(p);
	}
	return h;
}

/* Calls fn(ctx, i) for i in [0, n) on up to jobs threads, in chunks of 64. */
struct par {
	size_t n, next;
	void (*fn)(void *ctx, size_t i);
	void *ctx;
};

static void *par_worker(void *arg)
{
	struct par *p = arg;
	size_t i;
	while ((i = __atomic_fetch_add(&p->next, 64, __ATOMIC_RELAXED)) < p->n)
		for (size_t k = i; k < i + 64 && k < p->n; k++)
			p->fn(p->ctx, k);
	return NULL;
}

static void par_for(size_t n, int jobs, void (*fn)(void *ctx, size_t i), void *ctx)
{
	struct par p = { n, 0, fn, ctx };
	pthread_t t[64];
	int started = 0;
	if (jobs > 64)
		jobs = 64;
	for (int k = 1; k < jobs && (size_t)k * 256 < n; k++)
		if (pthread_create(&t[started], NULL, par_worker, &p) == 0)
			started++;
	par_worker(&p);
	for (int k = 0; k < started; k++)
		pthread_join(t[k], NULL);
}

/* Fingerprints of runs_dir/names[i] (the no-change re-run is one stat per file of every run,
 * on every core). */
struct fp_names {
	const char *dir;
	char **names;
	hash_t *out;
};

static void fp_name(void *ctx, size_t i)
{
	struct fp_names *f = ctx;
	char *p = path_join(f->dir, f->names[i]);
	f->out[i] = run_fingerprint(p);
	free(p);
}

/* For the listed runs: their fingerprints, and the properties the index shows read now, in
 * parallel (each run is touched by one thread), rather than one by one while the index is
 * rendered. */
struct fp_rows {
	const struct listing *l;
	hash_t *out;
	const struct fp_names *known; /* the fingerprints whole_hash took, by sorted name */
	size_t nknown;
};

static int name_cmp(const void *a, const void *b);

static void fp_row(void *ctx, size_t i)
{
	struct fp_rows *f = ctx;
	struct run *r = f->l->rows[i];
	const char *key = r->name;
	char **hit = f->nknown ? bsearch(&key, f->known->names, f->nknown, sizeof key, name_cmp) : NULL;
	f->out[i] = hit ? f->known->out[hit - f->known->names] : run_fingerprint(r->path);
	for (size_t c = 0; c < f->l->ncols; c++)
		if (f->l->cols[c]->kind == C_PROP)
			run_prop(r, f->l->cols[c]->key);
}

static hash_t program_hash(int self_contained)
{
	hash_t h = mix_str(1469598103934665603ULL, TFREPORT_VERSION);
	for (size_t i = 0; i < nassets; i++)
		h = mix(mix_str(h, assets[i].name), assets[i].data, assets[i].len);
	return mix(h, &self_contained, sizeof self_contained);
}

/* ---- the manifest: "HASH PATH" per line ---- */

struct entry {
	char *path;
	hash_t hash;
	int keep;
};

struct manifest {
	struct entry *v;
	size_t n, cap;
};

static void manifest_put(struct manifest *m, const char *path, hash_t h)
{
	if (m->n == m->cap)
		m->v = xrealloc(m->v, (m->cap = m->cap ? m->cap * 2 : 64) * sizeof *m->v);
	m->v[m->n++] = (struct entry){ xstrdup(path), h, 0 };
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

static void manifest_read(struct manifest *m, const char *dir)
{
	char *p = path_join(dir, MANIFEST);
	struct buf b = BUF_INIT;
	if (read_file(p, (size_t)256 << 20, &b) == 0) {
		for (char *line = b.data, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			char *sp = strchr(line, ' ');
			if (sp)
				manifest_put(m, sp + 1, strtoull(line, NULL, 16));
		}
	}
	buf_free(&b);
	free(p);
	if (m->n)
		qsort(m->v, m->n, sizeof *m->v, entry_cmp);
}

static struct entry *manifest_get(const struct manifest *m, const char *path)
{
	struct entry key = { (char *)path, 0, 0 };
	return m->n ? bsearch(&key, m->v, m->n, sizeof *m->v, entry_cmp) : NULL;
}

static void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].path);
	free(m->v);
}

/* ---- pages ---- */

enum kind { P_INDEX, P_RUN, P_COMPARE };

struct page {
	enum kind kind;
	char *path;     /* relative to the site: "runs/X.html" */
	hash_t hash;
	size_t run, prev; /* indexes into the listing's rows */
	int has_prev, has_next;
	size_t next;
};

struct site {
	const struct site_opts *o;
	struct listing_result res;
	struct page *pages;
	size_t npages;
	size_t *todo;
	size_t ntodo, next_job, done;
	int failed;
	pthread_mutex_t lock;
};

/* A run name as a URL path segment. */
static char *url_seg(const char *name)
{
	struct buf b = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	return buf_detach(&b);
}

/* File names in the site: the run name with "/" impossible, but kept readable. */
static char *run_page(const char *name) { return xasprintf("runs/%s.html", name); }

static char *compare_page(const char *a, const char *b)
{
	return xasprintf("compare/%s__%s.html", a, b);
}

/* ---- rendering one page ----
 * Pages are planned in run order (run i, then run i-1 against run i), and each worker takes
 * chunks of consecutive pages and keeps the two runs it loaded last: a run is read once for
 * its page and both comparisons it is in, not three times. Nothing is shared across threads. */

struct loaded {
	size_t index;
	int ok;             /* in.run is loaded */
	struct run_input in;
};

struct cache {
	struct loaded slot[2];
	int used[2];
};

static void cache_free(struct cache *c)
{
	for (int k = 0; k < 2; k++)
		if (c->used[k] && c->slot[k].ok)
			run_input_free(&c->slot[k].in);
	memset(c, 0, sizeof *c);
}

/* Run i of the listing, read with everything its pages show, or NULL if it cannot be read. */
static const struct run_input *cache_get(const struct site *s, struct cache *c, size_t i)
{
	for (int k = 0; k < 2; k++)
		if (c->used[k] && c->slot[k].index == i)
			return c->slot[k].ok ? &c->slot[k].in : NULL;
	int k = !c->used[0] ? 0 : !c->used[1] ? 1 : c->slot[0].index < c->slot[1].index ? 0 : 1;
	if (c->used[k] && c->slot[k].ok)
		run_input_free(&c->slot[k].in);
	const struct run *r = s->res.listing.rows[i];
	struct loaded *l = &c->slot[k];
	memset(l, 0, sizeof *l);
	l->index = i;
	l->in.run = run_load(r->path, r->name);
	l->ok = l->in.run != NULL;
	if (l->ok)
		run_input_load(&l->in);
	c->used[k] = 1;
	return l->ok ? &l->in : NULL;
}

/* "../compare/A__B.html" with each name escaped for a URL. */
static char *compare_url(const char *prefix, const char *a, const char *b)
{
	char *ea = url_seg(a), *eb = url_seg(b);
	char *u = xasprintf("%scompare/%s__%s.html", prefix, ea, eb);
	free(ea);
	free(eb);
	return u;
}

static int render_run(const struct site *s, struct cache *cache, const struct page *p,
		      struct buf *out, char **err)
{
	struct run **rows = s->res.listing.rows;
	const struct run_input *in = cache_get(s, cache, p->run);
	if (!in)
		return -1;
	char *prev = p->has_prev ? compare_url("../", rows[p->prev]->name, rows[p->run]->name) : NULL;
	char *next = p->has_next ? compare_url("../", rows[p->run]->name, rows[p->next]->name) : NULL;
	struct site_nav nav = { "../index.html", NULL, NULL, prev, next };
	struct page_opts o = { 0, 0, s->o->self_contained ? NULL : "../assets/", &nav };
	int rc = page_run_render(out, in, &o, err);
	free(prev);
	free(next);
	return rc;
}

static int render_compare(const struct site *s, struct cache *cache, const struct page *p,
			  struct buf *out, char **err)
{
	const struct run_input *a = cache_get(s, cache, p->prev);
	const struct run_input *b = a ? cache_get(s, cache, p->run) : NULL;
	if (!a || !b)
		return -1;
	struct compare_input in = { *a, *b }; /* borrowed: the cache frees them */
	char *seg = url_seg(b->run->name), *back = xasprintf("../runs/%s.html", seg);
	struct site_nav nav = { "../index.html", back, b->run->name, NULL, NULL };
	struct page_opts o = { 0, 0, s->o->self_contained ? NULL : "../assets/", &nav };
	struct comparison c;
	compare_compute(&c, &in);
	int rc = page_compare_render(out, &in, &c, &o, err);
	compare_free(&c);
	free(seg);
	free(back);
	return rc;
}

static int render_index(const struct site *s, struct buf *out, char **err)
{
	const struct listing *l = &s->res.listing;
	char **links = xcalloc(l->nrows + 1, sizeof *links);
	for (size_t i = 0; i < l->nrows; i++) {
		char *seg = url_seg(l->rows[i]->name);
		links[i] = xasprintf("runs/%s.html", seg);
		free(seg);
	}
	size_t nvis;
	const struct column **vis = listing_pick(&s->res, "status,start,duration,eval_*,metric_*", &nvis);
	struct index_input in = { s->o->runs_dir, l, vis, nvis, (const char *const *)links };
	struct page_opts o = { 0, 0, s->o->self_contained ? NULL : "assets/", NULL };
	int rc = vis ? page_index_render(out, &in, &o, err) : -1;
	for (size_t i = 0; i < l->nrows; i++)
		free(links[i]);
	free(links);
	free(vis);
	return rc;
}

static void progress(struct site *s)
{
	if (!s->o->progress)
		return;
	size_t w = 30, k = s->ntodo ? s->done * w / s->ntodo : w;
	char bar[64];
	memset(bar, '#', k);
	memset(bar + k, '.', w - k);
	bar[w] = '\0';
	fprintf(stdout, "\r[%s] %zu/%zu pages", bar, s->done, s->ntodo);
	fflush(stdout);
}

static void run_job(struct site *s, struct cache *cache, const struct page *p)
{
	struct buf out = BUF_INIT;
	char *err = NULL;
	int rc = p->kind == P_RUN ? render_run(s, cache, p, &out, &err) :
		 p->kind == P_COMPARE ? render_compare(s, cache, p, &out, &err) :
		 render_index(s, &out, &err);
	char *dest = path_join(s->o->out_dir, p->path);
	if (rc == 0)
		rc = write_file_atomic(dest, out.data, out.len);
	else if (err)
		tf_err(dest, 0, 0, "%s", err);
	pthread_mutex_lock(&s->lock);
	s->failed |= rc != 0;
	s->done++;
	progress(s);
	pthread_mutex_unlock(&s->lock);
	free(dest);
	free(err);
	buf_free(&out);
}

#define CHUNK 16 /* consecutive pages a worker takes at once */

static void *worker(void *arg)
{
	struct site *s = arg;
	struct cache cache = { 0 };
	size_t i;
	while ((i = __atomic_fetch_add(&s->next_job, CHUNK, __ATOMIC_RELAXED)) < s->ntodo)
		for (size_t j = i; j < i + CHUNK && j < s->ntodo; j++)
			run_job(s, &cache, &s->pages[s->todo[j]]);
	cache_free(&cache);
	return NULL;
}

static void run_jobs(struct site *s)
{
	int n = s->o->jobs > 0 ? s->o->jobs : 1;
	pthread_t *t = xcalloc((size_t)n, sizeof *t);
	int started = 0;
	for (int k = 1; k < n; k++)
		if (pthread_create(&t[k], NULL, worker, s) == 0)
			started = k;
	worker(s);
	for (int k = 1; k <= started; k++)
		pthread_join(t[k], NULL);
	free(t);
	if (s->o->progress && s->ntodo)
		fputc('\n', stdout);
}

/* ---- the plan ---- */

static void add_page(struct site *s, enum kind k, char *path, hash_t h, size_t run, size_t prev)
{
	s->pages = xrealloc(s->pages, (s->npages + 1) * sizeof *s->pages);
	s->pages[s->npages++] = (struct page){ k, path, h, run, prev, 0, 0, 0 };
}

/* Every page with the hash of what it shows: rows are in start order, oldest first. */
static void plan(struct site *s, const hash_t *fp, hash_t prog)
{
	const struct listing *l = &s->res.listing;
	hash_t all = mix_str(prog, s->o->filter);
	for (size_t i = 0; i < l->nrows; i++) {
		all = mix(mix_str(all, l->rows[i]->name), &fp[i], sizeof fp[i]);
		hash_t h = mix(mix_str(prog, l->rows[i]->name), &fp[i], sizeof fp[i]);
		if (i > 0)
			h = mix_str(h, l->rows[i - 1]->name);
		if (i + 1 < l->nrows)
			h = mix_str(h, l->rows[i + 1]->name);
		add_page(s, P_RUN, run_page(l->rows[i]->name), h, i, 0);
		s->pages[s->npages - 1].has_prev = i > 0;
		s->pages[s->npages - 1].prev = i ? i - 1 : 0;
		s->pages[s->npages - 1].has_next = i + 1 < l->nrows;
		s->pages[s->npages - 1].next = i + 1;
		if (i > 0) {
			hash_t c = mix(mix(prog, &fp[i - 1], sizeof *fp), &fp[i], sizeof *fp);
			c = mix_str(mix_str(c, l->rows[i - 1]->name), l->rows[i]->name);
			add_page(s, P_COMPARE, compare_page(l->rows[i - 1]->name, l->rows[i]->name), c, i, i - 1);
		}
	}
	add_page(s, P_INDEX, xstrdup("index.html"), all, 0, 0);
}

static int make_dirs(const char *out)
{
	static const char *const sub[] = { "", "/runs", "/compare", "/assets", NULL };
	for (int i = 0; sub[i]; i++) {
		char *p = xasprintf("%s%s", out, sub[i]);
		int rc = mkdir(p, 0755);
		if (rc < 0 && errno != EEXIST) {
			tf_err(p, 0, 0, "cannot create directory: %s", strerror(errno));
			free(p);
			return -1;
		}
		free(p);
	}
	return 0;
}

/* The shared scripts and styles, once, under their content-hashed names. */
static const char *const shared_assets[] = { "vendor/uPlot.min.css", "vendor/diff2html.min.css",
	"assets/css/report.css", "vendor/uPlot.iife.min.js", "vendor/hljs.js",
	"vendor/diff2html-ui-base.min.js", "assets/js/run.js", "assets/js/compare.js",
	"assets/js/index.js", NULL };

static int write_assets(const char *out)
{
	for (int i = 0; shared_assets[i]; i++) {
		char *file = page_asset_file(shared_assets[i]);
		char *p = xasprintf("%s/assets/%s", out, file);
		const struct asset *a = asset_find(shared_assets[i]);
		int rc = access(p, F_OK) == 0 || !a ? 0 : write_file_atomic(p, a->data, a->len);
		free(p);
		free(file);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* After a build in which every page was written with this program's assets: the files of
 * DIR/assets that no page names any more (an earlier version's, or of --self-contained). */
struct stale_assets {
	const char *dir;
	char *keep[16];
	size_t removed;
};

static int remove_stale_asset(void *ctx, const char *name, unsigned char type)
{
	struct stale_assets *st = ctx;
	if (name[0] == '.' || type == DT_DIR)
		return 0;
	for (int i = 0; st->keep[i]; i++)
		if (!strcmp(st->keep[i], name))
			return 0;
	char *p = path_join(st->dir, name);
	if (unlink(p) == 0)
		st->removed++;
	free(p);
	return 0;
}

static size_t remove_stale_assets(const char *out, int self_contained)
{
	struct stale_assets st = { 0 };
	char *dir = path_join(out, "assets");
	st.dir = dir;
	for (int i = 0; !self_contained && shared_assets[i]; i++)
		st.keep[i] = page_asset_file(shared_assets[i]);
	dir_each_at(AT_FDCWD, dir, remove_stale_asset, &st);
	for (int i = 0; st.keep[i]; i++)
		free(st.keep[i]);
	free(dir);
	return st.removed;
}

/* ---- the whole site ---- */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct names_ctx {
	char **v;
	size_t n, cap;
};

static int note_name(void *ctx, const char *name, unsigned char type)
{
	struct names_ctx *c = ctx;
	if (name[0] == '.' || (type != DT_DIR && type != DT_LNK && type != DT_UNKNOWN))
		return 0;
	if (c->n == c->cap)
		c->v = xrealloc(c->v, (c->cap = c->cap ? c->cap * 2 : 256) * sizeof *c->v);
	c->v[c->n++] = xstrdup(name);
	return 0;
}

/* One hash of everything the site shows: when it matches the manifest, nothing changed.
 * The entries' fingerprints are kept in *f (sorted by name, *n of them) for the plan. */
static hash_t whole_hash(const struct site_opts *o, hash_t prog, struct fp_names *f, size_t *n)
{
	struct names_ctx c = { 0 };
	hash_t h = mix_str(prog, o->filter);
	*f = (struct fp_names){ o->runs_dir, NULL, NULL };
	*n = 0;
	if (dir_each_at(AT_FDCWD, o->runs_dir, note_name, &c) < 0)
		return 0;
	if (c.n)
		qsort(c.v, c.n, sizeof *c.v, name_cmp);
	*f = (struct fp_names){ o->runs_dir, c.v, xcalloc(c.n + 1, sizeof *f->out) };
	*n = c.n;
	par_for(c.n, o->jobs, fp_name, f);
	for (size_t i = 0; i < c.n; i++)
		h = mix(mix_str(h, c.v[i]), &f->out[i], sizeof f->out[i]);
	return h;
}

static void fp_names_free(struct fp_names *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f->names[i]);
	free(f->names);
	free(f->out);
}

static int write_manifest(const struct site *s, hash_t whole)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%016llx *\n", whole);
	for (size_t i = 0; i < s->npages; i++)
		buf_printf(&b, "%016llx %s\n", s->pages[i].hash, s->pages[i].path);
	char *p = path_join(s->o->out_dir, MANIFEST);
	int rc = write_file_atomic(p, b.data, b.len);
	free(p);
	buf_free(&b);
	return rc;
}

/* Pages of the last build that this one no longer has (runs removed or filtered out). */
static size_t remove_stale(const struct site *s, struct manifest *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (m->v[i].keep || !strcmp(m->v[i].path, "*") || strstr(m->v[i].path, ".."))
			continue;
		char *p = path_join(s->o->out_dir, m->v[i].path);
		if (unlink(p) == 0)
			n++;
		free(p);
	}
	return n;
}

static void choose_work(struct site *s, struct manifest *m, struct site_stats *st)
{
	s->todo = xcalloc(s->npages + 1, sizeof *s->todo);
	for (size_t i = 0; i < s->npages; i++) {
		struct entry *e = manifest_get(m, s->pages[i].path);
		char *p = path_join(s->o->out_dir, s->pages[i].path);
		int fresh = e && e->hash == s->pages[i].hash && access(p, F_OK) == 0;
		free(p);
		if (e)
			e->keep = 1;
		if (fresh)
			st->unchanged++;
		else
			s->todo[s->ntodo++] = i;
	}
}

int site_build(const struct site_opts *o, struct site_stats *st)
{
	memset(st, 0, sizeof *st);
	if (make_dirs(o->out_dir) < 0)
		return EXIT_RUNTIME;
	struct fp_names known;
	size_t nknown;
	hash_t prog = program_hash(o->self_contained), whole = whole_hash(o, prog, &known, &nknown);
	struct manifest m = { 0 };
	manifest_read(&m, o->out_dir);
	struct entry *w = manifest_get(&m, "*");
	if (w && w->hash == whole) {
		for (size_t i = 0; i < m.n; i++)
			st->unchanged += strcmp(m.v[i].path, "*") != 0;
		manifest_free(&m);
		fp_names_free(&known, nknown);
		return EXIT_OK;
	}
	struct site s = { .o = o, .lock = PTHREAD_MUTEX_INITIALIZER };
	struct query q = { .filter = o->filter, .order = "start", .increasing = 1, .columns = "all" };
	int rc = listing_query(o->runs_dir, &q, &s.res);
	if (rc) {
		manifest_free(&m);
		fp_names_free(&known, nknown);
		return rc;
	}
	size_t nrows = s.res.listing.nrows;
	hash_t *fp = xcalloc(nrows + 1, sizeof *fp);
	struct fp_rows f = { &s.res.listing, fp, &known, nknown };
	par_for(nrows, o->jobs, fp_row, &f);
	fp_names_free(&known, nknown);
	plan(&s, fp, prog);
	free(fp);
	choose_work(&s, &m, st);
	if (!o->self_contained && write_assets(o->out_dir) < 0)
		s.failed = 1;
	run_jobs(&s);
	st->written = s.ntodo;
	st->removed = remove_stale(&s, &m);
	if (!s.failed)
		remove_stale_assets(o->out_dir, o->self_contained);
	if (!s.failed && write_manifest(&s, whole) < 0)
		s.failed = 1;
	for (size_t i = 0; i < s.npages; i++)
		free(s.pages[i].path);
	free(s.pages);
	free(s.todo);
	manifest_free(&m);
	listing_result_free(&s.res);
	return s.failed ? EXIT_RUNTIME : EXIT_OK;
}
