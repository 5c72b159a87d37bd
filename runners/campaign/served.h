/*
 * served: a unit of a served benchmark: the server (bench serve) on the
 * platform, the client (bench http) on the host against it, started when
 * the server says it is ready, and the launcher's own check of what was
 * served.
 *
 * Owns: a struct serve_run's root directory. Must not: judge the rows of
 * the client (unit.c does).
 */
#ifndef CAMPAIGN_SERVED_H
#define CAMPAIGN_SERVED_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "diag.h"
#include "launch.h"
#include "run_priv.h"
#include "server.h"
#include "util.h"

/* A served unit: where the server listens and what the checks found. */
struct serve_run {
	struct server *srv;
	long port;		/* what the launcher connects to */
	long guest_port;	/* where the server listens */
	int in_netns;		/* container: join the child's namespace */
	char *root;		/* natively: the server's files; else "" */
	struct server_check check;
};

/* See served.c. serve_prepare: 0, or -1 with why. */
void serve_words(const struct unit *u, const struct serve_run *sr,
		 double timeout_s, struct argvec *w);
void client_words(const struct ctx *x, const struct unit *u,
		  const struct serve_run *sr, struct argvec *w);
int serve_prepare(struct ctx *x, const struct unit *u, struct serve_run *sr,
		  struct diag *why);
int serve_client_setup(void *ctx, pid_t server);
void serve_after_client(void *ctx, pid_t server, struct launch_result *r);
/* "failed" with why filled, or NULL when the served side is fine. */
const char *serve_judge(const struct launch_result *r,
			const struct serve_run *sr, struct diag *why);
/* New reference. */
json_t *serve_evidence(const struct serve_run *sr,
		       const struct launch_result *r);

#endif
