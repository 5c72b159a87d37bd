/*
 * path: finding a program as execvp(3) does, for the programs that check
 * before they run something (gnuplot, a timed command, qemu, a --with
 * program), so that the check and the exec agree.
 *
 * Owns: nothing (results are the caller's). Must not: run anything.
 */
#ifndef LIB_PATH_H
#define LIB_PATH_H

/* PATH when it is unset: glibc's confstr(_CS_PATH), what execvp uses. */
#define PATH_DEFAULT "/bin:/usr/bin"

/*
 * The file execvp(3) would run for name: name itself when it contains a
 * '/', else the first regular executable file dir/name for dir in path
 * (colon-separated; an empty entry, leading, trailing or "::", is the
 * current directory, as POSIX says, giving "./name"). path NULL means
 * PATH_DEFAULT. Returns a new string (caller frees), or NULL when there
 * is none or name is empty.
 */
char *path_search_in(const char *name, const char *path);

/* path_search_in() over the environment's PATH. */
char *path_search(const char *name);

#endif
