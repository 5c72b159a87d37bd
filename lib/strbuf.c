/*
 * strbuf: a growable byte string.
 */
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Room for n more bytes and the NUL. */
static void reserve(struct strbuf *sb, size_t n)
{
	if (n >= (size_t)-1 - sb->len)
		xalloc_die();
	ARRAY_GROW(sb->buf, sb->len + n + 1, sb->cap);
}

void strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
	reserve(sb, n);
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0) {		/* only for an invalid format */
		strbuf_add(sb, "", 0);
		return;
	}
	reserve(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

char *strbuf_detach(struct strbuf *sb)
{
	char *s;

	strbuf_add(sb, "", 0);
	s = sb->buf;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}
