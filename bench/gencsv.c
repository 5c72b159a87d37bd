/*
 * gencsv: writes a synthetic tidy results CSV (docs/data-contract.md, all ten
 * columns) for `make bench`: N rows spread at random over G groups, each
 * group a (platform, benchmark, metric, config) with its own unit, better
 * and typical value, values scattered around it with a 5% log-normal
 * noise. The same seed gives the same bytes, so runs are comparable.
 * --narrow writes only platform,benchmark,metric,value,run (about 30
 * bytes a row: 2 million rows make about 58 MB).
 * --singles writes N groups of one row each, row i being
 * p{i%2},b{i/2},m,{i%7+1} (platform,benchmark,metric,value): a million
 * groups, half of them compared with the other half, for the cost of
 * each output format in the number of groups.
 *
 *   usage: gencsv [--rows N] [--groups G] [--seed S] [--narrow|--singles]
 *                 [-o FILE]
 *
 * Exit status: 0 written, 1 write error, 2 bad usage.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_PLATFORMS 10
#define N_BENCHMARKS 10

struct metric {
	const char *name, *unit, *better;
	double typical;		/* centre of the generated values */
};

static const char *const platforms[N_PLATFORMS] = {
	"native", "container", "qemu-tcg", "qemu-kvm", "qemu-microvm",
	"firecracker", "unikraft-qemu", "hermitcore-kvm", "xen-hvm",
	"cloud-hypervisor"
};

static const char *const benchmarks[N_BENCHMARKS] = {
	"stream", "linpack", "memsweep", "forksum", "syscall", "diskwrite",
	"http", "boot", "imagesize", "time:sha256sum"
};

static const struct metric metrics[] = {
	{ "triad", "MB/s", "higher", 11500 },
	{ "copy", "MB/s", "higher", 9800 },
	{ "kflops", "KFLOPS", "higher", 2.1e6 },
	{ "seconds", "s", "lower", 5.2 },
	{ "getpid", "cycles", "lower", 180 },
	{ "rate", "MB/s", "higher", 420 },
	{ "req_per_s", "req/s", "higher", 35000 },
	{ "vmm_ms", "ms", "lower", 12.5 },
	{ "bytes", "B", "lower", 1.6e6 },
	{ "real", "s", "lower", 0.85 }
};

#define N_METRICS (sizeof(metrics) / sizeof(metrics[0]))

static const char *const hosts[] = { "node01", "node02", "node03", "node04" };

struct options {
	unsigned long rows;
	unsigned long groups;
	uint64_t seed;
	int is_narrow;		/* only the five columns of --narrow */
	int is_singles;		/* one row per group (--singles) */
	const char *output;
};

/* splitmix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): small state, passes BigCrush. */
static uint64_t next_u64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in (0, 1]: 53 random bits, never 0 so log() is safe. */
static double next_unit(uint64_t *state)
{
	return ((double)(next_u64(state) >> 11) + 1.0) / 9007199254740992.0;
}

/* Standard normal by Box-Muller (one of the pair is enough here). */
static double next_gauss(uint64_t *state)
{
	double u = next_unit(state), v = next_unit(state);

	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static void usage(FILE *f)
{
	fputs("usage: gencsv [--rows N] [--groups G] [--seed S] "
	      "[--narrow|--singles] [-o FILE]\n"
	      "\n"
	      "Write a synthetic tidy results CSV (all ten contract columns)\n"
	      "for benchmarking analyze. G must be a multiple of 100.\n"
	      "\n"
	      "  --rows N      data rows (default: 5000000)\n"
	      "  --groups G    groups (default: 1000)\n"
	      "  --seed S      random seed (default: 1)\n"
	      "  --narrow      only platform,benchmark,metric,value,run\n"
	      "  --singles     N groups of one row: p{i%2},b{i/2},m,{i%7+1}\n"
	      "  -o FILE       output file (default: standard output)\n", f);
}

static int parse_count(const char *s, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	unsigned long seed = 1;
	int i;

	o->rows = 5000000;
	o->groups = 1000;
	o->is_narrow = 0;
	o->is_singles = 0;
	o->output = NULL;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		}
		if (!strcmp(a, "--narrow")) {
			o->is_narrow = 1;
			continue;
		}
		if (!strcmp(a, "--singles")) {
			o->is_singles = 1;
			continue;
		}
		if (!v || (strcmp(a, "--rows") && strcmp(a, "--groups") &&
			   strcmp(a, "--seed") && strcmp(a, "-o"))) {
			fprintf(stderr, "gencsv: unknown option or missing "
				"value '%s'\ntry 'gencsv --help'\n", a);
			return -1;
		}
		i++;
		if ((!strcmp(a, "--rows") && parse_count(v, &o->rows)) ||
		    (!strcmp(a, "--groups") && parse_count(v, &o->groups)) ||
		    (!strcmp(a, "--seed") && parse_count(v, &seed))) {
			fprintf(stderr, "gencsv: '%s' is not a count for %s\n"
				"try 'gencsv --help'\n", v, a);
			return -1;
		}
		if (!strcmp(a, "-o"))
			o->output = v;
	}
	if (o->groups == 0 || o->groups % 100) {
		fprintf(stderr, "gencsv: --groups must be a positive multiple "
			"of 100\ntry 'gencsv --help'\n");
		return -1;
	}
	o->seed = seed;
	return 0;
}

