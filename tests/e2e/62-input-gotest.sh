#!/usr/bin/env bash
# 2026-12-07: analyze reads `go test -bench` text as benchstat
# does. (1) go test runs tests/helper/gobench_test.go in a module of its
# own (no network: GOFLAGS=-mod=mod, GOPROXY=off, GOPATH and GOCACHE in
# TMPDIR) with -count 3 -benchmem, and every group is checked against the
# ns/op, B/op, allocs/op Go printed. (2) --factor file with
# --label compares two files the way benchstat does. benchstat is not a
# Debian package, so its own numbers are the reference, transcribed from
# golang.org/x/perf cmd/benchstat: the old.txt/new.txt example of its
# documentation (medians, geomean 2.295µ -> 2.090µ, -8.94%, "json"
# significant, "gob" not) and its CRC test data with the output of
# `benchstat -ignore note crc-old.txt crc-new.txt`
# (tests/data/benchstat/): every median, both geomeans and all 72
# significant / not significant calls must be benchstat's.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require go "go is not installed (make deps installs golang-go)"
cd "$TMPDIR" || exit 1

# ---- (1) real go test output --------------------------------------------------
mkdir -p mod && cp "$TOP/tests/helper/gobench_test.go" mod/ &&
	printf 'module example.com/gobench\n\ngo 1.19\n' >mod/go.mod || die "module"
(cd mod && GOPATH="$TMPDIR/gopath" GOCACHE="$TMPDIR/gocache" GOFLAGS=-mod=mod \
	GOPROXY=off go test -run '^$' -bench . -count 3 -benchtime 2000x \
	-benchmem) >go.txt 2>go.err || die "go test failed: $(cat go.err go.txt)"
expect_exit 0 "analyze go.txt" "$A" --format json go.txt
cp "$STDOUT" go.json
jcheck go.json "
import re, collections
want = collections.defaultdict(list)
cfg = {}
for line in open('go.txt'):
    m = re.match(r'^([a-z][^ :]*): (.*)$', line.rstrip('\n'))
    if m:
        cfg[m.group(1)] = m.group(2)
    if line.startswith('Benchmark'):
        f = line.split()
        for v, u in zip(f[2::2], f[3::2]):
            want[(f[0][len('Benchmark'):], u)].append(float(v))
assert len(want) == 11, sorted(want)
metric = {'ns/op': 'sec/op'}
unit = {'ns/op': 'ns', 'B/op': 'B', 'items/op': 'items/op', 'allocs/op': 'allocs/op'}
got = {(g['key']['benchmark'], g['key']['metric']): g for g in d['groups']}
for (b, u), vals in want.items():
    g = got[(b, metric.get(u, u))]
    assert g['n'] == 3 and g['unit'] == unit[u], (b, u, g)
    near(g['mean'], sum(vals) / 3, 1e-12)
    assert g['key']['platform'] == cfg['goos'] + '/' + cfg['goarch'], g['key']
    assert g['key']['config'] == 'pkg=' + cfg['pkg'], g['key']
assert all(g['better'] == 'lower' for k, g in got.items() if k[1] == 'sec/op')
" "analyze go.txt: groups are not what go test printed"

# ---- (2a) benchstat's documentation example ---------------------------------
# benchstat's doc: "benchstat old.txt new.txt" prints
#   Encode/format=json-48   1.718µ ± 1%   1.423µ ± 1%  -17.20% (p=0.000 n=10)
#   Encode/format=gob-48    3.066µ ± 0%   3.070µ ± 2%        ~ (p=0.446 n=10)
#   geomean                 2.295µ        2.090µ        -8.94%
write_go() {	# FILE NAME VALUE... : go test -bench lines of ns/op values
	local f=$1 name=$2
	shift 2
	for v in "$@"; do
		printf 'BenchmarkEncode/format=%s-48 \t  690000\t %s ns/op\n' "$name" "$v"
	done >>"$f"
}
printf 'goos: linux\ngoarch: amd64\npkg: golang.org/x/perf/cmd/benchstat/testdata\n' >old.txt
cp old.txt new.txt
write_go old.txt json 1726 1723 1707 1707 1713 1729 1736 1707 1705 1774
write_go old.txt gob 3069 3075 3069 3067 3207 3064 3064 3058 3059 3062
write_go new.txt json 1423 1416 1411 1413 1412 1426 1422 1424 1447 1425
write_go new.txt gob 3075 3065 3059 3065 3060 3081 3186 3135 3087 3062
expect_exit 0 "analyze old new" "$A" --test mwu --label old old.txt \
	--label new new.txt --factor file --format json
