/*
 * opt: the table-driven parser of command lines.
 */
#include "opt.h"

#include <stdio.h>
#include <string.h>

#include "suggest.h"

void opt_init(struct opt_parser *p, int argc, char **argv,
	      const struct opt_table *tables, size_t n_tables)
{
	memset(p, 0, sizeof(*p));
	p->argc = argc;
	p->argv = argv;
	p->i = 1;
	p->tables = tables;
	p->n_tables = n_tables;
}

#define MAX_CANDIDATES 256

const struct opt_spec *opt_suggest(const struct opt_table *tables,
				   size_t n_tables, const char *name)
{
	const char *names[MAX_CANDIDATES], *near;
	const struct opt_spec *specs[MAX_CANDIDATES];
	size_t n = 0, t, i;

	for (t = 0; t < n_tables; t++)
		for (i = 0; i < tables[t].n && n < MAX_CANDIDATES; i++) {
			specs[n] = &tables[t].items[i];
			names[n++] = tables[t].items[i].long_name;
		}
	if (n == 0)
		return NULL;
	near = suggest_nearest(name, names, n);
	for (i = 0; near && i < n; i++)
		if (names[i] == near)
			return specs[i];
	return NULL;
}

static const struct opt_spec *find_long(const struct opt_parser *p,
					const char *name, size_t len)
{
	size_t t, i;

	for (t = 0; t < p->n_tables; t++)
		for (i = 0; i < p->tables[t].n; i++) {
			const struct opt_spec *o = &p->tables[t].items[i];

			if (strlen(o->long_name) == len &&
			    strncmp(o->long_name, name, len) == 0)
				return o;
		}
	return NULL;
}

static const struct opt_spec *find_short(const struct opt_parser *p, char c)
{
	size_t t, i;

	for (t = 0; t < p->n_tables; t++)
		for (i = 0; i < p->tables[t].n; i++)
			if (p->tables[t].items[i].short_name == c)
				return &p->tables[t].items[i];
	return NULL;
}

static int unknown_long(const struct opt_parser *p, const char *arg,
			struct diag *err)
{
	char name[64];
	const struct opt_spec *s;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg, "="), arg);
	s = opt_suggest(p->tables, p->n_tables, name);
	if (s)
		diag_set(err, NULL, 0,
			 "unknown option '--%s' (did you mean '--%s'?)",
			 name, s->long_name);
	else
		diag_set(err, NULL, 0, "unknown option '--%s'", name);
	return STATUS_BADINPUT;
}

/* "--name", "--name=value" or "--name value" at argv[p->i - 1]. */
static int next_long(struct opt_parser *p, const char *arg, struct diag *err)
{
	size_t len = strcspn(arg, "=");
	const struct opt_spec *o = find_long(p, arg, len);

	if (!o)
		return unknown_long(p, arg, err);
	p->opt = o;
	p->value = NULL;
	snprintf(p->name, sizeof(p->name), "--%s", o->long_name);
	if (arg[len] == '=') {
		if (!o->metavar) {
			diag_set(err, NULL, 0, "option '--%s' takes no value",
				 o->long_name);
			return STATUS_BADINPUT;
		}
		p->value = arg + len + 1;
	} else if (o->metavar) {
		if (p->i >= p->argc) {
			diag_set(err, NULL, 0, "option '--%s' needs a value "
				 "(%s)", o->long_name, o->metavar);
			return STATUS_BADINPUT;
		}
		p->value = p->argv[p->i++];
	}
	return OPT_OPTION;
}

/* The short option at p->cluster, which the rest of the cluster or the
 * next word may follow as its value. */
static int next_short(struct opt_parser *p, struct diag *err)
{
	char c = *p->cluster++;
	const struct opt_spec *o = find_short(p, c);

	if (!o) {
		diag_set(err, NULL, 0, "unknown option '-%c'", c);
		return STATUS_BADINPUT;
	}
	p->opt = o;
	p->value = NULL;
	snprintf(p->name, sizeof(p->name), "-%c", c);
	if (o->metavar) {
		if (*p->cluster) {
			p->value = p->cluster;
		} else if (p->i < p->argc) {
			p->value = p->argv[p->i++];
		} else {
			diag_set(err, NULL, 0, "option '-%c' needs a value "
				 "(%s)", c, o->metavar);
			return STATUS_BADINPUT;
		}
		p->cluster = NULL;
	} else if (!*p->cluster) {
		p->cluster = NULL;
	}
	return OPT_OPTION;
}

int opt_next(struct opt_parser *p, struct diag *err)
{
	const char *w;

	if (p->cluster)
		return next_short(p, err);
	if (p->i >= p->argc)
		return OPT_END;
	w = p->argv[p->i++];
	if (p->is_after_dashdash || w[0] != '-' || w[1] == '\0') {
		p->opt = NULL;
		p->value = w;
		return OPT_OPERAND;
	}
	if (strcmp(w, "--") == 0) {
		p->is_after_dashdash = 1;
		return opt_next(p, err);
	}
	if (w[1] == '-')
		return next_long(p, w + 2, err);
	p->cluster = w + 1;
	return next_short(p, err);
}

static void help_row(FILE *f, const struct opt_spec *o, int col,
		     unsigned flags)
{
	char left[64];
	const char *h = o->help;
	int len;

	if (o->short_name)
		len = snprintf(left, sizeof(left), "  -%c, --%s",
			       o->short_name, o->long_name);
	else
		len = snprintf(left, sizeof(left), "      --%s",
			       o->long_name);
	if (o->metavar && len < (int)sizeof(left))
		len += snprintf(left + len, sizeof(left) - (size_t)len,
				" %s", o->metavar);
	if (len + 2 > col && (flags & OPT_HELP_WRAP))
		fprintf(f, "%s\n%*s", left, col, "");
	else if (len + 2 > col)
		fprintf(f, "%s  ", left);
	else
		fprintf(f, "%-*s", col, left);
	while (*h) {
		size_t n = strcspn(h, "\n");

		fprintf(f, "%.*s\n", (int)n, h);
		h += n;
		if (*h == '\n' && *++h)
			fprintf(f, "%*s", col, "");
	}
}

void opt_help(FILE *f, const struct opt_table *t, int col, unsigned flags)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		help_row(f, &t->items[i], col, flags);
}
