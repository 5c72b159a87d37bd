/*
 * jsonpos: where each value of a JSON text is, so that a message about a
 * value jansson has parsed can name its line. jansson reports positions
 * of syntax errors only; this walks the same text (which jansson has
 * accepted) once and records, for every value, its path, its line and
 * the span of its literal text.
 *
 * Paths: "" is the root, ".key" a member (the key as decoded: \" \\ \/
 * and the control escapes, \u escapes as UTF-8), "[i]" an array
 * item, so ".benchmarks[1].args[0]". A member's line is its key's line.
 * Owns its entries; jsonpos_release frees them.
 */
#ifndef CAMPAIGN_JSONPOS_H
#define CAMPAIGN_JSONPOS_H

#include <stddef.h>

#include <jansson.h>

struct jsonpos_entry {
	char *path;
	long line;		/* 1-based */
	size_t start, end;	/* the value's text: text[start..end) */
};

struct jsonpos {
	struct jsonpos_entry *items;
	size_t n;
	size_t *order;		/* items' indices sorted by path */
	const char *text;	/* borrowed: the text scanned */
};

/* Scan text (len bytes, valid JSON). 0, or -1 when it is not (then the
 * entries found before the fault are kept). */
int jsonpos_scan(const char *text, size_t len, struct jsonpos *out);
void jsonpos_release(struct jsonpos *p);
/* The line of path, or 0 when unknown. */
long jsonpos_line(const struct jsonpos *p, const char *path);
/* The literal text of path's value (in a static buffer that the next
 * call overwrites: at most 60 bytes, "..." when longer), or "" when
 * unknown. */
const char *jsonpos_text(const struct jsonpos *p, const char *path);

/* jansson's syntax error je about text (the len bytes given to jansson;
 * what names the file for messages, e.g. "a campaign file") as a message that names the mistake and its fix (a trailing comma, a
 * comment, single quotes, a missing comma, a NUL, bytes not UTF-8, text
 * after the value), else jansson's own. *line is set to the line to
 * show (a trailing comma's own line, not the bracket's). Caller frees. */
char *jsonpos_syntax(const char *text, size_t len, const json_error_t *je,
		     const char *what, long *line);

#endif
