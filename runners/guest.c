/*
 * guest: bench as /init of a VM or a container, or as a job wrapper on the
 * host. It reads one job (a bench subcommand and its arguments), runs it and
 * prints, on its standard output (the serial console in a VM), the markers
 * of protocol.h that bin/campaign and 'bench boot' parse: GUEST first
 * (CLOCK_BOOTTIME at entry), EVIDENCE, BEGIN, the job's CSV (header and
 * rows), END with the job's status.
 *
 * The job comes from the environment variable BENCH_JOB (containers, the
 * host) or else from bench.job= on the kernel command line (VMs; the
 * kernel does not pass dotted parameters to init, so it reads
 * /proc/cmdline). Encoding: words separated by ',', each byte outside
 * [A-Za-z0-9._/:=+-] written %XX. "none" or empty: no job (boot
 * measurements). As PID 1 it mounts /proc, /sys and /dev first, and powers
 * off at the end unless the job came from BENCH_JOB (a PID namespace, where
 * reboot(2) would only end the namespace).
 */
#define _GNU_SOURCE		/* mount(2), reboot(2) RB_POWER_OFF, pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"
#include "protocol.h"


/*
 * The timing canary: getppid() calls, about 30 ms natively here. Measured
 * on this project's host (2026-11-25): QEMU TCG ran pure ALU loops at
 * native speed, memory loops 2.2x and system calls 3x slower than native,
 * while KVM runs system calls without an exit; so the canary is a system
 * call loop.
 */
#define CANARY_CALLS 200000u

struct guest_job {
	struct proto_job job;	/* argv[0] = "bench", then the words */
	int is_from_env;
};

static const char guest_intro[] =
	"usage: bench guest [--evidence]\n"
	"       /init (as PID 1, no arguments)\n"
	"\n"
	"The guest side of bin/campaign. Reads one job (a bench subcommand and\n"
	"its options) from the environment variable BENCH_JOB, or else from\n"
	"bench.job= on the kernel command line (/proc/cmdline), runs it with\n"
	"its CSV captured, and prints on standard output (the serial console\n"
	"of a VM):\n"
	"  " PROTO_GUEST "N" PROTO_CLOSE "   CLOCK_BOOTTIME at entry, in ns\n"
	"  " PROTO_EVIDENCE "hypervisor=SIG hv_bit=B canary_ns=N pid=P"
	PROTO_CLOSE "\n"
	"  " PROTO_BEGIN ", the job's CSV, " PROTO_END_RC "STATUS" PROTO_CLOSE "\n"
	"SIG is the CPUID leaf 0x40000000 signature (KVMKVMKVM under KVM,\n"
	"TCGTCGTCGTCG under QEMU TCG, 'none' without one), B the CPUID.1:ECX[31]\n"
	"hypervisor bit, and canary_ns the best of 3 timings (CLOCK_MONOTONIC,\n"
	"ns) of 200000 getppid() calls; compare it with the native value:\n"
	"about 3x under TCG, about 1x under KVM. P is bench guest's process\n"
	"id: 1 as /init of a VM or a PID namespace.\n"
	"Job encoding: words separated by ',', bytes outside [A-Za-z0-9._/:=+-]\n"
	"written %XX; 'none' runs nothing. As PID 1 it mounts /proc, /sys and\n"
	"devtmpfs on /dev (a failure is reported and ignored) and powers off\n"
	"at the end, or just exits when the job came from BENCH_JOB or power-off\n"
	"is refused.\n"
	"\n"
	"Example: BENCH_JOB=syscall,--runs,1 bench guest\n"
	"\n"
	"Options:\n";

enum guest_opt {
	GUEST_OPT_EVIDENCE
};

static const struct opt_spec guest_options[] = {
	{ GUEST_OPT_EVIDENCE, 0, "evidence", NULL,
	  "print only the " PROTO_MARK "EVIDENCE line and exit" },
	{ COMMON_OPT_HELP, 'h', "help", NULL, "show this help" },
	COMMON_VERSION_ROW,
};

static const struct bench_doc guest_doc = {
	"guest", guest_intro, OPT_TABLE(guest_options), 19, "",
	"\n"
	"Exit status: the job's status; 0 with no job; 1 when the job cannot\n"
	"be read or started; 2 bad usage or a malformed job.\n",
	0, BENCH_OPERANDS_NONE
};

