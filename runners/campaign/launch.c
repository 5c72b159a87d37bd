/*
 * launch: one supervised run. The child gets its own process group and
 * PR_SET_PDEATHSIG(SIGKILL) before exec, so neither a timeout, Ctrl-C nor
 * a kill -9 of the launcher leaves a VM behind. The console (stdout) and
 * stderr are read line by line for the guest protocol (runners/guest.c);
 * for QEMU the accelerator actually in use is asked over QMP (query-kvm),
 * because -accel kvm:tcg falls back to TCG silently.
 */
#define _GNU_SOURCE		/* pipe2, execvpe */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "protocol.h"
#include "strbuf.h"
#include "util.h"

volatile sig_atomic_t launch_interrupted;

#define TAIL_BYTES 4096
/* After the end marker a guest powers off at once; one that does not is
 * killed after this grace period (its rows are kept). */
#define GRACE_S 15.0
#define QMP_GIVE_UP_S 10.0

/* What a stream carries. */
enum stream_kind { STREAM_CONSOLE, STREAM_STDERR, STREAM_CLIENT_OUT,
		   STREAM_CLIENT_ERR, STREAM_KINDS };

struct stream {
	int fd;
	enum stream_kind kind;
	struct strbuf line;
};

struct supervisor {
	const struct launch_spec *spec;
	struct launch_result *r;
	int in_block;
	double start_s, end_marker_s, qmp_first_try_s, killed_s;
	pid_t pid, client_pid;
	int input_fd;		/* served runs: the child's stdin, or -1 */
	int is_client_done;
};

void launch_result_release(struct launch_result *r)
{
	strbuf_release(&r->csv);
	strbuf_release(&r->tail);
	strbuf_release(&r->client_csv);
}

static void add_tail(struct launch_result *r, const char *s, size_t n)
{
	strbuf_add(&r->tail, s, n);
	if (r->tail.len > 2 * TAIL_BYTES) {
		memmove(r->tail.buf, r->tail.buf + r->tail.len - TAIL_BYTES,
			TAIL_BYTES);
		r->tail.len = TAIL_BYTES;
		r->tail.buf[r->tail.len] = '\0';
	}
}

static void parse_evidence(struct launch_result *r, const char *p)
{
	const char *h = strstr(p, "hypervisor="), *c = strstr(p, "canary_ns=");
	size_t len;

	if (h) {
		h += strlen("hypervisor=");
		len = strcspn(h, " @");
		if (len >= sizeof(r->hypervisor))
			len = sizeof(r->hypervisor) - 1;
		memcpy(r->hypervisor, h, len);
		r->hypervisor[len] = '\0';
	}
	if (c)
		r->canary_ns = strtoll(c + strlen("canary_ns="), NULL, 10);
	if ((c = strstr(p, " pid=")))
		r->guest_pid = strtol(c + 5, NULL, 10);
}

static void on_line(struct supervisor *s, char *line, enum stream_kind kind)
{
	struct launch_result *r = s->r;
	size_t len = strlen(line);
	int is_console = kind == STREAM_CONSOLE;
	const char *p;

	while (len && line[len - 1] == '\r')
		line[--len] = '\0';
	if (kind == STREAM_CLIENT_OUT) {
		strbuf_add(&r->client_csv, line, len);
		strbuf_add(&r->client_csv, "\n", 1);
		return;
	}
	if (kind == STREAM_CLIENT_ERR)
		return;
	if (strstr(line, PROTO_READY))
		r->has_ready = 1;
	if ((p = strstr(line, PROTO_SERVED))) {
		p += PROTO_LEN(PROTO_SERVED);
		snprintf(r->served, sizeof(r->served), "%.*s",
			 (int)strcspn(p, "@"), p);
	}
	if ((p = strstr(line, PROTO_GUEST)))
		r->guest_boottime_ms = strtod(p + PROTO_LEN(PROTO_GUEST),
					      NULL) / 1e6;
	else if ((p = strstr(line, PROTO_EVIDENCE)))
		parse_evidence(r, p);
	else if (!is_console)
		return;
	else if (s->spec->is_raw_csv)
		goto row;
	else if (!strcmp(line, PROTO_BEGIN))
		s->in_block = r->has_begin = 1;
	else if (!strncmp(line, PROTO_END_RC, PROTO_LEN(PROTO_END_RC))) {
		s->in_block = 0;
		r->has_end = 1;
		r->job_rc = atoi(line + PROTO_LEN(PROTO_END_RC));
		s->end_marker_s = mono_s();
	} else if (s->in_block) {
		goto row;
	}
	return;
row:
	strbuf_add(&r->csv, line, len);
	strbuf_add(&r->csv, "\n", 1);
}

