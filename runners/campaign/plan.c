/*
 * plan: unit order, slices, and the dry run with its estimate (plan.h).
 *
 * The estimate of a unit is the median wall time of the earlier runs of
 * the same unit: same platform and the same bench words (so a changed
 * argument is a new unit, and a reordered campaign still matches), read
 * from the .meta.json beside the output or beside --estimate-from FILE.
 * Units with no earlier run get one from a calibration: a campaign of one
 * repetition with each such benchmark run once with --runs 1 and once
 * with --runs 2 on each such platform, giving the fixed part of a unit
 * (boot, set-up) and the time of one run: a unit of R runs is estimated
 * as t(1) + (R - 1) (t(2) - t(1)).
 */
#define _GNU_SOURCE		/* mkdtemp, nftw */
#include "plan.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "diag.h"
#include "job.h"
#include "meta.h"
#include "platform.h"
#include "resume.h"
#include "run.h"
#include "run_priv.h"
#include "strbuf.h"
#include "util.h"
#include "validate.h"
#include "xalloc.h"

/* ---- order ----------------------------------------------------------- */

size_t plan_units(long repetitions, size_t n_benches,
		  char *const *platforms, size_t n_platforms, long slice_k,
		  long slice_n, struct plan_unit **out)
{
	struct plan_unit *u = NULL;
	size_t n = 0, bi, k;
	long rep;

	for (rep = 0; rep < repetitions && n_platforms; rep++) {
		if (slice_n > 0 && rep % slice_n != slice_k)
			continue;
		u = xreallocarray(u, n + n_benches * n_platforms + 1,
				  sizeof(*u));
		for (bi = 0; bi < n_benches; bi++)
			for (k = 0; k < n_platforms; k++) {
				u[n].rep = rep;
				u[n].bi = bi;
				u[n].pi = (k + (size_t)rep) % n_platforms;
				snprintf(u[n].key, sizeof(u[n].key),
					 "r%ld:b%zu:%s", rep, bi,
					 platforms[u[n].pi]);
				n++;
			}
	}
	*out = u;
	return n;
}

int plan_in_slice(const struct run_options *o, long rep)
{
	return o->slice_n <= 0 || rep % o->slice_n == o->slice_k;
}

void plan_note_unit(json_t *meta, double wall_s)
{
	json_t *runs = json_object_get(meta, "runs");
	size_t n = json_array_size(runs);

	if (n)
		json_object_set_new(json_array_get(runs, n - 1), "wall_s",
				    json_real(wall_s));
}

void plan_note_setup(json_t *meta, double setup_s)
{
	json_object_set_new(meta, "setup_s", json_real(setup_s));
}

/* What identifies a unit across campaigns: its platform and its bench
 * words. Caller frees. */
static char *signature(json_t *def, const char *platform)
{
	struct platform p = { 0 };
	struct bench_entry e;
	struct argvec w = { 0 };
	struct strbuf sb = { 0 };
	int i;

	p.name = (char *)platform;
	job_entry(def, &e);
	strbuf_addstr(&sb, platform);
	if (e.name) {
		job_words(&e, &p, &w);
		for (i = 0; i < w.n; i++) {
			strbuf_add(&sb, "\x1f", 1);
			strbuf_addstr(&sb, w.v[i]);
		}
	}
	av_free(&w);
	return sb.buf;
}

/* ---- earlier runs ---------------------------------------------------- */

struct sample {
	char *sig;
	double wall_s;
	int runs;		/* calibration: 1 or 2; history: 0 */
};

struct samples {
	struct sample *items;
	size_t n;
	double setup_s;		/* -1: unknown */
	char *source;		/* the CSV they came from */
};

static void samples_release(struct samples *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->items[i].sig);
	free(s->items);
	free(s->source);
	memset(s, 0, sizeof(*s));
}

static char *meta_of(const char *csv)
{
	size_t len = strlen(csv);

	if (len > 4 && !strcmp(csv + len - 4, ".csv"))
		len -= 4;
	return xasprintf("%.*s.meta.json", (int)len, csv);
}

