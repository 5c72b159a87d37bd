#!/usr/bin/env bash
# 2026-11-25: bench time. real is wall-clock around the command
# (sleep 0.2 takes 0.2 s: an independent reference), user/sys come from
# wait4 (a CPU-bound command has user > 0, a syscall-bound one sys > 0),
# --prepare runs before every run (warm-ups included) and is not timed,
# exit statuses are checked (-i accepts them), stdin is /dev/null and
# output is hidden unless --show-output; --shell runs a pipeline. Bad
# options exit 2 with one message, the try line and no rows; SIGINT
# mid-run exits 130 and keeps a valid CSV of whole rows; the CSV loads in
# analyze; the man page SYNOPSIS matches --help.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"

# mean FILE METRIC: mean value of the metric's rows
mean() {
	awk -F, -v m="$2" '$3 == m { s += $4; n++ } END { if (n) printf "%.6f", s / n }' "$1"
}

# --help: stdout, exit 0, the definitions and the unit.
bench_help time
grep -q '^usage: bench time \[options\] \[--\] CMD \[ARG...\]$' <<<"$help" ||
	fail "--help lacks the usage line"
grep -q 'CLOCK_MONOTONIC' <<<"$help" || fail "--help does not define real"
grep -q 'ru_utime' <<<"$help" || fail "--help does not define user"

# real: sleep 0.2 (coreutils) is 0.2 s of wall clock plus start-up. The
# upper bound leaves room for a loaded machine.
out="$TMPDIR/sleep.csv"
"$B" time --runs 3 --platform test -o "$out" -- sleep 0.2 2>"$TMPDIR/err" ||
	fail "time sleep exited $?: $(cat "$TMPDIR/err")"
whole_rows "$out"
[ "$(tail -n +2 "$out" | wc -l)" -eq 9 ] || fail "sleep: expected 9 rows"
for m in real user sys; do
	[ "$(grep -c "^test,time:sleep,$m,[0-9.e-]*,s,[0-2],lower," "$out")" -eq 3 ] ||
		fail "sleep: expected 3 $m rows in s, runs 0-2, better lower"
done
awk -F, '$3 == "real" && !($4 >= 0.2 && $4 < 1.5) { exit 1 }' "$out" ||
	fail "sleep 0.2: real outside [0.2, 1.5) s: $(grep real "$out")"
[ -s "$TMPDIR/sleep.meta.json" ] || fail "no .meta.json sidecar"

# user: sha256sum of 32 MiB is CPU-bound, single-threaded: user > 0 and
# user <= real (+ the clock granularity of rusage).
head -c 33554432 /dev/zero >"$TMPDIR/zero.bin"
out="$TMPDIR/sha.csv"
"$B" time --runs 2 -o "$out" sha256sum "$TMPDIR/zero.bin" 2>"$TMPDIR/err" ||
	fail "time sha256sum exited $?: $(cat "$TMPDIR/err")"
grep -q ',time:sha256sum,' "$out" || fail "benchmark is not time:sha256sum"
awk -F, '$3 == "user" { u = $4 } $3 == "real" { r = $4 }
	$3 == "sys" { if (!(u > 0.01 && u <= r + 0.01)) exit 1 }' "$out" ||
	fail "sha256sum: user not in (0.01, real]: $(cat "$out")"

# sys: dd moving 2 GiB from /dev/zero to /dev/null spends its time in
# read(2)/write(2): sys > user.
out="$TMPDIR/dd.csv"
"$B" time --runs 1 -o "$out" dd if=/dev/zero of=/dev/null bs=1M count=2048 \
	2>"$TMPDIR/err" || fail "time dd exited $?: $(cat "$TMPDIR/err")"
awk -F, '$3 == "user" { u = $4 } $3 == "sys" { s = $4 }
	END { exit !(s > 0.02 && s > u) }' "$out" ||
	fail "dd: sys not > user: $(cat "$out")"

# --prepare runs before every run, warm-ups included (1 + 2 = 3 lines),
# its quoting is split like a shell's, and the command sees its effect.
out="$TMPDIR/prep.csv"
"$B" time --warmup 1 --runs 2 -o "$out" \
	--prepare "sh -c 'echo \"a b\" >> $TMPDIR/count; touch $TMPDIR/flag'" \
	-- rm "$TMPDIR/flag" 2>"$TMPDIR/err" ||
	fail "--prepare: exit $?: $(cat "$TMPDIR/err")"
