/*
 * input_numbers: plain numbers, one per line, as FreeBSD's ministat reads
 * them (ministat -C N picks a column: here --column N).
 *
 * Mapping: platform = the --label or the file name as given (ministat
 * compares files, analyze compares platforms: two files compare with no
 * option); benchmark "numbers"; metric "value"; no unit; run = the
 * position in the file. Fields are separated by blanks; a field starting
 * with '#' starts a comment to the end of the line, and blank lines are
 * skipped, as in ministat. Unlike ministat, a line without the chosen
 * column or with text where the number should be is an error (ministat
 * skips the first silently and stops on the second).
 */
#include "input.h"

#include <string.h>

/* The column'th blank-separated field of s (1-based), cut at a comment.
 * Returns 1 with *f, *fn set; 0 when the line has no field at all
 * (blank or comment); -1 when it has fields but fewer than column
 * (*fn: how many). */
static int pick_field(char *s, unsigned column, char **f, size_t *fn)
{
	size_t i = 0, k, count = 0;

	for (;;) {
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		if (!s[i] || s[i] == '#')
			break;
		for (k = i; s[k] && s[k] != ' ' && s[k] != '\t'; k++)
			;
		if (++count == column) {
			*f = s + i;
			*fn = k - i;
			return 1;
		}
		i = k;
	}
	*fn = count;
	return count ? -1 : 0;
}

int input_numbers(struct input_file *in, struct diag *err)
{
	struct input_lines lines;
	struct input_row row;
	unsigned column = in->column ? in->column : 1;
	char *s, *f;
	size_t n, fn;
	int rc, got;

	rc = input_begin(in, NULL, 0, err);
	input_provenance(in, "plain numbers, field %u of each line", column);
	input_lines_init(&lines, in);
	memset(&row, 0, sizeof(row));
	row.platform = in->label ? in->label : in->name;
	row.benchmark = "numbers";
	row.metric = "value";
	row.run = -1;
	while (!rc && (got = input_lines_next(&lines, &s, &n, err)) != 0) {
		if (got < 0) {
			rc = got;
			break;
		}
		got = pick_field(s, column, &f, &fn);
		if (got == 0)
			continue;
		if (got < 0) {
			rc = input_skip(in, lines.line, "line has %zu field%s, "
					"--column %u needs %u", fn,
					fn == 1 ? "" : "s", column, column);
			continue;
		}
		f[fn] = '\0';
		if (input_parse_double(f, fn, &row.value)) {
			rc = input_skip(in, lines.line, "'%.60s%s' is not a "
					"finite number", f, fn > 60 ? "..." : "");
			continue;
		}
		rc = input_emit(in, lines.line, &row, 0);
	}
	input_lines_release(&lines);
	if (!rc && in->n_rows == 0 && in->n_skipped == 0)
		rc = input_error(in, err, 0, "no numbers in the file (read as "
				 "plain numbers, one per line)");
	return rc;
}
