/*
 * http: bench http, an HTTP/1.1 keep-alive load generator (wrk's model:
 * -c connections over -t threads, each thread one epoll loop) with an
 * open-loop mode (--rate, wrk2's) and the course's "ms for N requests"
 * (-n). This file holds the command line, the URL, the run and its rows;
 * the load loop, parser and histogram are http_load.c, http_parse.c and
 * http_hist.c (contracts in http.h).
 *
 * It targets loopback only unless --allow-remote: a load generator
 * pointed at someone else's server by a typo is an attack.
 */
#define _GNU_SOURCE	/* strcasecmp, strncasecmp */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"
#include "http.h"

#define HTTP_CMD "http"
#define HTTP_MAX_HEADERS 32
#define HTTP_REQUEST_MAX 16384
#define HTTP_MAX_CONNS 100000L
#define HTTP_MAX_THREADS 1024L

struct http_opts {
	long conns, threads, n_requests;
	uint64_t duration_ns;		/* -d: window, or bound with -n */
	uint64_t timeout_ns;
	double rate;			/* --rate, requests/s; 0: closed loop */
	int is_us;			/* --latency-unit us */
	int is_allow_remote;
	int has_duration, has_threads;
	const char *url;
	const char *headers[HTTP_MAX_HEADERS];
	int n_headers;
};

struct http_target {
	struct sockaddr_storage addr;
	socklen_t addr_len;
	char host[256];			/* as written, for Host: */
	char path[4096];
	char request[HTTP_REQUEST_MAX];
	size_t request_len;
};

struct http_ctx {
	const struct http_opts *o;
	const struct http_target *t;
};

static const char http_intro[] =
	"usage: bench http [options] http://HOST[:PORT][/PATH]\n"
	"\n"
	"Loads an HTTP/1.1 server with -c keep-alive connections spread over\n"
	"-t threads (one epoll loop each), one request in flight per\n"
	"connection: 'GET PATH HTTP/1.1' with a Host header and the -H ones.\n"
	"Responses are parsed (status line, Content-Length, chunked transfer\n"
	"encoding, Connection: close). Rows per run (metric, unit, better):\n"
	"  req_per_s   req/s  higher  responses completed (any status) in the\n"
	"                             window, divided by its length: -d, or\n"
	"                             with -n the time to finish all N\n"
	"  p50_ms p90_ms p99_ms p99.9_ms max_ms   ms  lower  latency\n"
	"              percentiles (nearest rank) from a log-linear histogram\n"
	"              of 1 us resolution below 2.048 ms and 0.1% above;\n"
	"              latency runs from sending the request (with --rate:\n"
	"              from its intended send time) to its last byte\n"
	"  errors      count  lower   non-2xx responses, connect, read and\n"
	"                             write errors, timeouts, malformed\n"
	"                             responses\n"
	"  total_ms    ms     lower   with -n: from the start until the last\n"
	"                             of the N requests has finished\n"
	"Only loopback targets (127.0.0.0/8, ::1, localhost) unless\n"
	"--allow-remote. The --until-ci metric is req_per_s (-n: total_ms).\n"
	"\n"
	"Example: bench http -c 50 -t 2 -d 10s http://127.0.0.1:8080/\n"
	"\n"
	"Options:\n";

enum http_opt {
	HTTP_OPT_CONNECTIONS,
	HTTP_OPT_THREADS,
	HTTP_OPT_DURATION,
	HTTP_OPT_REQUESTS,
	HTTP_OPT_RATE,
	HTTP_OPT_HEADER,
	HTTP_OPT_TIMEOUT,
	HTTP_OPT_LATENCY_UNIT,
	HTTP_OPT_ALLOW_REMOTE
};

