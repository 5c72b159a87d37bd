/*
 * unit: one platform x benchmark x repetition. Builds the job (the bench
 * subcommand and its options) and the platform's command line from its
 * definition's templates, launches it, checks what came back (markers,
 * exit status, accelerator evidence, CSV shape), and appends the rows in
 * one write(2).
 */
#define _GNU_SOURCE		/* strtok_r */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
#include "container.h"
#include "diag.h"
#include "job.h"
#include "launch.h"
#include "meta.h"
#include "platform.h"
#include "protocol.h"
#include "run_priv.h"
#include "served.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

/* ---- one unit -------------------------------------------------------- */

/* "256M", "1G" or a number of MiB, as a number of MiB (for VMMs such as
 * Firecracker that want an integer). */
static void mib_of(const char *mem, char *out, size_t size)
{
	char *end;
	double v = strtod(mem, &end);

	if (*end == 'G' || *end == 'g')
		v *= 1024;
	else if (*end == 'K' || *end == 'k')
		v /= 1024;
	snprintf(out, size, "%.0f", v);
}

/*
 * The kernel command line (it has placeholders too, {tsc_khz}) plus the
 * job, into *append and vars[2]; and the config_file template, written to
 * cfg_path. 0, or -1 with a message.
 */
static int expand_extras(const struct platform *p, struct tvar *vars,
			 const char *job, char **append, const char *cfg_path)
{
	const char *a = json_string_value(json_object_get(p->def, "append"));
	const char *cfg = json_string_value(json_object_get(p->def,
							    "config_file"));
	char bad[64], *s;
	int rc = 0;

	s = template_expand(a ? a : "console=ttyS0", vars, NULL, bad);
	if (!s) {
		fprintf(stderr, "%s: unknown placeholder '{%s}' in 'append'\n",
			p->file, bad);
		return -1;
	}
	*append = xasprintf("%s bench.job=%s", s, job);
	vars[2].value = *append;
	free(s);
	if (!cfg)
		return 0;
	s = template_expand(cfg, vars, NULL, bad);
	if (!s)
		fprintf(stderr, "%s: unknown placeholder '{%s}' in "
			"'config_file'\n", p->file, bad);
	if (!s || atomic_write_file(cfg_path, s, strlen(s)))
		rc = -1;
	free(s);
	return rc;
}

/* Expand the platform's command, plus its "net" for a served unit;
 * returns 0 or -1 (message printed). */
static int vm_command(struct ctx *x, const struct unit *u,
		      const struct bench_entry *b, const char *job,
		      const char *qmp, const struct serve_run *sr,
		      struct argvec *out)
{
	json_t *cmd = json_object_get(u->p->def, "command"), *w;
	json_t *net = sr ? json_object_get(u->p->def, "net") : NULL;
	json_t *mem = job_setting(b, "platform_memory", "memory", u->p->name);
	const char *keep_mem[] = { "mem", NULL };
	char *full_append = NULL;
	char *cfg_path = xasprintf("%s/vmm-config.json", x->workdir);
	char *bundle = xasprintf("%s/bundle", x->workdir);
	char *state = xasprintf("%s/state", x->workdir);
	char *id = xasprintf("bench-%ld-%d", (long)getpid(), u->seq);
	const char *mem_s = json_is_string(mem) ? json_string_value(mem) :
			    u->p->memory;
	char mem_mib[32], host_port[16] = "", guest_port[16] = "";
	struct tvar vars[] = {
		{ "kernel", strcmp(u->p->kernel_form, "vmlinux") ?
			    x->kernel_z : x->kernel_x },
		{ "initrd", x->initrd }, { "append", "" },
		{ "mem", mem_s }, { "mem_mib", mem_mib },
		{ "qmp", qmp }, { "tsc_khz", x->tsc_khz },
		{ "bench", x->o->bench }, { "job", job },
		{ "rootfs", x->rootfs }, { "bundle", bundle },
		{ "state", state }, { "id", id }, { "workdir", x->workdir },
		{ "config", cfg_path }, { "host_port", host_port },
		{ "guest_port", guest_port }, { NULL, NULL }
	};
	char bad[64], *s;
	size_t i, n_cmd = json_array_size(cmd);
	int rc = 0;

