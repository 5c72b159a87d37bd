#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void diag_vset(struct diag *d, const char *file, unsigned long line,
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

void diag_print(FILE *f, const struct diag *d)
{
	const char *kind = d->is_warning ? "warning: " : "";

	if (!d->file[0])
		fprintf(f, "analyze: %s%s\n", kind, d->msg);
	else if (d->line)
		fprintf(f, "%s:%lu: %s%s\n", d->file, d->line, kind, d->msg);
	else
		fprintf(f, "%s: %s%s\n", d->file, kind, d->msg);
}

void diag_list_add(struct diag_list *list, const char *file,
		   unsigned long line, const char *fmt, ...)
{
	va_list ap;

	if (list->n == list->cap) {
		list->cap = list->cap ? 2 * list->cap : 8;
		list->items = xreallocarray(list->items, list->cap,
					    sizeof(*list->items));
	}
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

FILE *util_atomic_open(const char *path, char **tmp_path)
{
	size_t len = strlen(path);
	char *tmp = xmalloc(len + sizeof(".tmp.XXXXXX"));
	int fd;
	mode_t um;
	FILE *f;

	memcpy(tmp, path, len);
	memcpy(tmp + len, ".tmp.XXXXXX", sizeof(".tmp.XXXXXX"));
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return NULL;
	}
	/* mkstemp creates 0600; the result should look like any new file. */
	um = umask(0);
	umask(um);
	(void)fchmod(fd, 0666 & ~um);
	f = fdopen(fd, "w");
	if (!f) {
		int saved = errno;

		close(fd);
		unlink(tmp);
		free(tmp);
		errno = saved;
		return NULL;
	}
	*tmp_path = tmp;
	return f;
}

int util_atomic_commit(FILE *f, char *tmp_path, const char *path)
{
	int failed = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
	int saved = errno;

	if (fclose(f) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (!failed && rename(tmp_path, path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed)
		unlink(tmp_path);
	free(tmp_path);
	errno = saved;
	return failed ? -1 : 0;
}

void util_atomic_abort(FILE *f, char *tmp_path)
{
	if (f)
		fclose(f);
	if (tmp_path) {
		unlink(tmp_path);
		free(tmp_path);
	}
}
