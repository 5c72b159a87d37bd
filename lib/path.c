/*
 * path: the PATH search of execvp(3).
 */
#include "path.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

static int is_executable(const char *file)
{
	struct stat st;

	return stat(file, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(file, X_OK) == 0;
}

char *path_search_in(const char *name, const char *path)
{
	const char *p, *colon;

	if (!*name)
		return NULL;
	if (strchr(name, '/'))
		return is_executable(name) ? xstrdup(name) : NULL;
	if (!path)
		path = PATH_DEFAULT;
	for (p = path;; p = colon + 1) {
		size_t len;
		char *file;

		colon = strchr(p, ':');
		len = colon ? (size_t)(colon - p) : strlen(p);
		if (len == 0)
			file = xasprintf("./%s", name);
		else
			file = xasprintf("%.*s/%s", (int)len, p, name);
		if (is_executable(file))
			return file;
		free(file);
		if (!colon)
			return NULL;
	}
}

char *path_search(const char *name)
{
	return path_search_in(name, getenv("PATH"));
}
