/*
 * deps: what a host program or a guest network needs in an image. For
 * --with PROGRAM it reads the ELF itself (PT_INTERP, and DT_NEEDED,
 * DT_RPATH, DT_RUNPATH from PT_DYNAMIC) and resolves each library the way
 * the dynamic loader does: RPATH (when there is no RUNPATH), RUNPATH, the
 * directories of /etc/ld.so.conf (its include globs followed), then the
 * loader's built-in directories, taking only x86-64 ELF64 files. Running
 * ldd was rejected: it executes the program's loader on the file, which
 * the ldd man page warns may run code from it, and its output format is
 * not an interface. For the guest network it resolves kernel modules and
 * their dependencies from the guest kernel's modules.dep, in load order.
 */
#define _GNU_SOURCE		/* memrchr */
#include "deps.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "diag.h"
#include "image.h"
#include "path.h"
#include "strbuf.h"
#include "xalloc.h"

/* The loader's own search path (ld.so --help, glibc 2.36 on Debian 12);
 * the guest has no ld.so.cache, so a library found elsewhere on the host
 * goes into the first of these in the image. */
static const char *const loader_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib",
	"/usr/lib", NULL
};

struct elf_deps {
	char *interp;		/* PT_INTERP, or NULL */
	char **needed;		/* DT_NEEDED names */
	size_t n_needed;
	char *rpath, *runpath;	/* ':'-separated, or NULL */
};

static void elf_deps_release(struct elf_deps *d)
{
	size_t i;

	free(d->interp);
	for (i = 0; i < d->n_needed; i++)
		free(d->needed[i]);
	free(d->needed);
	free(d->rpath);
	free(d->runpath);
	memset(d, 0, sizeof(*d));
}

static int is_elf64_x86(const char *data, size_t len)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)(const void *)data;

	return len >= sizeof(*eh) && !memcmp(eh->e_ident, ELFMAG, SELFMAG) &&
	       eh->e_ident[EI_CLASS] == ELFCLASS64 &&
	       eh->e_ident[EI_DATA] == ELFDATA2LSB &&
	       eh->e_machine == EM_X86_64;
}

/* Whether path is an x86-64 ELF64 file (the /lib32 copies are not). */
static int is_elf64_x86_file(const char *path)
{
	char hdr[sizeof(Elf64_Ehdr)];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, hdr, sizeof(hdr)) : -1;

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)sizeof(hdr) && is_elf64_x86(hdr, sizeof(hdr));
}

/* File offset of a virtual address, through the PT_LOAD segments. */
static int vaddr_off(const char *data, size_t len, Elf64_Addr va,
		     size_t *off)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)(const void *)data;
	const Elf64_Phdr *ph;
	int i;

	for (i = 0; i < eh->e_phnum; i++) {
		ph = (const Elf64_Phdr *)(const void *)(data + eh->e_phoff +
			(size_t)i * eh->e_phentsize);
		if (ph->p_type == PT_LOAD && va >= ph->p_vaddr &&
		    va < ph->p_vaddr + ph->p_filesz) {
			*off = (size_t)(va - ph->p_vaddr + ph->p_offset);
			return *off < len ? 0 : -1;
		}
	}
	return -1;
}

/* A NUL-terminated string inside the file, or NULL. */
static const char *str_at(const char *data, size_t len, size_t off)
{
	return off < len && memchr(data + off, '\0', len - off) ?
	       data + off : NULL;
}

static int read_dynamic(const char *data, size_t len, const Elf64_Phdr *ph,
			struct elf_deps *d)
{
	const Elf64_Dyn *dyn;
	size_t n, i, strtab = 0;
	const char *s;

	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
		return -1;
	dyn = (const Elf64_Dyn *)(const void *)(data + ph->p_offset);
	n = ph->p_filesz / sizeof(*dyn);
	for (i = 0; i < n && dyn[i].d_tag != DT_NULL; i++)
		if (dyn[i].d_tag == DT_STRTAB &&
		    vaddr_off(data, len, dyn[i].d_un.d_ptr, &strtab))
			return -1;
	if (!strtab)
		return n ? -1 : 0;
	for (i = 0; i < n && dyn[i].d_tag != DT_NULL; i++) {
		if (dyn[i].d_tag != DT_NEEDED && dyn[i].d_tag != DT_RPATH &&
		    dyn[i].d_tag != DT_RUNPATH)
			continue;
		s = str_at(data, len, strtab + dyn[i].d_un.d_val);
		if (!s)
			return -1;
		if (dyn[i].d_tag == DT_RPATH)
			d->rpath = xstrdup(s);
		else if (dyn[i].d_tag == DT_RUNPATH)
			d->runpath = xstrdup(s);
		else {
			d->needed = xrealloc(d->needed, (d->n_needed + 1) *
					     sizeof(*d->needed));
			d->needed[d->n_needed++] = xstrdup(s);
		}
	}
	return 0;
}

