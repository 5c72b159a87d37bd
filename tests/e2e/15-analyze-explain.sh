#!/usr/bin/env bash
# 2026-11-25: --explain. tests/data/explain.csv is built so that
# each finding fires exactly where expected (scipy 1.10 on its values):
#   qemu-kvm vs qemu-tcg memsweep: Welch p = 0.868 (st.ttest_ind) -> kvm
#     within noise of tcg, hardware virtualization probably off
#   native memsweep, runs 0..9 rising: Kendall tau 0.956 (st.kendalltau)
#   container memsweep: CV 11.5%, CI half-width 14.3% of the mean
#   native stream triad: 14900 is an outlier (median 11825, MAD 22.5,
#     limit 3.5 * 1.4826 * 22.5 = 116.8), CV 10.2%
#   qemu-microvm memsweep: a single run
#   container vs native: Welch p = 0.30 (memsweep), 0.36 (triad)
# and tests/data/basic.csv triggers none of them.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require "$PY" "needs $PY to read the JSON output"

"$A" --explain --format json tests/data/explain.csv >"$TMPDIR/e.json" ||
	fail "--explain run"
jcheck_findings "$TMPDIR/e.json" '
want = [
    ("kvm_like_tcg", "qemu-kvm/memsweep/seconds"),
    ("trend", "native/memsweep/seconds"),
    ("high_cv", "container/memsweep/seconds"),
    ("too_few_runs", "container/memsweep/seconds"),
    ("single_run", "qemu-microvm/memsweep/seconds"),
    ("high_cv", "native/stream/triad"),
    ("too_few_runs", "native/stream/triad"),
    ("outliers", "native/stream/triad"),
    ("within_noise", "container/memsweep/seconds"),
    ("within_noise", "container/stream/triad"),
]
assert kinds == want, kinds
noise = [x for x in f if x["kind"] == "within_noise"]
assert all(x["comparison"] is not None for x in noise)
assert all(x["comparison"] is None for x in f if x["kind"] != "within_noise")
t = {k: x["text"] for (k, _), x in zip(kinds, f)}
assert "hardware virtualization was probably not active" in t["kvm_like_tcg"]
assert "drift upward over runs 0..9 (Kendall tau 0.96" in t["trend"], t["trend"]
assert "CV 11.5% is high" in f[2]["text"], f[2]["text"]
assert "needs about 23 runs for a \u00b15% CI; has 5 (now \u00b114.3%)" in f[3]["text"], f[3]["text"]
assert "1 outlier by the median/MAD rule" in t["outliers"]
' "findings of explain.csv"

# --target-ci changes the runs needed, and asks more of every group
"$A" --explain --target-ci 1% --format json tests/data/explain.csv \
	>"$TMPDIR/e1.json" || fail "--target-ci 1% run"
jcheck_findings "$TMPDIR/e1.json" '
few = [g for k, g in kinds if k == "too_few_runs"]
assert "qemu-kvm/memsweep/seconds" not in few, few
assert few == ["container/memsweep/seconds", "native/stream/triad"], few
x = [x for x in f if x["kind"] == "too_few_runs"][0]["text"]
assert "for a \u00b11% CI" in x, x
' "--target-ci 1%"
"$A" --explain --target-ci 0.5% --format json tests/data/explain.csv \
	>"$TMPDIR/e05.json" || fail "--target-ci 0.5% run"
jcheck_findings "$TMPDIR/e05.json" '
few = [g for k, g in kinds if k == "too_few_runs"]
# native memsweep: half-width 0.92% of the mean > 0.5%; qemu-kvm 0.55%
assert "native/memsweep/seconds" in few and "qemu-kvm/memsweep/seconds" in few, few
' "--target-ci 0.5%"

# single runs (the course seeds' case): kvm within 5% of "qemu" is
# flagged, 20% apart is not; a platform without "kvm" is never checked
printf '%s\n' platform,benchmark,metric,value,unit \
	qemu,memsweep,seconds,140,s qemu-kvm,memsweep,seconds,137,s \
	qemu,forksum,seconds,36,s qemu-kvm,forksum,seconds,30,s \
	native,forksum,seconds,36.5,s >"$TMPDIR/seed.csv"
"$A" --explain --format json "$TMPDIR/seed.csv" >"$TMPDIR/seed.json" ||
	fail "single-run kvm run"
jcheck_findings "$TMPDIR/seed.json" '
k = [(x["kind"], gname(x["group"])) for x in f if x["kind"] == "kvm_like_tcg"]
assert k == [("kvm_like_tcg", "qemu-kvm/memsweep/seconds")], k
assert "qemu-kvm is within 5% of qemu for memsweep / seconds (137 and 140;" in f[0]["text"], f[0]["text"]
' "single-run kvm like qemu"

# clean data: no findings, said so; without --explain, null in JSON
"$A" --explain tests/data/basic.csv | tail -n 1 | grep -qx 'findings: none' ||
	fail "basic.csv: expected 'findings: none'"
"$A" --format json tests/data/basic.csv >"$TMPDIR/b.json"
jcheck "$TMPDIR/b.json" 'assert d["findings"] is None' \
	"findings must be null without --explain"
"$A" tests/data/explain.csv | grep -q 'findings' &&
	fail "findings printed without --explain"

# the text report lists them after the tables
"$A" --explain tests/data/explain.csv >"$TMPDIR/e.txt"
last_table=$(grep -n 'difference' "$TMPDIR/e.txt" | grep -v '^.*findings' | head -n 1 | cut -d: -f1)
first_finding=$(grep -n '^findings:$' "$TMPDIR/e.txt" | cut -d: -f1)
[ -n "$first_finding" ] && [ "$first_finding" -gt "${last_table:-0}" ] ||
	fail "findings are not after the tables"

finish
