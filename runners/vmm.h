/*
 * vmm: what bench boot and bench memfloor share to run a child that must
 * not outlive bench (a VMM, or bench boot itself) and to read what it
 * prints line by line.
 *
 * Owns: nothing beyond a struct vmm_lines's buffer. Must not: allocate,
 * or print anything itself.
 */
#ifndef BENCH_VMM_H
#define BENCH_VMM_H

#include <stddef.h>
#include <sys/types.h>

/*
 * In the child, right after fork(): have the kernel kill it when bench
 * dies (PR_SET_PDEATHSIG, SIGKILL: even a kill -9 of bench leaves no VMM
 * running), and _exit(127) when bench has already died before that took
 * effect, since then no signal would ever come.
 */
void vmm_child_bind(pid_t parent);

/* A child's output being cut into lines. Zero it before the first feed. */
struct vmm_lines {
	char buf[4096];
	size_t len;		/* bytes of an unfinished line in buf */
};

/*
 * Append n bytes of output and call fn(ctx, line) for every line it
 * completes, the line NUL-terminated and without its newline. When a
 * line fills the whole buffer, what the buffer holds is dropped unseen
 * and the rest of the line is cut as if it started there: the tags
 * looked for are short, and a console line that long is boot noise.
 */
void vmm_lines_feed(struct vmm_lines *l, const char *data, size_t n,
		    void (*fn)(void *ctx, char *line), void *ctx);

#endif
