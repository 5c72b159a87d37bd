/*
 * forksum: the course's process-creation benchmark. The sum of the
 * integers in [a, b] is computed by a binary tree of processes: a process
 * given a range of more than one number splits it at its middle, forks a
 * child for each half, reads the two partial sums from pipes (never exit
 * codes, which hold 8 bits) and reaps both; a process given one number
 * returns it. Every process calls getppid() (a real system call, and a
 * check: it must name the process that forked it). A range of N numbers
 * costs 2N - 2 forks. --threads builds the same tree out of threads, for
 * platforms without fork (Rump, unikernels).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"

#define FORKSUM_CMD "forksum"
#define FORKSUM_MAX_ABS (1LL << 40)
#define FORKSUM_MAX_COUNT (1LL << 20)
#define FORKSUM_STACK_BYTES (64 * 1024)

/* Failure codes carried up the tree besides errno values. */
enum forksum_err {
	FORKSUM_OK = 0,
	FORKSUM_BAD_PPID = -1,	/* getppid() named another process */
	FORKSUM_LOST = -2	/* a child ended without sending a result */
};

struct forksum_result {
	int64_t sum;
	int32_t err;		/* enum forksum_err, or an errno value */
	int32_t is_thread;	/* err came from pthread_create, not fork */
};

struct forksum_opts {
	long long from, to;
	int is_threads;
};

/* One node of the thread tree: its range in, its result out. */
struct forksum_task {
	long long a, b;
	pid_t expected_ppid;
	struct forksum_result res;	/* OUT */
};

static const char forksum_intro[] =
	"usage: bench forksum [--from A] [--to B] [--threads] "
	"[common options]\n"
	"\n"
	"Seconds (CLOCK_MONOTONIC) to sum the integers in [A, B] with a tree of\n"
	"processes: a process given more than one number splits the range at\n"
	"its middle and forks two children for the halves, then reads their\n"
	"sums from pipes and reaps them; a process given one number sends it\n"
	"back. Each process calls getppid(), which must name its parent. N\n"
	"numbers take 2N - 1 processes (2N - 2 forks), up to 2N - 1 alive at\n"
	"once. One row per run: metric seconds, unit s, better lower. The sum\n"
	"is checked against N (A + B) / 2. The course measured ~2.7 s natively\n"
	"and ~36 s under QEMU for its own range.\n"
	"\n"
	"Example: bench forksum --to 8192 --runs 10 -o forksum.csv\n"
	"\n"
	"Options:\n";

enum forksum_opt {
	FORKSUM_OPT_FROM,
	FORKSUM_OPT_TO,
	FORKSUM_OPT_THREADS
};

static const struct opt_spec forksum_options[] = {
	{ FORKSUM_OPT_FROM, 0, "from", "A",
	  "first integer (default: 1)" },
	{ FORKSUM_OPT_TO, 0, "to", "B",
	  "last integer, B - A < 2^20, |A|, |B| <= 2^40\n"
	  "(default: 4096)" },
	{ FORKSUM_OPT_THREADS, 0, "threads", NULL,
	  "build the tree from threads (pthread_create,\n"
	  "64 KiB stacks) instead of processes; sets config\n"
	  "to threads unless --config is given" },
	COMMON_VERSION_ROW,
};

static const char forksum_exit_help[] =
	"\n"
	"Exit status: 0 success, 1 fork or thread creation failed (limit on\n"
	"processes or memory) or the sum was wrong, 2 bad usage (no rows\n"
	"written), 130 interrupted (finished rows kept).\n";

static const struct bench_doc forksum_doc = {
	FORKSUM_CMD, forksum_intro, OPT_TABLE(forksum_options), 23,
	"Runs default to 5, warm-ups to 1.\n",
	forksum_exit_help, 1, BENCH_OPERANDS_NONE
};

/* ---- the process tree ---------------------------------------------------- */

