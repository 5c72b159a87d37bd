/*
 * serve: bench serve, the guest side of a served benchmark: a real server
 * (nginx) runs inside a VM or a container and the host-side 'bench http'
 * measures it (bin/campaign's serve mode). In a VM it first loads the
 * kernel modules the network needs (Debian builds virtio_net as a module,
 * and the image has no modprobe) and configures the interface with ioctl
 * (no shell, no ip tool), then starts the server as a child, waits until
 * its port accepts a connection, prints a ready marker and keeps it
 * running until standard input says stop (the launcher writes "stop" to
 * the serial console, or closes the pipe natively), the server dies, or
 * --stop-after passes. At the end it prints what the interface carried,
 * the guest's own evidence that it served the requests.
 */
#define _GNU_SOURCE		/* syscall(2) */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"
#include "protocol.h"

#define SERVE_CMD "serve"
/* After the module is loaded, virtio_net registers eth0 from its probe;
 * under TCG that has taken up to a few hundred ms here. */
#define SERVE_IFACE_WAIT_NS (10 * 1000000000ull)
#define SERVE_STOP_GRACE_NS (10 * 1000000000ull)

struct serve_opts {
	const char *modules;	/* file listing module paths, in order */
	char iface[IFNAMSIZ];	/* --net IFACE=... ; "" none */
	struct in_addr addr;
	int prefix;
	int is_lo;		/* bring lo up */
	long port;
	double ready_timeout_s, stop_after_s;
	char **argv;		/* the server's command */
};

static const char serve_intro[] =
	"usage: bench serve [options] --port PORT -- PROGRAM [ARG...]\n"
	"\n"
	"Runs a server for a measurement from outside (bin/campaign's serve\n"
	"mode; as the job of 'bench guest' in a VM or container). It loads\n"
	"the kernel modules listed in --modules with finit_module(2), brings\n"
	"up lo and the --net interface with a static address, starts PROGRAM\n"
	"with its standard output sent to standard error, waits until\n"
	"127.0.0.1:PORT accepts a connection and prints on standard error\n"
	"  " PROTO_READY "port=PORT" PROTO_CLOSE "\n"
	"It stops the server (SIGTERM, SIGKILL after 10 s) when a line 'stop'\n"
	"or end of file arrives on standard input, or after --stop-after, and\n"
	"prints on standard error\n"
	"  " PROTO_SERVED "iface=I rx_bytes=N tx_bytes=N rx_packets=N\n"
	"  tx_packets=N stopped_by=input|timeout|exit status=S" PROTO_CLOSE "\n"
	"with the counters of the --net interface (lo with --lo alone, '-'\n"
	"without either). No default route is set: QEMU's user network\n"
	"answers from 10.0.2.2, inside the /24.\n"
	"\n"
	"Example: bench serve --lo --port 8080 -- /usr/sbin/nginx -c nginx.conf\n"
	"\n"
	"Options:\n";

enum serve_opt {
	SERVE_OPT_MODULES,
	SERVE_OPT_NET,
	SERVE_OPT_LO,
	SERVE_OPT_PORT,
	SERVE_OPT_READY_TIMEOUT,
	SERVE_OPT_STOP_AFTER
};

static const struct opt_spec serve_options[] = {
	{ SERVE_OPT_MODULES, 0, "modules", "FILE",
	  "kernel modules to load first, one path per\n"
	  "line, dependencies first (EEXIST is fine)" },
	{ SERVE_OPT_NET, 0, "net", "IFACE=ADDR/PREFIX",
	  "address IFACE (waits up to 10 s for it\n"
	  "to appear) and bring it and lo up" },
	{ SERVE_OPT_LO, 0, "lo", NULL,
	  "bring lo up (a new network namespace)" },
	{ SERVE_OPT_PORT, 0, "port", "PORT",
	  "the server's TCP port on 127.0.0.1" },
	{ SERVE_OPT_READY_TIMEOUT, 0, "ready-timeout", "S",
	  "give up when the port is not open after S\n"
	  "seconds (default: 60)" },
	{ SERVE_OPT_STOP_AFTER, 0, "stop-after", "S",
	  "stop the server after S seconds whatever\n"
	  "happens (default: 600)" },
	{ COMMON_OPT_HELP, 'h', "help", NULL, "show this help" },
	COMMON_VERSION_ROW,
};

