/*
 * linesplit: plain lines split here, the rest by libcsv (linesplit.h).
 *
 * Which lines are plain follows from libcsv's state machine with the
 * options load_csv_init() sets: between records (libcsv's ROW_NOT_BEGUN),
 * a line without '"', '\r', ' ' and '\t' ending in '\n' makes libcsv call
 * the field callback once per comma-separated piece, each NUL-terminated
 * (CSV_APPEND_NULL), then the record callback with '\n'; an empty line
 * makes it call only the record callback (CSV_REPALL_NL). Afterwards it is
 * between records again. Quotes, spaces and tabs (trimmed around unquoted
 * fields) and carriage returns change that, so such lines go to libcsv;
 * so, to test for them all at once, does any line with a byte below '#'
 * (control characters and '!' too, which are rare in results files).
 *
 * Whether libcsv is between records is known from the callbacks: it is
 * when the last one, for a piece of input ending in '\n', was the record
 * callback with '\n' (only that byte can end a record with '\n', and it
 * was the last byte libcsv saw).
 */
#include "linesplit.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && !defined(LINESPLIT_PORTABLE)
#include <emmintrin.h>
#endif

/* Fields a plain line may have; a longer one goes to libcsv. */
#define LINESPLIT_MAX_FIELDS 256

/*
 * Bit i of *low is set when byte i of p[0..15] is below '#': a line end,
 * one of the bytes that make a line not plain ('"', '\r', ' ', '\t'), or a
 * rare other ('!', control characters), which are sent to libcsv too. Bit
 * i of *comma when it is a comma, of *high when it is above 0x7f. One test
 * covers the line end and every special byte: 16 bytes take a handful of
 * instructions.
 */
static inline void classify16(const char *p, unsigned *low, unsigned *comma,
			      unsigned *high)
{
#if defined(__SSE2__) && !defined(LINESPLIT_PORTABLE)
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i below = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8('"')),
				       v);

	*low = (unsigned)_mm_movemask_epi8(below);
	*comma = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
							    _mm_set1_epi8(',')));
	*high = (unsigned)_mm_movemask_epi8(v);
#else
	int i;

	*low = *comma = *high = 0;
	for (i = 0; i < 16; i++) {
		unsigned char c = (unsigned char)p[i];

		*low |= (unsigned)(c <= '"') << i;
		*comma |= (unsigned)(c == ',') << i;
		*high |= (unsigned)(c > 0x7f) << i;
	}
#endif
}

/*
 * The comma bits of m, for the 16 bytes at offset base, into at[], which
 * has room for AT_SLACK more entries than LINESPLIT_MAX_FIELDS. Up to four
 * are written whatever their number (the entries past it are overwritten
 * later or never read): a loop over the bits would end at another count
 * in every chunk of every line, and the branch predictor would miss that
 * end each time. Returns the new count, or -1 (also when k is -1) when the
 * line would have more than LINESPLIT_MAX_FIELDS fields.
 */
#define AT_SLACK 4

/* The set bits of m < 2^16, without the library call that
 * __builtin_popcount is on an x86-64 without POPCNT. */
static inline int popcount16(unsigned m)
{
	m = m - ((m >> 1) & 0x5555u);
	m = (m & 0x3333u) + ((m >> 2) & 0x3333u);
	m = (m + (m >> 4)) & 0x0f0fu;
	return (int)((m + (m >> 8)) & 0x1fu);
}

static inline int add_commas(unsigned m, size_t base, uint32_t *at, int k)
{
	int n = popcount16(m), i;
	uint32_t b = (uint32_t)base;

	if (k < 0 || k + n > LINESPLIT_MAX_FIELDS - 1)
		return -1;
	/* m | 1 << 16: a defined count for the bits that are not there */
	at[k] = b + (uint32_t)__builtin_ctz(m | 1u << 16);
	m &= m - 1;
	at[k + 1] = b + (uint32_t)__builtin_ctz(m | 1u << 16);
	m &= m - 1;
	at[k + 2] = b + (uint32_t)__builtin_ctz(m | 1u << 16);
	m &= m - 1;
	at[k + 3] = b + (uint32_t)__builtin_ctz(m | 1u << 16);
	m &= m - 1;
	for (i = k + 4; m; m &= m - 1)	/* more than four in 16 bytes */
		at[i++] = b + (uint32_t)__builtin_ctz(m);
	return k + n;
}

/*
 * The line at s[0..n-1]: returns the offset of its '\n', or n when it has
 * none. *k is the number of commas, their offsets in at[], or -1 when the
 * line is not plain (or has too many fields) and goes to libcsv; *high
 * is nonzero when some byte of a plain line is above 0x7f.
 */