static const struct opt_spec http_options[] = {
	{ HTTP_OPT_CONNECTIONS, 'c', "connections", "N",
	  "open connections (default: 10)" },
	{ HTTP_OPT_THREADS, 't', "threads", "N",
	  "threads, no more than -c (default: 2)" },
	{ HTTP_OPT_DURATION, 'd', "duration", "TIME",
	  "length of each run, e.g. 10s, 500ms, 2m\n"
	  "(default: 10s); with -n the time limit\n"
	  "(default: 60s), reaching it is an error" },
	{ HTTP_OPT_REQUESTS, 'n', "requests", "N",
	  "send exactly N requests, then stop" },
	{ HTTP_OPT_RATE, 'R', "rate", "R",
	  "open loop: R requests/s in total, each\n"
	  "connection on a fixed schedule (wrk2 style)" },
	{ HTTP_OPT_HEADER, 'H', "header", "LINE",
	  "add a request header 'Name: value'\n"
	  "(repeatable; replaces Host: when given)" },
	{ HTTP_OPT_TIMEOUT, 0, "timeout", "TIME",
	  "a request unanswered after TIME is an error\n"
	  "and its connection is reopened (default: 2s)" },
	{ HTTP_OPT_LATENCY_UNIT, 0, "latency-unit", "U",
	  "ms or us for the latency rows (default: ms)" },
	{ HTTP_OPT_ALLOW_REMOTE, 0, "allow-remote", NULL,
	  "allow a target outside the loopback network" },
	{ COMMON_OPT_RUNS, 0, "runs", "N",
	  "measured runs (default: 1)" },
	{ COMMON_OPT_WARMUP, 0, "warmup", "N",
	  "unrecorded runs before them (default: 0)" },
	COMMON_VERSION_ROW,
};

static const char http_exit_help[] =
	"\n"
	"Exit status: 0 success; 1 the server cannot be reached, no response\n"
	"completed, or -n did not finish within -d; 2 bad usage (bad URL,\n"
	"remote target, bad option), no row written; 130 interrupted (the\n"
	"run in progress is discarded, finished runs kept).\n";

static const struct bench_doc http_doc = {
	HTTP_CMD, http_intro, OPT_TABLE(http_options), 23,
	"",
	http_exit_help, 1, BENCH_OPERANDS_ANY
};

/* "10s", "500ms", "2m", "1h" or plain seconds, into ns. */
static int parse_time(struct diag *err, const char *opt, const char *arg,
		      uint64_t *out_ns)
{
	static const struct { const char *suffix; double ns; } units[] = {
		{ "ms", 1e6 }, { "us", 1e3 }, { "s", 1e9 }, { "m", 60e9 },
		{ "h", 3600e9 }, { "", 1e9 }
	};
	char *end;
	double v;
	size_t i;

	errno = 0;
	v = strtod(arg, &end);
	for (i = 0; end != arg && !errno && i < 6; i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		v *= units[i].ns;
		if (v >= 1e6 && v <= 7 * 24 * 3600e9) {	/* 1 ms .. 1 week */
			*out_ns = (uint64_t)v;
			return 0;
		}
		break;
	}
	diag_set(err, NULL, 0, "%s '%s' must be a time from 1ms to 1 week "
		 "(e.g. 10s, 500ms, 2m)", opt, arg);
	return STATUS_BADINPUT;
}

static int parse_header(struct diag *err, struct http_opts *o,
			const char *line)
{
	const char *colon = strchr(line, ':');

	if (!colon || colon == line || strpbrk(line, "\r\n") ||
	    strcspn(line, " \t") < (size_t)(colon - line)) {
		diag_set(err, NULL, 0, "--header '%s' must look like "
			 "'Name: value'", line);
		return STATUS_BADINPUT;
	}
	if (o->n_headers == HTTP_MAX_HEADERS) {
		diag_set(err, NULL, 0, "more than %d --header options",
			 HTTP_MAX_HEADERS);
		return STATUS_BADINPUT;
	}
	o->headers[o->n_headers++] = line;
	return 0;
}

/* The URL (once), or an option of http itself. */
static int http_option(void *ctx, int id, const char *name, const char *v,
		       struct diag *err)
{
	struct http_opts *o = ctx;

