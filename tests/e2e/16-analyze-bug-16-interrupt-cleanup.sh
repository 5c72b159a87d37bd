#!/usr/bin/env bash
# 2026-12-02: interruptions left debris. SIGINT or
# SIGTERM during `analyze -o` left OUT.tmp.XXXXXX; a hung gnuplot hung
# analyze forever and, once analyze was killed, left X.svg.tmp.*,
# $TMPDIR/analyze-gnuplot.* and gnuplot itself. Now a SIGINT, SIGTERM or
# SIGHUP removes the temporary files and kills gnuplot's process group,
# and analyze still dies by that signal; gnuplot runs under a time limit
# (--plot-timeout) after which its whole group is killed.
#
# No timing: the signal comes at a known point. For -o, a preloaded
# fsync() (the last step before the rename) sends it; for --plot, a fake
# gnuplot first on PATH says when it is running and then hangs.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B=tests/data/basic.csv
out="$TMPDIR/out"
mkdir -p "$out"
debris() {
	{ ls -A "$out"; ls -A "$TMPDIR"; } | grep -E '\.tmp\.|analyze-gnuplot' || true
}
# gone PID...: none of them is running (a zombie waiting for its parent
# counts as gone).
gone() {
	local p st
	for p in "$@"; do
		st=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -c1)
		[ -z "$st" ] || [ "$st" = Z ] || return 1
	done
}
signum() { kill -l "$1"; }

# ---- -o: the signal just before the rename (fsync of the temp file) ----
if [ "${SANITIZED:-0}" = 1 ]; then
	echo "note: under ASan no preload can come first: -o cases not run"
else
	cc=$(command -v "${CC:-gcc}" || command -v cc) ||
		die "no C compiler for the fsync shim"
	cat >"$TMPDIR/shim.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

/* fsync(2) that first sends this process the signal SHIM_SIGNAL names. */
int fsync(int fd)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	const char *s = getenv("SHIM_SIGNAL");

	if (s)
		kill(getpid(), atoi(s));
	return real(fd);
}
C
	"$cc" -shared -fPIC -o "$TMPDIR/shim.so" "$TMPDIR/shim.c" -ldl ||
		die "cannot build the fsync shim"
	for sig in INT TERM HUP; do
		printf 'good report\n' >"$out/report.txt"
		SHIM_SIGNAL=$(signum $sig) LD_PRELOAD="$TMPDIR/shim.so" \
			"$A" -o "$out/report.txt" "$B" 2>"$TMPDIR/err"
		status=$?
		[ $status -eq $((128 + $(signum $sig))) ] ||
			fail "-o, SIG$sig: exit $status, not death by SIG$sig: $(cat "$TMPDIR/err")"
		[ "$(cat "$out/report.txt")" = "good report" ] ||
			fail "-o, SIG$sig: the old report was replaced"
		[ -z "$(debris)" ] && continue
		fail "-o, SIG$sig: left $(debris)"
		rm -f "$out"/*.tmp.*
	done
fi

# ---- a hung gnuplot -------------------------------------------------
require gnuplot "gnuplot is not installed"
rm -rf "$out"
mkdir -p "$out"
fake="$TMPDIR/fakebin"
mkdir -p "$fake"
cat >"$fake/gnuplot" <<'SH'
#!/bin/sh
# A gnuplot that hangs: it starts a child in its process group, says
# both pids in $FAKE_PIDS (renamed into place: complete when seen), and
# waits. It never reads its input.
sleep 1000 &
echo "$$ $!" >"$FAKE_PIDS.part" && mv "$FAKE_PIDS.part" "$FAKE_PIDS"
wait
SH
chmod +x "$fake/gnuplot"
# Job control, so that background jobs do not ignore SIGINT (a script's
# do without it). Only from here: with it, a foreground command killed by
# SIGINT would end this script too.
set -m

# start_hung ARGS...: analyze --plot with the fake gnuplot, in the
# background ($apid); returns once the fake gnuplot runs ($gpids).
start_hung() {
	rm -f "$TMPDIR/pids"
	FAKE_PIDS="$TMPDIR/pids" PATH="$fake:$PATH" "$A" --plot \
		--templates templates -o "$out" "$@" "$B" 2>"$TMPDIR/err" &
	apid=$!
	for _ in $(seq 1200); do	# a minute at most
		[ -f "$TMPDIR/pids" ] && break
		gone $apid && break
		sleep 0.05
	done
	gpids=$(cat "$TMPDIR/pids" 2>/dev/null)
	[ -n "$gpids" ] || fail "the fake gnuplot never ran: $(cat "$TMPDIR/err")"
}

for sig in INT TERM HUP; do
	start_hung
	kill -$sig $apid
	wait $apid
	status=$?
	[ $status -eq $((128 + $(signum $sig))) ] ||
		fail "--plot, SIG$sig: exit $status, not death by SIG$sig"
	for _ in $(seq 100); do gone $gpids && break; sleep 0.05; done
	gone $gpids || { fail "--plot, SIG$sig: gnuplot ($gpids) left running"
		kill -9 $gpids 2>/dev/null; }
	[ -z "$(debris)" ] || { fail "--plot, SIG$sig: left $(debris)"
		rm -f "$out"/*.tmp.* "$TMPDIR"/analyze-gnuplot.*; }
done

# the time limit: the whole group killed, exit 1, said, nothing left
start_hung --plot-timeout 1
for _ in $(seq 1200); do gone $apid && break; sleep 0.05; done
if gone $apid; then
	wait $apid
	status=$?
	[ $status -eq 1 ] || fail "--plot-timeout: exit $status, expected 1"
	grep -q "gnuplot did not finish within 1 s and was killed" \
		"$TMPDIR/err" || fail "--plot-timeout: stderr: $(cat "$TMPDIR/err")"
	gone $gpids || fail "--plot-timeout: gnuplot ($gpids) left running"
else
	fail "--plot-timeout 1: analyze still waits after a minute"
	kill -9 $apid
fi
kill -9 $gpids 2>/dev/null
[ -z "$(debris)" ] || fail "--plot-timeout: left $(debris)"
[ -z "$(ls -A "$out")" ] || fail "--plot-timeout: figures written: $(ls "$out")"

# the option's value is checked
expect_usage analyze "--plot-timeout 'soon' is not a number of seconds (e.g. 600, or 0 for no limit)" \
	"$A" --plot --plot-timeout soon "$B"
expect_usage analyze "option '--plot-timeout' needs '--plot'" \
	"$A" --plot-timeout 5 "$B"
finish
