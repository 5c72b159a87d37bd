/*
 * xalloc: allocation that does not return on failure, shared by the three
 * programs (bench allocates little and mostly reports its own failures).
 * Out of memory prints "PROGRAM: out of memory" on stderr and exits 1,
 * the runtime-failure status of both programs: neither can do anything
 * sensible without memory, and every caller would only pass it up.
 *
 * Each function returns memory the caller owns and frees with free().
 * A size of 0 allocates 1 byte, so a non-NULL result always means success.
 */
#ifndef LIB_XALLOC_H
#define LIB_XALLOC_H

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
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Room for at least need elements of size bytes in p, whose capacity is
 * *cap elements: returns p when need <= *cap, else the reallocated array
 * (p is then invalid) with *cap raised to at least need and by half
 * (git's alloc_nr), so n appends cost O(n) in all. Use ARRAY_GROW.
 */
void *xgrow(void *p, size_t need, size_t *cap, size_t size);

/* Make arr (a pointer lvalue) hold at least need elements; cap is its
 * capacity (a size_t lvalue). Evaluates arr and cap more than once. */
#define ARRAY_GROW(arr, need, cap) \
	((arr) = xgrow((arr), (need), &(cap), sizeof(*(arr))))

#endif
