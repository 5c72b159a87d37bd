/*
 * jsonpos: one pass over a JSON text, recording each value's path, line
 * and span (see jsonpos.h). A recursive descent over the grammar of RFC
 * 8259, run only on texts jansson has accepted (so nested at most 2048
 * deep); values nested deeper than JP_MAX_DEPTH are scanned but not
 * recorded (campaign files nest four levels). Lookups go through an index
 * sorted by path: a file with many findings asks for many lines.
 */
#include "jsonpos.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "strbuf.h"

#define JP_MAX_DEPTH 64

struct scan {
	const char *s, *end, *text;
	long line;
	int depth;
	char *path;		/* the current path, NUL-terminated */
	size_t path_len, path_cap;
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
	e->path = xstrndup(sc->path ? sc->path : "", sc->path_len);
	e->line = line;
	e->start = e->end = (size_t)(sc->s - sc->text);
	return sc->out->n++;
}

static void path_push(struct scan *sc, const char *part, size_t len)
{
	if (sc->path_len + len + 1 > sc->path_cap) {
		sc->path_cap = 2 * (sc->path_len + len + 1);
		sc->path = xrealloc(sc->path, sc->path_cap);
	}
	memcpy(sc->path + sc->path_len, part, len);
	sc->path_len += len;
	sc->path[sc->path_len] = '\0';
}

static void path_cut(struct scan *sc, size_t len)
{
	sc->path_len = len;
	if (sc->path)
		sc->path[len] = '\0';
}

/* The four hex digits at s (valid: jansson accepted the text). */
static unsigned hex4(const char *s)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v = v * 16 + (unsigned)(s[i] <= '9' ? s[i] - '0' :
					(s[i] | 0x20) - 'a' + 10);
	return v;
}

/* Code point cp as UTF-8 onto the path, as jansson decodes it. */
static void push_utf8(struct scan *sc, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	path_push(sc, b, n);
}

/* A \u escape at sc->s (the 'u'), decoded onto the path (a surrogate
 * pair as one code point); sc->s is left on its last hex digit. */
static int unicode_escape(struct scan *sc)
{
	uint32_t cp, lo;

	if (sc->end - sc->s < 5)
		return -1;
	cp = hex4(sc->s + 1);
	sc->s += 4;
	if (cp >= 0xd800 && cp < 0xdc00 && sc->end - sc->s >= 7 &&
	    sc->s[1] == '\\' && sc->s[2] == 'u') {
		lo = hex4(sc->s + 3);
		if (lo >= 0xdc00 && lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			sc->s += 6;
		}
	}
	push_utf8(sc, cp);
	return 0;
}

/* A string at sc->s (its opening quote). With is_key, '.' and its
 * decoded text go onto the path. 0 or -1. */
static int string(struct scan *sc, int is_key)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;
	char c;

	if (is_key)
		path_push(sc, ".", 1);
	for (sc->s++; sc->s < sc->end && *sc->s != '"'; sc->s++) {
		c = *sc->s;
		if (c == '\\' && sc->s + 1 < sc->end) {
			c = *++sc->s;
			if (c == 'u') {
				if (is_key ? unicode_escape(sc) :
				    (sc->end - sc->s < 5 ? -1 :
				     (sc->s += 4, 0)))
					return -1;
				continue;
			}
			k = c ? strchr(from, c) : NULL;
			if (k)
				c = to[k - from];
		}
		if (is_key)
			path_push(sc, &c, 1);
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
		path_push(sc, idx, strlen(idx));
		if (value(sc, 0))
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
	size_t at = SIZE_MAX;
	int rc = 0;

	skip_ws(sc);
	if (sc->s >= sc->end)
		return -1;
	if (++sc->depth <= JP_MAX_DEPTH)
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
	if (at != SIZE_MAX)
		sc->out->items[at].end = (size_t)(sc->s - sc->text);
	sc->depth--;
	return rc;
}

/* The index: entries in path order, equal paths in text order, so that a
 * lookup finds the first, as a search from the start would. */
static const struct jsonpos_entry *sort_base;

static int by_path(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(sort_base[x].path, sort_base[y].path);

	return c ? c : (x > y) - (x < y);
}

