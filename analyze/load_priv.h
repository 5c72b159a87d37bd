/*
 * load_priv: what the files of the load module share and nobody else may
 * use: the index behind struct dataset (string pool, group hash table,
 * files seen) and the reader that libcsv's callbacks fill. load.c checks
 * headers and rows (the callbacks), load_read.c reads one file,
 * load_parallel.c reads a large regular file in parts on several threads,
 * load_set.c keeps the dataset and its index, load_field.c checks single
 * fields. Include only from analyze/load*.c.
 */
#ifndef ANALYZE_LOAD_PRIV_H
#define ANALYZE_LOAD_PRIV_H

#include <csv.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "linesplit.h"
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

/*
 * The index knows a group by its key as one string: the key values joined
 * by NUL bytes (no accepted value contains one). A row whose key columns
 * are adjacent has that string already, in its line or in the reader's
 * copy of its fields, so most rows are looked up with one hash and one
 * comparison of a few bytes.
 */
struct group_slot {
	uint64_t hash;
	size_t group_plus1;	/* 0: empty slot */
	const char *joined;	/* the key joined, in the arena */
	size_t joined_len;
};

/* What the loader needs about a group that struct group omits. */
struct group_extra {
	size_t last_source;	/* source of the latest row */
	size_t unit_len;	/* strlen of the group's unit */
	size_t better_source;	/* where the explicit 'better' was first */
	unsigned long better_line;	/* 0: no explicit 'better' yet */
};

/*
 * The n < 8 bytes at s packed into one word above 8 - n bytes of fill:
 * the tail of a short field in at most three loads. A byte loop there
 * ends at a different count on every field, and the branch predictor
 * misses its exit each time (it was a third of the time spent on each
 * field). The packing depends on n only, so equal strings of equal
 * length give equal words.
 */
static inline uint64_t load_tail_word(const char *s, size_t n,
				      uint64_t fill)
{
	uint64_t w = fill;
	uint32_t a;
	uint16_t b;

	if (n & 4) {
		memcpy(&a, s, 4);
		w = w << 32 | a;
		s += 4;
	}
	if (n & 2) {
		memcpy(&b, s, 2);
		w = w << 16 | b;
		s += 2;
	}
	if (n & 1)
		w = w << 8 | (unsigned char)*s;
	return w;
}

/*
 * Padded buffers: the blocks a file is read into, the reader's copies of
 * fields, the key join buffers and the arena of interned strings all have
 * LOAD_PAD readable bytes after their data, so that the helpers below may
 * read the first 48 bytes of a string whatever its length: a key or a
 * unit of up to 48 bytes is then compared, hashed or copied in a fixed
 * number of steps, without branching on its length (a branch whose
 * outcome changes from row to row is mispredicted, and that cost more
 * than the rest of the work). Bytes past the string are masked off.
 */
#define LOAD_PAD 64

/* 48 bytes 0xff then 48 zero bytes: the 8 bytes at load_mask_bytes + 48
 * - n + 8 * i keep, of word i of a string of n <= 48 bytes, the bytes
 * that are part of it. */
extern const unsigned char load_mask_bytes[96];

/* The 8 bytes at s as a word; the byte order is fixed (little-endian) so
 * that equal strings give equal words on every machine. */
