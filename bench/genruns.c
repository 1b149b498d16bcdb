/* genruns: write N synthetic tfruns run directories for the ls benchmark.
 *
 *   genruns DIR N SEED [SOURCE_TAR_GZ]
 *   genruns --version
 *
 * Output is a pure function of (N, SEED, the archive): run i is named
 * 2026-01-01T00-00-00Z + i seconds and its contents come from a PRNG seeded
 * with (SEED, i).  Layout follows tests/corpus/tfruns-runs:
 *   tfruns.d/properties/<name>   one value + "\n" per file
 *   tfruns.d/flags.json          3-5 flags (numbers, a string, a boolean)
 *   tfruns.d/metrics.json        {"loss": [..], "acc": [..], "val_loss": [..], "val_acc": [..]}
 *   tfruns.d/evaluation.json     {"loss": x, "acc": y} at full precision
 *   tfruns.d/error.json          on about 1 run in 20 (completed FALSE, no evaluation.json)
 *   tfruns.d/source.tar.gz       a byte copy of one fixed archive
 * About 1 run in 10 has trailing nulls in metrics.json: the errored runs and as
 * many early-stopped ones (completed TRUE, evaluation.json present).
 *
 * Plain C11 + POSIX, no libraries.  Bump GENRUNS_VERSION whenever the output
 * changes: bench/run.sh regenerates cached run sets whose stamp differs.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GENRUNS_VERSION "genruns 2"
#define DEFAULT_SOURCE "tests/corpus/tfruns-runs/2026-11-28T01-50-12Z/tfruns.d/source.tar.gz"
#define BASE_EPOCH 1767225600L /* 2026-01-01T00:00:00Z */
#define OUTPUT_TARGET 50000    /* bytes of console output per run, roughly */

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("genruns: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ---- PRNG (splitmix64) ---- */

static uint64_t rng_state;

static uint64_t rnext(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static unsigned rint_(unsigned n) /* 0 .. n-1 */
{
	return (unsigned)(rnext() % n);
}

static double runif(void) /* [0, 1) */
{
	return (double)(rnext() >> 11) * (1.0 / 9007199254740992.0);
}

/* ---- output buffer ---- */

static char *buf;
static size_t blen, bcap;

static void breset(void) { blen = 0; }

static void bgrow(size_t need)
{
	if (blen + need + 1 <= bcap)
		return;
	while (blen + need + 1 > bcap)
		bcap = bcap ? bcap * 2 : 65536;
	buf = realloc(buf, bcap);
	if (!buf)
		die("out of memory");
}

static void bput(const char *s)
{
	size_t n = strlen(s);
	bgrow(n);
	memcpy(buf + blen, s, n);
	blen += n;
}

static void bprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf ? buf + blen : NULL, buf ? bcap - blen : 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("vsnprintf failed");
	if (!buf || (size_t)n >= bcap - blen) {
		bgrow((size_t)n);
		va_start(ap, fmt);
		vsnprintf(buf + blen, bcap - blen, fmt, ap);
		va_end(ap);
	}
	blen += (size_t)n;
}

/* A number rounded to 4 decimals, printed like R/jsonlite: 0.95, 0.297, 1. */
static void bnum4(double v)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.4f", v);
	char *e = tmp + strlen(tmp);
	while (e > tmp && e[-1] == '0')
		*--e = '\0';
	if (e > tmp && e[-1] == '.')
		*--e = '\0';
	if (strcmp(tmp, "-0") == 0)
		strcpy(tmp, "0");
	bput(tmp);
}

/* ---- files ---- */

static void write_all(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("%s: %s", path, strerror(errno));
		}
		data += w;
		len -= (size_t)w;
	}
	if (close(fd) != 0)
		die("%s: %s", path, strerror(errno));
}

static void flush_to(const char *path)
{
	write_all(path, buf, blen);
	breset();
}

static void mkdir_or_die(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die("mkdir %s: %s", path, strerror(errno));
}

