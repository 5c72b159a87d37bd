#!/usr/bin/env bash
# 2026-12-07: figures fit to print from any data. A stress corpus
# of odd data (1 and 30 platforms, 40-character config strings, negative
# values, zeros, all-equal values, values spanning 6 decades, one run
# only, non-ASCII names, a stacked bar with a part a thousandth of it,
# 12 categories of 8 series) is drawn by analyze --plot in every kind
# that applies (the default, dist, ratio) and at --size 320x240, and
# every SVG must render in
# librsvg and headless Chromium with no text overlapping another,
# covering a bar or leaving the canvas (tests/e2e/lib/figcheck.py),
# after the checker has shown it finds each of those on a bad figure.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require gnuplot "gnuplot is not installed (Debian package gnuplot-nox)"
require rsvg-convert "rsvg-convert is not installed (Debian package librsvg2-bin)"
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || {
	echo "chromium is not installed (Debian package chromium)"; exit 77; }
out=$TMPDIR/figs
mkdir -p "$out"

# The checker itself finds what it looks for: two texts on each other, a
# text past the edge, a text on a bar, an image of the gallery missing.
mkdir -p "$TMPDIR/bad"
cat >"$TMPDIR/bad/bad.svg" <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
<polygon points="120,60 160,60 160,95 120,95" fill="#0072B2"/>
<g transform="translate(20,30)" font-family="DejaVu Sans" font-size="12"><text>first label</text></g>
<g transform="translate(30,32)" font-family="DejaVu Sans" font-size="12"><text>second</text></g>
<g transform="translate(170,10)" font-family="DejaVu Sans" font-size="12"><text>clipped text</text></g>
<g transform="translate(125,80)" font-family="DejaVu Sans" font-size="12"><text>on bar</text></g>
</svg>
SVG
printf '<html><body><img src="bad.svg"><img src="missing.svg"></body></html>\n' \
	>"$TMPDIR/bad/index.html"
"$PY" tests/e2e/lib/figcheck.py --gallery "$TMPDIR/bad/index.html" \
	"$TMPDIR/bad/bad.svg" >"$TMPDIR/bad.out"
[ $? -eq 1 ] || fail "figcheck passed a bad figure: $(cat "$TMPDIR/bad.out")"
for want in "texts 'first label' and 'second' overlap" \
	"text 'clipped text' is clipped" "text 'on bar' covers a data mark" \
	"image missing.svg does not load"; do
	grep -qF "$want" "$TMPDIR/bad.out" || fail "figcheck missed: $want"
done

"$PY" - "$TMPDIR" <<'PY' || die "cannot write the corpus"
import csv, math, os, sys
tmp = sys.argv[1]
H = ['platform', 'benchmark', 'metric', 'value', 'unit', 'run', 'config']

