/*
 * meta: the campaign's .meta.json sidecar (docs/data-contract.md): provenance,
 * host, kernel, QEMU version, platform availability, and one entry per run
 * with its exact command line and accelerator evidence. Rewritten
 * atomically after every run, so an interrupted campaign keeps it.
 */
#define _GNU_SOURCE		/* popen */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
#include "diag.h"
#include "launch.h"
#include "platform.h"
#include "run.h"
#include "xalloc.h"

#include "meta.h"

static void iso_now(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* First line of a command's output, or "" (caller frees). */
static char *first_line_of(const char *cmd)
{
	char buf[256] = "";
	FILE *p = popen(cmd, "r");

	if (p) {
		if (!fgets(buf, sizeof(buf), p))
			buf[0] = '\0';
		pclose(p);
	}
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

static char *cpu_model(void)
{
	char line[512], *colon;
	FILE *f = fopen("/proc/cpuinfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "model name", 10) &&
		    (colon = strchr(line, ':'))) {
			fclose(f);
			colon[strcspn(colon, "\n")] = '\0';
			return xstrdup(colon + 2);
		}
	if (f)
		fclose(f);
	return xstrdup("");
}

static json_t *host_object(void)
{
	json_t *h = json_object();
	struct utsname u;
	struct diag why = { 0 };
	char name[256] = "";
	char *s;

	gethostname(name, sizeof(name) - 1);
	json_object_set_new(h, "hostname", json_string(name));
	if (uname(&u) == 0)
		json_object_set_new(h, "kernel", json_string(u.release));
	s = cpu_model();
	json_object_set_new(h, "cpu_model", json_string(s));
	free(s);
	json_object_set_new(h, "online_cpus",
			    json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	json_object_set_new(h, "kvm_usable",
			    json_boolean(!kvm_probe("/dev/kvm", &why)));
	json_object_set_new(h, "kvm_check", json_string(why.msg));
	s = first_line_of("qemu-system-x86_64 --version 2>/dev/null");
	json_object_set_new(h, "qemu_version", json_string(s));
	free(s);
	return h;
}

json_t *meta_new(const struct run_options *o, json_t *campaign,
		 const char *kernel)
{
	json_t *m = json_object(), *cmd = json_array(), *cols = json_object();
	char stamp[32];
	int i;

	for (i = 0; i < o->argc; i++)
		json_array_append_new(cmd, json_string(o->argv[i]));
	iso_now(stamp, sizeof(stamp));
	json_object_set_new(m, "source", json_string("measured"));
	json_object_set_new(m, "tool", json_string("campaign "
						   TOOLKIT_VERSION));
	json_object_set_new(m, "command_line", cmd);
	json_object_set_new(m, "started", json_string(stamp));
	json_object_set_new(m, "campaign_file",
			    json_string(o->campaign_file));
	json_object_set_new(m, "campaign", json_incref(campaign));
	json_object_set_new(m, "host", host_object());
	json_object_set_new(m, "guest_kernel", kernel ? json_string(kernel) :
			    json_null());
	json_object_set_new(cols, "accel", json_string(
		"accelerator verified for the run: kvm (QMP query-kvm "
		"enabled and guest CPUID KVMKVMKVM), tcg (QMP disabled and "
		"CPUID TCGTCGTCGTCG), none (native, containers)"));
	json_object_set_new(cols, "job", json_string(
		"rREP:bINDEX:PLATFORM, the unit --resume counts as done"));
	json_object_set_new(m, "extra_columns", cols);
	json_object_set_new(m, "platforms", json_object());
	json_object_set_new(m, "runs", json_array());
	return m;
}

void meta_platform(json_t *m, const struct platform *p, int is_selected)
{
	json_t *e = json_object();

	json_object_set_new(e, "file", json_string(p->file));
	json_object_set_new(e, "available", json_boolean(p->is_available));
	json_object_set_new(e, "check", json_string(p->reason));
	json_object_set_new(e, "selected", json_boolean(is_selected));
	if (is_selected && !p->is_available)
		json_object_set_new(e, "note", json_string(
			"skipped: not available on this machine"));
	json_object_set_new(e, "definition", json_incref(p->def));
	json_object_set_new(json_object_get(m, "platforms"), p->name, e);
}

static json_t *evidence_object(const struct launch_result *r,
			       long long native_canary_ns)
{
	json_t *e = json_object(), *q;

	if (r->qmp_state == 1) {
		q = json_object();
		json_object_set_new(q, "enabled",
				    json_boolean(r->qmp_kvm_enabled));
		json_object_set_new(q, "present",
				    json_boolean(r->qmp_kvm_present));
		json_object_set_new(e, "qmp_query_kvm", q);
	} else if (r->qmp_state == 0) {
		json_object_set_new(e, "qmp_query_kvm",
				    json_string(r->qmp_error));
	}
	json_object_set_new(e, "cpuid_hypervisor",
			    json_string(r->hypervisor));
	if (r->canary_ns >= 0) {
		json_object_set_new(e, "canary_ns",
				    json_integer(r->canary_ns));
		if (native_canary_ns > 0)
			json_object_set_new(e, "canary_vs_native",
				json_real((double)r->canary_ns /
					  (double)native_canary_ns));
	}
	if (r->guest_pid >= 0)
		json_object_set_new(e, "guest_pid", json_integer(r->guest_pid));
	if (r->guest_boottime_ms >= 0)
		json_object_set_new(e, "guest_boottime_ms",
				    json_real(r->guest_boottime_ms));
	return e;
}

/* The console tail as a JSON string: bytes outside printable ASCII (escape
 * sequences, partial UTF-8 at the cut) become '?'. */
static json_t *printable(const char *s)
{
	char *copy = xstrdup(s ? s : ""), *p;
	json_t *j;

	for (p = copy; *p; p++)
		if ((unsigned char)*p >= 0x7f ||
		    ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t'))
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

void meta_run(json_t *m, const struct meta_run_info *info,
	      const struct launch_result *r, long long native_canary_ns)
{
	json_t *e = json_object(), *cmd = json_array();
	char stamp[32];
	int i;

	iso_now(stamp, sizeof(stamp));
	for (i = 0; info->argv[i]; i++)
		json_array_append_new(cmd, json_string(info->argv[i]));
	json_object_set_new(e, "job", json_string(info->key));
	json_object_set_new(e, "platform", json_string(info->platform));
	json_object_set_new(e, "benchmark", json_string(info->benchmark));
	json_object_set_new(e, "repetition", json_integer(info->repetition));
	json_object_set_new(e, "status", json_string(info->status));
	if (info->reason)
		json_object_set_new(e, "reason", json_string(info->reason));
	json_object_set_new(e, "accel_requested",
			    json_string(info->accel_requested));
	json_object_set_new(e, "accel", json_string(info->accel));
	json_object_set_new(e, "rows", json_integer(info->n_rows));
	json_object_set_new(e, "elapsed_s", json_real(r->elapsed_s));
	json_object_set_new(e, "finished", json_string(stamp));
	json_object_set_new(e, "command", cmd);
	if (info->guest_job)
		json_object_set_new(e, "guest_job",
				    json_string(info->guest_job));
	json_object_set_new(e, "evidence",
			    evidence_object(r, native_canary_ns));
	if (info->serve)
		json_object_set(json_object_get(e, "evidence"), "serve",
				info->serve);
	if (strcmp(info->status, "ok"))
		json_object_set_new(e, "console_tail", printable(r->tail.buf));
	json_array_append_new(json_object_get(m, "runs"), e);
}

int meta_write(json_t *m, const char *path)
{
	char stamp[32], *text;
	int rc;

	iso_now(stamp, sizeof(stamp));
	json_object_set_new(m, "updated", json_string(stamp));
	text = json_dumps(m, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	if (!text)
		return -1;
	rc = atomic_write_file(path, text, strlen(text));
	free(text);
	return rc;
}

char *meta_path_for(const char *csv)
{
	size_t len = strlen(csv);

	if (len > 4 && !strcmp(csv + len - 4, ".csv"))
		len -= 4;
	return xasprintf("%.*s.meta.json", (int)len, csv);
}
