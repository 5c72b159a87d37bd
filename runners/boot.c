/*
 * boot: boot time of a VM, split as EuroSys'21 fig_10 draws it. Launches
 * the VMM command after "--", timestamps its console (the VMM's standard
 * output) until a marker, and reads the guest's own CLOCK_BOOTTIME at
 * /init entry from the line bench guest prints first. The VMM runs in its
 * own process group with PR_SET_PDEATHSIG(SIGKILL): it never outlives
 * bench, even after a kill -9.
 */
#define _GNU_SOURCE		/* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"
#include "protocol.h"
#include "vmm.h"

#define BOOT_CMD "boot"
#define BOOT_DEFAULT_RUNS 5

struct boot_opts {
	const char *marker;
	double timeout_s;
	char **vmm_argv;	/* borrowed from argv, NULL-terminated */
};

/* What one boot showed, host times in ns since just before fork. */
struct boot_times {
	uint64_t first_ns, init_ns, marker_ns, exit_ns;
	double guest_ms;	/* guest's CLOCK_BOOTTIME at /init; <0 none */
	int has_first, has_init, has_marker, is_timeout, status;
	char err_tail[512];	/* the VMM's last stderr bytes */
};

static const char boot_intro[] =
	"usage: bench boot [options] -- VMM [ARGS...]\n"
	"\n"
	"Boots a VM once per run: forks VMM ARGS (e.g. qemu-system-x86_64 ...\n"
	"with a kernel and an initramfs whose /init is bench guest, as\n"
	"bin/campaign builds them) with its console on standard output, and\n"
	"timestamps on the host (CLOCK_MONOTONIC, from just before fork):\n"
	"  first_output_ms  first byte on the console\n"
	"  guest_ms         the guest's own CLOCK_BOOTTIME at /init entry, as\n"
	"                   printed by bench guest (" PROTO_GUEST "):\n"
	"                   the guest kernel's boot\n"
	"  vmm_ms           host time until that line arrived, minus guest_ms:\n"
	"                   VMM start-up, firmware and kernel loading before the\n"
	"                   guest's clock started\n"
	"  total_ms         vmm_ms + guest_ms: host time to the guest's /init\n"
	"                   (fig_10 stacks vmm and guest to this total)\n"
	"  marker_ms        the line containing --marker\n"
	"  exit_ms          the VMM's exit (the guest powered off)\n"
	"All in ms, better lower. Check: each run must reach the marker and\n"
	"the VMM must exit with status 0 within --timeout; otherwise exit 1\n"
	"with the console's tail. Lines with " PROTO_MARK "EVIDENCE are copied to\n"
	"standard error (bin/campaign reads the accelerator evidence there).\n"
	"\n"
	"Example: bench boot --runs 10 --platform qemu-tcg -- \\\n"
	"           qemu-system-x86_64 -accel tcg -m 256M -nographic \\\n"
	"           -no-reboot -kernel vmlinux -initrd bench.cpio \\\n"
	"           -append 'console=ttyS0 quiet panic=-1'\n"
	"\n"
	"Options:\n";

enum boot_opt {
	BOOT_OPT_MARKER,
	BOOT_OPT_TIMEOUT
};

static const struct opt_spec boot_options[] = {
	{ BOOT_OPT_MARKER, 0, "marker", "STR",
	  "console text that ends the boot\n"
	  "(default: " PROTO_END ")" },
	{ BOOT_OPT_TIMEOUT, 0, "timeout", "S",
	  "kill the VMM after S seconds (default: 120)" },
	COMMON_VERSION_ROW,
};

static const char boot_exit_help[] =
	"\n"
	"Exit status: 0 success; 1 a boot failed, timed out or the VMM could\n"
	"not be run; 2 bad usage (no VMM after --), no row written.\n";

static const struct bench_doc boot_doc = {
	BOOT_CMD, boot_intro, OPT_TABLE(boot_options), 23,
	"Runs default to 5, warm-ups to 0.\n",
	boot_exit_help, 1, BENCH_OPERANDS_AFTER_DASHDASH
};

static int boot_option(void *ctx, int id, const char *name, const char *v,
		       struct diag *err)
{
	struct boot_opts *o = ctx;