static const struct bench_doc serve_doc = {
	SERVE_CMD, serve_intro, OPT_TABLE(serve_options), 23, "",
	"\n"
	"Exit status: 0 the server ran until told to stop; 1 a module, the\n"
	"network or the server failed, or it was not ready in time; 2 bad\n"
	"usage.\n",
	0, BENCH_OPERANDS_AFTER_DASHDASH
};

static int parse_net(struct diag *err, struct serve_opts *o, const char *arg)
{
	const char *eq = strchr(arg, '='), *slash = eq ? strchr(eq, '/') : NULL;
	char addr[64];
	long prefix;

	if (!eq || !slash || eq == arg || (size_t)(eq - arg) >= IFNAMSIZ ||
	    (size_t)(slash - eq - 1) >= sizeof(addr))
		goto bad;
	snprintf(o->iface, sizeof(o->iface), "%.*s", (int)(eq - arg), arg);
	snprintf(addr, sizeof(addr), "%.*s", (int)(slash - eq - 1), eq + 1);
	if (inet_pton(AF_INET, addr, &o->addr) != 1 ||
	    parse_long(err, "--net prefix", slash + 1, 1, 32, &prefix))
		goto bad;
	o->prefix = (int)prefix;
	return 0;
bad:
	diag_set(err, NULL, 0, "--net '%s' must look like "
		 "IFACE=ADDR/PREFIX (eth0=10.0.2.15/24)", arg);
	return STATUS_BADINPUT;
}

static int serve_option(void *ctx, int id, const char *name,
			const char *v, struct diag *err)
{
	struct serve_opts *o = ctx;

	switch ((enum serve_opt)id) {
	case SERVE_OPT_MODULES: o->modules = v; return 0;
	case SERVE_OPT_NET: return parse_net(err, o, v);
	case SERVE_OPT_LO: o->is_lo = 1; return 0;
	case SERVE_OPT_PORT:
		return parse_long(err, name, v, 1, 65535, &o->port);
	case SERVE_OPT_READY_TIMEOUT:
		return parse_double(err, name, v, 0.1, 1e6,
				    &o->ready_timeout_s);
	case SERVE_OPT_STOP_AFTER:
		return parse_double(err, name, v, 0.1, 1e7, &o->stop_after_s);
	}
	return 0;
}

/* 0 to go on, else the exit status (0 after --help: -1). */
static int parse_opts(struct serve_opts *o, int argc, char **argv)
{
	int status;

	if (common_parse(NULL, &serve_doc, argc, argv, serve_option, o,
			 &o->argv, &status))
		return status ? status : -1;
	if (!o->argv || !o->argv[0])
		return usage_error(SERVE_CMD, "%s", "missing '-- PROGRAM'");
	if (!o->port)
		return usage_error(SERVE_CMD, "%s", "missing --port");
	return 0;
}

/* ---- modules and network ------------------------------------------------ */

static int load_modules(const char *list)
{
	FILE *f = fopen(list, "re");
	char line[4096];
	int fd, rc = 0;

	if (!f) {
		bench_error(SERVE_CMD, "cannot open '%s': %s", list,
			    strerror(errno));
		return -1;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		fd = open(line, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || (syscall(SYS_finit_module, fd, "", 0) != 0 &&
			       errno != EEXIST)) {
			bench_error(SERVE_CMD, "cannot load module '%s': %s",
				    line, strerror(errno));
			rc = -1;
		}
		if (fd >= 0)
			close(fd);
	}
	fclose(f);
	return rc;
}

static void sin_set(struct sockaddr *sa, in_addr_t addr_be)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = addr_be;
	memcpy(sa, &sin, sizeof(sin));
}

