/*
 * input: which format a file is (input_detect), the bytes after its head
 * (input_fill), and what every format shares: the tidy row it sends to the
 * loader, its messages and its provenance text.
 *
 * Detection looks at the first line that is not blank (and, for numbers,
 * not a '#' comment), never at the file name: a hyperfine export named
 * results.csv is still read as hyperfine's. The rules, in order:
 *   '{' or '['                    JSON (which tool: input_json_auto)
 *   '<' and "<Catch" in the head  Catch2 XML
 *   "command,mean,stddev,median,"  hyperfine --export-csv
 *   a Go configuration line ("goos: linux") or a Benchmark line
 *                                 go test -bench
 *   a number as its first field   plain numbers
 *   any later line of the head a whole Go result line (BenchmarkX 100
 *   12 ns/op, no comma)           go test -bench, after free text
 *   anything else                 tidy CSV (whose checks say what is wrong)
 */
#include "input.h"
#include "xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const format_names[INPUT_N_FORMATS] = {
	[INPUT_AUTO] = "auto",
	[INPUT_CSV] = "csv",
	[INPUT_HYPERFINE] = "hyperfine",
	[INPUT_HYPERFINE_CSV] = "hyperfine-csv",
	[INPUT_GBENCH] = "gbench",
	[INPUT_GOTEST] = "gotest",
	[INPUT_PYTEST] = "pytest",
	[INPUT_FIO] = "fio",
	[INPUT_CATCH2] = "catch2",
	[INPUT_NUMBERS] = "numbers",
};

const char *input_format_name(enum input_format f)
{
	return f < INPUT_N_FORMATS ? format_names[f] : "?";
}

int input_format_parse(const char *s)
{
	int i;

	for (i = 0; i < INPUT_N_FORMATS; i++)
		if (!strcmp(s, format_names[i]))
			return i;
	return -1;
}

const char *input_format_words(void)
{
	return "auto, csv, hyperfine, hyperfine-csv, gbench, gotest, pytest, "
	       "fio, catch2, numbers";
}

/* ---- detection ------------------------------------------------------------ */

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

/* A Go configuration line: a lower-case letter, then no space and no
 * upper-case letter up to a ':', then the end or a blank (benchfmt's rule,
 * golang.org/design/14313-benchmark-format). */
static int is_go_config(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || *s < 'a' || *s > 'z')
		return 0;
	for (i = 1; i < n; i++) {
		if (s[i] == ':')
			return i + 1 == n || s[i + 1] == ' ' ||
			       s[i + 1] == '\t';
		if (is_blank((unsigned char)s[i]) ||
		    (s[i] >= 'A' && s[i] <= 'Z'))
			return 0;
	}
	return 0;
}

/* "Benchmark" followed by a name that does not start in lower case (go
 * test only runs BenchmarkXxx functions). */
static int is_go_benchmark(const char *s, size_t n)
{
	return n > 9 && !memcmp(s, "Benchmark", 9) &&
	       !(s[9] >= 'a' && s[9] <= 'z') && !is_blank((unsigned char)s[9]);
}

/* The first whitespace-separated field of the line is a number. */
static int starts_with_number(const char *s, size_t n)
{
	size_t k = 0;
	double v;

	while (k < n && !is_blank((unsigned char)s[k]))
		k++;
	return k > 0 && input_parse_double(s, k, &v) == 0;
}

/* memmem, which is not POSIX. */
static int has_text(const char *s, size_t n, const char *t)
{
	size_t k = strlen(t), i;

	for (i = 0; i + k <= n; i++)
		if (s[i] == t[0] && !memcmp(s + i, t, k))
			return 1;
	return 0;
}

/* A whole Go result line: Benchmark name, an iteration count, at least
 * one value and unit, and no comma (a CSV row has them). */
static int is_go_result(const char *s, size_t n)
{
	size_t i = 9, k, fields = 0;

	if (!is_go_benchmark(s, n) || memchr(s, ',', n))
		return 0;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		for (k = i; k < n && s[k] != ' ' && s[k] != '\t'; k++)
			if (fields == 1 && (s[k] < '0' || s[k] > '9'))
				return 0;
		if (k > i)
			fields++;
		i = k;
	}
	return fields >= 4;
}

