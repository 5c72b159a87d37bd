#!/usr/bin/env bash
# 2026-12-07: `bench CMD --check ARGS` parses and checks ARGS
# exactly as a run would, then exits (0 valid, 2 not) without measuring
# or writing anything; campaign asks it about every benchmark of a
# campaign. A misspelled command or option gets the nearest one.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"
out="$TMPDIR/out.csv"

# Valid options: exit 0, nothing printed, no output file (--check comes
# first, as campaign puts it, since after "--" it would be the
# command's).
check_ok() {
	rm -f "$out"
	expect_exit 0 "bench $*" "$B" "$1" --check -o "$out" "${@:2}" || return
	[ -s "$STDOUT" ] && fail "bench $*: printed $(head -c 200 "$STDOUT")"
	[ -s "$STDERR" ] && fail "bench $*: stderr $(head -c 200 "$STDERR")"
	[ -e "$out" ] && fail "bench $*: created the -o file"
}
check_ok linpack --n 2000 --runs 3
check_ok memsweep --size 64M --passes 4
check_ok stream --size 4M --ntimes 3
check_ok syscall --ops 10 --batches 2
check_ok forksum --from 1 --to 100
check_ok diskwrite --size 1 --path "$TMPDIR"
check_ok time --runs 2 -- /bin/true
check_ok http --requests 10 http://127.0.0.1:1/
check_ok imagesize "$B"
check_ok boot --timeout 5 -- /bin/true
check_ok memfloor --low 16M --high 64M -- qemu -m '{mem}'
[ -e "$TMPDIR/bench-diskwrite.tmp" ] && fail "diskwrite --check wrote a file"

# Invalid ones: the same message as without --check.
bench_usage linpack "--n '1' must be an integer from 2 to 20000" --check --n 1
bench_usage memsweep "--passes 'x' must be an integer from 1 to 100000" \
	--passes x --check
bench_usage linpack "unknown option '--size'" --check --size 200

# Did you mean: options of the subcommand, common options, commands.
bench_usage memsweep "unknown option '--pases' (did you mean '--passes'?)" \
	--pases 3
bench_usage stream "unknown option '--thread' (did you mean '--threads'?)" \
	--thread 2
bench_usage syscall "unknown option '--warmpu' (did you mean '--warmup'?)" \
	--warmpu 1
bench_usage linpack "unknown option '--chek' (did you mean '--check'?)" --chek
expect_exit 2 "bench linpak" "$B" linpak
[ "$(cat "$STDERR")" = "bench: unknown command 'linpak' (did you mean 'linpack'?)
try 'bench --help'" ] || fail "bench linpak: $(cat "$STDERR")"
expect_exit 2 "bench frobnicate" "$B" frobnicate
[ "$(cat "$STDERR")" = "bench: unknown command 'frobnicate'
try 'bench --help'" ] || fail "bench frobnicate: $(cat "$STDERR")"
expect_exit 2 "bench --hepl" "$B" --hepl
[ "$(cat "$STDERR")" = "bench: unknown option '--hepl' (did you mean '--help'?)
try 'bench --help'" ] || fail "bench --hepl: $(cat "$STDERR")"
expect_exit 2 "bench --runs 3 linpack" "$B" --runs 3 linpack
[ "$(cat "$STDERR")" = "bench: unknown option '--runs' (before the command only --help and --version; the command's options follow it)
try 'bench --help'" ] || fail "bench --runs 3 linpack: $(cat "$STDERR")"
# serve and guest have no common options: none is suggested.
expect_exit 2 "bench serve --run" "$B" serve --run
grep -q "did you mean" "$STDERR" && fail "serve suggested: $(cat "$STDERR")"
grep -q -- '--check' <<<"$("$B" linpack --help)" ||
	fail "--check missing from the help"
finish