static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read one result; a short read means the child died without sending. */
static void read_result(int fd, struct forksum_result *r)
{
	char *p = (char *)r;
	size_t len = sizeof(*r);

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			memset(r, 0, sizeof(*r));
			r->err = FORKSUM_LOST;
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static void fork_node(long long a, long long b, int up_fd,
		      struct forksum_result *res);

/*
 * Fork a child for [a, b]. The child keeps only the write end of its own
 * pipe: the parent's up_fd and the sibling's read end (keep_out) are
 * closed, so a dead child shows as EOF. Returns the read end, or -1 with
 * res->err set.
 */
static int spawn(long long a, long long b, int up_fd, int keep_out,
		 pid_t *pid, struct forksum_result *res)
{
	struct forksum_result mine;
	pid_t parent = getpid();
	int fds[2];

	if (pipe(fds)) {
		res->err = errno;
		return -1;
	}
	*pid = fork();
	if (*pid < 0) {
		res->err = errno;
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (*pid > 0) {
		close(fds[1]);
		return fds[0];
	}
	close(fds[0]);
	if (up_fd >= 0)
		close(up_fd);
	if (keep_out >= 0)
		close(keep_out);
	memset(&mine, 0, sizeof(mine));
	if (getppid() != parent)
		mine.err = FORKSUM_BAD_PPID;
	else
		fork_node(a, b, fds[1], &mine);
	/* _exit: no atexit handlers or stdio flushes of the parent's state. */
	_exit(write_full(fds[1], &mine, sizeof(mine)) ? 1 : 0);
}

/* Keep the first failure seen; add the sums. */
static void combine(struct forksum_result *res,
		    const struct forksum_result *part)
{
	if (!res->err && part->err) {
		res->err = part->err;
		res->is_thread = part->is_thread;
	}
	res->sum += part->sum;
}

/* The node for [a, b]; up_fd is this process's pipe to its parent. */
static void fork_node(long long a, long long b, int up_fd,
		      struct forksum_result *res)
{
	long long mid = a + (b - a) / 2;
	struct forksum_result part[2];
	pid_t pid[2];
	int fd[2];

	if (a == b) {
		res->sum = a;
		return;
	}
	memset(part, 0, sizeof(part));
	fd[0] = spawn(a, mid, up_fd, -1, &pid[0], &part[0]);
	fd[1] = fd[0] < 0 ? -1 :
		spawn(mid + 1, b, up_fd, fd[0], &pid[1], &part[1]);
	for (int i = 0; i < 2; i++) {
		if (fd[i] >= 0) {
			read_result(fd[i], &part[i]);
			close(fd[i]);
			reap(pid[i]);
		}
		combine(res, &part[i]);
	}
}

/* ---- the thread tree ----------------------------------------------------- */

static void *thread_node(void *arg)
{
	struct forksum_task *t = arg, kids[2];
	long long mid = t->a + (t->b - t->a) / 2;
	pthread_attr_t attr;
	pthread_t tid[2];
	int started[2] = { 0, 0 }, err;

	if (getppid() != t->expected_ppid) {
		t->res.err = FORKSUM_BAD_PPID;
		return NULL;
	}
	if (t->a == t->b) {
		t->res.sum = t->a;
		return NULL;
	}
	memset(kids, 0, sizeof(kids));
	kids[0].a = t->a;
	kids[0].b = mid;
	kids[1].a = mid + 1;
	kids[1].b = t->b;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, FORKSUM_STACK_BYTES);
	for (int i = 0; i < 2; i++) {
		kids[i].expected_ppid = t->expected_ppid;
		err = pthread_create(&tid[i], &attr, thread_node, &kids[i]);
		if (err) {
			kids[i].res.err = err;
			kids[i].res.is_thread = 1;
			break;
		}
		started[i] = 1;
	}
	pthread_attr_destroy(&attr);
	for (int i = 0; i < 2; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		combine(&t->res, &kids[i].res);
	}
	return NULL;
}

/* ---- runs ---------------------------------------------------------------- */

static int report_failure(const struct forksum_opts *o,
			  const struct forksum_result *r)
{
	long long count = o->to - o->from + 1;

	if (r->err == FORKSUM_BAD_PPID)
		bench_error(FORKSUM_CMD, "getppid() did not return the "
			    "parent's process id");
	else if (r->err == FORKSUM_LOST)
		bench_error(FORKSUM_CMD, "a child process ended without "
			    "sending its sum");
	else
		bench_error(FORKSUM_CMD, "%s failed: %s (%lld numbers need "
			    "%lld %s; lower --to or raise the limit)",
			    r->is_thread ? "pthread_create" : "fork",
			    strerror(r->err), count, 2 * count - 1,
			    r->is_thread ? "threads" : "processes");
	return EXIT_RUNTIME;
}

static int forksum_run(void *ctx, long run, struct rows *out,
		       double *main_metric)
{
	const struct forksum_opts *o = ctx;
	long long count = o->to - o->from + 1;
	long long want = count * (o->from + o->to) / 2;
	struct forksum_task root;
	uint64_t t0, t1;

	memset(&root, 0, sizeof(root));
	root.a = o->from;
	root.b = o->to;
	t0 = now_ns();
	root.expected_ppid = getppid();
	if (o->is_threads)
		thread_node(&root);
	else
		fork_node(o->from, o->to, -1, &root.res);
	t1 = now_ns();
	if (root.res.err)
		return report_failure(o, &root.res);
	if (root.res.sum != want) {
		bench_error(FORKSUM_CMD, "the tree summed [%lld, %lld] to "
			    "%lld, expected %lld", o->from, o->to,
			    (long long)root.res.sum, want);
		return EXIT_RUNTIME;
	}
	*main_metric = (double)(t1 - t0) * 1e-9;
	if (out && rows_add(out, "seconds", *main_metric, "s", run, "lower"))
		return EXIT_RUNTIME;
	return EXIT_OK;
}

/* ---- options ------------------------------------------------------------- */

static int forksum_option(void *ctx, int id, const char *name,
			  const char *v, struct diag *err)
{
	struct forksum_opts *o = ctx;
	long n;

	if (id == FORKSUM_OPT_THREADS) {
		o->is_threads = 1;
		return 0;
	}
	if (parse_long(err, name, v, -FORKSUM_MAX_ABS, FORKSUM_MAX_ABS, &n))
		return STATUS_BADINPUT;
	*(id == FORKSUM_OPT_FROM ? &o->from : &o->to) = n;
	return 0;
}

/* Returns -1 to go on, else the exit status (0 after --help). */
static int forksum_parse(int argc, char **argv, struct bench_common *c,
			 struct forksum_opts *o)
{
	int status;

	o->from = 1;
	o->to = 4096;
	o->is_threads = 0;
	if (common_parse(c, &forksum_doc, argc, argv, forksum_option, o, NULL,
			 &status))
		return status;
	if (o->to < o->from)
		return usage_error(FORKSUM_CMD, "--to %lld is below --from "
				   "%lld", o->to, o->from);
	if (o->to - o->from + 1 > FORKSUM_MAX_COUNT)
		return usage_error(FORKSUM_CMD, "[%lld, %lld] holds more than "
				   "2^20 numbers", o->from, o->to);
	if (o->is_threads && !*c->config)
		c->config = "threads";
	return -1;
}

int cmd_forksum(int argc, char **argv)
{
	struct bench_common c;
	struct forksum_opts o;
	int status;

	common_init(&c);
	status = forksum_parse(argc, argv, &c, &o);
	if (status >= 0)
		return status;
	if (common_checked(&c))
		return EXIT_OK;
	return common_measure(&c, FORKSUM_CMD, "forksum", 5, 1, forksum_run,
			      &o, argc, argv);
}
