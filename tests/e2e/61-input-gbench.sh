#!/usr/bin/env bash
# 2026-12-07: analyze reads Google Benchmark's JSON, checked
# against Google Benchmark's own aggregates. tests/helper/gbench_sum.cc is
# built with libbenchmark-dev and run briefly with repetitions; each group
# must have n = the repetitions and the mean, median and standard
# deviation of the _mean, _median and _stddev aggregates (which are not
# counted as rows), the counters with their units, the label as config and
# the context's host. Then an aggregates-only file (n = 1, a note), and two
# runs compared with --label/--factor file as compare.py compares them.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require g++ "g++ is not installed (make deps installs it)"
pkg-config --exists benchmark ||
	{ echo "libbenchmark-dev is not installed (make deps installs it)"; exit 77; }
cd "$TMPDIR" || exit 1
g++ -O2 -o gbs "$TOP/tests/helper/gbench_sum.cc" \
	$(pkg-config --cflags --libs benchmark) 2>gxx.err || die "g++: $(cat gxx.err)"
run() {	# OUT EXTRA...: a short run with 4 repetitions
	local out=$1
	shift
	./gbs --benchmark_repetitions=4 --benchmark_min_time=0.01 \
		--benchmark_out="$out" --benchmark_out_format=json "$@" \
		>/dev/null 2>gb.err || die "the benchmark failed: $(cat gb.err)"
}
run a.json
run b.json
run agg.json --benchmark_report_aggregates_only=true

expect_exit 0 "analyze a.json" "$A" --format json a.json
cp "$STDOUT" a.out.json
jcheck a.out.json "
gb = json.load(open('a.json'))
agg = {(b['run_name'], b['aggregate_name']): b for b in gb['benchmarks'] if b['run_type'] == 'aggregate'}
its = [b for b in gb['benchmarks'] if b['run_type'] == 'iteration']
assert d['rows'] == 4 * len(its), (d['rows'], len(its))
units = {'real_time': 'ns', 'cpu_time': 'ns', 'bytes_per_second': 'B/s', 'elements': ''}
assert len(d['groups']) == 2 * len(units), len(d['groups'])
for g in d['groups']:
    k = g['key']
    assert k['platform'] == 'native' and k['config'] == 'label=sum', k
    m = k['metric']
    assert g['unit'] == units[m] and g['n'] == 4, g
    near(g['mean'], agg[(k['benchmark'], 'mean')][m], 1e-12)
    near(g['median'], agg[(k['benchmark'], 'median')][m], 1e-12)
    if agg[(k['benchmark'], 'stddev')][m] > 0:
        near(g['sd'], agg[(k['benchmark'], 'stddev')][m], 1e-9)
assert gb['context']['host_name'] in d['sources'][0]['provenance'], d['sources']
assert d['sources'][0]['provenance'].startswith('Google Benchmark JSON: date '), d['sources']
" "analyze a.json: groups are not Google Benchmark's aggregates"
expect_exit 0 "analyze --by ...,host a.json" "$A" --by platform,benchmark,metric,host \
	--format json a.json
cp "$STDOUT" host.json
jcheck host.json "
gb = json.load(open('a.json'))
assert all(g['key']['host'] == gb['context']['host_name'] for g in d['groups']), d['groups'][0]
" "analyze a.json: the host is not context.host_name"

# --benchmark_report_aggregates_only: each _mean as one row, with a note.
expect_exit 0 "analyze agg.json" "$A" --format json agg.json
cp "$STDOUT" agg.out.json
jcheck agg.out.json "
gb = json.load(open('agg.json'))
means = {b['run_name']: b for b in gb['benchmarks'] if b.get('aggregate_name') == 'mean'}
for g in d['groups']:
    assert g['n'] == 1, g
    assert g['mean'] == means[g['key']['benchmark']][g['key']['metric']], g
" "analyze agg.json: the _mean aggregates are not read as n = 1"
grep -qE "^agg\.json:[0-9]+: warning: 'BM_Sum/64' and others have only aggregates \(--benchmark_report_aggregates_only\): each _mean is read as one row \(n = 1, no CI\)$" "$STDERR" ||
	fail "analyze agg.json: no note on aggregates: $(cat "$STDERR")"

# Two runs compared as compare.py compares them.
expect_exit 0 "analyze --factor file" "$A" --label base a.json --label new b.json \
	--factor file --format json
cp "$STDOUT" ab.json
jcheck ab.json "
a = {(b['run_name'], b['aggregate_name']): b for b in json.load(open('a.json'))['benchmarks'] if b['run_type'] == 'aggregate'}
b = {(x['run_name'], x['aggregate_name']): x for x in json.load(open('b.json'))['benchmarks'] if x['run_type'] == 'aggregate'}
c = [c for c in d['comparisons'] if c['key']['metric'] == 'cpu_time']
assert len(c) == 2 and all(x['baseline'] == 'base' and x['other'] == 'new' for x in c), c
for x in c:
    near(x['ratio'], b[(x['key']['benchmark'], 'mean')]['cpu_time'] / a[(x['key']['benchmark'], 'mean')]['cpu_time'], 1e-12)
" "two Google Benchmark runs do not compare by --factor file"
finish