static inline uint64_t load_word(const char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* Word i (bytes 8i..8i+7) of the padded s[0..n-1], n <= 48, the bytes
 * past n zero: a load and a mask, no branch. */
static inline uint64_t load_word48(const char *s, size_t i, size_t n)
{
	uint64_t m;

	memcpy(&m, load_mask_bytes + 48 - n + 8 * i, 8);
	return load_word(s + 8 * i) & m;
}

/* Word i of the padded s[0..n-1] for any n, the bytes past n zero. */
static inline uint64_t load_word_at(const char *s, size_t i, size_t n)
{
	size_t r = n > 8 * i ? n - 8 * i : 0;

	if (r >= 8)
		return load_word(s + 8 * i);
	return load_word(s + 8 * i) & ((UINT64_C(1) << (8 * r)) - 1);
}

/* memcmp(a, b, n) == 0 for padded a and b. */
static inline int load_equal_padded(const char *a, const char *b, size_t n)
{
	uint64_t d = 0;
	size_t i;

	if (n <= 48)
		return ((load_word48(a, 0, n) ^ load_word48(b, 0, n)) |
			(load_word48(a, 1, n) ^ load_word48(b, 1, n)) |
			(load_word48(a, 2, n) ^ load_word48(b, 2, n)) |
			(load_word48(a, 3, n) ^ load_word48(b, 3, n)) |
			(load_word48(a, 4, n) ^ load_word48(b, 4, n)) |
			(load_word48(a, 5, n) ^ load_word48(b, 5, n))) == 0;
	for (i = 0; 8 * i < n; i++)
		d |= load_word_at(a, i, n) ^ load_word_at(b, i, n);
	return d == 0;
}

/* A multiply-xorshift hash (the mixing of wyhash and splitmix64) of the
 * padded s[0..n-1], seeded with h, over at least six words: only which
 * slot a key lands in depends on it, equality is checked apart. */
static inline uint64_t load_hash_padded(const char *s, size_t n, uint64_t h)
{
	const uint64_t k = UINT64_C(0x9e3779b97f4a7c15);
	size_t i;

	if (n <= 48) {		/* the usual key: six words, unrolled */
		h = (h ^ load_word48(s, 0, n)) * k;
		h = (h ^ (h >> 29) ^ load_word48(s, 1, n)) * k;
		h = (h ^ (h >> 29) ^ load_word48(s, 2, n)) * k;
		h = (h ^ (h >> 29) ^ load_word48(s, 3, n)) * k;
		h = (h ^ (h >> 29) ^ load_word48(s, 4, n)) * k;
		h = (h ^ (h >> 29) ^ load_word48(s, 5, n)) * k;
		h ^= h >> 29;
	} else {
		for (i = 0; 8 * i < n; i++) {
			h = (h ^ load_word_at(s, i, n)) * k;
			h ^= h >> 29;
		}
	}
	h = (h ^ ((uint64_t)n << 56)) * k;
	return h ^ (h >> 32);
}

/* Copy n bytes from padded s to padded d (up to 48 more bytes of d may be
 * overwritten). */
static inline void load_copy_padded(char *d, const char *s, size_t n)
{
	size_t i;

	if (n <= 48) {
		memcpy(d, s, 48);
		return;
	}
	for (i = 0; i < n; i += 8)
		memcpy(d + i, s + i, 8);
}

/* memcmp(a, b, n) == 0 without the library call: fields are short. */
static inline int load_bytes_equal(const char *a, const char *b, size_t n)
{
	uint64_t x, y;

	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	return load_tail_word(a, n, 0) == load_tail_word(b, n, 0);
}

/* memcpy for the few bytes of a field, without the library call. */
static inline void load_copy_short(char *d, const char *s, size_t n)
{
	uint64_t w;
	uint32_t a;
	uint16_t b;

	for (; n >= 8; d += 8, s += 8, n -= 8) {
		memcpy(&w, s, 8);
		memcpy(d, &w, 8);
	}
	if (n & 4) {
		memcpy(&a, s, 4);
		memcpy(d, &a, 4);
		d += 4;
		s += 4;
	}
	if (n & 2) {
		memcpy(&b, s, 2);
		memcpy(d, &b, 2);
		d += 2;
		s += 2;
	}
	if (n & 1)
		*d = *s;
}

/*
 * Exact powers of ten: every 10^k with k <= 22 is a double exactly
 * (5^22 < 2^53), so one multiplication or division by it of a mantissa
 * below 2^53 is correctly rounded: Clinger, "How to Read Floating Point
 * Numbers Accurately", PLDI 1990 (the "fast path", also used by
 * Lemire's fast_float library, "Number Parsing at a Gigabyte per Second",
 * Software: Practice and Experience 51(8), 2021).
 */
extern const double load_pow10_exact[23];

/*
 * The usual value, "[-+]digits[.digits][(e|E)[+-]digits]" with at most 19
 * digits before the exponent, a mantissa of at most 2^53, an exponent of
 * at most 3 digits and a power of ten (the exponent less the digits after
 * the point) within 10^-22..10^22, in one light loop: the same mantissa
 * and power of ten as load_parse_value's general scan would find (leading
 * zeros add nothing to the mantissa), so the same double. Returns 0 with
 * *out set, or -1 for anything else (the general path). Inline: the row
 * fast path (load.c) calls it too.
 */
static inline int load_plain_decimal(const char *s, size_t len, double *out)
{
	const char *p = s, *end = s + len, *dot = NULL;
	uint64_t mant = 0;
	size_t n_digits = 0;
	long exp10 = 0, e = 0;
	double v;

	if (p < end && (*p == '-' || *p == '+'))
		p++;
	for (; p < end; p++) {
		unsigned d = (unsigned)(unsigned char)*p - '0';

		if (d < 10) {
			mant = mant * 10 + d;
			n_digits++;
		} else if (*p == '.' && !dot) {
			dot = p;
		} else {
			break;
		}
	}
	if (dot)
		exp10 = -(long)(p - dot - 1);
	if (p < end) {		/* only an exponent may follow */
		int is_neg = 0;
		size_t n_e = 0;

		if (*p != 'e' && *p != 'E')
			return -1;
		if (++p < end && (*p == '+' || *p == '-'))
			is_neg = *p++ == '-';
		for (; p < end && n_e < 4; p++, n_e++) {
			unsigned d = (unsigned)(unsigned char)*p - '0';

			if (d > 9)
				return -1;
			e = e * 10 + d;
		}
		if (n_e == 0 || n_e > 3)
			return -1;
		exp10 += is_neg ? -e : e;
	}
	if (n_digits == 0 || n_digits > 19 || mant > (UINT64_C(1) << 53) ||
	    exp10 < -22 || exp10 > 22)
		return -1;
	v = (double)mant;
	v = exp10 < 0 ? v / load_pow10_exact[-exp10] :
	    v * load_pow10_exact[exp10];
	*out = s[0] == '-' ? -v : v;
	return 0;
}

/*
 * Up to 8 ASCII digits, s[0..n-1] (padded), as a number, in a fixed
 * number of steps: the digits are moved to the top of a word below '0'
 * bytes, then combined in pairs, fours and eights by multiplication (the
 * method of Lemire's fast_float, cited at load_pow10_exact). Returns -1
 * (as a uint64_t) when a byte is not a digit.
 */
static inline uint64_t load_digits8(const char *s, size_t n)
{
	const uint64_t zeros = UINT64_C(0x3030303030303030);
	const uint64_t high = UINT64_C(0x8080808080808080);
	uint64_t w = load_word48(s, 0, n), x, bad;

	/* The n digits into the top bytes, '0' below them; two shifts of
	 * 32 - 4n bits, as one of 64 would be undefined (n = 0). */
	w = ((w << (32 - 4 * n)) << (32 - 4 * n)) |
	    ((zeros >> (4 * n)) >> (4 * n));
	x = w ^ zeros;		/* a digit is now 0..9 in its byte */
	bad = (((x & ~high) + UINT64_C(0x7676767676767676)) | x) & high;
	if (bad)
		return (uint64_t)-1;
	x = x * 10 + (x >> 8);
	return (((x & UINT64_C(0x000000FF000000FF)) *
		 (100 + (UINT64_C(1000000) << 32))) +
		(((x >> 16) & UINT64_C(0x000000FF000000FF)) *
		 (1 + (UINT64_C(10000) << 32)))) >> 32;
}

/*
 * load_plain_decimal for a padded value field, without a branch on each
 * character: "[-+]int[.frac]" with at most 8 digits on each side is read
 * by load_digits8 twice; anything else (an exponent, more digits) by
 * load_plain_decimal. The same mantissa and power of ten, so the same
 * double. Returns 0 with *out set, or -1.
 */
static inline int load_plain_decimal_padded(const char *s, size_t len,
					    double *out)
{
	size_t skip = s[0] == '-' || s[0] == '+', n = len - skip, i_len;
	const char *p = s + skip, *dot;
	uint64_t ip, fp = 0, mant;
	double v;

	if (len == 0 || n > 17)
		return load_plain_decimal(s, len, out);
	dot = memchr(p, '.', n);
	i_len = dot ? (size_t)(dot - p) : n;
	if (i_len > 8 || n - i_len > 9)
		return load_plain_decimal(s, len, out);
	ip = load_digits8(p, i_len);
	if (dot)
		fp = load_digits8(dot + 1, n - i_len - 1);
	if (ip == (uint64_t)-1 || fp == (uint64_t)-1)
		return load_plain_decimal(s, len, out);
	if (n == (dot != NULL))
		return -1;	/* no digit: "", "-", "." */
	mant = ip * (uint64_t)load_pow10_exact[dot ? n - i_len - 1 : 0] + fp;
	if (mant > (UINT64_C(1) << 53))
		return -1;
	v = (double)mant / load_pow10_exact[dot ? n - i_len - 1 : 0];
	*out = s[0] == '-' ? -v : v;
	return 0;
}

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
	int n_threads;			/* ANALYZE_LOAD_THREADS; 0: automatic */
	int is_libcsv_only;		/* ANALYZE_LOAD_SHORTCUT=0 */
	struct arena_chunk *arena;	/* interned strings live here */
	struct str_slot *strs;
	size_t n_strs, cap_strs;	/* cap: a power of two */
	struct group_slot *slots;
	size_t cap_slots;		/* a power of two, >= 2 * groups */
	struct group_extra *extra;	/* parallel to dataset->groups */
	size_t cap_groups;
	struct file_id *files;
	size_t n_files, cap_files;
	char *join_buf;			/* a key being joined */
	size_t join_cap;
	const char *empty;		/* the interned "" */
};

