/*
 * util: {name} templates, the CSV field helpers and headers, a growable
 * argv, and file helpers. Out of memory is fatal
 * (lib/xalloc.h).
 */
#include "util.h"

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

#include "path.h"
#include "strbuf.h"
#include "xalloc.h"

const char csv_bench_header[] =
	"platform,benchmark,metric,value,unit,run,better,config,host,"
	"timestamp";
const char csv_out_header[] =
	"platform,benchmark,metric,value,unit,run,better,config,host,"
	"timestamp,accel,job\n";

void av_add(struct argvec *a, const char *s)
{
	a->v = xrealloc(a->v, (size_t)(a->n + 2) * sizeof(*a->v));
	a->v[a->n++] = xstrdup(s);
	a->v[a->n] = NULL;
}

void av_free(struct argvec *a)
{
	int i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
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

	strbuf_add(&sb, "", 0);
	while ((open = strchr(p, '{')) && (close = strchr(open, '}'))) {
		strbuf_add(&sb, p, (size_t)(open - p));
		len = (size_t)(close - open - 1);
		/* Only {identifier} is a placeholder: braces of JSON and
		 * nginx configuration templates stay as they are. */
		if (!len || strspn(open + 1, "abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
		    len) {
			strbuf_add(&sb, open, 1);
			p = open + 1;
			continue;
		}
		value = tvar_find(vars, open + 1, len);
		if (is_kept(keep, open + 1, len)) {
			strbuf_add(&sb, open, len + 2);
		} else if (!value) {
			snprintf(bad, 64, "%.*s", (int)(len < 63 ? len : 63),
				 open + 1);
			strbuf_release(&sb);
			return NULL;
		} else {
			strbuf_addstr(&sb, value);
		}
		p = close + 1;
	}
	strbuf_addstr(&sb, p);
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
		strbuf_addstr(sb, s);
		return;
	}
	strbuf_add(sb, "\"", 1);
	for (; *s; s++) {
		if (*s == '"')
			strbuf_add(sb, "\"", 1);
		strbuf_add(sb, s, 1);
	}
	strbuf_add(sb, "\"", 1);
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
		return path_search("bench");
	}
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	return xasprintf("%s/bench", self);
}

double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
