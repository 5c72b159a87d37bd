#!/usr/bin/env bash
# 2026-11-25: the numbers analyze reports, checked in its JSON
# against values computed independently with scipy 1.10 (Debian 12's
# python3-scipy) on the fixture's values:
#   x = native memsweep [5.01, 5.03, 4.98, 5.02, 5.00]
#   y = qemu-kvm memsweep [5.61, 5.58, 5.66, 5.60, 5.63]
#   np.mean(x), np.std(x, ddof=1), np.percentile(x, [25, 50, 75])
#   st.t.interval(0.95, 4, loc=mean, scale=sd / sqrt(5))
#   st.ttest_ind(y, x, equal_var=False)       -> t, p (Welch)
#   st.mannwhitneyu(y, x)                      -> U, p (exact)
#   Fieller limits: roots in R of (my - R mx)^2 = t^2 (vy + R^2 vx),
#   vx = var(x, ddof=1) / 5, t = st.t.ppf(0.975, df) with the pivot's
#   Welch-Satterthwaite df = (vy + R^2 vx)^2 / (vy^2/4 + R^4 vx^2/4).
# Also: n = 1 has no CI (null, "n=1, no CI"), zero variance gives no nan
# in any format, --drop-outliers drops what the MAD rule flags (counted
# by hand in tests/data/outliers.csv), --lenient counts skipped rows, and
# warnings go to stderr unless -q.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require "$PY" "needs $PY to read the JSON output"
B=tests/data/basic.csv

"$A" --format json "$B" >"$TMPDIR/basic.json" || fail "basic run"
jcheck "$TMPDIR/basic.json" '
g = d["groups"][0]
assert g["key"]["platform"] == "native" and g["n"] == 5
near(g["mean"], 5.008)
near(g["sd"], 0.019235384061671187)
near(g["ci_lo"], 4.984116116119)
near(g["ci_hi"], 5.031883883881)
near(g["q1"], 5.0); near(g["median"], 5.01); near(g["q3"], 5.02)
assert g["min"] == 4.98 and g["max"] == 5.03 and g["outliers"] == 0
c = [c for c in d["comparisons"] if c["other"] == "qemu-kvm" and c["key"]["benchmark"] == "memsweep"][0]
near(c["ratio"], 1.121405750798722)
near(c["ratio_lo"], 1.1135808027827458, 1e-8)
near(c["ratio_hi"], 1.1292672850396361, 1e-8)
near(c["statistic"], 37.706559315119456)
near(c["df"], 6.747853863046474)
near(c["p"], 4.2198109682516625e-09, 1e-6)
assert c["test"] == "welch" and c["significant"] is True
# Holm over 4 tests: this p is the second smallest -> 3 * p, capped below
# by the smallest adjusted value (R: p.adjust(method = "holm"))
ps = sorted(x["p"] for x in d["comparisons"])
near(c["p_holm"], max(4 * ps[0], 3 * ps[1]))
' "basic statistics and the qemu-kvm comparison"

"$A" --format json --test mwu "$B" >"$TMPDIR/mwu.json" || fail "mwu run"
jcheck "$TMPDIR/mwu.json" '
c = [c for c in d["comparisons"] if c["other"] == "qemu-kvm" and c["key"]["benchmark"] == "memsweep"][0]
assert c["test"] == "mwu" and c["df"] is None
near(c["statistic"], 25.0)
near(c["p"], 0.007936507936507936)
' "Mann-Whitney U"

# n = 1 and zero variance
"$A" --format json tests/data/single.csv >"$TMPDIR/single.json" ||
	fail "single run"
jcheck "$TMPDIR/single.json" '
g = d["groups"]
assert g[0]["n"] == 1 and g[0]["mean"] == 12.5
assert all(g[0][k] is None for k in ("sd", "sem", "ci_lo", "ci_hi", "cv"))
assert g[2]["n"] == 3 and g[2]["sd"] == 0 and g[2]["ci_lo"] == g[2]["ci_hi"] == 1048576
c = d["comparisons"]
assert c[0]["test"] is None and c[0]["ratio_lo"] is None and c[0]["significant"] is None
near(c[0]["ratio"], 30.1 / 12.5)
assert c[1]["ratio"] == 0.5 and c[1]["ratio_lo"] == c[1]["ratio_hi"] == 0.5
assert c[1]["p"] == 0 and c[1]["significant"] is True
' "n = 1 and zero variance"
for fmt in text csv json md tex; do
	"$A" --format $fmt tests/data/single.csv >"$TMPDIR/single.$fmt" ||
		fail "single.csv --format $fmt"
	grep -qiw -e nan -e inf "$TMPDIR/single.$fmt" &&
		fail "nan or inf in --format $fmt"
done
[ "$(grep -c 'n=1, no CI' "$TMPDIR/single.text")" -eq 3 ] ||
	fail "the text table does not say 'n=1, no CI' for both single runs and their comparison"

# outliers: native has 1 (3.90), container 2 (4.95, 0.90) by
# |x - median| > 3.5 * 1.4826 * MAD (medians 2.705, 2.805; MADs 0.015)
"$A" --format json tests/data/outliers.csv >"$TMPDIR/o.json" || fail "outliers"
jcheck "$TMPDIR/o.json" '
assert [g["outliers"] for g in d["groups"]] == [1, 2]
assert [g["n"] for g in d["groups"]] == [8, 8]
assert d["outliers_dropped"] is None
' "outliers flagged, not dropped"
"$A" --format json --drop-outliers tests/data/outliers.csv \
	>"$TMPDIR/od.json" || fail "--drop-outliers"
jcheck "$TMPDIR/od.json" '
assert d["outliers_dropped"] == 3
assert [g["n"] for g in d["groups"]] == [7, 6]
near(d["groups"][0]["mean"], (2.70 + 2.72 + 2.69 + 2.71 + 2.70 + 2.73 + 2.68) / 7)
' "--drop-outliers"
"$A" --drop-outliers tests/data/outliers.csv |
	grep -qx 'dropped 3 outliers before summarizing' ||
	fail "the text report does not say how many outliers were dropped"

# --lenient: a bad row is skipped, counted and warned about
printf 'platform,benchmark,metric,value\nnative,a,b,1\nnative,a,b,12ms\nnative,a,b,2\n' \
	>"$TMPDIR/bad.csv"
expect_exit 2 "a bad row without --lenient" "$A" "$TMPDIR/bad.csv"
"$A" --lenient --format json "$TMPDIR/bad.csv" >"$TMPDIR/len.json" \
	2>"$TMPDIR/err" || fail "--lenient exit $?"
jcheck "$TMPDIR/len.json" '
assert d["rows"] == 2 and d["skipped"] == 1
assert d["sources"][0]["skipped"] == 1
assert len(d["warnings"]) == 1 and ":3: warning: " in d["warnings"][0]
' "--lenient counts"
jcheck "$TMPDIR/len.json" '
import os
err = open(os.environ["TMPDIR"] + "/err").read()
assert err == d["warnings"][0] + "\n", err
' "--lenient: stderr is not the warning"
"$A" --lenient "$TMPDIR/bad.csv" 2>/dev/null | grep -q ': 2 rows (1 skipped); ' ||
	fail "--lenient: the sources line does not count the skipped row"
"$A" -q --lenient "$TMPDIR/bad.csv" >/dev/null 2>"$TMPDIR/err"
[ -s "$TMPDIR/err" ] && fail "-q still printed: $(cat "$TMPDIR/err")"

finish
