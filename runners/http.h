/*
 * http: the pieces of 'bench http' (runners/http.c) that live in their own
 * files: the latency histogram (http_hist.c), the incremental HTTP/1.1
 * response parser (http_parse.c) and the per-thread epoll load loop
 * (http_load.c). Nothing here prints or exits: errors are returned, with
 * a message in a caller-owned buffer where one is useful.
 */
#ifndef BENCH_HTTP_H
#define BENCH_HTTP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* ---- http_hist: log-linear latency histogram ------------------------- */

/*
 * Values are whole microseconds. Below 2048 us every value has its own
 * bucket; above, each power-of-two range [2^k, 2^(k+1)) is split into 1024
 * equal buckets, so a value is known to within 1/1024 (< 0.1%) of itself,
 * as in HdrHistogram with 3 significant digits. The top range ends at
 * 2^40 us (12.7 days); larger values are counted in the last bucket.
 */
#define HTTP_HIST_SUB_BITS 10
#define HTTP_HIST_MAX_BITS 40
#define HTTP_HIST_BUCKETS \
	((HTTP_HIST_MAX_BITS - HTTP_HIST_SUB_BITS + 1) << HTTP_HIST_SUB_BITS)

struct http_hist {
	uint64_t *counts;	/* HTTP_HIST_BUCKETS entries, owned */
	uint64_t total;		/* values recorded */
	uint64_t max_us;	/* exact largest value */
	uint64_t min_us;	/* exact smallest value (UINT64_MAX: none) */
};

/* Allocate the buckets. Returns 0, or -1 when out of memory. Release with
 * http_hist_release() (safe on a zeroed or failed struct). */
int http_hist_init(struct http_hist *h);
void http_hist_release(struct http_hist *h);
void http_hist_record(struct http_hist *h, uint64_t value_us);
/* Add every value of src to dst. */
void http_hist_merge(struct http_hist *dst, const struct http_hist *src);
/*
 * The nearest-rank percentile: the smallest recorded value v with at least
 * ceil(pct / 100 * total) values <= v (pct in (0, 100]), given as the top
 * of v's bucket (HdrHistogram's highestEquivalentValue) but never above
 * the exact maximum. 0 when the histogram is empty.
 */
uint64_t http_hist_percentile(const struct http_hist *h, double pct);
/* Bucket index of a value, and the largest value of a bucket. */
size_t http_hist_index(uint64_t value_us);
uint64_t http_hist_bucket_top(size_t index);

/* ---- http_parse: incremental HTTP/1.1 response parser ------------------ */

#define HTTP_LINE_MAX 8192	/* longest status, header or chunk line */

enum http_resp_state {
	HTTP_RESP_STATUS,	/* reading the status line */
	HTTP_RESP_HEADERS,	/* reading header lines */
	HTTP_RESP_BODY_LENGTH,	/* Content-Length bytes left */
	HTTP_RESP_CHUNK_SIZE,	/* a chunk-size line */
	HTTP_RESP_CHUNK_DATA,	/* chunk bytes left */
	HTTP_RESP_CHUNK_END,	/* the CRLF after chunk data */
	HTTP_RESP_TRAILERS,	/* trailer lines after the last chunk */
	HTTP_RESP_BODY_EOF,	/* body delimited by connection close */
	HTTP_RESP_DONE
};

struct http_resp {
	enum http_resp_state state;
	int status;		/* status code, once the status line is read */
	int is_chunked;		/* Transfer-Encoding ends in chunked */
	int has_length;		/* a Content-Length header was seen */
	int is_close;		/* Connection: close, or HTTP/1.0 without
				 * Connection: keep-alive */
	int is_http10;		/* the status line says HTTP/1.0 */
	uint64_t length;	/* Content-Length */
	uint64_t left;		/* body or chunk bytes still to come */
	size_t line_len;	/* bytes of a line split across reads */
	char line[HTTP_LINE_MAX];
	const char *error;	/* static text, set when feed returns -1 */
};

/* Ready for the next response. */
void http_resp_init(struct http_resp *r);
/*
 * Consume bytes of one response. Returns 1 when the response is complete
 * (*used tells how many bytes it took; the rest belongs to no request), 0
 * when more bytes are needed (all were used), -1 on a protocol error
 * (r->error says which; *used is the bytes before the bad line).
 */
int http_resp_feed(struct http_resp *r, const char *buf, size_t len,
		   size_t *used);
/* The peer closed the connection: 1 if that completes the response (a
 * body delimited by close), else 0. */
int http_resp_eof(struct http_resp *r);

/* ---- http_load: one load thread ---------------------------------------- */

/* What every thread shares, read-only during the run. */
struct http_load_plan {
	struct sockaddr_storage addr;	/* the server */
	socklen_t addr_len;
	const char *request;		/* the full request text, borrowed */
	size_t request_len;
	uint64_t start_ns;		/* CLOCK_MONOTONIC at the start */
	uint64_t deadline_ns;		/* end of the window / the bound */
	uint64_t timeout_ns;		/* a request unanswered this long
					 * is an error */
	long n_requests;		/* -n; 0 for a timed run */
	double interval_ns;		/* --rate: per-connection gap; 0 for
					 * closed loop */
	long n_conns;			/* all threads together */
	atomic_long *claimed;		/* -n: requests handed out so far */
};

/* Error kinds, counted separately and reported together. */
enum http_err {
	HTTP_ERR_CONNECT, HTTP_ERR_READ, HTTP_ERR_WRITE, HTTP_ERR_TIMEOUT,
	HTTP_ERR_PARSE, HTTP_ERR_STATUS, HTTP_ERR_KINDS
};

/* One thread's share of the connections and its results. */
struct http_load {
	const struct http_load_plan *plan;
	long first_conn;		/* global index of its first conn */
	long n_conns;
	struct http_hist hist;		/* latencies of completed responses */
	uint64_t completed;		/* responses completed in the window */
	uint64_t errors[HTTP_ERR_KINDS];
	int first_bad_status;		/* first non-2xx status seen */
	const char *first_parse_error;	/* static text */
	uint64_t last_done_ns;		/* -n: when its last request ended */
	int is_unfinished;		/* -n: stopped with requests left */
	int is_failed;			/* could not run at all */
	char failure[160];		/* why, when is_failed */
};

/* pthread start routine: runs one struct http_load to the deadline (or
 * until -n is used up, or bench_interrupted). */
void *http_load_run(void *arg);

#endif
