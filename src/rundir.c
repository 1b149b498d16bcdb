/* rundir.c: creating run directories (tfruns unique_run_dir), race-free */
#include "rundir.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int mkdir_p(const char *path, mode_t mode)
{
	if (mkdir(path, mode) == 0)
		return 0;
	if (errno == EEXIST) {
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
		errno = EEXIST;
		return -1;
	}
	if (errno != ENOENT)
		return -1;
	char *parent = xstrdup(path);
	char *slash = strrchr(parent, '/');
	while (slash && slash > parent && slash[1] == '\0') { /* trailing slashes */
		*slash = '\0';
		slash = strrchr(parent, '/');
	}
	int rc = -1;
	if (slash && slash > parent) {
		*slash = '\0';
		rc = mkdir_p(parent, mode);
	}
	free(parent);
	if (rc < 0)
		return -1;
	if (mkdir(path, mode) == 0 || errno == EEXIST)
		return 0;
	return -1;
}

void rundir_name(char *out, long long sec, long nsec, int seconds_scale)
{
	time_t t = (time_t)sec;
	struct tm tm;
	gmtime_r(&t, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H-%M-%S", &tm);
	if (seconds_scale > 0) {
		if (seconds_scale > 9)
			seconds_scale = 9;
		char frac[16];
		snprintf(frac, sizeof frac, "%09ld", nsec);
		out[n++] = '.';
		memcpy(out + n, frac, (size_t)seconds_scale);
		n += (size_t)seconds_scale;
	}
	out[n++] = 'Z';
	out[n] = '\0';
}

/* Length of the decimals of a timestamp name "YYYY-MM-DDTHH-MM-SS[.ddd]Z" (0 without), or -1
 * when name is not one. */
static int ts_decimals(const char *name)
{
	static const char shape[] = "dddd-dd-ddTdd-dd-dd";
	for (int i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)name[i]) : name[i] != shape[i])
			return -1;
	const char *p = name + 19;
	int n = 0;
	if (*p == '.')
		for (p++; isdigit((unsigned char)p[n]); n++)
			;
	if (*p == '.' && n == 0)
		return -1;
	return (p[n] == 'Z' && p[n + 1] == '\0') ? n : -1;
}

int rundir_name_cmp(const char *a, const char *b)
{
	int da = ts_decimals(a), db = ts_decimals(b); /* -1 unless a timestamp (19 bytes and more) */
	if (da < 0 || db < 0 || memcmp(a, b, 19) != 0)
		return strcmp(a, b);
	const char *fa = a + 20, *fb = b + 20; /* the decimals, if any */
	for (int i = 0; i < da || i < db; i++) {
		int x = i < da ? fa[i] : '0', y = i < db ? fb[i] : '0';
		if (x != y)
			return x - y;
	}
	return strcmp(a, b); /* equal times: "38.5Z" and "38.50Z" still differ */
}

char *rundir_create_unique(const char *runs_dir, int seconds_scale)
{
	if (mkdir_p(runs_dir, 0777) < 0) {
		tf_err(runs_dir, 0, 0, "cannot create the runs directory: %s", strerror(errno));
		return NULL;
	}
	int scale = seconds_scale < 0 ? 0 : seconds_scale > 9 ? 9 : seconds_scale;
	for (;;) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		char name[48];
		rundir_name(name, (long long)ts.tv_sec, ts.tv_nsec, scale);
		char *path = path_join(runs_dir, name);
		if (mkdir(path, 0777) == 0)
			return path;
		int e = errno;
		free(path);
		if (e != EEXIST) {
			tf_err(runs_dir, 0, 0, "unable to create run directory %s: %s", name, strerror(e));
			return NULL;
		}
		scale = scale < 3 ? 3 : scale < 9 ? scale + 3 : 9;
	}
}
