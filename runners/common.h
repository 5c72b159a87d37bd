/*
 * common: what every bench subcommand shares: the common options, the tidy
 * CSV row writer, the repetition loop (warm-up, --runs, --until-ci), clocks,
 * host facts and the .meta.json sidecar. libc only: bench is linked -static
 * and must run as /init of a VM with nothing mounted.
 *
 * Owns: the output stream of a struct rows. Must not: allocate anything
 * that outlives rows_close(), or print rows anywhere but through rows_add().
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"	/* enum exit_status, struct diag */
#include "opt.h"

/* Set by the SIGINT/SIGTERM handler installed by common_repeat(). */
extern volatile sig_atomic_t bench_interrupted;

/* Options every subcommand accepts. */
struct bench_common {
	const char *platform;	/* --platform NAME (default "native") */
	const char *config;	/* --config STR (default "") */
	const char *output;	/* -o, --output FILE; NULL: stdout */
	long runs;		/* --runs N; 0: the subcommand's default */
	long warmup;		/* --warmup N; -1: the subcommand's default */
	double until_ci_pct;	/* --until-ci PCT (e.g. 2 for +-2%); 0: off */
	long max_runs;		/* --max-runs N with --until-ci (default 50) */
	int is_verbose;		/* --verbose: host facts on stderr */
	int is_progress;	/* --progress, or stderr is a terminal */
	int is_check;		/* --check: parse, validate, exit */
};

void common_init(struct bench_common *c);

/*
 * Option ids of the rows every subcommand shares (common_opts below, and
 * the --version and --help rows a subcommand lists among its own). A
 * subcommand numbers its own options from 0 (an enum), so the two never
 * meet.
 */
enum common_opt_id {
	COMMON_OPT_HELP = -100,
	COMMON_OPT_VERSION,
	COMMON_OPT_OUTPUT,
	COMMON_OPT_PLATFORM,
	COMMON_OPT_CONFIG,
	COMMON_OPT_RUNS,
	COMMON_OPT_WARMUP,
	COMMON_OPT_UNTIL_CI,
	COMMON_OPT_MAX_RUNS,
	COMMON_OPT_VERBOSE,
	COMMON_OPT_PROGRESS,
	COMMON_OPT_CHECK
};

/* The --version row of a subcommand's own table (its --help lists it
 * with its own options). */
#define COMMON_VERSION_ROW \
	{ COMMON_OPT_VERSION, 0, "version", NULL, "print the version" }

/* Where the words that are no options go. */
enum bench_operands {
	BENCH_OPERANDS_NONE,	/* none: such a word is a usage error */
	BENCH_OPERANDS_ANY,	/* anywhere (files, a URL): to the callback */
	BENCH_OPERANDS_COMMAND,	/* the first one starts a command that
				 * takes the rest of the line (bench time) */
	BENCH_OPERANDS_AFTER_DASHDASH	/* a command after "--" only (bench
					 * boot, memfloor, serve) */
};

/*
 * A subcommand's command line and --help, from its table. --help prints,
 * in this order: intro (usage line, definitions, example, up to the
 * "Options:" line), opts as two columns from column col, notes (lines
 * after them: default runs, ...), then with has_common the common
 * options, and exit_help (its exit statuses).
 */
struct bench_doc {
	const char *cmd;	/* the subcommand, for messages */
	const char *intro;
	struct opt_table opts;	/* its own options, in --help order */
	int col;		/* where their help text starts */
	const char *notes;
	const char *exit_help;
	int has_common;		/* takes the common options */
	enum bench_operands operands;
};

/* The id BENCH_OPERANDS_ANY passes to the callback for an operand. */
#define BENCH_OPERAND (-1)

/*
 * A subcommand's own option (or, with id BENCH_OPERAND, an operand):
 * name is the option as typed ("-c", "--connections"), for messages;
 * value is NULL for a flag. Returns 0, or STATUS_BADINPUT with err set to
 * the problem (no file; common_parse prints it as a usage error).
 */
typedef int (*bench_opt_fn)(void *ctx, int id, const char *name,
			    const char *value, struct diag *err);

/*
 * Parse argv[1..] by d: -h/--help prints the help, --version the
 * version, the common options fill c, the subcommand's own options and
 * operands go to fn. With BENCH_OPERANDS_COMMAND or _AFTER_DASHDASH,
 * *command receives the command (pointers into argv, NULL-terminated as
 * argv is) or NULL when there is none. Returns 0 to go on, or -1 when the
 * subcommand must stop and exit with *status: 0 after --help or
 * --version, 2 after a usage error (printed: the problem, then the try
 * line).
 */
int common_parse(struct bench_common *c, const struct bench_doc *d,
		 int argc, char **argv, bench_opt_fn fn, void *ctx,
		 char ***command, int *status);

/* The common options, for a subcommand's --help. */
extern const struct opt_table common_opts;

/* The answer to --version of bench and of every subcommand, on stdout:
 * "bench VERSION". */
void print_version(void);

/*
 * Whether --check was given: a subcommand calls it once its options are
 * parsed and checked, before it allocates, opens or measures anything,
 * and then exits 0. 'campaign run' asks bench this way whether a
 * campaign's arguments are valid, so the two never disagree on them.
 */
int common_checked(const struct bench_common *c);