	if (sr) {
		snprintf(host_port, sizeof(host_port), "%ld", sr->port);
		snprintf(guest_port, sizeof(guest_port), "%ld",
			 sr->guest_port);
	}
	mib_of(mem_s, mem_mib, sizeof(mem_mib));
	rc = expand_extras(u->p, vars, job, &full_append, cfg_path);
	for (i = 0; i < n_cmd + json_array_size(net); i++) {
		w = i < n_cmd ? json_array_get(cmd, i) :
		    json_array_get(net, i - n_cmd);
		if (rc)
			break;
		s = template_expand(json_string_value(w), vars,
				    json_is_true(json_object_get(b->def,
						 "keep_mem")) ? keep_mem :
				    NULL, bad);
		if (!s) {
			fprintf(stderr, "%s: unknown placeholder '{%s}' in "
				"'command'\n", u->p->file, bad);
			rc = -1;
			break;
		}
		av_add(out, s);
		free(s);
	}
	free(full_append);
	free(cfg_path);
	free(bundle);
	free(state);
	free(id);
	return rc;
}

static char **job_env(const char *job, struct argvec *keep)
{
	extern char **environ;
	char **e, *kv;

	for (e = environ; *e; e++)
		if (strncmp(*e, "BENCH_JOB=", 10))
			av_add(keep, *e);
	kv = xasprintf("BENCH_JOB=%s", job);
	av_add(keep, kv);
	free(kv);
	return keep->v;
}

/* Which accelerator the run really had; NULL (why filled) when it is not
 * the one the definition asked for. */
static const char *verify_accel(const struct platform *p,
				const struct launch_result *r, struct diag *why)
{
	int wants_kvm = !strcmp(p->accel, "kvm");
	const char *sig = wants_kvm ? "KVMKVMKVM" : "TCGTCGTCGTCG";

	if (p->kind != PLATFORM_VM)
		return "none";
	if (r->qmp_state == 1 && r->qmp_kvm_enabled != wants_kvm) {
		diag_set(why, NULL, 0, "asked for %s but QMP query-kvm says "
			 "enabled=%s present=%s", p->accel,
			 r->qmp_kvm_enabled ? "true" : "false",
			 r->qmp_kvm_present ? "true" : "false");
		return NULL;
	}
	if (strcmp(r->hypervisor, sig)) {
		diag_set(why, NULL, 0, "asked for %s but the guest's CPUID "
			 "signature is '%s', not %s", p->accel,
			 r->hypervisor[0] ? r->hypervisor : "(none seen)",
			 sig);
		return NULL;
	}
	return p->accel;
}

/*
 * Runs per repetition: the largest run index in the job's rows plus one
 * (a runner may number iterations, as stream does), at least the --runs
 * the campaign asked for. The same job gives the same stride in every
 * repetition, so run = repetition * stride + run within is unique.
 */
static long run_stride(const char *csv, long runs)
{
	char *copy = xstrdup(csv), *line, *save = NULL, *f[MAX_FIELDS + 1];
	long stride = runs, inner;

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (csv_split(line, f, MAX_FIELDS) == 10 &&
		    (inner = strtol(f[5], NULL, 10)) >= stride)
			stride = inner + 1;
	free(copy);
	return stride;
}

/* Check and rewrite the rows of a run into out; the count, or -1. */
static long rewrite_rows(struct ctx *x, const struct unit *u,
			 const char *accel, char *csv, struct strbuf *out,
			 struct diag *why)
{
	char *line, *save = NULL, *f[MAX_FIELDS + 1], run[32];
	long n = 0, inner, k = run_stride(csv, x->c.benches[u->bi].runs);
	int nf, i;