/* The benchmark index of a key "rR:bK:PLATFORM", or -1. */
static long key_bench(const char *key)
{
	const char *b = strstr(key, ":b");
	char *end;
	long k;

	if (!b)
		return -1;
	k = strtol(b + 2, &end, 10);
	return *end == ':' ? k : -1;
}

/*
 * The successful runs in the meta beside csv. Each run's benchmark is
 * the one of the campaign recorded in that meta, or with cal (a
 * calibration, whose benchmark 2j runs cal[j] with --runs 1 and 2j + 1
 * with --runs 2) the campaign's own benchmark cal[j].
 */
static void load_samples(const char *csv, json_t *const *cal,
			 size_t n_cal, struct samples *s)
{
	char *path = meta_of(csv);
	json_t *m = json_load_file(path, 0, NULL), *r, *benches, *t, *def;
	const char *key, *plat, *status;
	size_t i;
	long k;

	benches = json_object_get(json_object_get(m, "campaign"),
				  "benchmarks");
	t = json_object_get(m, "setup_s");
	if (json_is_number(t) && s->setup_s < 0)
		s->setup_s = json_number_value(t);
	json_array_foreach(json_object_get(m, "runs"), i, r) {
		key = json_string_value(json_object_get(r, "job"));
		plat = json_string_value(json_object_get(r, "platform"));
		status = json_string_value(json_object_get(r, "status"));
		if (!(t = json_object_get(r, "wall_s")))
			t = json_object_get(r, "elapsed_s");
		if (!key || !plat || !json_is_number(t) || !status ||
		    strcmp(status, "ok") || (k = key_bench(key)) < 0)
			continue;
		def = cal ? ((size_t)k / 2 < n_cal ? cal[k / 2] : NULL) :
		      json_array_get(benches, (size_t)k);
		if (!def)
			continue;
		s->items = xreallocarray(s->items, s->n + 1,
					 sizeof(*s->items));
		s->items[s->n].sig = signature(def, plat);
		s->items[s->n].wall_s = json_number_value(t);
		s->items[s->n].runs = cal ? (int)(k % 2) + 1 : 0;
		s->n++;
	}
	json_decref(m);
	free(path);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of the samples with sig (and runs), or -1 when none. */
static double median_of(const struct samples *s, const char *sig, int runs,
			size_t *count)
{
	double *v = xcalloc(s->n + 1, sizeof(*v)), m = -1;
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		if (s->items[i].runs == runs && !strcmp(s->items[i].sig, sig))
			v[n++] = s->items[i].wall_s;
	if (n) {
		qsort(v, n, sizeof(*v), by_value);
		m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	}
	free(v);
	if (count)
		*count = n;
	return m;
}

/* ---- calibration ----------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The calibration campaign: one repetition of each benchmark in defs,
 * once with --runs 1 and once with --runs 2 (own configs, so that the
 * two are not one benchmark twice). New reference. */
static json_t *calibration_json(const struct ctx *x, json_t *const *defs,
				size_t n, char *const *plats, size_t n_plats)
{
	json_t *c = json_object(), *list = json_array(), *p = json_array();
	json_t *d;
	char cfg[32];
	size_t i;
	int runs;

	json_object_set_new(c, "name", json_string("calibration"));
	json_object_set_new(c, "repetitions", json_integer(1));
	if (x->c.timeout_s > 0)
		json_object_set_new(c, "timeout_s", json_real(x->c.timeout_s));
	for (i = 0; i < n_plats; i++)
		json_array_append_new(p, json_string(plats[i]));
	json_object_set_new(c, "platforms", p);
	for (i = 0; i < n; i++)
		for (runs = 1; runs <= 2; runs++) {
			d = json_deep_copy(defs[i]);
			json_object_del(d, "platform_config");
			snprintf(cfg, sizeof(cfg), "calibration-%d", runs);
			json_object_set_new(d, "config", json_string(cfg));
			json_object_set_new(d, "runs", json_integer(runs));
			json_array_append_new(list, d);
		}
	json_object_set_new(c, "benchmarks", list);
	return c;
}

/* Run the calibration campaign with this campaign's options; 0, or -1
 * when it could not be started. Its rows are not kept; its meta gives
 * the times (loaded into s). */
static int calibrate(const struct ctx *x, json_t *const *defs, size_t n,
		     char *const *plats, size_t n_plats, struct samples *s)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/campaign-calibration.XXXXXX",
			      tmp && tmp[0] ? tmp : "/tmp");
	char *file = NULL, *csv = NULL, timeout[32];
	struct argvec av = { 0 }, list = { 0 };
	struct strbuf names = { 0 };
	json_t *c;
	pid_t pid;
	size_t i;
	int k, st = -1;

	if (!mkdtemp(dir)) {
		fprintf(stderr, "campaign: mkdtemp: %s\n", strerror(errno));
		free(dir);
		return -1;
	}
	file = xasprintf("%s/calibration.json", dir);
	csv = xasprintf("%s/calibration.csv", dir);
	c = calibration_json(x, defs, n, plats, n_plats);
	if (json_dump_file(c, file, JSON_INDENT(2)) == 0) {
		for (i = 0; i < n_plats; i++) {
			strbuf_addstr(&names, i ? "," : "");
			strbuf_addstr(&names, plats[i]);
		}
		av_add(&av, "/proc/self/exe");
		av_add(&av, "run");
		av_add(&av, file);
		av_add(&av, "-o");
		av_add(&av, csv);
		av_add(&av, "--platforms");
		av_add(&av, names.buf);
		av_add(&av, "--skip-unavailable");
		if (x->o->kernel) {
			av_add(&av, "--kernel");
			av_add(&av, x->o->kernel);
		}
		if (x->o->platforms_dir) {
			av_add(&av, "--platforms-dir");
			av_add(&av, x->o->platforms_dir);
		}
		for (k = 0; k < x->o->n_with; k++) {
			av_add(&av, "--with");
			av_add(&av, x->o->with[k]);
		}
		if (x->o->timeout_s > 0) {
			snprintf(timeout, sizeof(timeout), "%g",
				 x->o->timeout_s);
			av_add(&av, "--timeout");
			av_add(&av, timeout);
		}
		fprintf(stderr, "campaign: calibrating: %zu benchmark%s on %s "
			"with --runs 1 and 2 (no earlier runs of them; "
			"--no-calibrate skips this)\n", n, n == 1 ? "" : "s",
			names.buf);
		fflush(stderr);
		pid = fork();
		if (pid == 0) {
			dup2(STDERR_FILENO, STDOUT_FILENO);
			execv(av.v[0], av.v);
			_exit(127);
		}
		while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) <= 1)
			load_samples(csv, defs, n, s);
		else
			st = -1;
	}
	json_decref(c);
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	strbuf_release(&names);
	av_free(&av);
	av_free(&list);
	free(file);
	free(csv);
	free(dir);
	return st < 0 ? -1 : 0;
}