/* Some line of the head is a Go result line: go test output may start
 * with anything (benchstat skips what it does not know). */
static int has_go_result(const char *head, size_t n)
{
	size_t i = 0, end;

	while (i < n) {
		for (end = i; end < n && head[end] != '\n'; end++)
			;
		if (is_go_result(head + i, end - i -
				 (end > i && head[end - 1] == '\r')))
			return 1;
		i = end + 1;
	}
	return 0;
}

enum input_format input_detect(const char *head, size_t n, int is_eof)
{
	(void)is_eof;	/* a line cut by the head's end is judged as it is */
	static const char hf_csv[] = "command,mean,stddev,median,";
	size_t i = 0, end;

	if (n >= 3 && !memcmp(head, "\xef\xbb\xbf", 3))
		i = 3;
	for (;;) {
		while (i < n && is_blank((unsigned char)head[i]))
			i++;
		if (i == n)
			return INPUT_CSV;
		end = i;
		while (end < n && head[end] != '\n' && head[end] != '\r')
			end++;
		if (head[i] != '#')
			break;
		i = end;
	}
	if (head[i] == '{' || head[i] == '[')
		return INPUT_HYPERFINE;	/* JSON: input_json_auto tells which */
	if (head[i] == '<')
		return has_text(head + i, n - i, "<Catch") ? INPUT_CATCH2 :
		       INPUT_CSV;
	if (end - i >= sizeof(hf_csv) - 1 &&
	    !memcmp(head + i, hf_csv, sizeof(hf_csv) - 1))
		return INPUT_HYPERFINE_CSV;
	if (is_go_config(head + i, end - i) ||
	    is_go_benchmark(head + i, end - i))
		return INPUT_GOTEST;
	if (starts_with_number(head + i, end - i) &&
	    !memchr(head + i, ',', end - i))
		return INPUT_NUMBERS;
	return has_go_result(head, n) ? INPUT_GOTEST : INPUT_CSV;
}

/* ---- bytes ---------------------------------------------------------------- */

ssize_t input_fill(struct input_file *in, char *buf, size_t cap,
		   struct diag *err)
{
	ssize_t n;

	if (in->head_off < in->head_len) {
		size_t k = in->head_len - in->head_off;

		if (k > cap)
			k = cap;
		memcpy(buf, in->head + in->head_off, k);
		in->head_off += k;
		return (ssize_t)k;
	}
	if (in->is_eof)
		return 0;
	do
		n = read(in->fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		diag_set(err, in->name, 0, "read error: %s", strerror(errno));
		return -1;
	}
	if (n == 0)
		in->is_eof = 1;
	return n;
}

/* ---- lines ---------------------------------------------------------------- */

void input_lines_init(struct input_lines *l, struct input_file *in)
{
	memset(l, 0, sizeof(*l));
	l->in = in;
	l->is_first = 1;
}

void input_lines_release(struct input_lines *l)
{
	free(l->buf);
	l->buf = NULL;
}

/* Make room for at least 64 KiB more after the kept bytes. */
static void lines_room(struct input_lines *l)
{
	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->len - l->start);
		l->len -= l->start;
		l->start = 0;
	}
	if (l->cap - l->len < 65536) {
		l->cap = l->cap ? 2 * l->cap : 256 * 1024;
		l->buf = xreallocarray(l->buf, l->cap, 1);
	}
}

int input_lines_next(struct input_lines *l, char **s, size_t *n,
		     struct diag *err)
{
	char *p, *nl, *nul;
	size_t k;
	ssize_t got;

