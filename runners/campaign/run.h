/*
 * run.h: what run.c (the campaign loop, resume, output) and unit.c (one
 * platform x benchmark x repetition) share. Private to bin/campaign.
 */
#ifndef CAMPAIGN_RUN_H
#define CAMPAIGN_RUN_H

#include "campaign.h"

#define MAX_FIELDS 12

/* bench's own header, and the campaign CSV's (two extra columns). */
extern const char run_bench_header[];
extern const char run_out_header[];

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

/* Run one unit, append its rows, record it in the meta. Returns 0, or 1
 * when the launcher was interrupted during it. */
int unit_run(struct ctx *x, const struct unit *u);

/* A boot with no job on a KVM platform: a /dev/kvm that passes
 * kvm_probe may still be unable to run a Linux guest (nested hosts).
 * 0, or -1 with why. */
#define PROBE_TIMEOUT_S 30.0
int unit_probe(struct ctx *x, struct platform *p, char *why,
	       size_t why_size);

#endif
