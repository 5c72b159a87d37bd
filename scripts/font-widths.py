#!/usr/bin/python3
"""font-widths.py: print the advance widths of a TrueType font as the C
table of analyze/plot_text.c (what `analyze --plot` measures text with).

    scripts/font-widths.py /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

Reads the font's head (units per em), hhea and hmtx (advances) and cmap
(format 4: code point to glyph) tables with struct, no font library.
Prints, for every code point of U+0020..U+024F, its advance in
thousandths of an em (0 when the font has no glyph for it).
"""
import struct
import sys


def tables(data):
    n = struct.unpack('>H', data[4:6])[0]
    out = {}
    for i in range(n):
        tag, _, off, length = struct.unpack('>4sIII', data[12 + 16 * i:28 + 16 * i])
        out[tag.decode()] = data[off:off + length]
    return out


def cmap4(cmap):
    n = struct.unpack('>H', cmap[2:4])[0]
    for i in range(n):
        pid, eid, off = struct.unpack('>HHI', cmap[4 + 8 * i:12 + 8 * i])
        if pid == 3 and eid == 1 and struct.unpack('>H', cmap[off:off + 2])[0] == 4:
            t = cmap[off:]
            seg = struct.unpack('>H', t[6:8])[0] // 2
            ends = struct.unpack('>%dH' % seg, t[14:14 + 2 * seg])
            p = 16 + 2 * seg
            starts = struct.unpack('>%dH' % seg, t[p:p + 2 * seg])
            deltas = struct.unpack('>%dh' % seg, t[p + 2 * seg:p + 4 * seg])
            ro_at = p + 4 * seg
            ros = struct.unpack('>%dH' % seg, t[ro_at:ro_at + 2 * seg])
            def glyph(c):
                for k in range(seg):
                    if starts[k] <= c <= ends[k]:
                        if ros[k] == 0:
                            return (c + deltas[k]) & 0xFFFF
                        a = ro_at + 2 * k + ros[k] + 2 * (c - starts[k])
                        g = struct.unpack('>H', t[a:a + 2])[0]
                        return (g + deltas[k]) & 0xFFFF if g else 0
                return 0
            return glyph
    raise SystemExit('no format 4 cmap')


def main():
    data = open(sys.argv[1], 'rb').read()
    t = tables(data)
    upem = struct.unpack('>H', t['head'][18:20])[0]
    nh = struct.unpack('>H', t['hhea'][34:36])[0]
    adv = [struct.unpack('>H', t['hmtx'][4 * i:4 * i + 2])[0] for i in range(nh)]
    glyph = cmap4(t['cmap'])
    row = []
    for c in range(0x20, 0x250):
        g = glyph(c)
        w = adv[min(g, nh - 1)] if g else 0
        row.append('%d' % round(1000.0 * w / upem))
    for i in range(0, len(row), 12):
        print('\t' + ', '.join(row[i:i + 12]) + ',')


main()
