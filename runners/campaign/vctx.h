/*
 * vctx: what validate.c (the file's structure) and vbench.c (the checks
 * that need the platforms chosen, and bench itself) share. Private to
 * the two.
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

/* The checks across benchmarks and platforms, and bench --check. */
void vbench_check(struct vctx *v);

#endif