int jsonpos_scan(const char *text, size_t len, struct jsonpos *out)
{
	struct scan sc;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&sc, 0, sizeof(sc));
	out->text = text;
	sc.s = sc.text = text;
	sc.end = text + len;
	sc.line = 1;
	sc.out = out;
	rc = value(&sc, 0);
	free(sc.path);
	out->order = xcalloc(out->n + 1, sizeof(*out->order));
	for (i = 0; i < out->n; i++)
		out->order[i] = i;
	sort_base = out->items;
	qsort(out->order, out->n, sizeof(*out->order), by_path);
	sort_base = NULL;
	return rc;
}

void jsonpos_release(struct jsonpos *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->items[i].path);
	free(p->items);
	free(p->order);
	memset(p, 0, sizeof(*p));
}

static const struct jsonpos_entry *find(const struct jsonpos *p,
					const char *path)
{
	size_t lo = 0, hi = p->n, mid;

	while (lo < hi) {	/* the first entry whose path is >= path */
		mid = lo + (hi - lo) / 2;
		if (strcmp(p->items[p->order[mid]].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->n && !strcmp(p->items[p->order[lo]].path, path))
		return &p->items[p->order[lo]];
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

/* ---- syntax errors ---------------------------------------------------- */

static long line_at(const char *text, size_t at)
{
	const char *p = text, *end = text + at;
	long line = 1;

	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		line++;
		p++;
	}
	return line;
}

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

char *jsonpos_syntax(const char *text, size_t len, const json_error_t *je,
		     const char *what, long *line)
{
	const char *msg = je->text, *near = strstr(msg, " near '"), *nul;
	size_t pos = je->position > 0 ? (size_t)je->position : 0, at;
	char tok[32] = "";
	unsigned byte;

	*line = je->line > 0 ? je->line : 0;
	if ((nul = memchr(text, '\0', len))) {
		*line = line_at(text, (size_t)(nul - text));
		return xasprintf("a NUL byte (byte %zu of the file): %s is "
				 "text, not binary", (size_t)(nul - text) + 1,
				 what);
	}
	if (near)	/* the token jansson stopped at, without its quotes */
		snprintf(tok, sizeof(tok), "%.*s",
			 (int)(strlen(near + 7) ? strlen(near + 7) - 1 : 0),
			 near + 7);
	if (strstr(msg, "JSON_ALLOW_NUL"))
		return xstrdup("a string holds \\u0000 (NUL), which no name, "
			       "argument or setting may hold");
	if (sscanf(msg, "unable to decode byte 0x%x", &byte) == 1)
		return xasprintf("byte 0x%02x is not UTF-8: %s is UTF-8 text "
				 "(convert it, e.g. with iconv -t UTF-8)", byte,
				 what);
	if ((!strcmp(tok, "]") || !strcmp(tok, "}")) && pos >= 1 &&
	    pos <= len && text[pos - 1] == tok[0]) {
		for (at = pos - 1; at > 0 && strchr(" \t\r\n", text[at - 1]);
		     at--)
			;
		if (at > 0 && text[at - 1] == ',') {
			*line = line_at(text, at - 1);
			return xasprintf("a ',' before '%s': JSON allows no "
					 "trailing comma (remove it)", tok);
		}
	}
	if (near && (tok[0] == '/' || tok[0] == '#'))
		return xstrdup("a comment: JSON has none (remove it, or say it "
			       "in \"description\")");
	if (near && tok[0] == '\'')
		return xstrdup("a string in single quotes: JSON strings are in "
			       "double quotes (\"...\")");
	if (starts(msg, "unexpected newline"))
		return xstrdup("a line break inside a string: close it with \" "
			       "on the same line (write \\n for a line break)");
	if (starts(msg, "end of file expected near '"))
		return xasprintf("text after the closing '}' (near '%s'): %s "
				 "holds one JSON object", tok, what);
	if (starts(msg, "duplicate object key near '"))
		return xasprintf("the key %s appears twice in one object: keep "
				 "one", tok);
	if ((starts(msg, "'}' expected near '") ||
	     starts(msg, "']' expected near '")) && near)
		return xasprintf("%s: is a ',' missing before it?", msg);
	if (!strcmp(tok, "NaN") || !strcmp(tok, "Infinity") ||
	    !strcmp(tok, "-Infinity"))
		return xasprintf("%s: JSON has no NaN or Infinity", msg);
	return xstrdup(msg);
}
