/*
 * server: the servers of served benchmarks (runners/servers/NAME.json,
 * read with jansson): a program, its arguments, its port and the files
 * it needs, all templates over {root} (the directory the files live
 * under: "" in an image, a work directory natively), {addr} and {port}.
 * It puts them into an image or a directory, picks free loopback ports,
 * and makes the launcher's own check requests (is the page the one the
 * server was given, and how many requests does the server say it
 * served). Owns nothing beyond struct server.
 */
#define _GNU_SOURCE		/* setns */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
#include "deps.h"
#include "diag.h"
#include "image.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

#define CHECK_MAX_BYTES (1 << 20)

char *server_default_dir(const char *platforms_dir)
{
	const char *env = getenv("BENCH_SERVERS");
	const char *slash = strrchr(platforms_dir, '/');

	if (env)
		return xstrdup(env);
	if (!slash)
		return xstrdup("servers");
	return xasprintf("%.*s/servers", (int)(slash - platforms_dir),
			 platforms_dir);
}

static int bad(struct diag *err, const char *file, const char *msg)
{
	diag_set(err, NULL, 0, "%s: %s", file, msg);
	return -1;
}

static int check_files(json_t *files, const char *file, struct diag *err)
{
	json_t *f, *t;
	size_t i;

	if (!json_is_array(files))
		return files ? bad(err, file, "'files' must be an "
				   "array") : 0;
	json_array_foreach(files, i, f) {
		t = json_object_get(f, "text");
		if (!json_is_string(json_object_get(f, "path")) ||
		    json_string_value(json_object_get(f, "path"))[0] != '/')
			return bad(err, file, "every file needs an "
				   "absolute 'path'");
		if (!(json_is_string(t) || json_is_array(t) ||
		      json_is_integer(json_object_get(f, "size"))))
			return bad(err, file, "every file needs a "
				   "'text' (string or array of lines) or a "
				   "'size'");
	}
	return 0;
}

int server_load(const char *dir, const char *name, struct server *s,
		struct diag *err)
{
	json_error_t je;
	json_t *v;

	memset(s, 0, sizeof(*s));
	s->file = xasprintf("%s/%s.json", dir, name);
	s->def = json_load_file(s->file, 0, &je);
	if (!s->def) {
		if (je.line > 0)
			diag_set(err, NULL, 0, "%s:%d: %s", s->file, je.line,
				 je.text);
		else
			diag_set(err, NULL, 0, "no server '%s': %s", name,
				 je.text);
		return -1;
	}
	s->name = name;
	s->program = json_string_value(json_object_get(s->def, "program"));
	s->url_path = json_string_value(json_object_get(s->def, "url_path"));
	s->status_path = json_string_value(json_object_get(s->def,
							   "status_path"));
	v = json_object_get(s->def, "port");
	s->port = json_is_integer(v) ? (long)json_integer_value(v) : 0;
	if (!s->program || s->port < 1 || s->port > 65535)
		return bad(err, s->file, "needs 'program' and a "
			   "'port' (1..65535)");
	if (!s->url_path)
		s->url_path = "/";
	if (!json_is_array(json_object_get(s->def, "args")) &&
	    json_object_get(s->def, "args"))
		return bad(err, s->file, "'args' must be an array");
	return check_files(json_object_get(s->def, "files"), s->file, err);
}

void server_release(struct server *s)
{
	json_decref(s->def);
	free(s->file);
	free(s->program_path);
	memset(s, 0, sizeof(*s));
}

/* A page of exactly size bytes that no other server would have. */
static char *page(long size)
{
	static const char fill[] = "0123456789abcdefghijklmnopqrstuv";
	char *p = xmalloc((size_t)size + 1);
	int head = snprintf(p, (size_t)size + 1, "bench-toolkit page of %ld "
			    "bytes\n", size);
	long i;

	for (i = head < size ? head : size; i < size; i++)
		p[i] = i == size - 1 ? '\n' : fill[i % 32];
	p[size] = '\0';
	return p;
}

/* The contents of file entry f, expanded; caller frees. NULL: bad
 * placeholder (named in bad). */
