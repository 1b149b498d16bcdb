/* timeit: run a command REPEAT times; print "MEDIAN_WALL_S MAX_PEAK_RSS_KB".
 *
 *   timeit REPEAT [-i INFILE] CMD ARGS...   spawn CMD (PATH lookup, no shell) with stdout on
 *                                           /dev/null (stdin from INFILE with -i; stderr is
 *                                           inherited)
 *   timeit REPEAT --cat LISTFILE            the "cat floor": a child process (timeit itself,
 *                                           re-executed, so process start-up counts as it
 *                                           does for cat) opens, reads and closes every file
 *                                           named in LISTFILE (one per line), copying the
 *                                           bytes to /dev/null as `cat FILE... >/dev/null`
 *                                           does (see cat_files); the list file
 *                                           stands in for an argv that may exceed ARG_MAX
 *
 * Wall time is CLOCK_MONOTONIC around posix_spawn .. wait4; peak RSS is the child's
 * ru_maxrss from wait4 (KB on Linux).  Exit status: 0 if every repetition exited 0,
 * 1 if one failed (it stops there), 2 on usage errors.
 */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int usage(void)
{
	fputs("usage: timeit REPEAT [-i INFILE] CMD ARGS...\n"
	      "       timeit REPEAT --cat LISTFILE\n",
	      stderr);
	return 2;
}

/* ---- --cat ---- */

static char **names;
static size_t nnames;

static void load_list(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "timeit: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	size_t cap = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t n;
	while ((n = getline(&line, &lcap, f)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0)
			continue;
		if (nnames == cap) {
			cap = cap ? cap * 2 : 1024;
			names = realloc(names, cap * sizeof *names);
			if (!names) {
				fputs("timeit: out of memory\n", stderr);
				exit(1);
			}
		}
		names[nnames++] = strdup(line);
	}
	free(line);
	fclose(f);
}

/* The floor: per file, what any reader has to do and what cat does: open, fstat, read
 * until EOF, copy to stdout, close.  One thing coreutils cat also does is left out on
 * purpose: it mmaps and munmaps a fresh 128 KiB buffer for every operand, which on some
 * VMs costs more than reading a small file (3x the floor on the reference VM; the real
 * cat is timed separately by bench/run.sh as a check). */
static int cat_files(void)
{
	static char buf[128 * 1024];
	int out = STDOUT_FILENO;
	int status = 0;
	for (size_t i = 0; i < nnames; i++) {
		int fd = open(names[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "timeit: cat: %s: %s\n", names[i], strerror(errno));
			status = 1;
			continue;
		}
		struct stat st;
		if (fstat(fd, &st) != 0) {
			fprintf(stderr, "timeit: cat: %s: %s\n", names[i], strerror(errno));
			status = 1;
		}
		for (;;) {
			ssize_t r = read(fd, buf, sizeof buf);
			if (r < 0) {
				if (errno == EINTR)
					continue;
				fprintf(stderr, "timeit: cat: %s: %s\n", names[i], strerror(errno));
				status = 1;
				break;
			}
			if (r == 0)
				break;
			if (write(out, buf, (size_t)r) != r) {
				perror("timeit: cat: write");
				status = 1;
				break;
			}
		}
		close(fd);
	}
	return status;
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--cat-child") == 0) {
		load_list(argv[2]);
		return cat_files();
	}
	if (argc < 3)
		return usage();
	char *end;
	long repeat = strtol(argv[1], &end, 10);
	if (*end || repeat < 1 || repeat > 10000)
		return usage();

	int catmode = 0;
	const char *infile = NULL;
	char **cmd = argv + 2;
	char *catcmd[4];
	if (strcmp(argv[2], "--cat") == 0) {
		if (argc != 4)
			return usage();
		catmode = 1;
		if (access(argv[3], R_OK) != 0) {
			fprintf(stderr, "timeit: %s: %s\n", argv[3], strerror(errno));
			return 1;
		}
		catcmd[0] = access("/proc/self/exe", X_OK) == 0 ? "/proc/self/exe" : argv[0];
		catcmd[1] = "--cat-child";
		catcmd[2] = argv[3];
		catcmd[3] = NULL;
		cmd = catcmd;
	} else if (strcmp(argv[2], "-i") == 0) {
		if (argc < 5)
			return usage();
		infile = argv[3];
		cmd = argv + 4;
	}

	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	if (infile)
		posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, infile, O_RDONLY, 0);

	double *times = calloc((size_t)repeat, sizeof *times);
	long maxrss = 0;
	if (!times)
		return 1;
	fflush(stdout);
	fflush(stderr);

	for (long r = 0; r < repeat; r++) {
		pid_t pid;
		double t0 = now();
		int e = posix_spawnp(&pid, cmd[0], &fa, NULL, cmd, environ);
		if (e != 0) {
			fprintf(stderr, "timeit: %s: %s\n", cmd[0], strerror(e));
			return 1;
		}
		int st;
		struct rusage ru;
		while (wait4(pid, &st, 0, &ru) < 0) {
			if (errno != EINTR) {
				perror("timeit: wait4");
				return 1;
			}
		}
		times[r] = now() - t0;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
		if (WIFSIGNALED(st)) {
			fprintf(stderr, "timeit: %s: killed by signal %d\n", catmode ? "--cat" : cmd[0],
			        WTERMSIG(st));
			return 1;
		}
		if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
			fprintf(stderr, "timeit: %s: exit status %d\n", catmode ? "--cat" : cmd[0],
			        WEXITSTATUS(st));
			return 1;
		}
	}

	qsort(times, (size_t)repeat, sizeof *times, cmp_double);
	double median = repeat % 2 ? times[repeat / 2]
	                           : (times[repeat / 2 - 1] + times[repeat / 2]) / 2;
	printf("%.4f %ld\n", median, maxrss);
	posix_spawn_file_actions_destroy(&fa);
	free(times);
	return 0;
}
