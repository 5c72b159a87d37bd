/*
 * check-clean-enter: run a command as root inside a directory tree that
 * behaves as the root of a machine, for 'make check-clean'.
 *
 *   check-clean-enter [--hostname NAME] [--bind SRC:DST]... ROOT CMD [ARG...]
 *
 * A bare chroot is not enough for the toolkit's tests: the container
 * platform pivot_roots into a rootfs of its own, which fails with EINVAL
 * when the caller's root is not a mount point or is a chroot. So this
 * does what a container runtime does, and nothing more:
 *
 * - new mount, PID, UTS and IPC namespaces (the network and the cgroup
 *   hierarchy stay the host's: apt needs the network, the tests create
 *   cgroups as on a machine);
 * - ROOT bound onto itself, so that it is a mount point; a fresh /proc
 *   for the new PID namespace; the host's /sys with its cgroup mounts;
 *   a tmpfs /dev holding the usual devices bound from the host (/dev/kvm,
 *   /dev/net/tun and /dev/fuse too when the host has them), a private
 *   devpts, /dev/shm and /dev/mqueue; a tmpfs /run; each --bind;
 * - pivot_root into ROOT and detach the old root, so that nothing of the
 *   host's file system is reachable;
 * - CMD runs as a child of this program, which is PID 1 of the new PID
 *   namespace and reaps whatever is orphaned.
 *
 * When CMD exits, PID 1 exits with its status, and the kernel kills every
 * process still left in the namespace; the mounts disappear with the
 * namespace. SIGINT, SIGTERM or SIGHUP to this program (in the host's
 * PID namespace) kill the namespace at once; so does the death of this
 * program, through PR_SET_PDEATHSIG. Nothing survives it.
 *
 * Exit status: CMD's, 128 + N when CMD was killed by signal N, 125 when
 * setting up failed (with a message naming the step).
 */
#define _GNU_SOURCE	/* unshare, CLONE_*, sethostname */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { SETUP_FAILED = 125, MAX_BINDS = 16 };

struct bind {
	const char *src, *dst;
};

static const char *progname = "check-clean-enter";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
						      noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
	exit(SETUP_FAILED);
}

static void usage(void)
{
	fprintf(stderr, "usage: %s [--hostname NAME] [--bind SRC:DST]... "
		"ROOT CMD [ARG...]\n", progname);
	exit(2);
}

/* ROOT/REL into buf; dies when it does not fit. */
static const char *in_root(char *buf, size_t size, const char *root,
			   const char *rel)
{
	int n = snprintf(buf, size, "%s/%s", root, rel[0] == '/' ? rel + 1 : rel);

	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		die("%s/%s", root, rel);
	}
	return buf;
}

static void xmount(const char *src, const char *dst, const char *type,
		   unsigned long flags, const char *data)
{
	if (mount(src, dst, type, flags, data) != 0)
		die("mount %s on %s", src ? src : type, dst);
}

static void xmkdir(const char *path, mode_t mode)
{
	if (mkdir(path, mode) != 0 && errno != EEXIST)
		die("mkdir %s", path);
}

/* An empty file at path, for a device node to be bound onto. */
static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		die("create %s", path);
	close(fd);
}

static void xsymlink(const char *target, const char *path)
{
	if (symlink(target, path) != 0 && errno != EEXIST)
		die("symlink %s", path);
}

/* /dev: a tmpfs with the host's device nodes bound into it. */
static void setup_dev(const char *root)
{
	static const char *const always[] = {
		"null", "zero", "full", "random", "urandom", "tty"
	};
	/* Passed through only where the host has them. */
	static const char *const optional[] = { "kvm", "net/tun", "fuse" };
	char dev[4096], path[4096], host[64];
	struct stat st;
	size_t i;

	in_root(dev, sizeof(dev), root, "dev");
	xmount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME,
	       "mode=755,size=65536k");
	for (i = 0; i < sizeof(always) / sizeof(always[0]); i++) {
		snprintf(host, sizeof(host), "/dev/%s", always[i]);
		touch(in_root(path, sizeof(path), dev, always[i]));
		xmount(host, path, NULL, MS_BIND, NULL);
	}
	for (i = 0; i < sizeof(optional) / sizeof(optional[0]); i++) {
		snprintf(host, sizeof(host), "/dev/%s", optional[i]);
		if (stat(host, &st) != 0 || !S_ISCHR(st.st_mode))
			continue;
		if (strchr(optional[i], '/'))
			xmkdir(in_root(path, sizeof(path), dev, "net"), 0755);
		touch(in_root(path, sizeof(path), dev, optional[i]));
		xmount(host, path, NULL, MS_BIND, NULL);
	}
	xmkdir(in_root(path, sizeof(path), dev, "pts"), 0755);
	xmount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC,
	       "newinstance,ptmxmode=0666,mode=620,gid=5");
	xsymlink("pts/ptmx", in_root(path, sizeof(path), dev, "ptmx"));
	xmkdir(in_root(path, sizeof(path), dev, "shm"), 01777);
	xmount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	xmkdir(in_root(path, sizeof(path), dev, "mqueue"), 0755);
	if (mount("mqueue", path, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) != 0)
		fprintf(stderr, "%s: no /dev/mqueue: %s\n", progname,
			strerror(errno));
	xsymlink("/proc/self/fd", in_root(path, sizeof(path), dev, "fd"));
	xsymlink("/proc/self/fd/0", in_root(path, sizeof(path), dev, "stdin"));
	xsymlink("/proc/self/fd/1", in_root(path, sizeof(path), dev, "stdout"));
	xsymlink("/proc/self/fd/2", in_root(path, sizeof(path), dev, "stderr"));
}

