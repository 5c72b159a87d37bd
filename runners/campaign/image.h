/*
 * image: what a platform boots or enters: the initramfs (newc cpio with
 * /init = bench), the root directory of containers, the guest kernel
 * found and uncompressed, and the extra paths --with and served
 * benchmarks add (deps.h adds programs and modules to them).
 *
 * Owns: the items of a struct image_extra (image_extra_release). Must
 * not: run anything.
 */
#ifndef CAMPAIGN_IMAGE_H
#define CAMPAIGN_IMAGE_H

#include <stddef.h>
#include <sys/types.h>

#include "diag.h"

/* One extra path of an image besides /init and the base directories. */
struct image_item {
	char *path;		/* inside the image, no leading '/' */
	int is_dir;
	mode_t perm;
	char *src;		/* host file to copy, or NULL */
	char *data;		/* the contents when src is NULL */
	size_t len;
};

/* What --with programs, served benchmarks and the guest network add to
 * an image, parents before children; image_extra_release frees it. */
struct image_extra {
	struct image_item *items;
	size_t n;
};

void image_extra_release(struct image_extra *x);
/* Whether path (with or without a leading '/') is in the image. */
int image_has(const struct image_extra *x, const char *path);
/* Add a directory, a copy of host file src, or given contents at path;
 * missing parent directories are added first (0755). */
void image_add_dir(struct image_extra *x, const char *path);
void image_add_file(struct image_extra *x, const char *path,
		    const char *src, mode_t perm);
void image_add_data(struct image_extra *x, const char *path, mode_t perm,
		    const char *data, size_t len);
/* Add src decompressed (xz, zstd, gzip: libarchive). 0, or -1 (err). */
int image_add_unpacked(struct image_extra *x, const char *path,
		       const char *src, struct diag *err);
/* The whole file (NUL-terminated, caller frees), or NULL with errno. */
char *image_read_file(const char *path, size_t *len);

/* Write a newc cpio (uncompressed) with /init = bench, the usual
 * directories and extra (may be NULL). 0, or -1 with a message in err. */
int image_initramfs(const char *path, const char *bench,
		    const struct image_extra *extra, struct diag *err);
/* A root directory for containers with the same contents. */
int image_rootfs(const char *dir, const char *bench,
		 const struct image_extra *extra, struct diag *err);
/* The newest /boot/vmlinuz-*; caller frees; NULL with why in err. */
char *image_find_kernel(struct diag *err);
/* The uncompressed vmlinux of a bzImage, extracted once into the cache
 * directory; caller frees; NULL with why in err. */
char *image_vmlinux(const char *vmlinuz, struct diag *err);

#endif
