/*
 * jsonpos: one pass over a JSON text, recording each value's path, line
 * and span (see jsonpos.h). A recursive descent over the grammar of RFC
 * 8259; nesting deeper than JP_MAX_DEPTH stops the scan (jansson refuses
 * texts nested deeper than 2048; campaign files nest four levels).
 */
#include "jsonpos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define JP_MAX_DEPTH 64
#define JP_MAX_PATH 1024

struct scan {
	const char *s, *end, *text;
	long line;
	int depth;
	char path[JP_MAX_PATH];
	size_t path_len;
	struct jsonpos *out;
	size_t cap;
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void skip_ws(struct scan *sc)
{
	while (sc->s < sc->end && is_ws(*sc->s)) {
		if (*sc->s == '\n')
			sc->line++;
		sc->s++;
	}
}

/* A new entry for the current path; returns its index. */
static size_t record(struct scan *sc, long line)
{
	struct jsonpos_entry *e;

	if (sc->out->n == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 64;
		sc->out->items = xreallocarray(sc->out->items, sc->cap,
					       sizeof(*sc->out->items));
	}
	e = &sc->out->items[sc->out->n];
	e->path = xstrndup(sc->path, sc->path_len);
	e->line = line;
	e->start = e->end = (size_t)(sc->s - sc->text);
	return sc->out->n++;
}

/* Append to the path; 0, or -1 when it would not fit. */
static int path_push(struct scan *sc, const char *part, size_t len)
{
	if (sc->path_len + len + 1 >= sizeof(sc->path))
		return -1;
	memcpy(sc->path + sc->path_len, part, len);
	sc->path_len += len;
	sc->path[sc->path_len] = '\0';
	return 0;
}

static void path_cut(struct scan *sc, size_t len)
{
	sc->path_len = len;
	sc->path[len] = '\0';
}

/* A string at sc->s (its opening quote). With is_key, '.' and its
 * decoded text go onto the path. 0 or -1. */
static int string(struct scan *sc, int is_key)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;
	char c;

	if (is_key && path_push(sc, ".", 1))
		return -1;
	for (sc->s++; sc->s < sc->end && *sc->s != '"'; sc->s++) {
		c = *sc->s;
		if (c == '\\' && sc->s + 1 < sc->end) {
			c = *++sc->s;
			k = c ? strchr(from, c) : NULL;
			if (k && c != 'u')
				c = to[k - from];
			else if (is_key && path_push(sc, "\\", 1))
				return -1;
		}
		if (is_key && path_push(sc, &c, 1))
			return -1;
	}
	if (sc->s >= sc->end)
		return -1;
	sc->s++;
	return 0;
}

static int value(struct scan *sc, long line);

static int members(struct scan *sc)
{
	size_t base = sc->path_len;
	long line;

	sc->s++;
	skip_ws(sc);
	if (sc->s < sc->end && *sc->s == '}') {
		sc->s++;
		return 0;
	}
	for (;;) {
		skip_ws(sc);
		line = sc->line;
		if (sc->s >= sc->end || *sc->s != '"' || string(sc, 1))
			return -1;
		skip_ws(sc);
		if (sc->s >= sc->end || *sc->s != ':')
			return -1;
		sc->s++;
		if (value(sc, line))
			return -1;
		path_cut(sc, base);
		skip_ws(sc);
		if (sc->s < sc->end && *sc->s == ',') {
			sc->s++;
			continue;
		}
		if (sc->s >= sc->end || *sc->s != '}')
			return -1;
		sc->s++;
		return 0;
	}
}

static int elements(struct scan *sc)
{
	size_t base = sc->path_len, i;
	char idx[32];

	for (sc->s++, i = 0;; i++) {
		skip_ws(sc);
		if (sc->s < sc->end && *sc->s == ']' && !i)
			break;
		snprintf(idx, sizeof(idx), "[%zu]", i);
		if (path_push(sc, idx, strlen(idx)) || value(sc, 0))
			return -1;
		path_cut(sc, base);
		skip_ws(sc);
		if (sc->s < sc->end && *sc->s == ',') {
			sc->s++;
			continue;
		}
		if (sc->s >= sc->end || *sc->s != ']')
			return -1;
		break;
	}
	sc->s++;
	return 0;
}

/* The value at the current path; line (when > 0) is its key's line. */
static int value(struct scan *sc, long line)
{
	size_t at;
	int rc = 0;

	skip_ws(sc);
	if (sc->s >= sc->end || ++sc->depth > JP_MAX_DEPTH)
		return -1;
	at = record(sc, line > 0 ? line : sc->line);
	if (*sc->s == '{')
		rc = members(sc);
	else if (*sc->s == '[')
		rc = elements(sc);
	else if (*sc->s == '"')
		rc = string(sc, 0);
	else
		while (sc->s < sc->end && !is_ws(*sc->s) &&
		       !strchr(",]}", *sc->s))
			sc->s++;
	sc->out->items[at].end = (size_t)(sc->s - sc->text);
	sc->depth--;
	return rc;
}

int jsonpos_scan(const char *text, size_t len, struct jsonpos *out)
{
	struct scan sc;

	memset(out, 0, sizeof(*out));
	memset(&sc, 0, sizeof(sc));
	out->text = text;
	sc.s = sc.text = text;
	sc.end = text + len;
	sc.line = 1;
	sc.out = out;
	return value(&sc, 0);
}

void jsonpos_release(struct jsonpos *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->items[i].path);
	free(p->items);
	memset(p, 0, sizeof(*p));
}

static const struct jsonpos_entry *find(const struct jsonpos *p,
					const char *path)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->items[i].path, path))
			return &p->items[i];
	return NULL;
}

long jsonpos_line(const struct jsonpos *p, const char *path)
{
	const struct jsonpos_entry *e = find(p, path);

	return e ? e->line : 0;
}

const char *jsonpos_text(const struct jsonpos *p, const char *path)
{
	static char buf[64];
	const struct jsonpos_entry *e = find(p, path);
	size_t len;

	if (!e || !p->text)
		return "";
	len = e->end - e->start;
	if (len > 60)
		snprintf(buf, sizeof(buf), "%.57s...", p->text + e->start);
	else
		snprintf(buf, sizeof(buf), "%.*s", (int)len,
			 p->text + e->start);
	return buf;
}