/* ---- the dry run ----------------------------------------------------- */

enum est_from { EST_NONE, EST_DONE, EST_HISTORY, EST_CALIBRATION };

struct est {
	double s;
	enum est_from from;
	size_t n;		/* earlier runs it is the median of */
};

static void fmt_duration(double s, char *buf, size_t size)
{
	long t = (long)(s + 0.5);

	if (s < 10)
		snprintf(buf, size, "%.1f s", s);
	else if (t < 60)
		snprintf(buf, size, "%ld s", t);
	else if (t < 3600)
		snprintf(buf, size, "%ldm %02lds", t / 60, t % 60);
	else
		snprintf(buf, size, "%ldh %02ldm", t / 3600, t / 60 % 60);
}

/* The estimate of every unit from the earlier runs; the others (from ==
 * EST_NONE) are left for the calibration. */
static void from_history(const struct ctx *x, const struct plan_unit *u,
			 size_t n, const struct samples *h, struct est *e)
{
	char *sig;
	size_t i;

	for (i = 0; i < n; i++) {
		if (resume_is_done(x, u[i].key)) {
			e[i].from = EST_DONE;
			continue;
		}
		sig = signature(x->c.benches[u[i].bi].def,
				x->c.plats[u[i].pi]->name);
		e[i].s = median_of(h, sig, 0, &e[i].n);
		e[i].from = e[i].s >= 0 ? EST_HISTORY : EST_NONE;
		free(sig);
	}
}