/* Decode text into job; 0, or -1 with a message. */
static int job_decode(struct guest_job *job, const char *text)
{
	struct diag err;

	if (proto_job_decode(&job->job, text, &err) == 0)
		return 0;
	bench_error("guest", "%s", err.msg);
	return -1;
}

/* The job text from BENCH_JOB, or bench.job= in /proc/cmdline. */
static int job_read(struct guest_job *job)
{
	static const char key[] = "bench.job=";
	char cmdline[PROTO_JOB_BYTES];
	const char *env = getenv("BENCH_JOB"), *p;
	ssize_t n;
	int fd;

	if (env) {
		job->is_from_env = 1;
		return job_decode(job, env);
	}
	fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		bench_error("guest", "no BENCH_JOB and cannot read "
			    "/proc/cmdline: %s", strerror(errno));
		return -1;
	}
	n = read(fd, cmdline, sizeof(cmdline) - 1);
	close(fd);
	cmdline[n > 0 ? n : 0] = '\0';
	for (p = cmdline; (p = strstr(p, key)); p++)
		if (p == cmdline || p[-1] == ' ')
			return job_decode(job, p + strlen(key));
	return job_decode(job, "none");
}

static void mount_one(const char *source, const char *target,
		      const char *type)
{
	mkdir(target, 0755);
	if (mount(source, target, type, MS_NOSUID | MS_NOEXEC, NULL) != 0 &&
	    errno != EBUSY)
		bench_error("guest", "cannot mount %s on %s: %s (continuing "
			    "without it)", type, target, strerror(errno));
}

/* The device nodes every program may expect (what OCI runtimes create in
 * a container's /dev): bench time discards output into /dev/null. */
