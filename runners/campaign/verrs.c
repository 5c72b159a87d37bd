/*
 * verrs: the findings of the checks of a campaign and its platforms,
 * printed sorted by line.
 */
#define _GNU_SOURCE		/* vasprintf */
#include "verrs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "xalloc.h"

#define MAX_FINDINGS 50

void verrs_add(struct verrs *e, long line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (e->n >= MAX_FINDINGS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
	e->items = xreallocarray(e->items, e->n + 1, sizeof(*e->items));
	e->items[e->n].line = line;
	e->items[e->n++].msg = msg;
}

int verrs_full(const struct verrs *e)
{
	return e->n >= MAX_FINDINGS;
}

/* msg with its control characters shown as escapes (\t, \x1b): a name
 * from the file could otherwise move the cursor or recolour the terminal,
 * and a tab in a name would look like spaces. */
static void put_message(FILE *f, const char *msg)
{
	const unsigned char *p;

	for (p = (const unsigned char *)msg; *p; p++)
		if (*p == '\t')
			fputs("\\t", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			putc(*p, f);
	putc('\n', f);
}

/* A finding and where it was found, for a stable sort by line. */
struct vsorted {
	long line;
	size_t index;
	const char *msg;
};

static int by_line(const void *a, const void *b)
{
	const struct vsorted *x = a, *y = b;

	if (x->line != y->line)
		return (x->line > y->line) - (x->line < y->line);
	return (x->index > y->index) - (x->index < y->index);
}

void verrs_print(const struct verrs *e, FILE *f)
{
	struct vsorted *s = xcalloc(e->n + 1, sizeof(*s));
	size_t i;
	int is_usage = 0;

	for (i = 0; i < e->n; i++)
		s[i] = (struct vsorted){ e->items[i].line, i, e->items[i].msg };
	qsort(s, e->n, sizeof(*s), by_line);
	for (i = 0; i < e->n; i++) {
		if (s[i].line < 0 || !e->file)
			fputs("campaign: ", f);
		else if (s[i].line > 0)
			fprintf(f, "%s:%ld: ", e->file, s[i].line);
		else
			fprintf(f, "%s: ", e->file);
		put_message(f, s[i].msg);
		is_usage |= s[i].line < 0;
	}
	if (e->n >= MAX_FINDINGS)
		fprintf(f, "campaign: (only the first %d problems are shown)\n",
			MAX_FINDINGS);
	if (is_usage)
		fputs("try 'campaign --help'\n", f);
	free(s);
}

void verrs_release(struct verrs *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->items[i].msg);
	free(e->items);
	e->items = NULL;
	e->n = 0;
}
