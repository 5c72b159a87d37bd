/*
 * image: what a guest boots. The initramfs is a newc cpio written with
 * libarchive whose /init is the static bench; containers get a root
 * directory with the same contents. The kernel is Debian's
 * /boot/vmlinuz-*, or its uncompressed vmlinux: decompressing under TCG
 * costs about 2.5 s per boot (docs/platforms.md), so the xz stream inside
 * the bzImage is extracted once (libarchive's raw format + xz filter, as
 * the kernel's scripts/extract-vmlinux does with xz) and cached.
 */
#define _GNU_SOURCE		/* strverscmp */
#include "image.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "atomic.h"
#include "diag.h"
#include "strbuf.h"
#include "xalloc.h"

char *image_read_file(const char *path, size_t *len)
{
	struct strbuf sb = { 0 };
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return NULL;
	strbuf_add(&sb, "", 0);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			strbuf_release(&sb);
			return NULL;
		}
		strbuf_add(&sb, chunk, (size_t)n);
	}
	close(fd);
	*len = sb.len;
	return sb.buf;
}

static int add_entry(struct archive *a, const char *name, mode_t type,
		     mode_t perm, dev_t rdev, const char *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	int rc;

	if (!e)
		return -1;
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, perm);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, 0, 0);	/* reproducible images */
	archive_entry_set_nlink(e, type == AE_IFDIR ? 2 : 1);
	if (type == AE_IFCHR)
		archive_entry_set_rdev(e, rdev);
	archive_entry_set_size(e, (la_int64_t)len);
	rc = archive_write_header(a, e);
	if (rc == ARCHIVE_OK && len &&
	    archive_write_data(a, data, len) != (la_ssize_t)len)
		rc = ARCHIVE_FATAL;
	archive_entry_free(e);
	return rc == ARCHIVE_OK ? 0 : -1;
}

/* ---- extra contents (--with, servers, modules) ------------------------ */

static const char *const base_dirs[] = { "dev", "proc", "sys", "tmp", NULL };

static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return path;
}

void image_extra_release(struct image_extra *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		free(x->items[i].path);
		free(x->items[i].src);
		free(x->items[i].data);
	}
	free(x->items);
	memset(x, 0, sizeof(*x));
}

int image_has(const struct image_extra *x, const char *path)
{
	const char *const *d;
	size_t i;

	path = rel(path);
	for (d = base_dirs; *d; d++)
		if (!strcmp(*d, path))
			return 1;
	for (i = 0; i < x->n; i++)
		if (!strcmp(x->items[i].path, path))
			return 1;
	return 0;
}

static struct image_item *add_item(struct image_extra *x, const char *path)
{
	struct image_item *it;
	char *dir = xstrdup(rel(path)), *slash;

	/* cpio has no implicit parents: each directory comes first. */
	for (slash = strchr(dir, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (!image_has(x, dir)) {
			it = add_item(x, dir);
			it->is_dir = 1;
			it->perm = 0755;
		}
		*slash = '/';
	}
	free(dir);
	x->items = xrealloc(x->items, (x->n + 1) * sizeof(*x->items));
	it = &x->items[x->n++];
	memset(it, 0, sizeof(*it));
	it->path = xstrdup(rel(path));
	return it;
}

void image_add_dir(struct image_extra *x, const char *path)
{
	struct image_item *it;

	if (image_has(x, path))
		return;
	it = add_item(x, path);
	it->is_dir = 1;
	it->perm = 0755;
}

void image_add_file(struct image_extra *x, const char *path,
		    const char *src, mode_t perm)
{
	struct image_item *it = add_item(x, path);

	it->src = xstrdup(src);
	it->perm = perm;
}

void image_add_data(struct image_extra *x, const char *path, mode_t perm,
		    const char *data, size_t len)
{
	struct image_item *it = add_item(x, path);

	it->data = xmalloc(len + 1);
	memcpy(it->data, data, len);
	it->data[len] = '\0';
	it->len = len;
	it->perm = perm;
}

int image_add_unpacked(struct image_extra *x, const char *path,
		       const char *src, struct diag *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct strbuf out = { 0 };
	char chunk[1 << 16];
	la_ssize_t n = -1;

	if (a && archive_read_support_filter_all(a) == ARCHIVE_OK &&
	    archive_read_support_format_raw(a) == ARCHIVE_OK &&
	    archive_read_open_filename(a, src, sizeof(chunk)) == ARCHIVE_OK &&
	    archive_read_next_header(a, &e) == ARCHIVE_OK) {
		strbuf_add(&out, "", 0);
		while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0)
			strbuf_add(&out, chunk, (size_t)n);
	}
	if (n < 0 || !out.len) {
		diag_set(err, NULL, 0, "cannot decompress '%s': %s", src,
			 a && archive_error_string(a) ?
			 archive_error_string(a) : "empty");
		archive_read_free(a);
		strbuf_release(&out);
		return -1;
	}
	archive_read_free(a);
	image_add_data(x, path, 0644, out.buf, out.len);
	strbuf_release(&out);
	return 0;
}

