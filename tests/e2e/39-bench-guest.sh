#!/usr/bin/env bash
# 2026-11-25: bench guest, the /init side of campaign, run on the
# host with BENCH_JOB. The protocol lines come in order (GUEST boot time,
# EVIDENCE with a canary and the pid, BEGIN, the job's CSV, END with the
# job's status); %XX escapes decode (a config with a comma and a space
# reaches the job intact); no job ("none") gives an empty block; a
# malformed escape is rc=2 with a message; a failing job's status is
# passed on; unknown options exit 2.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"

bench_help guest
# serve is tested against nginx in 32-campaign-nginx; its --version and
# bench's own need nothing.
bench_version serve ""
"$B" guest --evidence | grep -Eq '^@@BENCH-EVIDENCE hypervisor=[A-Za-z ]+ hv_bit=[01] canary_ns=[1-9][0-9]* pid=[0-9]+@@$' ||
	fail "--evidence line"

out=$(BENCH_JOB='syscall,--ops,10,--batches,2,--warmup,0,--runs,1,--config,a%2Cb%20c' \
	"$B" guest 2>"$TMPDIR/err")
status=$?
[ $status -eq 0 ] || fail "job: exit $status: $(cat "$TMPDIR/err")"
[ "$(grep -c '^@@' <<<"$out")" -eq 4 ] || fail "expected 4 protocol lines"
grep -n '^@@' <<<"$out" | sed 's/^\([0-9]*\):@@BENCH-\([A-Z]*\).*/\2/' |
	tr '\n' ' ' | grep -qx 'GUEST EVIDENCE BEGIN END ' || fail "protocol order: $out"
grep -Eq '^@@BENCH-GUEST boottime_ns=[1-9][0-9]*@@$' <<<"$out" || fail "GUEST line"
grep -qx '@@BENCH-END rc=0@@' <<<"$out" || fail "END line"
csv=$(sed -n '/^@@BENCH-BEGIN@@$/,/^@@BENCH-END/p' <<<"$out" | sed '1d;$d')
[ "$(head -n 1 <<<"$csv")" = \
  "platform,benchmark,metric,value,unit,run,better,config,host,timestamp" ] ||
	fail "CSV header in the block"
[ "$(grep -c ',syscall,.*,"a,b c",' <<<"$csv")" -eq 8 ] ||
	fail "the decoded config did not reach the job's 8 rows: $csv"

out=$(BENCH_JOB=none "$B" guest 2>/dev/null)
[ "$(sed -n '/BEGIN/,/END/p' <<<"$out")" = "@@BENCH-BEGIN@@
@@BENCH-END rc=0@@" ] || fail "no job: $out"
out=$(BENCH_JOB='syscall,%zz' "$B" guest 2>"$TMPDIR/err")
[ $? -eq 2 ] && grep -qx '@@BENCH-END rc=2@@' <<<"$out" ||
	fail "bad escape: $out"
grep -q "bench guest: bad escape '%zz' in the job" "$TMPDIR/err" ||
	fail "bad escape message: $(cat "$TMPDIR/err")"
out=$(BENCH_JOB='syscall,--ops,0' "$B" guest 2>/dev/null)
[ $? -eq 2 ] && grep -qx '@@BENCH-END rc=2@@' <<<"$out" ||
	fail "a failing job's status is not passed on: $out"
expect_usage "bench guest" "unknown option '--frob'" "$B" guest --frob
# The man page's SYNOPSIS is the --help synopsis (git's t0450).
man_synopsis bench-guest.1 "$B" guest --help
exit $((fails > 0))
