/*
 * plot: figures through gnuplot. Each figure is first written as a script
 * into memory (so bad text is found before gnuplot starts), then piped to
 * "gnuplot -d" whose standard error goes to a temporary file. The script
 * holds only what docs/conventions.md allows: the terminal, the output, one
 * assignment per template variable, the datablocks and the load of
 * templates/<kind>.gp. Every layout decision that needs the data (which
 * dimension forms clusters, series, stacks; the unit shown) is made here,
 * every drawing decision in the template.
 */
#include "plot_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic.h"
#include "cleanup.h"
#include "path.h"
#include "spawn.h"
#include "xalloc.h"

/* ---- running gnuplot ------------------------------------------------------ */

static int gnuplot_installed(void)
{
	char *path = path_search("gnuplot");
	int is_found = path != NULL;

	free(path);
	return is_found;
}

static int has_templates(const char *dir)
{
	char path[DIAG_FILE_MAX + 16];

	snprintf(path, sizeof(path), "%s/bars.gp", dir);
	return access(path, R_OK) == 0;
}

/* dir = (directory of /proc/self/exe)/rel, or "" when unknown. */
static void exe_relative(char *dir, size_t size, const char *rel)
{
	char exe[DIAG_FILE_MAX - 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	dir[0] = '\0';
	if (n <= 0)
		return;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(dir, size, "%s/%s", exe, rel);
}

/* --templates DIR, else $ANALYZE_TEMPLATES, else next to the binary (the
 * source tree's bin/../templates, then an install's share directory). */
static int find_templates(const struct plot_options *opt, char *dir,
			  size_t size, struct diag *err)
{
	const char *env = getenv("ANALYZE_TEMPLATES");
	char other[DIAG_FILE_MAX];

	if (opt->templates_dir || (env && *env)) {
		snprintf(dir, size, "%s", opt->templates_dir ?
			 opt->templates_dir : env);
		if (has_templates(dir))
			return 0;
		diag_set(err, NULL, 0, "no gnuplot templates in '%s' "
			 "(bars.gp is missing; %s)", dir, opt->templates_dir ?
			 "check --templates" : "check ANALYZE_TEMPLATES");
		return opt->templates_dir ? STATUS_BADINPUT : STATUS_RUNTIME;
	}
	exe_relative(dir, size, "../templates");
	if (dir[0] && has_templates(dir))
		return 0;
	exe_relative(other, sizeof(other), "../share/bench-toolkit/templates");
	if (other[0] && has_templates(other)) {
		snprintf(dir, size, "%s", other);
		return 0;
	}
	diag_set(err, NULL, 0, "cannot find the gnuplot templates (looked in "
		 "'%s' and '%s'; use --templates DIR or set ANALYZE_TEMPLATES)",
		 dir, other);
	return STATUS_RUNTIME;
}

/* The first lines of gnuplot's standard error (file errpath), each
 * prefixed "gnuplot: ": appended to msg on failure, else warnings. */
static void gnuplot_stderr(const char *errpath, struct diag *err,
			   struct diag_list *warnings)
{
	FILE *in = fopen(errpath, "r");
	char *line = NULL;
	size_t cap = 0, len;
	ssize_t n;

	if (!in)
		return;
	while ((n = getline(&line, &cap, in)) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[strspn(line, " \t^")])
			continue;	/* blank, or the caret under a command */
		if (warnings) {
			diag_list_add(warnings, NULL, 0, "gnuplot: %s", line);
			continue;
		}
		len = strlen(err->msg);
		snprintf(err->msg + len, sizeof(err->msg) - len,
			 "\ngnuplot: %s", line + strspn(line, " \t"));
	}
	free(line);
	fclose(in);
}