cp "$STDOUT" doc.json
JCHECK_PRELUDE='import math
def med(name, f):
    g = [g for g in d["groups"] if g["key"]["benchmark"] == name and g["key"]["file"] == f]
    assert len(g) == 1 and g[0]["unit"] == "ns" and g[0]["n"] == 10, g
    return g[0]["median"]
def cmp(name):
    c = [c for c in d["comparisons"] if c["key"]["benchmark"] == name]
    assert len(c) == 1 and c[0]["baseline"] == "old" and c[0]["other"] == "new", c
    return c[0]
def sig(name):
    return cmp(name)["p"] < 0.05' jcheck doc.json "
j, g = 'Encode/format=json-48', 'Encode/format=gob-48'
def shown(x, want):    # x is what benchstat printed to 4 digits
    assert abs(x - want) <= 0.5, (x, want)
shown(med(j, 'old'), 1718)
shown(med(j, 'new'), 1423)
shown(med(g, 'old'), 3066)
shown(med(g, 'new'), 3070)
assert sig(j) and not sig(g), (cmp(j)['p'], cmp(g)['p'])
assert abs(cmp(g)['p'] - 0.446) < 0.01, cmp(g)['p']
go = math.sqrt(med(j, 'old') * med(g, 'old'))
gn = math.sqrt(med(j, 'new') * med(g, 'new'))
shown(go, 2295)
shown(gn, 2090)
assert '%+.2f%%' % (100 * (gn / go - 1)) == '-8.94%', gn / go
" "benchstat's documentation example: not benchstat's medians, geomean or calls"

# ---- (2b) benchstat's CRC test data ------------------------------------------
for f in old new; do
	printf 'pkg: hash/crc32\ngoarch: amd64\ngoos: darwin\nnote: hw acceleration %s\n\n' \
		"$([ $f = old ] && echo disabled || echo enabled)" >crc-$f.txt
	awk -F '\t' -v f=$f '$1 == f { printf "Benchmark%s \t %s\t %s ns/op\t %s MB/s\n", $2, $3, $4, $5 }' \
		"$TOP/tests/data/benchstat/crc.tsv" >>crc-$f.txt
done
# benchstat puts files whose configuration differs in separate tables: so
# does analyze (the note is in config); -ignore note is --by without it.
expect_exit 0 "analyze crc (config differs)" "$A" --factor file crc-old.txt crc-new.txt
grep -q '^no comparisons' "$STDOUT" || fail "crc files with different notes were compared"
expect_exit 0 "analyze crc" "$A" --test mwu --by platform,benchmark,metric \
	--factor file crc-old.txt crc-new.txt --format json
cp "$STDOUT" crc.json
jcheck crc.json "
import math
scale = {'n': 1e-9, 'µ': 1e-6, 'Mi': 2**20, 'Gi': 2**30, 'Ki': 2**10}
def val(t):
    for s, k in scale.items():
        if t.endswith(s):
            return float(t[:-len(s)]) * k
    return float(t)
groups = {(g['key']['benchmark'], g['key']['metric'], g['key']['file']): g for g in d['groups']}
cmps = {(c['key']['benchmark'], c['key']['metric']): c for c in d['comparisons']}
to_si = {'sec/op': 1e-9, 'B/s': 1e6}    # ns -> s, MB/s -> B/s
n = 0
logs = {}
for line in open('$TOP/tests/data/benchstat/crc-expected.tsv'):
    if line.startswith('#'):
        continue
    unit, name, om, nm, change, p = line.rstrip('\n').split('\t')
    if name == 'geomean':
        for f, want in (('crc-old.txt', om), ('crc-new.txt', nm)):
            gm = math.exp(sum(logs[(unit, f)]) / len(logs[(unit, f)]))
            assert abs(gm / val(want) - 1) < 0.0015, (unit, f, gm, want)
        continue
    for f, want in (('crc-old.txt', om), ('crc-new.txt', nm)):
        m = groups[(name, unit, f)]['median'] * to_si[unit]
        num = want.rstrip('nµMiGK')
        shown = m / (val(want) / float(num))    # in benchstat's prefix
        decimals = len(num.split('.')[1]) if '.' in num else 0
        assert abs(shown - float(num)) <= 0.5 * 10 ** -decimals + 1e-9, (name, unit, f, m, want)
        logs.setdefault((unit, f), []).append(math.log(m))
    c = cmps[(name, unit)]
    assert (c['p'] < 0.05) == (change != '~'), (name, unit, c['p'], change, p)
    n += 1
assert n == 72, n
" "benchstat's CRC data: medians, geomeans or significance calls differ from benchstat's"
finish