/*
 * Values are filed through a list of pending ones (struct reader), in the
 * order of their rows, and moved into their groups this many at a time,
 * sorted by group first: each group then gets its share in one stretch.
 * Filing each value into its group's array at once wrote to a thousand
 * places in turn (one page each), and those stores were a fifth of the
 * time of a whole read; the list is written in order.
 */
#define LOAD_PENDING 16384
/* A pending value without a run of its own: its run is its position in
 * its group, known when it is filed (a part keeps -1, struct reader). */
#define LOAD_RUN_POSITION (-2.0)

struct pending_value {
	size_t group;		/* index into dataset->groups */
	double value, run;
};

/* Bytes read at a time by every reader (one block per thread). */
#define LOAD_BLOCK_SIZE (256 * 1024)
/* Under --lenient the first this many skipped rows of a file are listed
 * one per warning, the rest counted in one closing warning. */
#define LOAD_MAX_LISTED_SKIPS 20
#define LOAD_FIELD_MSG_MAX 512
/*
 * The longest row (a record, its quoted line breaks included), counting
 * its fields and commas: past it the file is an error, so no input, not
 * even an endless one without a line end, grows a reader's buffers beyond
 * about this much (analyze(1) INPUT FORMAT, docs/data-contract.md).
 * Plain lines are split within one block, so they never reach it.
 */
