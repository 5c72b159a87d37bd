#!/usr/bin/env bash
# 2026-12-07: analyze reads pytest-benchmark's JSON, checked
# against pytest-benchmark's own statistics. tests/helper/pytest_bench.py
# runs briefly. --benchmark-json holds every round: n, mean, median, sd,
# min and max must be those of "stats", the parameters the config
# (compared with --factor config). A run kept with --benchmark-save
# (without --benchmark-save-data) holds only the stats: each stats.mean is
# one row (n = 1) with a note.
set -u
. "$TOP/tests/e2e/lib/common.sh"
"$PY" -c 'import pytest_benchmark' 2>/dev/null ||
	{ echo "python3-pytest-benchmark is not installed (make deps installs it)"; exit 77; }
cd "$TMPDIR" || exit 1
cp "$TOP/tests/helper/pytest_bench.py" test_bench.py
PYTHONDONTWRITEBYTECODE=1 "$PY" -m pytest -q -p no:cacheprovider \
	--rootdir "$TMPDIR" --benchmark-max-time=0.05 --benchmark-min-rounds=5 \
	--benchmark-json=data.json --benchmark-save=run \
	--benchmark-storage="file://$TMPDIR/store" test_bench.py \
	>pytest.out 2>&1 || die "pytest failed: $(cat pytest.out)"
saved=$(find store -name '*_run.json' | head -n 1)
[ -n "$saved" ] || die "pytest-benchmark saved no run: $(ls -R store)"
cp "$saved" stats.json

expect_exit 0 "analyze data.json" "$A" --format json data.json
cp "$STDOUT" data.out.json
jcheck data.out.json "
pb = json.load(open('data.json'))['benchmarks']
assert len(d['groups']) == 3, d['groups']
for b in pb:
    name = b['fullname'].split('[')[0]
    cfg = ','.join('%s=%s' % kv for kv in (b['params'] or {}).items())
    g = [g for g in d['groups'] if g['key']['benchmark'] == name and g['key']['config'] == cfg]
    assert len(g) == 1, (name, cfg)
    g, s = g[0], b['stats']
    assert g['key']['platform'] == 'native' and g['key']['metric'] == 'time' and g['unit'] == 's', g
    assert g['n'] == s['rounds'] == len(s['data']), (g['n'], s['rounds'])
    near(g['mean'], s['mean'], 1e-12)
    near(g['median'], s['median'], 1e-12)
    near(g['sd'], s['stddev'], 1e-9)
    assert g['min'] == s['min'] and g['max'] == s['max'], g
    if b['name'] == 'test_fixed':
        assert g['n'] == 7, g
assert d['sources'][0]['provenance'].startswith('pytest-benchmark JSON; machine_info node='), d['sources']
" "analyze data.json: not pytest-benchmark's statistics"

expect_exit 0 "analyze --factor config data.json" "$A" --factor config \
	--format json data.json
cp "$STDOUT" params.json
jcheck params.json "
pb = {b['name']: b for b in json.load(open('data.json'))['benchmarks']}
c = d['comparisons']
assert len(c) == 1 and c[0]['baseline'] == 'n=100' and c[0]['other'] == 'n=1000', c
near(c[0]['ratio'], pb['test_sum[1000]']['stats']['mean'] / pb['test_sum[100]']['stats']['mean'], 1e-12)
" "analyze --factor config: the parameters are not compared"

expect_exit 0 "analyze stats.json" "$A" --format json stats.json
cp "$STDOUT" stats.out.json
jcheck stats.out.json "
pb = json.load(open('stats.json'))['benchmarks']
assert len(d['groups']) == len(pb) == 3
for g, b in zip(d['groups'], pb):
    assert g['n'] == 1 and g['mean'] == b['stats']['mean'], (g, b['stats'])
" "analyze stats.json: stats.mean is not read as n = 1"
grep -qE "^stats\.json:[0-9]+: warning: benchmarks\[0\]: no per-round data \(--benchmark-save keeps them with --benchmark-save-data\): each stats\.mean is read as one row \(n = 1, no CI\)$" "$STDERR" ||
	fail "analyze stats.json: no note: $(cat "$STDERR")"
finish
