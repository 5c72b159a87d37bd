# frame.gp: the frame every figure kind draws its data in: the plot area,
# the value axis (linear, logarithmic or symmetric-logarithmic), its tick
# marks and grid, and every text of the figure at the place analyze
# computed from the text's measured width (title, axis label, tick
# labels, category labels, value labels, legend, notes), so that no text
# overlaps another or leaves the canvas. Loaded by bars.gp, boot.gp and
# dist.gp after style.gp; not a figure kind of its own. Run through one
# of them on its own, it draws their example.
#
# Positions are pixels from the top left corner of the canvas.
# Datablocks
#   $yticks  one row per tick of the value axis: value minor
#            (minor 1: a small unlabelled tick; labels are in $texts)
#   $texts   one row per text: x y angle align font_px string
#            angle in degrees counter-clockwise; align 0 left, 1 centre,
#            2 right of the anchor (x, y), which is the middle of the
#            line's height; string: n of the variable fig_s<n>
#   $keys    one row per legend sample box: x y w h colour
#            (top left corner, size; colour index as colour())
# Variables (default when not set)
#   fig_s1, fig_s2, ...  the texts of $texts (none)
#   fig_width, fig_height  canvas size (480, 336)
#   fig_l, fig_r, fig_t, fig_b  plot area edges (60, 470, 30, 280)
#   fig_nc       categories on the x axis, at 0 .. fig_nc - 1 (1)
#   fig_yscale   0 linear, 1 log 10, 2 log 2, 3 symlog (0)
#   fig_ylo, fig_yhi  value axis range (0, 1)
#   fig_ythresh  symlog: linear from -fig_ythresh to fig_ythresh (1)
#   fig_font_scale  the terminal's font size unit per pixel: 1 svg,
#                0.75 pngcairo (points at 96 per inch), 0.5 pdfcairo (1)

if (!exists('fig_width')) fig_width = 480
if (!exists('fig_height')) fig_height = 336
if (!exists('fig_l')) fig_l = 60
if (!exists('fig_r')) fig_r = 470
if (!exists('fig_t')) fig_t = 30
if (!exists('fig_b')) fig_b = 280
if (!exists('fig_nc')) fig_nc = 1
if (!exists('fig_yscale')) fig_yscale = 0
if (!exists('fig_ylo')) fig_ylo = 0
if (!exists('fig_yhi')) fig_yhi = 1
if (!exists('fig_ythresh')) fig_ythresh = 1
if (!exists('fig_font_scale')) fig_font_scale = 1
if (!exists('$yticks')) {
	set print $yticks
	print '0 0'
	print '0.5 0'
	print '1 0'
	unset print
}
if (!exists('$texts')) {
	set print $texts
	unset print
}
if (!exists('$keys')) {
	set print $keys
	unset print
}

set lmargin at screen real(fig_l) / fig_width
set rmargin at screen real(fig_r) / fig_width
set tmargin at screen 1 - real(fig_t) / fig_height
set bmargin at screen 1 - real(fig_b) / fig_height
unset title
unset xlabel
unset ylabel
unset key
unset x2tics
unset y2tics

set xrange [-0.5 : fig_nc - 0.5]
unset xtics
unset logscale y
unset nonlinear y
if (fig_yscale == 1) {
	set logscale y 10
}
if (fig_yscale == 2) {
	set logscale y 2
}
if (fig_yscale == 3) {
	# Symmetric log: linear within +-T, a decade per unit beyond.
	symlog_T = fig_ythresh
	set nonlinear y via (abs(y) <= symlog_T ? y / symlog_T : sgn(y) * (1 + log10(abs(y) / symlog_T))) \
		inverse (abs(y) <= 1 ? y * symlog_T : sgn(y) * symlog_T * 10**(abs(y) - 1))
}
set yrange [fig_ylo : fig_yhi]
set ytics () format ''
do for [i = 1:|$yticks|] {
	set ytics add ('' real(word($yticks[i], 1)) int(word($yticks[i], 2)))
}
set mytics default
set grid ytics nomytics

# Texts: the string is a variable's value, never part of a command.
unset label
# (A macro in a loop is expanded once, before the loop runs: one branch
# per alignment instead.)
frame_x(i) = real(word($texts[i], 1)) / fig_width
frame_y(i) = 1 - real(word($texts[i], 2)) / fig_height
frame_rot(i) = real(word($texts[i], 3))
frame_font(i) = sprintf(',%.4g', real(word($texts[i], 5)) * fig_font_scale)
frame_str(i) = value('fig_s'.word($texts[i], 6))
do for [i = 1:|$texts|] {
	frame_al = int(word($texts[i], 4))
	if (frame_al == 0) {
		set label i frame_str(i) at screen frame_x(i), frame_y(i) left \
			rotate by frame_rot(i) font frame_font(i) textcolor rgb '#000000' front noenhanced
	}
	if (frame_al == 1) {
		set label i frame_str(i) at screen frame_x(i), frame_y(i) center \
			rotate by frame_rot(i) font frame_font(i) textcolor rgb '#000000' front noenhanced
	}
	if (frame_al == 2) {
		set label i frame_str(i) at screen frame_x(i), frame_y(i) right \
			rotate by frame_rot(i) font frame_font(i) textcolor rgb '#000000' front noenhanced
	}
}
unset object
do for [i = 1:|$keys|] {
	key_x = real(word($keys[i], 1)) / fig_width
	key_y = 1 - real(word($keys[i], 2)) / fig_height
	key_w = real(word($keys[i], 3)) / fig_width
	key_h = real(word($keys[i], 4)) / fig_height
	set object i rect from screen key_x, key_y - key_h to screen key_x + key_w, key_y \
		fillcolor linetype colour(real(word($keys[i], 5))) fillstyle solid 0.9 border lc rgb '#333333' front
}
