/*
 * campaign: main(), the command line, and the exit status (0 ok, 1 a run
 * failed or a runtime error, 2 bad usage or a bad campaign/platform file,
 * 130 interrupted).
 */
#define _GNU_SOURCE		/* strdup */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign.h"

volatile sig_atomic_t campaign_interrupted;

static const char usage_text[] =
	"usage: campaign platforms [--platforms-dir DIR] [--kernel FILE] [--no-probe]\n"
	"       campaign run [options] FILE.json\n"
	"       campaign image [--kernel FILE] [--with PROGRAM]... DIR\n"
	"\n"
	"Runs the static 'bench' on every platform of a campaign (natively, in\n"
	"Linux namespaces, in an OCI runtime, as /init of a QEMU VM) for each\n"
	"benchmark and repetition, and writes one tidy CSV plus OUT.meta.json\n"
	"with the exact command lines and the accelerator evidence of every\n"
	"VM run (QMP query-kvm, guest CPUID signature, timing canary). A KVM\n"
	"platform never falls back to TCG: a run that did not get KVM fails.\n"
	"'platforms' lists each definition (runners/platforms/*.json) and\n"
	"whether it can run here, with the reason when not; a KVM VM\n"
	"platform must also boot once with KVM shown in QMP and CPUID (skip\n"
	"that with --no-probe). 'image' writes\n"
	"DIR/initramfs.cpio (/init = bench) and DIR/vmlinux (the guest\n"
	"kernel, uncompressed) for running 'bench boot' or a VMM by hand.\n"
	"A benchmark with \"serve\": \"NAME\" runs the server of\n"
	"runners/servers/NAME.json on the platform ('bench serve') and its\n"
	"bench client (bench http) on the host against it: natively on a free\n"
	"loopback port, in the container's network namespace, in a VM\n"
	"through QEMU user networking forwarded to 127.0.0.1.\n"
	"\n"
	"Example: campaign run campaigns/boot.json -o boot.csv --progress\n"
	"\n"
	"Options of 'run':\n"
	"  -o, --output FILE       the CSV (default: FILE.json's base name\n"
	"                          with .csv, in the current directory)\n"
	"      --resume            continue an interrupted campaign in FILE:\n"
	"                          only units (repetition, benchmark,\n"
	"                          platform) not yet in it are run\n"
	"      --force             replace an existing output\n"
	"      --timeout S         per-run watchdog in seconds (default: the\n"
	"                          campaign's timeout_s, else the platform's)\n"
	"      --platforms LIST    run only these platforms (comma-separated)\n"
	"      --skip-unavailable  run the platforms that can run here and\n"
	"                          note the others in the meta (default: stop)\n"
	"      --kernel FILE       guest kernel (default: newest\n"
	"                          /boot/vmlinuz-*)\n"
	"      --with PROGRAM      add a dynamically linked host program with\n"
	"                          its loader and shared libraries to the\n"
	"                          images (repeatable)\n"
	"      --platforms-dir DIR platform definitions (default:\n"
	"                          $BENCH_PLATFORMS, else runners/platforms\n"
	"                          beside bin/)\n"
	"      --progress          progress and ETA on standard error even\n"
	"                          when it is not a terminal\n"
	"  -h, --help              show this help\n"
	"      --version           show the version\n"
	"\n"
	"Exit status: 0 every run succeeded; 1 a run failed (see the meta) or\n"
	"a runtime error; 2 bad usage or a bad campaign or platform file;\n"
	"130 interrupted (the CSV keeps the finished units: use --resume).\n";

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("campaign: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\ntry 'campaign --help'\n", stderr);
	return CAMPAIGN_EXIT_USAGE;
}

static void on_signal(int sig)
{
	(void)sig;
	campaign_interrupted = 1;
}

