/*
 * vbench: the checks of a campaign that need the platforms it runs: host
 * and served benchmarks on platforms that can take them, two benchmarks
 * whose rows analyze could not tell apart, and the arguments of every
 * benchmark on every platform, asked of bench itself ('bench NAME --check
 * ARGS' parses and exits: 0 valid, 2 not, with bench's own message).
 */
#define _GNU_SOURCE		/* pipe2 */
#include "vbench.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "job.h"
#include "platform.h"
#include "run_priv.h"
#include "strbuf.h"
#include "util.h"
#include "vctx.h"
#include "xalloc.h"

/* A bench that does not answer --check in this time is broken. */
#define CHECK_TIMEOUT_S 10
/* A URL for checking a served benchmark's client options: the real one
 * exists only once the server runs. */
#define CHECK_URL "http://127.0.0.1:1/"

static struct platform *plat(struct vctx *v, const char *name)
{
	return platform_find((struct platform_set *)v->in->set, name);
}

/* ---- where each benchmark may run ------------------------------------ */

static void check_places(struct vctx *v, json_t *b, const char *bpath)
{
	const char *name = json_string_value(json_object_get(b, "name"));
	struct platform *p;
	char *path;
	size_t i;

	if (!strcmp(name, "guest") || !strcmp(name, "serve")) {
		path = xasprintf("%s.name", bpath);
		vctx_finding(v, path, "'%s' is not a benchmark: the launcher "
			     "runs bench %s itself (a served benchmark is "
			     "\"name\": \"http\" with \"serve\": SERVER)", name,
			     name);
		free(path);
		return;
	}
	for (i = 0; i < v->n_selected; i++) {
		p = plat(v, v->selected[i]);
		if (json_is_true(json_object_get(b, "host")) &&
		    p->kind != PLATFORM_VM) {
			path = xasprintf("%s.host", bpath);
			vctx_finding(v, path, "benchmark '%s' runs a VMM from "
				     "the host (\"host\": true), but platform "
				     "'%s' is not a VM: run it on VM platforms "
				     "only", name, p->name);
			free(path);
			return;
		}
		if (json_object_get(b, "serve") &&
		    (p->kind == PLATFORM_OCI || (p->kind == PLATFORM_VM &&
		     !json_is_array(json_object_get(p->def, "net"))))) {
			path = xasprintf("%s.serve", bpath);
			vctx_finding(v, path, "benchmark '%s' serves from "
				     "platform '%s', which has no way in (an "
				     "OCI runtime, or a VM without \"net\" in "
				     "%s)", name, p->name, p->file);
			free(path);
			return;
		}
	}
}

/* ---- benchmarks analyze could not tell apart ------------------------- */

/* The config column a benchmark gets on platform p. */
static const char *config_on(json_t *b, const char *p)
{
	json_t *c = json_object_get(json_object_get(b, "platform_config"), p);

	if (!c)
		c = json_object_get(b, "config");
	return json_is_string(c) ? json_string_value(c) : "";
}

static char *joined_words(json_t *b, const struct platform *p)
{
	struct bench_entry e;
	struct argvec w = { 0 };
	struct strbuf sb = { 0 };
	int i;

	job_entry(b, &e);
	job_words(&e, p, &w);
	for (i = 0; i < w.n; i++) {
		strbuf_addstr(&sb, w.v[i]);
		strbuf_add(&sb, "\x1f", 1);
	}
	av_free(&w);
	return sb.buf ? sb.buf : xstrdup("");
}

static void check_twins(struct vctx *v, json_t *list)
{
	json_t *a, *b;
	size_t i, j, k;
	char *pa, *pb, *wa, *wb;
	const char *name, *cfg;

	json_array_foreach(list, j, b)
		for (i = 0; i < j; i++) {
			if (v->bad_bench[i] || v->bad_bench[j])
				continue;
			a = json_array_get(list, i);
			name = json_string_value(json_object_get(b, "name"));
			if (strcmp(name, json_string_value(
					json_object_get(a, "name"))))
				continue;
			for (k = 0; k < v->n_selected; k++)
				if (!strcmp(config_on(a, v->selected[k]),
					    config_on(b, v->selected[k])))
					break;
			if (k == v->n_selected)
				continue;
			pa = xasprintf(".benchmarks[%zu]", i);
			pb = xasprintf(".benchmarks[%zu]", j);
			cfg = config_on(b, v->selected[k]);
			wa = joined_words(a, plat(v, v->selected[k]));
			wb = joined_words(b, plat(v, v->selected[k]));
			if (!strcmp(wa, wb))
				vctx_finding(v, pb, "benchmark '%s' repeats the "
					     "one on line %ld (same arguments "
					     "and config): raise "
					     "'repetitions' instead", name,
					     vctx_line(v, pa));
			else
				vctx_finding(v, pb, "benchmark '%s' has the "
					     "same config (%s%s%s) as the one "
					     "on line %ld on platform '%s': "
					     "analyze would pool their rows; "
					     "give each its own \"config\"",
					     name, cfg[0] ? "'" : "",
					     cfg[0] ? cfg : "none",
					     cfg[0] ? "'" : "",
					     vctx_line(v, pa), v->selected[k]);
			free(wa);
			free(wb);
			free(pa);
			free(pb);
			break;
		}
}

