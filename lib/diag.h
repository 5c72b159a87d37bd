/*
 * diag: the one error convention of the toolkit. A module never prints
 * and never exits: it returns 0 or a negative enum status and fills a
 * caller-owned struct diag (file, line, message). Only a program's main()
 * turns that into a line on stderr and an enum exit_status.
 *
 * Owns: nothing but the items of a struct diag_list (diag_list_release).
 * Must not: print anywhere but in diag_print, or exit.
 */
#ifndef LIB_DIAG_H
#define LIB_DIAG_H

#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>

/* Exit statuses of every program of the toolkit: analyze, bench and
 * campaign list them under EXIT STATUS in --help and their man pages. */
enum exit_status {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,	/* I/O, out of memory, a tool failing, a
				 * runner's self-check failed */
	EXIT_BADINPUT = 2,	/* bad usage, bad CSV, bad sidecar or
				 * campaign file */
	EXIT_INTERRUPTED = 130	/* SIGINT/SIGTERM: 128 + SIGINT, as a shell
				 * reports a process killed by Ctrl-C */
};

/* Module return values, each the negative of the exit status it maps to
 * (status_exit). */
enum status {
	STATUS_OK = 0,
	STATUS_RUNTIME = -1,	/* maps to EXIT_RUNTIME */
	STATUS_BADINPUT = -2	/* maps to EXIT_BADINPUT */
};

/* The exit status of a module status: 0, 1 or 2. */
enum exit_status status_exit(int status);

#define DIAG_FILE_MAX 4096
#define DIAG_MSG_MAX 1024

/*
 * A diagnostic: "FILE:LINE: message" (line > 0), "FILE: message" (line
 * == 0, file set) or "TOOL: message" (no file). Lines are 1-based, the
 * header of a CSV is line 1. Standard input is named "<stdin>".
 */
struct diag {
	char file[DIAG_FILE_MAX];
	unsigned long line;
	int is_warning;
	char msg[DIAG_MSG_MAX];
};

/* Fill d (is_warning cleared); file may be NULL. Truncates overlong text,
 * never overflows. */
void diag_set(struct diag *d, const char *file, unsigned long line,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_vset(struct diag *d, const char *file, unsigned long line,
	       const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* Write d as one line to f: "FILE:LINE: [warning: ]msg\n", or with no
 * file "TOOL: [warning: ]msg\n" (tool: "analyze", "bench stream", ...). */
void diag_print(FILE *f, const char *tool, const struct diag *d);

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

#endif
