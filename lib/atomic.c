/*
 * atomic: output files replaced whole, or devices written where they are.
 */
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "xalloc.h"

#define TMP_SUFFIX ".tmp.XXXXXX"
#define MAX_LINK_HOPS 40	/* as Linux's own limit on a path lookup */

/* /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: the descriptor
 * N, or -1. Opening such a name would open the file again (truncating a
 * log that standard output appends to), so analyze writes through the
 * descriptor it already has, as a shell's redirection does. */
static int std_stream_fd(const char *path)
{
	const char *n = NULL;
	char *end;
	long fd;

	if (!strcmp(path, "/dev/stdout"))
		return STDOUT_FILENO;
	if (!strcmp(path, "/dev/stderr"))
		return STDERR_FILENO;
	if (!strncmp(path, "/dev/fd/", 8))
		n = path + 8;
	else if (!strncmp(path, "/proc/self/fd/", 14))
		n = path + 14;
	if (!n || *n < '0' || *n > '9')
		return -1;
	errno = 0;
	fd = strtol(n, &end, 10);
	return *end || errno || fd > 1 << 20 ? -1 : (int)fd;
}

/*
 * The name a write to path lands on: symbolic links followed to the end,
 * so that the link stays a link and its target is replaced. The result
 * is path itself when it is not a link (or does not exist). Caller frees;
 * NULL with errno ELOOP after MAX_LINK_HOPS links.
 */
static char *final_name(const char *path)
{
	char *cur = xstrdup(path), *target, *joined;
	struct stat st;
	size_t cap, dir_len;
	ssize_t n;
	int hops;

	for (hops = 0;; hops++) {
		if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
			return cur;
		if (hops == MAX_LINK_HOPS) {
			free(cur);
			errno = ELOOP;
			return NULL;
		}
		for (cap = 256;; cap *= 2) {
			target = xmalloc(cap);
			n = readlink(cur, target, cap);
			if (n < 0 || (size_t)n < cap)
				break;
			free(target);
		}
		if (n < 0) {
			free(target);
			return cur;	/* the open or create reports it */
		}
		target[n] = '\0';
		dir_len = strrchr(cur, '/') ? (size_t)(strrchr(cur, '/') -
						       cur) + 1 : 0;
		if (target[0] == '/' || dir_len == 0) {
			joined = target;
		} else {
			joined = xmalloc(dir_len + (size_t)n + 1);
			memcpy(joined, cur, dir_len);
			memcpy(joined + dir_len, target, (size_t)n + 1);
			free(target);
		}
		free(cur);
		cur = joined;
	}
}

/* A device, FIFO or socket: written where it is. NULL when path turned
 * out to be a regular file after all (then *is_regular is set). */
static FILE *open_direct(const char *path, int *is_regular)
{
	struct stat st;
	FILE *f;
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);

	*is_regular = 0;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || S_ISREG(st.st_mode)) {
		/* Replaced by a file since the stat: replace it properly. */
		*is_regular = 1;
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

/* A temporary file beside name, with the mode and owner of *st (the file
 * it replaces) or, for a new file, the mode any new file gets. */
static FILE *open_temp(const char *name, const struct stat *st, char **tmp)
{
	size_t len = strlen(name);
	char *t = xmalloc(len + sizeof(TMP_SUFFIX));
	int fd, saved;
	mode_t um;
	FILE *f;

	memcpy(t, name, len);
	memcpy(t + len, TMP_SUFFIX, sizeof(TMP_SUFFIX));
	fd = mkstemp(t);
	if (fd < 0) {
		free(t);
		return NULL;
	}
	cleanup_temp_add(t);
	if (st) {
		/* Only root may give a file away: otherwise it becomes the
		 * writer's, as with any editor. The owner first, since
		 * fchown clears set-user-ID bits. */
		(void)!fchown(fd, st->st_uid, st->st_gid);
		(void)fchmod(fd, st->st_mode & 07777);
	} else {
		/* mkstemp creates 0600; a new report is like any new file. */
		um = umask(0);
		umask(um);
		(void)fchmod(fd, 0666 & ~um);
	}
	f = fdopen(fd, "w");
	if (!f) {
		saved = errno;
		close(fd);
		cleanup_temp_remove(t);
		unlink(t);
		free(t);
		errno = saved;
		return NULL;
	}
	*tmp = t;
	return f;
}

FILE *atomic_open(const char *path, char **tmp_path)
{
	char *name;
	struct stat st;
	FILE *f = NULL;
	int fd = std_stream_fd(path), is_regular = 0, exists;

	*tmp_path = NULL;
	if (fd >= 0) {
		fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (fd >= 0 && !(f = fdopen(fd, "w")))
			close(fd);
		return f;
	}
	name = final_name(path);
	if (!name)
		return NULL;
	exists = stat(name, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
	} else if (exists && !S_ISREG(st.st_mode)) {
		f = open_direct(name, &is_regular);
		if (!f && is_regular)
			f = open_temp(name, stat(name, &st) == 0 ? &st : NULL,
				      tmp_path);
	} else {
		f = open_temp(name, exists ? &st : NULL, tmp_path);
	}
	free(name);
	return f;
}

/* The name a temporary file replaces: itself without TMP_SUFFIX. */
static char *replaced_name(const char *tmp_path)
{
	return xstrndup(tmp_path, strlen(tmp_path) - (sizeof(TMP_SUFFIX) - 1));
}

int atomic_rename(const char *tmp_path)
{
	char *name = replaced_name(tmp_path);
	int rc = rename(tmp_path, name), saved = errno;

	free(name);
	if (rc == 0)
		cleanup_temp_remove(tmp_path);
	errno = saved;
	return rc;
}

int atomic_commit(FILE *f, char *tmp_path, const char *path)
{
	int failed = fflush(f) != 0 || ferror(f) ||
		     (tmp_path && fsync(fileno(f)) != 0);
	int saved = errno;

	(void)path;
	if (fclose(f) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (tmp_path && !failed && atomic_rename(tmp_path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed && tmp_path) {
		unlink(tmp_path);
		cleanup_temp_remove(tmp_path);
	}
	free(tmp_path);
	errno = saved;
	return failed ? -1 : 0;
}

void atomic_abort(FILE *f, char *tmp_path)
{
	if (f)
		fclose(f);
	if (tmp_path) {
		unlink(tmp_path);
		cleanup_temp_remove(tmp_path);
		free(tmp_path);
	}
}

int atomic_write_file(const char *path, const void *data, size_t len)
{
	char *tmp;
	FILE *f = atomic_open(path, &tmp);

	if (!f)
		return -1;
	if (len && fwrite(data, 1, len, f) != len) {
		int saved = errno;

		atomic_abort(f, tmp);
		errno = saved;
		return -1;
	}
	return atomic_commit(f, tmp, path);
}
