/*
 * meta: the .meta.json sidecar of a campaign CSV. Owns nothing but the
 * json_t it returns (the caller json_decref's it).
 */
#ifndef CAMPAIGN_META_H
#define CAMPAIGN_META_H

#include <jansson.h>

#include "launch.h"
#include "platform.h"
#include "run.h"

struct meta_run_info {
	const char *key, *platform, *benchmark;
	long repetition;
	const char *status;	/* "ok", "failed", "timeout", ... */
	const char *reason;	/* NULL when ok */
	const char *accel_requested, *accel;
	long n_rows;
	char *const *argv;	/* the exact command line, NULL-terminated */
	const char *guest_job;	/* the encoded job, NULL for none */
	json_t *serve;		/* served runs' evidence (borrowed), or NULL */
};

/* A new sidecar (new reference) with host facts and the campaign. */
json_t *meta_new(const struct run_options *o, json_t *campaign,
		 const char *kernel);
void meta_platform(json_t *m, const struct platform *p, int is_selected);
void meta_run(json_t *m, const struct meta_run_info *info,
	      const struct launch_result *r, long long native_canary_ns);
/* NAME.csv -> NAME.meta.json (caller frees). */
char *meta_path_for(const char *csv);
/* Write atomically; 0 or -1 (errno set). */
int meta_write(json_t *m, const char *path);

#endif
