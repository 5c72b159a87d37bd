/*
 * memfloor: the smallest guest memory at which a VM still boots to its
 * marker (EuroSys'21 fig_11). Each trial is one 'bench boot --runs 1' of
 * the VMM command with {mem} replaced by the size (this very binary,
 * re-executed: one boot procedure, with its timeout and its
 * never-outlive-bench guarantee). Bisection assumes success is monotone
 * in memory; the boundary is then confirmed with repeats, because a boot
 * near its floor can fail at random (OOM while unpacking the initramfs).
 */
#define _GNU_SOURCE		/* pipe2 */
#include <errno.h>
#include <fcntl.h>
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

#define MF_CMD "memfloor"
#define MF_MAX_ARGS 512
#define MIB (1024.0 * 1024.0)

struct mf_opts {
	uint64_t low_mib, high_mib, step_mib;
	long repeats;
	const char *timeout;	/* passed to bench boot as given */
	const char *marker;
	char **vmm_argv;	/* borrowed, contains {mem} */
	int vmm_argc;
	int is_verbose;
	int has_evidence;	/* the guest's evidence line was relayed */
	long n_trials;		/* per run, for the rows */
};

static const char mf_intro[] =
	"usage: bench memfloor [options] -- VMM [ARGS...]\n"
	"\n"
	"Finds the smallest guest memory, in MiB and a multiple of --step, at\n"
	"which the VM still boots to its marker. ARGS must contain {mem}; each\n"
	"trial replaces it by e.g. '96M' and runs 'bench boot --runs 1' (the\n"
	"marker seen and the VMM exiting with status 0 within --timeout is a\n"
	"success). Bisection between --low and --high (which must succeed),\n"
	"then the boundary is confirmed: the floor must succeed --repeats\n"
	"times in a row (else it moves up one step) and one step below must\n"
	"fail at least once in --repeats trials (else it moves down).\n"
	"Rows per run: floor_mib (MiB, better lower) and trials (boots, lower).\n"
	"The first guest evidence line of each run (" PROTO_MARK "EVIDENCE) goes to\n"
	"standard error; --verbose shows every trial and bench boot's output.\n"
	"A guest short of memory may hang silently instead of failing: each\n"
	"such trial costs the whole --timeout.\n"
	"\n"
	"Example: bench memfloor --step 4M -- qemu-system-x86_64 -accel tcg \\\n"
	"           -m {mem} -nographic -no-reboot -kernel vmlinux \\\n"
	"           -initrd bench.cpio -append 'console=ttyS0 panic=-1'\n"
	"\n"
	"Options:\n";

enum mf_opt {
	MF_OPT_LOW,
	MF_OPT_HIGH,
	MF_OPT_STEP,
	MF_OPT_REPEATS,
	MF_OPT_TIMEOUT,
	MF_OPT_MARKER
};

static const struct opt_spec mf_options[] = {
	{ MF_OPT_LOW, 0, "low", "SIZE",
	  "smallest size tried (default: 16M)" },
	{ MF_OPT_HIGH, 0, "high", "SIZE",
	  "largest size, must boot (default: 1G)" },
	{ MF_OPT_STEP, 0, "step", "SIZE",
	  "resolution (default: 4M)" },
	{ MF_OPT_REPEATS, 0, "repeats", "N",
	  "trials at the boundary (default: 3)" },
	{ MF_OPT_TIMEOUT, 0, "timeout", "S",
	  "per boot, as bench boot's (default: 60)" },
	{ MF_OPT_MARKER, 0, "marker", "STR",
	  "as bench boot's (default: " PROTO_END ")" },
	COMMON_VERSION_ROW,
};

static const char mf_exit_help[] =
	"\n"
	"Exit status: 0 success; 1 the VM does not boot even at --high, or\n"
	"a trial could not be run; 2 bad usage (no {mem} in the VMM command,\n"
	"--low above --high), no row written.\n";

static const struct bench_doc mf_doc = {
	MF_CMD, mf_intro, OPT_TABLE(mf_options), 23,
	"Sizes are MiB, or take K, M, G suffixes (powers of 1024); whole MiB.\n"
	"Runs default to 1, warm-ups to 0.\n",
	mf_exit_help, 1, BENCH_OPERANDS_AFTER_DASHDASH
};

/* --low, --high, --step: MiB, or bytes with a suffix, whole MiB. */
static int parse_whole_mib(struct diag *err, const char *opt, const char *v,
			   uint64_t *mib)
{
	uint64_t bytes;

	if (parse_mib(err, opt, v, 1 << 20, (uint64_t)1 << 40, &bytes))
		return STATUS_BADINPUT;
	if (bytes % (1 << 20)) {
		diag_set(err, NULL, 0, "%s '%s' is not a whole number of MiB",
			 opt, v);
		return STATUS_BADINPUT;
	}
	*mib = bytes >> 20;
	return 0;
}

