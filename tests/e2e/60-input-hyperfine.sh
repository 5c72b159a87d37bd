#!/usr/bin/env bash
# 2026-12-07: analyze reads what hyperfine writes, checked against
# what hyperfine itself reported. hyperfine runs here (a few seconds of
# sleep 0.01/0.02), its --export-json and --export-csv are read with no
# option, and the rows, units, n, means and the ratio are those of
# hyperfine's own export and summary. Also: exit codes kept, a parameter
# scan as config, and a hyperfine JSON compared with bench time's CSV of
# the same commands.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require hyperfine "hyperfine is not installed (make deps installs it)"
cd "$TMPDIR" || exit 1

# The comparison of the two commands, no flags.
hyperfine --style basic --runs 20 --export-json h.json --export-csv h.csv \
	'sleep 0.01' 'sleep 0.02' >hf.out 2>&1 || die "hyperfine failed: $(cat hf.out)"
expect_exit 0 "analyze h.json" "$A" h.json
grep -q '^comparisons against platform sleep 0.01:' "$STDOUT" ||
	fail "analyze h.json compares nothing: $(cat "$STDOUT")"
grep -qE '^sleep 0\.02 +real +[0-9.]+ +\[[0-9.]+, [0-9.]+\] +[0-9.]+x slower' "$STDOUT" ||
	fail "no ratio row for 'sleep 0.02': $(cat "$STDOUT")"
# hyperfine's summary: "'sleep 0.01' ran\n    1.69 ± 0.25 times faster than 'sleep 0.02'"
hf_ratio=$(sed -n 's/^ *\([0-9.]*\) ± [0-9.]* times faster than .sleep 0.02.$/\1/p' hf.out)
[ -n "$hf_ratio" ] || die "no ratio in hyperfine's summary: $(cat hf.out)"
expect_exit 0 "analyze --format json h.json" "$A" --format json h.json
cp "$STDOUT" out.json
JCHECK_PRELUDE='hf = json.load(open("h.json"))["results"]
def group(cmd, metric):
    g = [g for g in d["groups"] if g["key"]["platform"] == cmd and g["key"]["metric"] == metric]
    assert len(g) == 1, (cmd, metric, len(g))
    return g[0]' jcheck out.json "
for r in hf:
    g = group(r['command'], 'real')
    assert g['key']['benchmark'] == 'hyperfine' and g['unit'] == 's', g
    assert g['n'] == len(r['times']) == 20, g['n']
    near(g['mean'], r['mean'], 1e-12)
    near(g['median'], r['median'], 1e-12)
    near(g['sd'], r['stddev'], 1e-9)
    assert g['min'] == r['min'] and g['max'] == r['max']
    u = group(r['command'], 'user')
    assert u['n'] == 1 and u['mean'] == r['user'], u
    s = group(r['command'], 'sys')
    assert s['n'] == 1 and s['mean'] == r['system'], s
c = [c for c in d['comparisons'] if c['key']['metric'] == 'real']
assert len(c) == 1 and c[0]['baseline'] == 'sleep 0.01' and c[0]['other'] == 'sleep 0.02', c
near(c[0]['ratio'], hf[1]['mean'] / hf[0]['mean'], 1e-12)
assert round(c[0]['ratio'], 2) == $hf_ratio, (c[0]['ratio'], $hf_ratio)
assert c[0]['ratio_lo'] < $hf_ratio < c[0]['ratio_hi'], c[0]
assert d['sources'][0]['provenance'] == 'hyperfine --export-json', d['sources']
" "analyze h.json: rows, n, means and ratio are not hyperfine's"
grep -qx "h.json:8: warning: results\[0\].user: user and system times are means over the runs in this hyperfine version: read as one row each (n = 1, no CI)" "$STDERR" ||
	fail "no note on hyperfine's user/system means: $(cat "$STDERR")"

# The CSV export: summaries, n = 1, with a note; the means are the JSON's.
expect_exit 0 "analyze h.csv" "$A" --format json h.csv
cp "$STDOUT" csv.json
jcheck csv.json "
hf = json.load(open('h.json'))['results']
real = [g for g in d['groups'] if g['key']['metric'] == 'real']
assert [g['key']['platform'] for g in real] == ['sleep 0.01', 'sleep 0.02'], real
for g, r in zip(real, hf):
    assert g['n'] == 1, g
    near(g['mean'], r['mean'], 1e-15)
" "analyze h.csv: the summaries are not hyperfine's"
[ "$(cat "$STDERR")" = "h.csv:2: warning: hyperfine's CSV export holds only summaries: each mean is read as one row (n = 1, no CI); --export-json keeps the runs a CI needs" ] ||
	fail "analyze h.csv: wrong note: $(cat "$STDERR")"

# Exit codes: kept per run, noted, and usable with --by.
hyperfine --style basic -i --runs 3 --export-json f.json 'sh -c "exit 3"' \
	>f.out 2>&1 || die "hyperfine -i failed: $(cat f.out)"
expect_exit 0 "analyze f.json" "$A" --by platform,benchmark,metric,exit_code --format json f.json
cp "$STDOUT" f.out.json
jcheck f.out.json "
g = [g for g in d['groups'] if g['key']['metric'] == 'real']
assert len(g) == 1 and g[0]['key']['exit_code'] == '3' and g[0]['n'] == 3, g
" "analyze f.json: the exit codes are not in the exit_code column"
grep -qx "f.json:3: warning: results\[0\]: 3 of 3 runs of 'sh -c \"exit 3\"' exited with a non-zero status (hyperfine -i); they are kept, with their status in the exit_code column" "$STDERR" ||
	fail "analyze f.json: no note on failed runs: $(cat "$STDERR")"

# A parameter scan: the parameters are the config, compared with
# --factor config (hyperfine substitutes them into the command).
hyperfine --style basic --runs 3 -P cs 1 2 --export-json p.json 'sleep 0.0{cs}' \
	>p.out 2>&1 || die "hyperfine -P failed: $(cat p.out)"
expect_exit 0 "analyze --factor config p.json" "$A" --factor config \
	--by benchmark,metric --format json p.json
cp "$STDOUT" p.out.json
jcheck p.out.json "
c = [c for c in d['comparisons'] if c['key']['metric'] == 'real']
assert len(c) == 1 and c[0]['baseline'] == 'cs=1' and c[0]['other'] == 'cs=2', c
hf = json.load(open('p.json'))['results']
near(c[0]['ratio'], hf[1]['mean'] / hf[0]['mean'], 1e-12)
" "analyze --factor config p.json: the parameters are not compared"

# Mixed inputs: bench time's rows of the same commands (named with
# --platform like hyperfine's) beside hyperfine's, compared per command.
{ "$BIN/bench" time --runs 5 --platform 'sleep 0.01' -- sleep 0.01 &&
  "$BIN/bench" time --runs 5 --platform 'sleep 0.02' -- sleep 0.02 | tail -n +2; } \
	>t.csv || die "bench time failed"
expect_exit 0 "analyze h.json t.csv" "$A" --by platform,metric --factor file \
	--label hyperfine h.json --label bench t.csv --format json
cp "$STDOUT" mixed.json
jcheck mixed.json "
c = [c for c in d['comparisons'] if c['key']['metric'] == 'real']
assert sorted(x['key']['platform'] for x in c) == ['sleep 0.01', 'sleep 0.02'], c
for x in c:
    assert x['baseline'] == 'hyperfine' and x['other'] == 'bench', x
    assert 0.5 < x['ratio'] < 2, x
" "hyperfine and bench time rows of the same commands do not compare"
finish
