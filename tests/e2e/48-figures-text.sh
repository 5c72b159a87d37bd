#!/usr/bin/env bash
# 2026-12-07: data never becomes code and never breaks a figure.
# A benchmark named 'b with two rows, or --title "'", gave "gnuplot
# failed" (gnuplot 5.4 reads '''b' as '' then 'b'), and a double quote
# in a name was refused. Each hostile string below is put in a
# platform, a config and a benchmark name, and given as --title; the
# figure must be drawn (exit 0, an SVG librsvg renders), show the text
# as text (a <text> element holding it, a line break drawn as a space),
# and run nothing: the strings that would touch a file if gnuplot ran
# them as commands leave no such file.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require gnuplot "gnuplot is not installed (Debian package gnuplot-nox)"
out=$TMPDIR/figs
mkdir -p "$out"
canary=$TMPDIR/canary

"$PY" - "$TMPDIR" "$canary" <<'PY' || die "cannot write the cases"
import csv, os, sys
tmp, canary = sys.argv[1], sys.argv[2]
cases = [
    "'b", "'", "''", "'''b'", "it's", "a''b", "''x''",
    '"', 'say "hi"', '""', "back\\slash\\", "\\047\\0100", "tab\there",
    "new\nline", "@fig_title", "@", "$bars", "$1 and $2", "$",
    'system("touch %s.1")' % canary, '`touch %s.2`' % canary,
    "x'.system(\"touch %s.3\").'" % canary,
    "print \"x\"; !touch %s.4" % canary, "%s %d %%", "<b>&amp;</b>",
    "caf\u00e9 \u00fc\u00df \u65e5\u672c \u0416",
]
for i, s in enumerate(cases):
    with open(os.path.join(tmp, 'case%02d.csv' % i), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['platform', 'benchmark', 'metric', 'value', 'unit', 'config'])
        for run in range(2):
            w.writerow([s, 'bench' + s, 't', 1 + run, 's', 'k=' + s])
            w.writerow(['other', 'bench' + s, 't', 3 + run, 's', 'k=' + s])
    with open(os.path.join(tmp, 'case%02d.txt' % i), 'w') as f:
        f.write(s)
PY

n=0
for csv in "$TMPDIR"/case*.csv; do
	text=$(cat "${csv%.csv}.txt")
	rm -rf "$out"; mkdir -p "$out"
	expect_exit 0 "case $(basename "$csv") ($text)" \
		"$A" --plot --title "$text" -o "$out" "$csv" || continue
	"$PY" - "$out" "${csv%.csv}.txt" <<'PY' || fail "case $(basename "$csv"): the text is not drawn as text"
import glob, sys, xml.etree.ElementTree as ET
out, txt = sys.argv[1], sys.argv[2]
want = open(txt).read().replace('\n', ' ').replace('\t', ' ')
files = glob.glob(out + '/*.svg')
assert len(files) == 1, files
texts = [t.text or '' for t in ET.parse(files[0]).getroot().iter(
    '{http://www.w3.org/2000/svg}text')]
# The title and the key's platform entry, each perhaps wrapped over
# lines: the text appears twice once the lines are joined.
assert want in texts, (want, texts)
joined, w = ''.join(texts).replace(' ', ''), want.replace(' ', '')
assert joined.count(w) >= 2, ('platform', want, texts)
PY
	if command -v rsvg-convert >/dev/null; then
		rsvg-convert -o "$TMPDIR/r.png" "$out"/*.svg 2>"$TMPDIR/r.err" ||
			fail "case $(basename "$csv"): rsvg-convert: $(cat "$TMPDIR/r.err")"
	fi
	n=$((n + 1))
done
ls "$canary".* >/dev/null 2>&1 && fail "a string ran as a command: $(ls "$canary".*)"

# The two reproductions the bug was reported with, as given.
printf 'platform,benchmark,metric,value\na,'"'"'b,t,1\na,'"'"'b,t,2\n' >"$TMPDIR/repro.csv"
expect_exit 0 "benchmark 'b" "$A" --plot -o "$out" "$TMPDIR/repro.csv"
expect_exit 0 "--title \"'\"" "$A" --plot --title "'" -o "$out" tests/data/basic.csv
finish "48-figures-text: $n hostile strings drawn as text, nothing ran"
