/*
 * csvfloor: how long libcsv alone takes to split a file into fields and
 * records, with callbacks that only count. This is the floor under any
 * loader built on libcsv (analyze's included), reported by `make bench`
 * next to the tools it is compared with. Same options and block size as
 * analyze/load_read.c (load_csv_init, LOAD_BLOCK_SIZE), on one thread.
 *
 *   usage: csvfloor FILE      prints "FIELDS RECORDS"
 *
 * Exit status: 0 parsed, 1 read or parse failure, 2 bad usage.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK_SIZE (256 * 1024)

struct counts {
	unsigned long fields, records;
};

static void on_field(void *s, size_t n, void *data)
{
	(void)s;
	(void)n;
	((struct counts *)data)->fields++;
}

static void on_record(int c, void *data)
{
	(void)c;
	((struct counts *)data)->records++;
}

int main(int argc, char **argv)
{
	struct csv_parser p;
	struct counts n = { 0, 0 };
	char *block;
	ssize_t got;
	int fd, status = 0;

	if (argc != 2) {
		fputs("usage: csvfloor FILE\n", stderr);
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	block = malloc(BLOCK_SIZE);
	if (fd < 0 || !block) {
		fprintf(stderr, "csvfloor: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
		 CSV_REPALL_NL);
	csv_set_blk_size(&p, 64 * 1024);
	while ((got = read(fd, block, BLOCK_SIZE)) > 0)
		if (csv_parse(&p, block, (size_t)got, on_field, on_record, &n) !=
		    (size_t)got)
			break;
	if (got < 0 || csv_error(&p) || csv_fini(&p, on_field, on_record, &n)) {
		fprintf(stderr, "csvfloor: %s: %s\n", argv[1], got < 0 ?
			strerror(errno) : csv_strerror(csv_error(&p)));
		status = 1;
	}
	printf("%lu %lu\n", n.fields, n.records);
	csv_free(&p);
	free(block);
	close(fd);
	return status;
}
