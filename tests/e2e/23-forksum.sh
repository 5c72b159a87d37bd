#!/usr/bin/env bash
# 2026-11-25: bench forksum. The tree's sum is checked by the
# runner (exit 0) for ranges that are small, odd, negative and a single
# number, with processes and with threads; one seconds row per run; a
# process limit too small for the tree (RLIMIT_NPROC as an unprivileged
# user) makes fork fail with EAGAIN: exit 1, a message naming the limit,
# no row and no process left behind; bad options exit 2 with no rows;
# SIGINT mid-run keeps whole rows.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"

# --help: stdout, exit 0, the definition and the unit.
bench_help forksum
grep -q 'getppid()' <<<"$help" || fail "--help lacks getppid"

out="$TMPDIR/f.csv"
"$B" forksum --to 64 --runs 3 -o "$out" || fail "forksum exited $?"
whole_rows "$out"
[ "$(grep -c ',forksum,seconds,.*,s,.*,lower,,' "$out")" -eq 3 ] ||
	fail "expected 3 seconds rows with an empty config"

for range in "--from 1 --to 1" "--from -37 --to 50" "--from -1099511627776 --to -1099511627700" "--from 5 --to 6"; do
	for mode in "" --threads; do
		# shellcheck disable=SC2086
		"$B" forksum $range $mode --runs 1 --warmup 0 >"$TMPDIR/one.csv" \
			2>"$TMPDIR/err" || fail "forksum $range $mode: exit $?: $(cat "$TMPDIR/err")"
	done
done
"$B" forksum --threads --to 100 --runs 2 -o "$out" || fail "--threads exited $?"
[ "$(grep -c ',lower,threads,' "$out")" -eq 2 ] || fail "--threads config is not threads"

# fork failing with EAGAIN: only an unprivileged user is held to RLIMIT_NPROC.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && command -v prlimit >/dev/null; then
	cp "$B" "$TMPDIR/bench" && chmod 755 "$TMPDIR" "$TMPDIR/bench"
	for mode in "" --threads; do
		# shellcheck disable=SC2086
		prlimit --nproc=20:20 setpriv --reuid 65534 --regid 65534 --clear-groups \
			"$TMPDIR/bench" forksum --to 64 $mode --runs 1 \
			>"$TMPDIR/lim.csv" 2>"$TMPDIR/err"
		status=$?
		[ $status -eq 1 ] || fail "nproc limit $mode: exit $status, expected 1"
		grep -Eq '^bench forksum: (fork|pthread_create) failed: .* \(64 numbers need 127 (processes|threads); lower --to or raise the limit\)$' \
			"$TMPDIR/err" || fail "nproc limit $mode: stderr $(cat "$TMPDIR/err")"
		[ "$(wc -l <"$TMPDIR/lim.csv")" -eq 1 ] || fail "nproc limit $mode: rows written"
		sleep 0.2
		! pgrep -u 65534 -f "$TMPDIR/bench" >/dev/null ||
			fail "nproc limit $mode: processes left behind"
	done
else
	echo "note: fork failure not tested (needs root, setpriv and prlimit)"
fi

bench_usage forksum "unknown option '--form' (did you mean '--from'?)" --form 3
bench_usage forksum "option '--to' needs a value (B)" --to
bench_usage forksum "--to 3 is below --from 10" --from 10 --to 3
bench_usage forksum "[1, 1048577] holds more than 2^20 numbers" --to 1048577
bench_usage forksum "--from '1e3' must be an integer from -1099511627776 to 1099511627776" --from 1e3
bench_usage forksum "--until-ci '0' must be a number from 0.001 to 100" --until-ci 0

# SIGINT mid-run: exit 130, whole rows only, still loads.
out="$TMPDIR/int.csv"
interrupt "$out" 5 "$B" forksum --to 256 --runs 100000 -o "$out"

finish
