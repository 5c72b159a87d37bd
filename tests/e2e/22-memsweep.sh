#!/usr/bin/env bash
# 2026-11-25 issue 4: bench memsweep. The checksum self-check passes for
# page counts that stress the stride choice (2 and 3 pages, a multiple of
# the preferred stride 1021, more passes than cache lines in a page), one
# seconds row per run; the CSV loads in analyze; bad options and sizes
# exit 2 with one message and no rows; SIGINT mid-run keeps whole rows.
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
	out=$("$B" memsweep -o "$TMPDIR/bad.csv" "$@" 2>"$TMPDIR/err" </dev/null)
	status=$?
	[ $status -eq 2 ] || fail "memsweep $*: exit $status, expected 2"
	[ -z "$out" ] || fail "memsweep $*: wrote to stdout: $out"
	[ ! -e "$TMPDIR/bad.csv" ] || fail "memsweep $*: created the -o file"
	[ "$(cat "$TMPDIR/err")" = "bench memsweep: $want
try 'bench memsweep --help'" ] || fail "memsweep $*: stderr was
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
help=$("$B" memsweep --help) || fail "--help exited non-zero"
grep -q '^usage: bench memsweep ' <<<"$help" || fail "--help lacks the usage line"
grep -q '(p + k S) mod P' <<<"$help" || fail "--help lacks the access pattern"
grep -q '^Exit status:' <<<"$help" || fail "--help lacks the exit status"

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
usage "unknown option '--pases'" --pases 3
usage "option '--passes' needs a value" --passes
usage "--passes '0' must be an integer from 1 to 100000" --passes 0
usage "--size '100' must be a size from $((2 * ps)) to 70368744177664 bytes (suffixes K, M, G)" --size 100
usage "--size $((2 * ps + 1000)) is not a multiple of the page size ($ps)" --size $((2 * ps + 1000))
"$B" memsweep --size 60000G -o "$TMPDIR/big.csv" 2>"$TMPDIR/err"
[ $? -eq 2 ] && [ ! -e "$TMPDIR/big.csv" ] &&
	grep -Eq "^bench memsweep: --size 61440000 MiB exceeds the machine's [0-9]+ MiB$" \
	"$TMPDIR/err" || fail "a buffer larger than memory: $(cat "$TMPDIR/err")"

# SIGINT mid-run: exit 130, whole rows only, still loads.
out="$TMPDIR/int.csv"
"$B" memsweep --size 8M --passes 4 --runs 100000 -o "$out" 2>/dev/null &
pid=$!
for _ in $(seq 200); do
	[ "$(wc -l 2>/dev/null <"$out" || echo 0)" -gt 10 ] && break
	sleep 0.05
done
kill -INT $pid
wait $pid
status=$?
[ $status -eq 130 ] || fail "SIGINT: exit $status, expected 130"
whole_rows "$out"

[ $fails -eq 0 ]
