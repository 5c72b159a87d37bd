#!/usr/bin/env bash
# 2026-11-25: campaign run on native and container. A 2-repetition
# campaign of a small syscall job gives, per platform and repetition, the
# job's eight rows with the extra columns accel=none and job=rREP:b0:NAME,
# run = repetition, the launcher's host name; the platform order rotates
# per repetition; in the container bench guest is PID 1 (its own PID
# namespace), natively it is not; the CSV loads in analyze;
# an existing output is refused without --resume/--force and left intact;
# a campaign naming an unknown platform or with bad JSON is exit 2.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
write_campaign "$TMPDIR/c.json" t 2 60 "$(local_platforms)" \
	'{ "name": "syscall", "config": "ops=50",
	   "args": ["--ops", "50", "--batches", "5", "--warmup", "0"] }'
out="$TMPDIR/c.csv"
"$C" run "$TMPDIR/c.json" -o "$out" 2>"$TMPDIR/err" ||
	fail "run exited $?: $(cat "$TMPDIR/err")"
[ "$(head -n 1 "$out")" = \
  "platform,benchmark,metric,value,unit,run,better,config,host,timestamp,accel,job" ] ||
	fail "header: $(head -n 1 "$out")"
"$BIN/analyze" --format csv "$out" >/dev/null || fail "analyze cannot load it"
host=$(hostname)
for p in native $( [ "$(id -u)" = 0 ] && echo container ); do
	for r in 0 1; do
		n=$(awk -F, -v p=$p -v r=$r -v h="$host" '$1 == p && $6 == r &&
			$2 == "syscall" && $8 == "ops=50" && $9 == h &&
			$11 == "none" && $12 == "r" r ":b0:" p' "$out" | wc -l)
		[ "$n" -eq 8 ] || fail "$p rep $r: $n rows, expected 8"
	done
done
[ "$(awk -F, 'NR > 1 && !($4 > 0)' "$out" | wc -l)" -eq 0 ] ||
	fail "a non-positive value"
meta="$TMPDIR/c.meta.json"
/usr/bin/python3 - "$meta" <<'PY' || fail "meta.json"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["source"] == "measured"
runs = m["runs"]
assert all(r["status"] == "ok" for r in runs), runs
order = [r["platform"] for r in runs]
plats = list(m["platforms"])
if len(plats) == 2:	# rotated: rep 0 in file order, rep 1 reversed
    assert order == ["native", "container", "container", "native"], order
assert m["native_canary_ns"] > 0
for r in runs:
    pid = r["evidence"]["guest_pid"]
    assert (pid == 1) == (r["platform"] == "container"), (r["platform"], pid)
assert all(r["command"] for r in runs)
PY

# An existing output is refused, and left as it was.
sum=$(md5sum <"$out")
"$C" run "$TMPDIR/c.json" -o "$out" >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] || fail "existing output: exit not 2"
grep -q "exists (use --resume to continue it, --force to replace it)" \
	"$TMPDIR/err" || fail "existing output: $(cat "$TMPDIR/err")"
[ "$(md5sum <"$out")" = "$sum" ] || fail "existing output was changed"

# Bad campaign files.
echo '{ "platforms": ["warp-drive"], "benchmarks": [{"name": "syscall"}] }' \
	>"$TMPDIR/bad.json"
"$C" run "$TMPDIR/bad.json" -o "$TMPDIR/bad.csv" >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] && grep -q "unknown platform 'warp-drive'" "$TMPDIR/err" ||
	fail "unknown platform: $(cat "$TMPDIR/err")"
printf '{ "platforms": [\n' >"$TMPDIR/bad.json"
"$C" run "$TMPDIR/bad.json" -o "$TMPDIR/bad.csv" >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] && grep -q "^$TMPDIR/bad.json:2: " "$TMPDIR/err" ||
	fail "bad JSON: $(cat "$TMPDIR/err")"
[ ! -e "$TMPDIR/bad.csv" ] || fail "a bad campaign created its output"
exit $((fails > 0))
