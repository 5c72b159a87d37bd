/*
 * slurm: 'campaign submit' (see slurm.h). The campaign is checked here as
 * 'run' checks it, but whether a platform can run is left to the nodes:
 * the submitting host (a login node) need not have QEMU or KVM.
 *
 * sbatch is run, not reimplemented: --array for the tasks, --exclusive so
 * that a node runs one task (hence one unit) at a time, --output into the
 * shared directory, and the site's own options (partition, time,
 * account, constraint, qos, anything else) from the campaign's "slurm"
 * object or the command line.
 */
#define _GNU_SOURCE		/* pipe2 */
#include "slurm.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
#include "diag.h"
#include "image.h"
#include "path.h"
#include "platform.h"
#include "resume.h"
#include "run.h"
#include "server.h"
#include "shards.h"
#include "strbuf.h"
#include "util.h"
#include "validate.h"
#include "verrs.h"
#include "xalloc.h"

/* ---- the campaign ---------------------------------------------------- */

/* Check the campaign as 'run' does; 0 with *json, or an exit status. */
static int check_campaign(const struct run_options *o, json_t **json,
			  char **platforms_dir, char **servers_dir)
{
	struct platform_set set;
	struct vinput in;
	struct verrs errs;
	struct diag err = { 0 };
	int rc = 0;

	*platforms_dir = o->platforms_dir ? xstrdup(o->platforms_dir) :
			 platform_default_dir(o->argv[0]);
	*servers_dir = server_default_dir(*platforms_dir);
	if (platform_load_dir(*platforms_dir, &set, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return EXIT_BADINPUT;
	}
	in = (struct vinput){ o->campaign_file, &set, o->only_platforms,
			      o->bench, *servers_dir };
	if (validate_campaign(&in, json, &errs)) {
		verrs_print(&errs, stderr);
		rc = errs.is_runtime ? EXIT_RUNTIME :
		     EXIT_BADINPUT;
		verrs_release(&errs);
	}
	platform_set_release(&set);
	return rc;
}

/* A setting: the command line's, else the campaign's "slurm" one. */
static const char *setting(json_t *campaign, const char *cli,
			   const char *key)
{
	return cli ? cli : json_string_value(json_object_get(
		json_object_get(campaign, "slurm"), key));
}

static long task_count(json_t *c, const struct slurm_options *s)
{
	json_t *t = json_object_get(json_object_get(c, "slurm"), "tasks");
	json_t *r = json_object_get(c, "repetitions");
	long reps = json_is_integer(r) ? (long)json_integer_value(r) : 1;
	long n = s->tasks ? s->tasks : json_is_integer(t) ?
		 (long)json_integer_value(t) : reps;

	return n < reps ? n : reps;
}

/* ---- staging --------------------------------------------------------- */

static int copy_file(const char *src, const char *dst, mode_t mode)
{
	size_t len = 0;
	char *data = image_read_file(src, &len);
	int rc = data ? atomic_write_file(dst, data, len) : -1;

	if (!rc)
		rc = chmod(dst, mode);
	if (rc)
		fprintf(stderr, "campaign: cannot copy '%s' to '%s': %s\n",
			src, dst, strerror(errno));
	free(data);
	return rc;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	fprintf(stderr, "campaign: cannot create '%s': %s\n", path,
		strerror(errno));
	return -1;
}

/* Every *.json of src into dst. */
static int copy_json_dir(const char *src, const char *dst)
{
	DIR *d = opendir(src);
	struct dirent *e;
	char *from, *to;
	size_t len;
	int rc = make_dir(dst);

	while (!rc && d && (e = readdir(d))) {
		len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 6 ||
		    strcmp(e->d_name + len - 5, ".json"))
			continue;
		from = xasprintf("%s/%s", src, e->d_name);
		to = xasprintf("%s/%s", dst, e->d_name);
		rc = copy_file(from, to, 0644);
		free(from);
		free(to);
	}
	if (d)
		closedir(d);
	return rc;
}

/* stage/: bench (static: it runs on any node), this launcher (the
 * nodes need jansson and libarchive, as a cluster's shared software
 * does), the definitions; images are built on each node, for its own
 * kernel. */
