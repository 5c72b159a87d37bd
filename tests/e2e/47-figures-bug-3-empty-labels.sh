#!/usr/bin/env bash
# 2026-11-25: 'analyze --plot' on datasets/unikraft-claims.csv
# (make demo) died with "gnuplot failed (exit status 139)": gnuplot 5.4.4
# segfaults on a 'with labels' plot whose points are all undefined, which
# the bars template produced whenever no bar lay below the base line (or
# none above it). Each case here must draw, exit 0, and give valid SVG.
set -u
. "$TOP/tests/e2e/lib/common.sh"
out=$TMPDIR/figs
one() {	# name, CSV body (after the header)
	printf 'platform,benchmark,metric,value,unit\n%s\n' "$2" >"$TMPDIR/$1.csv"
	expect_exit 0 "case $1: analyze --plot" \
		"$A" -q --plot -o "$out" "$TMPDIR/$1.csv" || return
	# One figure per benchmark: NAME.svg, or NAME-BENCHMARK.svg for several.
	"$PY" - "$out" "$1" <<'PY' || fail "case $1: bad SVG"
import glob, sys, xml.etree.ElementTree as E
files = glob.glob("%s/%s.svg" % tuple(sys.argv[1:])) + \
    glob.glob("%s/%s-*.svg" % tuple(sys.argv[1:]))
assert files, "no figure written"
for f in files:
    E.parse(f)
PY
}
one single-bar 'unikraft,imagesize,size,1,MB'
one all-above 'a,boot,ms,2,ms
b,boot,ms,3,ms'
one log-axis 'a,x,t,1,s
b,x,t,1000,s
c,x,t,1000000,s'
one claims "$(tail -n +2 datasets/unikraft-claims.csv | cut -d, -f1-5)"
finish "4 figures drawn"
