/* runexec.c: spawning a training command, teeing its output, passing signals on */
#include "runexec.h"
#include "buf.h"
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
#define TAIL_KEEP 65536      /* bytes of stderr kept for the traceback */
#define LINE_MAX_KEPT 4096   /* bytes of one traceback line */
#define DRAIN_MS 100         /* after the command's end: wait this long for more output */
#define DRAIN_TOTAL_MS 2000  /* and no longer than this in all */

volatile sig_atomic_t runexec_stop;
static volatile sig_atomic_t got_chld, first_sig, nsig;
static volatile sig_atomic_t fwd[3]; /* SIGINT, SIGTERM, SIGHUP to pass on */
static const int handled[3] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction saved[3], saved_chld;
static int installed[3], chld_installed;
static sigset_t saved_mask;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGCHLD) {
		got_chld = 1;
		return;
	}
	if (!first_sig)
		first_sig = sig;
	nsig++;
	runexec_stop = 1;
	/* a terminal's ^C reaches the whole foreground process group: the command has it */
	if (si && si->si_code == SI_KERNEL)
		return;
	for (int i = 0; i < 3; i++)
		if (handled[i] == sig)
			fwd[i]++;
}

static void install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++) {
		struct sigaction old;
		sigaction(handled[i], NULL, &old);
		/* a hang-up ignored on purpose (nohup) stays ignored */
		if (handled[i] == SIGHUP && old.sa_handler == SIG_IGN)
			continue;
		sigaction(handled[i], &sa, &saved[i]);
		installed[i] = 1;
	}
	sa.sa_flags |= SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, &saved_chld);
	chld_installed = 1;
}

void runexec_done(void)
{
	for (int i = 0; i < 3; i++)
		if (installed[i]) {
			sigaction(handled[i], &saved[i], NULL);
			installed[i] = 0;
		}
	if (chld_installed) {
		sigaction(SIGCHLD, &saved_chld, NULL);
		chld_installed = 0;
	}
	runexec_stop = 0;
}

/* Writes all of p to fd (which may be non-blocking). Returns 0, or -1 with errno. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t m = write(fd, p, n);
		if (m < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pf = { fd, POLLOUT, 0 };
				poll(&pf, 1, -1);
				continue;
			}
			return -1;
		}
		p += m;
		n -= (size_t)m;
	}
	return 0;
}

/* The last lines of the stderr kept in t. */
static char *tail_lines(const struct buf *t)
{
	size_t end = t->len;
	while (end && (t->data[end - 1] == '\n' || t->data[end - 1] == '\r'))
		end--;
	size_t start = end;
	for (int lines = 0; start > 0; start--)
		if (t->data[start - 1] == '\n' && ++lines == RUNEXEC_TAIL_LINES)
			break;
	struct buf out = BUF_INIT;
	buf_puts(&out, "");
	for (size_t i = start; i < end;) {
		size_t n = 0;
		while (i + n < end && t->data[i + n] != '\n')
			n++;
		size_t keep = n;
		while (keep && t->data[i + keep - 1] == '\r')
			keep--;
		if (keep > LINE_MAX_KEPT)
			keep = LINE_MAX_KEPT;
		if (out.len)
			buf_putc(&out, '\n');
		buf_add(&out, t->data + i, keep);
		i += n + 1;
	}
	return buf_detach(&out);
}

struct pump {
	int out_fd, term_ok[2];
	struct buf tail;
	int output_errno;
	char *chunk;
};

/* Reads what fd (stream 0: stdout, 1: stderr) has; returns 0 at its end. */
static int pump_read(struct pump *p, int fd, int stream)
{
	ssize_t n = read(fd, p->chunk, CHUNK);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0)
		return 0;
	if (p->term_ok[stream] && write_all(stream + 1, p->chunk, (size_t)n) < 0)
		p->term_ok[stream] = 0; /* the terminal went away: keep recording */
	if (p->out_fd >= 0 && !p->output_errno && write_all(p->out_fd, p->chunk, (size_t)n) < 0)
		p->output_errno = errno ? errno : EIO;
	if (stream == 1) {
		buf_add(&p->tail, p->chunk, (size_t)n);
		if (p->tail.len > 2 * TAIL_KEEP) {
			memmove(p->tail.data, p->tail.data + p->tail.len - TAIL_KEEP, TAIL_KEEP);
			p->tail.len = TAIL_KEEP;
			p->tail.data[TAIL_KEEP] = '\0';
		}
	}
	return 1;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Passes pending signals on to pid; the third interrupt kills it. */