static void terminal_line(struct script *sc, const struct plot_options *o,
			  int w, int h)
{
	const char *bg = "background '#ffffff'";

	/* Texts are sized in pixels of the canvas: pdfcairo takes points at
	 * 72 per inch, pngcairo points at 96 per pixel inch (observed: 12
	 * pt of DejaVu Sans are 16 px), svg pixels. */
	double scale = !strcmp(o->term, "pdf") ? 72 / PLOT_PDF_PX_PER_IN :
		       !strcmp(o->term, "png") ? 0.75 : 1;

	if (!strcmp(o->term, "pdf"))
		plot_sc_printf(sc, "set terminal pdfcairo size %.4gin,%.4gin "
			  "font '%s,%.4g'\n", w / PLOT_PDF_PX_PER_IN,
			  h / PLOT_PDF_PX_PER_IN, PLOT_FONT,
			  PLOT_FONT_PX * scale);
	else if (!strcmp(o->term, "png"))
		plot_sc_printf(sc, "set terminal pngcairo size %d,%d font '%s,%.4g' "
			  "%s\n", w, h, PLOT_FONT, PLOT_FONT_PX * scale, bg);
	else
		plot_sc_printf(sc, "set terminal svg size %d,%d font '%s,%d' %s\n",
			  w, h, PLOT_FONT, PLOT_FONT_PX, bg);
	plot_sc_printf(sc, "fig_font_scale = %.4g\n", scale);
}

/* The terminal and output lines, then body, to gnuplot -d, which must
 * exit 0 within o->timeout_s. */