static size_t scan_line(const char *s, size_t n, uint32_t *at, int *k,
			unsigned *high)
{
	char tail[16];
	unsigned low, comma, hi;
	size_t i, j;
	const char *nl;

	*k = 0;
	*high = 0;
	for (i = 0; i < n; i += 16) {
		const char *p = s + i;

		if (n - i < 16) {	/* never read past the input */
			memset(tail, 'a', sizeof(tail));
			memcpy(tail, p, n - i);
			p = tail;
		}
		classify16(p, &low, &comma, &hi);
		if (!low) {
			*k = add_commas(comma, i, at, *k);
			*high |= hi;
			continue;
		}
		j = (size_t)__builtin_ctz(low);
		*k = add_commas(comma & ((1u << j) - 1), i, at, *k);
		*high |= hi & ((1u << j) - 1);
		if (s[i + j] == '\n')
			return i + j;
		*k = -1;
		nl = memchr(s + i + j, '\n', n - i - j);
		return nl ? (size_t)(nl - s) : n;
	}
	return n;
}

/* The plain line s[0..n-1] (s[n] is its '\n', the commas at at[0..k-1])
 * through the callbacks, as libcsv would call them. */
static void split_plain(struct linesplit *ls, char *s, size_t n,
			const uint32_t *at, int k, int is_ascii)
{
	size_t start = 0;
	int i;

	for (i = 0; i < k; i++)
		s[at[i]] = '\0';
	s[n] = '\0';
	if (ls->on_row && ls->on_row(s, n, at, k, is_ascii, ls->data) == 0)
		return;
	for (i = 0; i < k; i++) {
		ls->on_field(s + start, at[i] - start, ls->data);
		start = at[i] + 1;
	}
	if (n)
		ls->on_field(s + start, n - start, ls->data);
	ls->on_record('\n', ls->data);
}

/* What libcsv calls: the caller's callbacks, then note where it is. */
static void via_field(void *s, size_t n, void *data)
{
	struct linesplit *ls = data;

	ls->on_field(s, n, ls->data);
	ls->is_mid_record = 1;
}

static void via_record(int c, void *data)
{
	struct linesplit *ls = data;

	ls->on_record(c, ls->data);
	ls->is_mid_record = c != '\n';
}

/* s[0..n-1] to libcsv, up to a NUL with is_nul_stop; its return value
 * (the NUL's offset when it stopped there). */
static size_t to_libcsv(struct linesplit *ls, char *s, size_t n)
{
	const char *nul = ls->is_nul_stop ? memchr(s, '\0', n) : NULL;
	size_t k = nul ? (size_t)(nul - s) : n;
	size_t done = 0;

	ls->is_mid_record = 1;
	if (k)
		done = csv_parse(&ls->parser, s, k, via_field, via_record, ls);
	if (nul && done == k)
		ls->is_at_nul = 1;
	return done;
}

void linesplit_init(struct linesplit *ls, linesplit_field_fn on_field,
		    linesplit_record_fn on_record, void *data,
		    const int *stop)
{
	ls->on_field = on_field;
	ls->on_record = on_record;
	ls->on_row = NULL;
	ls->data = data;
	ls->stop = stop;
	ls->is_mid_record = 0;
	ls->is_libcsv_only = 0;
	ls->is_nul_stop = 0;
	ls->is_at_nul = 0;
}

size_t linesplit_feed(struct linesplit *ls, char *s, size_t n)
{
	uint32_t at[LINESPLIT_MAX_FIELDS + AT_SLACK];
	size_t pos = 0, len, done;
	const char *nl;
	unsigned high = 0;
	int k = -1;

	if (ls->is_libcsv_only)
		return to_libcsv(ls, s, n);
	while (pos < n) {
		if (ls->stop && *ls->stop)
			return pos;
		if (ls->is_mid_record) {
			nl = memchr(s + pos, '\n', n - pos);
			len = nl ? (size_t)(nl - (s + pos)) : n - pos;
		} else {
			len = scan_line(s + pos, n - pos, at, &k, &high);
		}
		if (len == n - pos)	/* the rest of a line: libcsv keeps it */
			return pos + to_libcsv(ls, s + pos, n - pos);
		if (!ls->is_mid_record && k >= 0 && len < UINT32_MAX) {
			split_plain(ls, s + pos, len, at, k, !high);
		} else {
			done = to_libcsv(ls, s + pos, len + 1);
			if (done != len + 1)
				return pos + done;
		}
		pos += len + 1;
	}
	return n;
}

int linesplit_fini(struct linesplit *ls)
{
	return csv_fini(&ls->parser, via_field, via_record, ls);
}
