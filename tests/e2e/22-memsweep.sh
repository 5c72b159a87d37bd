#!/usr/bin/env bash
# 2026-11-25: bench memsweep. The checksum self-check passes for
# page counts that stress the stride choice (2 and 3 pages, a multiple of
# the preferred stride 1021, more passes than cache lines in a page), one
# seconds row per run; the CSV loads in analyze; bad options and sizes
# exit 2 with one message and no rows; SIGINT mid-run keeps whole rows.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"

# --help: stdout, exit 0, the definition and the unit.
bench_help memsweep
grep -q '(p + k S) mod P' <<<"$help" || fail "--help lacks the access pattern"

out="$TMPDIR/m.csv"
"$B" memsweep --size 4M --passes 4 --runs 3 --warmup 0 -o "$out" ||
	fail "memsweep exited $?"
whole_rows "$out"
[ "$(grep -c ',memsweep,seconds,.*,s,.*,lower,' "$out")" -eq 3 ] ||
	fail "expected 3 seconds rows"
awk -F, 'NR > 1 && !($4 > 0 && $4 < 60) { exit 1 }' "$out" ||
	fail "a time is not in (0, 60) s"

# 8168K = 2042 pages = 2 x 1021: the stride must skip the prime 1021 or a
# pass would visit only two pages and the checksum fails. 70 passes wrap
# the 64 cache lines of a 4 KiB page, so later passes overwrite bytes.
for size in 8K 12K 8168K; do
	"$B" memsweep --size $size --passes 70 --runs 1 --warmup 0 \
		>"$TMPDIR/one.csv" 2>"$TMPDIR/err" ||
		fail "memsweep --size $size exited $?: $(cat "$TMPDIR/err")"
	[ "$(wc -l <"$TMPDIR/one.csv")" -eq 2 ] || fail "--size $size: not one row"
done

ps=$(getconf PAGESIZE)
bench_usage memsweep "unknown option '--pases' (did you mean '--passes'?)" --pases 3
bench_usage memsweep "option '--passes' needs a value (N)" --passes
bench_usage memsweep "--passes '0' must be an integer from 1 to 100000" --passes 0
bench_usage memsweep "--size '100' must be a size from $((2 * ps)) to 70368744177664 bytes (suffixes K, M, G)" --size 100
bench_usage memsweep "--size $((2 * ps + 1000)) is not a multiple of the page size ($ps)" --size $((2 * ps + 1000))
# A buffer larger than memory.
bench_usage_like memsweep "^bench memsweep: --size 61440000 MiB exceeds the machine's [0-9]+ MiB$" \
	--size 60000G

# SIGINT mid-run: exit 130, whole rows only, still loads.
out="$TMPDIR/int.csv"
interrupt "$out" 10 "$B" memsweep --size 8M --passes 4 --runs 100000 -o "$out"

finish
