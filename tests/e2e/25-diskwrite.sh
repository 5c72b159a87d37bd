#!/usr/bin/env bash
# 2026-11-25 issue 4: bench diskwrite. Writes in a private directory: one
# MB/s row per run, the file removed after each run (also with --direct
# and --no-fallocate, and when SIGINT arrives mid-write), the CSV loads in
# analyze; a missing or too small directory and bad sizes exit 2 with no
# rows and no file left.
set -u
cd "$TOP" || exit 1
B="$BIN/bench"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# usage WANTED_MESSAGE ARGS...: exit 2, exact stderr, no stdout, no -o file
usage() {
	local want=$1 out status
	shift
	rm -f "$TMPDIR/bad.csv"
	out=$("$B" diskwrite -o "$TMPDIR/bad.csv" "$@" 2>"$TMPDIR/err" </dev/null)
	status=$?
	[ $status -eq 2 ] || fail "diskwrite $*: exit $status, expected 2"
	[ -z "$out" ] || fail "diskwrite $*: wrote to stdout: $out"
	[ ! -e "$TMPDIR/bad.csv" ] || fail "diskwrite $*: created the -o file"
	[ "$(cat "$TMPDIR/err")" = "bench diskwrite: $want
try 'bench diskwrite --help'" ] || fail "diskwrite $*: stderr was
$(cat "$TMPDIR/err")"
}

# whole_rows FILE: header, ten fields per line, ends with a newline
whole_rows() {
	[ "$(head -n 1 "$1")" = \
	  "platform,benchmark,metric,value,unit,run,better,config,host,timestamp" ] ||
		fail "$1: wrong header"
	awk -F, 'NF != 10 { exit 1 }' "$1" || fail "$1: a line without 10 fields"
	[ "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" = 0a ] ||
		fail "$1: does not end with a newline"
	"$BIN/analyze" --format csv "$1" >/dev/null ||
		fail "$1: analyze cannot load it"
}

# --help: stdout, exit 0, the definition and the unit.
help=$("$B" diskwrite --help) || fail "--help exited non-zero"
grep -q '^usage: bench diskwrite ' <<<"$help" || fail "--help lacks the usage line"
grep -q 'MB/s' <<<"$help" || fail "--help lacks the unit"
grep -q '^Exit status:' <<<"$help" || fail "--help lacks the exit status"

dir="$TMPDIR/disk"
mkdir -p "$dir"
empty() { [ -z "$(ls -A "$dir")" ] || fail "$1: left $(ls -A "$dir")"; }

out="$TMPDIR/d.csv"
"$B" diskwrite --size 8 --bs 64K --path "$dir" --runs 3 -o "$out" ||
	fail "diskwrite exited $?"
whole_rows "$out"
empty "diskwrite"
[ "$(grep -c ',diskwrite,write,.*,MB/s,.*,higher,,' "$out")" -eq 3 ] ||
	fail "expected 3 write rows in MB/s"
awk -F, 'NR > 1 && !($4 > 0) { exit 1 }' "$out" || fail "a rate is not positive"

# A last block shorter than --bs, and no preallocation.
"$B" diskwrite --size 1000K --bs 384K --no-fallocate --path "$dir" --runs 1 \
	>"$TMPDIR/one.csv" || fail "--size 1000K --bs 384K exited $?"
[ "$(wc -l <"$TMPDIR/one.csv")" -eq 2 ] || fail "--no-fallocate: not one row"
empty "--no-fallocate"

# O_DIRECT: either it works (one row, config direct) or the file system
# refuses it with the documented message, exit 1 and not even a header.
"$B" diskwrite --direct --size 4 --path "$dir" --runs 1 >"$TMPDIR/dio.csv" \
	2>"$TMPDIR/err"
case $? in
0) grep -q ',higher,direct,' "$TMPDIR/dio.csv" || fail "--direct: config is not direct" ;;
1) grep -q 'refuses O_DIRECT' "$TMPDIR/err" || fail "--direct: $(cat "$TMPDIR/err")"
   [ ! -s "$TMPDIR/dio.csv" ] || fail "--direct refused: output written" ;;
*) fail "--direct: exit $?" ;;
esac
empty "--direct"

usage "unknown option '--dir'" --dir "$dir"
usage "option '--path' needs a value" --path
usage "--path '$TMPDIR/none' is not a directory" --path "$TMPDIR/none"
usage "--size '0' must be an integer from 1 to 1073741824" --size 0 --path "$dir"
usage "--bs '100' must be a size from 512 to 1073741824 bytes (suffixes K, M, G)" --bs 100 --path "$dir"
usage "--direct needs --bs and --size to be multiples of 4096" --direct --bs 6000 --path "$dir"
"$B" diskwrite --size 1073741824 --path "$dir" -o "$TMPDIR/big.csv" 2>"$TMPDIR/err"
[ $? -eq 2 ] && [ ! -e "$TMPDIR/big.csv" ] &&
	grep -Eq "^bench diskwrite: --size 1073741824 MiB exceeds the [0-9]+ MiB free in '$dir'$" \
	"$TMPDIR/err" || fail "a size beyond the free space: $(cat "$TMPDIR/err")"
empty "usage errors"

# SIGINT while writing: exit 130, whole rows only, the file removed.
out="$TMPDIR/int.csv"
"$B" diskwrite --size 64 --bs 4K --path "$dir" --runs 100000 -o "$out" \
	2>"$TMPDIR/err" &
pid=$!
for _ in $(seq 200); do
	[ "$(wc -l 2>/dev/null <"$out" || echo 0)" -gt 2 ] && break
	sleep 0.05
done
kill -INT $pid
wait $pid
status=$?
[ $status -eq 130 ] || fail "SIGINT: exit $status, expected 130"
whole_rows "$out"
empty "SIGINT"

[ $fails -eq 0 ]