	switch (id) {
	case BENCH_OPERAND:
		if (o->url) {
			diag_set(err, NULL, 0, "more than one URL ('%s', "
				 "'%s')", o->url, v);
			return STATUS_BADINPUT;
		}
		o->url = v;
		return 0;
	case HTTP_OPT_ALLOW_REMOTE: o->is_allow_remote = 1; return 0;
	case HTTP_OPT_CONNECTIONS:
		return parse_long(err, name, v, 1, HTTP_MAX_CONNS, &o->conns);
	case HTTP_OPT_THREADS:
		o->has_threads = 1;
		return parse_long(err, name, v, 1, HTTP_MAX_THREADS,
				  &o->threads);
	case HTTP_OPT_REQUESTS:
		return parse_long(err, name, v, 1, 1000000000L,
				  &o->n_requests);
	case HTTP_OPT_RATE:
		return parse_double(err, name, v, 0.001, 1e8, &o->rate);
	case HTTP_OPT_HEADER: return parse_header(err, o, v);
	case HTTP_OPT_TIMEOUT:
		return parse_time(err, name, v, &o->timeout_ns);
	case HTTP_OPT_LATENCY_UNIT:
		if (strcmp(v, "ms") && strcmp(v, "us")) {
			diag_set(err, NULL, 0, "--latency-unit '%s' must be "
				 "ms or us", v);
			return STATUS_BADINPUT;
		}
		o->is_us = !strcmp(v, "us");
		return 0;
	case HTTP_OPT_DURATION:
		o->has_duration = 1;
		return parse_time(err, name, v, &o->duration_ns);
	}
	return 0;
}

/* Returns 0, 1 after --help, -1 after a usage error. */
static int parse_options(int argc, char **argv, struct bench_common *c,
			 struct http_opts *o)
{
	int status;

	if (common_parse(c, &http_doc, argc, argv, http_option, o, NULL,
			 &status))
		return status ? -1 : 1;
	return 0;
}

/* Cross-option checks, after parsing. */
static int check_options(struct http_opts *o)
{
	if (!o->url)
		return usage_error(HTTP_CMD, "no URL given (e.g. "
				   "http://127.0.0.1:8080/)");
	if (!o->has_threads && o->threads > o->conns)
		o->threads = o->conns;
	if (o->threads > o->conns)
		return usage_error(HTTP_CMD, "-t %ld threads need at least %ld "
				   "connections (-c)", o->threads, o->threads);
	if (!o->has_duration)
		o->duration_ns = (o->n_requests ? 60 : 10) * 1000000000ull;
	return 0;
}

/* Whether the address is on the loopback network. */
static int is_loopback(const struct sockaddr_storage *ss)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	const struct sockaddr_in *v4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)ss;
	const unsigned char *a = v6->sin6_addr.s6_addr;

	if (ss->ss_family == AF_INET)
		return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr) ||
	       (!memcmp(a, mapped, 12) && a[12] == 127);
}

/*
 * HOST is an IPv4 address, [IPv6] or localhost: bench is linked -static,
 * where getaddrinfo would need the NSS libraries of the host at run time,
 * and in a guest there is no resolver anyway.
 */
static int resolve(const char *host, int is_bracketed, long port,
		   struct http_target *t)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)&t->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&t->addr;

	memset(&t->addr, 0, sizeof(t->addr));
	if (!is_bracketed && !strcasecmp(host, "localhost"))
		host = "127.0.0.1";
	if (!is_bracketed && inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		t->addr_len = sizeof(*v4);
		return 0;
	}
	if (is_bracketed && inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		t->addr_len = sizeof(*v6);
		return 0;
	}
	usage_error(HTTP_CMD, "host '%s' is not an IP address (bench is "
		    "static and resolves only 'localhost'; write IPv6 in [])",
		    host);
	return -1;
}

/* Split the authority "host[:port]" or "[v6][:port]" of the URL. */
static int parse_authority(const char *url, const char *a, size_t len,
			   struct http_target *t, const struct http_opts *o)
{
	char host[256];
	const char *colon = NULL, *end = a + len;
	long port = 80;
	int is_bracketed = a[0] == '[';