#define LOAD_MAX_ROW_BYTES ((size_t)1 << 20)
_Static_assert(LOAD_BLOCK_SIZE < LOAD_MAX_ROW_BYTES,
	       "a plain line within a block is always short enough");

/*
 * Per-file (or per-part) state of the libcsv callbacks. load_read.c makes
 * one per file; load_parallel.c adds one per later part of a large file,
 * filling a private dataset that it merges into the real one afterwards.
 */
struct reader {
	struct dataset *ds;
	struct load_index *ix;
	struct diag *err;
	const char *name;	/* as printed: path or "<stdin>" */
	size_t source;
	int status;		/* first fatal error; callbacks stop */
	/* A later part of a file read in parallel: lines count from 1 at
	 * the part's start, a row without 'run' stores -1 (its position is
	 * only known at the merge), and a row that would be checked against
	 * its group's unit or 'better' and fail stops the part with
	 * is_conflict set (the part is then read again in order). */
	int is_part;
	int is_conflict;
	/* Physical line accounting: 'line' is the line the parser is on. */
	unsigned long line, row_line;
	/* Bytes this reader is to parse (0: unknown, as on a pipe) and has
	 * been given so far: how far it is, to size the groups' arrays
	 * (load_group_reserve). */
	uint64_t bytes_total, bytes_done;
	int is_after_cr;
	/* The record being parsed: kept fields copied, NUL-terminated, into
	 * buf at off[i]; every field's length in len[i]. */
	char *buf;
	size_t buf_len, buf_cap;
	const char *row_in_place;	/* load_on_row: fields are in its line */
	size_t *off, *len;
	size_t n_fields, cap_fields;
	size_t row_bytes;	/* its fields and commas so far */
	size_t bad_field;	/* first field with a NUL or bad UTF-8 */
	size_t bad_offset;
	int bad_kind;		/* 0 none, 1 NUL, 2 invalid UTF-8 */
	unsigned char bad_byte;
	/* value, run and better, parsed as their fields arrive; a failure
	 * keeps its message until the record ends and the checks run in
	 * their fixed order. */
	double value, run;	/* run: -1 when the row has none */
	enum better better;
	int is_value_bad, is_run_bad, is_better_bad;
	char value_msg[LOAD_FIELD_MSG_MAX], run_msg[LOAD_FIELD_MSG_MAX];
	char better_msg[LOAD_FIELD_MSG_MAX];
	unsigned char *role;	/* per column: enum column_role bits */
	/* Header. */
	int has_header;
	size_t n_cols;
	char **names;
	long col_platform, col_benchmark, col_metric, col_value;
	long col_unit, col_run, col_better;
	long *key_col;		/* per key column: index, KEY_ABSENT, KEY_FILE */
	long key_first, key_last;	/* adjacent key columns, else -1 */
	size_t key_tail;		/* then this many absent (0 or 1) */
	/* Else the key as runs of adjacent columns (key_run_first[i] to
	 * key_run_last[i]; KEY_ABSENT or KEY_FILE alone), for joining a plain
	 * row's key with a copy per run (fast_row) into join_buf. */
	long *key_run_first, *key_run_last;
	size_t n_key_runs;
	char *join_buf;
	size_t join_cap;
	const char **kv;	/* per key column: this row's value */
	size_t *kl;
	const char *file_key;	/* interned input path for KEY_FILE */
	size_t file_key_len;
	unsigned long header_line;
	unsigned long n_data, n_listed;
	size_t *shared;		/* per earlier source: groups shared */
	size_t *shared_example;
	/* Values not yet in their groups (LOAD_PENDING): load_flush. */
	struct pending_value *pend, *pend_sorted;
	size_t n_pend;
	size_t *pend_count;	/* per group, while sorting */
	size_t pend_count_cap;
};

