#!/usr/bin/env bash
# 2026-12-07: analyze reads fio's JSON, checked against what fio
# reported. fio runs a small random read/write job as two clones
# (numjobs=2: two entries of one name, its repetitions); every group must
# have n = 2 and the mean of fio's per-job bandwidth, IOPS and
# completion-latency percentiles, in fio's units; the job options are the
# config. Two fio runs compare with --label/--factor file.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require fio "fio is not installed (make deps installs it)"
cd "$TMPDIR" || exit 1
run() {	# OUT
	fio --name=rw --filename="$TMPDIR/fio.dat" --size=2M --bs=4k --rw=randrw \
		--ioengine=psync --numjobs=2 --output-format=json --output="$1" \
		>fio.err 2>&1 || die "fio failed: $(cat fio.err)"
}
run a.json
run b.json
expect_exit 0 "analyze a.json" "$A" --format json a.json
cp "$STDOUT" a.out.json
jcheck a.out.json "
jobs = json.load(open('a.json'))['jobs']
assert len(jobs) == 2 and jobs[0]['jobname'] == jobs[1]['jobname'] == 'rw'
want = {}
for j in jobs:
    for dr in ('read', 'write'):
        x = j[dr]
        want.setdefault((dr, 'B/s'), []).append(x['bw_bytes'])
        want.setdefault((dr + '_iops', 'IO/s'), []).append(x['iops'])
        want.setdefault((dr + '_clat_mean', 'ns'), []).append(x['clat_ns']['mean'])
        for p, v in x['clat_ns']['percentile'].items():
            name = dr + '_clat_p' + ('%g' % float(p))
            want.setdefault((name, 'ns'), []).append(v)
    want.setdefault(('usr_cpu', '%'), []).append(j['usr_cpu'])
    want.setdefault(('sys_cpu', '%'), []).append(j['sys_cpu'])
got = {g['key']['metric']: g for g in d['groups']}
assert len(got) == len(want), (sorted(got), sorted(want))
for (m, u), vals in want.items():
    g = got[m]
    assert g['unit'] == u and g['n'] == 2, (m, g)
    near(g['mean'], sum(vals) / 2, 1e-12)
    assert g['key']['benchmark'] == 'rw' and g['key']['platform'] == 'native', g['key']
    assert g['better'] == ('lower' if u in ('ns', '%') else 'higher'), g
cfg = got['read']['key']['config']
assert 'rw=randrw' in cfg.split(',') and 'bs=4k' in cfg.split(',') and not any(x.startswith('name=') for x in cfg.split(',')), cfg
assert d['sources'][0]['provenance'].startswith('fio JSON; fio version fio-'), d['sources']
" "analyze a.json: groups are not what fio reported"
expect_exit 0 "analyze --factor file a.json b.json" "$A" --label a a.json \
	--label b b.json --factor file --format json
cp "$STDOUT" ab.json
jcheck ab.json "
c = {x['key']['metric']: x for x in d['comparisons']}
a = json.load(open('a.json'))['jobs']
b = json.load(open('b.json'))['jobs']
near(c['read']['ratio'], sum(j['read']['bw_bytes'] for j in b) / sum(j['read']['bw_bytes'] for j in a), 1e-12)
assert c['read']['baseline'] == 'a' and c['read']['other'] == 'b', c['read']
" "two fio runs do not compare by --factor file"
finish