	if (is_bracketed) {
		const char *close = memchr(a, ']', len);

		if (!close || (close + 1 < end && close[1] != ':'))
			goto bad;
		colon = close + 1 < end ? close + 1 : NULL;
		snprintf(host, sizeof(host), "%.*s", (int)(close - a - 1),
			 a + 1);
	} else {
		colon = memchr(a, ':', len);
		snprintf(host, sizeof(host), "%.*s",
			 (int)((colon ? colon : end) - a), a);
	}
	if (!host[0] || memchr(a, '@', len) || len >= sizeof(t->host))
		goto bad;
	if (colon) {
		char digits[24];
		struct diag err;

		/* Longer text is cut, but still out of range. */
		snprintf(digits, sizeof(digits), "%.*s",
			 (int)(end - colon - 1), colon + 1);
		if (parse_long(&err, "the URL's port", digits, 1, 65535,
			       &port)) {
			usage_error(HTTP_CMD, "%s", err.msg);
			return -1;
		}
	}
	snprintf(t->host, sizeof(t->host), "%.*s", (int)len, a);
	if (resolve(host, is_bracketed, port, t))
		return -1;
	if (!o->is_allow_remote && !is_loopback(&t->addr)) {
		usage_error(HTTP_CMD, "refusing to load '%s': not a loopback "
			    "address (use --allow-remote for a server you "
			    "run)", host);
		return -1;
	}
	return 0;
bad:
	usage_error(HTTP_CMD, "URL '%s' has a malformed host part", url);
	return -1;
}

static int parse_url(const char *url, struct http_target *t,
		     const struct http_opts *o)
{
	const char *a, *p;
	size_t i;

	if (!strncasecmp(url, "https://", 8)) {
		usage_error(HTTP_CMD, "URL '%s': https is not supported "
			    "(plain http only)", url);
		return -1;
	}
	if (strncasecmp(url, "http://", 7)) {
		usage_error(HTTP_CMD, "URL '%s' must start with http://", url);
		return -1;
	}
	a = url + 7;
	p = a + strcspn(a, "/?#");
	if (p == a) {
		usage_error(HTTP_CMD, "URL '%s' has no host", url);
		return -1;
	}
	if (parse_authority(url, a, (size_t)(p - a), t, o))
		return -1;
	for (i = 0; p[i]; i++)
		if ((unsigned char)p[i] <= ' ' || p[i] == 0x7f) {
			usage_error(HTTP_CMD, "URL '%s' has a space or control "
				    "character (percent-encode it)", url);
			return -1;
		}
	snprintf(t->path, sizeof(t->path), "%s%.*s", *p == '/' ? "" : "/",
		 (int)strcspn(p, "#"), p);
	return 0;
}

/* The request text, sent unchanged on every connection. */
static int build_request(struct http_target *t, const struct http_opts *o)
{
	size_t at;
	int i, n, has_host = 0;

	for (i = 0; i < o->n_headers; i++)
		if (!strncasecmp(o->headers[i], "host:", 5))
			has_host = 1;
	n = snprintf(t->request, sizeof(t->request), "GET %s HTTP/1.1\r\n",
		     t->path);
	at = (size_t)n;
	if (!has_host)
		at += (size_t)snprintf(t->request + at, sizeof(t->request) - at,
				       "Host: %s\r\n", t->host);
	for (i = 0; i < o->n_headers && at < sizeof(t->request); i++)
		at += (size_t)snprintf(t->request + at, sizeof(t->request) - at,
				       "%s\r\n", o->headers[i]);
	if (at + 3 > sizeof(t->request)) {
		usage_error(HTTP_CMD, "the request is longer than %d bytes",
			    HTTP_REQUEST_MAX);
		return -1;
	}
	memcpy(t->request + at, "\r\n", 3);
	t->request_len = at + 2;
	return 0;
}

/* Each connection is a descriptor: raise the soft limit if it is low. */
static int check_fd_limit(long conns)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)conns + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max >= need || rl.rlim_max == RLIM_INFINITY) {
		rl.rlim_cur = need;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return 0;
	}
	usage_error(HTTP_CMD, "-c %ld needs %lu open files, the hard limit is "
		    "%lu (ulimit -n)", conns, (unsigned long)need,
		    (unsigned long)rl.rlim_max);
	return -1;
}

/* Can we connect at all? Checked before the first row (timeout 2 s). */
static int probe(const struct http_target *t, const char *url)
{
	struct pollfd pfd;
	int err = 0, fd;
	socklen_t len = sizeof(err);

	fd = socket(t->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = errno;
	} else if (connect(fd, (const struct sockaddr *)&t->addr,
			   t->addr_len) && errno != EINPROGRESS) {
		err = errno;
	} else {
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 2000) != 1)
			err = ETIMEDOUT;
		else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
			err = errno;
	}
	if (fd >= 0)
		close(fd);
	if (err)
		bench_error(HTTP_CMD, "cannot connect to '%s': %s (is the "
			    "server running?)", url, strerror(err));
	return err ? -1 : 0;
}