static void forward(pid_t pid, int *killed)
{
	for (int i = 0; i < 3; i++)
		for (; fwd[i] > 0; fwd[i]--)
			kill(pid, handled[i]);
	if (nsig >= 3 && !*killed) {
		kill(pid, SIGKILL);
		*killed = 1;
	}
}

static int spawn(pid_t *pid, char *const argv[], char *const envp[], int out_w, int err_w)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out_w, 1);
	posix_spawn_file_actions_adddup2(&fa, err_w, 2);
	posix_spawnattr_init(&at);
	sigset_t def;
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setsigmask(&at, &saved_mask);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	int e = posix_spawnp(pid, argv[0], &fa, &at, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return e;
}

int runexec(char *const argv[], char *const envp[], int out_fd, struct exec_result *res)
{
	memset(res, 0, sizeof *res);
	int po[2], pe[2];
	if (pipe2(po, O_CLOEXEC) < 0)
		return tf_err(argv[0], 0, 0, "cannot make a pipe: %s", strerror(errno));
	if (pipe2(pe, O_CLOEXEC) < 0) {
		close(po[0]);
		close(po[1]);
		return tf_err(argv[0], 0, 0, "cannot make a pipe: %s", strerror(errno));
	}
	got_chld = first_sig = nsig = 0;
	fwd[0] = fwd[1] = fwd[2] = 0;
	runexec_stop = 0;
	sigset_t block, waitmask;
	sigemptyset(&block);
	for (int i = 0; i < 3; i++)
		sigaddset(&block, handled[i]);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &saved_mask);
	install();
	waitmask = saved_mask;
	for (int i = 0; i < 3; i++)
		sigdelset(&waitmask, handled[i]);
	sigdelset(&waitmask, SIGCHLD);
	fflush(stdout);
	fflush(stderr);

	pid_t pid;
	res->spawn_errno = spawn(&pid, argv, envp, po[1], pe[1]);
	close(po[1]);
	close(pe[1]);
	struct pump p = { out_fd, { 1, 1 }, BUF_INIT, 0, xmalloc(CHUNK) };
	struct pollfd pf[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
	int open_n = 2, done = res->spawn_errno != 0, killed = 0;
	long long done_at = done ? now_ms() : 0;
	while (open_n > 0 || !done) {
		struct timespec ts = { 0, DRAIN_MS * 1000000L };
		int r = ppoll(open_n ? pf : NULL, open_n ? 2 : 0, done ? &ts : NULL, &waitmask);
		if (r < 0 && errno != EINTR)
			break;
		if (!done) {
			forward(pid, &killed);
			if (got_chld) {
				got_chld = 0;
				if (waitpid(pid, &res->status, WNOHANG) == pid) {
					done = 1;
					done_at = now_ms();
				}
			}
		}
		if (r == 0 || (done && now_ms() - done_at > DRAIN_TOTAL_MS))
			break; /* whatever holds the pipes now is not the command */
		for (int i = 0; r > 0 && i < 2; i++)
			if (pf[i].fd >= 0 && (pf[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    !pump_read(&p, pf[i].fd, i)) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_n--;
			}
	}
	if (!done) /* ppoll failed: wait for the command all the same */
		while (waitpid(pid, &res->status, 0) < 0 && errno == EINTR)
			;
	for (int i = 0; i < 2; i++)
		if (pf[i].fd >= 0)
			close(pf[i].fd);
	res->interrupted = first_sig;
	runexec_stop = 0; /* from now on: signals that arrive after the command */
	res->output_errno = p.output_errno;
	res->tail = tail_lines(&p.tail);
	buf_free(&p.tail);
	free(p.chunk);
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
	return 0;
}