/* Append p to the array *v of *n pointers unless it is there. */
static void add_unique(void ***v, size_t *n, void *p)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i] == p)
			return;
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = p;
}

/* Calibrate what the history lacks; returns the calibration's set-up
 * time, or -1. */
static double from_calibration(const struct ctx *x,
			       const struct plan_unit *u, size_t n,
			       struct est *e)
{
	struct samples cal = { .setup_s = -1 };
	void **defs = NULL, **plats = NULL;
	size_t i, n_defs = 0, n_plats = 0;
	double a, b, setup = -1;
	char *sig;

	for (i = 0; i < n; i++)
		if (e[i].from == EST_NONE) {
			add_unique(&defs, &n_defs, x->c.benches[u[i].bi].def);
			add_unique(&plats, &n_plats,
				   x->c.plats[u[i].pi]->name);
		}
	if (n_defs && !x->o->no_calibrate &&
	    calibrate(x, (json_t *const *)defs, n_defs,
		      (char *const *)plats, n_plats, &cal) == 0) {
		for (i = 0; i < n; i++) {
			if (e[i].from != EST_NONE)
				continue;
			sig = signature(x->c.benches[u[i].bi].def,
					x->c.plats[u[i].pi]->name);
			a = median_of(&cal, sig, 1, NULL);
			b = median_of(&cal, sig, 2, NULL);
			free(sig);
			if (a < 0)
				continue;
			e[i].s = a + (double)(x->c.benches[u[i].bi].runs - 1) *
				 (b > a ? b - a : 0);
			e[i].from = EST_CALIBRATION;
		}
		setup = cal.setup_s;
	}
	samples_release(&cal);
	free(defs);
	free(plats);
	return setup;
}

static void print_platforms(const struct ctx *x)
{
	char **names;
	struct platform *p;
	size_t i, n;

	names = validate_selection(x->c.json, x->o->only_platforms, &n);
	for (i = 0; i < n; i++) {
		p = platform_find((struct platform_set *)&x->set, names[i]);
		if (p && p->is_available && p->kind == PLATFORM_VM &&
		    !strcmp(p->accel, "kvm"))
			printf("platform %s: runs if a probe boot shows KVM "
			       "(not tried in a dry run; %s)\n", p->name,
			       p->reason);
		else if (p && p->is_available)
			printf("platform %s: runs (%s)\n", p->name, p->reason);
		else if (p)
			printf("platform %s: skipped: %s%s\n", p->name,
			       p->reason, x->o->skip_unavailable ? "" :
			       " ('campaign run' stops here unless "
			       "--skip-unavailable)");
		free(names[i]);
	}
	free(names);
}

static const char *from_label(const struct est *e, const char *source,
			      char *buf, size_t size)
{
	switch (e->from) {
	case EST_DONE: return "done (in the output: --resume skips it)";
	case EST_HISTORY:
		snprintf(buf, size, "median of %zu earlier run%s in %s", e->n,
			 e->n == 1 ? "" : "s", source);
		return buf;
	case EST_CALIBRATION: return "calibration";
	default: return "unknown (no earlier run, no calibration)";
	}
}

