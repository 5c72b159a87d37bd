#!/usr/bin/env bash
# 45-figures: scripts/figures.sh regenerates every figure of plots/ from
# datasets/ (make figures), twice, into $TMPDIR. Checks that each expected
# figure exists as a well-formed SVG (parsed by xml.etree) and a PNG
# (signature and IHDR of the SVG's size), that the two runs are byte for
# byte identical, that the plotted numbers are the data's: the value
# labels of the boot figure (EuroSys'21 fig. 10) and of the image size
# figure (fig. 8); then renders every SVG in librsvg and headless
# Chromium (tests/e2e/lib/figcheck.py: no text overlaps, covers a bar or
# is clipped) and opens the gallery, index.html, whose images must load.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require gnuplot "gnuplot is not installed (Debian package gnuplot-nox)"
require "$PY" "$PY is needed to parse the SVG"

ANALYZE="$A" scripts/figures.sh "$TMPDIR/a" || die "figures.sh failed (first run)"
ANALYZE="$A" scripts/figures.sh "$TMPDIR/b" || die "figures.sh failed (second run)"
diff -r "$TMPDIR/a" "$TMPDIR/b" >/dev/null || die "two runs differ: $(diff -rq "$TMPDIR/a" "$TMPDIR/b")"
ls "$TMPDIR/a" | grep -q '\.tmp\.' && die "a temporary file was left behind"

expected="eurosys21-fig10-boot eurosys21-fig08-imagesize eurosys21-fig11-minmem
eurosys21-fig14-alloc-boot eurosys21-fig13-nginx eurosys21-txt01-boot-others-dist
hermitcore-stream-MB-s hermitcore-stream-s hermitcore-syscall firebench-sha256sum
course-measurements-linpack course-measurements-memsweep
course-measurements-forksum course-measurements-nginx
course-measurements-diskwrite course-measurements-ratio"

"$PY" - "$TMPDIR/a" $expected <<'PY' || exit 1
import os, re, struct, sys
import xml.etree.ElementTree as ET

out, names = sys.argv[1], sys.argv[2:]
SVG = '{http://www.w3.org/2000/svg}'

def bad(msg):
    print('45-figures: ' + msg)
    sys.exit(1)

for n in names:
    svg, png = os.path.join(out, n + '.svg'), os.path.join(out, n + '.png')
    if not os.path.isfile(svg) or not os.path.isfile(png):
        bad('missing ' + n + '.svg or .png')
    try:
        root = ET.parse(svg).getroot()
    except ET.ParseError as e:
        bad('%s.svg is not well-formed XML: %s' % (n, e))
    if root.tag != SVG + 'svg':
        bad('%s.svg: root element is %s' % (n, root.tag))
    with open(png, 'rb') as f:
        head = f.read(24)
    if head[:8] != b'\x89PNG\r\n\x1a\n' or head[12:16] != b'IHDR':
        bad(n + '.png: no PNG signature and IHDR chunk')
    w, h = struct.unpack('>II', head[16:24])
    # The canvas grows with the data; the PNG is the SVG's size, at least
    # the default 480x336.
    want = (int(root.get('width')), int(root.get('height')))
    if (w, h) != want or w < 480 or h < 336:
        bad('%s.png is %dx%d, the SVG %dx%d' % (n, w, h, *want))

def value_labels(name):
    """Numbers printed on the bars (font size 10), left to right."""
    root = ET.parse(os.path.join(out, name + '.svg')).getroot()
    found = []
    for g in root.iter(SVG + 'g'):
        if g.get('font-size') != '10.00':
            continue
        m = re.match(r'translate\(([-0-9.]+),', g.get('transform', ''))
        t = g.find(SVG + 'text')
        if m and t is not None and re.fullmatch(r'-?[0-9.]+', t.text or ''):
            found.append((float(m.group(1)), float(t.text)))
    return [v for _, v in sorted(found)]

def check(name, got, want, rel):
    if len(got) != len(want):
        bad('%s: %d value labels %s, expected %d' % (name, len(got), got, len(want)))
    for g, w in zip(got, want):
        if abs(g - w) > rel * abs(w):
            bad('%s: label %g, expected %g within %g%%: %s' % (name, g, w, 100 * rel, got))

# EuroSys'21 fig. 10, mean total boot time (VMM + guest) per VMM in ms, in
# the order qemu, qemu-1nic, qemu-microvm, solo5, firecracker. Reference:
# pandas over the artifact's fig_10/paperresults/<vmm>.csv (26 boots each):
# ((d.vmm_us + d.guest_us) / 1000).mean() = 38.4015, 42.74165, 9.05296,
# 3.06823, 3.06204; the published labels (one decimal) are 38.4, 42.7, 9.1,
# 3.1 and 3.1.
boot = value_labels('eurosys21-fig10-boot')
check('eurosys21-fig10-boot', boot, [38.4015, 42.74165, 9.05296, 3.06823, 3.06204], 0.01)
if [round(v, 1) for v in boot] != [38.4, 42.7, 9.1, 3.1, 3.1]:
    bad('fig10 labels do not round to the published 38.4 42.7 9.1 3.1 3.1: %s' % boot)

# EuroSys'21 fig. 8 in MiB, app by app, builds default, lto, dce, dce+lto.
# Reference: the artifact's fig_08/results.csv in bytes / 1048576, e.g.
# helloworld default 262816 B = 0.25064 MiB, nginx default 1639224 B =
# 1.56329 MiB, nginx dce+lto 852928 B = 0.81342 MiB, redis default 1835832 B
# = 1.75079 MiB (values from INDEX.md's headline table, divided by hand).
size = value_labels('eurosys21-fig08-imagesize')
if len(size) != 16:
    bad('fig08: %d value labels, expected 16: %s' % (len(size), size))
check('eurosys21-fig08-imagesize', [size[0], size[4], size[7], size[8]],
      [0.25064, 1.56329, 0.81342, 1.75079], 0.01)
PY

# Every figure renders in librsvg and Chromium with no text overlapping
# another, covering a bar or clipped, and the gallery shows them all.
[ -s "$TMPDIR/a/index.html" ] || die "no gallery index.html"
"$PY" tests/e2e/lib/figcheck.py --gallery "$TMPDIR/a/index.html" "$TMPDIR"/a/*.svg
case $? in
0) ;;
77) echo "note: renderers missing, figures not rendered" ;;
*) die "figcheck found problems (above)" ;;
esac
echo "45-figures: all figures present, well formed, identical twice, labels match, rendered"
