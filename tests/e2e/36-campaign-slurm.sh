#!/usr/bin/env bash
# 2026-12-07: a campaign across the nodes of a real Slurm
# cluster. The script starts its own cluster (tests/e2e/lib/slurm.sh:
# munged, slurmctld and two slurmd named n1 and n2, each in network and
# UTS namespaces of its own), then:
#  - runs a small native campaign locally, for reference;
#  - submits the same campaign as a job array of four tasks (one
#    repetition each), with --partition and --time given to sbatch and
#    --exclusive (one task per node at a time);
#  - cancels task 1 (scancel) while it runs a unit: the unit waits for a
#    gate file the script creates only after the cancel, so the cancel
#    always lands mid-unit, whatever the speed of the machine;
#  - collects: exit 1, the units of task 1 it never finished reported by
#    unit, every other unit in the CSV;
#  - resumes: only task 1 is submitted again, and runs only what is
#    missing; collects: every unit of the local run, none twice, each
#    with the rows of its local counterpart, from both nodes.
# Every daemon is ended by its PID; nothing may be left running in the
# cluster's namespaces, and no process of the run (campaign, bench, the
# gate's shell) anywhere.
set -u
. "$TOP/tests/e2e/lib/common.sh"
# Root first: a normal user's PATH has no /usr/sbin, where the daemons are.
[ "$(id -u)" = 0 ] || { echo "a private Slurm cluster needs root (namespaces, munge)"; exit 77; }
for p in slurmctld slurmd sbatch scancel squeue scontrol munged nsenter ip; do
	require "$p" "Slurm is not installed ($p not found: make deps installs slurm-wlm, munge)"
done
. "$TOP/tests/e2e/lib/slurm.sh"
C="$BIN/campaign"
if ! slurm_start 2; then
	why2=$SLURM_WHY
	slurm_stop
	slurm_start 1 || {
		echo "slurmctld and one slurmd cannot start here: $SLURM_WHY (two nodes: $why2)"
		exit 77
	}
	echo "note: one node only (two did not start: $why2)"
fi

GATE="$TMPDIR/gate"
cd "$TMPDIR" || exit 1
cat >c.json <<JSON
{ "name": "slurm-e2e", "repetitions": 4, "timeout_s": 300,
  "platforms": ["native"],
  "benchmarks": [
    { "name": "syscall",
      "args": ["--ops", "20", "--batches", "3", "--warmup", "0"] },
    { "name": "time", "config": "gate",
      "args": ["--warmup", "0", "--", "/bin/sh", "-c",
               "while [ ! -e $GATE ]; do sleep 0.1; done"] }
  ],
  "slurm": { "partition": "batch" } }
JSON
touch "$GATE"
"$C" run c.json -o local.csv 2>local.err || die "local run: $(cat local.err)"
rm -f "$GATE"

# keys FILE: each unit key (job column) with its row count, sorted.
keys() { awk -F, 'NR > 1 { n[$12]++ } END { for (k in n) print k, n[k] }' "$1" | sort; }

slurm_run "$C" submit c.json -o cl.csv --time 10 2>submit.err ||
	die "submit: $(cat submit.err)"
grep -q -- "--array=0-3 --exclusive" submit.err || fail "sbatch args: $(cat submit.err)"
grep -q -- "--partition=batch --time=10" submit.err || fail "sbatch options: $(cat submit.err)"
job=$(/usr/bin/python3 -c 'import json; print(json.load(open("cl.slurm/plan.json"))["jobs"][-1]["id"])') ||
	die "no job id in the plan"
slurm_run scontrol show job "${job}_0" | grep -q "OverSubscribe=NO" ||
	fail "the tasks are not exclusive: $(slurm_run scontrol show job "${job}_0" | grep -o 'OverSubscribe=[A-Z]*')"

# Task 1 has run its first unit and waits at the gate: cancel it there.
for _ in $(seq 600); do
	grep -q ',r1:b0:native$' cl.slurm/shard-1.csv 2>/dev/null && break
	sleep 0.1
