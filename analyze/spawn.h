/*
 * spawn: run a helper program (gnuplot) so that it can neither hang
 * analyze nor outlive it. The program runs in a process group of its own,
 * registered with cleanup_child_group() so that a SIGINT, SIGTERM or SIGHUP
 * of analyze kills the group; its standard input is fed from memory
 * without ever blocking on a program that stopped reading; after a time
 * limit the whole group is killed.
 *
 * Owns nothing after it returns. Must not: print, exit, or leave a child
 * unreaped.
 */
#ifndef ANALYZE_SPAWN_H
#define ANALYZE_SPAWN_H

#include <stddef.h>

enum spawn_status {
	SPAWN_EXITED = 0,	/* it ended by itself: see *wait_status */
	SPAWN_TIMEOUT = 1,	/* killed with its group at the limit */
	SPAWN_FAILED = -1	/* pipe or fork failed: errno */
};

/*
 * Run argv[0] (looked up on PATH) with argv, its standard input in[0..len)
 * then end of file, its standard error into err_fd, its standard output
 * analyze's. A program that cannot be run exits 127. timeout_s <= 0
 * means no limit. *wait_status is the waitpid(2) status; *is_input_cut is
 * set when the program ended before reading all of in.
 */
enum spawn_status spawn_run(char *const argv[], const char *in, size_t len,
			    int err_fd, double timeout_s, int *wait_status,
			    int *is_input_cut);

#endif
