/*
 * http_load: one load thread of bench http. It owns an epoll instance and
 * its share of the keep-alive connections, each with at most one request
 * in flight (no pipelining, as wrk). Closed loop: a connection sends its
 * next request as soon as a response completes; latency runs from the
 * send to the last byte of the response. Open loop (--rate): request k of
 * a connection is due at first + k * interval whatever happened before,
 * and its latency runs from that intended time (wrk2's correction for
 * coordinated omission), so a stalled server shows as latency instead of
 * as fewer samples.
 *
 * Per request the hot path is one send(2), one recv(2) and a share of one
 * epoll_wait(2): epoll interest changes only while a send is blocked or
 * a connection is being opened. Timeouts and reconnects are looked at
 * every 10 ms, not per event.
 */
#define _GNU_SOURCE	/* SOCK_NONBLOCK, SOCK_CLOEXEC, MSG_NOSIGNAL */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "common.h"
#include "http.h"

#define SCAN_NS 10000000u		/* housekeeping period: 10 ms */
#define RETRY_NS 10000000u		/* wait after a failed connect */
#define READ_BUF 65536
#define MAX_EVENTS 256

enum conn_state {
	CONN_CLOSED,		/* no socket; reopened at retry_ns */
	CONN_CONNECTING,	/* non-blocking connect in progress */
	CONN_IDLE,		/* connected, nothing in flight */
	CONN_SENDING,		/* request partly sent (send would block) */
	CONN_WAITING		/* request sent, response not complete */
};

struct conn {
	int fd;
	enum conn_state state;
	size_t sent;		/* request bytes sent */
	uint64_t origin_ns;	/* latency origin of the request in flight */
	uint64_t sent_ns;	/* when it was really sent (for timeouts) */
	uint64_t next_ns;	/* --rate: when the next request is due */
	uint64_t retry_ns;	/* CONN_CLOSED: when to connect again */
	struct http_resp resp;
};

struct loop {
	struct http_load *ld;
	const struct http_load_plan *p;
	int epfd;
	int tfd;		/* --rate: timerfd for the next due send */
	uint64_t armed_ns;	/* what tfd is armed for; 0: disarmed */
	struct conn *conns;
	char *buf;		/* READ_BUF bytes */
	long in_flight;		/* requests sent and not finished */
	int is_claims_out;	/* -n: every request has been handed out */
	int depth;		/* nested reconnects in conn_reset */
};

static void conn_open(struct loop *l, struct conn *c, uint64_t now);
static void conn_try_send(struct loop *l, struct conn *c, uint64_t now);

static int watch(struct loop *l, struct conn *c, int op, uint32_t events)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = c;
	return epoll_ctl(l->epfd, op, c->fd, &ev);
}

static int is_in_flight(const struct conn *c)
{
	return c->state == CONN_SENDING || c->state == CONN_WAITING;
}

/* Close c, counting err (or nothing if err < 0) against a request in
 * flight, and connect again now (after RETRY_NS for a failed connect). */
static void conn_reset(struct loop *l, struct conn *c, int err,
		       uint64_t now)
{
	if (err >= 0)
		l->ld->errors[err]++;
	if (is_in_flight(c)) {
		l->in_flight--;
		if (l->p->n_requests)
			l->ld->last_done_ns = now;
	}
	if (c->fd >= 0)
		close(c->fd);	/* also leaves the epoll set */
	c->fd = -1;
	c->state = CONN_CLOSED;
	c->retry_ns = now + (err == HTTP_ERR_CONNECT ? RETRY_NS : 0);
	/* Reconnect at once (a Connection: close server needs it for every
	 * request), but leave a chain of instant failures to housekeeping
	 * instead of recursing through conn_open -> send -> here. */
	if (err != HTTP_ERR_CONNECT && l->depth < 4) {
		l->depth++;
		conn_open(l, c, now);
		l->depth--;
	}
}