/* Say what went wrong in a run, one line, when anything did. */
static void describe_errors(long run, const uint64_t *errors, int status,
			    const char *parse_error)
{
	static const char *const names[HTTP_ERR_KINDS] = {
		"connect", "read", "write", "timeout", "malformed", "non-2xx"
	};
	char line[512];
	size_t at = 0;
	uint64_t total = 0;
	int k;

	for (k = 0; k < HTTP_ERR_KINDS; k++) {
		if (!errors[k])
			continue;
		total += errors[k];
		at += (size_t)snprintf(line + at, sizeof(line) - at, "%s%s %lu",
				       at ? ", " : "", names[k],
				       (unsigned long)errors[k]);
		if (k == HTTP_ERR_STATUS && at < sizeof(line))
			at += (size_t)snprintf(line + at, sizeof(line) - at,
					       " (first: %d)", status);
		if (k == HTTP_ERR_PARSE && parse_error && at < sizeof(line))
			at += (size_t)snprintf(line + at, sizeof(line) - at,
					       " (first: %s)", parse_error);
		if (at >= sizeof(line))
			break;
	}
	if (total)
		bench_error(HTTP_CMD, "run %ld: %lu errors: %s", run,
			    (unsigned long)total, line);
}

/* Sum the threads' results into loads[0]; returns 0, or 1 after printing
 * why the run cannot be reported. */
static int gather(const struct http_opts *o, struct http_load *loads,
		  long n, long run)
{
	struct http_load *all = &loads[0];
	long i;
	int k;

	for (i = 0; i < n; i++)
		if (loads[i].is_failed) {
			bench_error(HTTP_CMD, "%s", loads[i].failure);
			return 1;
		}
	for (i = 1; i < n; i++) {
		http_hist_merge(&all->hist, &loads[i].hist);
		all->completed += loads[i].completed;
		for (k = 0; k < HTTP_ERR_KINDS; k++)
			all->errors[k] += loads[i].errors[k];
		if (!all->first_bad_status)
			all->first_bad_status = loads[i].first_bad_status;
		if (!all->first_parse_error)
			all->first_parse_error = loads[i].first_parse_error;
		if (loads[i].last_done_ns > all->last_done_ns)
			all->last_done_ns = loads[i].last_done_ns;
		all->is_unfinished |= loads[i].is_unfinished;
	}
	describe_errors(run, all->errors, all->first_bad_status,
			all->first_parse_error);
	if (o->n_requests && all->is_unfinished) {
		bench_error(HTTP_CMD, "-n %ld: only %lu responses within the "
			    "%.3g s limit (raise -d)", o->n_requests,
			    (unsigned long)all->completed,
			    (double)o->duration_ns / 1e9);
		return 1;
	}
	if (all->completed == 0 || all->hist.total != all->completed) {
		bench_error(HTTP_CMD, "no response completed in run %ld",
			    run);
		return 1;
	}
	return 0;
}

/* The rows of one run from the merged results in all. */
static int report(const struct http_opts *o, const struct http_load *all,
		  uint64_t start_ns, long run, struct rows *out,
		  double *main_metric)
{
	static const struct { double pct; const char *name; } pcts[] = {
		{ 50, "p50" }, { 90, "p90" }, { 99, "p99" }, { 99.9, "p99.9" }
	};
	const char *unit = o->is_us ? "us" : "ms";
	double scale = o->is_us ? 1 : 1e-3, elapsed_s, errors = 0;
	char metric[32];
	size_t i;

	elapsed_s = (double)(o->n_requests ? all->last_done_ns - start_ns :
			     o->duration_ns) / 1e9;
	for (i = 0; i < HTTP_ERR_KINDS; i++)
		errors += (double)all->errors[i];
	*main_metric = o->n_requests ? elapsed_s * 1e3 :
		       (double)all->completed / elapsed_s;
	if (!out)
		return 0;
	if (rows_add(out, "req_per_s", (double)all->completed / elapsed_s,
		     "req/s", run, "higher"))
		return EXIT_RUNTIME;
	for (i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		snprintf(metric, sizeof(metric), "%s_%s", pcts[i].name, unit);
		if (rows_add(out, metric, scale * (double)http_hist_percentile(
			     &all->hist, pcts[i].pct), unit, run, "lower"))
			return EXIT_RUNTIME;
	}
	snprintf(metric, sizeof(metric), "max_%s", unit);
	if (rows_add(out, metric, scale * (double)all->hist.max_us, unit, run,
		     "lower") ||
	    rows_add(out, "errors", errors, "count", run, "lower") ||
	    (o->n_requests && rows_add(out, "total_ms", elapsed_s * 1e3, "ms",
				       run, "lower")))
		return EXIT_RUNTIME;
	return 0;
}

