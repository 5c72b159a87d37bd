#!/usr/bin/env bash
# 46-figures-errors: analyze --plot when things go wrong. gnuplot missing
# (exit 1, names the Debian package); a template gnuplot rejects (exit 1,
# gnuplot's message passed on with the template's name and line, and an
# existing figure left untouched with no temporary file behind); an
# unknown --kind and a ratio figure without comparisons (exit 2). (Any
# text draws: 48-figures-text.sh.) Also: --term pdf writes a PDF.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require gnuplot "gnuplot is not installed (Debian package gnuplot-nox)"
T="$TOP/templates"
CSV="$TOP/datasets/eurosys21-fig11-minmem.csv"
O="$TMPDIR/out"
mkdir -p "$O"

# expect STATUS PATTERN ARGS...: exit status and a stderr line matching.
expect() {
	local pat=$2
	expect_exit "$1" "${*:3}" "${@:3}" || return
	grep -q -- "$pat" "$STDERR" || fail "stderr lacks '$pat': $(cat "$STDERR")"
}

# gnuplot not on PATH.
expect 1 "install the Debian package gnuplot-nox" \
	env PATH=/nonexistent "$A" --plot -o "$O" --templates "$T" "$CSV"

# A template with an error: the good figure already there stays.
mkdir -p "$TMPDIR/t"
cp "$T"/*.gp "$TMPDIR/t/"
printf 'plot no_such_variable\n' >>"$TMPDIR/t/bars.gp"
printf 'good figure\n' >"$O/eurosys21-fig11-minmem.svg"
expect 1 "^gnuplot: \"$TMPDIR/t/bars.gp\" line [0-9]*: undefined variable: no_such_variable" \
	"$A" --plot -o "$O" --templates "$TMPDIR/t" "$CSV"
[ "$(cat "$O/eurosys21-fig11-minmem.svg")" = "good figure" ] || fail "a good figure was replaced"
ls "$O" | grep -q '\.tmp\.' && fail "a temporary file was left behind"

# Bad requests and text gnuplot cannot carry.
expect 2 "unknown figure kind 'pie'" "$A" --plot --kind pie -o "$O" --templates "$T" "$CSV"
printf 'platform,benchmark,metric,value,unit\nnative,boot,total_ms,1,ms\n' >"$TMPDIR/one.csv"
expect 2 "no ratio to plot" "$A" --plot --kind ratio -o "$O" --templates "$T" "$TMPDIR/one.csv"
expect 2 "no gnuplot templates in" "$A" --plot -o "$O" --templates "$TMPDIR/none" "$CSV"

# --term pdf, and --size.
"$A" --plot --term pdf -o "$O" --templates "$T" "$CSV" >/dev/null || fail "--term pdf failed"
head -c 5 "$O/eurosys21-fig11-minmem.pdf" | grep -q '%PDF-' || fail "not a PDF"
"$A" --plot --term png --size 600x400 -o "$O" --templates "$T" "$CSV" >/dev/null || fail "--size failed"
"$PY" -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); sys.exit(struct.unpack(">II", d[16:24]) != (600, 400))' \
	"$O/eurosys21-fig11-minmem.png" || fail "--size 600x400 not honoured"
finish "46-figures-errors: all cases behave"
