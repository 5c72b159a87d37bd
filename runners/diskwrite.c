/*
 * diskwrite: sequential write throughput of a file, fsync included, as the
 * course's disk benchmark and `fio --rw=write --bs=1M --end_fsync=1`
 * measure it: a new file in --path, its blocks reserved beforehand as
 * fio's default fallocate=native does, is written from the start in --bs
 * blocks up to --size, then fsync'd; the time from the first write to the
 * return of fsync gives MB/s (10^6 bytes per second). The file is removed
 * after each run, also when the run is interrupted.
 *
 * fio 3.33 times the same span (backend.c:thread_main sets td->start after
 * setup_files has laid the file out and fallocated it; do_io opens it, calls
 * posix_fadvise DONTNEED and SEQUENTIAL, writes, and fio_file_fsync syncs
 * it; update_runtime stops the clock before close_and_free_files closes
 * it), plus microseconds of open and fadvise and a round-up to whole ms
 * (stat.c: bw_bytes = 1000 * io_bytes / runtime_ms). So the open, the
 * close and the unlink stay outside the clock here too.
 */
#define _GNU_SOURCE		/* O_DIRECT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"

#define DISKWRITE_CMD "diskwrite"
/* O_DIRECT needs buffer, offset and length aligned to the logical block
 * size; 4096 covers every common device (512 or 4096). */
#define DISKWRITE_ALIGN 4096

struct diskwrite_opts {
	uint64_t size_bytes;
	uint64_t block_bytes;
	const char *dir;
	int is_direct;
	int is_prealloc;	/* posix_fallocate before timing */
};

struct diskwrite_ctx {
	const struct diskwrite_opts *o;
	unsigned char *block;	/* aligned, block_bytes long */
	char path[4096];	/* the file of the current run */
};

static const char diskwrite_intro[] =
	"usage: bench diskwrite [--size N] [--bs BYTES] [--path DIR] "
	"[--direct]\n"
	"                       [--no-fallocate] [common options]\n"
	"\n"
	"Sequential write throughput with fsync: each run creates a new file\n"
	"in DIR, reserves its blocks with posix_fallocate (untimed, as fio\n"
	"does by default), writes --size bytes to it from the start in --bs\n"
	"blocks (a fixed non-zero pattern, from a page-aligned buffer), calls\n"
	"fsync, closes and removes it. Timed on CLOCK_MONOTONIC: from the\n"
	"first write to the return of fsync; open, fallocate, close and\n"
	"unlink are not. One row per run: metric write, unit MB/s (10^6 bytes\n"
	"per second), better higher.\n"
	"`fio --rw=write --bs=1M --end_fsync=1` times the same span plus its\n"
	"open and two posix_fadvise calls (microseconds), rounded up to a\n"
	"whole millisecond. The writes allocate page cache: in a VM whose\n"
	"balloon hands idle free memory back to the host, a run after a pause\n"
	"pays host page faults and can be several times slower (--warmup 1).\n"
	"The file is removed on Ctrl-C too.\n"
	"\n"
	"Example: bench diskwrite --size 1024 --path /var/tmp --runs 5\n"
	"\n"
	"Options:\n";

enum diskwrite_opt {
	DISKWRITE_OPT_SIZE,
	DISKWRITE_OPT_BS,
	DISKWRITE_OPT_PATH,
	DISKWRITE_OPT_DIRECT,
	DISKWRITE_OPT_NO_FALLOCATE
};

static const struct opt_spec diskwrite_options[] = {
	{ DISKWRITE_OPT_SIZE, 0, "size", "N",
	  "MiB to write, or bytes with a K, M or G suffix\n"
	  "(default: 256)" },
	{ DISKWRITE_OPT_BS, 0, "bs", "BYTES",
	  "block size of each write(2), K/M/G suffixes\n"
	  "(default: 1M)" },
	{ DISKWRITE_OPT_PATH, 0, "path", "DIR",
	  "directory of the file (default: .)" },
	{ DISKWRITE_OPT_DIRECT, 0, "direct", NULL,
	  "open with O_DIRECT (bypass the page cache);\n"
	  "--bs and --size must be multiples of 4096; sets\n"
	  "config to direct unless --config is given" },
	{ DISKWRITE_OPT_NO_FALLOCATE, 0, "no-fallocate", NULL,
	  "do not reserve the blocks first: block\n"
	  "allocation is then timed too (as with dd)" },
	COMMON_VERSION_ROW,
};

