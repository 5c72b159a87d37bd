/*
 * served: the units of served benchmarks ("serve": a server from
 * runners/servers/ on the platform, run by bench serve, and the bench
 * client on the host against it). Where each side listens and connects,
 * the two command lines, joining a container's network namespace, the
 * launcher's checks after the load, and the evidence for the meta.
 */
#define _GNU_SOURCE		/* setns, strtok_r */
#include "served.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "diag.h"
#include "job.h"
#include "launch.h"
#include "platform.h"
#include "run_priv.h"
#include "server.h"
#include "util.h"
#include "xalloc.h"

/* QEMU user networking's fixed guest address (its DHCP would give the
 * same); no route is needed, replies to 10.0.2.2 stay in the /24. */
#define GUEST_NET "eth0=10.0.2.15/24"
#define GUEST_MODULES "/etc/bench/modules"

/* The platform's side: bench serve running the server. */
void serve_words(const struct unit *u, const struct serve_run *sr,
		 double timeout_s, struct argvec *w)
{
	char n[32], **args = NULL;
	int n_args = 0, i;

	av_add(w, "serve");
	if (u->p->kind == PLATFORM_VM) {
		av_add(w, "--modules");
		av_add(w, GUEST_MODULES);
		av_add(w, "--net");
		av_add(w, GUEST_NET);
	} else if (u->p->kind == PLATFORM_NAMESPACES) {
		av_add(w, "--lo");
	}
	snprintf(n, sizeof(n), "%ld", sr->guest_port);
	av_add(w, "--port");
	av_add(w, n);
	snprintf(n, sizeof(n), "%.0f", timeout_s);
	av_add(w, "--stop-after");
	av_add(w, n);
	av_add(w, "--");
	av_add(w, sr->srv->program_path);
	server_args(sr->srv, sr->root, sr->guest_port, &args, &n_args);
	for (i = 0; i < n_args; i++) {
		av_add(w, args[i]);
		free(args[i]);
	}
	free(args);
}

/* The host's side: bench NAME OPTIONS URL. */
void client_words(const struct ctx *x, const struct unit *u,
		  const struct serve_run *sr, struct argvec *w)
{
	struct argvec words = { 0 };
	char *url = xasprintf("http://127.0.0.1:%ld%s", sr->port,
			      sr->srv->url_path);
	int i;

	av_add(w, x->o->bench);
	job_words(&x->c.benches[u->bi], u->p, &words);
	for (i = 0; i < words.n; i++)
		av_add(w, words.v[i]);
	av_add(w, url);
	av_free(&words);
	free(url);
}

/* Ports, and natively the server's files. 0, or -1 with why. */
int serve_prepare(struct ctx *x, const struct unit *u,
		  struct serve_run *sr, struct diag *why)
{
	sr->srv = x->c.benches[u->bi].server;
	sr->in_netns = u->p->kind == PLATFORM_NAMESPACES;
	if (sr->in_netns) {
		sr->port = sr->guest_port = sr->srv->port;
		sr->root = xstrdup("");
		return 0;
	}
	sr->port = server_free_port();
	if (sr->port < 0) {
		diag_set(why, NULL, 0, "no free TCP port on 127.0.0.1: %s",
			 strerror(errno));
		return -1;
	}
	if (u->p->kind == PLATFORM_VM) {
		sr->guest_port = sr->srv->port;
		sr->root = xstrdup("");
		return 0;
	}
	sr->guest_port = sr->port;
	sr->root = xasprintf("%s/serve-%d", x->workdir, u->seq);
	if (mkdir(sr->root, 0755) != 0 ||
	    server_write_tree(sr->srv, sr->root, sr->port, why))
		return -1;
	return 0;
}

/* The client joins the container's network namespace (its loopback). */
int serve_client_setup(void *ctx, pid_t server)
{
	const struct serve_run *sr = ctx;
	char *path;
	int fd;

	if (!sr->in_netns)
		return 0;
	path = xasprintf("/proc/%ld/ns/net", (long)server);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
		fprintf(stderr, "campaign: cannot join the container's "
			"network namespace: %s\n", strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

void serve_after_client(void *ctx, pid_t server,
			struct launch_result *r)
{
	struct serve_run *sr = ctx;

	(void)r;
	server_check(sr->srv, sr->port, sr->in_netns ? server : 0,
		     &sr->check);
}

/* Why a served unit failed beyond what judge() sees, or NULL. */
const char *serve_judge(const struct launch_result *r,
			const struct serve_run *sr, struct diag *why)
{
	int st = r->client_status;

	if (!r->has_ready)
		diag_set(why, NULL, 0, "the server never became ready");
	else if (st == -1)
		diag_set(why, NULL, 0, "the client never ran");
	else if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		diag_set(why, NULL, 0, "the client on the host exited with "
			 "status %d (its messages are in the console tail)",
			 WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	else if (!sr->check.is_ok)
		diag_set(why, NULL, 0, "%s", sr->check.why);
	else
		return NULL;
	return "failed";
}

/* The meta's evidence of a served unit (new reference). */
json_t *serve_evidence(const struct serve_run *sr,
		       const struct launch_result *r)
{
	json_t *e = json_object(), *g = json_object();
	char *copy = xstrdup(r->served), *tok, *save = NULL, *eq, *end;
	long long v;

	json_object_set_new(e, "server", json_string(sr->srv->name));
	json_object_set_new(e, "port", json_integer(sr->port));
	json_object_set_new(e, "server_port", json_integer(sr->guest_port));
	json_object_set_new(e, "check_status", json_integer(sr->check.status));
	json_object_set_new(e, "check_body_bytes",
			    json_integer(sr->check.body_bytes));
	json_object_set_new(e, "server_requests",
			    json_integer(sr->check.server_requests));
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		if (!(eq = strchr(tok, '=')))
			continue;
		*eq++ = '\0';
		v = strtoll(eq, &end, 10);
		json_object_set_new(g, tok, *end || !*eq ? json_string(eq) :
				    json_integer(v));
	}
	free(copy);
	json_object_set_new(e, "served", g);
	return e;
}