/* Read what is there; returns 0 at EOF. */
static int drain(struct supervisor *s, struct stream *st)
{
	char chunk[4096], *nl, *start;
	ssize_t n = read(st->fd, chunk, sizeof(chunk));
	size_t used;

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0) {
		if (st->line.len)
			on_line(s, st->line.buf, st->kind);
		strbuf_release(&st->line);
		return 0;
	}
	add_tail(s->r, chunk, (size_t)n);
	strbuf_add(&st->line, chunk, (size_t)n);
	start = st->line.buf;
	while ((nl = memchr(start, '\n', st->line.len -
			    (size_t)(start - st->line.buf)))) {
		*nl = '\0';
		on_line(s, start, st->kind);
		start = nl + 1;
	}
	used = (size_t)(start - st->line.buf);
	memmove(st->line.buf, start, st->line.len - used);
	st->line.len -= used;
	st->line.buf[st->line.len] = '\0';
	return 1;
}

/* Read one reply line holding "return" or "error" (events are skipped). */
static json_t *qmp_reply(int fd, struct strbuf *in)
{
	char chunk[2048], *nl;
	json_t *j;
	ssize_t n;

	for (;;) {
		while (in->len && (nl = memchr(in->buf, '\n', in->len))) {
			*nl = '\0';
			j = json_loads(in->buf, 0, NULL);
			in->len -= (size_t)(nl + 1 - in->buf);
			memmove(in->buf, nl + 1, in->len);
			if (j && (json_object_get(j, "return") ||
				  json_object_get(j, "error") ||
				  json_object_get(j, "QMP")))
				return j;
			json_decref(j);
		}
		n = read(fd, chunk, sizeof(chunk));
		if (n <= 0)
			return NULL;
		strbuf_add(in, chunk, (size_t)n);
	}
}

static int qmp_send(int fd, const char *cmd, struct strbuf *in, json_t **out)
{
	size_t len = strlen(cmd);

	if (write(fd, cmd, len) != (ssize_t)len)
		return -1;
	*out = qmp_reply(fd, in);
	return *out && json_object_get(*out, "return") ? 0 : -1;
}

/* Connect to QEMU's QMP socket and ask query-kvm. 1 answered, 0 failed
 * (why in r->qmp_error), -1 not there yet. */
static int qmp_query(const char *path, struct launch_result *r)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { 2, 0 };
	struct strbuf in = { 0 };
	json_t *j = NULL, *ret;
	int fd, rc = 0;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	j = qmp_reply(fd, &in);	/* the greeting */
	if (!j || !json_object_get(j, "QMP"))
		goto fail;
	json_decref(j);
	j = NULL;
	if (qmp_send(fd, "{\"execute\":\"qmp_capabilities\"}\n", &in, &j))
		goto fail;
	json_decref(j);
	j = NULL;
	if (qmp_send(fd, "{\"execute\":\"query-kvm\"}\n", &in, &j))
		goto fail;
	ret = json_object_get(j, "return");
	r->qmp_kvm_enabled = json_is_true(json_object_get(ret, "enabled"));
	r->qmp_kvm_present = json_is_true(json_object_get(ret, "present"));
	rc = 1;
fail:
	if (!rc)
		snprintf(r->qmp_error, sizeof(r->qmp_error), "QMP at %s did "
			 "not answer query-kvm", path);
	json_decref(j);
	strbuf_release(&in);
	close(fd);
	return rc;
}

