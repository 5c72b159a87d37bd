/*
 * bench: main() and the command table. Dispatches "bench SUB ARGS..." to
 * cmd_SUB. When started as /init (PID 1, or argv[0] ending in "init") it
 * runs the guest job read from the kernel command line (cmd_guest).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"
#include "suggest.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* Sorted by name; one row per runners/<name>.c. */
static const struct command commands[] = {
	{ "boot", cmd_boot, "boot time of a VM: vmm_ms, guest_ms, total_ms" },
	{ "diskwrite", cmd_diskwrite, "sequential write of a file with fsync, MB/s" },
	{ "forksum", cmd_forksum, "sum of a range by a tree of processes (or threads), seconds" },
	{ "guest", cmd_guest, "run a job as /init of a VM or container" },
	{ "http", cmd_http, "HTTP/1.1 keep-alive load: req/s and latency percentiles" },
	{ "imagesize", cmd_imagesize, "file size and ELF text/data/bss of kernels and images" },
	{ "linpack", cmd_linpack, "classic LINPACK (dgefa/dgesl) KFLOPS and residual" },
	{ "memfloor", cmd_memfloor, "smallest guest memory that still boots, MiB" },
	{ "memsweep", cmd_memsweep, "one write per page in a prefetch-defeating order, seconds" },
	{ "serve", cmd_serve, "run a server until told to stop (guest side of bench http runs)" },
	{ "stream", cmd_stream, "STREAM copy/scale/add/triad bandwidth, MB/s" },
	{ "syscall", cmd_syscall, "cycles and ns of getpid, sched_yield, malloc, first page write" },
	{ "time", cmd_time, "run a command N times: real/user/sys seconds per run" },
	{ NULL, NULL, NULL }
};

static const struct command *find_command(const char *name)
{
	const struct command *c;

	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* "unknown command", with the nearest command when one is close. */
static int unknown_command(const char *word)
{
	static const char *const top[] = { "--help", "--version" };
	const char *names[sizeof(commands) / sizeof(commands[0])], *near;
	size_t n = 0;

	if (word[0] == '-') {
		near = suggest_nearest(word, top, 2);
		if (near)
			fprintf(stderr, "bench: unknown option '%s' (did you "
				"mean '%s'?)\n", word, near);
		else
			fprintf(stderr, "bench: unknown option '%s' (before "
				"the command only --help and --version; the "
				"command's options follow it)\n", word);
		fputs("try 'bench --help'\n", stderr);
		return EXIT_BADINPUT;
	}

	while (commands[n].name) {
		names[n] = commands[n].name;
		n++;
	}
	near = suggest_nearest(word, names, n);
	if (near)
		fprintf(stderr, "bench: unknown command '%s' (did you mean "
			"'%s'?)\n", word, near);
	else
		fprintf(stderr, "bench: unknown command '%s'\n", word);
	fputs("try 'bench --help'\n", stderr);
	return EXIT_BADINPUT;
}

static void usage(FILE *f)
{
	const struct command *c;

	fputs("usage: bench <command> [options]\n"
	      "       bench <command> --help\n"
	      "\n"
	      "Runs one benchmark and prints tidy CSV rows (platform,benchmark,"
	      "metric,\nvalue,unit,run,better,config,host,timestamp) that "
	      "'analyze' reads.\n"
	      "\n"
	      "Example: bench stream --runs 5 --platform native -o stream.csv\n"
	      "\n"
	      "Commands:\n", f);
	for (c = commands; c->name; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->summary);
	fputs("\n"
	      "Exit status: 0 success, 1 runtime failure or failed self-check,\n"
	      "2 bad usage. See 'man bench'.\n", f);
}

static int is_init(const char *argv0)
{
	size_t len = strlen(argv0);

	return getpid() == 1 ||
	       (len >= 4 && !strcmp(argv0 + len - 4, "init"));
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc >= 1 && is_init(argv[0]) && find_command("guest"))
		return find_command("guest")->fn(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return EXIT_BADINPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		print_version();
		return EXIT_OK;
	}
	c = find_command(argv[1]);
	if (!c)
		return unknown_command(argv[1]);
	return c->fn(argc - 1, argv + 1);
}
