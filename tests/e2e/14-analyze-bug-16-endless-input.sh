#!/usr/bin/env bash
# 2026-12-02: inputs that never end.
# - A FIFO as NAME.meta.json hung analyze forever (a blocking open of a
#   sidecar nobody writes). Now a sidecar that is not a regular file is
#   refused, "FILE: not a regular file", exit 2, without opening it for a
#   blocking read.
# - /dev/zero as input grew memory at 75 MB/s without bound: a NUL byte
#   was reported only at the end of its line, which never came. Now a NUL
#   is an error at its byte, and a row longer than 1 MiB is an error once
#   it passes 1 MiB, so no input makes analyze hold more than that of a
#   row (measured here as its peak RSS).
#
# Device nodes are our own (mknod), never the real /dev.
set -u
. "$TOP/tests/e2e/lib/common.sh"
D="$TMPDIR/in"
mkdir -p "$D"
HDR="platform,benchmark,metric,value"

# ---- sidecars that are not regular files ------------------------------
cp tests/data/basic.csv "$D/fifo.csv"
mkfifo "$D/fifo.meta.json"
expect_exit 2 "a FIFO as sidecar" timeout 60 "$A" "$D/fifo.csv"
[ "$(cat "$STDERR")" = "$D/fifo.meta.json: not a regular file" ] ||
	fail "a FIFO as sidecar: stderr: $(cat "$STDERR")"
cp tests/data/basic.csv "$D/dir.csv"
mkdir "$D/dir.meta.json"
expect_exit 2 "a directory as sidecar" timeout 60 "$A" "$D/dir.csv"
[ "$(cat "$STDERR")" = "$D/dir.meta.json: not a regular file" ] ||
	fail "a directory as sidecar: stderr: $(cat "$STDERR")"
if [ "$(id -u)" = 0 ]; then
	cp tests/data/basic.csv "$D/zero.csv"
	mknod "$D/zero.meta.json" c 1 5 || die "mknod failed"
	expect_exit 2 "a device as sidecar" timeout 60 "$A" "$D/zero.csv"
	[ "$(cat "$STDERR")" = "$D/zero.meta.json: not a regular file" ] ||
		fail "a device as sidecar: stderr: $(cat "$STDERR")"
else
	echo "note: not root: no device node as sidecar"
fi
# a symbolic link to a good sidecar is still read
cp tests/data/basic.csv "$D/link.csv"
printf '{"source": "linked sidecar"}\n' >"$D/real.json"
ln -s real.json "$D/link.meta.json"
expect_exit 0 "a link to a sidecar" timeout 60 "$A" "$D/link.csv"
grep -q "source: linked sidecar" "$STDOUT" ||
	fail "a link to a sidecar: not read: $(head -n 3 "$STDOUT")"

# ---- endless input ----------------------------------------------------
# run_rss WHAT STATUS MESSAGE CMD...: CMD (an analyze reading standard
# input from an endless producer) exits STATUS with exactly MESSAGE and
# a peak RSS under 64 MiB (GNU time's %M, in KiB).
peak_limit_kib=$((64 * 1024))
run_rss() {
	local what=$1 want=$2 msg=$3 rss
	shift 3
	"$@" 2>"$STDERR" >/dev/null
	status=$?
	rss=$(tail -n 1 "$TMPDIR/rss" 2>/dev/null)
	[ "$status" = "$want" ] ||
		fail "$what: exit $status, expected $want: $(head -c 300 "$STDERR")"
	[ "$(cat "$STDERR")" = "$msg" ] ||
		fail "$what: stderr: $(head -c 300 "$STDERR")"
	[ -n "$rss" ] && [ "$rss" -lt $peak_limit_kib ] ||
		fail "$what: peak RSS ${rss:-?} KiB (limit $peak_limit_kib)"
}
# timed ANALYZE-ARGS...: analyze with a time limit, its peak RSS (KiB,
# getrusage of the children) left in $TMPDIR/rss; reads standard input.
# Its address space is capped at 2 GiB (not under ASan, whose shadow
# needs more): a reader that does grow stops there, not in the machine's
# swap.
timed() {
	"$PY" -c '
import resource, subprocess, sys
def cap():
    if sys.argv[2] != "1":
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
try:
    rc = subprocess.call(sys.argv[3:], timeout=30, preexec_fn=cap)
except subprocess.TimeoutExpired:
    rc = 124
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write("%d\n" % rss)
sys.exit(128 - rc if rc < 0 else rc)' "$TMPDIR/rss" "${SANITIZED:-0}" "$A" "$@"
}
if [ "${SANITIZED:-0}" = 1 ]; then
	# ASan's shadow memory makes the RSS meaningless.
	peak_limit_kib=$((1 << 30))
	echo "note: RSS not compared under ASan"
