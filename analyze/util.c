#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void diag_vset(struct diag *d, const char *file, unsigned long line,
		      const char *fmt, va_list ap)
{
	d->is_warning = 0;
	d->line = line;
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

void diag_set(struct diag *d, const char *file, unsigned long line,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(d, file, line, fmt, ap);
	va_end(ap);
}

void diag_print(FILE *f, const struct diag *d)
{
	const char *kind = d->is_warning ? "warning: " : "";

	if (!d->file[0])
		fprintf(f, "analyze: %s%s\n", kind, d->msg);
	else if (d->line)
		fprintf(f, "%s:%lu: %s%s\n", d->file, d->line, kind, d->msg);
	else
		fprintf(f, "%s: %s%s\n", d->file, kind, d->msg);
}

void diag_list_add(struct diag_list *list, const char *file,
		   unsigned long line, const char *fmt, ...)
{
	va_list ap;

	if (list->n == list->cap) {
		list->cap = list->cap ? 2 * list->cap : 8;
		list->items = xreallocarray(list->items, list->cap,
					    sizeof(*list->items));
	}
	va_start(ap, fmt);
	diag_vset(&list->items[list->n], file, line, fmt, ap);
	va_end(ap);
	list->items[list->n].is_warning = 1;
	list->n++;
}

void diag_list_release(struct diag_list *list)
{
	free(list->items);
	list->items = NULL;
	list->n = list->cap = 0;
}

/* ---- what a fatal signal or an early exit must undo --------------------- */

/*
 * The temporary files that exist right now and the process group of a
 * running gnuplot. This is analyze's signal state (STYLE.md allows one
 * interrupt flag; analyze has none, and this list takes its place): a
 * SIGINT, SIGTERM or SIGHUP removes the files and kills the group, then
 * ends the process by the same signal, so no partial output or gnuplot is
 * left behind. Lock-free atomics, so the handler may read them on any
 * thread at any moment (C11 7.14.1.1); each path stays valid until it is
 * taken off the list.
 */
#define UTIL_MAX_TEMPS 8

static _Atomic(const char *) temp_paths[UTIL_MAX_TEMPS];
static atomic_int child_group;

void util_temp_add(const char *path)
{
	size_t i;

	for (i = 0; i < UTIL_MAX_TEMPS; i++) {
		const char *none = NULL;

		if (atomic_compare_exchange_strong(&temp_paths[i], &none,
						   path))
			return;
	}
	/* More than UTIL_MAX_TEMPS at once is a bug of the caller. */
	abort();
}

void util_temp_remove(const char *path)
{
	size_t i;

	for (i = 0; path && i < UTIL_MAX_TEMPS; i++) {
		const char *p = path;

		if (atomic_compare_exchange_strong(&temp_paths[i], &p, NULL))
			return;
	}
}

void util_child_group(pid_t pgid)
{
	atomic_store(&child_group, (int)pgid);
}

/* Async-signal-safe: kill(2) and unlink(2) only. */
static void undo_all(void)
{
	int g = atomic_load(&child_group);
	size_t i;

	if (g > 0)
		kill(-(pid_t)g, SIGKILL);
	for (i = 0; i < UTIL_MAX_TEMPS; i++) {
		const char *p = atomic_exchange(&temp_paths[i], NULL);

		if (p)
			unlink(p);
	}
}

static void on_fatal_signal(int sig)
{
	undo_all();
	/* SA_RESETHAND restored the default action; the signal is blocked
	 * until this handler returns, then it ends the process. */
	raise(sig);
}

void util_cleanup_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* An ignored signal (nohup, a background job) stays so. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
	/* exit(1) on out of memory, anywhere: the same cleanup. */
	atexit(undo_all);
}

/* ---- writing an output file ------------------------------------------------ */

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
	util_temp_add(t);
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
		util_temp_remove(t);
		unlink(t);
		free(t);
		errno = saved;
		return NULL;
	}
	*tmp = t;
	return f;
}

FILE *util_atomic_open(const char *path, char **tmp_path)
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

int util_atomic_rename(const char *tmp_path)
{
	char *name = replaced_name(tmp_path);
	int rc = rename(tmp_path, name), saved = errno;

	free(name);
	if (rc == 0)
		util_temp_remove(tmp_path);
	errno = saved;
	return rc;
}

int util_atomic_commit(FILE *f, char *tmp_path, const char *path)
{
	int failed = fflush(f) != 0 || ferror(f) ||
		     (tmp_path && fsync(fileno(f)) != 0);
	int saved = errno;

	(void)path;
	if (fclose(f) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (tmp_path && !failed && util_atomic_rename(tmp_path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed && tmp_path) {
		unlink(tmp_path);
		util_temp_remove(tmp_path);
	}
	free(tmp_path);
	errno = saved;
	return failed ? -1 : 0;
}

void util_atomic_abort(FILE *f, char *tmp_path)
{
	if (f)
		fclose(f);
	if (tmp_path) {
		unlink(tmp_path);
		util_temp_remove(tmp_path);
		free(tmp_path);
	}
}
