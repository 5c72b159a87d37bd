/*
 * launch: one supervised process tree per run: the launched program (a
 * VMM, a container, bench itself) with its console parsed for bench's
 * markers, a watchdog, QMP, and for served runs the client. Also the
 * interrupt flag of 'campaign run'.
 *
 * Owns: the buffers of a struct launch_result (launch_result_release).
 * Must not: leave a process of the tree behind.
 */
#ifndef CAMPAIGN_LAUNCH_H
#define CAMPAIGN_LAUNCH_H

#include <signal.h>
#include <sys/types.h>

#include "strbuf.h"

/* Set by the SIGINT/SIGTERM/SIGHUP handler launch_catch_signals()
 * installs; the run in progress stops and the campaign ends. */
extern volatile sig_atomic_t launch_interrupted;
void launch_catch_signals(void);

/* What one run left behind. */
struct launch_result {
	int has_begin, has_end;
	int job_rc;		/* from the END marker (protocol.h) */
	int exit_status;	/* of the launched process, as from wait() */
	int is_timeout, is_interrupted;
	double elapsed_s;
	double guest_boottime_ms;	/* -1 when not seen */
	char hypervisor[32];	/* CPUID signature the guest saw */
	long long canary_ns;	/* -1 when not seen */
	long guest_pid;		/* bench guest's pid (1: init), -1 unseen */
	int qmp_state;		/* -1 not asked, 0 failed, 1 answered */
	int qmp_kvm_enabled, qmp_kvm_present;
	char qmp_error[160];
	struct strbuf csv;	/* the CSV lines (header first) */
	struct strbuf tail;	/* last console bytes, for failures */
	int has_ready;		/* the READY marker seen (served runs) */
	int client_status;	/* of the client, as from wait(); -1 none */
	struct strbuf client_csv;	/* the client's standard output */
	char served[300];	/* the fields of the SERVED marker */
};

struct launch_spec {
	char *const *argv;	/* program and arguments */
	char *const *envp;	/* NULL: inherit */
	int is_raw_csv;		/* stdout is plain CSV, no markers */
	const char *qmp_path;	/* NULL: no QMP query */
	double timeout_s;
	/* Runs in the child before exec (namespaces); NULL: plain exec. */
	int (*child_setup)(const void *ctx);
	const void *child_ctx;
	/*
	 * Served runs: the child's standard input is a pipe; client_argv
	 * starts when the child prints the READY marker (after client_setup in
	 * the client's child, given the launched pid); once the client has
	 * exited, after_client runs in the launcher and "stop" is written
	 * to the pipe. NULL: none of this.
	 */
	char *const *client_argv;
	int (*client_setup)(void *ctx, pid_t server);
	void (*after_client)(void *ctx, pid_t server,
			     struct launch_result *r);
	void *serve_ctx;
};

/* Zero r, with -1 in the fields where it means "not seen". Owns nothing
 * yet: launch_result_release() is safe on it. */
void launch_result_init(struct launch_result *r);
void launch_result_release(struct launch_result *r);
/* Run one supervised process tree; never leaves it behind. 0, or -1 when
 * it could not be started (message in r->tail). */
int launch_run(const struct launch_spec *spec, struct launch_result *r);

#endif
