/*
 * xalloc: allocation that does not return on failure, shared by analyze
 * and campaign (bench allocates little and reports its own failures).
 * Out of memory prints "PROGRAM: out of memory" on stderr and exits 1,
 * the runtime-failure status of both programs: neither can do anything
 * sensible without memory, and every caller would only pass it up.
 *
 * Each function returns memory the caller owns and frees with free().
 * A size of 0 allocates 1 byte, so a non-NULL result always means success.
 */
#ifndef XALLOC_H
#define XALLOC_H

#include <stddef.h>

/* Print the message and exit 1. */
_Noreturn void xalloc_die(void);

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
/* realloc to n * size bytes; dies if the product overflows. */
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);
/* The first n bytes of s (which need not be terminated), terminated. */
char *xstrndup(const char *s, size_t n);

#endif