static const char diskwrite_exit_help[] =
	"\n"
	"Exit status: 0 success, 1 runtime failure (write error, full disk,\n"
	"O_DIRECT refused), 2 bad usage, DIR missing or not writable or too\n"
	"small for --size (no rows written), 130 interrupted (finished rows\n"
	"kept, file removed).\n";

static const struct bench_doc diskwrite_doc = {
	DISKWRITE_CMD, diskwrite_intro, OPT_TABLE(diskwrite_options), 23,
	"Runs default to 5, warm-ups to 0.\n",
	diskwrite_exit_help, 1, BENCH_OPERANDS_NONE
};

/* ---- one run ------------------------------------------------------------- */

/* Write the whole file; returns 0, -1 on an error (printed), or 1 when
 * interrupted. */
static int write_file(struct diskwrite_ctx *x, int fd)
{
	uint64_t left = x->o->size_bytes;

	while (left) {
		size_t len = left < x->o->block_bytes ? (size_t)left :
			     (size_t)x->o->block_bytes;
		ssize_t n;

		if (bench_interrupted)
			return 1;
		n = write(fd, x->block, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			bench_error(DISKWRITE_CMD, "cannot write '%s': %s%s",
				    x->path, n < 0 ? strerror(errno) :
				    "no progress", x->o->is_direct &&
				    errno == EINVAL ? " (O_DIRECT refused: run "
				    "without --direct)" : "");
			return -1;
		}
		left -= (uint64_t)n;
	}
	if (fsync(fd) == 0)
		return 0;
	bench_error(DISKWRITE_CMD, "cannot fsync '%s': %s", x->path,
		    strerror(errno));
	return -1;
}

/*
 * Reserve the file's blocks before the clock starts, as fio does by default
 * (fallocate=native): the time is then the data's, not the allocator's,
 * and the result comparable with fio's. A file system without fallocate
 * (EOPNOTSUPP) just allocates while writing.
 */
static void prealloc(const struct diskwrite_ctx *x, int fd)
{
	if (x->o->is_prealloc)
		posix_fallocate(fd, 0, (off_t)x->o->size_bytes);
}

static int open_file(struct diskwrite_ctx *x, long run)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
	int fd;

	snprintf(x->path, sizeof(x->path), "%s/.bench-diskwrite.%ld.%ld",
		 x->o->dir, (long)getpid(), run < 0 ? 0 : run + 1);
	if (x->o->is_direct)
		flags |= O_DIRECT;
	fd = open(x->path, flags, 0600);
	if (fd >= 0) {
		prealloc(x, fd);
		return fd;
	}
	if (x->o->is_direct && errno == EINVAL)
		bench_error(DISKWRITE_CMD, "the file system of '%s' refuses "
			    "O_DIRECT (tmpfs does): run without --direct or "
			    "choose another --path", x->o->dir);
	else
		bench_error(DISKWRITE_CMD, "cannot create '%s': %s", x->path,
			    strerror(errno));
	return -1;
}

static int diskwrite_run(void *ctx, long run, struct rows *out,
			 double *main_metric)
{
	struct diskwrite_ctx *x = ctx;
	uint64_t t0, t1;
	int fd, r;

	fd = open_file(x, run);
	if (fd < 0)
		return EXIT_RUNTIME;
	t0 = now_ns();
	r = write_file(x, fd);
	t1 = now_ns();
	if (close(fd) != 0 && r == 0) {
		bench_error(DISKWRITE_CMD, "cannot close '%s': %s", x->path,
			    strerror(errno));
		r = -1;
	}
	if (unlink(x->path) != 0)
		bench_error(DISKWRITE_CMD, "warning: cannot remove '%s': %s",
			    x->path, strerror(errno));
	if (r > 0) {
		bench_error(DISKWRITE_CMD, "interrupted during run %ld; its "
			    "file was removed", run + 1);
		return EXIT_INTERRUPTED;
	}
	if (r < 0)
		return EXIT_RUNTIME;
	*main_metric = 1e-6 * (double)x->o->size_bytes /
		       ((double)(t1 - t0) * 1e-9);
	if (out && rows_add(out, "write", *main_metric, "MB/s", run, "higher"))
		return EXIT_RUNTIME;
	return EXIT_OK;
}

