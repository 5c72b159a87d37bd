/*
 * atomic: writing an output file so that a reader, or a crash, sees
 * either the old file or the complete new one, never a partial one; and
 * writing devices, FIFOs and the standard streams where they are.
 *
 * atomic_open(path) follows symbolic links to the name they end at (the
 * links stay links) and then:
 * - a regular file or a new name: creates a temporary file "NAME.tmp.*"
 *   beside it (an existing file's mode and, when allowed, owner copied)
 *   and returns a stream to it, its name in *tmp_path, which the caller
 *   owns until atomic_commit() or atomic_abort(). atomic_commit()
 *   flushes, fsyncs, closes and renames it over the name, or removes it
 *   and returns -1 (errno set) if any write failed. A file with several
 *   hard links is replaced under this name only.
 * - a device, FIFO or socket: opened and written where it is (*tmp_path
 *   is NULL), so /dev/null stays a device; commit only flushes and closes.
 * - /dev/stdout, /dev/stderr, /dev/fd/N: written to that descriptor.
 * NULL with errno set when nothing can be opened (ELOOP for a loop of
 * links, EISDIR for a directory). Until commit or abort, the temporary
 * file is on the list cleanup_install() (cleanup.h) removes on a fatal
 * signal.
 *
 * Owns: the temporary file and its name between open and commit/abort.
 * Must not: leave a temporary file behind on any error path it sees.
 *
 *	char *tmp;
 *	FILE *f = atomic_open(path, &tmp);
 *	if (!f) ...errno...
 *	write to f; on an error: atomic_abort(f, tmp);
 *	if (atomic_commit(f, tmp, path) != 0) ...errno...
 */
#ifndef LIB_ATOMIC_H
#define LIB_ATOMIC_H

#include <stddef.h>
#include <stdio.h>

FILE *atomic_open(const char *path, char **tmp_path);
int atomic_commit(FILE *f, char *tmp_path, const char *path);
void atomic_abort(FILE *f, char *tmp_path);

/* For a writer other than this process (gnuplot): rename the temporary
 * file tmp_path over the name it was made for, take it off the cleanup
 * list; 0 or -1 (errno set). The caller still frees tmp_path. */
int atomic_rename(const char *tmp_path);

/* The whole file at once: len bytes of data to path, as above. 0, or -1
 * with errno set. */
int atomic_write_file(const char *path, const void *data, size_t len);

#endif