	if (id == BOOT_OPT_TIMEOUT)
		return parse_double(err, name, v, 0.1, 1e5, &o->timeout_s);
	if (!v[0]) {
		diag_set(err, NULL, 0, "--marker must not be empty");
		return STATUS_BADINPUT;
	}
	o->marker = v;
	return 0;
}

/* 0 to go on, else the exit status (0 after --help). */
static int parse_opts(int argc, char **argv, struct bench_common *c,
		      struct boot_opts *o)
{
	int status;

	if (common_parse(c, &boot_doc, argc, argv, boot_option, o,
			 &o->vmm_argv, &status))
		return status ? status : -1;
	if (!o->vmm_argv || !o->vmm_argv[0])
		return usage_error(BOOT_CMD, "no VMM command: put it after "
				   "'--'");
	if (c->until_ci_pct > 0 && c->runs > 0)
		return usage_error(BOOT_CMD, "--runs and --until-ci exclude "
				   "each other");
	return 0;
}

static void vmm_child(char **vmm_argv, pid_t parent, int out_fd, int err_fd)
{
	int null_fd = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	vmm_child_bind(parent);
	signal(SIGINT, SIG_IGN);	/* bench decides when the VMM dies */
	if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
	    dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
		_exit(127);
	execvp(vmm_argv[0], vmm_argv);
	fprintf(stderr, "bench boot: cannot run '%s': %s\n", vmm_argv[0],
		strerror(errno));
	_exit(127);
}

/* A console line's time and where what it shows goes. */
struct console_line {
	const struct boot_opts *o;
	struct boot_times *t;
	uint64_t now;		/* ns since just before fork */
};

/* Look for the guest line, the evidence and the marker in one line. */
static void scan_line(void *ctx, char *line)
{
	struct console_line *c = ctx;
	char *p;

	if (!c->t->has_init && (p = strstr(line, PROTO_GUEST))) {
		c->t->has_init = 1;
		c->t->init_ns = c->now;
		c->t->guest_ms = strtod(p + strlen(PROTO_GUEST), NULL) / 1e6;
	}
	if ((p = strstr(line, PROTO_EVIDENCE)))
		fprintf(stderr, "bench boot: guest: %s\n", p);
	if (!c->t->has_marker && strstr(line, c->o->marker)) {
		c->t->has_marker = 1;
		c->t->marker_ns = c->now;
	}
}

static void keep_tail(struct boot_times *t, const char *data, size_t n)
{
	size_t have = strlen(t->err_tail), room = sizeof(t->err_tail) - 1;

	if (n >= room) {
		data += n - room;
		n = room;
	}
	if (have + n > room) {
		memmove(t->err_tail, t->err_tail + (have + n - room),
			room - n);
		have = room - n;
	}
	memcpy(t->err_tail + have, data, n);
	t->err_tail[have + n] = '\0';
}

/* Read the VMM's console and stderr until both close. */
static void watch(const struct boot_opts *o, struct boot_times *t, int out,
		  int err, pid_t pid, uint64_t t0)
{
	struct pollfd pfd[2] = { { out, POLLIN, 0 }, { err, POLLIN, 0 } };
	struct vmm_lines lines = { { 0 }, 0 };
	struct console_line line = { o, t, 0 };
	char chunk[4096];
	uint64_t now, deadline = t0 + (uint64_t)(o->timeout_s * 1e9);
	ssize_t n;

	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		poll(pfd, 2, 50);
		now = now_ns();
		if (pfd[0].fd >= 0 && pfd[0].revents) {
			n = read(out, chunk, sizeof(chunk));
			if (n <= 0 && !(n < 0 && errno == EINTR)) {
				pfd[0].fd = -1;
			} else if (n > 0) {
				if (!t->has_first) {
					t->has_first = 1;
					t->first_ns = now - t0;
				}
				keep_tail(t, chunk, (size_t)n);
				line.now = now - t0;
				vmm_lines_feed(&lines, chunk, (size_t)n,
					       scan_line, &line);
			}
		}
		if (pfd[1].fd >= 0 && pfd[1].revents) {
			n = read(err, chunk, sizeof(chunk));
			if (n <= 0 && !(n < 0 && errno == EINTR))
				pfd[1].fd = -1;
			else if (n > 0)
				keep_tail(t, chunk, (size_t)n);
		}
		if ((now > deadline || bench_interrupted) && !t->is_timeout) {
			t->is_timeout = !bench_interrupted;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
	}
}

