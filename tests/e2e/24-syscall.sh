#!/usr/bin/env bash
# 2026-11-25: bench syscall. Per run, eight rows: getpid,
# sched_yield, malloc and write_access in cycles and, as *_ns, in ns, all
# positive and better lower; cycles and ns of one operation agree through
# the TSC rate; a real system call costs more than nothing; the CSV loads
# in analyze (distinct metrics per unit); bad options exit 2, no rows.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"

# --help: stdout, exit 0, the definition and the unit.
bench_help syscall
grep -q 'syscall(SYS_getpid)' <<<"$help" || fail "--help lacks the getpid definition"

out="$TMPDIR/s.csv"
"$B" syscall --batches 11 --ops 200 --runs 2 --warmup 0 -o "$out" ||
	fail "syscall exited $?"
whole_rows "$out"
[ "$(tail -n +2 "$out" | wc -l)" -eq 16 ] || fail "expected 16 rows"
for op in getpid sched_yield malloc write_access; do
	[ "$(grep -c ",syscall,$op,.*,cycles,.*,lower," "$out")" -eq 2 ] ||
		fail "expected 2 $op rows in cycles"
	[ "$(grep -c ",syscall,${op}_ns,.*,ns,.*,lower," "$out")" -eq 2 ] ||
		fail "expected 2 ${op}_ns rows in ns"
done
awk -F, 'NR > 1 && !($4 > 0) { exit 1 }' "$out" || fail "a cost is not positive"
# Cycles per ns is the TSC rate in GHz (1 off x86): between 0.1 and 20 for
# every operation, or the two clocks measured different things.
awk -F, 'NR > 1 { m = $3; sub(/_ns$/, "", m); v[m, $5 == "ns", $6] = $4 }
	END { for (k in v) { split(k, p, SUBSEP); if (p[2] == 1) continue
		r = v[p[1], 0, p[3]] / v[p[1], 1, p[3]]
		if (!(r > 0.1 && r < 20)) exit 1 } }' "$out" ||
	fail "cycles / ns outside 0.1..20 GHz"
# A kernel entry takes well over 10 ns on any machine of this decade
# (HermitCore's table: 9 cycles is a unikernel's function call); a libc
# that cached getpid would report about 1 ns.
awk -F, '$3 == "getpid_ns" && !($4 > 10) { exit 1 }' "$out" ||
	fail "getpid_ns <= 10 ns: not a real system call"

bench_usage syscall "unknown option '--batch' (did you mean '--batches'?)" --batch 3
bench_usage syscall "option '--ops' needs a value (N)" --ops
bench_usage syscall "--ops '0' must be an integer from 1 to 100000" --ops 0
bench_usage syscall "--batches '1.5' must be an integer from 1 to 100000" --batches 1.5
bench_usage syscall "--platform must not contain line breaks" --platform "a
b"

finish