static void child_exec(const struct launch_spec *spec, pid_t parent,
		       int in_fd, int out_fd, int err_fd)
{
	sigset_t none;
	int null_fd;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)	/* the launcher died before prctl */
		_exit(127);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	null_fd = in_fd >= 0 ? in_fd : open("/dev/null", O_RDONLY);
	if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
	    dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
		_exit(127);
	if (spec->child_setup && spec->child_setup(spec->child_ctx))
		_exit(127);
	if (spec->envp)
		execvpe(spec->argv[0], spec->argv, spec->envp);
	else
		execvp(spec->argv[0], spec->argv);
	fprintf(stderr, "campaign: cannot run '%s': %s\n", spec->argv[0],
		strerror(errno));
	_exit(127);
}

/* Why to stop now: 1 timeout, 2 interrupted, 3 no power-off, else 0. */
static int must_kill(struct supervisor *s, double now)
{
	if (launch_interrupted)
		return 2;
	if (now - s->start_s > s->spec->timeout_s)
		return 1;
	if (s->end_marker_s > 0 && now - s->end_marker_s > GRACE_S)
		return 3;
	return 0;
}

/* The client of a served run, with its own process group and pipes. */
static void start_client(struct supervisor *s, struct stream *st)
{
	const struct launch_spec *spec = s->spec;
	int out[2], err[2], null_fd;
	pid_t me = getpid();

	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return;
	s->client_pid = fork();
	if (s->client_pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != me)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		null_fd = open("/dev/null", O_RDONLY);
		if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
		    dup2(out[1], STDOUT_FILENO) < 0 ||
		    dup2(err[1], STDERR_FILENO) < 0)
			_exit(127);
		if (spec->client_setup &&
		    spec->client_setup(spec->serve_ctx, s->pid))
			_exit(127);
		execv(spec->client_argv[0], spec->client_argv);
		fprintf(stderr, "campaign: cannot run '%s': %s\n",
			spec->client_argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	if (s->client_pid < 0) {
		close(out[0]);
		close(err[0]);
		return;
	}
	setpgid(s->client_pid, s->client_pid);
	st[STREAM_CLIENT_OUT].fd = out[0];
	st[STREAM_CLIENT_ERR].fd = err[0];
}

/* Served runs: start the client once the server is ready; when it has
 * exited and said everything, check and tell the server to stop. */
static void serve_step(struct supervisor *s, struct stream *st)
{
	int status;

	if (!s->spec->client_argv || s->input_fd < 0)
		return;
	if (s->r->has_ready && s->client_pid == 0 && s->killed_s == 0)
		start_client(s, st);
	if (s->client_pid > 0 && !s->is_client_done &&
	    waitpid(s->client_pid, &status, WNOHANG) == s->client_pid) {
		s->is_client_done = 1;
		s->r->client_status = status;
	}
	if (!s->is_client_done || st[STREAM_CLIENT_OUT].fd >= 0 ||
	    st[STREAM_CLIENT_ERR].fd >= 0)
		return;
	if (s->spec->after_client)
		s->spec->after_client(s->spec->serve_ctx, s->pid, s->r);
	if (write(s->input_fd, "stop\n", 5) != 5)
		strbuf_addstr(&s->r->tail, "\ncampaign: cannot tell the server to "
			"stop\n");
	close(s->input_fd);
	s->input_fd = -1;
}

static void kill_all(struct supervisor *s, int why)
{
	s->killed_s = mono_s();
	s->r->is_timeout = why != 2;
	s->r->is_interrupted = why == 2;
	if (why == 3)
		s->r->is_timeout = 0;	/* rows stand */
	kill(-s->pid, SIGKILL);
	kill(s->pid, SIGKILL);
	if (s->client_pid > 0) {
		kill(-s->client_pid, SIGKILL);
		kill(s->client_pid, SIGKILL);
	}
}

