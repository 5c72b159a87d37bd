/*
 * bench: one static multi-call binary with every benchmark the source
 * documents ran. Each subcommand prints tidy CSV (docs/data-contract.md) and
 * validates its own result.
 *
 * Adding a runner (git's builtin.h checklist):
 *  1. runners/<name>.c exporting only int cmd_<name>(int argc, char **argv);
 *     everything else in it static.
 *  2. Its declaration below, in alphabetical order.
 *  3. A row in commands[] of runners/bench.c, in alphabetical order, with a
 *     one-line summary.
 *  4. Its --help: what exactly is measured, in which unit, the options with
 *     defaults (its text and its exit statuses 0/1/2 in a struct
 *     bench_doc; common_word() prints them around common_options_help and
 *     handles --version and the common options; unknown_option() words
 *     the error for the rest); then common_measure() runs and writes it.
 *  5. A section in man/bench.1 (SYNOPSIS line and DESCRIPTION entry).
 *  6. Tests in tests/e2e/2x-<name>.sh: runs at a small size, asserts its
 *     self-check, bad options exit 2, the CSV loads in analyze (the
 *     helpers of tests/e2e/lib/common.sh: bench_help, bench_usage,
 *     whole_rows, interrupt, man_synopsis).
 * The Makefile picks up every runners/NAME.c by itself.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

int cmd_boot(int argc, char **argv);
int cmd_diskwrite(int argc, char **argv);
int cmd_forksum(int argc, char **argv);
int cmd_guest(int argc, char **argv);
int cmd_http(int argc, char **argv);
int cmd_imagesize(int argc, char **argv);
int cmd_linpack(int argc, char **argv);
int cmd_memfloor(int argc, char **argv);
int cmd_memsweep(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_stream(int argc, char **argv);
int cmd_syscall(int argc, char **argv);
int cmd_time(int argc, char **argv);

#endif
