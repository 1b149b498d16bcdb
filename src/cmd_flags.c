/* cmd_flags.c: `tfreport flags`, tfruns flags() for a script in any language */
#include "cli.h"
#include "flags.h"
#include "util.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct optspec flags_opts[] = {
	{ "numeric", 0, "NAME=DEFAULT[:DESC]", "declare a numeric flag (a double), with its default and description" },
	{ "integer", 0, "NAME=DEFAULT[:DESC]", "declare an integer flag (32-bit; decimals truncated)" },
	{ "boolean", 0, "NAME=DEFAULT[:DESC]", "declare a boolean flag (true/false, yes/no, TRUE/FALSE, T/F...)" },
	{ "string", 0, "NAME=DEFAULT[:DESC]", "declare a string flag (the default is taken as written)" },
	{ "file", 0, "FILE", "the flags file (default: flags.yml when it exists)" },
	{ "config", 0, "NAME", "the config section (default: $TFRUNS_CONFIG, $R_CONFIG_ACTIVE, else default)" },
	{ "format", 0, "FMT", "json (default), sh (name='value' lines for eval) or env (FLAG_NAME=value lines)" },
	{ 0 },
};

enum fmt { FMT_JSON, FMT_SH, FMT_ENV };

struct pending {
	int seq;
	enum flag_type type;
	const char *spec;
};

/* The declarations in command-line order across the four kinds. */
static int declare_all(const struct opts *o, struct flag_decls *d)
{
	static const char *const kinds[] = { "numeric", "integer", "boolean", "string" };
	struct pending *p = NULL;
	int n = 0;
	for (int k = 0; k < 4; k++) {
		int m;
		const char *const *v = opt_all(o, kinds[k], &m);
		const int *seq = opt_seq(o, kinds[k]);
		p = xrealloc(p, (size_t)(n + m + 1) * sizeof *p);
		for (int i = 0; i < m; i++)
			p[n++] = (struct pending){ seq[i], (enum flag_type)k, v[i] };
	}
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && p[j - 1].seq > p[j].seq; j--) {
			struct pending t = p[j];
			p[j] = p[j - 1];
			p[j - 1] = t;
		}
	int rc = 0;
	for (int i = 0; i < n && !rc; i++)
		rc = flags_declare(d, p[i].type, p[i].spec);
	free(p);
	return rc;
}

static int is_identifier(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

static void sh_quote(struct buf *out, const char *s)
{
	buf_putc(out, '\'');
	for (; *s; s++)
		if (*s == '\'')
			buf_puts(out, "'\\''");
		else
			buf_putc(out, *s);
	buf_putc(out, '\'');
}

/* The values in the chosen format; -1 when a value cannot be written in it. */
static int render(struct buf *out, const struct json *flags, enum fmt f)
{
	if (f == FMT_JSON) {
		char *s = flags_json_text(flags);
		buf_puts(out, s);
		free(s);
		return 0;
	}
	for (const struct json *e = json_child(flags); e; e = json_next(e)) {
		struct buf v = BUF_INIT;
		flags_value_text(&v, e);
		const char *text = v.data ? v.data : "";
		if (f == FMT_SH) {
			buf_printf(out, "%s=", json_key(e));
			sh_quote(out, text);
			buf_putc(out, '\n');
		} else if (strpbrk(text, "\n\r")) {
			tf_err(NULL, 0, 0, "flag '%s': a value with a line break cannot be written as --format env (use json or sh)",
			       json_key(e));
			buf_free(&v);
			return -1;
		} else {
			buf_puts(out, "FLAG_");
			for (const char *p = json_key(e); *p; p++)
				buf_putc(out, *p >= 'a' && *p <= 'z' ? *p - 32 : *p);
			buf_printf(out, "=%s\n", text);
		}
		buf_free(&v);
	}
	return 0;
}

/* --help among the script's arguments: the tfruns layout; as shell code that prints it and
 * exits for --format sh (the output is meant for eval). */
static void help(struct buf *out, const struct flag_decls *d, enum fmt f)
{
	struct buf h = BUF_INIT;
	flags_help(&h, d);
	if (f == FMT_SH) {
		if (h.len) {
			buf_puts(out, "printf '%s' ");
			sh_quote(out, h.data);
			buf_putc(out, '\n');
		}
		buf_puts(out, "exit 0\n");
	} else if (h.len) {
		buf_add(out, h.data, h.len);
	}
	buf_free(&h);
}

/* Declared defaults < flags file (+ section) < $TFRUNS_FLAGS < the script's arguments.
 * Under `tfreport run` ($TFRUNS_FLAGS set) the flags file is the one run resolved (maybe
 * its --flags-file) and its values are in $TFRUNS_FLAGS: flags.yml is read again only when
 * --file names it, as tfruns's training_run(flags = FILE) replaces flags() 's default file. */
static struct json *resolve(const struct opts *o, const struct flag_decls *d)
{
	const char *env = getenv("TFRUNS_FLAGS"), *file = opt_get(o, "file");
	struct json *m = flags_defaults(d);
	if (file || !env || !*env) {
		struct json *defs = m;
		m = flags_resolve_file(file, opt_get(o, "config"), defs);
		json_free(defs);
		if (!m)
			return NULL;
	}
	struct json *typed = NULL, *r = NULL;
	if (env && *env) {
		typed = json_parse_quiet(env, strlen(env), NULL);
		if (json_type(typed) != J_OBJ) {
			tf_err("$TFRUNS_FLAGS", 0, 0, "expected a JSON object of flag values");
			goto done;
		}
		flags_merge(m, typed);
	}
	if (!flags_parse_args(m, o->nargs, o->args, typed))
		r = flags_validate(d, m);
done:
	json_free(typed);
	json_free(m);
	return r;
}

int cmd_flags(const struct ctx *ctx, const struct opts *o)
{
	(void)ctx;
	const char *fs = opt_get(o, "format");
	enum fmt f = FMT_JSON;
	if (fs && !strcmp(fs, "sh"))
		f = FMT_SH;
	else if (fs && !strcmp(fs, "env"))
		f = FMT_ENV;
	else if (fs && strcmp(fs, "json"))
		return tf_err(fs, 0, 0, "--format must be json, sh or env"), EXIT_USAGE;
	struct flag_decls d = { 0 };
	int rc = EXIT_OK;
	if (declare_all(o, &d))
		rc = EXIT_USAGE;
	for (int i = 0; !rc && f != FMT_JSON && i < d.n; i++)
		if (!is_identifier(d.v[i].name)) {
			tf_err(d.v[i].name, 0, 0, "not a shell variable name, as --format %s needs", fs);
			rc = EXIT_USAGE;
		}
	struct buf out = BUF_INIT;
	if (!rc && flags_wants_help(o->nargs, o->args)) {
		help(&out, &d, f);
	} else if (!rc && d.n == 0) {
		if (f == FMT_JSON)
			buf_puts(&out, "{}\n");
	} else if (!rc) {
		struct json *r = resolve(o, &d);
		const char *run_dir = getenv("TFRUNS_RUN_DIR");
		if (!r || render(&out, r, f) || (run_dir && *run_dir && flags_record(run_dir, r)))
			rc = EXIT_RUNTIME;
		json_free(r);
	}
	if (rc && f == FMT_SH) {
		buf_reset(&out);
		buf_printf(&out, "exit %d\n", rc);
	}
	if (out.len)
		out_write(out.data, out.len);
	buf_free(&out);
	flags_decls_free(&d);
	if (stdout_close() && !rc)
		rc = EXIT_RUNTIME;
	return rc;
}