static int cmd_platforms(int argc, char **argv)
{
	static const char *const kinds[] = { "exec", "namespaces", "oci",
					     "vm" };
	const char *dir_opt = NULL, *kernel = NULL;
	struct platform_set set;
	char err[600] = "", kwhy[400] = "", *dir, *found = NULL, *bench;
	size_t i;
	int k, is_probing = 1;

	for (k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--platforms-dir") && k + 1 < argc)
			dir_opt = argv[++k];
		else if (!strcmp(argv[k], "--kernel") && k + 1 < argc)
			kernel = argv[++k];
		else if (!strcmp(argv[k], "--no-probe"))
			is_probing = 0;
		else
			return usage_error("unknown option '%s'", argv[k]);
	}
	dir = dir_opt ? xstrdup(dir_opt) : platform_default_dir(argv[0]);
	if (platform_load_dir(dir, &set, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		free(dir);
		return CAMPAIGN_EXIT_USAGE;
	}
	if (!kernel)
		kernel = found = image_find_kernel(kwhy, sizeof(kwhy));
	for (i = 0; i < set.n; i++)
		platform_check(&set.items[i], kernel, kwhy);
	bench = find_bench(argv[0]);
	if (is_probing && bench)
		run_probe_set(&set, kernel, bench);
	free(bench);
	printf("%-18s %-10s %-5s %-11s %s\n", "PLATFORM", "KIND", "ACCEL",
	       "STATUS", "DETAIL");
	for (i = 0; i < set.n; i++) {
		struct platform *p = &set.items[i];

		printf("%-18s %-10s %-5s %-11s %s\n", p->name,
		       kinds[p->kind], p->accel,
		       p->is_available ? "available" : "unavailable",
		       p->reason);
	}
	printf("\ndefinitions: %s\nguest kernel: %s\n", dir,
	       kernel ? kernel : kwhy);
	platform_set_release(&set);
	free(found);
	free(dir);
	return CAMPAIGN_EXIT_OK;
}

/* Parse the options of 'run' into o; returns -1 or an exit status. */
static int parse_run(int argc, char **argv, struct run_options *o)
{
	static const char *const with_arg[] = { "-o", "--output", "--timeout",
		"--platforms", "--kernel", "--platforms-dir", "--with", NULL };
	const char *const *w;
	char *end;
	int k;

	for (k = 1; k < argc; k++) {
		const char *a = argv[k], *v = NULL;

		for (w = with_arg; *w; w++)
			if (!strcmp(a, *w)) {
				if (k + 1 >= argc)
					return usage_error("option '%s' needs "
							   "a value", a);
				v = argv[++k];
			}
		if (!strcmp(a, "-o") || !strcmp(a, "--output"))
			o->output = v;
		else if (!strcmp(a, "--timeout")) {
			o->timeout_s = strtod(v, &end);
			if (*end || !(o->timeout_s > 0 && o->timeout_s < 1e6))
				return usage_error("--timeout '%s' is not a "
						   "number of seconds > 0", v);
		} else if (!strcmp(a, "--platforms"))
			o->only_platforms = v;
		else if (!strcmp(a, "--kernel"))
			o->kernel = v;
		else if (!strcmp(a, "--platforms-dir"))
			o->platforms_dir = v;
		else if (!strcmp(a, "--with")) {
			o->with = xrealloc(o->with, (size_t)(o->n_with + 1) *
					   sizeof(*o->with));
			o->with[o->n_with++] = (char *)v;
		} else if (!strcmp(a, "--resume"))
			o->is_resume = 1;
		else if (!strcmp(a, "--force"))
			o->is_force = 1;
		else if (!strcmp(a, "--progress"))
			o->is_progress = 1;
		else if (!strcmp(a, "--skip-unavailable"))
			o->skip_unavailable = 1;
		else if (a[0] == '-' && a[1])
			return usage_error("unknown option '%s'", a);
		else if (o->campaign_file)
			return usage_error("more than one campaign file "
					   "('%s')", a);
		else
			o->campaign_file = a;
	}
	if (!o->campaign_file)
		return usage_error("%s", "'run' needs a campaign FILE.json");
	if (o->is_resume && o->is_force)
		return usage_error("%s", "--resume and --force exclude each "
				   "other");
	return -1;
}

/* The --with programs and the guest network's modules of 'image'. */
static int image_extras(struct image_extra *x, const char *kernel,
			char **with, int n_with, char *err, size_t err_size)
{
	static const char *const net_modules[] = { "virtio_pci",
		"virtio_mmio", "virtio_net", NULL };
	char *path;
	int i;

	for (i = 0; i < n_with; i++) {
		path = image_add_program(x, with[i], err, err_size);
		if (!path)
			return -1;
		free(path);
	}
	return n_with ? image_add_modules(x, kernel, net_modules,
					  "/etc/bench/modules", err,
					  err_size) : 0;
}

static int cmd_image(int argc, char **argv)
{
	const char *kernel = NULL, *dir = NULL;
	char err[600] = "", *bench, *found = NULL, *x = NULL, *path;
	char **with = NULL;
	struct image_extra extra = { 0 };
	int k, n_with = 0, rc = CAMPAIGN_EXIT_RUNTIME;

	for (k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--kernel") && k + 1 < argc)
			kernel = argv[++k];
		else if (!strcmp(argv[k], "--with") && k + 1 < argc) {
			with = xrealloc(with, (size_t)(n_with + 1) *
					sizeof(*with));
			with[n_with++] = argv[++k];
		} else if (argv[k][0] == '-' || dir) {
			free(with);
			return usage_error("unexpected '%s'", argv[k]);
		} else
			dir = argv[k];
	}
	if (!dir) {
		free(with);
		return usage_error("%s", "'image' needs a directory");
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "campaign: cannot create '%s': %s\n", dir,
			strerror(errno));
		free(with);
		return CAMPAIGN_EXIT_RUNTIME;
	}
	bench = find_bench(argv[0]);
	if (!kernel)
		kernel = found = image_find_kernel(err, sizeof(err));
	path = xasprintf("%s/initramfs.cpio", dir);
	if (kernel && (x = image_vmlinux(kernel, err, sizeof(err))) &&
	    image_extras(&extra, kernel, with, n_with, err, sizeof(err)) == 0 &&
	    image_initramfs(path, bench, &extra, err, sizeof(err)) == 0) {
		free(path);
		path = xasprintf("%s/vmlinux", dir);
		unlink(path);
		if (symlink(x, path) == 0) {
			printf("%s/initramfs.cpio\n%s -> %s\n", dir, path, x);
			rc = CAMPAIGN_EXIT_OK;
		} else {
			snprintf(err, sizeof(err), "cannot link '%s'", path);
		}
	}
	if (rc)
		fprintf(stderr, "campaign: %s\n", err);
	image_extra_release(&extra);
	free(with);
	free(path);
	free(x);
	free(found);
	free(bench);
	return rc;
}

