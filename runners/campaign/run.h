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

/* A growable argv, NULL-terminated; av_free releases every string. */
struct argvec {
	char **v;
	int n;
};
void av_add(struct argvec *a, const char *s);
void av_free(struct argvec *a);
/* The bench subcommand and its options, as run inside the platform. */
void job_words(const struct bench_entry *b, const struct platform *p,
	       struct argvec *w);
/* The unit's watchdog: --timeout, the campaign's, the platform's. */
double unit_timeout(const struct ctx *x, const struct unit *u);

/* served.c: a served unit: where the server listens and what the checks found. */
struct serve_run {
	struct server *srv;
	long port;		/* what the launcher connects to */
	long guest_port;	/* where the server listens */
	int in_netns;		/* container: join the child's namespace */
	char *root;		/* natively: the server's files; else "" */
	struct server_check check;
};

/* served.c; see there. serve_prepare: 0, or -1 with why. */
void serve_words(const struct unit *u, const struct serve_run *sr,
		 double timeout_s, struct argvec *w);
void client_words(const struct ctx *x, const struct unit *u,
		  const struct serve_run *sr, struct argvec *w);
int serve_prepare(struct ctx *x, const struct unit *u, struct serve_run *sr,
		  char *why, size_t why_size);
int serve_client_setup(void *ctx, pid_t server);
void serve_after_client(void *ctx, pid_t server, struct launch_result *r);
/* "failed" with why filled, or NULL when the served side is fine. */
const char *serve_judge(const struct launch_result *r,
			const struct serve_run *sr, char *why,
			size_t why_size);
/* New reference. */
json_t *serve_evidence(const struct serve_run *sr,
		       const struct launch_result *r);

/* The job keys already in the output (--resume): run_read_done reads
 * them, 0, or -1 when the output is not a campaign CSV (printed). It
 * changes nothing; resume_scan(x, 1) also repairs the file (resume.c). */
int run_read_done(struct ctx *x);
int resume_scan(struct ctx *x, int is_repair);
int run_is_done(const struct ctx *x, const char *key);
void run_add_done(struct ctx *x, const char *key);
/* NAME.csv -> NAME.meta.json (caller frees). */
char *run_meta_path(const char *csv);

/* A bench_entry for a campaign's benchmark object (name, runs, host);
 * no server. */
void plan_entry(json_t *def, struct bench_entry *e);

/* Run one unit, append its rows, record it in the meta. Returns 0, 1
 * when the launcher was interrupted during it, or 2 when its rows could
 * not be written (x->is_output_failed; nothing of them is in the CSV). */
int unit_run(struct ctx *x, const struct unit *u);

/* A boot with no job on a KVM platform: a /dev/kvm that passes
 * kvm_probe may still be unable to run a Linux guest (nested hosts).
 * 0, or -1 with why. */
#define PROBE_TIMEOUT_S 30.0
int unit_probe(struct ctx *x, struct platform *p, char *why,
	       size_t why_size);

#endif
