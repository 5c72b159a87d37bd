#!/usr/bin/env bash
# 2026-12-07: analyze reads Catch2 v2's XML reporter, checked
# against what Catch2 wrote. tests/helper/catch2_bench.cpp is built with
# Debian's header-only catch2 and run with -r xml. Catch2 2.13 writes only
# a summary per benchmark (no samples), so each mean is one row (n = 1)
# with a note: the rows, names, unit and means must be Catch2's, and the
# samples and iterations columns its attributes.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require g++ "g++ is not installed (make deps installs it)"
[ -f /usr/include/catch2/catch.hpp ] ||
	{ echo "catch2 is not installed (make deps installs it)"; exit 77; }
cd "$TMPDIR" || exit 1
# -O0: the header takes a minute to compile optimized, and the benchmark
# only has to run.
g++ -O0 -o c2b "$TOP/tests/helper/catch2_bench.cpp" 2>gxx.err ||
	die "g++: $(cat gxx.err)"
./c2b -r xml --benchmark-samples 10 --benchmark-resamples 1000 >c2.xml 2>c2.err ||
	die "the Catch2 binary failed: $(cat c2.err)"
expect_exit 0 "analyze c2.xml" "$A" --by platform,benchmark,metric,samples,iterations \
	--format json c2.xml
cp "$STDOUT" c2.json
jcheck c2.json "
import xml.etree.ElementTree as ET
want = []
for tc in ET.parse('c2.xml').getroot().iter('TestCase'):
    for b in tc.iter('BenchmarkResults'):
        want.append((tc.get('name') + '/' + b.get('name'), float(b.find('mean').get('value')),
                     b.get('samples'), b.get('iterations')))
assert len(want) == 2 and len(d['groups']) == 2, (want, d['groups'])
for g, (name, mean, samples, iters) in zip(d['groups'], want):
    k = g['key']
    assert k['benchmark'] == name and k['metric'] == 'time' and g['unit'] == 'ns', g
    assert g['n'] == 1 and g['mean'] == mean, (g, mean)
    assert k['samples'] == samples == '10' and k['iterations'] == iters, k
assert d['sources'][0]['provenance'] == \"Catch2 XML of 'c2b'\", d['sources']
" "analyze c2.xml: rows are not Catch2's"
grep -qE "^c2\.xml:[0-9]+: warning: Catch2 v2's XML reporter writes only summaries \(mean, standard deviation and their bootstrap intervals\), not the samples: each mean is read as one row \(n = 1, no CI\)$" "$STDERR" ||
	fail "analyze c2.xml: no note: $(cat "$STDERR")"
finish