def write(name, rows):
    with open(os.path.join(tmp, name + '.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(H)
        w.writerows(rows)

def runs(p, b, m, vals, unit='s', config=''):
    return [[p, b, m, v, unit, i, config] for i, v in enumerate(vals)]

write('one-platform', runs('native', 'x', 't', [1.5], 's'))
rows = []
for i in range(30):
    for m, base in (('seconds', 2.0), ('user', 1.0)):
        rows += runs('platform-%02d' % i, 'x', m,
                     [base * (1 + i / 10) * (1 + 0.01 * k) for k in range(3)])
write('thirty-platforms', rows)
rows = []
for p in ('native', 'container', 'qemu-tcg'):
    for c in range(6):
        cfg = 'server=nginx,requests=%d,connections=%d,page=612B' % (
            5000 * (c + 1), 4 * (c + 1))
        rows += runs(p, 'http', 'req_per_s', [1000.0 / (c + 1) + k
                     for k in range(3)], 'req/s', cfg)
write('long-configs', rows)
rows = []
for p, v in (('a', -3.0), ('b', 2.0), ('c', -0.5), ('d', 7.0)):
    rows += runs(p, 'delta', 'change', [v, v * 1.1, v * 0.9], 'ms')
write('negative', rows)
rows = []
for p in ('a', 'b', 'c'):
    rows += runs(p, 'errors', 'count', [0, 0, 0], '')
    rows += runs(p, 'mixed', 'v', [0, 0, 0] if p == 'a' else [5, 6, 7], 'ms')
write('zeros', rows)
rows = []
for p in ('a', 'b', 'c'):
    rows += runs(p, 'same', 't', [4.2, 4.2, 4.2], 's')
write('all-equal', rows)
rows = []
for i, p in enumerate(('tiny', 'small', 'mid', 'big', 'huge', 'vast', 'max')):
    v = 10.0 ** (i - 3)
    rows += runs(p, 'span', 't', [v, v * 1.05, v * 0.97], 's')
write('six-decades', rows)
rows = []
for i, p in enumerate(('zero', 'tiny', 'mid', 'huge')):
    v = 0.0 if i == 0 else 10.0 ** (2 * i - 3)
    rows += runs(p, 'span', 't', [v, v, v], 'ms')
    rows += runs(p, 'neg', 't', [-v * 2, -v, -v * 3], 'ms')
write('six-decades-zero', rows)
rows = []
for p in ('native', 'container', 'qemu-tcg'):
    for b, m, u in (('linpack', 'kflops', 'KFLOPS'), ('memsweep', 'seconds', 's'),
                    ('diskwrite', 'rate', 'MB/s')):
        rows += runs(p, b, m, [123.0 if p == 'native' else 45.6], u)
write('one-run', rows)
rows = []
for p in ('caf\u00e9-\u00fcber', '\u65e5\u672c\u8a9e\u306e\u30db\u30b9\u30c8',
          '\u041c\u043e\u0441\u043a\u0432\u0430', 'na\u00efve \u2014 \u00b5VM'):
    rows += runs(p, 'b\u00e9nch', 'dur\u00e9e', [1.0, 1.1, 1.2], 's',
                 'mode=\u00e9t\u00e9')
write('non-ascii', rows)
rows = []
for p, vmm, guest in (('qemu', 38.35, 0.051), ('firecracker', 1.75, 1.31),
                      ('solo5', 2.99, 0.074)):
    for k in range(3):
        rows.append([p, 'boot', 'vmm_ms', vmm * (1 + 0.01 * k), 'ms', k, ''])
        rows.append([p, 'boot', 'guest_ms', guest, 'ms', k, ''])
        rows.append([p, 'boot', 'total_ms', vmm * (1 + 0.01 * k) + guest,
                     'ms', k, ''])
write('stacked', rows)
rows = []
for s in range(8):
    for c in range(12):
        rows += runs('series-number-%d' % s, 'wide', 'category-%02d' % c,
                     [1 + c + s / 8.0, 1.1 + c + s / 8.0], 's')
write('wide', rows)
rows = []
for p, f in (('native', 1), ('container', 1.2), ('qemu-tcg', 20)):
    for m, v in (('p50_ms', 0.3), ('p90_ms', 0.5), ('p99_ms', 1.2),
                 ('max_ms', 4.0), ('total_ms', 900.0)):
        rows += runs(p, 'http', m, [v * f * (1 + 0.3 * k) for k in range(3)],
                     'ms', 'server=nginx,requests=5000,connections=4')
    rows += runs(p, 'http', 'req_per_s', [5000.0 / f + k for k in range(3)],
                 'req/s', 'server=nginx,requests=5000,connections=4')
write('http', rows)
PY

n=0
for csv in "$TMPDIR"/*.csv; do
	name=$(basename "$csv" .csv)
	for kind in "" dist ratio; do
		args=(--plot -o "$out")
		[ -n "$kind" ] && args+=(--kind "$kind")
		"$A" "${args[@]}" "$csv" >"$TMPDIR/paths" 2>"$TMPDIR/err"
		st=$?
		if [ $st -ne 0 ]; then
			# A ratio needs two platforms of one key; a figure may
			# refuse that, nothing else.
			[ "$kind" = ratio ] && grep -q 'no ratio to plot' "$TMPDIR/err" &&
				continue
			fail "$name ${kind:-default}: exit $st: $(head -3 "$TMPDIR/err")"
			continue
		fi
		n=$((n + $(wc -l <"$TMPDIR/paths")))
	done
done
[ "$n" -ge 30 ] || fail "only $n figures drawn"
# --size is obeyed however small: the layout shrinks the plot area and
# leaves out what does not fit rather than overlap.
mkdir -p "$out/small"
for csv in "$TMPDIR"/*.csv; do
	"$A" --plot --size 320x240 -o "$out/small" "$csv" >/dev/null 2>"$TMPDIR/err" ||
		fail "$(basename "$csv") at 320x240: $(head -3 "$TMPDIR/err")"
done
"$PY" tests/e2e/lib/figcheck.py "$out"/*.svg "$out"/small/*.svg ||
	fail "figcheck found problems (above)"
finish "49-figures-stress: $n figures of odd data drawn, rendered, no overlap"