/* ---- load.c: the callbacks ------------------------------------------- */

/* libcsv's field and record callbacks, and linesplit's for a whole
 * plain line; data is a struct reader. */
void load_on_field(void *s, size_t n, void *data);
void load_on_record(int c, void *data);
int load_on_row(char *s, size_t n, const uint32_t *comma, int k,
		int is_ascii, void *data);

/* The sink through which a file of another format (input.h) sends its
 * header and rows to r, as if they were CSV records. */
void load_input_sink(struct reader *r, struct input_sink *sink);

/* libcsv stopped with an error (at_end: in csv_fini): r->status and
 * r->err describe it. */
void load_parse_error(struct reader *r, struct csv_parser *p,
		      int at_end);

/* linesplit stopped at a NUL byte (is_at_nul), p holding the field it is
 * in: r->status and r->err say where. */
void load_nul_error(struct reader *r, const struct csv_parser *p);

/* libcsv's realloc for its field buffer: refuses to grow it past what a
 * row may hold, so a field without end stops as a row too long. */
void *load_field_realloc(void *p, size_t size);

/* Move the pending values (struct reader) into their groups. Called
 * before anything reads the groups' values: at the end of a file, of a
 * part, and before parts are merged. */
void load_flush(struct reader *r);

/* g has rows from an earlier file too: count it for the closing note. */
void load_note_shared(struct reader *r, struct group *g);