static void supervise(struct supervisor *s, struct stream *st)
{
	struct pollfd pfd[STREAM_KINDS];
	int n_open, i, why, q;
	double now;

	for (;;) {
		for (i = 0, n_open = 0; i < STREAM_KINDS; i++) {
			pfd[i].fd = st[i].fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
			n_open += st[i].fd >= 0;
		}
		if (!n_open)
			break;
		poll(pfd, STREAM_KINDS, 100);
		for (i = 0; i < STREAM_KINDS; i++)
			if (st[i].fd >= 0 && (pfd[i].revents & (POLLIN |
			    POLLHUP | POLLERR)) && !drain(s, &st[i])) {
				close(st[i].fd);
				st[i].fd = -1;
			}
		now = mono_s();
		if (s->spec->qmp_path && s->r->qmp_state < 0) {
			if (s->qmp_first_try_s == 0)
				s->qmp_first_try_s = now;
			q = qmp_query(s->spec->qmp_path, s->r);
			if (q >= 0)
				s->r->qmp_state = q;
			else if (now - s->qmp_first_try_s > QMP_GIVE_UP_S)
				s->r->qmp_state = 0;
		}
		serve_step(s, st);
		/* A process that left the group may hold the pipes open. */
		if (s->killed_s > 0 && now - s->killed_s > 5)
			break;
		why = must_kill(s, now);
		if (why && s->killed_s == 0)
			kill_all(s, why);
	}
}

/* Reap the client of a served run, killed if it is still there. */
static void reap_client(struct supervisor *s)
{
	int status;

	if (s->client_pid <= 0 || s->is_client_done)
		return;
	kill(-s->client_pid, SIGKILL);
	while (waitpid(s->client_pid, &status, 0) < 0 && errno == EINTR)
		;
	s->r->client_status = status;
}

void launch_result_init(struct launch_result *r)
{
	memset(r, 0, sizeof(*r));
	r->guest_boottime_ms = -1;
	r->canary_ns = -1;
	r->guest_pid = -1;
	r->qmp_state = -1;
	r->client_status = -1;
}

int launch_run(const struct launch_spec *spec, struct launch_result *r)
{
	struct supervisor s = { .spec = spec, .r = r, .input_fd = -1 };
	struct stream st[STREAM_KINDS];
	int out[2], err[2], in[2] = { -1, -1 }, status = 0, i;
	pid_t pid, me = getpid();

	launch_result_init(r);
	strbuf_add(&r->csv, "", 0);
	strbuf_add(&r->tail, "", 0);
	strbuf_add(&r->client_csv, "", 0);
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) ||
	    (spec->client_argv && pipe2(in, O_CLOEXEC))) {
		strbuf_addstr(&r->tail, "campaign: pipe failed");
		return -1;
	}
	s.start_s = mono_s();
	pid = fork();
	if (pid < 0) {
		strbuf_addstr(&r->tail, "campaign: fork failed");
		return -1;
	}
	if (pid == 0)
		child_exec(spec, me, in[0], out[1], err[1]);
	setpgid(pid, pid);	/* also here: no race with kill(-pid) */
	close(out[1]);
	close(err[1]);
	if (in[0] >= 0)
		close(in[0]);
	s.pid = pid;
	s.input_fd = in[1];
	for (i = 0; i < STREAM_KINDS; i++)
		st[i] = (struct stream){ .fd = -1, .kind = i };
	st[STREAM_CONSOLE].fd = out[0];
	st[STREAM_STDERR].fd = err[0];
	supervise(&s, st);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL);	/* anything left in its group */
	reap_client(&s);
	if (s.input_fd >= 0)
		close(s.input_fd);
	r->exit_status = status;
	r->elapsed_s = mono_s() - s.start_s;
	for (i = 0; i < STREAM_KINDS; i++) {
		if (st[i].fd >= 0)
			close(st[i].fd);
		strbuf_release(&st[i].line);
	}
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	launch_interrupted = 1;
}

void launch_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A served run writes "stop" to a guest that may be gone. */
	signal(SIGPIPE, SIG_IGN);
}