static int mf_option(void *ctx, int id, const char *name, const char *v,
		     struct diag *err)
{
	struct mf_opts *o = ctx;
	double t;

	switch ((enum mf_opt)id) {
	case MF_OPT_LOW: return parse_whole_mib(err, name, v, &o->low_mib);
	case MF_OPT_HIGH: return parse_whole_mib(err, name, v, &o->high_mib);
	case MF_OPT_STEP: return parse_whole_mib(err, name, v, &o->step_mib);
	case MF_OPT_REPEATS:
		return parse_long(err, name, v, 1, 100, &o->repeats);
	case MF_OPT_TIMEOUT:
		o->timeout = v;
		return parse_double(err, name, v, 0.1, 1e5, &t);
	case MF_OPT_MARKER: o->marker = v; return 0;
	}
	return 0;
}

static int check_vmm(struct mf_opts *o)
{
	int i, has_mem = 0;

	for (i = 0; o->vmm_argv && o->vmm_argv[i]; i++)
		has_mem |= strstr(o->vmm_argv[i], "{mem}") != NULL;
	o->vmm_argc = i;
	if (!i)
		return usage_error(MF_CMD, "no VMM command: put it after "
				   "'--'");
	if (i > MF_MAX_ARGS - 16)
		return usage_error(MF_CMD, "more than %d VMM arguments",
				   MF_MAX_ARGS - 16);
	if (!has_mem)
		return usage_error(MF_CMD, "the VMM command has no {mem} "
				   "placeholder (e.g. -m {mem})");
	if (o->low_mib > o->high_mib)
		return usage_error(MF_CMD, "--low is above --high");
	return 0;
}

/* 0 to go on, else the exit status (0 after --help). */
static int parse_opts(int argc, char **argv, struct bench_common *c,
		      struct mf_opts *o)
{
	int status;

	if (common_parse(c, &mf_doc, argc, argv, mf_option, o, &o->vmm_argv,
			 &status))
		return status ? status : -1;
	if (c->until_ci_pct > 0)
		return usage_error(MF_CMD, "--until-ci is not supported "
				   "(a floor is not a mean)");
	return check_vmm(o) ? EXIT_BADINPUT : 0;
}

/* argv[i] with every {mem} replaced by "<mib>M"; caller frees. */
static char *with_mem(const char *arg, uint64_t mib)
{
	char size[32], *out, *p;
	const char *at;
	size_t n = 1;

	snprintf(size, sizeof(size), "%lluM", (unsigned long long)mib);
	for (at = arg; *at; at++)
		n += !strncmp(at, "{mem}", 5) ? strlen(size) : 1;
	out = malloc(n);
	if (!out)
		return NULL;
	for (p = out, at = arg; *at;) {
		if (!strncmp(at, "{mem}", 5)) {
			p = stpcpy(p, size);
			at += 5;
		} else {
			*p++ = *at++;
		}
	}
	*p = '\0';
	return out;
}

static void trial_child(const struct mf_opts *o, uint64_t mib, pid_t parent,
			int err_fd)
{
	char *argv[MF_MAX_ARGS];
	int n = 0, i, fd = open("/dev/null", O_WRONLY);

	vmm_child_bind(parent);
	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
	    dup2(err_fd, STDERR_FILENO) < 0)
		_exit(127);
	argv[n++] = "bench";
	argv[n++] = "boot";
	argv[n++] = "--runs";
	argv[n++] = "1";
	argv[n++] = "--timeout";
	argv[n++] = (char *)o->timeout;
	argv[n++] = "--marker";
	argv[n++] = (char *)o->marker;
	argv[n++] = "--";
	for (i = 0; i < o->vmm_argc; i++)
		if (!(argv[n++] = with_mem(o->vmm_argv[i], mib)))
			_exit(127);
	argv[n] = NULL;
	execv("/proc/self/exe", argv);
	_exit(127);
}

/*
 * A trial's stderr: all of it with --verbose; else only the guest's
 * evidence line (bench boot copies it there), once per run, so that
 * bin/campaign sees which accelerator the boots had. A failing boot's
 * messages are expected here and stay quiet.
 */
static void relay_line(void *ctx, char *line)
{
	struct mf_opts *o = ctx;
	const char *evidence = strstr(line, PROTO_EVIDENCE);

	if (o->is_verbose) {
		fprintf(stderr, "%s\n", line);
	} else if (!o->has_evidence && evidence) {
		fprintf(stderr, "bench memfloor: guest: %s\n", evidence);
		o->has_evidence = 1;
	}
}