	line = strtok_r(csv, "\n", &save);
	if (!line || strcmp(line, csv_bench_header)) {
		diag_set(why, NULL, 0, "no CSV header from bench");
		return -1;
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		nf = csv_split(line, f, MAX_FIELDS);
		if (nf != 10) {
			diag_set(why, NULL, 0, "a row with %d fields, not "
				 "10 (console noise inside the CSV block?)",
				 nf);
			return -1;
		}
		inner = f[5][0] ? strtol(f[5], NULL, 10) : 0;
		snprintf(run, sizeof(run), "%ld", u->rep * k + inner);
		f[5] = run;
		f[8] = x->hostname;
		for (i = 0; i < 10; i++) {
			csv_put(out, f[i]);
			strbuf_add(out, ",", 1);
		}
		csv_put(out, accel);
		strbuf_add(out, ",", 1);
		csv_put(out, u->key);
		strbuf_add(out, "\n", 1);
		n++;
	}
	if (!n)
		diag_set(why, NULL, 0, "the job printed no rows");
	return n ? n : -1;
}

/* Status of a finished run: "ok" or why not. */
static const char *judge(const struct unit *u, int is_host,
			 const struct launch_result *r, struct diag *why)
{
	int st = r->exit_status;

	if (r->is_timeout) {
		diag_set(why, NULL, 0, "killed after the timeout of %.0f s",
			 r->elapsed_s);
		return "timeout";
	}
	if (is_host && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
		diag_set(why, NULL, 0, "bench %s exited with status %d",
			 u->p->name, WIFEXITED(st) ? WEXITSTATUS(st) :
			 128 + WTERMSIG(st));
		return "failed";
	}
	if (!is_host && !r->has_end) {
		diag_set(why, NULL, 0, "no " PROTO_END " marker: the guest "
			 "did not boot or crashed (exit status %d)",
			 WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		return "failed";
	}
	if (!is_host && r->job_rc) {
		diag_set(why, NULL, 0, "the job exited with status %d",
			 r->job_rc);
		return "failed";
	}
	return "ok";
}

/* The last non-empty line of a console tail (a static copy). */
static const char *last_line(const char *tail)
{
	static char line[200];
	const char *end, *start;

	if (!tail)
		return "(no output)";
	end = tail + strlen(tail);
	while (end > tail && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (start = end; start > tail && start[-1] != '\n'; start--)
		;
	snprintf(line, sizeof(line), "%.*s", (int)(end - start), start);
	return line[0] ? line : "(no output)";
}

static void show_tail(const struct launch_result *r)
{
	const char *t = r->tail.buf ? r->tail.buf : "";
	size_t len = strlen(t), start = len > 600 ? len - 600 : 0;

	fprintf(stderr, "campaign: last console output:\n%s%s\n",
		start ? "..." : "", t + start);
}

static void report(struct ctx *x, const struct unit *u, const char *status,
		   double elapsed_s)
{
	double per, left;

	x->n_units_done++;
	if (!x->o->is_progress)
		return;
	per = (mono_s() - x->started_s) / (double)x->n_units_run;
	left = per * (double)(x->n_units - x->n_units_done);
	fprintf(stderr, "campaign: [%ld/%ld] %s: %s in %.1f s, ETA %.0fm%02.0fs"
		"\n", x->n_units_done, x->n_units, u->key, status, elapsed_s,
		left / 60 - 0.5 < 0 ? 0 : (double)(long)(left / 60),
		left - 60 * (double)(long)(left / 60));
}

/* Set up the container side (cgroup or OCI bundle); 0 or -1. */
static int prepare_container(struct ctx *x, const struct unit *u,
			     const char *job, struct container_ctx *cc)
{
	struct diag err = { 0 };
	char *bundle;
	int rc = 0;

	if (u->p->kind == PLATFORM_NAMESPACES) {
		rc = container_cgroup(u->p->name, json_string_value(
				json_object_get(u->p->def, "cpu_max")),
				json_string_value(json_object_get(u->p->def,
						 "memory_max")),
				&cc->cgroup_dir, &err);
	} else if (u->p->kind == PLATFORM_OCI) {
		bundle = xasprintf("%s/bundle", x->workdir);
		rc = container_oci_bundle(bundle, x->rootfs, job, &err);
		free(bundle);
	}
	if (rc)
		diag_print(stderr, "campaign", &err);
	return rc;
}

/* bench SUB OPTIONS -- VMM COMMAND, for benchmarks run on the host. */
static void wrap_host(struct ctx *x, const struct unit *u,
		      struct argvec *cmd)
{
	struct argvec host = { 0 }, words = { 0 };
	int i;

	av_add(&host, x->o->bench);
	job_words(&x->c.benches[u->bi], u->p, &words);
	for (i = 0; i < words.n; i++)
		av_add(&host, words.v[i]);
	av_free(&words);
	av_add(&host, "--");
	for (i = 0; i < cmd->n; i++)
		av_add(&host, cmd->v[i]);
	av_free(cmd);
	*cmd = host;
}

static int launch_unit(struct ctx *x, const struct unit *u, const char *job,
		       const char *qmp, struct serve_run *sr,
		       struct argvec *cmd, struct argvec *env,
		       struct argvec *client, struct launch_result *r)
{
	const struct bench_entry *b = &x->c.benches[u->bi];
	struct container_ctx cc = { x->rootfs, "container", NULL };
	struct launch_spec spec = { 0 };
	int rc;

	spec.timeout_s = job_timeout(x, u);
	spec.is_raw_csv = b->is_host;
	if (u->p->kind == PLATFORM_VM && u->p->has_qmp)
		spec.qmp_path = qmp;
	if (prepare_container(x, u, job, &cc))
		return -1;
	if (u->p->kind == PLATFORM_NAMESPACES) {
		av_add(cmd, "/init");
		spec.child_setup = container_enter;
		spec.child_ctx = &cc;
	} else if (vm_command(x, u, b, b->is_host ? "none" : job, qmp,
				 sr->srv ? sr : NULL, cmd)) {
		return -1;
	}
	if (b->is_host)
		wrap_host(x, u, cmd);
	if (sr->srv) {
		spec.client_argv = client->v;
		spec.client_setup = serve_client_setup;
		spec.after_client = serve_after_client;
		spec.serve_ctx = sr;
	}
	spec.argv = cmd->v;
	spec.envp = job_env(job, env);
	unlink(qmp);
	rc = launch_run(&spec, r);
	container_cgroup_remove(cc.cgroup_dir);
	free(cc.cgroup_dir);
	return rc;
}

/*
 * The unit's rows, whole or not at all: a write that stops part way (a
 * full disk) is cut off again, and the rows are on disk (fsync) before
 * the meta records the unit as finished (resume.c relies on that order).
 */
static int append_rows(struct ctx *x, const struct strbuf *rows)
{
	off_t at = lseek(x->out_fd, 0, SEEK_END);
	size_t done = 0;
	ssize_t n;
	int saved;

	while (done < rows->len) {
		n = write(x->out_fd, rows->buf + done, rows->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	if (fsync(x->out_fd) == 0)
		return 0;
fail:
	saved = errno;
	if (at >= 0 && ftruncate(x->out_fd, at) != 0)
		fprintf(stderr, "campaign: cannot cut '%s' back to its last "
			"whole unit: %s\n", x->o->output, strerror(errno));
	fprintf(stderr, "campaign: cannot write '%s': %s\n", x->o->output,
		strerror(saved));
	x->is_output_failed = 1;
	return -1;
}

/* Decide the run's status and rows; fills info and rows. */
static void evaluate(struct ctx *x, const struct unit *u,
		     struct launch_result *r, const struct serve_run *sr,
		     struct meta_run_info *info, struct strbuf *rows,
		     struct diag *why)
{
	const struct bench_entry *b = &x->c.benches[u->bi];
	const char *accel, *bad;

	info->status = judge(u, b->is_host, r, why);
	if (strcmp(info->status, "ok"))
		return;
	if (sr->srv && (bad = serve_judge(r, sr, why))) {
		info->status = bad;
		return;
	}
	accel = verify_accel(u->p, r, why);
	if (!accel) {
		info->status = "accel-mismatch";
		return;
	}
	info->accel = accel;
	info->n_rows = rewrite_rows(x, u, accel, sr->srv ? r->client_csv.buf :
				    r->csv.buf, rows, why);
	if (info->n_rows < 0) {
		info->status = "failed";
		info->n_rows = 0;
	}
}

int unit_run(struct ctx *x, const struct unit *u)
{
	const struct bench_entry *b = &x->c.benches[u->bi];
	struct argvec words = { 0 }, cmd = { 0 }, env = { 0 }, client = { 0 };
	struct meta_run_info info = { 0 };
	struct serve_run sr = { 0 };
	struct launch_result r;
	struct strbuf rows = { 0 };
	struct diag why = { 0 };
	char *job, *qmp;
	int rc = 0, is_ready = 1;

	launch_result_init(&r);
	if (b->server && serve_prepare(x, u, &sr, &why))
		is_ready = 0;
	if (b->server) {
		serve_words(u, &sr, job_timeout(x, u), &words);
		client_words(x, u, &sr, &client);
	} else {
		job_words(b, u->p, &words);
	}
	job = proto_job_encode(words.v, words.n);
	qmp = xasprintf("%s/qmp.sock", x->workdir);
	info = (struct meta_run_info){ .key = u->key, .platform = u->p->name,
		.benchmark = b->name, .repetition = u->rep,
		.accel_requested = u->p->accel, .accel = "",
		.guest_job = b->is_host ? NULL : job };
	if (!is_ready) {
		info.status = "failed";
	} else if (launch_unit(x, u, job, qmp, &sr, &cmd, &env, &client,
			       &r)) {
		info.status = "failed";
		diag_set(&why, NULL, 0, "could not be started");
	} else if (r.is_interrupted) {
		rc = 1;
	} else {
		evaluate(x, u, &r, &sr, &info, &rows, &why);
	}
	if (!rc) {
		if (!strcmp(info.status, "ok") && append_rows(x, &rows)) {
			info.status = "failed";
			diag_set(&why, NULL, 0, "its rows could not be "
				 "written to '%s'", x->o->output);
			rc = 2;
		}
		if (strcmp(info.status, "ok")) {
			x->n_failed++;
			info.reason = why.msg;
			fprintf(stderr, "campaign: %s %s: %s\n", u->key,
				info.status, why.msg);
			if (rc != 2)	/* the run itself was fine */
				show_tail(&r);
		}
		info.argv = cmd.v ? cmd.v : words.v;
		info.serve = sr.srv ? serve_evidence(&sr, &r) : NULL;
		meta_run(x->meta, &info, &r, x->native_canary_ns);
		json_decref(info.serve);
		report(x, u, info.status, r.elapsed_s);
	}
	launch_result_release(&r);
	strbuf_release(&rows);
	av_free(&words);
	av_free(&cmd);
	av_free(&env);
	av_free(&client);
	free(sr.root);
	free(job);
	free(qmp);
	return rc;
}

int unit_probe(struct ctx *x, struct platform *p, struct diag *why)
{
	static const struct bench_entry none = { "none", NULL, 0, 1, NULL };
	struct unit u = { .p = p };
	struct argvec cmd = { 0 };
	struct launch_spec spec = { 0 };
	struct launch_result r;
	char *qmp = xasprintf("%s/qmp.sock", x->workdir);
	struct diag detail;
	int rc = -1;

	snprintf(u.key, sizeof(u.key), "probe:%s", p->name);
	memset(&r, 0, sizeof(r));
	if (vm_command(x, &u, &none, "none", qmp, NULL, &cmd)) {
		diag_set(why, NULL, 0, "bad definition");
		goto out;
	}
	spec.argv = cmd.v;
	spec.qmp_path = p->has_qmp ? qmp : NULL;
	spec.timeout_s = p->timeout_s < PROBE_TIMEOUT_S ? p->timeout_s :
			 PROBE_TIMEOUT_S;
	unlink(qmp);
	if (launch_run(&spec, &r)) {
		diag_set(why, NULL, 0, "cannot start '%s'", cmd.v[0]);
	} else if (!r.has_end || r.job_rc) {
		diag_set(why, NULL, 0, "a probe boot (no job) failed: %s",
			 last_line(r.tail.buf));
	} else if (verify_accel(p, &r, &detail)) {
		rc = 0;
	} else {
		diag_set(why, NULL, 0, "the probe boot (no job) ran without "
			 "KVM: %.299s", detail.msg);
	}
out:
	launch_result_release(&r);
	av_free(&cmd);
	free(qmp);
	return rc;
}
