/*
 * time: run a command N times and report, per run, its wall-clock time
 * (real) and the user and system CPU time the kernel charged to it and its
 * waited-for descendants. This is how the source documents' "time
 * sha256sum /random.txt" is reproduced with repetitions, and what
 * hyperfine -N measures.
 *
 * The command is started with posix_spawnp(3) (no shell unless --shell), so
 * no shell start-up is included in real. Owns nothing beyond one call.
 */
#define _GNU_SOURCE		/* wait4() for the child's rusage */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"
#include "path.h"

extern char **environ;

#define TIME_CMD "time"
#define TIME_DEFAULT_RUNS 10
#define TIME_MAX_WORDS 256

struct time_opts {
	char **cmd;		/* the command words, borrowed from argv */
	int n_cmd;
	const char *prepare;	/* --prepare CMD, or NULL */
	int is_shell;
	int is_ignore_failure;
	int is_show_output;
};

/* What one repetition needs; every pointer is owned by cmd_time(). */
struct time_ctx {
	const struct time_opts *o;
	char **run_argv;	/* what is spawned and timed */
	char **prep_argv;	/* --prepare, split or wrapped; or NULL */
	int devnull;		/* /dev/null, stdin (and output) of children */
	int is_run_discarded;	/* an interrupt cut a run short */
};

static const char time_intro[] =
	"usage: bench time [options] [--] CMD [ARG...]\n"
	"\n"
	"Runs CMD with its arguments N times and reports per run:\n"
	"  real  wall-clock seconds from just before posix_spawnp(3) of CMD to\n"
	"        the return of wait4(2) (CLOCK_MONOTONIC);\n"
	"  user  user-mode CPU seconds of CMD and its waited-for children\n"
	"        (ru_utime of wait4's rusage);\n"
	"  sys   kernel-mode CPU seconds, likewise (ru_stime).\n"
	"Rows: benchmark 'time:<basename of CMD>', metrics real, user, sys,\n"
	"unit s, better lower. CMD is executed directly (no shell, PATH\n"
	"searched) with standard input from /dev/null. A non-zero exit status\n"
	"of CMD is an error. The --until-ci metric is real.\n"
	"\n"
	"Example: bench time --runs 5 --warmup 1 -- sha256sum big.file\n"
	"\n"
	"Options:\n";

enum time_opt {
	TIME_OPT_PREPARE,
	TIME_OPT_SHELL,
	TIME_OPT_IGNORE_FAILURE,
	TIME_OPT_SHOW_OUTPUT
};

static const struct opt_spec time_options[] = {
	{ TIME_OPT_PREPARE, 0, "prepare", "CMD",
	  "run CMD before every run (warm-ups included);\n"
	  "not timed; split into words at blanks with\n"
	  "'...', \"...\" and \\ quoting, or given to\n"
	  "/bin/sh -c with --shell; must exit 0" },
	{ TIME_OPT_SHELL, 0, "shell", NULL,
	  "run CMD (its words joined by spaces) and the\n"
	  "--prepare command with /bin/sh -c; real then\n"
	  "includes the shell's start-up" },
	{ TIME_OPT_IGNORE_FAILURE, 'i', "ignore-failure", NULL,
	  "accept a non-zero exit status of CMD" },
	{ TIME_OPT_SHOW_OUTPUT, 0, "show-output", NULL,
	  "pass CMD's standard output and error through\n"
	  "(default: both go to /dev/null)" },
	{ COMMON_OPT_RUNS, 0, "runs", "N",
	  "measured runs (default: 10)" },
	{ COMMON_OPT_WARMUP, 0, "warmup", "N",
	  "unrecorded runs before them (default: 0)" },
	COMMON_VERSION_ROW,
};

static const char time_exit_help[] =
	"\n"
	"Exit status: 0 success; 1 CMD or the --prepare command failed, or\n"
	"could not be started; 2 bad usage (CMD not found, bad option), no\n"
	"row written; 130 interrupted (finished runs kept).\n";

static const struct bench_doc time_doc = {
	TIME_CMD, time_intro, OPT_TABLE(time_options), 23,
	"",
	time_exit_help, 1, BENCH_OPERANDS_COMMAND
};

/*
 * Split s into words in place at blanks, honouring '...', "..." (with \"
 * and \\ inside) and \x outside quotes, like a POSIX shell without
 * expansions. Returns the number of words (argv[n] = NULL), or -1 with
 * an unterminated quote or more than max - 1 words.
 */
static int split_words(char *s, char **argv, int max)
{
	char *out = s;
	int n = 0;

	for (;;) {
		char quote = 0;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		if (n >= max - 1)
			return -1;
		argv[n++] = out;
		for (; *s && (quote || !strchr(" \t\n", *s)); s++) {
			if (!quote && (*s == '\'' || *s == '"')) {
				quote = *s;
			} else if (quote && *s == quote) {
				quote = 0;
			} else if (*s == '\\' && quote != '\'' && s[1] &&
				   (!quote || s[1] == '"' || s[1] == '\\')) {
				*out++ = *++s;
			} else {
				*out++ = *s;
			}
		}
		if (quote)
			return -1;
		if (*s)
			s++;
		*out++ = '\0';
	}
	argv[n] = NULL;
	return n;
}

