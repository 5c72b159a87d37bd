#!/usr/bin/env bash
# 2026-11-25: bench diskwrite. Writes in a private directory: one
# MB/s row per run, the file removed after each run (also with --direct
# and --no-fallocate, and when SIGINT arrives mid-write), the CSV loads in
# analyze; a missing or too small directory and bad sizes exit 2 with no
# rows and no file left.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"

# --help: stdout, exit 0, the definition and the unit.
bench_help diskwrite
grep -q 'MB/s' <<<"$help" || fail "--help lacks the unit"

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

bench_usage diskwrite "unknown option '--dir' (did you mean '--direct'?)" --dir "$dir"
bench_usage diskwrite "option '--path' needs a value (DIR)" --path
bench_usage diskwrite "--path '$TMPDIR/none' is not a directory" --path "$TMPDIR/none"
bench_usage diskwrite "--size '0' must be an integer from 1 to 1073741824" --size 0 --path "$dir"
bench_usage diskwrite "--bs '100' must be a size from 512 to 1073741824 bytes (suffixes K, M, G)" --bs 100 --path "$dir"
bench_usage diskwrite "--direct needs --bs and --size to be multiples of 4096" --direct --bs 6000 --path "$dir"
# A size beyond the free space.
bench_usage_like diskwrite "^bench diskwrite: --size 1073741824 MiB exceeds the [0-9]+ MiB free in '$dir'$" \
	--size 1073741824 --path "$dir"
empty "usage errors"

# SIGINT while writing: exit 130, whole rows only, the file removed.
out="$TMPDIR/int.csv"
interrupt "$out" 2 "$B" diskwrite --size 64 --bs 4K --path "$dir" --runs 100000 -o "$out"
empty "SIGINT"

finish
