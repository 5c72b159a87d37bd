# style.gp: the look shared by every figure kind, loaded by each template
# (templates/<kind>.gp) before it draws. Not a figure kind of its own.
#
# Palette: Okabe and Ito (2008), "Color Universal Design", the eight colours
# that stay distinct under the common colour-vision deficiencies, plus a grey
# for a ninth series. The order is fixed, so series k has the same colour in
# every figure; yellow comes late because it is faint on white.
#
# Datablocks: none.  Variables: none.
# Sizes and font are chosen for a figure printed one column wide (3.3 in):
# the terminal (set by the caller) carries the font, this file only scales.

set linetype 1 lc rgb '#0072B2' lw 1.5 pt 7
set linetype 2 lc rgb '#E69F00' lw 1.5 pt 5
set linetype 3 lc rgb '#009E73' lw 1.5 pt 9
set linetype 4 lc rgb '#D55E00' lw 1.5 pt 11
set linetype 5 lc rgb '#56B4E9' lw 1.5 pt 13
set linetype 6 lc rgb '#CC79A7' lw 1.5 pt 7
set linetype 7 lc rgb '#F0E442' lw 1.5 pt 5
set linetype 8 lc rgb '#000000' lw 1.5 pt 9
set linetype 9 lc rgb '#999999' lw 1.5 pt 11
set linetype cycle 9

# Data text (platform names, metrics, configurations) is printed as it is:
# enhanced text would turn 'vmm_ms' into 'vmm' with a subscript 'ms'.
set termoption noenhanced

set border 3 lw 1
set tics nomirror out scale 0.6
set grid ytics lt 1 lw 0.5 lc rgb '#d9d9d9'
set grid noxtics
set style fill solid 0.9 border lc rgb '#333333'
set errorbars small
set key noautotitle
set key outside bottom center horizontal reverse Left samplen 1.2 spacing 1 width 0 font ",11"
set offsets 0, 0, 0, 0

# The colour of series s (0-based) when several are drawn.
colour(s) = int(s) % 9 + 1
