/*
 * vctx: the checker's state and the checks of single values (types,
 * ranges, keys) that validate.c, vbench.c and vplatform.c report through.
 */
#define _GNU_SOURCE		/* vasprintf */
#include "vctx.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonpos.h"
#include "strbuf.h"
#include "suggest.h"
#include "verrs.h"
#include "xalloc.h"

#define MAX_TIMEOUT_S 1e6	/* as --timeout: 11.6 days */

/* The line of path, or of the nearest enclosing value that has one. */
long vctx_line(const struct vctx *v, const char *path)
{
	char *buf = xstrdup(path), *cut;
	long line;

	while (!(line = jsonpos_line(&v->pos, buf)) && buf[0]) {
		cut = strrchr(buf, '.');
		if (!cut || (strrchr(buf, '[') && strrchr(buf, '[') > cut))
			cut = strrchr(buf, '[');
		if (!cut)
			break;
		*cut = '\0';
	}
	free(buf);
	return line;
}

void vctx_finding(struct vctx *v, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (verrs_full(v->errs))	/* no more are shown */
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
	verrs_add(v->errs, vctx_line(v, path), "%s", msg);
	free(msg);
}

char *vctx_lit(const struct vctx *v, const char *path)
{
	return xstrdup(jsonpos_text(&v->pos, path));
}

int vctx_has_name(char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

/* ---- keys ------------------------------------------------------------ */

/* Report each key of obj (at path) that is not in known, with the
 * nearest known one or the whole list. what names the object. */
void vctx_check_keys(struct vctx *v, json_t *obj, const char *path,
		     const char *const *known, const char *what)
{
	struct strbuf list = { 0 };
	const char *key, *near;
	const char *const *k;
	size_t n = 0;
	json_t *val;
	char *sub;

	for (k = known; *k; k++, n++) {
		strbuf_addstr(&list, n ? ", " : "");
		strbuf_addstr(&list, *k);
	}
	json_object_foreach(obj, key, val) {
		for (k = known; *k && strcmp(*k, key); k++)
			;
		if (*k)
			continue;
		if (verrs_full(v->errs))
			break;
		sub = xasprintf("%s.%s", path, key);
		near = suggest_nearest(key, known, n);
		if (near)
			vctx_finding(v, sub, "unknown key '%s' in %s (did you mean "
				"'%s'?)", key, what, near);
		else
			vctx_finding(v, sub, "unknown key '%s' in %s (known: %s)",
				key, what, list.buf);
		free(sub);
	}
	strbuf_release(&list);
}

/* ---- values ---------------------------------------------------------- */

const char *vctx_type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* An integer in [min, max] at path (key is the name for messages); 0 or
 * -1. A real (1e18, 2.0) is refused: a count is written as an integer. */
int vctx_check_int(struct vctx *v, json_t *j, const char *path,
		   const char *key, long long min, long long max)
{
	char *t;

	if (json_is_integer(j) && json_integer_value(j) >= min &&
	    json_integer_value(j) <= max)
		return 0;
	t = vctx_lit(v, path);
	vctx_finding(v, path, "'%s' must be an integer from %lld to %lld, not %s",
		key, min, max, t);
	free(t);
	return -1;
}

/* A number of seconds in (0, MAX_TIMEOUT_S]. */
int vctx_check_seconds(struct vctx *v, json_t *j, const char *path,
		       const char *key)
{
	double s = json_number_value(j);
	char *t;

	if (json_is_number(j) && isfinite(s) && s > 0 && s <= MAX_TIMEOUT_S)
		return 0;
	t = vctx_lit(v, path);
	vctx_finding(v, path, "'%s' must be a number of seconds above 0 and at "
		"most %.0f, not %s", key, MAX_TIMEOUT_S, t);
	free(t);
	return -1;
}

int vctx_check_type(struct vctx *v, json_t *j, const char *path,
		    const char *key, json_type type, const char *want)
{
	if (json_typeof(j) == type ||
	    (type == JSON_TRUE && json_is_boolean(j)))
		return 0;
	vctx_finding(v, path, "'%s' must be %s, not %s", key, want, vctx_type_name(j));
	return -1;
}

/* A one-line, non-empty string (names, configs end up in CSV fields). */
int vctx_check_text(struct vctx *v, json_t *j, const char *path,
		    const char *key, int may_be_empty)
{
	if (vctx_check_type(v, j, path, key, JSON_STRING, "a string"))
		return -1;
	if (!may_be_empty && !json_string_value(j)[0]) {
		vctx_finding(v, path, "'%s' must not be empty", key);
		return -1;
	}
	if (strpbrk(json_string_value(j), "\r\n")) {
		vctx_finding(v, path, "'%s' must not contain a line break", key);
		return -1;
	}
	return 0;
}

/* An array of strings; numbers get a precise hint (they were dropped
 * silently once). */
int vctx_check_strings(struct vctx *v, json_t *j, const char *path,
		       const char *key)
{
	json_t *w;
	size_t i;
	char *sub, *t;
	int rc = 0;

	if (vctx_check_type(v, j, path, key, JSON_ARRAY, "an array of strings"))
		return -1;
	json_array_foreach(j, i, w) {
		if (json_is_string(w))
			continue;
		sub = xasprintf("%s[%zu]", path, i);
		t = vctx_lit(v, sub);
		if (json_is_number(w))
			vctx_finding(v, sub, "'%s' item %zu is the number %s: "
				"arguments are strings, write \"%s\"", key,
				i + 1, t, t);
		else
			vctx_finding(v, sub, "'%s' item %zu is %s, not a string",
				key, i + 1, vctx_type_name(w));
		free(t);
		free(sub);
		rc = -1;
	}
	return rc;
}

/* A guest memory size as QEMU's -m takes it: digits, then K, M or G. */
int vctx_check_memory(struct vctx *v, json_t *j, const char *path,
		      const char *key)
{
	const char *s;
	size_t n;

	if (vctx_check_type(v, j, path, key, JSON_STRING, "a string such as "
		       "\"512M\""))
		return -1;
	s = json_string_value(j);
	n = strspn(s, "0123456789");
	if (n && n <= 7 && (!s[n] || (strchr("KMG", s[n]) && !s[n + 1])) &&
	    strtol(s, NULL, 10) > 0)
		return 0;
	vctx_finding(v, path, "'%s' must be a size such as \"512M\" or \"2G\", "
		"not \"%s\"", key, s);
	return -1;
}

/* ---- platforms ------------------------------------------------------- */