/* Group g: platform g % 10, benchmark g / 10 % 10, metric g / 100 (its
 * name numbered past the ten named ones), config set on a third of them. */
static void write_row(FILE *f, const struct options *o, unsigned long g,
		      unsigned long run, double value, const char *host,
		      const char *stamp)
{
	const struct metric *m = &metrics[(g / 100) % N_METRICS];
	unsigned long round = g / (100 * N_METRICS);

	fprintf(f, "%s,%s,%s", platforms[g % N_PLATFORMS],
		benchmarks[(g / N_PLATFORMS) % N_BENCHMARKS], m->name);
	if (round)
		fprintf(f, "%lu", round);
	if (o->is_narrow)
		fprintf(f, ",%.6g,%lu\n", value, run);
	else
		fprintf(f, ",%.6g,%s,%lu,%s,%s,%s,%s\n", value, m->unit, run,
			m->better, g % 3 == 0 ? "threads=4" : "", host, stamp);
}

/* --singles: row i is group i, platforms p0 and p1 paired by benchmark. */
static void generate_singles(FILE *f, const struct options *o)
{
	unsigned long i;

	fputs("platform,benchmark,metric,value\n", f);
	for (i = 0; i < o->rows; i++)
		fprintf(f, "p%lu,b%lu,m,%lu\n", i % 2, i / 2, i % 7 + 1);
}

static int generate(FILE *f, const struct options *o)
{
	uint64_t state = o->seed;
	unsigned long *runs = calloc(o->groups, sizeof(*runs));
	double *scale = malloc(o->groups * sizeof(*scale));
	time_t t0 = 1764072000;	/* 2025-11-25T12:00:00Z */
	unsigned long i, g;
	char stamp[32];
	struct tm tm;

	if (!runs || !scale) {
		fputs("gencsv: out of memory\n", stderr);
		free(runs);
		free(scale);
		return 1;
	}
	for (g = 0; g < o->groups; g++)
		scale[g] = metrics[(g / 100) % N_METRICS].typical *
			   (0.5 + next_unit(&state));
	fputs(o->is_narrow ? "platform,benchmark,metric,value,run\n" :
	      "platform,benchmark,metric,value,unit,run,better,config,host,"
	      "timestamp\n", f);
	for (i = 0; i < o->rows; i++) {
		time_t t = t0 + (time_t)(i / 50);

		g = (unsigned long)(next_u64(&state) % o->groups);
		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		write_row(f, o, g, runs[g]++,
			  scale[g] * exp(0.05 * next_gauss(&state)),
			  hosts[i % 4], stamp);
	}
	free(runs);
	free(scale);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	FILE *f = stdout;
	int status;

	if (parse_args(argc, argv, &o))
		return 2;
	if (o.output && !(f = fopen(o.output, "w"))) {
		fprintf(stderr, "gencsv: cannot create '%s': %s\n", o.output,
			strerror(errno));
		return 1;
	}
	if (o.is_singles) {
		generate_singles(f, &o);
		status = 0;
	} else {
		status = generate(f, &o);
	}
	if (ferror(f) | (f != stdout ? fclose(f) : fflush(f))) {
		fprintf(stderr, "gencsv: write error: %s\n", strerror(errno));
		return 1;
	}
	return status;
}