/* Address (when addr is non-NULL) and bring up one interface. */
static int iface_up(int sock, const char *name, const struct in_addr *addr,
		    int prefix)
{
	struct ifreq ifr;
	uint32_t mask = prefix ? 0xffffffffu << (32 - prefix) : 0;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (addr) {
		sin_set(&ifr.ifr_addr, addr->s_addr);
		if (ioctl(sock, SIOCSIFADDR, &ifr) != 0)
			goto fail;
		sin_set(&ifr.ifr_netmask, htonl(mask));
		if (ioctl(sock, SIOCSIFNETMASK, &ifr) != 0)
			goto fail;
	}
	if (ioctl(sock, SIOCGIFFLAGS, &ifr) != 0)
		goto fail;
	if (ifr.ifr_flags & IFF_UP)
		return 0;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(sock, SIOCSIFFLAGS, &ifr) != 0)
		goto fail;
	return 0;
fail:
	bench_error(SERVE_CMD, "cannot configure %s: %s", name,
		    strerror(errno));
	return -1;
}

static int net_setup(const struct serve_opts *o)
{
	uint64_t start = now_ns();
	struct timespec pause = { 0, 20000000 };
	int sock, rc;

	if (!o->iface[0] && !o->is_lo)
		return 0;
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		bench_error(SERVE_CMD, "socket: %s", strerror(errno));
		return -1;
	}
	rc = iface_up(sock, "lo", NULL, 0);
	if (!rc && o->iface[0]) {
		while (!if_nametoindex(o->iface) &&
		       now_ns() - start < SERVE_IFACE_WAIT_NS)
			nanosleep(&pause, NULL);
		if (!if_nametoindex(o->iface)) {
			bench_error(SERVE_CMD, "no interface '%s' after 10 s "
				    "(is its driver in --modules?)", o->iface);
			rc = -1;
		} else {
			rc = iface_up(sock, o->iface, &o->addr, o->prefix);
		}
	}
	close(sock);
	return rc;
}

/* ---- the server ---------------------------------------------------------- */

static pid_t start_server(char **argv)
{
	pid_t pid = fork();
	int null_fd;

	if (pid != 0) {
		if (pid < 0)
			bench_error(SERVE_CMD, "fork: %s", strerror(errno));
		return pid;
	}
	/* Its output must not land in the job's CSV (stdout). */
	null_fd = open("/dev/null", O_RDONLY);
	if (null_fd >= 0)
		dup2(null_fd, STDIN_FILENO);
	dup2(STDERR_FILENO, STDOUT_FILENO);
	signal(SIGPIPE, SIG_DFL);
	if (strchr(argv[0], '/'))
		execv(argv[0], argv);
	else
		execvp(argv[0], argv);
	bench_error(SERVE_CMD, "cannot run '%s': %s", argv[0],
		    strerror(errno));
	_exit(127);
}

static int port_open(long port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), rc;

	if (fd < 0)
		return 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rc = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(fd);
	return rc;
}

/* 0 when the server's status was collected (it died), else -1. */
static int reaped(pid_t pid, int *status)
{
	return waitpid(pid, status, WNOHANG) == pid ? 0 : -1;
}

static int wait_ready(const struct serve_opts *o, pid_t pid, int *status)
{
	uint64_t start = now_ns();
	struct timespec pause = { 0, 20000000 };

	while (!port_open(o->port)) {
		if (reaped(pid, status) == 0) {
			bench_error(SERVE_CMD, "'%s' exited with status %d "
				    "before port %ld was open", o->argv[0],
				    WIFEXITED(*status) ? WEXITSTATUS(*status) :
				    128 + WTERMSIG(*status), o->port);
			return -1;
		}
		if ((double)(now_ns() - start) / 1e9 > o->ready_timeout_s) {
			bench_error(SERVE_CMD, "port %ld not open after %.0f s",
				    o->port, o->ready_timeout_s);
			return -1;
		}
		nanosleep(&pause, NULL);
	}
	fprintf(stderr, PROTO_READY "port=%ld" PROTO_CLOSE "\n", o->port);
	fflush(stderr);
	return 0;
}

