#!/usr/bin/env bash
# 2026-11-25: where analyze writes. -o replaces a file only with a
# complete report (temporary name + rename) and leaves it untouched when
# the run fails; '-' reads standard input; a read error on an input or a
# full disk on standard output is exit 1, never a silent truncation.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B=tests/data/basic.csv
GOLD=tests/e2e/golden
leftovers() { ls -A "$1" | grep '\.tmp\.' || true; }

out="$TMPDIR/out/report.txt"
mkdir -p "$TMPDIR/out"

# a good run replaces an existing file with the whole report
printf 'old report\n' >"$out"
expect_exit 0 -o "$A" -o "$out" "$B"
[ -s "$STDOUT" ] && fail "-o: the report also went to stdout"
same_file "$GOLD/10-basic.txt" "$out" "-o: the file is not the report"
[ -z "$(leftovers "$TMPDIR/out")" ] || fail "-o left $(leftovers "$TMPDIR/out")"

# --output=PATH and --format json write the same place
"$A" --format json --output="$out" "$B" 2>/dev/null
same_file "$GOLD/10-basic.json" "$out" "--output=PATH"

# a failing run (bad input, exit 2) leaves the existing file untouched
printf 'good report\n' >"$out"
expect_exit 2 "missing input with -o" \
	"$A" -o "$out" "$B" tests/data/no-such-file.csv
[ "$(cat "$out")" = "good report" ] || fail "a failing run changed -o"
[ -z "$(leftovers "$TMPDIR/out")" ] || fail "failing run left a temp file"

# so does a baseline that does not occur (an error after loading)
expect_exit 2 "unknown baseline" "$A" -o "$out" --baseline nosuch "$B"
[ "$(cat "$out")" = "good report" ] || fail "unknown baseline changed -o"
[ "$(wc -l <"$STDERR")" -eq 1 ] || fail "unknown baseline: stderr:
$(cat "$STDERR")"

# -o in a directory that does not exist: runtime failure, exit 1, named
expect_exit 1 "-o into a missing directory" \
	"$A" -o "$TMPDIR/nodir/report.txt" "$B"
grep -q "^$TMPDIR/nodir/report.txt: cannot create" "$STDERR" ||
	fail "-o into a missing directory: stderr: $(cat "$STDERR")"

# an input that fails to read (/proc/self/mem at address 0: EIO) is a
# runtime failure, exit 1, the file named with the system's reason, and
# -o is left as it was
expect_exit 1 "unreadable input" "$A" -o "$out" /proc/self/mem
[ "$(cat "$STDERR")" = "/proc/self/mem: read error: Input/output error" ] ||
	fail "unreadable input: stderr: $(cat "$STDERR")"
[ "$(cat "$out")" = "good report" ] || fail "unreadable input changed -o"

# '-' is standard input, named <stdin>; the numbers equal the file's
"$A" --format csv - <"$B" >"$TMPDIR/stdin.csv" 2>"$TMPDIR/err" ||
	fail "stdin: exit $? ($(cat "$TMPDIR/err"))"
same_file "$GOLD/10-basic.csv" "$TMPDIR/stdin.csv" \
	"stdin: csv differs from the file's"
"$A" - <"$B" | grep -qx '  <stdin>: 30 rows; source: not recorded (no .meta.json)' ||
	fail "stdin: the sources line does not name <stdin>"
# -o - is standard output too
"$A" -o - --format csv "$B" >"$TMPDIR/dash.csv"
same_file "$GOLD/10-basic.csv" "$TMPDIR/dash.csv" "-o - is not standard output"

# --progress: one line per file on stderr, nothing more on stdout
"$A" --progress --format csv "$B" tests/data/single.csv >"$TMPDIR/p.csv" \
	2>"$TMPDIR/err" || fail "--progress: exit $?"
[ "$(cat "$TMPDIR/err")" = "analyze: reading $B (1 of 2)
analyze: reading tests/data/single.csv (2 of 2)" ] ||
	fail "--progress: stderr: $(cat "$TMPDIR/err")"
"$A" --format csv "$B" tests/data/single.csv 2>/dev/null | cmp -s - "$TMPDIR/p.csv" ||
	fail "--progress changed standard output"

# a full disk on standard output: exit 1 with a message
if [ -w /dev/full ]; then
	"$A" "$B" >/dev/full 2>"$TMPDIR/err"
	status=$?
	[ $status -eq 1 ] || fail "stdout on /dev/full: exit $status, expected 1"
	grep -q 'No space left on device' "$TMPDIR/err" ||
		fail "stdout on /dev/full: stderr: $(cat "$TMPDIR/err")"
fi

finish
