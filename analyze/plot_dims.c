/*
 * plot_dims: where each group of a figure goes. Spreads the groups over
 * named dimensions (metric, config keys, other grouping columns, the
 * factor) and lays them out as clusters (x positions) and series
 * (colours), for plot_build.c to write as datablocks; keeps the chart
 * (struct chart) a figure kind fills for the frame. Pure bookkeeping on
 * the dataset: writes no script and runs nothing.
 */
#include "plot_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* ---- string lists ------------------------------------------------------- */

size_t plot_strvec_find(const struct strvec *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return i;
	return (size_t)-1;
}

/* Index of s in sv, appended (copied) when absent. */
size_t plot_strvec_intern(struct strvec *sv, const char *s, size_t len)
{
	char *copy = xstrndup(s, len);
	size_t i = plot_strvec_find(sv, copy);

	if (i != (size_t)-1) {
		free(copy);
		return i;
	}
	ARRAY_GROW(sv->v, sv->n + 1, sv->cap);
	sv->v[sv->n] = copy;
	return sv->n++;
}

void plot_strvec_push(struct strvec *sv, const char *s, size_t len)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? 2 * sv->cap : 8;
		sv->v = xreallocarray(sv->v, sv->cap, sizeof(*sv->v));
	}
	sv->v[sv->n++] = xstrndup(s, len);
}

void plot_strvec_release(struct strvec *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

const char *plot_key_of(const struct dataset *ds, const struct group *g,
			const char *col)
{
	int k = load_key_index(ds, col);

	return k < 0 ? "" : g->key[k];
}

/* ---- dimensions and layout ---------------------------------------------- */

static size_t dims_find_or_add(struct dims *d, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < d->n_dims; i++)
		if (strlen(d->name[i]) == len &&
		    strncmp(d->name[i], name, len) == 0)
			return i;
	if (d->n_dims == PLOT_MAX_DIMS)
		return (size_t)-1;
	d->name[d->n_dims] = xstrndup(name, len);
	return d->n_dims++;
}

/*
 * Record the value of group i in the dimension called name (len bytes);
 * with declare_only only the dimension is declared. Returns -1 when there
 * are more dimensions than a figure can show.
 */
static int dims_put(struct dims *d, size_t i, const char *name, size_t len,
		    const char *v, size_t vlen, int declare_only)
{
	size_t k = dims_find_or_add(d, name, len);

	if (k == (size_t)-1)
		return -1;
	if (!declare_only)
		d->val[i * PLOT_MAX_DIMS + k] =
			plot_strvec_intern(&d->distinct[k], v, vlen);
	return 0;
}

/* Whether every ','-separated piece of config holds a '=': then the
 * commas separate keys ("size=128M,passes=64", as bin/campaign writes
 * them) rather than the items of one value. */
static int commas_separate(const char *config)
{
	const char *p = config;

	while (*p) {
		size_t n = strcspn(p, ";,");

		if (p[n] == ',' && !memchr(p, '=', n))
			return 0;
		if (p[n] == ',' && !strchr(p + n + 1, '='))
			return 0;
		p += n + (p[n] != '\0');
	}
	return 1;
}

/* A "k=v;k=v" (or "k=v,k=v") config becomes one dimension per key; any
 * other config is the dimension "config". */
static int dims_config(struct dims *d, size_t i, const char *config,
		       int declare_only)
{
	const char *p = config;
	const char *seps = commas_separate(config) ? ";," : ";";

	if (!*p || !strchr(p, '='))
		return dims_put(d, i, "config", 6, p, strlen(p), declare_only);
	while (*p) {
		size_t n = strcspn(p, seps);
		const char *eq = memchr(p, '=', n);

		if (!eq && dims_put(d, i, "config", 6, p, n, declare_only))
			return -1;
		if (eq && dims_put(d, i, p, (size_t)(eq - p), eq + 1,
				   n - (size_t)(eq - p) - 1, declare_only))
			return -1;
		p += n + (p[n] != '\0');
	}
	return 0;
}