/* One boot; 0, or -1 when the VMM could not be started. */
static int boot_once(const struct boot_opts *o, struct boot_times *t)
{
	int out[2], err[2];
	pid_t pid, me = getpid();
	uint64_t t0;

	memset(t, 0, sizeof(*t));
	t->guest_ms = -1;
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
		bench_error(BOOT_CMD, "pipe: %s", strerror(errno));
		return -1;
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		bench_error(BOOT_CMD, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		vmm_child(o->vmm_argv, me, out[1], err[1]);
	setpgid(pid, pid);
	close(out[1]);
	close(err[1]);
	watch(o, t, out[0], err[0], pid, t0);
	close(out[0]);
	close(err[0]);
	while (waitpid(pid, &t->status, 0) < 0 && errno == EINTR)
		;
	t->exit_ns = now_ns() - t0;
	kill(-pid, SIGKILL);
	return 0;
}

static int report_failure(const struct boot_opts *o,
			  const struct boot_times *t)
{
	if (bench_interrupted)
		return EXIT_INTERRUPTED;
	if (t->is_timeout)
		bench_error(BOOT_CMD, "no '%s' within %g s: VMM killed",
			    o->marker, o->timeout_s);
	else if (!t->has_marker)
		bench_error(BOOT_CMD, "the VMM exited (status %d) before "
			    "'%s'", WIFEXITED(t->status) ?
			    WEXITSTATUS(t->status) : 128 +
			    WTERMSIG(t->status), o->marker);
	else
		bench_error(BOOT_CMD, "the VMM exited with status %d after "
			    "the marker", WIFEXITED(t->status) ?
			    WEXITSTATUS(t->status) : 128 +
			    WTERMSIG(t->status));
	fprintf(stderr, "bench boot: console and VMM output (tail):\n%s\n",
		t->err_tail);
	return EXIT_RUNTIME;
}

static int boot_run(void *ctx, long run, struct rows *out,
		    double *main_metric)
{
	const struct boot_opts *o = ctx;
	struct boot_times t;
	double init_ms;

	if (boot_once(o, &t))
		return EXIT_RUNTIME;
	if (t.is_timeout || !t.has_marker || !WIFEXITED(t.status) ||
	    WEXITSTATUS(t.status) != 0)
		return report_failure(o, &t);
	init_ms = (double)t.init_ns / 1e6;
	*main_metric = t.has_init ? init_ms : (double)t.exit_ns / 1e6;
	if (!out)
		return 0;
	rows_add(out, "first_output_ms", (double)t.first_ns / 1e6, "ms", run,
		 "lower");
	if (t.has_init) {
		rows_add(out, "vmm_ms", init_ms - t.guest_ms, "ms", run,
			 "lower");
		rows_add(out, "guest_ms", t.guest_ms, "ms", run, "lower");
		rows_add(out, "total_ms", init_ms, "ms", run, "lower");
	}
	rows_add(out, "marker_ms", (double)t.marker_ns / 1e6, "ms", run,
		 "lower");
	if (rows_add(out, "exit_ms", (double)t.exit_ns / 1e6, "ms", run,
		     "lower"))
		return EXIT_RUNTIME;
	if (!t.has_init)
		fprintf(stderr, "bench boot: run %ld: no '%s' line from the "
			"guest: vmm_ms, guest_ms and total_ms not reported\n",
			run, PROTO_GUEST);
	return 0;
}

int cmd_boot(int argc, char **argv)
{
	struct boot_opts o = { PROTO_END, 120, NULL };
	struct bench_common c;
	int rc;

	common_init(&c);
	rc = parse_opts(argc, argv, &c, &o);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (common_checked(&c))
		return EXIT_OK;
	signal(SIGPIPE, SIG_IGN);
	return common_measure(&c, BOOT_CMD, "boot", BOOT_DEFAULT_RUNS, 0,
			      boot_run, &o, argc, argv);
}
