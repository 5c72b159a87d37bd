#!/usr/bin/env bash
# 2026-11-25: bench linpack. The normalized residual is reported
# per run, identical across runs (the same matgen matrix), close to the
# one LAPACK gives for the same system and, at n = 100, equal to netlib
# linpackc's; KFLOPS are positive; --n sets the config column; the CSV
# loads in analyze; bad options exit 2 with one message, the try line and
# no rows; SIGINT mid-run keeps whole rows.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"

# --help: stdout, exit 0, the definition and the unit.
bench_help linpack
grep -q '2/3 N^3 + 2 N^2' <<<"$help" || fail "--help lacks the operation count"
grep -q 'not matgen' <<<"$help" || fail "--help does not say what is timed"
grep -q 'declared restrict' <<<"$help" ||
	fail "--help does not say how daxpy is compiled"

# Reference residuals ||Ax - b|| / (n ||A|| ||x|| eps), max norms, of the
# matgen system solved by LAPACK: /usr/bin/python3 with numpy 1.24,
# np.linalg.solve(a, a.sum(axis=1)) on matgen's a: 1.840 for n = 100 and
# 3.350 for n = 200. Another elimination order rounds differently, so
# agreement within a factor of 3 is required, not equality.
check_residual() {	# FILE REFERENCE
	awk -F, -v ref="$2" '$3 == "residual_norm" {
		n++; if (n == 1) first = $4
		if ($4 != first || $4 <= ref / 3 || $4 >= ref * 3) bad = 1 }
		END { exit bad || n == 0 }' "$1" ||
		fail "$1: residual_norm not within 3x of $2 or not the same every run"
}

out="$TMPDIR/l100.csv"
"$B" linpack --n 100 --runs 3 --warmup 0 --min-time 0 -o "$out" ||
	fail "linpack --n 100 exited $?"
whole_rows "$out"
# The classic algorithm, operation for operation: netlib's linpackc
# (benchmark/linpackc, public copy 2000nickels/linpackc, sha256 022554b3...),
# built with gcc 12 -O2 -DDP -DUNROLL, prints ||A x - b|| = 7.41628980e-14
# at n = 100; divided by n ||A|| ||x|| eps = 100 * 32767/16384 * 1 * 2^-52
# (||x|| is 1 to within 2e-14) that is 1.67005096(5). Another order of
# operations (LAPACK above) rounds differently, so equality to 1e-8
# says dgefa/dgesl and the BLAS do what the classic code does.
awk -F, '$3 == "residual_norm" { n++; d = $4 - 1.670050965
	if (d < -1e-8 || d > 1e-8) bad = 1 } END { exit bad || n != 3 }' "$out" ||
	fail "n = 100: residual_norm is not linpackc's 1.670050965"
[ "$(grep -c ',linpack,kflops,.*,KFLOPS,.*,higher,n=100,' "$out")" -eq 3 ] ||
	fail "expected 3 kflops rows with config n=100"
[ "$(grep -c ',linpack,residual_norm,.*,,.*,lower,n=100,' "$out")" -eq 3 ] ||
	fail "expected 3 residual_norm rows without a unit"
awk -F, '$3 == "kflops" && !($4 > 0) { exit 1 }' "$out" ||
	fail "a KFLOPS value is not positive"
check_residual "$out" 1.840

out="$TMPDIR/l200.csv"
"$B" linpack --runs 2 -o "$out" || fail "linpack (n = 200) exited $?"
whole_rows "$out"
[ "$(grep -c ',lower,,' "$out")" -eq 2 ] || fail "default n must leave config empty"
check_residual "$out" 3.350

# The rolled daxpy does the same operations in the same order: the same
# residual, and the config says which form ran.
out="$TMPDIR/rolled.csv"
"$B" linpack --n 100 --blas rolled --runs 2 --min-time 0 -o "$out" ||
	fail "linpack --blas rolled exited $?"
whole_rows "$out"
[ "$(grep -c ',n=100+blas=rolled,' "$out")" -eq 4 ] ||
	fail "--blas rolled: config is not n=100+blas=rolled"
[ "$(awk -F, '$3 == "residual_norm" { print $4 }' "$out" | sort -u)" = \
  "$(awk -F, '$3 == "residual_norm" { print $4 }' "$TMPDIR/l100.csv" | sort -u)" ] ||
	fail "--blas rolled changed the residual"

bench_usage linpack "unknown option '-n'" -n 100
bench_usage linpack "--blas 'fast' is not one of unrolled, rolled" --blas fast
bench_usage linpack "option '--n' needs a value (N)" --n
bench_usage linpack "--n '1' must be an integer from 2 to 20000" --n 1
bench_usage linpack "--n '20001' must be an integer from 2 to 20000" --n 20001
bench_usage linpack "--min-time 'soon' must be a number from 0 to 3600" --min-time soon
bench_usage linpack "--warmup '-1' must be an integer from 0 to 1000000" --warmup -1

# SIGINT mid-run: exit 130, whole rows only, still loads.
out="$TMPDIR/int.csv"
interrupt "$out" 20 "$B" linpack --n 100 --min-time 0.01 --runs 100000 -o "$out"

finish