/* Every dimension value of group i (or only the dimension names). */
static int dims_group(struct dims *d, const struct dataset *ds, size_t i,
		      int with_benchmark, int declare_only)
{
	const struct group *g = &ds->groups[d->groups[i]];
	const char *factor = ds->key_cols[ds->factor_index];
	const char *m = plot_key_of(ds, g, "metric");
	const char *b = plot_key_of(ds, g, "benchmark");
	size_t k;

	if (with_benchmark && dims_put(d, i, "benchmark", 9, b, strlen(b),
				       declare_only))
		return -1;
	if (dims_put(d, i, "metric", 6, m, strlen(m), declare_only))
		return -1;
	if (dims_config(d, i, plot_key_of(ds, g, "config"), declare_only))
		return -1;
	for (k = 0; k < ds->n_key_cols; k++) {
		const char *c = ds->key_cols[k];

		if (k == ds->factor_index || !strcmp(c, "benchmark") ||
		    !strcmp(c, "metric") || !strcmp(c, "config") ||
		    !strcmp(c, "label"))
			continue;
		if (dims_put(d, i, c, strlen(c), g->key[k], strlen(g->key[k]),
			     declare_only))
			return -1;
	}
	if (declare_only)	/* the factor is declared last, by the caller */
		return 0;
	return dims_put(d, i, factor, strlen(factor), load_factor(ds, g),
			strlen(load_factor(ds, g)), 0);
}

void plot_dims_release(struct dims *d)
{
	size_t k;

	for (k = 0; k < d->n_dims; k++) {
		free(d->name[k]);
		plot_strvec_release(&d->distinct[k]);
	}
	free(d->groups);
	free(d->val);
	memset(d, 0, sizeof(*d));
}

/* Spread groups[0..n-1] over dimensions. Takes ownership of groups. A
 * group without a value in a dimension (a config key it lacks) gets "". */
int plot_dims_build(struct dims *d, const struct dataset *ds, size_t *groups,
		    size_t n, int with_benchmark, struct diag *err)
{
	const char *factor = ds->key_cols[ds->factor_index];
	size_t i, k;

	memset(d, 0, sizeof(*d));
	d->groups = groups;
	d->n_groups = n;
	d->val = xcalloc(n * PLOT_MAX_DIMS, sizeof(*d->val));
	for (i = 0; i < n; i++)
		if (dims_group(d, ds, i, with_benchmark, 1))
			goto too_many;
	if (dims_put(d, 0, factor, strlen(factor), "", 0, 1))
		goto too_many;
	for (k = 0; k < d->n_dims; k++)
		(void)plot_strvec_intern(&d->distinct[k], "", 0);
	for (i = 0; i < n; i++)
		(void)dims_group(d, ds, i, with_benchmark, 0);
	return 0;
too_many:
	diag_set(err, NULL, 0, "too many grouping dimensions for one figure "
		 "(at most %d: fewer --by columns or config keys)",
		 PLOT_MAX_DIMS);
	return STATUS_BADINPUT;
}

/* Distinct values actually used in dimension k ("" was interned first so
 * that a missing key has an index; it only counts when some group has it). */
size_t plot_dims_count(const struct dims *d, size_t k)
{
	size_t i, used_empty = 0;

	for (i = 0; i < d->n_groups; i++)
		if (d->val[i * PLOT_MAX_DIMS + k] == 0)
			used_empty = 1;
	return d->distinct[k].n - 1 + used_empty;
}

const char *plot_dims_value(const struct dims *d, size_t i, size_t k)
{
	return d->distinct[k].v[d->val[i * PLOT_MAX_DIMS + k]];
}

/* Whether dimension k's value is a function of dimension j's over the
 * figure's groups: then k tells a reader nothing j has not. */
static int determined_by(const struct dims *d, size_t k, size_t j)
{
	size_t i, i2;

	for (i = 0; i < d->n_groups; i++)
		for (i2 = 0; i2 < i; i2++)
			if (d->val[i * PLOT_MAX_DIMS + j] ==
			    d->val[i2 * PLOT_MAX_DIMS + j] &&
			    d->val[i * PLOT_MAX_DIMS + k] !=
			    d->val[i2 * PLOT_MAX_DIMS + k])
				return 0;
	return 1;
}

/* The dimensions that name clusters: those that vary, but the series,
 * the stack and any that an earlier one already determines (a ratio
 * figure's config, fixed by its benchmark). */