static char *default_output(const char *file)
{
	const char *base = strrchr(file, '/');
	size_t len;

	base = base ? base + 1 : file;
	len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".json"))
		len -= 5;
	return xasprintf("%.*s.csv", (int)len, base);
}

static int cmd_run(int argc, char **argv, char **all_argv, int all_argc)
{
	struct run_options o = { 0 };
	struct sigaction sa;
	char *out = NULL;
	int rc = parse_run(argc, argv, &o);

	if (rc >= 0) {
		free(o.with);
		return rc;
	}
	if (!o.output)
		o.output = out = default_output(o.campaign_file);
	o.is_progress |= isatty(STDERR_FILENO);
	o.argc = all_argc;
	o.argv = all_argv;
	o.bench = find_bench(all_argv[0]);
	if (!o.bench || access(o.bench, X_OK) != 0) {
		fprintf(stderr, "campaign: cannot find 'bench' beside "
			"'campaign' (%s): run 'make'\n",
			o.bench ? o.bench : "?");
		free((char *)o.bench);
		free(out);
		return CAMPAIGN_EXIT_RUNTIME;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A served run writes "stop" to a guest that may be gone. */
	signal(SIGPIPE, SIG_IGN);
	rc = run_campaign(&o);
	free(o.with);
	free((char *)o.bench);
	free(out);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "missing command (platforms or run)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return CAMPAIGN_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("campaign %s\n", TOOLKIT_VERSION);
		return CAMPAIGN_EXIT_OK;
	}
	if (!strcmp(argv[1], "platforms"))
		return cmd_platforms(argc - 1, argv + 1);
	if (!strcmp(argv[1], "image"))
		return cmd_image(argc - 1, argv + 1);
	if (!strcmp(argv[1], "run")) {
		if (argc > 2 && (!strcmp(argv[2], "-h") ||
				 !strcmp(argv[2], "--help"))) {
			fputs(usage_text, stdout);
			return CAMPAIGN_EXIT_OK;
		}
		return cmd_run(argc - 1, argv + 1, argv, argc);
	}
	return usage_error("unknown command '%s' (platforms or run)",
			   argv[1]);
}