/* The contents of a file item (caller frees when *owned). */
static const char *item_data(const struct image_item *it, size_t *len,
			     int *owned)
{
	*owned = it->src != NULL;
	if (!it->src) {
		*len = it->len;
		return it->data;
	}
	return image_read_file(it->src, len);
}

static int write_extra(struct archive *a, const struct image_extra *x,
		       struct diag *err)
{
	const struct image_item *it;
	const char *data;
	size_t i, len = 0;
	int owned, rc;

	for (i = 0; x && i < x->n; i++) {
		it = &x->items[i];
		if (it->is_dir) {
			if (add_entry(a, it->path, AE_IFDIR, it->perm, 0, NULL,
				      0))
				return -1;
			continue;
		}
		data = item_data(it, &len, &owned);
		if (!data) {
			diag_set(err, NULL, 0, "cannot read '%s': %s",
				 it->src, strerror(errno));
			return -2;
		}
		rc = add_entry(a, it->path, AE_IFREG, it->perm, 0, data, len);
		if (owned)
			free((char *)data);
		if (rc)
			return -1;
	}
	return 0;
}

int image_initramfs(const char *path, const char *bench,
		    const struct image_extra *extra, struct diag *err)
{
	const char *const *d;
	struct archive *a;
	size_t len = 0;
	char *data = image_read_file(bench, &len);
	int rc = -1;

	if (!data) {
		diag_set(err, NULL, 0, "cannot read '%s': %s", bench,
			 strerror(errno));
		return -1;
	}
	a = archive_write_new();
	if (!a || archive_write_set_format_cpio_newc(a) != ARCHIVE_OK ||
	    archive_write_add_filter_none(a) != ARCHIVE_OK ||
	    archive_write_open_filename(a, path) != ARCHIVE_OK)
		goto fail;
	for (d = base_dirs; *d; d++)
		if (add_entry(a, *d, AE_IFDIR, *d[0] == 't' ? 01777 : 0755,
			      0, NULL, 0))
			goto fail;
	/* The kernel opens /dev/console for init's stdin/out/err before
	 * devtmpfs is mounted: without this node init has no output. */
	if (add_entry(a, "dev/console", AE_IFCHR, 0600, makedev(5, 1), NULL,
		      0) ||
	    add_entry(a, "init", AE_IFREG, 0755, 0, data, len))
		goto fail;
	rc = write_extra(a, extra, err);
	if (rc == -2)
		goto out;
	if (rc || archive_write_close(a) != ARCHIVE_OK) {
		rc = -1;
		goto fail;
	}
	rc = 0;
fail:
	if (rc)
		diag_set(err, NULL, 0, "cannot write initramfs '%s': %s",
			 path, a ? archive_error_string(a) : "out of memory");
out:
	archive_write_free(a);
	free(data);
	return rc ? -1 : 0;
}

static int write_tree(const char *dir, const struct image_extra *x)
{
	const struct image_item *it;
	const char *data;
	char *path;
	size_t i, len = 0;
	int owned, rc = 0;

	for (i = 0; x && i < x->n && !rc; i++) {
		it = &x->items[i];
		path = xasprintf("%s/%s", dir, it->path);
		if (it->is_dir) {
			rc = mkdir(path, it->perm) != 0 && errno != EEXIST;
		} else if (!(data = item_data(it, &len, &owned))) {
			rc = -1;
		} else {
			rc = atomic_write_file(path, data, len) ||
			     chmod(path, it->perm);
			if (owned)
				free((char *)data);
		}
		free(path);
	}
	return rc ? -1 : 0;
}

