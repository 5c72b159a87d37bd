/*
 * imagesize: the size of kernels, unikernel images and binaries: bytes on
 * disk, and for ELF files text, data and bss summed over the section
 * headers exactly as binutils' size(1) does in its default Berkeley format
 * (EuroSys'21 fig_08 draws these). ELF32 and ELF64 of either byte order
 * are read here directly (bench links no libelf).
 *
 * Every file is read and checked before the first row, so a bad file is
 * exit 2 with no rows. Owns nothing beyond one call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"

#define IMG_CMD "imagesize"

/* ELF constants (System V gABI, "ELF Header" and "Sections"). */
enum {
	ELF_CLASS32 = 1, ELF_CLASS64 = 2,
	ELF_DATA_LSB = 1, ELF_DATA_MSB = 2,
	ELF_SHT_NOBITS = 8,
	ELF_SHF_WRITE = 0x1, ELF_SHF_ALLOC = 0x2, ELF_SHF_EXECINSTR = 0x4,
	ELF_PT_LOAD = 1, ELF_PF_X = 0x1, ELF_PF_W = 0x2
};

enum img_kind { IMG_ELF, IMG_BZIMAGE, IMG_OTHER };

struct img_size {
	const char *path;	/* borrowed from argv */
	enum img_kind kind;
	uint64_t bytes, text, data, bss;
	int is_from_phdrs;	/* no section headers: from PT_LOAD */
};

/* An open ELF file: its descriptor, size and the layout of its header. */
struct elf_file {
	int fd;
	uint64_t size;
	int is_64, is_msb;
};

static const char img_intro[] =
	"usage: bench imagesize [options] FILE...\n"
	"\n"
	"Reports for each FILE (rows with config 'file=<basename>', prefixed\n"
	"by --config and a space when given; unit B, better lower):\n"
	"  bytes  the file's size (st_size);\n"
	"  text   for ELF files: the sum of the sizes of the sections that are\n"
	"         allocated (SHF_ALLOC) and executable or read-only;\n"
	"  data   allocated, writable sections with contents (not NOBITS);\n"
	"  bss    allocated, writable NOBITS sections (.bss, .tbss).\n"
	"text, data and bss are what 'size' (binutils, Berkeley format)\n"
	"prints. ELF32 and ELF64, little and big endian. Without section\n"
	"headers they are summed over the PT_LOAD segments instead (size\n"
	"prints 0 0 0 there), and stderr says so. A file that is not ELF\n"
	"(a bzImage kernel, a disk image) gets bytes only, and stderr says\n"
	"so. Sizes do not vary: each FILE is read once, run 0.\n"
	"\n"
	"Example: bench imagesize /boot/vmlinuz-$(uname -r) build/app.elf\n"
	"\n"
	"Options: the common ones below; --runs, --warmup and --until-ci\n"
	"are refused.\n";

static const struct opt_spec img_options[] = {
	COMMON_VERSION_ROW,
};

static const char img_exit_help[] =
	"\n"
	"Exit status: 0 success; 1 a read or write failed; 2 bad usage, a\n"
	"FILE missing or not a regular file, or a malformed ELF file, no row\n"
	"written.\n";

static const struct bench_doc img_doc = {
	IMG_CMD, img_intro, OPT_TABLE(img_options), 23, "", img_exit_help, 1,
	BENCH_OPERANDS_ANY
};

/* Read n bytes at off; returns 0, or -1 (short file or I/O error, with
 * errno 0 for a short file). */
