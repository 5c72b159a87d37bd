/*
 * job: what a unit runs: the bench words of a campaign's benchmark on a
 * platform, its per-platform settings and its watchdog.
 */
#include "job.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "platform.h"
#include "run_priv.h"
#include "util.h"

void job_entry(json_t *def, struct bench_entry *e)
{
	json_t *runs = json_object_get(def, "runs");

	memset(e, 0, sizeof(*e));
	e->name = json_string_value(json_object_get(def, "name"));
	e->def = def;
	e->is_host = json_is_true(json_object_get(def, "host"));
	e->runs = json_is_integer(runs) ? (long)json_integer_value(runs) : 1;
}

static void av_add_json(struct argvec *a, json_t *arr)
{
	json_t *w;
	size_t i;

	json_array_foreach(arr, i, w)
		if (json_is_string(w))
			av_add(a, json_string_value(w));
}

json_t *job_setting(const struct bench_entry *b, const char *field,
		    const char *dflt_field, const char *platform)
{
	json_t *v = json_object_get(json_object_get(b->def, field), platform);

	return v ? v : json_object_get(b->def, dflt_field);
}

void job_words(const struct bench_entry *b, const struct platform *p,
	       struct argvec *w)
{
	json_t *cfg = job_setting(b, "platform_config", "config", p->name);
	char runs[32];

	/* The launcher's options first: a benchmark's args may end with
	 * "--" and a command (bench time), which must come last. */
	snprintf(runs, sizeof(runs), "%ld", b->runs);
	av_add(w, b->name);
	av_add(w, "--platform");
	av_add(w, p->name);
	av_add(w, "--runs");
	av_add(w, runs);
	if (json_is_string(cfg) && json_string_value(cfg)[0]) {
		av_add(w, "--config");
		av_add(w, json_string_value(cfg));
	}
	av_add_json(w, json_object_get(b->def, "args"));
	av_add_json(w, json_object_get(json_object_get(b->def,
						       "platform_args"),
				       p->name));
}

double job_timeout(const struct ctx *x, const struct unit *u)
{
	return x->o->timeout_s > 0 ? x->o->timeout_s :
	       x->c.timeout_s > 0 ? x->c.timeout_s : u->p->timeout_s;
}
