#!/usr/bin/env bash
# 2026-12-07: analyze reads plain numbers, one per line, as
# ministat reads them, checked against ministat itself (Debian's ministat):
# N, Min, Max, Median, Avg and Stddev of each file, to the 8 digits
# ministat prints, for a one-column file with a '#' comment and for the
# second column of two-column files (ministat -C 2, analyze --column 2).
# The file name is the platform, so two files compare with no option;
# --label renames them. (Odd sizes: Debian's ministat takes the upper of
# the two middle values as the median of an even count.)
set -u
. "$TOP/tests/e2e/lib/common.sh"
require ministat "ministat is not installed (make deps installs it)"
cd "$TMPDIR" || exit 1
"$PY" -c '
import random
r = random.Random(14)
with open("a.txt", "w") as f:
    f.write("# seconds per run\n")
    f.writelines("%.6f\n" % r.gauss(10, 1) for _ in range(13))
with open("b.txt", "w") as f:
    f.writelines("%.6f\n" % r.gauss(11, 1.5) for _ in range(9))
with open("c.txt", "w") as f:
    f.writelines("run%d %.5f\n" % (i, r.lognormvariate(0, 1)) for i in range(11))
with open("d.txt", "w") as f:
    f.writelines("run%d %.5f\n" % (i, r.lognormvariate(0.5, 1)) for i in range(7))
' || die "python"
# ministat's summary lines: "x  13  9.06  11.1  10.2  10.1  0.588"
check() {	# WHAT ANALYZE_JSON MINISTAT_OUTPUT FILE...
	local what=$1 json=$2 ms=$3
	shift 3
	jcheck "$json" "
rows = [l.split() for l in open('$ms') if l[:1] in 'x+' and len(l.split()) == 7 and l.split()[1].isdigit()]
files = '$*'.split()
assert len(rows) == len(files), rows
for f, r in zip(files, rows):
    g = [g for g in d['groups'] if g['key']['platform'] == f]
    assert len(g) == 1 and g[0]['key']['benchmark'] == 'numbers' and g[0]['key']['metric'] == 'value', g
    g = g[0]
    assert g['n'] == int(r[1]), (g['n'], r)
    for k, v in zip(('min', 'max', 'median', 'mean', 'sd'), r[2:]):
        assert '%.8g' % g[k] == '%.8g' % float(v), (f, k, g[k], v)
" "$what: analyze differs from ministat"
}
ministat a.txt b.txt >ms1.out || die "ministat failed"
expect_exit 0 "analyze a.txt b.txt" "$A" --format json a.txt b.txt
cp "$STDOUT" ab.json
check "a.txt b.txt" ab.json ms1.out a.txt b.txt
jcheck ab.json "
c = d['comparisons']
assert len(c) == 1 and c[0]['baseline'] == 'a.txt' and c[0]['other'] == 'b.txt', c
" "two files of numbers are not compared with no option"
ministat -C 2 c.txt d.txt >ms2.out || die "ministat -C 2 failed"
expect_exit 0 "analyze --column 2" "$A" --column 2 --format json c.txt d.txt
cp "$STDOUT" cd.json
check "--column 2" cd.json ms2.out c.txt d.txt
expect_exit 0 "analyze --label" "$A" --label before a.txt --label after b.txt
grep -q '^comparisons against platform before:' "$STDOUT" ||
	fail "--label does not name the files: $(cat "$STDOUT")"
finish
