#!/usr/bin/env bash
# 2026-12-02: -o onto something that is not a plain
# file. As root, `analyze -o /dev/null ds.csv` turned /dev/null into a
# regular file of the report (/dev/full too): the temporary-name-and-
# rename replaced whatever was there, and a 0600 file came back 0644.
# Now only a regular file (or a new path) is replaced atomically; a
# device or FIFO is written directly and stays what it was; /dev/stdout
# is standard output; a symbolic link's target is what gets replaced
# (the link stays); a file keeps its mode and owner.
#
# The device nodes are our own (mknod in TMPDIR), never the real /dev.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B=tests/data/basic.csv
D="$TMPDIR/special"
mkdir -p "$D"
leftovers() { ls -A "$1" | grep '\.tmp\.' || true; }
"$A" "$B" >"$TMPDIR/want.txt" 2>/dev/null || die "analyze $B failed"

if [ "$(id -u)" = 0 ]; then
	mknod "$D/null" c 1 3 && mknod "$D/full" c 1 7 ||
		die "mknod failed"
	expect_exit 0 "-o onto a null device" "$A" -o "$D/null" "$B"
	[ -c "$D/null" ] || fail "-o replaced the null device: $(ls -l "$D/null")"
	expect_exit 1 "-o onto a full device" "$A" -o "$D/full" "$B"
	[ -c "$D/full" ] || fail "-o replaced the full device: $(ls -l "$D/full")"
	grep -q "^$D/full: cannot write: No space left on device$" "$STDERR" ||
		fail "-o onto a full device: stderr: $(cat "$STDERR")"

	# owner and mode of an existing file survive the replacement
	printf 'old\n' >"$D/owned.txt"
	chmod 0640 "$D/owned.txt"
	chown 65534:65534 "$D/owned.txt"
	expect_exit 0 "-o onto a file of another owner" \
		"$A" -o "$D/owned.txt" "$B"
	same_file "$TMPDIR/want.txt" "$D/owned.txt" "-o onto another's file"
	[ "$(stat -c '%a %u %g' "$D/owned.txt")" = "640 65534 65534" ] ||
		fail "owner or mode changed: $(stat -c '%a %u %g' "$D/owned.txt")"
else
	echo "note: not root: device nodes and owners not tested"
fi

# a FIFO is written into, not replaced
mkfifo "$D/fifo"
cat "$D/fifo" >"$D/fifo.out" &
reader=$!
expect_exit 0 "-o onto a FIFO" timeout 60 "$A" -o "$D/fifo" "$B"
if [ -p "$D/fifo" ]; then
	wait $reader
else
	fail "-o replaced the FIFO: $(ls -l "$D/fifo")"
	kill $reader	# it waits for a writer that never comes
	wait $reader 2>/dev/null
fi
same_file "$TMPDIR/want.txt" "$D/fifo.out" "what came through the FIFO"

# /dev/stdout is standard output, whatever it is (here: a file opened
# for appending, whose first line must survive)
printf 'first line\n' >"$D/log"
"$A" -o /dev/stdout "$B" >>"$D/log" 2>"$STDERR" ||
	fail "-o /dev/stdout: exit $?: $(cat "$STDERR")"
{ echo "first line"; cat "$TMPDIR/want.txt"; } >"$TMPDIR/want-log.txt"
same_file "$TMPDIR/want-log.txt" "$D/log" "-o /dev/stdout appended"

# a 0600 file stays 0600
printf 'old\n' >"$D/private.txt"
chmod 0600 "$D/private.txt"
expect_exit 0 "-o onto a 0600 file" "$A" -o "$D/private.txt" "$B"
[ "$(stat -c %a "$D/private.txt")" = 600 ] ||
	fail "a 0600 file became $(stat -c %a "$D/private.txt")"
same_file "$TMPDIR/want.txt" "$D/private.txt" "-o onto a 0600 file"

# a symbolic link (relative, through a second link) stays a link; its
# target gets the report, with its mode
mkdir -p "$D/real"
printf 'old\n' >"$D/real/target.txt"
chmod 0604 "$D/real/target.txt"
ln -s real/target.txt "$D/link1"
ln -s link1 "$D/link2"
expect_exit 0 "-o onto a symbolic link" "$A" -o "$D/link2" "$B"
[ -L "$D/link2" ] && [ -L "$D/link1" ] ||
	fail "-o replaced a symbolic link: $(ls -l "$D")"
same_file "$TMPDIR/want.txt" "$D/real/target.txt" "the link's target"
[ "$(stat -c %a "$D/real/target.txt")" = 604 ] ||
	fail "the target's mode became $(stat -c %a "$D/real/target.txt")"
# a dangling link: its target is created
ln -s real/new.txt "$D/dangling"
expect_exit 0 "-o onto a dangling link" "$A" -o "$D/dangling" "$B"
[ -L "$D/dangling" ] || fail "-o replaced a dangling link"
same_file "$TMPDIR/want.txt" "$D/real/new.txt" "the dangling link's target"
# a loop of links is an error, and nothing is written
ln -s loop2 "$D/loop1"
ln -s loop1 "$D/loop2"
expect_exit 1 "-o onto a loop of links" "$A" -o "$D/loop1" "$B"
grep -q "^$D/loop1: .*symbolic links" "$STDERR" ||
	fail "-o onto a loop of links: stderr: $(cat "$STDERR")"

[ -z "$(leftovers "$D")$(leftovers "$D/real")" ] ||
	fail "temporary files left: $(leftovers "$D") $(leftovers "$D/real")"
finish