/* Whether execvp(3) would find name. */
static int is_runnable(const char *name)
{
	char *path = path_search(name);
	int is_found = path != NULL;

	free(path);
	return is_found;
}

/* "time:" + the basename of the first word of the command. */
static void benchmark_name(const struct time_opts *o, char *buf,
			   size_t size)
{
	const char *w = o->cmd[0], *slash;
	size_t len;

	if (o->is_shell)
		w += strspn(w, " \t\n");
	len = o->is_shell ? strcspn(w, " \t\n;|&<>()") : strlen(w);
	slash = memrchr(w, '/', len);
	if (slash) {
		len -= (size_t)(slash + 1 - w);
		w = slash + 1;
	}
	snprintf(buf, size, "time:%.*s", (int)len, w);
}

/* Kill the child and reap it; used when bench itself is interrupted. */
static void reap_interrupted(pid_t pid)
{
	kill(pid, SIGTERM);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/*
 * Spawn argv (stdin from /dev/null; output to /dev/null unless shown) and
 * wait for it. Returns 0 with *status, *real_ns and *ru filled; -1 if it
 * could not be started (message printed); EXIT_INTERRUPTED if bench
 * was interrupted meanwhile (the child is killed and reaped).
 */
static int spawn_wait(const struct time_ctx *t, char **argv, int *status,
		      uint64_t *real_ns, struct rusage *ru)
{
	posix_spawn_file_actions_t fa;
	uint64_t start;
	pid_t pid;
	int err;

	if (posix_spawn_file_actions_init(&fa)) {
		bench_error(TIME_CMD, "out of memory");
		return -1;
	}
	err = posix_spawn_file_actions_adddup2(&fa, t->devnull, 0);
	if (!err && !t->o->is_show_output)
		err = posix_spawn_file_actions_adddup2(&fa, t->devnull, 1);
	if (!err && !t->o->is_show_output)
		err = posix_spawn_file_actions_adddup2(&fa, t->devnull, 2);
	start = now_ns();
	if (!err)
		err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		bench_error(TIME_CMD, "cannot run '%s': %s", argv[0],
			    strerror(err));
		return -1;
	}
	while (wait4(pid, status, 0, ru) < 0) {
		if (errno != EINTR) {
			bench_error(TIME_CMD, "wait4: %s", strerror(errno));
			return -1;
		}
		if (bench_interrupted) {
			reap_interrupted(pid);
			return EXIT_INTERRUPTED;
		}
	}
	*real_ns = now_ns() - start;
	return 0;
}

/* Explain a failed wait status of what; returns 1 when it is a failure. */
static int is_failure(const char *what, const char *name, int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		bench_error(TIME_CMD, "%s '%s' exited with status %d (see its "
			    "output with --show-output%s)", what, name,
			    WEXITSTATUS(status), strcmp(what, "command") ? "" :
			    ", accept it with --ignore-failure");
	else
		bench_error(TIME_CMD, "%s '%s' was killed by signal %d (%s)",
			    what, name, WTERMSIG(status),
			    strsignal(WTERMSIG(status)));
	return 1;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* The exit status for spawn_wait's rc; notes a discarded run. */
static int time_stop(struct time_ctx *t, int rc)
{
	if (rc == EXIT_INTERRUPTED)
		t->is_run_discarded = 1;
	return rc < 0 ? EXIT_RUNTIME : rc;
}

/* One repetition (bench_run_fn): prepare, then the timed command. */
static int time_run(void *ctx, long run, struct rows *out,
		    double *main_metric)
{
	struct time_ctx *t = ctx;
	struct rusage ru;
	uint64_t real_ns;
	int status, rc;

	if (t->prep_argv) {
		rc = spawn_wait(t, t->prep_argv, &status, &real_ns, &ru);
		if (rc)
			return time_stop(t, rc);
		if (is_failure("prepare command", t->o->prepare, status))
			return EXIT_RUNTIME;
	}
	rc = spawn_wait(t, t->run_argv, &status, &real_ns, &ru);
	if (rc)
		return time_stop(t, rc);
	if (bench_interrupted && WIFSIGNALED(status))
		return time_stop(t, EXIT_INTERRUPTED); /* Ctrl-C hit it */
	if (!t->o->is_ignore_failure &&
	    is_failure("command", t->o->cmd[0], status))
		return EXIT_RUNTIME;
	*main_metric = (double)real_ns / 1e9;
	if (!out)
		return EXIT_OK;
	if (rows_add(out, "real", (double)real_ns / 1e9, "s", run, "lower") ||
	    rows_add(out, "user", tv_s(ru.ru_utime), "s", run, "lower") ||
	    rows_add(out, "sys", tv_s(ru.ru_stime), "s", run, "lower"))
		return EXIT_RUNTIME;
	return EXIT_OK;
}

/* Parse options up to "--" or the first word that is not an option.
 * Returns 0, 1 after --help, or -1 after a usage error. */
static int time_option(void *ctx, int id, const char *name, const char *v,
		       struct diag *err)
{
	struct time_opts *o = ctx;

	(void)name;
	(void)err;
	switch ((enum time_opt)id) {
	case TIME_OPT_PREPARE: o->prepare = v; break;
	case TIME_OPT_SHELL: o->is_shell = 1; break;
	case TIME_OPT_IGNORE_FAILURE: o->is_ignore_failure = 1; break;
	case TIME_OPT_SHOW_OUTPUT: o->is_show_output = 1; break;
	}
	return 0;
}

static int parse_options(int argc, char **argv, struct bench_common *c,
			 struct time_opts *o)
{
	int status;

	if (common_parse(c, &time_doc, argc, argv, time_option, o, &o->cmd,
			 &status))
		return status ? -1 : 1;
	o->n_cmd = o->cmd ? argc - (int)(o->cmd - argv) : 0;
	if (o->n_cmd == 0) {
		usage_error(TIME_CMD, "no command given (bench time -- CMD "
			    "[ARG...])");
		return -1;
	}
	return 0;
}

/* Join words with single spaces into a new string (caller frees). */
static char *join_words(char **words, int n)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, words[i]);
	}
	return s;
}