/* Read PT_INTERP and the dynamic section of path. 0, or -1 with why. */
static int elf_read(const char *path, struct elf_deps *d, struct diag *err)
{
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	size_t len = 0;
	char *data = image_read_file(path, &len);
	const char *s;
	int i, rc = -1;

	memset(d, 0, sizeof(*d));
	if (!data) {
		diag_set(err, NULL, 0, "cannot read '%s': %s", path,
			 strerror(errno));
		return -1;
	}
	eh = (const Elf64_Ehdr *)(const void *)data;
	if (!is_elf64_x86(data, len) || eh->e_phentsize != sizeof(*ph) ||
	    eh->e_phoff > len || (size_t)eh->e_phnum * sizeof(*ph) >
	    len - eh->e_phoff) {
		diag_set(err, NULL, 0, "'%s' is not an x86-64 ELF64 file",
			 path);
		goto out;
	}
	for (i = 0; i < eh->e_phnum; i++) {
		ph = (const Elf64_Phdr *)(const void *)(data + eh->e_phoff +
			(size_t)i * sizeof(*ph));
		if (ph->p_type == PT_INTERP &&
		    (s = str_at(data, len, ph->p_offset)))
			d->interp = xstrdup(s);
		else if (ph->p_type == PT_DYNAMIC &&
			 read_dynamic(data, len, ph, d)) {
			diag_set(err, NULL, 0, "'%s': malformed dynamic "
				 "section", path);
			goto out;
		}
	}
	rc = 0;
out:
	free(data);
	if (rc)
		elf_deps_release(d);
	return rc;
}

/* ---- the search path ----------------------------------------------------- */

static void add_dir(struct strbuf *dirs, const char *dir, size_t len)
{
	if (!len)
		return;
	if (dirs->len)
		strbuf_add(dirs, ":", 1);
	strbuf_add(dirs, dir, len);
}

/* Directories of an ld.so.conf file (include globs followed). */
static void read_ld_conf(const char *path, struct strbuf *dirs, int depth)
{
	FILE *f = depth < 4 ? fopen(path, "re") : NULL;
	char line[1024], *p, *end;
	glob_t g;
	size_t i;

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "#\r\n")] = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		*end = '\0';
		if (!strncmp(p, "include", 7) && (p[7] == ' ' || p[7] == '\t')) {
			for (p += 8; *p == ' ' || *p == '\t'; p++)
				;
			if (glob(p, 0, NULL, &g) == 0) {
				for (i = 0; i < g.gl_pathc; i++)
					read_ld_conf(g.gl_pathv[i], dirs,
						     depth + 1);
				globfree(&g);
			}
		} else if (*p == '/') {
			add_dir(dirs, p, strlen(p));
		}
	}
	if (f)
		fclose(f);
}

/* Append a DT_RPATH/RUNPATH list with $ORIGIN replaced by origin. */
static void add_paths(struct strbuf *dirs, const char *list,
		      const char *origin)
{
	struct strbuf one = { 0 };
	const char *p = list, *colon;

	while (list && *p) {
		colon = strchr(p, ':');
		if (!colon)
			colon = p + strlen(p);
		strbuf_release(&one);
		strbuf_add(&one, "", 0);
		if (!strncmp(p, "$ORIGIN", 7) || !strncmp(p, "${ORIGIN}", 9)) {
			strbuf_addstr(&one, origin);
			p += p[1] == '{' ? 9 : 7;
		}
		strbuf_add(&one, p, (size_t)(colon - p));
		add_dir(dirs, one.buf, one.len);
		p = *colon ? colon + 1 : colon;
	}
	strbuf_release(&one);
}

static int is_loader_dir(const char *dir, size_t len)
{
	const char *const *d;

	for (d = loader_dirs; *d; d++)
		if (strlen(*d) == len && !strncmp(*d, dir, len))
			return 1;
	return 0;
}

/*
 * Find library name for the object at path. Returns the host path
 * (caller frees) and in *guest where it goes in the image (caller frees),
 * or NULL.
 */
