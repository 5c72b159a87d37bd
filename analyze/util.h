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
#include <sys/types.h>

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
 * Write an output file. util_atomic_open(path) follows symbolic links to
 * the name they end at (the links stay links) and then:
 * - a regular file or a new name: creates a temporary file "NAME.tmp.*"
 *   beside it (an existing file's mode and, when allowed, owner copied)
 *   and returns a stream to it in *tmp_path, which the caller owns (free
 *   it); util_atomic_commit() flushes, fsyncs, closes and renames it over
 *   the name, or removes it and returns -1 (errno set) if any write
 *   failed. A good file is never replaced by a partial one. A file with
 *   several hard links is replaced under this name only.
 * - a device, FIFO or socket: opened and written where it is (*tmp_path
 *   is NULL), so /dev/null stays a device; commit only flushes and closes.
 * - /dev/stdout, /dev/stderr, /dev/fd/N: written to that descriptor.
 * NULL with errno set when nothing can be opened (ELOOP for a loop of
 * links, EISDIR for a directory). util_atomic_abort() closes and removes
 * the temporary file. Until commit or abort, the temporary file is on the
 * list util_cleanup_install() removes on a fatal signal.
 */
FILE *util_atomic_open(const char *path, char **tmp_path);
int util_atomic_commit(FILE *f, char *tmp_path, const char *path);
void util_atomic_abort(FILE *f, char *tmp_path);
/* For a writer other than this process (gnuplot): rename the temporary
 * file tmp_path over the name it was made for, take it off the cleanup
 * list; 0 or -1 (errno set). The caller still frees tmp_path. */
int util_atomic_rename(const char *tmp_path);

/*
 * Cleanup on SIGINT, SIGTERM, SIGHUP (unless ignored when analyze
 * started) and on exit(): every temporary file on the list is removed and
 * the child process group (gnuplot's) is killed, then the signal ends the
 * process as it would have. util_temp_add() keeps the pointer, not a copy:
 * path must stay valid until util_temp_remove(path). At most 8 at once.
 * util_child_group(0) clears the group.
 */
void util_cleanup_install(void);
void util_temp_add(const char *path);
void util_temp_remove(const char *path);
void util_child_group(pid_t pgid);

#endif
