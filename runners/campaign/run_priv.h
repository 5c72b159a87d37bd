/*
 * run_priv: what the modules of 'campaign run' share (run.c the loop,
 * unit.c one unit, served.c a served unit, plan.c the order and the dry
 * run, resume.c the units already done, validate.c and vbench.c the
 * checks): the campaign as loaded and the loop's context. Private to
 * bin/campaign; run.h is the public side.
 *
 * Owns: nothing itself; struct ctx owns what its comments say, released
 * by run.c. Must not: be included outside runners/campaign.
 */
#ifndef CAMPAIGN_RUN_PRIV_H
#define CAMPAIGN_RUN_PRIV_H

#include <stddef.h>

#include <jansson.h>

#include "platform.h"
#include "run.h"
#include "server.h"

#define MAX_FIELDS 12

struct bench_entry {
	const char *name;
	json_t *def;
	int is_host;
	long runs;	/* --runs passed per invocation */
	struct server *server;	/* "serve": the server, or NULL */
};

struct campaign {
	json_t *json;
	long repetitions;
	double timeout_s;
	struct bench_entry *benches;
	size_t n_benches;
	struct platform **plats;	/* selected and available */
	size_t n_plats;
};

struct ctx {
	const struct run_options *o;
	struct campaign c;
	struct platform_set set;
	char *workdir, *initrd, *rootfs, *kernel_z, *kernel_x;
	char *servers_dir;
	char hostname[256];
	char tsc_khz[32];
	long long native_canary_ns;
	char **done;	/* job keys already in the CSV */
	size_t n_done;
	int out_fd;
	json_t *meta;
	char *meta_path;
	int n_failed;
	int is_output_failed;	/* the CSV or meta could not be written */
	double started_s;
	long n_units, n_units_done, n_units_run;
};

struct unit {
	long rep;
	size_t bi;
	struct platform *p;
	char key[160];
	int seq;
};

#endif
