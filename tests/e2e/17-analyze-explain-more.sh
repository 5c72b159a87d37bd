#!/usr/bin/env bash
# 2026-11-26: --explain finds runs in two clusters and folds
# repeated findings into one line for readers (text, md, tex, --plot),
# while JSON keeps one finding per group.
#
# tests/data/explain-bimodal.csv (values drawn with numpy
# default_rng(2026), rounded to 0.1; the reference numbers below come from
# scipy 1.10.1 / numpy 1.24.2 as in tests/unit/explain_test.c):
#   twomode  26 runs, 12 near 40 and 14 near 80: two clusters, means
#            40 and 80.0357, Ashman's D 31.37, overall mean 61.5577
#   tenruns  10 runs, 5 near 39.7 and 5 near 80.06: D 23.79
#   normal   26 runs of normal(60, 3): one mode (best split D 3.17)
#   skewed   firecracker vmm_ms of datasets/eurosys21-fig10-boot.csv:
#            24 boots near 1.45 ms and two slow ones; BC 0.899 but D 1.06
# tests/data/explain-fold.csv: six memsweep groups of 3 runs with CVs
# above 5% and five forksum groups of a single run.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require "$PY" "needs $PY to read the JSON output"

# ---- two clusters --------------------------------------------------------
B=tests/data/explain-bimodal.csv
"$A" --explain --format json "$B" >"$TMPDIR/b.json" || fail "bimodal run"
jcheck_findings "$TMPDIR/b.json" '
bim = [g for k, g in kinds if k == "bimodal"]
assert bim == ["twomode/boot/total_ms", "tenruns/boot/total_ms"], bim
t = [x["text"] for x in f if x["kind"] == "bimodal"]
assert t[0].startswith("twomode / boot / total_ms: the runs form two "
    "clusters (12 near 40, 14 near 80.04; Ashman\x27s D 31.4): a mean of "
    "61.56 describes neither; look for a second mode"), t[0]
assert "(5 near 39.7, 5 near 80.06; Ashman\x27s D 23.8)" in t[1], t[1]
# the MAD rule flags the whole lower mode of twomode: no advice to drop it
o = {g: x["text"] for (k, g), x in zip(kinds, f) if k == "outliers"}
assert "12 outliers" in o["twomode/boot/total_ms"], o
assert "--drop-outliers could remove a mode" in o["twomode/boot/total_ms"], o
assert "rerun with --drop-outliers" in o["skewed/boot/total_ms"], o
# the bimodal finding follows the CV one of its group
i = kinds.index(("bimodal", "twomode/boot/total_ms"))
assert kinds[i - 1] == ("high_cv", "twomode/boot/total_ms"), kinds
' "two clusters in explain-bimodal.csv"

# No dataset of the project has a finding it should not: the four groups
# flagged were each looked at by hand and do form two clusters.
"$A" --explain --format json datasets/eurosys21-fig10-boot.csv \
	>"$TMPDIR/fig10.json" || fail "fig10 run"
jcheck_findings "$TMPDIR/fig10.json" '
assert not [g for k, g in kinds if k == "bimodal"], kinds
' "no two clusters in eurosys21-fig10-boot.csv (skewed boot times)"
"$A" --explain --format json datasets/eurosys21-txt01-boot-others.csv \
	>"$TMPDIR/txt01.json" || fail "txt01 run"
jcheck_findings "$TMPDIR/txt01.json" '
bim = sorted(g.split("/")[0] for k, g in kinds if k == "bimodal")
# lupine: 22 boots at 60-67 ms, 7 at 85-89 ms; hermitux: 16 at 30.9-31.5,
# 14 at 32.6-34.8; rump: 16 at 6.5-9.7, 11 at 17-29.5
assert bim == ["hermitux", "lupine", "rump"], bim
' "two clusters in eurosys21-txt01-boot-others.csv"

# Calibration (explain.h): seeded samples of 26 runs, 200 per family.
# Unimodal families, however skewed, are flagged at most 2% of the time;
# the mixture of N(40, 2) and N(80, 4) almost always.
"$PY" - "$TMPDIR/mc.csv" <<'EOF' || fail "calibration data"
import sys
import numpy as np
rng = np.random.default_rng(20261126)
fam = {
    "normal": lambda n: rng.normal(100, 5, n),
    "lognormal": lambda n: 100 * rng.lognormal(0, 0.8, n),
    "exponential": lambda n: 10 + rng.exponential(10, n),
    "pareto": lambda n: 10 * (1 + rng.pareto(1.5, n)),
    "tail": lambda n: np.where(rng.random(n) < 0.2,
                               100 + rng.exponential(50, n),
                               rng.normal(100, 5, n)),
    "mixture": lambda n: np.where(rng.random(n) < 0.5, rng.normal(40, 2, n),
                                  rng.normal(80, 4, n)),
}
with open(sys.argv[1], "w") as out:
    out.write("platform,benchmark,metric,value,run\n")
    for name, gen in fam.items():
        for s in range(200):
            for r, v in enumerate(gen(26)):
                out.write(f"{name},s{s},ms,{v!r},{r}\n")