done
grep -q ',r1:b0:native$' cl.slurm/shard-1.csv ||
	die "task 1 did not start: $(slurm_run squeue 2>&1; tail cl.slurm/logs/* 2>&1)"
slurm_run scancel "${job}_1" || fail "scancel failed"
for _ in $(seq 300); do
	slurm_run squeue -h -j "${job}_1" 2>/dev/null | grep -q . || break
	sleep 0.1
done
touch "$GATE"
for _ in $(seq 1200); do
	slurm_run squeue -h -j "$job" 2>/dev/null | grep -q . || break
	sleep 0.1
done
slurm_run squeue -h -j "$job" | grep -q . && die "the array did not finish: $(slurm_run squeue)"

expect_exit 1 "collect with task 1 cancelled" slurm_run "$C" collect c.json -o cl.csv
grep -q "^campaign: unit r1:b1:native missing (task 1, $TMPDIR/cl.slurm/shard-1.csv): " "$STDERR" ||
	fail "the cancelled unit is not reported: $(cat "$STDERR")"
[ "$(grep -c '^campaign: unit ' "$STDERR")" -eq 1 ] ||
	fail "other units reported: $(cat "$STDERR")"
[ "$(keys cl.csv)" = "$(keys local.csv | grep -v '^r1:b1:native ')" ] ||
	fail "partial collect: $(diff <(keys local.csv) <(keys cl.csv))"
/usr/bin/python3 - cl.meta.json <<'PY' || fail "merged meta of the partial collect"
import json, sys
m = json.load(open(sys.argv[1]))
assert [x["job"] for x in m["missing"]] == ["r1:b1:native"], m["missing"]
assert len(m["shards"]) == 4
assert all(r["node"] in ("n1", "n2") for r in m["runs"]), [r["node"] for r in m["runs"]]
PY

# Resume: task 1 only, and in it the missing unit only.
slurm_run "$C" submit c.json -o cl.csv --time 10 --resume --wait 2>resume.err ||
	fail "resume: $(cat resume.err)"
grep -q -- "--array=1 " resume.err || fail "resume submitted more than task 1: $(cat resume.err)"
grep -q "^campaign: 1 unit of 4 tasks to run$" resume.err || fail "resume: $(cat resume.err)"
[ "$(grep -c ',r1:b0:native$' cl.slurm/shard-1.csv)" = "$(grep -c ',r1:b0:native$' local.csv)" ] ||
	fail "resume ran r1:b0 again"
expect_exit 0 "collect after resume" slurm_run "$C" collect c.json -o cl.csv
[ "$(keys cl.csv)" = "$(keys local.csv)" ] ||
	fail "units differ from the local run: $(diff <(keys local.csv) <(keys cl.csv))"
[ "$(awk -F, 'NR > 1' cl.csv | sort | uniq -d | wc -l)" -eq 0 ] || fail "a row twice"
hosts=$(awk -F, 'NR > 1 { print $9 }' cl.csv | sort -u | tr '\n' ' ')
[ "$SLURM_NODES" -lt 2 ] || [ "$hosts" = "n1 n2 " ] || fail "hosts in the CSV: $hosts"
"$A" --format csv cl.csv >/dev/null || fail "analyze cannot read the merged CSV"

slurm_stop
[ -z "${SLURM_LEFT:-}" ] || fail "processes were left in the cluster's namespaces"
left=$(grep -l -a -F "$TMPDIR" /proc/[0-9]*/cmdline 2>/dev/null |
	grep -v "^/proc/$$/" | grep -v "^/proc/self/" || true)
for f in $left; do
	pid=${f#/proc/}; pid=${pid%/cmdline}
	[ "$pid" = "$BASHPID" ] && continue
	[ -e "$f" ] && fail "left running: $(tr '\0' ' ' <"$f")"
done
finish