[ "$(cat "$TMPDIR/count" 2>/dev/null)" = "a b
a b
a b" ] || fail "--prepare did not run 3 times with 'a b': $(cat "$TMPDIR/count")"
[ "$(grep -c ',real,' "$out")" -eq 2 ] || fail "--prepare: expected 2 runs"

# --prepare is not timed: 0.5 s of preparation, a command of ~0.
out="$TMPDIR/untimed.csv"
"$B" time --runs 2 -o "$out" --prepare "sleep 0.5" true 2>/dev/null ||
	fail "--prepare sleep: exit $?"
awk -F, '$3 == "real" && $4 >= 0.25 { exit 1 }' "$out" ||
	fail "--prepare time counted in real: $(grep real "$out")"

# A failing command is exit 1 with a message; -i accepts it.
"$B" time --runs 2 false >"$TMPDIR/f.csv" 2>"$TMPDIR/err"
[ $? -eq 1 ] || fail "false: expected exit 1"
[ "$(cat "$TMPDIR/err")" = "bench time: command 'false' exited with status 1 (see its output with --show-output, accept it with --ignore-failure)" ] ||
	fail "false: stderr was $(cat "$TMPDIR/err")"
[ "$(wc -l <"$TMPDIR/f.csv")" -eq 1 ] || fail "false: rows were written"
"$B" time --runs 2 -i false >"$TMPDIR/f.csv" 2>/dev/null ||
	fail "-i false: exit $?"
[ "$(grep -c ',real,' "$TMPDIR/f.csv")" -eq 2 ] || fail "-i false: expected 2 runs"
"$B" time --runs 1 --prepare false true >/dev/null 2>"$TMPDIR/err"
[ $? -eq 1 ] && grep -q "prepare command 'false' exited with status 1" \
	"$TMPDIR/err" || fail "failing --prepare: $(cat "$TMPDIR/err")"
"$B" time --runs 1 --shell 'kill -TERM $$' >/dev/null 2>"$TMPDIR/err"
[ $? -eq 1 ] && grep -q "was killed by signal 15" "$TMPDIR/err" ||
	fail "killed command: $(cat "$TMPDIR/err")"

# Output hidden by default, shown with --show-output; stdin is /dev/null
# (cat would print the piped text if it inherited it).
out=$(echo piped | "$B" time --runs 1 -- echo marker 2>/dev/null)
grep -q marker <<<"$out" && fail "output shown without --show-output"
out=$(echo piped | "$B" time --runs 1 --show-output -- echo marker 2>/dev/null)
grep -q '^marker$' <<<"$out" || fail "--show-output did not show the output"
out=$(echo piped | "$B" time --runs 1 --show-output cat 2>/dev/null)
grep -q piped <<<"$out" && fail "stdin of the command is not /dev/null"

# --shell: a pipeline, named after its first word; its status counts.
out=$("$B" time --runs 1 --shell -- 'echo hi | grep -q hi' 2>/dev/null) ||
	fail "--shell pipeline: exit $?"
grep -q ',time:echo,real,' <<<"$out" || fail "--shell: benchmark not time:echo"
"$B" time --runs 1 --shell 'echo hi | grep -q nope' >/dev/null 2>&1
[ $? -eq 1 ] || fail "--shell failing pipeline: expected exit 1"

bench_usage time "no command given (bench time -- CMD [ARG...])"
bench_usage time "no command given (bench time -- CMD [ARG...])" --runs 2 --
bench_usage time "unknown option '--bogus'" --bogus true
bench_usage time "option '--prepare' needs a value (CMD)" --prepare
bench_usage time "--runs '0' must be an integer from 1 to 1000000" --runs 0 true
bench_usage time "command 'no-such-command-h7' not found or not executable (a shell command line needs --shell)" no-such-command-h7
bench_usage time "--prepare ''x' is empty, has an unterminated quote or more than 255 words" --prepare "'x" true
bench_usage time "--prepare command 'no-such-prep-h7' not found or not executable" --prepare no-such-prep-h7 true

# SIGINT mid-run: exit 130, whole rows (3 per run) only, still loads.
out="$TMPDIR/int.csv"
interrupt "$out" 10 "$B" time --runs 100000 -o "$out" sleep 0.02
[ $(( ($(wc -l <"$out") - 1) % 3 )) -eq 0 ] ||
	fail "SIGINT: rows are not whole runs of 3"

# The man page SYNOPSIS is the usage line of --help.
man_synopsis bench-time.1 "$B" time --help

finish
