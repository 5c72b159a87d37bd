/*
 * load_priv: what the three files of the load module share and nobody
 * else may use: the index behind struct dataset (string pool, group hash
 * table, files seen). load.c reads files, load_set.c keeps the dataset and
 * its index, load_field.c checks single fields. Include only from
 * analyze/load*.c.
 */
#ifndef ANALYZE_LOAD_PRIV_H
#define ANALYZE_LOAD_PRIV_H

#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "load.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	char data[];
};

struct str_slot {
	uint64_t hash;
	const char *s;		/* NULL: empty slot */
};

struct group_slot {
	uint64_t hash;
	size_t group_plus1;	/* 0: empty slot */
};

/* What the loader needs about a group that struct group omits. */
struct group_extra {
	size_t last_source;	/* source of the latest row */
	size_t better_source;	/* where the explicit 'better' was first */
	unsigned long better_line;	/* 0: no explicit 'better' yet */
};

/* An input already read, to notice the same file given twice. */
struct file_id {
	dev_t dev;
	ino_t ino;
	int is_stdin;
	int has_inode;		/* dev/ino identify the file */
	size_t source;
};

struct load_index {
	int is_lenient;
	struct arena_chunk *arena;	/* interned strings live here */
	struct str_slot *strs;
	size_t n_strs, cap_strs;	/* cap: a power of two */
	struct group_slot *slots;
	size_t cap_slots;		/* a power of two, >= 2 * groups */
	struct group_extra *extra;	/* parallel to dataset->groups */
	size_t cap_groups;
	struct file_id *files;
	size_t n_files, cap_files;
	const char *empty;		/* the interned "" */
};

/* The one copy of s[0..n-1] owned by the index, valid until load_free. */
const char *load_intern(struct load_index *ix, const char *s, size_t n);

/*
 * The group whose key is kv[0..n_key_cols-1] (lengths kl), created empty
 * (key interned, first_source/first_line set, no unit) when there is none:
 * *is_new tells which. The pointer is valid until the next call.
 */
struct group *load_group_get(struct dataset *ds, const char *const *kv,
			     const size_t *kl, size_t source,
			     unsigned long line, int *is_new);

/* Append one value and its run index to g. */
void load_group_append(struct group *g, double value, double run);

/* "native/stream/triad": g's non-empty key values, for messages. */
void load_key_text(const struct dataset *ds, const struct group *g,
		   char *buf, size_t size);

/*
 * Has this input been read already (same device and inode, or "-" twice)?
 * Then a warning is added and 1 returned. Otherwise it is remembered as
 * the next source (ds->n_sources) and 0 returned.
 */
int load_seen_before(struct dataset *ds, const char *name, int is_stdin,
		     const struct stat *st);

/*
 * NAME.meta.json beside NAME.csv: its "source" becomes src->provenance
 * and src->meta_path is set (both owned by the dataset). A missing
 * sidecar is fine; a malformed one returns STATUS_BADINPUT with err set
 * to "NAME.meta.json:LINE: jansson's message".
 */
int load_read_sidecar(struct source *src, const char *path,
		      struct diag *err);

#endif
