/*
 * replay: runs the fuzz target once on every file of the stored corpus,
 * without libFuzzer, so `make check` replays it under gcc's ASan and
 * UBSan (build/asan/tests/fuzz_replay_test). Prints TAP, one "ok N - FILE"
 * per file, which tests/run counts like a cmocka test; a crash, a
 * sanitizer report or a serial/split mismatch aborts the run with the
 * file named on the line before it.
 *
 *   fuzz_replay_test [DIR|FILE]...	(default: tests/fuzz/corpus)
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load_fuzz.h"
#include "xalloc.h"

/* The whole of path, or NULL with a message. Caller frees. */
static uint8_t *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		fprintf(stderr, "replay: cannot open %s: %s\n", path,
			strerror(errno));
		return NULL;
	}
	do {
		ARRAY_GROW(buf, n + 4096, cap);
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = n;
	return buf;
}

/* Returns 0, or -1 when the file could not be read. */
static int replay_file(const char *path, unsigned *n_done)
{
	size_t size = 0;
	uint8_t *data = read_all(path, &size);

	if (!data)
		return -1;
	/* Flushed first, so a crash report follows the file's name. */
	printf("# %s\n", path);
	fflush(stdout);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	printf("ok %u - %s\n", ++*n_done, path);
	fflush(stdout);
	return 0;
}

static int is_entry(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Every file of dir in name order. Returns the number that failed. */
static int replay_dir(const char *dir, unsigned *n_done)
{
	struct dirent **list;
	int n = scandir(dir, &list, is_entry, alphasort), i, bad = 0;

	if (n < 0) {
		fprintf(stderr, "replay: cannot list %s: %s\n", dir,
			strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(list[i]->d_name) + 2;
		char *path = malloc(len);

		if (!path || (snprintf(path, len, "%s/%s", dir,
				       list[i]->d_name),
			      replay_file(path, n_done) != 0))
			bad++;
		free(path);
		free(list[i]);
	}
	free(list);
	return bad;
}

int main(int argc, char **argv)
{
	static const char *const fallback[] = { "tests/fuzz/corpus" };
	const char *const *args = argc > 1 ? (const char *const *)argv + 1 :
				  fallback;
	int n_args = argc > 1 ? argc - 1 : 1, i, bad = 0;
	unsigned n_done = 0;
	struct stat st;

	for (i = 0; i < n_args; i++) {
		if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode))
			bad += replay_dir(args[i], &n_done);
		else
			bad += replay_file(args[i], &n_done) != 0;
	}
	if (n_done == 0 && bad == 0) {
		fprintf(stderr, "replay: no corpus files\n");
		return 1;
	}
	printf("1..%u\n", n_done);
	return bad ? 1 : 0;
}
