/*
 * vmm: the child's tie to bench and the line cutter of vmm.h.
 */
#define _GNU_SOURCE		/* prctl */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "vmm.h"

void vmm_child_bind(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
}

/* Call fn on each complete line in l->buf and keep the unfinished rest. */
static void cut_lines(struct vmm_lines *l, void (*fn)(void *ctx, char *line),
		      void *ctx)
{
	char *start = l->buf, *nl;

	while ((nl = memchr(start, '\n', l->len - (size_t)(start - l->buf)))) {
		*nl = '\0';
		fn(ctx, start);
		start = nl + 1;
	}
	l->len -= (size_t)(start - l->buf);
	memmove(l->buf, start, l->len);
}

void vmm_lines_feed(struct vmm_lines *l, const char *data, size_t n,
		    void (*fn)(void *ctx, char *line), void *ctx)
{
	size_t k;

	while (n > 0) {
		k = sizeof(l->buf) - 1 - l->len;
		if (k > n)
			k = n;
		memcpy(l->buf + l->len, data, k);
		l->len += k;
		data += k;
		n -= k;
		cut_lines(l, fn, ctx);
		if (l->len == sizeof(l->buf) - 1)
			l->len = 0;
	}
}
