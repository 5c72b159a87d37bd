/*
 * strbuf: a growable byte string, always NUL-terminated once anything was
 * added (buf is NULL before that). Out of memory is fatal (xalloc).
 *
 * Owns: buf; free it with strbuf_release(), or take it with
 * strbuf_detach(). Must not: be copied by value while in use (two owners).
 *
 *	struct strbuf sb = STRBUF_INIT;
 *	strbuf_addf(&sb, "%zu groups", n);
 *	puts(sb.buf);
 *	strbuf_release(&sb);
 */
#ifndef LIB_STRBUF_H
#define LIB_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;		/* NULL until the first add */
	size_t len;		/* bytes in buf, without the final NUL */
	size_t cap;		/* bytes allocated */
};

#define STRBUF_INIT { NULL, 0, 0 }

/* Append n bytes of data (which may hold NULs); n == 0 still makes buf a
 * valid empty string. */
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* The string (never NULL: "" when nothing was added), now the caller's
 * to free(); sb is empty again. */
char *strbuf_detach(struct strbuf *sb);

/* Free buf; sb is empty again. strbuf_release on an empty sb is a no-op. */
void strbuf_release(struct strbuf *sb);

#endif