static char *find_library(const char *name, const char *path,
			  const struct elf_deps *d, char **guest)
{
	struct strbuf dirs = { 0 };
	char *origin = xstrdup(path), *slash = strrchr(origin, '/'), *cand;
	const char *p, *colon, *const *ld;
	size_t n_elf = 0;
	int is_trusted;

	if (slash)
		*slash = '\0';
	strbuf_add(&dirs, "", 0);
	add_paths(&dirs, d->runpath ? NULL : d->rpath, origin);
	add_paths(&dirs, d->runpath, origin);
	n_elf = dirs.len;	/* dirs up to here travel with the ELF */
	read_ld_conf("/etc/ld.so.conf", &dirs, 0);
	for (ld = loader_dirs; *ld; ld++)
		add_dir(&dirs, *ld, strlen(*ld));
	for (p = dirs.buf, cand = NULL; *p && !cand;
	     p = *colon ? colon + 1 : colon) {
		colon = strchr(p, ':');
		if (!colon)
			colon = p + strlen(p);
		cand = xasprintf("%.*s/%s", (int)(colon - p), p, name);
		if (!is_elf64_x86_file(cand)) {
			free(cand);
			cand = NULL;
		} else {
			is_trusted = (size_t)(p - dirs.buf) < n_elf ||
				     is_loader_dir(p, (size_t)(colon - p));
			*guest = is_trusted ? xstrdup(cand) :
				 xasprintf("%s/%s", loader_dirs[0], name);
		}
	}
	strbuf_release(&dirs);
	free(origin);
	return cand;
}

/* Add the libraries object (host path, image path) needs, recursively. */
static int add_needed(struct image_extra *x, const char *host,
		      int depth, struct diag *err)
{
	struct elf_deps d;
	char *lib, *guest = NULL;
	size_t i;
	int rc = 0;

	if (depth > 32) {
		diag_set(err, NULL, 0, "libraries nest too deeply at '%s'",
			 host);
		return -1;
	}
	if (elf_read(host, &d, err))
		return -1;
	for (i = 0; i < d.n_needed && !rc; i++) {
		lib = find_library(d.needed[i], host, &d, &guest);
		if (!lib) {
			diag_set(err, NULL, 0, "'%s' needs '%s', which is in "
				 "none of its RPATH/RUNPATH, /etc/ld.so.conf "
				 "or the loader's directories", host,
				 d.needed[i]);
			rc = -1;
		} else if (!image_has(x, guest)) {
			image_add_file(x, guest, lib, 0755);
			rc = add_needed(x, lib, depth + 1, err);
		}
		free(lib);
		free(guest);
		guest = NULL;
	}
	elf_deps_release(&d);
	return rc;
}

char *deps_add_program(struct image_extra *x, const char *name,
		       struct diag *err)
{
	static const char *const sbin[] = { "/usr/local/sbin", "/usr/sbin",
					    "/sbin", NULL };
	const char *const *s;
	struct elf_deps d;
	char *path = path_search(name);

	for (s = sbin; !path && !strchr(name, '/') && *s; s++) {
		path = xasprintf("%s/%s", *s, name);
		if (access(path, X_OK) != 0) {
			free(path);
			path = NULL;
		}
	}
	if (!path) {
		diag_set(err, NULL, 0, "--with '%s': not found in PATH or "
			 "the sbin directories", name);
		return NULL;
	}
	if (elf_read(path, &d, err))
		goto fail;
	if (image_has(x, path)) {	/* --with and a server's program */
		elf_deps_release(&d);
		return path;
	}
	image_add_file(x, path, path, 0755);
	if (d.interp && !image_has(x, d.interp))
		image_add_file(x, d.interp, d.interp, 0755);
	elf_deps_release(&d);
	if (add_needed(x, path, 0, err) == 0)
		return path;
fail:
	free(path);
	return NULL;
}

/* ---- kernel modules ------------------------------------------------------ */

/* The version string of a bzImage (setup header: "HdrS" at 0x202, the
 * kernel_version pointer at 0x20E, relative to 0x200; Linux's
 * Documentation/arch/x86/boot.rst), else the part after "vmlinuz-" in its
 * name. Caller frees; NULL when neither. */
static char *kernel_version(const char *kernel)
{
	unsigned char hdr[0x8000];
	const char *base = strrchr(kernel, '/');
	int fd = open(kernel, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, hdr, sizeof(hdr)) : -1;
	size_t off, end;

	if (fd >= 0)
		close(fd);
	if (n > 0x210 && !memcmp(hdr + 0x202, "HdrS", 4)) {
		off = 0x200 + (size_t)(hdr[0x20e] | hdr[0x20f] << 8);
		for (end = off; end < (size_t)n && hdr[end] > ' '; end++)
			;
		if (off < (size_t)n && end < (size_t)n && end > off)
			return xasprintf("%.*s", (int)(end - off),
					 (const char *)hdr + off);
	}
	base = base ? base + 1 : kernel;
	return strncmp(base, "vmlinuz-", 8) ? NULL : xstrdup(base + 8);
}

/* Module name of a modules.dep path: its base name without .ko*, with
 * '-' read as '_' (as modprobe does). */
static int is_module(const char *path, size_t len, const char *name)
{
	const char *base = path, *p;
	size_t i, n = strlen(name);

	for (p = path; p < path + len; p++)
		if (*p == '/')
			base = p + 1;
	if ((size_t)(path + len - base) < n + 3 ||
	    strncmp(base + n, ".ko", 3))
		return 0;
	for (i = 0; i < n; i++)
		if (base[i] != name[i] && !((base[i] == '-' && name[i] == '_') ||
					    (base[i] == '_' && name[i] == '-')))
			return 0;
	return 1;
}

