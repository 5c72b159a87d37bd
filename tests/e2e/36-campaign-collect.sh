#!/usr/bin/env bash
# 2026-12-07: campaign collect's completeness rules, and what
# submit --resume makes of them, without a cluster: a stand-in sbatch
# (first on PATH) runs the array's tasks one after the other, as Slurm
# would on one node. (36-campaign-slurm.sh does it with a real Slurm.)
# A unit whose rows are cut short, written twice, or missing is reported
# by unit with why (exit 1) and left out of the merged CSV; resume
# submits only the tasks concerned and they run only those units; a
# changed campaign is refused on resume; an existing submission or
# output is not clobbered without --force.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
cd "$TMPDIR" || exit 1
mkdir fake
cat >fake/sbatch <<'SH'
#!/bin/sh
# Stand-in for sbatch: runs job.sh once per index of --array, in turn.
for a in "$@"; do
	case $a in --array=*) array=${a#--array=} ;; esac
	script=$a
done
echo "$@" >>"$(dirname "$script")/sbatch.log"
for r in $(echo "$array" | tr ',' ' '); do
	case $r in *-*) seq "${r%-*}" "${r#*-}" ;; *) echo "$r" ;; esac
done | while read -r k; do
	SLURM_ARRAY_TASK_ID=$k sh "$script" >/dev/null 2>&1
