/*
 * cleanup: what a fatal signal or an early exit must undo, so that no
 * temporary file or child process group is left behind. After
 * cleanup_install(), a SIGINT, SIGTERM or SIGHUP (unless ignored when the
 * program started) and exit() remove every temporary file on the list and
 * kill the child process group, then the signal ends the process as it
 * would have.
 *
 * Owns: nothing: cleanup_temp_add() keeps the pointer, not a copy, so path
 * must stay valid until cleanup_temp_remove(path). At most
 * CLEANUP_MAX_TEMPS at once (more is a bug of the caller: abort). Must
 * not: do anything in the handler but kill(2) and unlink(2).
 */
#ifndef LIB_CLEANUP_H
#define LIB_CLEANUP_H

#include <sys/types.h>

#define CLEANUP_MAX_TEMPS 8

void cleanup_install(void);
void cleanup_temp_add(const char *path);
void cleanup_temp_remove(const char *path);
/* The process group killed on a fatal signal (gnuplot's); 0 clears it. */
void cleanup_child_group(pid_t pgid);

#endif
