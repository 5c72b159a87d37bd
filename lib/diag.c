/*
 * diag: diagnostics and the status codes every program shares.
 */
#include "diag.h"

#include <stdlib.h>

#include "xalloc.h"

enum exit_status status_exit(int status)
{
	return status == STATUS_BADINPUT ? EXIT_BADINPUT :
	       status == STATUS_RUNTIME ? EXIT_RUNTIME : EXIT_OK;
}

void diag_vset(struct diag *d, const char *file, unsigned long line,
	       const char *fmt, va_list ap)
{
	d->is_warning = 0;
	d->line = line;
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

void diag_set(struct diag *d, const char *file, unsigned long line,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(d, file, line, fmt, ap);
	va_end(ap);
}

void diag_print(FILE *f, const char *tool, const struct diag *d)
{
	const char *kind = d->is_warning ? "warning: " : "";

	if (!d->file[0])
		fprintf(f, "%s: %s%s\n", tool, kind, d->msg);
	else if (d->line)
		fprintf(f, "%s:%lu: %s%s\n", d->file, d->line, kind, d->msg);
	else
		fprintf(f, "%s: %s%s\n", d->file, kind, d->msg);
}

void diag_list_add(struct diag_list *list, const char *file,
		   unsigned long line, const char *fmt, ...)
{
	va_list ap;

	ARRAY_GROW(list->items, list->n + 1, list->cap);
	va_start(ap, fmt);
	diag_vset(&list->items[list->n], file, line, fmt, ap);
	va_end(ap);
	list->items[list->n].is_warning = 1;
	list->n++;
}

void diag_list_release(struct diag_list *list)
{
	free(list->items);
	list->items = NULL;
	list->n = list->cap = 0;
}
