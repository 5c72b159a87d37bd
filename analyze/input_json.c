/*
 * input_json: one JSON document read with yajl's event parser, a record at
 * a time.
 *
 * jansson, which reads the sidecars, builds the whole document as a tree
 * of json_t: about 60 bytes per number, so a hyperfine export of a million
 * runs (20 MB of text) would take 60 MB before a row is read, and a 100 MB
 * file several times its size. yajl (libyajl-dev) reports tokens instead.
 * Here they become small trees of struct json_node (input.h), but only one
 * record at a time: each element of a top-level "results", "benchmarks" or
 * "jobs" array is built, handed to the format, and freed; an array of
 * numbers is a plain array of doubles. What is held is one record plus the
 * top-level members outside the records (a few hundred bytes of context).
 *
 * Lines: yajl counts bytes, not lines. Inside a callback,
 * yajl_get_bytes_consumed() is the offset just past the token in the block
 * being parsed, so the newlines from the last offset to it give the line
 * of every value, in one pass over the input.
 */
#include "input.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#define ARENA_CHUNK (64 * 1024)
#define JSON_MAX_DEPTH 512
#define JSON_BLOCK (256 * 1024)

/*
 * Number arrays of records already read, kept for the next records: each
 * hyperfine result holds a million-element "times" and "exit_codes", and
 * freeing them for the next record to grow its own again leaves glibc's
 * heap fragmented (it raises its mmap threshold after the first free), so
 * that two results of a million runs took 97 MB where one took 39.
 */
#define POOL_MAX 4
struct pool {
	double *v[POOL_MAX];
	size_t cap[POOL_MAX];
	size_t n;
};

/* Nodes and strings of one lifetime (the document's context, or one
 * record); arrays that grow are malloc'ed and listed to be freed (number
 * arrays go back to the pool). */
struct arena {
	struct arena_block *blocks;
	struct json_node **owners;
	size_t n_owners, cap_owners;
	struct pool *pool;
};

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

struct frame {
	struct json_node *node;	/* NULL: the top object or a records array */
	int is_records;
	int is_discarded;	/* not attached (inside a numbers array) */
};

struct jparser {
	struct input_file *in;
	const struct json_handler *h;
	struct diag *err;
	int status;
	yajl_handle y;
	const unsigned char *block;	/* being parsed */
	size_t scanned;			/* newlines counted up to here */
	unsigned long line;
	struct frame *stack;
	size_t depth, cap;
	char *key;			/* of the next top-level value */
	size_t key_cap;
	const char *node_key;		/* of the next nested value */
	struct arena doc, rec;
	struct pool pool;		/* of rec's number arrays */
	const char *records_key;	/* in the records array: its key */
	size_t record_index;
	int is_done;			/* top object closed */
};

/* ---- arena ---------------------------------------------------------------- */

static void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->blocks;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) *
	    sizeof(max_align_t);
	if (!b || b->cap - b->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		b = xmalloc(sizeof(*b) + cap);
		b->used = 0;
		b->cap = cap;
		b->next = a->blocks;
		a->blocks = b;
	}
	b->used += n;
	return (char *)b->data + b->used - n;
}