/* Open (and remove) a file once before any row is written, so a file
 * system that refuses O_DIRECT fails the command without a header. */
static int probe_direct(struct diskwrite_ctx *x)
{
	int fd = open_file(x, -1);

	if (fd < 0)
		return -1;
	close(fd);
	unlink(x->path);
	return 0;
}

/* ---- options ------------------------------------------------------------- */

static int check_dir(const struct diskwrite_opts *o)
{
	struct statvfs vfs;
	struct stat st;
	double avail;

	if (stat(o->dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return usage_error(DISKWRITE_CMD, "--path '%s' is not a "
				   "directory", o->dir);
	if (access(o->dir, W_OK | X_OK) != 0)
		return usage_error(DISKWRITE_CMD, "--path '%s' is not "
				   "writable: %s", o->dir, strerror(errno));
	if (o->is_direct && (o->block_bytes % DISKWRITE_ALIGN ||
			     o->size_bytes % DISKWRITE_ALIGN))
		return usage_error(DISKWRITE_CMD, "--direct needs --bs and "
				   "--size to be multiples of %d",
				   DISKWRITE_ALIGN);
	if (statvfs(o->dir, &vfs) == 0) {
		avail = (double)vfs.f_bavail * (double)vfs.f_frsize;
		if ((double)o->size_bytes > avail)
			return usage_error(DISKWRITE_CMD, "--size %.0f MiB "
					   "exceeds the %.0f MiB free in '%s'",
					   (double)o->size_bytes / 1048576,
					   avail / 1048576, o->dir);
	}
	return -1;
}

static int diskwrite_option(void *ctx, int id, const char *name,
			    const char *v, struct diag *err)
{
	struct diskwrite_opts *o = ctx;

	switch ((enum diskwrite_opt)id) {
	case DISKWRITE_OPT_SIZE:
		return parse_mib(err, name, v, 1, (uint64_t)1 << 50,
				 &o->size_bytes);
	case DISKWRITE_OPT_BS:
		return parse_size(err, name, v, 512, 1ULL << 30,
				  &o->block_bytes);
	case DISKWRITE_OPT_PATH: o->dir = v; return 0;
	case DISKWRITE_OPT_DIRECT: o->is_direct = 1; return 0;
	case DISKWRITE_OPT_NO_FALLOCATE: o->is_prealloc = 0; return 0;
	}
	return 0;
}

/* Returns -1 to go on, else the exit status (0 after --help). */
static int diskwrite_parse(int argc, char **argv, struct bench_common *c,
			   struct diskwrite_opts *o)
{
	int status;

	o->size_bytes = 256ULL << 20;
	o->block_bytes = 1ULL << 20;
	o->dir = ".";
	o->is_direct = 0;
	o->is_prealloc = 1;
	if (common_parse(c, &diskwrite_doc, argc, argv, diskwrite_option, o,
			 NULL, &status))
		return status;
	if (o->is_direct && !*c->config)
		c->config = "direct";
	return check_dir(o);
}

int cmd_diskwrite(int argc, char **argv)
{
	struct bench_common c;
	struct diskwrite_opts o;
	struct diskwrite_ctx x;
	void *block = NULL;
	int status;

	common_init(&c);
	status = diskwrite_parse(argc, argv, &c, &o);
	if (status >= 0)
		return status;
	if (common_checked(&c))
		return EXIT_OK;
	if (posix_memalign(&block, DISKWRITE_ALIGN, (size_t)o.block_bytes)) {
		bench_error(DISKWRITE_CMD, "out of memory for a %llu-byte "
			    "block", (unsigned long long)o.block_bytes);
		return EXIT_RUNTIME;
	}
	memset(&x, 0, sizeof(x));
	x.o = &o;
	x.block = block;
	/* Non-zero, non-repeating within 251 bytes: no file system can
	 * store it as a hole or a trivially compressed run. */
	for (size_t i = 0; i < o.block_bytes; i++)
		x.block[i] = (unsigned char)(1 + (i * 7) % 251);
	status = EXIT_RUNTIME;
	if (o.is_direct && probe_direct(&x))
		goto fail;
	status = common_measure(&c, DISKWRITE_CMD, "diskwrite", 5, 0,
				diskwrite_run, &x, argc, argv);
fail:
	free(block);
	return status;
}