static void cluster_dims(const struct dims *d, size_t skip1, size_t skip2,
			 unsigned char *use)
{
	size_t k, j;

	for (k = 0; k < d->n_dims; k++) {
		use[k] = k != skip1 && k != skip2 && plot_dims_count(d, k) >= 2;
		for (j = 0; j < k && use[k]; j++)
			if (use[j] && determined_by(d, k, j))
				use[k] = 0;
	}
}

/* Cluster name of group i: its values in the dimensions use marks,
 * joined by a space, empty values left out. */
static void cluster_name(const struct dims *d, size_t i,
			 const unsigned char *use, char *buf, size_t size)
{
	size_t k, len = 0;

	buf[0] = '\0';
	for (k = 0; k < d->n_dims && len < size; k++) {
		const char *v = plot_dims_value(d, i, k);

		if (!use[k] || !*v)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? " " : "", v);
	}
}

/*
 * Clusters and series: when two or more dimensions vary, the series
 * (the colours, named in the key) are the one with the fewest values,
 * the last of them on a tie (the factor, platform, comes last), and the
 * clusters the others: EuroSys'21 fig. 11 groups its 4 apps under each
 * of its 7 systems. With one varying dimension it makes the clusters.
 * stack (or (size_t)-1) is a dimension kept out of both: the components
 * of a stacked bar. With no_series everything is a cluster.
 */
void plot_layout_build(struct layout *lo, const struct dims *d,
			 size_t stack, int no_series)
{
	size_t i, k, n_var = 0, series = (size_t)-1, fewest = (size_t)-1;
	unsigned char use[PLOT_MAX_DIMS];
	char name[512];

	memset(lo, 0, sizeof(*lo));
	for (k = 0; k < d->n_dims; k++)
		if (k != stack && plot_dims_count(d, k) >= 2) {
			n_var++;
			if (plot_dims_count(d, k) <= fewest) {
				fewest = plot_dims_count(d, k);
				series = k;
			}
		}
	if (n_var < 2 || no_series)
		series = (size_t)-1;
	cluster_dims(d, stack, series, use);
	lo->cl = xcalloc(d->n_groups, sizeof(*lo->cl));
	lo->se = xcalloc(d->n_groups, sizeof(*lo->se));
	for (i = 0; i < d->n_groups; i++) {
		cluster_name(d, i, use, name, sizeof(name));
		if (!name[0])	/* nothing varies: name the bar by the factor */
			snprintf(name, sizeof(name), "%s",
				 plot_dims_value(d, i, d->n_dims - 1));
		lo->cl[i] = plot_strvec_intern(&lo->clusters, name,
					       strlen(name));
		if (series == (size_t)-1)
			lo->se[i] = plot_strvec_intern(&lo->series, "", 0);
		else
			lo->se[i] = plot_strvec_intern(&lo->series,
				plot_dims_value(d, i, series),
				strlen(plot_dims_value(d, i, series)));
	}
}

void plot_layout_release(struct layout *lo)
{
	plot_strvec_release(&lo->clusters);
	plot_strvec_release(&lo->series);
	free(lo->cl);
	free(lo->se);
}

/* ---- the chart a kind fills ------------------------------------------ */

void plot_chart_bar(struct chart *ch, size_t cluster, size_t slot,
		    double from, double to, const char *label)
{
	struct chart_bar *b;

	if (ch->n_bars == ch->cap_bars) {
		ch->cap_bars = ch->cap_bars ? 2 * ch->cap_bars : 16;
		ch->bars = xreallocarray(ch->bars, ch->cap_bars,
					 sizeof(*ch->bars));
	}
	b = &ch->bars[ch->n_bars++];
	b->cluster = cluster;
	b->slot = slot;
	b->from = from;
	b->to = to;
	b->label = (size_t)-1;
	if (label) {
		plot_strvec_push(&ch->labels, label, strlen(label));
		b->label = ch->labels.n - 1;
	}
}

void plot_chart_release(struct chart *ch)
{
	plot_strvec_release(&ch->clusters);
	plot_strvec_release(&ch->keys);
	plot_strvec_release(&ch->labels);
	plot_strvec_release(&ch->notes);
	free(ch->bars);
	free(ch->missing);
	free(ch->title);
	free(ch->ylabel);
	memset(ch, 0, sizeof(*ch));
}

int plot_is_one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}
