/*
 * input_gotest: the text `go test -bench` writes, which benchstat reads
 * (the Go benchmark data format, golang.org/design/14313-benchmark-format).
 *
 *   goos: linux                          configuration lines: key: value
 *   pkg: example.com/m
 *   BenchmarkEncode/format=json-8  1000  1726 ns/op  45 B/op  2 allocs/op
 *   Unit ns/op better=lower              unit metadata
 *
 * Mapping, one row per value/unit pair of a Benchmark line:
 *   platform   "GOOS/GOARCH" from the goos and goarch lines ("native"
 *              when there are none): Go's own word for them
 *   benchmark  the name after "Benchmark", sub-benchmarks (/k=v) and the
 *              -GOMAXPROCS suffix kept, as benchstat prints it
 *   metric     the unit as benchstat names it: ns/... becomes sec/...,
 *              MB/s becomes B/s; others as written (B/op, allocs/op)
 *   value      as written; unit: the part before "/op" when it is a unit
 *              analyze converts (ns, B, ...), else the whole Go unit
 *   better     a "Unit U better=..." line, else higher for units ending
 *              in /s, lower for the rest (Go's convention)
 *   config     every other configuration line, "key=value" joined by ','
 *              in the order first seen (a key given an empty value is
 *              removed, as in benchfmt); benchstat's default tables
 *   host       the cpu line
 *   run        none: the loader numbers the -count repetitions 0, 1, ...
 *   iterations the iteration count N, an extra column
 * Other lines (PASS, ok, log output, a bare "BenchmarkX" of -v) are
 * ignored, as benchstat does. A Benchmark line that cannot be read is a
 * row error (benchstat only prints it).
 */
#include "input.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct go_kv {
	char *key, *val;
};

struct go_pair;

struct go_state {
	struct go_kv *cfg;		/* configuration, in order */
	size_t n_cfg, cap_cfg;
	struct go_kv *units;		/* Unit lines' better= */
	size_t n_units, cap_units;
	struct input_buf platform, config, host;
	int is_dirty;			/* cfg changed since the texts */
	struct input_strset seen;	/* configuration lines, for the
					 * provenance */
	struct go_pair *pairs;		/* the line being read */
	size_t n_pairs, cap_pairs;
};

static const char *cfg_get(const struct go_state *g, const char *key)
{
	size_t i;

	for (i = 0; i < g->n_cfg; i++)
		if (!strcmp(g->cfg[i].key, key))
			return g->cfg[i].val;
	return NULL;
}

static void kv_set(struct go_kv **a, size_t *n, size_t *cap, const char *key,
		   size_t key_len, const char *val)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (strlen((*a)[i].key) != key_len ||
		    memcmp((*a)[i].key, key, key_len))
			continue;
		free((*a)[i].val);
		if (!*val) {
			free((*a)[i].key);
			memmove(*a + i, *a + i + 1, (*n - i - 1) * sizeof(**a));
			(*n)--;
		} else {
			(*a)[i].val = xstrdup(val);
		}
		return;
	}
	if (!*val)
		return;
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		*a = xreallocarray(*a, *cap, sizeof(**a));
	}
	(*a)[*n].key = xstrndup(key, key_len);
	(*a)[*n].val = xstrdup(val);
	(*n)++;
}

/* The platform, config and host texts from the configuration. */
static void refresh(struct go_state *g)
{
	const char *os = cfg_get(g, "goos"), *arch = cfg_get(g, "goarch");
	const char *cpu = cfg_get(g, "cpu");
	size_t i;

	input_buf_clear(&g->platform);
	input_buf_clear(&g->config);
	input_buf_clear(&g->host);
	if (os && arch)
		input_buf_printf(&g->platform, "%s/%s", os, arch);
	else
		input_buf_printf(&g->platform, "%s",
				 os ? os : arch ? arch : INPUT_DEFAULT_PLATFORM);
	if (cpu)
		input_buf_add(&g->host, cpu, strlen(cpu));
	for (i = 0; i < g->n_cfg; i++) {
		const char *k = g->cfg[i].key;

		if (!strcmp(k, "goos") || !strcmp(k, "goarch") ||
		    !strcmp(k, "cpu"))
			continue;
		input_buf_printf(&g->config, "%s%s=%s", g->config.len ? "," :
				 "", k, g->cfg[i].val);
	}
	g->is_dirty = 0;
}

