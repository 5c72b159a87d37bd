/*
 * protocol: what bench (the guest side) and bin/campaign (the launcher)
 * say to each other, defined once for both binaries: the job a launcher
 * hands to 'bench guest', and the console markers bench prints around the
 * job's output.
 *
 * The job. A bench subcommand and its arguments, one word each, passed as
 * BENCH_JOB=TEXT (containers, the host) or bench.job=TEXT on a VM's
 * kernel command line. TEXT is the words separated by ',' with every byte
 * outside [A-Za-z0-9._/:=+-] written %XX (two hex digits), so it holds no
 * space, quote or comma of its own and survives a kernel command line.
 * "none" (or nothing) is no job: the guest only boots and reports.
 *
 * The markers, each on a line of its own (bench guest's standard output,
 * a VM's serial console; bench serve writes its two on standard error):
 *
 *   @@BENCH-GUEST boottime_ns=N@@   first, CLOCK_BOOTTIME at /init entry
 *   @@BENCH-EVIDENCE hypervisor=SIG hv_bit=B canary_ns=N pid=P@@
 *   @@BENCH-BEGIN@@                 then the job's CSV, header first
 *   @@BENCH-END rc=N@@              the job's exit status
 *   @@BENCH-READY port=PORT@@       bench serve: the server accepts
 *   @@BENCH-SERVED iface=I ... stopped_by=WHY status=S@@   and has stopped
 *
 * A reader finds a marker anywhere in a line (a VM console may prefix
 * kernel output), reads the fields after its tag, and ignores lines it
 * does not know. Only this header spells the markers; everything else
 * builds them from the macros below.
 *
 * Owns: nothing but the string proto_job_encode returns. Must not: depend
 * on anything but libc and lib/ (bench is static).
 */
#ifndef BENCH_PROTOCOL_H
#define BENCH_PROTOCOL_H

#include <stddef.h>

#include "diag.h"

#define PROTO_MARK "@@BENCH-"
#define PROTO_CLOSE "@@"

/* The tags: each marker starts with one; fields follow, then PROTO_CLOSE. */
#define PROTO_GUEST PROTO_MARK "GUEST boottime_ns="
#define PROTO_EVIDENCE PROTO_MARK "EVIDENCE "
#define PROTO_BEGIN PROTO_MARK "BEGIN" PROTO_CLOSE
#define PROTO_END PROTO_MARK "END"	/* bench boot's default --marker */
#define PROTO_END_RC PROTO_END " rc="
#define PROTO_READY PROTO_MARK "READY "
#define PROTO_SERVED PROTO_MARK "SERVED "

/* The length of a tag: where its fields start. */
#define PROTO_LEN(tag) (sizeof(tag) - 1)

/* What a guest decodes at most: the kernel command line is 2048 bytes on
 * x86, BENCH_JOB could be longer. */
#define PROTO_JOB_BYTES 8192
#define PROTO_MAX_WORDS 128

/* A decoded job: argv[0] is "bench", argv[1..argc-1] the words, argv[argc]
 * NULL; argc 1 for no job. The words live in words[]. */
struct proto_job {
	char words[PROTO_JOB_BYTES];
	char *argv[PROTO_MAX_WORDS + 2];
	int argc;
};

/* TEXT for n words (n == 0: "none"). A new string (caller frees); out of
 * memory is fatal (xalloc). */
char *proto_job_encode(char *const *words, int n);

/*
 * Decode TEXT, up to its end, a space or a line break (the rest of a
 * kernel command line), into job. 0, or STATUS_BADINPUT with err set (a
 * bad %XX escape, more than PROTO_MAX_WORDS words or PROTO_JOB_BYTES
 * bytes). The single words "none" and "" decode to no job.
 */
int proto_job_decode(struct proto_job *job, const char *text,
		     struct diag *err);

#endif
