#!/usr/bin/env bash
# 2026-12-07: campaign run --dry-run prints the plan (every unit
# in the order it would run, the platforms skipped and why) and an
# estimated duration, writing nothing. Without earlier runs the estimate
# comes from a calibration run, and says so; after a real run it comes
# from that run's meta, and is within a factor of 1.5 of the time the
# same campaign then really takes. The units sleep (bench time of
# sleep 0.3, added to the container's image with "with"), so their length
# is the same on a loaded machine.
# --platforms may name a platform the file does not list.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
cd "$TMPDIR" || exit 1
plats='"native"'
[ "$(id -u)" = 0 ] && plats='"native", "container"'
write_campaign c.json dry 3 120 "$plats" \
	"$SMALL_SYSCALL, { \"name\": \"time\", \"runs\": 2, \"config\": \"sleep\",
	   \"with\": [\"sleep\"],
	   \"args\": [\"--warmup\", \"0\", \"--\", \"$(command -v sleep)\", \"0.3\"] }"

# seconds TEXT: the estimate of a dry run's last line, in seconds.
seconds() {
	sed -n 's/^estimated duration: \(at least \)\{0,1\}\([^ ]*\( s\|s\)\{0,1\}\) for .*/\2/p' <<<"$1" |
		"$PY" -c 'import re, sys
t = sys.stdin.read().strip()
m = re.fullmatch(r"(?:(\d+)h )?(?:(\d+)m )?(\d+(?:\.\d+)?) ?s|(\d+)h (\d+)m", t)
assert m, t
if m.group(4):
    print(int(m.group(4)) * 3600 + int(m.group(5)) * 60)
else:
    print(int(m.group(1) or 0) * 3600 + int(m.group(2) or 0) * 60 + float(m.group(3)))'
}

# The plan's order, written out here: per repetition r, per benchmark,
# the platforms rotated by r.
want=""
for r in 0 1 2; do
	for b in 0 1; do
		if [ "$plats" = '"native"' ]; then
			want="$want r$r:b$b:native"
		elif [ $((r % 2)) = 0 ]; then
			want="$want r$r:b$b:native r$r:b$b:container"
		else
			want="$want r$r:b$b:container r$r:b$b:native"
		fi
	done
done

# 1. No history: a calibration, labelled, and nothing written.
expect_exit 0 "dry run" "$C" run c.json -o out.csv --dry-run
plan=$(cat "$STDOUT")
[ "$(awk '$2 ~ /^r[0-9]+:b[0-9]+:/ { printf " %s", $2 }' <<<"$plan")" = "$want" ] ||
	fail "order: $(awk '$2 ~ /^r/ { printf " %s", $2 }' <<<"$plan"), expected$want"
[ "$(grep -c ' calibration$' <<<"$plan")" -eq "$(wc -w <<<"$want")" ] ||
	fail "not every unit from the calibration: $plan"
grep -q "^campaign: calibrating: 2 benchmarks on " "$STDERR" ||
	fail "the calibration was not announced: $(cat "$STDERR")"
grep -q "^estimated duration: [^u]" <<<"$plan" || fail "no estimate: $plan"
ls out.* 2>/dev/null && fail "the dry run wrote its output"
ls -d campaign* 2>/dev/null | grep -v '^c.json$' && fail "a work directory was left"

# 2. A real run, then the estimate from it, then the same run again.
"$C" run c.json -o out.csv 2>run.err || die "run: $(cat run.err)"
expect_exit 0 "dry run after a run" "$C" run c.json -o out.csv --dry-run
plan=$(cat "$STDOUT")
[ "$(grep -c ' median of 3 earlier runs in out.csv$' <<<"$plan")" -eq "$(wc -w <<<"$want")" ] ||
	fail "not every unit from the history: $plan"
grep -q calibrating "$STDERR" && fail "calibrated although the history has every unit"
est=$(seconds "$(tail -n 1 <<<"$plan")") || fail "cannot read the estimate: $(tail -n 1 <<<"$plan")"
start=$(date +%s.%N)
"$C" run c.json -o again.csv 2>run.err || fail "second run: $(cat run.err)"
took=$("$PY" -c "print($(date +%s.%N) - $start)")
"$PY" -c "import sys; e, t = $est, $took; sys.exit(0 if t / 1.5 <= e <= t * 1.5 else 1)" ||
	fail "estimate ${est}s, the run took ${took}s: not within a factor of 1.5"
echo "note: estimate ${est}s, real ${took}s"
# --estimate-from gives the same for another output.
expect_exit 0 "dry run --estimate-from" "$C" run c.json -o other.csv --dry-run \
	--estimate-from out.csv --no-calibrate
[ "$(seconds "$(tail -n 1 "$STDOUT")")" = "$est" ] ||
	fail "--estimate-from: $(tail -n 1 "$STDOUT")"

# 3. --resume: the units in the output are done, only the others counted.
head -n 1 out.csv >part.csv
grep -E ',r0:b[01]:[a-z]+$' out.csv >>part.csv
cp out.meta.json part.meta.json
expect_exit 0 "dry run --resume" "$C" run c.json -o part.csv --dry-run --resume --no-calibrate
n_done=$(grep -c ' done (in the output' "$STDOUT")
[ "$n_done" -eq "$(wc -w <<<"${want%% r1:*}")" ] || fail "done units: $n_done: $(cat "$STDOUT")"
grep -q "; $n_done done$" "$STDOUT" || fail "done count: $(tail -n 1 "$STDOUT")"

# 4. --platforms replaces the file's list, even with a platform it lacks;
# a platform that cannot run is shown as skipped with its reason.
expect_exit 0 "--platforms qemu-tcg" "$C" run c.json -o q.csv --dry-run \
	--no-calibrate --platforms qemu-tcg
grep -q '^ *1  r0:b0:qemu-tcg ' "$STDOUT" || fail "qemu-tcg not planned: $(cat "$STDOUT")"
grep -q 'native' "$STDOUT" && fail "native planned without being asked for"
BENCH_KVM_DEVICE=$TMPDIR/no-kvm expect_exit 0 "--platforms qemu-kvm without KVM" \
	"$C" run c.json -o q.csv --dry-run --no-calibrate --platforms native,qemu-kvm
grep -q "^platform qemu-kvm: skipped: .*$TMPDIR/no-kvm.*('campaign run' stops here unless --skip-unavailable)$" "$STDOUT" ||
	fail "skipped platform: $(cat "$STDOUT")"
grep -q ':qemu-kvm ' "$STDOUT" && fail "units of a skipped platform planned"
ls q.* 2>/dev/null && fail "a dry run wrote q.csv"
finish
