#!/usr/bin/env bash
# 2026-11-25 issue 3: where analyze writes. -o replaces a file only with a
# complete report (temporary name + rename) and leaves it untouched when
# the run fails; '-' reads standard input; a full disk on standard output
# is exit 1, never a silent truncation.
set -u
cd "$TOP" || exit 1
A="$BIN/analyze"
B=tests/data/basic.csv
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
leftovers() { ls -A "$1" | grep '\.tmp\.' || true; }

out="$TMPDIR/out/report.txt"
mkdir -p "$TMPDIR/out"

# a good run replaces an existing file with the whole report
printf 'old report\n' >"$out"
"$A" -o "$out" "$B" >"$TMPDIR/stdout" 2>"$TMPDIR/err"
[ $? -eq 0 ] || fail "-o: exit $? ($(cat "$TMPDIR/err"))"
[ -s "$TMPDIR/stdout" ] && fail "-o: the report also went to stdout"
cmp -s "$out" tests/e2e/golden/10-basic.txt ||
	fail "-o: the file is not the report (see golden/10-basic.txt)"
[ -z "$(leftovers "$TMPDIR/out")" ] || fail "-o left $(leftovers "$TMPDIR/out")"

# --output=PATH and --format json write the same place
"$A" --format json --output="$out" "$B" 2>/dev/null
cmp -s "$out" tests/e2e/golden/10-basic.json || fail "--output=PATH"

# a failing run (bad input, exit 2) leaves the existing file untouched
printf 'good report\n' >"$out"
"$A" -o "$out" "$B" tests/data/no-such-file.csv 2>"$TMPDIR/err"
status=$?
[ $status -eq 2 ] || fail "missing input with -o: exit $status, expected 2"
[ "$(cat "$out")" = "good report" ] || fail "a failing run changed -o"
[ -z "$(leftovers "$TMPDIR/out")" ] || fail "failing run left a temp file"

# so does a baseline that does not occur (an error after loading)
"$A" -o "$out" --baseline nosuch "$B" 2>"$TMPDIR/err"
status=$?
[ $status -eq 2 ] || fail "unknown baseline: exit $status, expected 2"
[ "$(cat "$out")" = "good report" ] || fail "unknown baseline changed -o"
[ "$(wc -l <"$TMPDIR/err")" -eq 1 ] || fail "unknown baseline: stderr:
$(cat "$TMPDIR/err")"

# -o in a directory that does not exist: runtime failure, exit 1, named
"$A" -o "$TMPDIR/nodir/report.txt" "$B" 2>"$TMPDIR/err"
status=$?
[ $status -eq 1 ] || fail "-o into a missing directory: exit $status"
grep -q "^$TMPDIR/nodir/report.txt: cannot create" "$TMPDIR/err" ||
	fail "-o into a missing directory: stderr: $(cat "$TMPDIR/err")"

# '-' is standard input, named <stdin>; the numbers equal the file's
"$A" --format csv - <"$B" >"$TMPDIR/stdin.csv" 2>"$TMPDIR/err" ||
	fail "stdin: exit $? ($(cat "$TMPDIR/err"))"
cmp -s "$TMPDIR/stdin.csv" tests/e2e/golden/10-basic.csv ||
	fail "stdin: csv differs from the file's"
"$A" - <"$B" | grep -qx '  <stdin>: 30 rows; source: not recorded (no .meta.json)' ||
	fail "stdin: the sources line does not name <stdin>"
# -o - is standard output too
"$A" -o - --format csv "$B" | cmp -s - tests/e2e/golden/10-basic.csv ||
	fail "-o - is not standard output"

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
	[ $status -eq 1 ] || fail "stdout on /dev/full: exit $status"
	grep -q 'No space left on device' "$TMPDIR/err" ||
		fail "stdout on /dev/full: stderr: $(cat "$TMPDIR/err")"
fi

[ $fails -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
