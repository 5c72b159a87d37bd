/*
 * cleanup: temporary files and a child process group undone on a fatal
 * signal or exit.
 */
#include "cleanup.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The temporary files that exist right now and the process group of a
 * running gnuplot. This is a program's signal state (docs/conventions.md allows
 * the state a signal handler needs, and nothing else global): a
 * SIGINT, SIGTERM or SIGHUP removes the files and kills the group, then
 * ends the process by the same signal, so no partial output or gnuplot is
 * left behind. Lock-free atomics, so the handler may read them on any
 * thread at any moment (C11 7.14.1.1); each path stays valid until it is
 * taken off the list.
 */
static _Atomic(const char *) temp_paths[CLEANUP_MAX_TEMPS];
static atomic_int child_group;

void cleanup_temp_add(const char *path)
{
	size_t i;

	for (i = 0; i < CLEANUP_MAX_TEMPS; i++) {
		const char *none = NULL;

		if (atomic_compare_exchange_strong(&temp_paths[i], &none,
						   path))
			return;
	}
	/* More than CLEANUP_MAX_TEMPS at once is a bug of the caller. */
	abort();
}

void cleanup_temp_remove(const char *path)
{
	size_t i;

	for (i = 0; path && i < CLEANUP_MAX_TEMPS; i++) {
		const char *p = path;

		if (atomic_compare_exchange_strong(&temp_paths[i], &p, NULL))
			return;
	}
}

void cleanup_child_group(pid_t pgid)
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
	for (i = 0; i < CLEANUP_MAX_TEMPS; i++) {
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

void cleanup_install(void)
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
