/*
 * spawn: a helper program in its own process group, fed without blocking,
 * killed at a time limit (spawn.h).
 *
 * How the end is seen: besides its standard input, the child inherits the
 * write end of a "life" pipe and keeps it (no close-on-exec) until it and
 * everything it started are gone; poll(2) then reports a hang-up on the
 * read end. So one poll waits for room in the input pipe, for the end of
 * the program and for the time limit at once, without SIGCHLD handling.
 */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Both ends close-on-exec; the caller clears it where the child needs. */
static int cloexec_pipe(int fd[2])
{
	if (pipe(fd) != 0)
		return -1;
	fcntl(fd[0], F_SETFD, FD_CLOEXEC);
	fcntl(fd[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static _Noreturn void child(char *const argv[], int in_fd, int life_fd,
			    int err_fd)
{
	sigset_t none;

	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);	/* analyze ignores it while feeding */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
		_exit(127);
	/* life_fd stays open in the program: its end is the hang-up. */
	fcntl(life_fd, F_SETFD, 0);
	execvp(argv[0], argv);
	_exit(127);
}

/* Feed and wait; 1 when the limit passed first. */
static int feed_and_wait(int in_w, int life_r, const char *in, size_t len,
			 double timeout_s, int *is_input_cut)
{
	double deadline = now_s() + timeout_s;
	struct pollfd pfd[2];
	size_t done = 0;
	ssize_t n;
	int ms;

	if (len == 0) {
		close(in_w);
		in_w = -1;
	}
	for (;;) {
		pfd[0] = (struct pollfd){ .fd = in_w, .events = POLLOUT };
		pfd[1] = (struct pollfd){ .fd = life_r, .events = POLLIN };
		ms = -1;
		if (timeout_s > 0) {
			double left = deadline - now_s();

			if (left <= 0)
				break;
			ms = left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
		}
		if (poll(pfd, 2, ms) < 0) {
			if (errno == EINTR)
				continue;
			break;	/* cannot happen with valid fds: give up */
		}
		if (in_w >= 0 && pfd[0].revents) {
			n = write(in_w, in + done, len - done);
			if (n > 0)
				done += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != EINTR)
				*is_input_cut = 1;	/* EPIPE: it quit */
			if (done == len || *is_input_cut) {
				close(in_w);
				in_w = -1;
			}
		}
		if (pfd[1].revents) {
			if (in_w >= 0) {
				*is_input_cut = 1;
				close(in_w);
			}
			return 0;
		}
	}
	if (in_w >= 0)
		close(in_w);
	return 1;
}

enum spawn_status spawn_run(char *const argv[], const char *in, size_t len,
			    int err_fd, double timeout_s, int *wait_status,
			    int *is_input_cut)
{
	struct sigaction ign, old;
	siginfo_t info;
	int in_p[2], life[2], is_timeout, saved;
	pid_t pid;

	*is_input_cut = 0;
	*wait_status = 0;
	if (cloexec_pipe(in_p))
		return SPAWN_FAILED;
	if (cloexec_pipe(life)) {
		saved = errno;
		close(in_p[0]);
		close(in_p[1]);
		errno = saved;
		return SPAWN_FAILED;
	}
	/* A program that dies early must not kill analyze with SIGPIPE:
	 * the failed write and its exit status say what happened. */
	ign = (struct sigaction){ .sa_handler = SIG_IGN };
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	pid = fork();
	if (pid == 0)
		child(argv, in_p[0], life[1], err_fd);
	saved = errno;
	close(in_p[0]);
	close(life[1]);
	if (pid < 0) {
		close(in_p[1]);
		close(life[0]);
		sigaction(SIGPIPE, &old, NULL);
		errno = saved;
		return SPAWN_FAILED;
	}
	setpgid(pid, pid);	/* here too: the group exists before use */
	cleanup_child_group(pid);
	fcntl(in_p[1], F_SETFL, O_NONBLOCK);
	is_timeout = feed_and_wait(in_p[1], life[0], in, len, timeout_s,
				   is_input_cut);
	if (is_timeout)
		kill(-pid, SIGKILL);
	/* Wait for its end without reaping it: while it is a zombie its
	 * pid, the group's id, cannot be reused, so killing whatever it
	 * left in its group cannot hit anyone else. */
	while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0 &&
	       errno == EINTR)
		;
	kill(-pid, SIGKILL);
	cleanup_child_group(0);
	while (waitpid(pid, wait_status, 0) < 0 && errno == EINTR)
		;
	close(life[0]);
	sigaction(SIGPIPE, &old, NULL);
	return is_timeout ? SPAWN_TIMEOUT : SPAWN_EXITED;
}