static void relay_stderr(struct mf_opts *o, int fd)
{
	struct vmm_lines lines = { { 0 }, 0 };
	char chunk[4096];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		vmm_lines_feed(&lines, chunk, (size_t)n, relay_line, o);
	}
}

/* One boot at mib: 1 booted, 0 did not, -1 could not run. */
static int trial(struct mf_opts *o, uint64_t mib)
{
	pid_t pid, me = getpid();
	int status, fds[2];

	if (bench_interrupted)
		return -1;
	o->n_trials++;
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0)
		trial_child(o, mib, me, fds[1]);
	close(fds[1]);
	relay_stderr(o, fds[0]);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (o->is_verbose)
		fprintf(stderr, "bench memfloor: %lluM: %s\n",
			(unsigned long long)mib, WIFEXITED(status) &&
			!WEXITSTATUS(status) ? "boots" : "fails");
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127 ||
	    WEXITSTATUS(status) == EXIT_BADINPUT ||
	    WEXITSTATUS(status) == EXIT_INTERRUPTED)
		return -1;
	return WEXITSTATUS(status) == 0;
}

/* Bisection: smallest step multiple in [lo, hi] that boots (hi does). */
static int bisect(struct mf_opts *o, uint64_t lo, uint64_t hi,
		  uint64_t *floor)
{
	uint64_t mid;
	int ok;

	while (hi - lo > o->step_mib) {
		mid = lo + (hi - lo) / 2 / o->step_mib * o->step_mib;
		if (mid == lo)
			mid += o->step_mib;
		ok = trial(o, mid);
		if (ok < 0)
			return -1;
		if (ok)
			hi = mid;
		else
			lo = mid;
	}
	*floor = hi;
	return 0;
}

/* Confirm the boundary with repeats: 0, or -1 when a trial failed to
 * run. Moves *floor up or down one step at a time. */
static int confirm(struct mf_opts *o, uint64_t *floor)
{
	long k;
	int ok = 1, moved_up = 0, r;

	for (;;) {
		for (k = 0, ok = 1; k < o->repeats && ok; k++)
			if ((r = trial(o, *floor)) < 0)
				return -1;
			else
				ok = r;
		if (!ok && *floor + o->step_mib <= o->high_mib) {
			*floor += o->step_mib;
			moved_up = 1;
			continue;
		}
		if (moved_up || *floor < o->low_mib + o->step_mib)
			return 0;
		for (k = 0, ok = 1; k < o->repeats && ok; k++)
			if ((r = trial(o, *floor - o->step_mib)) < 0)
				return -1;
			else
				ok = r;
		if (!ok)
			return 0;
		*floor -= o->step_mib;	/* below boots too: move down */
	}
}

static int mf_run(void *ctx, long run, struct rows *out, double *main_metric)
{
	struct mf_opts *o = ctx;
	uint64_t floor;
	int ok;

	o->n_trials = 0;
	o->has_evidence = 0;
	ok = trial(o, o->high_mib);
	if (ok == 0) {
		bench_error(MF_CMD, "the VM does not boot even with --high "
			    "%lluM (rerun with --verbose to see bench boot's "
			    "output)", (unsigned long long)o->high_mib);
		return EXIT_RUNTIME;
	}
	if (ok < 0 || (ok = trial(o, o->low_mib)) < 0)
		goto cannot;
	if (ok)
		floor = o->low_mib;
	else if (bisect(o, o->low_mib, o->high_mib, &floor))
		goto cannot;
	if (confirm(o, &floor))
		goto cannot;
	*main_metric = (double)floor;
	if (!out)
		return 0;
	if (floor == o->low_mib)
		fprintf(stderr, "bench memfloor: it boots at --low %lluM: the "
			"floor may be lower\n", (unsigned long long)floor);
	rows_add(out, "floor_mib", (double)floor, "MiB", run, "lower");
	return rows_add(out, "trials", (double)o->n_trials, "boots", run,
			"lower") ? EXIT_RUNTIME : 0;
cannot:
	if (bench_interrupted)
		return EXIT_INTERRUPTED;
	bench_error(MF_CMD, "a trial could not be run (bench boot: usage "
		    "error or exec failure; try --verbose)");
	return EXIT_RUNTIME;
}

int cmd_memfloor(int argc, char **argv)
{
	struct mf_opts o = { 16, 1024, 4, 3, "60", PROTO_END, NULL, 0, 0,
			     0, 0 };
	struct bench_common c;
	int rc;

	common_init(&c);
	rc = parse_opts(argc, argv, &c, &o);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (common_checked(&c))
		return EXIT_OK;
	o.is_verbose = c.is_verbose;
	return common_measure(&c, MF_CMD, "memfloor", 1, 0, mf_run, &o, argc,
			      argv);
}