/*
 * Build the argv vectors into t, using shell_cmd and prep_words (caller
 * storage: shell_cmd is set to a malloc'd string the caller frees).
 * Returns 0, or an exit status after printing why.
 */
static int build_argv(struct time_ctx *t, char **shell_cmd, char *prep_copy,
		      char **sh_run, char **sh_prep, char **prep_words)
{
	const struct time_opts *o = t->o;

	t->run_argv = o->cmd;
	if (o->is_shell) {
		if (!(*shell_cmd = join_words(o->cmd, o->n_cmd))) {
			bench_error(TIME_CMD, "out of memory");
			return EXIT_RUNTIME;
		}
		sh_run[0] = "/bin/sh";
		sh_run[1] = "-c";
		sh_run[2] = *shell_cmd;
		sh_run[3] = NULL;
		t->run_argv = sh_run;
	}
	if (!o->prepare)
		return EXIT_OK;
	if (o->is_shell) {
		sh_prep[0] = "/bin/sh";
		sh_prep[1] = "-c";
		sh_prep[2] = prep_copy;
		sh_prep[3] = NULL;
		t->prep_argv = sh_prep;
		return EXIT_OK;
	}
	if (split_words(prep_copy, prep_words, TIME_MAX_WORDS) <= 0)
		return usage_error(TIME_CMD, "--prepare '%s' is empty, has an "
				   "unterminated quote or more than %d words",
				   o->prepare, TIME_MAX_WORDS - 1);
	t->prep_argv = prep_words;
	return EXIT_OK;
}

/* Everything that can be checked before the first row. */
static int validate(const struct time_ctx *t)
{
	if (!is_runnable(t->run_argv[0]))
		return usage_error(TIME_CMD, "command '%s' not found or not "
				   "executable%s", t->run_argv[0],
				   t->o->is_shell ? "" : " (a shell command "
				   "line needs --shell)");
	if (t->prep_argv && !is_runnable(t->prep_argv[0]))
		return usage_error(TIME_CMD, "--prepare command '%s' not found "
				   "or not executable", t->prep_argv[0]);
	return EXIT_OK;
}

int cmd_time(int argc, char **argv)
{
	struct bench_common c;
	struct time_opts o = { 0 };
	struct time_ctx t = { 0 };
	char *sh_run[4], *sh_prep[4], *prep_words[TIME_MAX_WORDS];
	char *shell_cmd = NULL, *prep_copy = NULL, name[64];
	struct rows rows;
	int rc;

	common_init(&c);
	rc = parse_options(argc, argv, &c, &o);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_BADINPUT;
	t.o = &o;
	t.devnull = -1;
	if (o.prepare && !(prep_copy = strdup(o.prepare))) {
		bench_error(TIME_CMD, "out of memory");
		return EXIT_RUNTIME;
	}
	rc = build_argv(&t, &shell_cmd, prep_copy, sh_run, sh_prep,
			prep_words);
	if (!rc && common_checked(&c))
		goto done;
	if (!rc)
		rc = validate(&t);
	if (rc)
		goto done;
	t.devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (t.devnull < 0) {
		bench_error(TIME_CMD, "cannot open /dev/null: %s (is devtmpfs "
			    "mounted?)", strerror(errno));
		rc = EXIT_RUNTIME;
		goto done;
	}
	benchmark_name(&o, name, sizeof(name));
	if (rows_open(&rows, TIME_CMD, name, &c)) {
		rc = EXIT_RUNTIME;
		goto done;
	}
	rc = common_repeat(&c, TIME_CMD, TIME_DEFAULT_RUNS, 0, time_run, &t,
			   &rows);
	if (t.is_run_discarded)
		bench_error(TIME_CMD, "interrupted: the run in progress was "
			    "discarded, %lu rows of finished runs kept",
			    rows.n_rows);
	if (rows_close(&rows, argc, argv) && !rc)
		rc = EXIT_RUNTIME;
done:
	if (t.devnull >= 0)
		close(t.devnull);
	free(shell_cmd);
	free(prep_copy);
	return rc;
}