/* Whether modules.builtin lists name. */
static int is_builtin(const char *builtin, const char *name)
{
	const char *line = builtin, *eol;

	for (; *line; line = *eol ? eol + 1 : eol) {
		eol = strchr(line, '\n');
		if (!eol)
			eol = line + strlen(line);
		if (is_module(line, (size_t)(eol - line), name))
			return 1;
	}
	return 0;
}

/* The modules.dep line of name (a pointer into dep), or NULL. */
static const char *dep_line(const char *dep, const char *name)
{
	const char *line = dep, *colon;

	for (; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 :
	     line + strlen(line)) {
		colon = strchr(line, ':');
		if (colon && (!strchr(line, '\n') ||
			      colon < strchr(line, '\n')) &&
		    is_module(line, (size_t)(colon - line), name))
			return line;
	}
	return NULL;
}

struct modctx {
	struct image_extra *x;
	const char *dep, *dir;
	struct strbuf list;	/* load order, one image path a line */
	struct diag *err;
};

/* A module file into the image, decompressed (.ko.xz, .ko.zst, .ko.gz)
 * because the guest loads it with finit_module and no flags. */
static int add_module_file(struct modctx *m, const char *rel, size_t len)
{
	char *host = xasprintf("%s/%.*s", m->dir, (int)len, rel), *guest;
	size_t klen = (size_t)(strstr(rel, ".ko") - rel) + 3;
	int rc = 0;

	guest = xasprintf("%s/%.*s", m->dir, (int)klen, rel);
	if (!image_has(m->x, guest)) {
		if (klen == len)
			image_add_file(m->x, guest, host, 0644);
		else
			rc = image_add_unpacked(m->x, guest, host, m->err);
		strbuf_addstr(&m->list, guest);
		strbuf_add(&m->list, "\n", 1);
	}
	free(host);
	free(guest);
	return rc;
}

/* Load order: every dependency (its own line first), then the module. */
static int add_module(struct modctx *m, const char *line, int depth)
{
	const char *colon = strchr(line, ':'), *p, *end, *sub;
	const char *eol = strchr(line, '\n');
	char name[128], *dot;
	size_t len;

	if (!eol)
		eol = line + strlen(line);
	for (p = colon + 1; p < eol && depth < 16; p = end) {
		while (p < eol && *p == ' ')
			p++;
		for (end = p; end < eol && *end != ' '; end++)
			;
		if (end == p)
			break;
		sub = memrchr(p, '/', (size_t)(end - p));
		sub = sub ? sub + 1 : p;
		snprintf(name, sizeof(name), "%.*s", (int)(end - sub), sub);
		if ((dot = strstr(name, ".ko")))
			*dot = '\0';
		sub = dep_line(m->dep, name);
		if (sub && add_module(m, sub, depth + 1))
			return -1;
	}
	len = (size_t)(colon - line);
	return add_module_file(m, line, len);
}

int deps_add_modules(struct image_extra *x, const char *kernel,
		     const char *const *names, const char *list_path,
		     struct diag *err)
{
	struct modctx m = { .x = x, .err = err };
	char *ver = kernel_version(kernel), *dir, *path, *builtin = NULL;
	char *dep;
	const char *line;
	size_t len;
	int rc = -1;

	if (!ver) {
		diag_set(err, NULL, 0, "cannot tell the version of kernel "
			 "'%s' (not a bzImage, not named vmlinuz-VERSION)",
			 kernel);
		return -1;
	}
	dir = xasprintf("/lib/modules/%s", ver);
	path = xasprintf("%s/modules.dep", dir);
	dep = image_read_file(path, &len);
	free(path);
	path = xasprintf("%s/modules.builtin", dir);
	builtin = image_read_file(path, &len);
	free(path);
	if (!dep) {
		diag_set(err, NULL, 0, "%s/modules.dep: %s (the guest "
			 "kernel's modules are needed for its network)", dir,
			 strerror(errno));
		goto out;
	}
	m.dep = dep;
	m.dir = dir;
	strbuf_add(&m.list, "", 0);
	for (; *names; names++) {
		line = dep_line(dep, *names);
		if (!line && builtin && is_builtin(builtin, *names))
			continue;
		if (!line) {
			diag_set(err, NULL, 0, "module '%s' is neither in "
				 "%s/modules.dep nor built in", *names, dir);
			goto out;
		}
		if (add_module(&m, line, 0))
			goto out;
	}
	image_add_data(x, list_path, 0644, m.list.buf, m.list.len);
	rc = 0;
out:
	strbuf_release(&m.list);
	free(dep);
	free(builtin);
	free(dir);
	free(ver);
	return rc;
}