EOF
"$A" --explain --format json "$TMPDIR/mc.csv" >"$TMPDIR/mc.json" ||
	fail "calibration run"
jcheck_findings "$TMPDIR/mc.json" '
import collections
c = collections.Counter(g.split("/")[0] for k, g in kinds if k == "bimodal")
for fam in ("normal", "lognormal", "exponential", "pareto", "tail"):
    assert c[fam] <= 4, (fam, c)
assert c["mixture"] >= 195, c
' "calibration: flagged rates"

# ---- folding -------------------------------------------------------------
F=tests/data/explain-fold.csv
# CVs by Python's statistics module, written as %.3g like the finding
cvs=$("$PY" -c 'import statistics as s
g = {"a": [10, 12, 14], "b": [20, 22, 26], "c": [5, 6, 7],
     "d": [100, 110, 95], "e": [1, 1.2, 1.1], "f": [50, 60, 55]}
print(", ".join("%s %.3g%%" % (k, 100 * s.stdev(v) / s.mean(v))
                for k, v in g.items()))')
cv_line="6 groups of memsweep / seconds have a CV above 5% ($cvs): the runs are noisy; look for background load, frequency scaling or runs too short to time"
single_line="5 groups of forksum / seconds have a single run (a, b, c and 2 more): no confidence interval and no test are possible; repeat them to measure the noise"
"$A" --explain "$F" >"$TMPDIR/f.txt" || fail "fold run"
sed -n '/^findings:$/,$p' "$TMPDIR/f.txt" >"$TMPDIR/f.findings"
grep -qxF "  $cv_line" "$TMPDIR/f.findings" ||
	fail "text: folded CV line missing: $cv_line"
grep -qxF "  $single_line" "$TMPDIR/f.findings" ||
	fail "text: folded single-run line missing"
[ "$(grep -c 'CV .* is high' "$TMPDIR/f.findings")" -eq 0 ] ||
	fail "text: per-group CV lines left after folding"
[ "$(grep -c 'a single run, so' "$TMPDIR/f.findings")" -eq 0 ] ||
	fail "text: per-group single-run lines left after folding"
# runs needed differ per group: one line each, not folded
[ "$(grep -c 'needs about' "$TMPDIR/f.findings")" -eq 6 ] ||
	fail "text: expected 6 'needs about' lines"
# ... and each says how many more runs it takes: N - M
sed -n 's/.*needs about \([0-9]*\) runs .*; has \([0-9]*\) .*: run about \([0-9]*\) more$/\1 \2 \3/p' \
	"$TMPDIR/f.findings" | {
	n=0
	while read -r need has more; do
		[ "$more" -eq $((need - has)) ] || echo "$need - $has != $more"
		n=$((n + 1))
	done
	[ $n -eq 6 ] || echo "$n lines say how many more runs, not 6"
} | grep . && fail "text: runs still needed"
"$A" --explain --format md "$F" | grep -qxF -- "- $single_line" ||
	fail "md: folded single-run line missing"
"$A" --explain --format tex "$F" | grep -qxF -- "%   $cv_line" ||
	fail "tex: folded CV line missing"
"$A" --explain --format json "$F" >"$TMPDIR/f.json" || fail "fold json"
jcheck_findings "$TMPDIR/f.json" '
cv = [g for k, g in kinds if k == "high_cv"]
one = [g for k, g in kinds if k == "single_run"]
assert cv == [p + "/memsweep/seconds" for p in "abcdef"], cv
assert one == [p + "/forksum/seconds" for p in "abcde"], one
assert all(x["text"].startswith(gname(x["group"]).replace("/", " / "))
           for x in f), f
' "json: one finding per group"

# the --plot listing folds as the text report does
if command -v gnuplot >/dev/null; then
	"$A" --plot --explain -o "$TMPDIR/plots" "$F" >"$TMPDIR/p.out" \
		2>"$TMPDIR/p.err" || fail "--plot --explain run: $(cat "$TMPDIR/p.err")"
	grep -qxF "  $single_line" "$TMPDIR/p.out" ||
		fail "--plot: folded single-run line missing"
fi

# the bundled course data: one line for all its single runs, and as many
# single_run objects in JSON as groups with n = 1
C=datasets/course-measurements.csv
"$A" --explain "$C" >"$TMPDIR/c.txt" || fail "course run"
"$A" --explain --format json "$C" >"$TMPDIR/c.json" || fail "course json"
n1=$("$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(sum(g["n"] == 1 for g in d["groups"]))' "$TMPDIR/c.json")
[ "$n1" -gt 3 ] || fail "course: expected more than 3 single runs, got $n1"
jcheck_findings "$TMPDIR/c.json" "
assert len([k for k, g in kinds if k == 'single_run']) == $n1, kinds
" "course json: one single_run per group"
[ "$(grep -c "^  $n1 groups have a single run (native / linpack / kflops, docker / linpack / kflops, qemu / linpack / kflops and $((n1 - 3)) more): no confidence interval" "$TMPDIR/c.txt")" -eq 1 ] ||
	fail "course: expected one folded single-run line"
grep -q 'a single run, so no confidence' "$TMPDIR/c.txt" &&
	fail "course: per-group single-run lines left"

finish