static void go_release(struct go_state *g)
{
	size_t i;

	for (i = 0; i < g->n_cfg; i++) {
		free(g->cfg[i].key);
		free(g->cfg[i].val);
	}
	for (i = 0; i < g->n_units; i++) {
		free(g->units[i].key);
		free(g->units[i].val);
	}
	free(g->cfg);
	free(g->units);
	free(g->pairs);
	input_strset_release(&g->seen);
	input_buf_release(&g->platform);
	input_buf_release(&g->config);
	input_buf_release(&g->host);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* The next blank-separated field at *p: its start, length in *n. *p
 * moves past the blank after it, so the field may be cut there with a
 * NUL. */
static char *next_field(char **p, size_t *n)
{
	char *s = *p, *f;

	while (is_space(*s))
		s++;
	f = s;
	while (*s && !is_space(*s))
		s++;
	*n = (size_t)(s - f);
	*p = *s ? s + 1 : s;
	return f;
}

/* benchfmt's key: value line (input.c has the same rule for detection). */
static int config_line(char *s, size_t n, char **key, size_t *key_len,
		       char **val)
{
	size_t i;

	if (n == 0 || *s < 'a' || *s > 'z')
		return 0;
	for (i = 1; i < n && s[i] != ':'; i++)
		if (is_space(s[i]) || (s[i] >= 'A' && s[i] <= 'Z'))
			return 0;
	if (i == n)
		return 0;
	if (i + 1 < n && !is_space(s[i + 1]))
		return 0;
	*key = s;
	*key_len = i;
	s += i + 1;
	while (is_space(*s))
		s++;
	*val = s;
	return 1;
}

/* Units analyze knows, that Go writes before "/op" (or "/elem", ...). */
static int is_known_unit(const char *u, size_t n)
{
	static const char *const known[] = {
		"ns", "us", "µs", "ms", "s", "B", "KB", "MB", "GB", "KiB",
		"MiB", "GiB"
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i]) == n && !memcmp(known[i], u, n))
			return 1;
	return 0;
}

/* Metric, unit and better of Go unit u (NUL-terminated). */
static void go_unit(const struct go_state *g, const char *u,
		    struct input_buf *metric, struct input_buf *unit,
		    const char **better)
{
	const char *slash = strchr(u, '/');
	size_t i, len = strlen(u);

	input_buf_clear(metric);
	input_buf_clear(unit);
	/* benchunit.Tidy's names: ns -> sec, MB/s -> B/s. */
	if (!strncmp(u, "ns/", 3))
		input_buf_printf(metric, "sec/%s", u + 3);
	else if (!strcmp(u, "MB/s"))
		input_buf_add(metric, "B/s", 3);
	else
		input_buf_add(metric, u, len);
	if (slash && strcmp(slash, "/s") && is_known_unit(u, (size_t)(slash - u)))
		input_buf_add(unit, u, (size_t)(slash - u));
	else
		input_buf_add(unit, u, len);
	*better = len > 2 && !strcmp(u + len - 2, "/s") ? "higher" : "lower";
	for (i = 0; i < g->n_units; i++)
		if (!strcmp(g->units[i].key, u))
			*better = g->units[i].val;
}

/* "Unit ns/op better=lower assume=exact": better= is used, the rest is
 * benchstat's own (assume=) and ignored. */
static int unit_line(struct input_file *in, struct go_state *g, char *s,
		     unsigned long line)
{
	char *p = s + 4, *u, *f;
	size_t un, fn;

	u = next_field(&p, &un);
	if (!un)
		return input_skip(in, line, "Unit line names no unit");
	for (;;) {
		f = next_field(&p, &fn);
		if (!fn)
			return 0;
		if (fn > 7 && !memcmp(f, "better=", 7)) {
			f[fn] = '\0';
			if (strcmp(f + 7, "higher") && strcmp(f + 7, "lower"))
				return input_skip(in, line, "Unit line: better "
						  "'%.40s' is not higher or "
						  "lower", f + 7);
			u[un] = '\0';
			kv_set(&g->units, &g->n_units, &g->cap_units, u, un,
			       f + 7);
			return 0;
		}
		if (!memchr(f, '=', fn))
			return input_skip(in, line, "Unit line: expected "
					  "key=value, found '%.*s'",
					  (int)(fn > 40 ? 40 : fn), f);
	}
}

/* A whole decimal integer below 2^63 (the iteration count). */
static int parse_iters(const char *f, size_t n)
{
	size_t i;

	if (n == 0 || n > 18)
		return -1;
	for (i = 0; i < n; i++)
		if (f[i] < '0' || f[i] > '9')
			return -1;
	return 0;
}

