/* genfiles: a working directory of N small files for the artifacts benchmark.
 *
 *   genfiles DIR N     creates DIR/dNN/dMMM/fKKK.txt: 100 files a directory, 10 directories
 *                      under each top-level one (a source tree's shape), each file a line
 *
 * Deterministic (no clock, no randomness), no network. Exit status 0, or 1 on an error. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int mk(const char *p)
{
	if (mkdir(p, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "genfiles: %s: %s\n", p, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: genfiles DIR N\n");
		return 2;
	}
	const char *dir = argv[1];
	long n = atol(argv[2]);
	char p[4096], line[64];
	if (mk(dir) < 0)
		return 1;
	for (long i = 0; i < n; i++) {
		long d = i / 100, top = d / 10;
		snprintf(p, sizeof p, "%s/d%03ld", dir, top);
		if (i % 1000 == 0 && mk(p) < 0)
			return 1;
		snprintf(p, sizeof p, "%s/d%03ld/d%04ld", dir, top, d);
		if (i % 100 == 0 && mk(p) < 0)
			return 1;
		snprintf(p, sizeof p, "%s/d%03ld/d%04ld/f%06ld.txt", dir, top, d, i);
		int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int len = snprintf(line, sizeof line, "file %ld\n", i);
		if (fd < 0 || write(fd, line, (size_t)len) != len || close(fd) < 0) {
			fprintf(stderr, "genfiles: %s: %s\n", p, strerror(errno));
			return 1;
		}
	}
	return 0;
}