static char *file_text(json_t *f, const struct tvar *vars, size_t *len,
		       char bad_name[64])
{
	json_t *t = json_object_get(f, "text"), *line;
	struct strbuf sb = { 0 };
	char *s;
	size_t i;

	if (json_is_integer(json_object_get(f, "size"))) {
		*len = (size_t)json_integer_value(json_object_get(f, "size"));
		return page((long)*len);
	}
	strbuf_add(&sb, "", 0);
	if (json_is_string(t))
		strbuf_addstr(&sb, json_string_value(t));
	json_array_foreach(t, i, line) {
		strbuf_addstr(&sb, json_is_string(line) ? json_string_value(line) :
			"");
		strbuf_add(&sb, "\n", 1);
	}
	s = template_expand(sb.buf, vars, NULL, bad_name);
	strbuf_release(&sb);
	*len = s ? strlen(s) : 0;
	return s;
}

int server_add_to_image(struct server *s, struct image_extra *x,
			struct diag *err)
{
	char port[16], bad_name[64], *text;
	struct tvar vars[] = { { "root", "" }, { "addr", "0.0.0.0" },
			       { "port", port }, { NULL, NULL } };
	json_t *v;
	size_t i, len;

	snprintf(port, sizeof(port), "%ld", s->port);
	free(s->program_path);
	s->program_path = deps_add_program(x, s->program, err);
	if (!s->program_path)
		return -1;
	json_array_foreach(json_object_get(s->def, "dirs"), i, v)
		if (json_is_string(v))
			image_add_dir(x, json_string_value(v));
	json_array_foreach(json_object_get(s->def, "files"), i, v) {
		text = file_text(v, vars, &len, bad_name);
		if (!text) {
			diag_set(err, NULL, 0, "%s: unknown placeholder "
				 "'{%s}'", s->file, bad_name);
			return -1;
		}
		image_add_data(x, json_string_value(json_object_get(v, "path")),
			       0644, text, len);
		free(text);
	}
	return 0;
}

int server_write_tree(struct server *s, const char *root, long port,
		      struct diag *err)
{
	char port_s[16], bad_name[64], *text, *path, *slash;
	struct tvar vars[] = { { "root", root }, { "addr", "127.0.0.1" },
			       { "port", port_s }, { NULL, NULL } };
	json_t *v;
	size_t i, len;
	int rc = 0;

	snprintf(port_s, sizeof(port_s), "%ld", port);
	json_array_foreach(json_object_get(s->def, "dirs"), i, v) {
		path = xasprintf("%s%s/", root, json_string_value(v));
		for (slash = strchr(path + 1, '/'); slash && !rc;
		     slash = strchr(slash + 1, '/')) {
			*slash = '\0';
			rc = mkdir(path, 0755) != 0 && errno != EEXIST;
			*slash = '/';
		}
		free(path);
	}
	json_array_foreach(json_object_get(s->def, "files"), i, v) {
		if (rc)
			break;
		text = file_text(v, vars, &len, bad_name);
		path = xasprintf("%s%s", root, json_string_value(
				 json_object_get(v, "path")));
		for (slash = strchr(path + strlen(root) + 1, '/'); slash;
		     slash = strchr(slash + 1, '/')) {
			*slash = '\0';
			mkdir(path, 0755);
			*slash = '/';
		}
		rc = !text || atomic_write_file(path, text, len);
		free(path);
		free(text);
	}
	if (rc)
		diag_set(err, NULL, 0, "cannot write the files of %s under "
			 "%s: %s", s->file, root, strerror(errno));
	return rc ? -1 : 0;
}

void server_args(const struct server *s, const char *root, long port,
		 char ***argv, int *argc)
{
	char port_s[16], bad_name[64], *w;
	struct tvar vars[] = { { "root", root }, { "addr", "127.0.0.1" },
			       { "port", port_s }, { NULL, NULL } };
	json_t *v;
	size_t i;

	snprintf(port_s, sizeof(port_s), "%ld", port);
	json_array_foreach(json_object_get(s->def, "args"), i, v) {
		w = template_expand(json_string_value(v), vars, NULL,
				    bad_name);
		*argv = xrealloc(*argv, (size_t)(*argc + 2) * sizeof(**argv));
		(*argv)[(*argc)++] = w ? w : xstrdup(json_string_value(v));
		(*argv)[*argc] = NULL;
	}
}