fi

if [ "$(id -u)" = 0 ]; then
	mknod "$D/zero" c 1 5 || die "mknod failed"
	zeros() { cat "$D/zero"; }
else
	zeros() { tr '\n' '\0' </dev/zero; }	# reads it, never writes
fi
nul_msg() {
	echo "$1: NUL byte in $2 at byte $3 of the field (is this a binary or UTF-16 file?)"
}
run_rss "NUL bytes from the first byte" 2 "$(nul_msg '<stdin>:1' 'field 1' 1)" \
	timed - < <(zeros)
if [ "$(id -u)" = 0 ]; then
	run_rss "a device node of NULs as the file" 2 \
		"$(nul_msg "$D/zero:1" 'field 1' 1)" timed "$D/zero"
fi
run_rss "NULs after a header and a row" 2 \
	"$(nul_msg '<stdin>:3' "column 'benchmark'" 3)" \
	timed - < <(printf '%s\nn,b,m,1\nn,xy' "$HDR"; zeros)
run_rss "NULs in a quoted field of many lines" 2 \
	"$(nul_msg '<stdin>:2' "column 'metric'" 8)" \
	timed - < <(printf '%s\nn,b,"a\nb\nc\nd' "$HDR"; zeros)

# a row that never ends: an error once it passes 1 MiB
too_long="row longer than 1 MiB (1048576 bytes; is this a results CSV?)"
run_rss "an endless unquoted field" 2 "<stdin>:2: $too_long" \
	timed - < <(printf '%s\nn,' "$HDR"; yes abcdefghijklmnop | tr -d '\n')
run_rss "an endless quoted field" 2 "<stdin>:3: $too_long" \
	timed - < <(printf '%s\nn,b,m,1\n"n' "$HDR"; yes abcdefghijklmnop)
run_rss "endless empty fields" 2 "<stdin>:1: $too_long" \
	timed - < <(yes , | tr -d '\n')
run_rss "an endless header" 2 "<stdin>:1: $too_long" \
	timed - < <(yes platform | tr '\n' ,)
# --lenient does not make it a skipped row: the file stops there
run_rss "--lenient, an endless field" 2 "<stdin>:3: $too_long" \
	timed --lenient - < <(printf '%s\nn,b,m,1\nn,' "$HDR"; yes abcdefgh | tr -d '\n')

# the limit exactly: a row of 1 MiB (fields and commas) is read, one
# byte more is not; the same on the threaded reader (a regular file cut
# into parts) as on one pass
big() {	# big N: a results file whose second data row is N bytes long
	local pad=$(( $1 - 8 ))	# after "n,b,m,1,"
	printf '%s,notes\nn,b,m,1,x\n' "$HDR"
	printf 'n,b,m,1,'
	head -c "$pad" /dev/zero | tr '\0' x
	printf '\nn,b,m,2,y\n'
}
rows=$(( 1 << 20 ))
big $rows >"$D/limit.csv"
big $((rows + 1)) >"$D/over.csv"
for threads in 1 2; do
	ANALYZE_LOAD_THREADS=$threads expect_exit 0 \
		"a row of exactly 1 MiB ($threads threads)" "$A" "$D/limit.csv"
	ANALYZE_LOAD_THREADS=$threads expect_exit 2 \
		"a row of 1 MiB + 1 ($threads threads)" "$A" "$D/over.csv"
	[ "$(cat "$STDERR")" = "$D/over.csv:3: $too_long" ] ||
		fail "1 MiB + 1 ($threads threads): stderr: $(cat "$STDERR")"
done
finish