static void print_plan(const struct ctx *x, const struct plan_unit *u,
		       size_t n, const struct est *e, const char *source)
{
	char t[32], from[600];
	size_t i;

	printf("\n%5s  %-24s %-12s %-14s %9s  %s\n", "#", "UNIT", "BENCHMARK",
	       "PLATFORM", "ESTIMATE", "FROM");
	for (i = 0; i < n; i++) {
		if (e[i].from == EST_HISTORY || e[i].from == EST_CALIBRATION)
			fmt_duration(e[i].s, t, sizeof(t));
		else
			snprintf(t, sizeof(t), "-");
		printf("%5zu  %-24s %-12s %-14s %9s  %s\n", i + 1, u[i].key,
		       x->c.benches[u[i].bi].name, x->c.plats[u[i].pi]->name,
		       t, from_label(&e[i], source, from, sizeof(from)));
	}
}

/* The closing lines: set-up, total, and where the numbers came from. */
static void print_total(const struct est *e, size_t n, double setup,
			const char *setup_from)
{
	size_t i, n_run, counts[4] = { 0 };
	double total = setup > 0 ? setup : 0;
	char t[32];

	for (i = 0; i < n; i++) {
		counts[e[i].from]++;
		if (e[i].from == EST_HISTORY || e[i].from == EST_CALIBRATION)
			total += e[i].s;
	}
	if (setup >= 0) {
		fmt_duration(setup, t, sizeof(t));
		printf("\nset-up (images, checks): %s (%s)\n", t, setup_from);
	} else {
		printf("\nset-up (images, checks): unknown, not counted\n");
	}
	fmt_duration(total, t, sizeof(t));
	n_run = n - counts[EST_DONE];
	if (n_run && counts[EST_NONE] == n_run)
		printf("estimated duration: unknown: no earlier run of these "
		       "%zu units and no calibration", n_run);
	else
		printf("estimated duration: %s%s for %zu unit%s (%zu from "
		       "earlier runs, %zu from the calibration, %zu unknown)",
		       counts[EST_NONE] ? "at least " : "", t, n_run,
		       n_run == 1 ? "" : "s", counts[EST_HISTORY],
		       counts[EST_CALIBRATION], counts[EST_NONE]);
	printf("; %zu done\n", counts[EST_DONE]);
}

int plan_dry_run(struct ctx *x)
{
	struct samples hist = { .setup_s = -1 };
	struct plan_unit *u;
	struct est *e;
	const char *src = x->o->estimate_from ? x->o->estimate_from :
			  x->o->output;
	char **names = xcalloc(x->c.n_plats + 1, sizeof(*names));
	double setup;
	size_t i, n;

	if (x->o->is_resume && resume_read_done(x)) {
		free(names);
		return EXIT_BADINPUT;
	}
	for (i = 0; i < x->c.n_plats; i++)
		names[i] = x->c.plats[i]->name;
	n = plan_units(x->c.repetitions, x->c.n_benches, names,
		       x->c.n_plats, x->o->slice_k, x->o->slice_n, &u);
	e = xcalloc(n + 1, sizeof(*e));
	load_samples(src, NULL, 0, &hist);
	from_history(x, u, n, &hist, e);
	setup = from_calibration(x, u, n, e);
	printf("campaign %s: %ld repetition%s x %zu benchmark%s x %zu "
	       "platform%s = %zu unit%s, in this order (the platforms "
	       "rotated per repetition)\n", x->o->campaign_file,
	       x->c.repetitions, x->c.repetitions == 1 ? "" : "s",
	       x->c.n_benches, x->c.n_benches == 1 ? "" : "s", x->c.n_plats,
	       x->c.n_plats == 1 ? "" : "s", n, n == 1 ? "" : "s");
	print_platforms(x);
	print_plan(x, u, n, e, src);
	if (hist.setup_s >= 0)
		print_total(e, n, hist.setup_s, src);
	else
		print_total(e, n, setup, "calibration");
	samples_release(&hist);
	free(names);
	free(e);
	free(u);
	return EXIT_OK;
}
