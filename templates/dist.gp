# dist.gp: the noise behind each mean. Every run is a point (spread
# sideways by its run index so that equal values stay visible) over a box
# from the first to the third quartile with a line at the median, whiskers
# to the minimum and maximum, and the mean as a cross. analyze --plot
# --kind dist. Run on its own it draws an example.
#
# Datablocks
#   $box       one row per group: group min q1 median q3 max mean n
#              group: 0-based index into $clusters; quartiles as analyze
#              computes them (R type 7)
#   $clusters  one "name" per line: line i names group i - 1
#   $runs      one row per run: group series value run (series unused)
# Variables (default when not set)
#   fig_templates  directory holding style.gp ('templates')
#   fig_title      title ('')
#   fig_ylabel     y axis label, unit included ('value')
#   fig_logy       1 logarithmic y axis, 0 linear, -1 automatic: logarithmic
#                  when the values span more than two decades (-1)
#   fig_chars      figure width in characters of the body font (48)

if (!exists('fig_templates')) fig_templates = 'templates'
if (!exists('fig_title')) fig_title = ''
if (!exists('fig_ylabel')) fig_ylabel = 'value'
if (!exists('fig_logy')) fig_logy = -1
if (!exists('fig_chars')) fig_chars = 48
if (!exists('$box')) {
	set print $box
	print '0 9 9.5 10 10.5 12 10.2 5'
	set print $clusters
	print '"example"'
	set print $runs
	print '0 0 9 0'
	print '0 0 9.5 1'
	print '0 0 10 2'
	print '0 0 10.5 3'
	print '0 0 12 4'
	unset print
}
load fig_templates.'/style.gp'

ng = |$clusters|
bw = 0.5
stats $box using 2 nooutput
vmin = STATS_min
stats $box using 6 nooutput
vmax = STATS_max
logy = (fig_logy < 0) ? (vmin > 0 && vmax > 100 * vmin) : (fig_logy && vmin > 0)
if (logy) {
	set logscale y 10
	set format y '%.0s%c'
	set yrange [vmin / 1.5 : vmax * 1.5]
} else {
	unset logscale y
	span = (vmax > vmin) ? vmax - vmin : ((vmax != 0) ? abs(vmax) : 1)
	set yrange [vmin - 0.1 * span : vmax + 0.1 * span]
}
xsum = 0
do for [i = 1:ng] {
	xsum = xsum + strlen(word($clusters[i], 1)) + 2
}

set title fig_title
set ylabel fig_ylabel
set xrange [-0.5 : ng - 0.5]
set xtics () scale 0
do for [i = 1:ng] {
	set xtics add (word($clusters[i], 1) i - 1)
}
if (xsum > fig_chars * 0.85) {
	set xtics rotate by 35 right
} else {
	set xtics norotate center
}
unset key
set style fill solid 0.25 border lc rgb '#333333'
set boxwidth bw absolute
jitter(run) = 0.3 * bw * ((int(run) % 7) / 3.0 - 1)

plot $box using 1:3:2:6:5:(colour($1)) with candlesticks whiskerbars 0.5 lc variable notitle, \
	$box using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
	$runs using ($1 + jitter($4)):3:(colour($1)) with points pt 7 ps 0.45 lc variable notitle, \
	$box using 1:7 with points pt 2 ps 1.2 lw 2 lc rgb '#000000' notitle