/* PID 1 of the new namespaces: mounts, pivot_root, then run argv. */
static int pid1(int alive, const char *root, const char *hostname,
		const struct bind *binds, size_t n_binds, char **argv)
{
	char path[4096];
	pid_t child, pid;
	int status;
	size_t i;
	sigset_t all;

	struct pollfd pfd = { alive, POLLIN, 0 };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		die("prctl");
	/* The parent holds the other end of 'alive' open for as long as it
	 * lives: EOF here means it died before prctl took effect. */
	if (poll(&pfd, 1, 0) != 0)
		exit(SETUP_FAILED);
	close(alive);
	/* Nothing mounted here may propagate back to the host. */
	xmount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	xmount(root, root, NULL, MS_BIND | MS_REC, NULL);
	xmount("proc", in_root(path, sizeof(path), root, "proc"), "proc",
	       MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	xmount("/sys", in_root(path, sizeof(path), root, "sys"), NULL,
	       MS_BIND | MS_REC, NULL);
	setup_dev(root);
	xmount("tmpfs", in_root(path, sizeof(path), root, "run"), "tmpfs",
	       MS_NOSUID | MS_NODEV, "mode=755");
	xmkdir(in_root(path, sizeof(path), root, "run/lock"), 01777);
	for (i = 0; i < n_binds; i++) {
		struct stat st;

		in_root(path, sizeof(path), root, binds[i].dst);
		if (stat(binds[i].src, &st) != 0)
			die("--bind %s", binds[i].src);
		if (S_ISDIR(st.st_mode))
			xmkdir(path, 0755);
		else
			touch(path);
		xmount(binds[i].src, path, NULL, MS_BIND | MS_REC, NULL);
	}
	if (hostname && sethostname(hostname, strlen(hostname)) != 0)
		die("sethostname %s", hostname);

	/* pivot_root(".", "."): the old root ends up stacked under the new
	 * one, and detaching "." removes it (pivot_root(2), NOTES). */
	if (chdir(root) != 0)
		die("chdir %s", root);
	if (syscall(SYS_pivot_root, ".", ".") != 0)
		die("pivot_root %s", root);
	if (umount2(".", MNT_DETACH) != 0)
		die("detach the old root");
	if (chdir("/") != 0)
		die("chdir /");

	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		execv(argv[0], argv);
		fprintf(stderr, "%s: cannot run %s inside %s: %s\n", progname,
			argv[0], root, strerror(errno));
		_exit(127);
	}
	/* Reap every orphan until CMD itself ends. */
	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			die("waitpid");
		if (pid == child)
			break;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

int main(int argc, char **argv)
{
	struct bind binds[MAX_BINDS];
	size_t n_binds = 0;
	const char *hostname = NULL, *root;
	struct sigaction sa;
	pid_t pid;
	int status, i = 1, alive[2];

	while (i < argc && !strncmp(argv[i], "--", 2)) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "--hostname") && i + 1 < argc) {
			hostname = argv[i + 1];
			i += 2;
		} else if (!strcmp(argv[i], "--bind") && i + 1 < argc) {
			char *colon = strchr(argv[i + 1], ':');

			if (!colon || n_binds == MAX_BINDS)
				usage();
			*colon = '\0';
			binds[n_binds].src = argv[i + 1];
			binds[n_binds++].dst = colon + 1;
			i += 2;
		} else {
			usage();
		}
	}
	if (argc - i < 2)
		usage();
	root = argv[i];
	if (root[0] != '/') {
		errno = EINVAL;
		die("ROOT must be an absolute path, not '%s'", root);
	}

	if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC)
	    != 0)
		die("unshare (this needs root)");
	if (pipe2(alive, O_CLOEXEC) != 0)
		die("pipe");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		close(alive[1]);
		exit(pid1(alive[0], root, hostname, binds, n_binds,
			  argv + i + 1));
	}
	close(alive[0]);
	for (;;) {
		if (waitpid(pid, &status, 0) == pid)
			break;
		if (errno != EINTR)
			die("waitpid");
		if (got_signal) {
			fprintf(stderr, "%s: signal %d: stopping everything "
				"inside %s\n", progname, (int)got_signal, root);
			kill(pid, SIGKILL);
		}
	}
	if (got_signal)
		return 128 + got_signal;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