/* ---- load_read.c: one file -------------------------------------------- */

/* The parser every reader uses, with r's callbacks; free with
 * csv_free(&ls->parser). */
void load_csv_init(struct linesplit *ls, struct reader *r);

/* Bytes of a UTF-8 byte order mark at b (0 or 3); a UTF-16 or UTF-32 BOM
 * is a file error. */
size_t load_skip_bom(struct reader *r, const unsigned char *b, size_t n);

/* Feed s[0..n-1] (which may be overwritten) to ls; on a libcsv error,
 * load_parse_error. Returns r->status. */
int load_feed(struct reader *r, struct linesplit *ls, char *s, size_t n);

/* The end of the input: the last record, or the error of an unterminated
 * quoted field. Returns r->status. */
int load_feed_end(struct reader *r, struct linesplit *ls);

/* A read(2) or pread(2) of r's file failed with errno: r->status and
 * r->err say so. */
void load_read_error(struct reader *r);

/* Free what a reader owns (not the reader itself). */
void load_reader_release(struct reader *r);

/* ---- load_parallel.c: a large regular file on several threads ----------- */

/*
 * Read the regular file fd (st_size bytes) in parts on several threads,
 * with exactly the result of a serial read: same groups in the same
 * order, values in order, warnings in order and the same first error.
 * Returns 0 when the file should be read serially instead (small, or
 * ANALYZE_LOAD_THREADS=1) and nothing was read; 1 when it was read, with
 * the outcome in r->status.
 */
int load_parallel(struct reader *r, int fd, off_t size);

/* ---- load_set.c: the dataset and its index ------------------------------ */

/* The one copy of s[0..n-1] owned by the index, valid until load_free. */
const char *load_intern(struct load_index *ix, const char *s, size_t n);

/*
 * The group whose key is kv[0..n_key_cols-1] (lengths kl), created empty
 * (key interned, first_source/first_line set, no unit) when there is none:
 * *is_new tells which. joined is the key joined (struct group_slot) when
 * the caller has it, else NULL. The pointer is valid until the next call.
 */
struct group *load_group_get(struct dataset *ds, const char *const *kv,
			     const size_t *kl, const char *joined,
			     size_t joined_len, size_t source,
			     unsigned long line, int *is_new);

/* The group whose joined key (struct group_slot) is s[0..n-1], or NULL. */
struct group *load_group_find_joined(const struct dataset *ds, const char *s,
				     size_t n);

/* The group whose key is kv/kl, or NULL; nothing is created. */
struct group *load_group_find(const struct dataset *ds,
			      const char *const *kv, const size_t *kl);

/* The lengths of g's key values (parallel to g->key). */
const size_t *load_key_lengths(const struct dataset *ds,
			       const struct group *g);

/* Loader-private facts about g (g is one of ds->groups). */
struct group_extra *load_group_extra(const struct dataset *ds,
				     const struct group *g);

/*
 * A private dataset for one part of a file read in parallel: ds's key
 * columns, --lenient and a copy of its sources' paths (so messages name
 * the same files), no groups. Free with load_free().
 */
struct dataset *load_part_new(const struct dataset *ds);

/* Grow g's arrays to hold at least want values, and never less than
 * half as many again as they hold. */
void load_group_reserve(struct group *g, size_t want);

/* Store g's runs, consecutive until now, in g->runs (capacity g->cap). */
void load_group_spell_runs(struct group *g);

/* Append one value and its run index to g (inline: once per row), which
 * has room for it (load_group_reserve). The runs stay implicit while they
 * count up by one (struct group). */
static inline void load_group_append(struct group *g, double value,
				     double run)
{
	g->values[g->n] = value;
	if (g->runs) {
		g->runs[g->n] = run;
	} else if (g->n == 0) {
		g->run_first = run;
	} else if (run != g->run_first + (double)g->n) {
		load_group_spell_runs(g);
		g->runs[g->n] = run;
	}
	g->n++;
}

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