done
echo 4242
SH
chmod +x fake/sbatch
export PATH="$TMPDIR/fake:$PATH"
write_campaign c.json collect 3 60 '"native"' "$SMALL_SYSCALL,
	{ \"name\": \"syscall\", \"config\": \"ops=10\",
	  \"args\": [\"--ops\", \"10\", \"--batches\", \"2\", \"--warmup\", \"0\"] }"
"$C" run c.json -o local.csv 2>/dev/null || die "local run failed"
keys() { awk -F, 'NR > 1 { n[$12]++ } END { for (k in n) print k, n[k] }' "$1" | sort; }

"$C" submit c.json -o cl.csv --tasks 3 --wait 2>submit.err ||
	die "submit: $(cat submit.err)"
[ "$(keys cl.csv)" = "$(keys local.csv)" ] || fail "first collect differs"
grep -q "array=0-2 --exclusive" cl.slurm/sbatch.log || fail "array: $(cat cl.slurm/sbatch.log)"

# Refusals: the same submission again, and a changed campaign on resume.
expect_exit 2 "submit again" "$C" submit c.json -o cl.csv --tasks 3
grep -q "holds a submitted campaign (use --resume to continue it, --force to start again)" "$STDERR" ||
	fail "submit again: $(cat "$STDERR")"
sed 's/"repetitions": 3/"repetitions": 4/' c.json >c4.json
expect_exit 2 "resume a changed campaign" "$C" submit c4.json -o cl.csv --tasks 3 --resume
grep -q "changed since it was submitted" "$STDERR" || fail "changed: $(cat "$STDERR")"

# Damage three shards: a unit cut short (task 0), a unit written twice
# (task 1), a shard gone (task 2).
s=cl.slurm
grep -n ',r0:b1:native$' $s/shard-0.csv | tail -n 1 | cut -d: -f1 |
	xargs -I{} sed -i '{}d' $s/shard-0.csv
grep ',r1:b0:native$' $s/shard-1.csv >twice.csv
cat twice.csv >>$s/shard-1.csv
rm $s/shard-2.csv $s/shard-2.meta.json
expect_exit 1 "collect damaged shards" "$C" collect c.json -o cl.csv
for u in "r0:b1:native incomplete (task 0" "r1:b0:native doubled (task 1" \
	 "r2:b0:native missing (task 2" "r2:b1:native missing (task 2"; do
	grep -qF "campaign: unit $u" "$STDERR" || fail "not reported: $u: $(cat "$STDERR")"
done
grep -q "r0:b1:native incomplete (task 0, .*): 7 of its 8 rows$" "$STDERR" ||
	fail "incomplete: no row counts: $(cat "$STDERR")"
[ "$(grep -c '^campaign: unit ' "$STDERR")" -eq 4 ] || fail "units reported: $(cat "$STDERR")"
[ "$(keys cl.csv)" = "$(keys local.csv | grep -Ev '^(r0:b1|r1:b0|r2:b[01]):native ')" ] ||
	fail "merged CSV with damage: $(diff <(keys local.csv) <(keys cl.csv))"

# Resume: all three tasks, and only the four units.
: >$s/sbatch.log
"$C" submit c.json -o cl.csv --tasks 3 --resume --wait 2>resume.err ||
	fail "resume: $(cat resume.err)"
grep -q "^campaign: 4 units of 3 tasks to run$" resume.err || fail "resume: $(cat resume.err)"
grep -q "array=0-2 " $s/sbatch.log || fail "resume array: $(cat $s/sbatch.log)"
[ "$(keys cl.csv)" = "$(keys local.csv)" ] ||
	fail "after resume: $(diff <(keys local.csv) <(keys cl.csv))"
# r0:b0 was complete: run once, not again.
[ "$(grep -c '"job": "r0:b0:native"' $s/shard-0.meta.json)" -eq 1 ] ||
	fail "a complete unit ran again"
expect_exit 0 "nothing left" "$C" submit c.json -o cl.csv --tasks 3 --resume
grep -q "nothing to submit" "$STDERR" || fail "nothing left: $(cat "$STDERR")"
[ "$(awk -F, 'NR > 1' cl.csv | sort | uniq -d | wc -l)" -eq 0 ] || fail "a row twice"
"$PY" - cl.meta.json <<'PY' || fail "merged meta"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["missing"] == [], m["missing"]
assert [s["task"] for s in m["shards"]] == [0, 1, 2]
assert m["slurm"]["tasks"] == 3 and len(m["slurm"]["jobs"]) == 2, m["slurm"]
assert m["source"] == "measured"
PY
# A shared directory whose name the shell would split or expand: the
# batch script quotes every path (the campaign's copy was not quoted).
odd="$TMPDIR/sp ace's \$(touch injected)"
mkdir -p "$odd"
expect_exit 0 "submit into an odd directory" "$C" submit c.json -o "$odd/x.csv" --tasks 3 --wait
[ "$(keys "$odd/x.csv")" = "$(keys local.csv)" ] ||
	fail "odd directory: $(cat "$STDERR"; cat "$odd"/x.slurm/logs/* 2>&1 | head -5)"
[ -e injected ] || [ -e "$odd/x.slurm/injected" ] && fail "the batch script ran a command from the path"
# An sbatch argument that would undo what submit sets (the array, one
# node per task to itself) is refused before anything is submitted.
expect_usage campaign "--sbatch-arg '--array=0-1' is set by campaign submit itself: the array has one task per slice (set \"tasks\" or --tasks)" \
	"$C" submit c.json -o arr.csv --sbatch-arg --array=0-1
expect_usage campaign "--sbatch-arg '--oversubscribe' is set by campaign submit itself: each task has its node to itself (--exclusive), so that two benchmarks never share a machine" \
	"$C" submit c.json -o arr.csv --sbatch-arg --oversubscribe
[ -e arr.slurm ] && fail "a refused submission made arr.slurm"
# Collect checks that its campaign is the one submitted into the
# directory: another campaign's shards were merged under this one's name.
sed 's/"repetitions": 3/"repetitions": 2/' c.json >two.json
expect_exit 0 "submit another campaign" "$C" submit two.json -o two.csv --tasks 2 --wait
expect_exit 2 "collect from another campaign's directory" "$C" collect c.json -o mixed.csv --shared-dir two.slurm
[ "$(cat "$STDERR")" = "campaign: c.json is not the campaign submitted into '$TMPDIR/two.slurm' (that is $TMPDIR/two.slurm/campaign.json): collect with the file submitted, or give the --shared-dir of this campaign's submission" ] ||
	fail "collect from another campaign's directory: $(cat "$STDERR")"
[ -e mixed.csv ] && fail "collect wrote mixed.csv from another campaign"
expect_exit 0 "collect with the submitted copy" "$C" collect two.slurm/campaign.json -o two2.csv --shared-dir two.slurm
[ "$(keys two2.csv)" = "$(keys two.csv)" ] || fail "collect with the submitted copy: $(cat "$STDERR")"
# A shard copied over another task's: the units say where their rows
# also are. A FIFO where a shard should be is not waited on, and a meta
# that is not JSON is reported, not taken for "no runs recorded".
t=two.slurm
cp $t/shard-0.csv $t/shard-1.csv
cp $t/shard-0.meta.json $t/shard-1.meta.json
expect_exit 1 "collect a copied shard" "$C" collect $t/campaign.json -o two3.csv --shared-dir $t
grep -qxF "campaign: unit r0:b0:native doubled (task 0, $TMPDIR/$t/shard-0.csv): its rows are also in $TMPDIR/$t/shard-1.csv, another task's shard (a copy, or a task run with the wrong index)" "$STDERR" ||
	fail "copied shard: $(cat "$STDERR")"
rm $t/shard-1.csv
mkfifo $t/shard-1.csv
(ulimit -v 2000000; timeout -s KILL 60 "$C" collect $t/campaign.json -o two3.csv --shared-dir $t) \
	>"$STDOUT" 2>"$STDERR"
status=$?
[ $status = 1 ] || fail "collect with a FIFO shard: exit $status: $(cat "$STDERR")"
grep -qxF "campaign: $TMPDIR/$t/shard-1.csv is not a regular file but a FIFO: its units count as missing" "$STDERR" ||
	fail "FIFO shard: $(cat "$STDERR")"
rm $t/shard-1.csv
echo '{' >$t/shard-0.meta.json
expect_exit 1 "collect with a broken meta" "$C" collect $t/campaign.json -o two3.csv --shared-dir $t
grep -q "^campaign: $TMPDIR/$t/shard-0.meta.json is not JSON (.*): the rows of its units are not checked against their runs$" "$STDERR" ||
	fail "broken meta: $(cat "$STDERR")"
# Without a plan, collect is a usage error naming the directory.
expect_exit 2 "collect without a submission" "$C" collect c.json -o none.csv
grep -q "none.slurm/plan.json" "$STDERR" || fail "no plan: $(cat "$STDERR")"
# Without sbatch: the reason and the way out.
mkdir -p empty; PATH="$TMPDIR/empty" expect_exit 1 "no sbatch" "$C" submit c.json -o other.csv
grep -q "'sbatch' not found in PATH: submit from a host of the Slurm cluster" "$STDERR" ||
	fail "no sbatch: $(cat "$STDERR")"
finish