static int stage(const char *dir, const struct run_options *o,
		 const char *platforms_dir, const char *servers_dir)
{
	char *p[6];
	int rc, i;

	p[0] = xasprintf("%s/stage", dir);
	p[1] = xasprintf("%s/stage/bin", dir);
	p[2] = xasprintf("%s/stage/runners", dir);
	p[3] = xasprintf("%s/stage/bin/bench", dir);
	p[4] = xasprintf("%s/stage/bin/campaign", dir);
	p[5] = xasprintf("%s/logs", dir);
	rc = make_dir(p[0]) || make_dir(p[1]) || make_dir(p[2]) ||
	     make_dir(p[5]) || copy_file(o->bench, p[3], 0755) ||
	     copy_file("/proc/self/exe", p[4], 0755);
	free(p[3]);
	free(p[4]);
	p[3] = xasprintf("%s/stage/runners/platforms", dir);
	p[4] = xasprintf("%s/stage/runners/servers", dir);
	if (!rc)
		rc = copy_json_dir(platforms_dir, p[3]);
	if (!rc && access(servers_dir, R_OK) == 0)
		rc = copy_json_dir(servers_dir, p[4]);
	for (i = 0; i < 6; i++)
		free(p[i]);
	return rc ? -1 : 0;
}

/* ---- the batch script ------------------------------------------------ */

/* s in single quotes for sh ('\'' for a quote). */
static void sh_quote(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, "'", 1);
	for (; *s; s++)
		if (*s == '\'')
			strbuf_addstr(sb, "'\\''");
		else
			strbuf_add(sb, s, 1);
	strbuf_add(sb, "'", 1);
}

static void add_arg(struct strbuf *sb, const char *opt, const char *v)
{
	strbuf_addstr(sb, " \\\n    ");
	strbuf_addstr(sb, opt);
	if (v) {
		strbuf_add(sb, " ", 1);
		sh_quote(sb, v);
	}
}

static int write_job(const char *dir, const struct run_options *o,
		     const char *names, long tasks, const char *name)
{
	struct strbuf sb = { 0 };
	char *path, *p, n[32];
	int rc, k;

	strbuf_addstr(&sb, "#!/bin/sh\n# Written by 'campaign submit' for the "
		"campaign '");
	strbuf_addstr(&sb, name);
	strbuf_addstr(&sb, "'. Slurm array task K runs\n# the repetitions r with "
		"r mod N = K into shard-K.csv; a task run again\n# continues "
		"its shard (--resume).\nk=${SLURM_ARRAY_TASK_ID:?run this as "
		"a task of a Slurm job array}\nexec ");
	p = xasprintf("%s/stage/bin/campaign", dir);
	sh_quote(&sb, p);
	free(p);
	strbuf_addstr(&sb, " run");
	p = xasprintf("%s/campaign.json", dir);
	strbuf_addstr(&sb, " \\\n    ");
	sh_quote(&sb, p);
	free(p);
	snprintf(n, sizeof(n), "\"$k\"/%ld", tasks);
	add_arg(&sb, "--slice", NULL);
	strbuf_addstr(&sb, " ");
	strbuf_addstr(&sb, n);
	add_arg(&sb, "--resume", NULL);
	p = xasprintf("%s/shard-", dir);
	add_arg(&sb, "-o", p);
	strbuf_addstr(&sb, "\"$k\".csv");
	free(p);
	add_arg(&sb, "--platforms", names);
	p = xasprintf("%s/stage/runners/platforms", dir);
	add_arg(&sb, "--platforms-dir", p);
	free(p);
	if (o->skip_unavailable)
		add_arg(&sb, "--skip-unavailable", NULL);
	if (o->kernel)
		add_arg(&sb, "--kernel", o->kernel);
	for (k = 0; k < o->n_with; k++)
		add_arg(&sb, "--with", o->with[k]);
	if (o->timeout_s > 0) {
		snprintf(n, sizeof(n), "%g", o->timeout_s);
		add_arg(&sb, "--timeout", n);
	}
	strbuf_addstr(&sb, "\n");
	path = xasprintf("%s/job.sh", dir);
	rc = atomic_write_file(path, sb.buf, sb.len) || chmod(path, 0755);
	if (rc)
		fprintf(stderr, "campaign: cannot write '%s': %s\n", path,
			strerror(errno));
	free(path);
	strbuf_release(&sb);
	return rc ? -1 : 0;
}

/* ---- sbatch ---------------------------------------------------------- */

/* argv's standard output into *out (its errors pass through); the wait
 * status, or -1. */
