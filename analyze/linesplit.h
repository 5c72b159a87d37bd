/*
 * linesplit: libcsv's callbacks, with a shortcut for plain lines.
 *
 * libcsv looks at every byte through its state machine, about 3 ns a byte
 * here: on a results file of millions of rows that is most of analyze's
 * time, while nearly every line is plain (no quote, carriage return,
 * space, tab or other byte below '#') and means only "split at the
 * commas". So while libcsv is between records, a complete plain line is
 * split here, calling the same callbacks with the same arguments libcsv
 * would (each field NUL-terminated, then the end of the record with
 * '\n'); any other line, and any line while libcsv
 * may hold part of a record (a quoted field spanning lines, a line cut by
 * the end of a block), goes to libcsv. tests/unit/linesplit_test.c checks
 * that the callbacks seen are exactly libcsv's on random and edge-case
 * input cut at random places.
 *
 * The shortcut is only valid for a parser set up as load_csv_init() does
 * (CSV_APPEND_NULL and CSV_REPALL_NL, libcsv's default delimiter, quote,
 * space and line-end characters).
 */
#ifndef ANALYZE_LINESPLIT_H
#define ANALYZE_LINESPLIT_H

#include <csv.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*linesplit_field_fn)(void *s, size_t n, void *data);
typedef void (*linesplit_record_fn)(int c, void *data);

/*
 * A whole plain line at once, for a caller that can take it so: s[0..n-1]
 * (s[n] was its '\n'), with k commas at offsets comma[0..k-1], each
 * already replaced by a NUL, as s[n] is; is_ascii when no byte is above
 * 0x7f. Returns 0 when it took the line, -1 when the line should come
 * field by field instead (then nothing may have been changed).
 */
typedef int (*linesplit_row_fn)(char *s, size_t n, const uint32_t *comma,
				int k, int is_ascii, void *data);

struct linesplit {
	struct csv_parser parser;	/* owned; set up by the caller */
	linesplit_field_fn on_field;
	linesplit_record_fn on_record;
	linesplit_row_fn on_row;	/* optional: plain lines whole */
	void *data;
	const int *stop;	/* nonzero: stop at the next line (or NULL) */
	int is_mid_record;	/* libcsv may hold part of a record */
	int is_libcsv_only;	/* no shortcut: every byte to libcsv */
	int is_nul_stop;	/* stop at the first NUL byte (below) */
	int is_at_nul;		/* it stopped at one */
};

/* Use ls->parser (already initialized) with these callbacks, with the
 * shortcut (is_libcsv_only cleared), without on_row (set it after). */
void linesplit_init(struct linesplit *ls, linesplit_field_fn on_field,
		    linesplit_record_fn on_record, void *data,
		    const int *stop);

/*
 * Parse s[0..n-1], which may be overwritten (separators become NULs).
 * Returns n, or fewer bytes when libcsv stopped with an error
 * (csv_error(&ls->parser)) or *stop became nonzero. With is_nul_stop,
 * also at the first NUL byte of the input, whose offset it returns with
 * is_at_nul set: libcsv got everything before it and holds the field it
 * is in (a plain line has no NUL, so the check costs nothing there).
 */
size_t linesplit_feed(struct linesplit *ls, char *s, size_t n);

/* The end of the input: csv_fini with the same callbacks; 0 or -1. */
int linesplit_fini(struct linesplit *ls);

#endif
