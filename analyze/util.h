/*
 * util: what every analyze module shares and nothing more: exit codes,
 * module status codes, the caller-owned diagnostic (struct diag), a list of
 * warnings, and overflow-checked allocation.
 *
 * Modules never print and never exit: they return 0 or a negative status and
 * fill a struct diag owned by the caller. Only main() turns that into a
 * message on stderr and an exit status. The one exception is allocation
 * failure, which prints "analyze: out of memory" and exits 1 (there is no
 * sensible recovery and threading NULL through every caller hides bugs).
 */
#ifndef ANALYZE_UTIL_H
#define ANALYZE_UTIL_H

#include <stddef.h>
#include <stdio.h>

#include "xalloc.h"	/* xmalloc and the rest, shared with campaign */

/* Exit statuses of every tool of the toolkit (STYLE.md section 7). */
enum exit_status {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,	/* I/O, gnuplot missing or failing, ... */
	EXIT_BADINPUT = 2	/* bad usage, bad CSV, bad sidecar */
};

/* Module return values. */
enum status {
	STATUS_OK = 0,
	STATUS_RUNTIME = -1,	/* maps to EXIT_RUNTIME */
	STATUS_BADINPUT = -2	/* maps to EXIT_BADINPUT */
};

#define DIAG_FILE_MAX 4096
#define DIAG_MSG_MAX 1024

/*
 * A diagnostic: "FILE:LINE: message" (line > 0), "FILE: message" (line == 0,
 * file set) or "analyze: message" (no file). Lines are 1-based, the header is
 * line 1. Standard input is named "<stdin>".
 */
struct diag {
	char file[DIAG_FILE_MAX];
	unsigned long line;
	int is_warning;
	char msg[DIAG_MSG_MAX];
};

/* Fill d; file may be NULL. Truncates overlong text, never overflows. */
void diag_set(struct diag *d, const char *file, unsigned long line,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Write d as one line to f: "FILE:LINE: [warning: ]msg\n". */
void diag_print(FILE *f, const struct diag *d);

/* A growable list of diagnostics (warnings and notes). */
struct diag_list {
	struct diag *items;
	size_t n, cap;
};

/* Append a warning to list (is_warning set). */
void diag_list_add(struct diag_list *list, const char *file,
		   unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_list_release(struct diag_list *list);

/*
 * Write a file atomically: util_atomic_open() creates a temporary file in
 * the directory of path and returns a stream to it; util_atomic_commit()
 * flushes, fsyncs, closes and renames it over path, or removes it and
 * returns -1 (errno set) if any write failed. util_atomic_abort() closes
 * and removes the temporary file. The caller owns *tmp_path (free it).
 */
FILE *util_atomic_open(const char *path, char **tmp_path);
int util_atomic_commit(FILE *f, char *tmp_path, const char *path);
void util_atomic_abort(FILE *f, char *tmp_path);

#endif
