#!/usr/bin/env bash
# 2026-12-08: a campaign "file" that is a FIFO hung campaign run forever,
# /dev/zero made it read until the kernel killed it (24 GB), and files of
# odd shapes gave wrong lines or took minutes. Each case here must exit 2
# at once with FILE[:LINE]: message, print nothing on standard output and
# leave no output behind.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
out="$TMPDIR/out.csv"

# bad CASE WANT_STDERR FILE [ARGS...]: exit 2 within 60 s, exactly
# WANT_STDERR, nothing on stdout, no output written. Memory is bounded so
# that a reader without a limit fails here instead of taking the machine.
bad() {
	local what=$1 want=$2 status
	shift 2
	rm -f "$out" "$TMPDIR/out.meta.json"
	(ulimit -v 2000000; exec timeout -s KILL 60 "$C" run "$@" -o "$out") \
		</dev/null >"$STDOUT" 2>"$STDERR"
	status=$?
	[ "$status" = 2 ] || fail "$what: exit $status, expected 2; stderr: $(head -c 600 "$STDERR")"
	[ "$(cat "$STDERR")" = "$want" ] || fail "$what: stderr was
$(head -c 600 "$STDERR")
expected
$want"
	[ -s "$STDOUT" ] && fail "$what: wrote to standard output"
	[ -e "$out" ] && fail "$what: wrote $out"
	return 0
}

# ---- not a regular file ------------------------------------------------
mkfifo "$TMPDIR/fifo.json"
bad "a FIFO" "$TMPDIR/fifo.json: not a regular file but a FIFO: write the campaign to a file and give that" \
	"$TMPDIR/fifo.json"
bad "/dev/zero" "/dev/zero: not a regular file but a character device: write the campaign to a file and give that" \
	/dev/zero
mkdir "$TMPDIR/dir.json"
bad "a directory" "$TMPDIR/dir.json: not a regular file but a directory: write the campaign to a file and give that" \
	"$TMPDIR/dir.json"
bad "a missing file" "$TMPDIR/none.json: cannot open it: No such file or directory" \
	"$TMPDIR/none.json"
# A sparse file: its size is refused before a byte is read.
truncate -s 200M "$TMPDIR/huge.json"
bad "200 MiB" "$TMPDIR/huge.json: 209715200 bytes: a campaign file is at most 67108864 bytes (64 MiB)" \
	"$TMPDIR/huge.json"

# ---- big but well-formed -----------------------------------------------
# 100000 unknown keys: each finding's line was looked up by a linear
# search (quadratic: minutes); the first 50 are shown, in order.
/usr/bin/python3 -c '
import sys
keys = ",\n".join(" \"k%d\": 1" % i for i in range(100000))
sys.stdout.write("{\n \"platforms\": [\"native\"],\n \"benchmarks\": [{\"name\": \"syscall\"}],\n" + keys + "\n}\n")
' >"$TMPDIR/keys.json"
want=$(for i in $(seq 0 49); do
	echo "$TMPDIR/keys.json:$((i + 4)): unknown key 'k$i' in the campaign (known: name, description, repetitions, timeout_s, platforms, benchmarks, slurm)"
done; echo "campaign: (only the first 50 problems are shown)")
bad "100000 unknown keys" "$want" "$TMPDIR/keys.json"

finish
