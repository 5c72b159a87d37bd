/*
 * server: the servers of served benchmarks (runners/servers/NAME.json):
 * their definitions, the files they need in an image or a host directory,
 * their command line, and the launcher's own check of what they serve.
 *
 * Owns: a struct server's file, definition and program path
 * (server_release). Must not: start the server (launch.c does).
 */
#ifndef CAMPAIGN_SERVER_H
#define CAMPAIGN_SERVER_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "diag.h"
#include "image.h"

/* A server of served benchmarks (runners/servers/NAME.json). */
struct server {
	const char *name;	/* borrowed from the campaign */
	char *file;		/* the definition's path */
	json_t *def;		/* owned reference */
	const char *program;	/* as named in def */
	char *program_path;	/* host path, set by server_add_to_image */
	const char *url_path;	/* what bench http loads */
	const char *status_path;	/* NULL: none */
	long port;		/* in the guest or the container */
};

/* What the launcher's own requests found after the load. */
struct server_check {
	int is_ok;		/* the page is the one the server was given */
	int status;
	long long body_bytes;	/* -1: no response */
	long long server_requests;	/* the server's count, -1 unknown */
	char why[200];
};

/* $BENCH_SERVERS, else "servers" beside the platforms directory. */
char *server_default_dir(const char *platforms_dir);
/* Load dir/name.json. 0, or -1 with "FILE: message" in err; release with
 * server_release either way. */
int server_load(const char *dir, const char *name, struct server *s,
		struct diag *err);
void server_release(struct server *s);
/* The program (--with), its directories and files with {root} = "",
 * {addr} = 0.0.0.0 and {port} = s->port; sets s->program_path. */
int server_add_to_image(struct server *s, struct image_extra *x,
			struct diag *err);
/* The same files under the host directory root, {addr} = 127.0.0.1. */
int server_write_tree(struct server *s, const char *root, long port,
		      struct diag *err);
/* Append the expanded 'args' to *argv (NULL-terminated, each string
 * owned by the caller). */
void server_args(const struct server *s, const char *root, long port,
		 char ***argv, int *argc);
/* A TCP port free on 127.0.0.1 now, or -1. */
long server_free_port(void);
/* GET the served page and the status page from 127.0.0.1:port, inside
 * the network namespace of netns_pid when > 0. */
void server_check(const struct server *s, long port, pid_t netns_pid,
		  struct server_check *c);

#endif