static void make_devices(void)
{
	static const struct {
		const char *path;
		unsigned minor;
	} devs[] = { { "/dev/null", 3 }, { "/dev/zero", 5 },
		     { "/dev/full", 7 }, { "/dev/random", 8 },
		     { "/dev/urandom", 9 } };
	size_t i;

	for (i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
		if (mknod(devs[i].path, S_IFCHR | 0666,
			  makedev(1, devs[i].minor)) == 0)
			chmod(devs[i].path, 0666);	/* past the umask */
}

/* As PID 1: the file systems the runners read (/proc for host facts,
 * /sys for the clocksource, /dev for /dev/null and the console). An OCI
 * runtime has mounted them already (and dropped the right to mount):
 * in a container, what is there is kept. */
static void mount_basics(int is_container)
{
	if (!is_container || access("/proc/self", F_OK) != 0)
		mount_one("proc", "/proc", "proc");
	if (!is_container || access("/sys/kernel", F_OK) != 0)
		mount_one("sysfs", "/sys", "sysfs");
	/* In a container, devtmpfs would be the host's own /dev. */
	if (!is_container) {
		mount_one("devtmpfs", "/dev", "devtmpfs");
	} else if (access("/dev/null", F_OK) != 0) {
		mount_one("tmpfs", "/dev", "tmpfs");
		make_devices();
	}
	mkdir("/tmp", 01777);
}

/* Best of 3 timings of CANARY_CALLS system calls, in ns. */
static uint64_t canary_ns(void)
{
	uint64_t best = UINT64_MAX, t0, dt;
	unsigned i, k;

	for (k = 0; k < 3; k++) {
		t0 = now_ns();
		for (i = 0; i < CANARY_CALLS; i++)
			(void)getppid();
		dt = now_ns() - t0;
		if (dt < best)
			best = dt;
	}
	return best;
}

static void print_evidence(void)
{
	struct host_facts h;

	host_facts_read(&h);
	printf(PROTO_EVIDENCE "hypervisor=%s hv_bit=%d canary_ns=%llu "
	       "pid=%ld" PROTO_CLOSE "\n", h.hypervisor[0] ? h.hypervisor : "none",
	       h.is_hypervisor_bit, (unsigned long long)canary_ns(),
	       (long)getpid());
	fflush(stdout);
}

static int append(char **buf, size_t *len, size_t *cap, const char *data,
		  size_t n)
{
	char *grown;

	if (*len + n > *cap) {
		*cap = (*len + n) * 2 + 4096;
		grown = realloc(*buf, *cap);
		if (!grown)
			return -1;
		*buf = grown;
	}
	memcpy(*buf + *len, data, n);
	*len += n;
	return 0;
}

/* Child side: stdout to the pipe, exec this very binary as "bench". */
static void exec_job(const struct guest_job *job, int out_fd)
{
	if (dup2(out_fd, STDOUT_FILENO) < 0)
		_exit(EXIT_RUNTIME);
	execv("/proc/self/exe", job->job.argv);
	execv("/init", job->job.argv);
	bench_error("guest", "cannot run the job: %s", strerror(errno));
	_exit(EXIT_RUNTIME);
}

/*
 * Run the job with its stdout captured, then print it between the markers
 * in one piece, so that its stderr (straight to the console) never lands
 * inside the CSV block. Returns the job's exit status.
 */
static int run_job(const struct guest_job *job)
{
	char chunk[4096], *buf = NULL;
	size_t len = 0, cap = 0;
	int fds[2], status, rc;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) != 0) {
		bench_error("guest", "pipe: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	pid = fork();
	if (pid < 0) {
		bench_error("guest", "fork: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	if (pid == 0)
		exec_job(job, fds[1]);
	close(fds[1]);
	rc = 0;
	while ((n = read(fds[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || append(&buf, &len, &cap, chunk, (size_t)n)) {
			bench_error("guest", "cannot collect the job's output");
			rc = EXIT_RUNTIME;
			break;
		}
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!rc)
		rc = WIFEXITED(status) ? WEXITSTATUS(status) :
		     128 + WTERMSIG(status);
	printf(PROTO_BEGIN "\n");
	if (len)
		fwrite(buf, 1, len, stdout);
	if (len && buf[len - 1] != '\n')
		putchar('\n');
	printf(PROTO_END_RC "%d" PROTO_CLOSE "\n", rc);
	fflush(stdout);
	free(buf);
	return rc;
}

/* When the kernel found no /dev/console in the image, fd 1 is closed. */
static void ensure_console(void)
{
	int fd;

	if (fcntl(STDOUT_FILENO, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	/* Refused (EPERM in a PID namespace, or not PID 1): just exit. */
}

static int guest_option(void *ctx, int id, const char *name,
			const char *v, struct diag *err)
{
	int *is_evidence = ctx;

	(void)id;	/* GUEST_OPT_EVIDENCE, the only one */
	(void)name;
	(void)v;
	(void)err;
	*is_evidence = 1;
	return 0;
}

/* 0 to go on, 1 after --help or --version, 2 after a usage error. */
static int parse_args(int argc, char **argv, int *is_evidence)
{
	int status;

	*is_evidence = 0;
	if (getpid() == 1)
		return 0;	/* as /init the kernel may pass stray words */
	if (common_parse(NULL, &guest_doc, argc, argv, guest_option,
			 is_evidence, NULL, &status))
		return status ? status : 1;
	return 0;
}

int cmd_guest(int argc, char **argv)
{
	uint64_t entry_ns = boottime_ns();
	int is_pid1 = getpid() == 1, is_evidence, rc;
	struct guest_job job;

	rc = parse_args(argc, argv, &is_evidence);
	if (rc)
		return rc == 1 ? EXIT_OK : rc;
	if (is_evidence) {
		print_evidence();
		return EXIT_OK;
	}
	memset(&job, 0, sizeof(job));
	if (is_pid1) {
		ensure_console();
		mount_basics(getenv("BENCH_JOB") != NULL);
		ensure_console();
	}
	printf(PROTO_GUEST "%llu" PROTO_CLOSE "\n",
	       (unsigned long long)entry_ns);
	fflush(stdout);
	print_evidence();
	if (job_read(&job) != 0) {
		printf(PROTO_BEGIN "\n" PROTO_END_RC "%d" PROTO_CLOSE "\n",
		       EXIT_BADINPUT);
		rc = EXIT_BADINPUT;
	} else if (job.job.argc < 2) {
		printf(PROTO_BEGIN "\n" PROTO_END_RC "0" PROTO_CLOSE "\n");
		rc = EXIT_OK;
	} else {
		rc = run_job(&job);
	}
	fflush(stdout);
	if (is_pid1 && !job.is_from_env)
		power_off();
	return rc;
}
