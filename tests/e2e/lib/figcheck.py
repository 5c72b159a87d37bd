#!/usr/bin/python3
"""figcheck: check figures by rendering them, not by eye.

    figcheck.py [--renderers rsvg,chromium] [--gallery INDEX.html] FILE.svg...

Every SVG is rendered by librsvg (rsvg-convert, which must exit 0 and
print nothing) and by headless Chromium, twice there: as an <img> (it
must load, with a non-zero size) and inlined into a page whose script
asks the browser for the extent of every <text> element (getBBox() in
the text's own coordinates, mapped by getCTM() into the figure's: a
slanted label is the slanted rectangle it covers, not its bounding box)
and of every data mark (the filled polygons of bars, the points). A
figure fails when

  - two texts overlap,
  - a text leaves the canvas (clipped),
  - a text covers a data mark (a legend or a label over a bar).

With --gallery, the page INDEX.html (plots/index.html) is opened too, and
every <img> in it must load.

Prints one line per problem, "FILE: what", and a summary; exits 1 when
any figure failed, 0 when all passed, and 77 with the reason on the
first line when a renderer asked for is not installed (the caller skips).
Only the Python standard library is used.
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Each text's rectangle is shrunk by this much on every side before the
# tests: a line box is the font's ascent + descent (about 1.16 em for
# DejaVu Sans), taller than the ink, so two lines of one wrapped label,
# or a label resting on a bar, touch without covering each other.
SHRINK_PX = 1.0
# A text may reach this far past the canvas edge (anti-aliasing) before
# it counts as clipped.
EDGE_PX = 0.5

PAGE_SCRIPT = r"""
function corners(el, svg) {
  var b = el.getBBox(), m = el.getCTM();
  if (!m) return null;
  var p = [[b.x, b.y], [b.x + b.width, b.y],
           [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]];
  return p.map(function (q) {
    return [m.a * q[0] + m.c * q[1] + m.e, m.b * q[0] + m.d * q[1] + m.f];
  });
}
function measure() {
  var out = [];
  document.querySelectorAll('div.fig').forEach(function (div) {
    var svg = div.querySelector('svg'), img = div.querySelector('img');
    var r = { name: div.dataset.name, texts: [], marks: [],
              img: img.complete && img.naturalWidth > 0 ? 1 : 0,
              w: svg.viewBox.baseVal.width || svg.width.baseVal.value,
              h: svg.viewBox.baseVal.height || svg.height.baseVal.value };
    svg.querySelectorAll('text').forEach(function (t) {
      var s = t.textContent;
      if (!s.trim()) return;
      var c = corners(t, svg);
      if (c) r.texts.push({ s: s, c: c });
    });
    svg.querySelectorAll('polygon, use').forEach(function (e) {
      if (e.closest('defs')) return;
      var c = corners(e, svg);
      if (c) r.marks.push(c);
    });
    out.push(r);
  });
  document.getElementById('out').textContent = JSON.stringify(out);
}
window.addEventListener('load', measure);
"""

GALLERY_SCRIPT = r"""
<script>
window.addEventListener('load', function () {
  var bad = [], n = 0;
  document.querySelectorAll('img').forEach(function (i) {
    n++;
    if (!(i.complete && i.naturalWidth > 0)) bad.push(i.getAttribute('src'));
  });
  var p = document.createElement('pre');
  p.id = 'figcheck-out';
  p.textContent = JSON.stringify({ n: n, bad: bad });
  document.body.appendChild(p);
});
</script>
"""


def chromium_binary():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium_dump(url, profile):
    """The DOM of url after its load event, as headless Chromium sees it."""
    cmd = [chromium_binary(), '--headless', '--no-sandbox', '--disable-gpu',
           '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--disable-default-apps', '--no-first-run',
           '--disable-extensions', '--disable-features=Translate',
           '--metrics-recording-only', '--mute-audio',
           '--user-data-dir=' + profile, '--virtual-time-budget=20000',
           '--dump-dom', url]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=300)
    if p.returncode != 0:
        raise RuntimeError('chromium exit %d: %s' % (
            p.returncode, p.stderr.decode(errors='replace')[-400:]))
    return p.stdout.decode('utf-8', errors='replace')


def svg_body(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    # Inline: drop the XML declaration and any DOCTYPE.
    text = re.sub(r'^\s*<\?xml[^>]*\?>', '', text)
    return re.sub(r'<!DOCTYPE[^>]*>', '', text)


def proj(poly, axis):
    vals = [p[0] * axis[0] + p[1] * axis[1] for p in poly]
    return min(vals), max(vals)


def shrink(poly, by):
    """A rectangle (4 corners in order) moved inward by `by` on each side."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = poly
    def towards(a, b, d):
        dx, dy = b[0] - a[0], b[1] - a[1]
        n = (dx * dx + dy * dy) ** 0.5
        if n <= 2 * d:
            return (a[0] + dx / 2, a[1] + dy / 2)
        return (a[0] + dx * d / n, a[1] + dy * d / n)
    # Along the two edge directions of each corner.
    out = []
    pts = [(x0, y0), (x1, y1), (x2, y2), (x3, y3)]
    for i in range(4):
        p, nx, pv = pts[i], pts[(i + 1) % 4], pts[(i - 1) % 4]
        a = towards(p, nx, by)
        a = (a[0] + (towards(p, pv, by)[0] - p[0]),
             a[1] + (towards(p, pv, by)[1] - p[1]))
        out.append(a)
    return out