/* "bench CMD: message" + "try 'bench CMD --help'" on stderr; returns 2. */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "bench CMD: message" on stderr. */
void bench_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Number parsing for options: the whole word must be a number within
 * [min, max]; otherwise STATUS_BADINPUT with err naming the option (as
 * typed) and the range. parse_size accepts K, M, G suffixes (powers of
 * 1024, optionally followed by "iB" or "B") and returns bytes.
 * parse_units reads a plain number as a count of unit_bytes units (8-byte
 * array elements, MiB) and a number with a suffix as bytes; the result,
 * in bytes, is within [min_bytes, max_bytes] (a plain number within
 * [min_bytes / unit_bytes rounded up, max_bytes / unit_bytes]).
 * parse_mib is parse_units with MiB units.
 */
int parse_long(struct diag *err, const char *opt, const char *arg, long min,
	       long max, long *out);
int parse_double(struct diag *err, const char *opt, const char *arg,
		 double min, double max, double *out);
int parse_size(struct diag *err, const char *opt, const char *arg,
	       uint64_t min, uint64_t max, uint64_t *out);
int parse_units(struct diag *err, const char *opt, const char *arg,
		uint64_t unit_bytes, uint64_t min_bytes, uint64_t max_bytes,
		uint64_t *bytes);
int parse_mib(struct diag *err, const char *opt, const char *arg,
	      uint64_t min_bytes, uint64_t max_bytes, uint64_t *bytes);

/*
 * The tidy CSV writer. Each row goes out with one write(2) of a complete
 * line, so an interrupt or crash leaves only whole rows and a valid CSV;
 * a write cut short (a full disk) is cut off again on a regular file, so
 * every error path leaves whole rows too.
 * Columns: platform,benchmark,metric,value,unit,run,better,config,host,
 * timestamp.
 */
struct rows {
	int fd;
	int is_stdout;
	const struct bench_common *common;
	const char *cmd;	/* subcommand, for messages */
	char benchmark[64];
	char host[256];
	unsigned long n_rows;
	int has_failed;		/* a write failed (reported once) */
	int is_regular;		/* fd is a regular file: a cut row is undone */
};

/* Open -o FILE (or stdout) and write the header. Returns 0 or -1 (message
 * printed). */
int rows_open(struct rows *r, const char *cmd, const char *benchmark,
	      const struct bench_common *c);

/* One row; run < 0 leaves the run column empty; better is "lower",
 * "higher" or NULL. Returns 0 or -1 on a write error. */
int rows_add(struct rows *r, const char *metric, double value,
	     const char *unit, long run, const char *better);

/* Close; with -o FILE also write FILE's .meta.json sidecar (host facts,
 * command line). Returns 0 or -1. */
int rows_close(struct rows *r, int argc, char **argv);

/*
 * One repetition of a benchmark. run is the 0-based index of a measured
 * run, or -1 for a warm-up (whose rows are discarded: out is NULL).
 * *main_metric receives the value --until-ci watches. Returns 0, or a
 * non-zero exit status to stop (the function printed why).
 */
typedef int (*bench_run_fn)(void *ctx, long run, struct rows *out,
			    double *main_metric);

/*
 * The repetition loop: --warmup warm-ups, then --runs runs (default
 * default_runs), or with --until-ci PCT until the 95% t interval of the
 * main metric's mean is within +-PCT% (at least 3 runs, at most
 * --max-runs), saying on stderr how many runs it took. Stops cleanly after
 * the current run on SIGINT/SIGTERM (exit 130). Returns an exit status.
 */
int common_repeat(const struct bench_common *c, const char *cmd,
		  long default_runs, long default_warmup, bench_run_fn fn,
		  void *ctx, struct rows *out);

/*
 * A subcommand's whole measurement: rows_open() with benchmark as the
 * benchmark column, common_repeat(), then rows_close() (argc and argv go
 * to the sidecar). Returns common_repeat's exit status, or 1 when the
 * output cannot be opened, or cannot be closed after a successful run.
 */
int common_measure(const struct bench_common *c, const char *cmd,
		   const char *benchmark, long default_runs,
		   long default_warmup, bench_run_fn fn, void *ctx, int argc,
		   char **argv);

/* Two-sided 95% Student-t quantile for df degrees of freedom. */
double t95(long df);

/* Clocks. */
uint64_t now_ns(void);		/* CLOCK_MONOTONIC */
uint64_t boottime_ns(void);	/* CLOCK_BOOTTIME */
uint64_t tsc_begin(void);	/* serialized rdtsc before the code */
uint64_t tsc_end(void);		/* rdtscp + lfence after the code */

/* Facts about where bench runs, read without requiring /proc or /sys. */
struct host_facts {
	char cpu_model[128];	/* CPUID brand string */
	long n_cpus;		/* online CPUs */
	char kernel[160];	/* uname -r and -v */
	char hostname[128];
	char hypervisor[16];	/* CPUID 0x40000000 signature, "" if none */
	int is_hypervisor_bit;	/* CPUID.1:ECX[31] */
	char sys_hypervisor[64];	/* /sys/hypervisor/type, if any */
	char clocksource[64];	/* current clocksource, if readable */
	int has_proc, has_sys;	/* /proc and /sys mounted */
};

void host_facts_read(struct host_facts *h);
void host_facts_print(FILE *f, const struct host_facts *h);

/* Write s as a JSON string literal (quoted, escaped) to f. */
void json_string(FILE *f, const char *s);

/* Page size, falling back to 4096 when sysconf cannot say. */
long page_size(void);

#endif
