/*
 * load_set: the dataset and its index: interned strings, the hash table
 * that finds a row's group from its key fields, groups and their values,
 * the inputs already read and their sidecars, and the public calls that
 * only read or trim a loaded dataset.
 */
#include "load_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

#define ARENA_CHUNK (64 * 1024)

/* ---- hashing and interning ----------------------------------------------- */

/* A multiply-xorshift hash over 8-byte words (the mixing of wyhash and
 * splitmix64): only bucket choice depends on it, equality is checked by
 * comparing strings, so quality matters less than speed. */
static uint64_t hash_bytes(const char *s, size_t n, uint64_t h)
{
	const uint64_t k = UINT64_C(0x9e3779b97f4a7c15);
	uint64_t w = 0;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	w = load_tail_word(s, n, 0);
	h = (h ^ w ^ ((uint64_t)n << 56)) * k;
	return h ^ (h >> 32);
}

static char *arena_alloc(struct load_index *ix, size_t n)
{
	struct arena_chunk *c = ix->arena;

	if (!c || c->cap - c->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		c = xmalloc(sizeof(*c) + cap + LOAD_PAD);
		c->used = 0;
		c->cap = cap;
		c->next = ix->arena;
		ix->arena = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

static void strs_grow(struct load_index *ix)
{
	size_t cap = ix->cap_strs * 2, i, j;
	struct str_slot *t = xcalloc(cap, sizeof(*t));

	for (i = 0; i < ix->cap_strs; i++) {
		if (!ix->strs[i].s)
			continue;
		for (j = ix->strs[i].hash & (cap - 1); t[j].s; j = (j + 1) & (cap - 1))
			;
		t[j] = ix->strs[i];
	}
	free(ix->strs);
	ix->strs = t;
	ix->cap_strs = cap;
}

/* The one copy of s[0..n-1] owned by the index; lives until load_free. */
const char *load_intern(struct load_index *ix, const char *s, size_t n)
{
	uint64_t h = hash_bytes(s, n, 0);
	size_t j, mask;
	char *p;

	if (2 * (ix->n_strs + 1) > ix->cap_strs)
		strs_grow(ix);
	mask = ix->cap_strs - 1;
	for (j = h & mask; ix->strs[j].s; j = (j + 1) & mask)
		if (ix->strs[j].hash == h && !strncmp(ix->strs[j].s, s, n) &&
		    ix->strs[j].s[n] == '\0')
			return ix->strs[j].s;
	p = arena_alloc(ix, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	ix->strs[j].hash = h;
	ix->strs[j].s = p;
	ix->n_strs++;
	return p;
}

/* ---- datasets ------------------------------------------------------------ */

/* 1 reads every file serially, 2 to 4 split every regular file into that
 * many parts whatever its size. */
int load_env_threads(void)
{
	const char *s = getenv("ANALYZE_LOAD_THREADS");

	if (s && s[0] >= '1' && s[0] <= '4' && s[1] == '\0')
		return s[0] - '0';
	return 0;
}

/* ANALYZE_LOAD_SHORTCUT=0, a testing aid (analyze(1), ENVIRONMENT): every
 * line goes through libcsv, none through linesplit's shortcut. */
static int libcsv_only_from_env(void)
{
	const char *s = getenv("ANALYZE_LOAD_SHORTCUT");

	return s && !strcmp(s, "0");
}

static struct load_index *index_new(int is_lenient)
{
	struct load_index *ix = xcalloc(1, sizeof(*ix));

	ix->is_lenient = is_lenient;
	ix->n_threads = load_env_threads();
	ix->is_libcsv_only = libcsv_only_from_env();
	ix->cap_strs = 256;
	ix->strs = xcalloc(ix->cap_strs, sizeof(*ix->strs));
	ix->cap_slots = 256;
	ix->slots = xcalloc(ix->cap_slots, sizeof(*ix->slots));
	ix->empty = load_intern(ix, "", 0);
	return ix;
}

struct dataset *load_part_new(const struct dataset *ds)
{
	struct dataset *p = xcalloc(1, sizeof(*p));
	size_t i;

	p->key_cols = xcalloc(ds->n_key_cols, sizeof(*p->key_cols));
	for (i = 0; i < ds->n_key_cols; i++)
		p->key_cols[i] = xstrdup(ds->key_cols[i]);
	p->n_key_cols = ds->n_key_cols;
	p->factor_index = ds->factor_index;
	p->sources = xcalloc(ds->n_sources, sizeof(*p->sources));
	for (i = 0; i < ds->n_sources; i++)
		p->sources[i].path = xstrdup(ds->sources[i].path);
	p->n_sources = ds->n_sources;
	p->index = index_new(ds->index->is_lenient);
	return p;
}

struct dataset *load_new(const struct load_options *opt)
{
	static const char *const defaults[] = {
		"platform", "benchmark", "metric", "config"
	};
	const char *const *cols = defaults;
	size_t n = 4, i;
	const char *factor = opt && opt->factor ? opt->factor : "platform";
	struct dataset *ds = xcalloc(1, sizeof(*ds));
	int idx;

	if (opt && opt->group_cols) {
		cols = opt->group_cols;
		n = opt->n_group_cols;
	}
	ds->key_cols = xcalloc(n + 1, sizeof(*ds->key_cols));
	for (i = 0; i < n; i++)
		if (load_key_index(ds, cols[i]) < 0)
			ds->key_cols[ds->n_key_cols++] = xstrdup(cols[i]);
	idx = load_key_index(ds, factor);
	if (idx < 0) {
		idx = (int)ds->n_key_cols;
		ds->key_cols[ds->n_key_cols++] = xstrdup(factor);
	}
	ds->factor_index = (size_t)idx;
	ds->index = index_new(opt ? opt->lenient : 0);
	return ds;
}

int load_key_index(const struct dataset *ds, const char *name)
{
	size_t i;

	for (i = 0; i < ds->n_key_cols; i++)
		if (!strcmp(ds->key_cols[i], name))
			return (int)i;
	return -1;
}

const char *load_factor(const struct dataset *ds, const struct group *g)
{
	return g->key[ds->factor_index];
}

size_t load_group_drop(struct group *g, const unsigned char *drop)
{
	size_t i, o = 0;

	if (!g->runs)
		load_group_spell_runs(g);
	for (i = 0; i < g->n; i++) {
		if (drop[i])
			continue;
		g->values[o] = g->values[i];
		g->runs[o] = g->runs[i];
		o++;
	}
	i = g->n - o;
	g->n = o;
	return i;
}

void load_free(struct dataset *ds)
{
	struct load_index *ix;
	size_t i;

	if (!ds)
		return;
	ix = ds->index;
	for (i = 0; i < ds->n_key_cols; i++)
		free(ds->key_cols[i]);
	free(ds->key_cols);
	for (i = 0; i < ds->n_groups; i++) {
		free(ds->groups[i].key);
		free(ds->groups[i].values);
		free(ds->groups[i].runs);
	}
	free(ds->groups);
	for (i = 0; i < ds->n_sources; i++) {
		free(ds->sources[i].path);
		free(ds->sources[i].provenance);
		free(ds->sources[i].meta_path);
		free(ds->sources[i].label);
	}
	free(ds->sources);
	diag_list_release(&ds->warnings);
	while (ix->arena) {
		struct arena_chunk *next = ix->arena->next;

		free(ix->arena);
		ix->arena = next;
	}
	free(ix->strs);
	free(ix->slots);
	free(ix->join_buf);
	free(ix->extra);
	free(ix->files);
	free(ix);
	free(ds);
}

/* ---- groups -------------------------------------------------------------- */

static void slots_grow(struct load_index *ix)
{
	size_t cap = ix->cap_slots * 2, i, j;
	struct group_slot *t = xcalloc(cap, sizeof(*t));

	for (i = 0; i < ix->cap_slots; i++) {
		if (!ix->slots[i].group_plus1)
			continue;
		for (j = ix->slots[i].hash & (cap - 1); t[j].group_plus1;
		     j = (j + 1) & (cap - 1))
			;
		t[j] = ix->slots[i];
	}
	free(ix->slots);
	ix->slots = t;
	ix->cap_slots = cap;
}

/* g->key holds n_key_cols pointers followed by their lengths (one block,
 * see group_new), so a mismatch is usually found without reading text. */
const size_t *load_key_lengths(const struct dataset *ds,
			       const struct group *g)
{
	return (const size_t *)(const void *)(g->key + ds->n_key_cols);
}

struct group_extra *load_group_extra(const struct dataset *ds,
				     const struct group *g)
{
	return &ds->index->extra[g - ds->groups];
}

/* kv/kl joined by NULs (struct group_slot) into ix->join_buf. */
static size_t key_join(struct load_index *ix, const char *const *kv,
		       const size_t *kl, size_t n_key_cols)
{
	size_t k, n = n_key_cols - 1, o = 0;

	for (k = 0; k < n_key_cols; k++)
		n += kl[k];
	if (ix->join_cap < n + 1) {
		ix->join_cap = n + 1 > 256 ? n + 1 : 256;
		ix->join_buf = xreallocarray(ix->join_buf,
					     ix->join_cap + LOAD_PAD, 1);
	}
	for (k = 0; k < n_key_cols; k++) {
		load_copy_short(ix->join_buf + o, kv[k], kl[k]);
		o += kl[k];
		ix->join_buf[o++] = '\0';
	}
	return n;
}

static struct group *group_new(struct dataset *ds, const char *const *kv,
			       const size_t *kl)
{
	struct load_index *ix = ds->index;
	struct group *g;
	size_t k, *len;

	if (ds->n_groups == ix->cap_groups) {
		ix->cap_groups = ix->cap_groups ? 2 * ix->cap_groups : 64;
		ds->groups = xreallocarray(ds->groups, ix->cap_groups,
					   sizeof(*ds->groups));
		ix->extra = xreallocarray(ix->extra, ix->cap_groups,
					  sizeof(*ix->extra));
	}
	g = &ds->groups[ds->n_groups];
	memset(g, 0, sizeof(*g));
	g->unit = ix->empty;
	g->key = xcalloc(ds->n_key_cols, sizeof(*g->key) + sizeof(size_t));
	len = (size_t *)(void *)(g->key + ds->n_key_cols);
	for (k = 0; k < ds->n_key_cols; k++) {
		g->key[k] = load_intern(ix, kv[k], kl[k]);
		len[k] = kl[k];
	}
	memset(&ix->extra[ds->n_groups], 0, sizeof(*ix->extra));
	return g;
}

/* The slot holding the group of the joined key s[0..n-1], or the empty
 * slot where it would go; *h receives the key's hash. */
static size_t group_slot(const struct load_index *ix, const char *s,
			 size_t n, uint64_t *h)
{
	size_t j, mask = ix->cap_slots - 1;

	*h = load_hash_padded(s, n, 0);
	for (j = *h & mask; ix->slots[j].group_plus1; j = (j + 1) & mask)
		if (ix->slots[j].hash == *h && ix->slots[j].joined_len == n &&
		    load_equal_padded(ix->slots[j].joined, s, n))
			break;
	return j;
}

struct group *load_group_find_joined(const struct dataset *ds, const char *s,
				     size_t n)
{
	uint64_t h;
	size_t j = group_slot(ds->index, s, n, &h);

	return ds->index->slots[j].group_plus1 ?
	       &ds->groups[ds->index->slots[j].group_plus1 - 1] : NULL;
}

struct group *load_group_find(const struct dataset *ds,
			      const char *const *kv, const size_t *kl)
{
	struct load_index *ix = ds->index;
	size_t n = key_join(ix, kv, kl, ds->n_key_cols);

	return load_group_find_joined(ds, ix->join_buf, n);
}

struct group *load_group_get(struct dataset *ds, const char *const *kv,
			     const size_t *kl, const char *joined,
			     size_t joined_len, size_t source,
			     unsigned long line, int *is_new)
{
	struct load_index *ix = ds->index;
	uint64_t h;
	size_t j;
	struct group *g;
	char *copy;

	if (!joined) {
		joined_len = key_join(ix, kv, kl, ds->n_key_cols);
		joined = ix->join_buf;
	}
	j = group_slot(ix, joined, joined_len, &h);

	if (ix->slots[j].group_plus1) {
		*is_new = 0;
		return &ds->groups[ix->slots[j].group_plus1 - 1];
	}
	g = group_new(ds, kv, kl);
	g->first_source = source;
	g->first_line = line;
	ix->extra[ds->n_groups].last_source = source;
	copy = arena_alloc(ix, joined_len ? joined_len : 1);
	memcpy(copy, joined, joined_len);
	ix->slots[j].hash = h;
	ix->slots[j].group_plus1 = ++ds->n_groups;
	ix->slots[j].joined = copy;
	ix->slots[j].joined_len = joined_len;
	if (2 * ds->n_groups > ix->cap_slots)
		slots_grow(ix);
	*is_new = 1;
	return g;
}

/* Room for at least want values in g, and for half as many again as it
 * holds (the append is inline in load_priv.h). */
void load_group_reserve(struct group *g, size_t want)
{
	size_t cap = g->cap ? g->cap + g->cap / 2 : 16;

	g->cap = want > cap ? want : cap;
	g->values = xreallocarray(g->values, g->cap, sizeof(double));
	if (g->runs)
		g->runs = xreallocarray(g->runs, g->cap, sizeof(double));
}

void load_group_spell_runs(struct group *g)
{
	size_t i;

	g->runs = xreallocarray(NULL, g->cap ? g->cap : 1, sizeof(double));
	for (i = 0; i < g->n; i++)
		g->runs[i] = g->run_first + (double)i;
}

/* "native/stream/triad": the non-empty key values of g, for messages. */
void load_key_text(const struct dataset *ds, const struct group *g,
		     char *buf, size_t size)
{
	size_t k, o = 0;
	char shown[256];

	buf[0] = '\0';
	for (k = 0; k < ds->n_key_cols && o + 1 < size; k++) {
		if (!g->key[k][0])
			continue;
		o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "/" : "",
				      load_show(shown, sizeof(shown), g->key[k]));
	}
}

int load_seen_before(struct dataset *ds, const char *name,
		     int is_stdin, const struct stat *st)
{
	struct load_index *ix = ds->index;
	int has_inode = !is_stdin || S_ISREG(st->st_mode);
	struct file_id *f;
	size_t i;

	for (i = 0; i < ix->n_files; i++) {
		const char *prev = ds->sources[ix->files[i].source].path;

		f = &ix->files[i];
		if (is_stdin && f->is_stdin) {
			diag_list_add(&ds->warnings, name, 0, "standard input "
				      "given twice; read once");
			return 1;
		}
		if (!has_inode || !f->has_inode || f->dev != st->st_dev ||
		    f->ino != st->st_ino)
			continue;
		if (!strcmp(prev, name))
			diag_list_add(&ds->warnings, name, 0, "file given "
				      "twice; its rows are counted once");
		else
			diag_list_add(&ds->warnings, name, 0, "same file as "
				      "'%s'; its rows are counted once", prev);
		return 1;
	}
	if (ix->n_files == ix->cap_files) {
		ix->cap_files = ix->cap_files ? 2 * ix->cap_files : 8;
		ix->files = xreallocarray(ix->files, ix->cap_files,
					  sizeof(*ix->files));
	}
	f = &ix->files[ix->n_files++];
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->is_stdin = is_stdin;
	f->has_inode = has_inode;
	f->source = ds->n_sources;
	return 0;
}

int load_read_sidecar(struct source *src, const char *path,
		      struct diag *err)
{
	size_t n = strlen(path);
	char *meta;
	struct stat st;
	json_error_t je;
	json_t *root, *s;
	int fd;

	if (n < 4 || strcmp(path + n - 4, ".csv"))
		return 0;
	meta = xmalloc(n - 4 + sizeof(".meta.json"));
	memcpy(meta, path, n - 4);
	memcpy(meta + n - 4, ".meta.json", sizeof(".meta.json"));
	/* Non-blocking, so a FIFO nobody writes cannot hang us here; only a
	 * regular file is a sidecar (a FIFO or device may never end). */
	fd = open(meta, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		free(meta);
		return 0;
	}
	if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		diag_set(err, meta, 0, "not a regular file");
		free(meta);
		return STATUS_BADINPUT;
	}
	if (fd < 0) {
		diag_set(err, meta, 0, "cannot open: %s", strerror(errno));
		free(meta);
		return STATUS_BADINPUT;
	}
	root = json_loadfd(fd, JSON_REJECT_DUPLICATES, &je);
	close(fd);
	if (!root)
		diag_set(err, meta, je.line > 0 ? (unsigned long)je.line : 0,
			 "%s", je.text);
	else if (!json_is_object(root))
		diag_set(err, meta, 0, "expected a JSON object ({...}) at the "
			 "top level");
	else if ((s = json_object_get(root, "source")) && !json_is_string(s))
		diag_set(err, meta, 0, "'source' must be a string");
	else {
		src->provenance = s ? xstrdup(json_string_value(s)) : NULL;
		src->meta_path = meta;
		json_decref(root);
		return 0;
	}
	json_decref(root);
	free(meta);
	return STATUS_BADINPUT;
}