def overlap(a, b):
    """Separating axis test of two convex quadrilaterals."""
    for poly in (a, b):
        for i in range(4):
            p, q = poly[i], poly[(i + 1) % 4]
            axis = (q[1] - p[1], p[0] - q[0])
            if axis == (0, 0):
                continue
            a0, a1 = proj(a, axis)
            b0, b1 = proj(b, axis)
            if a1 <= b0 or b1 <= a0:
                return False
    return True


def degenerate(poly):
    xs = [p[0] for p in poly]
    ys = [p[1] for p in poly]
    return max(xs) - min(xs) < 0.01 or max(ys) - min(ys) < 0.01


def check_figure(r):
    """Problems of one measured figure, as strings."""
    bad = []
    if not r['img']:
        bad.append('does not load as an image in Chromium')
    texts = [(t['s'], shrink(t['c'], SHRINK_PX)) for t in r['texts']]
    for s, c in texts:
        xs = [p[0] for p in c]
        ys = [p[1] for p in c]
        if (min(xs) < -EDGE_PX or min(ys) < -EDGE_PX or
                max(xs) > r['w'] + EDGE_PX or max(ys) > r['h'] + EDGE_PX):
            bad.append("text '%s' is clipped (%.0f..%.0f x %.0f..%.0f on "
                       "%gx%g)" % (s, min(xs), max(xs), min(ys), max(ys),
                                   r['w'], r['h']))
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if overlap(texts[i][1], texts[j][1]):
                bad.append("texts '%s' and '%s' overlap" %
                           (texts[i][0], texts[j][0]))
    marks = [m for m in r['marks'] if not degenerate(m)]
    for s, c in texts:
        for m in marks:
            if overlap(c, m):
                bad.append("text '%s' covers a data mark" % s)
                break
    return bad


def run_rsvg(paths, tmp):
    bad = []
    for p in paths:
        out = os.path.join(tmp, 'rsvg.png')
        q = subprocess.run(['rsvg-convert', '-f', 'png', '-o', out, p],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        err = q.stderr.decode(errors='replace').strip()
        if q.returncode != 0 or err:
            bad.append('%s: rsvg-convert: exit %d: %s' % (p, q.returncode,
                                                          err[:200]))
    return bad


def run_chromium(paths, tmp):
    bad = []
    page = os.path.join(tmp, 'figures.html')
    with open(page, 'w', encoding='utf-8') as f:
        f.write('<!DOCTYPE html><html><head><meta charset="utf-8">'
                '<script>%s</script></head><body>\n' % PAGE_SCRIPT)
        for i, p in enumerate(paths):
            f.write('<div class="fig" data-name="%d"><img src="%s">%s</div>\n'
                    % (i, html.escape('file://' + os.path.abspath(p)),
                       svg_body(p)))
        f.write('<pre id="out"></pre></body></html>\n')
    dom = chromium_dump('file://' + page, os.path.join(tmp, 'profile'))
    m = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    if not m or not m.group(1).strip():
        return ['chromium: the measuring script did not run']
    res = json.loads(html.unescape(m.group(1)))
    if len(res) != len(paths):
        return ['chromium measured %d figures of %d' % (len(res), len(paths))]
    for r in res:
        p = paths[int(r['name'])]
        bad += ['%s: %s' % (p, b) for b in check_figure(r)]
    return bad


def run_gallery(index, tmp):
    """Every <img> of the gallery page loads in Chromium."""
    d = os.path.dirname(os.path.abspath(index))
    probe = os.path.join(d, '.figcheck-%d.html' % os.getpid())
    with open(index, encoding='utf-8') as f:
        text = f.read()
    if '</body>' not in text:
        return ['%s: no </body>' % index]
    with open(probe, 'w', encoding='utf-8') as f:
        f.write(text.replace('</body>', GALLERY_SCRIPT + '</body>'))
    try:
        dom = chromium_dump('file://' + probe, os.path.join(tmp, 'profile'))
    finally:
        os.unlink(probe)
    m = re.search(r'<pre id="figcheck-out">(.*?)</pre>', dom, re.S)
    if not m:
        return ['%s: the probe script did not run' % index]
    res = json.loads(html.unescape(m.group(1)))
    if res['n'] == 0:
        return ['%s: no image' % index]
    return ['%s: image %s does not load' % (index, b) for b in res['bad']]


def main(argv):
    renderers = ['rsvg', 'chromium']
    gallery = None
    args = argv[1:]
    while args and args[0].startswith('--'):
        if args[0] == '--renderers':
            renderers = args[1].split(',')
            args = args[2:]
        elif args[0] == '--gallery':
            gallery = args[1]
            args = args[2:]
        else:
            print('figcheck: unknown option %s' % args[0], file=sys.stderr)
            return 2
    if 'rsvg' in renderers and not shutil.which('rsvg-convert'):
        print('rsvg-convert is not installed (Debian package librsvg2-bin)')
        return 77
    if ('chromium' in renderers or gallery) and not chromium_binary():
        print('chromium is not installed (Debian package chromium)')
        return 77
    tmp = tempfile.mkdtemp(prefix='figcheck.')
    try:
        bad = []
        if 'rsvg' in renderers:
            bad += run_rsvg(args, tmp)
        if 'chromium' in renderers and args:
            bad += run_chromium(args, tmp)
        if gallery:
            bad += run_gallery(gallery, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for b in bad:
        print(b)
    nbad = len({b.split(': ')[0] for b in bad})
    print('figcheck: %d figure(s), %d with problems' % (len(args), nbad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