static const char *arena_strdup(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void arena_own(struct arena *a, struct json_node *node)
{
	if (a->n_owners == a->cap_owners) {
		a->cap_owners = a->cap_owners ? 2 * a->cap_owners : 64;
		a->owners = xreallocarray(a->owners, a->cap_owners,
					  sizeof(*a->owners));
	}
	a->owners[a->n_owners++] = node;
}

/* Keep array v (cap doubles) for a later one, or free it (or a smaller
 * one kept) when the pool is full. */
static void pool_put(struct pool *p, double *v, size_t cap)
{
	size_t i, small = 0;

	if (!p) {
		free(v);
		return;
	}
	if (p->n < POOL_MAX) {
		p->v[p->n] = v;
		p->cap[p->n++] = cap;
		return;
	}
	for (i = 1; i < POOL_MAX; i++)
		if (p->cap[i] < p->cap[small])
			small = i;
	if (p->cap[small] >= cap) {
		free(v);
		return;
	}
	free(p->v[small]);
	p->v[small] = v;
	p->cap[small] = cap;
}

/* The largest kept array (its capacity in *cap), or NULL. */
static double *pool_get(struct pool *p, size_t *cap)
{
	size_t i, big = 0;
	double *v;

	if (!p || p->n == 0)
		return NULL;
	for (i = 1; i < p->n; i++)
		if (p->cap[i] > p->cap[big])
			big = i;
	v = p->v[big];
	*cap = p->cap[big];
	p->v[big] = p->v[--p->n];
	p->cap[big] = p->cap[p->n];
	return v;
}

static void pool_release(struct pool *p)
{
	while (p->n)
		free(p->v[--p->n]);
}

/* Free everything but one block, which is kept for the next record. */
static void arena_reset(struct arena *a, int keep_one)
{
	struct arena_block *b = a->blocks, *next;
	size_t i;

	for (i = 0; i < a->n_owners; i++) {
		struct json_node *node = a->owners[i];

		if (node->type == JSON_T_NUMBERS)
			pool_put(a->pool, node->u.nums.v, node->u.nums.cap);
		else
			free(node->u.kids.items);
	}
	a->n_owners = 0;
	if (keep_one && b && b->cap == ARENA_CHUNK) {
		next = b->next;
		b->next = NULL;
		b->used = 0;
		b = next;
	} else {
		a->blocks = NULL;
	}
	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	if (!keep_one) {
		free(a->owners);
		a->owners = NULL;
		a->cap_owners = 0;
	}
}

/* ---- position -------------------------------------------------------------- */

static unsigned long cur_line(struct jparser *p)
{
	size_t off = yajl_get_bytes_consumed(p->y), i;

	for (i = p->scanned; i < off; i++)
		if (p->block[i] == '\n')
			p->line++;
	if (off > p->scanned)
		p->scanned = off;
	return p->line;
}

/* ---- building ------------------------------------------------------------- */

static int fail(struct jparser *p, unsigned long line, const char *msg)
{
	p->status = input_error(p->in, p->err, line, "%s", msg);
	return 0;
}

static struct arena *cur_arena(struct jparser *p)
{
	return p->records_key ? &p->rec : &p->doc;
}

/* Attach child to the container on top of the stack. */
static void attach(struct jparser *p, struct json_node *child)
{
	struct frame *f = &p->stack[p->depth - 1];
	struct json_node *c = f->node;

	if (c->type == JSON_T_NUMBERS) {
		if (!c->u.nums.has_bad) {
			c->u.nums.has_bad = 1;
			c->u.nums.bad_index = c->u.nums.n;
			c->u.nums.bad_line = child->line;
			c->u.nums.bad_type = child->type;
		}
		return;
	}
	if (c->u.kids.n == c->u.kids.cap) {
		if (!c->u.kids.items)
			arena_own(cur_arena(p), c);
		c->u.kids.cap = c->u.kids.cap ? 2 * c->u.kids.cap : 8;
		c->u.kids.items = xreallocarray(c->u.kids.items, c->u.kids.cap,
						sizeof(*c->u.kids.items));
	}
	c->u.kids.items[c->u.kids.n++] = child;
}

/* A complete value at the top level or in the records array. */
static int deliver(struct jparser *p, struct json_node *v)
{
	int rc;

	if (p->records_key) {
		rc = p->h->on_record(p->h->ctx, p->records_key,
				     p->record_index++, v);
		arena_reset(&p->rec, 1);
	} else {
		rc = p->h->on_member(p->h->ctx, v);
	}
	if (rc) {
		p->status = rc;
		return 0;
	}
	return 1;
}

/* Where a new value goes: 1 when it is a whole top-level member or
 * record (deliver it when complete), 0 when it is nested (attached). */
static int is_outer(const struct jparser *p)
{
	const struct frame *f = &p->stack[p->depth - 1];

	return f->node == NULL;
}

static struct json_node *new_node(struct jparser *p, enum json_type t)
{
	struct json_node *v = arena_alloc(cur_arena(p), sizeof(*v));

	memset(v, 0, sizeof(*v));
	v->type = t;
	v->line = cur_line(p);
	if (p->depth == 1) {
		v->key = arena_strdup(&p->doc, p->key, strlen(p->key));
	} else if (p->stack[p->depth - 1].node &&
		   p->stack[p->depth - 1].node->type == JSON_T_OBJECT) {
		v->key = p->node_key;
	}
	return v;
}

/* A scalar v is complete: deliver or attach it. */
static int scalar(struct jparser *p, struct json_node *v)
{
	if (p->depth == 0)
		return fail(p, v->line, "expected a JSON object ({...}) at the "
			    "top level");
	if (is_outer(p))
		return deliver(p, v);
	if (!p->stack[p->depth - 1].is_discarded)
		attach(p, v);
	return 1;
}

static int on_null(void *ctx)
{
	struct jparser *p = ctx;

	return scalar(p, new_node(p, JSON_T_NULL));
}

static int on_boolean(void *ctx, int b)
{
	struct jparser *p = ctx;
	struct json_node *v = new_node(p, JSON_T_BOOL);

	v->u.boolean = b;
	return scalar(p, v);
}

static int on_number(void *ctx, const char *s, size_t n)
{
	struct jparser *p = ctx;
	struct frame *f = p->depth ? &p->stack[p->depth - 1] : NULL;
	struct json_node *c = f ? f->node : NULL, *v;
	char buf[64], *tmp = n < sizeof(buf) ? buf : xmalloc(n + 1);
	double x;

	memcpy(tmp, s, n);
	tmp[n] = '\0';
	x = strtod(tmp, NULL);
	if (tmp != buf)
		free(tmp);
	/* The first element of an array decides: numbers are kept plain. */
	if (c && !f->is_discarded && c->type == JSON_T_ARRAY &&
	    c->u.kids.n == 0) {
		c->type = JSON_T_NUMBERS;
		memset(&c->u.nums, 0, sizeof(c->u.nums));
	}
	if (c && !f->is_discarded && c->type == JSON_T_NUMBERS) {
		if (c->u.nums.has_bad)
			return 1;	/* after a bad element: not kept */
		if (!isfinite(x)) {
			c->u.nums.has_bad = 1;
			c->u.nums.bad_index = c->u.nums.n;
			c->u.nums.bad_line = cur_line(p);
			c->u.nums.bad_type = JSON_T_NUMBER;
			return 1;
		}
		if (c->u.nums.n == c->u.nums.cap && !c->u.nums.v) {
			arena_own(cur_arena(p), c);
			c->u.nums.v = pool_get(cur_arena(p)->pool,
					       &c->u.nums.cap);
		}
		if (c->u.nums.n == c->u.nums.cap) {
			c->u.nums.cap = c->u.nums.cap ? 2 * c->u.nums.cap : 16;
			c->u.nums.v = xreallocarray(c->u.nums.v, c->u.nums.cap,
						    sizeof(double));
		}
		c->u.nums.v[c->u.nums.n++] = x;
		return 1;
	}
	v = new_node(p, JSON_T_NUMBER);
	v->u.num.v = x;
	v->u.num.is_finite = isfinite(x) != 0;
	v->u.num.text = arena_strdup(cur_arena(p), s, n > 40 ? 40 : n);
	return scalar(p, v);
}

static int on_string(void *ctx, const unsigned char *s, size_t n)
{
	struct jparser *p = ctx;
	struct json_node *v = new_node(p, JSON_T_STRING);

	v->u.str.s = arena_strdup(cur_arena(p), (const char *)s, n);
	v->u.str.len = n;
	return scalar(p, v);
}

static int push(struct jparser *p, struct json_node *node, int is_records)
{
	struct frame *f;

	if (p->depth == JSON_MAX_DEPTH)
		return fail(p, cur_line(p), "JSON nested deeper than 512 "
			    "levels");
	if (p->depth == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->stack = xreallocarray(p->stack, p->cap, sizeof(*p->stack));
	}
	f = &p->stack[p->depth++];
	f->node = node;
	f->is_records = is_records;
	f->is_discarded = 0;
	return 1;
}

/* A container starts: the top object, a records array, or a node. */
static int open_container(struct jparser *p, enum json_type t)
{
	struct json_node *v;
	struct frame *f;
	int is_discarded = 0;

	if (p->is_done)
		return fail(p, cur_line(p), "text after the top-level object");
	if (p->depth == 0) {
		if (t != JSON_T_OBJECT)
			return fail(p, cur_line(p), "expected a JSON object "
				    "({...}) at the top level");
		return push(p, NULL, 0);
	}
	if (p->depth == 1 && t == JSON_T_ARRAY &&
	    (!strcmp(p->key, "results") || !strcmp(p->key, "benchmarks") ||
	     !strcmp(p->key, "jobs"))) {
		p->records_key = arena_strdup(&p->doc, p->key, strlen(p->key));
		p->record_index = 0;
		return push(p, NULL, 1);
	}
	f = &p->stack[p->depth - 1];
	v = new_node(p, t);
	if (f->node && f->node->type == JSON_T_NUMBERS)
		attach(p, v);	/* remembered as the bad element */
	is_discarded = f->is_discarded ||
		       (f->node && f->node->type == JSON_T_NUMBERS);
	if (!is_outer(p) && !is_discarded)
		attach(p, v);
	if (!push(p, v, 0))
		return 0;
	p->stack[p->depth - 1].is_discarded = is_discarded;
	return 1;
}

static int close_container(struct jparser *p)
{
	struct frame f = p->stack[--p->depth];

	if (p->depth == 0) {
		p->is_done = 1;
		return 1;
	}
	if (f.is_records) {
		const char *key = p->records_key;
		int rc;

		p->records_key = NULL;
		rc = p->h->on_records_end(p->h->ctx, key, p->record_index,
					  cur_line(p));
		if (rc) {
			p->status = rc;
			return 0;
		}
		return 1;
	}
	if (is_outer(p) && !f.is_discarded)
		return deliver(p, f.node);
	return 1;
}

static int on_start_map(void *ctx)
{
	return open_container(ctx, JSON_T_OBJECT);
}

static int on_end_map(void *ctx)
{
	return close_container(ctx);
}

static int on_start_array(void *ctx)
{
	return open_container(ctx, JSON_T_ARRAY);
}

static int on_end_array(void *ctx)
{
	return close_container(ctx);
}

static int on_map_key(void *ctx, const unsigned char *s, size_t n)
{
	struct jparser *p = ctx;

	if (p->depth == 1) {
		if (n + 1 > p->key_cap) {
			p->key_cap = n + 1;
			p->key = xreallocarray(p->key, p->key_cap, 1);
		}
		memcpy(p->key, s, n);
		p->key[n] = '\0';
	} else {
		p->node_key = arena_strdup(cur_arena(p), (const char *)s, n);
	}
	return 1;
}

static const yajl_callbacks callbacks = {
	on_null, on_boolean, NULL, NULL, on_number, on_string,
	on_start_map, on_map_key, on_end_map, on_start_array, on_end_array
};

/* ---- driver ----------------------------------------------------------------- */

/* yajl's message, without its trailing ".\n" or newline. */
static void syntax_error(struct jparser *p, const unsigned char *block,
			 size_t n)
{
	unsigned char *msg = yajl_get_error(p->y, 0, block, n);
	size_t len = msg ? strlen((char *)msg) : 0;
	unsigned long line = cur_line(p);

	while (len && (msg[len - 1] == '\n' || msg[len - 1] == '.' ||
		       msg[len - 1] == ' '))
		msg[--len] = '\0';
	p->status = input_error(p->in, p->err, line, "invalid JSON: %s",
				msg ? (char *)msg : "unknown error");
	if (msg)
		yajl_free_error(p->y, msg);
}

/* Feed one block; returns 0 to go on. */
static int feed(struct jparser *p, const unsigned char *block, size_t n)
{
	yajl_status st;

	p->block = block;
	p->scanned = 0;
	st = n ? yajl_parse(p->y, block, n) : yajl_complete_parse(p->y);
	if (st == yajl_status_error && !p->status)
		syntax_error(p, block, n);
	else if (st == yajl_status_client_canceled && !p->status)
		p->status = STATUS_RUNTIME;
	if (n && !p->status) {
		/* Count the newlines after the last token of the block. */
		for (; p->scanned < n; p->scanned++)
			if (block[p->scanned] == '\n')
				p->line++;
	}
	return p->status;
}

int json_read(struct input_file *in, const struct json_handler *h,
	      struct diag *err)
{
	struct jparser p;
	unsigned char *block = xmalloc(JSON_BLOCK);
	ssize_t n;
	int is_first = 1;

	memset(&p, 0, sizeof(p));
	p.in = in;
	p.h = h;
	p.err = err;
	p.line = 1;
	p.rec.pool = &p.pool;
	p.y = yajl_alloc(&callbacks, NULL, &p);
	if (!p.y) {
		free(block);
		diag_set(err, NULL, 0, "out of memory");
		return STATUS_RUNTIME;
	}
	for (;;) {
		size_t bom = 0;

		n = input_fill(in, (char *)block, JSON_BLOCK, err);
		if (n < 0) {
			p.status = STATUS_RUNTIME;
			break;
		}
		/* A UTF-8 byte order mark before the document (the head is
		 * never shorter than 3 bytes when the file is not). */
		if (is_first && n >= 3 && !memcmp(block, "\xef\xbb\xbf", 3))
			bom = 3;
		is_first = 0;
		if (feed(&p, block + bom, (size_t)n - bom) || n == 0)
			break;
	}
	if (!p.status && h->on_end)
		p.status = h->on_end(h->ctx, p.line);
	yajl_free(p.y);
	arena_reset(&p.rec, 0);
	arena_reset(&p.doc, 0);
	pool_release(&p.pool);
	free(p.stack);
	free(p.key);
	free(block);
	return p.status;
}

/* ---- access ------------------------------------------------------------------ */

const struct json_node *json_get(const struct json_node *o, const char *key)
{
	size_t i;

	if (!o || o->type != JSON_T_OBJECT)
		return NULL;
	for (i = 0; i < o->u.kids.n; i++)
		if (o->u.kids.items[i]->key &&
		    !strcmp(o->u.kids.items[i]->key, key))
			return o->u.kids.items[i];
	return NULL;
}

const char *json_type_name(enum json_type t)
{
	switch (t) {
	case JSON_T_NULL: return "null";
	case JSON_T_BOOL: return "a boolean";
	case JSON_T_NUMBER: return "a number";
	case JSON_T_STRING: return "a string";
	case JSON_T_OBJECT: return "an object";
	case JSON_T_ARRAY: return "an array";
	case JSON_T_NUMBERS: return "an array";
	}
	return "?";
}

/* ---- which tool wrote it --------------------------------------------------- */

/*
 * A JSON file's tool, from its first top-level key that names one, or
 * from its first record: "results" is hyperfine's; "context" Google
 * Benchmark's; "machine_info" and "commit_info" pytest-benchmark's; "fio
 * version", "global options", "disk_util" and "jobs" fio's; a "benchmarks"
 * record with "stats" is pytest-benchmark's, any other Google Benchmark's.
 * Members seen before the choice are kept (they live as long as the
 * document) and given to the format once it is known, so key order does
 * not matter (jq -S sorts them).
 */
struct auto_ctx {
	struct input_file *in;
	struct diag *err;
	const struct json_format *fmt;
	void *fctx;
	const struct json_node **pending;
	size_t n_pending, cap_pending;
};

static const struct json_format *format_of(enum input_format f)
{
	switch (f) {
	case INPUT_HYPERFINE: return &input_json_hyperfine;
	case INPUT_GBENCH: return &input_json_gbench;
	case INPUT_PYTEST: return &input_json_pytest;
	case INPUT_FIO: return &input_json_fio;
	default: return NULL;
	}
}

static const struct json_format *format_of_key(const char *key)
{
	if (!strcmp(key, "results"))
		return &input_json_hyperfine;
	if (!strcmp(key, "context"))
		return &input_json_gbench;
	if (!strcmp(key, "machine_info") || !strcmp(key, "commit_info"))
		return &input_json_pytest;
	if (!strcmp(key, "fio version") || !strcmp(key, "global options") ||
	    !strcmp(key, "disk_util") || !strcmp(key, "jobs"))
		return &input_json_fio;
	return NULL;
}

/* Start fmt and give it the members kept so far. */
static int choose(struct auto_ctx *a, const struct json_format *fmt)
{
	size_t i;
	int rc = 0;

	a->fmt = fmt;
	a->fctx = fmt->start(a->in, a->err);
	for (i = 0; i < a->n_pending && !rc; i++)
		rc = fmt->on_member(a->fctx, a->pending[i]);
	a->n_pending = 0;
	return rc;
}

static int auto_member(void *ctx, const struct json_node *v)
{
	struct auto_ctx *a = ctx;
	const struct json_format *f;
	int rc;

	if (!a->fmt && (f = format_of_key(v->key)) && (rc = choose(a, f)))
		return rc;
	if (a->fmt)
		return a->fmt->on_member(a->fctx, v);
	if (a->n_pending == a->cap_pending) {
		a->cap_pending = a->cap_pending ? 2 * a->cap_pending : 8;
		a->pending = xreallocarray(a->pending, a->cap_pending,
					   sizeof(*a->pending));
	}
	a->pending[a->n_pending++] = v;
	return 0;
}

static int auto_record(void *ctx, const char *key, size_t index,
		       const struct json_node *v)
{
	struct auto_ctx *a = ctx;
	const struct json_format *f = format_of_key(key);
	int rc;

	if (!a->fmt) {
		if (!f)
			f = json_get(v, "stats") ? &input_json_pytest :
			    &input_json_gbench;
		if ((rc = choose(a, f)))
			return rc;
	}
	return a->fmt->on_record(a->fctx, key, index, v);
}

static int auto_records_end(void *ctx, const char *key, size_t n,
			    unsigned long line)
{
	struct auto_ctx *a = ctx;
	const struct json_format *f = format_of_key(key);
	int rc;

	/* An empty records array decides by its key alone ("benchmarks":
	 * Google Benchmark's when nothing else told). */
	if (!a->fmt && (rc = choose(a, f ? f : &input_json_gbench)))
		return rc;
	return a->fmt->on_records_end(a->fctx, key, n, line);
}

static int auto_end(void *ctx, unsigned long last_line)
{
	struct auto_ctx *a = ctx;

	if (!a->fmt)
		return input_error(a->in, a->err, 0, "not a JSON file analyze "
				   "reads: no 'results' (hyperfine), "
				   "'benchmarks' (Google Benchmark, "
				   "pytest-benchmark) or 'jobs' (fio) at the "
				   "top level");
	return a->fmt->on_end(a->fctx, last_line);
}

int input_json_auto(struct input_file *in, struct diag *err)
{
	struct auto_ctx a;
	struct json_handler h = {
		&a, auto_member, auto_record, auto_records_end, auto_end
	};
	int rc = 0;

	memset(&a, 0, sizeof(a));
	a.in = in;
	a.err = err;
	if (in->is_forced)
		rc = choose(&a, format_of(in->format));
	if (!rc)
		rc = json_read(in, &h, err);
	if (a.fmt)
		a.fmt->release(a.fctx);
	free(a.pending);
	return rc;
}