static void conn_open(struct loop *l, struct conn *c, uint64_t now)
{
	int one = 1;

	c->fd = socket(l->p->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		       SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		conn_reset(l, c, HTTP_ERR_CONNECT, now);
		return;
	}
	/* Requests are one small write each: never wait for Nagle. */
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (const struct sockaddr *)&l->p->addr,
		    l->p->addr_len) == 0) {
		c->state = CONN_IDLE;
		if (watch(l, c, EPOLL_CTL_ADD, EPOLLIN))
			conn_reset(l, c, HTTP_ERR_CONNECT, now);
		else
			conn_try_send(l, c, now);
		return;
	}
	if (errno != EINPROGRESS ||
	    watch(l, c, EPOLL_CTL_ADD, EPOLLOUT | EPOLLIN)) {
		conn_reset(l, c, HTTP_ERR_CONNECT, now);
		return;
	}
	c->state = CONN_CONNECTING;
}

static void conn_connected(struct loop *l, struct conn *c, uint64_t now)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) || err ||
	    watch(l, c, EPOLL_CTL_MOD, EPOLLIN)) {
		conn_reset(l, c, HTTP_ERR_CONNECT, now);
		return;
	}
	c->state = CONN_IDLE;
	conn_try_send(l, c, now);
}

/* Send what is left of the request; wait for EPOLLOUT if it blocks. */
static void conn_write(struct loop *l, struct conn *c, uint64_t now)
{
	const struct http_load_plan *p = l->p;

	while (c->sent < p->request_len) {
		ssize_t n = send(c->fd, p->request + c->sent,
				 p->request_len - c->sent, MSG_NOSIGNAL);

		if (n > 0) {
			c->sent += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (c->state != CONN_SENDING &&
			    watch(l, c, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT)) {
				conn_reset(l, c, HTTP_ERR_WRITE, now);
				return;
			}
			c->state = CONN_SENDING;
			return;
		} else {
			conn_reset(l, c, HTTP_ERR_WRITE, now);
			return;
		}
	}
	if (c->state == CONN_SENDING &&
	    watch(l, c, EPOLL_CTL_MOD, EPOLLIN)) {
		conn_reset(l, c, HTTP_ERR_WRITE, now);
		return;
	}
	c->state = CONN_WAITING;
}

/* -n: hand out one of the n requests; 0 when they are all out. */
static int claim(struct loop *l)
{
	if (!l->p->n_requests)
		return 1;
	if (l->is_claims_out)
		return 0;
	if (atomic_fetch_add(l->p->claimed, 1) < l->p->n_requests)
		return 1;
	l->is_claims_out = 1;
	return 0;
}

/* Start the next request on an idle connection if one is due. */
static void conn_try_send(struct loop *l, struct conn *c, uint64_t now)
{
	const struct http_load_plan *p = l->p;

	if (c->state != CONN_IDLE || now >= p->deadline_ns)
		return;
	if (p->interval_ns > 0 && now < c->next_ns)
		return;		/* the timer will come back for it */
	if (!claim(l))
		return;
	if (p->interval_ns > 0) {
		c->origin_ns = c->next_ns;
		c->next_ns += (uint64_t)p->interval_ns;
	} else {
		c->origin_ns = now;
	}
	c->sent_ns = now;
	c->sent = 0;
	http_resp_init(&c->resp);
	l->in_flight++;
	conn_write(l, c, now);
}

/* A response completed at now: count it if inside the window. */
static void conn_done(struct loop *l, struct conn *c, uint64_t now)
{
	struct http_load *ld = l->ld;
	const struct http_load_plan *p = l->p;

	l->in_flight--;
	if (p->n_requests)
		ld->last_done_ns = now;
	c->state = CONN_IDLE;
	if (now > p->deadline_ns)
		return;
	http_hist_record(&ld->hist, (now - c->origin_ns + 500) / 1000);
	ld->completed++;
	if (c->resp.status < 200 || c->resp.status > 299) {
		ld->errors[HTTP_ERR_STATUS]++;
		if (!ld->first_bad_status)
			ld->first_bad_status = c->resp.status;
	}
}

