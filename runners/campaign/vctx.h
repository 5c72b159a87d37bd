/*
 * vctx: what validate.c (the file's structure), vbench.c (the checks that
 * need the platforms chosen, and bench itself) and vplatform.c (platform
 * definitions) share: the checker's state, findings at a JSON path, and
 * the checks of single values. Private to the three.
 */
#ifndef CAMPAIGN_VCTX_H
#define CAMPAIGN_VCTX_H

#include <jansson.h>

#include "jsonpos.h"
#include "validate.h"

struct vctx {
	const struct vinput *in;
	struct jsonpos pos;
	struct verrs *errs;
	json_t *root;
	char **plats;		/* the campaign's platforms: file + --platforms */
	size_t n_plats;
	char **selected;	/* the platforms it runs, in order */
	size_t n_selected;
	unsigned char *bad_bench;	/* per benchmark: it had findings */
};

/* The line of path, or of the nearest enclosing value that has one. */
long vctx_line(const struct vctx *v, const char *path);
/* A finding at path's line. */
void vctx_finding(struct vctx *v, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The literal text of path's value, for messages (caller frees). */
char *vctx_lit(const struct vctx *v, const char *path);
int vctx_has_name(char *const *names, size_t n, const char *name);

/* Each key of obj (at path) that is not in known (NULL-terminated) is a
 * finding, with the nearest known one or the whole list; what names the
 * object. */
void vctx_check_keys(struct vctx *v, json_t *obj, const char *path,
		     const char *const *known, const char *what);
/* "an object", "a string", ...: what j is, for messages. */
const char *vctx_type_name(const json_t *j);
/* The checks of one value at path (key names it in messages): each
 * returns 0, or -1 after a finding. An integer in [min, max]; seconds in
 * (0, 1e6]; a value of JSON type type (want says it in words); a string
 * without line breaks (and not empty unless may_be_empty); an array of
 * strings; a memory size such as "512M". */
int vctx_check_int(struct vctx *v, json_t *j, const char *path,
		   const char *key, long long min, long long max);
int vctx_check_seconds(struct vctx *v, json_t *j, const char *path,
		       const char *key);
int vctx_check_type(struct vctx *v, json_t *j, const char *path,
		    const char *key, json_type type, const char *want);
int vctx_check_text(struct vctx *v, json_t *j, const char *path,
		    const char *key, int may_be_empty);
int vctx_check_strings(struct vctx *v, json_t *j, const char *path,
		       const char *key);
int vctx_check_memory(struct vctx *v, json_t *j, const char *path,
		      const char *key);


#endif