/* A console echoes input: the "stop" would come back on the console. */
static void no_echo(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}
}

/* 1 when standard input said stop (a "stop" line, or its end). */
static int input_says_stop(void)
{
	char buf[256];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf) - 1);

	if (n < 0)
		return errno != EINTR && errno != EAGAIN;
	if (n == 0)
		return 1;
	buf[n] = '\0';
	return strstr(buf, "stop") != NULL;
}

/* Wait for the stop; returns "input", "timeout" or "exit" (it died). */
static const char *wait_stop(const struct serve_opts *o, pid_t pid,
			     int *status)
{
	uint64_t start = now_ns();
	struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
	int is_input_open = 1;

	for (;;) {
		if (reaped(pid, status) == 0)
			return "exit";
		if ((double)(now_ns() - start) / 1e9 > o->stop_after_s)
			return "timeout";
		pfd.revents = 0;
		if (is_input_open && poll(&pfd, 1, 100) > 0) {
			if (pfd.revents & POLLIN && input_says_stop())
				return "input";
			if (!(pfd.revents & POLLIN))
				is_input_open = 0;	/* POLLHUP, POLLNVAL */
		} else if (!is_input_open) {
			poll(NULL, 0, 100);
		}
	}
}

static void stop_server(pid_t pid, int *status)
{
	uint64_t start = now_ns();
	struct timespec pause = { 0, 20000000 };

	kill(pid, SIGTERM);
	while (reaped(pid, status) != 0) {
		if (now_ns() - start > SERVE_STOP_GRACE_NS) {
			kill(pid, SIGKILL);
			while (waitpid(pid, status, 0) < 0 && errno == EINTR)
				;
			return;
		}
		nanosleep(&pause, NULL);
	}
}

static unsigned long long counter(const char *iface, const char *name)
{
	char path[128], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", iface,
		 name);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	return strtoull(buf, NULL, 10);
}

static void print_served(const struct serve_opts *o, const char *why,
			 int status)
{
	const char *iface = o->iface[0] ? o->iface : o->is_lo ? "lo" : NULL;

	if (iface)
		fprintf(stderr, PROTO_SERVED "iface=%s rx_bytes=%llu "
			"tx_bytes=%llu rx_packets=%llu tx_packets=%llu "
			"stopped_by=%s status=%d" PROTO_CLOSE "\n", iface,
			counter(iface, "rx_bytes"), counter(iface, "tx_bytes"),
			counter(iface, "rx_packets"),
			counter(iface, "tx_packets"), why,
			WIFEXITED(status) ? WEXITSTATUS(status) :
			128 + WTERMSIG(status));
	else
		fprintf(stderr, PROTO_SERVED "iface=- stopped_by=%s "
			"status=%d" PROTO_CLOSE "\n", why, WIFEXITED(status) ?
			WEXITSTATUS(status) : 128 + WTERMSIG(status));
	fflush(stderr);
}

int cmd_serve(int argc, char **argv)
{
	struct serve_opts o = { .ready_timeout_s = 60, .stop_after_s = 600 };
	const char *why;
	int rc = parse_opts(&o, argc, argv), status = 0;
	pid_t pid;

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	signal(SIGPIPE, SIG_IGN);
	if ((o.modules && load_modules(o.modules)) || net_setup(&o))
		return EXIT_RUNTIME;
	no_echo();
	pid = start_server(o.argv);
	if (pid < 0)
		return EXIT_RUNTIME;
	if (wait_ready(&o, pid, &status)) {
		if (reaped(pid, &status) != 0)
			stop_server(pid, &status);
		return EXIT_RUNTIME;
	}
	why = wait_stop(&o, pid, &status);
	if (strcmp(why, "exit"))
		stop_server(pid, &status);
	print_served(&o, why, status);
	if (!strcmp(why, "exit")) {
		bench_error(SERVE_CMD, "'%s' exited with status %d while "
			    "serving", o.argv[0], WIFEXITED(status) ?
			    WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