static void parse_error(struct loop *l, struct conn *c, const char *why,
			uint64_t now)
{
	if (!l->ld->first_parse_error)
		l->ld->first_parse_error = why;
	conn_reset(l, c, HTTP_ERR_PARSE, now);
}

static void conn_read(struct loop *l, struct conn *c)
{
	ssize_t n = recv(c->fd, l->buf, READ_BUF, 0);
	uint64_t now = now_ns();
	size_t used;
	int rc;

	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			conn_reset(l, c, HTTP_ERR_READ, now);
		return;
	}
	if (n == 0) {	/* the server closed the connection */
		if (c->state == CONN_WAITING && http_resp_eof(&c->resp)) {
			conn_done(l, c, now);
			conn_reset(l, c, -1, now);
		} else {
			conn_reset(l, c, is_in_flight(c) ? HTTP_ERR_READ : -1,
				   now);
		}
		return;
	}
	if (c->state != CONN_WAITING) {
		parse_error(l, c, "data received with no request in flight",
			    now);
		return;
	}
	rc = http_resp_feed(&c->resp, l->buf, (size_t)n, &used);
	if (rc < 0) {
		parse_error(l, c, c->resp.error, now);
	} else if (rc > 0 && used < (size_t)n) {
		parse_error(l, c, "data after the end of a response", now);
	} else if (rc > 0) {
		conn_done(l, c, now);
		if (c->resp.is_close)
			conn_reset(l, c, -1, now);
		else
			conn_try_send(l, c, now);
	}
}

static void on_event(struct loop *l, struct conn *c, uint32_t events)
{
	uint64_t now;

	switch (c->state) {
	case CONN_CONNECTING:
		conn_connected(l, c, now_ns());
		return;
	case CONN_SENDING:
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
			conn_write(l, c, now_ns());
			if (c->state != CONN_WAITING)
				return;
		}
		break;
	case CONN_CLOSED:
		return;
	default:
		break;
	}
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
		conn_read(l, c);
	} else if (events & EPOLLOUT) {
		now = now_ns();
		conn_reset(l, c, HTTP_ERR_WRITE, now);
	}
}

/*
 * Every SCAN_NS: reconnect closed connections whose retry time came and
 * fail requests older than the timeout. With --rate, every pass of the
 * loop: send what is due and return the earliest future due time (0:
 * none).
 */
static uint64_t scan(struct loop *l, uint64_t now, int is_housekeeping)
{
	const struct http_load_plan *p = l->p;
	uint64_t next = 0;
	long i;

	for (i = 0; i < l->ld->n_conns; i++) {
		struct conn *c = &l->conns[i];

		if (is_housekeeping && c->state == CONN_CLOSED &&
		    now >= c->retry_ns)
			conn_open(l, c, now);
		else if (is_housekeeping && is_in_flight(c) &&
			 now - c->sent_ns > p->timeout_ns)
			conn_reset(l, c, HTTP_ERR_TIMEOUT, now);
		if (p->interval_ns > 0 && c->state == CONN_IDLE) {
			conn_try_send(l, c, now);
			if (c->state == CONN_IDLE && !l->is_claims_out &&
			    (!next || c->next_ns < next))
				next = c->next_ns;
		}
	}
	return next;
}

/* --rate: arm the timerfd for the next due send (absolute, precise to the
 * nanosecond where epoll_wait's timeout has milliseconds only). */