	for (;;) {
		p = l->buf + l->start;
		k = l->len - l->start;
		nl = l->buf ? memchr(p, '\n', k) : NULL;
		if (nl || (l->in->is_eof && l->in->head_off >= l->in->head_len))
			break;
		if (k > INPUT_MAX_LINE)
			return input_error(l->in, err, l->line + 1, "line longer "
					   "than %u bytes (is this a text "
					   "file?)", INPUT_MAX_LINE);
		lines_room(l);
		got = input_fill(l->in, l->buf + l->len, l->cap - l->len - 1,
				 err);
		if (got < 0)
			return STATUS_RUNTIME;
		l->len += (size_t)got;
		if (l->is_first && l->len >= 3) {
			l->is_first = 0;
			if (!memcmp(l->buf, "\xef\xbb\xbf", 3))
				l->start = 3;
		}
	}
	if (!nl && k == 0)
		return 0;
	k = nl ? (size_t)(nl - p) : k;
	l->start += nl ? k + 1 : k;
	l->line++;
	if (k > INPUT_MAX_LINE)
		return input_error(l->in, err, l->line, "line longer than %u "
				   "bytes (is this a text file?)",
				   INPUT_MAX_LINE);
	if (k > 0 && p[k - 1] == '\r')
		k--;
	if ((nul = memchr(p, '\0', k)))
		return input_error(l->in, err, l->line, "NUL byte at byte %zu "
				   "of the line (is this a binary or UTF-16 "
				   "file?)", (size_t)(nul - p) + 1);
	p[k] = '\0';
	*s = p;
	*n = k;
	return 1;
}

/* ---- rows ----------------------------------------------------------------- */

static const char *const std_cols[IC_N_STD] = {
	"platform", "benchmark", "metric", "value", "unit", "run", "better",
	"config", "host"
};

int input_begin(struct input_file *in, const char *const *extras,
		size_t n_extras, struct diag *err)
{
	const char *f[IC_N_STD + INPUT_MAX_EXTRA];
	size_t len[IC_N_STD + INPUT_MAX_EXTRA], i;

	(void)err;
	for (i = 0; i < IC_N_STD; i++)
		f[i] = std_cols[i];
	for (i = 0; i < n_extras && i < INPUT_MAX_EXTRA; i++)
		f[IC_N_STD + i] = extras[i];
	for (i = 0; i < IC_N_STD + n_extras; i++)
		len[i] = strlen(f[i]);
	return in->sink->row(in->sink->ctx, 0, f, len, IC_N_STD + n_extras,
			     NULL, NULL);
}

int input_emit(struct input_file *in, unsigned long line,
	       const struct input_row *row, size_t n_extras)
{
	const char *f[IC_N_STD + INPUT_MAX_EXTRA];
	size_t len[IC_N_STD + INPUT_MAX_EXTRA], i;
	double run = row->run >= 0 ? (double)row->run : -1.0;

	f[IC_PLATFORM] = row->platform;
	f[IC_BENCHMARK] = row->benchmark;
	f[IC_METRIC] = row->metric;
	f[IC_VALUE] = "";
	f[IC_UNIT] = row->unit;
	f[IC_RUN] = "";
	f[IC_BETTER] = row->better;
	f[IC_CONFIG] = row->config;
	f[IC_HOST] = row->host;
	for (i = 0; i < n_extras && i < INPUT_MAX_EXTRA; i++)
		f[IC_N_STD + i] = row->extra[i];
	for (i = 0; i < IC_N_STD + n_extras; i++) {
		if (!f[i])
			f[i] = "";
		len[i] = strlen(f[i]);
	}
	in->n_rows++;
	return in->sink->row(in->sink->ctx, line, f, len, IC_N_STD + n_extras,
			     &row->value, &run);
}

int input_skip(struct input_file *in, unsigned long line, const char *fmt,
	       ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	in->n_skipped++;
	return in->sink->skip(in->sink->ctx, line, msg);
}

int input_error(struct input_file *in, struct diag *err, unsigned long line,
		const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_set(err, in->name, line, "%s", msg);
	return STATUS_BADINPUT;
}

void input_note(struct input_file *in, unsigned long line, const char *fmt,
		...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_list_add(in->warnings, in->name, line, "%s", msg);
}

void input_provenance(struct input_file *in, const char *fmt, ...)
{
	struct input_buf b = { in->provenance, 0, 0 };
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	msg = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (b.s) {
		b.len = strlen(b.s);
		b.cap = b.len + 1;
		input_buf_add(&b, "; ", 2);
	}
	input_buf_add(&b, msg, (size_t)n);
	free(msg);
	in->provenance = b.s;
}

