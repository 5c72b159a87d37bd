#!/usr/bin/env bash
# 2026-11-25: nothing outlives the launcher. kill -9 of campaign
# while it runs (a) a container job, (b) a qemu-tcg guest, (c) bench boot
# driving QEMU from the host: within two seconds no process of that run is
# left (found by the run's private directory in their command line or
# root), thanks to PR_SET_PDEATHSIG in every child.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"

# Processes whose command line or root directory mention $1 (but not the
# grep and find doing the search).
leftovers() {
	local pid comm
	{ grep -alF "$1" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3
	  find /proc/[0-9]*/root -maxdepth 0 -lname "*$1*" 2>/dev/null |
		cut -d/ -f3; } | sort -u | while read -r pid; do
		comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
		case "$comm" in grep|find|sort|cut) continue ;; esac
		echo "$pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
	done
}

# kill_mid NAME PLATFORM BENCHMARK_JSON PATTERN_IN_CHILD
kill_mid() {
	local name=$1 plat=$2 bench=$3 probe=$4 dir="$TMPDIR/$1" pid i
	mkdir -p "$dir"
	cat >"$dir/c.json" <<JSON
{ "name": "$name", "repetitions": 1, "timeout_s": 120,
  "platforms": ["$plat"], "benchmarks": [ $bench ] }
JSON
	TMPDIR="$dir" "$C" run "$dir/c.json" -o "$dir/c.csv" 2>"$dir/err" &
	pid=$!
	for i in $(seq 1 200); do	# until the child is running
		[ -n "$(leftovers "$dir/campaign." | grep -F "$probe")" ] && break
		sleep 0.05
	done
	[ -n "$(leftovers "$dir/campaign." | grep -F "$probe")" ] ||
		fail "$name: the child never appeared: $(cat "$dir/err")"
	kill -9 $pid
	wait $pid 2>/dev/null
	for i in $(seq 1 40); do
		[ -z "$(leftovers "$dir/campaign.")" ] && break
		sleep 0.05
	done
	left=$(leftovers "$dir/campaign.")
	[ -z "$left" ] || fail "$name: left behind after kill -9: $left"
	[ -z "$left" ] || kill -9 $(cut -d: -f1 <<<"$left") 2>/dev/null
}

if [ "$(id -u)" = 0 ]; then
	kill_mid container container \
		'{ "name": "syscall", "args": ["--batches", "5000"] }' "/init"
fi
if has_platform qemu-tcg; then
	kill_mid guest qemu-tcg \
		'{ "name": "syscall", "args": ["--batches", "5000"] }' \
		qemu-system-x86_64
	kill_mid boot qemu-tcg '{ "name": "boot", "host": true }' \
		qemu-system-x86_64
else
	echo "note: qemu-tcg cannot run here: VM cases not run"
fi
exit $((fails > 0))
