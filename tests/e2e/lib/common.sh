# Helpers shared by the end-to-end scripts, sourced right after `set -u`:
#
#   . "$TOP/tests/e2e/lib/common.sh"
#
# It lives one directory below tests/e2e so that tests/run, which runs every
# tests/e2e/*.sh, never runs it as a test. It moves to $TOP (scripts name
# files relative to the repository) and sets A (the analyze binary) and PY
# (the Python that has scipy and pandas: plain `python3` may lack them).
#
# Two ways to fail: `fail` counts a failed check and the script goes on, so
# one run lists every broken check, then `finish` exits 1 if any failed;
# `die` stops at once, for a script whose later steps need the earlier
# ones. What these helpers print on a failure starts with FAIL; tests/run
# shows a failed script's output.
#
# STDOUT and STDERR are where expect_exit leaves what the command it ran
# printed, for the checks that follow.

cd "$TOP" || exit 1
A="$BIN/analyze"
PY=/usr/bin/python3
STDOUT="$TMPDIR/stdout"
STDERR="$TMPDIR/stderr"
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
die() { echo "FAIL: $*"; exit 1; }
# finish [MESSAGE]: the script's end: exit 1 if a check failed, else print
# MESSAGE (if given) and exit 0.
finish() {
	[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
	[ $# -eq 0 ] || echo "$*"
	exit 0
}

# require PROGRAM REASON: skip the whole script (exit 77, REASON as the
# first line, as tests/run wants) unless PROGRAM is on PATH or is an
# executable path.
require() {
	command -v "$1" >/dev/null 2>&1 || missing "$2"
}

# missing REASON: a program the whole script needs is absent: skip, as
# require does. Under TESTS_STRICT_REQUIRE=1 (make check-clean sets it:
# there 'make deps' has run, so every program a test needs is installed
# unless its Debian package is missing from the Makefile's lists) the
# script fails instead, saying so.
missing() {
	if [ "${TESTS_STRICT_REQUIRE:-0}" = 1 ]; then
		echo "FAIL: $1 (although make deps ran: is its Debian package" \
		     "missing from the Makefile's package lists?)"
		exit 1
	fi
	echo "$1"
	exit 77
}

# partly_missing NOTE: a program one part of the script needs is absent:
# that part is left out with a note, or under TESTS_STRICT_REQUIRE=1 it
# is a failed check (see missing).
partly_missing() {
	if [ "${TESTS_STRICT_REQUIRE:-0}" = 1 ]; then
		fail "$1 (although make deps ran: is its Debian package" \
		     "missing from the Makefile's package lists?)"
	else
		echo "note: $1"
	fi
}

# expect_exit STATUS WHAT CMD...: run CMD with standard input from
# /dev/null, its output in $STDOUT and $STDERR, and fail WHAT unless it
# exits STATUS. Returns 0 when the status matched.
expect_exit() {
	local want=$1 what=$2 status
	shift 2
	"$@" </dev/null >"$STDOUT" 2>"$STDERR"
	status=$?
	[ "$status" = "$want" ] && return 0
	fail "$what: exit $status, expected $want; stderr: $(head -n 5 "$STDERR")"
	return 1
}

# expect_usage TOOL MESSAGE CMD...: CMD is a usage error of TOOL (e.g.
# "analyze", "bench stream"): exit 2, nothing on standard output, and on
# standard error exactly "TOOL: MESSAGE" then "try 'TOOL --help'".
expect_usage() {
	local tool=$1 want=$2 err
	shift 2
	expect_exit 2 "$*" "$@"
	[ -s "$STDOUT" ] && fail "$*: wrote to stdout: $(cat "$STDOUT")"
	err=$(cat "$STDERR")
	[ "$err" = "$tool: $want
try '$tool --help'" ] || fail "$*: stderr was
$err
expected
$tool: $want"
}

# same_file WANT GOT WHAT: GOT equals WANT byte for byte (the diff is
# shown when it does not).
same_file() {
	cmp -s "$1" "$2" && return 0
	fail "$3: $2 differs from $1:
$(diff -u "$1" "$2" | head -n 40)"
	return 1
}

# jcheck JSON_FILE PYTHON WHAT: run the Python assertions PYTHON with d the
# parsed file and near(a, b, rel=1e-9) asserting a relative difference;
# fail WHAT if any of them does not hold. $JCHECK_PRELUDE, when set, is
# Python run first (names the checks of a script share).
jcheck() {
	"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
def near(a, b, rel=1e-9):
    assert abs(a - b) <= rel * abs(b), (a, b)
exec(sys.argv[3])
exec(sys.argv[2])' "$1" "$2" "${JCHECK_PRELUDE:-}" || fail "$3"
}

# jcheck_findings JSON_FILE PYTHON WHAT: jcheck on an --explain report,
# with f its findings (a list: null fails), gname(i) the key of group i
# joined by '/' (empty values left out) and kinds the (kind, gname) pairs
# of the findings, in order.
jcheck_findings() {
	JCHECK_PRELUDE='f = d["findings"]
def gname(i):
    return "/".join(v for v in d["groups"][i]["key"].values() if v)
kinds = [(x["kind"], gname(x["group"])) for x in f]' jcheck "$@"
}

# The bench runners' checks (the 2x and 3x scripts).

# bench_usage SUB MESSAGE ARGS...: `bench SUB -o FILE ARGS...` is a usage
# error (expect_usage "bench SUB") and leaves no -o file behind: a usage
# error is found before any output is opened.
bench_usage() {
	local sub=$1 want=$2
	shift 2
	rm -f "$TMPDIR/bad.csv"
	expect_usage "bench $sub" "$want" "$BIN/bench" "$sub" -o "$TMPDIR/bad.csv" "$@"
	[ ! -e "$TMPDIR/bad.csv" ] || fail "bench $sub $*: created the -o file"
}

# bench_usage_like SUB ERE ARGS...: bench_usage for a message that depends
# on the machine (its memory, its free space): the first line of standard
# error matches the extended regular expression ERE (anchor it with ^ and
# $), the second is the try line.
bench_usage_like() {
	local sub=$1 re=$2
	shift 2
	rm -f "$TMPDIR/bad.csv"
	expect_exit 2 "bench $sub $*" "$BIN/bench" "$sub" -o "$TMPDIR/bad.csv" "$@"
	[ -s "$STDOUT" ] && fail "bench $sub $*: wrote to stdout: $(cat "$STDOUT")"
	[ ! -e "$TMPDIR/bad.csv" ] || fail "bench $sub $*: created the -o file"
	{ head -n 1 "$STDERR" | grep -Eq "$re" &&
	  [ "$(tail -n +2 "$STDERR")" = "try 'bench $sub --help'" ]; } ||
		fail "bench $sub $*: stderr was
$(cat "$STDERR")
expected a line matching $re, then the try line"
}

# whole_rows FILE: a runner's CSV: the data contract's header, ten fields
# on every line, a final newline (no half-written row), and analyze loads it.
whole_rows() {
	[ "$(head -n 1 "$1")" = \
	  "platform,benchmark,metric,value,unit,run,better,config,host,timestamp" ] ||
		fail "$1: wrong header"
	awk -F, 'NF != 10 { exit 1 }' "$1" || fail "$1: a line without 10 fields"
	[ "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" = 0a ] ||
		fail "$1: does not end with a newline"
	"$A" --format csv "$1" >/dev/null || fail "$1: analyze cannot load it"
}

# send_sigint OUT LINES CMD...: start CMD (writing its CSV to OUT, its
# stderr to $TMPDIR/int.err) in the background, send it SIGINT once OUT
# has more than LINES lines (or after 10 s) and wait for it; its exit
# status is left in $status.
send_sigint() {
	local out=$1 lines=$2 pid
	shift 2
	"$@" 2>"$TMPDIR/int.err" &
	pid=$!
	for _ in $(seq 200); do
		[ "$(wc -l 2>/dev/null <"$out" || echo 0)" -gt "$lines" ] && break
		sleep 0.05
	done
	kill -INT $pid
	wait $pid
	status=$?
}

# interrupt OUT LINES CMD...: send_sigint, then fail unless CMD exited 130
# and left whole rows: an interrupted runner keeps what it measured.
interrupt() {
	send_sigint "$@"
	[ $status -eq 130 ] || fail "SIGINT: exit $status, expected 130"
	whole_rows "$1"
}

# bench_help SUB: `bench SUB --help` exits 0 with the usage line and the
# exit statuses; its text is left in $help for the script's own checks.
bench_help() {
	help=$("$BIN/bench" "$1" --help) || fail "bench $1 --help exited non-zero"
	grep -q "^usage: bench $1 " <<<"$help" || fail "bench $1 --help lacks the usage line"
	grep -q '^Exit status:' <<<"$help" || fail "bench $1 --help lacks the exit status"
	bench_version "$1"
}

# bench_version [SUB...]: `bench SUB --version` (or `bench --version`)
# prints exactly "bench VERSION", VERSION as the Makefile sets it.
bench_version() {
	local want out sub
	want="bench $(sed -n 's/^VERSION := //p' Makefile)"
	for sub in "${@:-}"; do
		out=$("$BIN/bench" $sub --version) ||
			fail "bench $sub --version exited non-zero"
		[ "$out" = "$want" ] ||
			fail "bench $sub --version: '$out', expected '$want'"
	done
}

# man_synopsis PAGE CMD...: man/PAGE has no groff warnings and its
# SYNOPSIS is the first paragraph of what CMD prints (its --help) without
# "usage: ", spaces squeezed (git's t0450). A note, not a failure, when
# groff is not installed.
man_synopsis() {
	local page=man/$1 syn
	shift
	if ! command -v groff >/dev/null; then
		partly_missing "groff not installed, man page not checked"
		return 0
	fi
	groff -man -ww -z "$page" 2>&1 | grep . && fail "$page has groff warnings"
	syn=$(groff -man -Tascii -P-cbou "$page" 2>/dev/null |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | grep . |
		tr -s ' ' | sed 's/^ //')
	[ "$syn" = "$("$@" | sed '/^$/q' | grep . | sed 's/^usage: //' |
		tr -s ' ' | sed 's/^ //')" ] ||
		fail "man SYNOPSIS '$syn' differs from --help"
}

# has_platform NAME [OPTION...]: `campaign platforms OPTION...` lists
# platform NAME as available here.
has_platform() {
	local name=$1
	shift
	"$BIN/campaign" platforms "$@" | grep -q "^$name .* available "
}

# require_platform NAME [OPTION...]: skip the whole script (exit 77) unless
# platform NAME is available, with the reason `campaign platforms
# OPTION...` gives.
require_platform() {
	local name=$1 line
	shift
	line=$("$BIN/campaign" platforms "$@" | grep "^$name ")
	case "$line" in
	*" available "*) ;;
	*) echo "$name cannot run here: ${line#* unavailable }"; exit 77 ;;
	esac
}

# ---- campaign tests ----------------------------------------------------------

# A syscall job small enough for a TCG guest, as a campaign benchmark.
SMALL_SYSCALL='{ "name": "syscall",
                 "args": ["--ops", "20", "--batches", "3", "--warmup", "0"] }'

# local_platforms [EXTRA]: the campaign platform list (JSON items) every
# machine can run: "native", then "container" when root (the launcher
# runs containers only as root), then EXTRA if given.
local_platforms() {
	local p='"native"'
	[ "$(id -u)" = 0 ] && p="$p, \"container\""
	echo "$p${1:+, $1}"
}

# write_campaign FILE NAME REPETITIONS TIMEOUT_S PLATFORMS BENCHMARKS:
# a campaign file of that name, PLATFORMS and BENCHMARKS being the JSON
# items of its two lists.
write_campaign() {
	cat >"$1" <<JSON
{ "name": "$2", "repetitions": $3, "timeout_s": $4,
  "platforms": [ $5 ],
  "benchmarks": [ $6 ] }
JSON
}