/*
 * Start the threads with SIGINT and SIGTERM blocked in them, so the
 * handler runs in this thread and the loops see bench_interrupted within
 * their 10 ms housekeeping period. Returns how many started.
 */
static long start_threads(struct http_load *loads, pthread_t *tids, long n)
{
	sigset_t block, old;
	long i;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = 0; i < n; i++) {
		int err = pthread_create(&tids[i], NULL, http_load_run,
					 &loads[i]);

		if (err) {
			bench_error(HTTP_CMD, "pthread_create: %s",
				    strerror(err));
			break;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return i;
}

static int http_run(void *ctx, long run, struct rows *out,
		    double *main_metric)
{
	const struct http_ctx *x = ctx;
	const struct http_opts *o = x->o;
	struct http_load_plan plan;
	struct http_load *loads;
	pthread_t *tids;
	atomic_long claimed = 0;
	long i, n = o->threads, started;
	int rc = EXIT_RUNTIME;

	memset(&plan, 0, sizeof(plan));
	plan.addr = x->t->addr;
	plan.addr_len = x->t->addr_len;
	plan.request = x->t->request;
	plan.request_len = x->t->request_len;
	plan.timeout_ns = o->timeout_ns;
	plan.n_requests = o->n_requests;
	plan.interval_ns = o->rate > 0 ? 1e9 * (double)o->conns / o->rate : 0;
	plan.n_conns = o->conns;
	plan.claimed = &claimed;
	loads = calloc((size_t)n, sizeof(*loads));
	tids = calloc((size_t)n, sizeof(*tids));
	if (!loads || !tids) {
		bench_error(HTTP_CMD, "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		loads[i].plan = &plan;
		loads[i].n_conns = o->conns / n + (i < o->conns % n);
		loads[i].first_conn = i ? loads[i - 1].first_conn +
				      loads[i - 1].n_conns : 0;
	}
	plan.start_ns = now_ns();
	plan.deadline_ns = plan.start_ns + o->duration_ns;
	started = start_threads(loads, tids, n);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	if (started < n)
		goto done;
	if (bench_interrupted) {
		if (run >= 0)
			bench_error(HTTP_CMD, "interrupted: run %ld "
				    "discarded", run);
		rc = EXIT_INTERRUPTED;
	} else if (!gather(o, loads, n, run)) {
		rc = report(o, &loads[0], plan.start_ns, run, out, main_metric);
	}
done:
	for (i = 0; loads && i < n; i++)
		http_hist_release(&loads[i].hist);
	free(loads);
	free(tids);
	return rc;
}

int cmd_http(int argc, char **argv)
{
	struct bench_common c;
	struct http_opts o;
	struct http_target *t;
	struct http_ctx ctx;
	int rc;

	common_init(&c);
	memset(&o, 0, sizeof(o));
	o.conns = 10;
	o.threads = 2;
	o.timeout_ns = 2000000000u;
	rc = parse_options(argc, argv, &c, &o);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_BADINPUT;
	t = calloc(1, sizeof(*t));
	if (!t) {
		bench_error(HTTP_CMD, "out of memory");
		return EXIT_RUNTIME;
	}
	rc = EXIT_BADINPUT;
	if (check_options(&o) || parse_url(o.url, t, &o) ||
	    build_request(t, &o))
		goto done;
	rc = EXIT_OK;
	if (common_checked(&c))
		goto done;
	rc = EXIT_BADINPUT;
	if (check_fd_limit(o.conns))
		goto done;
	rc = EXIT_RUNTIME;
	if (probe(t, o.url))
		goto done;
	ctx.o = &o;
	ctx.t = t;
	rc = common_measure(&c, HTTP_CMD, "http", 1, 0, http_run, &ctx, argc,
			    argv);
done:
	free(t);
	return rc;
}