/* A value/unit pair of a Benchmark line, checked before any is sent. */
struct go_pair {
	double value;
	const char *unit;
};

static int bench_line(struct input_file *in, struct go_state *g, char *s,
		      unsigned long line, struct input_buf *metric,
		      struct input_buf *unit)
{
	char *p = s + 9, *name, *iters, *f, *uf;
	size_t nn, fn, un, i;
	struct input_row row;
	int rc = 0;

	name = next_field(&p, &nn);
	iters = next_field(&p, &fn);
	if (!fn)
		return 0;	/* "BenchmarkX" alone: go test -v */
	name[nn] = '\0';
	if (parse_iters(iters, fn))
		return input_skip(in, line, "benchmark '%.60s': iteration "
				  "count '%.*s' is not a whole number", name,
				  (int)(fn > 40 ? 40 : fn), iters);
	iters[fn] = '\0';
	g->n_pairs = 0;
	for (;;) {
		f = next_field(&p, &fn);
		if (!fn)
			break;
		uf = next_field(&p, &un);
		if (!un)
			return input_skip(in, line, "benchmark '%.60s': value "
					  "'%.*s' has no unit", name,
					  (int)(fn > 40 ? 40 : fn), f);
		if (g->n_pairs == g->cap_pairs) {
			g->cap_pairs = g->cap_pairs ? 2 * g->cap_pairs : 8;
			g->pairs = xreallocarray(g->pairs, g->cap_pairs,
						 sizeof(*g->pairs));
		}
		if (input_parse_double(f, fn, &g->pairs[g->n_pairs].value))
			return input_skip(in, line, "benchmark '%.60s': '%.*s' "
					  "is not a finite number", name,
					  (int)(fn > 40 ? 40 : fn), f);
		uf[un] = '\0';
		g->pairs[g->n_pairs++].unit = uf;
	}
	if (!g->n_pairs)
		return input_skip(in, line, "benchmark '%.60s' has no "
				  "measurements (expected VALUE UNIT pairs "
				  "after the iteration count)", name);
	if (g->is_dirty)
		refresh(g);
	memset(&row, 0, sizeof(row));
	row.platform = input_buf_str(&g->platform);
	row.benchmark = name;
	row.config = input_buf_str(&g->config);
	row.host = input_buf_str(&g->host);
	row.run = -1;
	row.extra[0] = iters;
	for (i = 0; i < g->n_pairs && !rc; i++) {
		row.value = g->pairs[i].value;
		go_unit(g, g->pairs[i].unit, metric, unit, &row.better);
		row.metric = input_buf_str(metric);
		row.unit = input_buf_str(unit);
		rc = input_emit(in, line, &row, 1);
	}
	return rc;
}

int input_gotest(struct input_file *in, struct diag *err)
{
	static const char *const extras[] = { "iterations" };
	struct input_lines lines;
	struct go_state g;
	struct input_buf metric = { 0 }, unit = { 0 };
	char *s, *key, *val;
	size_t n, key_len;
	int rc, got;

	memset(&g, 0, sizeof(g));
	g.is_dirty = 1;
	input_provenance(in, "go test -bench output");
	rc = input_begin(in, extras, 1, err);
	input_lines_init(&lines, in);
	while (!rc && (got = input_lines_next(&lines, &s, &n, err)) != 0) {
		if (got < 0) {
			rc = got;
		} else if (n > 9 && !memcmp(s, "Benchmark", 9)) {
			rc = bench_line(in, &g, s, lines.line, &metric, &unit);
		} else if (n > 4 && !memcmp(s, "Unit", 4) && is_space(s[4])) {
			rc = unit_line(in, &g, s, lines.line);
		} else if (config_line(s, n, &key, &key_len, &val)) {
			kv_set(&g.cfg, &g.n_cfg, &g.cap_cfg, key, key_len, val);
			g.is_dirty = 1;
			if (*val && !input_strset_add(&g.seen, s))
				input_provenance(in, "%s", s);
		}
	}
	input_lines_release(&lines);
	input_buf_release(&metric);
	input_buf_release(&unit);
	go_release(&g);
	if (!rc && in->n_rows == 0 && in->n_skipped == 0)
		rc = input_error(in, err, 0, "no benchmark results (read as go "
				 "test -bench output: no line 'BenchmarkNAME "
				 "N VALUE UNIT ...')");
	return rc;
}