long server_free_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	long port = -1;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* GET path from 127.0.0.1:port over HTTP/1.0: the status and the body. */
static int http_get(long port, const char *path, int *status,
		    struct strbuf *body)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct timeval tv = { 5, 0 };
	char *req = xasprintf("GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
			      path), chunk[8192], *end;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), rc = -1;
	struct strbuf in = { 0 };
	ssize_t n;

	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	strbuf_add(&in, "", 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
				 sizeof(tv)) ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		goto out;
	while (in.len < CHECK_MAX_BYTES &&
	       (n = read(fd, chunk, sizeof(chunk))) > 0)
		strbuf_add(&in, chunk, (size_t)n);
	end = strstr(in.buf, "\r\n\r\n");
	if (!end || sscanf(in.buf, "HTTP/%*s %d", status) != 1)
		goto out;
	strbuf_add(body, end + 4, in.len - (size_t)(end + 4 - in.buf));
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	strbuf_release(&in);
	free(req);
	return rc;
}

/* The file entry that is served, or NULL. */
static json_t *served_file(const struct server *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(s->def, "files"), i, v)
		if (json_is_true(json_object_get(v, "served")))
			return v;
	return NULL;
}

static void check_status(const struct server *s, long port,
			 struct server_check *c)
{
	const char *fmt = json_string_value(json_object_get(s->def,
							    "status_format"));
	struct strbuf body = { 0 };
	const char *p;
	long long accepts, handled;
	int status = 0;

	c->server_requests = -1;
	strbuf_add(&body, "", 0);
	if (s->status_path && fmt && !strcmp(fmt, "nginx-stub-status") &&
	    http_get(port, s->status_path, &status, &body) == 0 &&
	    status == 200 && (p = strstr(body.buf, "requests\n")))
		/* " accepts handled requests": this status request counts */
		if (sscanf(p + 9, "%lld %lld %lld", &accepts, &handled,
			   &c->server_requests) != 3)
			c->server_requests = -1;
	strbuf_release(&body);
}

void server_check(const struct server *s, long port, pid_t netns_pid,
		  struct server_check *c)
{
	json_t *f = served_file(s);
	struct strbuf body = { 0 };
	char *want = NULL, *ns;
	int self = -1, other = -1, status = 0;

	memset(c, 0, sizeof(*c));
	c->server_requests = -1;
	c->body_bytes = -1;
	if (netns_pid > 0) {
		ns = xasprintf("/proc/%ld/ns/net", (long)netns_pid);
		self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		other = open(ns, O_RDONLY | O_CLOEXEC);
		free(ns);
		if (self < 0 || other < 0 || setns(other, CLONE_NEWNET)) {
			snprintf(c->why, sizeof(c->why), "cannot enter the "
				 "container's network namespace: %s",
				 strerror(errno));
			goto out;
		}
	}
	strbuf_add(&body, "", 0);
	if (http_get(port, s->url_path, &status, &body) != 0) {
		snprintf(c->why, sizeof(c->why), "GET %s: no HTTP response",
			 s->url_path);
	} else {
		c->status = status;
		c->body_bytes = (long long)body.len;
		if (f)
			want = page((long)json_integer_value(
					json_object_get(f, "size")));
		c->is_ok = status == 200 && (!want || !strcmp(want, body.buf));
		if (!c->is_ok)
			snprintf(c->why, sizeof(c->why), "GET %s: status %d, "
				 "%lld bytes, not the %s page the server was "
				 "given", s->url_path, status, c->body_bytes,
				 s->name);
		check_status(s, port, c);
	}
	if (netns_pid > 0 && setns(self, CLONE_NEWNET) && !(c->is_ok = 0))
		snprintf(c->why, sizeof(c->why), "cannot return to the "
			 "launcher's network namespace: %s", strerror(errno));
out:
	if (self >= 0)
		close(self);
	if (other >= 0)
		close(other);
	free(want);
	strbuf_release(&body);
}
