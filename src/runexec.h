/* runexec.h: running a training command: posix_spawnp, its stdout and stderr teed to the
 * terminal and a file, SIGINT/SIGTERM/SIGHUP passed on */
#ifndef TF_RUNEXEC_H
#define TF_RUNEXEC_H
#include <signal.h>

#define RUNEXEC_TAIL_LINES 20

struct exec_result {
	int status;       /* wait status of the command (valid when spawn_errno is 0) */
	int spawn_errno;  /* posix_spawnp failed with this (the command did not start), else 0 */
	int interrupted;  /* the first of SIGINT, SIGTERM, SIGHUP that tfreport received, else 0 */
	char *tail;       /* the last RUNEXEC_TAIL_LINES lines of the command's stderr (malloc'd,
			   * lines without their newline, joined by '\n'; each line at most 4 KB) */
	int output_errno; /* writing out_fd failed with this (the rest was not recorded), else 0 */
};

/* Runs argv[0] (looked up in PATH, no shell) with environment envp. Its stdin is tfreport's;
 * its stdout and stderr are pipes whose bytes go, unchanged and as they come, to tfreport's
 * stdout and stderr and both (in arrival order) to out_fd (when >= 0). Memory stays bounded
 * whatever the output size. SIGINT, SIGTERM and SIGHUP (unless ignored) received meanwhile are
 * passed on to the command, except those a terminal sent to the whole process group (the
 * command got them already); the third one sends SIGKILL. Returns when the command has exited
 * and its pipes are drained (a process it left behind holding them open is not waited for
 * long). The signal handlers stay installed until runexec_done. Returns 0 (see res), or -1
 * after printing an error when the pipes could not be made. */
int runexec(char *const argv[], char *const envp[], int out_fd, struct exec_result *res);

/* Non-zero once SIGINT/SIGTERM/SIGHUP arrived since runexec started (until runexec_done): the
 * caller stops long work it does after the command, such as copying artifacts. */
extern volatile sig_atomic_t runexec_stop;
/* Restores the signal dispositions runexec changed. */
void runexec_done(void);

#endif