static int run_sbatch(char *const *argv, struct strbuf *out)
{
	char buf[1024];
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		execv(argv[0], argv);
		fprintf(stderr, "campaign: cannot run '%s': %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		strbuf_add(out, buf, (size_t)n);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

/* "--opt=value" when the setting is given. */
static void sbatch_opt(struct argvec *av, const char *opt, const char *v)
{
	char *s;

	if (!v)
		return;
	s = xasprintf("--%s=%s", opt, v);
	av_add(av, s);
	free(s);
}

static void sbatch_argv(const char *sbatch, const char *dir, json_t *c,
			const struct slurm_options *s, const char *array,
			struct argvec *av)
{
	static const char *const keys[] = { "partition", "time", "account",
		"constraint", "qos", NULL };
	const char *cli[] = { s->partition, s->time, s->account,
			      s->constraint, s->qos };
	const char *name = json_string_value(json_object_get(c, "name"));
	json_t *w;
	size_t i;
	char *a;
	int k;

	av_add(av, sbatch);
	av_add(av, "--parsable");
	a = xasprintf("--job-name=campaign-%s", name ? name : "campaign");
	av_add(av, a);
	free(a);
	sbatch_opt(av, "array", array);
	/* One task per node at a time: two benchmarks never share one. */
	av_add(av, "--exclusive");
	av_add(av, "--nodes=1");
	av_add(av, "--ntasks=1");
	a = xasprintf("--output=%s/logs/task-%%A_%%a.log", dir);
	av_add(av, a);
	free(a);
	for (k = 0; keys[k]; k++)
		sbatch_opt(av, keys[k], setting(c, cli[k], keys[k]));
	json_array_foreach(json_object_get(json_object_get(c, "slurm"),
					   "sbatch"), i, w)
		av_add(av, json_string_value(w));
	for (k = 0; k < s->n_sbatch; k++)
		av_add(av, s->sbatch[k]);
	if (s->is_wait)
		av_add(av, "--wait");
	a = xasprintf("%s/job.sh", dir);
	av_add(av, a);
	free(a);
}

/* ---- the plan -------------------------------------------------------- */

static json_t *new_plan(const struct run_options *o, json_t *c,
			char *const *names, size_t n, long tasks)
{
	json_t *p = json_object(), *plats = json_array();
	char *abs = realpath(o->campaign_file, NULL);
	size_t i;

	json_object_set_new(p, "campaign_file", json_string(
			    abs ? abs : o->campaign_file));
	free(abs);
	json_object_set_new(p, "output", json_string(o->output));
	json_object_set_new(p, "tasks", json_integer(tasks));
	json_object_set(p, "repetitions", json_object_get(c, "repetitions") ?
			json_object_get(c, "repetitions") : json_integer(1));
	json_object_set_new(p, "benchmarks", json_integer((json_int_t)
			    json_array_size(json_object_get(c,
							    "benchmarks"))));
	for (i = 0; i < n; i++)
		json_array_append_new(plats, json_string(names[i]));
	json_object_set_new(p, "platforms", plats);
	json_object_set_new(p, "slice", json_string("task K runs the "
			    "repetitions r with r mod tasks = K"));
	json_object_set(p, "campaign", c);
	json_object_set_new(p, "jobs", json_array());
	return p;
}

static int save_plan(const char *dir, json_t *plan)
{
	char *path = xasprintf("%s/plan.json", dir);
	char *text = json_dumps(plan, JSON_INDENT(2));
	int rc = text ? atomic_write_file(path, text, strlen(text)) : -1;

	if (rc)
		fprintf(stderr, "campaign: cannot write '%s': %s\n", path,
			strerror(errno));
	free(text);
	free(path);
	return rc;
}

static void note_job(json_t *plan, const char *id, const char *array)
{
	json_t *j = json_object();
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(j, "id", json_string(id));
	json_object_set_new(j, "array", json_string(array));
	json_object_set_new(j, "submitted", json_string(stamp));
	json_array_append_new(json_object_get(plan, "jobs"), j);
}

/* ---- submit ---------------------------------------------------------- */

/* Whether path exists. */
static int exists(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	int rc = access(path, F_OK) == 0;

	free(path);
	return rc;
}

/* A first submission into dir: refused when dir holds one already, or
 * the output exists, unless --force (which removes the old shards). */
static int fresh_dir(const char *dir, const struct run_options *o,
		     long tasks_before)
{
	char *path;
	long k;

	if (!o->is_force && exists(dir, "plan.json")) {
		fprintf(stderr, "campaign: '%s' holds a submitted campaign "
			"(use --resume to continue it, --force to start "
			"again)\n", dir);
		return EXIT_BADINPUT;
	}
	if (!o->is_force && access(o->output, F_OK) == 0) {
		fprintf(stderr, "campaign: '%s' exists (use --force to "
			"replace it)\n", o->output);
		return EXIT_BADINPUT;
	}
	for (k = 0; k < tasks_before; k++) {
		path = xasprintf("%s/shard-%ld.csv", dir, k);
		unlink(path);
		free(path);
		path = xasprintf("%s/shard-%ld.meta.json", dir, k);
		unlink(path);
		free(path);
	}
	return make_dir(dir) ? EXIT_RUNTIME : -1;
}

/* The array indices of the tasks with a unit left (e.g. "1,3"), or NULL
 * when none; *left counts the units. */
static char *tasks_left(const struct sdir *d, size_t *left)
{
	struct strbuf sb = { 0 };
	char n[64];
	size_t i;
	long k;
	int *has = xcalloc((size_t)d->tasks + 1, sizeof(*has));

	*left = 0;
	for (i = 0; i < d->n_units; i++)
		if (!d->status || d->status[i].state != UNIT_COMPLETE) {
			has[d->status ? d->status[i].task :
			    d->units[i].rep % d->tasks] = 1;
			(*left)++;
		}
	/* Runs of tasks as ranges: "0-3", "1,3", "0-2,5". */
	for (k = 0; k < d->tasks; k++) {
		long end = k;

		if (!has[k])
			continue;
		while (end + 1 < d->tasks && has[end + 1])
			end++;
		if (end > k)
			snprintf(n, sizeof(n), "%s%ld-%ld", sb.len ? "," : "", k,
				 end);
		else
			snprintf(n, sizeof(n), "%s%ld", sb.len ? "," : "", k);
		strbuf_addstr(&sb, n);
		k = end;
	}
	free(has);
	return sb.buf;
}

/* --resume: the same campaign as submitted; partial units dropped from
 * the shards so that the tasks run them again. */
static int resume_dir(struct sdir *d, const char *dir, json_t *c,
		      char *const *names, size_t n, long tasks)
{
	json_t *p;
	size_t i;
	long k;
	int is_same;

	if (!exists(dir, "plan.json")) {
		fprintf(stderr, "campaign: nothing was submitted into '%s': "
			"submit without --resume\n", dir);
		return EXIT_BADINPUT;
	}
	if (shards_open(d, dir))
		return EXIT_BADINPUT;
	p = json_object_get(d->plan, "platforms");
	is_same = json_equal(json_object_get(d->plan, "campaign"), c) &&
		  json_array_size(p) == n && d->tasks == tasks;
	for (i = 0; is_same && i < n; i++)
		is_same = !strcmp(json_string_value(json_array_get(p, i)),
				  names[i]);
	if (!is_same) {
		fprintf(stderr, "campaign: the campaign, its platforms or its "
			"tasks changed since it was submitted into '%s': "
			"submit it anew with --force\n", dir);
		return EXIT_BADINPUT;
	}
	shards_read(d);
	for (k = 0; k < d->tasks; k++)
		if (shards_drop_partial(d, k))
			return EXIT_RUNTIME;
	return -1;
}

/* Submit the array; 0 with the job id noted in the plan, or -1. */
static int submit(const char *sbatch, const char *dir, json_t *c,
		  const struct slurm_options *s, const char *array,
		  json_t *plan)
{
	struct argvec av = { 0 };
	struct strbuf out = { 0 };
	int st, i;

	sbatch_argv(sbatch, dir, c, s, array, &av);
	fprintf(stderr, "campaign:");
	for (i = 0; i < av.n; i++)
		fprintf(stderr, " %s", av.v[i]);
	fputc('\n', stderr);
	st = run_sbatch(av.v, &out);
	av_free(&av);
	strbuf_add(&out, "", 0);
	out.buf[strcspn(out.buf, ";\n")] = '\0';
	if (st < 0 || !out.buf[0] || strspn(out.buf, "0123456789") !=
	    strlen(out.buf)) {
		fprintf(stderr, "campaign: sbatch did not submit the array "
			"(%s)\n", st < 0 ? strerror(errno) : "no job id");
		strbuf_release(&out);
		return -1;
	}
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		fprintf(stderr, "campaign: sbatch --wait: job %s ended with "
			"failed tasks (see %s/logs)\n", out.buf, dir);
	note_job(plan, out.buf, array);
	fprintf(stderr, "campaign: submitted job %s, array %s; shards, "
		"logs and plan in %s\n", out.buf, array, dir);
	strbuf_release(&out);
	return 0;
}

/* The staged files and the job script, on the first submission. */
static int set_up(const char *dir, const struct run_options *o, json_t *c,
		  const char *names, long tasks, const char *pdir,
		  const char *sdir)
{
	char *copy = xasprintf("%s/campaign.json", dir);
	const char *name = json_string_value(json_object_get(c, "name"));
	int rc = stage(dir, o, pdir, sdir) ||
		 copy_file(o->campaign_file, copy, 0644) ||
		 write_job(dir, o, names, tasks, name ? name : "");

	free(copy);
	return rc ? -1 : 0;
}

static int do_submit(const struct run_options *o, const struct slurm_options *s,
		     json_t *c, char *const *names, size_t n,
		     const char *pdir, const char *sdir)
{
	char *dir = shards_dir(o->output, s->shared_dir), *sbatch, *array;
	struct strbuf list = { 0 };
	long tasks = task_count(c, s);
	struct sdir d = { 0 };
	size_t i, left;
	int rc;

	for (i = 0; i < n; i++) {
		strbuf_addstr(&list, i ? "," : "");
		strbuf_addstr(&list, names[i]);
	}
	if (o->is_resume) {
		rc = resume_dir(&d, dir, c, names, n, tasks);
	} else {
		if (exists(dir, "plan.json") && shards_open(&d, dir) == 0)
			rc = fresh_dir(dir, o, d.tasks);
		else
			rc = fresh_dir(dir, o, 0);
		shards_release(&d);
		memset(&d, 0, sizeof(d));
		if (rc < 0) {
			d.dir = xstrdup(dir);
			d.plan = new_plan(o, c, names, n, tasks);
			d.tasks = tasks;
			d.platforms = xcalloc(n + 1, sizeof(char *));
			for (i = 0; i < n; i++)
				d.platforms[d.n_platforms++] =
					xstrdup(names[i]);
			shards_units(&d, (long)json_integer_value(
				     json_object_get(d.plan, "repetitions")),
				     json_array_size(json_object_get(c,
						     "benchmarks")));
			if (set_up(dir, o, c, list.buf, tasks, pdir, sdir))
				rc = EXIT_RUNTIME;
		}
	}
	array = rc < 0 ? tasks_left(&d, &left) : NULL;
	sbatch = path_search("sbatch");
	if (rc < 0 && !array) {
		fprintf(stderr, "campaign: every unit of '%s' is in its "
			"shards: nothing to submit\n", dir);
		rc = EXIT_OK;
	} else if (rc < 0 && !sbatch) {
		fprintf(stderr, "campaign: 'sbatch' not found in PATH: submit "
			"from a host of the Slurm cluster (Debian: apt-get "
			"install slurm-client)\n");
		rc = EXIT_RUNTIME;
	} else if (rc < 0) {
		fprintf(stderr, "campaign: %zu unit%s of %ld task%s to run\n",
			left, left == 1 ? "" : "s", tasks,
			tasks == 1 ? "" : "s");
		rc = save_plan(dir, d.plan) ||
		     submit(sbatch, dir, c, s, array, d.plan) ||
		     save_plan(dir, d.plan) ? EXIT_RUNTIME : -1;
	}
	free(sbatch);
	free(array);
	strbuf_release(&list);
	shards_release(&d);
	free(dir);
	return rc;
}

int slurm_submit(const struct run_options *o, const struct slurm_options *s)
{
	char *pdir = NULL, *sdir = NULL, **names;
	json_t *c = NULL;
	size_t i, n = 0;
	int rc = check_campaign(o, &c, &pdir, &sdir);

	if (!rc) {
		names = validate_selection(c, o->only_platforms, &n);
		rc = do_submit(o, s, c, names, n, pdir, sdir);
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		if (rc < 0 && s->is_wait)
			rc = slurm_collect(o, s);
		else if (rc < 0) {
			fprintf(stderr, "campaign: when it has run: campaign "
				"collect %s -o %s\n", o->campaign_file,
				o->output);
			rc = EXIT_OK;
		}
	}
	json_decref(c);
	free(pdir);
	free(sdir);
	return rc;
}