static char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	size_t cap = 4096, n = 0;
	char *p = malloc(cap);
	for (;;) {
		if (!p)
			die("out of memory");
		if (n == cap)
			p = realloc(p, cap *= 2);
		if (!p)
			die("out of memory");
		ssize_t r = read(fd, p + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("%s: %s", path, strerror(errno));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return p;
}

/* ---- one run ---- */

static const char *const OPTIMIZERS[] = {"<keras.optimizers.RMSprop>", "<keras.optimizers.Adam>",
                                         "<keras.optimizers.SGD>"};
static const char *const ACTIVATIONS[] = {"relu", "tanh", "elu", "selu"};
static const char *const LRS[] = {"0.001", "0.0005", "0.01", "0.1"};
static const unsigned UNITS[] = {64, 128, 256, 512};
static const unsigned BATCHES[] = {32, 64, 128, 256};
static const unsigned SAMPLES[] = {48000, 50000, 60000};

static char pathbuf[4096];
static size_t rundir_len; /* pathbuf[0..rundir_len) is ".../<run>/tfruns.d/" */

static const char *at(const char *rel)
{
	snprintf(pathbuf + rundir_len, sizeof pathbuf - rundir_len, "%s", rel);
	return pathbuf;
}

static void prop(const char *name, const char *value)
{
	breset();
	bput(value);
	bput("\n");
	char rel[128];
	snprintf(rel, sizeof rel, "properties/%s", name);
	flush_to(at(rel));
}

static void gen_run(const char *dir, long i, uint64_t seed, const char *tgz, size_t tgzlen)
{
	rng_state = seed * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)i + 1) * 0xD1B54A32D192ED03ULL;
	rnext();

	/* name */
	time_t t = (time_t)(BASE_EPOCH + i);
	struct tm tm;
	gmtime_r(&t, &tm);
	char name[64];
	strftime(name, sizeof name, "%Y-%m-%dT%H-%M-%SZ", &tm);
	int n = snprintf(pathbuf, sizeof pathbuf, "%s/%s", dir, name);
	if (n < 0 || (size_t)n + 64 >= sizeof pathbuf)
		die("path too long");
	mkdir_or_die(pathbuf);
	n += snprintf(pathbuf + n, sizeof pathbuf - n, "/tfruns.d/");
	rundir_len = (size_t)n;
	mkdir_or_die(pathbuf);
	mkdir_or_die(at("properties"));

	/* parameters */
	unsigned kind = rint_(20); /* 0: error, 1: early stop, else: full */
	unsigned epochs = 20 + rint_(81);
	unsigned done = epochs;
	if (kind == 0)
		done = 1 + rint_(epochs - 1);
	else if (kind == 1)
		done = epochs / 2 + rint_(epochs - epochs / 2);
	int errored = kind == 0;
	unsigned samples = SAMPLES[rint_(3)];
	unsigned vsamples = samples / 4;
	unsigned batch = BATCHES[rint_(4)];
	const char *optimizer = OPTIMIZERS[rint_(3)];
	const char *lr = LRS[rint_(4)];
	double dropout = (1 + rint_(5)) / 10.0;
	unsigned units = UNITS[rint_(4)];
	const char *activation = ACTIVATIONS[rint_(4)];
	int use_bias = rint_(2);
	unsigned nflags = 3 + rint_(3);
	double quality = 0.9 + 0.2 * runif();
	double step_us = 20 + rint_(40);
	double start = (double)(BASE_EPOCH + i) + 0.01 + 0.9 * runif();
	double epoch_s = samples * step_us / 1e6;
	double end = start + done * epoch_s + 0.5 + runif();

	/* metrics series */
	static double loss[100], acc[100], vloss[100], vacc[100];
	/* loss decays towards a floor, accuracy rises towards a ceiling below 1 */
	double l = 0.45 + 0.1 * runif(), a = 0.84 + 0.03 * runif();
	double lfloor = 0.02 + 0.04 * runif() / quality, aceil = 0.985 - 0.02 * runif() / quality;
	for (unsigned e = 0; e < done; e++) {
		loss[e] = l;
		acc[e] = a;
		vloss[e] = l * (1.05 + 0.1 * runif());
		vacc[e] = a - 0.01 * runif();
		l = lfloor + (l - lfloor) * (0.93 - 0.04 * runif() * quality);
		a += (aceil - a) * (0.08 + 0.08 * runif()) * quality;
	}

	char v[64];

	/* properties */
	prop("type", "training");
	prop("context", "local");
	prop("script", "train.R");
	snprintf(v, sizeof v, "%.5f", start);
	prop("start", v);
	snprintf(v, sizeof v, "%.5f", end);
	prop("end", v);
	prop("completed", errored ? "FALSE" : "TRUE");
	snprintf(v, sizeof v, "%u", samples);
	prop("samples", v);
	snprintf(v, sizeof v, "%u", vsamples);
	prop("validation_samples", v);
	snprintf(v, sizeof v, "%u", batch);
	prop("batch_size", v);
	snprintf(v, sizeof v, "%u", epochs);
	prop("epochs", v);
	prop("loss_function", "categorical_crossentropy");
	prop("optimizer", optimizer);
	prop("learning_rate", lr);

	/* model: keras summary text, ~2 KB */
	{
		static const char *const RULE =
		    "________________________________________________________________________________\n";
		static const char *const DRULE =
		    "================================================================================\n";
		unsigned layers = 5 + rint_(2);
		unsigned in = 784, w = units;
		unsigned long total = 0;
		breset();
		bput("Model\n");
		bput(RULE);
		bprintf("%-36s%-32s%-12s\n", "Layer (type)", "Output Shape", "Param #");
		bput(DRULE);
		for (unsigned k = 1; k <= layers; k++) {
			unsigned out = k == layers ? 10 : w;
			unsigned long p = (unsigned long)in * out + out;
			char lname[64], shape[32];
			snprintf(lname, sizeof lname, "dense_%u (Dense)", k);
			snprintf(shape, sizeof shape, "(None, %u)", out);
			bprintf("%-36s%-32s%-12lu\n", lname, shape, p);
			total += p;
			if (k < layers) {
				bput(RULE);
				snprintf(lname, sizeof lname, "dropout_%u (Dropout)", k);
				bprintf("%-36s%-32s%-12s\n", lname, shape, "0");
				bput(RULE);
			}
			in = out;
			if (w > 64)
				w /= 2;
		}
		bput(DRULE);
		char tot[32], grouped[48];
		snprintf(tot, sizeof tot, "%lu", total);
		size_t tl = strlen(tot), g = 0;
		for (size_t k = 0; k < tl; k++) {
			if (k > 0 && (tl - k) % 3 == 0)
				grouped[g++] = ',';
			grouped[g++] = tot[k];
		}
		grouped[g] = '\0';
		bprintf("Total params: %s\nTrainable params: %s\nNon-trainable params: 0\n", grouped,
		        grouped);
		bput(RULE);
		flush_to(at("properties/model"));
	}

	/* output: keras-like console log, ~50 KB */
	{
		breset();
		bput("\n> library(keras)\n\n> library(tfruns)\n\n");
		bprintf("> FLAGS <- flags(flag_numeric(\"dropout\", %.1f), flag_integer(\"units\", \n"
		        "+     %u), flag_string(\"activation\", \"%s\"), flag_boolean(\"use_bias\", %s))\n\n",
		        dropout, units, activation, use_bias ? "TRUE" : "FALSE");
		bprintf("> set.seed(%ld)\n\n", 100 + i);
		bput("> model <- build_model(FLAGS)\n\n");
		bprintf("> history <- model %%>%% fit(x_train, y_train, epochs = %u, batch_size = %u, \n"
		        "+     validation_split = 0.2)\n",
		        epochs, batch);
		bprintf("Train on %u samples, validate on %u samples\n", samples, vsamples);
		unsigned steps = (OUTPUT_TARGET / epochs) / 95;
		for (unsigned e = 0; e < done; e++) {
			bprintf("Epoch %u/%u\n", e + 1, epochs);
			for (unsigned s = 1; s <= steps; s++) {
				unsigned seen = (unsigned)((unsigned long)samples * s / (steps + 1));
				seen -= seen % batch;
				unsigned bar = 30u * seen / samples;
				char bars[32];
				memset(bars, '=', bar);
				bars[bar] = '>';
				memset(bars + bar + 1, '.', 29 - bar);
				bars[30] = '\0';
				bprintf("%5u/%u [%s] - ETA: %us - loss: %.4f - acc: %.4f\n", seen, samples, bars,
				        (unsigned)(epoch_s * (samples - seen) / samples) + 1,
				        loss[e] * (1.1 - 0.1 * s / steps), acc[e] * (0.98 + 0.02 * s / steps));
			}
			bprintf("%u/%u [==============================] - %.0fs %.0fus/step - loss: %.4f - "
			        "acc: %.4f - val_loss: %.4f - val_acc: %.4f\n",
			        samples, samples, epoch_s, step_us, loss[e], acc[e], vloss[e], vacc[e]);
		}
		if (errored) {
			bprintf("Error in py_call_impl(callable, dots$args, dots$keywords) : \n"
			        "  Loss became NaN at epoch %u\n",
			        done + 1);
		} else {
			if (done < epochs)
				bprintf("Epoch %05u: early stopping\n", done);
			bput("\n> score <- model %>% evaluate(x_test, y_test)\n\n");
			bput("> cat('Test loss:', score$loss, '\\n')\n");
			bprintf("Test loss: %.7g \n", vloss[done - 1]);
			bput("\n> cat('Test accuracy:', score$acc, '\\n')\n");
			bprintf("Test accuracy: %.7g \n", vacc[done - 1]);
		}
		flush_to(at("properties/output"));
	}

	/* flags.json: dropout, [units], activation, use_bias, [learning_rate] */
	breset();
	bprintf("{\n  \"dropout\": %.1f", dropout);
	if (nflags >= 4)
		bprintf(",\n  \"units\": %u", units);
	bprintf(",\n  \"activation\": \"%s\"", activation);
	bprintf(",\n  \"use_bias\": %s", use_bias ? "true" : "false");
	if (nflags >= 5)
		bprintf(",\n  \"learning_rate\": %s", lr);
	bput("\n}\n");
	flush_to(at("flags.json"));

	/* metrics.json, tfruns column format */
	{
		static const char *const NAMES[] = {"loss", "acc", "val_loss", "val_acc"};
		const double *cols[] = {loss, acc, vloss, vacc};
		breset();
		bput("{\n");
		for (int c = 0; c < 4; c++) {
			bprintf("  \"%s\": [", NAMES[c]);
			for (unsigned e = 0; e < epochs; e++) {
				if (e)
					bput(", ");
				if (e < done)
					bnum4(cols[c][e]);
				else
					bput("null");
			}
			bput(c < 3 ? "],\n" : "]\n");
		}
		bput("}\n");
		flush_to(at("metrics.json"));
	}

	if (errored) {
		breset();
		bprintf("{\n  \"message\": \"Loss became NaN at epoch %u (learning rate too high?)\",\n",
		        done + 1);
		bprintf("  \"traceback\": [\"stop(stop_message)\", \"fit_epochs(epochs = %u, "
		        "learning_rate = FLAGS$learning_rate, \\n    stop_after = %uL)\", "
		        "\"train_model(FLAGS$epochs)\", \"eval(ei, envir)\", "
		        "\"source(file = file, local = envir, echo = echo, encoding = encoding)\", "
		        "\"training_run(\\\"train.R\\\")\"]\n}\n",
		        epochs, done);
		flush_to(at("error.json"));
	} else {
		breset();
		double el = vloss[done - 1] * (0.98 + 0.04 * runif());
		double ea = vacc[done - 1] + (1.0 - vacc[done - 1]) * 0.1 * runif();
		bprintf("{\n  \"loss\": %.15g,\n  \"acc\": %.15g\n}\n", el, ea);
		flush_to(at("evaluation.json"));
	}

	write_all(at("source.tar.gz"), tgz, tgzlen);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		puts(GENRUNS_VERSION);
		return 0;
	}
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: genruns DIR N SEED [SOURCE_TAR_GZ]\n       genruns --version\n");
		return 2;
	}
	char *end;
	long count = strtol(argv[2], &end, 10);
	if (*end || count < 0 || count > 1000000)
		die("bad N: %s", argv[2]);
	unsigned long long seed = strtoull(argv[3], &end, 10);
	if (*end)
		die("bad SEED: %s", argv[3]);
	size_t tgzlen;
	char *tgz = read_file(argc == 5 ? argv[4] : DEFAULT_SOURCE, &tgzlen);

	mkdir_or_die(argv[1]);
	for (long i = 0; i < count; i++)
		gen_run(argv[1], i, (uint64_t)seed, tgz, tgzlen);
	free(tgz);
	free(buf);
	return 0;
}
