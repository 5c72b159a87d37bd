/*
 * util: xasprintf, a growable string, {name} templates, the CSV field
 * helpers, the job encoding shared with runners/guest.c, and file
 * helpers. Out of memory is fatal (lib/xalloc.h).
 */
#define _GNU_SOURCE		/* vasprintf */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
	return s;
}

void sb_add(struct strbuf *sb, const char *data, size_t n)
{
	if (sb->len + n + 1 > sb->cap) {
		sb->cap = (sb->len + n + 1) * 2;
		sb->buf = xrealloc(sb->buf, sb->cap);
	}
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

static const char *tvar_find(const struct tvar *vars, const char *name,
			     size_t len)
{
	for (; vars && vars->name; vars++)
		if (strlen(vars->name) == len &&
		    !strncmp(vars->name, name, len))
			return vars->value;
	return NULL;
}

static int is_kept(const char *const *keep, const char *name, size_t len)
{
	for (; keep && *keep; keep++)
		if (strlen(*keep) == len && !strncmp(*keep, name, len))
			return 1;
	return 0;
}

char *template_expand(const char *tmpl, const struct tvar *vars,
		      const char *const *keep, char bad[64])
{
	struct strbuf sb = { 0 };
	const char *p = tmpl, *open, *close, *value;
	size_t len;

	sb_add(&sb, "", 0);
	while ((open = strchr(p, '{')) && (close = strchr(open, '}'))) {
		sb_add(&sb, p, (size_t)(open - p));
		len = (size_t)(close - open - 1);
		/* Only {identifier} is a placeholder: braces of JSON and
		 * nginx configuration templates stay as they are. */
		if (!len || strspn(open + 1, "abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
		    len) {
			sb_add(&sb, open, 1);
			p = open + 1;
			continue;
		}
		value = tvar_find(vars, open + 1, len);
		if (is_kept(keep, open + 1, len)) {
			sb_add(&sb, open, len + 2);
		} else if (!value) {
			snprintf(bad, 64, "%.*s", (int)(len < 63 ? len : 63),
				 open + 1);
			sb_free(&sb);
			return NULL;
		} else {
			sb_adds(&sb, value);
		}
		p = close + 1;
	}
	sb_adds(&sb, p);
	return sb.buf;
}

int csv_split(char *line, char **fields, int max)
{
	char *in = line, *out = line;
	int n = 0;

	for (;;) {
		if (n == max)
			return n + 1;	/* too many: the caller rejects it */
		fields[n++] = out;
		if (*in == '"') {
			for (in++; *in; in++) {
				if (*in == '"' && in[1] == '"')
					*out++ = *in++;
				else if (*in == '"')
					break;
				else
					*out++ = *in;
			}
			if (*in == '"')
				in++;
		} else {
			while (*in && *in != ',')
				*out++ = *in++;
		}
		if (*in != ',') {
			*out = '\0';
			return n;
		}
		*out++ = '\0';
		in++;
	}
}

void csv_put(struct strbuf *sb, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		sb_adds(sb, s);
		return;
	}
	sb_add(sb, "\"", 1);
	for (; *s; s++) {
		if (*s == '"')
			sb_add(sb, "\"", 1);
		sb_add(sb, s, 1);
	}
	sb_add(sb, "\"", 1);
}

static int is_plain(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || strchr("._/:=+-", ch);
}

char *job_encode(char *const *words, int n)
{
	struct strbuf sb = { 0 };
	char esc[4];
	const char *p;
	int i;

	sb_add(&sb, "", 0);
	if (n == 0)
		sb_adds(&sb, "none");
	for (i = 0; i < n; i++) {
		if (i)
			sb_add(&sb, ",", 1);
		for (p = words[i]; *p; p++) {
			if (is_plain((unsigned char)*p)) {
				sb_add(&sb, p, 1);
				continue;
			}
			snprintf(esc, sizeof(esc), "%%%02X",
				 (unsigned char)*p);
			sb_add(&sb, esc, 3);
		}
	}
	return sb.buf;
}

char *find_program(const char *name)
{
	const char *path = getenv("PATH"), *p, *colon;
	char *candidate;

	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
	for (p = path; *p; p = *colon ? colon + 1 : colon) {
		colon = strchr(p, ':');
		if (!colon)
			colon = p + strlen(p);
		candidate = xasprintf("%.*s/%s", (int)(colon - p), p, name);
		if (access(candidate, X_OK) == 0)
			return candidate;
		free(candidate);
	}
	return NULL;
}

char *find_bench(const char *argv0)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
	} else if (argv0 && strchr(argv0, '/')) {
		snprintf(self, sizeof(self), "%s", argv0);
	} else {
		return find_program("bench");
	}
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	return xasprintf("%s/bench", self);
}

int write_file_atomic(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	struct stat st;
	size_t done = 0;
	ssize_t n;

	if (fd < 0)
		goto fail;
	/* A file replaced keeps its mode (a 0600 sidecar stays private). */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		(void)fchmod(fd, st.st_mode & 07777);
	while (done < len) {
		n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	/* On disk before the name points at it: what is renamed in is
	 * whole even after a crash (resume trusts the meta's records). */
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
