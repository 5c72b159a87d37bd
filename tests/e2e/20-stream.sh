#!/usr/bin/env bash
# 2026-11-25: bench stream. At a small size: STREAM's validation
# passes (exit 0) for one, two and three threads (slices not a multiple
# of the 8-element blocks), a row per kernel per measured
# iteration (the first of --ntimes discarded), rates positive in MB/s and
# Add/Triad counted with 24 bytes per element; the CSV loads in analyze;
# bad options exit 2 with one message, the try line and no rows; SIGINT
# mid-run exits 130 and keeps a valid CSV of whole rows.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"

# --help: stdout, exit 0, the definition and the unit.
bench_help stream
grep -q 'MB/s (10^6 bytes' <<<"$help" || fail "--help does not define MB/s"

# One thread: 2 runs x (5 - 1) iterations x 4 kernels = 32 rows.
out="$TMPDIR/s1.csv"
"$B" stream --size 200000 --ntimes 5 --runs 2 --platform test -o "$out" \
	2>"$TMPDIR/err1" || fail "stream exited $? (validation?): $(cat "$TMPDIR/err1")"
whole_rows "$out"
[ "$(tail -n +2 "$out" | wc -l)" -eq 32 ] || fail "expected 32 rows"
for k in copy scale add triad; do
	[ "$(grep -c ",stream,$k,.*,MB/s," "$out")" -eq 8 ] ||
		fail "expected 8 $k rows in MB/s"
done
awk -F, 'NR > 1 && !($4 > 0 && $7 == "higher" && $1 == "test") { exit 1 }' \
	"$out" || fail "a rate is not positive, or better/platform wrong"
# The run column numbers the 8 measured iterations 0..7.
[ "$(tail -n +2 "$out" | cut -d, -f6 | sort -n | uniq | tr '\n' ' ')" = \
  "0 1 2 3 4 5 6 7 " ] || fail "run column is not 0..7"
[ -s "$TMPDIR/s1.meta.json" ] || fail "no .meta.json sidecar"

# Two threads: validation passes, config says so; --size in bytes.
out="$TMPDIR/s2.csv"
"$B" stream --size 2M --ntimes 3 --threads 2 -o "$out" 2>/dev/null ||
	fail "stream --threads 2 exited $?"
whole_rows "$out"
[ "$(grep -c ',threads=2,' "$out")" -eq 8 ] || fail "config is not threads=2"

# Slices that are not whole blocks of 8 (100003 elements on 3 threads:
# 33334 and 33335 each): every element goes through the blocked loops or
# their scalar tails, which STREAM's validation of every element checks.
out="$TMPDIR/s3.csv"
"$B" stream --size 100003 --ntimes 3 --threads 3 -o "$out" 2>"$TMPDIR/err3" ||
	fail "stream --size 100003 --threads 3 exited $?: $(cat "$TMPDIR/err3")"
whole_rows "$out"
[ "$(tail -n +2 "$out" | wc -l)" -eq 8 ] || fail "--size 100003: expected 8 rows"

# A small array is reported as measuring the cache.
grep -q 'smaller than 4 times the last-level cache' "$TMPDIR/err1" ||
	fail "no warning for arrays below 4x the last-level cache"

# Nothing mounted on /proc and /sys (as /init of a VM): the cache size
# comes from CPUID, or 32 MiB is assumed with a warning; either way the
# run validates.
# Not under the sanitizers: they read their options from
# /proc/self/environ and LeakSanitizer needs /proc/PID/task, so without
# /proc the sanitized build aborts at exit whatever bench does.
if [ "${SANITIZED:-0}" = 1 ]; then
	echo "note: run without /proc and /sys not tested under the sanitizers"
elif [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	unshare -m sh -c 'mount -t tmpfs none /proc && mount -t tmpfs none /sys &&
		exec "$0" stream --size 100000 --ntimes 3' "$B" \
		>"$TMPDIR/noproc.csv" 2>"$TMPDIR/err" ||
		fail "without /proc and /sys: exit $?: $(cat "$TMPDIR/err")"
	[ "$(wc -l <"$TMPDIR/noproc.csv")" -eq 9 ] ||
		fail "without /proc and /sys: expected 8 rows"
else
	echo "note: run without /proc and /sys not tested (needs root and unshare)"
fi

bench_usage stream "unknown option '--sise' (did you mean '--size'?)" --sise 100000
bench_usage stream "option '--ntimes' needs a value (N)" --ntimes
bench_usage stream "--ntimes '1' must be an integer from 2 to 100000" --ntimes 1
bench_usage stream "--size '12' must be an integer from 1024 to 1099511627776" --size 12
bench_usage stream "--size '10q' must be a size from 8192 to 8796093022208 bytes (suffixes K, M, G)" --size 10q
bench_usage stream "--threads '0' must be an integer from 1 to 1024" --threads 0
bench_usage stream "--runs 'x' must be an integer from 1 to 1000000" --runs x
# Arrays larger than memory.
bench_usage_like stream '^bench stream: three arrays of 1099511627776 doubles need 25165824 MiB but the machine has [0-9]+ MiB \(lower --size\)$' \
	--size 1099511627776

# SIGINT mid-run: exit 130, whole rows only, still loads.
out="$TMPDIR/int.csv"
interrupt "$out" 100 "$B" stream --size 400000 --ntimes 20 --runs 100000 -o "$out"

finish