/* ---- bench --check --------------------------------------------------- */

/* Run argv with stderr into *err; its wait status, or -1 (why in err). */
static int run_capture(char *const *argv, struct strbuf *err)
{
	char buf[4096];
	int fds[2], null_fd, status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		null_fd = open("/dev/null", O_RDWR);
		if (null_fd >= 0) {
			dup2(null_fd, STDIN_FILENO);
			dup2(null_fd, STDOUT_FILENO);
		}
		dup2(fds[1], STDERR_FILENO);
		signal(SIGALRM, SIG_DFL);
		alarm(CHECK_TIMEOUT_S);
		execv(argv[0], argv);
		fprintf(stderr, "cannot run '%s': %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (err->len < 65536)
			strbuf_add(err, buf, (size_t)n);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

/* Where in the file the word bench complained about is: an item of
 * 'args' or of this platform's 'platform_args' equal to the first
 * quoted word of the message, else 'args', else the name. Caller frees. */
static char *blame(json_t *b, const char *bpath,
		   const char *platform, const char *msg)
{
	const char *q = strchr(msg, '\''), *e = q ? strchr(q + 1, '\'') : NULL;
	json_t *lists[2], *w;
	const char *names[2] = { "args", "platform_args" };
	size_t i, k, len = e ? (size_t)(e - q - 1) : 0;

	if (!strncmp(msg, "bench: unknown command", 22))
		return xasprintf("%s.name", bpath);
	lists[0] = json_object_get(b, "args");
	lists[1] = json_object_get(json_object_get(b, "platform_args"),
				   platform);
	for (k = 0; k < 2 && e; k++)
		json_array_foreach(lists[k], i, w)
			if (strlen(json_string_value(w)) == len &&
			    !strncmp(json_string_value(w), q + 1, len))
				return k ? xasprintf("%s.%s.%s[%zu]", bpath,
						     names[k], platform, i) :
				       xasprintf("%s.args[%zu]", bpath, i);
	if (lists[1] && !lists[0])
		return xasprintf("%s.platform_args.%s", bpath, platform);
	return xasprintf("%s.%s", bpath, lists[0] ? "args" : "name");
}

/* bench's two lines ("bench X: problem", "try 'bench X --help'") as one
 * finding: "bench X: problem (try 'bench X --help')". A line break
 * inside the problem (an argument holding one) is shown as \n. */
static void report(struct vctx *v, const char *path, char *text)
{
	char *try_at = strstr(text, "\ntry '"), *p, *second = NULL;
	struct strbuf msg = { 0 };

	if (try_at) {
		*try_at = '\0';
		second = try_at + 1;
		second[strcspn(second, "\n")] = '\0';
	}
	for (p = text; *p; p++)
		if (*p == '\n' && p[1])
			strbuf_addstr(&msg, "\\n");
		else if (*p != '\n')
			strbuf_add(&msg, p, 1);
	strbuf_add(&msg, "", 0);
	if (!strncmp(msg.buf, "bench: unknown command ", 23)) {
		/* "unknown benchmark 'x' (did you mean 'y'?; bench --help
		 * lists them)" */
		size_t len = strlen(msg.buf);
		int has_near = len > 2 && !strcmp(msg.buf + len - 2, "?)");

		vctx_finding(v, path, "unknown benchmark %.*s%s'bench --help' "
			     "lists them)", (int)(len - 23 - (has_near ? 1 : 0)),
			     msg.buf + 23, has_near ? "; " : " (");
	} else if (second) {
		vctx_finding(v, path, "%s (%s)", msg.buf, second);
	} else {
		vctx_finding(v, path, "%s", msg.buf);
	}
	strbuf_release(&msg);
}

/* word with each {mem} replaced by mem (caller frees). */
static char *with_mem(const char *word, const char *mem)
{
	struct strbuf sb = { 0 };
	const char *p;

	strbuf_add(&sb, "", 0);
	while ((p = strstr(word, "{mem}"))) {
		strbuf_add(&sb, word, (size_t)(p - word));
		strbuf_addstr(&sb, mem);
		word = p + 5;
	}
	strbuf_addstr(&sb, word);
	return sb.buf;
}

/* The words bench is asked about: bench NAME --check ARGS..., plus the
 * client's URL for a served benchmark and the VMM command for a host
 * one, with {mem} as the unit would have it (the other placeholders do
 * not matter to bench's parser). */
static void check_argv(struct vctx *v, json_t *b, const struct platform *p,
		       struct argvec *av)
{
	struct bench_entry e;
	struct argvec w = { 0 };
	json_t *cmd = json_object_get(p->def, "command"), *c;
	json_t *mem = json_object_get(json_object_get(b, "platform_memory"),
				      p->name);
	int is_kept = json_is_true(json_object_get(b, "keep_mem")), k;
	size_t i;
	char *s;

	if (!mem)
		mem = json_object_get(b, "memory");
	job_entry(b, &e);
	job_words(&e, p, &w);
	av_add(av, v->in->bench);
	av_add(av, w.v[0]);
	av_add(av, "--check");
	for (k = 1; k < w.n; k++)
		av_add(av, w.v[k]);
	av_free(&w);
	if (json_object_get(b, "serve"))
		av_add(av, CHECK_URL);
	if (!e.is_host)
		return;
	av_add(av, "--");
	json_array_foreach(cmd, i, c) {
		s = is_kept ? xstrdup(json_string_value(c)) :
		    with_mem(json_string_value(c), json_is_string(mem) ?
			     json_string_value(mem) : p->memory);
		av_add(av, s);
		free(s);
	}
}

/* Ask bench about benchmark b on platform p; when bench could not be
 * run at all, errs->is_runtime is set (a runtime failure, exit 1). */
static void ask_bench(struct vctx *v, json_t *b, const char *bpath,
		      const struct platform *p)
{
	struct argvec av = { 0 };
	struct strbuf err = { 0 };
	char *path;
	int st;

	check_argv(v, b, p, &av);
	st = run_capture(av.v, &err);
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		goto out;
	strbuf_add(&err, "", 0);
	path = blame(b, bpath, p->name, err.buf);
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 2) {
		report(v, path, err.buf);
	} else {
		char why[64];

		if (st < 0)
			snprintf(why, sizeof(why), "%s", strerror(errno));
		else if (WIFEXITED(st))
			snprintf(why, sizeof(why), "it exited with status %d",
				 WEXITSTATUS(st));
		else
			snprintf(why, sizeof(why), "it was killed by signal "
				 "%d", WTERMSIG(st));
		err.buf[strcspn(err.buf, "\n")] = '\0';
		vctx_finding(v, path, "cannot check the arguments with '%s "
			     "%s --check': %s%s%s", v->in->bench, av.v[1], why,
			     err.buf[0] ? ": " : "", err.buf);
		v->errs->is_runtime = 1;
	}
	free(path);
out:
	strbuf_release(&err);
	av_free(&av);
}

/* Whether benchmark b's words on platform p differ from its words
 * elsewhere in more than --platform (then bench is asked again). */
static int is_per_platform(json_t *b, const char *p)
{
	return json_is_true(json_object_get(b, "host")) ||
	       json_object_get(json_object_get(b, "platform_args"), p) ||
	       json_object_get(json_object_get(b, "platform_config"), p);
}

void vbench_check(struct vctx *v)
{
	json_t *list = json_object_get(v->root, "benchmarks"), *b;
	size_t i, k, before;
	int is_asked;
	char *bpath;

	json_array_foreach(list, i, b) {
		if (v->bad_bench[i])
			continue;
		bpath = xasprintf(".benchmarks[%zu]", i);
		before = v->errs->n;
		check_places(v, b, bpath);
		is_asked = 0;
		for (k = 0; v->in->bench && before == v->errs->n &&
		     !v->errs->is_runtime && k < v->n_selected; k++) {
			if (is_asked && !is_per_platform(b, v->selected[k]))
				continue;
			is_asked |= !is_per_platform(b, v->selected[k]);
			ask_bench(v, b, bpath, plat(v, v->selected[k]));
		}
		free(bpath);
	}
	check_twins(v, list);
}