int image_rootfs(const char *dir, const char *bench,
		 const struct image_extra *extra, struct diag *err)
{
	const char *const *d;
	char *path, *data;
	size_t len = 0;
	int rc;

	if (mkdir(dir, 0755) && errno != EEXIST)
		goto fail_errno;
	for (d = base_dirs; *d; d++) {
		path = xasprintf("%s/%s", dir, *d);
		rc = mkdir(path, *d[0] == 't' ? 01777 : 0755);
		free(path);
		if (rc && errno != EEXIST)
			goto fail_errno;
	}
	data = image_read_file(bench, &len);
	if (!data)
		goto fail_errno;
	path = xasprintf("%s/init", dir);
	rc = atomic_write_file(path, data, len) || chmod(path, 0755);
	free(path);
	free(data);
	if (rc || write_tree(dir, extra))
		goto fail_errno;
	return 0;
fail_errno:
	diag_set(err, NULL, 0, "cannot build root directory '%s': %s", dir,
		 strerror(errno));
	return -1;
}

char *image_find_kernel(struct diag *err)
{
	DIR *d = opendir("/boot");
	struct dirent *e;
	char *best = NULL, *path;

	if (!d) {
		diag_set(err, NULL, 0, "/boot: %s (install linux-image-amd64 "
			 "or pass --kernel)", strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "vmlinuz-", 8) &&
		    (!best || strverscmp(e->d_name, best) > 0)) {
			free(best);
			best = xstrdup(e->d_name);
		}
	closedir(d);
	if (!best) {
		diag_set(err, NULL, 0, "no /boot/vmlinuz-* (install "
			 "linux-image-amd64 or pass --kernel)");
		return NULL;
	}
	path = xasprintf("/boot/%s", best);
	free(best);
	if (access(path, R_OK) != 0) {
		diag_set(err, NULL, 0, "%s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	return path;
}

static char *cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *base, *dir;

	if (xdg && xdg[0])
		base = xstrdup(xdg);
	else if (home && home[0])
		base = xasprintf("%s/.cache", home);
	else
		base = xasprintf("/tmp/cache-%ld", (long)getuid());
	mkdir(base, 0700);
	dir = xasprintf("%s/bench-toolkit", base);
	free(base);
	mkdir(dir, 0755);
	return dir;
}

/* Decompress the xz stream at data[off..len) into path (atomically). */
static int unxz_to(const char *data, size_t len, const char *path,
		   struct diag *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct strbuf out = { 0 };
	char chunk[1 << 16];
	la_ssize_t n;
	int rc = -1;

	if (!a || archive_read_support_filter_xz(a) != ARCHIVE_OK ||
	    archive_read_support_format_raw(a) != ARCHIVE_OK ||
	    archive_read_open_memory(a, data, len) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK)
		goto fail;
	/* Trailing bytes after the xz stream are normal in a bzImage: stop
	 * at the first error once data has come out. */
	while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0)
		strbuf_add(&out, chunk, (size_t)n);
	if (out.len < (1 << 20))
		goto fail;
	if (atomic_write_file(path, out.buf, out.len)) {
		diag_set(err, NULL, 0, "cannot write '%s': %s", path,
			 strerror(errno));
		archive_read_free(a);
		strbuf_release(&out);
		return -1;
	}
	rc = 0;
fail:
	if (rc)
		diag_set(err, NULL, 0, "cannot decompress the kernel: %s",
			 a && archive_error_string(a) ?
			 archive_error_string(a) : "no xz stream");
	archive_read_free(a);
	strbuf_release(&out);
	return rc;
}

char *image_vmlinux(const char *vmlinuz, struct diag *err)
{
	static const unsigned char magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	struct stat st;
	const char *base = strrchr(vmlinuz, '/');
	char *dir, *path, *data;
	size_t len = 0, off;

	if (stat(vmlinuz, &st) != 0) {
		diag_set(err, NULL, 0, "%s: %s", vmlinuz, strerror(errno));
		return NULL;
	}
	dir = cache_dir();
	path = xasprintf("%s/vmlinux-%s-%lld-%lld", dir,
			 base ? base + 1 : vmlinuz, (long long)st.st_size,
			 (long long)st.st_mtime);
	free(dir);
	if (access(path, R_OK) == 0)
		return path;
	data = image_read_file(vmlinuz, &len);
	if (!data) {
		diag_set(err, NULL, 0, "%s: %s", vmlinuz, strerror(errno));
		free(path);
		return NULL;
	}
	for (off = 0; off + sizeof(magic) <= len; off++)
		if (!memcmp(data + off, magic, sizeof(magic)))
			break;
	if (off + sizeof(magic) > len) {
		diag_set(err, NULL, 0, "%s: no xz stream (FD 37 7A 58 5A 00) "
			 "inside; use a platform with \"kernel\": "
			 "\"vmlinuz\"", vmlinuz);
		free(data);
		free(path);
		return NULL;
	}
	if (unxz_to(data + off, len - off, path, err)) {
		free(data);
		free(path);
		return NULL;
	}
	free(data);
	return path;
}