static int pipe_gnuplot(const struct plot_options *o, int w, int h,
			const char *tmp, const char *errpath,
			const char *body, size_t len, struct diag *err)
{
	static char *const argv[] = { "gnuplot", "-d", NULL };
	struct script sc = { 0 };
	char *head = NULL, *all;
	size_t head_len = 0;
	int st = 0, is_cut, err_fd, status;
	enum spawn_status how = SPAWN_FAILED;

	sc.err = err;
	sc.f = open_memstream(&head, &head_len);
	if (!sc.f)
		xalloc_die();
	terminal_line(&sc, o, w, h);
	plot_sc_printf(&sc, "set output ");
	plot_sc_quoted(&sc, tmp);
	plot_sc_printf(&sc, "\n");
	if (fclose(sc.f) != 0 || !head)
		xalloc_die();
	if (sc.status) {
		free(head);
		return sc.status;
	}
	all = xmalloc(head_len + len);
	memcpy(all, head, head_len);
	memcpy(all + head_len, body, len);
	free(head);
	err_fd = open(errpath, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (err_fd >= 0) {
		how = spawn_run(argv, all, head_len + len, err_fd,
				o->timeout_s, &st, &is_cut);
		close(err_fd);
	}
	free(all);
	if (how == SPAWN_FAILED) {
		diag_set(err, NULL, 0, "cannot run gnuplot: %s",
			 strerror(errno));
		return STATUS_RUNTIME;
	}
	if (how == SPAWN_TIMEOUT) {
		diag_set(err, NULL, 0, "gnuplot did not finish within %g s "
			 "and was killed (raise --plot-timeout)", o->timeout_s);
		return STATUS_RUNTIME;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		diag_set(err, NULL, 0, "gnuplot is not installed (install the "
			 "Debian package gnuplot-nox)");
		return STATUS_RUNTIME;
	}
	status = !WIFEXITED(st) || WEXITSTATUS(st) != 0 || is_cut;
	if (status) {
		diag_set(err, NULL, 0, "gnuplot failed (%s %d)",
			 WIFEXITED(st) ? "exit status" : "signal",
			 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		return STATUS_RUNTIME;
	}
	return 0;
}

/* A new empty file for gnuplot's standard error; caller unlinks, frees. */
static char *stderr_file(void)
{
	const char *t = getenv("TMPDIR");
	char *path;
	int fd;

	if (!t || !*t)
		t = "/tmp";
	path = xmalloc(strlen(t) + sizeof("/analyze-gnuplot.XXXXXX"));
	strcpy(path, t);
	strcat(path, "/analyze-gnuplot.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	cleanup_temp_add(path);
	close(fd);
	return path;
}

/*
 * Draw one figure: gnuplot writes a temporary file beside path, renamed
 * over path only when gnuplot exited 0 and wrote something, so a good
 * figure is never replaced by a broken one.
 */
static int run_gnuplot(const struct plot_options *o, int w, int h,
		       const char *body, size_t len, const char *path,
		       struct diag_list *written, struct diag *err)
{
	char *tmp = NULL, *errpath = stderr_file();
	FILE *f = atomic_open(path, &tmp);
	struct stat sb;
	int status;

	if (!f || !errpath) {
		diag_set(err, f ? NULL : path, 0, "cannot create %s: %s",
			 f ? "a temporary file" : "the figure", strerror(errno));
		atomic_abort(f, tmp);
		if (errpath) {
			unlink(errpath);
			cleanup_temp_remove(errpath);
		}
		free(errpath);
		return STATUS_RUNTIME;
	}
	fclose(f);	/* gnuplot opens it again by name */
	/* No temporary file: path is a device or FIFO, written directly. */
	status = pipe_gnuplot(o, w, h, tmp ? tmp : path, errpath, body, len,
			      err);
	if (!status && tmp && (stat(tmp, &sb) != 0 || sb.st_size == 0)) {
		diag_set(err, NULL, 0, "gnuplot wrote nothing to '%s'", path);
		status = STATUS_RUNTIME;
	}
	if (status)
		gnuplot_stderr(errpath, err, NULL);
	else if (written)
		gnuplot_stderr(errpath, err, written);
	if (!status && tmp && atomic_rename(tmp) != 0) {
		diag_set(err, path, 0, "cannot write the figure: %s",
			 strerror(errno));
		status = STATUS_RUNTIME;
	}
	if (status && tmp) {
		unlink(tmp);
		cleanup_temp_remove(tmp);
	} else if (!status && written) {
		diag_list_add(written, path, 0, "figure written");
		written->items[written->n - 1].is_warning = 0;
	}
	unlink(errpath);
	cleanup_temp_remove(errpath);
	free(errpath);
	free(tmp);
	return status;
}

/* ---- which figures -------------------------------------------------------- */

/* Groups of one figure: same benchmark and unit. */
struct part {
	const char *bench, *unit;
	size_t *g;
	size_t n, cap;
};

/*
 * The figure set a group is drawn in: the groups of one set share an
 * axis, those of different sets never do. A set is an input file (a
 * group that several files pooled, on request, is drawn with the
 * first); set_path names its figures.
 */
static size_t group_set(const struct dataset *ds, const struct group *g)
{
	(void)ds;
	return g->first_source;
}

static size_t n_sets(const struct dataset *ds)
{
	return ds->n_sources;
}

static const char *set_path(const struct dataset *ds, size_t set)
{
	return ds->sources[set].path;
}

/* Whether a group is drawn at all. */
static int is_drawn(const struct group *g)
{
	(void)g;
	return 1;
}

static size_t parts_build(const struct dataset *ds, size_t source,
			  struct part **out)
{
	struct part *p = NULL;
	size_t n = 0, i, k;

	for (i = 0; i < ds->n_groups; i++) {
		const struct group *g = &ds->groups[i];
		const char *b = plot_key_of(ds, g, "benchmark");

		if (!is_drawn(g) ||
		    (source != (size_t)-1 && group_set(ds, g) != source))
			continue;

		for (k = 0; k < n; k++)
			if (!strcmp(p[k].bench, b) && !strcmp(p[k].unit, g->unit))
				break;
		if (k == n) {
			p = xreallocarray(p, n + 1, sizeof(*p));
			memset(&p[n++], 0, sizeof(*p));
			p[k].bench = b;
			p[k].unit = g->unit;
		}
		ARRAY_GROW(p[k].g, p[k].n + 1, p[k].cap);
		p[k].g[p[k].n++] = i;
	}
	*out = p;
	return n;
}

/* The kind a figure gets unless --kind says otherwise. */
static enum kind auto_kind(const struct dims *d, const struct part *p)
{
	static const char *const per_platform[] = {
		"memsweep", "forksum", "linpack", NULL
	};
	static const char *const bandwidth[] = { "MB/s", "GB/s", NULL };

	if (!strcmp(p->bench, "boot") && plot_dims_count(d, 0) >= 2)
		return KIND_BOOT;
	if (!strcmp(p->bench, "imagesize"))
		return KIND_IMAGESIZE;
	if (!strcmp(p->bench, "stream") && plot_is_one_of(p->unit, bandwidth))
		return KIND_STREAM;
	if (plot_is_one_of(p->bench, per_platform))
		return KIND_PERPLATFORM;
	return KIND_BARS;
}

/* Append s to buf as a file-name piece: letters, digits, '.', '_' and '-'
 * kept, runs of anything else become one '-'. */
static void slug_add(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);

	if (len && len + 1 < size && buf[len - 1] != '-')
		buf[len++] = '-';
	for (; *s && len + 1 < size; s++) {
		int ok = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			 (*s >= '0' && *s <= '9') || *s == '.' || *s == '_';

		if (ok)
			buf[len++] = *s;
		else if (len && buf[len - 1] != '-')
			buf[len++] = '-';
	}
	while (len && buf[len - 1] == '-')
		len--;
	buf[len] = '\0';
}

/* Whether name already ends with the slug of s ("hermitcore-stream" and
 * "stream"), so that it is not repeated. */
static int ends_with_slug(const char *name, const char *s)
{
	char slug[256] = "";
	size_t n = strlen(name), k;

	slug_add(slug, sizeof(slug), s);
	k = strlen(slug);
	return k && n >= k && !strcmp(name + n - k, slug) &&
	       (n == k || name[n - k - 1] == '-');
}

/* Base name of the figures of source (or of all groups, (size_t)-1):
 * --name (with the file's name after it when there are several), else
 * the file's name without .csv, else "figure". */
static void base_name(char *buf, size_t size, const struct plot_options *o,
		      const struct dataset *ds, size_t source, int several)
{
	const char *path, *slash;
	char *dot;
	size_t i, len;

	buf[0] = '\0';
	if (o->name) {
		slug_add(buf, size, o->name);
		if (!several)
			return;
	}
	for (i = 0; source == (size_t)-1 && i < ds->n_groups; i++)
		if (ds->groups[i].in_several_sources ||
		    ds->groups[i].first_source != ds->groups[0].first_source)
			break;
	if (source == (size_t)-1 && (i < ds->n_groups || ds->n_sources == 0)) {
		slug_add(buf, size, "figure");
		return;
	}
	path = source != (size_t)-1 ? set_path(ds, source) :
	       ds->sources[ds->groups[0].first_source].path;
	slash = strrchr(path, '/');
	slug_add(buf, size, slash ? slash + 1 : path);
	/* Without its extension (.csv, .json, .txt: any input format). */
	len = strlen(buf);
	dot = strrchr(buf, '.');
	if (dot && dot > buf && (size_t)(dot - buf) < len - 1 &&
	    strspn(dot + 1, "abcdefghijklmnopqrstuvwxyz0123456789") ==
	    strlen(dot + 1))
		*dot = '\0';
}

static int render(struct fig *f, const char *name, const size_t *cmp_of,
		  struct diag_list *written, struct diag *err)
{
	const struct plot_options *o = f->opt;
	struct script sc = { 0 };
	char path[DIAG_FILE_MAX];
	int status = 0;

	snprintf(path, sizeof(path), "%s/%s.%s", o->outdir ? o->outdir :
		 "plots", name, o->term ? o->term : "svg");
	sc.err = err;
	sc.f = open_memstream(&sc.buf, &sc.len);
	if (!sc.f) {
		diag_set(err, NULL, 0, "cannot build a figure: %s",
			 strerror(errno));
		return STATUS_RUNTIME;
	}
	plot_build(&sc, f, cmp_of);
	if (fclose(sc.f) != 0 && !sc.status) {
		diag_set(err, NULL, 0, "cannot build a figure: out of memory");
		sc.status = STATUS_RUNTIME;
	}
	if (!sc.status)
		status = run_gnuplot(o, f->width, f->height, sc.buf, sc.len,
				     path, written, err);
	free(sc.buf);
	f->n_drawn += !sc.status && !status;
	return sc.status ? sc.status : status;
}

/* One figure per (benchmark, unit); names get the benchmark (and unit)
 * when there are several, and the kind when --kind chose it. */
static int plot_parts(struct fig *f, struct diag_list *written,
		      struct diag *err)
{
	struct part *p;
	size_t n = parts_build(f->r->ds, f->source, &p), i, k, same;
	char base[256], name[512];
	int status = 0;

	base_name(base, sizeof(base), f->opt, f->r->ds, f->source,
		  f->several);
	for (i = 0; i < n && !status; i++) {
		status = plot_dims_build(&f->d, f->r->ds, p[i].g, p[i].n, 0, err);
		p[i].g = NULL;	/* owned by f->d now */
		if (status)
			break;
		if (!f->opt->kind)
			f->kind = auto_kind(&f->d, &p[i]);
		snprintf(name, sizeof(name), "%s", base);
		for (k = 0, same = 0; k < n; k++)
			same += !strcmp(p[k].bench, p[i].bench);
		if (n > 1 && !ends_with_slug(base, p[i].bench))
			slug_add(name, sizeof(name), p[i].bench);
		if (same > 1)
			slug_add(name, sizeof(name), *p[i].unit ? p[i].unit :
				 "nounit");
		if (f->opt->kind)
			slug_add(name, sizeof(name), plot_kind_names[f->kind]);
		status = render(f, name, NULL, written, err);
		plot_dims_release(&f->d);
	}
	for (i = 0; i < n; i++)
		free(p[i].g);
	free(p);
	return status;
}

/* One figure of every comparison whose ratio a log axis can show. */
static int plot_ratio(struct fig *f, struct diag_list *written,
		      struct diag *err)
{
	const struct report *r = f->r;
	size_t *groups = xcalloc(r->n_cmps, sizeof(*groups));
	size_t *cmp_of = xcalloc(r->n_cmps, sizeof(*cmp_of));
	size_t i, n = 0;
	char name[512];
	int status;

	for (i = 0; i < r->n_cmps; i++)
		if (isfinite(r->cmps[i].ratio.ratio) &&
		    r->cmps[i].ratio.ratio > 0 && (f->source == (size_t)-1 ||
		    group_set(r->ds, &r->ds->groups[r->cmps[i].other]) ==
		    f->source) &&
		    is_drawn(&r->ds->groups[r->cmps[i].other])) {
			groups[n] = r->cmps[i].other;
			cmp_of[n++] = i;
		}
	if (n == 0 && f->several) {	/* this file has no comparison */
		free(groups);
		free(cmp_of);
		return 0;
	}
	if (n == 0) {
		free(groups);
		free(cmp_of);
		diag_set(err, NULL, 0, "no ratio to plot: a ratio figure needs "
			 "groups that differ only in '%s' (see --baseline) "
			 "and positive means", r->ds->key_cols[r->ds->factor_index]);
		return STATUS_BADINPUT;
	}
	status = plot_dims_build(&f->d, r->ds, groups, n, 1, err);
	if (!status) {
		base_name(name, sizeof(name), f->opt, r->ds, f->source,
			  f->several);
		slug_add(name, sizeof(name), "ratio");
		status = render(f, name, cmp_of, written, err);
	}
	plot_dims_release(&f->d);
	free(cmp_of);
	return status;
}

/*
 * The figures of every source apart: groups read from different files
 * are never drawn on one axis (they are different groups, see
 * analyze(1)), unless the file is itself a grouping column (--factor
 * file, --by ...,file): then its groups are the figure's series.
 */
static int plot_sources(struct fig *f, struct diag_list *written,
			struct diag *err)
{
	const struct dataset *ds = f->r->ds;
	unsigned char *seen = xcalloc(n_sets(ds) + 1, 1);
	size_t i, n_seen = 0, s;
	int status = 0, is_ratio = f->opt->kind && f->kind == KIND_RATIO;

	for (i = 0; i < ds->n_groups; i++) {
		s = group_set(ds, &ds->groups[i]);
		if (s < n_sets(ds) && is_drawn(&ds->groups[i]) && !seen[s]++)
			n_seen++;
	}
	f->source = (size_t)-1;
	f->several = n_seen > 1 && load_key_index(ds, "file") < 0;
	if (!f->several) {
		free(seen);
		return is_ratio ? plot_ratio(f, written, err) :
		       plot_parts(f, written, err);
	}
	memset(seen, 0, n_sets(ds) + 1);
	for (i = 0; i < ds->n_groups && !status; i++) {
		s = group_set(ds, &ds->groups[i]);
		if (s >= n_sets(ds) || !is_drawn(&ds->groups[i]) || seen[s]++)
			continue;
		f->source = s;
		status = is_ratio ? plot_ratio(f, written, err) :
			 plot_parts(f, written, err);
	}
	free(seen);
	if (!status && is_ratio && !f->n_drawn) {
		diag_set(err, NULL, 0, "no ratio to plot: a ratio figure needs "
			 "groups of one file that differ only in '%s' (see "
			 "--baseline) and positive means",
			 ds->key_cols[ds->factor_index]);
		return STATUS_BADINPUT;
	}
	return status;
}

/* mkdir -p of the output directory. */
static int make_outdir(const char *dir, struct diag *err)
{
	char path[DIAG_FILE_MAX];
	struct stat sb;
	size_t i;

	snprintf(path, sizeof(path), "%s", dir);
	for (i = 1; path[i - 1]; i++) {
		char c = path[i];

		if (c != '/' && c != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			diag_set(err, path, 0, "cannot create the figure "
				 "directory: %s", strerror(errno));
			return STATUS_RUNTIME;
		}
		path[i] = c;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		diag_set(err, dir, 0, "not a directory (-o names the directory "
			 "the figures go to)");
		return STATUS_BADINPUT;
	}
	return 0;
}

static int parse_kind(const char *name, enum kind *out, struct diag *err)
{
	int k;

	for (k = 0; k < N_KINDS; k++)
		if (!strcmp(name, plot_kind_names[k])) {
			*out = (enum kind)k;
			return 0;
		}
	diag_set(err, NULL, 0, "unknown figure kind '%s' (one of bars, boot, "
		 "imagesize, stream, perplatform, ratio, dist)", name);
	return STATUS_BADINPUT;
}

int plot_figures(const struct report *r, const struct plot_options *opt,
		 struct diag_list *written, struct diag *err)
{
	struct plot_options o = *opt;
	char tdir[DIAG_FILE_MAX];
	struct fig f;
	int status;

	memset(&f, 0, sizeof(f));
	o.outdir = o.outdir ? o.outdir : "plots";
	o.term = o.term ? o.term : "svg";
	if (strcmp(o.term, "svg") && strcmp(o.term, "png") &&
	    strcmp(o.term, "pdf")) {
		diag_set(err, NULL, 0, "unknown terminal '%s' (one of svg, "
			 "png, pdf)", o.term);
		return STATUS_BADINPUT;
	}
	if (o.kind && (status = parse_kind(o.kind, &f.kind, err)))
		return status;
	if (!gnuplot_installed()) {
		diag_set(err, NULL, 0, "gnuplot is not installed (install the "
			 "Debian package gnuplot-nox)");
		return STATUS_RUNTIME;
	}
	if ((status = find_templates(&o, tdir, sizeof(tdir), err)) ||
	    (status = make_outdir(o.outdir, err)))
		return status;
	f.r = r;
	f.opt = &o;
	f.tdir = tdir;
	return plot_sources(&f, written, err);
}