static void arm_timer(struct loop *l, uint64_t due_ns)
{
	struct itimerspec its;

	if (due_ns == l->armed_ns)
		return;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(due_ns / 1000000000u);
	its.it_value.tv_nsec = (long)(due_ns % 1000000000u);
	if (due_ns == 0)
		its.it_value.tv_nsec = 0;	/* disarm */
	if (timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		l->armed_ns = due_ns;
}

static int wait_ms(const struct loop *l, uint64_t now, uint64_t next_scan)
{
	uint64_t until = next_scan < l->p->deadline_ns ? next_scan :
			 l->p->deadline_ns;

	return until <= now ? 0 : (int)((until - now + 999999) / 1000000);
}

static int is_finished(const struct loop *l, uint64_t now)
{
	return bench_interrupted || now >= l->p->deadline_ns ||
	       (l->p->n_requests && l->is_claims_out && l->in_flight == 0);
}

static void event_loop(struct loop *l)
{
	struct epoll_event ev[MAX_EVENTS];
	uint64_t now = now_ns(), next_scan = now + SCAN_NS;
	long i;
	int n;

	for (i = 0; i < l->ld->n_conns; i++)
		conn_open(l, &l->conns[i], now);
	while (!is_finished(l, now = now_ns())) {
		int is_housekeeping = now >= next_scan;

		if (is_housekeeping)
			next_scan = now + SCAN_NS;
		if (is_housekeeping || l->p->interval_ns > 0) {
			uint64_t due = scan(l, now, is_housekeeping);

			if (l->p->interval_ns > 0)
				arm_timer(l, due);
		}
		n = epoll_wait(l->epfd, ev, MAX_EVENTS,
			       wait_ms(l, now, next_scan));
		for (i = 0; i < n; i++) {
			if (ev[i].data.ptr) {
				on_event(l, ev[i].data.ptr, ev[i].events);
			} else {
				uint64_t expirations;

				if (read(l->tfd, &expirations,
					 sizeof(expirations)) > 0)
					l->armed_ns = 0;
			}
		}
	}
	l->ld->is_unfinished = l->p->n_requests &&
			       !(l->is_claims_out && l->in_flight == 0);
}

/* Set up l for ld; returns 0 or -1 with ld->failure filled. */
static int loop_init(struct loop *l, struct http_load *ld)
{
	struct epoll_event ev;
	long i;

	memset(l, 0, sizeof(*l));
	l->ld = ld;
	l->p = ld->plan;
	l->epfd = l->tfd = -1;
	l->conns = calloc((size_t)ld->n_conns, sizeof(*l->conns));
	l->buf = malloc(READ_BUF);
	if (!l->conns || !l->buf || http_hist_init(&ld->hist)) {
		snprintf(ld->failure, sizeof(ld->failure), "out of memory");
		return -1;
	}
	for (i = 0; i < ld->n_conns; i++) {
		struct conn *c = &l->conns[i];

		c->fd = -1;
		/* Stagger the first due times over one interval. */
		c->next_ns = l->p->start_ns + (uint64_t)(l->p->interval_ns *
			     (double)(ld->first_conn + i) /
			     (double)l->p->n_conns);
	}
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		snprintf(ld->failure, sizeof(ld->failure), "epoll_create1: %s",
			 strerror(errno));
		return -1;
	}
	if (l->p->interval_ns <= 0)
		return 0;
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	if (l->tfd < 0 || epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->tfd, &ev)) {
		snprintf(ld->failure, sizeof(ld->failure), "timerfd: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

static void loop_release(struct loop *l)
{
	long i;

	for (i = 0; l->conns && i < l->ld->n_conns; i++)
		if (l->conns[i].fd >= 0)
			close(l->conns[i].fd);
	if (l->tfd >= 0)
		close(l->tfd);
	if (l->epfd >= 0)
		close(l->epfd);
	free(l->conns);
	free(l->buf);
}

void *http_load_run(void *arg)
{
	struct http_load *ld = arg;
	struct loop l;

	if (loop_init(&l, ld) == 0)
		event_loop(&l);
	else
		ld->is_failed = 1;
	loop_release(&l);
	return NULL;
}
