/*
 * http_parse: an incremental parser of HTTP/1.1 responses (RFC 9112), as
 * much as a load generator needs to find where each response ends: the
 * status line, Content-Length, Transfer-Encoding: chunked (sizes,
 * extensions, trailers), Connection: close, bodyless statuses (1xx, 204,
 * 304) and bodies delimited by the connection closing. Header values
 * other than those three are skipped unread.
 *
 * Lines are found with memchr and parsed in place when a read holds them
 * whole; only a line split across reads is copied into r->line. A bare LF
 * is accepted as a line end (RFC 9112 section 2.2 allows it).
 */
#include <string.h>

#include "http.h"

void http_resp_init(struct http_resp *r)
{
	r->state = HTTP_RESP_STATUS;
	r->status = 0;
	r->is_chunked = 0;
	r->has_length = 0;
	r->is_close = 0;
	r->is_http10 = 0;
	r->length = 0;
	r->left = 0;
	r->line_len = 0;
	r->error = NULL;
}

static int fail(struct http_resp *r, const char *why)
{
	r->error = why;
	return -1;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Case-insensitive: does the n bytes at s equal the lower-case word? */
static int is_word(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!word[i] || lower((unsigned char)s[i]) != word[i])
			return 0;
	return word[n] == '\0';
}

/* Does the comma-separated list s[0..n) hold token (case-insensitive)?
 * If is_last, only its last element counts (Transfer-Encoding). */
static int has_token(const char *s, size_t n, const char *token,
		     int is_last)
{
	size_t i = 0, start, end;
	int found = 0;

	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
			i++;
		start = i;
		while (i < n && s[i] != ',')
			i++;
		end = i;
		while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
			end--;
		if (end == start)
			continue;
		found = is_word(s + start, end - start, token) ||
			(found && !is_last);
	}
	return found;
}

/* "HTTP/1.x SP DDD [SP reason]". */
static int status_line(struct http_resp *r, const char *s, size_t n)
{
	if (n < 12 || memcmp(s, "HTTP/1.", 7) || s[7] < '0' || s[7] > '9' ||
	    s[8] != ' ' || s[9] < '1' || s[9] > '5' || s[10] < '0' ||
	    s[10] > '9' || s[11] < '0' || s[11] > '9' ||
	    (n > 12 && s[12] != ' '))
		return fail(r, "malformed status line");
	r->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	r->is_http10 = s[7] == '0';
	r->is_close = r->is_http10;	/* HTTP/1.0 closes by default */
	r->state = HTTP_RESP_HEADERS;
	return 0;
}

static int content_length(struct http_resp *r, const char *v, size_t n)
{
	uint64_t len = 0;
	size_t i;

	if (n == 0)
		return fail(r, "empty Content-Length");
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9' || len > (UINT64_MAX - 9) / 10)
			return fail(r, "bad Content-Length");
		len = len * 10 + (uint64_t)(v[i] - '0');
	}
	if (r->has_length && r->length != len)
		return fail(r, "conflicting Content-Length headers");
	r->has_length = 1;
	r->length = len;
	return 0;
}

/* The empty line after the headers: where does the body end? */
static int end_of_headers(struct http_resp *r)
{
	if (r->status < 200) {		/* interim (100 Continue): skip it */
		if (r->status == 101)
			return fail(r, "unexpected 101 Switching Protocols");
		r->state = HTTP_RESP_STATUS;
		return 0;
	}
	if (r->status == 204 || r->status == 304) {
		r->state = HTTP_RESP_DONE;
	} else if (r->is_chunked) {
		r->state = HTTP_RESP_CHUNK_SIZE;
	} else if (r->has_length) {
		r->left = r->length;
		r->state = r->left ? HTTP_RESP_BODY_LENGTH : HTTP_RESP_DONE;
	} else {
		r->is_close = 1;
		r->state = HTTP_RESP_BODY_EOF;
	}
	return 0;
}

