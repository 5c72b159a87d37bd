/*
 * image: what a guest boots. The initramfs is a newc cpio written with
 * libarchive whose /init is the static bench; containers get a root
 * directory with the same contents. The kernel is Debian's
 * /boot/vmlinuz-*, or its uncompressed vmlinux: decompressing under TCG
 * costs about 2.5 s per boot (PLATFORMS-NOTES.md), so the xz stream inside
 * the bzImage is extracted once (libarchive's raw format + xz filter, as
 * the kernel's scripts/extract-vmlinux does with xz) and cached.
 */
#define _GNU_SOURCE		/* strverscmp */
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

#include "campaign.h"

static char *read_whole(const char *path, size_t *len)
{
	struct strbuf sb = { 0 };
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return NULL;
	sb_add(&sb, "", 0);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			sb_free(&sb);
			return NULL;
		}
		sb_add(&sb, chunk, (size_t)n);
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

int image_initramfs(const char *path, const char *bench, char *err,
		    size_t err_size)
{
	static const char *const dirs[] = { "dev", "proc", "sys", "tmp",
					    NULL };
	const char *const *d;
	struct archive *a;
	size_t len = 0;
	char *data = read_whole(bench, &len);
	int rc = -1;

	if (!data) {
		snprintf(err, err_size, "cannot read '%s': %s", bench,
			 strerror(errno));
		return -1;
	}
	a = archive_write_new();
	if (!a || archive_write_set_format_cpio_newc(a) != ARCHIVE_OK ||
	    archive_write_add_filter_none(a) != ARCHIVE_OK ||
	    archive_write_open_filename(a, path) != ARCHIVE_OK)
		goto fail;
	for (d = dirs; *d; d++)
		if (add_entry(a, *d, AE_IFDIR, *d[0] == 't' ? 01777 : 0755,
			      0, NULL, 0))
			goto fail;
	/* The kernel opens /dev/console for init's stdin/out/err before
	 * devtmpfs is mounted: without this node init has no output. */
	if (add_entry(a, "dev/console", AE_IFCHR, 0600, makedev(5, 1), NULL,
		      0) ||
	    add_entry(a, "init", AE_IFREG, 0755, 0, data, len))
		goto fail;
	if (archive_write_close(a) != ARCHIVE_OK)
		goto fail;
	rc = 0;
fail:
	if (rc)
		snprintf(err, err_size, "cannot write initramfs '%s': %s",
			 path, a ? archive_error_string(a) : "out of memory");
	archive_write_free(a);
	free(data);
	return rc;
}

int image_rootfs(const char *dir, const char *bench, char *err,
		 size_t err_size)
{
	static const char *const dirs[] = { "dev", "proc", "sys", "tmp",
					    NULL };
	const char *const *d;
	char *path, *data;
	size_t len = 0;
	int rc;

	if (mkdir(dir, 0755) && errno != EEXIST)
		goto fail_errno;
	for (d = dirs; *d; d++) {
		path = xasprintf("%s/%s", dir, *d);
		rc = mkdir(path, 0755);
		free(path);
		if (rc && errno != EEXIST)
			goto fail_errno;
	}
	data = read_whole(bench, &len);
	if (!data)
		goto fail_errno;
	path = xasprintf("%s/init", dir);
	rc = write_file_atomic(path, data, len) || chmod(path, 0755);
	free(path);
	free(data);
	if (rc)
		goto fail_errno;
	return 0;
fail_errno:
	snprintf(err, err_size, "cannot build root directory '%s': %s", dir,
		 strerror(errno));
	return -1;
}

char *image_find_kernel(char *err, size_t err_size)
{
	DIR *d = opendir("/boot");
	struct dirent *e;
	char *best = NULL, *path;

	if (!d) {
		snprintf(err, err_size, "/boot: %s (install linux-image-amd64 "
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
		snprintf(err, err_size, "no /boot/vmlinuz-* (install "
			 "linux-image-amd64 or pass --kernel)");
		return NULL;
	}
	path = xasprintf("/boot/%s", best);
	free(best);
	if (access(path, R_OK) != 0) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
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
		   char *err, size_t err_size)
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
		sb_add(&out, chunk, (size_t)n);
	if (out.len < (1 << 20))
		goto fail;
	if (write_file_atomic(path, out.buf, out.len)) {
		snprintf(err, err_size, "cannot write '%s': %s", path,
			 strerror(errno));
		archive_read_free(a);
		sb_free(&out);
		return -1;
	}
	rc = 0;
fail:
	if (rc)
		snprintf(err, err_size, "cannot decompress the kernel: %s",
			 a && archive_error_string(a) ?
			 archive_error_string(a) : "no xz stream");
	archive_read_free(a);
	sb_free(&out);
	return rc;
}

char *image_vmlinux(const char *vmlinuz, char *err, size_t err_size)
{
	static const unsigned char magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	struct stat st;
	const char *base = strrchr(vmlinuz, '/');
	char *dir, *path, *data;
	size_t len = 0, off;

	if (stat(vmlinuz, &st) != 0) {
		snprintf(err, err_size, "%s: %s", vmlinuz, strerror(errno));
		return NULL;
	}
	dir = cache_dir();
	path = xasprintf("%s/vmlinux-%s-%lld-%lld", dir,
			 base ? base + 1 : vmlinuz, (long long)st.st_size,
			 (long long)st.st_mtime);
	free(dir);
	if (access(path, R_OK) == 0)
		return path;
	data = read_whole(vmlinuz, &len);
	if (!data) {
		snprintf(err, err_size, "%s: %s", vmlinuz, strerror(errno));
		free(path);
		return NULL;
	}
	for (off = 0; off + sizeof(magic) <= len; off++)
		if (!memcmp(data + off, magic, sizeof(magic)))
			break;
	if (off + sizeof(magic) > len) {
		snprintf(err, err_size, "%s: no xz stream (FD 37 7A 58 5A 00) "
			 "inside; use a platform with \"kernel\": "
			 "\"vmlinuz\"", vmlinuz);
		free(data);
		free(path);
		return NULL;
	}
	if (unxz_to(data + off, len - off, path, err, err_size)) {
		free(data);
		free(path);
		return NULL;
	}
	free(data);
	return path;
}
