/* rundir.c: creating run directories (tfruns unique_run_dir), race-free */
#include "rundir.h"
#include "util.h"
#include "xalloc.h"

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
