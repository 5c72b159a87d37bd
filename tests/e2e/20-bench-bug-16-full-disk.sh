#!/usr/bin/env bash
# 2026-12-02: bench on a full filesystem left a partial
# last row ("native,stream" and no newline) and exit 1: a row that did
# not fit was cut where the disk filled. Now every row is whole or absent
# on every error path: what reached the file before the failure is cut
# back to the last whole row, so the file stays a valid CSV of the rows
# measured, and bench exits 1 saying why.
#
# Two ways to fill the disk at a byte no row boundary chooses: a file
# size limit (ulimit -f, SIGXFSZ ignored: EFBIG) and, as root, a 16 KiB
# tmpfs in a private mount namespace (ENOSPC), removed with it.
set -u
. "$TOP/tests/e2e/lib/common.sh"
S=(stream --size 64K --ntimes 100)	# about 28 KB of rows

# check_cut WHAT FILE STATUS STDERR: exit 1, an error said, whole rows
check_cut() {
	[ "$3" = 1 ] || fail "$1: exit $3, expected 1"
	grep -q '^bench stream: cannot write' "$4" ||
		fail "$1: stderr: $(cat "$4")"
	[ -s "$2" ] || { fail "$1: nothing was kept"; return; }
	whole_rows "$2"
	[ ! -e "${2%.csv}.meta.json" ] ||
		fail "$1: a sidecar claims a complete run"
}

for how in option stdout; do
	out="$TMPDIR/efbig-$how.csv"
	rm -f "$out"
	if [ $how = option ]; then
		( ulimit -f 8; trap '' XFSZ
		  exec "$BIN/bench" "${S[@]}" -o "$out" ) 2>"$TMPDIR/err"
	else
		( ulimit -f 8; trap '' XFSZ
		  exec "$BIN/bench" "${S[@]}" ) >"$out" 2>"$TMPDIR/err"
	fi
	check_cut "file size limit, $how" "$out" $? "$TMPDIR/err"
	[ "$(stat -c %s "$out")" -le 8192 ] || fail "$how: over the limit?"
done

if [ "$(id -u)" != 0 ]; then
	echo "note: not root: no tmpfs mount, the full disk not tested"
	finish
fi
command -v unshare >/dev/null || die "unshare (util-linux) is missing"
mnt="$TMPDIR/mnt"
mkdir -p "$mnt"
# The mount lives in a private namespace: it is gone when the shell is.
unshare --mount --propagation private sh -c '
	mount -t tmpfs -o size=16k tmpfs "$1" || exit 99
	"$2" "$3" "$4" "$5" "$6" "$7" -o "$1/rows.csv" 2>"$8/err.opt"
	echo $? >"$8/status.opt"
	ls -A "$1" >"$8/listing"
	cp "$1/rows.csv" "$8/full-option.csv" && rm "$1/rows.csv"
	"$2" "$3" "$4" "$5" "$6" "$7" >"$1/stdout.csv" 2>"$8/err.out"
	echo $? >"$8/status.out"
	cp "$1/stdout.csv" "$8/full-stdout.csv"
' sh "$mnt" "$BIN/bench" "${S[@]}" "$TMPDIR"
rc=$?
[ $rc = 99 ] && die "cannot mount a tmpfs"
check_cut "full tmpfs, -o" "$TMPDIR/full-option.csv" \
	"$(cat "$TMPDIR/status.opt")" "$TMPDIR/err.opt"
check_cut "full tmpfs, stdout" "$TMPDIR/full-stdout.csv" \
	"$(cat "$TMPDIR/status.out")" "$TMPDIR/err.out"
grep -q 'No space left on device' "$TMPDIR/err.opt" ||
	fail "full tmpfs: not ENOSPC: $(cat "$TMPDIR/err.opt")"
[ "$(cat "$TMPDIR/listing")" = "rows.csv" ] || fail "full tmpfs: other files: $(cat "$TMPDIR/listing")"
mountpoint -q "$mnt" && fail "the tmpfs is still mounted here"
finish