static int read_at(const struct elf_file *f, void *buf, size_t n,
		   uint64_t off)
{
	size_t done = 0;

	if (off > f->size || n > f->size - off) {
		errno = 0;
		return -1;
	}
	while (done < n) {
		ssize_t r = pread(f->fd, (char *)buf + done, n - done,
				  (off_t)(off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = 0;
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

/* Unsigned field of width bytes at p in the file's byte order. */
static uint64_t field(const struct elf_file *f, const unsigned char *p,
		      int width)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < width; i++)
		v |= (uint64_t)p[f->is_msb ? width - 1 - i : i] << (8 * i);
	return v;
}

/* A word (ELF32: 4 bytes) or an address/offset/xword (ELF64: 8 bytes). */
static uint64_t addr_field(const struct elf_file *f, const unsigned char *p)
{
	return field(f, p, f->is_64 ? 8 : 4);
}

static int img_fail(const char *path, const char *what)
{
	bench_error(IMG_CMD, "%s: %s", path, what);
	return EXIT_BADINPUT;
}

static int read_fail(const char *path, const char *what)
{
	if (errno == 0)
		return img_fail(path, what);
	bench_error(IMG_CMD, "%s: cannot read: %s", path, strerror(errno));
	return EXIT_RUNTIME;
}

/*
 * binutils size.c berkeley_sum(): a section counts only if SEC_ALLOC; it is
 * text if SEC_CODE or SEC_READONLY, else data if SEC_HAS_CONTENTS, else
 * bss. BFD's _bfd_elf_make_section_from_shdr() maps SHF_ALLOC to
 * SEC_ALLOC, SHF_EXECINSTR to SEC_CODE, no SHF_WRITE to SEC_READONLY and
 * every type but SHT_NOBITS to SEC_HAS_CONTENTS.
 */
static void berkeley_add(struct img_size *s, uint64_t flags, uint64_t type,
			 uint64_t size)
{
	if (!(flags & ELF_SHF_ALLOC))
		return;
	if ((flags & ELF_SHF_EXECINSTR) || !(flags & ELF_SHF_WRITE))
		s->text += size;
	else if (type != ELF_SHT_NOBITS)
		s->data += size;
	else
		s->bss += size;
}

/*
 * No section headers (stripped by sstrip, some unikernel images): size(1)
 * then prints 0 0 0, which hides the image. We sum the PT_LOAD segments
 * instead, with the Berkeley rules applied to each as if it were a
 * section: p_filesz with contents and p_memsz - p_filesz without,
 * executable if PF_X, writable if PF_W. explain() says so on stderr.
 */
static int sum_phdrs(const struct elf_file *f, const unsigned char *eh,
		     struct img_size *s)
{
	uint64_t off = addr_field(f, eh + (f->is_64 ? 32 : 28));
	uint64_t entsize = field(f, eh + (f->is_64 ? 54 : 42), 2);
	uint64_t n = field(f, eh + (f->is_64 ? 56 : 44), 2), i;
	unsigned char ph[56];

	if (n && entsize != (f->is_64 ? 56u : 32u))
		return img_fail(s->path, "bad program header entry size");
	s->is_from_phdrs = 1;
	for (i = 0; i < n; i++) {
		uint64_t flags, filesz, memsz, sec_flags;

		if (read_at(f, ph, entsize, off + i * entsize))
			return read_fail(s->path, "truncated program headers");
		if (field(f, ph, 4) != ELF_PT_LOAD)
			continue;
		flags = field(f, ph + (f->is_64 ? 4 : 24), 4);
		filesz = addr_field(f, ph + (f->is_64 ? 32 : 16));
		memsz = addr_field(f, ph + (f->is_64 ? 40 : 20));
		sec_flags = ELF_SHF_ALLOC |
			    (flags & ELF_PF_X ? ELF_SHF_EXECINSTR : 0) |
			    (flags & ELF_PF_W ? ELF_SHF_WRITE : 0);
		berkeley_add(s, sec_flags, 0, filesz);
		if (memsz > filesz)
			berkeley_add(s, sec_flags, ELF_SHT_NOBITS,
				     memsz - filesz);
	}
	return 0;
}

/* Sum the section headers of an ELF file into s. Returns 0 or an exit
 * status after printing why. */
static int sum_elf(const struct elf_file *f, const unsigned char *eh,
		   struct img_size *s)
{
	uint64_t shoff = addr_field(f, eh + (f->is_64 ? 40 : 32));
	uint64_t entsize = field(f, eh + (f->is_64 ? 58 : 46), 2);
	uint64_t n = field(f, eh + (f->is_64 ? 60 : 48), 2), i;
	unsigned char sh[64];

	if (shoff == 0)
		return sum_phdrs(f, eh, s);
	if (entsize != (f->is_64 ? 64u : 40u))
		return img_fail(s->path, "bad section header entry size");
	if (n == 0) {	/* >= 0xff00 sections: the count is sh_size of 0 */
		if (read_at(f, sh, entsize, shoff))
			return read_fail(s->path, "truncated section headers");
		n = addr_field(f, sh + (f->is_64 ? 32 : 20));
	}
	if (n > f->size / entsize)
		return img_fail(s->path, "section header count exceeds the "
				"file (truncated?)");
	for (i = 0; i < n; i++) {
		uint64_t type, flags, size;

		if (read_at(f, sh, entsize, shoff + i * entsize))
			return read_fail(s->path, "truncated section headers");
		type = field(f, sh + 4, 4);
		flags = f->is_64 ? field(f, sh + 8, 8) : field(f, sh + 8, 4);
		size = addr_field(f, sh + (f->is_64 ? 32 : 20));
		berkeley_add(s, flags, type, size);
	}
	return 0;
}

/*
 * Look at the start of the file: ELF (then sum it), a Linux bzImage (the
 * boot protocol's "HdrS" magic at 0x202), or anything else.
 */
static int measure_file(int fd, struct img_size *s)
{
	struct elf_file f = { fd, s->bytes, 0, 0 };
	unsigned char eh[64] = { 0 };
	ssize_t got;

	got = pread(fd, eh, sizeof(eh), 0);
	if (got < 0)
		return read_fail(s->path, "truncated file");
	s->kind = IMG_OTHER;
	if (got >= 16 && !memcmp(eh, "\177ELF", 4)) {
		if (eh[4] != ELF_CLASS32 && eh[4] != ELF_CLASS64)
			return img_fail(s->path, "unknown ELF class (byte 4)");
		if (eh[5] != ELF_DATA_LSB && eh[5] != ELF_DATA_MSB)
			return img_fail(s->path, "unknown ELF data encoding "
					"(byte 5)");
		f.is_64 = eh[4] == ELF_CLASS64;
		f.is_msb = eh[5] == ELF_DATA_MSB;
		if (got < (f.is_64 ? 64 : 52))
			return img_fail(s->path, "truncated ELF header");
		s->kind = IMG_ELF;
		return sum_elf(&f, eh, s);
	}
	if (s->bytes >= 0x206) {
		unsigned char magic[4];

		if (read_at(&f, magic, 4, 0x202))
			return read_fail(s->path, "truncated file");
		if (!memcmp(magic, "HdrS", 4))
			s->kind = IMG_BZIMAGE;
	}
	return 0;
}

static int measure(struct img_size *s)
{
	struct stat st;
	int fd, rc;

	fd = open(s->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		bench_error(IMG_CMD, "%s: cannot open: %s", s->path,
			    strerror(errno));
		return errno == ENOENT || errno == ENOTDIR ||
		       errno == EACCES ? EXIT_BADINPUT : EXIT_RUNTIME;
	}
	if (fstat(fd, &st) != 0) {
		bench_error(IMG_CMD, "%s: %s", s->path, strerror(errno));
		close(fd);
		return EXIT_RUNTIME;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return img_fail(s->path, "not a regular file");
	}
	s->bytes = (uint64_t)st.st_size;
	rc = measure_file(fd, s);
	close(fd);
	return rc;
}

static void explain(const struct img_size *s)
{
	if (s->kind == IMG_BZIMAGE)
		bench_error(IMG_CMD, "%s: a Linux bzImage, not ELF: bytes only",
			    s->path);
	else if (s->kind == IMG_OTHER)
		bench_error(IMG_CMD, "%s: not an ELF file: bytes only",
			    s->path);
	else if (s->is_from_phdrs)
		bench_error(IMG_CMD, "%s: no section headers: text, data and "
			    "bss from the PT_LOAD program headers", s->path);
}

/* Write the rows of s, config "[CONFIG ]file=<basename>". */
static int write_rows(struct rows *r, struct bench_common *c,
		      const char *user_config, const struct img_size *s)
{
	const char *base = strrchr(s->path, '/');
	char config[512];
	int rc;

	base = base ? base + 1 : s->path;
	snprintf(config, sizeof(config), "%s%sfile=%s", user_config,
		 *user_config ? " " : "", base);
	c->config = config;	/* r reads it through its const pointer */
	rc = rows_add(r, "bytes", (double)s->bytes, "B", 0, "lower");
	if (!rc && s->kind == IMG_ELF)
		rc = rows_add(r, "text", (double)s->text, "B", 0, "lower") ||
		     rows_add(r, "data", (double)s->data, "B", 0, "lower") ||
		     rows_add(r, "bss", (double)s->bss, "B", 0, "lower");
	c->config = user_config;
	return rc ? -1 : 0;
}

/* Where parse_options puts the files. */
struct img_files {
	struct img_size *sizes;
	int n;
};

static int img_file(void *ctx, int id, const char *name, const char *v,
		    struct diag *err)
{
	struct img_files *f = ctx;

	(void)id;	/* only operands: imagesize has no options of its own */
	(void)name;
	(void)err;
	f->sizes[f->n++].path = v;
	return 0;
}

/*
 * Options may come before, between and after the files ("--" ends them).
 * The files are stored in sizes[*n] (sizes has argc entries). Returns 0,
 * 1 after --help or -1 after a usage error.
 */
static int parse_options(int argc, char **argv, struct bench_common *c,
			 struct img_size *sizes, int *n)
{
	struct img_files files = { sizes, 0 };
	int status;

	if (common_parse(c, &img_doc, argc, argv, img_file, &files, NULL,
			 &status))
		return status ? -1 : 1;
	*n = files.n;
	if (*n == 0) {
		usage_error(IMG_CMD, "no FILE given");
		return -1;
	}
	if (c->runs || c->warmup >= 0 || c->until_ci_pct > 0) {
		usage_error(IMG_CMD, "--runs, --warmup and --until-ci do not "
			    "apply: file sizes do not vary between runs");
		return -1;
	}
	return 0;
}

int cmd_imagesize(int argc, char **argv)
{
	struct bench_common c;
	struct img_size *sizes;
	const char *user_config;
	struct rows rows;
	int n = 0, i, rc;

	common_init(&c);
	sizes = calloc((size_t)argc, sizeof(*sizes));
	if (!sizes) {
		bench_error(IMG_CMD, "out of memory");
		return EXIT_RUNTIME;
	}
	rc = parse_options(argc, argv, &c, sizes, &n);
	if (rc) {
		free(sizes);
		return rc > 0 ? EXIT_OK : EXIT_BADINPUT;
	}
	if (common_checked(&c)) {
		free(sizes);
		return EXIT_OK;
	}
	for (i = 0; i < n && !rc; i++)
		rc = measure(&sizes[i]);
	if (rc || rows_open(&rows, IMG_CMD, "imagesize", &c)) {
		free(sizes);
		return rc ? rc : EXIT_RUNTIME;
	}
	user_config = c.config;
	for (i = 0; i < n && !rc; i++) {
		explain(&sizes[i]);
		if (write_rows(&rows, &c, user_config, &sizes[i]))
			rc = EXIT_RUNTIME;
	}
	if (rows_close(&rows, argc, argv) && !rc)
		rc = EXIT_RUNTIME;
	free(sizes);
	return rc;
}