static int header_line(struct http_resp *r, const char *s, size_t n)
{
	const char *colon, *v;
	size_t name_len, vlen;

	if (n == 0)
		return end_of_headers(r);
	if (s[0] == ' ' || s[0] == '\t')
		return fail(r, "obsolete header line folding");
	colon = memchr(s, ':', n);
	if (!colon || colon == s)
		return fail(r, "header line without a name and ':'");
	name_len = (size_t)(colon - s);
	v = colon + 1;
	vlen = n - name_len - 1;
	while (vlen && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	switch (lower((unsigned char)s[0])) {
	case 'c':
		if (is_word(s, name_len, "content-length"))
			return content_length(r, v, vlen);
		if (!is_word(s, name_len, "connection"))
			break;
		if (has_token(v, vlen, "close", 0))
			r->is_close = 1;
		else if (r->is_http10 && has_token(v, vlen, "keep-alive", 0))
			r->is_close = 0;	/* HTTP/1.0 persistent */
		break;
	case 't':
		if (is_word(s, name_len, "transfer-encoding"))
			r->is_chunked = has_token(v, vlen, "chunked", 1);
		break;
	}
	return 0;
}

/* chunk-size [; extensions]: hexadecimal, at least one digit. */
static int chunk_size_line(struct http_resp *r, const char *s, size_t n)
{
	uint64_t size = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int c = lower((unsigned char)s[i]), d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			break;
		if (size >> 60)
			return fail(r, "chunk size overflows");
		size = size * 16 + (uint64_t)d;
	}
	if (i == 0 || (i < n && s[i] != ';' && s[i] != ' ' && s[i] != '\t'))
		return fail(r, "malformed chunk size");
	r->left = size;
	r->state = size ? HTTP_RESP_CHUNK_DATA : HTTP_RESP_TRAILERS;
	return 0;
}

/* One complete line without its line end, in the current state. */
static int line(struct http_resp *r, const char *s, size_t n)
{
	switch (r->state) {
	case HTTP_RESP_STATUS:
		return status_line(r, s, n);
	case HTTP_RESP_HEADERS:
		return header_line(r, s, n);
	case HTTP_RESP_CHUNK_SIZE:
		return chunk_size_line(r, s, n);
	case HTTP_RESP_CHUNK_END:
		if (n)
			return fail(r, "chunk data longer than its size");
		r->state = HTTP_RESP_CHUNK_SIZE;
		return 0;
	case HTTP_RESP_TRAILERS:
		if (n == 0)
			r->state = HTTP_RESP_DONE;
		return 0;
	default:
		return fail(r, "internal: line in a body state");
	}
}

/*
 * Take bytes of a line from buf; when the line is complete, parse it.
 * Returns the bytes used, or -1 on error.
 */
static long take_line(struct http_resp *r, const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);
	size_t used = nl ? (size_t)(nl - buf) + 1 : len, n;

	if (r->line_len + used > HTTP_LINE_MAX)
		return fail(r, "line longer than 8192 bytes");
	if (!nl || r->line_len) {
		memcpy(r->line + r->line_len, buf, used);
		r->line_len += used;
		if (!nl)
			return (long)used;
		buf = r->line;
	}
	n = (r->line_len ? r->line_len : used) - 1;	/* without the LF */
	r->line_len = 0;
	if (n && buf[n - 1] == '\r')
		n--;
	if (line(r, buf, n))
		return -1;
	return (long)used;
}

int http_resp_feed(struct http_resp *r, const char *buf, size_t len,
		   size_t *used)
{
	size_t at = 0;

	while (at < len && r->state != HTTP_RESP_DONE) {
		size_t n;

		switch (r->state) {
		case HTTP_RESP_BODY_LENGTH:
		case HTTP_RESP_CHUNK_DATA:
			n = len - at < r->left ? len - at : (size_t)r->left;
			r->left -= n;
			at += n;
			if (r->left == 0)
				r->state = r->state == HTTP_RESP_CHUNK_DATA ?
					   HTTP_RESP_CHUNK_END : HTTP_RESP_DONE;
			break;
		case HTTP_RESP_BODY_EOF:
			at = len;
			break;
		default: {
			long got = take_line(r, buf + at, len - at);

			if (got < 0) {
				*used = at;
				return -1;
			}
			at += (size_t)got;
		}
		}
	}
	*used = at;
	return r->state == HTTP_RESP_DONE;
}

int http_resp_eof(struct http_resp *r)
{
	if (r->state != HTTP_RESP_BODY_EOF)
		return 0;
	r->state = HTTP_RESP_DONE;
	return 1;
}