/* ---- small helpers -------------------------------------------------------- */

void input_buf_add(struct input_buf *b, const char *s, size_t n)
{
	if (b->cap - b->len < n + 1 || !b->s) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap - b->len < n + 1)
			cap *= 2;
		b->s = xreallocarray(b->s, cap, 1);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void input_buf_printf(struct input_buf *b, const char *fmt, ...)
{
	char tmp[DIAG_MSG_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	input_buf_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n :
		      sizeof(tmp) - 1);
}

void input_buf_clear(struct input_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void input_buf_release(struct input_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

const char *input_buf_str(const struct input_buf *b)
{
	return b->s ? b->s : "";
}

static size_t str_hash(const char *s)
{
	size_t h = 14695981039346656037u;	/* FNV-1a, 64 bits */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static size_t strset_find(const struct input_strset *set, const char *s)
{
	size_t i = str_hash(s) & (set->cap - 1);

	while (set->slot[i] && strcmp(set->slot[i], s))
		i = (i + 1) & (set->cap - 1);
	return i;
}

int input_strset_has(const struct input_strset *set, const char *s)
{
	return set->cap && set->slot[strset_find(set, s)] != NULL;
}

int input_strset_add(struct input_strset *set, const char *s)
{
	size_t i;

	if (input_strset_has(set, s))
		return 1;
	if (2 * (set->n + 1) > set->cap) {
		struct input_strset big = { NULL, 0, set->cap ? 2 * set->cap : 16 };

		big.slot = xcalloc(big.cap, sizeof(*big.slot));
		for (i = 0; i < set->cap; i++)
			if (set->slot[i])
				big.slot[strset_find(&big, set->slot[i])] =
					set->slot[i];
		big.n = set->n;
		free(set->slot);
		*set = big;
	}
	set->slot[strset_find(set, s)] = xstrdup(s);
	set->n++;
	return 0;
}

void input_strset_release(struct input_strset *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	memset(set, 0, sizeof(*set));
}

const char *input_show(char *buf, size_t size, const char *s)
{
	size_t o = 0, i;

	for (i = 0; s[i] && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= 60 && (c & 0xc0) != 0x80) {
			o += (size_t)snprintf(buf + o, size - o, "...");
			break;
		}
		if (c == '\n')
			o += (size_t)snprintf(buf + o, size - o, "\\n");
		else if (c == '\t')
			o += (size_t)snprintf(buf + o, size - o, "\\t");
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o < size ? o : size - 1] = '\0';
	return buf;
}

int input_parse_double(const char *s, size_t n, double *out)
{
	char buf[64], *end;
	double v;

	/* strtod would accept "nan", "inf", hex and leading blanks. */
	if (n == 0 || n >= sizeof(buf) || is_blank((unsigned char)s[0]))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strpbrk(buf, "xXnNiI"))
		return -1;
	v = strtod(buf, &end);
	/* Overflow gives HUGE_VAL; an underflow to 0 or a subnormal is
	 * what the text means, as near as a double gets. */
	if (end != buf + n || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* ---- dispatch ------------------------------------------------------------- */

int input_read(struct input_file *in, struct diag *err)
{
	int rc;

	in->head_off = 0;
	in->n_rows = in->n_skipped = 0;
	switch (in->format) {
	case INPUT_HYPERFINE:
	case INPUT_GBENCH:
	case INPUT_PYTEST:
	case INPUT_FIO:
		rc = input_json_auto(in, err);
		break;
	case INPUT_HYPERFINE_CSV: rc = input_hyperfine_csv(in, err); break;
	case INPUT_GOTEST: rc = input_gotest(in, err); break;
	case INPUT_NUMBERS: rc = input_numbers(in, err); break;
	case INPUT_CATCH2: rc = input_catch2(in, err); break;
	default:
		diag_set(err, in->name, 0, "no reader for format '%s'",
			 input_format_name(in->format));
		return STATUS_RUNTIME;
	}
	return rc;
}
